"""Export a Draft as a .docx in the GB/T 9704-2012 layout, with python-docx.

A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; 22 lines of 28 characters; title
方正小标宋简体 二号 centred; body 仿宋_GB2312 三号; level-1 headings 黑体, level-2 leads 楷体_GB2312; page numbers
“— N —” in 宋体 四号, odd pages right and even pages left, one character in. Sources go to a trailing
附：依据 section the officer can delete; tables (the county indicator table) come before it as 附表.

How the 28 × 22 grid is made so that Word, WPS and LibreOffice agree: 28 三号 characters (16 pt) are
448 pt, wider than the 156 mm (442.2 pt) text block. Word's usual answer, a linesAndChars document grid
with a negative w:charSpace, squeezes each character into a 15.79 pt cell; LibreOffice computes the
same cell but gives any glyph wider than a cell two cells, so it set 14 characters a line (and with a
lines-only grid, 27). Here the grid is lines only (w:linePitch, 22 lines) and every 三号 run is
condensed by w:spacing (BODY_CONDENSE, −0.25 pt), so a character advances 15.75 pt in every suite and
28 fit, 29 do not; justified lines then spread to the margin. Lines are exactly 28.95 pt.

Fonts: names are written into w:rFonts (w:eastAsia included, w:hint="eastAsia" so quotation marks are
full width) and declared with their fallbacks in fontTable.xml (fonts.py); documents are zh-CN.
"""

from __future__ import annotations

import io
import math
import unicodedata
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Emu, Length, Mm, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph as DocxParagraph
from docx.text.run import Run

from .fonts import font_table_entries
from .sources import SOURCES_HEADING, source_lines
from .types import Draft, DraftTable, Paragraph

TITLE_FONT, BODY_FONT, HEADING_FONT, LEAD_FONT, PAGE_FONT = "方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312", "宋体"
TITLE_SIZE, BODY_SIZE, PAGE_SIZE, TABLE_SIZE, NOTE_SIZE = Pt(22), Pt(16), Pt(14), Pt(10.5), Pt(12)
PAGE_W, PAGE_H = Mm(210), Mm(297)
MARGINS = {"top": Mm(37), "bottom": Mm(35), "left": Mm(28), "right": Mm(26)}
LINES_PER_PAGE, CHARS_PER_LINE = 22, 28
LINE_PITCH = Pt(28.95)  # (297 − 37 − 35) mm ÷ 22 lines
TEXT_WIDTH = Emu(PAGE_W - MARGINS["left"] - MARGINS["right"])  # 156 mm
# Character spacing of 三号 runs, in twentieths of a point, rounded down so 28 advances fit the text
# width (−4 would give 15.80 pt × 28 = 442.4 pt > 442.2 pt): −5, i.e. 15.75 pt a character.
BODY_CONDENSE = math.floor((TEXT_WIDTH.pt / CHARS_PER_LINE - BODY_SIZE.pt) * 20)
INDENT = Pt(32)  # two characters of 三号
RECORD_KINDS = ("cc", "issued")  # 版记
ISSUED_SEPARATOR = "\u3000"  # between 印发机关 and 印发日期 in an "issued" paragraph's text
RULE_THICK, RULE_THIN = 8, 6  # 版记 lines in eighths of a point: 1 pt ≈ 0.35 mm, 0.75 pt ≈ 0.25 mm
RECORD_LINE_PT = 28  # 版记 line height: 四号 with room above and below the rules
RED = RGBColor(0xFF, 0x00, 0x00)


def export_docx(draft: Draft, path: Path, sources: bool = True) -> Path:
    """Write the draft to `path` (.docx) and return the path."""
    path.write_bytes(docx_bytes(draft, sources=sources))
    return path


def docx_bytes(draft: Draft, sources: bool = True) -> bytes:
    doc = Document()
    _page_setup(doc)
    _header_block(doc, draft)
    _title(doc, draft.title)
    for paragraph in draft.paragraphs:
        if paragraph.kind not in RECORD_KINDS:
            _paragraph(doc, paragraph)
    for table in draft.tables:
        _table(doc, table)
    _record(doc, [p for p in draft.paragraphs if p.kind in RECORD_KINDS])
    if sources:
        _sources(doc, draft)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


