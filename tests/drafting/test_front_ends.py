"""`assistant draft …` and the /api/draft routes, over the same small data directory."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
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
from tests.drafting.test_check import PLANTED
from tests.drafting.test_proposal import PROPOSAL

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(scope="module")
def env(draft_settings: Settings) -> dict[str, str]:
    return {"ASSISTANT_DATA_DIR": str(draft_settings.data_dir)}


@pytest.fixture(scope="module")
def gbk_proposal(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("upload") / "第301号提案.txt"
    path.write_bytes(PROPOSAL.encode("gbk"))
    return path


def test_cli_report_writes_the_docx(env: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "一季度报告.docx"
    result = CliRunner().invoke(main, ["draft", "report", "--period", "2023Q1", "--out", str(out),
                                       "--date", "2023-04-07"], env=env)
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"已生成：{out}")
    assert Document(str(out)).paragraphs[1].text == "关于2023年一季度全市招商引资工作情况的报告"


def test_cli_reply_from_a_gbk_proposal_file(env: dict[str, str], gbk_proposal: Path) -> None:
    result = CliRunner().invoke(main, ["draft", "reply", "--number", "301", "--suggestions-file", str(gbk_proposal),
                                       "--category", "C", "--json", "--date", "2023-09-01"], env=env)
    assert result.exit_code == 0, result.output
    draft = json.loads(result.stdout)
    assert draft["title"] == "安康市招商和经济合作局对市政协五届二次会议第301号提案的答复函"
    assert draft["paragraphs"][0]["text"] == "李明委员："
    assert "《关于加快发展低空经济的提案》（第301号）" in draft["paragraphs"][1]["text"]
    leads = [p["lead"] for p in draft["paragraphs"] if p["lead"].startswith("（")]
    assert leads == ["（一）关于发展低空经济无人机产业。", "（二）关于出台低空空域开放试点政策。", "（三）关于引进无人机整机和零部件龙头企业。"]


def test_cli_reply_without_a_title_says_what_to_do(env: dict[str, str]) -> None:
    result = CliRunner().invoke(main, ["draft", "reply", "--number", "301", "--proposer", "李明"], env=env)
    assert result.exit_code == 2 and "缺少提案标题：请用 --title 填写" in result.output


def test_cli_check_reports_the_planted_figure_and_fails(env: dict[str, str]) -> None:
    result = CliRunner().invoke(main, ["draft", "check", "-"], input=PLANTED, env=env)
    assert result.exit_code == 1
    assert "[不一致] 263.7万美元 —— 汉阴县 2023年一季度（1-3月） 外商直接投资 数值：数据库中为 236.70万美元" in result.output
    assert "不一致 2，" in result.output.splitlines()[-1]
    result = CliRunner().invoke(main, ["draft", "check", "-", "--json"], input="一季度全市实际到位内资381.47亿元。",
                                env=env)
    assert result.exit_code == 0 and json.loads(result.output)["summary"]["match"] == 1


def test_cli_bad_period_is_a_chinese_error(env: dict[str, str]) -> None:
    result = CliRunner().invoke(main, ["draft", "report", "--period", "2023Q9"], env=env)
    assert result.exit_code == 1 and "无法识别期间“2023Q9”" in result.output


@pytest.fixture(scope="module")
def client(draft_settings: Settings) -> Iterator[TestClient]:
    app = FastAPI()
    state = AppState(draft_settings, local=True)  # the single local user (an administrator)
    app.state.assistant = state
    app.state.auth = state.auth
    install_error_handlers(app)
    app.include_router(drafting.router)
    app.add_middleware(RequireLogin, auth=state.auth)
    with TestClient(app) as c:
        yield c
    state.kb.close()


REPLY = {"number": "市政协五届二次会议第205号", "title": "关于推动我市招商引资工作高质量发展的提案", "proposer": "刘文涛",
         "suggestions_text": "一是建立县区间招商信息共享机制，避免同质化竞争。二是发展低空经济无人机产业。",
         "category": "B", "period": "2023Q1", "date": "2023-07-28"}


def test_api_reply_returns_paragraphs_with_sources_and_the_docx(client: TestClient) -> None:
    r = client.post("/api/draft/reply", json=REPLY)
    assert r.status_code == 200, r.text
    body = r.json()
    paragraphs = body["draft"]["paragraphs"]
    first = next(p for p in paragraphs if p["lead"].startswith("（一）"))
    assert first["citations"][0]["doc_number"] == "安招函〔2023〕31号"
    assert next(p for p in paragraphs if p["lead"].startswith("（二）"))["placeholder"]
    assert body["sources"] and body["export"] == "/api/draft/export"
    r = client.post("/api/draft/reply", params={"format": "docx"}, json=REPLY)
    assert r.status_code == 200 and r.headers["content-type"] == DOCX
    assert "filename*=UTF-8''" in r.headers["content-disposition"]
    texts = [p.text for p in Document(io.BytesIO(r.content)).paragraphs]
    assert body["draft"]["title"] in texts and "附：依据" in texts
    edited = body["draft"]
    edited["paragraphs"][1]["text"] = "（经办人修改后的开头）"
    r = client.post("/api/draft/export", params={"sources": "false"}, json=edited)
    texts = [p.text for p in Document(io.BytesIO(r.content)).paragraphs]
    assert "（经办人修改后的开头）" in texts and "附：依据" not in texts


def test_api_reply_from_an_uploaded_gbk_proposal(client: TestClient, gbk_proposal: Path) -> None:
    r = client.post("/api/draft/reply/upload", data={"number": "301", "category": "C"},
                    files={"file": (gbk_proposal.name, gbk_proposal.read_bytes(), "text/plain")})
    assert r.status_code == 200, r.text
    assert r.json()["draft"]["paragraphs"][0]["text"] == "李明委员："


SHARING = "建立县区间招商信息共享机制"


@pytest.mark.parametrize(("fields", "warned", "todo", "quotes"), [
    ({"suggestions": []}, "没有提供提案的主要建议", 3, False),
    ({"suggestions": ["Attract more foreign investment from Hong Kong"]}, "第1条建议不是中文", 3, False),
    ({"suggestions": [SHARING], "number": "第三百零一号"}, "提案（建议）号“三百零一”不是数字", 0, True),
    ({"suggestions": [SHARING], "doc_number": "52号文"}, "发文字号“52号文”不是", 0, True),
    ({"suggestions": [SHARING], "date": "2021-05-01"}, "数据库中还没有已结束期间的数据", 3, False),
    ({"suggestions": [f"第{n}条：{SHARING}" for n in range(1, 31)]}, "提案共有 30 条建议", 20, True),
], ids=["no-suggestions", "english", "odd-number", "odd-doc-number", "before-the-data", "thirty"])
def test_api_bad_input_gives_a_clear_draft_with_placeholders_and_warnings(
        client: TestClient, fields: dict[str, object], warned: str, todo: int, quotes: bool) -> None:
    request = {"number": "301", "session": "市政协五届二次会议", "title": "关于提升招商实效的提案", "proposer": "李明委员",
               "date": "2023-10-09", **fields}
    r = client.post("/api/draft/reply", json=request)
    assert r.status_code == 200, r.text
    draft = r.json()["draft"]
    assert any(warned in w for w in draft["warnings"]), draft["warnings"]
    assert sum(p["placeholder"] for p in draft["paragraphs"]) >= todo
    assert "第第" not in draft["title"] and "号号" not in draft["title"]
    quoted = [c["quote"] for p in draft["paragraphs"] for c in p["citations"] if c["quote"]]
    if not quotes:  # nothing to match, or nothing written yet by that date: never a measure
        assert quoted == []


def test_api_an_odd_doc_number_is_written_as_gb_t_9704_writes_it(client: TestClient) -> None:
    r = client.post("/api/draft/reply", json={"number": "301", "title": "关于提升招商实效的提案", "proposer": "李明",
                                              "date": "2023-10-09", "doc_number": "安招函(2023)第52号"})
    assert r.status_code == 200 and r.json()["draft"]["header"]["doc_number"] == "安招函〔2023〕52号"


def test_api_report_and_its_errors(client: TestClient) -> None:
    r = client.post("/api/draft/report", json={"period": "2023Q1"})
    assert r.status_code == 200 and r.json()["draft"]["tables"][0]["rows"][-1][0] == "全市"
    r = client.post("/api/draft/report", json={"period": "2023Q9"})
    assert r.status_code == 422 and r.json()["detail"].startswith("无法识别期间“2023Q9”")


def test_api_check_pasted_and_uploaded(client: TestClient) -> None:
    r = client.post("/api/draft/check", json={"text": PLANTED})
    assert r.status_code == 200
    body = r.json()
    assert body["summary"]["mismatch"] == 2
    wrong = next(c for c in body["checks"] if c["status"] == "mismatch")
    assert body["text"][wrong["start"]:wrong["end"]] == "263.7万美元" and wrong["db_value"] == 236.7
    r = client.post("/api/draft/check/upload", files={"file": ("稿件.txt", PLANTED.encode("gbk"), "text/plain")})
    assert r.status_code == 200 and r.json()["summary"]["mismatch"] == 2
