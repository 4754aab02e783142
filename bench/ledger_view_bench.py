"""The workbench's 台账 tab at scale: a 10,000-project ledger (the generated rows of ledger_bench.py, imported as CSV
through import_file), then warm wall and CPU time of the filtered views (a page of 500 rows as the tab reads it, and
every matching row as the export reads it), the page's HTML (first 500
rows) and the Excel export of every row of a view.

Usage: python bench/ledger_view_bench.py [N_PROJECTS]
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from ledger_bench import project_rows, write_csv  # bench/ is on sys.path when run as a script

from assistant.db.importers import import_file
from assistant.db.migrations import migrate
from assistant.db.session import FigureStore, create_writable_engine
from assistant.ledgers.export import view_xlsx
from assistant.ledgers.views import LedgerFilter, ledger_view
from assistant.ui.ledgers_view import SHOWN_ROWS, ledger_html


def timed(fn: Callable[[], Any], repeat: int) -> dict[str, float]:
    fn()  # warm
    walls, cpus = [], []
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        walls.append((time.perf_counter() - t0) * 1000)
        cpus.append((time.process_time() - c0) * 1000)
    walls.sort()
    cpus.sort()
    p95 = max(0, int(round(0.95 * len(walls))) - 1)
    return {"p95_ms": round(walls[p95], 1), "median_ms": round(statistics.median(walls), 1),
            "cpu_p95_ms": round(cpus[p95], 1)}


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    report: dict[str, Any] = {"projects": n}
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'project.sqlite'}"
        engine = create_writable_engine(url)
        migrate(engine)
        day = date(2025, 6, 27)
        ledger = Path(tmp) / f"projects_{day.isoformat()}.csv"
        write_csv(ledger, project_rows(n, day, day))
        t0 = time.perf_counter()
        import_file(engine, "projects", ledger)
        report["csv_import_s"] = round(time.perf_counter() - t0, 1)
        print(f"imported in {report['csv_import_s']} s", file=sys.stderr)
        engine.dispose()
        store = FigureStore.open(url)
        county = store.scoped("汉阴县")
        cases: dict[str, tuple[FigureStore, LedgerFilter]] = {
            "全部项目": (store, LedgerFilter()),
            "滞后": (store, LedgerFilter(status="滞后")),
            "一个县区": (store, LedgerFilter(region="汉滨区")),
            "县区账号": (county, LedgerFilter()),
            "产业链+阶段": (store, LedgerFilter(chain="新能源", stage="签约")),
            "签约日期窗口": (store, LedgerFilter(date_from=date(2025, 1, 1), date_to=date(2025, 3, 31))),
            "关键词": (store, LedgerFilter(text="基准项目012")),
        }
        views: dict[str, Any] = {}
        page = views["全部项目（页面，前 500 行）"] = {
            "rows": len(ledger_view(store, "projects", LedgerFilter(), SHOWN_ROWS).rows),
            **timed(lambda: ledger_view(store, "projects", LedgerFilter(), SHOWN_ROWS), 5)}
        page["滞后（页面）"] = timed(lambda: ledger_view(store, "projects", LedgerFilter(status="滞后"), SHOWN_ROWS), 5)
        for name, (where, wanted) in cases.items():
            print(name, file=sys.stderr)
            views[name] = {"rows": len(ledger_view(where, "projects", wanted).rows),
                           **timed(lambda w=where, f=wanted: ledger_view(w, "projects", f), 5)}  # type: ignore[misc]
        report["views"] = views
        everything = ledger_view(store, "projects", LedgerFilter())
        report["page_html_500_rows"] = timed(lambda: ledger_html(everything), 10)
        report["export_all_rows"] = {"rows": len(everything.rows), **timed(lambda: view_xlsx(everything), 1)}
        report["load_average_1min"] = round(os.getloadavg()[0], 1)
        store.close()
    print(json.dumps(report, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
