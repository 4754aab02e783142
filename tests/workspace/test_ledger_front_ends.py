"""The ledgers (项目, 企业, 走访记录, 问题) through the HTTP API and the command line, as the 台账 tab shows them: the
same filters, the same rows, the same Excel export, and the same audit row from all three front ends; a county
account sees its own region only, everywhere."""

from __future__ import annotations

import io
import json
from pathlib import Path

from openpyxl import Workbook, load_workbook

from tests.conftest import CORPUS
from tests.workspace.conftest import FrontEnds
from tests.workspace.test_front_ends import after, row

LAGGING = ["", "", "滞后", "", "", "", ""]  # the 台账 tab's boxes: region, chain, status, stage, from, to, text
REGION_DENIED = "只能查看汉阴县"


def _sheet(data: bytes) -> list[list[object]]:
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def test_a_filtered_ledger_is_the_same_rows_and_the_same_audit_row_from_the_cli_the_api_and_the_workbench(
        front_ends: FrontEnds) -> None:
    result = front_ends.cli("same_ledger", "ledgers", "projects", "--status", "滞后", "--json")
    assert result.exit_code == 0, result.output
    from_cli = json.loads(result.output)
    r = front_ends.api("same_ledger", "GET", "/api/ledgers/projects", params={"status": "滞后"})
    assert r.status_code == 200, r.text
    from_api = r.json()
    event, page = front_ends.ui("same_ledger", "show_projects", LAGGING)
    assert event == "complete"
    names = [x["key"] for x in from_api["rows"]]
    assert names and [x["key"] for x in from_cli["rows"]] == names and all(n in page for n in names)
    assert {x["values"]["状态"] for x in from_api["rows"]} == {"滞后"} and from_api["total"] == len(names)
    assert from_api["as_of"] == "2023-07-28" and "2023年7月28日" in from_api["rule"]  # judged on the ledger's date
    cli, api, ui = front_ends.audit("same_ledger")
    assert [cli.via, api.via, ui.via] == ["cli", "api", "ui"] and row(cli) == row(api) == row(ui)
    assert (cli.action, cli.subject) == ("ledger", "项目 状态=滞后")
    assert cli.rows == [f"projects#{x['id']}" for x in from_api["rows"]]

    # The text the command prints names the ledger date, the count per status and every row.
    text = front_ends.cli("same_ledger", "ledgers", "projects", "--status", "滞后").output
    assert "2023年7月28日" in text and f"滞后 {len(names)}" in text and all(n in text for n in names)


def test_the_excel_export_holds_the_rows_the_view_shows_and_is_audited_alike_everywhere(
        front_ends: FrontEnds, tmp_path: Path) -> None:
    seen = len(front_ends.audit("same_ledger"))
    query = {"status": "逾期未办结", "date_from": "2023.1.1"}
    view = front_ends.api("same_ledger", "GET", "/api/ledgers/problems", params=query).json()
    r = front_ends.api("same_ledger", "GET", "/api/ledgers/problems/export", params=query)
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert "filename*=UTF-8''" in r.headers["content-disposition"]
    codes = [x["key"] for x in view["rows"]]
    assert codes and [line[0] for line in _sheet(r.content)[1:]] == codes
    result = front_ends.cli("same_ledger", "ledgers", "export", "problems", "--status", "逾期未办结", "--from", "2023.1.1",
                            "-o", str(tmp_path))
    assert result.exit_code == 0, result.output
    [written] = tmp_path.glob("*.xlsx")
    assert written.name.startswith("问题台账_") and [line[0] for line in _sheet(written.read_bytes())[1:]] == codes
    event, _ = front_ends.ui("same_ledger", "export_problems", ["", "", "逾期未办结", "", "2023.1.1", "", ""])
    assert event == "complete"
    _, api, cli, ui = after(front_ends, "same_ledger", seen)
    assert [api.via, cli.via, ui.via] == ["api", "cli", "ui"] and row(api) == row(cli) == row(ui)
    assert api.action == "ledger_export" and api.subject == "问题 状态=逾期未办结 提出日期=2023-01-01—"


