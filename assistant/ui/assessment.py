"""The 数据 tab's 季度考核 panel: each county's score and rank within its class (the assessment tool), and for a
chosen county every point with its formula and the database rows it came from. Acts through the Workspace: the
tool call and the rows are audited, and a county officer sees only their own score and rows."""

from __future__ import annotations

from typing import Any, cast

import gradio as gr

from assistant.errors import AssistantError
from assistant.ledgers.views import LedgerView
from assistant.services import Services
from assistant.tools.assessment import AssessmentResult
from assistant.ui.figures import NO_DATABASE, metrics_with_data, periods_with_data
from assistant.ui.html import notice
from assistant.ui.ledgers_view import assessment_html, score_html
from assistant.ui.session import workspace_of


class AssessmentPanel:
    def __init__(self, services: Services) -> None:
        self.services = services

    def build(self) -> None:
        gr.Markdown("按考核方案（assistant/resources/assessment.yaml：指标、权重、目标、县区分类）计算各县区得分和类别内排名。"
                    "选择一个县区，可逐项查看实际值、目标、公式和参与计算的数据行。", elem_classes="zs-intro")
        with gr.Row():
            period = gr.Dropdown(label="考核期间", choices=[], elem_id="zs-assess-period", filterable=False, scale=1)
            region = gr.Dropdown(label="查看县区的得分明细", choices=[], value=None, elem_id="zs-assess-region",
                                 filterable=False, scale=1)
        ranking = gr.HTML(elem_id="zs-assess-ranking")
        detail = gr.HTML(elem_id="zs-assess-detail")
        period.input(self.rank_counties, period, [ranking, region, detail])
        region.input(self.score_detail, [period, region], detail)
        self._load = (self.load_assessment, None, [period, ranking, region, detail])

    def on_load(self, demo: gr.Blocks) -> None:
        fn, inputs, outputs = self._load
        demo.load(fn, inputs, outputs, show_progress="hidden")

    def load_assessment(self, request: gr.Request) -> tuple[Any, ...]:
        store = workspace_of(self.services, request).figure_store()
        if store is None:
            return gr.Dropdown(choices=[], value=None), notice(NO_DATABASE, "warn"), gr.skip(), ""
        metrics = metrics_with_data(store)
        periods = [(label, key) for label, key in periods_with_data(store, metrics[0])[0]
                   if "仅全市" not in label] if metrics else []
        if not periods:
            return gr.Dropdown(choices=[], value=None), notice("县区指标表还没有分县区的数据，无法计算考核得分。", "warn"), \
                gr.skip(), ""
        key = periods[0][1]
        ranking, region, detail = self.rank_counties(key, request)
        return gr.Dropdown(choices=periods, value=key), ranking, region, detail

    def _result(self, period: str, request: gr.Request) -> AssessmentResult:
        return cast(AssessmentResult, workspace_of(self.services, request).figures("assessment", {"period": period}))

    def rank_counties(self, period: str | None, request: gr.Request) -> tuple[Any, ...]:
        if not period:
            return notice("请选择考核期间。", "info"), gr.Dropdown(choices=[], value=None), ""
        try:
            result = self._result(period, request)
        except (AssistantError, KeyError, PermissionError) as err:
            return notice(str(err), "error"), gr.Dropdown(choices=[], value=None), ""
        regions = [s.region for s in result.rows]
        return assessment_html(result), gr.Dropdown(choices=regions, value=None), ""

    def score_detail(self, period: str | None, region: str | None, request: gr.Request) -> str:
        if not period or not region:
            return ""
        workspace = workspace_of(self.services, request)
        try:
            result = self._result(period, request)
            score = next((s for s in result.rows if s.region == region), None)
            if score is None:
                return notice(f"考核结果中没有“{region}”。", "warn")
            details: list[tuple[str, LedgerView | None]] = [
                (p.indicator, workspace.score_rows(p.table, p.row_ids, f"{region} {p.indicator}") if p.row_ids else None)
                for p in score.points]
        except (AssistantError, KeyError, PermissionError) as err:
            return notice(str(err), "error")
        return score_html(score, details)
