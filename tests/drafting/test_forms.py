"""Every form staff write, through `assistant draft …` and /api/draft/form: 情况通报 built from the ledger
tools (each figure as the tools give it, with its as-of date), the 两段式 reply, the 工作总结, and the 通知 and
请示 skeletons; bad input gives a Chinese message or a warning, never an invented figure."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from fastapi import FastAPI
from fastapi.testclient import TestClient

from assistant.api_routes import drafting
from assistant.api_routes.auth import RequireLogin
from assistant.api_routes.deps import AppState
from assistant.api_routes.errors import install_error_handlers
from assistant.cli import main
from assistant.config import Settings
from assistant.db.session import FigureStore
from assistant.drafting.facts import gongwen_value
from assistant.drafting.forms import FORMS
from assistant.tools.assessment import assessment
from assistant.tools.lifecycle import weekly_changes
from assistant.tools.monthly import monthly_ranking
from tests.conftest import add_user
from tests.drafting.test_front_ends import DOCX, client, env  # noqa: F401

SECTION = re.compile(r"^[一二三四五六七八九十]+、")


def _json(environ: dict[str, str], *args: str) -> dict:  # type: ignore[type-arg]
    result = CliRunner().invoke(main, ["draft", *args, "--json"], env=environ)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def _lines(draft: dict) -> list[str]:  # type: ignore[type-arg]
    return [p["lead"] + p["text"] for p in draft["paragraphs"]]


def test_cli_weekly_bulletin_states_the_ledgers_changes_with_both_dates(env: dict[str, str],  # noqa: F811
                                                                        store: FigureStore) -> None:
    changes = weekly_changes(store)  # the tool itself, as the figures listing shows it
    draft = _json(env, "bulletin", "周动态")
    start, end = changes.date_from, changes.date_to
    assert draft["kind"] == "bulletin" and draft["as_of"] == end.isoformat()
    assert f"{start.year}年{start.month}月{start.day}日—{end.year}年{end.month}月{end.day}日" in draft["title"]
    lines = _lines(draft)
    assert [x for x in lines if SECTION.match(x)] == ["一、总体情况", "二、项目推进情况", "三、停滞和滞后项目", "四、工作要求"]
    total = lines[lines.index("一、总体情况") + 1]
    assert f"新增项目{changes.counts['新增']}个" in total and f"没有任何变化的在推项目{changes.counts['停滞']}个" in total
    assert f"新到位资金{gongwen_value(changes.funds_added_yi_yuan, '亿元')}" in total
    funds = next(x for x in lines if x.startswith("（三）资金到位。"))
    for change in changes.funds:  # each project's new money, as 公文 write it (0.4亿元, not 0.40 亿元)
        assert f"{change.project}（{change.region}）到位资金增加{gongwen_value(change.funds_added_yi_yuan, '亿元')}" in funds
    figures = {f["label"]: f for p in draft["paragraphs"] for f in p["figures"]}
    assert any(label.endswith("新增项目数") for label in figures)
    assert all(f["provenance"]["table"] in ("project_versions", "projects") for f in figures.values())
    assert lines[-2:] == ["抄送：市委办公室，市政府办公室，市委督查室，市政府督查室。",
                          f"安康市招商和经济合作局办公室　　{end.year}年{end.month}月{end.day}日印发"]


def test_cli_weekly_bulletin_before_any_ledger_is_refused_in_chinese(env: dict[str, str]) -> None:  # noqa: F811
    result = CliRunner().invoke(main, ["draft", "bulletin", "周动态", "--to", "2020-01-01"], env=env)
    assert result.exit_code == 1 and "2020年1月1日早于最早的项目台账" in result.output


def test_cli_monthly_bulletin_ranks_the_counties_and_writes_the_docx(env: dict[str, str],  # noqa: F811
                                                                     store: FigureStore, tmp_path: Path) -> None:
    draft = _json(env, "bulletin", "月排名", "--period", "2023-07", "--date", "2023-08-05")
    assert draft["title"] == "关于2023年1-7月全市招商引资主要指标完成情况的通报"
    lines = _lines(draft)
    assert lines[lines.index("一、全市总体情况") + 1].startswith("截至2023年7月底，全市实际引进内资")
    domestic = next(x for x in lines if x.startswith("（一）实际引进内资。"))
    assert "按完成进度排名，前三位是" in domestic and "后三位是" in domestic
    first = monthly_ranking(store, "2023-07").rows[0]  # the 月排名 tool's overall place
    overall = next(x for x in lines if x.startswith("（三）综合排名。"))
    assert f"综合排名前三位的是{first.region}（" in overall
    projects = lines[lines.index("三、项目推进情况") + 1]
    assert projects.startswith("截至2023年7月28日台账")  # the ledger the rates come from, by its date
    assert draft["tables"][0]["rows"][-1][0] == "全市"
    out = tmp_path / "月排名通报.docx"
    result = CliRunner().invoke(main, ["draft", "bulletin", "月排名", "--period", "2023-07", "--out", str(out)], env=env)
    assert result.exit_code == 0, result.output
    texts = [p.text for p in Document(str(out)).paragraphs]
    assert "关于2023年1-7月全市招商引资主要指标完成情况的通报" in texts and "附：依据" in texts


def test_cli_monthly_bulletin_dated_before_the_ledger_leaves_the_rates_out(env: dict[str, str]) -> None:  # noqa: F811
    result = CliRunner().invoke(main, ["draft", "bulletin", "月排名", "--date", "2023-07-20", "--json"], env=env)
    assert result.exit_code == 0, result.output
    draft = json.loads(result.stdout)
    assert draft["period"] == "2023Q2"  # the newest period ended by 20 July
    lines = _lines(draft)
    projects = next(p for p in draft["paragraphs"] if (p["lead"] + p["text"]).startswith("【待补充：2023年7月20日时"))
    assert projects["placeholder"] and not projects["figures"]
    assert "项目台账最新为2023年7月28日，晚于通报日期2023年7月20日" in result.stderr
    assert not any("7月28日台账" in x for x in lines)


def test_api_assessment_bulletin_names_each_class_and_the_last_placed_with_the_reasons(
        client: TestClient, store: FigureStore) -> None:  # noqa: F811
    r = client.post("/api/draft/form", json={"form": "通报", "kind": "季度考核", "period": "2023Q2"})
    assert r.status_code == 200, r.text
    draft = r.json()["draft"]
    result = assessment(store, "2023Q2")
    lines = _lines(draft)
    for cls in dict.fromkeys(s.county_class for s in result.rows):
        members = [s for s in result.rows if s.county_class == cls]
        assert any(x.startswith("（") and f"{cls}（共{len(members)}个）" in x for x in lines)
        last = max(members, key=lambda s: s.rank_in_class)
        assert any(f"{last.region}在{cls}中排第{last.rank_in_class}位，主要失分在" in x for x in lines)
    table = draft["tables"][0]
    assert table["header"][0][-2:] == ["总分", "类别内排名"] and len(table["rows"]) == len(result.rows)
    assert any("晚于考核期末2023年6月30日" in w for w in draft["warnings"])  # the engine reads the newest ledger
    r = client.post("/api/draft/form", json={"form": "通报", "kind": "季度考核", "period": "2023-07"})
    assert r.status_code == 422 and "应为季度" in r.json()["detail"]


def test_api_lists_every_form_and_drafts_a_request_skeleton_as_docx(client: TestClient) -> None:  # noqa: F811
    forms = client.get("/api/draft/forms").json()
    assert [f["title"] for f in forms] == [f.title for f in FORMS]
    assert all(Path(f["template"]).name in {p.name for p in Path("prompts/drafting").glob("*.yaml")} for f in forms)
    body = {"form": "请示", "subject": "关于举办秦巴招商推介会的请示", "recipient": "市人民政府，市财政局"}
    draft = client.post("/api/draft/form", json=body).json()["draft"]
    assert draft["title"] == "安康市招商和经济合作局关于举办秦巴招商推介会的请示"
    lines = _lines(draft)
    assert [x for x in lines if SECTION.match(x)] == ["一、基本情况", "二、请示事项"]
    assert "妥否，请批示。" in lines and "（联系人：【待补充】　　电话：【待补充】）" in lines
    assert sum(p["placeholder"] for p in draft["paragraphs"]) == 3 and not any(p["figures"] for p in draft["paragraphs"])
    assert any("请示只主送一个机关" in w for w in draft["warnings"]) and any("签发人" in w for w in draft["warnings"])
    r = client.post("/api/draft/form", params={"format": "docx"}, json=body)
    assert r.status_code == 200 and r.headers["content-type"] == DOCX
    assert "妥否，请批示。" in [p.text for p in Document(io.BytesIO(r.content)).paragraphs]
    r = client.post("/api/draft/form", json={"form": "公函", "subject": "x"})
    assert r.status_code == 422


def test_cli_notice_skeleton_and_the_two_part_reply_and_the_summary(env: dict[str, str]) -> None:  # noqa: F811
    notice = _json(env, "notice", "开展招商引资项目集中签约活动", "--date", "2023-09-01")
    assert notice["title"] == "安康市招商和经济合作局关于开展招商引资项目集中签约活动的通知"
    assert [x for x in _lines(notice) if SECTION.match(x)] == ["一、工作目标", "二、主要任务", "三、工作要求"]
    assert _lines(notice)[-1] == "安康市招商和经济合作局办公室　　2023年9月1日印发"
    reply = _json(env, "reply", "--number", "205", "--session", "市政协五届二次会议", "--proposer", "刘文涛",
                  "--title", "关于推动我市招商引资工作高质量发展的提案", "--style", "两段式", "--date", "2023-09-01",
                  "--suggestion", "建立县区间招商信息共享机制，打破信息壁垒，避免同质化竞争",
                  "--suggestion", "发展低空经济无人机产业")
    lines = _lines(reply)
    assert [x for x in lines if SECTION.match(x)] == ["一、工作成效", "二、下一步工作重点"]  # no section of problems
    done = next(p for p in reply["paragraphs"] if p["lead"].startswith("一是"))
    assert done["citations"] and done["citations"][0]["doc_number"] == "安招函〔2023〕31号"
    missing = next(x for x in lines if x.startswith("【待补充：以下建议"))
    assert "发展低空经济无人机产业" in missing  # nothing on record: said so, not invented
    assert lines[lines.index("二、下一步工作重点") + 1].startswith("下一步，针对您在《关于推动我市招商引资工作高质量发展的提案》中")
    summary = _json(env, "report", "--period", "2023Q2", "--form", "工作总结", "--no-table")
    assert summary["title"] == "2023年上半年全市招商引资工作总结"
    assert [x for x in _lines(summary) if SECTION.match(x)] == ["一、主要工作及成效", "二、存在的问题和不足", "三、下一步工作打算"]


@pytest.mark.parametrize(("args", "message"), [
    (["bulletin", "季度考核", "--period", "2023-07"], "应为季度"),
    (["bulletin", "月排名", "--date", "2020-01-01"], "2020年1月1日之前数据库中没有已结束的期间数据"),
    (["notice", "x"], "参数有误"),
])
def test_cli_bad_input_for_the_new_forms_is_a_chinese_error(args: list[str], message: str,
                                                            env: dict[str, str]) -> None:  # noqa: F811
    result = CliRunner().invoke(main, ["draft", *args], env=env)
    assert result.exit_code == 1 and message in result.output, result.output


def test_a_county_account_may_not_draft_a_bulletin_and_the_refusal_is_audited(draft_settings: Settings) -> None:
    key = add_user(draft_settings, "汉阴起草测试", role="县区", region="汉阴县")
    app = FastAPI()
    state = AppState(draft_settings)  # logins required, as served
    app.state.assistant, app.state.auth = state, state.auth
    install_error_handlers(app)
    app.include_router(drafting.router)
    app.add_middleware(RequireLogin, auth=state.auth)
    with TestClient(app) as county:
        r = county.post("/api/draft/form", json={"form": "通报", "kind": "周动态"},
                        headers={"Authorization": f"Bearer {key}"})
    state.kb.close()
    assert r.status_code == 403 and "县区账号" in r.json()["detail"]
    result = CliRunner().invoke(main, ["audit", "--user", "汉阴起草测试", "--json"],
                                env={"ASSISTANT_DATA_DIR": str(draft_settings.data_dir)})
    assert any(e["action"] == "draft" and e["outcome"] == "denied" and "周动态通报" in e["subject"]
               for e in map(json.loads, result.stdout.splitlines()))
