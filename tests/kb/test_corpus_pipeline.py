"""Cleanup, 公文 metadata and chunking on the seed documents and on plain strings (no I/O beyond reading files)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.corpus.chunking import chunk_document
from assistant.corpus.cleanup import clean
from assistant.corpus.gongwen import extract_metadata
from assistant.corpus.loaders import RawBlock, RawDocument, load_file
from tests.conftest import SEEDS

needs_seeds = pytest.mark.skipif(not SEEDS.exists(), reason="../shared/seeds 不存在")


def _doc(text: str, fmt: str = "txt"):  # type: ignore[no-untyped-def]
    raw = RawDocument(path=Path(f"x.{fmt}"), fmt=fmt, blocks=[RawBlock(text=line) for line in text.split("\n")])
    return clean(raw)


def _seed(prefix: str):  # type: ignore[no-untyped-def]
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    doc = clean(load_file(path))
    meta = extract_metadata(doc, path.stem)
    return doc, meta, chunk_document(doc, meta.title)


@needs_seeds
def test_reply_letter_metadata_is_extracted() -> None:
    _, meta, _ = _seed("000")
    assert meta.doc_number == "安招函〔2023〕31号"
    assert meta.signer == "卫莎莎"
    assert meta.office == "安康市招商和经济合作局"
    assert meta.title == "安康市招商和经济合作局对市政协五届二次会议第205号提案的答复函"
    assert meta.recipient == "刘定东委员"
    assert meta.genre == "答复函"
    assert "A类" in meta.disclosure and meta.access == "公开"


@needs_seeds
def test_page_break_inside_sentence_is_rejoined() -> None:
    doc, _, chunks = _seed("000")
    assert "截止7月底，全市引进内资" in doc.text
    assert "第一环节，围绕市级" in doc.text
    assert "每月轮流外出招商1次以上" in doc.text
    assert any("截止7月底" in c.text for c in chunks)


@needs_seeds
def test_section_paths_follow_the_heading_hierarchy() -> None:
    _, _, chunks = _seed("000")
    sections = {c.section for c in chunks}
    assert "三、下一步工作措施 › 二是聚焦链式招商" in sections
    assert "一、提案办理情况 › （五）优化招商项目落地服务" in sections
    footer = [c for c in chunks if c.kind == "footer"]
    assert footer and "联系人" in footer[0].text and "抄送" in footer[0].text


@needs_seeds
def test_offsets_point_into_the_cleaned_text() -> None:
    for prefix in ("000", "001", "003", "004"):
        doc, _, chunks = _seed(prefix)
        for c in chunks:
            assert doc.text[c.start : c.end] == c.text


@needs_seeds
def test_chunks_are_bounded_and_end_at_sentence_ends() -> None:
    for prefix in ("000", "001", "002", "003", "004"):
        doc, _, chunks = _seed(prefix)
        for c in chunks:
            if c.kind != "text":
                continue
            assert len(c.text) <= 400 or not any(ch in c.text[:-1] for ch in "。！？；")
            following = doc.text[c.end : c.end + 1]
            # A split inside a paragraph happens only after a sentence end.
            if following and following != "\n":
                assert c.text[-1] in "。！？；!?;", c.text[-20:]


@needs_seeds
def test_flattened_table_becomes_one_chunk_per_row_with_header() -> None:
    _, meta, chunks = _seed("002")
    rows = [c for c in chunks if c.kind == "table"]
    assert len(rows) == 13
    hanyin = next(c for c in rows if "地区：汉阴县" in c.text)
    assert "外商直接投资额（万美元）绝对值：236.7" in hanyin.text
    assert "实际引进内资（亿元）目标完成进度%：30.25%" in hanyin.text
    assert hanyin.section.startswith("2023年全市各县")
    assert meta.genre == "报告" and meta.date == "2023-04-07"


@needs_seeds
def test_bold_lead_ins_name_the_section() -> None:
    _, meta, chunks = _seed("001")
    assert meta.doc_number == "汉市经合函〔2024〕7号"
    assert any(c.section == "一、工作成效 › 一是深入推进产业链招商" for c in chunks)
    assert not any("**" in c.text for c in chunks)


@needs_seeds
def test_masked_numbers_are_kept_verbatim() -> None:
    doc, meta, _ = _seed("004")
    assert "****年工作要点" in doc.text
    assert meta.title == "招商引资工作情况报告"


@needs_seeds
def test_interview_genre_and_title() -> None:
    _, meta, _ = _seed("003")
    assert meta.genre == "访谈"
    assert meta.title == "打造对外开放新高地 招商引资助推高质量发展"


def test_page_numbers_and_running_headers_are_dropped() -> None:
    text = "\n".join(
        ["某市招商局内部刊物", "一、总体情况", "全市招商工作稳步推进，各项指标完成良好，项目建设持续",
         "- 2 -", "某市招商局内部刊物", "加快，签约项目开工率达到九成以上。", "第 3 页", "某市招商局内部刊物", "二、下一步打算"]
    )
    doc = _doc(text)
    assert "- 2 -" not in doc.text and "第 3 页" not in doc.text
    assert doc.text.count("某市招商局内部刊物") == 1
    assert "项目建设持续加快，签约项目开工率" in doc.text


def test_long_paragraph_splits_only_at_sentence_ends() -> None:
    sentence = "围绕重点产业链开展精准招商活动并持续跟踪项目落地情况，确保签约项目早开工早投产。"
    doc = _doc("一、工作措施\n" + sentence * 20)
    chunks = chunk_document(doc, "", max_chars=400)
    assert len(chunks) >= 2
    for c in chunks:
        assert len(c.text) <= 400
        assert c.text.endswith("。")
        assert c.section == "一、工作措施"


def test_numbered_sub_levels_build_nested_paths() -> None:
    doc = _doc("一、主要做法\n（一）强化统筹\n1.建立台账。按月更新项目台账。\n（1）细化分工。明确责任单位。\n二、存在问题\n外资项目偏少。")
    chunks = chunk_document(doc, "")
    paths = [c.section for c in chunks]
    assert "一、主要做法 › （一）强化统筹 › 1.建立台账" in paths
    assert "一、主要做法 › （一）强化统筹 › 1.建立台账 › （1）细化分工" in paths
    assert "二、存在问题" in paths


def test_disclosure_classes_are_normalised() -> None:
    assert extract_metadata(_doc("内部\n关于印发某某办法的通知\n正文。")).access == "内部"
    assert extract_metadata(_doc("秘密★1年\n关于某事项的报告\n正文。")).access == "涉密"
    assert extract_metadata(_doc("公开\n关于某事项的通知\n正文。")).genre == "通知"


def test_a_heading_that_is_a_whole_sentence_keeps_its_content() -> None:
    doc = _doc("一、推行企业开办“一网通办”，开办时间压缩至1个工作日。\n二、存在问题")
    chunks = chunk_document(doc, "")
    assert [c.text for c in chunks] == ["一、推行企业开办“一网通办”，开办时间压缩至1个工作日。"]


def test_offices_issuing_jointly_on_one_line_are_the_office() -> None:
    doc = _doc("安康市行政审批服务局 安康市招商和经济合作局\n安审发〔2023〕17号\n关于印发《项目管家帮办代办服务办法》的通知\n"
               "各县（市、区）人民政府：\n现将办法印发给你们，请遵照执行。\n")
    meta = extract_metadata(doc, "x")
    assert meta.office == "安康市行政审批服务局、安康市招商和经济合作局"
    assert meta.doc_number == "安审发〔2023〕17号"
    # a line naming offices among other words is no issuer line
    doc = _doc("安康市招商和经济合作局 关于做好招商工作的通知\n各县区：\n请做好工作。\n")
    assert extract_metadata(doc, "x").office != "安康市招商和经济合作局、关于做好招商工作的通知"
