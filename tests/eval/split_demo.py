"""Split the demo retrieval set tests/eval/dev.tsv into demo_dev.tsv and demo_heldout.tsv.

Rule (as tests/eval/realdocs/split.py): a question is held out when the first 8 hex digits of
sha256("demo-split-v1:" + question), read as an integer, are odd. The rule looks at the question only, so
adding or editing other rows never moves a question between parts.

Note: all 77 questions were used to tune the earlier fusion (RRF k=10 and its reranking weights), so the demo
held-out part is held out from the weights chosen since (bench/fusion_sweep.py), not from everything.

Usage: python3 tests/eval/split_demo.py
"""

from __future__ import annotations

import hashlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = "demo-split-v1"


def part_of(question: str) -> str:
    digest = hashlib.sha256(f"{SEED}:{question}".encode()).hexdigest()
    return "heldout" if int(digest[:8], 16) % 2 else "dev"


def main() -> None:
    lines = (HERE / "dev.tsv").read_text(encoding="utf-8").splitlines()
    header, rows = lines[0], [line for line in lines[1:] if line.strip()]
    parts: dict[str, list[str]] = {"dev": [], "heldout": []}
    for row in rows:
        parts[part_of(row.split("\t")[0])].append(row)
    for name, part in parts.items():
        (HERE / f"demo_{name}.tsv").write_text("\n".join([header, *part]) + "\n", encoding="utf-8")
        print(f"demo_{name}.tsv: {len(part)}")


if __name__ == "__main__":
    main()
