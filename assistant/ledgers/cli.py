"""CLI group `assistant ledgers ...`: the 台账 tab's tables (项目, 企业, 走访记录, 问题) with its filters, their Excel
export and the blank import templates. Thin: the options are the tab's filter boxes, each command calls one
Workspace use case (scoped to `--as` a county account, audited with via "cli") and prints or writes the file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from assistant.cli_types import Choice
from assistant.cli_workspace import cli_workspace
from assistant.ledgers.table import ledger_table, ledger_text
from assistant.ledgers.views import (
    DATE_FIELDS,
    FILTERS,
    LEDGER_KINDS,
    MAX_PAGE_ROWS,
    PAGE_ROWS,
    STATUS_LABELS,
    parse_filter,
)

STATUS_HELP = {"projects": "正常 / 预警 / 滞后", "problems": "未解决 / 推进中 / 已解决 / 逾期未办结",
               "enterprises": "企业库中的写法，如 跟踪中 / 已对接 / 已签约", "contacts": "走访 / 叩门 / 来访 / 会谈"}
TEMPLATE_KINDS = ("projects", "problems", "enterprises", "contacts", "offices")


def _filter_options(kind: str) -> list[click.Option]:
    has = FILTERS[kind]
    options = []
    if "region" in has:
        options.append(click.Option(["--region"], help="县区（县区账号只能查本县区）"))
    options.append(click.Option(["--chain"], help="产业链，如 新能源"))
    options.append(click.Option(["--status"], help=f"{STATUS_LABELS[kind]}：{STATUS_HELP[kind]}"))
    if "stage" in has:
        options.append(click.Option(["--stage"], help="阶段：线索 / 在谈 / 签约 / 开工 / 投产"))
    if "dates" in has:
        field = DATE_FIELDS[kind]
        options.append(click.Option(["--from", "date_from"], help=f"{field}起，如 2023-07-01、2023.7.1、2023年7月1日"))
        options.append(click.Option(["--to", "date_to"], help=f"{field}止，写法同上"))
    options.append(click.Option(["--text"], help="关键词"))
    return options


def _save(data: bytes, name: str, output: Path | None) -> Path:
    """`-o` a file, a folder (the file keeps its own name) or nothing (the current folder)."""
    path = output if output is not None else Path(name)
    if path.is_dir():
        path = path / name
    path.write_bytes(data)
    return path


def _view_command(kind: str) -> click.Command:
    def callback(limit: int, as_json: bool, **filters: Any) -> None:
        with cli_workspace() as workspace:
            view = workspace.ledger(kind, parse_filter(kind, **filters), limit=limit)
        if as_json:
            click.echo(json.dumps(ledger_table(view).model_dump(mode="json"), ensure_ascii=False, indent=2))
        else:
            click.echo(ledger_text(view))

    params: list[click.Parameter] = [
        *_filter_options(kind),
        click.Option(["--limit"], type=click.IntRange(1, MAX_PAGE_ROWS), default=PAGE_ROWS, show_default=True,
                     help="最多显示的行数（全部行请用 export）"),
        click.Option(["--json", "as_json"], is_flag=True, help="输出 JSON（与 GET /api/ledgers/… 相同）"),
    ]
    label = LEDGER_KINDS[kind]
    return click.Command(kind, params=params, callback=callback, short_help=f"{label}台账",
                         help=f"列出{label}台账中符合筛选条件的行（与工作台“台账”页相同）。")


def _export_command(kind: str) -> click.Command:
    def callback(output: Path | None, **filters: Any) -> None:
        with cli_workspace() as workspace:
            name, data = workspace.ledger_export(kind, parse_filter(kind, **filters))
        click.echo(f"已导出：{_save(data, name, output)}")

    params: list[click.Parameter] = [
        *_filter_options(kind),
        click.Option(["-o", "--output"], type=click.Path(path_type=Path),
                     help="保存到的文件或目录（默认当前目录，文件名含台账和时间）"),
    ]
    label = LEDGER_KINDS[kind]
    return click.Command(kind, params=params, callback=callback, short_help=f"导出{label}台账",
                         help=f"把{label}台账中符合筛选条件的全部行导出为 Excel（带状态颜色和“说明”页）。")


@click.group("ledgers", help="台账（项目、企业、走访记录、问题）：按条件查询、导出 Excel、下载导入模板（只读；导入用 assistant db import）")
def ledgers_group() -> None:
    pass


@ledgers_group.group("export", help="导出台账的筛选结果为 Excel：assistant ledgers export projects --status 滞后 -o 滞后项目.xlsx")
def export_group() -> None:
    pass


@ledgers_group.command("template", help="下载空白导入模板：" + "、".join(TEMPLATE_KINDS))
@click.argument("kind", type=Choice(TEMPLATE_KINDS))
@click.option("--format", "suffix", type=Choice(["xlsx", "csv"]), default="xlsx", show_default=True)
@click.option("-o", "--output", type=click.Path(path_type=Path), help="保存到的文件或目录（默认当前目录）")
def template_command(kind: str, suffix: str, output: Path | None) -> None:
    with cli_workspace() as workspace:
        name, data = workspace.ledger_template(kind, f".{suffix}")
    click.echo(f"已保存模板：{_save(data, name, output)}")


for _kind in LEDGER_KINDS:
    ledgers_group.add_command(_view_command(_kind))
    export_group.add_command(_export_command(_kind))
