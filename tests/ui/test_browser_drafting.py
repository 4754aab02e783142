"""The 起草 tab in a real browser: an officer drafts a reply letter, checks its figures and downloads the
.docx, then checks an old draft with a wrong figure in it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from docx import Document

from assistant.answer.engine import open_figure_store
from assistant.tools import city_total, format_value
from assistant.tools.lifecycle import weekly_changes
from tests.ui.conftest import Server, shot

pytestmark = pytest.mark.slow


def _open_drafting(page: Any, sub_tab: str) -> None:
    page.get_by_role("tab", name="起草").click()
    page.get_by_role("tab", name=sub_tab).click()


def test_a_reply_letter_is_previewed_with_database_figures_and_sources_and_downloads_as_docx(
        page: Any, server: Server, tmp_path: Path) -> None:
    store = open_figure_store(server.settings)
    assert store is not None
    city = city_total(store, "2023Q1", "实际引进内资")
    expected = format_value(city.value, city.unit)  # 381.47亿元 in the demo database

    _open_drafting(page, "提案答复函")
    page.fill("#zs-reply-number textarea", "市政协五届二次会议第205号")
    page.fill("#zs-reply-title textarea", "关于补齐我市外资短板的提案")
    page.fill("#zs-reply-proposer textarea", "王委员")
    page.fill("#zs-reply-suggestions textarea", "1. 加大外资招引力度，对接粤港澳大湾区外资企业\n2. 实行项目管家制度")
    page.fill("#zs-reply-contact textarea", "李明")
    page.fill("#zs-reply-phone textarea", "0915-3212345")
    page.get_by_text("版头与数据期间（可选）").click()
    page.get_by_label("数据期间").fill("2023Q1")
    page.click("#zs-reply-go")

    preview = page.locator("#zs-reply-preview .zs-gw-page")
    preview.wait_for()
    assert preview.locator(".zs-gw-title").inner_text() == "安康市招商和经济合作局对市政协五届二次会议第205号提案的答复函"
    assert preview.locator(".zs-gw-heading1").first.inner_text() == "一、提案办理情况"
    figure = preview.locator(".zs-dfig", has_text=expected).first
    assert "indicators 表" in (figure.get_attribute("title") or "")
    # Suggestions the knowledge base has no measure for are said to be missing, never invented.
    assert preview.locator(".zs-gw-needs .zs-todo").count() >= 1
    assert "【待补充】" in page.locator("#zs-reply-preview .zs-warnings").inner_text()
    # a measure quoted from the bureau's own letter opens its source (the letter's 文号)
    measure = preview.locator(".zs-gw-para", has_text="积极对接粤港澳大湾区外资企业").first
    measure.locator("summary").click()
    assert "安招函〔2023〕31号" in measure.locator(".zs-src-body").inner_text()
    shot(page, "6-draft-reply")

    with page.expect_download() as download:
        page.locator("#zs-reply-docx a[download]").click()
    path = tmp_path / "reply.docx"
    download.value.save_as(path)
    text = "\n".join(p.text for p in Document(str(path)).paragraphs)
    assert "一、提案办理情况" in text and expected in text and "（联系人：李明" in text

    # The officer edits a paragraph: a database figure changed by hand is flagged, and the edit is exported.
    page.locator("#zs-reply-edit").get_by_text("修改草稿").first.click()
    editor = page.locator("#zs-reply-editor textarea")
    # the editor is filled with the draft after the tab opens: edit the draft's text, not a still-empty box
    page.wait_for_function("(t) => document.querySelector('#zs-reply-editor textarea')?.value.includes(t)", arg=expected)
    editor.fill(editor.input_value().replace(expected, "999.99亿元", 1))
    # the edit is in the box and committed (blur fires change) before the button sends it: on a loaded machine a
    # click right after typing could carry the unedited text
    page.wait_for_function("() => document.querySelector('#zs-reply-editor textarea')?.value.includes('999.99亿元')")
    editor.blur()
    page.click("#zs-reply-revise")
    page.locator("#zs-reply-recheck", has_text="修改 1 段").wait_for()
    # every row of that sentence shows it as context: the changed figure's own row is the mismatch
    changed = page.locator("#zs-reply-recheck #zs-check-table tr.zs-check-mismatch", has_text="999.99亿元").first
    changed.wait_for()
    assert "不一致" in changed.inner_text() and expected in changed.inner_text()
    assert "999.99亿元" in preview.inner_text()
    with page.expect_download() as download:
        page.locator("#zs-reply-docx a[download]").click()
    download.value.save_as(path)
    assert "999.99亿元" in "\n".join(p.text for p in Document(str(path)).paragraphs)


def test_the_consistency_check_finds_a_wrong_figure_and_gives_the_database_value(page: Any) -> None:
    _open_drafting(page, "一致性核对")
    page.fill("#zs-check-text textarea", "一季度汉阴县外商直接投资263.7万美元，全市实际引进内资381.47亿元。")
    page.click("#zs-check-go")
    table = page.locator("#zs-check-table")
    table.wait_for()
    rows = {row.locator("td").nth(1).inner_text(): row for row in table.locator("tbody tr").all()}
    assert list(rows) == ["263.7万美元", "381.47亿元"]
    wrong = rows["263.7万美元"]
    assert wrong.get_attribute("class") == "zs-check-mismatch"
    assert wrong.locator("td").nth(3).inner_text() == "不一致（数据库值 236.70万美元）"
    assert "汉阴县 2023年一季度（1-3月） 外商直接投资" in wrong.locator("td").nth(4).inner_text()
    assert rows["381.47亿元"].locator("td").nth(3).inner_text() == "一致"
    assert "不一致 1" in page.locator("#zs-check-result .zs-check-summary").inner_text()
    shot(page, "7-draft-check")


def test_a_weekly_bulletin_is_built_from_the_ledger_and_a_request_skeleton_marks_what_to_write(
        page: Any, server: Server, tmp_path: Path) -> None:
    store = open_figure_store(server.settings)
    assert store is not None
    changes = weekly_changes(store)  # what the ledger tool says, not a figure copied into the test
    end = changes.date_to
    added = f"新增项目{changes.counts['新增']}个"

    _open_drafting(page, "通报、通知、请示")
    page.locator("#zs-forms-form").get_by_text("周动态通报").click()
    page.click("#zs-forms-go")
    preview = page.locator("#zs-forms-preview .zs-gw-page")
    preview.wait_for()
    assert f"{end.year}年{end.month}月{end.day}日" in preview.locator(".zs-gw-title").inner_text()
    total = preview.locator(".zs-gw-para", has_text=added).first
    assert "project_versions 表" in (total.locator(".zs-dfig").first.get_attribute("title") or "")
    shot(page, "8-draft-bulletin")
    with page.expect_download() as download:
        page.locator("#zs-forms-docx a[download]").click()
    path = tmp_path / "bulletin.docx"
    download.value.save_as(path)
    docx = Document(str(path))
    text = "\n".join(p.text for p in docx.paragraphs)
    assert "一、总体情况" in text and added in text
    assert f"{end.year}年{end.month}月{end.day}日印发" in docx.tables[-1].rows[-1].cells[0].text  # the 版记

    page.locator("#zs-forms-form").get_by_text("请示（骨架）").click()
    page.fill("#zs-forms-subject textarea", "举办秦巴招商推介会")
    page.click("#zs-forms-go")
    page.locator("#zs-forms-preview .zs-gw-title", has_text="关于举办秦巴招商推介会的请示").wait_for()
    assert page.locator("#zs-forms-preview .zs-gw-needs .zs-todo").count() >= 3
    assert "妥否，请批示。" in page.locator("#zs-forms-preview .zs-gw-page").inner_text()
    assert "签发人" in page.locator("#zs-forms-preview .zs-warnings").inner_text()
