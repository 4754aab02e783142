"""One data directory (two documents, the demo database) reached through all three front ends: the command
line (CliRunner, acting as an account with `--as`), the HTTP API (TestClient) and the workbench (Gradio's HTTP
API, one call per event handler, as the page makes them) — and the audit log they all write."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import pytest
from click.testing import CliRunner, Result
from fastapi.testclient import TestClient

from assistant.api import create_app
from assistant.auth.audit import AuditEvent, AuditLog
from assistant.cli import main
from assistant.config import Settings
from assistant.services import Services
from tests.conftest import add_user
from tests.llm.data import build_data_dir

BUDGET = 2  # questions and searches per account per minute


@dataclass
class Account:
    name: str
    key: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}


@dataclass
class FrontEnds:
    settings: Settings
    client: TestClient
    accounts: dict[str, Account]

    def cli(self, account: str | None, *args: str, stdin: str | None = None) -> Result:
        """`assistant [--as account] args…` in this data directory."""
        prefix = ["--as", self.accounts[account].name] if account else []
        env = {"ASSISTANT_DATA_DIR": str(self.settings.data_dir),
               "ASSISTANT_RATE_LIMIT_PER_MINUTE": str(self.settings.rate_limit_per_minute)}
        return CliRunner().invoke(main, [*prefix, *args], env=env, input=stdin)

    def api(self, account: str, method: str, path: str, **kwargs: Any) -> Any:
        return self.client.request(method, path, headers=self.accounts[account].headers, **kwargs)

    def ui(self, account: str, handler: str, data: list[Any]) -> tuple[str, str]:
        """Call a workbench event handler as its page does: (last event name, its payload, CJK unescaped)."""
        headers = self.accounts[account].headers
        started = self.client.post(f"/ui/gradio_api/call/{handler}", json={"data": data}, headers=headers)
        assert started.status_code == 200, started.text
        stream = self.client.get(f"/ui/gradio_api/call/{handler}/{started.json()['event_id']}", headers=headers).text
        events = re.findall(r"^event: (\w+)\ndata: (.*)$", stream, re.M)
        assert events, stream
        name, payload = events[-1]
        return name, json.dumps(json.loads(payload), ensure_ascii=False)

    @property
    def services(self) -> Services:
        return self.client.app.state.assistant  # type: ignore[attr-defined,no-any-return]

    def ui_request(self, account: str) -> Any:
        """What a workbench handler reads from its gr.Request: the logged-in user's name."""
        return SimpleNamespace(username=self.accounts[account].name)

    def audit(self, account: str) -> list[AuditEvent]:
        """The account's audit rows, oldest first."""
        log = AuditLog(self.settings.data_dir / "audit.sqlite")
        try:
            return list(reversed(log.query(username=self.accounts[account].name, limit=10_000)))
        finally:
            log.close()


@pytest.fixture(scope="package")
def front_ends(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FrontEnds]:
    settings = build_data_dir(tmp_path_factory.mktemp("workspace"))
    settings = settings.model_copy(update={"rate_limit_per_minute": BUDGET})
    roles = {"same_ask": ("科室", None), "same_figures": ("科室", None), "same_check": ("科室", None),
             "same_draft": ("科室", None), "same_search": ("科室", None), "data_tab": ("科室", None),
             "hanyin": ("县区", "汉阴县"), "busy_cli": ("科室", None), "busy_api": ("科室", None),
             "busy_ui": ("科室", None), "same_ledger": ("科室", None), "hanyin_ledger": ("县区", "汉阴县")}
    accounts = {name: Account(name, add_user(settings, name, role, region=region))
                for name, (role, region) in roles.items()}
    with TestClient(create_app(settings, warm=False)) as client:
        yield FrontEnds(settings, client, accounts)
