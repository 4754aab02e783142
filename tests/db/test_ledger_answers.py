"""Ledger answers that say what was asked: projects picked by a column's value, a tie in the 考核 with the points
earned and lost, a department's solved problem when none is open, problems raised in a window, each enterprise's
对接状态, one county's rate and place."""

from __future__ import annotations

import pytest

from assistant.db.errors import InvalidValue
from assistant.db.session import FigureStore
from assistant.tools import run_tool


@pytest.mark.parametrize(("tool", "params", "said"), [
    ("list_projects", {"matches": ["项目管家=张某"]}, ["项目管家为张某的项目 4 个", "纺织服装产业园项目（示例）"]),
    ("list_projects", {"region": "高新区", "matches": ["制造业=是"]}, ["制造业的项目 6 个"]),
    ("list_projects", {"matches": ["包抓领导=分管文旅"]}, ["包抓领导为分管文旅的项目 4 个"]),
    ("assessment", {"period": "2023Q2", "region": "石泉"}, ["排并列第 2 名", "权重 20 分得 0.00 分，失 20.00 分"]),
    ("open_problems", {"department": "市场监督管理"}, ["没有未解决的问题。已解决的 1 个：WT-2023-008", "基本满意"]),
    ("open_problems", {"opened_from": "2023-07-22", "opened_to": "2023-07-28"}, ["未解决问题 1 个", "WT-2023-007"]),
    ("list_enterprises", {"category": "民营500强"}, ["通威集团（已对接，", "欣旺达电子（跟踪中，"]),
    ("county_project_rates", {"rate": "合同履约率", "region": "高新区"}, ["高新区项目合同履约率80.00%，在 13 个县区中排第 10 名"]),
    ("county_start_rates", {"region": "平利"}, ["平利县项目开工率100.00%，在 13 个县区中排并列第 1 名"]),
    ("county_chain_shares", {"region": "恒口"}, ["恒口项目涉链占比33.33%，在 13 个县区中排第 13 名"]),
])
def test_ledger_answers_say_what_was_asked(demo_store: FigureStore, tool: str, params: dict[str, object],
                                           said: list[str]) -> None:
    summary = run_tool(tool, demo_store, params).summary
    for text in said:
        assert text in summary, summary


def test_a_yes_no_column_takes_only_yes_or_no(demo_store: FigureStore) -> None:
    with pytest.raises(InvalidValue, match="只能筛选“是”或“否”"):
        run_tool("list_projects", demo_store, {"matches": ["制造业=大概"]})


@pytest.mark.parametrize(("matches", "error"), [
    (["项目管家张某"], "应写作“列名=值”"),
    (["总投资=5"], "没有可用的“总投资”列"),  # not a column projects are picked by
])
def test_a_filter_names_a_column_and_a_value(demo_store: FigureStore, matches: list[str], error: str) -> None:
    with pytest.raises(InvalidValue, match=error):
        run_tool("list_projects", demo_store, {"matches": matches})
