"""Choose the fusion weights (assistant/index/fusion.py FusionWeights) on the development question sets ONLY.

For every development question of every corpus in tests/eval/retrieval.yaml, the knowledge base's candidates
(each retriever's top 50, each scored by both retrievers, with the reranking signals) are computed once; then
each setting of the grid ranks them with fusion.fuse and is scored like `assistant eval retrieval` (a hit is a
passage of the right file containing the answer, at most 600 characters). Held-out files are never opened.

Objective, fixed before the sweep: the mean over the corpora of (hit@1 + MRR) / 2, each corpus counting once,
so the 36-question demo set weighs as much as the larger real sets. Ties go to the simpler setting (fewer
non-zero weights), then to the grid's order.

    .venv/bin/python bench/fusion_sweep.py [--cache /tmp/zs-eval] [--corpus demo ...] [--synonyms sweep|on|off]
                                           [--out bench/results/fusion_sweep.txt]

The evaluation indexes are those of `assistant eval retrieval` (built there on first use).
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import sys
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.config import get_settings  # noqa: E402
from assistant.index.evaluate import (  # noqa: E402
    MAX_PASSAGE,
    EvalQuestion,
    normalise,
    open_index,
    read_questions,
    read_suites,
)
from assistant.index.fusion import Candidates, FusionWeights, fuse  # noqa: E402
from assistant.index.kb import FUSION  # noqa: E402

K = 5


@dataclass
class Case:
    question: EvalQuestion
    candidates: Candidates
    hits: set[str]  # candidate chunk ids that count as a hit


def load_cases(cache: Path, suites_file: Path, only: list[str]) -> dict[str, list[Case]]:
    settings = get_settings()
    out: dict[str, list[Case]] = {}
    for suite in read_suites(suites_file, only):
        if "dev" not in suite.parts:
            continue
        kb = open_index(suite, settings, cache, say=lambda m: print(m, file=sys.stderr))
        try:
            names = {d.doc_id: d.file_name for d in kb.manifest.documents()}
            cases = []
            for q in read_questions(suite.parts["dev"], suite.alternatives):  # development part only
                found = kb.candidates(q.question)
                if found is None:
                    continue
                snapshot, cands = found
                answer = normalise(q.answer)
                stems = {Path(f).stem for f in q.files}
                hits = set()
                for cid in cands.chunk_ids:
                    row = snapshot.chunks[cid]
                    name = names.get(row.doc_id, "")
                    if (name in q.files or Path(name).stem in stems) and len(row.text) <= MAX_PASSAGE \
                            and answer in normalise(row.text):
                        hits.add(cid)
                cases.append(Case(q, cands, hits))
            out[suite.name] = cases
        finally:
            kb.close()
    return out


def score(cases: list[Case], w: FusionWeights) -> tuple[float, float, float]:
    h1 = h5 = rr = 0.0
    for case in cases:
        for rank, (cid, _) in enumerate(fuse(case.candidates, w)[:K], start=1):
            if cid in case.hits:
                h1 += rank == 1
                h5 += 1
                rr += 1 / rank
                break
    n = max(1, len(cases))
    return h1 / n, h5 / n, rr / n


def objective(metrics: dict[str, tuple[float, float, float]]) -> float:
    return float(np.mean([(h1 + mrr) / 2 for h1, _, mrr in metrics.values()]))


def grid(synonyms_values: tuple[bool, ...] = (True, False)) -> list[FusionWeights]:
    """Stage 1: the fusion itself (normalisation and BM25 share, synonyms on/off) with the reranking signals
    at a middle setting and off; stage 2 (in main) varies the signals around the best fusion."""
    out = []
    for normalise_, bm25, synonyms in itertools.product(("minmax", "max", "zscore"),
                                                        (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8), synonyms_values):
        base = FusionWeights(bm25=bm25, normalise=normalise_, synonyms=synonyms)  # type: ignore[arg-type]
        out.append(base)
        scale = 1.0 if normalise_ == "zscore" else 0.2
        out.append(replace(base, coverage=0.5 * scale, period=0.5 * scale, place=0.5 * scale,
                           place_conflict=0.5 * scale, place_passage=0.25 * scale))
    return out


def signals_grid(best: FusionWeights) -> list[FusionWeights]:
    scale = 1.0 if best.normalise == "zscore" else 0.2
    steps = [0.0, 0.25 * scale, 0.5 * scale, 1.0 * scale, 2.0 * scale]
    out = []
    for coverage, period, place, conflict, passage in itertools.product(
            steps, [0.0, 0.5 * scale], steps, steps, [0.0, 0.25 * scale, 0.5 * scale]):
        out.append(replace(best, coverage=coverage, period=period, place=place, place_conflict=conflict,
                           place_passage=passage))
    return out


def nonzero(w: FusionWeights) -> int:
    return sum(1 for v in (w.coverage, w.period, w.place, w.place_conflict, w.place_passage, w.identifier, w.title, w.year,
                                 w.time_match, w.time_conflict, w.answer_type, w.figure, w.proximity) if v)


def sweep(cases: dict[str, list[Case]], settings: list[FusionWeights]
          ) -> list[tuple[float, FusionWeights, dict[str, tuple[float, float, float]]]]:
    rows = []
    for w in settings:
        metrics = {name: score(c, w) for name, c in cases.items()}
        rows.append((objective(metrics), w, metrics))
    order = sorted(range(len(rows)), key=lambda i: (-round(rows[i][0], 9), nonzero(rows[i][1]), i))
    return [rows[i] for i in order]


def line(obj: float, w: FusionWeights, metrics: dict[str, tuple[float, float, float]]) -> str:
    cells = "  ".join(f"{name} {h1:.3f}/{h5:.3f}/{mrr:.3f}" for name, (h1, h5, mrr) in metrics.items())
    return (f"{obj:.4f}  {w.normalise:<6} bm25={w.bm25:.2f} syn={int(w.synonyms)} cov={w.coverage:g} "
            f"period={w.period:g} place={w.place:g} conflict={w.place_conflict:g} passage={w.place_passage:g} "
            f"ident={w.identifier:g} title={w.title:g} year={w.year:g} time+={w.time_match:g} time-={w.time_conflict:g} "
            f"atype={w.answer_type:g}  figure={w.figure:g}  prox={w.proximity:g}  "
            f"{cells}")


def time_stage(cases: dict[str, list[Case]], chosen: FusionWeights) -> tuple[list[str], FusionWeights]:
    """Stage 2e: the passage is about the time asked (timescope.py), or about another; the year signal on or off."""
    scale = 1.0 if chosen.normalise == "zscore" else 0.2
    steps = [v * scale for v in (0.0, 0.1, 0.2, 0.4, 0.8, 1.6)]
    rows = sweep(cases, [replace(chosen, year=year, time_match=match, time_conflict=conflict)
                         for year in dict.fromkeys((chosen.year, 0.0)) for match in steps for conflict in steps])
    lines = ["", "## stage 2e: time signals (match, conflict) with the chosen signals, the year signal on or off"]
    return lines + [line(*row) for row in rows[:25]], rows[0][1]


def one_weight_stage(cases: dict[str, list[Case]], chosen: FusionWeights, name: str, title: str,
                     multiples: tuple[float, ...] = (0.0, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0)
                     ) -> tuple[list[str], FusionWeights]:
    """One signal's weight swept alone (multiples of the normalisation's scale), every other weight as `chosen`."""
    scale = 1.0 if chosen.normalise == "zscore" else 0.2
    rows = sweep(cases, [replace(chosen, **{name: v * scale}) for v in multiples])  # type: ignore[arg-type]
    return ["", f"## {title} with the chosen signals"] + [line(*row) for row in rows], rows[0][1]


def answer_type_stage(cases: dict[str, list[Case]], chosen: FusionWeights) -> tuple[list[str], FusionWeights]:
    """Stage 2f: the question asks for a date, a time limit, a definition or a place in an order and the passage
    states one (answertype.py)."""
    return one_weight_stage(cases, chosen, "answer_type", "stage 2f: answer-type signal (a kind of answer asked and stated)",
                            (0.0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0))


def figure_stage(cases: dict[str, list[Case]], chosen: FusionWeights) -> tuple[list[str], FusionWeights]:
    """Stage 2h: an amount asked and the question's words in a clause stating a figure (answertype.figure_coverage)."""
    return one_weight_stage(cases, chosen, "figure",
                            "stage 2h: figure signal (an amount asked; the question's words in a clause stating a figure)")


