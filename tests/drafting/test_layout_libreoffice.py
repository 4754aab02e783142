"""The exported .docx as LibreOffice lays it out (and so the 信创 suites built on it): every form staff
write — 答复函 (A/C类, 两段式), 工作报告, 工作总结, 通报 (周动态, 月排名, 季度考核), 通知 and 请示 —
converted with `soffice --headless --convert-to pdf`, then read back with pypdf.

GB/T 9704: 28 characters a line and 22 lines a page, 三号 body. Each body paragraph of the draft is found
in the PDF's lines; every line but its last holds 28 ± 1 full-width characters (the first, indented two
characters, 26 ± 1), unless the next line starts with a figure or an ordinal that cannot be split
(“49.66%、54.56%，”, “（一）” move whole, as Word moves them). Before the fix LibreOffice set 14 a line (12 on first lines). The forms that
have a 版记 end with it (印发机关 and 印发日期), and figures are written as 公文 write them (1916万美元, 559%).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from docx.shared import Emu
from pypdf import PdfReader

from assistant.db.session import FigureStore
from assistant.drafting import Draft, ReplyRequest, ReportRequest, draft_reply, draft_report, export_docx
from assistant.drafting.bulletin import BulletinRequest, draft_bulletin
from assistant.drafting.docx_export import CHARS_PER_LINE, LINE_PITCH, LINES_PER_PAGE, MARGINS, PAGE_H
from assistant.drafting.fonts import FONTS, fontconfig_xml
from assistant.drafting.skeleton import SkeletonRequest, draft_skeleton
from assistant.index.kb import KnowledgeBase

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(
    SOFFICE is None,
    reason="LibreOffice（soffice）未安装，跳过版式渲染测试；安装：apt-get install libreoffice-writer-nogui fonts-arphic-ukai "
           "fonts-arphic-uming（.ci/run 会自动安装）")

BODY_PT, TITLE_PT = 16.0, 22.0
# A line counted for characters a line: only full-width characters (ideographs, CJK punctuation, full-width
# forms), so the count does not depend on how wide the substitute font sets digits or curly quotes.
FULL_WIDTH = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff01-\uff60]+")
QUOTES = str.maketrans("", "", "“”‘’")


@dataclass
class Line:
    page: int
    y: float
    text: str = ""
    sizes: set[float] = field(default_factory=set)
    fonts: Counter[str] = field(default_factory=Counter)  # font → CJK characters set in it


def pdf_lines(path: Path) -> list[list[Line]]:
    """Text lines of each page, top to bottom, glyphs in content-stream order (left to right)."""
    pages: list[list[Line]] = []
    for number, page in enumerate(PdfReader(path).pages, start=1):
        lines: list[Line] = []

        def visit(text: str, cm: list[float], tm: list[float], font: dict[str, object] | None, size: float,
                  lines: list[Line] = lines, number: int = number) -> None:
            if not text.strip():
                return
            y = tm[5] * cm[3] + cm[5]
            line = next((ln for ln in lines if abs(ln.y - y) < 3), None)
            if line is None:
                line = Line(number, y)
                lines.append(line)
            line.text += text.replace(" ", "")
            line.sizes.add(round(size * abs(tm[3]) * abs(cm[3]), 1))
            name = str(font.get("/BaseFont", "")) if font else ""
            line.fonts[name.lstrip("/").split("+")[-1]] += sum(map(len, FULL_WIDTH.findall(text)))

        page.extract_text(visitor_text=visit)
        pages.append(sorted(lines, key=lambda ln: -ln.y))
    return pages


def body_paragraph_lines(draft: Draft, pages: list[list[Line]]) -> list[list[str]]:
    """For each body paragraph of the draft, the text of the PDF lines it was set in, in order."""
    rows = [ln.text for page in pages for ln in page if ln.sizes == {BODY_PT}]
    keys = [row.translate(QUOTES) for row in rows]  # quotes may be set in another font, out of order
    found, start = [], 0
    for paragraph in draft.paragraphs:
        if paragraph.kind not in ("body", "closing") or not paragraph.full_text:
            continue
        target = paragraph.full_text.translate(QUOTES)
        i = next((i for i in range(start, len(keys)) if keys[i] and target.startswith(keys[i])), None)
        assert i is not None, f"段落未在 PDF 中找到：{target[:30]}…"
        first, text = i, ""
        while i < len(keys) and text != target and target.startswith(text + keys[i]):
            text += keys[i]
            i += 1
        assert text == target, f"段落在 PDF 中不完整：{target[:30]}…，读到 {rows[first:i]}"
        found.append(rows[first:i])
        start = i
    return found


def convert(docs: list[Path], out: Path, profile: Path, fontconfig: Path | None) -> list[Path]:
    env = dict(os.environ)
    if fontconfig is not None:
        env["FONTCONFIG_FILE"] = str(fontconfig)
    assert SOFFICE is not None
    result = subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
         "--outdir", str(out), *map(str, docs)],
        env=env, capture_output=True, text=True, timeout=300, check=False)
    pdfs = [out / f"{doc.stem}.pdf" for doc in docs]
    assert all(p.exists() for p in pdfs), f"soffice 转换失败：{result.returncode} {result.stdout} {result.stderr}"
    return pdfs


@pytest.fixture(scope="module")
def drafts(kb: KnowledgeBase, store: FigureStore) -> dict[str, Draft]:
    request = ReplyRequest(number="市政协五届二次会议第205号", title="《关于推动我市招商引资工作高质量发展的提案》",
                           proposer="刘文涛", category="B", contact="王晓东", phone="0915-3330102",
                           suggestions=["建立县区间招商信息共享机制，打破信息壁垒，避免同质化竞争",
                                        "加强项目落地后续服务，解决重招引轻后扶问题", "发展低空经济无人机产业，建设无人机产业园"],
                           doc_number="安招函〔2023〕31号", signer="周立衡", period="2023Q1", date=date(2023, 7, 28))
    skeleton = {"date": date(2023, 8, 5), "signer": "周立衡", "contact": "王晓东", "phone": "0915-3330102"}
    return {"reply": draft_reply(request, kb, store),
            "reply_a": draft_reply(request.model_copy(update={"category": "A"}), kb, store),
            "reply_c": draft_reply(request.model_copy(update={"category": "C"}), kb, store),
            "two_part": draft_reply(request.model_copy(update={"style": "两段式"}), kb, store),
            "report": draft_report(ReportRequest(period="2023年一季度", date=date(2023, 8, 31)), kb, store),
            "summary": draft_report(ReportRequest(period="2023-06", form="工作总结", date=date(2023, 7, 10)), kb, store),
            "bulletin": draft_bulletin(BulletinRequest(kind="周动态"), store),
            "monthly": draft_bulletin(BulletinRequest(kind="月排名", period="2023-07"), store),
            "assessment": draft_bulletin(BulletinRequest(kind="季度考核", period="2023Q2"), store),
            "notice": draft_skeleton(SkeletonRequest(form="通知", subject="开展招商引资项目集中签约活动", **skeleton)),
            "request": draft_skeleton(SkeletonRequest(form="请示", subject="举办秦巴招商推介会", **skeleton))}


@pytest.fixture(scope="module", params=["system-fonts", "gongwen-fontconfig"])
def rendered(request: pytest.FixtureRequest, drafts: dict[str, Draft],
             tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, list[list[Line]]], Path | None]:
    """Both drafts (without the 附：依据 listing) as LibreOffice lays them out: with the machine's fonts as
    they are, and with fonts.py's fallbacks installed as a fontconfig snippet."""
    root = tmp_path_factory.mktemp(request.param)
    docs = [export_docx(draft, root / f"{kind}.docx", sources=False) for kind, draft in drafts.items()]
    fontconfig = None
    if request.param == "gongwen-fontconfig":
        (root / "60-gongwen-fonts.conf").write_text(fontconfig_xml(), encoding="utf-8")
        fontconfig = root / "fonts.conf"
        fontconfig.write_text(
            '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n<fontconfig>'
            '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
            f'<include>{root / "60-gongwen-fonts.conf"}</include></fontconfig>\n', encoding="utf-8")
    profile = tmp_path_factory.getbasetemp() / "soffice-profile"  # one profile: created once, reused
    pdfs = convert(docs, root, profile, fontconfig)
    return request.param, {doc.stem: pdf_lines(pdf) for doc, pdf in zip(docs, pdfs, strict=True)}, fontconfig


