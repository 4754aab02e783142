"""OFD (GB/T 33190-2016), the Chinese fixed-layout e-document: a zip of XML parts, read here directly.

No PyPI reader was good enough to depend on: easyofd (the maintained one) renders to PDF/images and pulls
PyMuPDF and reportlab; ofdparser and pyofd are unmaintained since 2018–2023. The text path is small:
OFD.xml → DocBody/DocRoot → Document.xml → Pages/Page@BaseLoc → Content.xml → TextObject/TextCode. Each
TextCode is placed at (Boundary.x + X, Boundary.y + Y) in millimetres; codes are grouped into lines by their
baseline and ordered top to bottom, left to right, as a PDF's text layer would be. A page's template (where
the red 版头 often sits) is read with it. Annotations (seals, signatures) are not text of the document.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.corpus.archives import inflation_problem
from assistant.corpus.loaders import (
    CLASS_PROPERTY,
    Margin,
    RawBlock,
    RawDocument,
    _pdf_margins,
    register_loader,
)
from assistant.errors import LoadError


class OfdError(Exception):
    """str(err) is a Chinese reason."""


@dataclass
class _Code:
    x: float
    y: float  # baseline, mm from the page top
    size: float
    width: float
    text: str


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(element: Any, name: str) -> list[Any]:
    return [child for child in element if _local(child.tag) == name]


def _find(element: Any, *names: str) -> Any:
    """The first descendant along a path of local names (OFD files differ in namespace prefix and URI)."""
    for name in names:
        found = next((child for child in element if _local(child.tag) == name), None)
        if found is None:
            return None
        element = found
    return element


def _numbers(text: str | None) -> list[float]:
    return [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?(?:[eE]-?\d+)?", text or "")]


def _delta_width(delta: str | None, count: int, size: float) -> float:
    """The advance of a TextCode: its DeltaX gaps (with "g N v" meaning N gaps of v) plus the last glyph."""
    tokens = (delta or "").split()
    gaps: list[float] = []
    i = 0
    while i < len(tokens):
        if tokens[i] == "g" and i + 2 < len(tokens):
            gaps += [float(tokens[i + 2])] * int(float(tokens[i + 1]))
            i += 3
            continue
        try:
            gaps.append(float(tokens[i]))
        except ValueError:
            pass
        i += 1
    if not gaps:
        return size * count
    return sum(gaps[: max(count - 1, 0)]) + size


class _Package:
    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        self.names = {name.lstrip("/").lower(): name for name in archive.namelist()}

    def xml(self, name: str, what: str) -> Any:
        from lxml import etree

        stored = self.names.get(name.lstrip("/").lower())
        if stored is None:
            raise OfdError(f"缺少{what}（{name}），文件不完整或已损坏")
        try:
            parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=False)
            return etree.fromstring(self.archive.read(stored), parser)
        except etree.XMLSyntaxError as exc:
            raise OfdError(f"{what}（{name}）不是有效的 XML（{exc.msg}），文件已损坏") from exc


def _resolve(base_file: str, loc: str) -> str:
    """A BaseLoc: absolute from the package root when it starts with '/', else relative to its own file."""
    loc = loc.strip().replace("\\", "/")
    if loc.startswith("/"):
        return posixpath.normpath(loc.lstrip("/"))
    return posixpath.normpath(posixpath.join(posixpath.dirname(base_file), loc))


def _codes(content: Any) -> list[_Code]:
    """Every TextCode of a page with its position on the page. A TextCode without X or Y continues from the
    previous one's (GB/T 33190 §11.3); an object's CTM maps its own coordinates into its Boundary."""
    codes: list[_Code] = []
    for obj in content.iter():
        if _local(obj.tag) != "TextObject":
            continue
        box = _numbers(obj.get("Boundary"))
        ox, oy = (box[0], box[1]) if len(box) >= 2 else (0.0, 0.0)
        size = (_numbers(obj.get("Size")) or [3.5])[0]
        ctm = _numbers(obj.get("CTM"))
        a, b, c, d, e, f = ctm if len(ctm) == 6 else (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
        scale = abs(d) or abs(a) or 1.0
        x, y = 0.0, size
        for code in _children(obj, "TextCode"):
            x = (_numbers(code.get("X")) or [x])[0]
            y = (_numbers(code.get("Y")) or [y])[0]
            text = code.text or ""
            if not text.strip():
                continue
            width = _delta_width(code.get("DeltaX"), len(text), size) * scale
            codes.append(_Code(ox + a * x + c * y + e, oy + b * x + d * y + f, size * scale, width, text))
    return codes


@dataclass
class _Line:
    text: str
    x0: float
    x1: float
    y: float
    size: float


def _lines(codes: list[_Code]) -> list[_Line]:
    """Codes on one baseline (within a third of the font size) form a line, read left to right; a gap wider
    than two characters is kept as two spaces, which cleanup reads as a cell boundary in a table; a gap of
    about one character is a space (OFD places glyphs; it need not encode the spaces between them)."""
    groups: list[list[_Code]] = []
    for code in sorted(codes, key=lambda c: (c.y, c.x)):
        if groups and abs(groups[-1][0].y - code.y) <= max(groups[-1][0].size, code.size) / 3:
            groups[-1].append(code)
        else:
            groups.append([code])
    out = []
    for group in groups:
        group.sort(key=lambda c: c.x)
        parts = [group[0].text]
        for previous, code in zip(group, group[1:], strict=False):
            gap = code.x - (previous.x + previous.width)
            parts.append("  " if gap > 2 * code.size else " " if gap > 0.6 * code.size else "")
            parts.append(code.text)
        text = "".join(parts).strip()
        if text:
            out.append(_Line(text, group[0].x, max(c.x + c.width for c in group), group[0].y,
                             max(c.size for c in group)))
    return out


PAGE_NUMBER = re.compile(r"^\s*(?:[-—–－]\s*\d{1,4}\s*[-—–－]|第\s*\d+\s*页.*|\d{1,4})\s*$")


@dataclass
class _Page:
    lines: list[_Line]
    template: set[str]  # text that came from the page's template (版头, running header): not body text

    def body(self) -> list[_Line]:
        return [line for line in self.lines if line.text not in self.template and not PAGE_NUMBER.match(line.text)]

    def edges(self) -> tuple[float, float]:
        """(left, right) of the text block: where body lines start and where full lines end."""
        body = self.body() or self.lines
        return min(line.x0 for line in body), max(line.x1 for line in body)


def _continues(previous: _Line, line: _Line, previous_right: float, left: float) -> bool:
    """Wrapped lines, as a reader sees them: a line that runs to the right edge of the text block continues on
    the next line when that one starts at the left edge (a new paragraph is indented two characters, a heading
    or title is indented or centred). Table rows (cells apart) and lines of another size are left alone."""
    return (
        previous.x1 >= previous_right - 0.6 * previous.size
        and line.x0 <= left + 0.6 * line.size
        and "  " not in previous.text and "  " not in line.text
        and abs(previous.size - line.size) <= 0.1 * previous.size
    )


def _paragraphs(pages: list[_Page]) -> list[list[str]]:
    """Each page's lines joined back into paragraphs, a paragraph that runs on to the next page included (it
    stays with the page it starts on, as a PDF's does)."""
    out: list[list[_Line]] = []
    tail: _Line | None = None  # the paragraph the next body line may continue, across a page break too
    tail_right = 0.0
    for page in pages:
        left, right = page.edges() if page.lines else (0.0, 0.0)
        joined: list[_Line] = []
        first_body = True
        for line in page.lines:
            if line.text in page.template or PAGE_NUMBER.match(line.text):
                joined.append(_Line(line.text, line.x0, line.x1, line.y, line.size))
                continue
            near = first_body or 0 < line.y - (tail.y if tail else 0) <= 2.5 * line.size
            first_body = False
            if tail is not None and near and _continues(tail, line, tail_right, left):
                tail.text += line.text
                tail.x1, tail.y, tail_right = line.x1, line.y, right
                continue
            tail = _Line(line.text, line.x0, line.x1, line.y, line.size)
            tail_right = right
            joined.append(tail)
        out.append(joined)
    return [[line.text for line in joined] for joined in out]


