"""工作报告 sections for a period: 工作进展 and 存在问题 computed from the database, 下一步工作措施 quoted
from the knowledge base, and the county indicator table (value, 同比, target, completion, rank) as in
the bureau's quarterly report. Wording comes from prompts/drafting/report.yaml and sections.yaml.
"""

from __future__ import annotations

from datetime import date as Date
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field

from assistant.answer.understand import Vocabulary
from assistant.db.periods import Period, parse_period
from assistant.db.session import FigureStore
from assistant.index.kb import KnowledgeBase, SearchFilters
from assistant.numerals import chinese_numeral
from assistant.tools import (
    CityTotalResult,
    LaggingResult,
    ProjectStats,
    RankingResult,
    city_total,
    lagging_regions,
    list_events,
    project_stats,
    rank_regions,
)
from assistant.tools.indicators import RankedRegion
from assistant.tools.types import Figure, cn_date, format_value

from .check import is_statistic
from .compose import (
    fact_paragraph,
    finish,
    heading,
    measure_paragraph,
    placeholder,
    quarter_start,
)
from .facts import (
    DOMESTIC,
    FOREIGN,
    Fact,
    attempt,
    events_fact,
    events_list_fact,
    foreign_gap_fact,
    foreign_regions_fact,
    indicator_fact,
    join,
    laggards_fact,
    large_projects_fact,
    large_share,
    on_schedule_fact,
    problems_as_of,
    problems_fact,
    project_fact,
    ranking_fact,
    short_label,
)
from .measures import Evidence, Measure, activities, evidence_for, find_measures
from .reply import DEFAULT_OFFICE
from .templates import load, phrase
from .types import Draft, DraftTable, Paragraph

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

LARGE_SHARE_FLOOR = Decimal(30)  # below this share of ≥5亿元 projects, “重大项目偏少” is reported
MAX_NEXT_STEPS = 6
NO_VALUE = "—"


# The template file each form reads (prompts/drafting/<file>.yaml): the same sections, worded for the form.
TEMPLATES = {"工作报告": "report", "工作总结": "summary"}


