"""Ledger columns and problem-ledger levels a question asks about, filled from the database's own vocabulary (the
importer's header names, the ledger's 协调层级 values), and written out for every project or problem a list shows."""

from __future__ import annotations

import pytest

from assistant.answer.engine import Assistant
from assistant.answer.slots import SlotVocabulary, fill_slots, ledger_columns, sound_alike_terms


@pytest.mark.parametrize(("question", "columns"), [
    ("汉阴县的项目管家分别是谁", ["项目管家"]),
    ("白河县有几个项目，管家是谁", ["项目管家"]),
    ("镇坪县项目谁是管家，包抓领导是谁", ["项目管家", "包抓领导"]),
    ("恒口示范区项目约定的开工期限都是啥时候", ["约定开工期限"]),
    ("各项目的开工期限和责任单位", ["约定开工期限", "责任单位"]),
    ("石泉县项目的首谈单位都是谁", ["来源/首谈单位"]),
    ("紫阳县项目最新进展怎么样", ["最新进展"]),  # not also 进展
    ("哪些项目的进展日期最早", ["进展日期"]),
    ("高新区有哪些项目", []),
    ("各县区资金到位率排名", []),  # a rate, not the 到位资金 column
])
def test_columns_are_named_by_the_importers_header_names(question: str, columns: list[str]) -> None:
    assert ledger_columns(question) == columns


@pytest.mark.parametrize(("question", "expected"), [
    ("汉阴县的项目管家分别是谁", ["半导体硅材料项目（示例）（汉阴县，开工，6.50亿元，项目管家：张某）", "项目管家：陈某"]),
    ("镇坪县项目谁是管家，包抓领导是谁", ["项目管家：黄某，包抓领导：副市长（分管卫健）"]),
    ("恒口的项目约定开工期限", ["约定开工期限：2023年4月18日", "约定开工期限：未填"]),
    ("紫阳县项目的最新进展", ["最新进展：厂房封顶，进展日期：2023年7月24日"]),
])
def test_a_list_shows_the_column_asked(assistant: Assistant, question: str, expected: list[str]) -> None:
    answer = assistant.ask(question)
    for text in expected:
        assert text in answer.answer, answer.answer
    assert answer.flagged_numbers == []


@pytest.mark.parametrize(("question", "columns"), [
    ("在谈的项目现在都谁在管", ["责任单位", "包抓领导", "项目管家"]),
    ("这几个签约项目归哪位领导抓", ["责任单位", "包抓领导", "项目管家"]),
    ("镇坪县项目谁是管家", ["项目管家"]),  # a column named: only that one
    ("谁提的问题还没解决", None),  # the problem ledger's, asked of its own tools
    ("高新区有哪些项目", None),
    ("倒数第一是谁", None),  # a who-question about no project
])
def test_a_who_question_naming_no_column_asks_who_is_in_charge(question: str, columns: list[str] | None) -> None:
    assert fill_slots(question, SlotVocabulary()).columns == columns


def test_who_is_in_charge_of_listed_projects_is_answered_from_the_ledger(assistant: Assistant) -> None:
    answer = assistant.ask("在谈的项目现在都谁在管")
    assert "富硒功能食品项目（示例）（旬阳市，在谈，3.00亿元，责任单位：旬阳市招商局，包抓领导：副市长（分管农业），项目管家：孙某）" in answer.answer
    assert answer.flagged_numbers == []


@pytest.mark.parametrize(("question", "escalation"), [
    ("提交市级联席会议协调的问题有哪些", "市级联席会议"),  # the longest level named, not also 市级
    ("协调层级是市级的问题还有几个", "市级"),
    ("县级协调的诉求有哪些", "县级"),
    ("县级解决不了的问题怎么办", None),  # how a level is handled: a rule of the documents
    ("市级领导带队的招商活动", None),  # no problem asked about
])
def test_a_coordination_level_is_filled_from_the_problem_ledger(question: str, escalation: str | None) -> None:
    vocab = SlotVocabulary(escalations=["县级", "市级", "市级联席会议"])
    assert fill_slots(question, vocab).escalation == escalation


@pytest.mark.parametrize(("question", "expected"), [
    ("提交市级联席会议协调的问题有哪些", ["WT-2023-003", "协调层级市级联席会议"]),
    ("财政局的问题超期了没有", ["办结时限2023年4月30日（已逾期 89 天）", "银行授信未通过"]),
    ("已经解决的问题有哪些", ["企业评价“满意”", "企业评价“基本满意”"]),
])
def test_a_problem_list_shows_its_workflow_columns(assistant: Assistant, question: str, expected: list[str]) -> None:
    answer = assistant.ask(question)
    for text in expected:
        assert text in answer.answer, answer.answer
    assert answer.flagged_numbers == []


CATEGORIES = ["中国500强", "民营500强", "行业领军", "外资", "其他"]


@pytest.mark.parametrize(("question", "category"), [
    ("目标企业库里外资企业有几家", "外资"),  # the table's value, not the phrase 外资企业
    ("行业领军企业有哪些", "行业领军"),
    ("民营500强我们对接了哪些", "民营500强"),
    ("已对接的500强企业有哪些", "500强"),  # every 500强 list
    ("外资项目有哪些", None),  # a project's flag, not a company's category
    ("其他县区的企业", None),
])
def test_an_enterprise_category_is_filled_from_the_enterprise_table(question: str, category: str | None) -> None:
    assert fill_slots(question, SlotVocabulary(categories=CATEGORIES)).category == category


