"""Drafting review: 10 reply letters (tests/eval/drafting/proposals.yaml, 5 suggestions each) and 4 quarterly
reports, scored paragraph by paragraph as an office director would read them.

Usage:
  python bench/drafting_review.py --data-dir DIR [--set dev|heldout|both] [--code CHECKOUT] [--json OUT] [--show]
  python bench/drafting_review.py --seeds /work/shared/seeds [--sample 40]

The drafts are made by the code in CHECKOUT (default: this checkout) in a subprocess, through the public
library API both old and new code have (ReplyRequest/draft_reply, ReportRequest/draft_report), over the data
directory DIR (the demo corpus ingested, the demo database imported); they are scored by this checkout.
So `--code /tmp/before` (a `git worktree add` of an older commit) gives the figures before a change.

Rubric — a content paragraph (a body paragraph under 一/二/三, not the fixed opening and closing formulas)
is one a reviewer keeps unchanged when all of these hold:
  1. it is not a 【待补充】 placeholder (someone must write it);
  2. every sentence it quotes reads (assistant/drafting/sentences.py) as the answering body's own deed — an
     action under 办理情况, a plan or action under 下一步, its own statement of a difficulty under 问题 — and
     is not a compliment, another body's criticism, a heading, boilerplate or a period statistic;
  3. every document it cites was written by the answering body (or its city government), not another body
     or another city, and is dated on or before the draft's date;
  4. no relative time word (今年、上半年、去年…) of a document from another year is left as it was written;
  5. no sentence of it appears elsewhere in the draft, nor one saying the same in nearly the same words (three
     quarters of the shorter one's character pairs in the other: one measure described by two documents, a
     figure stated twice);
  6. no number in it differs from the database (check_consistency, as of the draft's own data period; the
     ledger's problems as of that period's end);
  7. a measure quoted for a suggestion — done under 办理情况, or planned under 下一步 (whose paragraphs answer the
     suggestions in order) — contains one of the reviewer's keywords for that suggestion (written by hand in
     proposals.yaml);
  8. its figures are for a period that had ended by the draft's date.
Two parts: dev (tests/eval/drafting/proposals.yaml, used while the classifier and the matching were written) and
heldout (proposals_heldout.yaml: 5 proposals and 2 monthly reports written afterwards, never used to change
them); --set both prints them side by side. A heading of 工作成效 / 主要工作 counts as 办理情况 (the 两段式 form).

Counted across all drafts: paragraphs kept / content paragraphs; compliments, criticism, and other bodies'
or the proposer's words quoted as measures (target 0); anachronisms — a cited document dated after the draft, a relative time word
left from another year, figures of a period not yet ended on the draft's date, problems counted that were
raised after the period (target 0); numbers differing from the database (target 0); placeholders.

--seeds reads every sentence of the documents in a folder with the classifier and prints the counts by kind,
and a random sample (to the console only: the documents are not copied anywhere) for a person to judge.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.config import Settings  # noqa: E402
from assistant.corpus.sentences import SENTENCE  # noqa: E402
from assistant.db.periods import parse_period  # noqa: E402
from assistant.db.session import FigureStore  # noqa: E402
from assistant.drafting import Draft, check_consistency  # noqa: E402
from assistant.drafting.check import as_document, is_statistic  # noqa: E402
from assistant.drafting.sentences import (  # noqa: E402
    RELATIVE,
    Reading,
    document_author,
    document_date,
    read_sentence,
)
from assistant.index.kb import KnowledgeBase  # noqa: E402

SETS = {"dev": ROOT / "tests" / "eval" / "drafting" / "proposals.yaml",
        "heldout": ROOT / "tests" / "eval" / "drafting" / "proposals_heldout.yaml"}
OFFICE = "安康市招商和经济合作局"
FIXED = re.compile(r"^(?:您在|我局高度重视|您提出的意见建议|经认真研究)")

# Runs inside the checkout under review (its own `assistant` package): drafts → JSON on stdout.
GENERATE = r'''
import json, sys, time, yaml
from datetime import date
from assistant.config import Settings
from assistant.index.kb import KnowledgeBase
from assistant.db.session import FigureStore
from assistant.drafting import ReplyRequest, ReportRequest, draft_reply, draft_report
spec = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
settings = Settings()
kb = KnowledgeBase(settings)
store = FigureStore.open(settings.db_url)
out = []
for p in spec["proposals"]:
    t = time.perf_counter()
    request = ReplyRequest(number=p["number"], title=p["title"], proposer=p["proposer"], session=p.get("session", ""),
                           suggestions=[s["text"] for s in p["suggestions"]], category=p.get("category", "A"),
                           date=p["date"])
    draft = draft_reply(request, kb, store, today=p["date"])
    out.append({"kind": "reply", "key": p["number"], "date": str(p["date"]), "seconds": time.perf_counter() - t,
                "draft": json.loads(draft.model_dump_json())})
for r in spec["reports"]:
    t = time.perf_counter()
    draft = draft_report(ReportRequest(period=r["period"], date=r["date"]), kb, store, today=r["date"])
    out.append({"kind": "report", "key": r["period"], "date": str(r["date"]), "seconds": time.perf_counter() - t,
                "draft": json.loads(draft.model_dump_json())})
print(json.dumps(out, ensure_ascii=False))
'''


def generate(code: Path, data_dir: Path, proposals: Path) -> list[dict[str, Any]]:
    env = dict(os.environ, PYTHONPATH=str(code), ASSISTANT_DATA_DIR=str(data_dir))
    result = subprocess.run([sys.executable, "-c", GENERATE, str(proposals)], cwd=code, env=env,
                            capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"起草失败（{code}）：{result.stderr[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def section_of(draft: Draft) -> list[str]:
    """For each paragraph: done / problems / next / other (by the heading it follows)."""
    where, out = "other", []
    for p in draft.paragraphs:
        if p.kind == "heading1":
            where = ("next" if "下一步" in p.text else "problems" if "问题" in p.text
                     else "done" if re.search("办理情况|工作进展|工作成效|主要工作", p.text) else "other")
            out.append("heading")
            continue
        out.append(where if p.kind == "body" else "other")
    return out


class Reviewer:
    def __init__(self, kb: KnowledgeBase, store: FigureStore) -> None:
        self.kb, self.store = kb, store
        self.docs = {d.doc_id: d for d in kb.manifest.documents()}

    def author(self, doc_id: str) -> str:
        d = self.docs.get(doc_id)
        if d is None:
            return "other"
        return document_author(str(d.meta.get("office", "")), str(d.meta.get("title", "")),
                               str(d.meta.get("genre", "")), OFFICE, d.file_name)

    def written(self, doc_id: str) -> date | None:
        d = self.docs.get(doc_id)
        return document_date(str(d.meta.get("date", "")), d.file_name) if d else None

    def review(self, item: dict[str, Any], keywords: list[list[str]]) -> dict[str, Any]:
        draft = Draft.model_validate(item["draft"])
        day = date.fromisoformat(item["date"])
        sections = section_of(draft)
        checks = check_consistency(draft.text(), self.store, draft.period) if draft.period else []
        bad_numbers = [c for c in checks if c.status == "mismatch"]
        sentences = Counter(s.strip() for p in draft.paragraphs if p.kind == "body" and not p.placeholder
                            for s in re.findall(r"[^。；]+[。；]", p.text) if "【" not in s)
        counts: Counter[str] = Counter()
        future_data = bool(draft.period and parse_period(draft.period).end > day)
        counts["anachronism"] += int(future_data)
        suggestion = planned = 0
        rows = []
        for p, where in zip(draft.paragraphs, sections, strict=True):
            if where not in ("done", "problems", "next") or not p.full_text or FIXED.match(p.text):
                continue
            if where == "done" and draft.kind == "reply" and p.lead.startswith("（"):
                suggestion += 1
            if where == "next" and draft.kind == "reply":
                planned += 1  # 三、下一步 answers the suggestions in order, one 一是…/二是… paragraph each
            faults: list[str] = []
            counts["paragraphs"] += 1
            if p.placeholder:
                faults.append("待补充")
                counts["placeholders"] += 1
            for c in p.citations:
                author = self.author(c.doc_id)
                when = self.written(c.doc_id)
                if when is not None and when > day:
                    faults.append(f"引用成文后的文件《{c.title}》")
                    counts["anachronism"] += 1
                if author == "other":
                    faults.append(f"引用其他机关的文件《{c.title}》")
                    counts["other_body"] += 1
                for m in SENTENCE.finditer(c.quote):
                    sentence = m.group(0).strip()
                    if not sentence:
                        continue
                    reading = read_sentence(sentence, author, is_statistic, c.section)  # type: ignore[arg-type]
                    if reading.kind == "compliment":
                        faults.append(f"称赞：{sentence[:24]}")
                        counts["compliment"] += 1
                    elif reading.kind == "criticism" and where != "problems":
                        faults.append(f"批评（{reading.actor}）：{sentence[:24]}")
                        counts["criticism"] += 1
                    elif reading.actor in ("other", "proposer"):
                        faults.append(f"其他机关或提案人的话（{reading.kind}）：{sentence[:24]}")
                        counts["others_words"] += 1
                    elif not _fits(where, reading):
                        faults.append(f"不是措施（{reading.kind}）：{sentence[:24]}")
                if when is not None and when.year != day.year and RELATIVE.search(p.text):
                    faults.append("时间词未改写")
                    counts["anachronism"] += 1
            if future_data and p.figures:
                faults.append("数据期间晚于成文日期")
            for s in re.findall(r"[^。；]+[。；]", p.text):
                twin = sentences[s.strip()] > 1 or any(_alike(s, t) for t in sentences if t not in p.text)
                if not p.placeholder and twin:
                    faults.append(f"句子重复：{s[:20]}")
                    counts["repeated"] += 1
                    break
            wrong = [c for c in bad_numbers if c.context and c.context.strip() and c.context.strip() in p.full_text]
            if wrong:
                faults.append("数字与数据库不一致：" + "、".join(c.text for c in wrong))
            answering = suggestion if where == "done" else planned if where == "next" else 0
            if (draft.kind == "reply" and p.citations and 0 < answering <= len(keywords)
                    and not any(k in p.text for k in keywords[answering - 1])):
                faults.append("措施与建议不对应")
                counts["off_topic"] += 1
            counts["kept"] += int(not faults)
            rows.append({"where": where, "text": p.full_text[:60], "faults": faults})
        counts["bad_numbers"] += len(bad_numbers)
        return {"kind": item["kind"], "key": item["key"], "counts": dict(counts), "paragraphs": rows,
                "seconds": round(item["seconds"], 1), "warnings": draft.warnings}


def _bigrams(text: str) -> set[str]:
    text = re.sub(r"[^\u4e00-\u9fa5A-Za-z0-9.%]", "", text)
    return {text[i:i + 2] for i in range(len(text) - 1)}


def _alike(a: str, b: str) -> bool:
    """Two sentences that say the same thing in nearly the same words (two documents describing one measure,
    a figure stated twice): three quarters of the shorter one's character pairs are in the other."""
    x, y = _bigrams(a), _bigrams(b)
    return min(len(x), len(y)) >= 10 and len(x & y) >= 0.75 * min(len(x), len(y))


