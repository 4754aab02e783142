"""The 台账 tab and the 考核 panel in a real browser (headless Debian chromium via Playwright) against `assistant
serve`: an officer filters the project ledger to the lagging projects and sees them in red, opens one project's
timeline, exports the filtered view and reads the .xlsx back, downloads a template, has a bad file refused, and
drills from a county's 考核 score down to its rows. The county officer's view is in test_browser_login.py."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from assistant.tools.assessment import load_scheme
from tests.conftest import CORPUS
from tests.ui.conftest import shot

pytestmark = pytest.mark.slow

RED = "rgb(253, 226, 225)"  # .zs-tone-row-bad


def _open_ledgers(page: Any) -> None:
    page.get_by_role("tab", name="台账").click()
    page.locator("#zs-ledger-projects").wait_for()


def _pick(page: Any, dropdown: str, option: str) -> None:
    page.locator(f"{dropdown} input").click()
    page.get_by_role("option", name=option, exact=True).click()


def _download(page: Any, link: str, to: Path) -> Path:
    with page.expect_download() as download:
        page.locator(link).click()
    download.value.save_as(to)
    return to


def _table_keys(page: Any, table: str) -> list[str]:
    return list(page.eval_on_selector_all(f"{table} tbody tr", "rows => rows.map(r => r.dataset.key)"))


def test_filtering_colours_timeline_and_export_of_the_project_ledger(page: Any, tmp_path: Path) -> None:
    _open_ledgers(page)
    everything = _table_keys(page, "#zs-ledger-projects")
    _pick(page, "#zs-projects-status", "滞后")
    page.wait_for_function("n => document.querySelectorAll('#zs-ledger-projects tbody tr').length < n",
                           arg=len(everything))
    lagging = _table_keys(page, "#zs-ledger-projects")
    assert lagging and set(lagging) < set(everything)
    rows = page.locator("#zs-ledger-projects tbody tr")
    for i in range(rows.count()):
        cells = rows.nth(i).locator("td")
        assert cells.nth(4).inner_text() == "滞后"
        assert cells.nth(0).evaluate("td => getComputedStyle(td).backgroundColor") == RED
    summary = page.locator("#zs-projects-table .zs-ledger-summary").inner_text()
    assert f"共 {len(lagging)} 条" in summary and f"滞后 {len(lagging)}" in summary
    shot(page, "ledger-1-lagging")

    # the timeline picker lists the filtered projects; one project's stages and dated history
    _pick(page, "#zs-timeline-project", lagging[0])
    timeline = page.locator("#zs-timeline")
    timeline.wait_for()
    assert lagging[0] in timeline.inner_text() and "滞后" in timeline.inner_text()
    assert page.locator("#zs-timeline .zs-steps li").count() == 5
    assert page.locator("#zs-timeline-versions tbody tr").count() >= 1

    # the export holds the rows shown, in order, with the same status words
    page.click("#zs-projects-export")
    saved = _download(page, "#zs-projects-xlsx a[download]", tmp_path / "滞后项目.xlsx")
    sheet = load_workbook(saved).worksheets[0]
    values = list(sheet.iter_rows(values_only=True))
    header = list(values[0])
    assert [r[0] for r in values[1:]] == lagging
    assert {r[header.index("状态")] for r in values[1:]} == {"滞后"}
    assert sheet.cell(2, 1).fill.fgColor.rgb.endswith("FDE2E1")  # the page's red

    # a keyword the ledger does not hold: an empty view, said in words
    _pick(page, "#zs-projects-status", "全部")
    page.fill("#zs-projects-text textarea, #zs-projects-text input", "不存在的项目名")
    page.click("#zs-projects-go")
    page.locator("#zs-projects-table", has_text="没有符合条件的记录").wait_for()
    page.fill("#zs-projects-from textarea, #zs-projects-from input", "2023-13-01")
    page.click("#zs-projects-go")
    page.locator("#zs-projects-table", has_text="签约日期起“2023-13-01”不是有效日期").wait_for()


def test_overdue_problems_are_red_and_contacts_are_listed(page: Any) -> None:
    _open_ledgers(page)
    page.get_by_role("tab", name="问题").click()
    _pick(page, "#zs-problems-status", "逾期未办结")
    page.wait_for_function("() => { const rows = [...document.querySelectorAll('#zs-ledger-problems tbody tr')];"
                           " return rows.length > 0 && rows.every(r => r.cells[5].innerText.includes('逾期')); }")
    rows = page.locator("#zs-ledger-problems tbody tr")
    assert rows.count() > 0
    for i in range(rows.count()):
        assert rows.nth(i).evaluate("tr => getComputedStyle(tr.cells[0]).backgroundColor") == RED
        assert "逾期" in rows.nth(i).locator("td").nth(5).inner_text()
    page.get_by_role("tab", name="走访记录").click()
    page.locator("#zs-ledger-contacts").wait_for()
    assert page.locator("#zs-ledger-contacts tbody tr").count() > 0


def test_templates_download_and_a_bad_file_is_refused_whole(page: Any, tmp_path: Path) -> None:
    _open_ledgers(page)
    page.get_by_text("导入台账与下载模板").click()
    linked = ("(name) => [...document.querySelectorAll('#zs-template-xlsx a[download]')]"
              ".some(a => a.href.includes(encodeURIComponent(name)))")
    page.wait_for_function(linked, arg="项目库导入模板.xlsx")  # the page load's templates first, then the pick
    _pick(page, "#zs-ledger-import-kind", "问题台账")
    page.wait_for_function(linked, arg="问题台账导入模板.xlsx")
    saved = _download(page, "#zs-template-xlsx a[download]", tmp_path / "template.xlsx")
    header = [c for c in next(load_workbook(saved).worksheets[0].iter_rows(values_only=True))]
    shipped = (CORPUS / "data" / "templates" / "problems.csv").read_text(encoding="utf-8").splitlines()[0]
    assert ",".join(header) == shipped

    bad = tmp_path / "问题台账.csv"
    bad.write_text(shipped + "\nWT-2099-001,,汉阴县,供水管网未接通,市水利局,待定,2024.3.5,,,,,,,2024-03-08\n",
                   encoding="utf-8")
    page.locator("#zs-ledger-import-file input[type=file]").set_input_files(str(bad))
    page.locator("#zs-ledger-import-file", has_text="问题台账.csv").wait_for()
    page.click("#zs-ledger-import-go")
    report = page.locator("#zs-ledger-import-report")
    report.locator("table").wait_for()
    assert "数据库未做任何修改" in report.inner_text()
    assert "待定" in report.locator("tr", has_text="状态").inner_text()
    shot(page, "ledger-2-import-refused")


def test_assessment_ranking_drills_down_to_a_countys_formula_and_rows(page: Any) -> None:
    page.get_by_role("tab", name="数据").click()
    page.locator("#zs-assessment-table").wait_for()
    ranked = page.locator("#zs-assessment-table tbody tr")
    assert ranked.count() == sum(len(names) for names in load_scheme().classes.values())
    _pick(page, "#zs-assess-region", "汉阴县")
    detail = page.locator("#zs-score-detail")
    detail.wait_for()
    assert "汉阴县" in detail.locator(".zs-fig-summary").inner_text()
    point = detail.locator("details", has_text="项目开工率")
    point.locator("summary").click()
    assert "开工率 = 已开工" in point.inner_text()
    keys = point.locator("tbody tr")
    assert keys.count() > 0
    for i in range(keys.count()):
        assert keys.nth(i).locator("td").nth(1).inner_text() == "汉阴县"
    shot(page, "ledger-3-assessment")
