"""What the 入职学习 tab and the chat's glossary links show, from plain models. No browser, no server."""

from __future__ import annotations

from assistant.answer.types import Answer
from assistant.onboarding.glossary import Term
from assistant.onboarding.indicators import IndicatorDefinition
from assistant.onboarding.quiz import Question
from assistant.onboarding.reading import ReadingItem
from assistant.onboarding.sources import Source
from assistant.tools.types import Provenance
from assistant.ui.answer_view import answer_message, term_spans
from assistant.ui.learning_view import (
    explanation_html,
    glossary_html,
    history_html,
    indicators_html,
    reading_html,
    score_html,
    search_terms,
)


def _source(quote: str, title: str = "安康招商人应知应会手册（节选）") -> Source:
    return Source(title=title, doc_number="", section="一、工作方法类", file_name="手册.md", quote=quote, start=10,
                  end=10 + len(quote))


def _term(term: str, definition: str, quote: str, aliases: list[str] | None = None, curated: bool = True) -> Term:
    return Term(term=term, definition=definition, aliases=aliases or [], curated=curated, source=_source(quote))


MANAGER = _term("项目管家", "为单个重点项目指定的帮办代办人员<b>。", "本办法所称“项目管家”，是指帮办代办人员。")
FDI = _term("外商直接投资", "只算境外直投。", "二是外商直接投资。只统计境外直投", aliases=["外资"])
FRAMEWORK = _term("一图五库两机制", "产业链招商的基础工作法。", "“一图五库两机制”。这是基础工作法", aliases=["一图五库"])
CHAIN = _term("链长制", "每条产业链由一位市级领导任链长。", "全市对重点产业链实行链长制，由项目管家配合", curated=False)
TERMS = [MANAGER, FDI, FRAMEWORK, CHAIN]


def test_only_the_first_mention_of_a_term_is_linked_and_never_inside_a_document_title() -> None:
    text = "据《项目管家帮办代办服务办法》，项目管家全程服务；项目管家由县级领导担任。"
    [(start, end, term)] = term_spans(text, [MANAGER])
    assert term is MANAGER and text[start:end] == "项目管家" and start == text.index("，项目管家") + 1


def test_the_longest_name_wins_and_an_alias_counts_as_the_term() -> None:
    text = "推行一图五库两机制，补齐外资短板，外商直接投资增长。"
    spans = [(text[s:e], t.term) for s, e, t in term_spans(text, TERMS)]
    assert spans == [("一图五库两机制", "一图五库两机制"), ("外资", "外商直接投资")]


def test_a_linked_term_opens_its_definition_and_source_escaped_and_flags_still_work() -> None:
    answer = Answer(answer="项目管家*负责*协调，外资增长18.5%，<i>见附件</i>。", flagged_numbers=["18.5%"])
    html = answer_message(answer, [MANAGER, FDI])
    assert html.startswith('<span class="zs-term" tabindex="0">项目管家<span class="zs-term-pop" role="tooltip">'
                           "<b>项目管家</b>为单个重点项目指定的帮办代办人员&lt;b&gt;。")
    assert "出处：《安康招商人应知应会手册（节选）》 › 一、工作方法类" in html
    assert html.count('class="zs-term"') == 2 and "&lt;i&gt;见附件&lt;/i&gt;" in html
    assert "18.5%（需核对）</span>" in html
    assert answer_message(answer) == answer_message(answer, [])  # no glossary, no links


def test_markdown_characters_in_a_popup_cannot_become_formatting() -> None:
    starred = _term("序时进度", "按时间*均衡*推算的比例_", "三是序时进度。按时间均衡推算")
    html = answer_message(Answer(answer="低于序时进度。"), [starred])
    assert "&#42;均衡&#42;" in html and "比例&#95;" in html and "*" not in html


def test_search_puts_names_before_definitions() -> None:
    assert search_terms(TERMS, "项目管家") == [MANAGER]
    assert search_terms(TERMS, "外资") == [FDI]
    assert search_terms(TERMS, "产业链") == [FRAMEWORK, CHAIN]
    assert search_terms(TERMS, " ") == TERMS


