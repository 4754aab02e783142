"""Drafting fixtures: one small data directory for the package, its knowledge base and database."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from assistant.config import Settings
from assistant.db.session import FigureStore
from assistant.index.kb import KnowledgeBase
from tests.drafting.data import build_data_dir


@pytest.fixture(scope="package")
def draft_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return build_data_dir(tmp_path_factory.mktemp("drafting"))


@pytest.fixture(scope="package")
def kb(draft_settings: Settings) -> Iterator[KnowledgeBase]:
    kb = KnowledgeBase(draft_settings)
    yield kb
    kb.close()


@pytest.fixture(scope="package")
def store(draft_settings: Settings) -> Iterator[FigureStore]:
    store = FigureStore.open(draft_settings.db_url)
    yield store
    store.close()