def _media(package: _Package, document_name: str, common: Any) -> dict[str, str]:
    """MultiMedia ID → file in the package, from the document's resource files (PublicRes, DocumentRes)."""
    found: dict[str, str] = {}
    for kind in ("PublicRes", "DocumentRes"):
        for ref in _children(common, kind) if common is not None else []:
            res_name = _resolve(document_name, ref.text or "")
            try:
                res = package.xml(res_name, "资源文件")
            except OfdError:
                continue  # a missing resource file costs only the pictures it lists
            base = _resolve(res_name, (res.get("BaseLoc") or ".") + "/x")[:-2]
            for item in res.iter():
                if _local(item.tag) == "MultiMedia" and item.get("ID"):
                    media_file = _find(item, "MediaFile")
                    if media_file is not None and (media_file.text or "").strip():
                        found[item.get("ID")] = _resolve(base + "/x", media_file.text or "")
    return found


def _page_image(content: Any, media: dict[str, str]) -> str:
    """The largest picture on a page (a scan fills the page), as a file in the package; "" if none."""
    best, area = "", 0.0
    for obj in content.iter():
        if _local(obj.tag) == "ImageObject" and obj.get("ResourceID") in media:
            box = _numbers(obj.get("Boundary"))
            size = box[2] * box[3] if len(box) >= 4 else 0.0
            if size >= area:
                best, area = media[obj.get("ResourceID", "")], size
    return best


