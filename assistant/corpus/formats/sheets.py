"""Spreadsheets as documents (.xlsx, .csv): each sheet one table, titled by its caption row or sheet name, so
every row becomes a passage with the header repeated (cleanup's TableRow), under the sheet as its section.

This is for spreadsheets kept as reference material (a 项目清单, a policy table); indicator and project figures
go into the database through `assistant db import`, where they are checked and typed.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from pathlib import Path
from typing import Any

from assistant.corpus.archives import inflation_problem
from assistant.corpus.loaders import Margin, RawBlock, RawDocument, RawTable, decode_text, register_loader
from assistant.errors import LoadError

MAX_ROWS = 20_000  # per file: past this a spreadsheet is a data export, better imported than read as passages


def database_tables(folder: Path) -> set[Path]:
    """The spreadsheets in `folder` that are the project database's import tables (named as `assistant db
    import-demo` expects: indicators*.csv, projects*.xlsx …). They are data, checked and typed on import, not
    documents: a folder walk leaves them out, so their figures are not indexed twice as passages."""
    from assistant.db.importers import demo_files  # the database's own rule for what its files are called

    try:
        return {p.resolve() for _, p in demo_files(folder)}
    except OSError:
        return set()


def cell_text(value: Any) -> str:
    """A cell as people read it: 12.0 → 12, 0.1234 → 0.1234, a date → 2024-03-31, None → ''."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return f"{value:.10g}"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return " ".join(str(value).split())


def sheet_table(rows: list[list[str]], name: str) -> RawTable | None:
    """Rows of one sheet as a table: empty rows and columns dropped; a first row with a single filled cell
    above a fuller row is the table's caption (合并单元格的表名), not its header."""
    rows = [r for r in rows if any(c for c in r)]
    if not rows:
        return None
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    used = [k for k in range(width) if any(r[k] for r in rows)]
    rows = [[r[k] for k in used] for r in rows]
    caption = ""
    if len(rows) > 1 and len(used) > 1 and sum(1 for c in rows[0] if c) == 1:
        caption = next(c for c in rows[0] if c)
        rows = rows[1:]
    if len(rows) >= 3 and _two_level_header(rows[0], rows[1], rows[2]):
        rows = [_combined_header(rows[0], rows[1])] + rows[2:]
    if len(rows) == 1:  # one row and no header: its cells are read as they are
        rows = [[""] * len(rows[0]), rows[0]]
    return RawTable(rows=rows, title=caption or name)


NUMBER = re.compile(r"^[-+]?\d[\d,]*(?:\.\d+)?%?$")


def _two_level_header(top: list[str], sub: list[str], first_data: list[str]) -> bool:
    """A header of merged group cells over sub-headers (实际引进内资（亿元）over 绝对值 | 同比% | 目标 …): the top
    row leaves cells empty under a merged group that the row below names, and numbers start after it."""
    spans = any(not top[k] and top[k - 1 if k else 0] and sub[k] for k in range(1, len(top)))
    spans = spans or any(not top[k] and any(top[:k]) and sub[k] for k in range(1, len(top)))
    return (
        spans
        and not any(NUMBER.match(c) for c in sub if c)
        and any(NUMBER.match(c) for c in first_data if c)
    )


def _combined_header(top: list[str], sub: list[str]) -> list[str]:
    names: list[str] = []
    group = ""
    for parent, label in zip(top, sub, strict=False):
        group = parent or group
        names.append(f"{group}{label}" if label and group and label != group else (label or group))
    return names


@register_loader(
    ".xlsx", label="Excel 表格，逐行读取，每个工作表一节",
    mime_types=("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",),
)
def _load_xlsx(path: Path) -> RawDocument:
    from openpyxl import load_workbook

    problem = inflation_problem(path)
    if problem:
        raise LoadError(path, problem)
    try:
        # data_only: the values Excel last calculated, not formulas (a file never opened in Excel has none).
        book = load_workbook(str(path), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise LoadError(path, "不是有效的 Excel（.xlsx）文件，可能已损坏、设有密码或是旧版 .xls 格式（请另存为 .xlsx）") from exc
    except Exception as exc:  # openpyxl raises assorted XML errors on damaged parts
        raise LoadError(path, f"Excel 文件解析失败（{type(exc).__name__}）") from exc
    blocks: list[RawBlock] = []
    warnings: list[str] = []
    skipped: list[str] = []
    margins: list[Margin] = []
    total = 0
    try:
        for sheet in book.worksheets:
            if sheet.sheet_state != "visible":
                # Not shown to whoever reviews the workbook, so not indexed either (as hidden Word text is not).
                skipped.append(sheet.title)
                text = "\n".join(" ".join(cell_text(v) for v in values if v is not None)
                                  for _, values in zip(range(50), sheet.iter_rows(values_only=True), strict=False))
                if text.strip():  # a hidden marking still restricts: its first rows are read for markings
                    margins.append(Margin(f"隐藏的工作表“{sheet.title}”", text))
                continue
            rows: list[list[str]] = []
            for values in sheet.iter_rows(values_only=True):
                if total >= MAX_ROWS:
                    warnings.append(f"表格超过 {MAX_ROWS} 行，只读取了前 {MAX_ROWS} 行；数据表请用 assistant db import 导入数据库")
                    break
                rows.append([cell_text(v) for v in values])
                total += 1
            table = sheet_table(rows, sheet.title)
            if table is not None:
                blocks.append(RawBlock(table=table, page=None))
                if table.title != sheet.title:  # a caption row can carry a marking: 重点项目清单（内部资料）
                    margins.append(Margin(f"工作表“{sheet.title}”表名", table.title))
            if warnings:
                break
        title = (book.properties.title or "").strip()
    finally:
        book.close()
    if skipped:
        warnings.append(f"隐藏的工作表未入库：{'、'.join(skipped)}（取消隐藏后重新入库即可）")
    if not blocks:
        raise LoadError(path, "Excel 文件中没有内容：可见的工作表都是空的" + ("（另有隐藏的工作表）" if skipped else ""))
    return RawDocument(path=path, fmt="xlsx", blocks=blocks, warnings=warnings, title=title, margins=margins)


@register_loader(".csv", label="CSV 表格，UTF-8 或 GBK，逐行读取", mime_types=("text/csv", "application/csv"))
def _load_csv(path: Path) -> RawDocument:
    text, encoding = decode_text(path.read_bytes(), path)
    if not text.strip():
        raise LoadError(path, "文件只有空白内容")
    sample = text[:8192]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",\t;，|")
    except csv.Error:
        dialect = csv.excel
    try:
        rows = [row for _, row in zip(range(MAX_ROWS + 1), csv.reader(io.StringIO(text), dialect), strict=False)]
    except csv.Error as exc:
        raise LoadError(path, f"CSV 格式错误（{exc}），请检查引号是否配对") from exc
    warnings = []
    if len(rows) > MAX_ROWS:
        rows = rows[:MAX_ROWS]
        warnings.append(f"表格超过 {MAX_ROWS} 行，只读取了前 {MAX_ROWS} 行；数据表请用 assistant db import 导入数据库")
    table = sheet_table([[" ".join(c.split()) for c in row] for row in rows], path.stem)
    if table is None:
        raise LoadError(path, "CSV 文件没有内容")
    return RawDocument(path=path, fmt="csv", blocks=[RawBlock(table=table)], encoding=encoding, warnings=warnings)
