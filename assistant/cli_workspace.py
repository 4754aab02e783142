"""The Workspace a command acts through: the person at the server's command line (named by their OS account,
full access), or with `assistant --as 用户名 …` a stored account, with that account's access and budget —
to see what a county officer sees, say. Either way every action is audited with via "cli"."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click

from assistant.auth.users import User
from assistant.config import get_settings
from assistant.errors import AssistantError
from assistant.services import Services
from assistant.workspace import Workspace, command_line_user


def acting_user(services: Services, as_user: str | None) -> User:
    if not as_user:
        return command_line_user()
    user = services.auth.user_named(as_user)
    if user is None:
        raise click.ClickException(f"没有名为“{as_user}”的可用账号（不存在或已停用）。可用 assistant users list 查看账号。")
    return user


@contextmanager
def cli_workspace() -> Iterator[Workspace]:
    """Opened for one command and closed after it; library errors become a Chinese message and exit code 1."""
    context = click.get_current_context(silent=True)
    as_user = context.find_root().params.get("as_user") if context is not None else None
    services = Services(get_settings())
    try:
        yield Workspace(services, acting_user(services, as_user), "cli")
    except AssistantError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        services.close()
