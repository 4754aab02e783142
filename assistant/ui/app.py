"""The workbench page (Gradio), mounted inside the FastAPI app so API and UI share one port and one
Services. Every event acts through the user's Workspace; see chat.py, knowledge.py, figures.py, ledgers.py,
drafting.py and learning.py."""

from __future__ import annotations

from importlib import resources
from typing import Any

import gradio as gr
from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse

from assistant import __version__
from assistant.api_routes.prefix import public
from assistant.services import Services
from assistant.ui.assessment import AssessmentPanel
from assistant.ui.chat import ChatTab
from assistant.ui.drafting import DraftingTab
from assistant.ui.figures import FiguresTab
from assistant.ui.html import esc
from assistant.ui.knowledge import KnowledgeTab
from assistant.ui.learning import LearningTab
from assistant.ui.ledgers import LedgerTab
from assistant.ui.paths import UI_PATH
from assistant.workspace import Workspace

# Fonts the staff's machines have (Windows, macOS, Linux desktops): nothing is fetched from the internet,
# so the page works on an intranet without outside access.
FONTS = ["Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "WenQuanYi Micro Hei", "Source Han Sans SC",
         "system-ui", "sans-serif"]
MONO_FONTS = ["Consolas", "Menlo", "Noto Sans Mono CJK SC", "monospace"]


def theme() -> gr.themes.Base:
    return gr.themes.Default(primary_hue="blue", neutral_hue="slate", radius_size="sm", font=FONTS,
                             font_mono=MONO_FONTS).set(
        body_background_fill="#f4f6f9", block_border_width="1px", block_shadow="none",
        button_primary_background_fill="#1f5fa8", button_primary_background_fill_hover="#174d8c",
    )


def user_html(workspace: Workspace | None, local: bool, root: str = "") -> str:
    """`root`: the path prefix the site is served under (ASSISTANT_ROOT_PATH), for the links."""
    if workspace is None:
        return ""
    if local:
        return '<div class="zs-user">本机单用户模式（未启用登录）</div>'
    # A POST form, not a link: logging out is a change, and GET /logout only asks for confirmation.
    return (f'<div class="zs-user"><span>{esc(workspace.user.describe())}</span>'
            f'<form method="post" action="{esc(root)}/logout" class="zs-logout-form">'
            '<button type="submit" id="zs-logout">退出登录</button></form></div>')


def status_html(workspace: Workspace | None, root: str = "") -> str:
    """Counts only what this user may see: an uncleared user does not learn how many 内部 documents exist."""
    visible = workspace.documents() if workspace is not None else []
    docs, chunks = len(visible), sum(r.n_chunks for r in visible)
    database = "项目数据库已就绪" if workspace is not None and workspace.figure_store() is not None else "项目数据库未导入"
    mode = "大模型模式" if workspace is not None and workspace.mode == "llm" else "有据模式（离线）"
    return (f'<div class="zs-status"><span>知识库 {docs:,} 个文档、{chunks:,} 个片段</span><span>{esc(database)}</span>'
            f'<span>{esc(mode)}</span><a href="{esc(root)}/docs" target="_blank">接口文档</a></div>')