def test_a_county_account_sees_its_region_only_and_no_contact_records_over_http_and_the_command_line(
        front_ends: FrontEnds) -> None:
    seen = len(front_ends.audit("hanyin_ledger"))
    mine = front_ends.api("hanyin_ledger", "GET", "/api/ledgers/projects").json()
    assert mine["rows"] and {x["values"]["地区"] for x in mine["rows"]} == {"汉阴县"}
    listed = front_ends.cli("hanyin_ledger", "ledgers", "projects", "--json")
    assert [x["key"] for x in json.loads(listed.output)["rows"]] == [x["key"] for x in mine["rows"]]
    event, page = front_ends.ui("hanyin_ledger", "show_projects", ["", "", "", "", "", "", ""])
    assert event == "complete" and all(x["key"] in page for x in mine["rows"])
    api, cli, ui = after(front_ends, "hanyin_ledger", seen)
    assert [api.via, cli.via, ui.via] == ["api", "cli", "ui"] and row(api) == row(cli) == row(ui)
    assert api.subject == "项目" and api.rows == [f"projects#{x['id']}" for x in mine["rows"]]
    export = front_ends.api("hanyin_ledger", "GET", "/api/ledgers/projects/export")
    assert {line[1] for line in _sheet(export.content)[1:]} == {"汉阴县"}

    seen = len(front_ends.audit("hanyin_ledger"))
    r = front_ends.api("hanyin_ledger", "GET", "/api/ledgers/projects", params={"region": "汉滨区"})
    assert r.status_code == 403 and REGION_DENIED in r.json()["detail"] and "rows" not in r.json()
    result = front_ends.cli("hanyin_ledger", "ledgers", "projects", "--region", "汉滨区")
    assert result.exit_code == 1 and REGION_DENIED in result.output and "项目名称" not in result.output
    api, cli = after(front_ends, "hanyin_ledger", seen)
    assert (api.outcome, api.subject) == ("denied", "项目 地区=汉滨区") and row(api) == row(cli)
    for refused in (front_ends.api("hanyin_ledger", "GET", "/api/ledgers/contacts"),
                    front_ends.api("hanyin_ledger", "GET", "/api/ledgers/contacts/export")):
        assert refused.status_code == 403 and "县区账号不能查看" in refused.json()["detail"]
    result = front_ends.cli("hanyin_ledger", "ledgers", "export", "contacts")
    assert result.exit_code == 1 and "县区账号不能查看" in result.output


def test_what_the_api_and_the_cli_refuse_is_said_in_chinese_and_a_page_counts_every_match(
        front_ends: FrontEnds) -> None:
    bad_date = front_ends.api("same_ledger", "GET", "/api/ledgers/projects", params={"date_from": "2023-13-01"})
    assert bad_date.status_code == 422 and "签约日期起“2023-13-01”不是有效日期" in bad_date.json()["detail"]
    no_such_filter = front_ends.api("same_ledger", "GET", "/api/ledgers/enterprises", params={"stage": "开工"})
    assert no_such_filter.status_code == 422 and "企业台账没有“阶段”筛选" in no_such_filter.json()["detail"]
    bad_status = front_ends.api("same_ledger", "GET", "/api/ledgers/projects", params={"status": "停滞"})
    assert bad_status.status_code == 422 and "正常、预警、滞后" in bad_status.json()["detail"]
    unknown = front_ends.api("same_ledger", "GET", "/api/ledgers/people")
    assert unknown.status_code == 422 and "请求参数有误" in unknown.json()["detail"]
    typed = front_ends.cli("same_ledger", "ledgers", "problems", "--from", "2023年7月1日", "--to", "45138", "--json")
    assert typed.exit_code == 0 and json.loads(typed.output)["filters"] == "提出日期=2023-07-01—2023-07-31"

    everything = front_ends.api("same_ledger", "GET", "/api/ledgers/projects").json()
    page = front_ends.api("same_ledger", "GET", "/api/ledgers/projects", params={"limit": 3}).json()
    assert len(page["rows"]) == 3 and page["total"] == everything["total"] == len(everything["rows"]) > 3
    assert page["counts"] == everything["counts"]
    contacts = front_ends.api("same_ledger", "GET", "/api/ledgers/contacts", params={"limit": 2}).json()
    assert len(contacts["rows"]) == 2 and contacts["total"] > 2  # the small ledgers are paged alike
    text = front_ends.cli("same_ledger", "ledgers", "projects", "--limit", "3").output
    assert f"共 {everything['total']} 条，显示前 3 条" in text


def test_the_import_templates_download_over_http_and_the_command_line(front_ends: FrontEnds, tmp_path: Path) -> None:
    shipped = (CORPUS / "data" / "templates" / "problems.csv").read_text(encoding="utf-8").splitlines()[0]
    r = front_ends.api("same_ledger", "GET", "/api/ledgers/templates/problems", params={"format": "csv"})
    assert r.status_code == 200 and r.content.decode("utf-8-sig").strip() == shipped
    result = front_ends.cli("same_ledger", "ledgers", "template", "problems", "-o", str(tmp_path))
    assert result.exit_code == 0, result.output
    [book] = tmp_path.glob("*.xlsx")
    assert ",".join(str(c) for c in _sheet(book.read_bytes())[0]) == shipped


HEADER = (CORPUS / "data" / "templates" / "projects.csv").read_text(encoding="utf-8").splitlines()[0]


