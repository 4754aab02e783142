"""情况通报 built from the ledgers: 周动态 (two project-ledger dates compared), 月排名 (the counties' cumulative
indicators ranked for a month) and 季度考核 (the 考核 engine's scores for a quarter).

Every figure comes from a declared tool (weekly_changes, ledger_status, rank_regions, lagging_regions,
city_total, monthly_ranking, county_project_rates, assessment) with the date it is as of: the ledger's 填报日期 or the
period's end. A bulletin dated before its data is refused nothing but warned about; ledger figures newer
than the bulletin's date are left out and said so. Wording comes from prompts/drafting/bulletin.yaml.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date as Date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from assistant.db.errors import InvalidValue
from assistant.db.periods import Period, parse_period
from assistant.db.session import FigureStore
from assistant.numerals import chinese_numeral
from assistant.tools import lagging_regions, rank_regions
from assistant.tools.assessment import AssessmentResult, CountyScore, assessment
from assistant.tools.lifecycle import (
    RATE_TARGETS,
    Change,
    county_project_rates,
    ledger_dates,
    ledger_status,
    weekly_changes,
)
from assistant.tools.monthly import MonthlyRow, monthly_ranking
from assistant.tools.types import Figure

from .compose import (
    city_overview,
    cn_date,
    data_periods,
    fact_paragraph,
    finish,
    heading,
    placeholder,
)
from .facts import (
    DOMESTIC,
    FOREIGN,
    Fact,
    attempt,
    foreign_regions_fact,
    gongwen_value,
    join,
    laggards_fact,
    short_label,
)
from .facts import on_schedule_fact as schedule_fact
from .reply import DEFAULT_OFFICE
from .report import county_table
from .templates import phrase
from .types import Draft, DraftHeader, DraftTable, Paragraph

BulletinKind = Literal["周动态", "月排名", "季度考核"]
MAX_LISTED = 12  # projects named in one paragraph; the rest are counted


class BulletinRequest(BaseModel):
    """What an officer fills in for a 情况通报."""

    model_config = ConfigDict(str_strip_whitespace=True)

    form: Literal["通报"] = "通报"
    kind: BulletinKind = Field(description="通报类别：周动态（项目台账两期比较）、月排名（县区指标累计完成情况）、季度考核（考核得分与排名）")
    period: str | None = Field(None, max_length=30,
                               description="月排名、季度考核的期间，如“2023-07”“2023Q2”；默认通报日期前已结束的最新期间")
    date_from: Date | None = Field(None, description="周动态：较早的台账日期；默认较晚日期的上一期台账")
    date_to: Date | None = Field(None, description="周动态：较晚的台账日期；默认通报日期前最新的台账")
    date: Date | None = Field(None, description="成文日期；默认为数据的时点（台账日期或期间末）")
    office: str = Field(DEFAULT_OFFICE, max_length=60, description="发文机关")
    recipient: str = Field("", max_length=100, description="主送，默认“各县（市、区）招商部门，各开发区招商机构”")
    doc_number: str = Field("", max_length=40, description="发文字号")
    cc: str | None = Field(None, max_length=200, description="抄送，默认按模板")


def draft_bulletin(request: BulletinRequest, store: FigureStore, today: Date | None = None) -> Draft:
    """起草情况通报。每个数字取自台账或指标工具，并写明截至日期；数据晚于成文日期的不写入并给出提示。"""
    build = {"周动态": _weekly, "月排名": _monthly, "季度考核": _assessment}[request.kind]
    draft = build(request, store, today or Date.today())
    draft.paragraphs += _ending(request, draft.as_of or today or Date.today())
    return finish(draft)


def _ending(request: BulletinRequest, day: Date) -> list[Paragraph]:
    written = request.date or day
    issuer = phrase("bulletin", "issuer", office=request.office)
    return [Paragraph(kind="signature", text=request.office), Paragraph(kind="date", text=cn_date(written)),
            Paragraph(kind="cc", text=request.cc or phrase("bulletin", "cc")),
            Paragraph(kind="issued", text=phrase("bulletin", "issued", issuer=issuer, date=cn_date(written)))]


def _start(request: BulletinRequest, title: str, as_of: Date, period: str | None = None) -> Draft:
    draft = Draft(kind="bulletin", title=title, as_of=as_of, period=period,
                  header=DraftHeader(office=request.office, doc_number=request.doc_number))
    recipient = (request.recipient or phrase("bulletin", "recipient")).rstrip("：:")
    draft.paragraphs.append(Paragraph(kind="recipient", text=f"{recipient}："))
    if request.date is not None and request.date < as_of:
        draft.warnings.append(f"成文日期{cn_date(request.date)}早于通报数据的时点{cn_date(as_of)}，通报中的数字是成文时还没有的数据，"
                              "请核对成文日期或数据期间。")
    return draft


# -- 周动态 ----------------------------------------------------------------------------------------

def _listing(changes: list[Change], total: int) -> str:
    named = "；".join(f"{c.project}（{c.region}）{_what(c)}" for c in changes[:MAX_LISTED])
    return named + (f"等{total}个" if total > MAX_LISTED else "") + "。"


def _what(c: Change) -> str:
    if c.funds_added_yi_yuan is not None and c.funds_total_yi_yuan is not None:
        return (f"到位资金增加{gongwen_value(c.funds_added_yi_yuan, '亿元')}"
                f"（累计{gongwen_value(c.funds_total_yi_yuan, '亿元')}）")
    return c.what.replace(" ", "")


def _weekly(request: BulletinRequest, store: FigureStore, today: Date) -> Draft:
    with store.session() as session:
        dates = ledger_dates(session)
    if not dates:
        raise InvalidValue("项目台账还没有带填报日期的导入记录，无法起草周动态通报。请导入带“填报日期”列的项目台账。")
    written = request.date or today
    if request.date_to is not None and request.date_to < dates[0]:
        raise InvalidValue(f"{cn_date(request.date_to)}早于最早的项目台账（{cn_date(dates[0])}），没有可比较的台账。"
                           f"已导入的台账日期：{'、'.join(cn_date(d) for d in dates[-6:])}。")
    end = request.date_to or next((d for d in reversed(dates) if d <= written), None)
    if end is None:
        raise InvalidValue(f"成文日期{cn_date(written)}之前没有项目台账（最早的台账为{cn_date(dates[0])}），请核对成文日期。")
    changes = weekly_changes(store, request.date_from, end)
    start_s, end_s = cn_date(changes.date_from), cn_date(changes.date_to)
    draft = _start(request, phrase("bulletin", "weekly_title", start=start_s, end=end_s), changes.date_to)
    if request.date_to is not None and request.date_to not in dates:
        draft.warnings.append(f"{cn_date(request.date_to)}没有导入台账，比较的是当日有效的台账版本（最近一期为"
                              f"{cn_date(max((d for d in dates if d <= request.date_to), default=dates[0]))}）。")
    add = draft.paragraphs.append
    add(Paragraph(text=phrase("bulletin", "weekly_opening", start=start_s, end=end_s)))
    add(heading(phrase("bulletin", "weekly_heading_total")))
    counts = changes.counts
    window = f"{start_s}—{end_s}"
    figures = list(changes.figures) + [Figure(label=f"{window}进展有更新的项目数", value=counts["进展更新"], unit="个",
                                              period=None, provenance=changes.provenance)]
    total = Fact(phrase("bulletin", "weekly_total", start=start_s, end=end_s,
                        added=gongwen_value(counts["新增"], "个"), advanced=gongwen_value(counts["阶段前进"], "个"),
                        funds=gongwen_value(changes.funds_added_yi_yuan or 0, "亿元"),
                        progressed=gongwen_value(counts["进展更新"], "个"), stalled=gongwen_value(counts["停滞"], "个")),
                 figures)
    # the status rule reads the newest ledger: quoted only when that is the ledger this bulletin is about
    status = attempt(lambda: ledger_status(store, show="滞后")) if changes.date_to == dates[-1] else None
    parts = [total]
    if status is not None:
        c = status.counts
        parts.append(Fact(phrase("bulletin", "weekly_status", end=end_s, total=gongwen_value(sum(c.values()), "个"),
                                 normal=gongwen_value(c["正常"], "个"), warn=gongwen_value(c["预警"], "个"),
                                 late=gongwen_value(c["滞后"], "个")), list(status.figures)))
    add(fact_paragraph(join(parts)))
    add(heading(phrase("bulletin", "weekly_heading_moves")))
    for key, items, n in (("weekly_lead_added", changes.added, counts["新增"]),
                          ("weekly_lead_advanced", changes.advanced, counts["阶段前进"]),
                          ("weekly_lead_funds", changes.funds, counts["资金到位"])):
        text = _listing(items, n) if items else phrase("bulletin", "weekly_none")
        funds = [Figure(label=f"{c.project} {window}新到位资金", value=c.funds_added_yi_yuan, unit="亿元", period=None,
                        provenance=changes.provenance) for c in items[:MAX_LISTED] if c.funds_added_yi_yuan is not None]
        funds += [Figure(label=f"{c.project} 累计到位资金（{end_s}台账）", value=c.funds_total_yi_yuan, unit="亿元",
                         period=None, provenance=changes.provenance)
                  for c in items[:MAX_LISTED] if c.funds_total_yi_yuan is not None]
        add(Paragraph(lead=phrase("bulletin", key), text=text, figures=funds))
    add(heading(phrase("bulletin", "weekly_heading_stalled")))
    stalled = _listing(changes.stalled, counts["停滞"]) if changes.stalled else phrase("bulletin", "weekly_none")
    add(Paragraph(lead=phrase("bulletin", "weekly_lead_stalled"), text=stalled))
    if status is not None:
        late = "；".join(f"{i.name}（{i.region}，{i.responsible_unit or '责任单位未填'}）：{i.reason.replace(' ', '')}"
                        for i in status.items[:MAX_LISTED])
        late = (late + (f"等{status.total_count}个" if status.total_count > MAX_LISTED else "") + "。") if late \
            else phrase("bulletin", "weekly_none")
        add(Paragraph(lead=phrase("bulletin", "weekly_lead_late"), text=late, figures=list(status.figures)))
    else:
        draft.warnings.append(f"台账状态（正常、预警、滞后）按最新一期台账（{cn_date(dates[-1])}）判定，与本通报的{end_s}台账不是同一期，"
                              "没有写入；需要时请按当期台账补充。")
    add(heading(phrase("bulletin", "weekly_heading_asks")))
    add(Paragraph(text=phrase("bulletin", "weekly_asks")))
    return draft


# -- 月排名 ----------------------------------------------------------------------------------------

def _period_for(request: BulletinRequest, store: FigureStore, today: Date, quarterly: bool) -> Period:
    if request.period:
        period = parse_period(request.period)
        if quarterly and period.month % 3:
            raise InvalidValue(f"季度考核通报的期间应为季度（如“2023Q2”），“{request.period}”不是。")
        return period
    written = request.date or today
    ended = [p for p in data_periods(store) if p.end <= written and (not quarterly or p.month % 3 == 0)]
    if not ended:
        raise InvalidValue(f"成文日期{cn_date(written)}之前数据库中没有已结束的{'季度' if quarterly else '期间'}数据，"
                           "请填写期间或核对成文日期。")
    return ended[-1]


def _ranked(rows: Sequence[tuple[str, float | None]]) -> str:
    return "、".join(f"{name}（{gongwen_value(pct, '%')}）" for name, pct in rows)


def _monthly(request: BulletinRequest, store: FigureStore, today: Date) -> Draft:
    period = _period_for(request, store, today, quarterly=False)
    label = short_label(period)
    draft = _start(request, phrase("bulletin", "monthly_title", label=label), period.end, period.key)
    add = draft.paragraphs.append
    add(Paragraph(text=phrase("bulletin", "monthly_opening", label=label)))
    add(heading(phrase("bulletin", "monthly_heading_total")))
    overview = city_overview(store, period)
    if not overview:
        raise InvalidValue(f"数据库中没有{period.label}的全市指标，无法起草月排名通报。请先导入该期间的县区指标。")
    add(fact_paragraph(overview))
    add(heading(phrase("bulletin", "monthly_heading_rank")))
    lagging_names: list[str] = []
    for metric, lead in ((DOMESTIC, "monthly_lead_domestic"), (FOREIGN, "monthly_lead_foreign")):
        ranking = attempt(lambda metric=metric: rank_regions(store, period.key, metric))  # type: ignore[misc]
        lagging = attempt(lambda metric=metric: lagging_regions(store, period.key, metric))  # type: ignore[misc]
        rows = [(r.region, r.completion_pct) for r in (ranking.rows if ranking else [])
                if r.completion_pct is not None and r.value]
        parts: list[Fact] = []
        if ranking is not None and len(rows) >= 6:
            parts.append(Fact(phrase("bulletin", "monthly_rank", top=_ranked(rows[:3]), bottom=_ranked(rows[-3:])),
                              list(ranking.figures)))
        elif ranking is not None and rows:
            parts.append(Fact(phrase("bulletin", "monthly_foreign_rank", listing=_ranked(rows)), list(ranking.figures)))
        if lagging is not None:
            parts.append(schedule_fact(lagging))
            if metric == DOMESTIC:  # for 外资 the regions at zero are named below instead of a list of 0%
                parts.append(laggards_fact(lagging))
                lagging_names = [x.region for x in lagging.lagging]
        if metric == FOREIGN:
            by_value = attempt(lambda: rank_regions(store, period.key, FOREIGN, "value"))
            parts.append(foreign_regions_fact(by_value) if by_value else Fact())
        fact = join(parts)
        add(fact_paragraph(fact, phrase("bulletin", lead)) if fact
            else placeholder(f"【待补充：数据库中没有{period.label}分县区的该项指标。】", phrase("bulletin", lead)))
    overall = _overall_paragraph(store, period, draft)
    if overall is not None:
        add(overall)
    add(heading(phrase("bulletin", "monthly_heading_projects")))
    add(_rates_paragraph(store, request.date or period.end, draft))
    add(heading(phrase("bulletin", "monthly_heading_asks")))
    asks = phrase("bulletin", "monthly_asks")
    if lagging_names:
        asks += phrase("bulletin", "monthly_asks_lagging", regions="、".join(lagging_names))
    add(Paragraph(text=asks))
    table = county_table(store, period)
    if table is not None:
        draft.tables.append(table)
    return draft


def _overall_paragraph(store: FigureStore, period: Period, draft: Draft) -> Paragraph | None:
    """The 月排名 tool's overall place (the mean of each indicator's completion place), when it ranks this period."""
    ranking = attempt(lambda: monthly_ranking(store, period.key))
    if ranking is None or ranking.period != period.key:
        if ranking is not None and ranking.note:
            draft.warnings.append(ranking.note)
        return None
    ranked = [r for r in ranking.rows if r.rank is not None]
    if len(ranked) < 6:
        return None
    places = [f for f in ranking.figures if f.label.endswith("综合排名")]

    tied = {rank for rank in (r.rank for r in ranked) if sum(1 for x in ranked if x.rank == rank) > 1}

    def names(rows: list[MonthlyRow]) -> str:
        return "、".join(f"{r.region}（{'并列' if r.rank in tied else ''}第{r.rank}名）" for r in rows)

    text = phrase("bulletin", "monthly_overall", metrics="、".join(ranking.metrics), top=names(ranked[:3]),
                  bottom=names(ranked[-3:]))
    return Paragraph(lead=phrase("bulletin", "monthly_lead_overall"), text=text + "。", figures=places)


def _rates_paragraph(store: FigureStore, day: Date, draft: Draft) -> Paragraph:
    """开工率 and 资金到位率 by county from the newest ledger, only when that ledger is dated by `day`."""
    starts = attempt(lambda: county_project_rates(store, "开工率"))
    funds = attempt(lambda: county_project_rates(store, "资金到位率"))
    if starts is None or funds is None:
        return placeholder("【待补充：项目台账中没有可计算开工率、资金到位率的签约项目。】")
    if starts.as_of > day:
        draft.warnings.append(f"项目台账最新为{cn_date(starts.as_of)}，晚于通报日期{cn_date(day)}，各县区开工率、资金到位率没有写入。")
        return placeholder(f"【待补充：{cn_date(day)}时的各县区项目开工率、资金到位率。】")
    as_of = f"截至{cn_date(starts.as_of)}台账"
    top = [(r.region, r.start_rate_pct) for r in starts.rows if r.rank is not None][:3]
    target = RATE_TARGETS["资金到位率"]
    below = [(r.region, r.funds_rate_pct) for r in funds.rows if r.funds_rate_pct is not None and r.funds_rate_pct < target]
    figures = list(starts.figures) + list(funds.figures)
    goal = gongwen_value(target, "%")
    figures.append(Figure(label="资金到位率考核目标", value=target, unit="%", period=None,
                          provenance=funds.provenance.model_copy(update={"formula": "考核评价办法：资金到位率目标"})))
    key = "monthly_rates" if below else "monthly_rates_none_below"
    text = phrase("bulletin", key, as_of=as_of, top=_ranked(top), target=goal, below=_ranked(below))
    return Paragraph(text=text + "。", figures=figures)


# -- 季度考核 --------------------------------------------------------------------------------------

def _assessment(request: BulletinRequest, store: FigureStore, today: Date) -> Draft:
    period = _period_for(request, store, today, quarterly=True)
    result = assessment(store, period.key)
    label = short_label(period)
    draft = _start(request, phrase("bulletin", "assessment_title", label=label), period.end, period.key)
    ledger_day = Date.fromisoformat(result.ledger_as_of)
    if ledger_day > period.end:
        draft.warnings.append(f"考核引擎的项目比率取自最新台账（{cn_date(ledger_day)}），晚于考核期末{cn_date(period.end)}；"
                              "如需按期末台账考核，请核对后修改。")
    add = draft.paragraphs.append
    add(Paragraph(text=phrase("bulletin", "assessment_opening", scheme=f"《{result.scheme}》", label=label)))
    add(heading(phrase("bulletin", "assessment_heading_result")))
    classes = list(dict.fromkeys(s.county_class for s in result.rows))
    for n, cls in enumerate(classes, start=1):
        members = [s for s in result.rows if s.county_class == cls]
        listing = "、".join(f"{s.region}{gongwen_value(s.total, '分')}" for s in members)
        add(Paragraph(lead=f"（{chinese_numeral(n)}）", figures=_score_figures(result, members),
                      text=phrase("bulletin", "assessment_class", cls=cls, size=gongwen_value(len(members), "个"),
                                  listing=listing) + "。"))
    add(Paragraph(text=phrase("bulletin", "assessment_basis", label=period.label, ledger=cn_date(ledger_day)) + "。"))
    add(heading(phrase("bulletin", "assessment_heading_reasons")))
    for n, cls in enumerate(classes, start=1):
        members = [s for s in result.rows if s.county_class == cls]
        worst = max(s.rank_in_class for s in members)
        for s in (m for m in members if m.rank_in_class == worst):
            add(Paragraph(lead=f"{chinese_numeral(n)}是", text=phrase("bulletin", "assessment_reason", region=s.region, cls=cls,
                                                                rank=str(s.rank_in_class), points=_lost(s)) + "。",
                          figures=_point_figures(result, s)))
    add(heading(phrase("bulletin", "assessment_heading_asks")))
    add(Paragraph(text=phrase("bulletin", "assessment_asks")))
    draft.tables.append(_score_table(result, label))
    return draft


def _lost(s: CountyScore) -> str:
    lost = sorted((p for p in s.points if p.lost > 0), key=lambda p: -p.lost)[:2]
    if not lost:
        return "无失分指标"
    return "、".join(f"{p.indicator}（{'无数据' if p.actual is None else gongwen_value(p.actual, '%')}，"
                    f"目标{gongwen_value(p.target, '%')}，失{gongwen_value(p.lost, '分')}）" for p in lost)


def _score_figures(result: AssessmentResult, members: list[CountyScore]) -> list[Figure]:
    names = {s.region for s in members}
    return [f for f in result.figures if any(f.label.startswith(n) for n in names)]


def _point_figures(result: AssessmentResult, s: CountyScore) -> list[Figure]:
    out = []
    for p in s.points:
        prov = result.provenance.model_copy(update={"table": p.table, "row_ids": p.row_ids, "formula": p.formula})
        for what, value, unit in (("实际值", p.actual, "%"), ("目标", p.target, "%"), ("失分", p.lost, "分")):
            if value is not None:
                out.append(Figure(label=f"{s.region} {p.indicator} {what}", value=value, unit=unit,
                                  period=result.period, provenance=prov))
    return out


def _score_table(result: AssessmentResult, label: str) -> DraftTable:
    indicators = [p.indicator for p in result.rows[0].points] if result.rows else []
    header = [["类别", "地区", *indicators, "总分", "类别内排名"]]
    rows = [[s.county_class, s.region, *(f"{Decimal(str(p.score)):.2f}" for p in s.points), f"{s.total:.2f}",
             str(s.rank_in_class)] for s in result.rows]
    return DraftTable(title=phrase("bulletin", "table_title", label=label), unit_note=phrase("bulletin", "table_note"),
                      header=header, rows=rows, figures=list(result.figures), provenance=[result.provenance])
