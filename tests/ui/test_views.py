"""The workbench's pure parts: what the page shows for an answer, a document list, a county table, an
import report, and where feedback goes. No browser, no server."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from assistant.answer.types import Answer, Citation
from assistant.config import Settings
from assistant.corpus.loaders import supported_types_text
from assistant.db.errors import ImportRejected, RowProblem
from assistant.feedback import FeedbackStore
from assistant.index.manifest import DocRecord
from assistant.tools.types import Figure, Provenance
from assistant.ui.answer_view import answer_message, figures_html, sources_html
from assistant.ui.documents_view import PAGE_SIZE, page_of
from assistant.ui.figures_view import CountyRow, CountyTable, chart_svg, rejected_html, table_html
from assistant.ui.html import highlight
from assistant.ui.knowledge import check_upload

PASSAGE = "二、下一步工作措施\n<b>一是</b>补齐外资短板。积极对接粤港澳大湾区外资企业，力争全年外商直接投资增长15%以上。"


def _citation(**kw: object) -> Citation:
    fields: dict[str, object] = dict(n=1, title="关于第205号提案的答复函<script>", doc_number="安招函〔2023〕31号",
                                     section="二、下一步工作措施 › 一是补齐外资短板", passage=PASSAGE,
                                     quote="积极对接粤港澳大湾区外资企业，力争全年外商直接投资增长15%以上。",
                                     source="/data/uploads/答复函.txt", start=120, end=181)
    return Citation(**{**fields, **kw})  # type: ignore[arg-type]


def test_sources_escape_the_passage_and_mark_the_quoted_sentence() -> None:
    html = sources_html(Answer(answer="…[1]", citations=[_citation()]))
    assert "<script>" not in html and "<b>" not in html and "&lt;b&gt;一是&lt;/b&gt;" in html
    assert "<mark>积极对接粤港澳大湾区外资企业，力争全年外商直接投资增长15%以上。</mark>" in html
    assert "安招函〔2023〕31号" in html and "二、下一步工作措施 › 一是补齐外资短板" in html


def test_a_quote_of_two_sentences_that_are_not_adjacent_marks_both() -> None:
    passage = "第一句说明情况。中间一句无关。第三句给出措施。"
    assert highlight(passage, "第一句说明情况。第三句给出措施。") == (
        "<mark>第一句说明情况。</mark>中间一句无关。<mark>第三句给出措施。</mark>")


def test_flagged_numbers_are_marked_but_longer_numbers_are_not() -> None:
    answer = Answer(answer="外资增长18.5%，内资增长118.5%，<i>共计</i>。", flagged_numbers=["18.5%"])
    text = answer_message(answer)
    assert text.count("需核对") == 1 and "118.5%，" in text and "&lt;i&gt;" in text
    assert '<span class="zs-flag" title="未能在数据库或引用原文中找到来源">18.5%（需核对）</span>' in text


def test_each_cited_marker_links_to_its_source_card_and_other_brackets_stay_text() -> None:
    answer = Answer(answer="办法规定了服务内容。[1] 另见[2]和〔2023〕[31]号，数字1不受影响。", flagged_numbers=["1"],
                    citations=[_citation(), _citation(n=2)])
    text = answer_message(answer, turn=3)
    assert text.count('class="zs-cite zs-cite-turn-3"') == 2
    assert '<a class="zs-cite zs-cite-turn-3" href="#zs-cite-1" title="查看引用来源 1">&#91;1&#93;</a>' in text
    assert 'href="#zs-cite-2"' in text and "&#91;31&#93;号" in text  # no citation 31: plain text
    assert text.count("需核对") == 1  # the flagged 1 in the text, not the 1 of [1]
    html = sources_html(answer, turn=3)
    assert '<div class="zs-cites" data-zs-turn="3">' in html
    assert 'id="zs-cite-1"' in html and 'id="zs-cite-2"' in html


def test_figures_table_names_table_rows_file_and_period() -> None:
    prov = Provenance(table="indicators", row_ids=[1, 3, 5, 7, 9, 11, 13], period="2023Q1",
                      as_of="2023-11-22T08:00:00", formula="完成进度 = 数值 ÷ 年度目标", files=["一季度.csv"])
    fig = Figure(label="汉阴县 外商直接投资 2023年一季度（1-3月）", value=236.7, unit="万美元", period="2023Q1", provenance=prov)
    html = figures_html(Answer(answer="", figures=[fig]))
    assert ('<td>汉阴县 外商直接投资<div class="zs-sub">2023年一季度（1-3月）</div></td>'
            '<td class="zs-num">236.70</td><td>万美元</td>') in html
    assert 'indicators 表第 1、3、5、7、9 等 7 行<div class="zs-sub">一季度.csv，2023-11-22 导入</div>' in html
    assert 'title="完成进度 = 数值 ÷ 年度目标"' in html


def _record(i: int) -> DocRecord:
    return DocRecord(doc_id=f"{i:016x}", source=f"/d/{i}.txt", file_name=f"文件{i:04d}.txt", content_hash="h",
                     size=1, fmt="txt", n_chunks=3, ingested_at=0.0,
                     meta={"title": f"关于第{i}号建议的答复函", "doc_number": f"安招函〔2023〕{i}号", "access": "公开"})


def test_a_thousand_documents_are_shown_a_page_at_a_time() -> None:
    records = [_record(i) for i in range(1000)]
    first = page_of(records, 1)
    assert len(first.rows) == PAGE_SIZE and first.pages == 50
    assert first.caption() == "知识库共 1,000 个文档，第 1 / 50 页"
    last = page_of(records, 99)
    assert last.page == 50 and last.doc_ids[-1] == records[-1].doc_id
    found = page_of(records, 1, "第999号")
    assert found.total == 1 and found.rows[0][1] == "安招函〔2023〕999号"
    assert page_of(records, 1, "没有这个").caption("没有这个").startswith("没有标题、文号")


def _county_table() -> CountyTable:
    rows = [CountyRow("旬阳市", 1, 108.69, 10.2, 127.3, 85.38, 27.05),
            CountyRow("瀛湖<x>", 2, 2.88, 6.9, 5.8, 49.66, -8.67)]
    return CountyTable("2023年1-7月", "实际引进内资", "亿元", 58.33, rows, ["白河县"], None, "indicators 表", "")


def test_county_table_highlights_laggards_and_lists_regions_without_data() -> None:
    html = table_html(_county_table())
    assert '<tr class="zs-lagging">' in html and "低 8.67 个百分点" in html and "超 27.05 个百分点" in html
    assert "瀛湖&lt;x&gt;" in html and "白河县" in html and "无数据" in html
    assert "低于序时进度的有 1 个：瀛湖&lt;x&gt;" in html


def test_chart_draws_one_bar_per_region_and_the_schedule_line() -> None:
    svg = chart_svg(_county_table())
    assert svg.count('class="zs-bar-good"') == 1 and svg.count('class="zs-bar-bad"') == 1
    assert "序时进度 58.33%" in svg and 'class="zs-schedule"' in svg


def test_import_report_lists_each_bad_cell() -> None:
    err = ImportRejected(Path("指标.csv"), [RowProblem(3, "数值", "abc", "不是数字"), RowProblem(5, "地区", "", "不能为空")])
    html = rejected_html(err)
    assert "有 2 行数据有误（共 2 处），数据库未做任何修改" in html
    assert "<td class=\"zs-num\">3</td><td>数值</td><td>abc</td><td>不是数字</td>" in html and "（空）" in html


@pytest.mark.parametrize(("name", "content", "reason"), [
    ("病毒.exe", b"MZ", f"类型“.exe”不支持，仅支持 {supported_types_text()}，未上传。"),
    ("空.txt", b"", "是空文件，未上传。"),
    ("大.txt", b"x" * 60_000, "大小 0.06 MB 超过上限 0.05 MB，请拆分后再上传。"),
])
def test_uploads_are_checked_per_file(tmp_path: Path, name: str, content: bytes, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert check_upload(path, Settings(max_file_mb=0.05)) == (None, reason)
    ok = tmp_path / "答复函.txt"
    ok.write_text("正文", encoding="utf-8")
    assert check_upload(ok, Settings(max_file_mb=0.05)) == ("答复函.txt", "")


def test_feedback_is_stored_with_question_answer_and_sources(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "feedback.sqlite")
    answer = Answer(answer="据…[1]", citations=[_citation()], flagged_numbers=["18.5%"])
    row_id = store.record(-1, "那恒口呢？", ["汉阴县一季度外资？"], answer)
    assert store.add_comment(row_id, "  应引用第78号建议  ")
    [row] = store.recent()
    assert (row.rating, row.question, row.answer, row.comment) == (-1, "那恒口呢？", "据…[1]", "应引用第78号建议")
    assert row.citations[0]["doc_number"] == "安招函〔2023〕31号"
    with sqlite3.connect(tmp_path / "feedback.sqlite") as conn:
        assert conn.execute("SELECT history, flagged_numbers FROM feedback").fetchone() == (
            '["汉阴县一季度外资？"]', '["18.5%"]')
