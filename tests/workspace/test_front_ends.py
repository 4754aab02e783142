"""Every front end acts through the same Workspace: the same action leaves the same audit row whichever front
end it came from (only `via` differs), a county account is refused another region's rows everywhere, and the
per-minute budget holds on every channel."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from assistant.auth.audit import AuditEvent, AuditLog
from assistant.cli import main
from assistant.ui.drafting import DraftingTab
from assistant.workspace import command_line_user
from tests.conftest import CORPUS
from tests.workspace.conftest import BUDGET, FrontEnds

QUESTION = "汉阴县一季度外资完成进度？"
CHECKED = "一季度全市实际到位内资381.47亿元，汉阴县外商直接投资263.7万美元。"
HANBIN = {"region": "汉滨区", "period": "2023Q1", "metric": "实际引进内资"}
HANBIN_DOMESTIC = "41.01"  # 汉滨区 2023Q1 实际引进内资（亿元）
DENIED = "只能查看汉阴县"


def row(event: AuditEvent) -> tuple[Any, ...]:
    """An audit row without its time and front end."""
    return event.username, event.role, event.action, event.subject, event.documents, event.rows, event.outcome


def after(front_ends: FrontEnds, account: str, seen: int) -> list[AuditEvent]:
    return front_ends.audit(account)[seen:]


def test_a_question_leaves_the_same_audit_row_from_the_cli_the_api_and_the_workbench(front_ends: FrontEnds) -> None:
    result = front_ends.cli("same_ask", "ask", QUESTION)
    assert result.exit_code == 0, result.output
    assert front_ends.api("same_ask", "POST", "/api/ask", json={"question": QUESTION}).status_code == 200
    event, _ = front_ends.ui("same_ask", "respond", [QUESTION, []])
    assert event == "complete"
    cli, api, ui = front_ends.audit("same_ask")
    assert [cli.via, api.via, ui.via] == ["cli", "api", "ui"]
    assert row(cli) == row(api) == row(ui)
    assert cli.action == "ask" and cli.subject == QUESTION and any(r.startswith("indicators#") for r in cli.rows)


def test_a_figure_query_leaves_the_same_row_and_the_data_tab_is_audited_like_the_api(front_ends: FrontEnds) -> None:
    result = front_ends.cli("same_figures", "figures", "rank", "2023Q1", "实际引进内资", "--by", "value")
    assert result.exit_code == 0, result.output
    asked = {"period": "2023Q1", "metric": "实际引进内资"}
    assert front_ends.api("same_figures", "GET", "/api/figures/rank", params={**asked, "by": "value"}).status_code == 200
    cli, api = front_ends.audit("same_figures")
    assert (cli.via, api.via) == ("cli", "api") and row(cli) == row(api)
    assert cli.subject == "rank_regions period=2023Q1 metric=实际引进内资 by=value" and cli.rows

    # The data tab's county table (shown as the page loads, for the newest period) is four tool calls; each
    # is the row the API writes for the same call.
    event, _ = front_ends.ui("data_tab", "refresh", [None, None])
    assert event == "complete"
    tab = front_ends.audit("data_tab")
    assert {e.via for e in tab} == {"ui"} and len(tab) == 4
    [(period, metric)] = {re.search(r"period=(\S+) metric=(\S+)", e.subject).groups() for e in tab}  # type: ignore[union-attr]
    asked = {"period": period, "metric": metric}
    for path, params in (("rank", {**asked, "by": "value"}), ("rank", {**asked, "by": "completion"}),
                         ("lagging", asked), ("city", asked)):
        assert front_ends.api("data_tab", "GET", f"/api/figures/{path}", params=params).status_code == 200
    api_rows = front_ends.audit("data_tab")[4:]
    assert sorted(row(e) for e in tab) == sorted(row(e) for e in api_rows)


def test_the_consistency_check_is_audited_the_same_way_from_every_front_end(front_ends: FrontEnds) -> None:
    result = front_ends.cli("same_check", "draft", "check", "-", stdin=CHECKED)
    assert result.exit_code == 1 and "[不一致] 263.7万美元" in result.output  # a mismatch fails the command
    assert front_ends.api("same_check", "POST", "/api/draft/check", json={"text": CHECKED}).status_code == 200
    event, payload = front_ends.ui("same_check", "check", [CHECKED, None, ""])
    assert event == "complete" and "不一致" in payload
    cli, api, ui = front_ends.audit("same_check")
    assert [cli.via, api.via, ui.via] == ["cli", "api", "ui"] and row(cli) == row(api) == row(ui)
    assert cli.action == "check" and cli.subject.endswith("：2 个数字，一致 1，不一致 1，未找到 0") and cli.rows


def test_a_drafted_and_exported_report_is_audited_the_same_way_from_every_front_end(front_ends: FrontEnds,
                                                                                    tmp_path: Path) -> None:
    out = tmp_path / "报告.docx"
    result = front_ends.cli("same_draft", "draft", "report", "--period", "2023Q1", "--out", str(out))
    assert result.exit_code == 0 and out.exists(), result.output
    docx = front_ends.api("same_draft", "POST", "/api/draft/report", params={"format": "docx"},
                          json={"period": "2023Q1"})
    assert docx.status_code == 200
    # The period dropdown's choices are filled per page, so the handler is called as the page's event would.
    tab = DraftingTab(front_ends.services)
    draft, _, docx_path, _ = tab.draft_report("2023Q1", "", True, "工作报告", True, front_ends.ui_request("same_draft"),
                                              progress=lambda *args, **kwargs: None)
    assert Path(docx_path).read_bytes()[:2] == b"PK"
    rows = front_ends.audit("same_draft")
    assert [(e.action, e.via) for e in rows] == [("draft", "cli"), ("draft_export", "cli"), ("draft", "api"),
                                                 ("draft_export", "api"), ("draft", "ui"), ("draft_export", "ui")]
    assert row(rows[0]) == row(rows[2]) == row(rows[4]) and row(rows[1]) == row(rows[3]) == row(rows[5])
    assert "2023" in rows[1].subject and rows[1].rows


def test_a_search_leaves_the_same_row_from_the_cli_and_the_api(front_ends: FrontEnds) -> None:
    assert front_ends.cli("same_search", "search", "项目管家").exit_code == 0
    assert front_ends.api("same_search", "GET", "/api/search", params={"q": "项目管家"}).status_code == 200
    cli, api = front_ends.audit("same_search")
    assert (cli.via, api.via) == ("cli", "api") and row(cli) == row(api) and cli.documents


def test_a_county_account_is_refused_another_regions_rows_through_every_front_end(front_ends: FrontEnds) -> None:
    seen = len(front_ends.audit("hanyin"))
    result = front_ends.cli("hanyin", "figures", "indicator", "汉滨区", "2023Q1", "实际引进内资")
    assert result.exit_code == 1 and DENIED in result.output and HANBIN_DOMESTIC not in result.output
    r = front_ends.api("hanyin", "GET", "/api/figures/indicator", params=HANBIN)
    assert r.status_code == 403 and DENIED in r.json()["detail"] and HANBIN_DOMESTIC not in r.text
    event, payload = front_ends.ui("hanyin", "respond", ["汉滨区一季度实际引进内资多少？", []])
    assert event == "complete" and DENIED in payload and HANBIN_DOMESTIC not in payload
    cli, api, ui = after(front_ends, "hanyin", seen)
    assert (cli.outcome, api.outcome) == ("denied", "denied") and row(cli) == row(api)
    assert ui.action == "ask" and ui.subject == "汉滨区一季度实际引进内资多少？"


def test_a_county_account_cannot_write_through_any_front_end(front_ends: FrontEnds, tmp_path: Path) -> None:
    seen = len(front_ends.audit("hanyin"))
    result = front_ends.cli("hanyin", "draft", "reply", "--number", "1", "--title", "关于某事的提案", "--proposer", "张三")
    assert result.exit_code == 1 and "县区账号不能进行此操作" in result.output
    r = front_ends.api("hanyin", "POST", "/api/draft/reply",
                       json={"number": "1", "title": "关于某事的提案", "proposer": "张三"})
    assert r.status_code == 403 and "县区账号不能进行此操作" in r.json()["detail"]
    event, payload = front_ends.ui("hanyin", "draft_reply", ["", "1", "关于某事的提案", "张三", "", None, "A", "", "",
                                                             "", "", "", "", "分条", True])
    assert event == "error" and "县区账号只能查询" in payload
    cli, api, ui = after(front_ends, "hanyin", seen)
    assert [e.via for e in (cli, api, ui)] == ["cli", "api", "ui"] and row(cli) == row(api) == row(ui)
    assert (cli.action, cli.subject, cli.outcome) == ("draft", "关于某事的提案", "denied")


def test_the_budget_holds_on_every_front_end(front_ends: FrontEnds, tmp_path: Path) -> None:
    batch = tmp_path / "问题.txt"
    batch.write_text("\n".join(["项目管家是什么？"] * (BUDGET + 1)) + "\n", encoding="utf-8")
    result = front_ends.cli("busy_cli", "ask", "--batch", str(batch))
    assert result.exit_code == 1 and "提问过于频繁" in result.output
    assert result.output.count('"answer"') == BUDGET

    statuses = [front_ends.api("busy_api", "POST", "/api/ask", json={"question": "项目管家是什么？"}).status_code
                for _ in range(BUDGET + 1)]
    assert statuses == [200] * BUDGET + [429]
    refused = front_ends.api("busy_api", "GET", "/api/search", params={"q": "项目管家"})
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1

    for _ in range(BUDGET):
        assert front_ends.ui("busy_ui", "respond", ["项目管家是什么？", []])[0] == "complete"
    event, payload = front_ends.ui("busy_ui", "respond", ["项目管家是什么？", []])
    assert event == "complete" and "提问过于频繁" in payload  # said in the conversation

    # The command line's own operator has no budget.
    result = front_ends.cli(None, "ask", "--batch", str(batch))
    assert result.exit_code == 0 and result.output.count('"answer"') == BUDGET + 1


def test_backup_and_restore_are_audited_and_only_administrators_may_run_them(front_ends: FrontEnds,
                                                                              tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = {"ASSISTANT_DATA_DIR": str(data)}
    runner = CliRunner()
    assert runner.invoke(main, ["db", "import-demo", str(CORPUS / "data")], env=env).exit_code == 0
    assert runner.invoke(main, ["users", "add", "county", "--role", "县区", "--region", "汉阴县", "--password",
                                "correct-horse-9"], env=env).exit_code == 0
    refused = runner.invoke(main, ["--as", "county", "backup", str(tmp_path / "备份")], env=env)
    assert refused.exit_code == 1 and "仅限管理员" in refused.output and not (tmp_path / "备份").exists()
    done = runner.invoke(main, ["backup", str(tmp_path / "备份")], env=env)
    assert done.exit_code == 0, done.output
    restored = runner.invoke(main, ["restore", str(tmp_path / "备份")], env=env)
    assert restored.exit_code == 0, restored.output

    log = AuditLog(data / "audit.sqlite")  # the restored directory's log
    try:
        restore = log.query(action="restore")
    finally:
        log.close()
    operator = command_line_user().username
    assert [(e.username, e.via, e.outcome) for e in restore] == [(operator, "cli", "ok")]
    assert str(tmp_path / "备份") in restore[0].subject
    aside = next(p for p in tmp_path.iterdir() if p.name.startswith(".data.before-restore-"))
    log = AuditLog(aside / "audit.sqlite")  # the log as it was before the restore
    try:
        rows = [(e.username, e.action, e.outcome) for e in log.query(limit=100)]
    finally:
        log.close()
    assert ("county", "backup", "denied") in rows and (operator, "backup", "ok") in rows
    assert (operator, "import", "ok") in rows
