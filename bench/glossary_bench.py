"""Terms learned from a corpus: recall of expected terms in the top N, and precision of the top 20 as judged.

Usage: python bench/glossary_bench.py dev|heldout [--show 40]
  dev      /work/shared/seeds/ (every file), expected terms in bench/glossary/dev_seeds.txt
  heldout  the four realdocs files named in bench/glossary/heldout_realdocs.txt, expected terms there

Documents go through the ingest pipeline's own `prepare` (loader, cleanup, metadata), then the glossary's
mining and ranking, exactly as an ingest refreshes the glossary; only the embedding is skipped.
Judgements of the top 20 are read from bench/glossary/judged_<set>.tsv (term, 1 or 0, reason); a term not
judged yet is listed so that it can be judged by reading its sentence. Rubric: 1 when the entry is a real term
of the corpus (a coinage, slogan, named mechanism, campaign or defined abbreviation a newcomer would need
explained) and its sentence is about that term; 0 for a fragment, an ordinary phrase or a figure of speech.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from assistant.index.ingest import file_hash, prepare
from assistant.onboarding.terms import merge, mine_document

HERE = Path(__file__).resolve().parent / "glossary"
SEEDS = Path("/work/shared/seeds")
REALDOCS = Path("/work/shared/realdocs/gov")


def expected(name: str) -> tuple[list[str], list[str]]:
    """(expected terms, documents named in `# documents:` comment lines)."""
    terms, files = [], []
    in_docs = False
    for line in (HERE / name).read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            if "documents:" in line:
                in_docs = True
                files += line.split("documents:", 1)[1].split()
            elif in_docs and line[1:].strip():
                files += line[1:].split()
            continue
        in_docs = False
        if line.strip():
            terms.append(line.strip())
    return terms, files


def judged(name: str) -> dict[str, int]:
    path = HERE / f"judged_{name}.tsv"
    if not path.exists():
        return {}
    marks = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) >= 2 and parts[1] in ("0", "1"):
            marks[parts[0]] = int(parts[1])
    return marks


def main() -> None:
    which = sys.argv[1] if len(sys.argv) > 1 else "dev"
    show = int(sys.argv[sys.argv.index("--show") + 1]) if "--show" in sys.argv else 20
    if which == "dev":
        wanted, _ = expected("dev_seeds.txt")
        files = sorted(SEEDS.iterdir())
    else:
        wanted, names = expected("heldout_realdocs.txt")
        files = [REALDOCS / n for n in names]
    texts = [prepare(f, file_hash(f), 400, 50 << 20).text for f in files]
    t0 = time.perf_counter()
    ranked = merge([mine_document(t) for t in texts], texts)
    seconds = time.perf_counter() - t0
    names = [t.term for t in ranked]
    print(f"{which}: {len(files)} documents, {sum(map(len, texts))} characters, {len(ranked)} terms learned "
          f"in {seconds:.2f} s")
    for n in (20, 50, len(ranked)):
        hits = [w for w in wanted if w in names[:n]]
        print(f"  recall@{n}: {len(hits)}/{len(wanted)} = {len(hits) / len(wanted):.0%}")
    print("  missing:", "、".join(w for w in wanted if w not in names) or "—")
    marks = judged(which)
    top = ranked[:20]
    scored = [marks[t.term] for t in top if t.term in marks]
    print(f"  precision@20 (judged {len(scored)}/{len(top)}): {sum(scored)}/{len(scored) or 1}"
          f" = {sum(scored) / (len(scored) or 1):.0%}")
    for i, t in enumerate(ranked[:show], 1):
        text = texts[t.doc_index][t.evidence.start : t.evidence.end]
        mark = marks.get(t.term, "?")
        print(f"  {i:>2} [{mark}] {t.term}  docs={t.documents} mentions={t.mentions} s={t.evidence.strength}  {text[:70]}")


if __name__ == "__main__":
    main()
