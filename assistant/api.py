"""HTTP API (FastAPI). Routes are small: they validate input, call the library, translate its errors.

The routes live in assistant/api_routes/ (ask, documents, figures, OpenAI-compatible); this module
assembles the app: shared state, error handlers, body-size limits, health and search.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import PurePath
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import FastAPI, HTTPException, Query
from fastapi.responses import JSONResponse
from starlette.types import Scope

from assistant import __version__
from assistant.api_routes import ask, auth, documents, drafting, figures, ledgers, openai_compat
from assistant.api_routes.auth import RequireLogin
from assistant.api_routes.deps import BudgetedWorkspace, State
from assistant.api_routes.docs_page import install_docs_page
from assistant.api_routes.errors import BodyLimit, install_error_handlers
from assistant.api_routes.prefix import RootPath, route_path
from assistant.api_routes.workbench_guard import WorkbenchGuard
from assistant.api_routes.workbench_root import WorkbenchRoot
from assistant.config import Settings, get_settings
from assistant.index.kb import SearchFilters
from assistant.services import Services
from assistant.ui.paths import UI_PATH, UPLOAD_PATH

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

JSON_BODY_LIMIT = 1024 * 1024


def create_app(settings: Settings | None = None, warm: bool = True, chat_model: BaseChatModel | None = None,
               local: bool = False) -> FastAPI:
    """The app. LLM mode follows the settings (ASSISTANT_LLM_*) unless a chat model is passed in. The
    workbench page (Gradio) is mounted at /ui; / redirects there. Every route but /healthz and the login
    page needs a user (API key or session); `local=True` is the single-user mode without login, which
    `assistant serve --local` allows only on 127.0.0.1."""
    state = Services(settings or get_settings(), chat_model=chat_model, local=local)
    state.open_all()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if warm:
            state.warm()
        yield
        state.close()

    # docs_url/redoc_url off: the default pages fetch Swagger UI / ReDoc from public CDNs (see docs_page.py)
    app = FastAPI(title="招商知识助手 API", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None)
    install_docs_page(app)
    app.state.assistant = state
    app.state.auth = state.auth
    install_error_handlers(app)
    upload_limit = documents.upload_limit(state.settings)

    def body_limit(scope: Scope) -> int:
        path = route_path(scope)
        is_upload = scope.get("method") == "POST" and (
            path in ("/api/documents", UPLOAD_PATH) or (path.startswith("/api/draft/") and path.endswith("/upload"))
        )
        return upload_limit if is_upload else JSON_BODY_LIMIT

    # innermost: the workbench page and its config name no host (Gradio would echo the request's Host)
    app.add_middleware(WorkbenchRoot, prefix=UI_PATH)
    # each workbench session and event answers only the account that opened it
    app.add_middleware(WorkbenchGuard, prefix=f"{UI_PATH}/gradio_api")
    app.add_middleware(BodyLimit, limit_for=body_limit)
    app.add_middleware(RequireLogin, auth=state.auth)  # nothing runs for a request without a user
    # outermost: behind a proxy's path prefix (ASSISTANT_ROOT_PATH) every layer below reads one form of the path
    app.add_middleware(RootPath, root_path=state.settings.root_path)
    app.add_api_route("/healthz", healthz, methods=["GET"], summary="健康检查")
    app.add_api_route("/api/search", api_search, methods=["GET"], summary="检索段落及出处", tags=["检索"])
    for module in (auth, ask, documents, drafting, ledgers, openai_compat):
        app.include_router(module.router)
    app.include_router(figures.build_router())  # one route per tool declared in the registry
    from assistant.ui.app import mount_ui  # gradio takes seconds to import: not at `import assistant.api`

    return mount_ui(app, state)


def healthz(state: State) -> JSONResponse:
    """200 while a real search and a database query succeed (checked at most every few seconds), else 503
    with the reason in Chinese: a load balancer stops sending questions to a server that cannot answer them."""
    health = state.health()
    body = {"status": "ok" if health.ok else "error", "version": __version__, "documents": health.documents,
            "chunks": health.chunks, "database": health.database, "mode": state.assistant.mode}
    if not health.ok:
        body["reason"] = "；".join(health.problems)
    return JSONResponse(body, status_code=200 if health.ok else 503)


def api_search(
    workspace: BudgetedWorkspace,
    q: Annotated[str, Query(min_length=1, description="检索问题（最多 ASSISTANT_MAX_QUESTION_CHARS 字，默认 2000）")],
    k: Annotated[int, Query(ge=1, le=50)] = 5,
    genre: Annotated[str | None, Query(max_length=20)] = None,
    year: int | None = None,
    office: Annotated[str | None, Query(max_length=50)] = None,
) -> dict[str, Any]:
    if not q.strip():
        raise HTTPException(status_code=422, detail="检索问题不能为空")
    hits = workspace.search(q, k=k, filters=SearchFilters(genre=genre, year=year, office=office))
    return {"query": q, "hits": [{**h.as_json(), "source": PurePath(h.source).name} for h in hits]}
