"""Backup and restore of the whole data directory: administrators only, audited like every other action."""

from __future__ import annotations

from pathlib import Path

from assistant.backup import BackupReport, RestoreReport, backup, restore
from assistant.workspace.base import Entry, WorkspaceBase


class Admin(WorkspaceBase):
    def backup(self, dest: Path) -> BackupReport:
        detail = str(dest)
        self.require("backup", detail)
        with self._audited("backup", detail) as entry, self.services.write_lock:
            report = backup(self.settings, dest)
            entry.detail = f"{report.dest}（{len(report.files)} 个文件）"
        return report

    def restore(self, src: Path, allow_unsigned: bool = False) -> RestoreReport:
        """Every file is closed before the data directory is swapped; the audit row goes into the restored
        directory's log (the replaced one, with its log, is kept beside it). `allow_unsigned` also takes a
        backup made before backups were signed (said in the audit row)."""
        detail = str(src) + ("（未签名的旧版备份）" if allow_unsigned else "")
        self.require("restore", detail)
        self.services.close()
        try:
            with self.services.write_lock:
                report = restore(self.settings, src, allow_unsigned=allow_unsigned)
        except Exception:
            self._record(Entry(detail, outcome="failed"), "restore")
            raise
        aside = f"，原数据目录移到 {report.previous}" if report.previous else ""
        self._record(Entry(f"{report.src}（{report.files} 个文件）{aside}"), "restore")
        return report
