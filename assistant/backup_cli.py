"""`assistant backup DIR` and `assistant restore DIR`: thin wrappers over the Workspace's backup and restore."""

from __future__ import annotations

from pathlib import Path

import click

from assistant.cli_workspace import cli_workspace


@click.command("backup", help="把整个数据目录（知识库、项目数据库、反馈与学习记录）备份到 DIR；DIR 须不存在或为空目录")
@click.argument("directory", type=click.Path(path_type=Path))
def backup_command(directory: Path) -> None:
    with cli_workspace() as workspace:
        report = workspace.backup(directory)
    click.echo(report.summary())


@click.command("restore", help="校验 DIR 中的备份（清单签名和每个文件）并用它替换数据目录；原数据目录移到旁边保留")
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--allow-unsigned", is_flag=True,
              help="也恢复旧版本生成的未签名备份（无法确认未被改动，仅在确认备份来源可靠时使用）")
def restore_command(directory: Path, allow_unsigned: bool) -> None:
    with cli_workspace() as workspace:
        report = workspace.restore(directory, allow_unsigned=allow_unsigned)
    click.echo(report.summary())
