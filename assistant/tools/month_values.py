"""One month's own figure (7月当月引进内资多少): the indicator tables hold cumulative figures from 1 January, so a
single month is this month's cumulative figure less the previous month's."""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel

from assistant.db.periods import Period, parse_period
from assistant.db.session import FigureStore
from assistant.tools.indicators import get_indicator
from assistant.tools.registry import figure_tool
from assistant.tools.types import Figure, Provenance, as_float, format_value


class MonthValue(BaseModel):
    region: str
    month: str  # 2023年7月
    metric: str
    unit: str
    value: float | None  # the month's own figure; None when either cumulative figure is missing
    cumulative: float | None  # 1 January to the month's end
    before: float | None  # 1 January to the previous month's end (0 for January)
    before_period: str | None
    figures: list[Figure]
    provenance: Provenance
    summary: str


@figure_tool(
    "某地区某月当月（单月）的指标数值：本月累计减上月累计",
    examples=[
        "全市7月当月引进内资多少亿", "汉阴县6月份单月外资到位多少", "高新区3月单月引进内资多少",
        "7月一个月全市引进了多少内资", "上个月当月外资到位多少万美元",
    ],
    slots={"region": "region", "period": "period", "metric": "metric"},
    requires=("single_month",),
    path="month-value",
)
def month_value(store: FigureStore, region: str, period: str, metric: str) -> MonthValue:
    """某地区某月当月（单月）的指标数值。指标表为自1月1日起的累计数，当月数值 = 本月累计 − 上月累计（1月即1月累计）。

    region：地区名或简称，“全市”表示全市；period：月份，如“2023-07”（7月当月）“2023Q2”（6月当月）；
    metric：指标，如“实际引进内资”（亿元）或“外商直接投资”（万美元），也认“内资”“外资”。
    """
    p = parse_period(period)
    month_label = f"{p.year}年{p.month}月"
    now = get_indicator(store, region, p.key, metric)
    before: Period | None = parse_period(f"{p.year}-{p.month - 1:02d}") if p.month > 1 else None
    earlier = get_indicator(store, region, before.key, metric) if before else None
    base = Decimal("0") if before is None else (Decimal(str(earlier.value)) if earlier and earlier.value is not None
                                                else None)
    value = (Decimal(str(now.value)) - base) if now.value is not None and base is not None else None
    subject = f"{now.region} {month_label}当月 {now.metric}"
    if before is None:
        rule = f"{month_label}当月 = 1月累计"
    else:
        rule = f"{month_label}当月 = {p.label}累计 − {before.label}累计"
    rows = sorted(set(now.provenance.row_ids) | set(earlier.provenance.row_ids if earlier else []))
    prov = now.provenance.model_copy(update={
        "row_ids": rows, "formula": rule,
        "files": sorted(set(now.provenance.files) | set(earlier.provenance.files if earlier else [])),
    })
    missing_key = p.key if now.value is None or before is None else before.key
    if value is None:
        missing = p.label if now.value is None or before is None else before.label
        summary = f"{subject}：无数据（没有{missing}的累计数，算不出当月数值）。"
    else:
        summary = (f"{subject}：{format_value(as_float(value), now.unit)}"
                   + (f"（{p.label}累计 {format_value(now.value, now.unit)} − {before.label}累计 "
                      f"{format_value(earlier.value if earlier else None, now.unit)}）" if before else "（即1月累计）")
                   + "。")
    # a missing figure names the cumulative period that is missing (1-5月 for 6月当月)
    figures = [Figure(label=subject, value=as_float(value) if value is not None else None, unit=now.unit,
                      period=p.key if value is not None else missing_key, provenance=prov)]
    return MonthValue(region=now.region, month=month_label, metric=now.metric, unit=now.unit,
                      value=as_float(value) if value is not None else None, cumulative=now.value,
                      before=earlier.value if earlier else (0.0 if before is None else None),
                      before_period=before.key if before else None, figures=figures, provenance=prov,
                      summary=summary)