def _project(name: str, region: str = "汉滨区", stage: str = "签约", signed: str = "2024-03-05",
             deadline: str = "2024-06-30") -> str:
    # 项目名称,地区,产业链,企业,总投资,阶段,签约日期,开工日期,投产日期,到位资金,是否外资,外资金额,备注,线索等级,线索日期,在谈日期,
    # 来源/首谈单位,责任单位,包抓领导,项目管家,新建/续建,制造业,当年到位资金,约定开工期限,最新进展,进展日期,填报日期
    return (f"{name},{region},新能源,示例公司,3,{stage},{signed},,,0.5,否,,,A,,,市招商局,{region}招商局,,,新建,是,0.5,"
            f"{deadline},完成备案,2024-03-20,2024-03-22")


BAD_LEDGER = "\n".join([
    HEADER,
    _project("日期甲项目", signed="2024.3.5"),  # row 2: dates as staff type them are read, not refused
    _project("日期乙项目", signed="2024年3月5日"),  # row 3
    _project("日期丙项目", signed="45356"),  # row 4: an Excel serial, 2024-03-05
    _project("阶段项目", stage="已签合同"),  # row 5: a stage not in the list
    _project("日期甲项目"),  # row 6: listed twice
    _project("期限项目", deadline="2024-01-31"),  # row 7: deadline before signing
    _project("县区项目", region="西乡县"),  # row 8: a county the city file does not name
]) + "\n"
REFUSALS = [(5, "阶段", "已签合同", "未知项目阶段“已签合同”"), (6, "项目名称", "日期甲项目", "与第 2 行重复"),
            (7, "约定开工期限", "2024-01-31", "约定开工期限早于签约日期（2024-03-05）"), (8, "地区", "西乡县", "未知地区")]


def _state(front_ends: FrontEnds) -> tuple[object, ...]:
    projects = front_ends.api("same_ledger", "GET", "/api/ledgers/projects").json()
    status = front_ends.cli(None, "db", "status").output
    return projects["total"], projects["as_of"], [x["values"] for x in projects["rows"]], status.split("最近导入")[0]


def _refused_by_the_cli(front_ends: FrontEnds, bad: Path) -> tuple[object, ...]:
    """`db import projects` refuses the bad ledger whole, naming each row, column, value and reason, and changes
    nothing; the state before, for the next front end's check."""
    before = _state(front_ends)
    result = front_ends.cli("same_ledger", "db", "import", "projects", str(bad))
    assert result.exit_code == 1 and "有 4 行数据有误（共 4 处），数据库未做任何修改" in result.output
    lines = [line.strip() for line in result.output.splitlines()]
    for n, column, value, reason in REFUSALS:
        assert any(line.startswith(f"第 {n} 行，列“{column}”，值“{value}”：{reason}") for line in lines), result.output
    # 2024.3.5, 2024年3月5日 and 45356 (rows 2-4) are dates as staff type them: read, not refused
    assert not any(line.startswith(f"第 {n} 行") for n in (2, 3, 4) for line in lines)
    assert _state(front_ends) == before
    return before


def test_a_bad_project_ledger_is_refused_whole_with_row_column_value_and_reason_from_the_cli_and_the_workbench(
        front_ends: FrontEnds, tmp_path: Path) -> None:
    bad = tmp_path / "项目台账.csv"
    bad.write_text(BAD_LEDGER, encoding="utf-8")
    before = _refused_by_the_cli(front_ends, bad)

    # the workbench: the file uploaded as the page does, then the tab's import event
    headers = front_ends.accounts["same_ledger"].headers
    with bad.open("rb") as fh:
        sent = front_ends.client.post("/ui/gradio_api/upload", files={"files": (bad.name, fh, "text/csv")},
                                      headers=headers)
    assert sent.status_code == 200, sent.text
    [path] = sent.json()
    event, report = front_ends.ui("same_ledger", "import_ledger",
                                  [{"path": path, "meta": {"_type": "gradio.FileData"}}, "projects"])
    assert event == "complete" and "有 4 行数据有误（共 4 处），数据库未做任何修改" in report
    for n, column, value, reason in REFUSALS:
        assert f'>{n}</td><td>{column}</td><td>{value}</td><td>{reason}' in report.replace('\\"', '"'), report
    assert _state(front_ends) == before
    rejected = [e for e in front_ends.audit("same_ledger") if e.action == "import"]
    assert [(e.via, e.outcome) for e in rejected] == [("cli", "rejected"), ("ui", "rejected")]


def test_the_same_bad_ledger_as_an_xlsx_with_a_serial_date_cell_is_refused_alike(front_ends: FrontEnds,
                                                                                 tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for line in BAD_LEDGER.splitlines():
        sheet.append([int(cell) if cell == "45356" else cell for cell in line.split(",")])  # a real Excel date number
    bad = tmp_path / "项目台账.xlsx"
    book.save(bad)
    _refused_by_the_cli(front_ends, bad)
