"""How a question asks, apart from what about. A which-question names the kind of things it asks for (哪几种招商方式,
哪些部门, 什么口号) or points back at a thing already named (这条链, 那个办法): the database has no such column, yet the
passage that lists the members answers it without writing the kind's name. A question asking how far a thing has got
(进展到啥程度) is answered by the latest document's account of it, which need not write 进展 or 程度. Documents and
phrasings written for this test, not taken from the evaluation set."""

from __future__ import annotations

import pytest

from assistant.answer.answer_types import names_the_kind
from assistant.answer.asking import asks_latest_state, without_progress
from assistant.answer.engine import Assistant
from tests.answer.conftest import assistant_over

JULY = """东湖市投资促进局对市政协第31号提案的答复函
（2024年7月20日）

一、办理中遇到的问题

我局委托专业机构编制了《东湖市数字招商平台建设方案》，计划把园区、企业和客商信息搬到网上。由于全市信息化项目实行统一规划，该方案目前仍在报备审核中。
"""

JANUARY = """东湖市投资促进局2024年工作总结
（2025年1月15日）

一、主要工作成效

（五）基础工作不断夯实。园区库收录园区12个，企业库收录企业860家。数字招商平台建设方案已通过审核备案，进入招标准备阶段。
"""


@pytest.mark.parametrize(("question", "word", "kind"), [
    ("链式招商要推行哪几种招商方式", "方式", True),
    ("要加强跟哪些部门的联系", "部门", True),
    ("对外推介用什么宣传口号", "口号", True),
    ("新能源这条链围绕啥招商", "条链", True),
    ("那个办法是谁解释", "个办", True),
    ("宁德时代的注册资本是多少", "注册资本", False),
    ("哪些县区的税收超过10亿", "税收", False),
])
def test_the_kind_of_things_listed_is_not_required_of_a_passage(question: str, word: str, kind: bool) -> None:
    assert names_the_kind(question, word) is kind


@pytest.mark.parametrize(("question", "quoted"), [
    ("一季度那份报告讲深化链式招商，打算推行哪几种招商方式", "小分队靶向招商"),
    ("下一步拓展交流合作渠道，打算多跟哪些部门联系", "市工商联、侨联、台办"),
])
def test_a_which_question_is_answered_by_the_passage_listing_the_members(
        assistant: Assistant, question: str, quoted: str) -> None:
    answer = assistant.ask(question)
    assert quoted in answer.answer, answer.answer
    assert answer.citations


@pytest.mark.parametrize(("question", "latest", "left"), [
    ("数字招商平台现在进展到啥程度了", True, "数字招商平台现在，"),
    ("平台建设推进到哪一步了", True, "平台建设，"),
    ("平台进展如何", True, "平台，"),
    ("7月份的时候平台建到什么阶段了", False, "7月份的时候平台，"),
    ("平台建设方案是谁编的", False, "平台建设方案是谁编的"),
])
def test_a_how_far_question_asks_for_the_latest_state(question: str, latest: bool, left: str) -> None:
    assert asks_latest_state(question) is latest
    assert without_progress(question) == left


@pytest.fixture(scope="module")
def two_dates(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    return assistant_over(tmp_path_factory, {"2024-07_答复函_第31号提案.txt": JULY, "2025-01_工作总结_2024年工作总结.txt": JANUARY})


@pytest.mark.parametrize("question", ["数字招商平台现在进展到啥程度了", "数字招商平台推进到哪一步了"])
def test_the_latest_account_answers_how_far_a_thing_has_got(two_dates: Assistant, question: str) -> None:
    answer = two_dates.ask(question)
    assert "进入招标准备阶段" in answer.answer, answer.answer
    assert answer.citations[0].quote.endswith("进入招标准备阶段。"), answer.citations[0].quote


@pytest.mark.parametrize(("question", "define"), [
    ("项目管家这个做法最早是从哪来的", False),
    ("项目管家制度是谁最先提出的", False),
    ("项目管家的由来", False),
    ("项目管家是什么", True),
    ("项目管家是干什么的", True),
])
def test_where_a_term_came_from_is_no_definition(assistant: Assistant, question: str, define: bool) -> None:
    assert (assistant.route(question).route == "define") is define