class ReportRequest(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    form: Literal["工作报告", "工作总结"] = Field("工作报告", description="文种：工作报告（情况报告）或工作总结")
    period: str = Field(min_length=1, max_length=30, description="期间，如“2023Q1”“2023-07”“2023年上半年”")
    office: str = Field(DEFAULT_OFFICE, max_length=60, description="报告单位")
    recipient: str = Field("", max_length=60, description="主送机关，如“市人民政府”；可空")
    date: Date | None = Field(None, description="成文日期，默认为期间末（如一季度报告为3月31日）；引用的文件以此为限")
    table: bool = Field(True, description="是否附县区指标完成情况表")


def draft_report(request: ReportRequest, kb: KnowledgeBase, store: FigureStore,
                 chat_model: BaseChatModel | None = None, today: Date | None = None,
                 filters: SearchFilters | None = None) -> Draft:
    """起草某期间的工作情况报告：工作进展、存在问题（数据库计算）、下一步工作措施（知识库）、县区指标表。"""
    period = parse_period(request.period)
    template = TEMPLATES[request.form]
    label = short_label(period)
    written = request.date or period.end
    draft = Draft(kind="report", period=period.key, as_of=period.end, title=phrase(template, "title", label=label))
    if written < period.end:
        draft.warnings.append(f"成文日期{cn_date(written)}早于报告期末{cn_date(period.end)}，数据和问题仍按期末统计，请核对成文日期。")
    # The report's own topic queries are matched by their words (the meaning test is for proposals' suggestions).
    evidence, dated = evidence_for(kb, max(written, period.end), request.office, filters, semantic=False)
    add = draft.paragraphs.append
    if request.recipient:
        add(Paragraph(kind="recipient", text=f"{request.recipient.rstrip('：:')}："))
    city = {m: attempt(lambda m=m: city_total(store, period.key, m)) for m in (DOMESTIC, FOREIGN)}  # type: ignore[misc]
    totals = join([indicator_fact(r, s) for r, s in ((city[DOMESTIC], "全市"), (city[FOREIGN], "")) if r])
    add(Paragraph(text=phrase(template, "lead", label=label) + totals.text, figures=totals.figures))
    if not totals:
        draft.warnings.append(f"数据库中没有{period.label}的全市指标数据，请先导入该期间的指标。")

    add(heading(phrase(template, "heading_progress")))
    ranking = attempt(lambda: rank_regions(store, period.key, DOMESTIC))
    lagging = attempt(lambda: lagging_regions(store, period.key, DOMESTIC))
    stats = attempt(lambda: project_stats(store, period.key))
    events = attempt(lambda: list_events(store, period.key))
    start = quarter_start(period)
    progress = [
        ("lead_indicators", join([ranking_fact(ranking) if ranking else Fact(),
                                  on_schedule_fact(lagging) if lagging else Fact()])),
        ("lead_projects", join([project_fact(stats, label)]) if stats else Fact()),
        ("lead_events", join([events_fact(events, label), events_list_fact(events, start, period.end)])
         if events else Fact()),
    ]
    _numbered(draft, [(phrase(template, key), fact) for key, fact in progress if fact], "（{n}）",
              phrase(template, "progress_none"))
    done = activities(kb, start, evidence, dated, is_statistic)
    if done:  # the period's own work, from the bureau's documents dated within it
        n = sum(1 for _, fact in progress if fact) + 1
        add(measure_paragraph(done, f"（{chinese_numeral(n)}）{phrase(template, 'lead_work')}"))

    add(heading(phrase(template, "heading_problems")))
    problems, topics = _problems(store, period, city[FOREIGN], stats, lagging)
    _numbered(draft, problems, "{n}是", phrase(template, "problems_none"))

    add(heading(phrase(template, "heading_next")))
    measures = _next_steps(kb, topics, evidence, dated, template)
    for n, m in enumerate(measures, start=1):
        add(measure_paragraph([m], f"（{chinese_numeral(n)}）{m.lead}"))
    if not measures:
        add(placeholder(phrase(template, "next_none")))
        draft.warnings.append("知识库中没有找到下一步工作措施的依据，草稿中已标注【待补充】。")
    add(Paragraph(kind="signature", text=request.office))
    add(Paragraph(kind="date", text=cn_date(written)))
    if request.table:
        table = county_table(store, period)
        if table is None:
            draft.warnings.append(f"数据库中没有{period.label}的分县区指标，未附县区指标完成情况表。")
        else:
            draft.tables.append(table)
    finish(draft)
    if chat_model is not None:
        from .polish import polish

        draft = polish(draft, chat_model)
    return draft


def _numbered(draft: Draft, items: list[tuple[str, Fact]], pattern: str, empty: str) -> None:
    for n, (lead, fact) in enumerate(items, start=1):
        draft.paragraphs.append(fact_paragraph(fact, pattern.replace("{n}", chinese_numeral(n)) + lead))
    if not items:
        draft.paragraphs.append(placeholder(empty))


def _problems(store: FigureStore, period: Period, foreign: CityTotalResult | None, stats: ProjectStats | None,
              lagging: LaggingResult | None) -> tuple[list[tuple[str, Fact]], list[str]]:
    """The problems the figures show, in the order of the bureau's reports, and their topics."""
    items: list[tuple[str, Fact]] = []
    topics: list[str] = []
    gap = join([foreign_gap_fact(foreign)]) if foreign is not None else Fact()
    if gap:
        items.append((phrase("sections", "lead_foreign_gap"), gap))
        topics.append("foreign")
    share = large_share(stats) if stats is not None else None
    if stats is not None and share is not None and share < LARGE_SHARE_FLOOR:
        items.append((phrase("sections", "lead_large_projects"), join([large_projects_fact(stats, short_label(period))])))
        topics.append("large")
    zero_foreign = attempt(lambda: rank_regions(store, period.key, FOREIGN, "value"))
    imbalance = join([laggards_fact(lagging) if lagging else Fact(),
                      foreign_regions_fact(zero_foreign) if zero_foreign else Fact()])
    if imbalance:
        items.append((phrase("sections", "lead_imbalance"), imbalance))
        topics.append("laggards")
    ledger = attempt(lambda: problems_as_of(store, period.end))  # open at the period's end, not today
    pending = join([problems_fact(ledger, period.end)]) if ledger else Fact()
    if pending:
        items.append((phrase("sections", "lead_problems"), pending))
        topics.append("problems")
    return items, topics


def _next_steps(kb: KnowledgeBase, topics: list[str], evidence: Evidence, filters: SearchFilters,
                template: str = "report") -> list[Measure]:
    """Planned measures for the problems found first, then the standing lines of work, from documents dated
    by the report's date (an April report never quotes a July letter)."""
    queries = load(template)["next_queries"]
    order = [t for t in topics if t in queries] + [t for t in queries if t not in topics]
    used: set[str] = set()
    found: list[Measure] = []
    for name in order:
        found += find_measures(kb, str(queries[name]), "next", is_statistic, limit=1, used=used, filters=filters,
                               evidence=evidence)
        if len(found) >= MAX_NEXT_STEPS:
            break
    return found


def _cell(source: BaseModel | None, attr: str, unit: str) -> str:
    """A table cell from a tool result's field: — for no data (never 0), % with two decimals, ranks bare."""
    value = getattr(source, attr) if source is not None else None
    if value is None:
        return NO_VALUE
    if unit == "%":
        return format_value(value, "%")
    if unit == "位":
        return str(int(value))
    return f"{value:.2f}"


def _rank_cell(row: RankedRegion | None) -> str:
    """A region with nothing yet (外资 0) is not placed: — rather than a shared last rank."""
    if row is not None and row.value is not None and row.value == 0:
        return NO_VALUE
    return _cell(row, "rank", "位")


def county_table(store: FigureStore, period: Period) -> DraftTable | None:
    """The county indicator table (as in the quarterly report's 附表), from the ranking tools."""
    dom = attempt(lambda: rank_regions(store, period.key, DOMESTIC))
    fdi = attempt(lambda: rank_regions(store, period.key, FOREIGN))
    if not (dom and dom.rows) and not (fdi and fdi.rows):
        return None
    year = f"{period.year}年目标"
    header = [["地区"] + ["实际引进内资（亿元）"] * 5 + ["外商直接投资（万美元）"] * 4,
              ["地区", "绝对值", "同比%", year, "目标完成进度%", "内资完成排名", "绝对值", year, "目标完成进度%", "外资完成排名"]]
    rows = []
    regions = [r.name for r in Vocabulary.load(store).regions if not r.is_city]
    for name in regions:
        d, f = _row(dom, name), _row(fdi, name)
        if d is None and f is None:
            continue
        rows.append([name, _cell(d, "value", ""), _cell(d, "yoy_pct", "%"), _cell(d, "annual_target", ""),
                     _cell(d, "completion_pct", "%"), _rank_cell(d), _cell(f, "value", ""),
                     _cell(f, "annual_target", ""), _cell(f, "completion_pct", "%"), _rank_cell(f)])
    figures = [f for r in (dom, fdi) if r for f in _row_figures(r, period)]
    provenance = [r.provenance for r in (dom, fdi) if r]
    c = attempt(lambda: city_total(store, period.key, DOMESTIC))
    c2 = attempt(lambda: city_total(store, period.key, FOREIGN))
    if c is not None and c.value is not None:
        rows.append(["全市", _cell(c, "value", ""), _cell(c, "yoy_pct", "%"), _cell(c, "annual_target", ""),
                     _cell(c, "completion_pct", "%"), NO_VALUE, _cell(c2, "value", ""), _cell(c2, "annual_target", ""),
                     _cell(c2, "completion_pct", "%"), NO_VALUE])
        figures += c.figures + (c2.figures if c2 else [])
        provenance += [r.provenance for r in (c, c2) if r]
    quarter = period.label.split("年", 1)[1].split("（")[0] if period.month < 12 else "全年"
    return DraftTable(title=phrase("report", "table_title", year=str(period.year), label=quarter),
                      unit_note=phrase("report", "table_note"), header=header, rows=rows, figures=figures,
                      provenance=provenance)


def _row_figures(result: RankingResult, period: Period) -> list[Figure]:
    """Every number a ranking puts in the table (value, 同比, target, completion, rank), with its source."""
    out = []
    for row in result.rows:
        base = f"{row.region} {period.label} {result.metric}"
        for label, value, unit in (("数值", row.value, result.value_unit), ("同比", row.yoy_pct, "%"),
                                   ("年度目标", row.annual_target, result.value_unit),
                                   ("完成进度", row.completion_pct, "%"), ("完成进度排名", row.rank, "位")):
            if value is not None:
                out.append(Figure(label=f"{base} {label}", value=value, unit=unit, period=period.key,
                                  provenance=result.provenance))
    return out


def _row(result: RankingResult | None, region: str) -> RankedRegion | None:
    if result is None:
        return None
    return next((r for r in result.rows if r.region == region), None)
