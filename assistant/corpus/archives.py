"""Office files (.docx, .xlsx) are zip archives whose directory says how large each part becomes once
inflated. It is read before any part is decompressed, so that a small file inflating to tens of megabytes of
XML (a zip bomb: 52 KB → 12 MB took 326 MB of memory and a minute of CPU to parse) is refused at the cost of
reading its directory. Python's zipfile never inflates a part past the size the directory declares, so the
declared sizes are the ones that count."""

from __future__ import annotations

import zipfile
from pathlib import Path

MAX_XML_BYTES = 10 * 1024 * 1024  # all text parts together (a 300-page report's document.xml is a few MB)
MAX_TOTAL_BYTES = 200 * 1024 * 1024  # every part, images included
MAX_RATIO = 100  # a part of more than a megabyte that inflates more than this is not an ordinary document
RATIO_FLOOR = 1024 * 1024
TEXT_SUFFIXES = (".xml", ".rels", ".vml", ".txt")


def inflation_problem(path: Path) -> str | None:
    """Why the archive at `path` is refused before it is opened (in Chinese), or None. A file that is not a
    zip archive at all is left to the reader, which says so in its own words."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    total = sum(p.file_size for p in parts)
    text = sum(p.file_size for p in parts if p.filename.lower().endswith(TEXT_SUFFIXES))
    mb = 1024 * 1024
    if text > MAX_XML_BYTES:
        return (f"解压后的文字内容达 {text / mb:.1f} MB，超过 {MAX_XML_BYTES // mb} MB 的上限"
                "（可能是“压缩炸弹”或异常文件），未读取；如确为超长文档，请拆分后再上传")
    if total > MAX_TOTAL_BYTES:
        return f"解压后共 {total / mb:.0f} MB，超过 {MAX_TOTAL_BYTES // mb} MB 的上限，未读取；请压缩图片或拆分文件"
    for part in parts:
        if part.file_size > RATIO_FLOOR and part.file_size > MAX_RATIO * max(part.compress_size, 1):
            return (f"其中“{part.filename[:60]}”从 {part.compress_size / 1024:.0f} KB 解压为 {part.file_size / mb:.1f} MB"
                    f"（超过 {MAX_RATIO} 倍，像是“压缩炸弹”），未读取")
    return None
