"""The figure tools over the demo data, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest

from assistant.db.errors import UnknownMetric, UnknownRegion
from assistant.db.session import FigureStore
from assistant.tools import (
    TOOLS,
    city_total,
    get_indicator,
    lagging_regions,
    list_events,
    list_projects,
    open_problems,
    project_stats,
    rank_regions,
)

# Seed 002: 2023年一季度 实际引进内资 — region: (目标完成进度%, 内资完成排名)
SEED_002_DOMESTIC = {
    "汉滨区": (29.72, 9), "旬阳市": (37.31, 1), "汉阴县": (30.25, 7), "石泉县": (32.04, 3),
    "宁陕县": (31.68, 5), "紫阳县": (25.82, 11), "岚皋县": (30.04, 8), "平利县": (26.32, 10),
    "镇坪县": (31.83, 4), "白河县": (35.87, 2), "高新区": (31.50, 6), "瀛湖": (13.93, 13), "恒口": (20.08, 12),
}


def test_ranking_reproduces_seed_002_table(demo_store: FigureStore) -> None:
    ranking = rank_regions(demo_store, "2023Q1", "实际引进内资")
    assert {r.region: (r.completion_pct, r.rank) for r in ranking.rows} == SEED_002_DOMESTIC
    assert (ranking.rows[0].region, ranking.rows[0].completion_pct) == ("旬阳市", 37.31)
    assert (ranking.rows[-1].region, ranking.rows[-1].completion_pct) == ("瀛湖", 13.93)
    assert ranking.no_data == []
    assert len(ranking.provenance.row_ids) == 13


@pytest.mark.parametrize(("region", "completion", "rank"), [(r, c, k) for r, (c, k) in SEED_002_DOMESTIC.items()])
def test_each_region_reproduces_seed_002(demo_store: FigureStore, region: str, completion: float, rank: int) -> None:
    result = get_indicator(demo_store, region, "2023Q1", "实际引进内资")
    assert (result.completion_pct, result.rank, result.ranked_regions) == (completion, rank, 13)


def test_foreign_investment_for_hanyin(demo_store: FigureStore) -> None:
    result = get_indicator(demo_store, "汉阴", "2023年一季度", "外资")
    assert (result.region, result.metric, result.unit) == ("汉阴县", "外商直接投资", "万美元")
    assert (result.value, result.annual_target, result.completion_pct, result.rank) == (236.7, 350.0, 67.63, 1)
    assert result.yoy_pct is None  # the seed reports no county FDI growth: 无数据, not 0
    texts = {f.label.rsplit(" ", 1)[-1]: f.text for f in result.figures}
    assert texts["完成进度"] == "67.63%"
    assert texts["同比"] == "无数据"
    assert result.provenance.files == ["indicators_2023Q1_wide.csv"]
    assert result.provenance.formula and "目标完成进度 = 本年累计完成额 ÷ 年度目标" in result.provenance.formula


def test_foreign_investment_zeros_tie(demo_store: FigureStore) -> None:
    ranking = rank_regions(demo_store, "2023Q1", "外商直接投资")
    ranks = {r.region: r.rank for r in ranking.rows}
    assert ranks["汉阴县"] == 1 and ranks["高新区"] == 2
    assert {k for k, v in ranks.items() if v == 3} == set(SEED_002_DOMESTIC) - {"汉阴县", "高新区"}


def test_unit_conversion_on_request(demo_store: FigureStore) -> None:
    result = get_indicator(demo_store, "汉阴县", "2023Q1", "实际引进内资", unit="万元")
    assert (result.value, result.annual_target, result.unit) == (327900.0, 1084000.0, "万元")
    assert result.completion_pct == 30.25  # unchanged by the unit


def test_lagging_regions_q1(demo_store: FigureStore) -> None:
    result = lagging_regions(demo_store, "2023Q1", "实际引进内资")
    assert result.schedule_pct == 25.0
    assert [(x.region, x.completion_pct, x.gap_pct) for x in result.lagging] == [("瀛湖", 13.93, 11.07),
                                                                                ("恒口", 20.08, 4.92)]
    foreign = lagging_regions(demo_store, "2023Q1", "外资")
    assert (foreign.city_completion_pct, foreign.city_gap_pct) == (9.62, 15.38)  # seed: 滞后目标进度15.4%


def test_cumulative_monthly_period(demo_store: FigureStore) -> None:
    result = lagging_regions(demo_store, "2023年1-7月", "内资")
    assert (result.period, result.schedule_pct) == ("2023-07", 58.33)
    assert [(x.region, x.gap_pct) for x in result.lagging] == [("瀛湖", 8.67), ("恒口", 3.77)]
    city = city_total(demo_store, "2023-07", "实际引进内资")
    assert (city.value, city.yoy_pct, city.completion_pct, city.basis) == (975.8, 16.07, 78.05, "全市行")
    half = lagging_regions(demo_store, "2023年上半年", "内资")  # the corpus's H1 report names the same two
    assert [(x.region, x.completion_pct) for x in half.lagging] == [("瀛湖", 42.76), ("恒口", 47.5)]


def test_city_total_uses_city_row_not_sum_of_targets(demo_store: FigureStore) -> None:
    result = city_total(demo_store, "2023Q1", "外商直接投资")
    assert (result.basis, result.value, result.annual_target, result.completion_pct) == ("全市行", 240.6, 2500.0, 9.62)
    assert result.regions_target_sum == 4700.0
    assert "全市目标不等于各县区目标之和" in result.summary
    domestic = city_total(demo_store, "2023Q1", "内资")
    assert (domestic.value, domestic.yoy_pct, domestic.completion_pct) == (381.47, 4.63, 30.51)


def test_city_rows_without_county_rows(demo_store: FigureStore) -> None:
    year = city_total(demo_store, "2023", "实际引进内资")
    assert (year.value, year.yoy_pct, year.completion_pct) == (1432.65, 13.27, 114.59)
    assert lagging_regions(demo_store, "2023-08", "外资").city_gap_pct == 39.35  # 66.67 − 27.32
    assert rank_regions(demo_store, "2023-08", "内资").rows == []  # no county figures for 1-8月


def test_missing_data_is_no_data_not_zero(demo_store: FigureStore) -> None:
    result = get_indicator(demo_store, "汉滨区", "2024Q1", "实际引进内资")
    assert result.value is None and result.completion_pct is None and result.rank is None
    assert all(f.text == "无数据" for f in result.figures if "序时进度" not in f.label)
    assert "无数据" in result.summary
    assert rank_regions(demo_store, "2024Q1", "内资").rows == []
    assert city_total(demo_store, "2024Q1", "内资").summary.startswith("无数据")


def test_unknown_names_list_known_ones(demo_store: FigureStore) -> None:
    with pytest.raises(UnknownRegion) as err:
        get_indicator(demo_store, "汉阳县", "2023Q1", "内资")
    assert "汉阳县" in str(err.value) and "汉滨区" in str(err.value) and "瀛湖" in str(err.value)
    assert isinstance(err.value, KeyError)
    with pytest.raises(UnknownMetric, match="实际引进内资"):
        rank_regions(demo_store, "2023Q1", "税收")


def test_project_statistics_q1(demo_store: FigureStore) -> None:
    stats = project_stats(demo_store, period="2023Q1")
    assert (stats.project_count, stats.signed_count, stats.started_count) == (23, 23, 21)
    assert stats.start_rate_pct == 91.3
    assert (stats.total_investment_yi_yuan, stats.funds_arrived_yi_yuan, stats.funds_rate_pct) == (92.1, 32.4, 35.18)
    assert (stats.count_ge_5_yi, stats.count_ge_10_yi) == (6, 2)
    assert stats.key_chain_share_pct == 86.96  # 20 of 23: the three logistics projects are not in a 5+3 chain
    assert {g.name: (g.count, g.investment_yi_yuan) for g in stats.by_stage} == {
        "线索": (0, 0.0), "在谈": (0, 0.0), "签约": (2, 10.0), "开工": (21, 82.1), "投产": (0, 0.0)}


def test_project_statistics_filters(demo_store: FigureStore) -> None:
    by_region = project_stats(demo_store, region="高新")
    assert by_region.region == "高新区" and by_region.project_count == 7
    by_chain = project_stats(demo_store, chain="新材料")
    assert by_chain.chain == "新型材料" and all(g.name == "新型材料" for g in by_chain.by_chain)
    big = list_projects(demo_store, min_investment_yi=10)
    assert big.total_count == 5 and all((x.total_investment_yi_yuan or 0) >= 10 for x in big.items)
    foreign = list_projects(demo_store, foreign=True, period="2023Q1")
    assert {x.name for x in foreign.items} == {"港资纺织服装项目（示例）", "外资电子配套项目（示例）"}


def test_events_and_problems(demo_store: FigureStore) -> None:
    xiongan = list_events(demo_store, city="雄安")
    assert [(e.held_on.isoformat(), e.contracts_signed, e.amount_yi_yuan) for e in xiongan.items] == [
        ("2019-03-19", 10, 8.53)]
    q1 = list_events(demo_store, period="2023Q1")
    assert q1.event_count == 4 and q1.without_figures == 2  # unreported signings are not counted as zero
    assert "三亚" in {e.city for e in q1.items}
    problems = open_problems(demo_store, region="恒口")
    assert [p.code for p in problems.items] == ["WT-2023-009"]  # WT-2023-004 is solved
    assert open_problems(demo_store).open_count == 9


def test_every_tool_has_chinese_description_and_store_first() -> None:
    for tool in TOOLS:
        assert tool.__doc__ and any("\u4e00" <= ch <= "\u9fff" for ch in tool.__doc__), tool.__name__
        assert list(tool.__annotations__)[0] == "store", tool.__name__


def _strip_volatile(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _strip_volatile(v) for k, v in data.items() if k not in ("as_of", "row_ids", "id")}
    if isinstance(data, list):
        return [_strip_volatile(v) for v in data]
    return data


def _answers(store: FigureStore) -> list[Any]:
    calls = [
        get_indicator(store, "汉阴县", "2023Q1", "外资"), get_indicator(store, "全市", "2023-07", "内资"),
        rank_regions(store, "2023Q1", "内资"), rank_regions(store, "2023Q1", "外资", by="value"),
        rank_regions(store, "2023-07", "内资", by="yoy"), lagging_regions(store, "2023Q2", "内资"),
        city_total(store, "2023Q2", "外资"), project_stats(store), project_stats(store, period="2023Q1"),
        list_projects(store), list_events(store), open_problems(store),
    ]
    return [_strip_volatile(c.model_dump(mode="json")) for c in calls]


def test_sqlite_and_postgresql_give_the_same_answers(both_demo_stores: tuple[FigureStore, FigureStore]) -> None:
    sqlite_store, pg_store = both_demo_stores
    assert _answers(sqlite_store) == _answers(pg_store)
