"""Reclassifying a document in the workbench, in a real browser: the administrator selects a row of the 知识库
table, the control below fills in the document, the class and reason are set and the table shows the new class and
why; a county officer's list loses the document at once. The control is shown to administrators only.

Its own `assistant serve` (login required) over an unmarked notice (公开 by default), a reply letter and the demo
database; an administrator and a 汉阴县 county account."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import add_user, build_data_dir, serving
from tests.llm.data import REPLY
from tests.ui.conftest import BROWSER_TIMEOUT_MS, CHROMIUM, shot
from tests.ui.test_browser_login import login

pytestmark = pytest.mark.slow

PASSWORD = "汉阴-招商-2024"
UNMARKED = """安康市招商和经济合作局
关于紫杉项目洽谈进展的说明

一、洽谈进展
紫杉项目拟落户汉阴县，谈判底价为每亩土地七万元。
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not CHROMIUM.exists():
        pytest.skip("浏览器测试需要 /usr/bin/chromium（Debian 软件包 chromium，.ci/run 会安装）")
    root = tmp_path_factory.mktemp("reclassify")
    settings = build_data_dir(root, {"第205号提案答复函.txt": REPLY, "紫杉项目说明.txt": UNMARKED})
    add_user(settings, "guanli", "管理员", password=PASSWORD)
    add_user(settings, "hanyin", "县区", region="汉阴县", password=PASSWORD)
    with serving(settings.data_dir, root / "serve.log") as url:
        yield url


@pytest.fixture
def context(browser: Any, site: str) -> Iterator[Any]:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1440, "height": 1000})
    context.set_default_timeout(BROWSER_TIMEOUT_MS)
    yield context
    context.close()


def _knowledge_tab(page: Any, site: str, username: str) -> None:
    login(page, site, username, PASSWORD)
    page.wait_for_selector("#zs-question textarea")
    page.get_by_role("tab", name="知识库").click()


def test_an_administrator_reclassifies_a_document_and_a_county_officer_loses_it_at_once(context: Any, site: str
                                                                                        ) -> None:
    county = context.browser.new_context(locale="zh-CN", viewport={"width": 1440, "height": 1000})
    county.set_default_timeout(BROWSER_TIMEOUT_MS)
    try:
        officer = county.new_page()
        _knowledge_tab(officer, site, "hanyin")
        officer.locator("#zs-doc-caption", has_text="知识库共 2 个文档").wait_for()  # 公开 by default
        assert not officer.locator("#zs-reclassify").is_visible()  # administrators only
        assert not officer.locator("#zs-verify").is_visible()

        admin = context.new_page()
        _knowledge_tab(admin, site, "guanli")
        table = admin.locator("#zs-doc-table")
        row = table.locator("[role=row]", has_text="紫杉项目说明.txt")
        row.wait_for()
        assert "公开（未标注）" in row.inner_text()
        row.locator("[role=gridcell]").first.click()
        admin.get_by_text("已选择：《关于紫杉项目洽谈进展的说明》").wait_for()
        assert admin.locator("#zs-reclassify").is_visible()
        doc = admin.locator("#zs-class-doc textarea, #zs-class-doc input").first
        admin.wait_for_function("(el) => el.value.length === 16", arg=doc.element_handle())  # the row's doc id
        admin.fill("#zs-class-reason textarea, #zs-class-reason input", "含谈判底价，应为内部")
        admin.click("#zs-class-go")
        admin.locator("#zs-upload-results", has_text="公开属性已由公开改为内部，立即生效").wait_for()
        admin.get_by_text("公开属性：内部（管理员 guanli").wait_for()  # the selection says so too
        table.locator("[role=row]", has_text="紫杉项目说明.txt").filter(has_text="内部（管理员改定）").wait_for()
        shot(admin, "knowledge-reclassified")
        # the same control marks it 未核验 (folder ingest by the operator: 已核验 by default)
        assert "已核验" in table.locator("[role=row]", has_text="紫杉项目说明.txt").inner_text()
        admin.locator("#zs-verify-state input").first.click()
        admin.get_by_role("option", name="未核验").click()
        admin.fill("#zs-verify-reason textarea, #zs-verify-reason input", "谈判底价待商务局确认")
        admin.click("#zs-verify-go")
        admin.locator("#zs-upload-results", has_text="核验状态已由已核验改为未核验，立即生效").wait_for()
        table.locator("[role=row]", has_text="紫杉项目说明.txt").filter(has_text="未核验（管理员设定）").wait_for()

        officer.reload()
        officer.get_by_role("tab", name="知识库").click()
        officer.locator("#zs-doc-caption", has_text="知识库共 1 个文档").wait_for()
        assert "紫杉" not in officer.locator("#zs-doc-table").inner_text()
    finally:
        county.close()