def proximity_stage(cases: dict[str, list[Case]], chosen: FusionWeights) -> tuple[list[str], FusionWeights]:
    """Stage 2i: the question's neighbouring word pairs written close together in the passage (kb.word_pairs)."""
    return one_weight_stage(cases, chosen, "proximity",
                            "stage 2i: proximity signal (the question's neighbouring words written together)")


def places_stage(cases: dict[str, list[Case]], chosen: FusionWeights) -> tuple[list[str], FusionWeights]:
    """Stage 2g: the place signals alone (the document is of the jurisdiction asked, of another only, the passage
    names it) with every other weight as chosen."""
    scale = 1.0 if chosen.normalise == "zscore" else 0.2
    steps = [v * scale for v in (0.0, 0.25, 0.5, 1.0, 1.5, 2.0)]
    rows = sweep(cases, [replace(chosen, place=place, place_conflict=conflict, place_passage=passage)
                         for place in steps for conflict in steps for passage in steps[:4]])
    lines = ["", "## stage 2g: place signals (same jurisdiction, another only, passage names it) with the chosen signals"]
    return lines + [line(*row) for row in rows[:25]], rows[0][1]


JOINT_FIELDS = ("bm25", "coverage", "period", "place", "place_conflict", "place_passage", "identifier", "title", "year",
                "time_match", "time_conflict", "answer_type", "figure", "proximity")