@pytest.mark.parametrize(("question", "owner", "city"), [
    ("驻深圳联络处负责跟踪哪些企业", "深圳", None),
    ("上海办跟踪的企业有几家", "上海", None),
    ("驻深圳联络处今年对接了哪些企业", None, "深圳"),  # the office's visit records, not whom it follows
])
def test_the_office_following_an_enterprise_is_its_owner(question: str, owner: str | None, city: str | None) -> None:
    slots = fill_slots(question, SlotVocabulary(event_cities=["上海", "深圳"]))
    assert (slots.owner, slots.city) == (owner, city)


def test_an_enterprise_answer_names_who_follows_it(assistant: Assistant) -> None:
    assert "跟踪责任单位：驻上海招商联络处" in assistant.ask("国轩高科是哪个单位在跟").answer
    answer = assistant.ask("上海办负责跟踪哪些企业")
    assert "由驻上海招商联络处跟踪的企业共 3 家" in answer.answer, answer.answer


@pytest.mark.parametrize(("question", "rate", "county_class"), [
    ("各县区资金到位率排名", "资金到位率", None),
    ("开工率呢", "开工率", None),
    ("哪个县区履约率最低", "合同履约率", None),
    ("三类县区呢", None, "三类"),
    ("一类县区考核排名", None, "一类"),
    ("一类项目有哪些", None, None),  # a class of counties, not any 一类
])
def test_a_rate_and_a_county_class_are_slots(question: str, rate: str | None, county_class: str | None) -> None:
    slots = fill_slots(question, SlotVocabulary(county_classes=["一类", "二类", "三类"]))
    assert (slots.rate, slots.county_class) == (rate, county_class)


@pytest.mark.parametrize(("before", "question", "tool", "params"), [
    ("超过30天没更新进展的项目", "那60天呢", "no_progress_projects", {"days": 60}),
    ("各县区资金到位率排名", "开工率呢", "county_project_rates", {"rate": "开工率"}),
    ("二季度考核一类县区排名", "三类县区呢", "assessment", {"county_class": "三类", "period": "2023Q2"}),
    ("镇坪县的项目管家是谁", "包抓领导呢", "list_projects", {"region": "镇坪县", "columns": ["包抓领导"]}),
])
def test_a_follow_up_changes_the_ledger_slot_it_names(assistant: Assistant, before: str, question: str, tool: str,
                                                       params: dict[str, object]) -> None:
    plan = assistant.route(question, [before])
    assert plan.route == tool, plan
    assert params.items() <= plan.calls[0].params.items(), plan.calls


@pytest.mark.parametrize(("question", "typos"), [
    ("紫阳县项目最新近展咋样了", [("最新近展", "最新进展")]),  # the longest ledger word, not also 进展
    ("旬阳市項目都有哪些", [("項目", "项目")]),  # a traditional form sounds the same
    ("高新区项目的管加是谁", [("管加", "管家")]),
    ("开工率的计算公式", []),  # 公式 is a word of its own, not a typo of anything
    ("汉阴县的项目管家分别是谁", []),
    ("石泉县去年一季度内资多少", []),  # 县去 sounds like 县区 but cuts 石泉县 and 去年 in two
])
def test_a_same_sounding_typo_of_a_ledger_word_is_taken_for_it(question: str, typos: list[tuple[str, str]]) -> None:
    assert sound_alike_terms(question) == typos


@pytest.mark.parametrize(("question", "listed"), [
    ("紫阳县项目最新进展怎么样", True),  # a column of a county's projects
    ("30天内要到约定开工期限的项目", False),  # a column word asking a window, not a list
    ("这周到位资金增加的项目有哪些", False),  # a change between two ledgers
])
def test_a_column_word_helps_a_list_only_beside_a_filter(assistant: Assistant, question: str, listed: bool) -> None:
    assert (assistant.route(question).route == "list_projects") == listed


def test_a_day_count_within_a_window_is_its_length(assistant: Assistant) -> None:
    plan = assistant.route("30天内要到约定开工期限的项目")
    assert plan.calls[0].params["days"] == 30, plan.calls


@pytest.mark.parametrize(("question", "label", "count"), [
    ("岚皋县项目遇到啥问题了", "岚皋县未解决问题数", 1),  # a county's projects' problems: the problem ledger
    ("问题台账里已经解决的问题有哪些", "已解决问题数", 2),
])
def test_a_problem_list_carries_its_count_with_its_source(assistant: Assistant, question: str, label: str,
                                                          count: int) -> None:
    figures = [f for f in assistant.ask(question).figures if f.label == label]
    assert [f.value for f in figures] == [count], figures
    assert figures[0].provenance.table == "problems" and figures[0].provenance.row_ids


@pytest.mark.parametrize(("question", "unknown"), [
    ("秦巴锂电池回收项目开工了吗", "秦巴锂电池回收项目"),
    ("安康港口物流园项目现在进展到哪了", "安康港口物流园项目"),
    # a clause before 项目 (a preposition, a particle, an adverb, a conjunction) names no project
    ("干部尽力了但没招来项目会不会挨处理", None),
    ("汉中对承接转移项目要专项奖补是咋答复的", None),
])
def test_only_a_name_before_xiangmu_is_taken_for_a_project(question: str, unknown: str | None) -> None:
    assert fill_slots(question, SlotVocabulary()).unknown_project == unknown
