"""Browsing the ledgers (项目, 企业, 走访记录, 问题) as tables, a project's timeline, the rows behind a 考核 point,
Excel export of a filtered view and the blank import templates. The database is the one this user may see (a
county officer's region; the 联络处 records refused); viewing is audited as `ledger`, exporting as `ledger_export`,
with the rows shown. Importing goes through Documents.import_data like every other import."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from assistant.db.errors import InvalidValue
from assistant.db.importers import KINDS
from assistant.ledgers.export import template_csv, template_xlsx, view_xlsx
from assistant.ledgers.views import (
    LEDGER_KINDS,
    MAX_PAGE_ROWS,
    LedgerFilter,
    LedgerView,
    ProjectTimeline,
    chain_names,
    contact_methods,
    enterprise_statuses,
    ledger_view,
    project_timeline,
    score_rows,
    visible_regions,
)
from assistant.workspace.base import WorkspaceBase

AUDITED_ROWS = 500  # a 10,000-row export names its first rows in the audit log, not all of them


@dataclass(frozen=True)
class LedgerChoices:
    """What the filters offer this user: their regions (a county officer: their own), the chains, the enterprise
    statuses and the contact methods in the database (none for a county officer, who cannot read the records)."""

    regions: list[str]
    chains: list[str]
    enterprise_statuses: list[str]
    contact_methods: list[str]


class Ledgers(WorkspaceBase):
    def ledger_choices(self) -> LedgerChoices:
        store = self.store()
        return LedgerChoices(visible_regions(store), chain_names(store), enterprise_statuses(store),
                             contact_methods(store))

    def ledger(self, kind: str, filters: LedgerFilter | None = None, limit: int | None = None) -> LedgerView:
        """The filtered ledger; `limit`: only the first rows (a page, at most MAX_PAGE_ROWS), with the count and
        statuses of all matches. Every row: ledger_export."""
        filters = filters or LedgerFilter()
        if limit is not None and not 1 <= limit <= MAX_PAGE_ROWS:
            raise InvalidValue(f"每页行数“{limit}”应在 1 到 {MAX_PAGE_ROWS} 之间；全部行请导出 Excel。")
        with self._audited("ledger", _detail(kind, filters)) as entry:
            view = ledger_view(self.store(), kind, filters, limit)
            entry.rows = view.row_refs[:AUDITED_ROWS]
        return view

    def ledger_export(self, kind: str, filters: LedgerFilter | None = None) -> tuple[str, bytes]:
        """(file name, .xlsx bytes) of the filtered view: the same rows the view shows."""
        filters = filters or LedgerFilter()
        with self._audited("ledger_export", _detail(kind, filters)) as entry:
            view = ledger_view(self.store(), kind, filters)
            entry.rows = view.row_refs[:AUDITED_ROWS]
            now = datetime.now()
            data = view_xlsx(view, now)
        return f"{view.title}_{now:%Y%m%d_%H%M}.xlsx", data

    def project_timeline(self, name: str) -> ProjectTimeline:
        with self._audited("ledger", f"项目时间线 {name}") as entry:
            timeline = project_timeline(self.store(), name)
            entry.rows = timeline.row_refs
        return timeline

    def score_rows(self, table: str, row_ids: list[int], what: str = "") -> LedgerView:
        """The rows a 考核 point was computed from, as this user may see them."""
        with self._audited("ledger", f"考核明细 {what}".strip()) as entry:
            view = score_rows(self.store(), table, row_ids)
            entry.rows = view.row_refs[:AUDITED_ROWS]
        return view

    def ledger_template(self, kind: str, suffix: str = ".xlsx") -> tuple[str, bytes]:
        """(file name, bytes) of the blank import template of `kind`, as .csv or .xlsx."""
        data = template_csv(kind) if suffix == ".csv" else template_xlsx(kind)
        return f"{KINDS.get(kind, kind)}导入模板{suffix}", data


def _detail(kind: str, filters: LedgerFilter) -> str:
    return f"{LEDGER_KINDS.get(kind, kind)} {filters.describe(kind)}".strip()