def joint_ascent(cases: dict[str, list[Case]], start: FusionWeights, passes: int = 4
                 ) -> tuple[list[str], FusionWeights]:
    """Every weight chosen together: coordinate ascent from `start`, each weight in turn tried at multiples of
    its value and at a few absolute steps with the others held, the best kept when it beats the current
    objective (a tie keeps the current value); passes until none changes. The staged sweeps above choose one
    weight with the others fixed once; this lets a weight chosen early move after a later one is chosen."""
    current = start
    best = objective({n: score(c, current) for n, c in cases.items()})
    lines = [f"start {best:.4f}"]
    for n_pass in range(passes):
        changed = False
        for name in JOINT_FIELDS:
            value = getattr(current, name)
            trials = {round(v, 3) for v in (0.0, value * 0.5, value * 0.75, value * 1.25, value * 1.5, value * 2,
                                            0.05, 0.1, 0.2, 0.4)}
            if name == "bm25":
                trials = {round(v, 2) for v in np.arange(0.2, 0.85, 0.05)}
            for v in sorted(trials - {round(value, 3)}):
                trial = replace(current, **{name: v})  # type: ignore[arg-type]
                obj = objective({n: score(c, trial) for n, c in cases.items()})
                if obj > best + 1e-9:
                    best, current, changed = obj, trial, True
                    lines.append(f"pass {n_pass + 1}: {name}={v:g} → {obj:.4f}")
        if not changed:
            break
    metrics = {n: score(c, current) for n, c in cases.items()}
    return lines + [line(objective(metrics), current, metrics)], current


def halves(cases: dict[str, list[Case]]) -> tuple[dict[str, list[Case]], dict[str, list[Case]]]:
    """The development questions in two halves (by a stable hash of the id), to see whether tuning on one half
    improves the other before the whole development part is tuned on."""
    def side(case: Case) -> int:
        return int(hashlib.sha1(case.question.id.encode()).hexdigest(), 16) % 2

    return ({n: [c for c in cs if side(c) == 0] for n, cs in cases.items()},
            {n: [c for c in cs if side(c) == 1] for n, cs in cases.items()})


