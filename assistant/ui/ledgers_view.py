"""The 台账 tab's tables, a project's timeline and the 考核 ranking with its drill-down, as escaped HTML. Pure: views
and tool results in, markup out. Rows carry their status as a class (zs-tone-滞后 …) and a badge, so the colour
and the word always agree."""

from __future__ import annotations

from datetime import date

from assistant.db.periods import parse_period
from assistant.ledgers.table import cell_text
from assistant.ledgers.views import PAGE_ROWS, LedgerView, ProjectTimeline, Value
from assistant.tools.assessment import AssessmentResult, CountyScore
from assistant.tools.types import cn_date
from assistant.ui.html import esc

SHOWN_ROWS = PAGE_ROWS  # rows on the page; the export holds every row of the view
TONES = {"正常": "good", "预警": "warn", "滞后": "bad", "逾期": "bad", "已解决": "done"}


def _value(value: Value, kind: str) -> str:
    if value is None or value == "":
        return '<span class="zs-muted">—</span>'
    return esc(cell_text(value, kind))


def _badge(tone: str | None, text: str) -> str:
    cls = TONES.get(tone or "")
    return f'<span class="zs-badge zs-tone-{cls}">{esc(text)}</span>' if cls else esc(text)


def _status_cell(tone: str | None, value: str) -> str:
    """The status word in its colour; an open problem past its deadline gets a red 逾期 beside its status."""
    if tone == value:
        return _badge(tone, value)
    if tone == "逾期":
        return esc(value) + " " + _badge("逾期", "逾期")
    return esc(value)


def counts_line(view: LedgerView) -> str:
    """正常 36 · 预警 2 · 滞后 3, each in its colour."""
    if not view.counts:
        return ""
    order = [t for t in TONES if t in view.counts]
    return " ".join(_badge(t, f"{t} {view.counts[t]}") for t in order)


def ledger_html(view: LedgerView, limit: int = SHOWN_ROWS) -> str:
    if not view.rows:
        return (f'<div class="zs-ledger-summary">{esc(view.title)}：没有符合条件的记录。</div>'
                f'<div class="zs-prov-line">{esc(view.rule)}</div>')
    head = "".join(f"<th>{esc(c.name)}</th>" for c in view.columns)
    body = []
    for row in view.rows[:limit]:
        cells = []
        for column, value in zip(view.columns, row.values, strict=True):
            if column.kind == "status" and value:
                cells.append(f"<td>{_status_cell(row.tone, str(value))}</td>")
            elif column.kind in ("amount", "count"):
                cells.append(f'<td class="zs-num">{_value(value, column.kind)}</td>')
            elif column.kind == "date":
                cells.append(f'<td class="zs-date">{_value(value, column.kind)}</td>')
            else:
                cells.append(f"<td>{_value(value, column.kind)}</td>")
        tone = TONES.get(row.tone or "")
        cls = f' class="zs-tone-row-{tone}"' if tone else ""
        body.append(f'<tr{cls} data-key="{esc(row.key)}">{"".join(cells)}</tr>')
    shown = len(body)
    total = view.matched
    lead = f"{esc(view.title)}：共 {total} 条"
    if shown < total:
        lead += f"，页面显示前 {shown} 条（导出的 Excel 含全部 {total} 条）"
    if view.as_of:
        lead += f"，台账日期 {esc(cn_date(view.as_of))}"
    counts = counts_line(view)
    return (f'<div class="zs-ledger-summary">{lead}。{counts}</div>'
            f'<div class="zs-ledger-scroll"><table class="zs-table zs-ledger" id="zs-ledger-{esc(view.kind)}">'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
            f'<div class="zs-prov-line">{esc(view.rule)}</div>')