# -- fonts and page ------------------------------------------------------------------------------------

def set_font(run: Run, name: str, size: Pt, bold: bool = False, color: RGBColor | None = None) -> None:
    run.font.name = name
    run.font.size = size
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    _run_properties(run._element.get_or_add_rPr(), name, size)


def _run_properties(r_pr: BaseOxmlElement, name: str, size: Length) -> None:
    """Font name in every slot, East Asian hint, and the 三号 condensing (0 for other sizes, which
    would otherwise inherit it from the Normal style)."""
    fonts = r_pr.get_or_add_rFonts()  # type: ignore[attr-defined]
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)
    fonts.set(qn("w:hint"), "eastAsia")
    for old in r_pr.findall(qn("w:spacing")):
        r_pr.remove(old)
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:val"), str(BODY_CONDENSE if size == BODY_SIZE else 0))
    r_pr.insert_element_before(spacing, *_AFTER_SPACING)


# The elements that follow w:spacing inside w:rPr (CT_RPr's sequence), so Word accepts the file.
_AFTER_SPACING = ("w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr",
                  "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout",
                  "w:specVanish", "w:oMath")


def _page_setup(doc: DocumentObject) -> None:
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = BODY_FONT, BODY_SIZE  # type: ignore[attr-defined]
    _run_properties(normal.element.get_or_add_rPr(), BODY_FONT, BODY_SIZE)  # text typed later keeps 28 a line
    # LibreOffice drops a “，” it hangs past the margin from the page and the PDF, and it reads
    # w:overflowPunct inverted: "1" is what stops it hanging there, while Word keeps its default (hang).
    overflow = OxmlElement("w:overflowPunct")
    overflow.set(qn("w:val"), "1")
    normal.element.get_or_add_pPr().insert_element_before(overflow, *_AFTER_OVERFLOW_PUNCT)
    _chinese(doc)
    fmt = normal.paragraph_format  # type: ignore[attr-defined]
    fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, LINE_PITCH
    fmt.space_before = fmt.space_after = Pt(0)
    section = doc.sections[0]
    section.page_width, section.page_height = PAGE_W, PAGE_H
    section.top_margin, section.bottom_margin = MARGINS["top"], MARGINS["bottom"]
    section.left_margin, section.right_margin = MARGINS["left"], MARGINS["right"]
    section.header_distance, section.footer_distance = Mm(15), Mm(25)
    _document_grid(section)
    doc.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer.paragraphs[0], odd=True)
    _page_number(section.even_page_footer.paragraphs[0], odd=False)


def _document_grid(section: object) -> None:
    """A lines-only grid of 22 lines; the 28 characters come from BODY_CONDENSE (see the module docstring)."""
    sect_pr = section._sectPr  # type: ignore[attr-defined]
    for old in sect_pr.findall(qn("w:docGrid")):
        sect_pr.remove(old)
    grid = OxmlElement("w:docGrid")
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(round(LINE_PITCH.pt * 20)))
    sect_pr.append(grid)


