"""Reading staff spreadsheets: CSV (UTF-8 or GBK) and XLSX into a grid of strings, plus cell parsers.

Row numbers are the ones a user sees when opening the file in Excel (first row = 1). Merged cells
in XLSX are filled with the merged value so a merged group header covers all its sub-columns.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, TypeVar

from assistant.db.errors import FigureError, ImportFormatError, RowProblem
from assistant.db.units import convert, normalise_unit

T = TypeVar("T")
# Excel holds at most 32,767 characters in a cell: a longer one is a broken file (often an unpaired quote
# that swallowed the rest of the sheet), refused with its row and column before anything is parsed.
MAX_CELL_CHARS = 32767
BLANKS = {"", "-", "--", "—", "——", "－", "/", "／", "无", "空", "n/a", "na", "none", "null"}
_FOOTNOTE = re.compile(r"^(注|备注|说明|数据来源|资料来源|制表|填报|审核)[:：]?")


@dataclass
class Grid:
    path: Path
    rows: list[list[str]]
    encoding: str

    def cell(self, row_index: int, col: int) -> str:
        row = self.rows[row_index]
        return row[col] if col < len(row) else ""


def read_grid(path: Path) -> Grid:
    """读取 CSV（UTF-8 或 GBK）或 XLSX 的第一个工作表，返回字符串表格。"""
    if not path.is_file():
        raise ImportFormatError(path, "文件不存在。")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return Grid(path, _trim(_checked(path, _read_xlsx(path))), "XLSX")
    if suffix in (".csv", ".txt", ".tsv"):
        rows, encoding = _read_csv(path)
        return Grid(path, _trim(_checked(path, rows)), encoding)
    raise ImportFormatError(path, f"不支持的文件类型“{path.suffix}”，请另存为 .csv 或 .xlsx。")


def column_letter(index: int) -> str:
    """Excel's name for a 0-based column: 0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _too_long(path: Path, row_no: int, col: int, chars: int | None) -> ImportFormatError:
    size = f"有 {chars:,} 个字符" if chars is not None else "过长"
    return ImportFormatError(
        path, f"第 {row_no} 行第 {col + 1} 列（{column_letter(col)} 列）的单元格{size}，超过单元格上限 "
              f"{MAX_CELL_CHARS:,} 字。多半是某个引号没有配对、把后面的内容都并进了这一格；请在 Excel 中打开检查该单元格，"
              "改正后另存为 CSV 或 XLSX 再导入。")


def _checked(path: Path, rows: list[list[str]]) -> list[list[str]]:
    for row_index, row in enumerate(rows):
        for col, cell in enumerate(row):
            if len(cell) > MAX_CELL_CHARS:
                raise _too_long(path, row_index + 1, col, len(cell))
    return rows


def _read_csv(path: Path) -> tuple[list[list[str]], str]:
    data = path.read_bytes()
    text, encoding = None, ""
    for codec, label in (("utf-8-sig", "UTF-8"), ("utf-16", "UTF-16"), ("gb18030", "GBK")):
        if codec == "utf-16" and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            continue
        try:
            text, encoding = data.decode(codec), label
            break
        except UnicodeDecodeError:
            continue
    if text is None:
        raise ImportFormatError(path, "无法识别文件编码，请另存为 UTF-8 或 GBK 编码的 CSV。")
    first = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first and "," not in first else ","
    return _csv_rows(path, text, delimiter), encoding


