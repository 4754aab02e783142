"""The 数据 tab's county table and completion chart, built from the figure tools' results, and the listing
of the declared tools. Pure: results (or declarations) in, escaped HTML (and an inline SVG chart) out."""

from __future__ import annotations

import inspect
import math
from collections.abc import Iterable
from dataclasses import dataclass

from assistant.db.errors import ImportRejected
from assistant.tools import CityTotalResult, FigureTool, LaggingResult, RankingResult, format_value
from assistant.tools.registry import param_help
from assistant.ui.answer_view import provenance_text
from assistant.ui.html import esc


@dataclass
class CountyRow:
    region: str
    rank: int | None
    value: float | None
    yoy_pct: float | None
    annual_target: float | None
    completion_pct: float | None
    gap_pct: float | None  # completion − schedule, in percentage points

    @property
    def lagging(self) -> bool:
        return self.gap_pct is not None and self.gap_pct < 0


@dataclass
class CountyTable:
    period_label: str
    metric: str
    unit: str
    schedule_pct: float
    rows: list[CountyRow]
    no_data: list[str]
    city: CityTotalResult | None
    source: str
    formula: str
    # For an account that sees only its own row: the lagging tool's own sentence, which counts the laggards
    # over every region (and withholds the count where inference control says so). Counting `rows` would say
    # "1" where ten regions lag.
    scoped_summary: str | None = None

    @property
    def laggards(self) -> list[CountyRow]:
        return [r for r in self.rows if r.lagging]


def county_table(by_value: RankingResult, by_completion: RankingResult, lagging: LaggingResult,
                 city: CityTotalResult | None, scoped: bool = False) -> CountyTable:
    """Every region with a value (ranked by completion where it has a target), then those without data.
    `scoped`: the results were narrowed to one account's region, so the summary is the lagging tool's."""
    ranks = {r.region: r.rank for r in by_completion.rows}
    schedule = lagging.schedule_pct
    rows = [
        CountyRow(r.region, ranks.get(r.region), r.value, r.yoy_pct, r.annual_target, r.completion_pct,
                  None if r.completion_pct is None else round(r.completion_pct - schedule, 2))
        for r in by_value.rows
    ]
    rows.sort(key=lambda r: (r.rank is None, r.rank or 0, -(r.value or 0)))
    rules = [rule for f in (by_completion.provenance.formula, lagging.provenance.formula) if f for rule in f.split("；")]
    formula = "；".join(dict.fromkeys(rules))  # both tools state the completion formula: say it once
    return CountyTable(by_value.period_label, by_value.metric, by_value.value_unit, schedule, rows,
                       by_value.no_data, city, provenance_text(by_value.provenance), formula,
                       scoped_summary=lagging.summary if scoped else None)


def _num(value: float | None, unit: str) -> str:
    return esc(format_value(value, unit))


def _gap(row: CountyRow) -> str:
    if row.gap_pct is None:
        return '<span class="zs-muted">无目标</span>'
    if row.lagging:
        return f'<span class="zs-badge zs-bad">滞后</span> 低 {abs(row.gap_pct):.2f} 个百分点'
    return f'<span class="zs-badge zs-good">达到</span> 超 {row.gap_pct:.2f} 个百分点'