def _chinese(doc: DocumentObject) -> None:
    """zh-CN as the East Asian language (python-docx's template says en-US / ja-JP), so spell checking,
    punctuation rules and a font substitute are Chinese; the 公文 fonts and their fallbacks in fontTable.xml."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    r_pr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")) if defaults is not None else None
    if r_pr is not None:
        lang = r_pr.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            r_pr.append(lang)
        lang.set(qn("w:eastAsia"), "zh-CN")
    theme_lang = doc.settings.element.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:eastAsia"), "zh-CN")
    font_table = next(p for p in doc.part.package.iter_parts() if p.partname == "/word/fontTable.xml")
    xml = font_table.blob.decode("utf-8")
    for name, entry in font_table_entries().items():
        if f'w:name="{name}"' not in xml:
            xml = xml.replace("</w:fonts>", entry + "</w:fonts>")
    font_table._blob = xml.encode("utf-8")  # type: ignore[attr-defined]


def _page_number(paragraph: DocxParagraph, odd: bool) -> None:
    """“— N —”: odd pages right-aligned, even pages left-aligned, one character in from the edge."""
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT if odd else WD_ALIGN_PARAGRAPH.LEFT
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    if odd:
        fmt.right_indent = PAGE_SIZE
    else:
        fmt.left_indent = PAGE_SIZE
    set_font(paragraph.add_run("— "), PAGE_FONT, PAGE_SIZE)
    for kind, text in (("begin", None), ("instr", " PAGE "), ("separate", None), ("text", "1"), ("end", None)):
        run = paragraph.add_run()  # one run per field part, as Word writes them
        set_font(run, PAGE_FONT, PAGE_SIZE)
        if kind == "instr":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        elif kind == "text":
            element = OxmlElement("w:t")
            element.text = text
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        run._element.append(element)
    set_font(paragraph.add_run(" —"), PAGE_FONT, PAGE_SIZE)


# -- blocks --------------------------------------------------------------------------------------------

def _add(doc: DocumentObject, text: str = "", font: str = BODY_FONT, size: Pt = BODY_SIZE,
         align: int | None = None, indent: bool = False) -> DocxParagraph:
    paragraph = doc.add_paragraph()
    if align is not None:
        paragraph.alignment = align  # type: ignore[assignment]
    if indent:
        paragraph.paragraph_format.first_line_indent = INDENT
    if size != BODY_SIZE:
        _off_grid(paragraph)
    if text:
        set_font(paragraph.add_run(text), font, size)
    return paragraph


def _off_grid(paragraph: DocxParagraph) -> None:
    """Lines not in 三号 keep their own spacing: LibreOffice would otherwise give every line of a table
    cell, note or title a whole 28.95 pt grid line, which Word does not."""
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    paragraph._p.get_or_add_pPr().insert_element_before(snap, *_AFTER_SNAP_TO_GRID)


# The elements that follow w:snapToGrid, and w:pBdr, inside w:pPr (CT_PPr's sequence).
_AFTER_SNAP_TO_GRID = ("w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
                       "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId",
                       "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")
_AFTER_OVERFLOW_PUNCT = ("w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
                         "w:snapToGrid", *_AFTER_SNAP_TO_GRID)
_AFTER_BORDERS = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
                  "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
                  *_AFTER_SNAP_TO_GRID)


def _border(paragraph: DocxParagraph, sides: tuple[str, ...], color: str = "000000", size: int = 6) -> None:
    """Add border lines; called again for another side, it adds to the same w:pBdr (top before bottom)."""
    p_pr = paragraph._p.get_or_add_pPr()
    borders = p_pr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        p_pr.insert_element_before(borders, *_AFTER_BORDERS)
    for side in sides:
        line = OxmlElement(f"w:{side}")
        for key, value in (("w:val", "single"), ("w:sz", str(size)), ("w:space", "1"), ("w:color", color)):
            line.set(qn(key), value)
        borders.append(line)


def _header_block(doc: DocumentObject, draft: Draft) -> None:
    h = draft.header
    for mark in (h.category, h.access):
        if mark:
            _add(doc, mark, HEADING_FONT)
    if not h.office:
        return
    banner = _add(doc, align=WD_ALIGN_PARAGRAPH.CENTER)
    banner.paragraph_format.line_spacing = Pt(2 * LINE_PITCH.pt)  # exact, so the lines below stay on the grid
    set_font(banner.add_run(h.office), TITLE_FONT, Pt(26), color=RED)
    line = _add(doc)
    if h.doc_number:
        line.paragraph_format.left_indent = BODY_SIZE
        set_font(line.add_run(h.doc_number), BODY_FONT, BODY_SIZE)
    if h.signer:
        line.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH - BODY_SIZE, WD_TAB_ALIGNMENT.RIGHT)
        set_font(line.add_run("\t签发人："), BODY_FONT, BODY_SIZE)
        set_font(line.add_run(h.signer), LEAD_FONT, BODY_SIZE)
    _border(line, ("bottom",), color="FF0000", size=12)


def _title(doc: DocumentObject, title: str) -> None:
    _add(doc)
    paragraph = _add(doc, title, TITLE_FONT, TITLE_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER)
    paragraph.paragraph_format.line_spacing = LINE_PITCH  # one grid line a title line, as GB/T 9704 counts
    _add(doc)


def _paragraph(doc: DocumentObject, p: Paragraph) -> None:
    if p.kind == "recipient":
        _add(doc, p.text)
    elif p.kind == "heading1":  # never left at the foot of a page without its first paragraph
        _add(doc, p.full_text, HEADING_FONT, indent=True).paragraph_format.keep_with_next = True
    elif p.kind == "signature":
        _add(doc)
        paragraph = _add(doc, p.text, align=WD_ALIGN_PARAGRAPH.RIGHT)
        paragraph.paragraph_format.right_indent = Pt(32)
    elif p.kind == "date":
        paragraph = _add(doc, p.text, align=WD_ALIGN_PARAGRAPH.RIGHT)
        paragraph.paragraph_format.right_indent = Pt(64)
    elif p.kind == "contact":
        _add(doc)
        _add(doc, p.text, indent=True)
    else:  # body, closing
        paragraph = _add(doc, indent=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
        if p.lead:
            set_font(paragraph.add_run(p.lead), LEAD_FONT, BODY_SIZE)
        if p.text:
            set_font(paragraph.add_run(p.text), BODY_FONT, BODY_SIZE)


def _record(doc: DocumentObject, paragraphs: list[Paragraph]) -> None:
    """版记 (GB/T 9704 7.4), after the 附表: 抄送 and 印发机关、印发日期 in 四号仿宋, one character in, as a
    borderless one-column table whose rules span the text block: thick (0.35 mm) above the first and below
    the last element, thin (0.25 mm) between them; a 抄送 that wraps lines up after its colon."""
    if not paragraphs:
        return
    _add(doc)
    grid = doc.add_table(rows=len(paragraphs), cols=1)
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    _column_widths(grid, [TEXT_WIDTH], margin=Emu(0))
    rules = OxmlElement("w:tblBorders")
    for side, size in (("top", RULE_THICK), ("left", 0), ("bottom", RULE_THICK), ("right", 0),
                       ("insideH", RULE_THIN), ("insideV", 0)):
        rule = OxmlElement(f"w:{side}")
        rule.set(qn("w:val"), "single" if size else "nil")
        if size:
            for key, value in (("w:sz", str(size)), ("w:space", "0"), ("w:color", "000000")):
                rule.set(qn(key), value)
        rules.append(rule)
    grid._tbl.tblPr.insert_element_before(rules, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook",
                                          "w:tblCaption", "w:tblDescription")
    for row, p in zip(grid.rows, paragraphs, strict=True):
        line = row.cells[0].paragraphs[0]
        _off_grid(line)
        fmt = line.paragraph_format
        fmt.line_spacing = Pt(RECORD_LINE_PT)
        if p.kind == "issued":
            issuer, _, when = p.text.rpartition(ISSUED_SEPARATOR)
            fmt.left_indent = fmt.right_indent = PAGE_SIZE
            fmt.tab_stops.add_tab_stop(TEXT_WIDTH - PAGE_SIZE, WD_TAB_ALIGNMENT.RIGHT)
            set_font(line.add_run(f"{issuer.strip(ISSUED_SEPARATOR)}\t{when}"), BODY_FONT, PAGE_SIZE)
        else:
            label = p.text.split("：", 1)[0] + "：" if "：" in p.text else ""
            fmt.left_indent = Pt(PAGE_SIZE.pt * (1 + len(label)))
            fmt.first_line_indent = Pt(-PAGE_SIZE.pt * len(label))
            fmt.right_indent = PAGE_SIZE
            set_font(line.add_run(p.text), BODY_FONT, PAGE_SIZE)


def _table(doc: DocumentObject, table: DraftTable) -> None:
    _add(doc, "附表", HEADING_FONT).paragraph_format.page_break_before = True
    title = _add(doc, table.title, TITLE_FONT, Pt(18), align=WD_ALIGN_PARAGRAPH.CENTER)
    title.paragraph_format.line_spacing = LINE_PITCH
    if table.unit_note:
        note = _add(doc, table.unit_note, size=NOTE_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER)
        note.paragraph_format.line_spacing = Pt(20)
    columns = max(len(r) for r in table.header + table.rows)
    grid = doc.add_table(rows=len(table.header) + len(table.rows), cols=columns)
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    for r, cells in enumerate(table.header + table.rows):
        for c, text in enumerate(cells):
            _cell(grid, r, c, text, header=r < len(table.header))
    _merge_header(grid, table.header)
    _column_widths(grid, _fitted_widths(table, columns))


CELL_MARGIN = Mm(1)


def _fitted_widths(table: DraftTable, columns: int) -> list[int]:
    """Column widths (EMU) filling the text width, each at least as wide as its longest body cell set in
    五号 (so no figure wraps, whichever font substitutes), the rest shared equally; header cells may wrap."""
    def needed(texts: list[str]) -> float:
        ems = max((sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.6 for ch in t) for t in texts), default=0)
        return max(ems, 2.0) * TABLE_SIZE + 2 * CELL_MARGIN + Mm(1)

    need = [needed([row[c] for row in table.rows if c < len(row)]) for c in range(columns)]
    spare = TEXT_WIDTH - sum(need)
    if spare >= 0:
        return [int(n + spare / columns) for n in need]
    return [int(n * TEXT_WIDTH / sum(need)) for n in need]


def _column_widths(grid: Table, widths: list[int], margin: Length = CELL_MARGIN) -> None:
    """Fixed layout with the given grid, a merged cell as wide as its columns, cell margins left and right."""
    grid.autofit = False
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = Emu(width)
    for tr in grid._tbl.tr_lst:
        c = 0
        for tc in tr.tc_lst:
            tc.width = Emu(sum(widths[c:c + tc.grid_span]))
            c += tc.grid_span
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        cell_margin = OxmlElement(f"w:{side}")
        cell_margin.set(qn("w:w"), str(round(margin.pt * 20)))
        cell_margin.set(qn("w:type"), "dxa")
        margins.append(cell_margin)
    grid._tbl.tblPr.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblDescription")


def _cell(grid: Table, r: int, c: int, text: str, header: bool) -> None:
    paragraph = grid.cell(r, c).paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    paragraph.paragraph_format.first_line_indent = Pt(0)
    paragraph.paragraph_format.space_before = paragraph.paragraph_format.space_after = Pt(3)
    _off_grid(paragraph)
    set_font(paragraph.add_run(text), HEADING_FONT if header else BODY_FONT, TABLE_SIZE)


def _merge_header(grid: Table, header: list[list[str]]) -> None:
    """Equal neighbouring header cells become one merged cell (across, then down)."""
    for r, cells in enumerate(header):
        c = 0
        while c < len(cells):
            end = c
            while end + 1 < len(cells) and cells[end + 1] == cells[c] and cells[c]:
                end += 1
            if end > c:
                merged = grid.cell(r, c).merge(grid.cell(r, end))
                _keep_one_paragraph(merged, cells[c])
            c = end + 1
    if len(header) > 1:
        for c, text in enumerate(header[0]):
            if text and all(len(row) > c and row[c] == text for row in header[1:]):
                merged = grid.cell(0, c).merge(grid.cell(len(header) - 1, c))
                _keep_one_paragraph(merged, text)


def _keep_one_paragraph(cell: object, text: str) -> None:
    paragraphs = cell.paragraphs  # type: ignore[attr-defined]
    for extra in paragraphs[1:]:
        extra._p.getparent().remove(extra._p)
    for run in paragraphs[0].runs[1:]:
        run._r.getparent().remove(run._r)
    if paragraphs[0].runs:
        paragraphs[0].runs[0].text = text


def _sources(doc: DocumentObject, draft: Draft) -> None:
    lines = source_lines(draft)
    if not lines:
        return
    _add(doc, SOURCES_HEADING, HEADING_FONT).paragraph_format.page_break_before = True
    note = _add(doc, "（本部分列出各段文字和数字的出处，供核对；定稿时整体删除。）", size=NOTE_SIZE)
    note.paragraph_format.line_spacing = Pt(20)
    for line in lines:
        paragraph = _add(doc, line, size=NOTE_SIZE)
        paragraph.paragraph_format.line_spacing = Pt(20)

