"""Deadlines asked of a named month (8月份要到约定开工期限, 办结时限在9月份): the month is the window the deadline
falls in — not a signing window, not the month a project started — for projects' agreed start dates and for
problems' 办结时限 alike. And a field said as an area (文旅康养方向, 新能源领域) is the chain it names."""

from __future__ import annotations

import pytest

from assistant.answer.engine import Assistant
from tests.answer.test_ledger_windows import ask_routed


@pytest.mark.parametrize(("question", "route", "present", "absent"), [
    ("8月份要到约定开工期限的项目有哪些", "due_this_week",
     ["2023年8月1日—2023年8月31日", "生物医药中间体"], ["储能电站"]),
    ("9月份约定开工期限到期的有几个", "due_this_week", ["2023年9月1日—2023年9月30日没有"], ["碳基新材料"]),
    ("哪些项目约定12月开工", "due_this_week", ["储能电站"], ["生物医药中间体"]),
    ("办结时限在9月份的问题有哪些", "problems_due", ["WT-2023-006", "WT-2023-010"], ["WT-2023-002"]),
    ("2023年8月要办结的问题", "problems_due", ["WT-2023-002"], ["WT-2023-006"]),
    # a day counted up to is no deadline month
    ("截至6月底签了约还没开工的是哪些", "stalled_projects", ["截至2023年6月30日"], []),
    ("6月份签约了哪些项目", "list_projects", ["储能电站"], []),
    ("文旅康养方向的目标企业有哪些", "list_enterprises", ["香港铜罗湾集团", "示例文旅发展有限公司"], []),
    ("新能源领域的目标企业有几家", "list_enterprises", ["6 家", "宁德时代"], []),
])
def test_deadline_months_and_area_words(assistant: Assistant, question: str, route: str, present: list[str],
                                        absent: list[str]) -> None:
    answer = ask_routed(assistant, question, route, present, absent)
    assert all(f.provenance.row_ids for f in answer.figures if f.value is not None), answer.figures
