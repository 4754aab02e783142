"""LLM-mode fixtures: one small data directory per session, and assistants driven by scripted models."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest

from assistant.answer.engine import Assistant
from assistant.config import Settings
from assistant.index.kb import KnowledgeBase
from tests.llm.data import build_data_dir
from tests.llm.fakes import ScriptedChatModel

TODAY = date(2024, 1, 15)


@pytest.fixture(scope="session")
def llm_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return build_data_dir(tmp_path_factory.mktemp("llm"))


@pytest.fixture(scope="session")
def llm_kb(llm_settings: Settings) -> Iterator[KnowledgeBase]:
    kb = KnowledgeBase(llm_settings)
    yield kb
    kb.close()


MakeAssistant = Callable[..., tuple[Assistant, ScriptedChatModel]]


@pytest.fixture
def make_assistant(llm_settings: Settings, llm_kb: KnowledgeBase) -> MakeAssistant:
    """make_assistant(step, step, ...) → an LLM-mode Assistant whose model plays those steps."""

    def make(*script: Any) -> tuple[Assistant, ScriptedChatModel]:
        model = ScriptedChatModel(script=list(script))
        return Assistant(llm_settings, kb=llm_kb, today=TODAY, chat_model=model), model

    return make
