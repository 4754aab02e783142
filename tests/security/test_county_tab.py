"""LLM09 虚假信息 on the workbench's 数据 tab: a county account sees only its own row, and the tab used to count
the laggards among the rows it shows — "1 个" (or "各地区均达到序时进度") where many regions lag. The count must
be the city-wide one the lagging tool gives (still without other counties' names or figures)."""

from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient

from tests.security.conftest import Actor, flat

PREFIX = "/ui/gradio_api"


def _show(client: TestClient, actor: Actor, metric: str, period: str) -> str:
    """The 数据 tab as the page drives it: the page load fills the dropdowns of this session (refresh), then the
    officer picks a metric and a period (show). The table's HTML, CJK unescaped."""
    session = f"county-tab-{actor.username}-{period}"
    for api, data in (("refresh", [None, None]), ("show", [metric, period])):
        r = client.post(f"{PREFIX}/call/{api}", json={"data": data, "session_hash": session}, headers=actor.headers)
        assert r.status_code == 200, r.text
        result = client.get(f"{PREFIX}/call/{api}/{r.json()['event_id']}", headers=actor.headers)
        events = re.findall(r"^event: (\w+)\ndata: (.*)$", result.text, re.M)
        assert events and events[-1][0] == "complete", result.text[:300]
    return flat(json.loads(events[-1][1]))


@pytest.mark.parametrize(("county", "period", "metric"), [
    pytest.param("hanyin", "2023Q1", "实际引进内资", id="LLM09-ui-county-tab-counts-laggards-over-all-regions"),
    pytest.param("hanbin", "2023-07", "实际引进内资", id="LLM09-ui-county-tab-lagging-count-in-another-period"),
])
def test_the_county_tab_counts_every_laggard(client: TestClient, actors: dict[str, Actor], county: str, period: str,
                                             metric: str) -> None:
    asked = {"period": period, "metric": metric}
    everyone = client.get("/api/figures/lagging", params=asked, headers=actors["staff"].headers).json()
    lagging = [x["region"] for x in everyone["lagging"]]
    assert len(lagging) >= 2, everyone["summary"]  # a period where the count matters
    payload = _show(client, actors[county], metric, period)
    assert f"全市低于序时进度的地区共 {len(lagging)} 个" in payload, payload[:600]
    assert "各地区均达到序时进度" not in payload and "低于序时进度的有 1 个" not in payload
    own = "汉阴县" if county == "hanyin" else "汉滨区"
    assert not [r for r in lagging if r != own and r in payload]  # still no other county by name
    staff_view = _show(client, actors["staff"], metric, period)
    assert f"低于序时进度的有 {len(lagging)} 个" in staff_view  # control: the full table counts the same
