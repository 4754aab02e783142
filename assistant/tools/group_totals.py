"""Project-ledger totals by another column than the county: per 产业链, 项目管家, 包抓领导, 责任单位 or 首谈单位,
how many projects and the sums of 总投资, 累计到位资金 and 当年到位资金, ranked — asked as 哪个项目管家手上的项目
总投资最大 or 哪条产业链项目最多. (The counties side by side are county_totals'.)
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel
from sqlalchemy import func, select

from assistant.db.models import IndustryChain, Project, Region
from assistant.db.periods import parse_period
from assistant.db.session import FigureStore
from assistant.tools.common import all_ids, check_region, provenance_of, resolve_region
from assistant.tools.county_totals import _COLUMNS, Measure, _amount
from assistant.tools.indicator_rows import competition_rank
from assistant.tools.lifecycle import (
    RATE_FIELDS,
    RATE_RULES,
    county_rates,
    ledger_date,
    load_ledger,
    month_label,
)
from assistant.tools.registry import figure_tool
from assistant.tools.types import Figure, cn_date, format_value

Group = Literal["产业链", "项目管家", "包抓领导", "责任单位", "首谈单位", "线索等级", "签约月份", "制造业", "新建/续建", "企业"]
# group → the words a question names it by (longest first within each)
GROUP_WORDS: dict[str, tuple[str, ...]] = {
    "产业链": ("产业链", "条链", "链"),
    "项目管家": ("项目管家", "管家"),
    "包抓领导": ("包抓领导", "副市长", "市领导", "领导"),
    "责任单位": ("责任单位",),
    # (哪家首谈的项目最多: the units that first met the investors, side by side)
    "首谈单位": ("首谈单位", "联络处", "首谈"),
    "线索等级": ("线索等级", "等级", "档"),
    "签约月份": ("个月", "一个月", "月份", "月"),
    # a yes-or-no column, named by its two sides (制造业跟非制造业…分别, 新建和续建的)
    "制造业": ("制造业和非制造业", "制造业跟非制造业", "制造业与非制造业", "制造业、非制造业", "是否制造业"),
    "新建/续建": ("新建和续建", "新建跟续建", "新建与续建", "新建、续建", "新建/续建", "新建续建"),
    # (哪家企业的项目资金到位率最高: the investing companies side by side)
    "企业": ("企业", "公司"),
}
PAIRED_GROUPS = ("制造业", "新建/续建")  # yes-or-no columns, named by both their sides
_WHICH = r"(?:哪个|哪条|哪位|哪家|哪些|哪几[个条位家]?|各|每|分)\s*[个条位家]?"


# group → the ledger column it is (for totals in the database) and the ledger row's attribute (for rates per group)
GROUP_COLUMNS: dict[str, tuple[Any, str]] = {
    "产业链": (IndustryChain.name, "chain"), "项目管家": (Project.manager, "manager"),
    "包抓领导": (Project.lead_leader, "lead_leader"), "责任单位": (Project.responsible_unit, "responsible_unit"),
    "首谈单位": (Project.source_unit, "source_unit"), "线索等级": (Project.lead_grade, "lead_grade"),
    # (the month of signing: grouped from the rows, the database's month functions differ)
    "签约月份": (Project.signed_on, "signed_month"),
    "制造业": (Project.is_manufacturing, "manufacturing"), "新建/续建": (Project.build_type, "build_type"),
    "企业": (Project.enterprise_name, "enterprise"),
}
# the values of a yes-or-no column, as its groups are named
GROUP_LABELS: dict[str, dict[Any, str]] = {"制造业": {True: "制造业", False: "非制造业"}}


_ONE_WHICH = {"企业": r"(?:哪个|哪家|哪一家)\s*"}  # groups named only by asking which one of them


def asked_group(text: str) -> str | None:
    """The ledger column a question sets side by side (哪个项目管家, 各条产业链, 按包抓领导): None when it names none."""
    for group, words in GROUP_WORDS.items():
        names = "|".join(words)
        # (…联络处里头，哪家首谈的最多; 那几位副市长里，谁名下的最少: the group named, then which of its members)
        # (制造业跟非制造业的项目，资金到位率分别多少: a column's two sides named, each asked)
        paired = rf"|(?:{names})[^。？?！!]{{0,16}}分别" if group in PAIRED_GROUPS else ""
        if group in _ONE_WHICH:
            # (哪些企业 lists companies, 每家企业 asks of each: only one company against the others groups them)
            # (企业库里在咱这有签约项目的那几家，哪家的…最高: the companies named, then which of them)
            if re.search(rf"{_ONE_WHICH[group]}(?:{names})|按(?:{names})|(?:{names})[^。？?]{{0,20}}[，,]\s*哪一?家的", text):
                return group
            continue
        if re.search(rf"{_WHICH}(?:{names})|按(?:{names})|(?:{names})(?:里头?|中|当中|之中)?[，,]?\s*(?:谁|哪个|哪位|哪家|哪条)"
                     + paired, text):
            return group
    return None


# group → the kinds its values are of (首谈单位: the offices, the counties' 招商局…): a question naming one
# (五个驻外联络处里头，哪家首谈的项目最多) compares the members of that kind only
MEMBER_KINDS: dict[str, tuple[str, ...]] = {
    "首谈单位": ("联络处", "招商局", "推介会"),
    "责任单位": ("招商局", "管委会", "服务中心"),
}


def group_members(group: str, text: str) -> str | None:
    """The kind of a group's values the question compares (联络处 of 首谈单位), or None for all of them."""
    return next((kind for kind in MEMBER_KINDS.get(group, ()) if kind in text), None)


