"""PowerPoint (.pptx): each slide's text in reading order (its title first, then shapes top to bottom, left to
right, grouped shapes inside out), tables as tables, the slide number as the page citations name."""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from assistant.corpus.archives import inflation_problem
from assistant.corpus.loaders import Margin, RawBlock, RawDocument, RawTable, register_loader
from assistant.errors import LoadError


def _reading_order(shapes: Iterable[Any]) -> list[Any]:
    # Shapes without a position (placeholders inheriting one from the layout) keep their z-order, first.
    return sorted(shapes, key=lambda s: (s.top if s.top is not None else -1, s.left if s.left is not None else -1))


def _hidden(element: Any) -> bool:
    """A slide (show="0") or shape (cNvPr hidden="1") that PowerPoint does not show: not indexed, as hidden Word
    text is not (a place to plant text no reviewer sees)."""
    return element.get("show") in ("0", "false") or any(
        node.get("hidden") in ("1", "true") for node in element.iter("{*}cNvPr")
        if node.getparent() is not None and node.getparent().getparent() is element)


def _shape_blocks(shape: Any, page: int) -> list[RawBlock]:
    from pptx.shapes.group import GroupShape

    if _hidden(shape._element):
        return []
    if isinstance(shape, GroupShape):
        return [b for child in _reading_order(shape.shapes) for b in _shape_blocks(child, page)]
    if getattr(shape, "has_table", False) and shape.has_table:
        rows = [[" ".join(cell.text.split()) for cell in row.cells] for row in shape.table.rows]
        return [RawBlock(table=RawTable(rows=rows), page=page)]
    if getattr(shape, "has_text_frame", False) and shape.has_text_frame:
        return [RawBlock(text=p.text.replace("\v", " ").strip(), page=page) for p in shape.text_frame.paragraphs
                if p.text.strip()]
    return []


@register_loader(
    ".pptx", label="PowerPoint 演示文稿，按幻灯片顺序，页码即幻灯片编号",
    mime_types=("application/vnd.openxmlformats-officedocument.presentationml.presentation",),
)
def _load_pptx(path: Path) -> RawDocument:
    from pptx import Presentation
    from pptx.exc import PackageNotFoundError

    problem = inflation_problem(path)
    if problem:
        raise LoadError(path, problem)
    try:
        presentation = Presentation(str(path))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError) as exc:
        raise LoadError(path, "不是有效的 PowerPoint（.pptx）文件，可能已损坏、设有密码或是旧版 .ppt 格式（请另存为 .pptx）") from exc
    except Exception as exc:  # python-pptx raises assorted lxml/opc errors on damaged parts
        raise LoadError(path, f"PowerPoint 文件解析失败（{type(exc).__name__}）") from exc
    blocks: list[RawBlock] = []
    first_title = ""
    hidden: list[int] = []
    margins: list[Margin] = []
    for number, slide in enumerate(presentation.slides, start=1):
        if _hidden(slide._element):
            hidden.append(number)
            text = "\n".join(t for t in slide._element.itertext() if t.strip())
            if text:
                margins.append(Margin(f"隐藏的第{number}张幻灯片", text))  # a hidden marking still restricts
            continue
        title_shape = slide.shapes.title
        slide_blocks: list[RawBlock] = []
        if title_shape is not None and _hidden(title_shape._element):
            title_shape = None
        if title_shape is not None and title_shape.has_text_frame and title_shape.text_frame.text.strip():
            heading = " ".join(title_shape.text_frame.text.split())
            slide_blocks.append(RawBlock(text=heading, page=number))
            first_title = first_title or heading
        for shape in _reading_order(s for s in slide.shapes if title_shape is None or s.shape_id != title_shape.shape_id):
            slide_blocks += _shape_blocks(shape, number)
        if slide_blocks:
            blocks += slide_blocks + [RawBlock(text="", page=number)]  # a slide ends its last paragraph
    if not any(b.text or b.table for b in blocks):
        raise LoadError(path, "演示文稿中没有文字内容（图片中的文字暂不识别）")
    title = (presentation.core_properties.title or "").strip() or first_title
    warnings = [f"隐藏的幻灯片未入库：第 {'、'.join(map(str, hidden))} 张（取消隐藏后重新入库即可）"] if hidden else []
    return RawDocument(path=path, fmt="pptx", blocks=blocks, title=title, warnings=warnings, margins=margins)
