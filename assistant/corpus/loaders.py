"""Read files into raw blocks: one registry from file extension to loader.

Every list of supported types (the upload checks and hints in the API and the workbench, directory walks in
ingest, the CLI help, the README) derives from `LOADERS`; supporting a new format is one `@register_loader`.
Loaders return raw blocks: paragraphs (with the PDF page they came from) and tables (rows of cells).
They do no cleanup beyond decoding; `cleanup.py` turns blocks into the cleaned document text.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any

from assistant.corpus.archives import inflation_problem
from assistant.errors import LoadError


@dataclass
class RawTable:
    rows: list[list[str]]
    title: str = ""


@dataclass
class RawBlock:
    """One paragraph line (text) or one table, with the 1-based page it was found on (PDF and scans only)."""

    text: str = ""
    table: RawTable | None = None
    page: int | None = None
    confidence: float | None = None  # OCR's confidence in the line (0–1); None for text that was not OCR'd


@dataclass(frozen=True)
class Margin:
    """Text printed outside the body, which a loader hands over besides the blocks so that disclosure markings
    there are seen (corpus/markings.py); it is not indexed. A .docx page header or footer, a watermark, a text
    box, a document property; a PDF page's first or last lines."""

    place: str  # as users read it: 页眉、页脚、水印、文本框、文档属性“密级”、第3页页眉
    text: str


@dataclass
class RawDocument:
    path: Path
    fmt: str
    blocks: list[RawBlock] = field(default_factory=list)
    encoding: str = "utf-8"
    margins: list[Margin] = field(default_factory=list)
    ocr_pages: list[int] = field(default_factory=list)  # pages whose text came from OCR (scans, photos)
    warnings: list[str] = field(default_factory=list)  # read, but something users should know (Chinese)
    title: str = ""  # the file's own title field (Word/PDF/OFD properties, an HTML page's heading), if it has one
    unread_margins: list[str] = field(default_factory=list)  # places a marking could be but was not read (Chinese)


ReadFile = Callable[[Path], RawDocument]
# Prepares many files of one type before they are read one by one (a converter started once for all of them).
ReadTogether = Callable[[Sequence[Path]], AbstractContextManager[None]]


@dataclass(frozen=True)
class Loader:
    """How one file extension is read. `read` gets a non-empty file within the size limit and raises
    LoadError with a Chinese reason for anything it cannot read."""

    suffix: str  # ".docx"
    label: str  # shown to users: "Word 文档"
    read: ReadFile
    mime_types: tuple[str, ...] = ()  # what browsers and HTTP clients send for it
    together: ReadTogether | None = None  # optional: see `reading_together`


LOADERS: dict[str, Loader] = {}


def register_loader(*suffixes: str, label: str, mime_types: tuple[str, ...] = (),
                    together: ReadTogether | None = None) -> Callable[[ReadFile], ReadFile]:
    """Register `read` for file extensions: `@register_loader(".ofd", label="OFD 版式文件")`."""

    def register(read: ReadFile) -> ReadFile:
        for suffix in suffixes:
            key = "." + suffix.lower().lstrip(".")
            LOADERS[key] = Loader(key, label, read, mime_types, together)
        return read

    return register


@contextmanager
def reading_together(paths: Sequence[Path]) -> Iterator[None]:
    """Around `load_file` calls for many files (a folder ingest): loaders that declare `together` prepare all
    their files at once (.doc/.wps: one LibreOffice run instead of one per file). Reading is unchanged
    otherwise, and a file that the preparation could not handle is still read, or refused, on its own."""
    groups: dict[ReadTogether, list[Path]] = {}
    for path in paths:
        loader = loader_for(path)
        if loader is not None and loader.together is not None:
            groups.setdefault(loader.together, []).append(path)
    with ExitStack() as stack:
        for together, group in groups.items():
            stack.enter_context(together(group))
        yield


def loader_for(name: str | PurePath) -> Loader | None:
    """The loader for a file name or path, by its extension (case-insensitive); None if unsupported."""
    return LOADERS.get(PurePath(name).suffix.lower())


def supported_suffixes() -> tuple[str, ...]:
    """(".txt", ".md", ...), in registration order."""
    return tuple(LOADERS)


def supported_types_text(sep: str = "、") -> str:
    """"txt、md、docx、pdf": the supported types as users read them."""
    return sep.join(suffix.lstrip(".") for suffix in LOADERS)