def joint_stage(cases: dict[str, list[Case]]) -> tuple[list[str], FusionWeights]:
    """Cross-check inside the development part first (tune on one half, score the other, both ways), then tune
    on the whole development part. The report shows both so a reader can see whether joint tuning carries over
    to questions it was not tuned on before it is adopted."""
    out = ["## joint coordinate ascent from kb.py's FUSION", "", "### inside the development part: tune on one half, score the other"]
    a, b = halves(cases)
    for tune, other, label in ((a, b, "A→B"), (b, a, "B→A")):
        _, tuned = joint_ascent(tune, FUSION)
        before = {n: score(c, FUSION) for n, c in other.items()}
        after = {n: score(c, tuned) for n, c in other.items()}
        out.append(f"{label} FUSION " + line(objective(before), FUSION, before))
        out.append(f"{label} tuned  " + line(objective(after), tuned, after))
    out += ["", "### the whole development part"]
    lines, chosen = joint_ascent(cases, FUSION)
    return out + lines, chosen


def ablate(cases: dict[str, list[Case]], chosen: FusionWeights) -> list[str]:
    ablations = {"chosen": chosen, "no synonyms": replace(chosen, synonyms=False),
                 "with synonyms": replace(chosen, synonyms=True),
                 "no places": replace(chosen, place=0.0, place_conflict=0.0, place_passage=0.0),
                 "no coverage/period": replace(chosen, coverage=0.0, period=0.0),
                 "no identifier": replace(chosen, identifier=0.0),
                 "no title": replace(chosen, title=0.0),
                 "no year": replace(chosen, year=0.0),
                 "no time": replace(chosen, time_match=0.0, time_conflict=0.0),
                 "no answer type": replace(chosen, answer_type=0.0),
                 "no figure": replace(chosen, figure=0.0),
                 "no proximity": replace(chosen, proximity=0.0),
                 "current FUSION in kb.py": FUSION}
    out = ["", "## ablations of the chosen setting (development questions)"]
    for name, w in ablations.items():
        metrics = {n: score(c, w) for n, c in cases.items()}
        out.append(f"{name:<24} " + line(objective(metrics), w, metrics))
    return out


