"""Projects that reached a lifecycle step (线索, 在谈, 开工, 投产) within a window of dates or up to a day, by the
date the ledger records for that step: 二季度开工的项目, 上周有没有项目开工, 截至6月底开工了几个, 近两周新进的线索."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, Literal

from pydantic import BaseModel
from sqlalchemy import func, select

from assistant.db.errors import InvalidValue
from assistant.db.models import Project
from assistant.db.session import FigureStore
from assistant.tools.common import found_or_examined, scoped_region
from assistant.tools.lifecycle import LedgerItem, _item, ledger_date, load_ledger, region_filter
from assistant.tools.registry import figure_tool
from assistant.tools.types import Figure, Provenance, cn_date, format_value

Milestone = Literal["线索", "在谈", "签约", "开工", "投产"]
# the ledger column each step is dated by
DATE_COLUMNS: dict[str, Any] = {"线索": Project.clue_on, "在谈": Project.talks_on, "签约": Project.signed_on,
                                "开工": Project.started_on, "投产": Project.operating_on}
COLUMN_NAMES = {"线索": "线索日期", "在谈": "在谈日期", "签约": "签约日期", "开工": "开工日期", "投产": "投产日期"}


class MilestoneList(BaseModel):
    milestone: str
    date_from: date | None
    date_to: date
    items: list[LedgerItem]
    dates: list[date]  # each listed project's date of the step
    count: int
    latest_before: str | None
    figures: list[Figure]
    provenance: Provenance
    summary: str


@figure_tool(
    "某段时间内（或截至某日）到达某个阶段的项目：新进线索、进入洽谈、开工、投产",
    examples=[
        "二季度开工的项目有哪些", "上周有没有项目开工", "截至6月底开工了多少个项目", "最近两周进了哪些新线索",
        "5月份投产了哪些项目", "这个月有哪些项目进入洽谈", "今年以来开工的项目清单", "上个月有项目动工吗",
    ],
    slots={"milestone": "milestone", "date_from": "date_from", "date_to": "date_to", "until": "until"},
    requires=("milestone",),
    path="milestones",
)
def projects_reaching(store: FigureStore, milestone: Milestone, date_from: date | None = None,
                      date_to: date | None = None, until: date | None = None,
                      region: str | None = None, limit: int = 50) -> MilestoneList:
    """在某段时间内到达某个阶段的项目（按台账记录的该阶段日期：线索日期、在谈日期、签约日期、开工日期、投产日期），列出项目和日期；
    只给截止日（until）时为截至该日已到达该阶段的全部项目；都不给时为本周（台账日期及之前共 7 天）。

    milestone：线索、在谈、签约、开工、投产；date_from、date_to：可选，如“2023-04-01”到“2023-06-30”；
    until：可选，截止日期，如“2023-06-30”；region：可选，地区名或简称；limit：最多列出条数（默认 50，数目按全部计）。
    """
    column = DATE_COLUMNS.get(milestone)
    if column is None:
        raise InvalidValue(f"“{milestone}”不是项目阶段，可选：{'、'.join(DATE_COLUMNS)}。")
    with store.session() as session:
        day = ledger_date(session)
        end = date_to or until or (date_from + timedelta(days=6) if date_from else day)
        start = date_from if date_from else (None if until and not date_to else end - timedelta(days=6))
        if start and start > end:
            raise InvalidValue(f"日期范围有误：起始日期 {start} 晚于结束日期 {end}。")
        region = scoped_region(store, session, region)
        window = [column <= end] + ([column >= start] if start else [])
        total = session.scalar(select(func.count()).select_from(Project)
                               .where(*region_filter(session, region), *window)) or 0
        # the database picks the first `limit` by the step's date: 截至去年 over a 10,000-project ledger lists 50, counts all
        hits = load_ledger(session, region, *window, order=(column, Project.id), limit=max(limit, 0))
        dated: dict[int, date] = dict(session.execute(select(Project.id, column).where(Project.id.in_([p.id for p in hits] or [0]))).all())
        hits.sort(key=lambda p: (dated.get(p.id) or date.max, p.name))
        before = None
        if start:
            last = session.scalar(select(column).where(*region_filter(session, region), column < start)
                                  .order_by(column.desc()).limit(1))
            if last:
                earlier = load_ledger(session, region, column == last)
                before = f"{earlier[0].name}（{earlier[0].region}，{cn_date(last)}{milestone}）" if earlier else None
        span = f"{cn_date(start)}—{cn_date(end)}" if start else f"截至{cn_date(end)}"
        rule = f"{COLUMN_NAMES[milestone]}在 {span.removeprefix('截至')}{'及以前' if not start else ''} 的项目"
        prov = found_or_examined(session, "projects", [(p.id, p.import_id) for p in hits], Project.id,
                                 Project.import_id, region_filter(session, region), None, rule)
    items = [_item(p, day) for p in hits]
    dates = [dated[p.id] for p in hits]
    word = {"线索": "新进台账的线索", "在谈": "进入洽谈的项目", "签约": "签约的项目", "开工": "开工的项目",
            "投产": "投产的项目"}[milestone]
    figures = [Figure(label=f"{span}{word}数", value=total, unit="个", period=None, provenance=prov)]
    if items:
        listing = "；".join(f"{i.name}（{i.region}，{cn_date(d)}{milestone}，现处{i.stage}阶段，"
                           f"总投资 {format_value(i.total_investment_yi_yuan, '亿元')}）" for i, d in zip(items, dates, strict=True))
        more = f"（按{COLUMN_NAMES[milestone]}列出前 {len(items)} 个）" if total > len(items) else ""
        summary = f"{span}{word} {total} 个{more}：{listing[:3000]}。"
    else:
        summary = f"{span}没有{word}（0个）。" + (f"此前最近一次：{before}。" if before else "")
    return MilestoneList(milestone=milestone, date_from=start, date_to=end, items=items, dates=dates, count=total,
                         latest_before=before, figures=figures, provenance=prov, summary=summary)
