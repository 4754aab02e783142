"""API fixtures: one app over a small data directory (two documents, the demo database), via TestClient."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from assistant.api import create_app
from assistant.api_routes.deps import AppState
from assistant.config import Settings
from tests.conftest import add_user
from tests.llm.data import build_data_dir

MAX_FILE_MB = 0.05  # small, so the size limit is cheap to exceed


@pytest.fixture(scope="package")
def api_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    settings = build_data_dir(tmp_path_factory.mktemp("api"))
    return settings.model_copy(update={"max_file_mb": MAX_FILE_MB, "rate_limit_per_minute": 0})


@pytest.fixture(scope="package")
def admin_key(api_settings: Settings) -> str:
    return add_user(api_settings, "admin")


@pytest.fixture(scope="package")
def client(api_settings: Settings, admin_key: str) -> Iterator[TestClient]:
    """An administrator's client (API key in every request)."""
    with TestClient(create_app(api_settings, warm=False), headers={"Authorization": f"Bearer {admin_key}"}) as c:
        yield c


@pytest.fixture
def state(client: TestClient) -> AppState:
    return client.app.state.assistant  # type: ignore[attr-defined,no-any-return]
