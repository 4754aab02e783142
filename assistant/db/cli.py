"""CLI groups for the project database: `assistant db ...` and `assistant figures ...`.

Thin: parse options, call one library function, print. Library errors become a Chinese message
and exit code 1, never a traceback.
"""

from __future__ import annotations

import functools
import inspect
import json
import re
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from types import UnionType
from typing import Any, Literal, TypeVar, Union, get_args, get_origin, get_type_hints

import click
from pydantic import BaseModel
from sqlalchemy.exc import OperationalError

from assistant.cli_types import Choice
from assistant.cli_workspace import cli_workspace
from assistant.config import get_settings
from assistant.db import render
from assistant.db.errors import ImportRejected
from assistant.db.importers import KINDS, recent_imports, table_counts
from assistant.db.migrations import LATEST_VERSION, current_version, migrate
from assistant.db.session import FigureStore, create_writable_engine, display_url
from assistant.errors import AssistantError
from assistant.index.lock import write_lock
from assistant.tools import REGISTRY, FigureTool
from assistant.tools.registry import param_help

F = TypeVar("F", bound=Callable[..., Any])
_TABLE_LABELS = {
    "regions": "地区", "industry_chains": "产业链", "enterprises": "目标企业", "projects": "项目",
    "indicators": "县区指标", "events": "招商活动", "problems": "问题台账", "import_log": "导入记录",
    "offices": "驻外招商联络处", "project_versions": "项目台账历史", "contacts": "走访叩门记录",
    "problem_progress": "问题办理进展",
}


def _friendly_errors(func: F) -> F:
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ImportRejected as err:
            click.echo(str(err), err=True)
            raise click.exceptions.Exit(1) from err
        except AssistantError as err:
            raise click.ClickException(str(err)) from err
        except OperationalError as err:
            raise click.ClickException(
                f"无法连接项目数据库 {display_url(get_settings().db_url)}：{err.orig}"
            ) from err

    return wrapper  # type: ignore[return-value]


def _open_store() -> FigureStore:
    return FigureStore.open(get_settings().db_url)


def _emit(result: BaseModel, as_json: bool, text: Callable[[Any], str]) -> None:
    if as_json:
        click.echo(json.dumps(result.model_dump(mode="json"), ensure_ascii=False, indent=2))
    else:
        click.echo(text(result))


_json_option = click.option("--json", "as_json", is_flag=True, help="输出 JSON（含来源信息）")


@click.group("db", help="项目数据库（一图五库）：导入与管理")
def db_group() -> None:
    pass


@db_group.command("import", help="导入 CSV（UTF-8 或 GBK）或 XLSX 文件。KIND：" + "、".join(f"{k}（{v}）" for k, v in KINDS.items()))
@click.argument("kind", type=Choice(list(KINDS)))
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--layout", type=Choice(["auto", "long", "wide"]), default="auto", show_default=True,
              help="指标文件格式：long 长表（地区,期间,指标,数值…）或 wide 宽表（每行一个地区）")
@click.option("--period", default=None, help="宽表的期间，如 2023Q1（标题中已写明时可不填）")
@click.option("--replace-period", is_flag=True,
              help="指标文件缺少数据库中已有的地区时，仍整期替换（删除文件中没有的地区该期该指标的数据）；不加时拒绝导入并列出这些地区")
@_friendly_errors
def import_command(kind: str, file: Path, layout: str, period: str | None, replace_period: bool) -> None:
    with cli_workspace() as workspace:
        try:
            summary = workspace.import_data(kind, file, layout, period, replace_period=replace_period)
        except ImportRejected as err:  # the row-by-row report, without click's "Error:" in front
            click.echo(str(err), err=True)
            raise click.exceptions.Exit(1) from err
    click.echo(summary.describe())


@db_group.command("import-demo", help="导入演示数据目录（如 corpus/data/）中的全部文件；可重复运行")
@click.argument("directory", type=click.Path(path_type=Path), default=Path("corpus/data"))
@_friendly_errors
def import_demo_command(directory: Path) -> None:
    with cli_workspace() as workspace:
        for summary in workspace.import_demo(directory):
            click.echo(summary.describe())
    click.echo(f"演示数据已就绪：{display_url(get_settings().db_url)}")


