"""The 入职学习 tab and glossary links in a real browser: a new officer looks up a term, takes a quiz and
sees the score; a term in a chat answer opens its definition."""

from __future__ import annotations

from typing import Any

import pytest

from assistant.onboarding.quiz import LOCAL_USER, Results
from tests.ui.conftest import Server, shot

pytestmark = pytest.mark.slow

QUIZ_SIZE = 3


def test_the_glossary_is_searchable_and_a_quiz_is_scored_with_explanations_and_stored(
        page: Any, server: Server) -> None:
    page.get_by_role("tab", name="入职学习").click()
    glossary = page.locator("#zs-glossary")
    glossary.locator(".zs-term-card").first.wait_for()
    page.fill("#zs-glossary-query textarea", "项目管家")
    glossary.locator(".zs-caption-left", has_text="找到 1 个").wait_for()
    card = glossary.locator(".zs-term-card")
    assert card.locator(".zs-term-name").inner_text() == "项目管家"
    assert "从签约一直服务到投产" in card.locator(".zs-term-def").inner_text()
    assert "《重点招商项目项目管家帮办代办服务办法》" in card.locator(".zs-term-source").inner_text()
    assert card.locator(".zs-passage mark").inner_text() == "项目管家"
    shot(page, "8-learning-glossary")

    page.get_by_role("tab", name="测验").click()
    page.get_by_text(f"{QUIZ_SIZE} 题", exact=True).click()
    page.click("#zs-quiz-make")
    questions = page.locator(".zs-quiz-q:visible")
    questions.first.locator(".zs-quiz-prompt").wait_for()
    assert questions.count() == QUIZ_SIZE
    for i in range(QUIZ_SIZE):
        question = questions.nth(i)
        if question.locator("input[type=radio]").count():
            question.locator("label").first.click()
        else:
            question.locator("textarea").fill("项目管家")
    page.click("#zs-quiz-submit")
    score = page.locator("#zs-quiz-score")
    score.wait_for()
    assert f" / {QUIZ_SIZE}" in score.inner_text() and "成绩已保存" in score.inner_text()
    feedback = page.locator(".zs-quiz-feedback")
    assert feedback.count() == QUIZ_SIZE
    for i in range(QUIZ_SIZE):  # every answer says where it is written
        assert feedback.nth(i).locator(".zs-term-source").count() == 1
    page.locator("#zs-quiz-history tbody tr").first.wait_for()
    shot(page, "9-learning-quiz")
    results = Results(server.settings.learning_path)
    try:
        assert results.history(LOCAL_USER)[-1][2] == QUIZ_SIZE
    finally:
        results.close()


def test_a_glossary_term_in_a_chat_answer_opens_its_definition_and_source(page: Any) -> None:
    page.get_by_role("button", name="项目管家是什么？").click()
    answer = page.locator("#zs-chat [data-testid=bot]").last
    term = answer.locator(".zs-term", has_text="项目管家")
    term.wait_for()
    assert term.count() == 1  # only the first mention is linked
    popup = term.locator(".zs-term-pop")
    assert not popup.is_visible()
    term.click()
    popup.wait_for()
    assert "从签约一直服务到投产" in popup.inner_text()
    assert "出处：《重点招商项目项目管家帮办代办服务办法》" in popup.inner_text()
    shot(page, "10-chat-glossary-link")
