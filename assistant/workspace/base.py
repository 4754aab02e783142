"""What every use case shares: who is acting, through which front end, what they may do, their per-minute
budget, and the one audit row each action leaves."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Literal

from assistant.auth.users import User
from assistant.config import Settings
from assistant.db.errors import DatabaseNotReady
from assistant.db.session import FigureStore
from assistant.errors import Denied
from assistant.index.kb import KnowledgeBase
from assistant.services import Services

Via = Literal["cli", "api", "ui"]

# What only some roles may do, as said to a user who may not.
WRITES = {"upload": "上传文档", "delete": "删除文档", "reingest": "重新入库", "ingest": "文档入库", "import": "导入数据",
          "draft": "起草全市文稿", "draft_export": "导出文稿"}
ADMIN_ONLY = {"backup": "备份数据目录", "restore": "恢复数据目录", "reclassify": "更改文档的公开属性",
              "verify": "更改文档的核验状态"}
NO_DATABASE = "项目数据库尚未导入，请先运行 assistant db import-demo corpus/data/ 或 assistant db import。"


@dataclass
class Entry:
    """The audit row of one action, filled in as the action runs (its sources, how it ended)."""

    detail: str
    documents: list[str] = field(default_factory=list)
    rows: list[str] = field(default_factory=list)
    outcome: str = "ok"


class WorkspaceBase:
    def __init__(self, services: Services, user: User, via: Via) -> None:
        self.services = services
        self.user = user
        self.via = via
        self._charged = False

    @property
    def settings(self) -> Settings:
        return self.services.settings

    @property
    def kb(self) -> KnowledgeBase:
        return self.services.kb

    # -- what the user may do
    def allowed(self, action: str) -> bool:
        if action in ADMIN_ONLY:
            return self.user.is_admin
        if action in WRITES:
            return self.user.can_write
        return True

    def require(self, action: str, detail: str = "") -> None:
        """Denied (and audited as such) unless the user's role allows `action`. Use cases call it first; an
        edge may call it earlier to refuse before reading a large upload."""
        if self.allowed(action):
            return
        self._record(Entry(detail, outcome="denied"), action)
        if action in ADMIN_ONLY:
            raise Denied(f"{self.user.role_label}账号不能进行此操作：{ADMIN_ONLY[action]}仅限管理员账号。")
        raise Denied(f"{self.user.role_label}账号不能进行此操作：{WRITES[action]}仅限管理员和科室账号，县区账号只能查询。")

    def charge(self) -> None:
        """Count one question or search against the budget now, before the request is even read (the API
        does this, so a client over its budget gets 429 whatever it sends); the next ask, stream or search
        of this workspace then does not count again."""
        self._budget()
        self._charged = True

    def _budget(self) -> None:
        """Questions and searches count against the account's per-minute budget (the command line's own
        operator has none). RateLimited is not audited: a client hammering the server would fill the log."""
        if self._charged:
            self._charged = False
            return
        if not self.user.is_operator:
            self.services.auth.limiter.hit(self.user.username)

    # -- the audit log: one row per action, the same whichever front end called
    def _record(self, entry: Entry, action: str) -> None:
        self.services.auth.audit.record(self.user.username, self.user.role, action, entry.detail, entry.documents,
                                        entry.rows, entry.outcome, self.via)

    @contextmanager
    def _audited(self, action: str, detail: str) -> Iterator[Entry]:
        """Record the action when it ends: ok (or what the use case set), denied, or failed."""
        entry = Entry(detail)
        try:
            yield entry
        except PermissionError:  # another region's rows (RegionDenied), a refused write
            entry.outcome = "denied"
            self._record(entry, action)
            raise
        except Exception:
            if entry.outcome == "ok":  # a use case may have said how it failed ("rejected")
                entry.outcome = "failed"
            self._record(entry, action)
            raise
        self._record(entry, action)

    # -- the project database as this user sees it
    def figure_store(self) -> FigureStore | None:
        """A county officer's view is their region's rows and city-wide aggregates; None while no database
        has been imported."""
        return self.services.figure_store(self.user.access.region)

    def store(self) -> FigureStore:
        store = self.figure_store()
        if store is None:
            raise DatabaseNotReady(NO_DATABASE)
        return store
