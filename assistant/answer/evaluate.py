"""Question-set evaluation of the answering engine (`assistant eval ask`).

Every question goes through `Assistant.ask(question, history)`, the entry point all front ends use, and is
scored by pure functions on the returned `Answer`. The question files are TSV with the columns
`id, kind, question, history, expect, note` (tests/eval/ask/questions.tsv, split into dev.tsv and heldout.tsv
by tests/eval/ask/split.py; expected figures re-derived by expected.py); `history` holds earlier user turns
separated by " || ".

`expect` is a list of items separated by ";", all of which must hold; an item may offer alternatives
separated by "|", any one of which suffices. Text is compared after normalising: NFKC (full-width digits
and ％), whitespace removed, thousands separators removed, and every decimal written without trailing zeros,
so 236.7 matches 236.70 and 1,098.6 matches 1098.60. A number in an expected item never matches inside a
longer number ("第1" does not match "第13", "5个" does not match "0.5个").

Metrics, per file and per kind:

- 数字精确 (figure, weekly, followup): every expected item occurs in `answer.answer`. A value question with an
  empty `expect` is one the data does not answer (a field the ledger leaves blank, a snapshot never imported): it
  is scored as 如实拒答, like a cannot question.
- 有来源 (figure, weekly, followup): `answer.figures` has at least one figure with a value, and every figure
  with a value carries provenance naming a table and at least one row.
- 关键事实 (policy, define): the key fact (a verbatim span of a corpus document, or one of its alternatives)
  occurs in `answer.answer`.
- 引用精确率 (policy, define): of all citations given for these questions, the share whose passage comes from
  a document whose full text contains the key fact (any alternative). Micro-averaged over citations;
  questions answered without citations add nothing to it and are counted as 无引用.
- 如实拒答 (cannot): the answer says it cannot answer or has no data (see `CANNOT`), `answer.figures` holds no
  figure with a value (a 无数据 figure is allowed) and the text prints no number (dates, ordinals and 文号 are
  not numbers, as in the number checker).
- 处理得当 (bad_input): with an expected phrase, every item occurs in the answer; with an empty `expect`, the
  answer has no figure with a value and prints no number. In both cases no number may be untraced.
- 未溯源数字: the total of `answer.flagged_numbers` (numbers the engine's checker could not trace).
- 延迟 p50 / p95: wall time of `ask`, nearest-rank percentiles; one untimed warm-up question runs first.
"""

from __future__ import annotations

import csv
import math
import re
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.answer.numbers import find_numbers
from assistant.errors import AssistantError

if TYPE_CHECKING:
    from assistant.answer.engine import Assistant
    from assistant.answer.types import Answer, Citation
    from assistant.tools.types import Figure

KINDS: dict[str, str] = {
    "figure": "数据题", "weekly": "台账题", "followup": "追问题", "policy": "政策题", "define": "释义题",
    "cannot": "拒答题", "bad_input": "坏输入",
}
VALUE_KINDS = ("figure", "weekly", "followup")
FACT_KINDS = ("policy", "define")
COLUMNS = ("id", "kind", "question", "history", "expect", "note")
HISTORY_SEPARATOR = " || "
DEFAULT_FILES = (Path("tests/eval/ask/dev.tsv"), Path("tests/eval/ask/heldout.tsv"))
PART_LABELS = {"dev": "开发集", "heldout": "留出集"}


def part_label(part: str) -> str:
    """开发集 / 留出集, or “gov 留出集” for a corpus's part (gov_heldout)."""
    prefix, _, last = part.rpartition("_")
    return PART_LABELS.get(part) or (f"{prefix} {PART_LABELS[last]}" if prefix and last in PART_LABELS else part)

CANNOT = re.compile(
    r"无法(?:回答|提供|查询|确定|判断|找到|获取|识别|作答)|不能(?:回答|提供|确定|作答)|"
    r"没有(?:找到|查到|检索到|相关|这方面|该项|此项|名为)|未(?:找到|查到|检索到|收录|导入|掌握|涉及)|找不到|查不到|"
    r"无数据|暂无|无相关|无符合条件|不掌握|尚未导入|超出.{0,10}范围|不在.{0,10}(?:范围|知识库|数据库)|"
    r"没有.{0,12}(?:数据|信息|资料|记录|内容|项目|活动|企业)"
)


# ── pure scoring ───────────────────────────────────────────────────────────────────────────────

@dataclass(frozen=True)
class AskQuestion:
    id: str
    kind: str
    question: str
    history: list[str]
    expect: str
    note: str = ""


