"""Scans and photos: read by OCR, searchable, cited as OCR with their page; bad images refused in Chinese while the
rest of the folder goes in. The pages are generated here (tests/kb/scans.py): nothing is downloaded."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from assistant.corpus import ocr
from assistant.corpus.cleanup import clean
from assistant.corpus.loaders import load_file
from assistant.corpus.ocr import OcrBox, reading_order, remove_seals
from assistant.errors import LoadError
from tests.kb.scans import Layout, noise_photo, render_document, save_pdf

pytest.importorskip("rapidocr_onnxruntime", reason="文字识别组件未安装（pip install -e '.[ocr]'）")

MASTHEAD = "安康市招商和经济合作局文件"
NUMBER = "安招发〔2023〕12号"
TITLE = "关于印发飞地经济合作项目利益分享办法的通知"
PAGE_ONE = [
    "各县（市、区）招商和经济合作局：",
    "为推动县区之间飞地经济合作，现将有关事项通知如下。",
    "飞地园区项目的税收留成由流出地和流入地按照六比四的比例分享，期限为十年。",
    "项目统计数据由流入地统计，流出地可以按照分享比例计入招商引资考核。",
]
PAGE_TWO = [
    "二、保障措施",
    "市招商和经济合作局每季度对飞地项目开展一次联合调度，问题清单实行销号管理。",
]
SIGNATURE = ["安康市招商和经济合作局", "2023年5月8日"]


@pytest.fixture(scope="module")
def scans(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A folder as a bureau has it: a scanned notice as a PNG, the same notice plus a second page as an
    image-only PDF, a photo of nothing, and a text file."""
    folder = tmp_path_factory.mktemp("scans")
    first = render_document(PAGE_ONE, Layout(masthead=MASTHEAD, doc_number=NUMBER), title=TITLE, signature=SIGNATURE)
    second = render_document(PAGE_TWO, Layout(seed=11))
    first[0].image.save(folder / "飞地通知扫描.png")
    save_pdf([first[0], second[0]], folder / "飞地通知扫描件.pdf")
    noise_photo().save(folder / "现场照片.jpg", quality=90)
    (folder / "说明.txt").write_text("招商项目信息共享机制的说明：线索统一录入台账，按月通报。", encoding="utf-8")
    return {"png": folder / "飞地通知扫描.png", "pdf": folder / "飞地通知扫描件.pdf",
            "photo": folder / "现场照片.jpg", "txt": folder / "说明.txt", "folder": folder}


def test_a_scanned_page_is_read_in_order_with_its_metadata(scans: dict[str, Path]) -> None:
    from assistant.corpus.gongwen import extract_metadata
    from assistant.corpus.markings import markings_of

    raw = load_file(scans["png"])
    assert raw.ocr_pages == [1] and not raw.warnings
    assert all(b.confidence is not None and b.confidence > 0.5 for b in raw.blocks)
    doc = clean(raw)
    text = doc.text
    assert "六比四的比例分享" in text.replace(" ", "")
    # the red 版头 is read like the text layer's first line; the seal over the date does not garble it
    assert text.index("合作局文件") < text.index("飞地经济合作项目利益分享办法") < text.index("六比四")
    assert "— 1 —" not in text and "—1—" not in text  # the page number is dropped, as for a PDF's text layer
    meta = extract_metadata(doc, "x", markings_of(raw))
    assert meta.doc_number == NUMBER
    assert meta.title == TITLE
    assert meta.date == "2023-05-08"


