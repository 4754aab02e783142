"""Files of the formats a bureau's archive holds, made on the spot: a minimal valid OFD (GB/T 33190 package
layout), .xlsx (openpyxl), .pptx (python-pptx), a saved web page, and .doc/.wps written by LibreOffice from a
.docx in one soffice run. Nothing is downloaded."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

OFD_NS = "http://www.ofdspec.org/2016"


def make_ofd(path: Path, pages: list[list[tuple[float, float, str]]], title: str = "",
             template: list[tuple[float, float, str]] | None = None, custom: dict[str, str] | None = None,
             scans: dict[int, tuple[str, bytes]] | None = None) -> Path:
    """An OFD whose page n shows `pages[n]`: (x mm, y mm, text) TextObjects, in any order, written the way
    layout software writes them (each object its own Boundary, the TextCode relative to it, DeltaX gaps).
    `template`: text on a template page every page uses (where a red 版头 is often put); `scans`: page index →
    (file name, image bytes) for pages that are a scanned picture filling the page (their text list empty)."""
    def text_object(number: int, x: float, y: float, text: str) -> str:
        size = 5.6
        return (f'<ofd:TextObject ID="{number}" Boundary="{x} {y - size} {size * len(text) + 1} {size * 1.5}" '
                f'Font="3" Size="{size}"><ofd:FillColor Value="0 0 0"/>'
                f'<ofd:TextCode X="0" Y="{size}" DeltaX="g {max(len(text) - 1, 0)} {size}">{escape(text)}</ofd:TextCode>'
                f"</ofd:TextObject>")

    scans = scans or {}

    def content(objects: list[tuple[float, float, str]], uses_template: bool, scan: int | None = None) -> str:
        body = "".join(text_object(100 + k, x, y, t) for k, (x, y, t) in enumerate(objects))
        if scan is not None:
            body += f'<ofd:ImageObject ID="90" Boundary="0 0 210 297" CTM="210 0 0 297 0 0" ResourceID="{500 + scan}"/>'
        reference = '<ofd:Template TemplateID="9" ZOrder="Background"/>' if uses_template else ""
        return (f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="{OFD_NS}">{reference}'
                f'<ofd:Content><ofd:Layer ID="2">{body}</ofd:Layer></ofd:Content></ofd:Page>')

    page_refs = "".join(f'<ofd:Page ID="{10 + n}" BaseLoc="Pages/Page_{n}/Content.xml"/>' for n in range(len(pages)))
    template_ref = '<ofd:TemplatePage ID="9" BaseLoc="Tpls/Tpl_0/Content.xml"/>' if template else ""
    document = (f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="{OFD_NS}"><ofd:CommonData>'
                f'<ofd:MaxUnitID>999</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox>'
                f"</ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes>{template_ref}</ofd:CommonData>"
                f"<ofd:Pages>{page_refs}</ofd:Pages></ofd:Document>")
    info = f"<ofd:Title>{escape(title)}</ofd:Title>" if title else ""
    if custom:
        info += "<ofd:CustomDatas>" + "".join(f'<ofd:CustomData Name="{escape(k)}">{escape(v)}</ofd:CustomData>'
                                              for k, v in custom.items()) + "</ofd:CustomDatas>"
    entry = (f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="{OFD_NS}" Version="1.0" DocType="OFD">'
             f"<ofd:DocBody><ofd:DocInfo><ofd:DocID>6d1f1c1e0a7b4c2e9d3f5a6b7c8d9e0f</ofd:DocID>{info}"
             f"<ofd:CreationDate>2024-03-01</ofd:CreationDate></ofd:DocInfo>"
             f"<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>")
    pictures = "".join(f'<ofd:MultiMedia ID="{500 + n}" Type="Image"><ofd:MediaFile>{name}</ofd:MediaFile>'
                       f"</ofd:MultiMedia>" for n, (name, _) in scans.items())
    public_res = (f'<?xml version="1.0" encoding="UTF-8"?><ofd:Res xmlns:ofd="{OFD_NS}" BaseLoc="Res"><ofd:Fonts>'
                  f'<ofd:Font ID="3" FontName="仿宋_GB2312" FamilyName="仿宋"/></ofd:Fonts>'
                  f"{f'<ofd:MultiMedias>{pictures}</ofd:MultiMedias>' if pictures else ''}</ofd:Res>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("OFD.xml", entry)
        archive.writestr("Doc_0/Document.xml", document)
        archive.writestr("Doc_0/PublicRes.xml", public_res)
        for n, objects in enumerate(pages):
            archive.writestr(f"Doc_0/Pages/Page_{n}/Content.xml",
                             content(objects, bool(template), n if n in scans else None))
        for name, data in scans.values():
            archive.writestr(f"Doc_0/Res/{name}", data)
        if template:
            archive.writestr("Doc_0/Tpls/Tpl_0/Content.xml", content(template, False))
    return path


def make_xlsx(path: Path, sheets: dict[str, list[list[object]]], title: str = "") -> Path:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    if title:
        book.properties.title = title
    book.save(path)
    return path


def make_pptx(path: Path, slides: list[tuple[str, list[str]]], table: list[list[str]] | None = None) -> Path:
    """Slides of (title, bullet lines); `table` goes on the last slide below its bullets."""
    from pptx import Presentation
    from pptx.util import Inches

    deck = Presentation()
    for heading, bullets in slides:
        slide = deck.slides.add_slide(deck.slide_layouts[1])
        slide.shapes.title.text = heading
        body = slide.placeholders[1].text_frame
        body.text = bullets[0] if bullets else ""
        for line in bullets[1:]:
            body.add_paragraph().text = line
    if table:
        slide = deck.slides[len(deck.slides) - 1]
        shape = slide.shapes.add_table(len(table), len(table[0]), Inches(1), Inches(5.5), Inches(8), Inches(1.5))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                shape.table.cell(r, c).text = value
    deck.save(str(path))
    return path


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def make_word_binaries(folder: Path, documents: dict[str, list[str]]) -> dict[str, Path]:
    """.doc and .wps files written by LibreOffice: each name (ending .doc or .wps) gets a .docx of its
    paragraphs converted to Word 97 format in one soffice run. WPS 文字 (2005 and later) saves .wps in that
    same compound-file format, which is why LibreOffice reads both."""
    from docx import Document

    source = folder / "docx-sources"
    out = folder / "word97"
    source.mkdir(parents=True)
    for number, paragraphs in enumerate(documents.values()):
        document = Document()
        for text in paragraphs:
            document.add_paragraph(text)
        document.save(str(source / f"f{number}.docx"))
    executable = soffice()
    assert executable is not None
    result = subprocess.run(
        [executable, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless", "--norestore",
         "--convert-to", "doc:MS Word 97", "--outdir", str(out),
         *(str(source / f"f{n}.docx") for n in range(len(documents)))],
        capture_output=True, text=True, timeout=180,
    )
    made: dict[str, Path] = {}
    for number, name in enumerate(documents):
        converted = out / f"f{number}.doc"
        assert converted.exists(), f"soffice 未能生成 {name}：{result.stdout} {result.stderr}"
        made[name] = converted.rename(folder / name)
    return made