@dataclass
class OfdDocument:
    pages: list[list[str]]  # each page's paragraphs, in reading order
    title: str  # DocInfo/Title
    properties: list[tuple[str, str]]  # DocInfo/CustomDatas: (Name, value), e.g. ("密级", "内部")
    warnings: list[str]
    scans: dict[int, str] = field(default_factory=dict)  # page number → its scanned image in the package


def read_ofd(path: Path) -> OfdDocument:
    """The text and properties of an OFD file, or OfdError with the reason."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise OfdError("不是有效的 OFD 文件（OFD 应为 ZIP 封装的 XML 文件包），可能已损坏或是改了扩展名的其他文件") from exc
    with archive:
        package = _Package(archive)
        root = package.xml("OFD.xml", "OFD 入口文件")
        if _local(root.tag) != "OFD":
            raise OfdError("OFD.xml 的根元素不是 OFD，文件不符合 GB/T 33190")
        body = _find(root, "DocBody")
        doc_root = _find(body, "DocRoot") if body is not None else None
        if doc_root is None or not (doc_root.text or "").strip():
            raise OfdError("OFD.xml 中没有 DocBody/DocRoot（文档根节点），文件不完整")
        title_node = _find(body, "DocInfo", "Title")
        title = " ".join((title_node.text or "").split()) if title_node is not None else ""
        custom = _find(body, "DocInfo", "CustomDatas")
        properties = [(data.get("Name", "").strip(), " ".join((data.text or "").split()))
                      for data in (_children(custom, "CustomData") if custom is not None else [])]
        document_name = _resolve("OFD.xml", doc_root.text or "")
        document = package.xml(document_name, "文档描述文件")
        templates: dict[str, str] = {}
        common = _find(document, "CommonData")
        media = _media(package, document_name, common)
        for template in _children(common, "TemplatePage") if common is not None else []:
            if template.get("ID") and template.get("BaseLoc"):
                templates[template.get("ID")] = _resolve(document_name, template.get("BaseLoc"))
        pages_node = _find(document, "Pages")
        page_refs = _children(pages_node, "Page") if pages_node is not None else []
        if not page_refs:
            raise OfdError("文档中没有页面（Document.xml 的 Pages 为空）")
        pages: list[_Page] = []
        warnings: list[str] = []
        scans: dict[int, str] = {}
        for number, ref in enumerate(page_refs, start=1):
            loc = ref.get("BaseLoc")
            if not loc:
                warnings.append(f"第 {number} 页没有内容位置（BaseLoc），已跳过")
                pages.append(_Page([], set()))
                continue
            page_name = _resolve(document_name, loc)
            try:
                content = package.xml(page_name, f"第 {number} 页内容")
            except OfdError as exc:
                warnings.append(f"{exc}，该页已跳过")
                pages.append(_Page([], set()))
                continue
            codes = _codes(content)
            if not codes:  # a scanned page: its text is in the picture
                image = _page_image(content, media)
                if image:
                    scans[number] = image
            from_template: set[str] = set()
            for used in _children(content, "Template"):
                template_name = templates.get(used.get("TemplateID", ""))
                if template_name:
                    try:
                        template_codes = _codes(package.xml(template_name, "模板页"))
                    except OfdError as exc:
                        warnings.append(f"第 {number} 页的模板页无法读取（{exc}）")
                        continue
                    from_template |= {line.text for line in _lines(template_codes)}
                    codes += template_codes
            pages.append(_Page(_lines(codes), from_template))
    return OfdDocument(_paragraphs(pages), title, [(k, v) for k, v in properties if k and v], warnings, scans)


@register_loader(".ofd", label="OFD 版式文件，GB/T 33190，含页码", mime_types=("application/ofd",))
def _load_ofd(path: Path) -> RawDocument:
    problem = inflation_problem(path)
    if problem:
        raise LoadError(path, problem)
    try:
        document = read_ofd(path)
    except OfdError as exc:
        raise LoadError(path, str(exc)) from exc
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as exc:  # a part whose compressed data is damaged
        raise LoadError(path, f"OFD 文件内容已损坏，无法解压（{type(exc).__name__}）") from exc
    pages = document.pages
    read, ocr_warnings = _ocr_scans(path, document.scans, all_scanned=not any(pages))
    warnings = document.warnings + ocr_warnings
    if not any(pages) and not read:
        raise LoadError(path, "OFD 文件中没有文字：没有文字层，扫描页也没有识别出文字（可能是空白页或图像太模糊），"
                              "请提供带文字的版本或更清晰的扫描件")
    blocks: list[RawBlock] = []
    for number, lines in enumerate(pages, start=1):
        if number in read:
            blocks += [RawBlock(text=line.text, page=number, confidence=line.confidence) for line in read[number]]
            pages[number - 1] = [line.text for line in read[number]]
        else:
            blocks += [RawBlock(text=line, page=number) for line in lines]
    margins = _pdf_margins(["\n".join(lines) for lines in pages])
    # A classification kept as a document property (CustomData Name="密级"), as a Word file's custom property is.
    margins += [Margin(f"文档属性“{name}”", value) for name, value in document.properties if CLASS_PROPERTY.search(name)]
    return RawDocument(path=path, fmt="ofd", blocks=blocks, margins=margins, warnings=warnings,
                       title=document.title, ocr_pages=sorted(read))


def _ocr_scans(path: Path, scans: dict[int, str], all_scanned: bool) -> tuple[dict[int, list[Any]], list[str]]:
    """OCR the scanned pages (page → lines read, warnings), as a PDF's pages without a text layer are. A picture
    PIL cannot open (JBIG2, common in scanned OFD) is named in a warning; without the OCR engine, an OFD that
    is all scans is refused and one partly scanned is read without those pages."""
    if not scans:
        return {}, []
    from assistant.corpus import ocr

    too_long = ocr.too_many_pages(len(scans))
    if too_long:
        raise LoadError(path, f"OFD {too_long}")
    try:
        ocr.default_engine()
    except ocr.OcrUnavailable as exc:
        if all_scanned:
            raise LoadError(path, f"OFD 没有文字层（扫描件），需要文字识别才能入库。{exc}") from exc
        return {}, [f"第 {ocr.pages_shown(sorted(scans))} 页是扫描图像，未能识别，这些页的内容未入库。{exc}"]
    images: list[tuple[int, Any]] = []
    warnings: list[str] = []
    with zipfile.ZipFile(path) as archive:
        names = {name.lstrip("/").lower(): name for name in archive.namelist()}
        for number, member in sorted(scans.items()):
            stored = names.get(member.lower())
            try:
                if stored is None:
                    raise ValueError("missing")
                images.append((number, ocr.open_image_pages(io.BytesIO(archive.read(stored)), path.name)[0]))
            except (ValueError, OSError, IndexError, zipfile.BadZipFile, zlib.error):
                warnings.append(f"第 {number} 页的扫描图像（{member.rsplit('/', 1)[-1]}）缺失或无法打开（可能是 JBIG2 等"
                                f"暂不支持的图像格式），该页未识别")
    read: dict[int, list[Any]] = {}
    for page in ocr.read_pages(iter(images), path.name, len(images)) if images else []:
        if page.warning:
            warnings.append(page.warning)
        if page.readable:
            read[page.number] = page.lines
    return read, warnings
