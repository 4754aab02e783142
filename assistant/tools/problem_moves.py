"""问题台账的动态: which problems moved (a new 办理进展, newly registered, 办结) between two dates, from the
办理进展 log that every imported problem ledger appends to (problem_progress)."""

from __future__ import annotations

from datetime import date, timedelta

from pydantic import BaseModel
from sqlalchemy import select

from assistant.db.errors import InvalidValue
from assistant.db.models import ProblemProgress
from assistant.db.session import FigureStore
from assistant.tools.common import provenance
from assistant.tools.ledger import ProblemFacts, handled_by, problems_in
from assistant.tools.lifecycle import ledger_date
from assistant.tools.registry import figure_tool
from assistant.tools.types import Figure, Provenance, cn_date

MOVES_RULE = ("问题动态 = 办理进展日期、提出日期或解决日期在所问时间段内的问题（办理进展来自 problem_progress 表：每期问题台账"
              "带来的新进展各记一条）；不填日期时为台账日期及之前共 7 天")


class ProblemMove(ProblemFacts):
    opened_in_window: bool
    closed_on: date | None
    notes: list[tuple[date, str]]  # the 办理进展 noted in the window, oldest first


class ProblemMoves(BaseModel):
    date_from: date
    date_to: date
    items: list[ProblemMove]
    count: int
    unchanged: list[str]  # open problems with nothing noted in the window (停滞)
    figures: list[Figure]
    provenance: Provenance
    summary: str


@figure_tool(
    "问题台账动态：某段时间内有新办理进展、新登记或办结的问题，以及没有进展的问题",
    examples=[
        "这周问题台账哪些问题有新进展", "上周哪些企业诉求办理有推进", "最近一周问题办理有什么推进",
        "7月份哪些问题有进展", "这周哪些问题还没有任何进展", "问题台账本周有什么变化",
    ],
    slots={"date_from": "date_from", "date_to": "date_to"},
    requires=("moved",),  # what moved: a list of the problems opened in a week is open_problems'
    path="problem-moves",
)
def problem_moves(store: FigureStore, date_from: date | None = None, date_to: date | None = None,
                  region: str | None = None, department: str | None = None) -> ProblemMoves:
    """问题台账在一段时间内的动态：期间记下新办理进展的问题（写出每条进展和日期）、新提出的问题、办结的问题，以及期间没有任何
    进展的未办结问题。不填日期时为本周（台账日期及之前共 7 天）。

    date_from、date_to：可选，如“2023-07-15”到“2023-07-21”；region：可选，地区名或简称；
    department：可选，责任部门名称或常用简称，如“发改委”。
    """
    if date_from and date_to and date_from > date_to:
        raise InvalidValue(f"日期范围有误：起始日期 {date_from} 晚于结束日期 {date_to}。")
    with store.session() as session:
        end = date_to or (date_from + timedelta(days=6) if date_from else ledger_date(session))
        start = date_from or end - timedelta(days=6)
        stmt, _ = problems_in(store, session, region)
        rows = [(pb, rg) for pb, rg in session.execute(stmt) if handled_by(pb, department)]
        notes: dict[int, list[tuple[date, str]]] = {}
        for n in session.scalars(select(ProblemProgress).where(
                ProblemProgress.problem_id.in_([pb.id for pb, _ in rows] or [0]),
                ProblemProgress.noted_on >= start, ProblemProgress.noted_on <= end).order_by(ProblemProgress.noted_on)):
            notes.setdefault(n.problem_id, []).append((n.noted_on, n.text))
        moved = [(pb, rg) for pb, rg in rows if pb.id in notes or start <= pb.opened_on <= end
                 or pb.closed_on is not None and start <= pb.closed_on <= end]
        moved.sort(key=lambda t: (min([d for d, _ in notes.get(t[0].id, [])] or [t[0].opened_on]), t[0].code))
        items = [ProblemMove(**ProblemFacts.of(pb, rg.name), opened_in_window=start <= pb.opened_on <= end,
                             closed_on=pb.closed_on if pb.closed_on and start <= pb.closed_on <= end else None,
                             notes=notes.get(pb.id, [])) for pb, rg in moved]
        moved_ids = {pb.id for pb, _ in moved}
        unchanged = [f"{pb.code} {pb.project_name or rg.name}（{pb.description}）" for pb, rg in rows
                     if pb.id not in moved_ids and pb.status != "已解决"]
        # nothing moved: the count is a finding about the problems looked through
        prov = provenance(session, "problems", [(pb.id, pb.import_id) for pb, _ in moved or rows], None,
                          f"{MOVES_RULE}；时间段 {cn_date(start)}—{cn_date(end)}")
    window = f"{cn_date(start)}—{cn_date(end)}"
    scope = "".join(filter(None, [region, department and f"“{department}”负责的"]))
    opened = sum(1 for i in items if i.opened_in_window)
    noted = sum(1 for i in items if i.notes)
    closed = sum(1 for i in items if i.closed_on)
    figures = [Figure(label=f"{window}{scope}{label}", value=value, unit="个", period=None, provenance=prov)
               for label, value in (("有动态的问题数", len(items)), ("新提出的问题数", opened),
                                    ("有新办理进展的问题数", noted), ("办结的问题数", closed))]

    def line(i: ProblemMove) -> str:
        what = [f"{d.month}月{d.day}日 {t}" for d, t in i.notes]
        if i.opened_in_window:
            what.insert(0, "新登记")
        if i.closed_on:
            what.append(f"{cn_date(i.closed_on)}办结")
        return (f"{i.code} {i.project or i.region}：{i.description}（{i.department}，{i.status}）"
                + ("——" + "；".join(what) if what else ""))

    if items:
        summary = (f"{window}{scope}问题台账有动态的问题 {len(items)} 个（新提出 {opened} 个，有新办理进展 {noted} 个，"
                   f"办结 {closed} 个）：" + "；".join(line(i) for i in items) + "。")
    else:
        summary = f"{window}{scope}问题台账没有新的办理进展、新登记或办结的问题（无数据）。"
    if unchanged:
        summary += f"期间没有新进展的未办结问题 {len(unchanged)} 个：" + "；".join(unchanged) + "。"
    return ProblemMoves(date_from=start, date_to=end, items=items, count=len(items), unchanged=unchanged,
                        figures=figures, provenance=prov, summary=summary)
