"""Indicator rows for one period and metric, ranking, YoY and the city total. Used by indicators.py."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.db.models import Indicator, Region
from assistant.db.periods import Period
from assistant.db.units import round2, to_decimal
from assistant.tools.common import regions


@dataclass(frozen=True)
class Row:
    id: int
    import_id: int
    region: str
    is_city: bool
    value: Decimal | None
    yoy: Decimal | None
    target: Decimal | None

    @property
    def completion(self) -> Decimal | None:
        if self.value is None or not self.target:
            return None
        return round2(self.value / self.target * 100)


def load_rows(session: Session, period: Period, metric: str) -> list[Row]:
    """All regions' rows (including 全市) for one period and metric, in the bureau's table order."""
    stmt = (
        select(Indicator, Region)
        .join(Region, Indicator.region_id == Region.id)
        .where(Indicator.period == period.key, Indicator.metric == metric)
        .order_by(Region.sort_order)
    )
    dec = lambda v: None if v is None else to_decimal(v)  # noqa: E731
    return [
        Row(ind.id, ind.import_id, reg.name, reg.is_city, dec(ind.value), dec(ind.yoy_pct), dec(ind.annual_target))
        for ind, reg in session.execute(stmt)
    ]


def competition_rank(scores: Sequence[tuple[str, Decimal]]) -> dict[str, int]:
    """竞争排名：分数相同名次相同，下一名次顺延（1、2、2、4）。输入顺序决定并列者的列出顺序。"""
    ranks: dict[str, int] = {}
    previous: Decimal | None = None
    rank = 0
    for position, (name, score) in enumerate(sorted(scores, key=lambda s: -s[1]), start=1):
        if score != previous:
            rank, previous = position, score
        ranks[name] = rank
    return ranks


def pct(numerator: Decimal, denominator: Decimal) -> Decimal:
    return round2(numerator / denominator * 100)


def yoy_of(row: Row | None, prev: Row | None) -> tuple[Decimal | None, str | None]:
    if row is None:
        return None, None
    if row.yoy is not None:
        return row.yoy, "报表数"
    if row.value is not None and prev is not None and prev.value:
        return pct(row.value - prev.value, prev.value), "按上年同期数值计算"
    return None, None


@dataclass
class CityFigures:
    value: Decimal | None
    target: Decimal | None
    yoy: Decimal | None
    yoy_basis: str | None
    basis: str  # 全市行 / 各地区合计 / 无数据
    used: list[Row]
    missing: list[str]
    region_target_sum: Decimal | None


def city_figures(session: Session, period: Period, metric: str, rows: list[Row]) -> CityFigures:
    """The explicit 全市 row when present; else the sum of the regions, without a target (the city's
    target is set by the city and is not the sum of county targets)."""
    prev_rows = load_rows(session, period.previous_year(), metric)
    explicit = next((r for r in rows if r.is_city and r.value is not None), None)
    parts = [r for r in rows if not r.is_city and r.value is not None]
    names = {r.region for r in parts}
    missing = [r.name for r in regions(session) if not r.is_city and r.name not in names]
    targets = [r.target for r in rows if not r.is_city and r.target is not None]
    target_sum = sum(targets, Decimal(0)) if targets else None
    if explicit is not None:
        prev = next((r for r in prev_rows if r.is_city and r.value is not None), None)
        yoy, basis = yoy_of(explicit, prev)
        used = [explicit] + ([prev] if prev and basis == "按上年同期数值计算" else [])
        return CityFigures(explicit.value, explicit.target, yoy, basis, "全市行", used, missing, target_sum)
    if not parts:
        return CityFigures(None, None, None, None, "无数据", [], missing, target_sum)
    total = sum((r.value for r in parts if r.value is not None), Decimal(0))
    prev_parts = [r for r in prev_rows if r.region in names and r.value is not None]
    yoy = yoy_basis = None
    if len(prev_parts) == len(parts):
        prev_total = sum((r.value for r in prev_parts if r.value is not None), Decimal(0))
        if prev_total:
            yoy, yoy_basis = pct(total - prev_total, prev_total), "按上年同期各地区合计计算"
    used = parts + (prev_parts if yoy is not None else [])
    return CityFigures(total, None, yoy, yoy_basis, "各地区合计", used, missing, target_sum)
