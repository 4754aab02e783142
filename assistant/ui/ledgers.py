"""The 台账 tab: 项目, 企业, 走访记录 and 问题 as filtered tables with status colours, a project's timeline, Excel
export of the filtered view, and the import templates with import from the tab. Every event acts through the
user's Workspace (access, audit); this module only reads the controls and renders."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.db.importers import KINDS
from assistant.db.reference import PROJECT_STAGES
from assistant.errors import AssistantError
from assistant.ledgers.views import (
    DATE_FIELDS,
    FILTERS,
    LEDGER_KINDS,
    PROBLEM_FILTERS,
    STATUS_LABELS,
    parse_filter,
)
from assistant.services import Services
from assistant.tools.lifecycle import STATUSES
from assistant.ui.figures import NO_DATABASE, import_report
from assistant.ui.html import notice
from assistant.ui.ledgers_view import SHOWN_ROWS, ledger_html, timeline_html
from assistant.ui.session import workspace_of

ALL = ""  # the dropdowns' 全部 choice
IMPORT_KINDS = ("projects", "problems", "enterprises", "contacts", "offices")
TEXT_HINTS = {"projects": "项目、企业、进展、责任单位、管家", "enterprises": "企业名称、类别、总部、责任单位",
              "contacts": "企业、对接单位、人员、成果", "problems": "编号、项目、问题描述、责任部门"}


def _all(names: list[str] | tuple[str, ...]) -> list[tuple[str, str]]:
    return [("全部", ALL), *((n, n) for n in names)]


@dataclass
class LedgerControls:
    kind: str
    inputs: list[Any]  # region, chain, status, stage, date_from, date_to, text (a State where the ledger has none)
    outputs: list[Any]  # the table (and for 项目 the timeline's project picker)
    show: Callable[..., Any]
    download: gr.File
    choices: list[Any]  # the dropdowns whose choices come from the database: region, chain, status


class LedgerTab:
    def __init__(self, services: Services, status: Callable[[gr.Request], str]) -> None:
        self.services = services
        self.status = status
        self.controls: dict[str, LedgerControls] = {}

    def build(self, header_status: gr.HTML) -> None:
        gr.Markdown("项目、目标企业、走访叩门记录和问题台账，按条件筛选；状态按台账日期判定（绿色正常、黄色预警、红色滞后或逾期）。"
                    "导出的 Excel 与页面上的筛选结果相同。", elem_classes="zs-intro")
        with gr.Tabs(elem_id="zs-ledger-tabs"):
            for kind, label in LEDGER_KINDS.items():
                with gr.Tab(label, id=f"ledger-{kind}", elem_id=f"zs-ledger-tab-{kind}"):
                    self.controls[kind] = self._ledger(kind)
        with gr.Accordion("导入台账与下载模板（CSV / XLSX）", open=False, elem_id="zs-ledger-import"):
            self._importer(header_status)

    def _ledger(self, kind: str) -> LedgerControls:
        has = FILTERS[kind]
        with gr.Row(elem_classes="zs-ledger-filters"):
            region = (gr.Dropdown(label="县区", choices=_all([]), value=ALL, elem_id=f"zs-{kind}-region", min_width=120,
                                  filterable=False) if "region" in has else gr.State(ALL))
            chain = gr.Dropdown(label="产业链", choices=_all([]), value=ALL, elem_id=f"zs-{kind}-chain", min_width=120,
                                filterable=False)
            statuses = {"projects": STATUSES, "problems": PROBLEM_FILTERS}.get(kind, ())
            status = gr.Dropdown(label=STATUS_LABELS[kind], choices=_all(list(statuses)), value=ALL,
                                 elem_id=f"zs-{kind}-status", min_width=120, filterable=False)
            stage = (gr.Dropdown(label="阶段", choices=_all(PROJECT_STAGES), value=ALL, elem_id=f"zs-{kind}-stage",
                                 min_width=100, filterable=False) if "stage" in has else gr.State(ALL))
            date_from: Any
            date_to: Any
            if "dates" in has:
                field = DATE_FIELDS[kind]
                date_from = gr.Textbox(label=f"{field}起", placeholder="如 2023-07-01", max_length=20, min_width=120,
                                       elem_id=f"zs-{kind}-from")
                date_to = gr.Textbox(label=f"{field}止", placeholder="如 2023.7.31", max_length=20, min_width=120,
                                     elem_id=f"zs-{kind}-to")
            else:
                date_from, date_to = gr.State(""), gr.State("")
            text = gr.Textbox(label="关键词", placeholder=TEXT_HINTS[kind], max_length=50, min_width=160,
                              elem_id=f"zs-{kind}-text")
        with gr.Row():
            go = gr.Button("查询", variant="primary", size="sm", scale=0, min_width=90, elem_id=f"zs-{kind}-go")
            export = gr.Button("导出 Excel（当前筛选）", size="sm", scale=0, min_width=170, elem_id=f"zs-{kind}-export")
            download = gr.File(label="导出的 Excel 文件", interactive=False, height=90, elem_id=f"zs-{kind}-xlsx",
                               scale=2, visible=False)
        table = gr.HTML(elem_id=f"zs-{kind}-table")
        outputs: list[Any] = [table]
        if kind == "projects":  # a project's timeline, picked among the projects the filter shows
            project = gr.Dropdown(label="项目时间线：选择项目（列表随筛选结果更新）", choices=[], value=None,
                                  elem_id="zs-timeline-project")
            timeline = gr.HTML(elem_id="zs-timeline-box")
            project.input(self.timeline, project, timeline)
            self._project_picker = project
            outputs.append(project)
        inputs = [region, chain, status, stage, date_from, date_to, text]
        show = self._shower(kind)
        controls = LedgerControls(kind, inputs, outputs, show, download, [region, chain, status])
        go.click(show, inputs, outputs)
        for box in (text, date_from, date_to):
            if isinstance(box, gr.Textbox):
                box.submit(show, inputs, outputs)
        for dropdown in (region, chain, status, stage):
            if isinstance(dropdown, gr.Dropdown):
                dropdown.input(show, inputs, outputs, show_progress="hidden")
        export.click(self._exporter(kind), inputs, download)
        return controls

    def _importer(self, header_status: gr.HTML) -> None:
        gr.Markdown("先下载模板，按模板的表头填好后导入。一个文件里只要有一行出错，整个文件都不导入，并列出每个出错的行号、列名、取值和原因，"
                    "数据库不做任何修改；项目台账和问题台账的“填报日期”决定这份文件记入哪一天的历史。")
        with gr.Row():
            kind = gr.Dropdown(label="台账类型", choices=[(KINDS[k], k) for k in IMPORT_KINDS], value="projects",
                               filterable=False, elem_id="zs-ledger-import-kind", scale=1)
            csv_template = gr.File(label="CSV 模板", interactive=False, height=90, elem_id="zs-template-csv", scale=1)
            xlsx_template = gr.File(label="XLSX 模板", interactive=False, height=90, elem_id="zs-template-xlsx", scale=1)
        with gr.Row():
            file = gr.File(label="选择要导入的文件（csv、xlsx）", file_count="single", height=110, scale=2,
                           elem_id="zs-ledger-import-file")
            run = gr.Button("导入", variant="primary", scale=0, min_width=100, elem_id="zs-ledger-import-go")
        report = gr.HTML(elem_id="zs-ledger-import-report")
        self.write_controls = [run]
        kind.change(self.templates, kind, [csv_template, xlsx_template], show_progress="hidden")
        event = run.click(self.import_ledger, [file, kind], report)
        for ctl in self.controls.values():  # the tables show what was imported
            event = event.then(ctl.show, ctl.inputs, ctl.outputs, show_progress="hidden")
        event.then(self.status, None, header_status, show_progress="hidden")
        self._templates = (kind, csv_template, xlsx_template)

    def on_load(self, demo: gr.Blocks) -> None:
        choices = [c for ctl in self.controls.values() for c in ctl.choices]
        # the tables after the choices: a county officer's region list is theirs alone, and a table asked for with
        # the old 全部 value would be refused by the dropdown
        event = demo.load(self.load_choices, None, choices, show_progress="hidden")
        for ctl in self.controls.values():
            event = event.then(ctl.show, ctl.inputs, ctl.outputs, show_progress="hidden")
        kind, csv_template, xlsx_template = self._templates
        demo.load(self.templates, kind, [csv_template, xlsx_template], show_progress="hidden")

    # -- handlers
    def load_choices(self, request: gr.Request) -> list[Any]:
        workspace = workspace_of(self.services, request)
        out: list[Any] = []
        try:
            choices = workspace.ledger_choices()
        except AssistantError:  # no database yet: the tables say so
            return [gr.skip() for ctl in self.controls.values() for _ in ctl.choices]
        for kind, ctl in self.controls.items():
            region, chain, status = ctl.choices
            if isinstance(region, gr.Dropdown):
                regions = choices.regions
                out.append(gr.Dropdown(choices=_all(regions) if len(regions) > 1 else [(r, r) for r in regions],
                                       value=ALL if len(regions) > 1 else regions[0]))
            else:
                out.append(gr.skip())
            out.append(gr.Dropdown(choices=_all(choices.chains), value=ALL))
            if kind == "enterprises":
                out.append(gr.Dropdown(choices=_all(choices.enterprise_statuses), value=ALL))
            elif kind == "contacts":
                out.append(gr.Dropdown(choices=_all(choices.contact_methods), value=ALL))
            else:
                out.append(gr.skip())
        return out

    def _render(self, kind: str, values: tuple[Any, ...], request: gr.Request) -> tuple[str, list[str] | None]:
        """(the table's HTML, the project names shown) for one ledger."""
        workspace = workspace_of(self.services, request)
        if workspace.figure_store() is None:
            return notice(NO_DATABASE, "warn"), None
        try:
            view = workspace.ledger(kind, parse_filter(kind, *values), limit=SHOWN_ROWS)
        except (AssistantError, KeyError, ValueError, PermissionError) as err:
            return notice(str(err), "error"), None
        return ledger_html(view), [r.key for r in view.rows]

    def _shower(self, kind: str) -> Callable[..., Any]:
        # Explicit parameters: Gradio hands the request only to a function that declares it.
        def show_ledger(region: str | None, chain: str | None, status: str | None, stage: str | None, date_from: str | None,
                 date_to: str | None, text: str | None, request: gr.Request) -> Any:
            html, names = self._render(kind, (region, chain, status, stage, date_from, date_to, text), request)
            if kind == "projects":
                return html, gr.Dropdown(choices=names or [], value=None)
            return html

        show_ledger.__name__ = f"show_{kind}"  # the event's API name: show_projects, show_problems …
        return show_ledger

    def _exporter(self, kind: str) -> Callable[..., Any]:
        def export_ledger(region: str | None, chain: str | None, status: str | None, stage: str | None,
                   date_from: str | None, date_to: str | None, text: str | None, request: gr.Request) -> Any:
            workspace = workspace_of(self.services, request)
            try:
                name, data = workspace.ledger_export(
                    kind, parse_filter(kind, region, chain, status, stage, date_from, date_to, text))
            except (AssistantError, KeyError, ValueError, PermissionError) as err:
                raise gr.Error(str(err)) from err
            path = Path(tempfile.mkdtemp(prefix="zs-ledger-")) / name
            path.write_bytes(data)
            return gr.File(value=str(path), visible=True)

        export_ledger.__name__ = f"export_{kind}"
        return export_ledger

    def timeline(self, project: str | None, request: gr.Request) -> str:
        if not project:
            return ""
        try:
            return timeline_html(workspace_of(self.services, request).project_timeline(project))
        except (AssistantError, KeyError, PermissionError) as err:
            return notice(str(err), "error")

    def templates(self, kind: str, request: gr.Request) -> tuple[str, str]:
        workspace = workspace_of(self.services, request)
        folder = Path(tempfile.mkdtemp(prefix="zs-template-"))
        paths = []
        for suffix in (".csv", ".xlsx"):
            name, data = workspace.ledger_template(kind, suffix)
            path = folder / name
            path.write_bytes(data)
            paths.append(str(path))
        return paths[0], paths[1]

    def import_ledger(self, path: str | None, kind: str, request: gr.Request) -> str:
        return import_report(workspace_of(self.services, request), path, kind)