def build_ui(services: Services) -> gr.Blocks:
    def workspace(request: gr.Request) -> Workspace | None:
        user = services.auth.user_named(request.username)
        return Workspace(services, user, "ui") if user is not None else None

    def status(request: gr.Request) -> str:
        return status_html(workspace(request), services.settings.root_path)

    def whoami(request: gr.Request) -> str:
        return user_html(workspace(request), services.auth.local, services.settings.root_path)

    def role_controls(request: gr.Request) -> list[Any]:
        """Upload, import and drafting buttons are greyed out for county accounts (the handlers refuse too)."""
        current = workspace(request)
        allowed = current is not None and current.allowed("upload")
        return [gr.Button(interactive=allowed) for _ in write_controls]

    def admin_controls(request: gr.Request) -> Any:
        """Reclassifying and verifying a document are shown to administrators only (the Workspace refuses anyone
        else)."""
        current = workspace(request)
        return gr.Column(visible=current is not None and current.allowed("reclassify") and current.allowed("verify"))

    chat = ChatTab(services)
    knowledge, figures = KnowledgeTab(services, status), FiguresTab(services, status)
    drafting, learning = DraftingTab(services), LearningTab(services)
    ledgers, assessment = LedgerTab(services, status), AssessmentPanel(services)
    with gr.Blocks(title="招商知识助手", analytics_enabled=False, fill_width=True) as demo:
        with gr.Row(elem_classes="zs-header"):
            gr.HTML('<div class="zs-brand"><div class="zs-logo">招</div><div><div class="zs-name">招商知识助手</div>'
                    '<div class="zs-tagline">政策文件检索 · 县区指标查询 · 有出处的问答</div></div></div>')
            with gr.Column(scale=0, min_width=360):
                header_status = gr.HTML(elem_classes="zs-status-box")
                who = gr.HTML(elem_id="zs-user")
        with gr.Tabs(elem_id="zs-tabs"):
            with gr.Tab("问答", id="chat", elem_id="zs-tab-chat"):
                chat.build()
            with gr.Tab("知识库", id="kb", elem_id="zs-tab-kb"):
                knowledge.build(header_status)
            with gr.Tab("数据", id="figures", elem_id="zs-tab-figures"):
                figures.build(header_status)
                with gr.Accordion("季度考核排名", open=True, elem_id="zs-assess"):
                    assessment.build()
            with gr.Tab("台账", id="ledgers", elem_id="zs-tab-ledgers"):
                ledgers.build(header_status)
            with gr.Tab("起草", id="drafting", elem_id="zs-tab-drafting"):
                drafting.build()
            with gr.Tab("入职学习", id="learning", elem_id="zs-tab-learning"):
                learning.build()
        gr.HTML(f'<div class="zs-footer">招商知识助手 {esc(__version__)} · 演示文档与数据均为样例，'
                "不是正式公文或统计数据 · 没有来源的数字不出现</div>")
        demo.load(status, None, header_status, show_progress="hidden")
        demo.load(whoami, None, who, show_progress="hidden")
        write_controls = (knowledge.write_controls + figures.write_controls + ledgers.write_controls
                          + drafting.write_controls)
        demo.load(role_controls, None, write_controls, show_progress="hidden")
        demo.load(admin_controls, None, knowledge.admin_row, show_progress="hidden")
        knowledge.on_load(demo)
        figures.on_load(demo)
        assessment.on_load(demo)
        ledgers.on_load(demo)
        drafting.on_load(demo)
        learning.on_load(demo)
    demo.queue(default_concurrency_limit=4)
    return demo


def mount_ui(app: FastAPI, services: Services) -> FastAPI:
    """Serve the workbench at /ui (and send / there)."""
    css = resources.files("assistant") / "resources" / "ui.css"
    # Light-only page, [n] markers that scroll to their source, example questions that fill the question box.
    page_js = (resources.files("assistant") / "resources" / "ui.js").read_text(encoding="utf-8")
    def home(request: Request) -> RedirectResponse:
        return RedirectResponse(public(request.scope, f"{UI_PATH}/?__theme=light"))

    app.add_api_route("/", home, methods=["GET"], include_in_schema=False)
    blocks = build_ui(services)
    mounted = gr.mount_gradio_app(
        app, blocks, path=UI_PATH, theme=theme(), css_paths=[str(css)], js=page_js, footer_links=[],
        ssr_mode=False,
        show_error=False, pwa=False, mcp_server=False,
        auth_dependency=services.auth.username_for,  # the user RequireLogin resolved; None → Gradio answers 401
    )
    # Gradio checks that a file argument was uploaded by the user only once the Blocks "has launched", which
    # mount_gradio_app never sets: without this any server path could be passed to an event as a "file".
    blocks.has_launched = True
    return mounted