def test_scans_ingest_are_searchable_and_cited_as_ocr_with_the_page(scans: dict[str, Path], tmp_path: Path) -> None:
    from assistant.answer.engine import Assistant
    from assistant.config import Settings
    from assistant.index.ingest import ingest
    from assistant.index.kb import KnowledgeBase
    from assistant.ui.answer_view import sources_html

    settings = Settings(data_dir=tmp_path / "data")
    kb = KnowledgeBase(settings)
    seen: list[tuple[str, int]] = []
    try:
        with ocr.reporting_pages(lambda name, page, total: seen.append((name, page.number))):
            report = ingest(kb, [scans["folder"]])
        # every page reported, also those read side by side on two engines
        assert {("飞地通知扫描件.pdf", 1), ("飞地通知扫描件.pdf", 2), ("飞地通知扫描.png", 1)} <= set(seen)
        # the photo of nothing is refused with a reason; the scans and the text file go in
        assert sorted(report.added) == ["说明.txt", "飞地通知扫描.png", "飞地通知扫描件.pdf"], report.summary()
        [(name, message)] = report.failed
        assert name == "现场照片.jpg" and "没有识别出文字" in message and "不是文件的扫描件或照片" in message
        assert "✗" in report.summary() and "现场照片.jpg" in report.summary()

        records = {r.file_name: r for r in kb.manifest.documents()}
        assert records["飞地通知扫描件.pdf"].meta["ocr_pages"] == "1,2"
        assert records["飞地通知扫描.png"].meta["ocr_pages"] == "1"
        assert "ocr_pages" not in records["说明.txt"].meta
        assert float(records["飞地通知扫描件.pdf"].meta["ocr_confidence"]) > 0.9

        hits = kb.search("飞地项目联合调度 问题清单销号管理", k=5)
        second = next(h for h in hits if h.extra["file_name"] == "飞地通知扫描件.pdf")
        assert "联合调度" in second.text and second.ocr and second.page == 2
        assert not any(h.ocr for h in kb.search("招商项目信息共享机制的说明", k=5) if h.extra["file_name"] == "说明.txt")

        answer = Assistant(settings, kb=kb).ask("飞地园区项目的税收留成怎么分享？")
        cited = [c for c in answer.citations if "六比四" in c.passage]
        assert cited, answer.answer
        assert cited[0].ocr and cited[0].page == 1
        assert cited[0].page_note == "（扫描件 OCR，第 1 页）"
        assert "（扫描件 OCR，第 1 页）" in sources_html(answer)
        assert "扫描件 OCR" in answer.plain_text()
    finally:
        kb.close()


def test_a_page_ocr_cannot_read_is_warned_and_the_rest_ingested(scans: dict[str, Path], tmp_path: Path) -> None:
    from assistant.config import Settings
    from assistant.index.ingest import ingest
    from assistant.index.kb import KnowledgeBase
    from assistant.index.provenance import Loader
    from assistant.index.uploads import save_and_ingest

    page = render_document(PAGE_TWO, Layout(seed=5))[0].image
    blank = Image.new("RGB", page.size, "white")
    pdf = tmp_path / "带空白页的扫描件.pdf"
    page.save(pdf, "PDF", resolution=200.0, save_all=True, append_images=[blank])
    raw = load_file(pdf)
    assert raw.ocr_pages == [1]
    assert raw.warnings == ["第 2 页没有识别出文字（空白页、照片不是文件，或图像太模糊）"]

    kb = KnowledgeBase(Settings(data_dir=tmp_path / "data"))
    try:
        report = ingest(kb, [pdf])
        assert report.added == [pdf.name] and report.warnings == [(pdf.name, raw.warnings[0])]
        assert "第 2 页没有识别出文字" in report.summary()
        with pdf.open("rb") as fh:
            [uploaded] = save_and_ingest(kb, [("上传的扫描件.pdf", fh)], Loader("测试", "api", verified=False))
        assert uploaded.status == "duplicate" or "第 2 页没有识别出文字" in uploaded.message
    finally:
        kb.close()


