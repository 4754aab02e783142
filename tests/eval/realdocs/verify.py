"""Check the realdocs question sets and print counts.

For gov.tsv, gov_dev.tsv, gov_heldout.tsv, cmrc_dev.tsv and cmrc_heldout.tsv:
  * every answer occurs in the text of its file after whitespace normalisation
    (all whitespace removed on both sides);
  * gov answers are at most 40 characters; the report says how many other gov
    documents also contain each answer (should be none);
  * dev and held-out are disjoint, together equal the full set, and every row
    sits in the part that split.part_of() assigns to its id.

Text extraction: .docx with python-docx when it is importable, else from
word/document.xml with zipfile; .txt/.md as UTF-8, else GB18030.

Usage: python3 tests/eval/realdocs/verify.py [--realdocs /work/shared/realdocs]
Exit status 1 when any check fails.
"""

from __future__ import annotations

import argparse
import sys
import zipfile
from collections import Counter
from pathlib import Path
from xml.etree import ElementTree

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from split import HEADER, norm, part_of, read_tsv  # noqa: E402

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TYPES = {"rep": "report figures/targets", "reg": "regulation articles", "cnf": "cross-jurisdiction confusables"}


def docx_text(path: Path) -> str:
    try:
        from docx import Document
    except ImportError:
        Document = None
    if Document is not None:
        doc = Document(str(path))
        parts = [p.text for p in doc.paragraphs]
        for table in doc.tables:
            for row in table.rows:
                parts.append("  ".join(cell.text for cell in row.cells))
        return "\n".join(parts)
    with zipfile.ZipFile(path) as zf:
        root = ElementTree.fromstring(zf.read("word/document.xml"))
    paras = []
    for p in root.iter(f"{W}p"):
        paras.append("".join(t.text or "" for t in p.iter(f"{W}t")))
    return "\n".join(paras)


def read_text(path: Path) -> str:
    if path.suffix == ".docx":
        return docx_text(path)
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("gb18030")


def load_dir(directory: Path) -> dict[str, str]:
    return {
        p.name: norm(read_text(p))
        for p in sorted(directory.iterdir())
        if p.is_file() and p.suffix in {".txt", ".md", ".docx"}
    }


def load_set(name: str, errors: list[str]) -> list[list[str]]:
    path = HERE / name
    if not path.exists():
        errors.append(f"{name}: missing (run split.py)")
        return []
    table = read_tsv(path)
    if table[0] != HEADER:
        errors.append(f"{name}: header {table[0]} != {HEADER}")
    for row in table[1:]:
        if len(row) != 4:
            errors.append(f"{name}: {row[0]} has {len(row)} columns")
    return [r for r in table[1:] if len(r) == 4]


def check_answers(name: str, rows: list[list[str]], texts: dict[str, str], errors: list[str],
                  max_len: int | None = None) -> Counter:
    shared = Counter()
    for item_id, _question, fname, answer in rows:
        if fname not in texts:
            errors.append(f"{name}: {item_id} file not in corpus: {fname}")
            continue
        needle = norm(answer)
        if not needle or needle not in texts[fname]:
            errors.append(f"{name}: {item_id} answer not in {fname}: {answer}")
        if max_len is not None and len(answer) > max_len:
            errors.append(f"{name}: {item_id} answer longer than {max_len} chars")
        others = sum(1 for f, t in texts.items() if f != fname and needle in t)
        shared[min(others, 2)] += 1
    return shared


def check_split(prefix: str, full: list[list[str]], dev: list[list[str]], held: list[list[str]],
                errors: list[str]) -> None:
    ids_dev, ids_held = {r[0] for r in dev}, {r[0] for r in held}
    if ids_dev & ids_held:
        errors.append(f"{prefix}: {len(ids_dev & ids_held)} ids in both dev and heldout")
    if full and {r[0] for r in full} != ids_dev | ids_held:
        errors.append(f"{prefix}: dev + heldout differ from the full set")
    for part, rows in (("dev", dev), ("heldout", held)):
        wrong = [r[0] for r in rows if part_of(r[0]) != part]
        if wrong:
            errors.append(f"{prefix}_{part}: {len(wrong)} rows in the wrong part, e.g. {wrong[0]}")
    if full:
        by_id = {r[0]: r for r in full}
        for r in dev + held:
            if r[0] in by_id and by_id[r[0]] != r:
                errors.append(f"{prefix}: {r[0]} differs from the full set")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--realdocs", default="/work/shared/realdocs", type=Path)
    args = ap.parse_args()
    errors: list[str] = []

    gov_texts = load_dir(args.realdocs / "gov")
    cmrc_texts = load_dir(args.realdocs / "cmrc")

    gov = load_set("gov.tsv", errors)
    gdev, ghel = load_set("gov_dev.tsv", errors), load_set("gov_heldout.tsv", errors)
    shared = check_answers("gov.tsv", gov, gov_texts, errors, max_len=40)
    check_answers("gov_dev.tsv", gdev, gov_texts, errors, max_len=40)
    check_answers("gov_heldout.tsv", ghel, gov_texts, errors, max_len=40)
    check_split("gov", gov, gdev, ghel, errors)

    cdev, chel = load_set("cmrc_dev.tsv", errors), load_set("cmrc_heldout.tsv", errors)
    check_answers("cmrc_dev.tsv", cdev, cmrc_texts, errors)
    check_answers("cmrc_heldout.tsv", chel, cmrc_texts, errors)
    check_split("cmrc", [], cdev, chel, errors)

    def kind(item_id: str) -> str:
        return item_id.split("-")[1]

    print(f"gov.tsv: {len(gov)} questions over {len({r[2] for r in gov})} of {len(gov_texts)} documents")
    print(f"  {'type':<42}{'all':>5}{'dev':>5}{'held':>6}")
    for t, label in TYPES.items():
        a = sum(kind(r[0]) == t for r in gov)
        d = sum(kind(r[0]) == t for r in gdev)
        h = sum(kind(r[0]) == t for r in ghel)
        print(f"  {t + ' (' + label + ')':<42}{a:>5}{d:>5}{h:>6}")
    print(f"  {'total':<42}{len(gov):>5}{len(gdev):>5}{len(ghel):>6}")
    reports = Counter(r[2] for r in gov if r[2].startswith("report_"))
    print(f"  report questions per province: min {min(reports.values(), default=0)}, "
          f"max {max(reports.values(), default=0)}, provinces {len(reports)}")
    print(f"  answers also found in other gov documents: none {shared[0]}, one {shared[1]}, two+ {shared[2]}")
    print(f"cmrc: dev {len(cdev)}, heldout {len(chel)}, total {len(cdev) + len(chel)}")
    amb = HERE / "cmrc_ambiguity.tsv"
    if amb.exists():
        print(f"  answers found in more than one article: {len(read_tsv(amb)) - 1}")

    for e in errors:
        print("ERROR", e)
    print("OK" if not errors else f"{len(errors)} errors")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
