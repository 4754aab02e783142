"""LLM04 数据与模型投毒 by a partial sheet: re-importing a period's indicators replaces that period, so a wide
sheet that holds only one county used to delete the other twelve counties' rows for that period without a
word. Now the import says which regions' rows would go and does nothing unless asked explicitly
(`--replace-period` in the CLI, the 整期替换 box in the workbench). Works on a database of its own."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from fastapi.testclient import TestClient

from assistant.api import create_app
from assistant.cli import main
from assistant.config import Settings
from tests.conftest import CORPUS, add_user
from tests.security.conftest import gradio_call

ONE_COUNTY = """2023年全市各县（区、市）、开发区一季度招商引资指标完成情况,,,,,,,,,,
地区,实际引进内资（亿元）,,,,,外商直接投资额（万美元）,,,,
,绝对值,同比%,2023年目标,目标完成进度%,内资完成排名,绝对值,同比%,2023年目标,目标完成进度%,外资完成排名
汉阴县,33.10,-17.60%,108.40,30.54%,7,240.0,,350,68.57%,1
"""


@pytest.fixture
def own_db(tmp_path: Path) -> Settings:
    settings = Settings(data_dir=tmp_path / "data")
    result = _cli(settings, "db", "import-demo", str(CORPUS / "data"))
    assert result.exit_code == 0, result.output
    return settings


def _cli(settings: Settings, *args: str) -> Result:
    return CliRunner().invoke(main, list(args), env={"ASSISTANT_DATA_DIR": str(settings.data_dir)})


def _q1_regions(settings: Settings) -> set[str]:
    with sqlite3.connect(settings.data_dir / "project.sqlite") as conn:
        return {name for (name,) in conn.execute(
            "SELECT DISTINCT r.name FROM indicators i JOIN regions r ON r.id = i.region_id WHERE i.period = '2023Q1'")}


@pytest.mark.parametrize("flag", [pytest.param("", id="LLM04-cli-one-county-sheet-does-not-wipe-other-counties")])
def test_the_cli_refuses_a_partial_sheet_and_names_what_would_go(own_db: Settings, tmp_path: Path, flag: str) -> None:
    before = _q1_regions(own_db)
    assert {"汉滨区", "汉阴县", "旬阳市"} <= before
    sheet = tmp_path / "汉阴县一季度.csv"
    sheet.write_text(ONE_COUNTY, encoding="utf-8")
    refused = _cli(own_db, "db", "import", "indicators", str(sheet))
    assert refused.exit_code != 0
    assert "只有 1 个地区（汉阴县）" in refused.output and "汉滨区" in refused.output and "--replace-period" in refused.output
    assert "数据库未做任何修改" in refused.output
    assert _q1_regions(own_db) == before

    replaced = _cli(own_db, "db", "import", "indicators", str(sheet), "--replace-period")
    assert replaced.exit_code == 0, replaced.output
    assert "整期替换，删除了文件中没有的地区" in replaced.output and "汉滨区" in replaced.output
    assert _q1_regions(own_db) == {"汉阴县"}  # exactly what was asked for, and said

    complete = _cli(own_db, "db", "import", "indicators", str(CORPUS / "data" / "indicators_2023Q1_wide.csv"))
    assert complete.exit_code == 0, complete.output  # a complete sheet needs no flag
    assert _q1_regions(own_db) == before


@pytest.fixture
def own_app(own_db: Settings) -> Iterator[tuple[TestClient, dict[str, str]]]:
    key = add_user(own_db, "import_staff", "科室")
    with TestClient(create_app(own_db, warm=False)) as client:
        yield client, {"Authorization": f"Bearer {key}"}


@pytest.mark.parametrize("tick", [pytest.param(False, id="LLM04-ui-one-county-sheet-needs-the-replace-box")])
def test_the_workbench_asks_for_the_replace_box(own_app: tuple[TestClient, dict[str, str]], own_db: Settings,
                                               tick: bool) -> None:
    client, headers = own_app
    before = _q1_regions(own_db)
    r = client.post("/ui/gradio_api/upload", files=[("files", ("汉阴县一季度.csv", ONE_COUNTY.encode(), "text/csv"))],
                    headers=headers)
    assert r.status_code == 200, r.text
    file = {"path": r.json()[0], "orig_name": "汉阴县一季度.csv", "meta": {"_type": "gradio.FileData"}}
    actor = type("Actor", (), {"headers": headers})()
    event, payload = gradio_call(client, actor, "import_data", [file, "indicators", "auto", "", tick])
    assert event == "complete" and "未导入" in payload and "汉滨区" in payload and "整期替换" in payload, payload[:400]
    assert _q1_regions(own_db) == before
    event, payload = gradio_call(client, actor, "import_data", [file, "indicators", "auto", "", True])
    assert event == "complete" and "整期替换，删除了文件中没有的地区" in payload, payload[:400]
    assert _q1_regions(own_db) == {"汉阴县"}