def supported_types_described() -> str:
    """"txt（纯文本）、md（Markdown 文本）…、png/jpg（图片…）": each type with its label, the extensions of one
    reader (.jpg and .jpeg) named together."""
    groups: dict[tuple[ReadFile, str], list[str]] = {}
    for suffix, loader in LOADERS.items():
        groups.setdefault((loader.read, loader.label), []).append(suffix.lstrip("."))
    return "、".join(f"{'/'.join(names)}（{label}）" for (_, label), names in groups.items())


def unsupported_type(name: str | PurePath) -> str:
    """Why a file of an unregistered type is refused, in Chinese."""
    suffix = PurePath(name).suffix.lower()
    return f"类型“{suffix or '无扩展名'}”不支持，仅支持 {supported_types_text()}"


def load_file(path: Path, max_bytes: int | None = None, max_ocr_pages: int | None = None) -> RawDocument:
    """Read one file into raw blocks, or raise LoadError with a Chinese reason. A file with more than
    `max_ocr_pages` pages to OCR (scans) is refused before any page is read."""
    loader = loader_for(path)
    if loader is None:
        suffix = path.suffix.lower()
        raise LoadError(path, f"不支持的文件类型“{suffix or '无扩展名'}”，仅支持 {supported_types_text()}")
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise LoadError(path, f"文件无法访问（{exc.strerror or exc}）") from exc
    if size == 0:
        raise LoadError(path, "文件为空")
    if max_bytes is not None and size > max_bytes:
        raise LoadError(
            path, f"文件大小 {size / 1048576:.1f} MB 超过上限 {max_bytes / 1048576:.0f} MB，请拆分后再入库"
        )
    from assistant.corpus.ocr import limiting_pages

    with limiting_pages(max_ocr_pages):
        return loader.read(path)


