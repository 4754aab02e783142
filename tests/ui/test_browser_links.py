"""Links in the chat bubbles as Chromium renders them (Gradio's Markdown and sanitiser included): a
javascript:, data: or vbscript: link typed in a question stays text; an https link is a link that opens in a
new tab without opener or referrer. The security battery checks the same on the server's output."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.slow

HOSTILE = ("[点此查看](javascript:alert(document.cookie)) [备用](data:text/html,<script>alert(2)</script>) "
           "[旧版](vbscript:msgbox(3)) ![图](http://evil.example/x.png) [政府网](https://www.gov.cn/) 项目管家是什么？")
ANCHORS = "() => [...document.querySelectorAll('#zs-chat a')].map(a => [a.getAttribute('href'), a.rel, a.target])"


def test_only_web_links_in_a_question_are_clickable(page: Any) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.fill("#zs-question textarea", HOSTILE)
    page.click("#zs-send")
    page.wait_for_function("() => document.querySelectorAll('#zs-chat [data-testid=bot]').length > 0")
    page.wait_for_function("() => !document.querySelector('#zs-chat').innerText.includes('正在检索')")
    user = page.locator("#zs-chat [data-testid=user]").first
    assert "[点此查看](javascript:alert(document.cookie))" in user.inner_text()  # shown as typed, as text
    anchors = page.evaluate(ANCHORS)
    web = [a for a in anchors if not str(a[0]).startswith("#")]
    assert web == [["https://www.gov.cn/", "noopener noreferrer", "_blank"]], anchors
    assert page.locator("#zs-chat img").count() == 0
    user.get_by_text("点此查看", exact=False).click()  # clicking the inert text runs nothing
    assert not dialogs