@pytest.fixture
def no_ocr(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The engine as on a machine without the `ocr` extra."""

    def missing() -> ocr.OcrEngine:
        raise ocr.OcrUnavailable(f"未安装文字识别组件（OCR，缺少 rapidocr_onnxruntime）。{ocr.INSTALL_HINT}")

    monkeypatch.setattr(ocr, "default_engine", missing)
    yield


def test_without_the_ocr_extra_scans_are_refused_with_how_to_install(scans: dict[str, Path], no_ocr: None,
                                                                     tmp_path: Path) -> None:
    for path in (scans["png"], scans["pdf"]):
        with pytest.raises(LoadError) as error:
            load_file(path)
        assert "未安装文字识别组件" in str(error.value) and "pip install" in str(error.value)
        assert path.name in str(error.value)
    # a PDF with a text layer on one page and a scan on the other: read, with the missing page named
    from tests.kb.test_loaders import make_pdf

    text_pdf = make_pdf(tmp_path / "文字层.pdf", ["关于项目管家帮办代办服务的通知\n各县区：现将帮办代办服务事项通知如下。"])
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.add_page(PdfReader(str(text_pdf)).pages[0])
    writer.add_page(PdfReader(str(scans["pdf"])).pages[1])
    mixed = tmp_path / "混合.pdf"
    with mixed.open("wb") as fh:
        writer.write(fh)
    raw = load_file(mixed)
    assert "帮办代办服务" in clean(raw).text and raw.ocr_pages == []
    assert len(raw.warnings) == 1 and raw.warnings[0].startswith("第 2 页没有文字层（扫描页），未能识别")


# -- reading order, seals: on boxes and pixels, without the engine ----------------------------------------------

def _box(text: str, x0: float, y0: float, width: float | None = None, height: float = 40) -> OcrBox:
    return OcrBox(text, 0.99, x0, y0, x0 + (width if width is not None else 40 * len(text)), y0 + height)


def test_two_columns_are_read_column_by_column() -> None:
    left = ["左栏第一行文字内容较长一些", "左栏第二行文字内容较长一些", "左栏第三行文字内容较长一些", "左栏第四行"]
    right = ["右栏第一行文字内容较长一些", "右栏第二行文字内容较长一些", "右栏第三行文字内容较长一些"]
    boxes = [_box("两栏排版的简报标题", 500, 100)]
    boxes += [_box(t, 200, 200 + 70 * k, width=560) for k, t in enumerate(left)]
    boxes += [_box(t, 860, 203 + 70 * k, width=560) for k, t in enumerate(right)]
    boxes.append(_box("— 1 —", 760, 2200))
    random.Random(1).shuffle(boxes)
    lines = [line.text for line in reading_order(boxes, 1654)]
    # each column's lines run to its right edge without a sentence end: one paragraph per column
    assert lines == ["两栏排版的简报标题", "".join(left), "".join(right), "— 1 —"]


def test_table_rows_are_read_left_to_right_with_cells_apart() -> None:
    rows = [["县区", "外商直接投资", "完成进度"], ["汉阴县", "236.7", "67.63%"], ["汉滨区", "512.0", "58.10%"]]
    boxes = [_box(cell, 220 + 420 * k, 300 + 80 * r) for r, row in enumerate(rows) for k, cell in enumerate(row)]
    boxes.append(_box("各县区外商直接投资完成情况表", 400, 200))
    random.Random(2).shuffle(boxes)
    lines = [line.text for line in reading_order(boxes, 1654)]
    assert lines == ["各县区外商直接投资完成情况表", *["\t".join(row) for row in rows]]
    from assistant.corpus.loaders import RawBlock, RawDocument

    raw = RawDocument(Path("t.png"), "png", [RawBlock(text=line, page=1, confidence=0.99) for line in lines], ocr_pages=[1])
    doc = clean(raw)
    assert [p.kind for p in doc.paras] == ["table_title", "table_header", "table_row", "table_row"]
    assert doc.paras[2].row is not None and doc.paras[2].row.as_text().startswith("各县区外商直接投资完成情况表｜县区：汉阴县")


def test_wrapped_lines_are_joined_into_paragraphs_and_page_numbers_mended() -> None:
    full = 1200  # the text block runs from x=220 to x=1420
    boxes = [
        _box("第十二条线索实行三级管理：投资方明确、规模10亿元以", 220, 100, width=full),
        _box("上或属于链主企业的为A级线索，由市级领导包抓；投资方明", 220, 170, width=full),
        _box("确的为B级线索。", 220, 240, width=320),
        _box("第十三条各县区每月报送线索台账，市招商信息中心汇总后", 300, 310, width=full - 80),
        _box("通报。", 220, 380, width=120),
        _box("一、保障措施", 220, 450, width=260),
        _box("一2一", 780, 2200, width=90),
    ]
    lines = [line.text for line in reading_order(boxes, 1654)]
    assert lines == [
        "第十二条线索实行三级管理：投资方明确、规模10亿元以上或属于链主企业的为A级线索，由市级领导包抓；投资方明确的为B级线索。",
        "第十三条各县区每月报送线索台账，市招商信息中心汇总后通报。",
        "一、保障措施",
        "— 2 —",
    ]


def test_a_title_over_two_lines_is_one_line_and_the_doc_number_is_mended() -> None:
    boxes = [
        _box("安招发〔2023】12号", 600, 300, height=48),
        _box("关于印发飞地经济合作项目利益", 377, 420, width=900, height=60),
        _box("分享办法的通知", 602, 520, width=450, height=60),
        _box("各县（市、区）招商和经济合作局：", 220, 640, height=48),
        _box("为推动县区之间飞地经济合作，现将有关事项通知如下。", 220, 720, height=48),
    ]
    lines = [line.text for line in reading_order(boxes, 1654)]
    assert lines[:2] == ["安招发〔2023〕12号", "关于印发飞地经济合作项目利益分享办法的通知"]
    assert len(lines) == 4


def test_a_red_seal_is_removed_and_the_red_masthead_kept() -> None:
    import numpy as np

    page = render_document(PAGE_ONE[:1], Layout(masthead=MASTHEAD, noise=False), signature=SIGNATURE)[0].image
    pixels = np.asarray(page)
    cleaned = remove_seals(pixels)

    def red(a: np.ndarray) -> np.ndarray:
        c = a.astype(np.int16)
        return (c[..., 0] > 140) & (c[..., 0] - np.maximum(c[..., 1], c[..., 2]) > 40)

    height = pixels.shape[0]
    top, bottom = slice(0, height // 4), slice(height // 4, height)
    assert red(pixels[bottom]).sum() > 2000 and red(cleaned[bottom]).sum() < 50  # the seal
    assert red(cleaned[top]).sum() == red(pixels[top]).sum()  # the 版头 and its rule


def test_page_helpers() -> None:
    assert ocr.pages_shown([5, 1, 2, 3, 8, 9]) == "1–3、5、8–9"
    assert ocr.page_was_read({"ocr_pages": "1,12"}, 12) and not ocr.page_was_read({"ocr_pages": "1,12"}, 2)
    assert not ocr.page_was_read({}, 1) and not ocr.page_was_read({"ocr_pages": "1"}, None)


def test_a_broken_image_is_refused_in_chinese(tmp_path: Path) -> None:
    bad = tmp_path / "坏图.png"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 200)
    with pytest.raises(LoadError) as error:
        load_file(bad)
    assert "坏图.png" in str(error.value) and "图片" in str(error.value)
    # noise, straight through the page reader: no text, and the reason
    page = ocr.read_page(noise_photo(seed=9), 1, "噪声.png")
    assert not page.readable and "没有识别出文字" in page.warning


class _ScriptedEngine:
    """Reads every page as the same two lines: for the plumbing (pages, progress, the CLI), not for OCR itself."""

    name = "scripted"

    def read(self, image: object) -> list[OcrBox]:
        return [_box("关于飞地经济合作的通知", 400, 200), _box("飞地园区项目的税收留成按六比四分享。", 220, 300)]


def test_every_page_is_reported_and_the_cli_prints_a_line_per_page(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from assistant.cli import main

    monkeypatch.setattr(ocr, "default_engine", lambda: _ScriptedEngine())
    tiff = tmp_path / "两页扫描.tif"
    frames = [Image.new("RGB", (400, 560), "white"), Image.new("RGB", (400, 560), "white")]
    for frame in frames:  # some ink: a blank page is not sent to the engine at all
        frame.paste((25, 25, 25), (60, 100, 340, 130))
    frames[0].save(tiff, save_all=True, append_images=frames[1:])
    seen: list[tuple[str, int, int]] = []
    with ocr.reporting_pages(lambda name, page, total: seen.append((name, page.number, total))):
        raw = load_file(tiff)
    assert seen == [("两页扫描.tif", 1, 2), ("两页扫描.tif", 2, 2)]
    assert raw.ocr_pages == [1, 2] and [b.page for b in raw.blocks] == [1, 1, 2, 2]

    result = CliRunner().invoke(main, ["ingest", str(tiff)], env={"ASSISTANT_DATA_DIR": str(tmp_path / "data")})
    assert result.exit_code == 0, result.output
    assert "文字识别“两页扫描.tif”：第 1/2 页，2 行" in result.output
    assert "文字识别“两页扫描.tif”：第 2/2 页，2 行" in result.output
    assert "新增 1 个" in result.output


def test_copier_specks_go_and_strokes_and_decimal_points_stay() -> None:
    import numpy as np
    from PIL import ImageDraw

    from assistant.corpus.ocr import despeckle
    from tests.kb.scans import font

    page = Image.new("RGB", (1654, 400), "white")
    draw = ImageDraw.Draw(page)
    draw.text((100, 100), "实际引进内资30.49亿元", font=font(16, 200), fill=(25, 25, 25))
    clean_text = np.asarray(page).copy()
    for x, y in ((900, 60), (1200, 300), (1500, 150)):
        draw.ellipse([x, y, x + 2, y + 2], fill=(60, 60, 60))  # dust, 3 × 3 pixels
    out = despeckle(np.asarray(page))
    ink = out.min(axis=2) < 160
    assert not ink[50:70, 890:915].any() and not ink[290:310, 1190:1215].any()
    text_ink = clean_text.min(axis=2) < 160
    assert ink[80:200, 90:1000].sum() >= 0.85 * text_ink[80:200, 90:1000].sum()  # the characters, the point of 30.49
