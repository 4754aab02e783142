"""How the onboarding course is shown in the 入职学习 tab: glossary cards with their cited sentence,
the indicator definitions, the reading path, quiz questions with their explanations, and past results.
Pure functions: models in, escaped HTML out."""

from __future__ import annotations

import time

from assistant.onboarding.glossary import Term
from assistant.onboarding.indicators import IndicatorDefinition
from assistant.onboarding.quiz import Question
from assistant.onboarding.reading import ReadingItem
from assistant.onboarding.sources import Source
from assistant.ui.answer_view import provenance_text
from assistant.ui.html import esc, highlight

GLOSSARY_EMPTY = "知识库中还没有可提取的术语。入库应知应会手册、政策文件等文档后，这里会列出术语及其原文出处。"
DASH = "—"


def search_terms(terms: list[Term], query: str) -> list[Term]:
    """Terms whose name or alias matches the query (exact names first), then those whose definition
    mentions it."""
    query = query.strip().strip("“”\"")
    if not query:
        return terms
    q = query.lower()
    exact = [t for t in terms if q in (t.term.lower(), *(a.lower() for a in t.aliases))]
    named = [t for t in terms if t not in exact and any(q in n.lower() for n in (t.term, *t.aliases))]
    defined = [t for t in terms if t not in exact and t not in named and q in t.definition.lower()]
    return exact + named + defined


def source_html(source: Source, mark: str = "") -> str:
    """《标题》 文号 › 章节, then the quoted sentence (with `mark` highlighted) and where it is."""
    number = f'<span class="zs-docnum">{esc(source.doc_number)}</span>' if source.doc_number else ""
    section = f'<div class="zs-section">{esc(source.section)}</div>' if source.section else ""
    return (f'<div class="zs-term-source"><div class="zs-source-head"><span class="zs-label">出处</span>'
            f'<span class="zs-title">《{esc(source.title)}》</span>{number}</div>{section}'
            f'<div class="zs-passage">{highlight(source.quote, mark)}</div>'
            f'<div class="zs-where">{esc(source.file_name)}，第 {source.start}–{source.end} 字</div></div>')


def term_card(t: Term) -> str:
    aliases = f'<span class="zs-term-alias">又称：{esc("、".join(t.aliases))}</span>' if t.aliases else ""
    kind = ('<span class="zs-badge zs-curated">人工整理</span>' if t.curated
            else '<span class="zs-badge zs-extracted">原文定义</span>')
    mark = next((n for n in (t.term, *t.aliases) if n in t.source.quote), "")
    return (f'<div class="zs-term-card"><div class="zs-term-head"><span class="zs-term-name">{esc(t.term)}</span>'
            f'{kind}{aliases}</div><div class="zs-term-def">{esc(t.definition)}</div>{source_html(t.source, mark)}</div>')


def glossary_html(terms: list[Term], query: str, total: int, problems: list[str]) -> str:
    """The caption, the matching cards, and the curated entries that could not be used (not hidden)."""
    query = query.strip()
    if not total:
        body = f'<div class="zs-empty">{esc(GLOSSARY_EMPTY)}</div>'
    elif not terms:
        body = f'<div class="zs-empty">术语表中没有“{esc(query)}”。可以换个说法，或在“问答”页直接提问。</div>'
    else:
        caption = f"找到 {len(terms)} 个与“{query}”相关的术语（共 {total} 个）" if query else f"共 {total} 个术语"
        body = f'<div class="zs-caption-left">{esc(caption)}</div>' + "".join(term_card(t) for t in terms)
    if problems:
        items = "".join(f"<li>{esc(p)}</li>" for p in problems)
        body += (f'<details class="zs-src zs-problems-list"><summary>术语表中有 {len(problems)} 个整理条目未收录'
                 f"（出处未在知识库中找到）</summary><ul>{items}</ul></details>")
    return body


def _source_cell(d: IndicatorDefinition) -> str:
    if d.source is None:
        return f'<span class="zs-muted">{DASH}</span>'
    return esc(d.source.label())