def _canonical_number(match: re.Match[str]) -> str:
    digits = match.group(0)
    return digits.rstrip("0").rstrip(".") if "." in digits else digits


def normalise(text: str) -> str:
    """NFKC, no whitespace, no thousands separators, decimals without trailing zeros."""
    text = unicodedata.normalize("NFKC", text).replace("\u2212", "-")
    text = re.sub(r"\s+", "", text)
    text = re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "", text)
    return re.sub(r"\d+(?:\.\d+)?", _canonical_number, text)


def contains(text: str, expected: str) -> bool:
    """`expected` occurs in `text` after normalising both; numbers match whole numbers only."""
    needle = normalise(expected)
    if not needle:
        return True
    pattern = re.escape(needle)
    if needle[0].isdigit():
        pattern = r"(?<![\d.])" + pattern
    if needle[-1].isdigit():
        pattern += r"(?!\d|\.\d)"
    return re.search(pattern, normalise(text)) is not None


def expected_items(expect: str) -> list[list[str]]:
    """"a|b;c" → [["a", "b"], ["c"]]: every item must hold, any alternative of an item suffices."""
    return [[alt.strip() for alt in item.split("|") if alt.strip()] for item in expect.split(";") if item.strip()]


def all_present(text: str, expect: str) -> bool:
    items = expected_items(expect)
    return bool(items) and all(any(contains(text, alt) for alt in alts) for alts in items)


def key_fact_in(text: str, expect: str) -> bool:
    return any(contains(text, alt) for alt in expect.split("|") if alt.strip())


def says_cannot(text: str) -> bool:
    return CANNOT.search(normalise(text)) is not None


def prints_number(text: str) -> bool:
    return bool(find_numbers(text))


def valued_figures(answer: Answer) -> list[Figure]:
    return [f for f in answer.figures if f.value is not None]


def has_provenance(answer: Answer) -> bool:
    valued = valued_figures(answer)
    return bool(valued) and all(f.provenance.table and f.provenance.row_ids for f in valued)


@dataclass
class QuestionScore:
    id: str
    kind: str
    part: str
    question: str
    ok: bool
    exact: bool | None = None
    provenance: bool | None = None
    key_fact: bool | None = None
    citations: int = 0
    precise_citations: int = 0
    honest: bool | None = None
    handled: bool | None = None
    flagged: list[str] = field(default_factory=list)
    latency_ms: float = 0.0
    error: str | None = None
    answer: str = ""


def score(q: AskQuestion, answer: Answer, part: str = "", latency_ms: float = 0.0,
          document_text: Callable[[Citation], str] | None = None) -> QuestionScore:
    """Score one answer. `document_text` gives the full text of a citation's document (default: its passage)."""
    text = answer.answer
    s = QuestionScore(q.id, q.kind, part, q.question, ok=False, flagged=list(answer.flagged_numbers),
                      latency_ms=latency_ms, answer=text)
    if q.kind in VALUE_KINDS and q.expect.strip():
        s.exact = all_present(text, q.expect)
        s.provenance = has_provenance(answer)
        s.ok = s.exact
    elif q.kind in FACT_KINDS:
        s.key_fact = key_fact_in(text, q.expect)
        doc_of = document_text or (lambda c: c.passage)
        s.citations = len(answer.citations)
        s.precise_citations = sum(1 for c in answer.citations if key_fact_in(doc_of(c), q.expect))
        s.ok = s.key_fact
    elif q.kind in ("cannot", *VALUE_KINDS):
        s.honest = says_cannot(text) and not valued_figures(answer) and not prints_number(text)
        s.ok = s.honest
    elif q.kind == "bad_input":
        shown = (all_present(text, q.expect) if q.expect.strip()
                 else not valued_figures(answer) and not prints_number(text))
        s.handled = shown and not answer.flagged_numbers
        s.ok = s.handled
    return s


