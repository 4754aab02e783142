"""LLM10 无限制消耗 in the consistency check, which county accounts may use: a 2 MB text file (or a pasted
wall of digits) must not hold the server's CPU for a minute. The check reads at most
Settings.max_check_chars characters and says what it left out; reading numbers is linear in the text."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from assistant.api import create_app
from assistant.cli import main
from assistant.config import Settings
from tests.security.conftest import Actor

PROSE = "2023年一季度汉阴县外商直接投资236.70万美元，完成年度目标的67.63%。\n"
TWO_MB = 2 * 1024 * 1024
# Far above what a fixed check takes (about a second or two on CI's shared cores), far below the minute the
# unbounded check took.
BOUND_S = 25


@pytest.fixture(scope="module")
def roomy(sec_settings: Settings) -> Iterator[TestClient]:
    """The battery's data with a 3 MB upload limit, so a 2 MB draft reaches the check."""
    with TestClient(create_app(sec_settings.model_copy(update={"max_file_mb": 3.0}), warm=False)) as c:
        yield c


def _limit(client: TestClient) -> int:
    return int(client.app.state.assistant.settings.max_check_chars)  # type: ignore[attr-defined]


@pytest.mark.parametrize("filler", [
    pytest.param("1", id="LLM10-county-check-of-a-2mb-file-of-digits-is-capped"),
    pytest.param(PROSE, id="LLM10-county-check-of-a-2mb-report-is-capped-and-says-so"),
])
def test_a_county_check_of_a_2mb_file_is_capped(roomy: TestClient, actors: dict[str, Actor], filler: str) -> None:
    data = (PROSE + filler * (TWO_MB // len(filler.encode()))).encode()
    assert len(data) >= TWO_MB
    started = time.monotonic()
    r = roomy.post("/api/draft/check/upload", files={"file": ("长稿件.txt", data, "text/plain")},
                   headers=actors["hanyin"].headers)
    elapsed = time.monotonic() - started
    assert r.status_code == 200, r.text[:300]
    body = r.json()
    limit = _limit(roomy)
    assert f"只核对了前 {limit:,} 字" in body["note"] and "其后的数字未核对" in body["note"]
    assert len(body["text"]) <= limit * 1.1 and all(c["end"] <= len(body["text"]) for c in body["checks"])
    assert body["summary"]["match"] >= 1  # the opening sentence was still checked
    assert elapsed < BOUND_S, f"{elapsed:.1f}s"


@pytest.mark.parametrize("chars", [pytest.param(60_000, id="LLM10-check-of-a-pasted-wall-of-digits-is-linear")])
def test_a_wall_of_digits_within_the_limit_is_read_quickly(client: TestClient, actors: dict[str, Actor],
                                                           chars: int) -> None:
    started = time.monotonic()  # 60,000 digits took half a minute when reading numbers backtracked
    r = client.post("/api/draft/check", json={"text": PROSE + "1" * chars + "1+1" * 3000 + "12强" * 3000},
                    headers=actors["hanyin"].headers)
    assert r.status_code == 200, r.text[:300]
    assert r.json()["note"] == "" and r.json()["summary"]["match"] >= 1
    assert time.monotonic() - started < BOUND_S


@pytest.mark.parametrize("source", [pytest.param("file", id="LLM10-cli-check-of-a-long-file-says-what-was-cut")])
def test_the_cli_says_what_it_did_not_check(sec_settings: Settings, tmp_path: Path, source: str) -> None:
    path = tmp_path / "长稿件.txt"
    path.write_text(PROSE * 2000, encoding="utf-8")
    env = {"ASSISTANT_DATA_DIR": str(sec_settings.data_dir), "ASSISTANT_MAX_CHECK_CHARS": "5000"}
    result = CliRunner().invoke(main, ["draft", "check", str(path)], env=env)
    assert "只核对了前 5,000 字" in result.output and "其后的数字未核对" in result.output, result.output[-500:]
    assert "一致" in result.output
