"""What the 台账 tab and the 考核 panel show, through the Workspace over the demo database: filters, status colours,
the timeline, the Excel export read back, templates and import, and a county account's narrower view. No browser."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import cast

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from assistant.auth.audit import AuditLog
from assistant.cli import main
from assistant.config import Settings
from assistant.db.errors import ImportRejected, LedgerDenied, RegionDenied
from assistant.ledgers.views import LedgerFilter, parse_filter
from assistant.services import Services
from assistant.tools.assessment import AssessmentResult
from assistant.tools.lifecycle import LedgerList
from assistant.ui.ledgers_view import assessment_html, ledger_html, score_html, timeline_html
from assistant.workspace import Workspace
from tests.conftest import CORPUS, add_user


@dataclass
class Bureau:
    settings: Settings
    staff: Workspace
    county: Workspace


@pytest.fixture(scope="module")
def bureau(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bureau]:
    settings = Settings(data_dir=tmp_path_factory.mktemp("ledgers") / "data")
    result = CliRunner().invoke(main, ["db", "import-demo", str(CORPUS / "data")],
                                env={"ASSISTANT_DATA_DIR": str(settings.data_dir)})
    assert result.exit_code == 0, result.output
    add_user(settings, "keshi", "科室")
    add_user(settings, "hanyin", "县区", region="汉阴县")
    services = Services(settings)
    staff, county = (services.auth.user_named(name) for name in ("keshi", "hanyin"))
    assert staff is not None and county is not None
    yield Bureau(settings, Workspace(services, staff, "ui"), Workspace(services, county, "ui"))
    services.close()


def _sheet_rows(data: bytes) -> list[list[object]]:
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    return [["" if c is None else c for c in row] for row in sheet.iter_rows(values_only=True)]


def test_a_status_filter_lists_only_those_projects_in_their_colour_and_agrees_with_the_status_tool(
        bureau: Bureau) -> None:
    everything = bureau.staff.ledger("projects")
    lagging = bureau.staff.ledger("projects", LedgerFilter(status="滞后"))
    tool = cast(LedgerList, bureau.staff.figures("ledger_status", {"show": "全部"}))
    assert everything.counts == {k: v for k, v in tool.counts.items() if v}  # the page and the chat agree
    assert len(lagging.rows) == tool.counts["滞后"] > 0
    assert {r.values[4] for r in lagging.rows} == {"滞后"}
    html = ledger_html(lagging)
    assert html.count('class="zs-tone-row-bad"') == len(lagging.rows)
    assert f"滞后 {len(lagging.rows)}" in html and "已过约定开工期限" in html
    assert "zs-tone-row-good" in ledger_html(everything)
    # stage, chain, date window and keyword narrow it further, each on its own field
    started = bureau.staff.ledger("projects", LedgerFilter(stage="开工", chain="新能源"))
    assert started.rows and all(r.values[3] == "开工" and r.values[2] == "新能源" for r in started.rows)
    july = bureau.staff.ledger("projects", LedgerFilter(date_from=date(2023, 7, 1), date_to=date(2023, 7, 31)))
    assert [r.key for r in july.rows] == ["碳基新材料项目（示例）"]
    assert [r.key for r in bureau.staff.ledger("projects", LedgerFilter(text="隔膜")).rows] == ["锂电隔膜项目（示例）"]


def test_a_page_reads_only_its_rows_but_counts_every_match(bureau: Bureau) -> None:
    everything = bureau.staff.ledger("projects")
    page = bureau.staff.ledger("projects", limit=5)
    assert [r.key for r in page.rows] == [r.key for r in everything.rows[:5]]
    assert page.matched == len(everything.rows) and page.counts == everything.counts
    html = ledger_html(page)
    assert f"共 {len(everything.rows)} 条，页面显示前 5 条（导出的 Excel 含全部 {len(everything.rows)} 条）" in html
    lagging = bureau.staff.ledger("projects", LedgerFilter(status="滞后"), limit=2)
    assert lagging.counts == {"滞后": everything.counts["滞后"]} and len(lagging.rows) == 2


def test_open_problems_past_their_deadline_are_overdue_and_red_and_solved_ones_grey(bureau: Bureau) -> None:
    overdue = bureau.staff.ledger("problems", LedgerFilter(status="逾期未办结"))
    assert overdue.rows
    for row in overdue.rows:
        status, due, days = row.values[5], row.values[7], row.values[8]
        assert status != "已解决" and isinstance(due, date) and due < cast(date, overdue.as_of)
        assert days == (cast(date, overdue.as_of) - due).days and row.tone == "逾期"
    html = ledger_html(overdue)
    assert html.count('class="zs-tone-row-bad"') == len(overdue.rows) and "逾期" in html
    solved = bureau.staff.ledger("problems", LedgerFilter(status="已解决"))
    assert solved.rows and all(r.tone == "已解决" for r in solved.rows)
    assert 'class="zs-tone-row-done"' in ledger_html(solved)


def test_the_export_holds_exactly_the_rows_the_page_shows_with_real_dates(bureau: Bureau) -> None:
    wanted = LedgerFilter(chain="新能源")
    view = bureau.staff.ledger("projects", wanted)
    name, data = bureau.staff.ledger_export("projects", wanted)
    assert name.startswith("项目台账_") and name.endswith(".xlsx")
    rows = _sheet_rows(data)
    assert rows[0] == [c.name for c in view.columns]
    assert [r[0] for r in rows[1:]] == [r.key for r in view.rows] and len(rows) - 1 == len(view.rows)
    html = ledger_html(view)
    assert [html.count(f'data-key="{r[0]}"') for r in rows[1:]] == [1] * (len(rows) - 1)
    signed = rows[0].index("签约日期")
    assert any(hasattr(r[signed], "year") for r in rows[1:])  # an Excel date, not text
    book = load_workbook(io.BytesIO(data))
    assert "chain=" not in book["说明"]["B2"].value and "产业链=新能源" in book["说明"]["B2"].value
    audit = AuditLog(bureau.settings.data_dir / "audit.sqlite")
    try:
        [event] = audit.query(username="keshi", action="ledger_export")
    finally:
        audit.close()
    assert "产业链=新能源" in event.subject and len(event.rows) == len(view.rows)


def test_a_county_account_sees_only_its_region_and_never_the_contact_records(bureau: Bureau) -> None:
    mine = bureau.county.ledger("projects")
    assert mine.rows and {r.values[1] for r in mine.rows} == {"汉阴县"}
    assert {r.values[2] for r in bureau.county.ledger("problems").rows} <= {"汉阴县"}
    with pytest.raises(RegionDenied, match="只能查看汉阴县"):
        bureau.county.ledger("projects", LedgerFilter(region="汉滨区"))
    with pytest.raises(LedgerDenied, match="县区账号不能查看"):
        bureau.county.ledger("contacts")
    with pytest.raises(LedgerDenied):
        bureau.county.ledger_export("contacts")
    _, data = bureau.county.ledger_export("projects")
    assert {r[1] for r in _sheet_rows(data)[1:]} == {"汉阴县"}
    # the enterprise list is the city's (as the enterprise tools answer it), with only the county's own projects
    own = {r.key for r in mine.rows}
    enterprises = bureau.county.ledger("enterprises").rows
    listed = {p for r in enterprises for p in str(r.values[6]).split("、") if p}
    assert listed <= own
    # without the leads another county's unit tracks (示例药业: 镇坪县招商局), as list_enterprises leaves them out
    assert "京东集团" in {r.values[0] for r in enterprises}
    assert "示例药业有限公司" not in {r.values[0] for r in enterprises}
    choices = bureau.county.ledger_choices()
    assert choices.regions == ["汉阴县"] and choices.contact_methods == []
    audit = AuditLog(bureau.settings.data_dir / "audit.sqlite")
    try:
        denied = audit.query(username="hanyin", action="ledger")
    finally:
        audit.close()
    assert any(e.outcome == "denied" and "汉滨区" in e.subject for e in denied)


def test_a_project_timeline_shows_each_stage_date_and_every_dated_version(bureau: Bureau) -> None:
    timeline = bureau.staff.project_timeline("碳基新材料")
    stages = {m.stage: m.on for m in timeline.milestones}
    assert stages["签约"] == date(2023, 7, 5) and stages["开工"] == date(2023, 7, 26) and stages["投产"] is None
    froms = [v.valid_from for v in timeline.versions]
    assert froms == sorted(froms) and len(froms) >= 2 and timeline.versions[-1].valid_to is None
    assert [v.stage for v in timeline.versions][-1] == "开工" and "签约" in [v.stage for v in timeline.versions]
    html = timeline_html(timeline)
    assert "至今" in html and "2023-07-05" in html and html.count("<tr><td>") == len(timeline.versions)
    with pytest.raises(RegionDenied):
        bureau.county.project_timeline("锂电隔膜")


def test_a_date_the_filter_cannot_read_is_named_in_chinese() -> None:
    with pytest.raises(ValueError, match="签约日期起“2023-13-01”不是有效日期"):
        parse_filter("projects", "", "", "", "", "2023-13-01", "", "")
    typed = parse_filter("problems", "", "", "", "", "2023年7月1日", "45138", " 供电 ")
    assert typed.date_from == date(2023, 7, 1) and typed.date_to == date(2023, 7, 31) and typed.text == "供电"


def test_templates_match_the_shipped_ones_and_a_filled_template_imports_whole_or_not_at_all(
        bureau: Bureau, tmp_path: Path) -> None:
    for kind in ("projects", "problems", "enterprises", "contacts", "offices"):
        shipped = (CORPUS / "data" / "templates" / f"{kind}.csv").read_text(encoding="utf-8").splitlines()[0]
        name, data = bureau.staff.ledger_template(kind, ".csv")
        assert data.decode("utf-8-sig").strip() == shipped and name.endswith(".csv")
        _, book = bureau.staff.ledger_template(kind, ".xlsx")
        assert ",".join(str(c) for c in _sheet_rows(book)[0]) == shipped
    _, blank = bureau.staff.ledger_template("contacts", ".xlsx")
    workbook = load_workbook(io.BytesIO(blank))
    sheet = workbook.worksheets[0]
    sheet.append(["2023-07-20", "宁德时代", "驻深圳招商联络处", "黄某", "叩门", "介绍锂电产业园", "八月再访"])
    sheet.append(["2023.7.33", "比亚迪", "驻深圳招商联络处", "黄某", "走访", "", ""])
    bad = tmp_path / "走访记录.xlsx"
    workbook.save(bad)
    before = len(bureau.staff.ledger("contacts").rows)
    with pytest.raises(ImportRejected) as refused:
        bureau.staff.import_data("contacts", bad)
    assert "第 3 行" in str(refused.value) and "2023.7.33" in str(refused.value)
    assert len(bureau.staff.ledger("contacts").rows) == before  # nothing imported, not even the good row
    sheet.delete_rows(3)
    good = tmp_path / "走访记录2.xlsx"
    workbook.save(good)
    bureau.staff.import_data("contacts", good)
    found = bureau.staff.ledger("contacts", LedgerFilter(text="锂电产业园"))
    assert [r.values[:2] for r in found.rows] == [[date(2023, 7, 20), "宁德时代"]]


def test_the_assessment_drill_down_names_each_points_formula_and_rows(bureau: Bureau) -> None:
    result = cast(AssessmentResult, bureau.staff.figures("assessment", {"period": "2023Q2"}))
    html = assessment_html(result)
    assert html.count("<tr data-region=") + html.count('<tr class="zs-tone-row-bad" data-region=') == len(result.rows)
    [hanyin] = [s for s in result.rows if s.region == "汉阴县"]
    details = [(p.indicator, bureau.staff.score_rows(p.table, p.row_ids, p.indicator) if p.row_ids else None)
               for p in hanyin.points]
    detail = score_html(hanyin, details)
    assert f"{hanyin.total:.2f} 分" in detail and "开工率 = 已开工" in detail
    projects = [v for _, v in details if v is not None and v.kind == "projects"]
    assert projects and {r.values[1] for r in projects[0].rows} == {"汉阴县"}
    indicators = [v for _, v in details if v is not None and v.kind == "indicators"]
    assert indicators and indicators[0].rows[0].values[:2] == ["汉阴县", "2023Q2"]
    # a county account sees its own score only, and no other county's rows behind a point
    own = cast(AssessmentResult, bureau.county.figures("assessment", {"period": "2023Q2"}))
    assert [s.region for s in own.rows] == ["汉阴县"]
    [other] = [s for s in result.rows if s.region == "汉滨区"]
    ledger_point = next(p for p in other.points if p.table == "projects")
    assert bureau.county.score_rows("projects", ledger_point.row_ids).rows == []
