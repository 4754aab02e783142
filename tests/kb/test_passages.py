"""Passages right (issue 14, item 5): what the ingest pipeline makes of small documents, through its public
functions (clean → extract_metadata → chunk_document, and ingest.prepare for a file). Pure apart from prepare."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.corpus.chunking import chunk_document
from assistant.corpus.cleanup import CleanDocument, clean
from assistant.corpus.gongwen import DocMeta, extract_metadata
from assistant.corpus.loaders import RawBlock, RawDocument
from assistant.index.ingest import prepare


def _doc(text: str, fmt: str = "txt") -> CleanDocument:
    raw = RawDocument(path=Path(f"x.{fmt}"), fmt=fmt, blocks=[RawBlock(text=line) for line in text.split("\n")])
    return clean(raw)


def _read(text: str, fmt: str = "txt", max_chars: int = 400) -> tuple[CleanDocument, DocMeta, list[str]]:
    doc = _doc(text, fmt)
    meta = extract_metadata(doc, "文件名")
    chunks = chunk_document(doc, meta.title, max_chars)
    for c in chunks:  # citations point into the cleaned text
        assert c.kind == "table" or doc.text[c.start : c.end] == c.text
    return doc, meta, [c.text for c in chunks]


NOTICE = """国务院办公厅关于
印发全国深化“放管服”改革优化营商环境
重点任务分工方案的通知
国办发〔2019〕39号
各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
经国务院同意，现将《分工方案》印发给你们，请认真贯彻落实。
一、推广的改革举措（共23项）
（一）在全国范围内推广的改革事项。企业开办时间压缩至5个工作日以内。
（二）在自贸试验区推广的改革事项。推行证照分离改革全覆盖。
二、工作要求
各地区要抓好落实，确保改革举措落地见效。"""


def test_a_title_over_three_lines_is_joined_and_is_no_passage_of_its_own() -> None:
    _, meta, texts = _read(NOTICE)
    assert meta.title == "国务院办公厅关于印发全国深化“放管服”改革优化营商环境重点任务分工方案的通知"
    assert meta.recipient == "各省、自治区、直辖市人民政府，国务院各部委、各直属机构"
    assert meta.genre == "通知"
    assert not any(line in t for t in texts for line in ("国务院办公厅关于", "重点任务分工方案的通知"))


def test_the_title_reaches_every_passage_through_its_context() -> None:
    doc = _doc(NOTICE)
    meta = extract_metadata(doc, "文件名")
    for chunk in chunk_document(doc, meta.title):
        assert chunk.embed_text(meta.title).startswith(meta.title)


@pytest.mark.parametrize(("head", "title"), [
    ("安康市人民政府办公室关于\n加快推进招商引资项目落地的\n实施意见", "安康市人民政府办公室关于加快推进招商引资项目落地的实施意见"),
    ("关于印发《安康市招商引资考核办法》\n的通知", "关于印发《安康市招商引资考核办法》的通知"),
    ("关于全市招商引资项目落地情况的调研报告\n（审议稿）", "关于全市招商引资项目落地情况的调研报告（审议稿）"),
    ("国务院关于实施《中华人民共和国公司法》\n注册资本登记管理制度的规定", "国务院关于实施《中华人民共和国公司法》注册资本登记管理制度的规定"),
])
def test_titles_typeset_over_several_lines(head: str, title: str) -> None:
    _, meta, texts = _read(f"陕政办函〔2024〕12号\n{head}\n各县区人民政府：\n一、总体要求\n坚持项目为王，抓好落地。")
    assert meta.title == title
    assert meta.doc_number == "陕政办函〔2024〕12号"
    assert all(head.split("\n")[0] not in t for t in texts)


def test_an_article_title_on_its_first_line_is_no_passage() -> None:
    _, meta, texts = _read("范廷颂\n\n范廷颂枢机，圣名保禄·若瑟，是越南罗马天主教枢机。1963年被任为主教。")
    assert meta.title == "范廷颂"
    assert texts == ["范廷颂枢机，圣名保禄·若瑟，是越南罗马天主教枢机。1963年被任为主教。"]


@pytest.mark.parametrize(("line", "number"), [
    ("国令第706号", "国令第706号"),
    ("国办发〔2019〕5号", "国办发〔2019〕5号"),
    ("陕政办函〔2024〕12号", "陕政办函〔2024〕12号"),
    ("国办发[2019]5号", "国办发〔2019〕5号"),
    ("国办发(2019)5号", "国办发〔2019〕5号"),
    ("国办发（2019）5号", "国办发〔2019〕5号"),
    ("国办发［2019］5号", "国办发〔2019〕5号"),
    ("汉市经合函 〔2023〕 41 号", "汉市经合函〔2023〕41号"),
    ("安招函〔2023〕31号　　　签发人：周立衡", "安招函〔2023〕31号"),
    ("国家市场监督管理总局令第52号", "国家市场监督管理总局令第52号"),
])
def test_every_common_doc_number_form(line: str, number: str) -> None:
    _, meta, _ = _read(f"{line}\n关于加强招商引资工作的通知\n各县区：\n现就有关事项通知如下。")
    assert meta.doc_number == number


def test_a_law_s_number_is_its_latest_order_and_a_cited_number_is_not_the_document_s() -> None:
    law = ("# 中华人民共和国政府信息公开条例\n\n2007年4月5日 中华人民共和国国务院令第492号公布"
           "2019年4月3日 中华人民共和国国务院令第711号修订\n\n## 第一章　总则\n\n第一条 为了保障公民依法获取政府信息，制定本条例。")
    _, meta, _ = _read(law, fmt="md")
    assert meta.doc_number == "中华人民共和国国务院令第711号"
    _, meta, _ = _read("关于转发有关文件的通知\n各县区：\n根据国办发〔2019〕5号文件精神，现通知如下。")
    assert meta.doc_number == ""


def test_a_heading_that_holds_a_fact_keeps_it_in_the_passage_text() -> None:
    _, _, texts = _read(NOTICE)
    first = next(t for t in texts if "共23项" in t)
    assert first.startswith("一、推广的改革举措（共23项）") and "企业开办时间压缩至5个工作日以内" in first
    # a heading that is only a label stays out of the text (it is the section path)
    assert not any(t.startswith("二、工作要求") for t in texts)


def test_a_heading_whose_text_runs_past_its_label_is_kept() -> None:
    _, _, texts = _read("关于招商工作的报告\n（二）招商成效：签约项目48个、总投资326亿元\n全年新开工项目31个。")
    assert texts == ["（二）招商成效：签约项目48个、总投资326亿元\n全年新开工项目31个。"]


UNNUMBERED = """2026年西川省政府工作报告
各位代表：
“十四五”时期工作回顾
“十四五”时期是西川发展极不寻常的五年，全省地区生产总值达到13697.5亿元，年均增长5.8%。
“十五五”时期的主要目标任务
一是高质量发展水平明显提升。全省地区生产总值年均增长5%以上。
二是开放合作能级明显提升。深度融入高质量共建“一带一路”。
2026年重点工作
经济社会发展的主要预期目标是：地区生产总值增长5.5%左右，常住人口城镇化率提升1个百分点以上。
（一）放大促消费扩投资政策效应
千方百计促进消费，落实城乡居民增收计划，增强居民消费能力。
西川省人民政府
2026年1月27日"""


class _Sections(dict[str, str]):
    """Passage text → section path; looked up by the passage's opening words."""

    def __getitem__(self, opening: str) -> str:
        return next(section for text, section in self.items() if text.startswith(opening))


