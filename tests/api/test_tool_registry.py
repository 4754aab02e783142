"""A figure tool is declared once: its one declaration reaches the LLM tool list, the grounded router, the
HTTP API and the CLI. Proven by declaring a new tool in the test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from pydantic import BaseModel
from sqlalchemy import func, select

from assistant.answer.llm_tools import PolicyLibrary, Toolbox
from assistant.answer.router import route_examples
from assistant.api import create_app
from assistant.cli import main
from assistant.config import Settings
from assistant.db.errors import InvalidValue
from assistant.db.models import Region
from assistant.db.session import FigureStore
from assistant.tools import REGISTRY
from assistant.tools.registry import figure_tool, get_tool


class RegionCount(BaseModel):
    region_count: int
    summary: str


@pytest.fixture
def counted_tool() -> Iterator[str]:
    @figure_tool("地区个数", examples=["数据库里有几个地区？", "一共多少个县区"], path="region-count")
    def count_regions(store: FigureStore, kind: str | None = None) -> RegionCount:
        """数据库中的地区个数。

        kind：可选，地区类型，如“县”“开发区”。
        """
        with store.session() as session:
            stmt = select(func.count()).select_from(Region)
            if kind:
                stmt = stmt.where(Region.kind == kind)
            n = int(session.scalar(stmt) or 0)
        return RegionCount(region_count=n, summary=f"数据库中共有 {n} 个{kind or '地区'}。")

    yield "count_regions"
    REGISTRY.pop("count_regions")


def test_one_declaration_reaches_the_model_the_router_and_the_cli(counted_tool: str, api_settings: Settings) -> None:
    tool = get_tool(counted_tool)
    assert tool.path == "region-count" and tool.title == "地区个数" and get_tool("region-count") is tool
    store = FigureStore.open(api_settings.db_url)
    try:
        toolbox = Toolbox(store, PolicyLibrary(kb=None))  # type: ignore[arg-type]
        schema = next(s for s in toolbox.schemas() if s["function"]["name"] == counted_tool)
        assert "地区个数" in schema["function"]["description"]
        assert "kind" in schema["function"]["parameters"]["properties"]
        assert toolbox.call(counted_tool, {"kind": "开发区"}).summary == "数据库中共有 3 个开发区。"
    finally:
        store.close()
    assert route_examples()[counted_tool] == ["数据库里有几个地区？", "一共多少个县区"]
    listing = CliRunner().invoke(main, ["figures", "--help"])
    assert "region-count" in listing.output and "地区个数" in listing.output
    result = CliRunner().invoke(main, ["figures", "region-count", "--kind", "开发区"],
                                env={"ASSISTANT_DATA_DIR": str(api_settings.data_dir)})
    assert result.exit_code == 0 and "数据库中共有 3 个开发区" in result.output, result.output


def test_the_api_route_comes_from_the_declaration(counted_tool: str, api_settings: Settings, admin_key: str) -> None:
    app = create_app(api_settings, warm=False)
    with TestClient(app, headers={"Authorization": f"Bearer {admin_key}"}) as client:
        r = client.get("/api/figures/region-count", params={"kind": "开发区"})
        assert r.status_code == 200 and r.json()["region_count"] == 3
        r = client.get("/api/figures/region-count", params={"kind": "县" * 200})
        assert r.status_code == 422 and "50" in r.json()["detail"]
        assert "/api/figures/region-count" in client.get("/openapi.json").json()["paths"]


def test_unknown_tool_is_a_chinese_error() -> None:
    with pytest.raises(InvalidValue, match="没有名为“no_such_tool”的数据工具"):
        get_tool("no_such_tool")


def test_a_bad_choice_on_the_command_line_is_refused_in_chinese() -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["figures", "group-totals", "坏值"])
    assert result.exit_code == 2
    from typing import get_args

    from assistant.tools.group_totals import Group

    assert f"参数的值“坏值”不在可选范围内，可选：{'、'.join(get_args(Group))}。" in result.output
    assert "、".join(get_args(Group)).startswith("产业链、项目管家、包抓领导、责任单位、首谈单位")
    result = runner.invoke(main, ["figures", "county-totals", "--measure", "坏值"])
    assert "参数'--measure'的值“坏值”不在可选范围内" in result.output and "Invalid value" not in result.output
