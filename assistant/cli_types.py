"""Parameter types shared by every command line: a bad value is refused in Chinese, naming the choices."""

from __future__ import annotations

from typing import Any

import click


class Choice(click.Choice):
    """click.Choice whose refusal is Chinese: 参数“--measure”的值“坏值”不在可选范围内，可选：项目个数、总投资…"""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter:
            name = param.get_error_hint(ctx) if isinstance(param, click.Option) and ctx is not None else ""
            raise click.UsageError(f"参数{name}的值“{value}”不在可选范围内，可选：{'、'.join(map(str, self.choices))}。",
                                   ctx) from None