def _fits(where: str, reading: Reading) -> bool:
    if where == "done":
        return reading.is_done_measure
    if where == "next":
        return reading.is_next_measure
    return reading.is_own_problem


def review_all(code: Path, data_dir: Path, show: bool, drafts: Path | None = None,
               proposals: Path = SETS["dev"]) -> dict[str, Any]:
    spec = yaml.safe_load(proposals.read_text(encoding="utf-8"))
    keywords = {p["number"]: [s["keywords"] for s in p["suggestions"]] for p in spec["proposals"]}
    started = time.perf_counter()
    items = json.loads(drafts.read_text(encoding="utf-8"))["items"] if drafts else generate(code, data_dir, proposals)
    settings = Settings(data_dir=data_dir)
    kb, store = KnowledgeBase(settings), FigureStore.open(settings.db_url)
    reviewer = Reviewer(kb, store)
    reviews = [reviewer.review(item, keywords.get(item["key"], [])) for item in items]
    total: Counter[str] = Counter()
    for r in reviews:
        total.update(r["counts"])
        total.update({f"{r['kind']}_{key}": r["counts"].get(key, 0) for key in ("kept", "paragraphs")})
        if show:
            print(f"== {r['key']}（{r['seconds']} 秒）")
            for row in r["paragraphs"]:
                print(f"  [{'留' if not row['faults'] else '改'}] {row['where']:8} {row['text']}")
                for fault in row["faults"]:
                    print(f"        - {fault}")
    summary = {
        "code": str(code), "drafts": len(reviews), "seconds": round(time.perf_counter() - started, 1),
        "paragraphs": total["paragraphs"], "kept": total["kept"],
        "kept_share": round(total["kept"] / total["paragraphs"], 3) if total["paragraphs"] else 0.0,
        "kept_letters": f"{total['reply_kept']}/{total['reply_paragraphs']}",
        "kept_reports": f"{total['report_kept']}/{total['report_paragraphs']}",
        "compliments_as_measures": total["compliment"], "criticism_as_measures": total["criticism"],
        "other_bodies_or_proposers_words_as_measures": total["others_words"],
        "other_body_documents_cited": total["other_body"], "anachronisms": total["anachronism"],
        "numbers_differing_from_database": total["bad_numbers"], "repeated_sentences": total["repeated"],
        "off_topic_measures": total["off_topic"], "placeholders": total["placeholders"],
    }
    return {"summary": summary, "drafts": reviews, "items": items}


