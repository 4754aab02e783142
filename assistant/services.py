"""The shared resources of one process: settings, the knowledge base, the assistant, accounts and audit log,
the onboarding course and the feedback store. Built once by `assistant serve` (shared by every request and
workbench event) or once per command; every use case reaches them through a Workspace, never directly.

Everything but the accounts is opened on first use, so a command that only reads the database does not load
the knowledge base, and `restore` can close everything before the data directory is swapped.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from assistant.access import PUBLIC
from assistant.answer.engine import Assistant, open_figure_store
from assistant.auth.sessions import Auth
from assistant.config import Settings
from assistant.db.session import FigureStore, is_sqlite, sqlite_path
from assistant.feedback import FeedbackStore
from assistant.index.disclosure import align_default
from assistant.index.kb import KnowledgeBase, SearchFilters
from assistant.index.provenance import align as align_provenance
from assistant.onboarding.course import Course
from assistant.state.engine import state_url

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

LAZY = ("kb", "assistant", "course", "auth")
HEALTH_TTL_S = 5.0  # /healthz answers from its last check for this long: probes stay cheap under polling
HEALTH_PROBE = "招商引资"

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Health:
    """What /healthz reports: `problems` (Chinese, one per failed part) is empty when all is well."""

    problems: tuple[str, ...]
    documents: int
    chunks: int
    database: str  # 正常 / 未导入 / 查询失败

    @property
    def ok(self) -> bool:
        return not self.problems


class Services:
    def __init__(self, settings: Settings, chat_model: BaseChatModel | None = None, local: bool = False) -> None:
        self.settings = settings
        self.local = local
        self._chat_model = chat_model
        self._store: FigureStore | None = None  # the database for commands that never build the assistant
        # One writer at a time within this process: uploads, deletions, re-ingests and imports wait for each
        # other here instead of failing on the data directory's file lock (which another process may hold).
        self.write_lock = threading.Lock()
        self._health_lock = threading.Lock()
        self._health: tuple[float, Health] | None = None

    @cached_property
    def auth(self) -> Auth:
        return Auth(self.settings.data_dir, local=self.local, per_minute=self.settings.rate_limit_per_minute,
                    trusted_proxy=self.settings.trusted_proxy, database_url=self.settings.database_url,
                    redis_url=self.settings.redis_url)

    @cached_property
    def kb(self) -> KnowledgeBase:
        kb = KnowledgeBase(self.settings)
        align_default(kb, self.settings.default_disclosure)  # ASSISTANT_DEFAULT_DISCLOSURE changed since last run
        align_provenance(kb)  # documents indexed before loaders and 已核验/未核验 were recorded
        return kb

    @cached_property
    def assistant(self) -> Assistant:
        return Assistant(self.settings, kb=self.kb, store=self._store, chat_model=self._chat_model)

    @cached_property
    def course(self) -> Course:
        """One per process: its glossary is cached and rebuilt only when the knowledge base changes."""
        return Course(self.settings, self.kb, self._current_store())

    @cached_property
    def feedback(self) -> FeedbackStore:
        return FeedbackStore(state_url(self.settings, "feedback"))

    def _current_store(self) -> FigureStore | None:
        if "assistant" in self.__dict__:
            return self.assistant.store
        if self._store is None:
            self._store = open_figure_store(self.settings)
        return self._store

    def figure_store(self, region: str | None = None) -> FigureStore | None:
        """The project database as a user bound to `region` sees it (None: every region); picks up a database
        imported after start-up; None while there is none."""
        if "assistant" in self.__dict__:
            return self.assistant.figure_store(region)
        store = self._current_store()
        return store.scoped(region) if store is not None else None

    def reload_figures(self) -> None:
        """After an import: the assistant, the course and later queries see the new rows."""
        if "assistant" in self.__dict__:
            self.assistant.reload_figures()
        else:
            if self._store is not None:
                self._store.close()
            self._store = open_figure_store(self.settings)
        if "course" in self.__dict__:
            self.course.store = self._current_store()

    def health(self) -> Health:
        """The knowledge base and the database as they really are: a one-passage search of 公开 documents (the
        path every search takes: manifest, BM25, embedder and the vector store with a filter) and a query of
        the database, at most once every HEALTH_TTL_S (the last answer in between). Details of a failure go to
        the log; the reason names the part and the error type only, as /healthz needs no login."""
        with self._health_lock:
            if self._health is not None and time.monotonic() - self._health[0] < HEALTH_TTL_S:
                return self._health[1]
            problems: list[str] = []
            documents = chunks = 0
            try:
                documents, chunks = self.kb.manifest.stats()
                self.kb.probe(HEALTH_PROBE, filters=SearchFilters(access=[PUBLIC]))
            except Exception as exc:
                log.exception("健康检查：知识库检索失败")
                problems.append(f"知识库检索失败（{type(exc).__name__}），详见服务日志")
            database = "正常"
            try:
                store = self.figure_store()
                if store is not None:
                    store.import_mark()
                elif is_sqlite(self.settings.db_url) and not sqlite_path(self.settings.db_url).is_file():
                    database = "未导入"  # a setting-up state, not a failure: figure questions say so
                else:
                    FigureStore.open(self.settings.db_url).close()  # there but unusable: raises why
            except Exception as exc:
                log.exception("健康检查：项目数据库查询失败")
                database = "查询失败"
                problems.append(f"项目数据库查询失败（{type(exc).__name__}），详见服务日志")
            health = Health(tuple(problems), documents, chunks, database)
            self._health = (time.monotonic(), health)
            return health

    def open_all(self) -> None:
        """Build everything now, before requests arrive from several threads (cached_property is not
        thread-safe: two first requests at once would each build an assistant)."""
        for name in (*LAZY, "feedback"):
            getattr(self, name)

    def warm(self) -> None:
        self.kb.refresh()
        self.kb.search("招商引资", k=1)  # loads the embedder, Chroma and jieba before the first user

    def close(self) -> None:
        """Release every open file (restore swaps the data directory underneath); usable again afterwards."""
        assistant = self.__dict__.get("assistant")
        if assistant is not None and assistant.store is not None and assistant.store is not self._store:
            assistant.store.close()
        for name in (*LAZY, "feedback"):
            resource = self.__dict__.pop(name, None)
            if isinstance(resource, KnowledgeBase | Auth | FeedbackStore):
                resource.close()
        if self._store is not None:
            self._store.close()
            self._store = None
