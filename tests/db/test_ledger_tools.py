"""两单一台账 tools over the demo ledgers (as of 2023-07-28 with four earlier weeks of history)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from assistant.db.errors import InvalidValue, RegionDenied
from assistant.db.importers import import_file
from assistant.db.models import Project
from assistant.db.session import FigureStore
from assistant.tools import REGISTRY, run_tool
from assistant.tools.lifecycle import STATUS_RULE

from .test_db_import import write

LEDGER_TOOLS = ("ledger_status", "no_progress_projects", "due_this_week", "new_signings", "weekly_changes",
                "county_project_rates", "county_start_rates", "county_fulfilment_rates", "county_chain_shares",
                "assessment", "office_contacts", "problem_progress", "overdue_problems")


def test_each_ledger_tool_is_declared_with_title_and_varied_examples() -> None:
    for name in LEDGER_TOOLS:
        tool = REGISTRY[name]
        assert tool.title and 4 <= len(tool.examples) <= 8 and len(set(tool.examples)) == len(tool.examples)


def test_status_with_rule_and_reasons(demo_store: FigureStore) -> None:
    result = run_tool("ledger_status", demo_store, {})
    assert result.as_of == date(2023, 7, 28)
    assert result.counts == {"正常": 36, "预警": 2, "滞后": 3}
    reasons = {i.name: (i.status, i.reason) for i in result.items}
    assert reasons["瀛湖康养度假区项目（示例）"] == ("滞后", "已过约定开工期限（2023年6月30日）28 天仍未开工")
    assert reasons["生物医药中间体项目（示例）"][0] == "预警"
    assert result.provenance.formula == STATUS_RULE and STATUS_RULE in result.summary


def test_windows(demo_store: FigureStore) -> None:
    stale = run_tool("no_progress_projects", demo_store, {"days": 60})
    assert [i.name for i in stale.items] == ["中医药康养项目（示例）", "纺织服装产业园项目（示例）"]
    due = run_tool("due_this_week", demo_store, {})
    assert [i.name for i in due.items] == ["生物医药中间体项目（示例）"] and due.window.startswith("2023年7月28日")
    with pytest.raises(InvalidValue, match="天数"):
        run_tool("no_progress_projects", demo_store, {"days": -1})


def test_this_weeks_signings_and_an_earlier_week(demo_store: FigureStore) -> None:
    this_week = run_tool("new_signings", demo_store, {})
    assert this_week.count == 0 and "碳基新材料项目（示例）" in this_week.summary and "无数据" in this_week.summary
    first_week = run_tool("new_signings", demo_store, {"date_from": "2023-07-01", "date_to": "2023-07-07"})
    assert [i.name for i in first_week.items] == ["碳基新材料项目（示例）"] and first_week.investment_yi_yuan == 9.8


def test_weekly_changes_between_ledger_dates(demo_store: FigureStore) -> None:
    latest = run_tool("weekly_changes", demo_store, {})
    assert (latest.date_from, latest.date_to) == (date(2023, 7, 21), date(2023, 7, 28))
    assert [c.project for c in latest.added] == ["中药配方颗粒项目（示例）"]
    assert [(c.project, c.what) for c in latest.advanced] == [("碳基新材料项目（示例）", "签约→开工")]
    assert latest.funds_added_yi_yuan == pytest.approx(0.7)
    assert "中医药康养项目（示例）" in [c.project for c in latest.stalled]
    month = run_tool("weekly_changes", demo_store, {"date_from": "2023-06-30"})
    assert {c.project for c in month.added} == {"高端丝绸面料项目（示例）", "中药配方颗粒项目（示例）"}
    assert ("富硒功能食品项目（示例）", "线索→在谈") in [(c.project, c.what) for c in month.advanced]
    with pytest.raises(InvalidValue, match="不早于"):
        run_tool("weekly_changes", demo_store, {"date_from": "2023-07-28", "date_to": "2023-07-21"})


def test_county_rates_ranked(demo_store: FigureStore) -> None:
    funds = run_tool("county_project_rates", demo_store, {})
    assert [(r.region, r.funds_rate_pct, r.rank) for r in funds.rows[:2]] == [("平利县", 80.98, 1), ("汉滨区", 76.06, 2)]
    fulfil = run_tool("county_fulfilment_rates", demo_store, {})
    assert run_tool("county_project_rates", demo_store, {"rate": "合同履约率"}).rows == fulfil.rows
    assert run_tool("county_start_rates", demo_store, {}).by == "开工率"
    by_region = {r.region: r for r in fulfil.rows}
    assert (by_region["高新区"].due, by_region["高新区"].on_time, by_region["高新区"].fulfilment_rate_pct) == (5, 4, 80.0)
    assert fulfil.rows[-1].region == "瀛湖" and "约定开工期限" in fulfil.summary


def test_contacts_by_office_and_year(demo_store: FigureStore) -> None:
    shenzhen = run_tool("office_contacts", demo_store, {"office": "深圳联络处", "period": "2023"})
    assert shenzhen.office == "驻深圳招商联络处" and shenzhen.count == 6  # the 2022 visit is outside 2023
    assert shenzhen.enterprises == ["欣旺达电子", "格力钛新能源", "示例新能源科技有限公司"]
    empty = run_tool("office_contacts", demo_store, {"office": "深圳", "period": "2024"})
    assert empty.count == 0 and "无数据" in empty.summary and "2023年7月12日" in empty.summary
    with pytest.raises(InvalidValue, match="已配置的联络处"):
        run_tool("office_contacts", demo_store, {"office": "广州"})


def test_problem_progress_and_overdue(demo_store: FigureStore) -> None:
    result = run_tool("problem_progress", demo_store, {"project": "锂电隔膜"})
    [item] = result.items
    assert (item.status, item.department, item.escalation, item.overdue_days) == ("推进中", "国网安康供电公司",
                                                                                 "市级联席会议", 28)
    assert [n.text for n in item.log][-1] == "联席会议明确8月底前完成接入" and len(item.log) == 3
    overdue = run_tool("overdue_problems", demo_store, {})
    assert {i.code for i in overdue.items} == {"WT-2023-001", "WT-2023-003", "WT-2023-005", "WT-2023-009"}
    assert run_tool("overdue_problems", demo_store, {"department": "发改委"}).items == []


def test_county_account_sees_its_own_ledger(demo_store: FigureStore) -> None:
    county = demo_store.scoped("恒口")
    assert {i.region for i in run_tool("ledger_status", county, {"show": "全部"}).items} == {"恒口"}
    with pytest.raises(RegionDenied):
        run_tool("weekly_changes", county, {"region": "汉阴县"})


def test_windows_follow_the_ledger_date(engine: Engine, tmp_path: Path) -> None:
    header = "项目名称,地区,阶段,签约日期,约定开工期限,最新进展,进展日期,填报日期\n"
    import_file(engine, "projects", write(tmp_path / "a.csv", header + "甲,汉滨,签约,2024-03-04,2024-03-10,洽谈,2024-03-04,2024-03-08\n"))
    store = FigureStore.open(engine.url)
    try:
        assert [i.name for i in run_tool("new_signings", store, {}).items] == ["甲"]
        assert [i.name for i in run_tool("due_this_week", store, {}).items] == ["甲"]
        import_file(engine, "projects", write(tmp_path / "b.csv", header + "甲,汉滨,签约,2024-03-04,2024-03-10,洽谈,2024-03-04,2024-03-15\n"))
        status = run_tool("ledger_status", store, {})
        assert status.items[0].status == "滞后" and run_tool("new_signings", store, {}).count == 0
    finally:
        store.close()


def test_assessment_scores_traced_and_ranked_within_class(demo_store: FigureStore) -> None:
    result = run_tool("assessment", demo_store, {"period": "2023Q2", "region": "汉阴"})
    [hanyin] = result.rows
    points = {p.indicator: p for p in hanyin.points}
    # 内资 66.80% ≥ 序时进度 50% → full 30; 资金到位率 29.87% of the 40% target → 15 × 0.74675 = 11.20
    assert points["实际引进内资完成进度"].score == 30 and points["实际引进内资完成进度"].target == 50
    assert points["资金到位率"].score == pytest.approx(11.2) and points["资金到位率"].table == "projects"
    assert len(points["实际引进内资完成进度"].row_ids) == 1 and points["资金到位率"].row_ids
    assert hanyin.total == pytest.approx(96.2) and (hanyin.county_class, hanyin.class_size) == ("二类", 6)  # 考核办法第四条
    everyone = run_tool("assessment", demo_store, {"period": "2023Q1"})
    third = [r for r in everyone.rows if r.county_class == "三类"]
    assert third[-1].region == "瀛湖" and "瀛湖主要失分在" in everyone.summary
    assert {r.rank_in_class for r in everyone.rows if r.county_class == "一类"} == {1, 2, 3}


def test_database_side_status_and_rates_agree_with_the_rule(demo_store: FigureStore) -> None:
    from assistant.tools.lifecycle import (
        county_rates,
        county_rates_in_db,
        ledger_date,
        load_ledger,
        status_of,
    )

    with demo_store.session() as session:
        day = ledger_date(session)
        rows = load_ledger(session, None)
        in_db = county_rates_in_db(session, day)
    assert county_rates(rows, day) == in_db
    counts = run_tool("ledger_status", demo_store, {}).counts
    assert counts == {s: sum(1 for p in rows if status_of(p, day)[0] == s) for s in ("正常", "预警", "滞后")}


def test_signed_not_started_window_filtered_in_the_database(demo_store: FigureStore) -> None:
    result = run_tool("stalled_projects", demo_store, {"days": 90, "as_of": "2023-07-28"})
    assert [i.name for i in result.items] == ["中医药康养项目（示例）", "瀛湖康养度假区项目（示例）", "生物医药中间体项目（示例）"]
    edge = run_tool("stalled_projects", demo_store, {"days": 129, "as_of": "2023-07-28"})  # 生物医药中间体: exactly 129
    assert "生物医药中间体项目（示例）" not in [i.name for i in edge.items]
    # unasked, the window counts from the ledger's date (its newest 填报日期), not from today, and says so
    default = run_tool("stalled_projects", demo_store, {"days": 90})
    assert default.as_of == date(2023, 7, 28) and [i.name for i in default.items] == [i.name for i in result.items]
    assert default.summary.startswith("截至2023年7月28日") and "台账日期" in default.provenance.formula
    first = run_tool("stalled_projects", demo_store, {"days": 90, "limit": 2})  # the earliest signings, all counted
    assert [i.name for i in first.items] == ["中医药康养项目（示例）", "瀛湖康养度假区项目（示例）"]
    assert first.total_count == 3 and "共 3 个，总投资 12.00亿元（列出签约最早的 2 个）" in first.summary


def test_weekly_changes_counts_past_the_listed_ones(engine: Engine, tmp_path: Path) -> None:
    """250 projects over two weekly ledgers: 20 started, 5 new, the rest unchanged. Counts cover all of them; each
    list stops at 200 in region order, then name."""
    header = "项目名称,地区,阶段,签约日期,开工日期,最新进展,进展日期,填报日期\n"

    def ledger(day: str, started: int, extra: int) -> str:
        rows = [f"周项目{i:03d},{'汉滨' if i % 2 else '岚皋'},{'开工' if i < started else '签约'},2024-01-05,"
                f"{'2024-03-01' if i < started else ''},调度,2024-02-01,{day}" for i in range(250 + extra)]
        return header + "\n".join(rows) + "\n"

    import_file(engine, "projects", write(tmp_path / "a.csv", ledger("2024-03-01", 0, 0)))
    import_file(engine, "projects", write(tmp_path / "b.csv", ledger("2024-03-08", 20, 5)))
    store = FigureStore.open(engine.url)
    try:
        week = run_tool("weekly_changes", store, {})
        assert week.counts == {"新增": 5, "阶段前进": 20, "资金到位": 0, "进展更新": 0, "停滞": 230}
        assert len(week.stalled) == 200 and len(week.added) == 5 and "等 230 个" in week.summary
        # 汉滨区 comes before 岚皋县 in the region order; names ascend within a region
        assert [c.region for c in week.stalled[:2]] == ["汉滨区", "汉滨区"]
        assert [c.project for c in week.advanced[:3]] == ["周项目001", "周项目003", "周项目005"]
        hanbin = run_tool("weekly_changes", store, {"region": "汉滨"})
        assert hanbin.counts["停滞"] == 115 and hanbin.counts["阶段前进"] == 10
    finally:
        store.close()


def test_weekly_changes_from_an_earlier_ledger_past_later_versions(engine: Engine, tmp_path: Path) -> None:
    """Compared with a ledger two weeks back, each listed project stands beside its version on that date, not the
    one between: 线索 (week 1) → 在谈 (week 2) → 签约 (week 3) reads 线索→签约; funds 1 → 2 in week 2 add 1."""
    header = "项目名称,地区,阶段,签约日期,总投资（亿元）,到位资金（亿元）,最新进展,进展日期,填报日期\n"
    weeks = {"2024-03-01": ("线索", "", "1"), "2024-03-08": ("在谈", "", "2"), "2024-03-15": ("签约", "2024-03-12", "2")}
    for day, (stage, signed, funds) in weeks.items():
        rows = [f"跨周项目甲,汉滨,{stage},{signed},10,,调度,2024-02-01,{day}",
                f"跨周项目乙,岚皋,签约,2024-01-05,10,{funds},调度,2024-02-01,{day}",
                f"跨周项目丙,岚皋,签约,2024-01-05,10,1,调度,2024-02-01,{day}"]
        import_file(engine, "projects", write(tmp_path / f"{day}.csv", header + "\n".join(rows) + "\n"))
    store = FigureStore.open(engine.url)
    try:
        two_weeks = run_tool("weekly_changes", store, {"date_from": "2024-03-01"})
        assert [(c.project, c.what) for c in two_weeks.advanced] == [("跨周项目甲", "线索→签约")]
        assert [(c.project, c.funds_added_yi_yuan) for c in two_weeks.funds] == [("跨周项目乙", pytest.approx(1.0))]
        assert [c.project for c in two_weeks.stalled] == ["跨周项目丙"]
        assert two_weeks.counts == {"新增": 0, "阶段前进": 1, "资金到位": 1, "进展更新": 0, "停滞": 1}
        last_week = run_tool("weekly_changes", store, {})
        assert [(c.project, c.what) for c in last_week.advanced] == [("跨周项目甲", "在谈→签约")] and not last_week.funds
    finally:
        store.close()


def test_progress_change_between_two_periods(demo_store: FigureStore) -> None:
    half = run_tool("progress_change", demo_store, {"period": "2023Q2", "metric": "内资"})
    assert (half.compared_to, half.metrics) == ("2023Q1", ["实际引进内资"])  # the period before, same year
    top = half.rows[0]
    assert (top.region, top.before_pct, top.after_pct, top.change_points, top.rank) == ("高新区", 31.5, 72.03, 40.53, 1)
    assert half.provenance.table == "indicators" and len(half.provenance.row_ids) == 2 * (len(half.rows) + len(half.city))
    # the city's own change beside the counties', from its 全市 rows (381.47 of 1250.28 → 836.42 of 1250.28)
    assert [(c.region, c.before_pct, c.after_pct, c.change_points) for c in half.city] == [("全市", 30.51, 66.9, 36.39)]
    july = run_tool("progress_change", demo_store, {})
    assert (july.period, july.compared_to) == ("2023-07", "2023Q2") and "持平" in july.summary
    with pytest.raises(InvalidValue, match="前一期须早于后一期"):
        run_tool("progress_change", demo_store, {"period": "2023Q1", "compared_to": "2023Q2"})
    own = run_tool("progress_change", demo_store.scoped("汉阴县"), {"period": "2023Q2"})
    assert {r.region for r in own.rows} == {"汉阴县"} and own.rows[0].rank == 5 and own.city == []


def test_assessment_without_a_period_takes_the_newest_quarter(demo_store: FigureStore) -> None:
    # the county table's newest period is 1-7月; a 季度考核 is of a quarter
    assert run_tool("assessment", demo_store, {}).period == "2023Q2"


@pytest.mark.parametrize("tool", ["list_offices", "office_contacts"])
def test_an_office_is_named_by_name_short_name_or_city_and_an_unknown_one_lists_the_configured(
        demo_store: FigureStore, tool: str) -> None:
    # both tools read the office the same way (tools/common.resolve_office)
    for named in ("驻西安招商联络处", "西安办", "西安"):
        assert "驻西安招商联络处" in run_tool(tool, demo_store, {"office": named}).summary
    with pytest.raises(InvalidValue, match="没有名为“火星办”的驻外招商联络处。已配置的联络处：驻北京招商联络处（北京）"):
        run_tool(tool, demo_store, {"office": "火星办"})


def test_a_parts_sum_beside_the_whole_ledgers_is_the_citys_alone(demo_store: FigureStore) -> None:
    """制造业项目的到位资金占全部的比重: the whole's sum traces to every project row; a county account, whose whole
    would be every county's, gets its own list's sum without it."""
    params = {"matches": ["制造业=是"], "columns": ["到位资金"]}
    city = run_tool("list_projects", demo_store, params)
    whole = next(f for f in city.figures if f.label == "全部项目到位资金合计")
    with demo_store.session() as session:
        every = session.scalar(select(func.count(Project.id)))
    assert len(whole.provenance.row_ids) == every and "占全部项目到位资金合计" in city.summary
    own = run_tool("list_projects", demo_store.scoped("汉阴县"), params)
    assert own.items and not any(f.label.startswith("全部项目") for f in own.figures) and "占全部" not in own.summary
