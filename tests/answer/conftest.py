"""The grounded assistant over two corpus documents, a planted-instruction notice and the demo database,
shared by the answer tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant.answer.engine import Assistant
from assistant.cli import main
from assistant.config import Settings
from assistant.index.ingest import ingest
from assistant.index.kb import KnowledgeBase
from tests.answer.test_grounded import BUTLER, INJECTED, REPORT
from tests.conftest import CORPUS


def assistant_over(tmp_path_factory: pytest.TempPathFactory, documents: dict[str, str]) -> Assistant:
    """The grounded assistant over `documents` alone (file name → text), with no project database."""
    data, docs = tmp_path_factory.mktemp("data"), tmp_path_factory.mktemp("docs")
    for name, text in documents.items():
        (docs / name).write_text(text, encoding="utf-8")
    settings = Settings(data_dir=data)
    kb = KnowledgeBase(settings)
    assert ingest(kb, [docs]).ok
    return Assistant(settings, kb=kb)


def assistant_with_data(tmp_path_factory: pytest.TempPathFactory, paths: list[Path]) -> Assistant:
    """The grounded assistant over `paths` (corpus files or folders) and the demo database."""
    data = tmp_path_factory.mktemp("data")
    settings = Settings(data_dir=data)
    kb = KnowledgeBase(settings)
    assert ingest(kb, paths).ok
    result = CliRunner().invoke(main, ["db", "import-demo", str(CORPUS / "data")], env={"ASSISTANT_DATA_DIR": str(data)})
    assert result.exit_code == 0, result.output
    return Assistant(settings, kb=kb)


@pytest.fixture(scope="package")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    docs = tmp_path_factory.mktemp("docs")
    (docs / "注入测试通知.txt").write_text(INJECTED, encoding="utf-8")
    return assistant_with_data(tmp_path_factory, [REPORT, BUTLER, docs])


