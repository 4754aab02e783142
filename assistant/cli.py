"""Command-line entry point. Thin: parse options, call one library function, print."""

from __future__ import annotations

import click

from assistant.db.cli import db_group, figures_group


@click.group(help="招商知识助手命令行")
@click.version_option(package_name="zhaoshang-assistant")
def main() -> None:
    pass


main.add_command(db_group)
main.add_command(figures_group)
