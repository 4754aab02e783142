"""What the 起草 tab shows for a draft and a consistency check, from plain models. No browser, no server."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import gradio as gr
import pytest
from docx import Document
from pydantic import ValidationError

from assistant.answer.types import Citation
from assistant.config import Settings
from assistant.drafting import Draft, DraftHeader, DraftTable, FigureCheck, Paragraph, ReplyRequest
from assistant.tools.types import Figure, Provenance
from assistant.ui.drafting import DraftingTab, invalid_message, save_docx, suggestions_text
from assistant.ui.drafting_view import checks_html, draft_html, figure_spans, marked

PROV = Provenance(table="indicators", row_ids=[27], period="2023Q1", as_of="2023-11-22T08:00:00",
                  formula="目标完成进度 = 本年累计完成额 ÷ 年度目标 × 100%", files=["indicators_2023Q1_wide.csv"])


def _figure(label: str, value: float, unit: str) -> Figure:
    return Figure(label=label, value=value, unit=unit, period="2023Q1", provenance=PROV)


def _draft() -> Draft:
    citation = Citation(n=1, title="关于第205号提案的答复函<i>", doc_number="安招函〔2023〕31号",
                        section="二、下一步工作措施 › 二是实行项目管家制度",
                        passage="二是实行项目管家制度。对亿元以上重点项目逐一明确项目管家，全程帮办代办。",
                        quote="对亿元以上重点项目逐一明确项目管家，全程帮办代办。", source="/data/第205号提案答复函.txt",
                        start=180, end=239)
    return Draft(
        kind="reply", title="安康市招商和经济合作局对第205号提案的答复函",
        header=DraftHeader(category="A类", access="公开", office="安康市招商和经济合作局"),
        paragraphs=[
            Paragraph(kind="recipient", text="王委员："),
            Paragraph(kind="heading1", text="一、提案办理情况"),
            Paragraph(text="全市实际引进内资381.47亿元，完成年度目标的30.51%，比上年的130.51%低。",
                      figures=[_figure("全市 实际引进内资", 381.47, "亿元"), _figure("全市 实际引进内资 完成进度", 30.51, "%")]),
            Paragraph(lead="（一）关于<b>加大外资招引力度</b>。", placeholder=True,
                      text="暂未找到对应的已办理措施。【待补充：请承办科室核实办理情况后填写。】"),
            Paragraph(lead="二是实行项目管家制度。", text="对亿元以上重点项目逐一明确项目管家，全程帮办代办。",
                      citations=[citation]),
            Paragraph(kind="signature", text="安康市招商和经济合作局"),
        ],
        tables=[DraftTable(title="各县区指标完成情况", unit_note="单位：亿元",
                           header=[["地区", "实际引进内资", "实际引进内资"], ["地区", "绝对值", "同比%"]],
                           rows=[["汉阴县", "32.79", "-18.35%"]], provenance=[PROV])],
        period="2023Q1", warnings=["第1条建议在知识库中没有找到对应的办理措施。"],
    )


def test_the_draft_reads_like_a_gongwen_with_headings_leads_and_the_banner() -> None:
    html = draft_html(_draft())
    assert '<div class="zs-gw-office">安康市招商和经济合作局</div>' in html
    assert '<h1 class="zs-gw-title">安康市招商和经济合作局对第205号提案的答复函</h1>' in html
    assert '<div class="zs-gw-para zs-gw-heading1"><p>一、提案办理情况</p></div>' in html
    assert '<span class="zs-gw-lead">二是实行项目管家制度。</span>' in html
    assert "&lt;b&gt;加大外资招引力度&lt;/b&gt;" in html and "<b>加大" not in html


def test_each_database_figure_names_its_row_and_a_longer_number_is_not_marked() -> None:
    html = draft_html(_draft())
    assert ('<span class="zs-dfig" title="全市 实际引进内资：381.47亿元｜来源：indicators 表第 27 行，'
            'indicators_2023Q1_wide.csv，2023-11-22 导入">381.47亿元</span>') in html
    text = "完成年度目标的30.51%，比上年的130.51%低。"
    [(start, end, _, _)] = figure_spans(text, [_figure("完成进度", 30.51, "%")])
    assert text[start:end] == "30.51%" and text[start - 1] == "的"


def test_placeholders_are_highlighted_and_counted_among_the_warnings() -> None:
    html = draft_html(_draft())
    assert '<div class="zs-gw-para zs-gw-body zs-gw-needs">' in html
    assert '<span class="zs-todo" title="需经办人核实补写">【待补充：请承办科室核实办理情况后填写。】</span>' in html
    assert "草稿中有 1 段含【待补充】" in html and "第1条建议在知识库中没有找到对应的办理措施。" in html


def test_sources_fold_under_their_paragraph_with_the_quote_marked_and_the_rows_named() -> None:
    html = draft_html(_draft())
    assert "<summary>依据：原文 1 处</summary>" in html and "<summary>依据：数据 2 项</summary>" in html
    assert "《关于第205号提案的答复函&lt;i&gt;》" in html and "安招函〔2023〕31号" in html
    assert "<mark>对亿元以上重点项目逐一明确项目管家，全程帮办代办。</mark>" in html
    assert "第205号提案答复函.txt，第 180–239 字" in html
    assert 'title="目标完成进度 = 本年累计完成额 ÷ 年度目标 × 100%">indicators 表第 27 行' in html


def test_the_county_table_merges_its_header_cells_like_the_docx() -> None:
    html = draft_html(_draft())
    assert '<tr><th rowspan="2">地区</th><th colspan="2">实际引进内资</th></tr><tr><th>绝对值</th><th>同比%</th></tr>' in html
    assert "<td>汉阴县</td><td>32.79</td><td>-18.35%</td>" in html
    assert "依据：项目数据库 1 处" in html


def test_an_empty_preview_says_what_will_appear() -> None:
    assert "【待补充】处以黄色标出" in draft_html(None)


def test_marked_escapes_everything_and_drops_overlapping_spans() -> None:
    assert marked("a<b>c", [(1, 4, "x", 't"t'), (2, 3, "y", "")]) == 'a<span class="x" title="t&quot;t">&lt;b&gt;</span>c'


def _check(text: str, status: str, **kw: object) -> FigureCheck:
    fields: dict[str, object] = dict(text=text, value=1.0, unit="万美元", start=0, end=len(text),
                                     context=f"一季度汉阴县外商直接投资{text}<script>", status=status)
    return FigureCheck(**{**fields, **kw})  # type: ignore[arg-type]


def test_the_check_lists_every_figure_with_its_verdict_and_the_database_value() -> None:
    checks = [
        _check("263.7万美元", "mismatch", label="汉阴县 2023年一季度（1-3月） 外商直接投资 数值", db_value=236.7,
               db_text="236.70万美元", provenance=PROV, reason="数据库中为 236.70万美元"),
        _check("381.47亿元", "match", label="全市 实际引进内资 数值", provenance=PROV),
        _check("15%", "not_found", reason="不是数据库中的统计数"),
    ]
    html = checks_html(checks, "粘贴的文字")
    assert '<tr class="zs-check-mismatch">' in html
    assert '<span class="zs-badge zs-bad">不一致</span>（数据库值 236.70万美元）' in html
    assert '<span class="zs-badge zs-good">一致</span>' in html
    assert '<span class="zs-badge zs-none">未找到</span><div class="zs-sub">不是数据库中的统计数</div>' in html
    assert '外商直接投资<span class="zs-hit">263.7万美元</span>&lt;script&gt;' in html
    assert "粘贴的文字：共 3 个数字" in html and "不一致 1" in html and "未找到 1" in html
    assert "indicators 表第 27 行" in html


def test_a_check_without_figures_says_so() -> None:
    assert "文件“稿.docx”中没有找到数字" in checks_html([], "文件“稿.docx”")


def test_missing_reply_fields_are_named_in_chinese() -> None:
    with pytest.raises(ValidationError) as err:
        ReplyRequest(number="", title="", proposer="")
    assert invalid_message(err.value) == "请填写提案号；请填写提案标题；请填写提案人。"


def test_suggestions_read_from_a_file_are_numbered_one_per_line() -> None:
    assert suggestions_text(["加大外资招引力度", "实行项目管家制度"]) == "1. 加大外资招引力度\n2. 实行项目管家制度"


def test_the_docx_is_named_after_the_title_and_opens_in_word() -> None:
    path = Path(save_docx(_draft(), sources=True))
    assert path.name == "安康市招商和经济合作局对第205号提案的答复函.docx"
    text = [p.text for p in Document(str(path)).paragraphs]
    assert "一、提案办理情况" in text and "附：依据" in text


def test_an_uploaded_gbk_proposal_fills_the_empty_fields_and_keeps_what_the_officer_typed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GRADIO_TEMP_DIR", str(tmp_path))  # where Gradio puts a browser's uploads
    proposal = tmp_path / "提案167.txt"
    proposal.write_bytes("关于加快园区标准化厂房建设的提案\n市政协五届二次会议第167号\n提案人：民建安康市委员会\n\n"
                         "二、几点建议\n一是加快标准化厂房建设；二是完善园区配套设施。\n".encode("gbk"))
    tab = DraftingTab(SimpleNamespace(settings=Settings(max_file_mb=1)))  # type: ignore[arg-type]
    session, number, title, proposer, suggestions, status = tab.read_upload(str(proposal), "", "", "", "民建")
    assert (session, number, title, proposer) == ("市政协五届二次会议", "167", "关于加快园区标准化厂房建设的提案", "民建")
    assert suggestions == "1. 加快标准化厂房建设\n2. 完善园区配套设施"
    assert "已读取“提案167.txt”" in status and "2 条建议" in status
    broken = tmp_path / "提案.pdf"
    broken.write_bytes(b"not a pdf")
    *_, error = tab.read_upload(str(broken), "", "", "", "")
    assert "zs-error" in error and "提案.pdf" in error
    elsewhere = tmp_path.parent / "not-uploaded.txt"  # any other path on the server is refused
    elsewhere.write_text("关于某事的提案", encoding="utf-8")
    with pytest.raises(gr.Error, match="只能处理通过本页面上传的文件"):
        tab.read_upload(str(elsewhere), "", "", "", "")


def test_the_editor_holds_one_paragraph_a_line_and_reads_back_only_the_changed_ones() -> None:
    from assistant.ui.drafting import editable_text, edits_from

    draft = _draft()
    text = editable_text(draft)
    lines = text.split("\n")
    assert len(lines) == len(draft.paragraphs) and lines[4] == "二是实行项目管家制度。对亿元以上重点项目逐一明确项目管家，全程帮办代办。"
    assert edits_from(draft, text) == []
    lines[2] = lines[2].replace("381.47", "391.47")
    edits = edits_from(draft, "\n".join(lines))
    assert [(e.index, "391.47亿元" in e.text) for e in edits] == [(2, True)]
    with pytest.raises(ValueError, match="草稿共 6 段，现在是 7 行"):
        edits_from(draft, text + "\n多出的一行")


def test_the_letter_date_is_read_in_the_usual_forms_and_a_bad_one_is_named() -> None:
    from datetime import date

    from assistant.ui.drafting import parse_day

    assert parse_day("2023-07-28") == parse_day("2023年7月28日") == parse_day("2023/7/28") == date(2023, 7, 28)
    assert parse_day("  ") is None
    with pytest.raises(ValueError, match="成文日期“2023-02-30”无法识别"):
        parse_day("2023-02-30")
