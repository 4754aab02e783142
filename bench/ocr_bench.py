"""OCR on generated 公文 scans: character accuracy, speed, and whether a scanned copy answers like its original.

Usage: python bench/ocr_bench.py [--dpi 200] [--docs N] [--skip-answers] [--before]
       python bench/ocr_bench.py --long 500      (only: a 500-page scan through `assistant ingest`, timed)

1. Character accuracy (1 − CER, edit distance over characters, whitespace ignored) and speed on pages rendered as
   scans at --dpi (CJK font, red 版头, red seal over the signature, speckles, blur, a slight skew;
   tests/kb/scans.py), each read by corpus/ocr.read_page with one inference thread; pages/s/core = pages ÷ CPU
   seconds of this process. Two parts side by side: development (the OCR settings were chosen on it: the first
   pages of two demo documents, a two-column page, a table page) and held-out (the third document, and two other
   demo documents printed in a Song typeface). --before reads every page also with the settings before
   (BEFORE), interleaved page by page with the current ones, for a before/after in one run.
2. A scanned copy answers like its original: the demo corpus is ingested twice into temporary data directories,
   once as it is and once with the chosen .txt documents replaced by image-only PDFs of their scans (read by the
   PDF loader's OCR, as a user's upload would be). The tests/eval/dev.tsv questions for those documents are
   searched in both; a question is answered when a top-5 passage from its document contains the answer span
   (whitespace removed, passage ≤ 600 characters, as assistant/index/evaluate.py counts a hit).
Targets (issue 16): accuracy ≥ 97% at 200 dpi; ≥ 1 page/s/core or say what it is and why; report the share.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import sys
import tempfile
import time
from contextlib import nullcontext
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from assistant.config import Settings  # noqa: E402
from assistant.corpus import ocr  # noqa: E402
from assistant.corpus.loaders import decode_text  # noqa: E402
from assistant.index.ingest import ingest  # noqa: E402
from assistant.index.kb import KnowledgeBase  # noqa: E402
from tests.kb.scans import (  # noqa: E402
    Layout,
    ScanPage,
    document_lines,
    render_document,
    save_pdf,
    song_font_path,
    typeface,
)

DOCS = (
    "2024-01_工作总结_2023年全市招商引资工作总结.txt",
    "2023-04_工作报告_2023年一季度全市招商引资工作情况.txt",
    "2023-03_政策_关于建立招商项目信息共享机制的实施办法.txt",
)
PAGES_PER_DOC = 2  # for the accuracy and speed pass; the answer pass reads every page
MAX_PASSAGE = 600
SPACE = re.compile(r"\s+")


def edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def scans_of(name: str, dpi: int, seed: int) -> list[ScanPage]:
    path = ROOT / "corpus" / name
    masthead, number, title, body, signature, footer = document_lines(decode_text(path.read_bytes(), path)[0])
    layout = Layout(dpi=dpi, masthead=f"{masthead}文件" if masthead and not masthead.endswith("文件") else masthead,
                    doc_number=number, seed=seed)
    return render_document(body, layout, title=title, signature=signature, footer=footer)


HELDOUT_DOCS = (  # not looked at while choosing the OCR settings; printed in a Song typeface when installed
    "2023-07_答复函_市政协五届二次会议第205号提案.txt",
    "2023-09_访谈_市招商和经济合作局局长周立衡谈产业链招商.txt",
)
BEFORE = {"detect_side": 1280, "rec_batch": 6, "unclip_ratio": 1.6, "rec_height": 48}  # the settings until 2026-12


def development_pages(dpi: int) -> list[tuple[str, ScanPage]]:
    """What the OCR settings were chosen on: the first pages of two demo documents, a two-column page and a
    ruled table page, in the default sans-serif (WenQuanYi Micro Hei)."""
    pages: list[tuple[str, ScanPage]] = []
    for k, name in enumerate(DOCS[:2]):
        pages += [(f"{name} 第{n}页", p) for n, p in enumerate(scans_of(name, dpi, seed=k)[:PAGES_PER_DOC], 1)]
    lines = (ROOT / "corpus" / DOCS[0]).read_text("utf-8").split("\n")
    paragraphs = [line for line in lines if len(line) > 30][:14]
    two = render_document(paragraphs, Layout(dpi=dpi, two_columns=True, seed=21), title="招商工作简报（两栏）")
    table = [["县区", "内资（亿元）", "同比增长", "完成进度"]] + [
        [county, f"{30 + 7.3 * i:.2f}", f"{4.1 + 1.7 * i:.2f}%", f"{48.2 + 3.1 * i:.1f}%"]
        for i, county in enumerate(["汉滨区", "汉阴县", "石泉县", "宁陕县", "紫阳县", "岚皋县", "平利县", "镇坪县"])
    ]
    tab = render_document(paragraphs[:2], Layout(dpi=dpi, seed=22), title="一季度各县区指标完成情况", table=table)
    return pages + [("两栏简报", two[0]), ("表格", tab[0])]


def heldout_pages(dpi: int) -> tuple[list[tuple[str, ScanPage]], str]:
    """Pages not used while choosing: the third document's first pages in the default font, and two other demo
    documents (a reply letter, an interview) in AR PL UMing, a Song face like the 仿宋/宋体 of real 公文."""
    name = DOCS[2]
    pages = [(f"{name} 第{n}页", p) for n, p in enumerate(scans_of(name, dpi, seed=2)[:PAGES_PER_DOC], 1)]
    song = song_font_path()
    with typeface(song) if song else nullcontext():
        for k, other in enumerate(HELDOUT_DOCS):
            pages += [(f"{other} 第{n}页", p) for n, p in enumerate(scans_of(other, dpi, seed=30 + k)[:PAGES_PER_DOC], 1)]
    return pages, Path(song).name if song else "（未安装明体，仍用默认字体）"


def accuracy_pass(parts: dict[str, list[tuple[str, ScanPage]]], engines: dict[str, ocr.OcrEngine]) -> dict[str, object]:
    """Each page read by each engine in turn (the order rotating from page to page, so that the other work on
    the machine weighs on all of them alike); character accuracy and CPU seconds per page, per part."""
    first = next(iter(parts.values()))[0][1].image
    for engine in engines.values():
        engine.read(np.asarray(first.convert("RGB"))[:300, :600])  # the first inference sets up the sessions
    names = list(engines)
    out: dict[str, object] = {}
    for part, pages in parts.items():
        stats = {name: {"cpu": 0.0, "wall": 0.0, "errors": 0, "chars": 0, "rows": []} for name in names}
        for k, (label, page) in enumerate(pages):
            truth = SPACE.sub("", page.text)
            for name in names[k % len(names):] + names[: k % len(names)]:
                cpu, wall = time.process_time(), time.perf_counter()
                read = ocr.read_page(page.image, 1, label, engine=engines[name])
                row = stats[name]
                row["cpu"] += time.process_time() - cpu  # type: ignore[operator]
                row["wall"] += time.perf_counter() - wall  # type: ignore[operator]
                distance = edit_distance(truth, SPACE.sub("", read.text))
                row["errors"] += distance  # type: ignore[operator]
                row["chars"] += len(truth)  # type: ignore[operator]
                row["rows"].append({"page": label, "chars": len(truth), "errors": distance,  # type: ignore[attr-defined]
                                    "confidence": round(read.confidence, 3), "warning": read.warning})
        out[part] = {
            name: {
                "pages": len(pages), "chars": row["chars"], "char_errors": row["errors"],
                "char_accuracy": round(1 - row["errors"] / row["chars"], 4),  # type: ignore[operator]
                "pages_per_cpu_second": round(len(pages) / row["cpu"], 3),  # type: ignore[operator]
                "cpu_seconds_per_page": round(row["cpu"] / len(pages), 2),  # type: ignore[operator]
                "wall_seconds_per_page": round(row["wall"] / len(pages), 2),  # type: ignore[operator]
                "per_page": row["rows"],
            }
            for name, row in stats.items()
        }
    return out


def answered(kb: KnowledgeBase, question: str, file_name: str, answer: str, k: int = 5) -> bool:
    want = SPACE.sub("", answer)
    return any(h.extra.get("file_name") == file_name and want in SPACE.sub("", h.text) and len(h.text) <= MAX_PASSAGE
               for h in kb.search(question, k=k))


def answer_pass(docs: tuple[str, ...], dpi: int) -> dict[str, object]:
    questions = [row for row in csv.DictReader((ROOT / "tests/eval/dev.tsv").open(encoding="utf-8"), delimiter="\t")
                 if row["expected_doc"] in docs]
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        text_dir, scan_dir = base / "text", base / "scan"
        text_dir.mkdir()
        scan_dir.mkdir()
        scanned_names: dict[str, str] = {}
        pages_total = 0
        for source in sorted((ROOT / "corpus").iterdir()):
            if not source.is_file() or source.name == "README.md":
                continue
            (text_dir / source.name).write_bytes(source.read_bytes())
            if source.name in docs:
                scans = scans_of(source.name, dpi, seed=docs.index(source.name))
                pages_total += len(scans)
                pdf = scan_dir / (Path(source.name).stem + "（扫描件）.pdf")
                save_pdf(scans, pdf, dpi)
                scanned_names[source.name] = pdf.name
            else:
                (scan_dir / source.name).write_bytes(source.read_bytes())
        seconds: dict[str, float] = {}
        confidence: dict[str, str] = {}
        results: dict[str, list[bool]] = {}
        for label, folder in (("text", text_dir), ("scan", scan_dir)):
            kb = KnowledgeBase(Settings(data_dir=base / f"data-{label}"))
            try:
                started = time.perf_counter()
                report = ingest(kb, [folder])
                seconds[label] = round(time.perf_counter() - started, 1)
                if report.failed or report.warnings:
                    print(report.summary(), file=sys.stderr)
                if label == "scan":
                    for record in kb.manifest.documents():
                        if record.meta.get("ocr_pages"):
                            confidence[record.file_name] = record.meta.get("ocr_confidence", "")
                results[label] = [
                    answered(kb, q["question"], q["expected_doc"] if label == "text" else scanned_names[q["expected_doc"]],
                             q["key_phrase"])
                    for q in questions
                ]
            finally:
                kb.close()
    both = sum(t and s for t, s in zip(results["text"], results["scan"], strict=True))
    differ = [{"question": q["question"], "text": t, "scan": s}
              for q, t, s in zip(questions, results["text"], results["scan"], strict=True) if t != s]
    n = len(questions)
    return {
        "documents": list(docs), "scanned_pages": pages_total, "questions": n,
        "answered_text": sum(results["text"]), "answered_scan": sum(results["scan"]), "answered_both": both,
        "share_scan_of_text": round(sum(results["scan"]) / max(sum(results["text"]), 1), 3),
        "share_both": round(both / n, 3) if n else 0.0,
        "ingest_seconds": seconds, "ocr_confidence": confidence, "differ": differ,
    }


def long_scan_pass(pages: int, dpi: int) -> dict[str, object]:
    """A long scan through `assistant ingest` in a process of its own, its stderr a log: an image-only PDF of
    `pages` A4 pages (the demo documents' 16 scanned pages, repeated), with ASSISTANT_MAX_OCR_PAGES raised to fit; wall
    and CPU seconds of the process, pages per second, and how many progress lines the log got."""
    import resource
    import subprocess

    unique = [page for k, name in enumerate(DOCS) for page in scans_of(name, dpi, seed=k)]
    scans = [unique[n % len(unique)] for n in range(pages)]  # the same page objects again: memory stays small
    with tempfile.TemporaryDirectory() as tmp:
        pdf = save_pdf(scans, Path(tmp) / f"{pages}页扫描件.pdf", dpi)
        env = {**os.environ, "ASSISTANT_DATA_DIR": str(Path(tmp) / "data"), "ASSISTANT_MAX_OCR_PAGES": str(pages),
               "ASSISTANT_MAX_FILE_MB": "2000", "PYTHONPATH": str(ROOT)}
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "assistant.cli", "ingest", str(pdf)], env=env,
                              capture_output=True, text=True)
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    log = [line for line in done.stderr.splitlines() if line.startswith("文字识别")]
    return {"pages": pages, "exit_code": done.returncode, "wall_seconds": round(wall, 1), "cpu_seconds": round(cpu, 1),
            "pages_per_second_wall": round(pages / wall, 3), "pages_per_cpu_second": round(pages / cpu, 3),
            "progress_lines": len(log), "last_line": log[-1] if log else "", "summary": done.stdout.strip()[:300]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dpi", type=int, default=200)
    parser.add_argument("--docs", type=int, default=len(DOCS), help="how many of the demo documents (1–3) to scan for the answer pass")
    parser.add_argument("--skip-answers", action="store_true", help="only the accuracy and speed pass")
    parser.add_argument("--before", action="store_true", help="also read every page with the settings before (BEFORE)")
    parser.add_argument("--long", type=int, metavar="PAGES", help="only: ingest a scan of this many pages through the CLI")
    args = parser.parse_args()
    if args.long:
        print(json.dumps({"load_average": os.getloadavg(), "long_scan": long_scan_pass(args.long, args.dpi)},
                         ensure_ascii=False, indent=1))
        return
    docs = DOCS[: max(1, min(args.docs, len(DOCS)))]
    engines: dict[str, ocr.OcrEngine] = {"now": ocr.default_engine()}
    if args.before:
        engines["before"] = ocr.RapidOcrEngine(**BEFORE)  # type: ignore[arg-type]
    heldout, face = heldout_pages(args.dpi)
    result: dict[str, object] = {
        "engine": ocr.default_engine().name, "load_average": os.getloadavg(), "heldout_typeface": face,
        "accuracy": accuracy_pass({"development": development_pages(args.dpi), "heldout": heldout}, engines),
    }
    summary = {part: {name: {k: v for k, v in stats.items() if k != "per_page"} for name, stats in by_engine.items()}
               for part, by_engine in result["accuracy"].items()}  # type: ignore[attr-defined]
    print(json.dumps(summary, ensure_ascii=False), flush=True)
    if not args.skip_answers:
        result["answers"] = answer_pass(docs, args.dpi)
    print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
