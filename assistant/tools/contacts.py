"""驻外招商联络处 and their 走访 / 叩门 records: who met which enterprise, when, with what outcome."""

from __future__ import annotations

from collections import Counter
from datetime import date

from pydantic import BaseModel
from sqlalchemy import select

from assistant.db.errors import InvalidValue, LedgerDenied
from assistant.db.models import Contact, Enterprise, Office
from assistant.db.session import FigureStore
from assistant.db.vocab import normalise_name
from assistant.tools.common import period_of, provenance, resolve_office
from assistant.tools.registry import figure_tool
from assistant.tools.types import Figure, Provenance, cn_date


def visit_line(held_on: date, unit: str, visitors: str | None, method: str | None, outcome: str | None,
               enterprise: str = "") -> str:
    """One visit as staff read it: 2023年4月11日 驻上海招商联络处 陈某 走访国轩高科（介绍隔膜配套条件）. The unit is left
    out where the listing is of one unit, the company where the record is read on the company's own card."""
    return (f"{cn_date(held_on)} {unit + ' ' if unit else ''}{visitors + ' ' if visitors else ''}{method or '对接'}"
            f"{enterprise}{'（' + outcome + '）' if outcome else ''}")


class ContactItem(BaseModel):
    id: int
    held_on: date
    enterprise: str
    unit: str
    office: str | None
    visitors: str | None
    method: str | None
    outcome: str | None
    next_step: str | None


class ContactList(BaseModel):
    office: str | None
    period: str | None
    items: list[ContactItem]
    count: int
    enterprises: list[str]
    by_office: list[tuple[str, int]]
    latest_outside: str | None
    # the status the target-enterprise table gives each company contacted (已签约, 跟踪中…), where it holds it
    enterprise_status: dict[str, str] = {}
    figures: list[Figure]
    provenance: Provenance
    summary: str


