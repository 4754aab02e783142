"""Process-wide resources and the dependencies routes declare (`Annotated[..., Depends(...)]` aliases)."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Annotated

from fastapi import Depends, HTTPException, Request

from assistant.answer.engine import Assistant
from assistant.api_routes.auth import Auth, CurrentUser
from assistant.auth.audit import UserAssistant
from assistant.config import Settings
from assistant.db.session import FigureStore
from assistant.index.kb import KnowledgeBase

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel


class AppState:
    """Built once at start-up and shared by request handlers."""

    def __init__(self, settings: Settings, chat_model: BaseChatModel | None = None, local: bool = False) -> None:
        self.settings = settings
        self.auth = Auth(settings.data_dir, local=local, per_minute=settings.rate_limit_per_minute)
        self.kb = KnowledgeBase(settings)
        self.assistant = Assistant(settings, kb=self.kb, chat_model=chat_model)
        self.write_lock = threading.Lock()  # one upload or deletion at a time within this process

    def warm(self) -> None:
        self.kb.refresh()
        self.kb.search("招商引资", k=1)  # loads the embedder, Chroma and jieba before the first user


def get_state(request: Request) -> AppState:
    return request.app.state.assistant  # type: ignore[no-any-return]


State = Annotated[AppState, Depends(get_state)]


def get_settings_dep(state: State) -> Settings:
    return state.settings


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]


def get_kb(state: State) -> KnowledgeBase:
    return state.kb


KB = Annotated[KnowledgeBase, Depends(get_kb)]


def get_assistant(state: State) -> Assistant:
    return state.assistant


AssistantDep = Annotated[Assistant, Depends(get_assistant)]


def get_user_assistant(request: Request, state: State, user: CurrentUser) -> UserAssistant:
    """The asking user's assistant; 429 (before any answering starts) past the per-account budget."""
    state.auth.limiter.hit(user.username)
    via = "openai" if request.url.path.startswith("/v1/") else "api"
    return UserAssistant(state.assistant, user, state.auth.audit, via)


UserAssistantDep = Annotated[UserAssistant, Depends(get_user_assistant)]


def get_store(assistant: AssistantDep, user: CurrentUser) -> FigureStore:
    """The read-only project database as the user may see it (a county officer: their region's rows and
    city-wide aggregates); 503 until one has been imported."""
    store = assistant.figure_store(user.access.region)
    if store is None:
        raise HTTPException(
            status_code=503, detail="项目数据库尚未导入，请先运行 assistant db import-demo corpus/data/ 或 assistant db import。"
        )
    return store


Store = Annotated[FigureStore, Depends(get_store)]
