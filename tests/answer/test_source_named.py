"""A question naming its source loosely (主任接受采访时说…, 调研报告建议…今后…) is answered from that source: the
words naming the document (its byline in the file name, its 文种, its office) are matched by the document's heading,
not required of the passage; an interviewer's question is quoted with the answer on the line below it; and what a
document proposes for later is quoted, although the database holds no later period. Documents and phrasings written
for this test, not taken from the evaluation set."""

from __future__ import annotations

import pytest

from assistant.answer.engine import Assistant
from assistant.answer.quoting import ASKS_PLANS, best_sentences
from tests.answer.conftest import assistant_over, assistant_with_data
from tests.conftest import CORPUS

INTERVIEW = """园区招商要“精”不要“滥”
——访市投资促进中心主任李明

本报记者　王芳

记者：今年园区招商有什么新变化？

李明：最大的变化是从“铺摊子”转向“挑项目”。今年以来共举办园区恳谈会18场，引进亩均税收超过20万元的项目9个。

记者：下一阶段的工作重心放在哪里？
李明：主要是“稳存量、扩增量、优服务”三件事。
"""

SURVEY = """关于园区发展情况的调研报告

市人大常委会调研组

一、存在的问题

部分园区主导产业不清晰，与中心城区存在同质竞争。

二、意见和建议

建议东湖园区今后重点发展光伏组件和储能配套产业，西岭园区重点承接农产品精深加工项目。

三、园区分级

园区按年度评价分三级管理：亩均税收20万元以上的为A级园区，给予用地指标倾斜；亩均税收10万元至20万元的为B级园区，保持现有支持；亩均税收不足10万元的为C级园区，限期整改。
"""


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    return assistant_over(tmp_path_factory, {"2024-03_访谈_市投资促进中心主任李明谈园区招商.txt": INTERVIEW,
                                             "2024-04_调研报告_市人大常委会园区发展情况调研报告.txt": SURVEY})


@pytest.mark.parametrize(("question", "fact"), [
    ("主任接受采访时说园区办了多少场恳谈会", "恳谈会18场"),
    ("投资促进中心主任说引进了几个亩均税收超20万的项目", "项目9个"),
    ("访谈里主任讲下一阶段主要抓哪几件事", "稳存量、扩增量、优服务"),
    ("人大调研建议东湖园区今后主攻啥产业", "光伏组件和储能配套"),
    # a grade written with a letter (C级) is what tells one sentence of a list from the next
    ("C级园区是什么标准", "不足10万元的为C级园区"),
    ("B级园区怎么支持", "保持现有支持"),
])
def test_a_question_naming_its_source_loosely_is_answered_from_it(assistant: Assistant, question: str,
                                                                  fact: str) -> None:
    answer = assistant.ask(question)
    assert fact in answer.answer, answer.answer
    assert answer.citations and fact in answer.citations[0].quote


@pytest.mark.parametrize(("passage", "words", "quote"), [
    ("记者：下一阶段重心放在哪里？\n李明：主要是“稳存量、扩增量”两件事。", ["下一阶段", "重心"],
     "记者：下一阶段重心放在哪里？\n李明：主要是“稳存量、扩增量”两件事。"),
    ("记者：明年主攻什么？\n\n李明：光伏组件。另有一件事。", ["明年", "主攻"], "记者：明年主攻什么？\n\n李明：光伏组件。"),
    ("园区办了恳谈会18场。引进项目9个。", ["恳谈会"], "园区办了恳谈会18场。"),
])
def test_an_interviewers_question_is_quoted_with_the_answer_below_it(passage: str, words: list[str],
                                                                     quote: str) -> None:
    assert best_sentences(passage, words) == quote


@pytest.mark.parametrize(("question", "plans"), [
    ("调研组建议瀛湖今后搞什么产业", True),
    ("下一步打算怎么补外资短板", True),
    ("下个月有什么招商活动安排", False),
    ("明年一季度内资能完成多少", False),
])
def test_a_question_about_later_asks_for_plans_only_when_it_says_so(question: str, plans: bool) -> None:
    assert (ASKS_PLANS.search(question) is not None) is plans



def test_a_rate_the_named_report_does_not_state_is_not_another_rate(tmp_path_factory: pytest.TempPathFactory) -> None:
    # 一季度那份工作情况报告里 names the quarter's report (words between the period and 报告); it states 开工率 and
    # 资金到位率 but no 合同履约率, which the half-year report states: neither is quoted as the rate asked
    quarter = CORPUS / "2023-04_工作报告_2023年一季度全市招商引资工作情况.txt"
    half = CORPUS / "2023-07_工作报告_2023年上半年全市招商引资工作情况.docx"
    assert "履约率" not in quarter.read_text(encoding="utf-8")
    assistant = assistant_with_data(tmp_path_factory, [quarter, half])
    missing = assistant.ask("一季度那份工作情况报告里，签约项目合同履约率是多少")
    assert "没有找到" in missing.answer and not missing.citations, missing.answer
    stated = assistant.ask("一季度那份工作情况报告里，签约项目开工率是多少")
    assert any("开工率95.30%" in c.quote for c in stated.citations), stated.answer
    assert "84.6%" in assistant.ask("上半年报告里合同履约率是多少").answer