@figure_tool(
    "驻外招商联络处的走访、叩门记录：对接了哪些企业、结果和下一步",
    examples=[
        "驻深圳联络处今年对接了哪些企业？", "上海联络处走访了哪些企业", "各联络处今年叩门了多少次，哪个次数最多",
        "联络处最近拜访了哪些企业，下一步干什么", "驻外联络处对接企业的情况", "欣旺达电子谁去对接过",
        "某人今年走访了哪些企业", "某人最近一次叩门是哪天去的哪家",
    ],
    slots={"office": "city", "about": "contact_about", "about_field": "contact_field"},
    path="contacts",
)
def office_contacts(store: FigureStore, office: str | None = None, period: str | None = None,
                    enterprise: str | None = None, visitor: str | None = None, date_from: date | None = None,
                    date_to: date | None = None, unit: str | None = None, about: list[str] | None = None,
                    about_field: str | None = None) -> ContactList:
    """驻外招商联络处（及其他单位）的走访、叩门、来访记录：日期、企业、人员、方式、对接成果、下一步，按日期排列。

    office：可选，联络处名称、简称或驻地城市，如“驻深圳招商联络处”“深圳联络处”“深圳”；
    period：可选，如“2023”（全年）或“2023Q2”，只列该累计期间内的记录；enterprise：可选，企业名称或其中一部分；
    visitor：可选，走访人员姓名，如“黄某”，只列有此人参加的记录；
    date_from、date_to：可选，日期范围，如“2023-04-01”到“2023-06-30”（某月、某季度内的记录，给出时不看 period）；
    unit：可选，对接单位名称或其中有区分度的部分，如“外资科”“市招商局产业链招商科”，只列该单位的记录；
    about：可选，词语列表，如 ["高新区"]：只列“下一步”或“对接成果”写到其中任一个词的记录；
    about_field：可选，“下一步”或“对接成果”：about 只看这一栏。
    """
    if about_field not in (None, "下一步", "对接成果"):
        raise InvalidValue(f"“{about_field}”不是走访记录的栏目，可选：下一步、对接成果。")
    if date_from and date_to and date_from > date_to:
        raise InvalidValue(f"日期范围有误：起始日期 {date_from} 晚于结束日期 {date_to}。")
    written = f"{about_field or '下一步或对接成果'}写到“{'”或“'.join(about)}”" if about else ""  # (rule and scope)
    if store.region_scope:  # the records name companies and contacts across the city: not a county's own rows
        raise LedgerDenied("驻外招商联络处的走访、叩门记录")
    p = None if date_from or date_to else period_of(period)
    first, last = (date_from or date.min, date_to or date.max) if date_from or date_to else (
        (p.start, p.end) if p else (date.min, date.max))
    span = f"{cn_date(date_from) if date_from else ''}—{cn_date(date_to) if date_to else ''}" if date_from or date_to else ""
    with store.session() as session:
        offices = list(session.scalars(select(Office)))
        office_name = None
        office_id = None
        if office:
            found = resolve_office(offices, office)
            office_name, office_id = found.name, found.id
        names = {o.id: o.name for o in offices}
        stmt = select(Contact)
        if office_id is not None:
            stmt = stmt.where(Contact.office_id == office_id)
        rows = [c for c in session.scalars(stmt)
                if (not enterprise or normalise_name(enterprise) in normalise_name(c.enterprise_name))
                and (not visitor or visitor in (c.visitors or ""))
                and (not unit or normalise_name(unit) in normalise_name(c.unit))
                and (not about or any(w in text for w in about for text in _about_texts(c, about_field)))]
        inside = sorted((c for c in rows if first <= c.held_on <= last),
                        key=lambda c: (c.held_on, c.enterprise_name))
        outside = max((c for c in rows if c not in inside), key=lambda c: c.held_on, default=None)
        latest = (f"{cn_date(outside.held_on)} {outside.unit}{outside.method or '对接'}{outside.enterprise_name}"
                  if outside else None)
        rule = "走访叩门记录（contacts 表）" + (f"中 {p.label} 的记录" if p else f"中 {span} 的记录" if span else "") + (
            f"，走访人员含“{visitor}”" if visitor else "") + (f"，对接单位含“{unit}”" if unit else "") + (
            f"，{written}" if written else "")
        # none in the period: the zero is a finding about the records looked through (the office's, or all)
        prov = provenance(session, "contacts", [(c.id, c.import_id) for c in inside or rows
                                                or session.scalars(stmt)], p, rule)
        companies = {normalise_name(i.enterprise_name) for i in inside}
        held = {normalise_name(e.name): e.status for e in session.scalars(select(Enterprise)) if e.status
                and normalise_name(e.name) in companies}
        items = [ContactItem(id=c.id, held_on=c.held_on, enterprise=c.enterprise_name, unit=c.unit,
                             office=names.get(c.office_id) if c.office_id else None, visitors=c.visitors,
                             method=c.method, outcome=c.outcome, next_step=c.next_step) for c in inside]
    enterprises = list(dict.fromkeys(i.enterprise for i in items))
    statuses = {name: held[normalise_name(name)] for name in enterprises if normalise_name(name) in held}
    by_office = Counter(i.office or i.unit for i in items).most_common()
    units = sorted({i.unit for i in items}) if unit else []
    scope = "".join(filter(None, [p.label if p else span, written and f"{written}的",
                                  office_name or "、".join(units) or (f"“{unit}”" if unit else "" if visitor else "各单位"),
                                  visitor and f"{visitor}参加的", enterprise and f"对接“{enterprise}”"]))
    figures = [Figure(label=f"{scope}走访叩门记录数", value=len(items), unit="个", period=p.key if p else None,
                      provenance=prov),
               Figure(label=f"{scope}对接企业数", value=len(enterprises), unit="家", period=p.key if p else None,
                      provenance=prov)]
    if items:
        listing = "；".join(visit_line(i.held_on, "" if office_name else i.office or i.unit, i.visitors, i.method,
                                       i.outcome, i.enterprise) + (f"，下一步：{i.next_step}" if i.next_step else "")
                            for i in items[:15])
        summary = f"{scope}共有走访叩门记录 {len(items)} 次，对接企业 {len(enterprises)} 家（{'、'.join(enterprises)}）：{listing}。"
        if not office_name and len(by_office) > 1:
            summary += "按单位：" + "、".join(f"{n} {c} 次" for n, c in by_office) + "。"
        if statuses:  # (驻深圳联络处对接过的企业里有几家已经签约了: the target-enterprise table's status of each)
            by_status = Counter(statuses.values())
            summary += "对接企业在目标企业库中的状态：" + "、".join(
                f"{status} {n} 家（{'、'.join(name for name, s in statuses.items() if s == status)}）"
                for status, n in by_status.most_common()) + "。"
    else:
        summary = f"{scope}没有走访叩门记录（无数据）。" + (f"最近一次记录：{latest}。" if latest else "")
    return ContactList(office=office_name, period=p.key if p else None, items=items, count=len(items),
                       enterprises=enterprises, by_office=by_office, latest_outside=latest, figures=figures,
                       enterprise_status=statuses,
                       provenance=prov, summary=summary)


def _about_texts(c: Contact, field: str | None) -> list[str]:
    """The columns of a visit record `about` is looked for in: 下一步, 对接成果, or both."""
    return [t or "" for name, t in (("下一步", c.next_step), ("对接成果", c.outcome)) if field in (None, name)]