@db_group.command("migrate", help="创建或升级数据库结构")
@_friendly_errors
def migrate_command() -> None:
    settings = get_settings()
    with write_lock(settings.data_dir, settings.database_url):
        engine = create_writable_engine(settings.db_url)
        try:
            done = migrate(engine)
        finally:
            engine.dispose()
    click.echo(f"已执行迁移：{'、'.join(done)}" if done else f"数据库结构已是最新（版本 {LATEST_VERSION}）。")


@db_group.command("status", help="显示各表行数和最近的导入")
@_friendly_errors
def status_command() -> None:
    store = _open_store()
    try:
        with store.session() as session:
            version = current_version(session.connection())
            counts = table_counts(session)
            imports = [(i.imported_at, i.kind, i.file_name, i.row_count) for i in recent_imports(session)]
    finally:
        store.close()
    click.echo(f"数据库：{display_url(get_settings().db_url)}（结构版本 {version}）")
    click.echo(render.table(["表", "行数"], [[f"{_TABLE_LABELS[t]}（{t}）", str(n)] for t, n in counts.items()],
                            right=(1,)))
    if imports:
        click.echo("\n最近导入（UTC）")
        rows = [[at.strftime("%Y-%m-%d %H:%M:%S"), KINDS[kind], name, str(n)] for at, kind, name, n in imports]
        click.echo(render.table(["时间", "类型", "文件", "行数"], rows, right=(3,)))


class _FigureCommands(click.Group):
    """One subcommand per declared tool, read from the registry when the CLI runs."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(tool.path for tool in REGISTRY.values())

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        tool = next((t for t in REGISTRY.values() if t.path == cmd_name), None)
        return _figure_command(tool) if tool else None


@click.group("figures", cls=_FigureCommands, help="查询指标与项目数据（只读）。每个数据工具一个子命令，由工具声明生成。")
def figures_group() -> None:
    pass


def _click_type(hint: Any) -> Any:
    args = [a for a in get_args(hint) if a is not type(None)]
    base = args[0] if args and get_origin(hint) in (Union, UnionType) else hint
    if get_origin(base) is Literal:
        return Choice([str(a) for a in get_args(base)])
    return {int: click.INT, float: click.FLOAT, bool: click.BOOL,
            date: click.DateTime(["%Y-%m-%d"])}.get(base, click.STRING)


def _is_list(hint: Any) -> bool:
    return any(get_origin(a) is list for a in (hint, *get_args(hint)))


def _figure_command(tool: FigureTool) -> click.Command:
    """`assistant figures <path>`: required parameters are arguments in order, the others --options."""
    hints = get_type_hints(tool.function)
    helps = param_help(tool)
    params: list[click.Parameter] = []
    for p in tool.parameters:
        kind = _click_type(hints.get(p.name, str))
        if p.default is inspect.Parameter.empty:
            params.append(click.Argument([p.name], type=kind))
        elif _is_list(hints.get(p.name, str)):
            # a list (columns, matches): the option repeated, or its items separated by commas (--columns 项目管家,包抓领导)
            params.append(click.Option([f"--{p.name.replace('_', '-')}", p.name], type=click.STRING, multiple=True,
                                       help=helps[p.name] + "（可重复给出，或用逗号分隔）"))
        else:
            params.append(click.Option([f"--{p.name.replace('_', '-')}", p.name], type=kind, default=p.default,
                                       show_default=p.default is not None, help=helps[p.name]))
    params.append(click.Option(["--json", "as_json"], is_flag=True, help="输出 JSON（含来源信息）"))

    @_friendly_errors
    def callback(as_json: bool, **kwargs: Any) -> None:
        if isinstance(kwargs.get("as_of"), datetime):
            kwargs["as_of"] = kwargs["as_of"].date()
        for name, value in kwargs.items():
            if isinstance(value, tuple):
                kwargs[name] = [item.strip() for text in value for item in re.split(r"[,，、]", text) if item.strip()] or None
        with cli_workspace() as workspace:
            _emit(workspace.figures(tool.name, kwargs), as_json, render.result)

    usage = " ".join(p.name.upper() for p in tool.parameters if p.default is inspect.Parameter.empty)
    return click.Command(tool.path, params=params, callback=callback, short_help=tool.title,
                         help=f"{tool.title}。{('参数：' + usage) if usage else ''}\n\n示例问题：{tool.examples[0]}")

