"""CLI groups for the project database: `assistant db ...` and `assistant figures ...`."""

from __future__ import annotations

import click


@click.group("db", help="项目数据库（一图五库）：导入与管理")
def db_group() -> None:
    pass


@click.group("figures", help="查询指标与项目数据（只读）")
def figures_group() -> None:
    pass
