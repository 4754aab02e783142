"""Headless chromium against `assistant serve` (see conftest.py): a [n] marker in a chat answer takes the
reader to the cited passage, in that answer's sources; the 数据 tab lists the declared figure tools and an
example question can be taken to the chat box."""

from __future__ import annotations

from typing import Any

import pytest

from assistant.tools import REGISTRY
from tests.ui.conftest import shot

pytestmark = pytest.mark.slow

TWO_SOURCES = "外资短板和项目管家有哪些措施？"  # cites the reply letter [1] and its 项目管家 measure [2]
ONE_SOURCE = "项目管家是什么？"  # a definition: [1] in the first sentence
ANSWERS = "#zs-chat [data-testid=bot]"
# Where card n of the sources panel (null while it is not shown) sits against the window and the panel's own scroll box.
CARD = """(n) => {
  const card = document.querySelector('#zs-sources #zs-cite-' + n);
  if (!card) { return null; }
  const box = card.closest('.zs-panel').getBoundingClientRect();
  const r = card.getBoundingClientRect();
  return {top: r.top, bottom: r.bottom, boxTop: box.top, boxBottom: box.bottom, height: innerHeight,
          active: card.classList.contains('zs-cite-active'), text: card.innerText,
          turn: card.closest('.zs-cites').dataset.zsTurn};
}"""


def _marker(page: Any, answer: int, n: int) -> Any:
    return page.locator(ANSWERS).nth(answer).locator("a.zs-cite", has_text=f"[{n}]").first


def _visible(card: dict[str, Any]) -> bool:
    slack = 1  # sub-pixel layout
    return (card["top"] >= max(card["boxTop"], 0) - slack
            and card["bottom"] <= min(card["boxBottom"], card["height"]) + slack)


def test_a_citation_marker_scrolls_to_its_source_and_highlights_it_even_in_an_earlier_answer(page: Any) -> None:
    page.set_viewport_size({"width": 1280, "height": 600})  # a laptop: the second source card is below the fold
    page.fill("#zs-question textarea", TWO_SOURCES)
    page.click("#zs-send")
    _marker(page, 0, 2).wait_for()
    # the sources panel is updated after the answer's text: measure its card once it is there
    page.wait_for_function(f"() => ({CARD})(2) !== null")
    page.evaluate("() => { window.scrollTo(0, 0); document.querySelector('#zs-sources .zs-panel').scrollTop = 0; }")
    before = page.evaluate(CARD, 2)
    assert not _visible(before) and not before["active"]

    _marker(page, 0, 2).click()
    page.wait_for_function(f"() => ({CARD})(2)?.active")
    card = page.evaluate(CARD, 2)
    assert _visible(card), card
    assert "对亿元以上重点项目逐一明确项目管家" in card["text"]
    assert not page.evaluate(CARD, 1)["active"]  # one card highlighted at a time
    assert page.evaluate("() => location.hash") == ""  # handled in the page, not a navigation

    # A second answer replaces the panel; [2] of the first answer brings the first answer's sources back.
    page.fill("#zs-question textarea", ONE_SOURCE)
    page.keyboard.press("Enter")
    _marker(page, 1, 1).wait_for()
    page.wait_for_function(f"() => ({CARD})(1)?.turn === '1'")
    assert page.locator("#zs-sources .zs-source").count() == 1
    _marker(page, 0, 2).click()
    page.wait_for_function(f"() => {{ const c = ({CARD})(2); return c?.turn === '0' && c.active; }}")
    assert _visible(page.evaluate(CARD, 2))
    shot(page, "11-chat-citation-marker")

    _marker(page, 1, 1).click()  # and [1] of the definition brings back its one source
    page.wait_for_function(f"() => {{ const c = ({CARD})(1); return c?.turn === '1' && c.active; }}")
    card = page.evaluate(CARD, 1)
    assert _visible(card) and "项目管家是指为重点招商项目提供" in card["text"]


def test_the_figures_tab_lists_every_declared_tool_and_an_example_goes_to_the_chat_box(page: Any) -> None:
    page.get_by_role("tab", name="数据").click()
    page.get_by_text("可查询的数据").click()
    listing = page.locator("#zs-tools-list")
    listing.locator(".zs-tool").first.wait_for()
    titles = listing.locator(".zs-tool-title").all_inner_texts()
    assert titles == [tool.title for tool in REGISTRY.values()]
    indicator = listing.locator("#zs-tool-indicator")
    assert "GET /api/figures/indicator" in indicator.inner_text()
    shot(page, "12-figures-tool-listing")

    example = REGISTRY["get_indicator"].examples[0]
    indicator.get_by_role("button", name=example).click()
    page.locator("#zs-question textarea").wait_for(state="visible")
    assert page.locator("#zs-question textarea").input_value() == example
    page.click("#zs-send")  # the officer edits or sends it as is
    page.wait_for_function(f"() => [...document.querySelectorAll('{ANSWERS}')].some(m => m.innerText.includes('236.70万美元'))")
