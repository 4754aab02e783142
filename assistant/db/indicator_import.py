"""Parsing indicator files, long or wide, into validated records. Pure: no database access.

Long (canonical): 地区,期间,指标,数值,单位,同比,年度目标[,来源]

Wide (what staff keep, like the table in the 2023 Q1 report): one row per region; a group header
per metric (merged over its columns, or repeated/forward-filled in CSV) and a sub-header per field:

    地区 | 实际引进内资（亿元）                          | 外商直接投资额（万美元）
         | 绝对值 | 同比% | 2023年目标 | 目标完成进度% | 排名 | 绝对值 | 2023年目标 | ...

Sub-header → field: 绝对值/数值/完成值/实际值/累计/金额 → 数值; 同比/增速/增长 → 同比;
目标/任务 → 年度目标; 完成进度/完成率 and 排名 are recomputed by the tools and ignored.
The group header names the metric (any alias, e.g. 外商直接投资额) and its unit in brackets.
The period comes from --period, a 期间 column, or the title above the header (…一季度…).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from assistant.db.errors import FigureError, ImportFormatError, ImportRejected, RowProblem
from assistant.db.periods import Period, find_period, parse_period
from assistant.db.tabular import (
    CellError,
    Column,
    ColumnSpec,
    Grid,
    Header,
    RowReader,
    find_header,
    is_blank,
    is_footnote,
    parse_decimal,
    parse_percent,
    split_header,
)
from assistant.db.units import convert, normalise_unit
from assistant.db.vocab import NameIndex, find_metric, known_metrics, resolve_metric

LONG_TEMPLATE = "地区,期间,指标,数值,单位,同比,年度目标,来源"
REGION_ALIASES = ("地区", "县区", "区县", "县（市、区）", "县（区、市）", "地区名称")
PERIOD_ALIASES = ("期间", "时期", "统计期间", "报告期")
LONG_SPECS = (
    ColumnSpec("region", REGION_ALIASES, required=True),
    ColumnSpec("period", PERIOD_ALIASES, required=True),
    ColumnSpec("metric", ("指标", "指标名称"), required=True),
    ColumnSpec("value", ("数值", "绝对值", "完成值", "实际值", "累计值"), required=True),
    ColumnSpec("unit", ("单位", "计量单位")),
    ColumnSpec("yoy", ("同比", "同比增长", "同比增速")),
    ColumnSpec("target", ("年度目标", "目标", "全年目标")),
    ColumnSpec("source", ("来源", "数据来源", "备注")),
)
_WIDE_FIELDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("rank", ("排名", "排位", "名次")),
    ("completion", ("进度", "完成率", "完成比例")),
    ("yoy", ("同比", "增速", "增长")),
    ("target", ("目标", "任务")),
    ("value", ("绝对值", "数值", "完成值", "实际值", "累计", "金额", "完成额", "本期")),
)


@dataclass(frozen=True)
class IndicatorRecord:
    row: int
    region: str
    period: Period
    metric: str
    unit: str
    value: Decimal | None
    yoy_pct: Decimal | None
    annual_target: Decimal | None
    source_note: str | None


def detect_layout(grid: Grid) -> str:
    """“long” when a row within the first 15 has 期间, 指标 and 数值 headers, otherwise “wide”."""
    for row in grid.rows[:15]:
        bases = {split_header(cell)[0] for cell in row}
        if bases & set(PERIOD_ALIASES) and "指标" in bases:
            return "long"
    return "wide"


def _known_regions_footer(problems: list[RowProblem], regions: NameIndex) -> list[str]:
    if any(p.reason.startswith("未知地区") for p in problems):
        return [f"已知地区：{'、'.join(regions.names)}（也可用简称，如“汉滨”“旬阳”“高新”）。"]
    return []


def _check_duplicates(records: list[IndicatorRecord], problems: list[RowProblem], column: str) -> None:
    seen: dict[tuple[str, str, str], int] = {}
    for rec in records:
        key = (rec.region, rec.period.key, rec.metric)
        if key in seen:
            problems.append(
                RowProblem(rec.row, column, rec.region, f"与第 {seen[key]} 行重复（同一地区、期间、指标）")
            )
        else:
            seen[key] = rec.row


def _finish(grid: Grid, records: list[IndicatorRecord], problems: list[RowProblem], regions: NameIndex,
            dup_column: str) -> list[IndicatorRecord]:
    _check_duplicates(records, problems, dup_column)
    if problems:
        raise ImportRejected(grid.path, problems, _known_regions_footer(problems, regions))
    if not records:
        raise ImportFormatError(grid.path, "文件中没有数据行。")
    return records


def _region(reader: RowReader, field: str, regions: NameIndex) -> str | None:
    text = reader.text(field, required=True)
    if text is None:
        return None
    name = regions.get(text)
    if name is None:
        reader.problem(field, "未知地区")
    return name


def _numbers(reader: RowReader, metric_unit: str, unit: str, fields: dict[str, str]
             ) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
    """Value and target converted to the metric's unit, YoY as a percentage."""
    value = reader.parse(fields["value"], _non_negative) if "value" in fields else None
    target = reader.parse(fields["target"], _non_negative) if "target" in fields else None
    yoy = reader.parse(fields["yoy"], parse_percent) if "yoy" in fields else None
    if target is not None and target == 0:
        reader.problem(fields["target"], "年度目标必须大于 0")
        target = None
    try:
        value = convert(value, unit, metric_unit) if value is not None else None
        target = convert(target, unit, metric_unit) if target is not None else None
    except FigureError as err:
        reader.problem(fields.get("unit", fields["value"]), str(err))
    if reader.ok and value is None and target is None:
        reader.problem(fields["value"], "数值和年度目标都为空")
    return value, yoy, target


