"""Result types shared by the figure tools: every number travels with where it came from."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pydantic import BaseModel, computed_field

NO_DATA = "无数据"


class Provenance(BaseModel):
    """数据来源：表名、行号、期间、数据导入时间和计算公式。"""

    table: str
    row_ids: list[int]
    period: str | None = None
    as_of: str | None = None  # newest import time (UTC) among the rows used
    formula: str | None = None
    files: list[str] = []  # imported files the rows came from


def format_value(value: float | None, unit: str) -> str:
    """Chinese display of a figure; None is 无数据, never zero."""
    if value is None:
        return NO_DATA
    if unit == "%":
        return f"{value:.2f}%"
    if unit == "个百分点":
        return f"{value:.2f}个百分点"
    if unit == "位":
        return f"第{int(value)}位"
    if unit in ("个", "场", "项", "家"):
        return f"{int(value)}{unit}"
    return f"{value:.2f}{unit}"


def cn_date(d: date) -> str:
    """2024年3月5日: how every answer, ledger view and draft writes a date."""
    return f"{d.year}年{d.month}月{d.day}日"


def against_due(day: date, due: date, deadline: str) -> str:
    """比办结时限提前 11 天 / 比期限晚 3 天 / 恰在期限当天: a day against the deadline it was due by."""
    return (f"比{deadline}提前 {(due - day).days} 天" if day < due else f"比{deadline}晚 {(day - due).days} 天" if day > due
            else f"恰在{deadline}当天")


def window_label(date_from: date | None, date_to: date | None) -> str:
    """2023年4月1日至2023年6月30日 / 2023年4月1日以来 / 2023年6月30日以前, or "" with no window: a date window as
    the answers say it."""
    if date_from and date_to:
        return f"{cn_date(date_from)}至{cn_date(date_to)}"
    return f"{cn_date(date_from)}以来" if date_from else f"{cn_date(date_to)}以前" if date_to else ""


def solved_on(opened: date | None, closed: date, verb: str = "解决", due: date | None = None) -> str:
    """2023年3月20日解决（提出后 28 天，比办结时限提前 11 天）: when a problem was solved, how long it took from being
    raised and, with its 办结时限, how it stood against that."""
    took = [f"提出后 {(closed - opened).days} 天"] if opened and closed >= opened else []
    if due is not None:
        took.append(against_due(closed, due, "办结时限"))
    return f"{cn_date(closed)}{verb}" + (f"（{'，'.join(took)}）" if took else "")


class Figure(BaseModel):
    """一个可引用的数字：标签、数值、单位、期间和来源。对话引擎收集它们用于核对答案中的数字。"""

    label: str
    value: float | None
    unit: str
    period: str | None
    provenance: Provenance

    @computed_field  # type: ignore[prop-decorator]
    @property
    def text(self) -> str:
        return format_value(self.value, self.unit)


def as_float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


UNFILLED = "未填"  # the value of a filter picking the rows that leave its column empty (产业链一栏没标的)