def decode_text(data: bytes, path: Path) -> tuple[str, str]:
    """Decode bytes as UTF-8 or GB18030, or UTF-16 when the file starts with its byte-order mark (Windows
    Notepad's "Unicode"), falling back to detection; refuse binary junk."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")  # the BOM says which byte order, and is dropped
        except UnicodeDecodeError as exc:
            raise LoadError(path, "文件开头标明是 UTF-16 编码，但内容无法按 UTF-16 读取，请另存为 UTF-8 后再入库") from exc
        if _looks_like_text(text):
            return text, "utf-16"
    if b"\x00" in data[:65536]:
        raise LoadError(path, "文件包含二进制内容，不是文本文件（可能是改了扩展名的其他格式）")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            return text, "utf-8" if encoding == "utf-8-sig" else encoding
        break
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None and _looks_like_text(str(best)):
        return str(best), str(best.encoding)
    raise LoadError(path, "无法识别文件编码，或内容不是文本（已尝试 UTF-8、GB18030/GBK）")


def _looks_like_text(text: str) -> bool:
    if not text.strip():
        return True
    sample = text[:20000]
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\n\r\t\f") or ch == "\ufffd")
    return bad / len(sample) < 0.01


@register_loader(".md", label="Markdown 文本", mime_types=("text/markdown", "text/x-markdown", "text/plain"))
@register_loader(".txt", label="纯文本，UTF-8 或 GBK", mime_types=("text/plain",))  # applied first: txt lists first
def _load_text(path: Path) -> RawDocument:
    text, encoding = decode_text(path.read_bytes(), path)
    if not text.strip():
        raise LoadError(path, "文件只有空白内容")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    blocks = [RawBlock(text=line) for line in lines]
    return RawDocument(path=path, fmt=path.suffix.lower().lstrip("."), blocks=blocks, encoding=encoding)


# Runs formatted as hidden text (w:vanish) do not show in Word or in print: whoever reviews a file never
# sees them, so they must not enter the knowledge base either (a classic place to plant instructions).
EMPTY_DOCX = "Word 文件中没有文字内容"  # also how a .doc/.wps LibreOffice could not make out comes back
SHOWN_RUNS = "w:r[not(w:rPr/w:vanish[not(@w:val) or @w:val='1' or @w:val='true' or @w:val='on'])] | w:hyperlink"


def _shown_text(paragraph: Any) -> str:
    """A docx paragraph's text as Word shows it: like python-docx's Paragraph.text, without hidden runs."""
    return "".join(e.text for e in paragraph._p.xpath(SHOWN_RUNS))


@register_loader(
    ".docx", label="Word 文档，段落与表格",
    mime_types=("application/vnd.openxmlformats-officedocument.wordprocessingml.document",),
)
def _load_docx(path: Path) -> RawDocument:
    import zipfile

    from docx import Document
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    problem = inflation_problem(path)  # before python-docx inflates and parses every part
    if problem:
        raise LoadError(path, problem)
    with path.open("rb") as fh:
        if fh.read(8) == bytes.fromhex("d0cf11e0a1b11ae1"):
            from assistant.corpus.office import word_binary_problem

            # Word saves a password-protected .docx as an encrypted compound file; anything else in that
            # container is a Word 97-2003 file renamed.
            raise LoadError(path, word_binary_problem(path) or "这是 Word 97-2003（.doc）格式的文件，扩展名却是 .docx，"
                                                                 "请把扩展名改为 .doc 后再入库，或另存为 .docx")
    try:
        document = Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise LoadError(path, "不是有效的 Word（.docx）文件，可能已损坏或是旧版 .doc 格式") from exc
    except Exception as exc:  # python-docx raises assorted lxml/opc errors on corrupt parts
        raise LoadError(path, f"Word 文件解析失败（{type(exc).__name__}）") from exc
    blocks: list[RawBlock] = []
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            blocks.append(RawBlock(text=_shown_text(item)))
        elif isinstance(item, Table):
            rows: list[list[str]] = []
            for row in item.rows:
                cells: list[str] = []
                previous = None
                for cell in row.cells:
                    # Horizontally merged cells repeat the same cell object; keep one copy.
                    if previous is not None and cell._tc is previous:
                        continue
                    previous = cell._tc
                    cells.append(" ".join(_shown_text(p).strip() for p in cell.paragraphs).strip())
                rows.append(cells)
            blocks.append(RawBlock(table=RawTable(rows=rows)))
    if not any(b.text.strip() or b.table for b in blocks):
        raise LoadError(path, EMPTY_DOCX)
    margins, unread = _docx_margins(document)
    return RawDocument(path=path, fmt="docx", blocks=blocks, margins=margins, unread_margins=unread,
                       title=(document.core_properties.title or "").strip(),
                       warnings=[f"{place}，公开属性按其余标注判定，请管理员核对" for place in unread])


W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
HEADER_PART = re.compile(r"^/word/(header|footer)\d*\.xml$")
# Names under which a document property carries a classification: ours, and Microsoft's sensitivity labels.
CLASS_PROPERTY = re.compile(r"密级|公开|保密|classification|sensitivity|^MSIP_Label_.*_Name$", re.I)


def _docx_margins(document: Any) -> tuple[list[Margin], list[str]]:
    """Where a Word file prints markings outside its body text: page headers and footers (every section, first
    and even pages), watermarks (VML text paths, WordArt and text boxes in a header; a picture watermark read by
    OCR), text boxes in the body, and document properties (custom properties such as 密级, sensitivity labels,
    the category). Also the places that could not be read (a picture watermark without OCR), in Chinese."""
    from lxml import etree

    margins: list[Margin] = []
    unread: list[str] = []
    for part in document.part.package.iter_parts():
        name = str(part.partname)
        header = HEADER_PART.match(name)
        if not header and name != "/word/document.xml":
            continue
        try:
            root = part._element if hasattr(part, "_element") else etree.fromstring(part.blob)
        except (etree.XMLSyntaxError, ValueError):
            continue
        place = ("页眉" if header.group(1) == "header" else "页脚") if header else ""
        for path in root.iter("{urn:schemas-microsoft-com:vml}textpath"):
            if path.get("string", "").strip():
                margins.append(Margin("水印", path.get("string", "")))
        for box in root.iter(f"{{{W_NS}}}txbxContent"):
            text = "\n".join(_xml_text(p) for p in box.iter(f"{{{W_NS}}}p"))
            if text.strip():
                margins.append(Margin("水印" if header else "文本框", text))
        if header:
            found, missed = _picture_watermarks(part, root)
            margins += found
            unread += missed
            for paragraph in root.iter(f"{{{W_NS}}}p"):
                if any(a.tag == f"{{{W_NS}}}txbxContent" for a in paragraph.iterancestors()):
                    continue  # read above, as a watermark
                text = _xml_text(paragraph, skip_boxes=True)
                if text.strip():
                    margins.append(Margin(place, text))
    properties = document.core_properties
    for label, value in (("类别", properties.category), ("状态", properties.content_status)):
        if value and value.strip():
            margins.append(Margin(f"文档属性“{label}”", value))
    custom = next((p for p in document.part.package.iter_parts() if str(p.partname) == "/docProps/custom.xml"), None)
    if custom is not None:
        try:
            root = etree.fromstring(custom.blob)
        except (etree.XMLSyntaxError, ValueError):
            root = None
        for prop in root if root is not None else []:
            name = prop.get("name", "")
            value = "".join(prop.itertext()).strip()
            if value and CLASS_PROPERTY.search(name):
                shown = "敏感度标签" if name.startswith("MSIP_Label_") else name
                margins.append(Margin(f"文档属性“{shown}”", value))
    return margins, list(dict.fromkeys(unread))


R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MAX_WATERMARK_PICTURES = 4  # per header part: a watermark is one picture; more is decoration
MAX_WATERMARK_BYTES = 5 * 1024 * 1024


def _picture_watermarks(part: Any, root: Any) -> tuple[list[Margin], list[str]]:
    """Pictures printed behind the text from a page header — Word's 图片水印 (a VML shape whose id names a
    watermark, or any behind-text picture) and a DrawingML picture anchored behind the text — read by OCR. Without
    the OCR extra, the place is returned as unread so the class reason can say so."""
    from assistant.corpus.ocr import OcrUnavailable, picture_text

    ids: list[str] = []
    for shape in root.iter("{urn:schemas-microsoft-com:vml}shape"):
        style = shape.get("style", "").replace(" ", "")
        if "watermark" in shape.get("id", "").lower() or re.search(r"z-index:-\d", style):
            ids += [i for d in shape.iter("{urn:schemas-microsoft-com:vml}imagedata")
                    if (i := d.get(f"{{{R_NS}}}id") or d.get("{urn:schemas-microsoft-com:office:office}relid"))]
    for anchor in root.iter("{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}anchor"):
        if anchor.get("behindDoc") in ("1", "true"):
            ids += [i for b in anchor.iter("{http://schemas.openxmlformats.org/drawingml/2006/main}blip")
                    if (i := b.get(f"{{{R_NS}}}embed"))]
    margins: list[Margin] = []
    for rid in list(dict.fromkeys(ids))[:MAX_WATERMARK_PICTURES]:
        relation = part.rels.get(rid)
        blob = getattr(getattr(relation, "target_part", None), "blob", b"") if relation is not None else b""
        if not blob or len(blob) > MAX_WATERMARK_BYTES:
            continue
        try:
            text = picture_text(blob)
        except OcrUnavailable:
            return margins, ["页眉中有图片水印，未安装文字识别组件（OCR），未能读取其中可能的标注"]
        except ValueError:
            continue  # not a picture we can read (an EMF, a broken file): nothing to go on
        if text.strip():
            margins.append(Margin("图片水印", text))
    return margins, []


def _xml_text(paragraph: Any, skip_boxes: bool = False) -> str:
    """A WordprocessingML paragraph's text, hidden runs included (a hidden marking still restricts)."""
    parts = []
    for e in paragraph.iter(f"{{{W_NS}}}t", f"{{{W_NS}}}tab", f"{{{W_NS}}}br"):
        if skip_boxes and any(a.tag == f"{{{W_NS}}}txbxContent" for a in e.iterancestors()):
            continue
        parts.append(e.text or "" if e.tag == f"{{{W_NS}}}t" else "\t" if e.tag == f"{{{W_NS}}}tab" else "\n")
    return "".join(parts)