def _unit_or_none(text: str) -> str | None:
    return None if is_blank(text) else normalise_unit(text)


def _non_negative(text: str) -> Decimal | None:
    value = parse_decimal(text)
    if value is not None and value < 0:
        raise CellError("不能为负数")
    return value


def parse_long(grid: Grid, regions: NameIndex) -> list[IndicatorRecord]:
    """解析长表：每行一个地区、期间、指标。有错误时汇总所有错误行后抛出 ImportRejected。"""
    header = find_header(grid, LONG_SPECS, LONG_TEMPLATE)
    problems: list[RowProblem] = []
    records: list[IndicatorRecord] = []
    for row_index in range(header.row_index + 1, len(grid.rows)):
        row = grid.rows[row_index]
        if all(is_blank(cell) for cell in row) or (row and is_footnote(row[0])):
            continue
        reader = RowReader(grid, header, row_index, problems)
        region = _region(reader, "region", regions)
        period = reader.parse("period", parse_period, required=True)
        metric = reader.parse("metric", resolve_metric, required=True)
        unit = reader.parse("unit", _unit_or_none) or header.columns["value"].unit
        if metric is None:
            continue
        fields = {"value": "value", "target": "target", "yoy": "yoy", "unit": "unit"}
        value, yoy, target = _numbers(reader, metric.unit, unit or metric.unit, fields)
        if reader.ok and region and period:
            records.append(IndicatorRecord(reader.row_no, region, period, metric.name, metric.unit, value, yoy,
                                           target, reader.text("source")))
    return _finish(grid, records, problems, regions, header.columns["region"].label)


# ---- wide ----------------------------------------------------------------------------------


def _field_of(text: str) -> str | None:
    base = split_header(text)[0]
    for name, keywords in _WIDE_FIELDS:
        if any(k in base for k in keywords):
            return name
    return None


@dataclass
class _WideLayout:
    header: Header
    data_start: int
    region_col: int
    period_col: int | None
    metrics: dict[str, dict[str, Column]]  # metric -> field -> column
    ignored: list[str]
    title: str


