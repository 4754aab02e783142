"""CLI groups for the project database: `assistant db ...` and `assistant figures ...`.

Thin: parse options, call one library function, print. Library errors become a Chinese message
and exit code 1, never a traceback.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
from pydantic import BaseModel
from sqlalchemy.exc import OperationalError

from assistant.config import get_settings
from assistant.db import render
from assistant.db.errors import ImportRejected
from assistant.db.importers import KINDS, import_demo, import_file, recent_imports, table_counts
from assistant.db.migrations import LATEST_VERSION, current_version, migrate
from assistant.db.periods import parse_period
from assistant.db.session import FigureStore, create_writable_engine, display_url
from assistant.errors import AssistantError
from assistant.index.lock import write_lock
from assistant.tools import (
    city_total,
    get_indicator,
    lagging_regions,
    list_events,
    list_projects,
    open_problems,
    project_stats,
    rank_regions,
)

F = TypeVar("F", bound=Callable[..., Any])
_TABLE_LABELS = {
    "regions": "地区", "industry_chains": "产业链", "enterprises": "目标企业", "projects": "项目",
    "indicators": "县区指标", "events": "招商活动", "problems": "问题台账", "import_log": "导入记录",
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
@click.argument("kind", type=click.Choice(list(KINDS)))
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--layout", type=click.Choice(["auto", "long", "wide"]), default="auto", show_default=True,
              help="指标文件格式：long 长表（地区,期间,指标,数值…）或 wide 宽表（每行一个地区）")
@click.option("--period", default=None, help="宽表的期间，如 2023Q1（标题中已写明时可不填）")
@_friendly_errors
def import_command(kind: str, file: Path, layout: str, period: str | None) -> None:
    settings = get_settings()
    with write_lock(settings.data_dir):  # one writer at a time, shared with ingest and backup
        engine = create_writable_engine(settings.db_url)
        try:
            summary = import_file(engine, kind, file, layout, parse_period(period) if period else None)
        finally:
            engine.dispose()
    click.echo(summary.describe())


@db_group.command("import-demo", help="导入演示数据目录（如 corpus/data/）中的全部文件；可重复运行")
@click.argument("directory", type=click.Path(path_type=Path), default=Path("corpus/data"))
@_friendly_errors
def import_demo_command(directory: Path) -> None:
    settings = get_settings()
    with write_lock(settings.data_dir):
        engine = create_writable_engine(settings.db_url)
        try:
            for summary in import_demo(engine, directory):
                click.echo(summary.describe())
        finally:
            engine.dispose()
    click.echo(f"演示数据已就绪：{display_url(get_settings().db_url)}")


@db_group.command("migrate", help="创建或升级数据库结构")
@_friendly_errors
def migrate_command() -> None:
    settings = get_settings()
    with write_lock(settings.data_dir):
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


@click.group("figures", help="查询指标与项目数据（只读）")
def figures_group() -> None:
    pass


def _run(tool: Callable[..., BaseModel], as_json: bool, text: Callable[[Any], str], *args: Any, **kwargs: Any
         ) -> None:
    store = _open_store()
    try:
        _emit(tool(store, *args, **kwargs), as_json, text)
    finally:
        store.close()


@figures_group.command("indicator", help="某地区某期间某指标，如：汉阴县 2023Q1 外商直接投资")
@click.argument("region")
@click.argument("period")
@click.argument("metric")
@click.option("--unit", default=None, help="换算单位，如 万元")
@_json_option
@_friendly_errors
def indicator_command(region: str, period: str, metric: str, unit: str | None, as_json: bool) -> None:
    _run(get_indicator, as_json, render.indicator, region, period, metric, unit=unit)


@figures_group.command("rank", help="各地区排名，如：2023Q1 实际引进内资")
@click.argument("period")
@click.argument("metric")
@click.option("--by", type=click.Choice(["completion", "value", "yoy"]), default="completion", show_default=True,
              help="completion 完成进度；value 数值；yoy 同比")
@_json_option
@_friendly_errors
def rank_command(period: str, metric: str, by: str, as_json: bool) -> None:
    _run(rank_regions, as_json, render.ranking, period, metric, by=by)


@figures_group.command("lagging", help="低于序时进度的地区，如：2023Q1 实际引进内资")
@click.argument("period")
@click.argument("metric")
@_json_option
@_friendly_errors
def lagging_command(period: str, metric: str, as_json: bool) -> None:
    _run(lagging_regions, as_json, render.lagging, period, metric)


@figures_group.command("city", help="全市合计（全市行或各地区之和），如：2023Q1 外商直接投资")
@click.argument("period")
@click.argument("metric")
@_json_option
@_friendly_errors
def city_command(period: str, metric: str, as_json: bool) -> None:
    _run(city_total, as_json, render.city, period, metric)


@figures_group.command("projects", help="项目统计（按阶段、产业链、地区）；加 --list 列出项目")
@click.option("--period", default=None, help="只统计该期间签约的项目，如 2023Q1")
@click.option("--region", default=None, help="地区，如 汉阴县")
@click.option("--chain", default=None, help="“5+3”产业链，如 新型材料")
@click.option("--stage", default=None, help="阶段（仅 --list）：线索、在谈、签约、开工、投产")
@click.option("--min-investment", type=float, default=None, help="总投资下限（亿元，仅 --list）")
@click.option("--list", "as_list", is_flag=True, help="列出项目而不是统计")
@click.option("--limit", type=int, default=50, show_default=True, help="最多列出条数")
@_json_option
@_friendly_errors
def projects_command(period: str | None, region: str | None, chain: str | None, stage: str | None,
                     min_investment: float | None, as_list: bool, limit: int, as_json: bool) -> None:
    if as_list:
        _run(list_projects, as_json, render.project_list, region=region, chain=chain, stage=stage, period=period,
             min_investment_yi=min_investment, limit=limit)
    else:
        _run(project_stats, as_json, render.project_stats, period=period, region=region, chain=chain)


@figures_group.command("events", help="招商活动及签约情况")
@click.option("--period", default=None, help="期间，如 2023Q1 或 2019")
@click.option("--city", default=None, help="举办城市，如 雄安")
@_json_option
@_friendly_errors
def events_command(period: str | None, city: str | None, as_json: bool) -> None:
    _run(list_events, as_json, render.events, period=period, city=city)


@figures_group.command("problems", help="问题台账中未解决的问题")
@click.option("--region", default=None, help="地区，如 恒口")
@click.option("--department", default=None, help="责任部门（名称的一部分），如 自然资源")
@_json_option
@_friendly_errors
def problems_command(region: str | None, department: str | None, as_json: bool) -> None:
    _run(open_problems, as_json, render.problems, region=region, department=department)

