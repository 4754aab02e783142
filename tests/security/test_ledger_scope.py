"""LLM02 across the whole tool family: every declared tool, run for a county officer (汉阴县) over the demo
database, either refuses or shows no other region's rows; every tool that takes a region refuses another region.
Driven by the registry, so a tool added later is checked without being listed here."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant.db.errors import RegionDenied
from assistant.db.importers import import_demo
from assistant.db.session import FigureStore, create_writable_engine
from assistant.errors import AssistantError
from assistant.tools import declared, run_tool
from tests.security.test_need_to_know import OTHER_REGIONS

DEMO_DIR = Path(__file__).resolve().parents[2] / "corpus" / "data"
OWN = "汉阴县"
# Values for required parameters; a project and an enterprise that belong to other regions' rows.
REQUIRED = {"region": OWN, "period": "2023Q2", "metric": "实际引进内资", "name": "锂电隔膜", "project": "锂电隔膜",
            "milestone": "开工", "group": "责任单位"}
TOOLS = [pytest.param(t.name, id=f"LLM02-county-scope-every-tool-{t.name}") for t in declared()]
REGION_TOOLS = [pytest.param(t.name, id=f"LLM02-county-scope-other-region-{t.name}") for t in declared()
                if any(p.name == "region" for p in t.parameters)]


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FigureStore]:
    url = f"sqlite:///{tmp_path_factory.mktemp('scope') / 'figures.sqlite'}"
    engine = create_writable_engine(url)
    import_demo(engine, DEMO_DIR)
    engine.dispose()
    store = FigureStore.open(url)
    yield store.scoped(OWN)
    store.close()


def _shown(result: Any) -> str:
    """What the officer reads: the result without its provenance (row ids and file names, not rows)."""
    data = result.model_dump(mode="json")
    data.pop("provenance", None)
    for figure in data.get("figures", []):
        figure.pop("provenance", None)
    return json.dumps(data, ensure_ascii=False)


@pytest.mark.parametrize("name", TOOLS)
def test_every_tool_shows_a_county_officer_only_their_region(county: FigureStore, name: str) -> None:
    tool = next(t for t in declared() if t.name == name)
    params = {p.name: REQUIRED[p.name] for p in tool.parameters if p.default is p.empty}
    try:
        result = run_tool(name, county, params)
    except (AssistantError, PermissionError, LookupError):  # refused, suppressed or not theirs: nothing shown
        return
    leaked = [r for r in OTHER_REGIONS if r in _shown(result)]
    assert not leaked, f"{name} 向汉阴县账号显示了其他地区：{leaked}"


@pytest.mark.parametrize("name", REGION_TOOLS)
def test_every_tool_with_a_region_refuses_another_region(county: FigureStore, name: str) -> None:
    tool = next(t for t in declared() if t.name == name)
    params = {p.name: REQUIRED[p.name] for p in tool.parameters if p.default is p.empty}
    with pytest.raises(RegionDenied):
        run_tool(name, county, {**params, "region": "汉滨区"})


@pytest.mark.parametrize("case", [pytest.param(None, id="LLM02-county-scope-other-countys-enterprise-leads")])
def test_another_countys_enterprise_leads_stay_with_that_county(county: FigureStore, case: None) -> None:
    """示例药业 is tracked by 镇坪县招商局 and 示例茶业 by 紫阳县招商局: their leads; the city's list stays shared."""
    seen = {i.name for i in run_tool("list_enterprises", county, {}).items}
    assert "京东集团" in seen and not {"示例药业有限公司", "示例茶业有限公司"} & seen
    with pytest.raises(AssistantError):
        run_tool("find_enterprise", county, {"name": "示例药业"})
    zhenping = {i.name for i in run_tool("list_enterprises", county.scoped("镇坪县"), {}).items}
    assert "示例药业有限公司" in zhenping and "示例茶业有限公司" not in zhenping
