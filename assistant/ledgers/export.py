"""A ledger view as an Excel workbook, and the blank import templates. Pure: a view (or a kind) in, file bytes out.

The first sheet holds exactly the view's rows and columns, dates as Excel dates and amounts as numbers, each row
coloured by its status as on the page; a second sheet (说明) says what was filtered, the ledger date and the rule.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from assistant.db.errors import InvalidValue
from assistant.db.importers import KINDS
from assistant.db.indicator_import import LONG_TEMPLATE
from assistant.db.records import (
    CONTACT_TEMPLATE,
    ENTERPRISE_TEMPLATE,
    EVENT_TEMPLATE,
    LEDGER_TEMPLATE,
    OFFICE_TEMPLATE,
    PROBLEM_LEDGER_TEMPLATE,
)
from assistant.ledgers.views import LedgerView

# Row fills by tone, the same colours as the page (assistant/resources/ui.css .zs-tone-*).
FILLS = {"滞后": "FDE2E1", "逾期": "FDE2E1", "预警": "FEF3C7", "正常": "E7F5EA", "已解决": "EEF1F5"}

# The header each import accepts in full (the importers' own constants; corpus/data/templates/ holds the same).
TEMPLATES: dict[str, str] = {
    "projects": LEDGER_TEMPLATE,
    "problems": PROBLEM_LEDGER_TEMPLATE + ",填报日期",
    "enterprises": ENTERPRISE_TEMPLATE + ",跟踪责任单位",
    "contacts": CONTACT_TEMPLATE,
    "offices": OFFICE_TEMPLATE,
    "events": EVENT_TEMPLATE,
    "indicators": LONG_TEMPLATE,
}


def _cell(value: object) -> object:
    return "" if value is None else value


def view_xlsx(view: LedgerView, exported_at: datetime | None = None) -> bytes:
    """Written row by row (openpyxl's write-only mode): a 10,000-row view does not build the sheet in memory."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(view.title[:31])
    for i, column in enumerate(view.columns, start=1):
        wide = column.kind not in ("date", "amount", "count", "status")
        sheet.column_dimensions[get_column_letter(i)].width = 24 if wide else 12
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    sheet.append([_styled(sheet, c.name, font=bold) for c in view.columns])
    fills = {tone: PatternFill("solid", fgColor=colour) for tone, colour in FILLS.items()}
    for row in view.rows:
        fill = fills.get(row.tone or "")
        sheet.append([_styled(sheet, v, fill=fill) for v in row.values])
    notes = book.create_sheet("说明")
    notes.column_dimensions["A"].width = 12
    notes.column_dimensions["B"].width = 100
    notes.append(["台账", view.title])
    notes.append(["筛选条件", view.filters.describe(view.kind) or "（全部）"])
    notes.append(["行数", len(view.rows)])
    if view.as_of:
        notes.append(["台账日期", _styled(notes, view.as_of)])
    if view.rule:
        notes.append(["说明", view.rule])
    notes.append(["导出时间", (exported_at or datetime.now()).strftime("%Y-%m-%d %H:%M")])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _styled(sheet: Any, value: object, fill: PatternFill | None = None, font: Font | None = None) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=_cell(value))
    if isinstance(value, date):
        cell.number_format = "yyyy-mm-dd"
    if fill is not None:
        cell.fill = fill
    if font is not None:
        cell.font = font
    return cell


def _header(kind: str) -> list[str]:
    if kind not in TEMPLATES:
        raise InvalidValue(f"没有“{kind}”的导入模板，可下载：{'、'.join(KINDS[k] for k in TEMPLATES)}。")
    return TEMPLATES[kind].split(",")


def template_csv(kind: str) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens the Chinese header correctly."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow(_header(kind))
    return out.getvalue().encode("utf-8-sig")


def template_xlsx(kind: str) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = KINDS[kind][:31] if kind in KINDS else "模板"
    header = _header(kind)
    sheet.append(header)
    for i, cell in enumerate(sheet[1], start=1):
        cell.font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(i)].width = max(10, len(header[i - 1]) * 2 + 2)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
