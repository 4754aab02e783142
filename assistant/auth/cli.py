"""`assistant users …` and `assistant audit`: thin commands over assistant.auth."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager

import click

from assistant.auth.audit import ACTION_LABELS, AuditLog, printable
from assistant.auth.users import ROLE_LABELS, AccountError, UserStore, generate_password, parse_role
from assistant.cli_types import Choice
from assistant.config import Settings, get_settings
from assistant.db.reference import configured_city
from assistant.db.vocab import NameIndex
from assistant.state.engine import is_postgres, state_url

PASSWORD_ENV = "ASSISTANT_ADMIN_PASSWORD"


@contextmanager
def _users() -> Iterator[UserStore]:
    store = UserStore(state_url(get_settings(), "users"))
    try:
        yield store
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        store.close()


def _audit(action: str, subject: str) -> None:
    from assistant.workspace import command_line_user

    operator = command_line_user()
    log = AuditLog(state_url(get_settings(), "audit"))
    try:
        log.record(operator.username, operator.role, "users", f"{action} {subject}", via="cli")
    finally:
        log.close()


def _region(text: str | None) -> str | None:
    if not text:
        return None
    index = NameIndex((r.name, r.aliases) for r in configured_city().counties)
    name = index.get(text)
    if name is None:
        raise click.ClickException(f"未知地区“{text}”。可选：{'、'.join(index.names)}。")
    return name


@click.group("users", help="账号管理：管理员、科室、县区（县区账号绑定一个地区）")
def users_group() -> None:
    pass


@users_group.command("add", help="新建账号。密码从 --password 读取，缺省时在终端输入（不回显）")
@click.argument("username")
@click.option("--role", required=True, help="管理员 / 科室 / 县区（或 admin / staff / county）")
@click.option("--region", default=None, help="县区账号所属地区，如 汉阴县")
@click.option("--clearance", type=Choice(["公开", "内部"]), default=None,
              help="可见的最高公开属性；默认管理员、科室为“内部”，县区为“公开”")
@click.option("--password", default=None, help="不建议在命令行写明文密码；省略则提示输入")
@click.option("--api-key", is_flag=True, help="同时生成一个 API 密钥（只显示这一次）")
def users_add(username: str, role: str, region: str | None, clearance: str | None, password: str | None,
              api_key: bool) -> None:
    try:
        role_code = parse_role(role)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    if password is None:
        password = click.prompt("密码", hide_input=True, confirmation_prompt="再次输入密码")
    with _users() as store:
        user = store.add(username, password, role_code, _region(region), clearance)
        click.echo(f"已创建账号：{user.describe()}")
        if api_key:
            click.echo(f"API 密钥（只显示这一次，请妥善保存）：{store.issue_api_key(username)}")
    _audit("add", f"{username} {ROLE_LABELS[role_code]} {region or ''}")


@users_group.command("list", help="列出全部账号")
@click.option("--json", "as_json", is_flag=True)
def users_list(as_json: bool) -> None:
    with _users() as store:
        users = store.list()
        keys = {u.username: store.api_key_count(u.username) for u in users}
    if as_json:
        for u in users:
            click.echo(json.dumps({"username": u.username, "role": u.role, "role_label": u.role_label, "region": u.region,
                                   "clearance": u.clearance, "disabled": u.disabled, "api_keys": keys[u.username],
                                   "created_at": u.created_at, "last_login": u.last_login}, ensure_ascii=False))
        return
    if not users:
        click.echo("还没有账号。用 assistant users add 用户名 --role 管理员 创建。")
    for u in users:
        state = "已停用" if u.disabled else "正常"
        click.echo(f"{u.username}\t{u.role_label}\t{u.region or '全部地区'}\t可见{u.clearance}及以下\t{state}\t"
                   f"API 密钥 {keys[u.username]} 个\t最近登录 {u.last_login or '无'}")


@users_group.command("disable", help="停用账号：立即退出登录，API 密钥失效")
@click.argument("username")
def users_disable(username: str) -> None:
    with _users() as store:
        store.set_disabled(username, True)
    _audit("disable", username)
    click.echo(f"已停用账号“{username}”：已登录的会话和 API 密钥立即失效。")


@users_group.command("enable", help="重新启用账号")
@click.argument("username")
def users_enable(username: str) -> None:
    with _users() as store:
        store.set_disabled(username, False)
    _audit("enable", username)
    click.echo(f"已启用账号“{username}”。")


@users_group.command("passwd", help="重设密码（该账号已登录的会话全部退出）")
@click.argument("username")
@click.option("--password", default=None)
def users_passwd(username: str, password: str | None) -> None:
    if password is None:
        password = click.prompt("新密码", hide_input=True, confirmation_prompt="再次输入新密码")
    with _users() as store:
        store.set_password(username, password)
    _audit("passwd", username)
    click.echo(f"已重设“{username}”的密码。")


@users_group.command("key", help="为账号生成 API 密钥（只显示这一次）；--revoke 吊销该账号全部密钥")
@click.argument("username")
@click.option("--revoke", is_flag=True)
def users_key(username: str, revoke: bool) -> None:
    with _users() as store:
        if revoke:
            n = store.revoke_api_keys(username)
            click.echo(f"已吊销“{username}”的 {n} 个 API 密钥。")
        else:
            click.echo(store.issue_api_key(username))
    _audit("revoke-keys" if revoke else "key", username)


@users_group.command("init", help="没有任何账号时创建首个管理员（make run 调用）；密码取自环境变量 "
                                  f"{PASSWORD_ENV}，未设置则随机生成并只显示这一次")
@click.option("--username", default="admin", show_default=True)
def users_init(username: str) -> None:
    import os

    with _users() as store:
        if store.count():
            click.echo(f"已有 {store.count()} 个账号，不再创建首个管理员（assistant users list 查看）。")
            return
        given = os.environ.get(PASSWORD_ENV)
        password = given or generate_password()
        store.add(username, password, "admin")
    _audit("init", username)
    if given:
        click.echo(f"已创建首个管理员“{username}”，密码取自环境变量 {PASSWORD_ENV}。")
    else:
        click.echo(f"已创建首个管理员“{username}”，初始密码：{password}\n"
                   f"（只显示这一次，请记下；可用 assistant users passwd {username} 修改。）")


def _document_names(settings: Settings) -> dict[str, str]:
    """doc id → file name, for reading the log (the log keeps ids: a file name can be reused)."""
    if not is_postgres(settings.database_url) and not settings.kb_path.is_file():
        return {}
    from assistant.index.manifest import Manifest

    manifest = Manifest(state_url(settings, "kb"))
    try:
        return {d.doc_id: d.file_name for d in manifest.documents()}
    finally:
        manifest.close()


@click.command("audit", help="查看审计日志：谁在何时问了什么、用了哪些文档和数据行、导出了哪些文稿")
@click.option("--user", "username", default=None, help="只看某个用户")
@click.option("--action", type=Choice(sorted(ACTION_LABELS)), default=None, help="只看某类操作")
@click.option("--since", default=None, help="起始时间（UTC），如 2026-11-01 或 2026-11-01T08:00")
@click.option("-n", "limit", default=50, show_default=True, type=click.IntRange(1, 100_000), help="最多显示条数")
@click.option("--json", "as_json", is_flag=True, help="每条一行 JSON")
def audit_command(username: str | None, action: str | None, since: str | None, limit: int, as_json: bool) -> None:
    settings = get_settings()
    log = AuditLog(state_url(settings, "audit"))
    try:
        events = log.query(username, action, since, limit)
    finally:
        log.close()
    names = _document_names(settings)
    if not events:
        click.echo("没有符合条件的审计记录。")
    for e in events:
        if as_json:
            click.echo(e.json_line())
            continue
        # Every field is shown through printable(): a login name or question holding CR, LF or terminal
        # escapes cannot start a forged line or repaint the screen.
        extra = []
        if e.documents:
            extra.append(f"文档 {len(e.documents)} 个：{'、'.join(names.get(d, d) for d in e.documents[:5])}")
        if e.rows:
            extra.append(f"数据行 {len(e.rows)} 条：{'、'.join(e.rows[:6])}{'…' if len(e.rows) > 6 else ''}")
        outcome = "" if e.outcome == "ok" else f" [{e.outcome}]"
        line = (f"{e.at[:19].replace('T', ' ')}  {e.username}  {ACTION_LABELS.get(e.action, e.action)}{outcome}  "
                f"{e.subject[:80]}" + ("  | " + "；".join(extra) if extra else "") + (f"  ({e.via})" if e.via else ""))
        click.echo(printable(line))