def _group_said(group: str, name: str) -> str:
    """One group as a label says it: 项目管家“张某”, and a yes-or-no column's side by itself (制造业, 续建)."""
    return name if group in PAIRED_GROUPS else f"{group}“{name}”"


def _among(names: list[str], among: str | None, members: list[str] | None = None) -> set[str]:
    """The groups compared: those whose name holds `among` (联络处), and of them only `members` when the question
    lists the groups it sets side by side (文旅康养、生物医药这两条链各多少)."""
    return {n for n in names if (among is None or among in n) and (not members or n in members)}


class GroupTotal(BaseModel):
    name: str
    value: float
    projects: int  # the rows behind the value (for a sum: those with the column filled)
    rank: int | None = None


class GroupTotals(BaseModel):
    as_of: date
    group: str
    measure: str
    unit: str
    rows: list[GroupTotal]
    unfilled: int  # projects with no value in the grouping column (not ranked)
    figures: list[Figure]
    summary: str


@figure_tool(
    "按产业链、项目管家、包抓领导、责任单位、首谈单位或签约月份合计的项目个数、总投资、到位资金及排名",
    examples=[
        "哪条产业链的项目最多", "各产业链项目总投资排名", "哪个项目管家管的项目最多", "哪位包抓领导的项目总投资最大",
        "各责任单位分别有几个项目", "按首谈单位统计到位资金", "项目管家里谁手上的项目到位资金最多",
        "哪个月签的项目最多", "一季度每个月各签了几个项目",
    ],
    slots={"measure": "total", "region": "county"},
    requires=("group", "total"),
    path="group-totals",
)
def group_totals(store: FigureStore, group: Group, measure: Measure = "项目个数",
                 period: str | None = None, among: str | None = None,
                 members: list[str] | None = None, region: str | None = None) -> GroupTotals:
    """项目台账按某一列分组的合计：项目个数，或总投资、累计到位资金、当年到位资金之和，由多到少排名（并列同名次；
    该列未填的项目不参与排名，另计个数）。

    group：按哪一列分组，“产业链”“项目管家”“包抓领导”“责任单位”“首谈单位”“签约月份”（按签约日期所在的月）、
    “制造业”（制造业与非制造业）、“新建/续建”或“企业”（投资企业）；
    measure：合计什么，“项目个数”（默认）、“总投资”、“到位资金”（累计）或“当年到位资金”；
    period：可选，如“2023Q1”：只计该年1月1日至该期末签约的项目；
    among：可选，如“联络处”：只比较名称含此词的组（驻外联络处之间比）；
    members：可选，只比较这几组（如“文旅康养,生物医药”）；
    region：可选，某县区名或简称：只计该县区的项目（恒口的新建、续建项目各到位多少）。
    """
    column, unit, rule = _COLUMNS[measure]
    key = GROUP_COLUMNS[group][0]
    window, asked = None, None
    if period:
        asked = parse_period(period)
        window = (date(asked.year, 1, 1), asked.end)
    with store.session() as session:
        day = ledger_date(session)
        by_month = group == "签约月份"
        value = func.count() if column is None else func.sum(column)
        counted = func.count() if column is None else func.count(column)
        stmt = select(key, value, counted).select_from(Project).join(Region, Project.region_id == Region.id)
        if group == "产业链":
            stmt = stmt.outerjoin(IndustryChain, Project.chain_id == IndustryChain.id)
        if store.region_scope:
            stmt = stmt.where(Region.name == store.region_scope)  # a county officer's own projects
        named = resolve_region(session, region) if region else None
        if named is not None and not named.is_city:
            check_region(store, named)
            stmt = stmt.where(Region.name == named.name)
        if column is not None:
            stmt = stmt.where(column.is_not(None))
        if window is not None:
            stmt = stmt.where(Project.signed_on >= window[0], Project.signed_on <= window[1])
        rows: list[Any] = list(session.execute(stmt.group_by(key)))
        if by_month:  # each signing day's sums, added up per month here (the databases' month functions differ)
            months: dict[str | None, list[Any]] = {}
            for signed, v, n in rows:
                acc = months.setdefault(month_label(signed), [0, 0])
                acc[0], acc[1] = acc[0] + (v or 0), acc[1] + n
            rows = [(m, v, n) for m, (v, n) in months.items()]
        scope = f"{cn_date(window[0])}至{cn_date(window[1])}签约的项目；" if window else ""
        prov = provenance_of(session, "projects", all_ids(session, Project.id),
                             session.scalars(select(Project.import_id).distinct()), asked,
                             f"{scope}{rule.replace('该县区', f'该{group}')}；按“{group}”分组，由多到少排名，并列者名次相同")
    labels = GROUP_LABELS.get(group, {})
    rows = [(labels.get(name, name), v, n) for name, v, n in rows]
    kept = _among([str(name) for name, _, _ in rows if name not in (None, "")], among, members)
    totals = [GroupTotal(name=str(name), value=float(Decimal(str(v or 0)).quantize(Decimal("0.01"))), projects=n)
              for name, v, n in rows if name not in (None, "") and str(name) in kept]
    unfilled = sum(n for name, _, n in rows if name in (None, ""))
    ranks = competition_rank([(t.name, Decimal(str(t.value))) for t in totals])
    for t in totals:
        t.rank = ranks[t.name]
    totals.sort(key=lambda t: (t.rank or 0, t.name))
    what = "项目个数" if measure == "项目个数" else f"项目{measure}合计"
    what = (named.name if named is not None and not named.is_city else "") + what  # 恒口项目当年到位资金合计
    figures = [Figure(label=f"{_group_said(group, t.name)}{what}", value=t.value, unit=unit, period=None, provenance=prov)
               for t in totals]
    label = f"{group}（{among}）" if among else group
    label = f"{label}（{'、'.join(members)}）" if members else label
    return GroupTotals(as_of=day, group=group, measure=measure, unit=unit, rows=totals, unfilled=unfilled,
                       figures=figures, summary=_summary(totals, label, what, unit, day, 0 if members else unfilled) + f"（{prov.formula}）")


