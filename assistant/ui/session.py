"""Who is using the workbench: the user the login middleware resolved, as Gradio hands it to an event, and the
Workspace every event handler acts through."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import gradio as gr
from gradio.utils import get_upload_folder

from assistant.errors import Denied
from assistant.services import Services
from assistant.workspace import Workspace

SESSION_EXPIRED = "登录已失效或账号已停用，请刷新页面重新登录。"


def workspace_of(services: Services, request: gr.Request | None) -> Workspace:
    """The event's user's workspace; a Chinese error (shown as a toast) when the session ended meanwhile."""
    user = services.auth.user_named(request.username if request is not None else None)
    if user is None:
        raise gr.Error(SESSION_EXPIRED)
    return Workspace(services, user, "ui")


@contextmanager
def refused_as_toast() -> Iterator[None]:
    """A write the account may not make (the buttons are greyed out, but any handler can be called directly)
    ends the event with the Workspace's Chinese message."""
    try:
        yield
    except Denied as exc:
        raise gr.Error(str(exc)) from exc


def uploaded(path: str) -> Path:
    """A file this page uploaded (Gradio's upload folder), never another path on the server: an event's file
    argument is client data, and a crafted call could otherwise name any file the server can read."""
    resolved = Path(path).resolve()
    if not resolved.is_relative_to(Path(get_upload_folder()).resolve()):
        raise gr.Error("只能处理通过本页面上传的文件。")
    return resolved
