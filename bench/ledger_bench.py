"""项目台账 at scale: XLSX import of a 10,000-project ledger, weekly imports on top of two years of weekly history,
and warm latency of the ledger's list and window tools.

What is real and what is generated: the 10,000 projects (names, counties, chains, stages, dates, funds, deadlines,
progress) are generated with a fixed seed. The current ledger goes through import_file as an XLSX (the timing
target) and three later weeks go through import_file as CSV (each changes about a tenth of the rows). The 101
earlier weeks of history are written straight into project_versions and import_log in the shape the importer
writes them (one version per change, valid_from/valid_to), because importing 104 files of 10,000 rows would take
the whole bench budget on 2 cores; the query path reads them exactly as it reads imported history.
Usage: python bench/ledger_bench.py [N_PROJECTS] [WEEKS] [DATABASE_URL]
DATABASE_URL: an empty database to fill, e.g. postgresql+psycopg://postgres@127.0.0.1:5432/bench (created with
createdb); default a temporary SQLite file. Process CPU time is the client's only: on PostgreSQL the server's work
shows in wall time.
Targets (issue 15): list/window query p95 ≤ 200 ms warm; 10,000-row XLSX import ≤ 30 s; memory flat.
"""

from __future__ import annotations

import json
import random
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from rate_series_before import rates_by_issue_before  # bench/ is on sys.path when run as a script
from sqlalchemy import insert, select
from sqlalchemy.orm import Session
from stalled_projects_before import stalled_projects_before
from weekly_changes_before import weekly_changes_before

from assistant.db.importers import import_file
from assistant.db.migrations import migrate
from assistant.db.models import ImportLog, IndustryChain, Project, ProjectIssueSum, ProjectVersion, Region
from assistant.db.rate_sums import refresh_issue_sums
from assistant.db.records import LEDGER_TEMPLATE
from assistant.db.reference import load_city
from assistant.db.session import FigureStore, create_writable_engine
from assistant.tools import run_tool
from assistant.tools.lifecycle import ledger_date, ledger_dates, rates_by_issue

CITY = load_city()
COUNTIES = [r.name for r in CITY.counties]
CHAINS = CITY.chains
STAGES = ("线索", "在谈", "签约", "开工", "投产")
HEADER = LEDGER_TEMPLATE.split(",")


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def project_rows(n: int, as_of: date, anchor: date, shift: int = 0) -> list[dict[str, Any]]:
    """The ledger as of `as_of` (dates counted back from `anchor`, the first imported week, so that unchanged
    projects stay unchanged); `shift` weeks later about a tenth of the projects per week have moved on."""
    rows = []
    for i in range(n):
        r = random.Random(i * 7919 + 13)
        stage_index = r.choices(range(5), weights=(10, 15, 20, 40, 15))[0]
        draw = r.random()
        moved = bool(shift) and draw < 0.1 * shift
        if moved and stage_index < 4:
            stage_index += 1
        stage = STAGES[stage_index]
        clue = anchor - timedelta(days=r.randint(200, 700))
        talks = clue + timedelta(days=r.randint(10, 60)) if stage_index >= 1 else None
        signed = (talks or clue) + timedelta(days=r.randint(20, 90)) if stage_index >= 2 else None
        started = signed + timedelta(days=r.randint(20, 120)) if signed and stage_index >= 3 else None
        operating = started + timedelta(days=r.randint(60, 200)) if started and stage_index >= 4 else None
        dates = [d for d in (clue, talks, signed, started, operating) if d]
        if dates and max(dates) > anchor:  # keep every date on or before the first ledger date
            over = (max(dates) - anchor).days
            clue = clue - timedelta(days=over)
            talks, signed, started, operating = (d - timedelta(days=over) if d else None
                                                 for d in (talks, signed, started, operating))
        total = round(r.uniform(0.5, 30), 2)
        funds = round(total * r.uniform(0, 0.9), 2) + (0.1 * shift if moved else 0) if signed else None
        funds = min(funds, total) if funds is not None else None
        back = r.randint(0, 90)
        progress_on = anchor - timedelta(days=back) if not moved else as_of
        progress_on = max(progress_on, clue)
        rows.append({
            "项目名称": f"基准项目{i:05d}", "地区": COUNTIES[i % len(COUNTIES)],
            "产业链": CHAINS[i % len(CHAINS)].name if i % 5 else "", "企业": f"基准企业{i % 997:03d}",
            "总投资（亿元）": total, "阶段": stage, "签约日期": signed, "开工日期": started, "投产日期": operating,
            "到位资金（亿元）": round(funds, 2) if funds is not None else None, "是否外资": "否", "外资金额（万美元）": None,
            "备注": None, "线索等级": "ABC"[i % 3], "线索日期": clue, "在谈日期": talks,
            "来源/首谈单位": "驻深圳招商联络处" if i % 4 == 0 else f"{COUNTIES[i % len(COUNTIES)]}招商局",
            "责任单位": f"{COUNTIES[i % len(COUNTIES)]}招商局", "包抓领导": "副市长", "项目管家": f"管家{i % 50}",
            "新建/续建": "新建" if signed and signed.year == as_of.year else ("续建" if signed else None),
            "制造业": "是" if i % 2 else "否", "当年到位资金（亿元）": None,
            "约定开工期限": signed + timedelta(days=r.randint(30, 180)) if signed else None,
            "最新进展": f"第{(progress_on - clue).days % 9 + 1}次调度推进", "进展日期": progress_on,
            "填报日期": as_of,
        })
    return rows


