"""Per-county totals of the project ledger: how many projects, and the sums of 总投资, 累计到位资金 and 当年到位资金,
ranked. The rates (开工率, 资金到位率) are lifecycle's; these are the amounts and counts behind them, asked as
哪个县区的项目最多 or 高新区项目当年到位资金一共多少.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel
from sqlalchemy import func, select

from assistant.db.models import Project, Region
from assistant.db.reference import PROJECT_STAGES
from assistant.db.session import FigureStore
from assistant.db.vocab import resolve_stage
from assistant.tools.assessment import class_label, class_members
from assistant.tools.common import all_ids, check_region, guard_aggregate, provenance_of, resolve_region
from assistant.tools.indicator_rows import competition_rank
from assistant.tools.lifecycle import ledger_date
from assistant.tools.registry import figure_tool
from assistant.tools.types import Figure, cn_date, format_value

Measure = Literal["项目个数", "总投资", "到位资金", "当年到位资金"]
# measure → (the ledger column summed; None counts rows, the unit, how the rule reads)
_COLUMNS = {
    "项目个数": (None, "个", "项目个数 = 台账中该县区的项目行数（各阶段都计）"),
    "总投资": (Project.total_investment_yi_yuan, "亿元", "总投资合计 = 该县区项目“总投资（亿元）”之和（未填的不计）"),
    "到位资金": (Project.funds_arrived_yi_yuan, "亿元", "到位资金合计 = 该县区项目累计“到位资金（亿元）”之和（未填的不计）"),
    "当年到位资金": (Project.funds_this_year_yi_yuan, "亿元",
                "当年到位资金合计 = 该县区项目“当年到位资金（亿元）”之和（未填的不计）"),
}


# How questions ask for these totals, read by the slot filler (a tool's words live with the tool).
# The counties side by side (哪个县区, 各县区, 分县区): a total per county is a ranking of them
_COUNTY_WORD = r"(?:县区|县市区|区县|县|地区|地方|区)"
PER_COUNTY = re.compile(rf"(?:哪个|哪些|哪几个?|各个?|每个|分){_COUNTY_WORD}|"
                        # the county word first (排前三的县区是哪几个, 县区里哪个最多)
                        rf"(?:[前后]\s*[2-9一二两三四五六七八九十]\s*[名位个]?的|最[多少高低]的){_COUNTY_WORD}|"
                        r"(?:县区|县市区|区县|地区)(?:是|有|里|中|当中)?(?:哪个|哪些|哪几个?)")
# The ledger's money columns asked as an amount (一共多少, 合计, 最多), not as a change (增加了多少) or a rate
FUNDS_WORDS = re.compile(r"(当年|今年|本年|年度)(?:累计)?(?:资金)?到位|到位资金|资金到位(?!率|情况)|总投资|到位了?(?=多少|几)")
# The words of adding up (加起来, 加一块, 合计, 之和), one list for every reader of a total.
SUM_WORDS = "加起来|加在一起|加一起|加到一起|加一块|加在一块|加总|相加|合计|合起来|总共|一共|共计|之和|总和|总计|累加|汇总"
_TOTAL_ASK = re.compile(rf"{SUM_WORDS}|总额|多少|最多|最少|最高|最低|最大|最小|排名|排个?名|排序|排第|排前|排后|倒数|分别")
_COUNT_ASK = re.compile(r"项目(?:个数|数量|数)|项目最多|项目最少|几个项目|多少个?项目|项目.{0,4}(?:几个|多少个|最多|最少)")


def _funds_column(m: re.Match[str]) -> str:
    return "当年到位资金" if m.group(1) else "总投资" if m.group(0) == "总投资" else "到位资金"


def asked_amounts(text: str) -> list[str]:
    """Every amount column a question names, in its order (两个加一块总投资多少，到位了多少: 总投资, 到位资金)."""
    return list(dict.fromkeys(_funds_column(m) for m in FUNDS_WORDS.finditer(text)))


def asked_total(text: str) -> str | None:
    """The ledger total a question asks: 当年到位资金 (今年到位了多少), 到位资金 (累计到位资金合计), 总投资, or
    项目个数 (哪个县区的项目最多); None for a change between dates (到位资金增加了多少) or no total."""
    if re.search(r"增加|增长|新增|变化|减少|比上|以来|之间", text) or not _TOTAL_ASK.search(text):
        return None
    if re.search(r"\d+\s*个[^，。？?]{0,12}项目", text):
        return None  # 那12个汽车零部件配套项目的总投资: a set the question gives, not the ledger's rows of a county
    if funds := FUNDS_WORDS.search(text):
        return _funds_column(funds)
    return "项目个数" if _COUNT_ASK.search(text) else None


class CountyTotal(BaseModel):
    region: str
    value: float
    projects: int  # the rows behind the value (for a sum: those with the column filled)
    rank: int | None = None


class CountyTotals(BaseModel):
    as_of: date
    measure: str
    unit: str
    rows: list[CountyTotal]
    figures: list[Figure]
    summary: str


@figure_tool(
    "各县区项目个数、总投资、到位资金、当年到位资金合计及排名",
    examples=[
        "哪个县区的项目最多", "各县区分别有几个项目", "项目最少的是哪个县", "高新区项目当年到位资金一共多少",
        "当年到位资金哪个县区最多", "汉阴县项目累计到位资金合计多少", "各县区项目总投资排名", "各县区今年到位资金排个名",
        "二类县区里哪个县的项目最多", "一类县区项目总投资谁大谁小", "在建项目数量排前三的县区",
    ],
    slots={"measure": "total", "region": "county", "county_class": "county_class", "stage": "stage"},
    requires=("total",),
    path="county-totals",
)
def county_totals(store: FigureStore, measure: Measure = "项目个数", region: str | None = None,
                  county_class: str | None = None, stage: str | None = None) -> CountyTotals:
    """各县（市、区）、开发区项目台账的合计：项目个数，或总投资、累计到位资金、当年到位资金之和，由多到少排名
    （并列同名次）。

    measure：合计什么，“项目个数”（默认）、“总投资”、“到位资金”（累计）或“当年到位资金”；
    region：可选，某县区名或简称：先写明该县区的合计和名次（仍按全部县区排名）；
    county_class：可选，考核方案的县区类别（如“二类”），只在该类县区之间排名；
    stage：可选，只计处于该阶段的项目（线索、在谈、签约、开工、投产；“在建”即开工），“未签约”“未开工”“未投产”
    （还没到该阶段的），或“已签约”“已开工”（到了该阶段及以后的），如“在建项目数量各县区排名”。
    """
    column, unit, rule = _COLUMNS[measure]
    picked, stage_said = _stage_filter(stage)
    if stage_said:
        rule = rule.replace("（各阶段都计）", "") + f"；只计{stage_said}的项目"
    members = class_members(county_class) if county_class else None
    with store.session() as session:
        named = resolve_region(session, region) if region else None
        if named is not None:
            check_region(store, named)  # a county officer asks of their own county, not another's
        asked = named.name if named is not None and not named.is_city else None
        day = ledger_date(session)
        value = func.count() if column is None else func.sum(column)
        counted = func.count() if column is None else func.count(column)
        stmt = (select(Region.name, value, counted).join(Project, Project.region_id == Region.id)
                .where(Region.kind != "全市").group_by(Region.name, Region.sort_order).order_by(Region.sort_order))
        if column is not None:
            stmt = stmt.where(column.is_not(None))
        if picked is not None:
            stmt = stmt.where(Project.stage.in_(picked))
        totals = [CountyTotal(region=name, value=float(Decimal(str(v or 0)).quantize(Decimal("0.01"))), projects=n)
                  for name, v, n in session.execute(stmt) if members is None or name in members]
        guard_aggregate(store, "各县区项目合计排名", len([t for t in totals if t.region != store.region_scope]))
        ids = all_ids(session, Project.id) if picked is None else list(session.scalars(
            select(Project.id).where(Project.stage.in_(picked)).order_by(Project.id)))
        prov = provenance_of(session, "projects", ids, session.scalars(select(Project.import_id).distinct()), None,
                             f"{rule}；由多到少排名，并列者名次相同")
    ranks = competition_rank([(t.region, Decimal(str(t.value))) for t in totals])
    for t in totals:
        t.rank = ranks[t.region]
    totals.sort(key=lambda t: t.rank or 0)
    if store.region_scope:
        totals = [t for t in totals if t.region == store.region_scope]
    figures = [Figure(label=f"{t.region}项目" + ("个数" if column is None else f"{measure}合计"), value=t.value, unit=unit,
                      period=None, provenance=prov) for t in totals]
    field_ = class_label(county_class, members) if county_class and members is not None else ""
    together = ""
    if members is not None and totals:
        # the class's counties together (二类县区合起来项目总投资多少), from the same rows as the ranking
        whole = round(sum(t.value for t in totals), 2)
        what = "项目个数" if column is None else f"项目{measure}"
        figures.append(Figure(label=f"{county_class}县区{what}合计", value=whole, unit=unit, period=None,
                              provenance=prov))
        together = f"{field_}合计{what} {_amount(whole, unit)}。"
    return CountyTotals(as_of=day, measure=measure, unit=unit, rows=totals, figures=figures,
                        summary=_summary(totals, measure, unit, day, asked, field_, together) + f"（{rule}）")


def _stage_filter(stage: str | None) -> tuple[tuple[str, ...] | None, str]:
    """The stages a stage asked picks (开工; 未签约: 线索 and 在谈) and how the rule says it."""
    if not stage:
        return None, ""
    if stage.startswith("未"):
        before = resolve_stage(stage[1:])
        return PROJECT_STAGES[:PROJECT_STAGES.index(before)], f"还没到{before}阶段（{stage}）"
    if stage.startswith("已"):
        reached = resolve_stage(stage[1:])
        later = PROJECT_STAGES[PROJECT_STAGES.index(reached):]
        return later, f"{stage}（{'、'.join(later)}阶段）"
    wanted = resolve_stage(stage)
    return (wanted,), f"阶段为{wanted}"


def _summary(totals: list[CountyTotal], measure: str, unit: str, day: date, asked: str | None,
             field_: str = "", together: str = "") -> str:
    """The county asked about first (its total and place), else both ends, then the whole ranking (of a 考核
    class's counties only, when `field_` names the class, whose sum `together` says first)."""
    what = "个数" if measure == "项目个数" else f"{measure}合计"
    listing = "、".join(f"{t.rank}. {t.region} {_amount(t.value, unit)}" for t in totals)
    head = f"截至{cn_date(day)}台账，{together}{field_ and field_ + '中'}"
    own = next((t for t in totals if t.region == asked), None)
    if asked and own is None:
        head += f"{asked}没有填报{measure}的项目（无数据）。"
    elif own is not None:
        tie = "并列" if sum(1 for t in totals if t.rank == own.rank) > 1 else ""
        # (a sum says how many projects it adds up: 高新在建的那几个项目今年到位了多少钱 asks of those projects)
        counted = "" if measure == "项目个数" else f"（{own.projects} 个项目）"
        head += f"{asked}项目{what}{_amount(own.value, unit)}{counted}，在 {len(totals)} 个县区中排{tie}第 {own.rank} 名。"
    elif totals:
        top = [t.region for t in totals if t.rank == totals[0].rank]
        low = [t for t in totals if t.value == totals[-1].value]
        head += (f"项目{what}最多的是{'、'.join(top)}（{_amount(totals[0].value, unit)}），"
                 f"最少的是{'、'.join(t.region for t in low)}（{_amount(low[0].value, unit)}）。")
    return head + f"{field_ or '各县区'}项目{what}排名：{listing}。"


def _amount(value: float, unit: str) -> str:
    return f"{int(value)}{unit}" if unit == "个" else format_value(value, unit)
