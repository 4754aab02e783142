"""Inference control for county accounts (OWASP LLM02, sensitive information disclosure): no aggregate a county
officer can see lets them derive another single region's or project's figure by differencing.

The rule under test (FigureStore.min_group, Settings.inference_min_group, default 3): a city-wide aggregate is
shown to a county account only when at least 3 regions or projects other than its own stand behind it. The
battery tries every aggregate tool over every period, metric and chain the database holds, for every county."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import product
from pathlib import Path

import pytest
from sqlalchemy import select

from assistant.db.errors import AggregateSuppressed
from assistant.db.importers import import_demo, import_file
from assistant.db.models import Indicator, IndustryChain, Project, Region
from assistant.db.session import FigureStore, create_writable_engine
from assistant.tools import city_total, get_indicator, lagging_regions, project_stats

DEMO_DIR = Path(__file__).resolve().parents[2] / "corpus" / "data"
# A period in which only two regions (and the city row) reported: city − 汉阴县 = 恒口.
THIN_PERIOD = """地区,期间,指标,数值,单位,同比,年度目标
汉阴县,2024Q1,外商直接投资,120,万美元,,400
恒口,2024Q1,外商直接投资,80,万美元,,300
全市,2024Q1,外商直接投资,200,万美元,,2500
"""


@pytest.fixture(scope="module")
def admin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FigureStore]:
    folder = tmp_path_factory.mktemp("inference")
    url = f"sqlite:///{folder / 'figures.sqlite'}"
    engine = create_writable_engine(url)
    import_demo(engine, DEMO_DIR)
    thin = folder / "2024Q1.csv"
    thin.write_text(THIN_PERIOD, encoding="utf-8")
    import_file(engine, "indicators", thin, "long")
    engine.dispose()
    store = FigureStore.open(url)
    yield store
    store.close()


def _counties(store: FigureStore) -> list[str]:
    with store.session() as session:
        return [r.name for r in session.scalars(select(Region).order_by(Region.sort_order)) if r.kind != "全市"]


@pytest.mark.parametrize("tool", [
    pytest.param(lambda s: city_total(s, "2024Q1", "外商直接投资"), id="LLM02-inference-city-total-minus-own"),
    pytest.param(lambda s: get_indicator(s, "全市", "2024Q1", "外商直接投资"), id="LLM02-inference-city-row-minus-own"),
])
def test_a_city_total_with_one_other_region_is_suppressed(admin: FigureStore, tool) -> None:  # type: ignore[no-untyped-def]
    assert tool(admin).value == 200  # staff see it
    with pytest.raises(AggregateSuppressed, match="少于 3 个"):
        tool(admin.scoped("汉阴县"))


@pytest.mark.parametrize("case", [pytest.param(None, id="LLM02-inference-lagging-city-figures-hidden")])
def test_lagging_hides_the_city_figures_when_they_would_reveal_the_other_region(admin: FigureStore, case: None) -> None:
    seen = lagging_regions(admin.scoped("汉阴县"), "2024Q1", "外商直接投资")
    assert seen.city_completion_pct is None and "不显示全市情况" in seen.summary


@pytest.mark.parametrize("case", [pytest.param(None, id="LLM02-inference-every-county-period-metric")])
def test_no_city_aggregate_is_derivable_for_any_county_period_or_metric(admin: FigureStore, case: None) -> None:
    with admin.session() as session:
        combos = sorted({(i.period, i.metric) for i in session.scalars(select(Indicator))})
        reported = {(i.period, i.metric, r.name) for i, r in session.execute(
            select(Indicator, Region).join(Region, Indicator.region_id == Region.id))
            if r.kind != "全市" and (i.value is not None or i.annual_target is not None)}
    checked = 0
    for county, (period, metric) in product(_counties(admin), combos):
        others = sum(1 for p, m, name in reported if p == period and m == metric and name != county)
        try:
            city_total(admin.scoped(county), period, metric)
        except AggregateSuppressed:
            assert 0 < others < 3
            continue
        assert others == 0 or others >= 3, (county, period, metric, others)
        checked += 1
    assert checked > 0


@pytest.mark.parametrize("case", [pytest.param(None, id="LLM02-inference-project-statistics-by-period-and-chain")])
def test_no_narrowed_project_statistic_describes_another_countys_project(admin: FigureStore, case: None) -> None:
    with admin.session() as session:
        chains = [None] + list(session.scalars(select(IndustryChain.name)))
        projects = [(p, r.name) for p, r in session.execute(select(Project, Region).join(Region, Project.region_id == Region.id))]
    periods = [None, "2022", "2023Q1", "2023Q2", "2023-07", "2023"]
    shown = suppressed = 0
    for county, chain, period in product(_counties(admin), chains, periods):
        everyone = project_stats(admin, period, None, chain)
        try:
            seen = project_stats(admin.scoped(county), period, None, chain)
        except AggregateSuppressed:
            suppressed += 1
            continue
        shown += 1
        own = sum(1 for g in everyone.by_region if g.name == county for _ in range(g.count))
        others = everyone.project_count - own
        assert others == 0 or others >= 3, (county, chain, period, others)
        assert seen.project_count == everyone.project_count
    assert shown and suppressed  # the demo ledger has chains with one or two projects outside a county
    assert len(projects) > 0


@pytest.mark.parametrize("case", [pytest.param(None, id="LLM02-county-account-no-liaison-visit-records")])
def test_a_county_account_cannot_read_the_liaison_offices_visit_records(admin: FigureStore, case: None) -> None:
    from assistant.db.errors import LedgerDenied
    from assistant.tools.contacts import office_contacts

    assert office_contacts(admin, office="深圳").items is not None  # the city bureau reads them
    with pytest.raises(LedgerDenied, match="县区账号不能查看"):
        office_contacts(admin.scoped("汉阴县"), office="深圳")