def percentile(values: Sequence[float], q: float) -> float | None:
    """Nearest-rank percentile (q in 0..1)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


@dataclass
class Ratio:
    hit: int = 0
    n: int = 0

    @property
    def share(self) -> float | None:
        return self.hit / self.n if self.n else None

    def as_dict(self) -> dict[str, float | int | None]:
        return {"hit": self.hit, "n": self.n, "share": None if self.share is None else round(self.share, 4)}


def summarise(scores: Sequence[QuestionScore]) -> dict[str, object]:
    """Metrics over a set of scored questions (one file, or one kind within a file)."""
    def ratio(pred: Callable[[QuestionScore], bool | None]) -> Ratio:
        vals = [v for s in scores if (v := pred(s)) is not None]
        return Ratio(sum(1 for v in vals if v), len(vals))

    facts = [s for s in scores if s.kind in FACT_KINDS]
    latencies = [s.latency_ms for s in scores if s.error is None]
    return {
        "n": len(scores),
        "passed": ratio(lambda s: s.ok if s.error is None else False).as_dict(),
        "exact": ratio(lambda s: s.exact).as_dict(),
        "provenance": ratio(lambda s: s.provenance).as_dict(),
        "key_fact": ratio(lambda s: s.key_fact).as_dict(),
        "citation_precision": Ratio(sum(s.precise_citations for s in facts), sum(s.citations for s in facts)).as_dict(),
        "uncited": sum(1 for s in facts if s.citations == 0),
        "honest_cannot": ratio(lambda s: s.honest).as_dict(),
        "bad_input_handled": ratio(lambda s: s.handled).as_dict(),
        "untraced_numbers": sum(len(s.flagged) for s in scores),
        "questions_with_untraced": sum(1 for s in scores if s.flagged),
        "errors": sum(1 for s in scores if s.error),
        "p50_ms": _round(percentile(latencies, 0.5)),
        "p95_ms": _round(percentile(latencies, 0.95)),
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


# ── reading question files ─────────────────────────────────────────────────────────────────────

def read_questions(path: Path) -> list[AskQuestion]:
    """Read one TSV question file; errors name the file, row and field."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.reader(fh, delimiter="\t"))
    except (OSError, UnicodeDecodeError) as exc:
        raise AssistantError(f"无法读取评测文件“{path}”：{exc}") from exc
    if not rows or [c.strip() for c in rows[0][: len(COLUMNS)]] != list(COLUMNS):
        raise AssistantError(f"评测文件“{path.name}”第 1 行应为表头：{'、'.join(COLUMNS)}（制表符分隔）")
    questions: list[AskQuestion] = []
    seen: set[str] = set()
    for number, row in enumerate(rows[1:], start=2):
        if not row or not "".join(row).strip():
            continue
        cells = (row + [""] * len(COLUMNS))[: len(COLUMNS)]
        qid, kind, question, history, expect, note = (c.strip() for c in cells)
        where = f"评测文件“{path.name}”第 {number} 行"
        if not qid or qid in seen:
            raise AssistantError(f"{where}：id“{qid}”为空或重复")
        if kind not in KINDS:
            raise AssistantError(f"{where}：kind“{kind}”无效，应为 {'、'.join(KINDS)} 之一")
        if kind in FACT_KINDS and not expect:
            raise AssistantError(f"{where}：kind 为 {kind} 的题目必须填写 expect")
        seen.add(qid)
        turns = [t.strip() for t in history.split(HISTORY_SEPARATOR.strip()) if t.strip()] if history else []
        questions.append(AskQuestion(qid, kind, question, turns, expect, note))
    if not questions:
        raise AssistantError(f"评测文件“{path.name}”中没有题目")
    return questions


# ── running ────────────────────────────────────────────────────────────────────────────────────

@dataclass
class AskReport:
    parts: list[str]
    scores: list[QuestionScore]

    def summary(self) -> dict[str, object]:
        out: dict[str, object] = {}
        for part in self.parts:
            mine = [s for s in self.scores if s.part == part]
            by_kind = {k: summarise([s for s in mine if s.kind == k]) for k in KINDS if any(s.kind == k for s in mine)}
            out[part] = {"overall": summarise(mine), "by_kind": by_kind}
        return out

    def as_json(self) -> dict[str, object]:
        return {"parts": self.parts, "summary": self.summary(), "questions": [asdict(s) for s in self.scores]}

    @property
    def errors(self) -> list[QuestionScore]:
        return [s for s in self.scores if s.error]