def _sections(text: str) -> _Sections:
    doc = _doc(text)
    return _Sections({c.text: c.section for c in chunk_document(doc, extract_metadata(doc, "文件名").title)})


def test_unnumbered_heading_lines_are_sections_in_a_document_without_numbered_ones() -> None:
    sections = _sections(UNNUMBERED)
    assert sections["“十四五”时期是西川发展"] == "“十四五”时期工作回顾"
    assert sections["二是开放合作能级明显提升"] == "“十五五”时期的主要目标任务 › 二是开放合作能级明显提升"
    # the next heading ends the 一是/二是 points: this year's targets are no 十五五 goal
    assert sections["经济社会发展的主要预期"] == "2026年重点工作"
    assert sections["千方百计促进消费，落实城"] == "2026年重点工作 › （一）放大促消费扩投资政策效应"
    assert not any("西川省人民政府" in section for section in sections.values())  # a signature is no heading
    assert not any(text.startswith(("2026年重点工作", "“十四五”时期工作回顾")) for text in sections)  # labels, not text


def test_short_lines_are_no_sections_where_the_document_numbers_its_sections() -> None:
    law = ("西川省开发区条例\n第一章 总则\n机构与职责\n第一条 为了规范开发区的管理和建设，促进开发区健康发展，根据有关法律、"
           "行政法规，结合本省实际，制定本条例。")
    assert not any("机构与职责" in section for section in _sections(law).values())


def test_markup_comments_are_dropped() -> None:
    law = ("# 上海市经济技术开发区条例\n\n<!-- INFO END -->\n\n## 第一章　总则\n\n第一条 为了扩大对外开放，制定本条例。"
           "<!-- 注释 -->\n\n<!-- 跨行\n的注释 -->\n\n第二条 本条例适用于开发区。")
    doc, _, texts = _read(law, fmt="md")
    assert "<!--" not in doc.text and "-->" not in doc.text and "注释" not in doc.text
    assert texts == ["第一条 为了扩大对外开放，制定本条例。", "第二条 本条例适用于开发区。"]


