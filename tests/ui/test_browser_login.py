"""Logging in to the workbench in a real browser, and what a county officer (县区账号) can and cannot see.

Its own `assistant serve` (login required, not --local) over a data directory with one 公开 and one 内部
document and the demo database; two accounts: a county officer of 汉阴县 and a 科室 officer."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.conftest import add_user, build_data_dir, serving
from tests.llm.data import REPLY
from tests.ui.conftest import BROWSER_TIMEOUT_MS, CHROMIUM, shot

pytestmark = pytest.mark.slow

PASSWORD = "汉阴-招商-2023"
INTERNAL = """安康市招商和经济合作局
关于重点客商拜访安排的内部通报
公开属性：内部

一、拜访安排
拟于下月赴深圳拜访青松科技集团，洽谈年产五万吨硒茶深加工项目，谈判底价为每亩土地八万元。
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not CHROMIUM.exists():
        pytest.skip("浏览器测试需要 /usr/bin/chromium（Debian 软件包 chromium，.ci/run 会安装）")
    root = tmp_path_factory.mktemp("login")
    settings = build_data_dir(root, {"第205号提案答复函.txt": REPLY, "客商拜访内部通报.txt": INTERNAL})
    add_user(settings, "hanyin", "县区", region="汉阴县", password=PASSWORD)
    add_user(settings, "keshi", "科室", password=PASSWORD)
    with serving(settings.data_dir, root / "serve.log") as url:
        yield url


@pytest.fixture
def page(browser: Any, site: str) -> Iterator[Any]:
    """A fresh browser context (no cookies) on the shared headless chromium."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 1440, "height": 1000})
    context.set_default_timeout(BROWSER_TIMEOUT_MS)
    yield context.new_page()
    context.close()


def login(page: Any, site: str, username: str, password: str) -> None:
    page.goto(f"{site}/")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("button[type=submit]")


def last_answer(page: Any) -> str:
    return str(page.evaluate("() => { const m = document.querySelectorAll('#zs-chat [data-testid=bot]');"
                             " return m.length ? m[m.length - 1].innerText : ''; }"))


def test_the_workbench_asks_for_a_login_and_rejects_a_wrong_password(page: Any, site: str) -> None:
    page.goto(f"{site}/ui/")
    assert page.url.startswith(f"{site}/login")
    assert page.locator("h1").inner_text() == "招商知识助手"
    login(page, site, "hanyin", "wrong-password")
    assert "用户名或密码错误" in page.locator(".error").inner_text()
    shot(page, "login-wrong-password")


def test_a_county_officer_sees_their_region_and_public_documents_only(page: Any, site: str) -> None:
    login(page, site, "hanyin", PASSWORD)
    page.wait_for_selector("#zs-question textarea")
    page.locator("#zs-user", has_text="hanyin · 县区（汉阴县）").wait_for()

    page.fill("#zs-question textarea", "汉滨区一季度外商直接投资完成进度？")
    page.click("#zs-send")
    page.wait_for_function("() => document.querySelectorAll('#zs-chat [data-testid=bot]').length > 0 && "
                           "!document.querySelector('#zs-chat [data-testid=bot]:last-of-type')?.innerText.includes('正在检索')")
    page.wait_for_function("(t) => { const m = document.querySelectorAll('#zs-chat [data-testid=bot]');"
                           " return m.length && m[m.length - 1].innerText.includes(t); }", arg="只能查看汉阴县")
    assert "汉滨区 2023年一季度" not in last_answer(page)

    page.fill("#zs-question textarea", "青松科技集团谈判底价是多少？")
    page.click("#zs-send")
    page.wait_for_function("(t) => { const m = document.querySelectorAll('#zs-chat [data-testid=bot]');"
                           " return m.length >= 2 && !m[m.length - 1].innerText.includes(t); }", arg="正在检索")
    assert "八万元" not in last_answer(page) and "八万元" not in page.locator("#zs-sources").inner_text()

    page.get_by_role("tab", name="数据").click()
    chart = page.locator("#zs-chart svg")
    chart.wait_for()
    assert chart.locator("rect").count() == 1  # 汉阴县 only; the 全市 row stays in the table
    table = page.locator("#zs-county-table").inner_text()
    assert "汉阴" in table and "汉滨" not in table and "全市" in table

    page.get_by_role("tab", name="知识库").click()
    page.locator("#zs-doc-caption", has_text="知识库共 1 个文档").wait_for()
    assert "客商拜访" not in page.locator("#zs-doc-table").inner_text()
    assert "知识库 1 个文档" in page.locator(".zs-status").inner_text()  # not even the count of 内部 documents
    assert page.locator("#zs-upload-go").is_disabled()  # a county account cannot upload
    shot(page, "login-county-officer")


def test_a_county_officer_sees_only_their_region_in_the_ledgers_and_not_the_contact_records(
        page: Any, site: str, tmp_path: Path) -> None:
    login(page, site, "hanyin", PASSWORD)
    page.wait_for_selector("#zs-question textarea")
    page.get_by_role("tab", name="台账").click()
    rows = page.locator("#zs-ledger-projects tbody tr")
    rows.first.wait_for(timeout=60_000)  # the page's first load events queue behind each other on a busy machine
    assert rows.count() > 0
    assert {rows.nth(i).locator("td").nth(1).inner_text() for i in range(rows.count())} == {"汉阴县"}
    page.locator("#zs-projects-region input").click()
    options = [text.replace("✓", "").strip() for text in page.get_by_role("option").all_inner_texts()]
    assert options == ["汉阴县"]  # no other county to pick
    page.keyboard.press("Escape")
    page.click("#zs-projects-export")
    with page.expect_download() as download:
        page.locator("#zs-projects-xlsx a[download]").click()
    saved = tmp_path / "county.xlsx"
    download.value.save_as(saved)
    exported = list(load_workbook(saved).worksheets[0].iter_rows(values_only=True))[1:]
    assert len(exported) == rows.count() and {r[1] for r in exported} == {"汉阴县"}
    page.get_by_role("tab", name="走访记录").click()
    page.locator("#zs-contacts-table", has_text="县区账号不能查看").wait_for()
    assert page.locator("#zs-ledger-contacts").count() == 0
    page.get_by_text("导入台账与下载模板").click()
    assert page.locator("#zs-ledger-import-go").is_disabled()  # a county account cannot import
    shot(page, "login-county-ledgers")


def test_staff_see_the_internal_document_and_can_log_out(page: Any, site: str) -> None:
    login(page, site, "keshi", PASSWORD)
    page.wait_for_selector("#zs-question textarea")
    page.get_by_role("tab", name="知识库").click()
    page.locator("#zs-doc-caption", has_text="知识库共 2 个文档").wait_for()
    assert page.locator("#zs-upload-go").is_enabled()
    page.locator("#zs-logout").click()
    page.wait_for_url(f"{site}/login")
    page.goto(f"{site}/ui/")
    assert page.url.startswith(f"{site}/login")