def finish(report: list[str], cases: dict[str, list[Case]], chosen: FusionWeights, started: float, out: Path) -> None:
    """The ablations of the chosen setting and the setting itself after a stage's lines; written to `out` and printed."""
    report = report + ablate(cases, chosen) + ["", "## chosen", json.dumps(asdict(chosen), ensure_ascii=False),
                                               f"# {time.perf_counter() - started:.0f} s"]
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(report) + "\n", encoding="utf-8")
    print("\n".join(report))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/zs-eval"))
    parser.add_argument("--suites", type=Path, default=ROOT / "tests/eval/retrieval.yaml")
    parser.add_argument("--out", type=Path, default=ROOT / "bench/results/fusion_sweep.txt")
    parser.add_argument("--corpus", action="append", default=[], help="only these corpora (default: all)")
    parser.add_argument("--synonyms", choices=("sweep", "on", "off"), default="sweep",
                        help="hold synonym expansion on or off instead of sweeping it (when the development parts "
                             "at hand do not exercise it)")
    parser.add_argument("--time-only", action="store_true",
                        help="keep kb.py's FUSION and choose only the time signals (stage 2e): for development parts "
                             "other than those the other weights were chosen on")
    parser.add_argument("--places-only", action="store_true",
                        help="keep kb.py's FUSION and choose only the place weights (stage 2g)")
    parser.add_argument("--figure-only", action="store_true",
                        help="keep kb.py's FUSION and choose only the figure weight (stage 2h)")
    parser.add_argument("--joint", action="store_true",
                        help="start from kb.py's FUSION and choose every weight together (coordinate ascent), after "
                             "a two-half check inside the development part")
    parser.add_argument("--proximity-only", action="store_true",
                        help="keep kb.py's FUSION and choose only the proximity weight (stage 2i)")
    parser.add_argument("--answer-type-only", action="store_true",
                        help="keep kb.py's FUSION and choose only the answer-type weight (stage 2f)")
    args = parser.parse_args()
    synonyms_values = {"sweep": (True, False), "on": (True,), "off": (False,)}[args.synonyms]
    started = time.perf_counter()
    cases = load_cases(args.cache, args.suites, args.corpus)
    counts = ", ".join(f"{name} {len(c)}" for name, c in cases.items())
    report = [f"# fusion sweep on development questions only ({counts}); metrics per corpus: hit@1/hit@5/MRR",
              "# objective = mean over corpora of (hit@1 + MRR) / 2", f"# synonyms: {args.synonyms}", ""]
    # one signal swept alone, the other weights as kb.py's FUSION has them
    single = (("proximity-only", proximity_stage, replace(FUSION, proximity=0.0)) if args.proximity_only else
              ("answer-type-only", answer_type_stage, replace(FUSION, answer_type=0.0)) if args.answer_type_only else
              ("figure-only", figure_stage, replace(FUSION, figure=0.0)) if args.figure_only else
              ("places-only", places_stage, FUSION) if args.places_only else
              ("time-only", time_stage, replace(FUSION, time_match=0.0, time_conflict=0.0)) if args.time_only else None)
    if args.joint:
        lines, chosen = joint_stage(cases)
        finish(report + lines, cases, chosen, started, args.out)
        return
    if single:
        label, stage, base = single
        report.append(f"# {label}: the other weights are kb.py's FUSION {json.dumps(asdict(FUSION), ensure_ascii=False)}")
        lines, chosen = stage(cases, base)
        finish(report + lines, cases, chosen, started, args.out)
        return
    stage1 = sweep(cases, grid(synonyms_values))
    report.append("## stage 1: normalisation, BM25 share, synonyms (signals off, or at a middle setting)")
    report += [line(*row) for row in stage1[:25]]
    best = stage1[0][1]
    stage2 = sweep(cases, signals_grid(best))
    report += ["", f"## stage 2: reranking signals around {best.normalise} bm25={best.bm25} syn={best.synonyms}"]
    report += [line(*row) for row in stage2[:25]]
    chosen = stage2[0][1]
    # stage 2b: the identifier signal (文号, numbered items, codes the question quotes) with the chosen signals
    scale = 1.0 if chosen.normalise == "zscore" else 0.2
    stage2b = sweep(cases, [replace(chosen, identifier=v * scale) for v in (0.0, 0.25, 0.5, 1.0, 2.0)])
    report += ["", "## stage 2b: identifier signal with the chosen signals"]
    report += [line(*row) for row in stage2b]
    chosen = stage2b[0][1]
    # stage 2c: the question names the document by its title
    stage2c = sweep(cases, [replace(chosen, title=v * scale) for v in (0.0, 0.25, 0.5, 1.0, 2.0)])
    report += ["", "## stage 2c: title signal with the chosen signals"]
    report += [line(*row) for row in stage2c]
    chosen = stage2c[0][1]
    # stage 2d: the passage speaks of the year the question asks about
    stage2d = sweep(cases, [replace(chosen, year=v * scale) for v in (0.0, 0.05, 0.1, 0.2, 0.4)])
    report += ["", "## stage 2d: year signal with the chosen signals"]
    report += [line(*row) for row in stage2d]
    chosen = stage2d[0][1]
    lines, chosen = time_stage(cases, chosen)
    report += lines
    lines, chosen = answer_type_stage(cases, chosen)
    report += lines
    lines, chosen = figure_stage(cases, chosen)
    report += lines
    lines, chosen = proximity_stage(cases, chosen)
    report += lines
    # stage 3: the BM25 share again, with the chosen signals
    stage3 = sweep(cases, [replace(chosen, bm25=b) for b in np.round(np.arange(0.1, 0.95, 0.05), 2)])
    report += ["", "## stage 3: BM25 share with the chosen signals"]
    report += [line(*row) for row in stage3]
    chosen = stage3[0][1]
    report += ablate(cases, chosen)
    report += ["", "## chosen", json.dumps(asdict(chosen), ensure_ascii=False),
               f"# {time.perf_counter() - started:.0f} s"]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(report) + "\n", encoding="utf-8")
    print("\n".join(report))


if __name__ == "__main__":
    main()