# Full lines of body text each form has at least (a skeleton is mostly short 【待补充】 lines).
FULL_LINES = {"reply": 8, "reply_a": 8, "reply_c": 8, "two_part": 8, "report": 8, "summary": 4, "bulletin": 8, "monthly": 4,
              "assessment": 2, "notice": 0, "request": 1}
RECORD = ("reply", "reply_a", "reply_c", "two_part", "bulletin", "monthly", "assessment", "notice", "request")  # have a 版记
UNSPLIT = re.compile(r"^(?:[（(“]?[0-9A-Za-z]|（[一二三四五六七八九十]+）)")  # a figure or an ordinal moved whole


@pytest.mark.parametrize("kind", list(FULL_LINES))
def test_body_lines_hold_28_characters(kind: str, drafts: dict[str, Draft],
                                       rendered: tuple[str, dict[str, list[list[Line]]], Path | None]) -> None:
    _, pdfs, _ = rendered
    checked, wrong = [], []
    for lines in body_paragraph_lines(drafts[kind], pdfs[kind]):
        for n, line in enumerate(lines[:-1]):  # a paragraph's last line is as long as it happens to be
            if not FULL_WIDTH.fullmatch(line):
                continue
            expected = CHARS_PER_LINE - 2 if n == 0 else CHARS_PER_LINE
            if len(line) < expected - 1 and UNSPLIT.match(lines[n + 1]):
                continue
            checked.append(len(line))
            if abs(len(line) - expected) > 1:
                wrong.append(f"{len(line)}（应为 {expected}）：{line}")
    assert wrong == []
    assert len(checked) >= FULL_LINES[kind], checked  # enough full lines that the check means something
    if checked:
        assert Counter(checked).most_common(1)[0][0] in (CHARS_PER_LINE, CHARS_PER_LINE - 2, CHARS_PER_LINE - 1)


