"""周动态 as implemented before the comparison moved wholly into the database (main at 933dcc9: changed projects
came back to Python, 10,000 rows against a year-old ledger, to be sorted and counted there), kept only so that
bench/ledger_bench.py can report the tool's latency as a ratio against it on the same database in the same run.
Not a tool: it is not declared in the registry and nothing in the product calls it. (The figures before that,
against the implementation of commit 1c17368, are in the git history of this file and of the README.)"""

# ruff: noqa: E501
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session, aliased

from assistant.db.errors import InvalidValue
from assistant.db.models import Project, ProjectVersion, Region
from assistant.db.reference import PROJECT_STAGES
from assistant.db.session import FigureStore
from assistant.db.units import round2
from assistant.tools.common import provenance, resolve_region, scoped_region
from assistant.tools.lifecycle import (
    _ADVANCED,
    _CHANGED,
    _FUNDED,
    _KINDS,
    _NEW,
    _PROGRESSED,
    _STALLED,
    CHANGE_CAP,
    Change,
    WeeklyChanges,
    _Compared,
    cn_date,
    ledger_dates,
)
from assistant.tools.types import Figure, format_value


def _compare_ledgers_before(session: Session, start: date, end: date, region_id: int | None
                     ) -> tuple[list[_Compared], dict[int, int], Decimal]:
    """The ledger at `end` beside the ledger at `start`: the rows the lists show (the first CHANGE_CAP of each kind,
    region order then name), every kind's total and the funds added.

    The history holds a version per change, so only projects with a version starting after `start` can have
    changed: the database joins those to their version on `start` (found through (project_id, valid_to): one or
    two index entries, not the project's whole history) and returns each one's kinds of change as bits; the rest
    are the same version on both dates, counted and listed (停滞 unless 投产) without being compared. Only the
    listed rows' details come back to Python."""
    now_v, old_v = aliased(ProjectVersion), aliased(ProjectVersion)
    in_force = [now_v.valid_from <= end, now_v.valid_to > end,
                *([now_v.region_id == region_id] if region_id is not None else [])]
    rank = {stage: i for i, stage in enumerate(PROJECT_STAGES)}
    funded = (func.coalesce(now_v.funds_arrived_yi_yuan, 0)
              > func.coalesce(old_v.funds_arrived_yi_yuan, 0) + 1e-9)
    moved = case((old_v.id.is_(None), _NEW), else_=(
        case((case(rank, value=now_v.stage) > case(rank, value=old_v.stage), _ADVANCED), else_=0)
        + case((funded, _FUNDED), else_=0)
        + case((and_(now_v.progress_on.is_not(None),
                     or_(old_v.progress_on.is_(None), now_v.progress_on > old_v.progress_on)), _PROGRESSED), else_=0)))
    added = case((and_(old_v.id.is_not(None), funded),
                  now_v.funds_arrived_yi_yuan - func.coalesce(old_v.funds_arrived_yi_yuan, 0)), else_=None)
    joined = (select(now_v.id, Region.sort_order, Project.name, moved, now_v.stage, added)
              .select_from(now_v).join(Project, Project.id == now_v.project_id)
              .join(Region, Region.id == now_v.region_id)
              .outerjoin(old_v, and_(old_v.project_id == now_v.project_id, old_v.valid_to > start,
                                     old_v.valid_from <= start)))
    # (region order, name, version id, kinds): the changed projects, then the first unchanged live ones
    keys: list[tuple[int, str, int, int]] = []
    money = Decimal(0)
    for vid, order, name, bits, stage, delta in session.execute(joined.where(*in_force, now_v.valid_from > start)):
        keys.append((order, name, vid, bits or (_STALLED if stage != "投产" else 0)))
        if delta is not None:
            money += Decimal(str(delta))
    same = and_(*in_force, now_v.valid_from <= start, now_v.stage != "投产")
    same_total = session.scalar(select(func.count()).select_from(now_v).where(same)) or 0
    keys.extend((order, name, vid, _STALLED) for vid, order, name in session.execute(
        select(now_v.id, Region.sort_order, Project.name).select_from(now_v)
        .join(Project, Project.id == now_v.project_id).join(Region, Region.id == now_v.region_id)
        .where(same).order_by(Region.sort_order, Project.name).limit(CHANGE_CAP)))
    keys.sort()
    totals = dict.fromkeys(_KINDS, 0)
    listed: dict[int, tuple[int, int]] = {}  # version id → (kinds, kinds listed)
    for _order, _name, vid, bits in keys:
        shown = 0
        for bit in _KINDS:
            if bits & bit:
                totals[bit] += 1
                shown |= bit if totals[bit] <= CHANGE_CAP else 0
        if shown:
            listed[vid] = (bits, shown)
    totals[_STALLED] += same_total - min(same_total, CHANGE_CAP)  # unchanged live ones past the listed first few
    detail = (select(now_v.id, now_v.import_id, old_v.id, old_v.import_id, Project.name, Region.name, now_v.stage,
                     old_v.stage, now_v.funds_arrived_yi_yuan, old_v.funds_arrived_yi_yuan, now_v.progress_on,
                     now_v.progress)
              .select_from(now_v).join(Project, Project.id == now_v.project_id)
              .join(Region, Region.id == now_v.region_id)
              .outerjoin(old_v, and_(old_v.project_id == now_v.project_id, old_v.valid_to > start,
                                     old_v.valid_from <= start))
              .where(now_v.id.in_(list(listed) or [0])))
    by_id = {r[0]: r for r in session.execute(detail)}
    rows = [_Compared(*by_id[vid], *listed[vid]) for _o, _n, vid, _b in keys if vid in listed]  # type: ignore[arg-type,call-arg]
    return rows, totals, money