def timeline_html(t: ProjectTimeline) -> str:
    steps = []
    for m in t.milestones:
        done = m.on is not None
        cls = "zs-step-done" if done else "zs-step-todo"
        if m.stage == t.stage:
            cls += " zs-step-now"
        when = esc(m.on.isoformat()) if m.on else '<span class="zs-muted">—</span>'
        steps.append(f'<li class="{cls}"><div class="zs-step-name">{esc(m.stage)}</div><div class="zs-step-date">{when}</div></li>')
    deadline = f"约定开工期限 {esc(t.deadline.isoformat())}；" if t.deadline else ""
    head = (f'<div class="zs-timeline-head"><b>{esc(t.name)}</b>（{esc(t.region)}'
            f"{'，' + esc(t.chain) if t.chain else ''}）当前阶段：{esc(t.stage)}；{deadline}"
            f"{_badge(t.status, t.status)} {esc(t.reason)}（{esc(cn_date(t.as_of))}台账）</div>")
    if t.versions:
        rows = "".join(
            f"<tr><td>{esc(v.valid_from.isoformat())}</td><td>{esc(v.valid_to.isoformat()) if v.valid_to else '至今'}</td>"
            f"<td>{esc(v.stage)}</td><td class=\"zs-num\">{_value(v.total, 'amount')}</td>"
            f"<td class=\"zs-num\">{_value(v.funds, 'amount')}</td><td>{_value(v.progress, 'text')}</td>"
            f"<td>{_value(v.progress_on, 'date')}</td></tr>" for v in t.versions)
        history = (f'<div class="zs-timeline-sub">台账历史（每个版本自某个填报日期起有效，共 {len(t.versions)} 个）</div>'
                   '<table class="zs-table zs-versions" id="zs-timeline-versions"><thead><tr><th>自</th><th>至</th>'
                   "<th>阶段</th><th>总投资（亿元）</th><th>累计到位资金（亿元）</th><th>最新进展</th><th>进展日期</th></tr>"
                   f"</thead><tbody>{rows}</tbody></table>")
    else:
        history = '<div class="zs-muted">该项目没有带填报日期的台账历史。</div>'
    problems = ""
    if t.problems:
        problems = ('<div class="zs-timeline-sub">问题台账</div><ul class="zs-timeline-problems">'
                    + "".join(f"<li>{esc(code)}（{esc(status)}）{esc(text)}</li>" for code, status, text in t.problems)
                    + "</ul>")
    return (f'<div class="zs-timeline" id="zs-timeline">{head}<ol class="zs-steps">{"".join(steps)}</ol>'
            f"{history}{problems}</div>")


# ---- 考核 -------------------------------------------------------------------------------------


def assessment_html(result: AssessmentResult) -> str:
    """Each county's total and rank within its class; the points it lost most on."""
    if not result.rows:
        return '<div class="zs-empty">没有可显示的考核结果。</div>'
    body = []
    for s in result.rows:
        lost = sorted((p for p in s.points if p.lost > 0), key=lambda p: -p.lost)[:2]
        reasons = "、".join(f"{p.indicator} 失 {p.lost:.2f} 分" for p in lost) or "无失分"
        last = s.rank_in_class == s.class_size and s.class_size > 1
        cls = ' class="zs-tone-row-bad"' if last else ""
        body.append(f'<tr{cls} data-region="{esc(s.region)}"><td>{esc(s.county_class)}</td>'
                    f'<td class="zs-num">{s.rank_in_class} / {s.class_size}</td><td>{esc(s.region)}</td>'
                    f'<td class="zs-num">{s.total:.2f}</td><td>{esc(reasons)}</td></tr>')
    as_of = cn_date(date.fromisoformat(result.ledger_as_of))
    return (f'<div class="zs-fig-summary"><b>{esc(result.scheme)}</b>：{esc(parse_period(result.period).label)}，'
            f"项目比率按{esc(as_of)}台账。各类别最后一名标红；在上方选择县区查看每一分的来源。</div>"
            '<table class="zs-table" id="zs-assessment-table"><thead><tr><th>类别</th><th>类别内排名</th><th>地区</th>'
            f"<th>总分</th><th>主要失分</th></tr></thead><tbody>{''.join(body)}</tbody></table>"
            f'<div class="zs-prov-line">{esc(result.provenance.formula or "")}</div>')


def score_html(score: CountyScore, details: list[tuple[str, LedgerView | None]]) -> str:
    """One county's points: actual, target, weight, score, the formula; under each, the rows it came from."""
    parts = [f'<div class="zs-fig-summary"><b>{esc(score.region)}</b> 得 {score.total:.2f} 分，在{esc(score.county_class)}'
             f"（共 {score.class_size} 个）中排第 {score.rank_in_class} 名。</div>"]
    for point, (_, view) in zip(score.points, details, strict=True):
        actual = "无数据" if point.actual is None else f"{point.actual:.2f}%"
        tone = "bad" if point.lost > 0 else "good"
        parts.append(
            f'<details class="zs-score-point" data-indicator="{esc(point.indicator)}"><summary>'
            f'<span class="zs-badge zs-tone-{tone}">{point.score:.2f} / {point.weight:g} 分</span> '
            f"<b>{esc(point.indicator)}</b>：实际 {esc(actual)}，目标 {point.target:.2f}%</summary>"
            f'<div class="zs-score-formula">公式：{esc(point.formula)}；得分 = min(实际 ÷ 目标, 1) × 权重 = '
            f"min({esc(actual)} ÷ {point.target:.2f}%, 1) × {point.weight:g} = {point.score:.2f}</div>"
            f"<div class=\"zs-prov-line\">来源：{esc(point.table)} 表 {len(point.row_ids)} 行</div>"
            + (ledger_html(view, limit=200) if view is not None else "")
            + "</details>")
    return f'<div class="zs-score" id="zs-score-detail">{"".join(parts)}</div>'
