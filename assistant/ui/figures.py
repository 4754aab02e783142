"""The 数据 tab: pick a period and a metric, see the county table and the completion chart; see which figure
tools the assistant has (from the tool registry); import a CSV/XLSX file and see the importer's row-level
error report."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

import gradio as gr
from sqlalchemy import case, func, select

from assistant.db.errors import ImportRejected
from assistant.db.importers import KINDS
from assistant.db.models import Indicator, Region
from assistant.db.periods import parse_period
from assistant.db.reference import METRICS
from assistant.db.session import FigureStore
from assistant.errors import AssistantError
from assistant.services import Services
from assistant.tools import REGISTRY, CityTotalResult, LaggingResult, RankingResult
from assistant.ui.answer_view import period_label
from assistant.ui.figures_view import chart_svg, county_table, rejected_html, table_html, tools_html
from assistant.ui.html import esc, notice
from assistant.ui.session import refused_as_toast, uploaded, workspace_of
from assistant.workspace import Workspace

NO_DATABASE = "项目数据库尚未导入。请在下方导入县区指标文件，或由管理员运行 assistant db import-demo corpus/data/。"
IMPORT_SUFFIXES = (".csv", ".xlsx")
CITY_KIND = "全市"
LAYOUTS = [("自动识别", "auto"), ("长表（地区,期间,指标,数值…）", "long"), ("宽表（每行一个地区）", "wide")]

Choices = list[tuple[str, str]]


def metrics_with_data(store: FigureStore) -> list[str]:
    """Metrics that have indicator rows, in the reference order (实际引进内资 first)."""
    with store.session() as session:
        present = set(session.scalars(select(Indicator.metric).distinct()))
    order = [m.name for m in METRICS]
    return sorted(present, key=lambda m: (order.index(m) if m in order else len(order), m))


def periods_with_data(store: FigureStore, metric: str) -> tuple[Choices, str | None]:
    """(label, key) of the periods that have rows for a metric, newest first, and the newest period
    with county rows (some periods have only the 全市 row)."""
    with store.session() as session:
        rows = session.execute(
            select(Indicator.period, func.max(Indicator.year * 100 + Indicator.end_month),
                   func.sum(case((Region.kind != CITY_KIND, 1), else_=0)))
            .join(Region, Region.id == Indicator.region_id).where(Indicator.metric == metric)
            .group_by(Indicator.period).order_by(func.max(Indicator.year * 100 + Indicator.end_month).desc())
        ).all()
    choices = [(period_label(key) + ("" if counties else "（仅全市）"), key) for key, _, counties in rows]
    return choices, next((key for key, _, counties in rows if counties), None)


class FiguresTab:
    def __init__(self, services: Services, status: Callable[[gr.Request], str]) -> None:
        self.services = services
        self.status = status  # the header's summary (database ready or not), refreshed after an import

    def _store(self, request: gr.Request | None) -> FigureStore | None:
        """The database as this user may see it (a county officer: their region and the city total)."""
        return workspace_of(self.services, request).figure_store()

    def build(self, status: gr.HTML) -> None:
        gr.Markdown("选择期间和指标，查看各县（市、区）、开发区的完成情况；完成进度低于序时进度的地区标红。",
                    elem_classes="zs-intro")
        with gr.Row():
            metric = gr.Dropdown(label="指标", choices=[], scale=1, elem_id="zs-metric", filterable=False)
            period = gr.Dropdown(label="期间（自 1 月起累计）", choices=[], scale=1, elem_id="zs-period",
                                 filterable=False)
        with gr.Row(equal_height=False):
            with gr.Column(scale=3, min_width=420):
                table = gr.HTML(elem_id="zs-county")
            with gr.Column(scale=2, min_width=360):
                chart = gr.HTML(elem_id="zs-chart-panel")
        with gr.Accordion("可查询的数据", open=False, elem_id="zs-tools-box"):
            # Read from the registry when the page is built: a newly declared tool is listed without a UI edit.
            gr.HTML(tools_html(REGISTRY.values()), elem_id="zs-tools-list", padding=False)
        with gr.Accordion("导入数据（CSV / XLSX）", open=False, elem_id="zs-import"):
            gr.Markdown("表头按 `corpus/data/templates/` 中的模板整理。一个文件里只要有一行出错，整个文件都不导入，"
                        "并列出每个出错的行号、列名、取值和原因；重新导入某期指标会替换该期数据，"
                        "文件缺少该期已有的地区时不导入（列出这些地区），勾选“整期替换”才会删除它们。")
            with gr.Row():
                file = gr.File(label="选择文件（csv、xlsx）", file_count="single", height=120, scale=2,
                               elem_id="zs-import-file")
                with gr.Column(scale=2):
                    kind = gr.Dropdown(label="数据类型", choices=[(v, k) for k, v in KINDS.items()],
                                       value="indicators", filterable=False)
                    layout = gr.Radio(label="指标文件格式", choices=LAYOUTS, value="auto")
                    period_text = gr.Textbox(label="宽表的期间（标题中已写明时可不填）", placeholder="如 2023Q1")
                    replace_period = gr.Checkbox(
                        label="整期替换：文件中没有的地区，其该期数据一并删除（不勾选时，缺地区的文件不导入，并列出这些地区）",
                        value=False, elem_id="zs-import-replace")
            run_import = gr.Button("导入", variant="primary", elem_id="zs-import-go")
            self.write_controls = [run_import]
            report = gr.HTML(elem_id="zs-import-report")

        metric.change(self.choose_metric, [metric, period], [period, table, chart], show_progress="hidden")
        period.input(self.show, [metric, period], [table, chart], show_progress="hidden")
        run_import.click(self.import_data, [file, kind, layout, period_text, replace_period], report).then(
            self.refresh, [metric, period], [metric, period, table, chart]).then(
            self.status, None, status, show_progress="hidden")
        self._load = (self.refresh, [metric, period], [metric, period, table, chart])

    def on_load(self, demo: gr.Blocks) -> None:
        fn, inputs, outputs = self._load
        demo.load(fn, inputs, outputs, show_progress="hidden")

    def refresh(self, metric: str | None, period: str | None, request: gr.Request) -> tuple[Any, ...]:
        """Choices from the database; keeps the user's picks when they still exist."""
        store = self._store(request)
        if store is None:
            return gr.Dropdown(choices=[], value=None), gr.Dropdown(choices=[], value=None), notice(NO_DATABASE, "warn"), ""
        metrics = metrics_with_data(store)
        if not metrics:
            return (gr.Dropdown(choices=[], value=None), gr.Dropdown(choices=[], value=None),
                    notice("数据库中还没有县区指标，请在下方导入。", "warn"), "")
        metric = metric if metric in metrics else metrics[0]
        periods, default = periods_with_data(store, metric)
        period = period if period in {k for _, k in periods} else default or periods[0][1]
        table, chart = self.show(metric, period, request)
        return (gr.Dropdown(choices=metrics, value=metric), gr.Dropdown(choices=periods, value=period), table, chart)

    def choose_metric(self, metric: str | None, period: str | None, request: gr.Request) -> tuple[Any, ...]:
        store = self._store(request)
        if store is None or not metric:
            return gr.skip(), gr.skip(), gr.skip()
        periods, default = periods_with_data(store, metric)
        if not periods:
            return gr.Dropdown(choices=[], value=None), notice(f"“{metric}”还没有数据。", "warn"), ""
        period = period if period in {k for _, k in periods} else default or periods[0][1]
        table, chart = self.show(metric, period, request)
        return gr.Dropdown(choices=periods, value=period), table, chart

    def show(self, metric: str | None, period: str | None, request: gr.Request) -> tuple[str, str]:
        workspace = workspace_of(self.services, request)
        if workspace.figure_store() is None:
            return notice(NO_DATABASE, "warn"), ""
        if not metric or not period:
            return notice("请选择指标和期间。", "info"), ""
        asked = {"period": period, "metric": metric}
        try:  # four tool calls, each audited as the API's /api/figures/rank, /lagging and /city are
            by_value = cast(RankingResult, workspace.figures("rank_regions", {**asked, "by": "value"}))
            by_completion = cast(RankingResult, workspace.figures("rank_regions", {**asked, "by": "completion"}))
            lagging = cast(LaggingResult, workspace.figures("lagging_regions", asked))
            city = cast(CityTotalResult, workspace.figures("city_total", asked))
        except (AssistantError, KeyError) as exc:  # UnknownMetric is a KeyError with a Chinese message
            return notice(str(exc), "error"), ""
        if not by_value.rows:
            return notice(f"{parse_period(period).label} {metric} 只有全市数据，没有分县区数据。"
                          + (f" {city.summary}" if city.value is not None else ""), "info"), ""
        t = county_table(by_value, by_completion, lagging, city, scoped=workspace.user.access.region is not None)
        return table_html(t), chart_svg(t)

    def import_data(self, path: str | None, kind: str, layout: str, period: str, replace_period: bool,
                    request: gr.Request) -> str:
        return import_report(workspace_of(self.services, request), path, kind, layout=layout,
                             period=(period or "").strip() or None, replace_period=bool(replace_period))


def import_report(workspace: Workspace, path: str | None, kind: str, layout: str = "auto", period: str | None = None,
                  replace_period: bool = False) -> str:
    """One uploaded CSV/XLSX through Workspace.import_data, as the 数据 and 台账 tabs both import: a county account
    refused (a toast), the summary, or the importer's row-by-row report (row, column, value, reason)."""
    with refused_as_toast():
        workspace.require("import", f"{kind} {Path(path).name if path else ''}".strip())
    if not path:
        return notice("请先选择要导入的 CSV 或 XLSX 文件。", "warn")
    file = uploaded(path)
    if file.suffix.lower() not in IMPORT_SUFFIXES:
        return notice(f"文件“{file.name}”不是 CSV 或 XLSX，请在 Excel 中另存为这两种格式之一后再导入。", "error")
    try:
        summary = workspace.import_data(kind, file, layout, period, replace_period=replace_period)
    except ImportRejected as err:
        return rejected_html(err)
    except AssistantError as err:
        return notice(str(err), "error")
    lines = "".join(f"<div>{esc(line)}</div>" for line in summary.describe().splitlines())
    return f'<div class="zs-notice zs-ok">{lines}</div>'