def table_html(t: CountyTable) -> str:
    head = (f"<tr><th>排名</th><th>地区</th><th>数值（{esc(t.unit)}）</th><th>同比</th><th>年度目标（{esc(t.unit)}）</th>"
            f"<th>完成进度</th><th>对比序时进度（{t.schedule_pct:.2f}%）</th></tr>")
    body = []
    for r in t.rows:
        cls = ' class="zs-lagging"' if r.lagging else ""
        rank = str(r.rank) if r.rank is not None else "—"
        body.append(
            f"<tr{cls}><td class=\"zs-num\">{rank}</td><td>{esc(r.region)}</td><td class=\"zs-num\">{_num(r.value, '')}</td>"
            f"<td class=\"zs-num\">{_num(r.yoy_pct, '%')}</td><td class=\"zs-num\">{_num(r.annual_target, '')}</td>"
            f"<td class=\"zs-num\">{_num(r.completion_pct, '%')}</td><td>{_gap(r)}</td></tr>"
        )
    for region in t.no_data:
        body.append(f'<tr class="zs-nodata"><td class="zs-num">—</td><td>{esc(region)}</td>'
                    '<td colspan="5" class="zs-muted">无数据</td></tr>')
    foot = ""
    if t.city is not None and t.city.value is not None:
        c = t.city
        gap = "—" if c.completion_pct is None else f"{c.completion_pct - t.schedule_pct:+.2f} 个百分点"
        foot = (f'<tfoot><tr><td></td><td>全市（{esc(c.basis)}）</td><td class="zs-num">{_num(c.value, "")}</td>'
                f'<td class="zs-num">{_num(c.yoy_pct, "%")}</td><td class="zs-num">{_num(c.annual_target, "")}</td>'
                f'<td class="zs-num">{_num(c.completion_pct, "%")}</td><td>{esc(gap)}</td></tr></tfoot>')
    laggards = t.laggards
    summary = (f"低于序时进度的有 {len(laggards)} 个：{'、'.join(r.region for r in laggards)}（红色标出）。" if laggards
               else "各地区均达到序时进度。")
    lead = f"<b>{esc(t.period_label)} {esc(t.metric)}</b>：序时进度 {t.schedule_pct:.2f}%，{esc(summary)}"
    if t.scoped_summary is not None:
        lead = esc(t.scoped_summary)
    return (
        f'<div class="zs-fig-summary">{lead}</div>'
        f'<table class="zs-table zs-county" id="zs-county-table"><thead>{head}</thead><tbody>{"".join(body)}</tbody>'
        f"{foot}</table>"
        f'<div class="zs-prov-line">来源：项目数据库 {esc(t.source)}。{esc(t.formula)}</div>'
    )


def chart_svg(t: CountyTable) -> str:
    """Horizontal bars of completion by region with the 序时进度 line; laggards in red."""
    bars = [r for r in t.rows if r.completion_pct is not None]
    if not bars:
        return '<div class="zs-empty">该期间没有可计算完成进度的地区（缺少年度目标）。</div>'
    label_w, plot_w, right_w, row_h, top, bottom = 78, 340, 56, 24, 32, 28
    width = label_w + plot_w + right_w
    height = top + row_h * len(bars) + bottom
    top_value = max([100.0, t.schedule_pct, *(r.completion_pct or 0 for r in bars)]) * 1.05

    def x(value: float) -> float:
        return label_w + plot_w * max(value, 0) / top_value

    parts = [f'<svg class="zs-chart" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="{esc(t.period_label)} {esc(t.metric)} 各地区完成进度" xmlns="http://www.w3.org/2000/svg">']
    step = 25 * math.ceil(top_value / 200)
    for tick in range(0, int(top_value) + 1, step):
        parts.append(f'<line x1="{x(tick):.1f}" x2="{x(tick):.1f}" y1="{top - 6}" y2="{height - bottom}" class="zs-grid"/>'
                     f'<text x="{x(tick):.1f}" y="{height - bottom + 16}" class="zs-tick">{tick}%</text>')
    for i, r in enumerate(bars):
        y = top + i * row_h
        value = r.completion_pct or 0.0
        cls = "zs-bar-bad" if r.lagging else "zs-bar-good"
        parts.append(
            f'<text x="{label_w - 8}" y="{y + row_h / 2 + 4:.1f}" class="zs-label">{esc(r.region)}</text>'
            f'<rect x="{label_w}" y="{y + 5}" width="{x(value) - label_w:.1f}" height="{row_h - 10}" rx="3" class="{cls}">'
            f"<title>{esc(r.region)}：{value:.2f}%</title></rect>"
            f'<text x="{x(value) + 6:.1f}" y="{y + row_h / 2 + 4:.1f}" class="zs-value">{value:.2f}%</text>'
        )
    sx = x(t.schedule_pct)
    parts.append(f'<line x1="{sx:.1f}" x2="{sx:.1f}" y1="{top - 10}" y2="{height - bottom}" class="zs-schedule"/>'
                 f'<text x="{sx:.1f}" y="{top - 14}" class="zs-schedule-label">序时进度 {t.schedule_pct:.2f}%</text>')
    parts.append("</svg>")
    legend = ('<div class="zs-legend"><span><i class="zs-key-good"></i>达到序时进度</span>'
              '<span><i class="zs-key-bad"></i>低于序时进度</span><span><i class="zs-key-line"></i>序时进度线</span></div>')
    title = f'<div class="zs-chart-title">{esc(t.period_label)} {esc(t.metric)} 完成进度（完成值 ÷ 年度目标）</div>'
    return f'<div class="zs-chart-box" id="zs-chart">{title}{"".join(parts)}{legend}</div>'