def _csv_rows(path: Path, text: str, delimiter: str) -> list[list[str]]:
    """The records of a CSV text; a record the csv module cannot read (a field past its size limit, a NUL)
    becomes an ImportFormatError naming its row and, for an oversized field, its column."""
    record: list[str] = []  # the physical lines of the record being read

    def lines() -> Iterator[str]:
        for line in io.StringIO(text):
            record.append(line)
            yield line

    reader = csv.reader(lines(), delimiter=delimiter)
    rows: list[list[str]] = []
    while True:
        record.clear()
        try:
            row = next(reader)
        except StopIteration:
            return rows
        except csv.Error as err:
            row_no = len(rows) + 1
            col = _long_field(record, delimiter)
            if col is not None:
                raise _too_long(path, row_no, col, None) from err
            why = "含有空字符（NUL），不像是文本 CSV" if "NUL" in str(err) else f"格式有误：{err}"
            raise ImportFormatError(path, f"第 {row_no} 行无法按 CSV 读取（{why}），请在 Excel 中打开后另存为 CSV 或 XLSX 再导入。"
                                    ) from err
        rows.append(row)


def _long_field(record: list[str], delimiter: str) -> int | None:
    """The 0-based column of the first field longer than MAX_CELL_CHARS in a record's raw lines, if any."""
    col, length, quoted = 0, 0, False
    for ch in "".join(record):
        if ch == '"':
            quoted = not quoted
        elif ch == delimiter and not quoted:
            col, length = col + 1, 0
            continue
        elif ch in "\r\n" and not quoted:
            continue
        length += 1
        if length > MAX_CELL_CHARS:
            return col
    return None


def _cell_text(cell: Any) -> str:
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if "%" in str(cell.number_format):
            return f"{_plain(number * 100)}%"
        return _plain(number)
    return str(value)


def _plain(number: Decimal) -> str:
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


# A 10,000-row project ledger inflates to about 13 MB of sheet XML, past the 10 MB that documents are held to;
# spreadsheets get a larger text cap, and every other rule of assistant.corpus.archives (the ratio rule that
# catches zip bombs, the total) still applies from the zip directory before anything is inflated.
SHEET_XML_LIMIT = 64 * 1024 * 1024
STREAM_ABOVE = 8 * 1024 * 1024  # sheets larger than this are streamed (openpyxl read-only): memory stays flat


def _spreadsheet_problem(path: Path) -> tuple[str | None, int]:
    """(why the workbook is refused, its text size) from the zip directory alone: the archive rules with the
    spreadsheet text cap. A file that is not a zip archive is left to openpyxl, which says so."""
    import zipfile

    from assistant.corpus.archives import MAX_RATIO, MAX_TOTAL_BYTES, RATIO_FLOOR, TEXT_SUFFIXES

    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None, 0
    mb = 1024 * 1024
    text = sum(p.file_size for p in parts if p.filename.lower().endswith(TEXT_SUFFIXES))
    for part in parts:
        if part.file_size > RATIO_FLOOR and part.file_size > MAX_RATIO * max(part.compress_size, 1):
            return (f"其中“{part.filename[:60]}”从 {part.compress_size / 1024:.0f} KB 解压为 {part.file_size / mb:.1f} MB"
                    f"（超过 {MAX_RATIO} 倍，像是“压缩炸弹”），未读取"), text
    if text > SHEET_XML_LIMIT:
        return (f"解压后的表格内容达 {text / mb:.1f} MB，超过 {SHEET_XML_LIMIT // mb} MB 的上限，未读取；"
                "请按县区或年度拆分后再导入"), text
    total = sum(p.file_size for p in parts)
    if total > MAX_TOTAL_BYTES:
        return f"解压后共 {total / mb:.0f} MB，超过 {MAX_TOTAL_BYTES // mb} MB 的上限，未读取；请删去图片或拆分文件", text
    return None, text