def _summary(totals: list[GroupTotal], group: str, what: str, unit: str, day: date, unfilled: int) -> str:
    head = f"截至{cn_date(day)}台账，"
    if not totals:
        return head + f"没有填写“{group}”的项目（无数据）。"
    top = [t.name for t in totals if t.rank == totals[0].rank]
    low = [t for t in totals if t.value == totals[-1].value]
    tie = f"{len(top)}个并列，各" if len(top) > 1 else ""
    listing = "、".join(f"{t.rank}. {t.name} {_amount(t.value, unit)}" for t in totals)
    rest = f"；另有 {unfilled} 个项目未填{group}，未计入" if unfilled else ""
    return (head + f"按{group}分，{what}最多的是{'、'.join(top)}（{tie}{_amount(totals[0].value, unit)}），最少的是"
            f"{'、'.join(t.name for t in low)}（{_amount(low[0].value, unit)}）。排名：{listing}{rest}。")


Rate = Literal["开工率", "资金到位率", "合同履约率", "涉链占比"]


class GroupRate(BaseModel):
    name: str
    value: float | None
    signed: int  # the signed projects behind 开工率 / 资金到位率
    rank: int | None = None


class GroupRates(BaseModel):
    as_of: date
    group: str
    rate: str
    rows: list[GroupRate]
    figures: list[Figure]
    summary: str


