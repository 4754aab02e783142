"""The 驻外招商联络处 themselves (offices.csv): which there are, where, their short names, who heads them and
since when — configuration data of the bureau, read like any other table and answered with its rows."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel
from sqlalchemy import func, select

from assistant.db.models import Contact, Office
from assistant.db.session import FigureStore
from assistant.tools.common import period_of, provenance, resolve_office
from assistant.tools.registry import figure_tool
from assistant.tools.types import Figure, Provenance, cn_date


class OfficeItem(BaseModel):
    name: str
    city: str
    aliases: list[str]
    head: str | None
    founded_on: date | None
    contacts: int  # 走访叩门记录数
    note: str | None


class OfficeList(BaseModel):
    items: list[OfficeItem]
    count: int
    figures: list[Figure]
    provenance: Provenance
    summary: str


@figure_tool(
    "驻外招商联络处名录：有哪些联络处、驻地、简称、负责人、设立日期、联系的区域（备注）",
    examples=[
        "我们在外地设了几个招商联络处", "驻外联络处都有哪些", "某联络处的负责人是谁", "某联络处是什么时候设立的",
        "驻外招商联络处名单和负责人", "某办是哪年成立的", "某年设立的联络处有几个", "某联络处主要负责联系哪些地方的企业",
        "最早设立的联络处是哪个", "最晚设立的是哪几个联络处",
    ],
    slots={"office": "city", "founded_in": "period"},
    path="offices",
)
def list_offices(store: FigureStore, office: str | None = None, founded_in: str | None = None) -> OfficeList:
    """驻外招商联络处（驻外分局）名录：名称、驻地城市、简称、负责人、设立日期和走访叩门记录数，并计数。

    office：可选，联络处名称、简称或驻地城市，如“驻西安招商联络处”“西安办”“西安”，只看这一处；
    founded_in：可选，设立的年份或累计期间，如“2021”“2022Q2”（1—6月），只列这期间设立的联络处。
    """
    within = period_of(founded_in)
    with store.session() as session:
        offices = sorted(session.scalars(select(Office)), key=lambda o: (o.founded_on or date.max, o.id))
        if office:
            offices = [resolve_office(offices, office)]
        if within is not None:
            # a period is cumulative from 1 January, as everywhere (2023Q2: founded in January to June)
            offices = [o for o in offices if o.founded_on and o.founded_on.year == within.year
                       and o.founded_on <= within.end]
        counts = dict(session.execute(select(Contact.office_id, func.count()).group_by(Contact.office_id)).all())
        prov = provenance(session, "offices", [(o.id, o.import_id) for o in offices], None, None)
        items = [OfficeItem(name=o.name, city=o.city, aliases=list(o.aliases or []), head=o.head,
                            founded_on=o.founded_on, contacts=int(counts.get(o.id, 0)), note=o.note) for o in offices]

    def line(i: OfficeItem) -> str:
        parts = [f"驻{i.city}", *(["简称" + "、".join(i.aliases)] if i.aliases else []),
                 f"负责人{i.head}" if i.head else "负责人未填",
                 f"{cn_date(i.founded_on)}设立" if i.founded_on else "设立日期未填",
                 f"走访叩门记录 {i.contacts} 次", *([f"备注：{i.note}"] if i.note else [])]
        return f"{i.name}（{'，'.join(parts)}）"

    scope = "" if office else f"{within.label}设立的" if within is not None else "全市"
    if not items:
        summary = f"没有{scope}驻外招商联络处（无符合条件的记录）。"
    else:
        summary = (f"{scope}驻外招商联络处共 {len(items)} 个：" if not office else "") + "；".join(line(i) for i in items) + "。"
    figures = [Figure(label=f"{scope}驻外招商联络处个数", value=len(items), unit="个", period=None, provenance=prov)]
    return OfficeList(items=items, count=len(items), figures=figures, provenance=prov, summary=summary)
