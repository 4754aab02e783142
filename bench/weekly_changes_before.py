"""周动态 as implemented before the windowed query (commit 1c17368), kept only so that bench/ledger_bench.py can
report the new tool's latency as a ratio against the old one on the same database in the same run. Not a tool:
it is not declared in the registry and nothing in the product calls it."""

# ruff: noqa: E501
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import aliased

from assistant.db.errors import InvalidValue
from assistant.db.models import Project, ProjectVersion, Region
from assistant.db.reference import PROJECT_STAGES
from assistant.db.session import FigureStore
from assistant.tools.common import provenance, resolve_region, scoped_region
from assistant.tools.lifecycle import CHANGE_CAP, Change, WeeklyChanges, cn_date, ledger_dates
from assistant.tools.types import Figure, format_value


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
        now_v, old_v = aliased(ProjectVersion), aliased(ProjectVersion)
        rank = {stage: i for i, stage in enumerate(PROJECT_STAGES)}
        is_new = old_v.id.is_(None)
        advanced_c = and_(~is_new, case(rank, value=now_v.stage) > case(rank, value=old_v.stage))
        funded_c = and_(~is_new, func.coalesce(now_v.funds_arrived_yi_yuan, 0)
                        > func.coalesce(old_v.funds_arrived_yi_yuan, 0) + 1e-9)
        progressed_c = and_(~is_new, now_v.progress_on.is_not(None),
                            or_(old_v.progress_on.is_(None), now_v.progress_on > old_v.progress_on))
        changed = or_(is_new, advanced_c, funded_c, progressed_c)
        # the two ledgers side by side, compared by the database: only changed rows (and 200 stalled) come back
        base = (select(now_v.id, now_v.import_id, old_v.id, old_v.import_id, Project.name, Region.name,
                       Region.sort_order, now_v.stage, old_v.stage, now_v.funds_arrived_yi_yuan,
                       old_v.funds_arrived_yi_yuan, now_v.progress_on, old_v.progress_on, now_v.progress)
                .select_from(now_v).join(Project, Project.id == now_v.project_id)
                .join(Region, Region.id == now_v.region_id)
                .outerjoin(old_v, and_(old_v.project_id == now_v.project_id, old_v.valid_from <= start,
                                       old_v.valid_to > start))
                .where(now_v.valid_from <= end, now_v.valid_to > end,
                       *([now_v.region_id == region_id] if region_id is not None else [])))
        # one pass over the join: the database flags each row; Python only splits and sorts the flagged ones
        flagged = list(session.execute(base.add_columns(case((changed, 1), else_=0))))
        moved_rows: list[Any] = sorted((r for r in flagged if r[14]), key=lambda r: (r[6], r[4]))
        still_rows = [r for r in flagged if not r[14] and r[7] != "投产"]
        stalled_total = len(still_rows)
        stalled_rows: list[Any] = sorted(still_rows, key=lambda r: (r[6], r[4]))[:CHANGE_CAP]
        added: list[Change] = []
        advanced: list[Change] = []
        funds: list[Change] = []
        progressed: list[Change] = []
        stalled: list[Change] = []
        added_money = Decimal(0)
        tally: dict[int, int] = {id(stalled): stalled_total}

        def note(changes: list[Change], row: Any, what: str) -> None:
            tally[id(changes)] = tally.get(id(changes), 0) + 1
            if len(changes) < CHANGE_CAP:  # past the cap only counted
                changes.append(Change(project=row[4], region=row[5], what=what))

        for row in moved_rows:
            now_stage, old_stage, now_funds, old_funds, now_on, old_on = row[7:13]
            if row[2] is None:
                note(added, row, f"新进入台账（{now_stage}）")
                continue
            if PROJECT_STAGES.index(now_stage) > PROJECT_STAGES.index(old_stage):
                note(advanced, row, f"{old_stage}→{now_stage}")
            if (now_funds or 0) > (old_funds or 0) + 1e-9:
                delta = Decimal(str(now_funds or 0)) - Decimal(str(old_funds or 0))
                added_money += delta
                note(funds, row, f"到位资金增加 {format_value(float(delta), '亿元')}（累计 {format_value(now_funds, '亿元')}）")
            if now_on and (old_on is None or now_on > old_on):
                note(progressed, row, f"{cn_date(now_on)}：{row[13] or ''}")
        stalled.extend(Change(project=r[4], region=r[5], what=f"{r[7]}，本期无变化") for r in stalled_rows)
        used = [(r[0], r[1]) for r in moved_rows + stalled_rows] + [(r[2], r[3]) for r in moved_rows + stalled_rows
                                                                     if r[2] is not None]
        rule = (f"比较 {cn_date(start)} 与 {cn_date(end)} 两个日期的项目台账历史（project_versions 中当日有效的版本）："
                "新增 = 后一日期才有的项目；推进 = 阶段前进、累计到位资金增加或进展日期更新；停滞 = 未投产且三者都没有变化；"
                "行号为有变化的项目和列出的停滞项目的版本")
        prov = provenance(session, "project_versions", used, None, rule)
    window = f"{cn_date(start)}—{cn_date(end)}"
    money = float(added_money) if funds else None
    counts = {label: tally.get(id(changes), 0) for label, changes in (
        ("新增", added), ("阶段前进", advanced), ("资金到位", funds), ("进展更新", progressed), ("停滞", stalled))}

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