@figure_tool(
    "按产业链、项目管家、包抓领导、责任单位或首谈单位分组的开工率、资金到位率、合同履约率及排名",
    examples=[
        "各条产业链资金到位率排名", "哪条产业链的开工率最低", "各位包抓领导的项目开工率", "哪个项目管家手上项目的资金到位率最高",
        "按责任单位看合同履约率",
    ],
    requires=("group", "rate"),
    path="group-rates",
)
def group_rates(store: FigureStore, group: Group, rate: Rate = "资金到位率", among: str | None = None,
                members: list[str] | None = None) -> GroupRates:
    """项目台账按某一列分组计算的项目比率，由高到低排名（并列同名次；该组没有可计算的项目时记无数据、不排名）。口径与各县区
    项目比率相同（开工率 = 已开工 ÷ 已签约；资金到位率 = 到位资金 ÷ 总投资，签约项目；合同履约率 = 按期开工 ÷ 到期应开工）。

    group：按哪一列分组，“产业链”“项目管家”“包抓领导”“责任单位”“首谈单位”“制造业”（制造业与非制造业）、“新建/续建”或
    “企业”（投资企业）；
    rate：“开工率”“资金到位率”（默认）“合同履约率”或“涉链占比”；
    among：可选，如“联络处”：只比较名称含此词的组；
    members：可选，只比较这几组（如“A,B,C”）。
    """
    field = RATE_FIELDS[rate]
    with store.session() as session:
        day = ledger_date(session)
        rows = load_ledger(session, store.region_scope)  # a county officer's own projects
        prov = provenance_of(session, "projects", sorted(r.id for r in rows), {r.import_id for r in rows}, None,
                             f"{RATE_RULES[rate]}；按“{group}”分组，由高到低排名，并列者名次相同")
    rates = county_rates(rows, day, GROUP_COLUMNS[group][1])
    kept = _among(list(rates), among, members)
    table = [GroupRate(name=name, value=getattr(r, field), signed=r.signed) for name, r in rates.items() if name in kept]
    ranks = competition_rank([(t.name, Decimal(str(t.value))) for t in table if t.value is not None])
    for t in table:
        t.rank = ranks.get(t.name)
    table.sort(key=lambda t: (t.rank is None, t.rank or 0, t.name))
    figures = [Figure(label=f"{_group_said(group, t.name)}项目{rate}", value=t.value, unit="%", period=None, provenance=prov)
               for t in table]
    ranked = [t for t in table if t.rank is not None]
    head, label = f"截至{cn_date(day)}台账，", f"{group}（{among}）" if among else group
    label = f"{label}（{'、'.join(members)}）" if members else label
    if not ranked:
        return GroupRates(as_of=day, group=group, rate=rate, rows=table, figures=figures,
                          summary=head + f"没有可按“{label}”计算{rate}的项目（无数据）。")
    top = [t.name for t in ranked if t.rank == ranked[0].rank]
    low = [t.name for t in ranked if t.value == ranked[-1].value]
    listing = "、".join(f"{t.rank}. {t.name} {format_value(t.value, '%')}" for t in ranked)
    missing = [t.name for t in table if t.rank is None]
    summary = (head + f"按{label}分，项目{rate}最高的是{'、'.join(top)}（{format_value(ranked[0].value, '%')}），最低的是"
               f"{'、'.join(low)}（{format_value(ranked[-1].value, '%')}）。排名：{listing}"
               + (f"；{'、'.join(missing)}无可计算的项目，未排名" if missing else "") + f"。（{prov.formula}）")
    return GroupRates(as_of=day, group=group, rate=rate, rows=table, figures=figures, summary=summary)