@register_loader(".pdf", label="PDF 文字层，含页码；扫描页文字识别", mime_types=("application/pdf",))
def _load_pdf(path: Path) -> RawDocument:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            except Exception as exc:
                raise LoadError(path, "PDF 已加密，请提供未加密的版本") from exc
            if not ok:
                raise LoadError(path, "PDF 已加密，请提供未加密的版本")
        pages = [page.extract_text() or "" for page in reader.pages]
        title = _pdf_title(reader)
    except LoadError:
        raise
    except (PdfReadError, ValueError, OSError, KeyError, TypeError) as exc:
        raise LoadError(path, f"PDF 文件已损坏或格式不正确（{type(exc).__name__}）") from exc
    except Exception as exc:  # pypdf raises many types on malformed input
        raise LoadError(path, f"PDF 解析失败（{type(exc).__name__}）") from exc
    scanned = [n for n, text in enumerate(pages, start=1) if len(re.sub(r"\s", "", text)) < SCANNED_PAGE_CHARS]
    from assistant.corpus.ocr import too_many_pages

    too_long = too_many_pages(len(scanned))
    if too_long:
        raise LoadError(path, f"PDF 共 {len(pages)} 页，其中{too_long}")
    read, warnings = _ocr_pdf_pages(path, scanned, all_scanned=len(scanned) == len(pages)) if scanned else ({}, [])
    for number, lines in read.items():
        pages[number - 1] = "\n".join(line.text for line in lines)
    if not any(p.strip() for p in pages):
        raise LoadError(path, "PDF 没有文字层（扫描件），文字识别也没有识别出文字（可能是空白页或图像太模糊），"
                              "请提供更清晰的扫描件（200 dpi 以上）")
    blocks = []
    for number, page_text in enumerate(pages, start=1):
        if number in read:
            blocks += [RawBlock(text=line.text, page=number, confidence=line.confidence) for line in read[number]]
        else:
            blocks += [RawBlock(text=line, page=number) for line in page_text.split("\n")]
    return RawDocument(path=path, fmt="pdf", blocks=blocks, margins=_pdf_margins(pages),
                       ocr_pages=sorted(read), warnings=warnings, title=title)


