"""Loaders on real files of every supported kind, and on the bad input users will feed them."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.corpus.cleanup import clean
from assistant.corpus.loaders import load_file
from assistant.errors import LoadError

REPLY = "关于加快外资项目落地的答复函\n张委员：\n您的建议收悉。现答复如下：\n一、办理情况\n我局建立了项目管家帮办代办服务模式，开工率达到95%。"


def make_pdf(path: Path, pages: list[str], password: str | None = None) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path), pagesize=A4)
    for number, text in enumerate(pages, start=1):
        c.setFont("STSong-Light", 12)
        y = 780
        for line in text.split("\n"):
            c.drawString(60, y, line)
            y -= 20
        c.drawString(290, 40, f"- {number} -")
        c.showPage()
    c.save()
    if password:
        from pypdf import PdfReader, PdfWriter

        writer = PdfWriter()
        for page in PdfReader(str(path)).pages:
            writer.add_page(page)
        writer.encrypt(password)
        with path.open("wb") as fh:
            writer.write(fh)
    return path


def test_utf8_and_gbk_text_are_detected(tmp_path: Path) -> None:
    utf8 = tmp_path / "a.txt"
    utf8.write_text(REPLY, encoding="utf-8")
    gbk = tmp_path / "b.txt"
    gbk.write_bytes(REPLY.encode("gbk"))
    for path, encoding in ((utf8, "utf-8"), (gbk, "gb18030")):
        raw = load_file(path)
        assert raw.encoding == encoding
        assert "项目管家帮办代办" in clean(raw).text


def test_docx_paragraphs_and_tables(tmp_path: Path) -> None:
    from docx import Document

    document = Document()
    document.add_paragraph("2023年上半年各县区指标完成情况的报告")
    document.add_paragraph("一、总体情况")
    document.add_paragraph("上半年全市招商引资稳中有进。")
    table = document.add_table(rows=3, cols=3)
    for r, row in enumerate([["地区", "实际引进内资（亿元）", "同比%"], ["汉阴县", "66.10", "5.2%"], ["石泉县", "80.30", "12.4%"]]):
        for col, value in enumerate(row):
            table.cell(r, col).text = value
    path = tmp_path / "报告 上半年.docx"
    document.save(str(path))
    doc = clean(load_file(path))
    rows = [p.row for p in doc.paras if p.row is not None]
    assert len(rows) == 2
    assert rows[0].as_text() == "地区：汉阴县｜实际引进内资（亿元）：66.10｜同比%：5.2%"


def test_pdf_keeps_page_numbers_for_citations(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "p.pdf", ["关于项目管家服务的通知", "第二页：资金到位率达到百分之五十七。"])
    raw = load_file(path)
    assert {b.page for b in raw.blocks if "资金到位率" in b.text} == {2}
    assert "- 1 -" not in clean(raw).text


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "文件为空"),
        ("junk.txt", bytes(range(256)) * 40, "二进制"),
        ("broken.pdf", b"%PDF-1.4\n garbage that is not a pdf", "PDF"),
        ("broken.docx", b"PK\x03\x04 not really a zip", "Word"),
        ("notes.xls", b"whatever", "不支持的文件类型"),
    ],
)
def test_bad_files_get_a_chinese_reason_naming_the_file(tmp_path: Path, name: str, content: bytes, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(LoadError) as info:
        load_file(path)
    assert name in str(info.value) and reason in str(info.value)


def test_encrypted_pdf_is_refused(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "secret.pdf", ["内部资料"], password="pw")
    with pytest.raises(LoadError, match="加密"):
        load_file(path)


def test_oversized_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    path.write_text("招商" * 1000, encoding="utf-8")
    with pytest.raises(LoadError, match="超过上限"):
        load_file(path, max_bytes=1000)
