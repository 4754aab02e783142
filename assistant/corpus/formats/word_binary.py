"""Word 97-2003 (.doc), WPS 文字 (.wps) and RTF: converted to .docx by LibreOffice (corpus/office.py), then read as
.docx, so tables, hidden text, headers, watermarks and the title property come out exactly as from a .docx."""

from __future__ import annotations

import tempfile
from pathlib import Path

from assistant.corpus import office
from assistant.corpus.loaders import EMPTY_DOCX, RawDocument, load_file, register_loader
from assistant.errors import LoadError


@register_loader(  # applied last: lists after doc and wps
    ".rtf", label="RTF 文档，经 LibreOffice 转换", together=office.converting,
    mime_types=("application/rtf", "text/rtf"),
)
@register_loader(
    ".wps", label="WPS 文字，经 LibreOffice 转换", together=office.converting,
    mime_types=("application/vnd.ms-works", "application/kswps", "application/wps-office.wps"),
)
@register_loader(  # applied first: doc lists before wps
    ".doc", label="Word 97-2003 文档，经 LibreOffice 转换", together=office.converting,
    mime_types=("application/msword",),
)
def _load_word_binary(path: Path) -> RawDocument:
    fmt = path.suffix.lower().lstrip(".")
    with tempfile.TemporaryDirectory(prefix="assistant-convert-") as outdir:
        try:
            converted = office.convert_one(path, Path(outdir))
        except office.ConversionError as exc:
            raise LoadError(path, str(exc)) from exc
        try:
            raw = load_file(converted)
        except LoadError as exc:
            if exc.reason == EMPTY_DOCX:  # LibreOffice gives an empty document for a file it cannot make out
                raise LoadError(path, "LibreOffice 未能从中读出任何文字：文件可能已损坏，或是早期 WPS 专有格式。"
                                      "请用 WPS/Word 打开确认内容后另存为 .docx 再入库") from exc
            raise LoadError(path, f"已由 LibreOffice 转换，但{exc.reason}") from exc
    raw.path, raw.fmt = path, fmt
    return raw