def test_a_glossary_card_shows_the_definition_the_source_and_the_term_marked_in_the_quote() -> None:
    html = glossary_html([MANAGER], "项目管家", 4, [])
    assert "找到 1 个与“项目管家”相关的术语（共 4 个）" in html
    assert '<span class="zs-term-name">项目管家</span><span class="zs-badge zs-curated">人工整理</span>' in html
    assert "为单个重点项目指定的帮办代办人员&lt;b&gt;。" in html
    assert "本办法所称“<mark>项目管家</mark>”，是指帮办代办人员。" in html and "手册.md，第 10–" in html


def test_the_glossary_says_when_nothing_matches_and_lists_entries_it_could_not_use() -> None:
    assert "术语表中没有“投行思维”" in glossary_html([], "投行思维", 4, [])
    html = glossary_html([], "", 0, ["术语“四个一批”的出处未在知识库中找到（手册.md），未收录"])
    assert "知识库中还没有可提取的术语" in html
    assert "术语表中有 1 个整理条目未收录" in html and "术语“四个一批”的出处未在知识库中找到" in html


def test_indicator_definitions_show_units_formulas_and_sources() -> None:
    html = indicators_html([
        IndicatorDefinition(name="外商直接投资", unit="万美元", counts="只算境外直投。", source=FDI.source),
        IndicatorDefinition(name="完成进度", formula="目标完成进度 = 本年累计完成额 ÷ 年度目标 × 100%"),
    ])
    assert '<td class="zs-strong">外商直接投资</td><td>万美元</td><td>只算境外直投。</td>' in html
    assert "《安康招商人应知应会手册（节选）》 › 一、工作方法类" in html
    assert '<td class="zs-formula">目标完成进度 = 本年累计完成额 ÷ 年度目标 × 100%</td><td>—</td>' in html


def test_the_reading_path_is_numbered_with_why_and_summary() -> None:
    html = reading_html([ReadingItem(order=1, title="安康招商人应知应会手册", file_name="手册.md", genre="手册",
                                     date="2023-02-01", doc_number="", summary="本手册供全市招商干部学习使用。",
                                     why="先读：术语、机制和指标口径。")])
    assert '<div class="zs-read-n">1</div>' in html and "《安康招商人应知应会手册》" in html
    assert "手册 · 2023-02-01 · 手册.md" in html and "先读：术语、机制和指标口径。" in html
    assert "本手册供全市招商干部学习使用。" in html


def test_a_wrong_answer_shows_the_right_one_and_where_it_is_written() -> None:
    q = Question(id="t", kind="fill", topic="术语", prompt="填空：＿＿＿＿是指帮办代办人员。", answer="项目管家",
                 explanation="项目管家：帮办代办人员。", source=MANAGER.source)
    html = explanation_html(q, "链长<x>", False)
    assert "正确答案：<b>项目管家</b>，您的答案：链长&lt;x&gt;" in html
    assert "<mark>项目管家</mark>" in html and 'class="zs-quiz-feedback zs-quiz-wrong"' in html
    prov = Provenance(table="indicators", row_ids=[1, 3], period="2023Q1", files=["q1.csv"], formula="完成进度 = 完成额 ÷ 目标")
    figure_q = Question(id="f", kind="choice", topic="数据", prompt="完成进度？", options=["30.25%", "13.93%"],
                        answer="30.25%", explanation="汉阴县完成进度 30.25%。", provenance=prov)
    html = explanation_html(figure_q, "30.25%", True)
    assert "✓ 回答正确" in html and "项目数据库 indicators 表第 1、3 行，q1.csv" in html and "完成进度 = 完成额 ÷ 目标" in html


def test_score_and_history_newest_first() -> None:
    assert "得分：2 / 3</b>（正确率 67%）" in score_html(2, 3)
    html = history_html([(1_700_000_000.0, 1, 3), (1_700_086_400.0, 3, 3)])
    assert html.index("3 / 3") < html.index("1 / 3") and "100%" in html
    assert "还没有测验记录" in history_html([])
