"""签约超过N天未开工 as implemented before the limited query (commit bdf16b6): every matching project read, built and
listed. Kept only so that bench/ledger_bench.py can report the tool's latency as a ratio against the old path on the
same database in the same run (both counted from the same day). Not a tool: nothing in the product calls it."""

from __future__ import annotations

from datetime import date, timedelta

from assistant.db.models import Project
from assistant.db.session import FigureStore
from assistant.tools.common import provenance, scoped_region
from assistant.tools.projects import StalledProject, StalledProjects, _select
from assistant.tools.types import as_float
from assistant.tools.types import cn_date as _cn_date


def stalled_projects_before(store: FigureStore, days: int = 90, region: str | None = None,
                            as_of: date | None = None) -> StalledProjects:
    cutoff_day = as_of or date.today()
    with store.session() as session:
        projects = _select(session, scoped_region(store, session, region), None, None, Project.stage == "签约",
                           Project.started_on.is_(None), Project.signed_on < cutoff_day - timedelta(days=days))
        stalled = sorted((x for x in projects if x.signed_on is not None and x.started_on is None
                          and x.stage == "签约" and (cutoff_day - x.signed_on).days > days),
                         key=lambda x: (x.signed_on or date.max, x.name))
        prov = provenance(session, "projects", [(x.id, x.import_id) for x in stalled], None,
                          f"阶段为“签约”、没有开工日期、签约日期距 {_cn_date(cutoff_day)} 超过 {days} 天的项目")
    items = [
        StalledProject(id=x.id, name=x.name, region=x.region, chain=x.chain, enterprise=x.enterprise,
                       total_investment_yi_yuan=as_float(x.total), stage=x.stage, signed_on=x.signed_on,
                       started_on=x.started_on, operating_on=x.operating_on, funds_arrived_yi_yuan=as_float(x.funds),
                       is_foreign=x.is_foreign, foreign_amount_wan_usd=as_float(x.foreign_wan_usd),
                       days_since_signed=(cutoff_day - x.signed_on).days if x.signed_on else 0)
        for x in stalled
    ]
    listing = "；".join(f"{x.name}（{x.region}，{_cn_date(x.signed_on) if x.signed_on else ''}签约，"
                       f"已 {x.days_since_signed} 天）" for x in items)
    summary = (f"截至{_cn_date(cutoff_day)}，签约超过 {days} 天仍未开工的项目共 {len(items)} 个：{listing}。" if items
               else f"截至{_cn_date(cutoff_day)}，没有签约超过 {days} 天仍未开工的项目。")
    return StalledProjects(days=days, as_of=cutoff_day, items=items, total_count=len(items), provenance=prov,
                           summary=summary)
