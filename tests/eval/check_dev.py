"""Check tests/eval/dev.tsv against the demo corpus.

For every row, the key_phrase must occur verbatim in the text of expected_doc
(.docx read with python-docx incl. tables; .txt decoded as UTF-8, else GB18030).

Usage: .venv/bin/python tests/eval/check_dev.py [--stats]
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
DEV = Path(__file__).resolve().parent / "dev.tsv"
SKIP = {"README.md"}


def read_text(path: Path) -> str:
    if path.suffix == ".docx":
        from docx import Document

        doc = Document(str(path))
        parts = [p.text for p in doc.paragraphs]
        for table in doc.tables:
            for row in table.rows:
                parts.append("  ".join(cell.text for cell in row.cells))
        return "\n".join(parts)
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("gb18030")


def corpus_docs() -> dict[str, str]:
    return {
        p.name: read_text(p)
        for p in sorted(CORPUS.iterdir())
        if p.is_file() and p.suffix in {".txt", ".md", ".docx"} and p.name not in SKIP
    }


def main() -> int:
    docs = corpus_docs()
    if "--stats" in sys.argv:
        for name, text in docs.items():
            cjk = len(re.findall(r"[\u4e00-\u9fff]", text))
            print(f"{cjk:6d} cjk {len(text):6d} chars  {name}")
    with DEV.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    failures = 0
    multi = 0
    for i, row in enumerate(rows, start=2):
        doc, phrase = row["expected_doc"], row["key_phrase"]
        problem = ""
        if doc not in docs:
            problem = "expected_doc not found"
        elif not 4 <= len(phrase) <= 20:
            problem = f"key_phrase length {len(phrase)}"
        elif phrase not in docs[doc]:
            problem = "key_phrase not in doc"
        if problem:
            failures += 1
            print(f"FAIL line {i}: {problem}: {doc} | {phrase}")
        elsewhere = [n for n, t in docs.items() if n != doc and phrase in t]
        if elsewhere:
            multi += 1
            print(f"note line {i}: '{phrase}' also in {len(elsewhere)} other doc(s): {', '.join(elsewhere)}")
    print(
        f"{len(rows)} questions, {len(rows) - failures} ok, {failures} failed, "
        f"{multi} key phrases also occur in other docs; {len(docs)} corpus docs"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
