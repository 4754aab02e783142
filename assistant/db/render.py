"""Plain-text tables for the terminal. Chinese characters count as two columns."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from typing import Any

from pydantic import BaseModel

from assistant.tools.indicators import (
    RANK_BASES,
    CityTotalResult,
    IndicatorResult,
    LaggingResult,
    RankingResult,
)
from assistant.tools.ledger import EventList, ProblemList
from assistant.tools.projects import ProjectList, ProjectStats
from assistant.tools.types import NO_DATA, Provenance, format_value


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool) -> str:
    gap = " " * (width - _width(text))
    return gap + text if right else text + gap


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[int] = ()) -> str:
    """Aligned columns; indexes in `right` are right-aligned (numbers)."""
    widths = [max([_width(h)] + [_width(r[i]) for r in rows]) for i, h in enumerate(headers)]
    lines = ["  ".join(_pad(h, widths[i], i in right) for i, h in enumerate(headers))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(_pad(cell, widths[i], i in right) for i, cell in enumerate(r)) for r in rows]
    return "\n".join(line.rstrip() for line in lines)


def _num(value: float | None, unit: str = "") -> str:
    if value is None:
        return NO_DATA
    return format_value(value, unit) if unit else f"{value:.2f}"


def _source(prov: Provenance) -> str:
    files = "、".join(prov.files) or "无"
    lines = [f"来源：{prov.table} 表 {len(prov.row_ids)} 行；文件：{files}；导入时间：{prov.as_of or '无'}（UTC）"]
    if prov.formula:
        lines.append(f"公式：{prov.formula}")
    return "\n".join(lines)


def indicator(r: IndicatorResult) -> str:
    rows = [
        ["数值", _num(r.value, r.unit) + (f"（{r.basis}）" if r.basis and r.basis != "无数据" else "")],
        ["同比", _num(r.yoy_pct, "%") + (f"（{r.yoy_basis}）" if r.yoy_basis and r.yoy_basis != "报表数" else "")],
        ["年度目标", _num(r.annual_target, r.unit)],
        ["完成进度", _num(r.completion_pct, "%")],
        ["序时进度", _num(r.schedule_pct, "%")],
        ["完成进度排名", f"{r.rank} / {r.ranked_regions}" if r.rank is not None else NO_DATA if not r.basis else "不参与"],
    ]
    return "\n".join([f"{r.region} {r.period_label} {r.metric}", table(["项目", "值"], rows), _source(r.provenance)])


def ranking(r: RankingResult) -> str:
    by = RANK_BASES[r.by][0]
    rows = [[str(x.rank), x.region, _num(x.value), _num(x.yoy_pct, "%"), _num(x.annual_target),
             _num(x.completion_pct, "%")] for x in r.rows]
    headers = ["排名", "地区", f"数值（{r.value_unit}）", "同比", f"年度目标（{r.value_unit}）", "完成进度"]
    parts = [f"{r.period_label} {r.metric} 按{by}排名", table(headers, rows, right=(0, 2, 3, 4, 5))]
    if r.no_data:
        parts.append(f"无数据：{'、'.join(r.no_data)}")
    parts.append(_source(r.provenance))
    return "\n".join(parts)


def lagging(r: LaggingResult) -> str:
    parts = [f"{r.period_label} {r.metric}：序时进度 {r.schedule_pct:.2f}%"]
    if r.lagging:
        rows = [[x.region, _num(x.value, r.unit), _num(x.annual_target, r.unit), _num(x.completion_pct, "%"),
                 f"{x.gap_pct:.2f}"] for x in r.lagging]
        parts.append(table(["地区", "数值", "年度目标", "完成进度", "低于序时（百分点）"], rows, right=(1, 2, 3, 4)))
    parts.append(r.summary)
    if r.no_target:
        parts.append(f"缺年度目标、无法判断：{'、'.join(r.no_target)}")
    parts.append(_source(r.provenance))
    return "\n".join(parts)


def city(r: CityTotalResult) -> str:
    rows = [["口径", r.basis], ["数值", _num(r.value, r.unit)], ["同比", _num(r.yoy_pct, "%")],
            ["年度目标", _num(r.annual_target, r.unit)], ["完成进度", _num(r.completion_pct, "%")],
            ["各县区目标之和", _num(r.regions_target_sum, r.unit)]]
    return "\n".join([f"全市 {r.period_label} {r.metric}", table(["项目", "值"], rows), r.summary,
                      _source(r.provenance)])


def project_stats(r: ProjectStats) -> str:
    head = [[f.label.split(" ", 1)[-1], f.text] for f in r.figures]
    parts = [r.summary.split("：", 1)[0], table(["指标", "值"], head, right=(1,))]
    for title, groups in (("按阶段", r.by_stage), ("按产业链", r.by_chain), ("按地区", r.by_region)):
        rows = [[g.name, str(g.count), _num(g.investment_yi_yuan)] for g in groups]
        parts += ["", title, table(["分组", "项目数", "总投资（亿元）"], rows, right=(1, 2))]
    if r.missing_investment:
        parts.append(f"注：{r.missing_investment} 个项目未填总投资，不计入投资合计。")
    parts.append(_source(r.provenance))
    return "\n".join(parts)


def project_list(r: ProjectList) -> str:
    rows = [[x.name, x.region, x.chain or "—", x.stage, _num(x.total_investment_yi_yuan),
             x.signed_on.isoformat() if x.signed_on else "—", _num(x.funds_arrived_yi_yuan)] for x in r.items]
    headers = ["项目名称", "地区", "产业链", "阶段", "总投资（亿元）", "签约日期", "到位资金（亿元）"]
    return "\n".join([table(headers, rows, right=(4, 6)), r.summary, _source(r.provenance)])


def events(r: EventList) -> str:
    rows = [[e.held_on.isoformat(), e.city, e.title, str(e.contracts_signed) if e.contracts_signed is not None
             else NO_DATA, _num(e.amount_yi_yuan)] for e in r.items]
    return "\n".join([table(["日期", "城市", "活动", "签约项目数", "签约金额（亿元）"], rows, right=(3, 4)),
                      r.summary, _source(r.provenance)])


def problems(r: ProblemList) -> str:
    rows = [[p.code, p.region, p.project or "—", p.description, p.department, p.status, p.opened_on.isoformat()]
            for p in r.items]
    return "\n".join([table(["编号", "地区", "项目", "问题", "责任部门", "状态", "提出日期"], rows), r.summary,
                      _source(r.provenance)])


def generic(r: BaseModel) -> str:
    """Any tool result without a table of its own: its summary and its source."""
    parts = [str(getattr(r, "summary", ""))]
    prov = getattr(r, "provenance", None)
    if isinstance(prov, Provenance):
        parts.append(_source(prov))
    return "\n".join(p for p in parts if p)


RENDERERS: dict[type[BaseModel], Callable[[Any], str]] = {
    IndicatorResult: indicator, RankingResult: ranking, LaggingResult: lagging, CityTotalResult: city,
    ProjectStats: project_stats, ProjectList: project_list, EventList: events, ProblemList: problems,
}


def result(r: BaseModel) -> str:
    """The terminal view of a figure tool's result."""
    return RENDERERS.get(type(r), generic)(r)