def _wide_layout(grid: Grid) -> _WideLayout:
    header_row = next(
        (i for i, row in enumerate(grid.rows[:15]) if any(split_header(c)[0] in REGION_ALIASES for c in row)), None
    )
    if header_row is None:
        raise ImportFormatError(grid.path, "在前 15 行中没有找到“地区”列。宽表格式见 corpus/data/README.md。")
    top = grid.rows[header_row]
    region_col = next(i for i, c in enumerate(top) if split_header(c)[0] in REGION_ALIASES)
    sub: list[str] = []
    nxt = grid.rows[header_row + 1] if header_row + 1 < len(grid.rows) else []
    first = nxt[region_col] if region_col < len(nxt) else ""
    if (is_blank(first) or first == top[region_col]) and any(_field_of(c) for c in nxt):
        sub = nxt
    width = max(len(top), len(sub))
    groups, current = [], ""
    for col in range(width):  # CSV exports leave merged group cells blank after the first column
        cell = top[col] if col < len(top) else ""
        current = cell or current
        groups.append(current)
    metrics: dict[str, dict[str, Column]] = {}
    ignored: list[str] = []
    period_col = None
    for col in range(width):
        if col == region_col:
            continue
        group = groups[col]
        sub_text = sub[col] if col < len(sub) else ""
        label = f"{group}/{sub_text}" if sub_text and sub_text != group else group
        if split_header(group)[0] in PERIOD_ALIASES:
            period_col = col
            continue
        metric = find_metric(split_header(group)[0])
        field = _field_of(sub_text) if sub_text else (_field_of(group) or "value")
        if metric is None or field is None or field in ("rank", "completion"):
            if label:
                ignored.append(label)
            continue
        unit = split_header(group)[1] or split_header(sub_text)[1]
        metrics.setdefault(metric.name, {})
        if field not in metrics[metric.name]:
            metrics[metric.name][field] = Column(col, label, unit)
    if not metrics:
        raise ImportFormatError(
            grid.path, f"没有识别出指标列。可识别的指标：{'、'.join(known_metrics())}；宽表表头映射见 corpus/data/README.md。"
        )
    for metric_name, fields in metrics.items():
        if "value" not in fields:
            raise ImportFormatError(grid.path, f"宽表中“{metric_name}”没有“绝对值”（数值）列。")
    title = " ".join(" ".join(row) for row in grid.rows[:header_row])
    columns = {"region": Column(region_col, top[region_col], None)}
    if period_col is not None:
        columns["period"] = Column(period_col, groups[period_col], None)
    header = Header(header_row, columns, ignored)
    return _WideLayout(header, header_row + (2 if sub else 1), region_col, period_col, metrics, ignored, title)


def parse_wide(grid: Grid, regions: NameIndex, period: Period | None = None) -> tuple[list[IndicatorRecord], list[str]]:
    """解析宽表：每行一个地区，各指标分列。返回记录和被忽略的列（完成进度、排名等由系统重新计算）。"""
    layout = _wide_layout(grid)
    if period is None and layout.period_col is None:
        period = find_period(layout.title)
        if period is None:
            raise ImportFormatError(
                grid.path, "宽表没有注明期间：请在表头上方的标题中写明（如“2023年一季度……”），加“期间”列，或使用 --period 2023Q1。"
            )
    problems: list[RowProblem] = []
    records: list[IndicatorRecord] = []
    for row_index in range(layout.data_start, len(grid.rows)):
        row = grid.rows[row_index]
        if all(is_blank(cell) for cell in row) or (row and is_footnote(row[0])):
            continue
        for metric_name, fields in layout.metrics.items():
            header = Header(layout.header.row_index, {**layout.header.columns, **fields})
            reader = RowReader(grid, header, row_index, problems)
            if all(is_blank(reader.raw(f)) for f in fields):
                continue  # this region reports nothing for this metric: 无数据, not zero
            region = _region(reader, "region", regions)
            row_period = period or reader.parse("period", parse_period, required=True)
            metric = resolve_metric(metric_name)
            unit = fields["value"].unit or metric.unit
            value, yoy, target = _numbers(reader, metric.unit, unit, {f: f for f in fields})
            if reader.ok and region and row_period:
                records.append(IndicatorRecord(reader.row_no, region, row_period, metric.name, metric.unit, value,
                                               yoy, target, None))
    _dedupe_region_problems(problems)
    return _finish(grid, records, problems, regions, layout.header.columns["region"].label), layout.ignored


def _dedupe_region_problems(problems: list[RowProblem]) -> None:
    """One unknown region in a wide row is reported once, not once per metric group."""
    seen: set[tuple[int, str, str]] = set()
    kept = []
    for p in problems:
        key = (p.row, p.column, p.reason)
        if key not in seen:
            seen.add(key)
            kept.append(p)
    problems[:] = kept

