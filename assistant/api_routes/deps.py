"""The dependencies routes declare (`Annotated[..., Depends(...)]` aliases): the process's Services and the
calling user's Workspace."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from assistant.api_routes.auth import CurrentUser
from assistant.services import Services
from assistant.workspace import Workspace

AppState = Services  # the name the app and older tests use for the shared resources


def get_state(request: Request) -> Services:
    return request.app.state.assistant  # type: ignore[no-any-return]


State = Annotated[Services, Depends(get_state)]


def get_workspace(state: State, user: CurrentUser) -> Workspace:
    return Workspace(state, user, "api")


WorkspaceDep = Annotated[Workspace, Depends(get_workspace)]


def get_budgeted_workspace(workspace: WorkspaceDep) -> Workspace:
    """For questions and searches: one request counted against the account's per-minute budget before the
    body is read, so a client over its budget gets 429 (with Retry-After) whatever it sends."""
    workspace.charge()
    return workspace


BudgetedWorkspace = Annotated[Workspace, Depends(get_budgeted_workspace)]
