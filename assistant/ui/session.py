"""Who is using the workbench: the user the login middleware resolved, as Gradio hands it to an event."""

from __future__ import annotations

from pathlib import Path

import gradio as gr
from gradio.utils import get_upload_folder

from assistant.api_routes.auth import Auth
from assistant.auth.users import User

SESSION_EXPIRED = "登录已失效或账号已停用，请刷新页面重新登录。"
READ_ONLY = "县区账号只能查询，不能上传、删除文档或导入数据。"


def user_of(auth: Auth, request: gr.Request | None) -> User:
    """The event's user; a Chinese error (shown as a toast) when the session ended meanwhile."""
    user = auth.user_named(request.username if request is not None else None)
    if user is None:
        raise gr.Error(SESSION_EXPIRED)
    return user


def writer_of(auth: Auth, request: gr.Request | None) -> User:
    user = user_of(auth, request)
    if not user.can_write:
        raise gr.Error(READ_ONLY)
    return user


def uploaded(path: str) -> Path:
    """A file this page uploaded (Gradio's upload folder), never another path on the server: an event's file
    argument is client data, and a crafted call could otherwise name any file the server can read."""
    resolved = Path(path).resolve()
    if not resolved.is_relative_to(Path(get_upload_folder()).resolve()):
        raise gr.Error("只能处理通过本页面上传的文件。")
    return resolved
