"""A project rate between two issues of the ledger (issue 15's 周动态): each issue's rate from the rows that issue
recorded, on SQLite and PostgreSQL. Expected values are worked out from corpus/data with the standard library."""

from __future__ import annotations

import csv
import random
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine, delete, func, or_, select, update
from sqlalchemy.orm import Session

from assistant.db.errors import InvalidValue
from assistant.db.importers import import_demo, import_file
from assistant.db.migrations import migrate, schema_version
from assistant.db.models import OPEN_END, ImportLog, Project, ProjectIssueSum, ProjectVersion
from assistant.db.rate_sums import on_key_chain, refresh_issue_sums
from assistant.db.reference import PROJECT_STAGES
from assistant.db.session import FigureStore
from assistant.tools import run_tool
from assistant.tools.lifecycle import county_rates_at_issue, county_rates_in_db, rates_by_issue

DATA = Path(__file__).resolve().parents[2] / "corpus" / "data"
SIGNED, STARTED = ("签约", "开工", "投产"), ("开工", "投产")


def _issue(path: Path) -> tuple[date, list[dict[str, str]]]:
    with path.open(encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    return date.fromisoformat(rows[0]["填报日期"]), rows


def _start_rate(rows: list[dict[str, str]]) -> Decimal:
    signed = [r for r in rows if r["阶段"] in SIGNED]
    started = [r for r in signed if r["阶段"] in STARTED]
    return (Decimal(len(started)) / len(signed) * 100).quantize(Decimal("0.01"), ROUND_HALF_UP)


def test_the_city_start_rate_of_the_last_two_issues(demo_store: FigureStore) -> None:
    issues = sorted([_issue(p) for p in (DATA / "history").glob("projects_*.csv")] + [_issue(DATA / "projects.csv")])
    (first, before), (last, after) = issues[-2], issues[-1]
    result = run_tool("rate_change", demo_store, {"rate": "开工率"})
    assert (result.issue_from, result.issue_to) == (first, last)
    city = result.rows[0]
    assert city.region == "全市"
    assert Decimal(str(city.before)) == _start_rate(before) and Decimal(str(city.after)) == _start_rate(after)
    assert Decimal(str(city.change_points)) == _start_rate(after) - _start_rate(before)
    assert f"{_start_rate(before)}%" in result.summary and result.provenance.table == "project_versions"
    # every county listed as changed did change, and its two rates come from its own rows of each issue
    for row in result.rows[1:]:
        mine = [[r for r in rows if r["地区"] == row.region] for _, rows in (issues[-2], issues[-1])]
        assert [Decimal(str(row.before)), Decimal(str(row.after))] == [_start_rate(m) for m in mine]


def test_a_window_compares_the_issue_it_starts_in_with_the_last_in_it(demo_store: FigureStore) -> None:
    issues = sorted(_issue(p)[0] for p in [*(DATA / "history").glob("projects_*.csv"), DATA / "projects.csv"])
    result = run_tool("rate_change", demo_store, {"rate": "资金到位率", "date_from": issues[1], "date_to": issues[-1]})
    assert (result.issue_from, result.issue_to) == (issues[1], issues[-1])
    result = run_tool("rate_change", demo_store, {"rate": "资金到位率", "ledger_on": issues[0]})
    assert (result.issue_from, result.issue_to) == (issues[0], issues[-1])
    # each county's place among the counties in both issues
    ranked = [r for r in result.rows[1:] if r.after is not None]
    assert sorted(r.rank_after for r in ranked)[0] == 1 and all(r.rank_after for r in ranked)
    with pytest.raises(InvalidValue, match="台账历史从"):
        run_tool("rate_change", demo_store, {"rate": "开工率", "date_from": date(2023, 3, 31)})
    with pytest.raises(InvalidValue, match="不是项目比率"):
        run_tool("rate_change", demo_store, {"rate": "签约率"})


def test_a_period_only_the_city_row_holds_gives_the_citys_own_change(demo_store: FigureStore) -> None:
    with (DATA / "indicators_long.csv").open(encoding="utf-8-sig") as f:
        table = list(csv.DictReader(f))
    rows = [r for r in table if r["地区"] == "全市" and r["指标"] == "外商直接投资"]
    year, half = (next(r for r in rows if r["期间"] == key) for key in ("2023", "2023Q2"))
    assert not any(r["期间"] == "2023" for r in table if r["地区"] != "全市")  # the whole year: the city alone

    def done(r: dict[str, str]) -> Decimal:
        return (Decimal(r["数值"]) / Decimal(r["年度目标"]) * 100).quantize(Decimal("0.01"), ROUND_HALF_UP)

    result = run_tool("progress_change", demo_store, {"period": "2023", "metric": "外商直接投资", "compared_to": "2023Q2"})
    assert result.rows == [] and len(result.city) == 1
    assert Decimal(str(result.city[0].change_points)).quantize(Decimal("0.01")) == done(year) - done(half)
    assert f"{Decimal(year['数值']):.2f}万美元" in result.summary


def _funds_rate(rows: list[dict[str, str]]) -> Decimal:
    money = [r for r in rows if r["阶段"] in SIGNED and r["总投资（亿元）"] and r["到位资金（亿元）"]]
    return (sum(Decimal(r["到位资金（亿元）"]) for r in money) / sum(Decimal(r["总投资（亿元）"]) for r in money)
            * 100).quantize(Decimal("0.01"), ROUND_HALF_UP)


def test_one_chains_rate_at_every_issue_with_the_projects_that_moved_it(demo_store: FigureStore) -> None:
    """rate_change of one chain: every issue of the history, each from the rows that issue recorded (one GROUP BY
    over the issues on either database), and the projects whose funds moved from one issue to the next."""
    issues = sorted([_issue(p) for p in (DATA / "history").glob("projects_*.csv")] + [_issue(DATA / "projects.csv")])
    result = run_tool("rate_change", demo_store, {"rate": "资金到位率", "chain": "新能源"})
    chain = [[r for r in rows if r["产业链"] == "新能源"] for _, rows in issues]
    assert [s.issue for s in result.series] == [day for day, _ in issues]
    assert [Decimal(str(s.value)) for s in result.series] == [_funds_rate(rows) for rows in chain]
    for step, (before, after) in zip(result.series[1:], zip(chain, chain[1:], strict=False), strict=True):
        moved = {r["项目名称"] for r in after for b in before
                 if b["项目名称"] == r["项目名称"] and b["到位资金（亿元）"] != r["到位资金（亿元）"]}
        assert {m.split("到位资金")[0].split("由")[0] for m in step.movers} >= moved, step
    # the projects on no key chain, as a group of their own
    off = run_tool("rate_change", demo_store, {"rate": "资金到位率", "key_chain": False})
    assert off.scope == "不在“5+3”重点产业链上的" and off.rows[0].after is not None


def test_the_per_issue_sums_give_each_issues_rates_of_the_ledger_as_it_stood(engine: Engine) -> None:
    """rates_by_issue (read from project_issue_sums) against county_rates_in_db (one GROUP BY over the versions in
    force that day), on random histories with an issue every day: the days versions start, end and fall due, for
    the whole ledger, one chain, one county and the projects off the key chains, on either database."""
    import_demo(engine, DATA)
    rng = random.Random(15)
    day0 = date(2024, 1, 1)
    days = [day0 + timedelta(days=i) for i in range(60)]
    with Session(engine) as session:
        import_id = session.scalar(select(func.max(ProjectVersion.import_id)))
        projects = session.execute(select(Project.id, Project.region_id)).all()
        session.execute(delete(ProjectVersion))
        session.execute(update(ImportLog).where(ImportLog.kind == "projects").values(as_of=None))
        session.add_all(ImportLog(kind="projects", file_name=f"projects_{d}.csv", file_sha256="0" * 64, layout="",
                                  row_count=0, inserted=0, updated=0, deleted=0, imported_at=datetime(2024, 3, 1),
                                  as_of=d) for d in days)
        for pid, region_id in projects:
            day = day0 + timedelta(days=rng.randrange(0, 20))
            while day < days[-1]:
                end = day + timedelta(days=rng.randrange(1, 15))
                stage = rng.choice(PROJECT_STAGES)
                total = rng.choice([None, Decimal(rng.randrange(1, 900)) / 100])
                session.add(ProjectVersion(
                    project_id=pid, valid_from=day, valid_to=end if end < days[-1] else OPEN_END,
                    region_id=region_id, stage=stage, total_investment_yi_yuan=total,
                    funds_arrived_yi_yuan=rng.choice([None, Decimal(rng.randrange(0, 500)) / 100]),
                    funds_this_year_yi_yuan=rng.choice([None, Decimal(rng.randrange(0, 300)) / 100]),
                    start_deadline=rng.choice([None, day0 + timedelta(days=rng.randrange(-10, 70))]),
                    started_on=rng.choice([None, day0 + timedelta(days=rng.randrange(-10, 70))]),
                    import_id=import_id))
                day = end
        session.flush()
        assert refresh_issue_sums(session) == len(days)
        session.commit()
        _assert_sums_match(session, days)


def test_imports_keep_the_per_issue_sums(engine: Engine, tmp_path: Path) -> None:
    """The importer keeps project_issue_sums: after the demo's issues, after a file that slots in between two of
    them, and after one that moves a project to another chain and flips another's 新建/续建 (which regroup the
    issues they count in), each issue's sums give the rates of the ledger as that issue recorded it."""
    import_demo(engine, DATA)
    issues = sorted(_issue(p)[0] for p in [*(DATA / "history").glob("projects_*.csv"), DATA / "projects.csv"])
    with Session(engine) as session:
        _assert_sums_match(session, issues)
    # a file dated a day after the issue before the last: that issue's rows, one project's funds a little lower
    previous = _issue(next(p for p in (DATA / "history").glob("projects_*.csv") if _issue(p)[0] == issues[-2]))[1]
    between = issues[-2] + timedelta(days=1)
    funded = next(r for r in previous if r["到位资金（亿元）"] and Decimal(r["到位资金（亿元）"]) > Decimal(
        r["当年到位资金（亿元）"] or 0))
    funded["到位资金（亿元）"] = str(Decimal(funded["到位资金（亿元）"]) - Decimal("0.01"))
    _write(tmp_path / "between.csv", [{**r, "填报日期": between.isoformat()} for r in previous])
    import_file(engine, "projects", tmp_path / "between.csv")
    # a signed project's 新建/续建 flipped: its earlier signed issues count it in the new projects' sums
    latest = _issue(DATA / "projects.csv")[1]
    kind = next(m for m in latest if m["阶段"] in ("签约", "开工", "投产") and m["新建/续建"] and m["当年到位资金（亿元）"])
    kind["新建/续建"] = "续建" if kind["新建/续建"] == "新建" else "新建"
    _write(tmp_path / "kind.csv", latest)
    import_file(engine, "projects", tmp_path / "kind.csv")
    with Session(engine) as session:
        _assert_sums_match(session, sorted([*issues, between]))
    # a project moved to another chain: every issue it is in
    latest[0]["产业链"] = next(m["产业链"] for m in latest if m["产业链"] and m["产业链"] != latest[0]["产业链"])
    _write(tmp_path / "moved.csv", latest)
    import_file(engine, "projects", tmp_path / "moved.csv")
    with Session(engine) as session:
        _assert_sums_match(session, sorted([*issues, between]))


def test_a_database_from_before_the_sums_gets_them_on_migration(engine: Engine) -> None:
    """A database whose history was imported before project_issue_sums existed: the migration that adds the table
    fills it from the versions, so the series tools read the same rates as the ledger's issues recorded."""
    import_demo(engine, DATA)
    with engine.begin() as conn:
        conn.execute(delete(schema_version).where(schema_version.c.version == 5))
        ProjectIssueSum.__table__.drop(conn)  # type: ignore[attr-defined]
    assert migrate(engine) == ["project_issue_sums"]
    issues = sorted(_issue(p)[0] for p in [*(DATA / "history").glob("projects_*.csv"), DATA / "projects.csv"])
    with Session(engine) as session:
        _assert_sums_match(session, issues)


def _write(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def _assert_sums_match(session: Session, days: list[date]) -> None:
    chain = session.scalar(select(Project.chain_id).where(Project.chain_id.is_not(None)).limit(1))
    region = session.scalar(select(Project.region_id).limit(1))
    picks = [lambda src: (), lambda src: (src.chain_id == chain,), lambda src: (src.region_id == region,),
             lambda src: (or_(src.chain_id.is_(None), ~on_key_chain(src.chain_id)),)]
    for pick in picks:
        summed = rates_by_issue(session, days, "合计", pick(ProjectIssueSum))
        assert summed, pick
        for day in days:
            by_day = county_rates_in_db(session, day, ledger_on=day, city="合计", where=pick(Project)).get("合计")
            assert summed.get(day) == by_day, day
    for day in days:  # …and each county's, with the whole ledger's
        assert county_rates_at_issue(session, day, city="合计") == county_rates_in_db(session, day, ledger_on=day,
                                                                                   city="合计"), day
