"""The 问答 tab: streamed answers, the sources panel and figures table beside them, 需核对 marks, glossary
terms linked to their definitions, copy, 👍/👎 feedback with an optional comment, example questions,
clearing, and follow-up questions."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import gradio as gr

from assistant.answer.declines import EXAMPLES
from assistant.answer.types import Answer
from assistant.errors import QuestionTooLong, RateLimited
from assistant.feedback import MAX_COMMENT_CHARS
from assistant.onboarding.glossary import Term
from assistant.services import Services
from assistant.ui.answer_view import (
    answer_message,
    bubble_text,
    figures_html,
    sources_html,
    streaming_message,
)
from assistant.ui.html import notice
from assistant.ui.session import workspace_of
from assistant.workspace import Workspace

log = logging.getLogger(__name__)

MAX_HISTORY = 20
# Copies through the Clipboard API where the page is a secure context (localhost, https); staff usually
# open the server by its intranet address over http, where only the older execCommand works.
COPY_JS = """(text) => {
  if (!text) { return; }
  const fallback = () => {
    const area = document.createElement('textarea');
    area.value = text; area.style.position = 'fixed'; area.style.opacity = '0';
    document.body.appendChild(area); area.select(); document.execCommand('copy'); area.remove();
  };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(text).catch(fallback);
  } else { fallback(); }
}"""


@dataclass
class Turn:
    question: str
    answer: Answer | None  # None when answering failed


Messages = list[dict[str, Any]]


class ChatTab:
    def __init__(self, services: Services) -> None:
        self.services = services

    @staticmethod
    def _terms(workspace: Workspace) -> list[Term]:
        try:
            return workspace.glossary()[0]
        except Exception:  # the answer matters more than its term links
            log.exception("building the glossary for term links failed")
            return []

    def build(self) -> None:
        with gr.Row(equal_height=False):
            with gr.Column(scale=3, min_width=420):
                chatbot = gr.Chatbot(
                    label="对话", elem_id="zs-chat", height=560, buttons=[], feedback_options=("Like", "Dislike"),
                    placeholder="<div class='zs-placeholder'><b>您好，我是招商知识助手。</b><br>"
                                "可以问政策文件里怎么规定的，也可以问各县区的指标数据；"
                                "每个数字都注明来源，每句引文都能核对原文。</div>",
                )
                with gr.Row(elem_classes="zs-ask-row"):
                    question = gr.Textbox(
                        show_label=False, placeholder="输入问题，按回车发送。例如：汉阴县一季度外商直接投资完成进度？",
                        max_length=self.services.settings.max_question_chars, lines=1, max_lines=4, scale=8, elem_id="zs-question",
                        autofocus=True,
                    )
                    send = gr.Button("发送", variant="primary", scale=1, min_width=80, elem_id="zs-send")
                with gr.Row(elem_classes="zs-examples"):
                    gr.HTML("<span class='zs-examples-label'>试试这些问题：</span>", padding=False)
                    example_buttons = [gr.Button(q, size="sm", variant="secondary", elem_classes="zs-example")
                                       for q in EXAMPLES]
                with gr.Row(elem_classes="zs-actions"):
                    copy = gr.Button("复制最新回答", size="sm", elem_id="zs-copy")
                    clear = gr.Button("清空对话", size="sm", elem_id="zs-clear")
                with gr.Column(visible=False, elem_id="zs-feedback") as feedback_row:
                    thanks = gr.HTML()
                    with gr.Row(equal_height=True):
                        comment = gr.Textbox(show_label=False, placeholder="补充说明（可选），如：哪一处不对、应引用哪份文件",
                                             max_length=MAX_COMMENT_CHARS, scale=5, elem_id="zs-comment")
                        save_comment = gr.Button("提交说明", scale=1, min_width=100)
            with gr.Column(scale=2, min_width=340, elem_classes="zs-side"):
                gr.Markdown("#### 引用来源", elem_classes="zs-side-title")
                sources = gr.HTML(sources_html(None), elem_id="zs-sources", elem_classes="zs-panel")
                gr.Markdown("#### 数据及来源", elem_classes="zs-side-title")
                figures = gr.HTML(figures_html(None), elem_id="zs-figures", elem_classes="zs-panel")
        turns = gr.State([])
        feedback_id = gr.State(None)
        copy_text = gr.Textbox(visible="hidden", elem_id="zs-copy-text")

        outputs = [question, chatbot, turns, sources, figures, copy_text, feedback_row]
        question.submit(self.respond, [question, chatbot, turns], outputs, show_progress="hidden")
        send.click(self.respond, [question, chatbot, turns], outputs, show_progress="hidden")
        for button, text in zip(example_buttons, EXAMPLES, strict=True):
            button.click(lambda q=text: q, None, question, show_progress="hidden").then(
                self.respond, [question, chatbot, turns], outputs, show_progress="hidden")
        clear.click(self.clear, None, outputs, show_progress="hidden")
        chatbot.clear(self.clear, None, outputs, show_progress="hidden")  # the chatbot's own 🗑 button
        copy.click(None, copy_text, None, js=COPY_JS).then(
            lambda text: gr.Info("已复制到剪贴板") if text else gr.Warning("还没有可复制的回答"), copy_text, None)
        chatbot.like(self.rate, turns, [feedback_id, thanks, comment, feedback_row], show_progress="hidden")
        chatbot.select(self.show_turn, turns, [sources, figures], show_progress="hidden")
        save_comment.click(self.comment, [feedback_id, comment], [thanks, comment], show_progress="hidden")
        comment.submit(self.comment, [feedback_id, comment], [thanks, comment], show_progress="hidden")

    def respond(self, question: str, messages: Messages, turns: list[Turn], request: gr.Request
                ) -> Iterator[tuple[Any, ...]]:
        workspace = workspace_of(self.services, request)
        question = (question or "").strip()
        if not question:
            gr.Warning("请输入问题。")
            yield (gr.skip(),) * 7
            return
        history = [t.question for t in turns][-MAX_HISTORY:]
        try:
            items = workspace.stream(question, history)
        except QuestionTooLong as exc:  # past the input box's own limit: a scripted client
            gr.Warning(str(exc))
            yield (gr.skip(),) * 7
            return
        except RateLimited as exc:  # said in the conversation, where the officer is looking
            messages = [*messages, {"role": "user", "content": bubble_text(question)},
                        {"role": "assistant", "content": bubble_text(str(exc))}]
            yield "", messages, [*turns, Turn(question, None)], gr.skip(), gr.skip(), gr.skip(), gr.skip()
            return
        messages = [*messages, {"role": "user", "content": bubble_text(question)},
                    {"role": "assistant", "content": "正在检索……"}]
        hidden = gr.Column(visible=False)
        yield "", messages, turns, gr.skip(), gr.skip(), gr.skip(), hidden
        answer: Answer | None = None
        partial = ""
        try:
            for item in items:
                if isinstance(item, Answer):
                    answer = item
                elif item:
                    partial += item
                    messages[-1] = {"role": "assistant", "content": streaming_message(partial)}
                    yield "", messages, turns, gr.skip(), gr.skip(), gr.skip(), hidden
        except Exception as exc:  # the user should see a message, not a spinner that never stops
            log.exception("answering in the workbench failed")
            messages[-1] = {"role": "assistant", "content": f"回答生成出错（{type(exc).__name__}），请稍后重试。"}
            yield "", messages, [*turns, Turn(question, None)], gr.skip(), gr.skip(), gr.skip(), hidden
            return
        if answer is None:  # a stream always ends with its Answer; guard against a silent end
            answer = Answer(answer=partial or "没有得到回答，请重试。")
        at = len(turns)  # this answer's position: its [n] markers and its source cards carry it
        messages[-1] = {"role": "assistant", "content": answer_message(answer, self._terms(workspace), at)}
        turns = [*turns, Turn(question, answer)]
        yield "", messages, turns, sources_html(answer, at), figures_html(answer), answer.plain_text(), hidden

    @staticmethod
    def clear() -> tuple[Any, ...]:
        return "", [], [], sources_html(None), figures_html(None), "", gr.Column(visible=False)

    @staticmethod
    def _at(turns: list[Turn], index: Any) -> int | None:
        position = index[0] if isinstance(index, list | tuple) else index
        if not isinstance(position, int) or position % 2 != 1 or position // 2 >= len(turns):
            return None  # only the assistant's messages (odd positions) carry an answer
        return position // 2

    @classmethod
    def _turn(cls, turns: list[Turn], index: Any) -> Turn | None:
        at = cls._at(turns, index)
        return None if at is None else turns[at]

    def show_turn(self, turns: list[Turn], evt: gr.SelectData) -> tuple[Any, Any]:
        at = self._at(turns, evt.index)
        answer = None if at is None else turns[at].answer
        if answer is None:
            return gr.skip(), gr.skip()
        return sources_html(answer, at), figures_html(answer)

    def rate(self, turns: list[Turn], evt: gr.LikeData, request: gr.Request) -> tuple[Any, ...]:
        turn = self._turn(turns, evt.index)
        if turn is None or turn.answer is None or not isinstance(evt.liked, bool):
            return None, gr.skip(), gr.skip(), gr.Column(visible=False)
        position = evt.index[0] if isinstance(evt.index, list | tuple) else evt.index
        earlier = [t.question for t in turns[: position // 2]][-MAX_HISTORY:]
        row_id = workspace_of(self.services, request).feedback(evt.liked, turn.question, earlier, turn.answer)
        verdict = "有帮助" if evt.liked else "需要改进"
        text = notice(f"已记录您的评价（{verdict}），谢谢！可以补充说明，帮助我们改进：", "ok")
        return row_id, text, "", gr.Column(visible=True)

    def comment(self, feedback_id: int | None, text: str, request: gr.Request) -> tuple[Any, Any]:
        if feedback_id is None:
            return notice("请先点击回答下方的 👍 或 👎。", "warn"), gr.skip()
        if not (text or "").strip():
            return notice("说明为空，未提交。", "warn"), gr.skip()
        workspace_of(self.services, request).comment(feedback_id, text)
        return notice("说明已提交，谢谢！", "ok"), ""
