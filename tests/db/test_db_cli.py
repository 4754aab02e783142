"""The terminal commands, through click's CliRunner on an SQLite file in a temporary data directory."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from assistant.cli import main
from assistant.config import get_settings
from assistant.db.importers import demo_files

from .conftest import DEMO_DIR


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "indexes"))
    monkeypatch.delenv("ASSISTANT_DATABASE_URL", raising=False)
    assert get_settings().data_dir == tmp_path / "indexes"
    yield tmp_path


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def demo(data_dir: Path) -> Path:
    result = run("db", "import-demo", str(DEMO_DIR))
    assert result.exit_code == 0, result.output
    return data_dir


def test_figures_before_any_import_say_what_to_do(data_dir: Path) -> None:
    result = run("figures", "indicator", "汉阴县", "2023Q1", "外商直接投资")
    assert result.exit_code == 1
    assert "assistant db import-demo" in result.output and "Traceback" not in result.output


def test_import_demo_twice_changes_nothing(demo: Path) -> None:
    result = run("db", "import-demo", str(DEMO_DIR))
    assert result.exit_code == 0
    assert result.output.count("未做修改") == len(demo_files(DEMO_DIR)) == 16
    status = run("db", "status")
    indicators_line = next(line for line in status.output.splitlines() if "（indicators）" in line)
    assert indicators_line.split()[-1] == "103"  # 28 rows of the wide file + 75 of the long one


def test_indicator_command(demo: Path) -> None:
    result = run("figures", "indicator", "汉阴县", "2023Q1", "外商直接投资")
    assert result.exit_code == 0
    for expected in ("236.70万美元", "350.00万美元", "67.63%", "1 / 13", "indicators_2023Q1_wide.csv"):
        assert expected in result.output


def test_indicator_json_carries_provenance(demo: Path) -> None:
    result = run("figures", "indicator", "汉阴", "2023年一季度", "外资", "--json")
    data = json.loads(result.output)
    assert (data["value"], data["completion_pct"], data["rank"]) == (236.7, 67.63, 1)
    assert set(data["provenance"]) >= {"table", "row_ids", "period", "as_of", "formula"}
    assert data["provenance"]["period"] == "2023Q1"


def test_unknown_region_is_a_clear_message(demo: Path) -> None:
    result = run("figures", "indicator", "汉阳", "2023Q1", "外资")
    assert result.exit_code == 1
    assert "未知地区“汉阳”" in result.output and "汉滨区、旬阳市" in result.output
    assert "Traceback" not in result.output


def test_rank_and_lagging_commands(demo: Path) -> None:
    ranking = run("figures", "rank", "2023Q1", "实际引进内资").output
    order = [ranking.index(name) for name in ("旬阳市", "白河县", "石泉县", "恒口", "瀛湖")]
    assert order == sorted(order) and "37.31%" in ranking and "13.93%" in ranking
    lagging = run("figures", "lagging", "2023Q1", "实际引进内资").output
    assert "瀛湖" in lagging and "11.07" in lagging and "恒口" in lagging and "4.92" in lagging
    assert "旬阳市" not in lagging.split("来源")[0]
    assert run("figures", "rank", "2023Q1", "内资", "--by", "size").exit_code == 2


def test_other_figure_commands(demo: Path) -> None:
    assert "9.62%" in run("figures", "city", "2023Q1", "外资").output
    assert "91.30%" in run("figures", "projects", "--period", "2023Q1").output
    assert "8.53" in run("figures", "events", "--city", "雄安").output
    assert "WT-2023-009" in run("figures", "problems", "--region", "恒口").output
    listing = run("figures", "project-list", "--min-investment-yi", "10", "--json")
    assert json.loads(listing.output)["total_count"] == 5


def test_bad_import_prints_every_bad_row_and_exits_nonzero(demo: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("地区,期间,指标,数值,单位,同比,年度目标\n汉滨区,2023Q1,内资,1,亿元,,10\n汉阳,2023Q1,内资,x,亿元,,10\n",
                   encoding="utf-8")
    before = run("db", "status").output
    result = run("db", "import", "indicators", str(bad))
    assert result.exit_code == 1
    assert "第 3 行，列“地区”，值“汉阳”：未知地区" in result.output
    assert "第 3 行，列“数值”，值“x”：不是有效数字" in result.output
    assert "已知地区" in result.output and "Traceback" not in result.output
    assert run("db", "status").output == before


def test_good_import_prints_a_summary(demo: Path, tmp_path: Path) -> None:
    good = tmp_path / "good.csv"
    good.write_bytes("地区,期间,指标,数值,单位,同比,年度目标\n汉滨区,2024Q1,内资,45,亿元,9.7%,150\n".encode("gbk"))
    result = run("db", "import", "indicators", str(good))
    assert result.exit_code == 0
    assert "新增 1" in result.output and "GBK" in result.output
    assert "30.00%" in run("figures", "indicator", "汉滨", "2024Q1", "内资").output


def test_monthly_ranking_command_ranks_every_indicator_and_says_when_the_month_is_missing(demo: Path) -> None:
    july = run("figures", "monthly-ranking", "--period", "2023-07", "--json")
    body = json.loads(july.output)
    assert body["metrics"] == ["实际引进内资", "外商直接投资"] and body["ranked_count"] == 13
    first = body["rows"][0]  # 旬阳市 and 高新区 share the mean place 2 (1st and 3rd; 2nd and 2nd)
    assert (first["region"], first["rank"], first["mean_rank"]) == ("旬阳市", 1, 2.0)
    assert [p["rank"] for p in first["places"]] == [1, 3] and body["rows"][1]["rank"] == 1
    assert body["provenance"]["table"] == "indicators" and "平均值" in body["provenance"]["formula"]
    may = run("figures", "monthly-ranking", "--period", "2023-05").output
    assert "没有2023年1-5月分县区的数据" in may and "以下为2023年一季度（1-3月）的排名" in may
    early = run("figures", "monthly-ranking", "--period", "2022-02")
    assert early.exit_code != 0 and "县区指标按季度报送，2022年只有：2022年一季度（1-3月）" in early.output