@pytest.mark.parametrize("kind", list(FULL_LINES))
def test_the_record_closes_the_forms_that_have_one_and_figures_are_written_as_gongwen(
        kind: str, drafts: dict[str, Draft], rendered: tuple[str, dict[str, list[list[Line]]], Path | None]) -> None:
    _, pdfs, _ = rendered
    lines = [ln for page in pdfs[kind] for ln in page]
    issued = [p.text.replace("\u3000", "") for p in drafts[kind].paragraphs if p.kind == "issued"]
    assert bool(issued) == (kind in RECORD)
    if issued:  # 印发机关 and 印发日期 in 四号, after everything else of the text (附表 aside)
        record = next(i for i, ln in enumerate(lines) if ln.text == issued[0])
        assert lines[record].sizes == {14.0} and lines[record].text.endswith("印发")
        assert all(ln.sizes != {BODY_PT} for ln in lines[record + 1:])
    body = "".join(ln.text for ln in lines if ln.sizes == {BODY_PT})
    assert not re.search(r"\d\.\d*0(?:%|万美元|亿元|万元|个百分点)|\d\.(?:%|万)", body), body  # 1916万美元, not 1916.00万美元


@pytest.mark.parametrize(("kind", "max_pages"), [("reply", 4), ("reply_a", 4), ("reply_c", 4), ("two_part", 4), ("report", 5),
                                                 ("summary", 5), ("bulletin", 3), ("monthly", 4), ("assessment", 4),
                                                 ("notice", 2), ("request", 2)])
