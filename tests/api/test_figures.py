"""Figure endpoints: each tool over HTTP, and its errors as Chinese 404/422."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

PERIOD = {"period": "2023Q1", "metric": "实际引进内资"}


def test_indicator_returns_the_figure_with_its_provenance(client: TestClient) -> None:
    r = client.get("/api/figures/indicator", params={"region": "汉阴", "period": "2023Q1", "metric": "外资"})
    assert r.status_code == 200
    body = r.json()
    assert (body["region"], body["value"], body["unit"], body["completion_pct"]) == ("汉阴县", 236.7, "万美元", 67.63)
    assert body["provenance"]["table"] == "indicators" and body["summary"].startswith("汉阴县 2023年一季度")


@pytest.mark.parametrize(("path", "params", "starts"), [
    ("rank", PERIOD, "2023年一季度（1-3月） 实际引进内资 按完成进度排名：1. "),
    ("lagging", PERIOD, "2023年一季度（1-3月）序时进度 25.00%"),
    ("city", PERIOD, "全市 2023年一季度（1-3月） 实际引进内资："),
    ("projects", {"region": "汉阴县"}, "汉阴县项目："),
    ("events", {"period": "2023"}, "2023年"),
    ("problems", {}, "未解决问题"),
    ("group-totals", {"group": "项目管家", "measure": "总投资"}, "截至2023年7月28日台账，按项目管家分，项目总投资合计最多的是"),
])
def test_every_figure_tool_has_an_endpoint(client: TestClient, path: str, params: dict[str, str], starts: str) -> None:
    r = client.get(f"/api/figures/{path}", params=params)
    assert r.status_code == 200, r.text
    assert r.json()["summary"].startswith(starts)


def test_unknown_names_are_404_and_bad_values_422_in_chinese(client: TestClient) -> None:
    r = client.get("/api/figures/indicator", params={"region": "火星县", **PERIOD})
    assert r.status_code == 404 and r.json()["detail"].startswith("未知地区“火星县”。已知地区：汉滨区、")
    r = client.get("/api/figures/city", params={"period": "2023Q1", "metric": "人气"})
    assert r.status_code == 404 and r.json()["detail"].startswith("未知指标“人气”")
    r = client.get("/api/figures/projects", params={"chain": "航天"})
    assert r.status_code == 404 and r.json()["detail"].startswith("未知产业链“航天”")
    r = client.get("/api/figures/lagging", params={"period": "2023Q9", "metric": "内资"})
    assert r.status_code == 422 and r.json()["detail"].startswith("无法识别期间“2023Q9”")
    r = client.get("/api/figures/rank", params={**PERIOD, "by": "人气"})
    assert r.status_code == 422 and "排名依据" in r.json()["detail"] and "completion" in r.json()["detail"]
    r = client.get("/api/figures/indicator", params={"region": "汉阴县", "period": "2023Q1"})
    assert r.status_code == 422 and r.json()["detail"] == "请求参数有误：指标：缺少必填项"


def test_monthly_ranking_endpoint(client: TestClient) -> None:
    r = client.get("/api/figures/monthly-ranking", params={"period": "2023年1-7月"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["period"] == "2023-07" and body["rows"][-1]["region"] == "瀛湖"
    assert body["summary"].startswith("2023年1-7月各县区实际引进内资、外商直接投资完成进度排名及综合名次：1. 旬阳市")