def write_xlsx(path: Path, rows: list[dict[str, Any]]) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(HEADER)
    for row in rows:
        ws.append([row[h] for h in HEADER])
    wb.save(path)


def write_csv(path: Path, rows: list[dict[str, Any]]) -> None:
    def cell(v: Any) -> str:
        return "" if v is None else (v.isoformat() if isinstance(v, date) else str(v))

    path.write_text(",".join(HEADER) + "\n" + "".join(",".join(cell(r[h]) for h in HEADER) + "\n" for r in rows),
                    encoding="utf-8")


def backfill_history(engine: Any, first_week: date, weeks: int, rng: random.Random) -> int:
    """Write `weeks` weekly ledgers before the current one into project_versions: each project changes in about
    one week in four (funds, progress, or a stage step); returns the versions written."""
    with engine.begin() as conn:
        current = {pid: (vid, region) for pid, vid, region in conn.execute(
            select(ProjectVersion.project_id, ProjectVersion.id, ProjectVersion.region_id))}
        logs = []
        for w in range(weeks):
            day = first_week + timedelta(weeks=w)
            logs.append({"kind": "projects", "file_name": f"history_{day.isoformat()}.csv", "file_sha256": "0" * 64,
                         "layout": "", "row_count": len(current), "inserted": 0, "updated": 0, "deleted": 0,
                         "replaced": "", "imported_at": datetime.now(), "as_of": day})
        conn.execute(insert(ImportLog), logs)
        log_ids = {d: i for i, d in conn.execute(select(ImportLog.id, ImportLog.as_of).where(
            ImportLog.file_name.like("history_%")))}
        current_start = first_week + timedelta(weeks=weeks)
        versions = []
        for pid, (_vid, region) in current.items():
            change_weeks = sorted(rng.sample(range(weeks), k=max(1, weeks // 4)))
            ends = [first_week + timedelta(weeks=w) for w in change_weeks[1:]] + [current_start]
            stage_index = 0
            for k, w in enumerate(change_weeks):
                start = first_week + timedelta(weeks=w)
                end = ends[k]
                stage_index = min(stage_index + (rng.random() < 0.15), 3)
                versions.append({"project_id": pid, "valid_from": start, "valid_to": end, "region_id": region,
                                 "stage": STAGES[stage_index], "signed_on": None, "started_on": None,
                                 "operating_on": None, "total_investment_yi_yuan": 10.0,
                                 "funds_arrived_yi_yuan": round(0.05 * k, 2), "funds_this_year_yi_yuan": None,
                                 "start_deadline": None, "progress": f"第{k}次调度", "progress_on": start,
                                 "import_id": log_ids[first_week + timedelta(weeks=w)]})
        for chunk in range(0, len(versions), 5000):
            conn.execute(insert(ProjectVersion), versions[chunk:chunk + 5000])
    return len(versions)


def timed(store: FigureStore, tool: str, params: dict[str, Any], repeat: int,
          call: Callable[..., Any] | None = None) -> dict[str, float]:
    """Warm latency of one tool (or `call`, a function taking the store and the parameters)."""
    def once() -> None:
        call(store, **params) if call else run_tool(tool, store, params)

    once()  # warm
    times, cpu = [], []
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        once()
        times.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    times.sort()
    cpu.sort()
    return {"p50_ms": round(statistics.median(times), 1), "p95_ms": round(times[int(0.95 * (len(times) - 1))], 1),
            "cpu_p95_ms": round(cpu[int(0.95 * (len(cpu) - 1))], 1)}


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    weeks = int(sys.argv[2]) if len(sys.argv) > 2 else 104
    rng = random.Random(15)
    report: dict[str, Any] = {"projects": n, "weeks_of_history": weeks}
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        url = sys.argv[3] if len(sys.argv) > 3 else f"sqlite:///{tmp_path / 'project.sqlite'}"
        engine = create_writable_engine(url)
        report["database"] = engine.dialect.name
        migrate(engine)
        current = date(2025, 6, 27)
        anchor = current - timedelta(weeks=3)  # the XLSX ledger's date; 3 weekly CSVs follow it
        first_week = anchor - timedelta(weeks=weeks - 3)
        xlsx = tmp_path / "ledger.xlsx"
        write_xlsx(xlsx, project_rows(n, anchor, anchor))
        rss0 = rss_mb()
        t0, c0 = time.perf_counter(), time.process_time()
        summary = import_file(engine, "projects", xlsx)
        report["xlsx_import_s"] = round(time.perf_counter() - t0, 2)
        report["xlsx_import_cpu_s"] = round(time.process_time() - c0, 2)  # wall time includes waiting for a core
        report["load_average_1min"] = round(__import__("os").getloadavg()[0], 1)
        report["xlsx_rows"] = summary.rows
        report["rss_mb_after_xlsx"] = round(rss_mb(), 1)
        report["history_versions"] = backfill_history(engine, first_week, weeks - 3, rng)
        # the history went straight into project_versions: its per-issue rate sums are built as the migration
        # builds them for a database that predates them (an import keeps them from then on)
        t0 = time.perf_counter()
        with Session(engine) as session:
            report["issue_sums_issues"] = refresh_issue_sums(session)
            session.commit()
        report["issue_sums_refresh_s"] = round(time.perf_counter() - t0, 2)
        rss_weeks = []
        week_times = []
        for w in (2, 1, 0):
            day = current - timedelta(weeks=w)
            path = tmp_path / f"projects_{day.isoformat()}.csv"
            write_csv(path, project_rows(n, day, anchor, shift=3 - w))
            t0 = time.perf_counter()
            weekly = import_file(engine, "projects", path)
            week_times.append(round(time.perf_counter() - t0, 2))
            rss_weeks.append(round(rss_mb(), 1))
            report.setdefault("weekly_versions_written", []).append(weekly.history)
        report["weekly_csv_import_s"] = week_times
        report["rss_mb_after_each_week"] = rss_weeks
        report["rss_mb_before_import"] = round(rss0, 1)
        if engine.dialect.name == "postgresql":  # fresh statistics, as autovacuum would have them after a week
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("VACUUM ANALYZE")
        engine.dispose()
        store = FigureStore.open(url)
        with store.session() as session:
            report["versions_total"] = session.query(ProjectVersion).count()
            county = session.scalar(select(Region.name).where(Region.name == "汉阴县"))
            report["ledger_rows"] = session.query(Project).count()
        year_ago = (current - timedelta(weeks=52)).isoformat()
        cases: list[tuple[str, str, dict[str, Any]]] = [
            ("ledger_status", "预警和滞后 (limit 50)", {}),
            ("ledger_status", "one county", {"region": county}),
            ("no_progress_projects", "30 days", {"days": 30}),
            ("due_this_week", "", {}),
            ("new_signings", "this week", {}),
            ("weekly_changes", "latest two weeks", {}),
            ("weekly_changes", "a year ago vs now", {"date_from": year_ago}),
            ("county_project_rates", "资金到位率", {}),
            ("list_projects", "one county, 50", {"region": county}),
            ("stalled_projects", "90 days", {"days": 90}),
            ("projects_reaching", "开工 this week", {"milestone": "开工"}),
            ("projects_reaching", "签约 until a year ago", {"milestone": "签约", "until": year_ago}),
            # one chain's rate at every one of the two years' issues, with the projects that moved it each week
            ("rate_change", "one chain, every issue", {"rate": "资金到位率", "chain": CHAINS[0].name}),
            ("rate_change", "one county, the last year's issues",
             {"rate": "资金到位率", "region": county, "date_from": year_ago}),
        ]
        report["queries"] = {f"{tool} {label}".strip(): timed(store, tool, params, 20) for tool, label, params in cases}
        # 周动态 as it was before the comparison moved wholly into the database, on the same database in the same run
        for label, params in (("latest two weeks", {}), ("a year ago vs now", {"date_from": date.fromisoformat(year_ago)})):
            before = timed(store, "", params, 20, call=weekly_changes_before)
            now = report["queries"][f"weekly_changes {label}"]
            report["queries"][f"weekly_changes_before {label}"] = before
            report[f"weekly_changes {label}: p95 now / before"] = round(now["p95_ms"] / before["p95_ms"], 2)
            report[f"weekly_changes {label}: cpu p95 now / before"] = round(now["cpu_p95_ms"] / before["cpu_p95_ms"], 2)
        # 签约未开工 as it was before the limited query (every match read and listed), from the same ledger date
        with store.session() as session:
            ledger_day = ledger_date(session)
        before = timed(store, "", {"days": 90, "as_of": ledger_day}, 20, call=stalled_projects_before)
        now = report["queries"]["stalled_projects 90 days"]
        report["queries"]["stalled_projects_before 90 days"] = before
        report["stalled_projects 90 days: p95 now / before"] = round(now["p95_ms"] / before["p95_ms"], 2)
        report["stalled_projects 90 days: cpu p95 now / before"] = round(now["cpu_p95_ms"] / before["cpu_p95_ms"], 2)
        report["stalled_projects 90 days: matches"] = run_tool("stalled_projects", store, {"days": 90}).total_count
        # a rate's series as each issue recorded it, read from the per-issue sums against the sweep over the versions
        # that computed it before them (the same rates, checked), on the same database in the same run
        with store.session() as session:
            issues = ledger_dates(session)
            chain_id = session.scalar(select(IndustryChain.id).where(IndustryChain.name == CHAINS[0].name))
            region_id = session.scalar(select(Region.id).where(Region.name == county))
        series_cases = (("one chain, every issue", issues, lambda src: (src.chain_id == chain_id,)),
                        ("one county, the last year's issues", [d for d in issues if d.isoformat() >= year_ago],
                         lambda src: (src.region_id == region_id,)))
        for label, days, picking in series_cases:
            def now_(_store: FigureStore, days: list[date] = days, picking: Any = picking) -> Any:
                with _store.session() as session:
                    return rates_by_issue(session, days, "x", picking(ProjectIssueSum))

            def before_(_store: FigureStore, days: list[date] = days, picking: Any = picking) -> Any:
                with _store.session() as session:
                    return rates_by_issue_before(session, days, "x", picking(Project))

            now, before = timed(store, "", {}, 20, call=now_), timed(store, "", {}, 20, call=before_)
            report["queries"][f"rate series {label}"] = now
            report["queries"][f"rate series before {label}"] = before
            report[f"rate series {label}: p95 now / before"] = round(now["p95_ms"] / before["p95_ms"], 3)
            report[f"rate series {label}: same rates"] = now_(store) == before_(store)
        report["load_average_1min_after_queries"] = round(__import__("os").getloadavg()[0], 1)
        store.close()
    report["rss_mb_end"] = round(rss_mb(), 1)
    print(json.dumps(report, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