def _read_xlsx(path: Path) -> list[list[str]]:
    from openpyxl import load_workbook  # heavy import, only when an XLSX file is read

    problem, text_size = _spreadsheet_problem(path)  # refused before openpyxl inflates anything
    if problem:
        raise ImportFormatError(path, problem + "。")
    streamed = text_size > STREAM_ABOVE
    try:
        workbook = load_workbook(path, data_only=True, read_only=streamed)
    except Exception as err:  # openpyxl raises many unrelated types for damaged files
        raise ImportFormatError(path, f"无法打开 XLSX 文件（{err}），请确认文件未损坏且不是 .xls 旧格式。") from err
    sheet = workbook.worksheets[0]
    rows = [[_cell_text(cell) for cell in row] for row in sheet.iter_rows()]
    if streamed:  # read-only sheets do not list merged cells; a ledger this large is a plain table
        workbook.close()
        return rows
    for merged in sheet.merged_cells.ranges:  # type: ignore[union-attr]
        top_left = rows[merged.min_row - 1][merged.min_col - 1]
        for r in range(merged.min_row - 1, merged.max_row):
            for c in range(merged.min_col - 1, merged.max_col):
                rows[r][c] = top_left
    workbook.close()
    return rows


def _trim(rows: list[list[str]]) -> list[list[str]]:
    cleaned = [[cell.strip() for cell in row] for row in rows]
    for row in cleaned:
        while row and not row[-1]:
            row.pop()
    while cleaned and not cleaned[-1]:
        cleaned.pop()
    return cleaned


def is_blank(text: str) -> bool:
    return text.strip().lower() in BLANKS


def is_footnote(text: str) -> bool:
    return bool(_FOOTNOTE.match(text.strip()))


# ---- headers -------------------------------------------------------------------------------

_UNIT_IN_HEADER = re.compile(r"[（(]([^（）()]*)[）)]")


def split_header(text: str) -> tuple[str, str | None]:
    """“总投资（万元）”→（“总投资”，“万元”）；“同比%”→（“同比”，None）。括号里不是单位时原样保留。"""
    norm = re.sub(r"\s+", "", text).replace("％", "%")
    unit = None
    for match in _UNIT_IN_HEADER.finditer(norm):
        try:
            unit = normalise_unit(match.group(1))
        except FigureError:
            continue
        norm = norm.replace(match.group(0), "")
    return norm.replace("%", ""), unit


@dataclass(frozen=True)
class ColumnSpec:
    field: str
    aliases: tuple[str, ...]
    required: bool = False


@dataclass(frozen=True)
class Column:
    index: int
    label: str
    unit: str | None


@dataclass
class Header:
    row_index: int
    columns: dict[str, Column]
    ignored: list[str] = field(default_factory=list)


def find_header(grid: Grid, specs: Sequence[ColumnSpec], template: str) -> Header:
    """Find the header row (within the first 15 rows) by the first spec's aliases and map every column."""
    key_aliases = set(specs[0].aliases)
    for row_index, row in enumerate(grid.rows[:15]):
        if not any(split_header(cell)[0] in key_aliases for cell in row):
            continue
        columns: dict[str, Column] = {}
        ignored: list[str] = []
        for col, cell in enumerate(row):
            base, unit = split_header(cell)
            spec = next((s for s in specs if base in s.aliases), None)
            if spec is None or spec.field in columns:
                if cell:
                    ignored.append(cell)
                continue
            columns[spec.field] = Column(col, cell, unit)
        missing = [s.aliases[0] for s in specs if s.required and s.field not in columns]
        if missing:
            raise ImportFormatError(
                grid.path, f"缺少必需的列：{'、'.join(missing)}。表头应为：{template}（模板见 corpus/data/templates/）。"
            )
        return Header(row_index, columns, ignored)
    raise ImportFormatError(
        grid.path, f"在前 15 行中没有找到表头“{specs[0].aliases[0]}”。表头应为：{template}（模板见 corpus/data/templates/）。"
    )


# ---- cells ---------------------------------------------------------------------------------


class CellError(ValueError):
    """A cell value that cannot be parsed; the message is the Chinese reason."""


