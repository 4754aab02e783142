"""Files whose shape is hostile or merely unusual. A CSV with a 2 MB cell, or with an unpaired quote that
swallows the rest of the sheet into one cell, is refused in Chinese with its row and column, in the CLI and
in the workbench, never as a raw `_csv.Error` or a blank `{"error": null}` (LLM10). A UTF-16 text file with
its byte-order mark (Windows Notepad's "Unicode") is read as text, not called binary (LLM04: what enters the
knowledge base is what the file says)."""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from assistant.api import create_app
from assistant.cli import main
from assistant.config import Settings
from tests.security.conftest import Actor, gradio_call

HEADER = "地区,期间,指标,数值,单位,同比,年度目标,来源\n"
BIG_CELL = HEADER + "汉阴县,2023Q1,实际引进内资," + "9" * (2 * 1024 * 1024) + ",亿元,,,\n"


@pytest.fixture(scope="module")
def roomy(sec_settings: Settings) -> Iterator[TestClient]:
    """The same data with a 3 MB upload limit, so that a 2 MB cell reaches the importer through the page."""
    with TestClient(create_app(sec_settings.model_copy(update={"max_file_mb": 3.0}), warm=False)) as c:
        yield c


def _db_rows(client: TestClient, actor: Actor) -> str:
    return client.get("/api/figures/indicator", params={"region": "汉阴县", "period": "2023Q1", "metric": "实际引进内资"},
                      headers=actor.headers).text


@pytest.mark.parametrize("size", [pytest.param("2MB", id="LLM10-cli-csv-with-a-2mb-cell-names-row-and-column")])
def test_the_cli_refuses_an_oversized_cell_by_row_and_column(
        sec_settings: Settings, tmp_path: Path, client: TestClient, actors: dict[str, Actor], size: str) -> None:
    before = _db_rows(client, actors["admin"])
    path = tmp_path / "一季度指标.csv"
    path.write_text(BIG_CELL, encoding="utf-8")
    result = CliRunner().invoke(main, ["db", "import", "indicators", str(path)],
                                env={"ASSISTANT_DATA_DIR": str(sec_settings.data_dir)})
    assert result.exit_code != 0
    assert "第 2 行第 4 列（D 列）" in result.output and "一季度指标.csv" in result.output, result.output
    assert "_csv" not in result.output and "Traceback" not in result.output and "field larger" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert _db_rows(client, actors["admin"]) == before  # nothing imported


def _upload(client: TestClient, actor: Actor, name: str, content: bytes) -> dict[str, object]:
    r = client.post("/ui/gradio_api/upload", files=[("files", (name, content, "text/csv"))], headers=actor.headers)
    assert r.status_code == 200, (r.status_code, r.text[:300])
    path = r.json()[0]
    return {"path": path, "orig_name": name, "meta": {"_type": "gradio.FileData"}}


@pytest.mark.parametrize(("content", "expected"), [
    pytest.param(BIG_CELL.encode(), "第 2 行第 4 列（D 列）", id="LLM10-ui-csv-with-a-2mb-cell-names-row-and-column"),
    pytest.param((HEADER + "汉阴县,2023Q1,实际引进内资," + "9" * 40000 + ",亿元,,,\n").encode(), "第 2 行第 4 列（D 列）",
                 id="LLM10-ui-csv-cell-past-excels-limit-names-row-and-column"),
    pytest.param((HEADER + '汉阴县,2023Q1,"实际引进内资,1,亿元,,,\n' + "汉滨区,2023Q1,实际引进内资,1,亿元,,,\n" * 3000
                  ).encode(), "第 2 行第 3 列（C 列）", id="LLM10-ui-csv-unpaired-quote-swallowing-the-sheet"),
])
def test_the_workbench_refuses_a_broken_csv_in_chinese(roomy: TestClient, actors: dict[str, Actor], content: bytes,
                                                       expected: str) -> None:
    before = _db_rows(roomy, actors["admin"])
    file = _upload(roomy, actors["staff"], "一季度指标.csv", content)
    event, payload = gradio_call(roomy, actors["staff"], "import_data", [file, "indicators", "auto", "", False])
    assert event == "complete", payload[:300]  # not Gradio's {"error": null}
    assert expected in payload and "一季度指标.csv" in payload, payload[:500]
    assert "_csv" not in payload and "Error" not in payload
    assert _db_rows(roomy, actors["admin"]) == before


UTF16_TEXT = "公开属性：主动公开\n关于统一记事本编码的说明\n记事本另存为“Unicode”时使用UTF-16编码，编码标识为十六进制FFFE。\n"


@pytest.mark.parametrize("codec", [
    pytest.param("utf-16-le", id="LLM04-utf16-le-bom-text-upload-is-read-as-text"),
    pytest.param("utf-16-be", id="LLM04-utf16-be-bom-text-upload-is-read-as-text"),
])
def test_a_utf16_text_file_is_read_as_text(client: TestClient, actors: dict[str, Actor], cleanup: list[str],
                                           codec: str) -> None:
    bom = codecs.BOM_UTF16_LE if codec.endswith("le") else codecs.BOM_UTF16_BE
    data = bom + UTF16_TEXT.replace("\n", "\r\n").encode(codec)
    r = client.post("/api/documents", files=[("files", (f"记事本{codec}.txt", data, "text/plain"))],
                    headers=actors["staff"].headers)
    assert r.status_code == 200, r.text
    result = r.json()["files"][0]
    cleanup.append(result["doc_id"])
    assert result["status"] == "added" and "二进制" not in r.text
    hits = client.get("/api/search", params={"q": "记事本另存为Unicode编码标识"}, headers=actors["staff"].headers).json()
    assert any("编码标识为十六进制FFFE" in h["text"] for h in hits["hits"]), json.dumps(hits, ensure_ascii=False)[:500]


@pytest.mark.parametrize("route", [pytest.param("/api/draft/check/upload", id="LLM04-utf16-bom-draft-is-checked-as-text")])
def test_a_utf16_draft_is_checked_as_text(client: TestClient, actors: dict[str, Actor], route: str) -> None:
    data = codecs.BOM_UTF16_LE + "2023年一季度汉阴县外商直接投资236.70万美元。".encode("utf-16-le")
    r = client.post(route, files={"file": ("稿件.txt", data, "text/plain")}, headers=actors["staff"].headers)
    assert r.status_code == 200, r.text
    assert r.json()["summary"]["match"] == 1
