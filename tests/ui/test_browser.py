"""The workbench in a real browser (headless Debian chromium via Playwright) against `assistant serve`:
what a member of staff does on a normal day, and what they must see."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

import pytest

from tests.ui.conftest import ARTIFACTS, Server, shot

pytestmark = pytest.mark.slow

FIGURE_QUESTION = "汉阴县一季度外商直接投资完成进度？"
POLICY_EXAMPLE = "下一步如何补齐外资短板？"
LAST_ANSWER = "() => { const m = document.querySelectorAll('#zs-chat [data-testid=bot]'); return m.length ? m[m.length - 1].innerText : ''; }"


def _wait_for_answer(page: Any, text: str) -> None:
    page.wait_for_function(f"(t) => ({LAST_ANSWER})().includes(t)", arg=text)


def _open_tab(page: Any, name: str) -> None:
    page.get_by_role("tab", name=name).click()


def test_figure_question_streams_an_answer_with_its_data_sources_and_follow_ups_work(page: Any) -> None:
    page.fill("#zs-question textarea", FIGURE_QUESTION)
    started = time.monotonic()
    page.click("#zs-send")
    _wait_for_answer(page, "【数据】")
    first_token = time.monotonic() - started
    _wait_for_answer(page, "236.70万美元")
    figures = page.locator("#zs-figures table")
    assert "indicators_2023Q1_wide.csv" in figures.inner_text()
    assert "236.70" in figures.locator("tr", has_text="汉阴县 外商直接投资").first.inner_text()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)  # a fresh clone has no artifacts folder yet
    (ARTIFACTS / "first-token-seconds.txt").write_text(f"{first_token:.3f}\n", encoding="utf-8")
    # The ≤ 1 s first-token target is measured by bench/ (an idle machine), not asserted here: CI shares 2 cores.

    page.fill("#zs-question textarea", "那恒口呢？")
    page.keyboard.press("Enter")
    _wait_for_answer(page, "恒口 2023年一季度（1-3月） 外商直接投资")
    page.click("#zs-copy")
    page.wait_for_function("() => navigator.clipboard.readText().then(t => t.includes('恒口'))")
    shot(page, "1-chat-figures")


def test_policy_question_cites_the_passage_with_the_quote_highlighted_and_takes_feedback(
        page: Any, server: Server) -> None:
    page.get_by_role("button", name=POLICY_EXAMPLE).click()
    _wait_for_answer(page, "【政策与文件依据】")
    sources = page.locator("#zs-sources")
    card = sources.locator(".zs-source", has_text="一是补齐外资短板").first
    assert "安招函〔2023〕31号" in card.inner_text()
    assert card.locator(".zs-section").inner_text() == "二、下一步工作措施 › 一是补齐外资短板"
    assert "力争全年外商直接投资增长15%以上" in card.locator("mark").inner_text()
    assert page.locator("#zs-question textarea").input_value() == ""

    page.locator("#zs-chat button[aria-label='赞']").last.click()
    page.locator("#zs-comment textarea").fill("引用准确，建议同时列出第78号建议的答复")
    page.get_by_role("button", name="提交说明").click()
    page.get_by_text("说明已提交，谢谢！").wait_for()
    shot(page, "2-chat-policy")
    with sqlite3.connect(server.settings.data_dir / "feedback.sqlite") as conn:
        row = conn.execute("SELECT rating, question, comment, citations FROM feedback ORDER BY id DESC").fetchone()
    assert row[:3] == (1, POLICY_EXAMPLE, "引用准确，建议同时列出第78号建议的答复") and "安招函〔2023〕31号" in row[3]

    page.get_by_role("button", name="清空对话").last.click()
    page.wait_for_function(f"() => ({LAST_ANSWER})() === ''")
    assert "提问后" in sources.inner_text()


def test_uploaded_document_appears_in_the_list_and_bad_files_get_chinese_reasons(page: Any, tmp_path: Path) -> None:
    good = tmp_path / "招商引资项目代办服务规定.txt"
    good.write_text("关于印发招商引资项目代办服务规定的通知\n安招发〔2024〕7号\n\n一、代办服务由项目所在县区招商部门负责。\n",
                    encoding="utf-8")
    exe = tmp_path / "工具.exe"
    exe.write_bytes(b"MZ\x90\x00")
    big = tmp_path / "超大文件.txt"
    big.write_text("招商" * 30_000, encoding="utf-8")  # 180 KB, over the server's 0.05 MB limit
    _open_tab(page, "知识库")
    page.locator("#zs-doc-caption", has_text="知识库共 2 个文档").wait_for()
    page.locator("#zs-upload input[type=file]").set_input_files([str(good), str(exe), str(big)])
    page.locator("#zs-upload", has_text="175.8 KB").wait_for()  # uploaded to the server
    page.click("#zs-upload-go")
    results = page.locator("#zs-upload-results table")
    results.wait_for()
    assert "已入库" in results.locator("tr", has_text=good.name).inner_text()
    assert "类型“.exe”不支持" in results.locator("tr", has_text=exe.name).inner_text()
    assert "超过上限 0.05 MB" in results.locator("tr", has_text=big.name).inner_text()
    table = page.locator("#zs-doc-table")
    row = table.locator("[role=row]", has_text="关于印发招商引资项目代办服务规定的通知")
    row.wait_for()
    assert "安招发〔2024〕7号" in row.inner_text()
    page.locator("#zs-doc-caption", has_text="知识库共 3 个文档").wait_for()
    page.locator(".zs-status", has_text="知识库 3 个文档").wait_for()
    shot(page, "3-knowledge-base")

    row.locator("[role=gridcell]").first.click()
    page.get_by_text("已选择：《关于印发招商引资项目代办服务规定的通知》").wait_for()
    page.get_by_role("button", name="删除所选").click()
    page.get_by_role("button", name="确认删除").click()
    page.locator("#zs-upload-results", has_text=f"已从知识库删除“{good.name}”").wait_for()
    page.locator("#zs-doc-caption", has_text="知识库共 2 个文档").wait_for()
    assert table.locator("[role=row]", has_text="代办服务规定").count() == 0


def test_figures_tab_shows_the_county_table_and_chart_and_import_errors_by_row(page: Any, tmp_path: Path) -> None:
    _open_tab(page, "数据")
    chart = page.locator("#zs-chart svg")
    chart.wait_for()
    assert "序时进度 58.33%" in chart.inner_html()
    assert chart.locator("rect.zs-bar-bad").count() == 2 and chart.locator("rect").count() == 13
    laggards = page.locator("#zs-county-table tr.zs-lagging").all_inner_texts()
    assert [text.split("\t")[1] for text in laggards] == ["恒口", "瀛湖"]

    page.locator("#zs-period input").click()
    page.get_by_role("option", name="2023年一季度（1-3月）").click()
    page.locator("#zs-county", has_text="序时进度 25.00%").wait_for()
    assert "indicators_2023Q1_wide.csv" in page.locator("#zs-county").inner_text()
    shot(page, "4-figures")

    bad = tmp_path / "指标.csv"
    bad.write_text("地区,期间,指标,数值,单位,同比,年度目标\n汉阴县,2023Q1,实际引进内资,10,亿元,,\n"
                   "不存在县,2023Q1,实际引进内资,abc,亿元,,\n", encoding="utf-8")
    page.get_by_text("导入数据（CSV / XLSX）").click()
    page.locator("#zs-import-file input[type=file]").set_input_files(str(bad))
    page.locator("#zs-import-file", has_text="指标").wait_for()
    page.click("#zs-import-go")
    report = page.locator("#zs-import-report table")
    report.wait_for()
    assert report.locator("tr", has_text="abc").inner_text().split("\t") == ["3", "数值", "abc", "不是有效数字"]
    assert "数据库未做任何修改" in page.locator("#zs-import-report").inner_text()
    shot(page, "5-figures-import")