def run(assistant: Assistant, question_sets: dict[str, list[AskQuestion]],
        document_text: Callable[[str], str] | None = None,
        clock: Callable[[], float] = time.perf_counter) -> AskReport:
    """Ask every question (with its history) and score it. `question_sets` maps a part name (dev, heldout,
    or a file stem) to its questions; `document_text(doc_id)` gives a cited document's full text."""
    cache: dict[str, str] = {}

    def doc_of(citation: Citation) -> str:
        if not citation.doc_id or document_text is None:
            return citation.passage
        if citation.doc_id not in cache:
            cache[citation.doc_id] = document_text(citation.doc_id) or citation.passage
        return cache[citation.doc_id]

    first = next((qs[0] for qs in question_sets.values() if qs), None)
    if first is not None:  # warm-up: models, indexes and caches load outside the timed runs
        assistant.ask(first.question, first.history)
    scores: list[QuestionScore] = []
    for part, questions in question_sets.items():
        for q in questions:
            started = clock()
            try:
                answer = assistant.ask(q.question, q.history)
            except Exception as exc:  # noqa: BLE001 — one failing question is reported, the run goes on
                scores.append(QuestionScore(q.id, q.kind, part, q.question, ok=False,
                                            error=f"{type(exc).__name__}: {exc}"))
                continue
            elapsed = (clock() - started) * 1000
            scores.append(score(q, answer, part, elapsed, doc_of))
    return AskReport(list(question_sets), scores)


# ── rendering ──────────────────────────────────────────────────────────────────────────────────

def _cell(value: object) -> str:
    if isinstance(value, dict):
        if not value.get("n"):
            return "—"
        return f"{value['hit']}/{value['n']} {100 * float(value['share'] or 0):.1f}%"
    return "—" if value is None else str(value)


def render_table(report: AskReport) -> str:
    """Chinese table: one row per metric, one column per part (开发集 and 留出集 side by side)."""
    summary = report.summary()
    heads = [part_label(p) for p in report.parts]
    rows: list[tuple[str, list[str]]] = []

    def kind_metric(kind: str, key: str, label: str) -> None:
        cells = []
        for p in report.parts:
            by_kind = summary[p]["by_kind"]  # type: ignore[index]
            cells.append(_cell(by_kind[kind][key]) if kind in by_kind else "—")
        if any(c != "—" for c in cells):
            rows.append((f"{KINDS[kind]}（{kind}）{label}", cells))

    def overall(key: str, label: str, fmt: Callable[[object], str] = _cell) -> None:
        rows.append((label, [fmt(summary[p]["overall"][key]) for p in report.parts]))  # type: ignore[index]

    rows.append(("题数", [str(summary[p]["overall"]["n"]) for p in report.parts]))  # type: ignore[index]
    overall("passed", "全部 通过率")
    for kind in VALUE_KINDS:
        kind_metric(kind, "exact", "数字精确")
        kind_metric(kind, "provenance", "有来源")
        kind_metric(kind, "honest_cannot", "数据里没有的如实拒答")
    for kind in FACT_KINDS:
        kind_metric(kind, "key_fact", "关键事实在回答中")
        kind_metric(kind, "citation_precision", "引用精确率")
        kind_metric(kind, "uncited", "无引用题数")
    kind_metric("cannot", "honest_cannot", "如实拒答")
    kind_metric("bad_input", "bad_input_handled", "处理得当")
    overall("untraced_numbers", "未溯源数字（个）")
    overall("questions_with_untraced", "含未溯源数字的题数")
    rows.append(("延迟 p50 / p95（毫秒）", [
        f"{summary[p]['overall']['p50_ms']} / {summary[p]['overall']['p95_ms']}" for p in report.parts]))  # type: ignore[index]
    overall("errors", "出错题数")

    label_width = max(_width(label) for label, _ in rows) + 2
    col_width = max([_width(h) for h in heads] + [_width(c) for _, cells in rows for c in cells]) + 2
    lines = [_pad("指标", label_width) + "".join(_pad(h, col_width) for h in heads)]
    lines += [_pad(label, label_width) + "".join(_pad(c, col_width) for c in cells) for label, cells in rows]
    lines.append("通过 = 数据/台账/追问题数字全部精确（预期为空的，即数据里没有的，如实拒答），政策/释义题关键事实在回答中，拒答题如实拒答，"
                 "坏输入处理得当。")
    return "\n".join(lines)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def misses(report: AskReport) -> list[str]:
    """One line per development question that did not pass, for `--misses`. Held-out misses are only counted:
    reading them would be tuning on them."""
    out, held_out = [], 0
    for s in report.scores:
        if s.ok and not s.flagged:
            continue
        if s.part.rpartition("_")[2] == "heldout":
            held_out += 1
            continue
        reason = s.error or ("未溯源数字：" + "、".join(s.flagged) if s.ok else "未通过")
        out.append(f"[{part_label(s.part)}] {s.id} {s.kind} {s.question} → {reason}｜"
                   f"{s.answer[:120].replace(chr(10), ' ')}")
    if held_out:
        out.append(f"（留出集另有 {held_out} 题未通过或含未溯源数字，不逐题列出：看了就等于在留出集上调参）")
    return out
