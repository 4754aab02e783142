"""Ordinary-week ledger questions through Assistant.ask over the demo ledgers: a lifecycle step in a window of
dates (开工, 投产, 线索 by their own dates; a month or quarter without its year is the data's year), the visit
records of one person, the problem ledger's 办理进展 between two dates, a lead's grade that is no stage, and an
office that follows enterprises named with 在跟踪. Relative dates count from the data's as-of day (2023-07-28)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import assistant.tools as tools
from assistant.answer.engine import Assistant
from assistant.answer.types import Answer
from assistant.cli import main
from assistant.tools.registry import REGISTRY


@pytest.mark.parametrize(("question", "route", "present", "absent"), [
    # a lifecycle step dated within a window, or up to a month's end
    ("二季度有哪些项目开工", "projects_reaching", ["物流园二期", "富硒茶饮品", "2023年6月5日开工"], ["锂电隔膜"]),
    ("4月份投产了几个项目", "projects_reaching", ["新型墙材", "1 个"], ["旅游民宿集群"]),
    ("上周有项目开工吗", "projects_reaching", ["2023年7月15日—2023年7月21日没有开工的项目"], []),
    ("这周哪些项目动工了", "projects_reaching", ["碳基新材料", "2023年7月26日开工"], []),
    ("截至6月底开工了多少个项目", "projects_reaching", ["截至2023年6月30日开工的项目 29 个"], []),
    ("近两周有哪些新线索", "projects_reaching", ["高端丝绸面料", "中药配方颗粒"], ["康养小镇"]),
    # a month without its year is the data's year; 本月 counts from the data's day; 新签约 is no stage filter
    ("6月份签约了哪些项目", "list_projects", ["储能电站", "共 1 个项目"], ["富硒茶饮品"]),
    ("这个月新签约了什么项目", "list_projects", ["碳基新材料", "“这个月”按此日期理解"], ["瀛湖康养度假区"]),
    # one person's visit records, the person being a 走访人员 of the contacts table
    ("陈某走访过哪些企业", "office_contacts", ["纵目科技", "国轩高科", "共有走访叩门记录 3 次"], ["欣旺达电子"]),
    ("周某最近一次叩门是去的哪家", "office_contacts", ["2023年7月18日", "某丝绸面料企业"], ["京东集团"]),
    # the problem ledger's 办理进展 log between two dates
    ("本周问题台账有什么新进展", "problem_moves",
     ["WT-2023-003", "联席会议明确8月底前完成接入", "WT-2023-011", "新登记"], []),
    ("上周哪些诉求办理有推进", "problem_moves",
     ["2023年7月15日—2023年7月21日", "省发改委初审通过", "企业补充环境监测数据"], ["消防验收未通过"]),
    # B级线索 is the lead's grade, not the 线索 stage
    ("B级线索的项目有几个", "list_projects", ["线索等级为B的项目 18 个"], []),
    # 在跟踪 after an office says who follows the enterprises, not the 跟踪中 status
    ("北京联络处在跟踪的目标企业有哪些", "list_enterprises", ["京东集团"], ["没有"]),
])
def test_weekly_ledger_windows(assistant: Assistant, question: str, route: str, present: list[str],
                               absent: list[str]) -> None:
    ask_routed(assistant, question, route, present, absent)


def ask_routed(assistant: Assistant, question: str, route: str, present: list[str], absent: list[str]) -> Answer:
    """Ask through the tool `route`: the answer says every `present` text, its lead none of `absent`, and every
    number it writes is traced."""
    assert assistant.route(question).route == route
    answer = assistant.ask(question)
    for text in present:
        assert text in answer.answer, answer.answer
    for text in absent:
        assert text not in answer.answer.split("【")[0], answer.answer
    assert answer.flagged_numbers == []
    return answer


def test_a_long_milestone_list_counts_every_project_and_lists_the_first_by_date(assistant: Assistant) -> None:
    """截至6月底 over a large ledger: the count is of all projects, the listing the earliest `limit` (the CLI and the
    API take it from the tool's declaration)."""
    result = CliRunner().invoke(main, ["figures", "milestones", "开工", "--until", "2023-06-30", "--limit", "5", "--json"],
                                env={"ASSISTANT_DATA_DIR": str(assistant.settings.data_dir)})
    assert result.exit_code == 0, result.output
    listed = json.loads(result.output)
    assert listed["count"] == 29 and len(listed["items"]) == 5 and listed["figures"][0]["value"] == 29
    assert listed["dates"] == sorted(listed["dates"])
    assert "截至2023年6月30日开工的项目 29 个（按开工日期列出前 5 个）" in listed["summary"]


def test_a_person_is_a_visitor_only_where_visits_are_asked(assistant: Assistant) -> None:
    """王某 is a 项目管家 too: named with the column, the project ledger answers."""
    plan = assistant.route("王某当项目管家的项目有哪些")
    assert plan.route == "list_projects"
    assert plan.calls[0].params.get("matches") == ["项目管家=王某"]


def test_a_tool_module_is_registered_without_being_named_anywhere_else() -> None:
    """Adding a tool is one module: the package imports every module it holds."""
    init = (Path(tools.__file__).parent / "__init__.py").read_text(encoding="utf-8")
    for name, module in (("problem_moves", "problem_moves"), ("projects_reaching", "milestones")):
        assert name in REGISTRY
        assert module not in init
