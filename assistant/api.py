"""HTTP API (FastAPI). Routes are small: they validate input, call the library, translate its errors."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from assistant import __version__
from assistant.answer.engine import Assistant
from assistant.answer.types import Answer
from assistant.config import Settings, get_settings
from assistant.errors import AssistantError
from assistant.index.kb import KnowledgeBase, SearchFilters

MAX_QUESTION_CHARS = 10_000


class AskRequest(BaseModel):
    question: str = Field(max_length=MAX_QUESTION_CHARS, description="问题")
    history: list[Annotated[str, Field(max_length=2000)]] = Field(
        default_factory=list, max_length=20, description="此前各轮的问题（用于“那恒口呢？”这类追问）"
    )


class AppState:
    """Process-wide resources, built once at start-up and shared by request handlers."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.kb = KnowledgeBase(settings)
        self.assistant = Assistant(settings, kb=self.kb)
        self.lock = threading.Lock()

    def warm(self) -> None:
        self.kb.refresh()
        self.kb.search("招商引资", k=1)  # loads the embedder, Chroma and jieba before the first user


def get_kb(request: Request) -> KnowledgeBase:
    return request.app.state.assistant.kb  # type: ignore[no-any-return]


KB = Annotated[KnowledgeBase, Depends(get_kb)]


def get_assistant(request: Request) -> Assistant:
    return request.app.state.assistant.assistant  # type: ignore[no-any-return]


AssistantDep = Annotated[Assistant, Depends(get_assistant)]


def create_app(settings: Settings | None = None, warm: bool = True) -> FastAPI:
    state = AppState(settings or get_settings())

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if warm:
            state.warm()
        yield
        state.kb.close()

    app = FastAPI(title="招商知识助手 API", version=__version__, lifespan=lifespan)
    app.state.assistant = state

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = "；".join(f"{'.'.join(str(p) for p in e.get('loc', [])[1:]) or '请求'}：{e.get('msg')}" for e in exc.errors())
        return JSONResponse(status_code=422, content={"detail": f"请求参数有误：{problems}"})

    @app.exception_handler(AssistantError)
    async def assistant_error(request: Request, exc: AssistantError) -> JSONResponse:
        return JSONResponse(status_code=400, content={"detail": str(exc)})

    @app.get("/healthz")
    def healthz() -> dict[str, Any]:
        docs, chunks = state.kb.manifest.stats()
        return {"status": "ok", "version": __version__, "documents": docs, "chunks": chunks}

    @app.get("/api/search")
    def api_search(
        kb: KB,
        q: Annotated[str, Query(min_length=1, max_length=2000, description="检索问题")],
        k: Annotated[int, Query(ge=1, le=50)] = 5,
        genre: str | None = None,
        year: int | None = None,
        office: str | None = None,
    ) -> dict[str, Any]:
        if not q.strip():
            raise HTTPException(status_code=422, detail="检索问题不能为空")
        hits = kb.search(q, k=k, filters=SearchFilters(genre=genre, year=year, office=office))
        return {"query": q, "hits": [h.as_json() for h in hits]}

    @app.post("/api/ask")
    def api_ask(body: AskRequest, assistant: AssistantDep) -> Answer:
        if not body.question.strip():
            raise HTTPException(status_code=422, detail="问题不能为空")
        return assistant.ask(body.question, body.history)

    @app.get("/api/documents")
    def api_documents(
        kb: KB,
        offset: Annotated[int, Query(ge=0)] = 0,
        limit: Annotated[int, Query(ge=1, le=200)] = 50,
    ) -> dict[str, Any]:
        records = kb.manifest.documents()
        page = records[offset : offset + limit]
        return {
            "total": len(records),
            "documents": [
                {"doc_id": r.doc_id, "file_name": r.file_name, "chunks": r.n_chunks, **r.meta} for r in page
            ],
        }

    return app