def parse_decimal(text: str) -> Decimal | None:
    if is_blank(text):
        return None
    cleaned = text.strip().replace(",", "").replace("，", "").replace(" ", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise CellError("不是有效数字") from None
    if not value.is_finite():
        raise CellError("不是有效数字")
    return value


def parse_percent(text: str) -> Decimal | None:
    """“35.52%”和“35.52”都表示 35.52%。"""
    cleaned = text.strip().replace("％", "%")
    return parse_decimal(cleaned[:-1] if cleaned.endswith("%") else cleaned)


def parse_int(text: str) -> int | None:
    value = parse_decimal(text)
    if value is None:
        return None
    if value != value.to_integral_value():
        raise CellError("应为整数")
    return int(value)


_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+[\d:]+)?$")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_EXCEL_SERIAL = re.compile(r"^\d{5}(?:\.0+)?$")
# Excel's day 0 (it counts 1900 as a leap year, so serials from March 1900 on count from here). Serials
# 20000-80000 are 1954-2119: a five-digit number in a date column is a date cell Excel lost its format for.
_EXCEL_EPOCH = date(1899, 12, 30)
DATE_FORMATS = "2024-03-05、2024/3/5、2024.3.5、2024年3月5日、20240305 或 Excel 日期序号（如 45356）"


def parse_date(text: str) -> date | None:
    """2023-03-19、2023/3/19、2023.3.19、2023年3月19日、20230319，以及 Excel 日期序号（45356 = 2024-03-05）。"""
    if is_blank(text):
        return None
    cleaned = text.strip()
    if _EXCEL_SERIAL.match(cleaned) and 20000 <= int(float(cleaned)) <= 80000:
        return _EXCEL_EPOCH + timedelta(days=int(float(cleaned)))
    match = _DATE.match(cleaned) or _COMPACT_DATE.match(cleaned)
    if not match:
        raise CellError(f"无法识别的日期，可写作 {DATE_FORMATS}")
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        raise CellError("不是有效日期") from None


def parse_bool(text: str) -> bool | None:
    value = text.strip().lower()
    if is_blank(value):
        return None
    if value in ("是", "y", "yes", "true", "1", "外资", "√"):
        return True
    if value in ("否", "n", "no", "false", "0", "内资", "×"):
        return False
    raise CellError("应填“是”或“否”")


class RowReader:
    """Reads one data row by field name, collecting a RowProblem per bad cell instead of stopping."""

    def __init__(self, grid: Grid, header: Header, row_index: int, problems: list[RowProblem]) -> None:
        self.grid, self.header, self.row_index = grid, header, row_index
        self.row_no = row_index + 1
        self.problems = problems
        self.ok = True

    def raw(self, name: str) -> str:
        column = self.header.columns.get(name)
        return self.grid.cell(self.row_index, column.index) if column else ""

    def label(self, name: str) -> str:
        column = self.header.columns.get(name)
        return column.label if column else name

    def problem(self, name: str, reason: str, value: str | None = None) -> None:
        self.ok = False
        shown = self.raw(name) if value is None else value
        self.problems.append(RowProblem(self.row_no, self.label(name), shown, reason))

    def parse(self, name: str, parser: Callable[[str], T | None], required: bool = False) -> T | None:
        text = self.raw(name)
        if required and is_blank(text):
            self.problem(name, "不能为空")
            return None
        try:
            return parser(text)
        except (CellError, FigureError) as err:
            self.problem(name, str(err))
            return None

    def text(self, name: str, required: bool = False) -> str | None:
        return self.parse(name, lambda t: None if is_blank(t) else t.strip(), required)

    def amount(self, name: str, unit: str, required: bool = False) -> Decimal | None:
        """A non-negative amount converted from the header's unit (e.g. 总投资（万元）) into unit."""
        value = self.parse(name, parse_decimal, required)
        if value is None:
            return None
        if value < 0:
            self.problem(name, "不能为负数")
            return None
        column = self.header.columns.get(name)
        if column and column.unit:
            try:
                return convert(value, column.unit, unit)
            except FigureError as err:
                self.problem(name, str(err))
                return None
        return value