def seeds(folder: Path, sample: int) -> None:
    counts: Counter[str] = Counter()
    rows: list[tuple[str, str, str]] = []
    for path in sorted(folder.glob("*.txt")):
        text = path.read_text(encoding="utf-8", errors="replace")
        head = text[:400]
        author = "answering" if OFFICE in head else document_author(
            next((ln.strip(" #") for ln in head.splitlines() if ln.strip().endswith("局文件")), ""), "", "", OFFICE)
        if "调研组" in head or "各位委员" in head or "——访" in text[:600]:
            author = "other"
        section = ""
        document = as_document(text)  # the same cleanup as ingest: wrapped lines joined, page numbers dropped
        for para in document.paras:
            line = document.para_text(para)
            if para.kind.startswith("table"):
                continue
            if re.match(r"^\s*#*\s*[一二三四五六七八九十]+、", line):
                section = line.strip(" #")
            for m in SENTENCE.finditer(line):
                s = m.group(0).strip()
                if len(s) < 6:
                    continue
                reading = read_sentence(s, author, is_statistic, section)  # type: ignore[arg-type]
                counts[f"{path.name[:3]} {author} {reading.actor}/{reading.kind}"] += 1
                rows.append((path.name[:3], f"{reading.actor}/{reading.kind}", s))
    for key, n in sorted(counts.items()):
        print(f"{key:40} {n}")
    random.seed(17)
    for doc, label, s in random.sample(rows, min(sample, len(rows))):
        print(f"{doc} {label:22} {s[:100]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, help="已入库演示语料并导入演示数据库的数据目录")
    parser.add_argument("--code", type=Path, default=ROOT, help="起草所用的代码目录（默认本仓库）")
    parser.add_argument("--set", choices=["dev", "heldout", "both"], default="dev", help="评审开发集、留出集或两者并排")
    parser.add_argument("--json", type=Path, help="把结果写入此 JSON 文件")
    parser.add_argument("--show", action="store_true", help="逐段列出评审结果")
    parser.add_argument("--drafts", type=Path, help="不重新起草：重新评审此前 --json 保存的草稿")
    parser.add_argument("--seeds", type=Path, help="只做句子分类：读取此目录下的 .txt 文件")
    parser.add_argument("--sample", type=int, default=40)
    args = parser.parse_args()
    if args.seeds:
        seeds(args.seeds, args.sample)
        return
    if args.data_dir is None:
        parser.error("请用 --data-dir 指定数据目录（演示语料已入库、演示数据库已导入）")
    names = ["dev", "heldout"] if args.set == "both" else [args.set]
    results = {name: review_all(args.code.resolve(), args.data_dir.resolve(), args.show,
                                args.drafts if len(names) == 1 else None, SETS[name]) for name in names}
    summaries = {name: r["summary"] for name, r in results.items()}
    if len(names) == 1:
        print(json.dumps(summaries[names[0]], ensure_ascii=False, indent=2))
    else:
        print(f"{'':44} {'开发集':>12} {'留出集':>12}")
        for key in summaries["dev"]:
            if key != "code":
                print(f"{key:44} {summaries['dev'][key]!s:>12} {summaries['heldout'][key]!s:>12}")
    if args.json:
        data = results[names[0]] if len(names) == 1 else results
        args.json.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