def _pdf_title(reader: Any) -> str:
    """The PDF's Title property; a damaged information dictionary is no reason to refuse the file."""
    try:
        metadata = reader.metadata
        return str(metadata.title or "").strip() if metadata is not None else ""
    except Exception:  # pypdf raises assorted errors on a malformed /Info
        return ""


SCANNED_PAGE_CHARS = 20  # a page whose text layer has fewer characters is a scan (at most a stamp or page number)


def _ocr_pdf_pages(path: Path, numbers: list[int], all_scanned: bool) -> tuple[dict[int, list[Any]], list[str]]:
    """OCR the PDF pages without a text layer: (page number → lines read (OcrLine), warnings). Pages OCR
    could not read are left out, with a warning; without the OCR engine, a PDF that is all scans is refused
    and one that is partly scans is read without those pages, with a warning saying how to get them."""
    from assistant.corpus import ocr

    read: dict[int, list[Any]] = {}
    warnings: list[str] = []
    try:
        for page in ocr.read_pages(ocr.render_pdf_pages(path, numbers), path.name, len(numbers)):
            if page.warning:
                warnings.append(page.warning)
            if page.readable:
                read[page.number] = page.lines
    except ocr.OcrUnavailable as exc:
        if all_scanned:
            raise LoadError(path, f"PDF 没有文字层（扫描件），需要文字识别才能入库。{exc}") from exc
        return {}, [f"第 {ocr.pages_shown(numbers)} 页没有文字层（扫描页），未能识别，这些页的内容未入库。{exc}"]
    except Exception as exc:  # pdfium raises its own errors on pages it cannot render
        raise LoadError(path, f"PDF 扫描页无法渲染以进行文字识别（{type(exc).__name__}: {exc}）") from exc
    return read, warnings


def _pdf_margins(pages: list[str]) -> list[Margin]:
    """Each page's first and last two lines: where running headers, footers and (in the text layer, often at a
    page's end) watermarks print; the first page's are the document's head and are read as such anyway."""
    margins: list[Margin] = []
    for number, page_text in enumerate(pages, start=1):
        lines = [line for line in page_text.split("\n") if line.strip()]
        margins += [Margin(f"第{number}页页眉", line) for line in lines[:2]]
        margins += [Margin(f"第{number}页页脚", line) for line in lines[-2:] if line not in lines[:2]]
    return margins


@register_loader(
    ".png", ".jpg", ".jpeg", ".tif", ".tiff", label="图片：扫描件或照片，文字识别",
    mime_types=("image/png", "image/jpeg", "image/tiff"),
)
def _load_image(path: Path) -> RawDocument:
    """A scanned page or a photo of one (a multi-page TIFF is a scanned document), read by OCR."""
    from assistant.corpus import ocr

    try:
        ocr.default_engine()
    except ocr.OcrUnavailable as exc:
        raise LoadError(path, f"图片需要文字识别才能入库。{exc}") from exc
    try:
        images = ocr.open_image_pages(path, path.name)
    except ValueError as exc:
        raise LoadError(path, str(exc)) from exc
    pages = list(ocr.read_pages(enumerate(images, start=1), path.name, len(images)))
    readable = [p for p in pages if p.readable]
    if not readable:
        what = "图片" if len(pages) == 1 else f"图片的 {len(pages)} 页中都"
        raise LoadError(path, f"{what}没有识别出文字：可能不是文件的扫描件或照片，或图像太模糊、太暗。"
                              "请确认内容后提供清晰的扫描件（200 dpi 以上）或正面拍摄的照片")
    blocks = [RawBlock(text=line.text, page=p.number, confidence=line.confidence) for p in readable for line in p.lines]
    texts = ["\n".join(line.text for line in p.lines) if p in readable else "" for p in pages]
    return RawDocument(path=path, fmt=path.suffix.lower().lstrip("."), blocks=blocks, margins=_pdf_margins(texts),
                       ocr_pages=[p.number for p in readable], warnings=[p.warning for p in pages if p.warning])


# Formats whose loaders live in modules of their own register on import; this stays last so that the
# registration order (and every list of supported types) is: the formats above, then these.
from assistant.corpus import formats  # noqa: E402,F401
