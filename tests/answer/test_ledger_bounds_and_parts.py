"""Three ways officers narrow a question that the ledgers answer: an upper bound of investment (不到2亿, 1亿元以下
— the bound itself only where the wording includes it), visits in a month or quarter (二季度走访 is April–June,
not the cumulative first half), and a project named by the part of its name that tells it apart (魔芋项目)."""

from __future__ import annotations

import pytest

from assistant.answer.engine import Assistant
from tests.answer.test_ledger_windows import ask_routed


@pytest.mark.parametrize(("question", "route", "present", "absent"), [
    # below the bound; 以下 includes it (港资纺织服装 and 中医药康养 are 2.0 亿元)
    ("投资额不到2亿的小项目有几个", "list_projects", ["共 8 个项目"], ["港资纺织服装"]),
    ("2亿元以下的项目有哪些", "list_projects", ["共 10 个项目", "港资纺织服装"], []),
    ("高新区总投资低于3亿的项目", "list_projects", ["外资电子配套", "物流园二期"], ["锂电隔膜"]),
    # a quarter or month of visits is its own months
    ("二季度一共对接企业多少次", "office_contacts", ["2023年4月1日—2023年6月30日", "走访叩门记录 6 次"], ["京东集团（商谈"]),
    ("深圳办7月份走访了哪家企业", "office_contacts", ["格力钛新能源"], ["欣旺达电子"]),
    # the distinct part of one project's name
    ("魔芋项目到位了多少钱", "find_project", ["1.10亿元"], []),
    ("储能项目什么时候签约的", "find_project", ["2023年6月8日"], []),
])
def test_bounds_windows_and_name_parts(assistant: Assistant, question: str, route: str, present: list[str],
                                       absent: list[str]) -> None:
    answer = ask_routed(assistant, question, route, present, absent)
    assert all(f.provenance.row_ids for f in answer.figures if f.value is not None), answer.figures


@pytest.mark.parametrize("question", ["富硒项目有几个", "康养项目有哪些", "新能源项目有哪些"])
def test_a_part_several_projects_share_or_a_chain_names_no_one_project(assistant: Assistant, question: str) -> None:
    assert assistant.understand(question).slots.project is None


@pytest.mark.parametrize("question", ["秦巴水电站项目现在啥进度", "安康富硒大数据中心项目什么时候开工"])
def test_the_tail_of_an_unknown_name_is_no_part_of_a_known_one(assistant: Assistant, question: str) -> None:
    """电站 is in 储能电站, 中心 in 电商物流分拨中心: a name the ledger does not hold is said to be missing."""
    answer = assistant.ask(question)
    assert "项目库中没有" in answer.answer and not [f for f in answer.figures if f.value is not None], answer.answer


def test_a_follow_up_moves_the_window_to_the_quarter_it_names(assistant: Assistant) -> None:
    answer = assistant.ask("那三季度呢", ["深圳办二季度走访了哪些企业"])
    assert "2023年7月1日—2023年9月30日" in answer.answer and "格力钛新能源" in answer.answer, answer.answer
    assert "欣旺达电子" not in answer.answer.split("【")[0]


@pytest.mark.parametrize(("question", "route", "present", "absent"), [
    # the offices themselves: how many, who heads one, since when
    ("咱们一共设了几个驻外联络处", "list_offices", ["驻外招商联络处共 5 个"], []),
    ("西安办是啥时候设立的", "list_offices", ["2022年5月10日设立"], ["驻北京"]),
    ("驻沪联络处的负责人是哪位", "list_offices", ["负责人陈某"], ["驻北京"]),
    # a leader's portfolio said as 口: the 包抓领导 column, not a department of the problem ledger
    ("商务口的副市长包抓了多少个项目", "list_projects", ["包抓领导为分管商务的项目 9 个"], []),
    ("工业口的市领导包抓哪些项目", "list_projects", ["分管工业", "锂电隔膜"], []),
])
def test_offices_and_leader_portfolios(assistant: Assistant, question: str, route: str, present: list[str],
                                       absent: list[str]) -> None:
    answer = ask_routed(assistant, question, route, present, absent)
    assert all(f.provenance.row_ids for f in answer.figures if f.value is not None), answer.figures


def test_another_citys_offices_are_what_its_documents_say(assistant: Assistant) -> None:
    """The offices and visit tables are this bureau's own: 汉中市's offices are not a place they lack."""
    assert assistant.route("汉中市在哪些地方设了驻外机构").route not in ("list_offices", "office_contacts")