def weekly_changes_before(store: FigureStore, date_from: date | None = None, date_to: date | None = None,
                   region: str | None = None) -> WeeklyChanges:
    """比较两个日期的项目台账（周动态）：新增的项目、阶段前进的项目（如签约→开工）、新到位资金、进展有更新的项目，
    以及没有任何变化的在推项目（停滞）。不填日期时比较最近两期台账。

    date_from：可选，较早的日期，如“2023-07-21”；date_to：可选，较晚的日期，默认最新台账日期；region：可选，地区名或简称。
    """
    with store.session() as session:
        dates = ledger_dates(session)
        if not dates:
            raise InvalidValue("项目台账还没有带填报日期的导入记录，无法比较两个日期。请导入带“填报日期”列的项目台账。")
        end = date_to or dates[-1]
        start = date_from or next((d for d in reversed(dates) if d < end), end - timedelta(days=7))
        if start >= end:
            raise InvalidValue(f"日期范围有误：{start} 不早于 {end}。")
        region = scoped_region(store, session, region)
        reg = resolve_region(session, region) if region else None
        region_id = reg.id if reg and not reg.is_city else None
        rows, totals, funds_added = _compare_ledgers_before(session, start, end, region_id)
        moved_rows = [r for r in rows if r.flags & _CHANGED]
        stalled_rows = [r for r in rows if r.flags & _STALLED]
        added: list[Change] = []
        advanced: list[Change] = []
        funds: list[Change] = []
        progressed: list[Change] = []
        for row in moved_rows:  # each row is listed under the kinds whose first CHANGE_CAP it is among
            if row.flags & _NEW and row.listed & _NEW:
                added.append(Change(project=row.name, region=row.region, what=f"新进入台账（{row.stage}）"))
            if row.flags & _ADVANCED and row.listed & _ADVANCED:
                advanced.append(Change(project=row.name, region=row.region, what=f"{row.old_stage}→{row.stage}"))
            if row.flags & _FUNDED and row.listed & _FUNDED:
                delta = Decimal(str(row.funds or 0)) - Decimal(str(row.old_funds or 0))
                funds.append(Change(project=row.name, region=row.region,
                                    what=f"到位资金增加 {format_value(float(delta), '亿元')}（累计 {format_value(row.funds, '亿元')}）",
                                    funds_added_yi_yuan=float(delta), funds_total_yi_yuan=row.funds))
            if row.flags & _PROGRESSED and row.listed & _PROGRESSED:
                progressed.append(Change(project=row.name, region=row.region,
                                         what=f"{cn_date(row.progress_on)}：{row.progress or ''}"))  # type: ignore[arg-type]
        stalled = [Change(project=r.name, region=r.region, what=f"{r.stage}，本期无变化") for r in stalled_rows
                   if r.listed & _STALLED]
        listed = [r for r in rows if r.listed]
        used = [(r.version_id, r.import_id) for r in listed] + [
            (r.old_version_id, r.old_import_id) for r in listed
            if r.old_version_id is not None and r.old_import_id is not None]
        rule = (f"比较 {cn_date(start)} 与 {cn_date(end)} 两个日期的项目台账历史（project_versions 中当日有效的版本）："
                "新增 = 后一日期才有的项目；推进 = 阶段前进、累计到位资金增加或进展日期更新；停滞 = 未投产且三者都没有变化；"
                f"各项个数由数据库按上述条件统计，行号为列出的项目（每项至多 {CHANGE_CAP} 个）在两个日期的版本")
        prov = provenance(session, "project_versions", used, None, rule)
    window = f"{cn_date(start)}—{cn_date(end)}"
    counts = {"新增": totals[_NEW], "阶段前进": totals[_ADVANCED], "资金到位": totals[_FUNDED],
              "进展更新": totals[_PROGRESSED], "停滞": totals[_STALLED]}
    tally = {id(added): counts["新增"], id(advanced): counts["阶段前进"], id(funds): counts["资金到位"],
             id(progressed): counts["进展更新"], id(stalled): counts["停滞"]}
    money = float(round2(funds_added)) if counts["资金到位"] else None

    figures = [Figure(label=f"{window}新增项目数", value=counts["新增"], unit="个", period=None, provenance=prov),
               Figure(label=f"{window}阶段前进项目数", value=counts["阶段前进"], unit="个", period=None, provenance=prov),
               Figure(label=f"{window}新到位资金", value=money, unit="亿元", period=None, provenance=prov),
               Figure(label=f"{window}停滞项目数", value=counts["停滞"], unit="个", period=None, provenance=prov)]

    def listing(changes: list[Change], cap: int = 12) -> str:
        text = "；".join(f"{c.project}（{c.region}）{c.what}" for c in changes[:cap])
        n = tally.get(id(changes), 0)
        return text + (f"等 {n} 个" if n > cap else "")

    parts = [f"周动态（{window}）：新增 {counts['新增']} 个项目" + (f"：{listing(added)}" if added else ""),
             f"阶段前进 {counts['阶段前进']} 个" + (f"：{listing(advanced)}" if advanced else ""),
             f"新到位资金 {format_value(money, '亿元')}" + (f"：{listing(funds)}" if funds else "（无数据）"),
             f"进展有更新 {counts['进展更新']} 个", f"停滞 {counts['停滞']} 个" + (f"：{listing(stalled)}" if stalled else "")]
    return WeeklyChanges(date_from=start, date_to=end, added=added[:CHANGE_CAP], advanced=advanced[:CHANGE_CAP],
                         funds=funds[:CHANGE_CAP], progressed=progressed[:CHANGE_CAP], stalled=stalled[:CHANGE_CAP],
                         counts=counts, funds_added_yi_yuan=money, figures=figures, provenance=prov,
                         summary="；".join(parts) + "。")