def indicators_html(definitions: list[IndicatorDefinition]) -> str:
    """Two tables: the database's metrics (unit, what they count) and the computed rates (formula)."""
    metrics = [d for d in definitions if d.unit]
    derived = [d for d in definitions if not d.unit]
    rows = "".join(
        f'<tr><td class="zs-strong">{esc(d.name)}</td><td>{esc(d.unit)}</td>'
        f"<td>{esc(d.counts) if d.counts else DASH}</td><td class=\"zs-prov\">{_source_cell(d)}</td></tr>"
        for d in metrics
    )
    formulas = "".join(
        f'<tr><td class="zs-strong">{esc(d.name)}</td><td class="zs-formula">{esc(d.formula) or DASH}</td>'
        f"<td>{esc(d.counts) if d.counts else DASH}</td><td class=\"zs-prov\">{_source_cell(d)}</td></tr>"
        for d in derived
    )
    return (
        '<div class="zs-sub-title">数据库中的指标（统计口径）</div>'
        '<table class="zs-table zs-defs" id="zs-metric-defs"><thead><tr><th>指标</th><th>单位</th><th>统计口径</th>'
        f"<th>出处</th></tr></thead><tbody>{rows}</tbody></table>"
        '<div class="zs-sub-title">计算口径（与数据工具使用同一份公式）</div>'
        '<table class="zs-table zs-defs" id="zs-formula-defs"><thead><tr><th>名称</th><th>计算公式</th><th>说明</th>'
        f"<th>出处</th></tr></thead><tbody>{formulas}</tbody></table>"
    )


def reading_html(items: list[ReadingItem]) -> str:
    if not items:
        return '<div class="zs-empty">知识库中还没有文档。</div>'
    cards = []
    for item in items:
        meta = [m for m in (item.doc_number, item.genre, item.date, item.file_name) if m]
        summary = (f'<div class="zs-read-summary"><span class="zs-label">摘要</span>{esc(item.summary)}</div>'
                   if item.summary else "")
        cards.append(
            f'<div class="zs-read-item"><div class="zs-read-n">{item.order}</div><div class="zs-read-body">'
            f'<div class="zs-title">《{esc(item.title)}》</div><div class="zs-sub">{esc(" · ".join(meta))}</div>'
            f'<div class="zs-read-why"><span class="zs-label">为什么读</span>{esc(item.why)}</div>{summary}</div></div>'
        )
    return f'<div class="zs-reading" id="zs-reading-list">{"".join(cards)}</div>'


def question_html(number: int, q: Question) -> str:
    kind = "单选" if q.kind == "choice" else "填空"
    return (f'<div class="zs-quiz-prompt"><span class="zs-quiz-n">第 {number} 题</span>'
            f'<span class="zs-badge zs-extracted">{esc(q.topic)} · {kind}</span>'
            f'<div class="zs-quiz-text">{esc(q.prompt)}</div></div>')


def explanation_html(q: Question, given: str, correct: bool) -> str:
    """Right or wrong, the answer, why, and where it is written."""
    if correct:
        verdict = '<span class="zs-badge zs-good">✓ 回答正确</span>'
    else:
        yours = f"，您的答案：{esc(given)}" if given.strip() else ""
        verdict = f'<span class="zs-badge zs-bad">✗ 回答错误</span><span>正确答案：<b>{esc(q.answer)}</b>{yours}</span>'
    if q.source is not None:
        where = source_html(q.source, q.answer)
    elif q.provenance is not None:
        formula = f'<div class="zs-sub">{esc(q.provenance.formula)}</div>' if q.provenance.formula else ""
        where = (f'<div class="zs-term-source"><div class="zs-source-head"><span class="zs-label">来源</span>'
                 f"<span>项目数据库 {esc(provenance_text(q.provenance))}</span></div>{formula}</div>")
    else:
        where = ""
    return (f'<div class="zs-quiz-feedback zs-quiz-{"right" if correct else "wrong"}">'
            f'<div class="zs-quiz-verdict">{verdict}</div><div class="zs-quiz-expl">{esc(q.explanation)}</div>{where}</div>')


def score_html(score: int, total: int) -> str:
    pct = round(score * 100 / total) if total else 0
    kind = "ok" if pct >= 80 else "warn" if pct >= 60 else "error"
    advice = "掌握得很好！" if pct >= 80 else "建议对照上面各题的解析和出处，再读一遍相关文件。"
    return (f'<div class="zs-notice zs-{kind} zs-score" id="zs-quiz-score"><b>得分：{score} / {total}</b>'
            f"（正确率 {pct}%）{esc(advice)}成绩已保存。</div>")


def history_html(history: list[tuple[float, int, int]], shown: int = 10) -> str:
    """Past results, newest first."""
    if not history:
        return '<div class="zs-empty">还没有测验记录。</div>'
    rows = "".join(
        f'<tr><td>{time.strftime("%Y-%m-%d %H:%M", time.localtime(taken))}</td><td class="zs-num">{score} / {total}</td>'
        f'<td class="zs-num">{round(score * 100 / total) if total else 0}%</td></tr>'
        for taken, score, total in list(reversed(history))[:shown]
    )
    more = f'<div class="zs-sub">共 {len(history)} 次，显示最近 {shown} 次。</div>' if len(history) > shown else ""
    return (f'<table class="zs-table" id="zs-quiz-history"><thead><tr><th>时间</th><th>得分</th><th>正确率</th></tr>'
            f"</thead><tbody>{rows}</tbody></table>{more}")
