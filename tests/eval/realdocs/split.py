"""Deterministic dev / held-out split of the realdocs question sets.

Rule: an item goes to held-out when the first 8 hex digits of
sha256("realdocs-split-v1:" + id), read as an integer, are odd; otherwise to dev.
The rule depends only on the id, so adding or removing questions never moves
an existing question to the other part.

Inputs
  tests/eval/realdocs/gov.tsv                    id, question, file, answer (hand-written)
  /work/shared/realdocs/cmrc/questions.tsv       question, answer (500 CMRC 2018 pairs)
  /work/shared/realdocs/cmrc/*.txt               the 286 articles

Outputs (in this directory)
  gov_dev.tsv, gov_heldout.tsv                   id, question, file, answer
  cmrc_dev.tsv, cmrc_heldout.tsv                 id, question, file, answer
  cmrc_ambiguity.tsv                             id, n_files, title_match, files
                                                 (only answers found in >1 article)

CMRC ids are cmrc-001 ... cmrc-500 in the order of questions.tsv. Each question's
file is the first article, in sorted file-name order, whose whitespace-normalised
text contains the whitespace-normalised answer; answers that occur in several
articles are listed in cmrc_ambiguity.tsv with every candidate file. For those
rows the chosen file is often wrong (a short answer such as "2007年" or "美国"
occurs in dozens of articles); title_match names the candidate whose title
(first line, without a trailing parenthesis) occurs in the question, when
exactly one does. It is information only: the file column keeps the rule above.

Only the Python standard library is used.

Usage: python3 tests/eval/realdocs/split.py [--realdocs /work/shared/realdocs]
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = "realdocs-split-v1"
HEADER = ["id", "question", "file", "answer"]


def part_of(item_id: str) -> str:
    digest = hashlib.sha256(f"{SEED}:{item_id}".encode()).hexdigest()
    return "heldout" if int(digest[:8], 16) % 2 else "dev"


def norm(text: str) -> str:
    return re.sub(r"\s+", "", text)


def read_tsv(path: Path) -> list[list[str]]:
    """Plain tab split: the files use no CSV quoting (answers contain ASCII quotes)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line.strip()]


def write_tsv(path: Path, rows: list[list[str]], header: list[str] = HEADER) -> None:
    out = ["\t".join(header)]
    for row in rows:
        for field in row:
            if "\t" in field or "\n" in field:
                raise ValueError(f"tab or newline in field of {row[0]}")
        out.append("\t".join(row))
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def split_rows(rows: list[list[str]]) -> tuple[list[list[str]], list[list[str]]]:
    dev = [r for r in rows if part_of(r[0]) == "dev"]
    held = [r for r in rows if part_of(r[0]) == "heldout"]
    return dev, held


def gov_rows() -> list[list[str]]:
    table = read_tsv(HERE / "gov.tsv")
    if table[0] != HEADER:
        raise SystemExit(f"gov.tsv: unexpected header {table[0]}")
    rows = table[1:]
    ids = [r[0] for r in rows]
    if len(ids) != len(set(ids)):
        raise SystemExit("gov.tsv: duplicate ids")
    return rows


def cmrc_rows(cmrc_dir: Path) -> tuple[list[list[str]], list[list[str]]]:
    articles = sorted(p for p in cmrc_dir.glob("*.txt"))
    raw = {p.name: p.read_text(encoding="utf-8") for p in articles}
    texts = {name: norm(text) for name, text in raw.items()}
    titles = {name: re.sub(r"[（(].*$", "", text.splitlines()[0]).strip() for name, text in raw.items()}
    table = read_tsv(cmrc_dir / "questions.tsv")
    if [c.lower() for c in table[0]] != ["question", "answer"]:
        raise SystemExit(f"questions.tsv: unexpected header {table[0]}")
    rows, ambiguous = [], []
    for n, (question, answer) in enumerate(table[1:], start=1):
        item_id = f"cmrc-{n:03d}"
        needle = norm(answer)
        hits = [name for name, text in texts.items() if needle in text]
        if not hits:
            raise SystemExit(f"{item_id}: answer not found in any article: {answer!r}")
        rows.append([item_id, question, hits[0], answer])
        if len(hits) > 1:
            named = [h for h in hits if titles[h] and norm(titles[h]) in norm(question)]
            title_match = named[0] if len(named) == 1 else ""
            ambiguous.append([item_id, str(len(hits)), title_match, ";".join(hits)])
    return rows, ambiguous


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--realdocs", default="/work/shared/realdocs", type=Path)
    args = ap.parse_args()

    gov = gov_rows()
    gdev, ghel = split_rows(gov)
    write_tsv(HERE / "gov_dev.tsv", gdev)
    write_tsv(HERE / "gov_heldout.tsv", ghel)

    cmrc, ambiguous = cmrc_rows(args.realdocs / "cmrc")
    cdev, chel = split_rows(cmrc)
    write_tsv(HERE / "cmrc_dev.tsv", cdev)
    write_tsv(HERE / "cmrc_heldout.tsv", chel)
    write_tsv(HERE / "cmrc_ambiguity.tsv", ambiguous, ["id", "n_files", "title_match", "files"])

    print(f"gov:  {len(gov)} -> dev {len(gdev)}, heldout {len(ghel)}")
    chosen = {r[0]: r[2] for r in cmrc}
    differs = sum(1 for a in ambiguous if a[2] and a[2] != chosen[a[0]])
    print(f"cmrc: {len(cmrc)} -> dev {len(cdev)}, heldout {len(chel)}; "
          f"{len(ambiguous)} answers occur in more than one article "
          f"({differs} with a title match that differs from the chosen file)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
