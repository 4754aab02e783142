"""Projects picked by the values of their ledger columns (张某当管家的项目, 续建项目, 制造业项目), day counts and week
windows read as staff write them (tests/db/test_ledger_answers.py holds what the tools then say)."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.answer.engine import Assistant
from assistant.answer.grounded import plan_for
from assistant.answer.router import RouteScore
from assistant.answer.slots import SlotVocabulary, day_count, fill_slots, ledger_matches

VALUES = {"项目管家": ["张某", "李某", "黄某"], "包抓领导": ["副市长（分管文旅）", "副市长（分管工业）"],
          "责任单位": ["高新区招商服务中心", "石泉县招商局"], "新建/续建": ["新建", "续建"], "线索等级": ["A", "B", "C"]}


@pytest.mark.parametrize(("question", "filters", "mentions"), [
    ("张某当管家的项目有哪几个", {"项目管家": "张某"}, {}),  # a person, with the column named
    ("黄某今年对接了哪些企业", {}, {"项目管家": "黄某"}),  # a person without the column: only a mention
    ("分管文旅的副市长包抓哪些项目", {"包抓领导": "分管文旅"}, {}),  # the remit inside the leader's title
    ("高新区招商服务中心当责任单位的项目有几个", {"责任单位": "高新区招商服务中心"}, {}),
    ("续建项目都有哪些", {"新建/续建": "续建"}, {}),
    ("B级线索里现在在谈的有哪些", {"线索等级": "B"}, {}),
    ("高新区制造业项目有几个", {"制造业": "是"}, {}),  # a yes/no column by its header before 项目
    ("非制造业项目有哪些", {"制造业": "否"}, {}),
    ("各县区制造业投资占比", {}, {}),  # the header not naming projects
    ("GAP基地在哪", {}, {}),  # a letter inside a word is no 线索等级
])
def test_a_ledger_value_in_the_question_picks_projects(question: str, filters: dict[str, str],
                                                       mentions: dict[str, str]) -> None:
    assert ledger_matches(question, VALUES) == (filters, mentions)


@pytest.mark.parametrize(("question", "matches"), [
    ("续建项目都有哪些", {"新建/续建": "续建"}),
    ("新建项目资金到位率低于多少不得分", None),  # a rule about such projects: no list asked
    ("石泉县招商局局长叫什么名字", None),
])
def test_a_value_filters_only_a_list(question: str, matches: dict[str, str] | None) -> None:
    assert fill_slots(question, SlotVocabulary(ledger_values=VALUES)).matches == matches


@pytest.mark.parametrize(("question", "days"), [
    ("20天没更新进展的项目", 20),  # a threshold said with a negation
    ("10天无进展的项目", 10),
    ("30天内要到约定开工期限的项目", 30),
    ("石泉县2023年一季度内资同比增长多少", None),  # a calendar year, and 内 of 内资
    ("上半年内资完成进度", None),  # 上半年 is a period
    ("6月底全市配了多少项目管家", None),
])
def test_a_day_count_is_a_span_not_a_date(question: str, days: int | None) -> None:
    assert fill_slots(question, SlotVocabulary()).days == days
    assert day_count("那50天呢") == 50


@pytest.mark.parametrize(("before", "question", "tool", "params"), [
    ("张某当管家的项目有哪几个", "那李某呢", "list_projects", {"matches": ["项目管家=李某"]}),
    ("本周到位资金增加了多少", "上周的呢", "weekly_changes",
     {"date_from": date(2023, 7, 15), "date_to": date(2023, 7, 21)}),
])
def test_a_follow_up_puts_another_value_in_place(assistant: Assistant, before: str, question: str, tool: str,
                                                 params: dict[str, object]) -> None:
    plan = assistant.route(question, [before])
    assert plan.route == tool, plan
    assert params.items() <= plan.calls[0].params.items(), plan.calls


@pytest.mark.parametrize(("question", "tool", "params"), [
    ("这周哪些项目停滞了没动静", "weekly_changes", {"date_from": date(2023, 7, 22), "date_to": date(2023, 7, 28)}),
    # problems newly raised in a week, solved ones too: what moved in it (新提出 counted apart)
    ("本周问题台账新增了哪些问题", "problem_moves", {"date_from": date(2023, 7, 22)}),
    ("本周新提出、还没解决的问题有哪些", "open_problems", {"opened_from": date(2023, 7, 22)}),
    ("续建项目都有哪些", "list_projects", {"matches": ["新建/续建=续建"]}),
    # one county's rate by the deadline rule: the county ranking, not the library's approximate 履约率
    ("高新区合同履约率多少", "county_fulfilment_rates", {"region": "高新区"}),
    ("恒口涉链项目占比多少，排第几", "county_chain_shares", {"region": "恒口"}),
])
def test_a_week_and_a_ledger_value_route_the_question(assistant: Assistant, question: str, tool: str,
                                                      params: dict[str, object]) -> None:
    plan = assistant.route(question)
    assert plan.route == tool, plan
    assert params.items() <= plan.calls[0].params.items(), plan.calls


def test_a_week_is_a_signing_window_only_where_signing_is_asked(assistant: Assistant) -> None:
    plan = assistant.route("这周到位资金增加的项目有哪些")
    assert plan.route != "list_projects" and "signed_from" not in plan.calls[0].params, plan


@pytest.mark.parametrize("first", ["project_stats", "county_fulfilment_rates"])
def test_a_tie_between_two_tools_goes_by_the_question_s_words_not_by_the_machine(assistant: Assistant,
                                                                                 first: str) -> None:
    # the quantised embedder's similarities differ by ~1e-4 between CPUs: whichever of two tied tools scores a
    # hair higher on this machine, 合同履约率 is named by the rate ranking's declaration, not by the statistics'
    parsed = assistant.understand("高新区合同履约率多少", None)
    other = "county_fulfilment_rates" if first == "project_stats" else "project_stats"
    scores = [RouteScore(first, 0.97405), RouteScore(other, 0.97401), RouteScore("policy", 0.94)]
    plan = plan_for(parsed, scores, assistant._latest_period)
    assert plan.route == "county_fulfilment_rates", plan
    # a real gap is not a tie: the better route wins whatever the words
    scores = [RouteScore("project_stats", 0.975), RouteScore("county_fulfilment_rates", 0.96)]
    assert plan_for(parsed, scores, assistant._latest_period).route == "project_stats"
