"""The workbench page (Gradio), mounted inside the FastAPI app so API and UI share one port and one
AppState. The tabs only call the library; see chat.py, knowledge.py, figures.py, drafting.py and
learning.py."""

from __future__ import annotations

from importlib import resources
from typing import Any

import gradio as gr
from fastapi import FastAPI
from fastapi.responses import RedirectResponse

from assistant import __version__
from assistant.api_routes.deps import AppState
from assistant.auth.users import User
from assistant.index.kb import visible_documents
from assistant.onboarding.course import Course
from assistant.ui.chat import ChatTab
from assistant.ui.drafting import DraftingTab
from assistant.ui.feedback import FeedbackStore
from assistant.ui.figures import FiguresTab
from assistant.ui.html import esc
from assistant.ui.knowledge import KnowledgeTab
from assistant.ui.learning import LearningTab
from assistant.ui.paths import UI_PATH

# Fonts the staff's machines have (Windows, macOS, Linux desktops): nothing is fetched from the internet,
# so the page works on an intranet without outside access.
FONTS = ["Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "WenQuanYi Micro Hei", "Source Han Sans SC",
         "system-ui", "sans-serif"]
MONO_FONTS = ["Consolas", "Menlo", "Noto Sans Mono CJK SC", "monospace"]
# The page is designed light (print-like tables, yellow highlights); a dark desktop setting must not flip it.
LIGHT_ONLY_JS = "() => { document.body.classList.remove('dark'); }"


def theme() -> gr.themes.Base:
    return gr.themes.Default(primary_hue="blue", neutral_hue="slate", radius_size="sm", font=FONTS,
                             font_mono=MONO_FONTS).set(
        body_background_fill="#f4f6f9", block_border_width="1px", block_shadow="none",
        button_primary_background_fill="#1f5fa8", button_primary_background_fill_hover="#174d8c",
    )


def user_html(user: User | None, local: bool) -> str:
    if user is None:
        return ""
    if local:
        return '<div class="zs-user">本机单用户模式（未启用登录）</div>'
    return (f'<div class="zs-user"><span>{esc(user.describe())}</span>'
            '<a href="/logout" id="zs-logout">退出登录</a></div>')


def status_html(state: AppState, user: User | None) -> str:
    """Counts only what this user may see: an uncleared user does not learn how many 内部 documents exist."""
    visible = visible_documents(state.kb, user.access.classes if user else ())
    docs, chunks = len(visible), sum(r.n_chunks for r in visible)
    store = state.assistant.store
    database = "项目数据库已就绪" if store is not None else "项目数据库未导入"
    mode = "大模型模式" if state.assistant.mode == "llm" else "有据模式（离线）"
    return (f'<div class="zs-status"><span>知识库 {docs:,} 个文档、{chunks:,} 个片段</span><span>{esc(database)}</span>'
            f'<span>{esc(mode)}</span><a href="/docs" target="_blank">接口文档</a></div>')


def build_ui(state: AppState) -> gr.Blocks:
    feedback = FeedbackStore(state.settings.data_dir / "feedback.sqlite")
    def status(request: gr.Request) -> str:
        return status_html(state, state.auth.user_named(request.username))

    def whoami(request: gr.Request) -> str:
        return user_html(state.auth.user_named(request.username), state.auth.local)

    def role_controls(request: gr.Request) -> list[Any]:
        """Upload, import and drafting buttons are greyed out for county accounts (the handlers refuse too)."""
        user = state.auth.user_named(request.username)
        allowed = user is not None and user.can_write
        return [gr.Button(interactive=allowed) for _ in write_controls]

    # One course per app: its glossary is cached and rebuilt only when the knowledge base changes.
    course = Course(state.settings, state.kb, state.assistant.store)
    chat = ChatTab(state.assistant, feedback, state.auth, glossary=lambda access: course.glossary(access)[0])
    knowledge, figures = KnowledgeTab(state, status), FiguresTab(state.assistant, state.auth, status)
    drafting, learning = DraftingTab(state), LearningTab(course, state.assistant, state.auth)
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
            with gr.Tab("起草", id="drafting", elem_id="zs-tab-drafting"):
                drafting.build()
            with gr.Tab("入职学习", id="learning", elem_id="zs-tab-learning"):
                learning.build()
        gr.HTML(f'<div class="zs-footer">招商知识助手 {esc(__version__)} · 演示文档与数据均为样例，'
                "不是正式公文或统计数据 · 没有来源的数字不出现</div>")
        demo.load(status, None, header_status, show_progress="hidden")
        demo.load(whoami, None, who, show_progress="hidden")
        write_controls = knowledge.write_controls + figures.write_controls + drafting.write_controls
        demo.load(role_controls, None, write_controls, show_progress="hidden")
        knowledge.on_load(demo)
        figures.on_load(demo)
        drafting.on_load(demo)
        learning.on_load(demo)
    demo.queue(default_concurrency_limit=4)
    return demo


def mount_ui(app: FastAPI, state: AppState) -> FastAPI:
    """Serve the workbench at /ui (and send / there)."""
    css = resources.files("assistant") / "resources" / "ui.css"
    app.add_api_route("/", lambda: RedirectResponse(f"{UI_PATH}/?__theme=light"), methods=["GET"], include_in_schema=False)
    blocks = build_ui(state)
    mounted = gr.mount_gradio_app(
        app, blocks, path=UI_PATH, theme=theme(), css_paths=[str(css)], js=LIGHT_ONLY_JS, footer_links=[],
        ssr_mode=False,
        show_error=False, pwa=False, mcp_server=False,
        auth_dependency=state.auth.username_for,  # the user RequireLogin resolved; None → Gradio answers 401
    )
    # Gradio checks that a file argument was uploaded by the user only once the Blocks "has launched", which
    # mount_gradio_app never sets: without this any server path could be passed to an event as a "file".
    blocks.has_launched = True
    return mounted