def test_22_lines_a_page_on_the_grid(kind: str, max_pages: int,
                                     rendered: tuple[str, dict[str, list[list[Line]]], Path | None]) -> None:
    _, pdfs, _ = rendered
    pages = pdfs[kind]
    assert len(pages) <= max_pages  # 4 and 4 here; 6 and 8 before the fix
    per_page = [[ln for ln in page if ln.sizes == {BODY_PT}] for page in pages]
    top, bottom = Emu(PAGE_H - MARGINS["top"]).pt, MARGINS["bottom"].pt
    for page, lines in zip(pages, per_page, strict=True):
        assert len(lines) <= LINES_PER_PAGE
        assert all(bottom < ln.y < top for ln in lines)  # inside the text block
        for upper, lower in zip(page, page[1:], strict=False):  # successive 三号 lines are whole grid lines
            if upper.sizes == lower.sizes == {BODY_PT}:  # (28.95 pt) apart; a 黑体 baseline sits ~1 pt higher
                steps = (upper.y - lower.y) / LINE_PITCH.pt
                assert abs(steps - round(steps)) < 0.06 and round(steps) >= 1, (upper.text, lower.text, steps)
    # A page of body text followed by more fills the block (page 1 holds the 版头 and title): widow control may
    # carry one line over, a heading kept with its paragraph's first two lines three; a 附表 starts a new page.
    starts = [lines[0].text if lines else "" for lines in per_page]
    for i in range(1, len(per_page) - 1):
        if per_page[i] and per_page[i + 1] and starts[i + 1] != "附表":
            carried = 3 if re.match(r"[一二三四五六七八九十]+、", starts[i + 1]) else 1
            assert len(per_page[i]) >= LINES_PER_PAGE - carried, (kind, i + 1, starts[i + 1])
    if kind in ("reply", "reply_a", "reply_c", "two_part", "report", "summary", "bulletin"):
        assert max(len(lines) for lines in per_page) >= LINES_PER_PAGE - 3  # these run a full page at least


def _fc_match(name: str, fontconfig: Path) -> tuple[str, str]:
    found = subprocess.run(["fc-match", "-f", "%{family[0]}|%{postscriptname}", f"{name}:lang=zh-cn"],
                           env={**os.environ, "FONTCONFIG_FILE": str(fontconfig)},
                           capture_output=True, text=True, timeout=30, check=True).stdout
    family, postscript = found.split("|")
    return family, postscript


def test_fonts_fall_back_along_the_declared_chain(drafts: dict[str, Draft],
                                                  rendered: tuple[str, dict[str, list[list[Line]]], Path | None]) -> None:
    setup, pdfs, fontconfig = rendered
    if fontconfig is None or shutil.which("fc-match") is None:
        pytest.skip("只在装了 fonts.py 生成的 fontconfig 替代表时核对字体")
    lines = [ln for page in pdfs["reply"] for ln in page]
    used = {
        "仿宋_GB2312": sum((ln.fonts for ln in lines if ln.sizes == {BODY_PT} and ln.text.startswith("您在")), Counter()),
        "黑体": sum((ln.fonts for ln in lines if ln.text == "一、提案办理情况"), Counter()),
        "方正小标宋简体": sum((ln.fonts for ln in lines if ln.sizes == {TITLE_PT}), Counter()),
    }
    chains = {font.name: font.fallbacks for font in FONTS}
    for name, counts in used.items():
        family, postscript = _fc_match(name, fontconfig)
        assert counts.most_common(1)[0][0] == postscript, (name, counts, family)
        installed = [f for f in chains[name] if _fc_match(f, fontconfig)[0] == f]
        if installed:  # the snippet took effect: the first installed font of the chain stands in
            assert family == installed[0], (name, family, installed)
