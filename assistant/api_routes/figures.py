"""Figures: one GET route per declared figure tool, generated from the registry (assistant/tools/registry.py).

A route's query parameters, their limits and descriptions, its summary and its response model all come from
the tool's one declaration; the call goes through the caller's Workspace, which applies the region scope
and writes the audit row. Unknown regions, metrics and chains answer 404, values that cannot be understood
(periods, units) 422, both with the tool's Chinese message; see errors.status_for.
"""

from __future__ import annotations

import inspect
from typing import Any, get_type_hints

from fastapi import APIRouter, Query

from assistant.api_routes.deps import WorkspaceDep
from assistant.tools import FigureTool
from assistant.tools.registry import declared, param_help

MAX_PARAM_CHARS = 50

def _endpoint(tool: FigureTool) -> Any:
    hints = get_type_hints(tool.function)
    helps = param_help(tool)
    params = [inspect.Parameter("workspace", inspect.Parameter.KEYWORD_ONLY, annotation=WorkspaceDep)]
    for p in tool.parameters:
        hint = hints.get(p.name, str)
        required = p.default is inspect.Parameter.empty
        text = hint in (str, str | None)
        default = Query(... if required else p.default, description=helps[p.name],
                        max_length=MAX_PARAM_CHARS if text else None, min_length=1 if required and text else None)
        params.append(inspect.Parameter(p.name, inspect.Parameter.KEYWORD_ONLY, annotation=hint, default=default))

    def endpoint(workspace: WorkspaceDep, **kwargs: Any) -> Any:
        return workspace.figures(tool.name, kwargs)

    endpoint.__signature__ = inspect.Signature(params, return_annotation=tool.result_type)  # type: ignore[attr-defined]
    endpoint.__name__ = tool.name
    endpoint.__doc__ = tool.description
    return endpoint


def build_router() -> APIRouter:
    """The routes of every tool declared when the app is built."""
    router = APIRouter(prefix="/api/figures", tags=["数据"])
    for tool in declared():
        router.add_api_route(f"/{tool.path}", _endpoint(tool), methods=["GET"], summary=tool.title,
                             response_model=tool.result_type, name=tool.name)
    return router
