"""Consistency check: every figure in a draft, compared with the database.

The text goes through the same cleanup as ingested documents, so pasted text, .txt (UTF-8 or GBK),
.docx and .pdf are read alike and tables come back as rows with their headers. Prose numbers are read
by claims.py; table cells by their column header (内资/外资 group, 绝对值/同比/目标/进度/排名) and the
region in the row's first cell. A figure whose meaning is clear and whose database value differs is a
mismatch and carries the database value and its source; a figure that is not a database statistic, or
one the database has no data for, is not_found with the reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from assistant.answer.understand import Vocabulary
from assistant.corpus.cleanup import CleanDocument, Para, clean
from assistant.corpus.loaders import RawBlock, RawDocument, RawTable, load_file
from assistant.db.errors import UnitMismatch
from assistant.db.periods import Period, parse_period
from assistant.db.reference import CITY_NAME
from assistant.db.session import FigureStore
from assistant.db.units import convert, round2, to_decimal
from assistant.db.vocab import find_metric, resolve_metric
from assistant.tools import (
    EventList,
    IndicatorResult,
    ProblemList,
    ProjectStats,
    get_indicator,
    list_events,
    project_stats,
)
from assistant.tools.types import Provenance, format_value

from .claims import MONEY, Claim, Mention, claims_in, mentions, regions_in, sentence_period
from .facts import attempt, problems_as_of
from .sources import SOURCES_HEADING
from .types import FigureCheck

FIELD_LABELS: dict[str, str] = {
    "value": "数值", "yoy": "同比", "target": "年度目标", "completion": "完成进度", "rank": "完成进度排名",
    "schedule": "序时进度", "gap": "与序时进度相差（百分点）", "signed_count": "新签约项目数",
    "started_count": "已开工项目数", "start_rate": "开工率", "funds_rate": "资金到位率", "fulfilment_rate": "履约率",
    "project_total": "签约项目总投资", "funds_arrived": "项目到位资金", "ge5": "5亿元以上项目数",
    "ge10": "10亿元以上项目数", "large_share": "5亿元以上项目占比", "key_chain_share": "重点产业链项目占比",
    "event_count": "招商活动场次", "event_amount": "招商活动签约金额", "event_contracts": "招商活动签约项目数",
    "open_problems": "未解决问题数",
}
PROJECT_FIELDS: dict[str, tuple[str, str]] = {  # field → (ProjectStats attribute, unit)
    "signed_count": ("signed_count", "个"), "started_count": ("started_count", "个"), "start_rate": ("start_rate_pct", "%"),
    "funds_rate": ("funds_rate_pct", "%"), "fulfilment_rate": ("fulfilment_rate_pct", "%"),
    "project_total": ("total_investment_yi_yuan", "亿元"), "funds_arrived": ("funds_arrived_yi_yuan", "亿元"),
    "ge5": ("count_ge_5_yi", "个"), "ge10": ("count_ge_10_yi", "个"), "key_chain_share": ("key_chain_share_pct", "%"),
}
INDICATOR_FIELDS = ("value", "yoy", "target", "completion", "rank", "schedule", "gap")
EVENT_FIELDS: dict[str, tuple[str, str]] = {
    "event_count": ("event_count", "场"), "event_amount": ("amount_total_yi_yuan", "亿元"),
    "event_contracts": ("contracts_total", "个"),
}
NO_FIELD = "不是数据库中的统计数（如目标值、门槛值、措施中的数量），或未能判断对应的指标，请人工核对"


@dataclass
class DbFigure:
    value: float | None
    unit: str
    label: str
    provenance: Provenance | None


class Lookup:
    """Tool results for the claims of one check, each fetched once."""

    def __init__(self, store: FigureStore) -> None:
        self.store = store
        self._indicators: dict[tuple[str, str, str], IndicatorResult | None] = {}
        self._projects: dict[tuple[str | None, str], ProjectStats | None] = {}
        self._events: dict[str, EventList | None] = {}
        self._problems: dict[tuple[str | None, str], ProblemList | None] = {}

    def indicator(self, region: str, period: str, metric: str) -> IndicatorResult | None:
        key = (region, period, metric)
        if key not in self._indicators:
            self._indicators[key] = attempt(lambda: get_indicator(self.store, region, period, metric))
        return self._indicators[key]

    def projects(self, region: str | None, period: str) -> ProjectStats | None:
        if (region, period) not in self._projects:
            self._projects[(region, period)] = attempt(lambda: project_stats(self.store, period, region))
        return self._projects[(region, period)]

    def events(self, period: str) -> EventList | None:
        if period not in self._events:
            self._events[period] = attempt(lambda: list_events(self.store, period))
        return self._events[period]

    def problems(self, region: str | None, period: Period) -> ProblemList | None:
        """The problems open at the end of the period the sentence speaks of (a Q1 report counts Q1's)."""
        if (region, period.key) not in self._problems:
            self._problems[(region, period.key)] = attempt(lambda: problems_as_of(self.store, period.end, region))
        return self._problems[(region, period.key)]

    def figure(self, claim: Claim) -> DbFigure | None:
        region = claim.regions[0] if claim.regions else CITY_NAME
        scope = None if region == CITY_NAME else region
        period, name = claim.period, claim.field
        if name is None or period is None:
            return None
        where = f"{region} {period.label}"
        if name in INDICATOR_FIELDS:
            res = self.indicator(region, period.key, claim.metric) if claim.metric else None
            if res is None:
                return None
            value, unit = _indicator_value(res, name, period)
            return DbFigure(value, unit, f"{where} {claim.metric} {FIELD_LABELS[name]}", res.provenance)
        if name in PROJECT_FIELDS or name == "large_share":
            stats = self.projects(scope, period.key)
            if stats is None:
                return None
            if name == "large_share":
                total = stats.project_count
                share = round2(Decimal(stats.count_ge_5_yi) * 100 / Decimal(total)) if total else None
                value, unit = (float(share) if share is not None else None), "%"
            else:
                attr, unit = PROJECT_FIELDS[name]
                value = getattr(stats, attr)
            return DbFigure(value, unit, f"{where}签约项目 {FIELD_LABELS[name]}", stats.provenance)
        if name in EVENT_FIELDS:
            events = self.events(period.key)
            if events is None:
                return None
            attr, unit = EVENT_FIELDS[name]
            return DbFigure(getattr(events, attr), unit, f"{period.label} {FIELD_LABELS[name]}", events.provenance)
        if name == "open_problems":
            problems = self.problems(scope, period)
            if problems is None:
                return None
            return DbFigure(problems.open_count, "个", f"{region} 问题台账 {FIELD_LABELS[name]}", problems.provenance)
        return None


def _indicator_value(res: IndicatorResult, name: str, period: Period) -> tuple[float | None, str]:
    schedule = round2(period.schedule_pct)
    if name == "schedule":
        return float(schedule), "%"
    if name == "gap":
        if res.completion_pct is None:
            return None, "个百分点"
        return float(abs(schedule - to_decimal(res.completion_pct))), "个百分点"
    value = {"value": res.value, "target": res.annual_target, "yoy": res.yoy_pct, "completion": res.completion_pct,
             "rank": res.rank}[name]
    return value, {"value": res.unit, "target": res.unit, "rank": "位"}.get(name, "%")


def same(mention: Mention, db_value: float, db_unit: str) -> bool | None:
    """Whether the written number equals the database value at the precision written; None when the
    units cannot be compared (人民币 vs 美元)."""
    db = to_decimal(db_value)
    if mention.unit in MONEY and db_unit in MONEY:
        try:
            db = convert(db, db_unit, mention.unit)
        except UnitMismatch:
            return None
    quantum = Decimal(1).scaleb(-mention.decimals)
    return db.quantize(quantum, rounding=ROUND_HALF_UP) == to_decimal(mention.value)


def _verdict(mention: Mention, claim: Claim, context: str, lookup: Lookup) -> FigureCheck:
    base = {"text": mention.text, "value": mention.value, "unit": mention.unit, "start": mention.start,
            "end": mention.end, "context": context}
    if claim.field is None:
        return FigureCheck(**base, status="not_found", reason=NO_FIELD)
    db = lookup.figure(claim)
    if db is None or db.value is None:
        label = db.label if db else _claim_label(claim)
        return FigureCheck(**base, status="not_found", label=label, reason=f"数据库中没有“{label}”的数据")
    verdict = same(mention, db.value, db.unit)
    found = {"label": db.label, "db_value": db.value, "db_text": format_value(db.value, db.unit),
             "provenance": db.provenance}
    if verdict is None:
        return FigureCheck(**base, status="not_found", **found, reason="单位与数据库指标的币种不同，无法比较")
    if verdict:
        return FigureCheck(**base, status="match", **found)
    return FigureCheck(**base, status="mismatch", **found, reason=f"数据库中为 {found['db_text']}")


def _claim_label(claim: Claim) -> str:
    region = claim.regions[0] if claim.regions else CITY_NAME
    period = claim.period.label if claim.period else "（期间不明）"
    return " ".join(filter(None, [region, period, claim.metric, FIELD_LABELS.get(claim.field or "", "")]))


# -- tables ------------------------------------------------------------------------------------------

@dataclass
class Column:
    metric: str | None
    field: str | None
    unit: str


def _column(text: str, metric: str | None, first: bool) -> Column:
    unit_match = re.search(r"(亿元|万元|亿美元|万美元|美元)", text)
    unit = unit_match.group(1) if unit_match else (resolve_metric(metric).unit if metric else "")
    if first or re.fullmatch(r"\s*(地区|县区|县（市、区）|单位|名称)?\s*", text):
        return Column(None, None, "")
    if re.search(r"排名|名次|排位", text):
        return Column(metric, "rank", "位")
    if re.search(r"进度|完成率|完成比例", text):
        return Column(metric, "completion", "%")
    if re.search(r"同比|增速|增长", text):
        return Column(metric, "yoy", "%")
    if re.search(r"目标|任务", text):
        return Column(metric, "target", unit)
    return Column(metric, "value" if metric else None, unit)


VALUE_HEADER = re.compile(r"绝对值|数值|完成额|金额|本期|累计|实际")


def columns_for(header_rows: list[list[str]]) -> list[Column]:
    """Column meanings from one or two header rows. With a merged group row (内资 | 外资) shorter than the
    field row, each 绝对值/数值 column starts the next group, as in the bureau's quarterly table."""
    top = header_rows[0]
    if len(header_rows) > 1 and len(header_rows[1]) > len(top):
        groups = [(m.name, cell) for cell in top if (m := find_metric(cell))]
        columns, group = [], -1
        for i, cell in enumerate(header_rows[1]):
            if i and VALUE_HEADER.search(cell) and not re.search(r"同比|目标|进度|排名", cell):
                group += 1
            metric, group_text = groups[group] if 0 <= group < len(groups) else (None, "")
            columns.append(_column(cell + group_text, metric, i == 0))
        return columns
    texts = ["".join(cells) for cells in zip(*header_rows, strict=False)] if len(header_rows) > 1 else top
    columns, carry = [], None
    for i, text in enumerate(texts):
        found = find_metric(text)
        carry = found.name if found else carry
        columns.append(_column(text, carry, i == 0))
    return columns


def _row_region(cell: str, aliases: list[tuple[str, str]]) -> str | None:
    named = regions_in(cell.strip(), aliases)
    return named[0][1] if named else None


# -- the check ---------------------------------------------------------------------------------------

@dataclass
class DraftDocument(CleanDocument):
    """A draft read for checking, cut to its first `checked_chars` characters when it was longer (the check
    costs time in proportion to the text: a limit keeps one request from holding a CPU for a minute)."""

    total_chars: int = 0
    checked_chars: int = 0

    @property
    def cut(self) -> bool:
        return self.total_chars > self.checked_chars

    def cut_note(self) -> str:
        """What was not checked, in Chinese; empty when the whole draft was."""
        if not self.cut:
            return ""
        return (f"稿件共 {self.total_chars:,} 字，超过一致性核对的上限（{self.checked_chars:,} 字，ASSISTANT_MAX_CHECK_CHARS），"
                f"只核对了前 {self.checked_chars:,} 字，其后的数字未核对；请把稿件拆成几部分分别核对。")


def as_document(text: str, max_chars: int | None = None) -> DraftDocument:
    """Pasted text, cleaned like an ingested .txt (tables written with | or tabs come back as rows); only its
    first max_chars characters when given."""
    kept = text if max_chars is None else text[:max_chars]
    lines = kept.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    doc = clean(RawDocument(path=Path("粘贴文本.txt"), fmt="txt", blocks=[RawBlock(text=line) for line in lines]))
    return DraftDocument(doc.text, doc.paras, total_chars=len(text), checked_chars=len(kept))


def read_document(path: Path, max_bytes: int | None = None, max_chars: int | None = None) -> DraftDocument:
    """An uploaded draft (.txt/.md in UTF-8 or GBK, .docx, .pdf); LoadError names the file and the reason.
    Only the first max_chars characters of its text (paragraphs and table cells) are kept when given, before
    any cleanup."""
    raw = load_file(path, max_bytes=max_bytes)
    total = sum(_block_chars(b) for b in raw.blocks)
    kept = total
    if max_chars is not None and total > max_chars:
        raw.blocks, kept = _first_chars(raw.blocks, max_chars), max_chars
    doc = clean(raw)
    return DraftDocument(doc.text, doc.paras, total_chars=total, checked_chars=kept)


def _block_chars(block: RawBlock) -> int:
    if block.table is not None:
        return sum(len(cell) for row in block.table.rows for cell in row)
    return len(block.text)


def _first_chars(blocks: list[RawBlock], max_chars: int) -> list[RawBlock]:
    """The blocks holding the first max_chars characters; the block that crosses the limit is cut (a table
    after its last whole row)."""
    out: list[RawBlock] = []
    room = max_chars
    for block in blocks:
        size = _block_chars(block)
        if size <= room:
            out.append(block)
            room -= size
            continue
        if block.table is not None:
            rows = []
            for row in block.table.rows:
                room -= sum(len(cell) for cell in row)
                if room < 0:
                    break
                rows.append(row)
            if rows:
                out.append(RawBlock(table=RawTable(rows=rows, title=block.table.title), page=block.page))
        elif room:
            out.append(RawBlock(text=block.text[:room], page=block.page))
        break
    return out


def within_limit(doc: CleanDocument, max_chars: int) -> DraftDocument:
    """A document read without a limit, cut to the paragraphs within its first max_chars characters."""
    if isinstance(doc, DraftDocument):  # read with the limit already (counted before cleanup)
        return doc
    if len(doc.text) <= max_chars:
        return DraftDocument(doc.text, doc.paras, total_chars=len(doc.text), checked_chars=len(doc.text))
    paras = [p for p in doc.paras if p.end <= max_chars]
    return DraftDocument(doc.text[:max_chars], paras, total_chars=len(doc.text), checked_chars=max_chars)


def document_period(doc: CleanDocument, store: FigureStore) -> Period | None:
    """The period a document is about: named in its first lines, else the newest period in the database."""
    for para in doc.paras[:6]:
        found = sentence_period(doc.para_text(para), None)
        if found:
            return found
    latest = Vocabulary.load(store).latest
    return max(latest.values()) if latest else None


def check_consistency(text: str | CleanDocument, store: FigureStore, period: str | None = None) -> list[FigureCheck]:
    """每个数字与数据库核对：一致（match）、不一致（mismatch，附数据库数值与来源）或未找到（not_found，附原因）。

    text：粘贴的文字，或 read_document() 读入的文件；period：稿件所说的期间（如 2023Q1），不填则从稿件
    开头识别，识别不到用数据库中最新的期间。位置 start/end 指向清理后的文本（CleanDocument.text）。
    """
    doc = as_document(text) if isinstance(text, str) else text
    vocab = Vocabulary.load(store)
    aliases = sorted(((a, r.name) for r in vocab.regions for a in (r.name, *r.aliases) if a), key=lambda x: -len(x[0]))
    default = parse_period(period) if period else document_period(doc, store)
    lookup = Lookup(store)
    checks: list[FigureCheck] = []
    header: list[list[str]] = []
    table_period = default
    for index, para in enumerate(doc.paras):
        body = doc.para_text(para)
        if body.strip() == SOURCES_HEADING:
            break  # the draft's own source listing (row numbers, offsets) is not part of the text
        if para.kind == "table_header":
            header = [body.split(" | ")]
            table_period = _nearby_period(doc, index, default)
            continue
        if para.kind == "table_row" and para.row is not None:
            checks += _row_checks(para, doc, header, aliases, table_period, lookup)
            continue
        for mention, claim, sentence in claims_in(body, aliases, default):
            mention.start += para.start
            mention.end += para.start
            checks.append(_verdict(mention, claim, sentence, lookup))
    return sorted(checks, key=lambda c: c.start)


def _nearby_period(doc: CleanDocument, index: int, default: Period | None) -> Period | None:
    year = default.year if default else None
    for para in reversed(doc.paras[max(0, index - 3):index]):
        found = sentence_period(doc.para_text(para), year)
        if found:
            return found
    return default


def _row_checks(para: Para, doc: CleanDocument, header: list[list[str]], aliases: list[tuple[str, str]],
                period: Period | None, lookup: Lookup) -> list[FigureCheck]:
    assert para.row is not None
    cells = para.row.cells
    region = _row_region(cells[0], aliases) if cells else None
    numeric = [c for c in cells[1:] if mentions(c)]
    if region is None and not numeric and header:
        header.append(cells)  # a second header row (绝对值 | 同比% | …) under merged group headers
        return []
    columns = columns_for(header or [para.row.header])
    out: list[FigureCheck] = []
    offset = para.start
    context = doc.para_text(para)
    for i, cell in enumerate(cells):
        column = columns[i] if i < len(columns) else Column(None, None, "")
        for m in mentions(cell):
            unit = m.unit or column.unit
            mention = Mention(m.text, m.value, unit, m.decimals, offset + m.start, offset + m.end)
            field = column.field if region else None
            claim = Claim(field, column.metric, [region] if region else [], period)
            out.append(_verdict(mention, claim, context, lookup))
        offset += len(cell) + 3  # cells are joined with " | "
    return out


def is_statistic(sentence: str) -> bool:
    """Whether a sentence states a figure the database keeps (a 开工率, an amount of 内资, a 同比 …)."""
    return any(claim.field for _, claim, _ in claims_in(sentence, [], None))
