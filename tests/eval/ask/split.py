"""Split questions.tsv into dev.tsv and heldout.tsv by a fixed, seeded hash of each question's id.

No question is placed by hand: a question is held out when the first 8 bytes of
sha256("<SEED>:<id>") read as an integer are odd. Adding questions never moves existing ones, and
anyone can re-run this to check that dev.tsv and heldout.tsv are exactly what the rule gives.
Nothing in assistant/ may be tuned on heldout.tsv: it measures generalisation.

    python tests/eval/ask/split.py            # rewrite dev.tsv and heldout.tsv, print counts
    python tests/eval/ask/split.py --check    # exit 1 if the files differ from what the rule gives
"""

from __future__ import annotations

import hashlib
import sys
from collections import Counter
from pathlib import Path

SEED = "zhaoshang-ask-eval-2024"
HERE = Path(__file__).resolve().parent


def part_of(question_id: str) -> str:
    digest = hashlib.sha256(f"{SEED}:{question_id}".encode()).digest()
    return "heldout" if int.from_bytes(digest[:8], "big") % 2 else "dev"


def split(master: Path) -> dict[str, str]:
    lines = master.read_text(encoding="utf-8").splitlines()
    header, rows = lines[0], [line for line in lines[1:] if line.strip()]
    parts: dict[str, list[str]] = {"dev": [], "heldout": []}
    for row in rows:
        parts[part_of(row.split("\t", 1)[0])].append(row)
    return {name: "\n".join([header, *body]) + "\n" for name, body in parts.items()}


def main(argv: list[str]) -> int:
    files = split(HERE / "questions.tsv")
    if argv and argv[0] == "--check":
        stale = [name for name, text in files.items()
                 if not (HERE / f"{name}.tsv").exists() or (HERE / f"{name}.tsv").read_text(encoding="utf-8") != text]
        print("split up to date" if not stale else f"out of date: {', '.join(stale)} (run split.py)")
        return 1 if stale else 0
    for name, text in files.items():
        (HERE / f"{name}.tsv").write_text(text, encoding="utf-8")
        kinds = Counter(line.split("\t")[1] for line in text.splitlines()[1:])
        print(f"{name}.tsv: {sum(kinds.values())} questions — "
              + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
