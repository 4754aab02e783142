"""The 数据 tab's "可查询的数据" listing comes from the tool registry: a tool declared before the workbench is
built is listed with its title, examples and API route, without touching the UI code."""

from __future__ import annotations

from collections.abc import Iterator

import gradio as gr
import pytest
from pydantic import BaseModel

from assistant.config import Settings
from assistant.db.session import FigureStore
from assistant.services import Services
from assistant.tools import REGISTRY
from assistant.tools.registry import figure_tool
from assistant.ui.app import build_ui
from assistant.ui.figures_view import tools_html


class Count(BaseModel):
    n: int


@pytest.fixture
def throwaway_tool() -> Iterator[str]:
    @figure_tool("园区标准厂房空置率", examples=["高新区标准厂房还空着多少？", "各园区厂房空置率<排名>"],
                 path="vacant-plants")
    def vacant_plants(store: FigureStore, region: str, period: str | None = None) -> Count:
        """各园区标准厂房的空置面积与空置率。

        region：地区名或简称；period：可选，期间。
        """
        return Count(n=0)

    yield "vacant_plants"
    REGISTRY.pop("vacant_plants")


def _listing(demo: gr.Blocks) -> str:
    [html] = [b for b in demo.blocks.values() if isinstance(b, gr.HTML) and b.elem_id == "zs-tools-list"]
    return str(html.value)


def test_a_tool_declared_before_the_workbench_is_built_is_listed(throwaway_tool: str, settings: Settings) -> None:
    listing = _listing(build_ui(Services(settings)))
    assert listing.count('class="zs-tool"') == len(REGISTRY)
    card = listing.split('id="zs-tool-vacant-plants"')[1].split('<div class="zs-tool" ')[0]
    assert "园区标准厂房空置率" in card and "各园区标准厂房的空置面积与空置率。" in card
    assert 'data-zs-ask="高新区标准厂房还空着多少？"' in card
    assert "各园区厂房空置率&lt;排名&gt;" in card and "<排名>" not in card  # registry text is escaped too
    assert "GET /api/figures/vacant-plants" in card and "assistant figures vacant-plants" in card
    assert '<code title="地区名或简称">region</code>、<code title="可选，期间">period</code>' in card
    assert "（可选）" in card


def test_every_tool_is_listed_in_declaration_order_and_long_example_lists_fold() -> None:
    html = tools_html(REGISTRY.values())
    positions = [html.index(f'id="zs-tool-{tool.path}"') for tool in REGISTRY.values()]
    assert positions == sorted(positions)
    rank = REGISTRY["rank_regions"]
    assert f"更多说法（{len(rank.examples) - 4}）" in html
    assert all(f'data-zs-ask="{q}"' in html for q in rank.examples)
