"""A ledger view as the API and the command line give it: JSON (one object per row, keyed by the column names the
page and the export show) and a plain-text table. Pure: a view in, a model or text out."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from assistant.db import render
from assistant.ledgers.views import LedgerView, Value
from assistant.tools.types import format_value


class LedgerRow(BaseModel):
    id: int = Field(description="行在其表中的编号（来源：table#id）")
    key: str = Field(description="行的名称：项目名称、企业名称、问题编号或“日期 企业”")
    tone: str | None = Field(None, description="状态颜色：正常 / 预警 / 滞后 / 逾期 / 已解决（页面与 Excel 中行的颜色）")
    values: dict[str, Value] = Field(description="各列的值，列名与页面、导出的 Excel 相同")


class LedgerTable(BaseModel):
    kind: str = Field(description="projects 项目 / enterprises 企业 / contacts 走访记录 / problems 问题")
    title: str
    table: str = Field(description="行所在的数据库表（来源）")
    as_of: date | None = Field(None, description="台账日期：状态、逾期按此日期判定")
    rule: str = Field(description="状态的判定规则或排序说明")
    filters: str = Field(description="筛选条件（文字），空为全部")
    columns: list[str]
    rows: list[LedgerRow] = Field(description="符合条件的前 limit 行")
    total: int = Field(description="符合条件的行数（可多于 rows）")
    counts: dict[str, int] = Field(description="符合条件的行按状态计数")


def ledger_table(view: LedgerView) -> LedgerTable:
    names = [c.name for c in view.columns]
    return LedgerTable(
        kind=view.kind, title=view.title, table=view.table, as_of=view.as_of, rule=view.rule,
        filters=view.filters.describe(view.kind), columns=names,
        rows=[LedgerRow(id=r.row_id, key=r.key, tone=r.tone, values=dict(zip(names, r.values, strict=True)))
              for r in view.rows],
        total=view.matched, counts=view.counts)


def cell_text(value: Value, kind: str) -> str:
    """A cell as the page, the terminal and the export's reader see it: dates ISO, amounts with two decimals, an
    empty cell as —."""
    if value is None or value == "":
        return "—"
    if isinstance(value, date):
        return value.isoformat()
    if kind == "amount" and isinstance(value, int | float):
        return format_value(float(value), "")
    return str(value)


def ledger_text(view: LedgerView) -> str:
    """The title with the filter, the ledger date and rule, the counts per status, the rows as aligned columns, and
    how many matched when only the first rows are shown."""
    filters = view.filters.describe(view.kind)
    lines = [f"{view.title}（{filters}）" if filters else view.title]
    if view.rule:
        lines.append(view.rule)
    if not view.rows:
        return "\n".join([*lines, "没有符合条件的记录。"])
    if view.counts:
        lines.append("  ".join(f"{tone} {n}" for tone, n in view.counts.items()))
    right = [i for i, c in enumerate(view.columns) if c.kind in ("amount", "count")]
    lines.append(render.table([c.name for c in view.columns],
                              [[cell_text(v, c.kind) for c, v in zip(view.columns, r.values, strict=True)]
                               for r in view.rows], right=right))
    shown = len(view.rows)
    lines.append(f"共 {view.matched} 条" + (f"，显示前 {shown} 条；全部行请导出 Excel（assistant ledgers export）。"
                                             if shown < view.matched else "。"))
    return "\n".join(lines)