def rejected_html(err: ImportRejected) -> str:
    """The importer's row-level report as a table: Excel row, column, value, reason."""
    rows = "".join(
        f"<tr><td class=\"zs-num\">{p.row}</td><td>{esc(p.column)}</td><td>{esc(p.value) if p.value.strip() else '（空）'}</td>"
        f"<td>{esc(p.reason)}</td></tr>"
        for p in err.problems
    )
    bad_rows = len({p.row for p in err.problems})
    head = (f"导入失败：文件“{err.path.name}”有 {bad_rows} 行数据有误（共 {len(err.problems)} 处），数据库未做任何修改。"
            "请修改以下各处后重新导入。")
    footer = "".join(f"<div>{esc(line)}</div>" for line in err.footer)
    return (f'<div class="zs-notice zs-error">{esc(head)}</div>'
            f'<table class="zs-table zs-problems"><thead><tr><th>行号（Excel）</th><th>列</th><th>值</th><th>原因</th></tr>'
            f"</thead><tbody>{rows}</tbody></table>{footer}")


SHOWN_EXAMPLES = 4  # per tool; the other phrasings fold under 更多说法


def _example(question: str) -> str:
    # The page script puts data-zs-ask into the question box on the 问答 tab; the text stays an attribute value.
    return f'<button type="button" class="zs-tool-ask" data-zs-ask="{esc(question)}">{esc(question)}</button>'


def _parameters(tool: FigureTool) -> str:
    helps = param_help(tool)
    parts = []
    for p in tool.parameters:
        required = p.default is inspect.Parameter.empty
        parts.append(f'<code title="{esc(helps[p.name])}">{esc(p.name)}</code>'
                     + ("" if required else '<span class="zs-muted">（可选）</span>'))
    return "、".join(parts) if parts else '<span class="zs-muted">无</span>'


def tool_card(tool: FigureTool) -> str:
    """One declared tool: title, what it answers, example questions, its API route, CLI command and parameters."""
    summary = tool.description.split("\n\n", 1)[0].replace("\n", "")
    shown, more = tool.examples[:SHOWN_EXAMPLES], tool.examples[SHOWN_EXAMPLES:]
    examples = "".join(_example(q) for q in shown)
    if more:
        examples += (f'<details class="zs-tool-more"><summary>更多说法（{len(more)}）</summary>'
                     f'{"".join(_example(q) for q in more)}</details>')
    return (
        f'<div class="zs-tool" id="zs-tool-{esc(tool.path)}"><div class="zs-tool-title">{esc(tool.title)}</div>'
        f'<div class="zs-tool-desc">{esc(summary)}</div>'
        f'<div class="zs-tool-examples">{examples}</div>'
        f'<div class="zs-tool-api">接口 <code>GET /api/figures/{esc(tool.path)}</code> · 命令 '
        f'<code>assistant figures {esc(tool.path)}</code> · 参数 {_parameters(tool)}</div></div>'
    )


def tools_html(tools: Iterable[FigureTool]) -> str:
    """Every declared read-only tool, in declaration order (the registry is the only list)."""
    cards = "".join(tool_card(t) for t in tools)
    if not cards:
        return '<div class="zs-empty">没有已声明的数据工具。</div>'
    return ('<div class="zs-tools-intro">问答中的数据问题由下列只读工具回答（每个数字都带来源）。点击示例问题可填入“问答”的输入框，'
            "改成要问的地区、期间后发送；程序调用见各工具的接口。</div>"
            f'<div class="zs-tools">{cards}</div>')
