"""LLM04 数据与模型投毒 through a backup: whoever can write where backups are kept (a shared drive) could add an
administrator to the backup's users.sqlite, re-hash MANIFEST.json and wait for the next `assistant restore`.
The manifest is signed with a key the server holds and the backup does not carry, so that restore is refused
and the data directory stays as it was. Each case works on a data directory of its own (never the battery's)."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from assistant.auth.users import UserStore
from assistant.cli import main
from tests.security.conftest import PASSWORD

ATTACKER = "attacker_admin"


def _cli(data: Path, *args: str) -> Result:
    return CliRunner().invoke(main, list(args), env={"ASSISTANT_DATA_DIR": str(data)})


@pytest.fixture
def backed_up(tmp_path: Path) -> tuple[Path, Path]:
    """A data directory with one county account, and a fresh backup of it made with `assistant backup`."""
    data = tmp_path / "data"
    store = UserStore(data / "users.sqlite")
    store.add("hanyin_officer", PASSWORD, "county", "汉阴县")
    store.close()
    result = _cli(data, "backup", str(tmp_path / "备份"))
    assert result.exit_code == 0, result.output
    return data, tmp_path / "备份"


def _plant_admin(users_db: Path) -> None:
    """What the attacker does to the backup copy: a second administrator with a known password hash."""
    conn = sqlite3.connect(users_db)
    try:
        row = conn.execute("SELECT password_hash FROM users WHERE username = 'hanyin_officer'").fetchone()
        with conn:
            conn.execute("INSERT INTO users (username, role, region, clearance, password_hash, created_at) "
                         "VALUES (?, 'admin', NULL, '内部', ?, '2026-01-01T00:00:00Z')", (ATTACKER, row[0]))
    finally:
        conn.close()  # the last connection checkpoints the WAL into users.sqlite itself
    assert not users_db.with_name(users_db.name + "-wal").exists()


def _rehash(backup: Path) -> dict[str, object]:
    """… and then makes the manifest's sizes and digests match the edited files again."""
    path = backup / "MANIFEST.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    for item in manifest["files"]:
        file = backup / item["path"]
        item["size"], item["sha256"] = file.stat().st_size, hashlib.sha256(file.read_bytes()).hexdigest()
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    return dict(manifest)


def _accounts(data: Path) -> list[str]:
    store = UserStore(data / "users.sqlite")
    try:
        return [u.username for u in store.list()]
    finally:
        store.close()


@pytest.mark.parametrize("how", [
    pytest.param("rehash", id="LLM04-backup-with-planted-admin-and-rehashed-manifest-is-refused"),
    pytest.param("unsigned", id="LLM04-backup-made-to-look-unsigned-is-refused"),
    pytest.param("resign-guess", id="LLM04-backup-resigned-with-a-guessed-key-is-refused"),
])
def test_a_backup_edited_after_it_was_made_does_not_restore(backed_up: tuple[Path, Path], how: str) -> None:
    data, backup = backed_up
    assert not (backup / ".backup-key").exists()  # the key stays on the server
    _plant_admin(backup / "users.sqlite")
    manifest = _rehash(backup)
    if how == "unsigned":  # pose as a backup from before signing
        manifest.pop("signature")
        manifest["format"] = 1
    elif how == "resign-guess":
        import hmac

        body = {k: v for k, v in manifest.items() if k != "signature"}
        canonical = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
        manifest["signature"] = hmac.new(b"0" * 64, canonical, hashlib.sha256).hexdigest()
    (backup / "MANIFEST.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    result = _cli(data, "restore", str(backup))
    assert result.exit_code == 1, result.output
    assert ("没有签名" if how == "unsigned" else "签名不符") in result.output and "数据目录未做任何改动" in result.output
    assert ATTACKER not in _accounts(data) and "hanyin_officer" in _accounts(data)


@pytest.mark.parametrize("how", [pytest.param("as-made", id="LLM04-untouched-signed-backup-restores")])
def test_an_untouched_backup_restores_and_the_server_keeps_its_key(backed_up: tuple[Path, Path], how: str) -> None:
    data, backup = backed_up
    key = (data / ".backup-key").read_bytes()
    result = _cli(data, "restore", str(backup))
    assert result.exit_code == 0, result.output
    assert "hanyin_officer" in _accounts(data) and (data / ".backup-key").read_bytes() == key
