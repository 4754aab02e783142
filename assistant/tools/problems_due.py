"""Problems coming due: open problems of the problem ledger whose 办结时限 falls in a window ahead (下个月到期,
本周要办结, 30天内到期). The ledger's deadlines are the one thing it holds about days that have not come yet, so a
question about next month is answerable here, unlike a figure of a period not reported yet.
"""

from __future__ import annotations

from datetime import date, timedelta

from assistant.db.session import FigureStore
from assistant.tools.ledger import ProblemProgressList, problem_ledger
from assistant.tools.lifecycle import ledger_date
from assistant.tools.registry import figure_tool

DEFAULT_DAYS = 30  # no window said (快到期的问题): the 30 days after the ledger date


@figure_tool(
    "快到办结时限的问题：办结时限在某段时间内（下周、下个月、N天内）、尚未解决",
    examples=[
        "下个月到期要办结的问题有哪些", "这个月要到办结时限的问题", "快到办结时限的问题有哪些", "30天内到期的企业诉求",
        "下周哪些问题要办结", "发改委负责的问题哪些快到期了", "问题台账里这几天就到期的有没有",
    ],
    slots={"due_from": "due_from", "due_to": "due_to"},
    requires=("due_from",),  # a window ahead said in the question: 财政局的问题超期了没有 looks back, not ahead
    path="problems-due",
)
def problems_due(store: FigureStore, due_from: date | None = None, due_to: date | None = None,
                 region: str | None = None, department: str | None = None) -> ProblemProgressList:
    """问题台账中尚未解决、办结时限在 due_from 至 due_to 之间的问题（默认：台账日期之后 30 天内），含协调层级和办理进展。

    due_from、due_to：可选，办结时限的起止日期，如“2023-08-01”“2023-08-31”；region：可选，地区名或简称；
    department：可选，责任部门名称或常用简称，如“发改委”。
    """
    with store.session() as session:
        day = ledger_date(session)
    start = due_from or day
    return problem_ledger(store, None, region, department, False,
                          due=(start, due_to or max(start, day) + timedelta(days=DEFAULT_DAYS)))
