"""Document titles as real files mislead: draft markers, newspaper mastheads, template title properties and
file names are never the title while something better is there."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.corpus.titles import clean_property_title, strip_draft_marker, strip_masthead
from assistant.index.ingest import file_hash, prepare
from tests.kb.test_loaders import make_pdf

ROOT = Path(__file__).resolve().parents[2]


def title_of(path: Path) -> str:
    """The title ingest records for a file (load, clean, 公文 metadata, title settled), without indexing it."""
    return prepare(path, file_hash(path), max_chars=400, max_bytes=20 * 1024 * 1024).record.meta["title"]


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_demo_survey_report_and_interview_are_titled_by_their_own_title_lines() -> None:
    # The two complaints: 《（审议稿）》 and the newspaper's masthead as titles.
    report = next((ROOT / "corpus").glob("2023-08_调研报告_*审议稿*.txt"))
    interview = next((ROOT / "corpus").glob("2023-09_访谈_*.txt"))
    assert title_of(report) == "关于全市招商引资项目落地情况的调研报告"
    assert title_of(interview) == "把“一图五库两机制”做实 让好项目“引得来、落得下”"


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("（审议稿）\n关于全市招商引资工作情况的调研报告\n主任、各位副主任：\n现将调研情况报告如下：今年以来成效明显。",
         "关于全市招商引资工作情况的调研报告"),
        ("关于全市招商引资工作情况的调研报告\n（征求意见稿）\n主任、各位副主任：\n现将调研情况报告如下：",
         "关于全市招商引资工作情况的调研报告"),
        ("安康日报\n2020年5月14日 星期四\n本报讯 昨日，市招商局召开项目落地推进会。会议要求，全力抓好签约项目开工。", "稿"),
        ("# 政府投资条例\n\n2018年12月5日 国务院第33次常务会议通过\n\n第一条 为了充分发挥政府投资作用，制定本条例。", "政府投资条例"),
        ("硫氰酸盐\n\n硫氰酸盐是含有硫氰酸根的化合物，常见的有硫氰酸钾和硫氰酸钠，可由氰化物与硫反应制得。", "硫氰酸盐"),
        ("A类\n公开\n各县区招商局：\n现将全市一季度签约项目情况通报如下，请结合实际抓好落实。", "稿"),
    ],
    ids=["marker-above", "marker-below", "masthead-only", "markdown-heading", "plain-first-line", "no-title"],
)
def test_titles_from_text(tmp_path: Path, text: str, title: str) -> None:
    assert title_of(write(tmp_path, "稿.md", text)) == title


def test_a_word_files_title_property_is_used_only_when_it_says_something(tmp_path: Path) -> None:
    from docx import Document

    def docx(name: str, paragraphs: list[str], property_title: str) -> Path:
        document = Document()
        document.core_properties.title = property_title
        for text in paragraphs:
            document.add_paragraph(text)
        document.save(str(tmp_path / name))
        return tmp_path / name

    body = ["各县区招商局：", "现将全市一季度签约项目情况通报如下，请结合实际抓好落实。今年以来全市签约项目120个。"]
    assert title_of(docx("a.docx", body, "关于一季度签约项目情况的通报")) == "关于一季度签约项目情况的通报"
    assert title_of(docx("b.docx", body, "Microsoft Word - 文档1.doc")) == "b"  # nothing better: the file name
    assert title_of(docx("c.docx", body, "标题")) == "c"
    # The text's own title line wins over a stale property (a file made from last year's template).
    with_title = ["关于2024年一季度签约项目情况的通报", *body]
    assert title_of(docx("d.docx", with_title, "关于2023年四季度签约项目情况的通报")) == "关于2024年一季度签约项目情况的通报"


def test_a_pdfs_title_property_is_used_when_its_text_has_no_title_line(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "scan_0001.pdf", ["各县区招商局：\n现将全市一季度签约项目情况通报如下，请结合实际抓好落实。"])
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(str(path)).pages:
        writer.add_page(page)
    writer.add_metadata({"/Title": "关于一季度签约项目情况的通报（送审稿）"})
    with path.open("wb") as fh:
        writer.write(fh)
    assert title_of(path) == "关于一季度签约项目情况的通报"


def test_marker_masthead_and_property_rules() -> None:
    assert strip_draft_marker("《（审议稿）》") == ""
    assert strip_draft_marker("关于加快外资项目落地的意见（征求意见稿）") == "关于加快外资项目落地的意见"
    assert strip_draft_marker("中华人民共和国外商投资法（草案）") == "中华人民共和国外商投资法（草案）"  # a bill's name
    assert strip_masthead("安康日报 2023年9月18日 第3版 经济周刊把“一图五库两机制”做实") == "把“一图五库两机制”做实"
    assert strip_masthead("安康日报") == "" and strip_masthead("人民日报社论汇编") == "人民日报社论汇编"
    assert clean_property_title("Microsoft Word - 关于加快外资项目落地的通知.doc") == "关于加快外资项目落地的通知"
    assert clean_property_title("PowerPoint 演示文稿") == "" and clean_property_title("report_2024.docx") == ""
    assert clean_property_title("Word Document") == ""  # what LibreOffice writes into a .doc made from an untitled file