def test_a_web_page_s_toolbar_and_breadcrumb_are_dropped() -> None:
    page = "\n".join(["当前位置：", "首页", ">", "政务信息", ">", "宁夏要闻", "下载", "打印", "全屏", "收藏", "【字号：",
                      "加大", "还原", "减小", "】", "2026年宁夏回族自治区政府工作报告",
                      "——2026年2月3日在宁夏回族自治区第十三届人民代表大会第四次会议上",
                      "各位代表：", "全区地区生产总值增长5.6%。"])
    doc, meta, texts = _read(page)
    assert meta.title == "2026年宁夏回族自治区政府工作报告"
    for word in ("当前位置", "首页", "打印", "字号", "减小", "宁夏要闻"):
        assert word not in doc.text
    assert any("增长5.6%" in t for t in texts)


@pytest.mark.parametrize("max_chars", [100, 400])
def test_no_passage_is_longer_than_the_maximum(max_chars: int) -> None:
    run_on = "围绕重点产业链开展精准招商活动并持续跟踪项目落地情况" * 30 + "。"  # one sentence, no comma
    commas = "，".join(["签约项目早开工早投产早达效"] * 60) + "。"
    row = "\t".join(["汉阴县"] + ["较长的单元格内容" * 3] * 40)
    table = "\n".join(["指标\t数值\t备注", "一\t1\t二", "二\t2\t三", row])
    footer = "抄送：" + "、".join(["市人大常委会办公室"] * 80) + "。"
    text = "\n".join(["关于招商工作的报告", "一、工作措施", run_on, commas, table, "正文后的说明。" * 3, footer])
    doc = _doc(text)
    chunks = chunk_document(doc, "关于招商工作的报告", max_chars)
    assert chunks and max(len(c.text) for c in chunks) <= max_chars
    kinds = {c.kind for c in chunks}
    assert {"text", "table", "footer"} <= kinds
    joined = "".join(c.text for c in chunks if c.kind == "text")
    assert run_on in joined and commas in joined  # cut, never lost


def test_ingest_prepare_of_a_markdown_law(tmp_path: Path) -> None:
    path = tmp_path / "reg_政府投资条例(2019-04-14).md"
    path.write_text("# 政府投资条例\n\n2019年4月14日 中华人民共和国国务院令第712号公布\n\n<!-- INFO END -->\n\n"
                    "## 第一章　总则\n\n第一条 为了充分发挥政府投资作用，制定本条例。\n", encoding="utf-8")
    prepared = prepare(path, "0" * 64, max_chars=400, max_bytes=1 << 20)
    meta = prepared.record.meta
    assert meta["title"] == "政府投资条例" and meta["doc_number"] == "中华人民共和国国务院令第712号"
    texts = [c.text for c in prepared.chunks]
    assert "政府投资条例" not in texts and not any("INFO END" in t for t in texts)
    assert all(c.embed_text.startswith("政府投资条例") for c in prepared.chunks)


REPORT_HEAD = ["政府工作报告。 贵州日报天眼新闻记者 李森 摄", "政府工作报告",
               "（2026年1月27日在贵州省第十四届人民代表大会第四次会议上）", "来源：贵州日报", "发表时间：",
               "2026-02-09 09:45:30", "省长 李炳军", "各位代表：", "一、2025年工作回顾", "全省地区生产总值增长5.2%。"]


def test_a_report_s_subtitle_source_lines_and_photo_caption_are_no_passages(tmp_path: Path) -> None:
    _, meta, texts = _read("\n".join(REPORT_HEAD))
    assert meta.title == "政府工作报告"
    for line in ("会议上", "来源", "2026-02-09", "李森 摄"):
        assert not any(line in t for t in texts), line
    assert any("增长5.2%" in t for t in texts) and any("各位代表" in t for t in texts)
    # the subtitle is kept with the document: it names the place a bare title lacks
    path = tmp_path / "report.txt"
    path.write_text("\n".join(REPORT_HEAD), encoding="utf-8")
    prepared = prepare(path, "1" * 64, max_chars=400, max_bytes=1 << 20)
    assert prepared.record.meta["subtitle"] == "2026年1月27日在贵州省第十四届人民代表大会第四次会议上"


def test_a_dash_line_in_the_body_is_a_passage() -> None:
    _, _, texts = _read("关于招商工作的报告\n一、工作回顾\n——经济实力实现整体跃升。地区生产总值达到62661亿元。")
    assert any("62661亿元" in t for t in texts)
