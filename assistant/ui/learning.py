"""The 入职学习 tab: the searchable glossary, indicator definitions (口径 and formulas), the reading path,
and quizzes with score, explanations and sources; results are stored per user. The tab only calls
assistant.onboarding's Course."""

from __future__ import annotations

import logging
from typing import Any

import gradio as gr

from assistant.onboarding.quiz import Question
from assistant.services import Services
from assistant.ui.html import notice
from assistant.ui.learning_view import (
    explanation_html,
    glossary_html,
    history_html,
    indicators_html,
    question_html,
    reading_html,
    score_html,
    search_terms,
)
from assistant.ui.session import workspace_of

log = logging.getLogger(__name__)

MAX_QUESTIONS = 10
QUIZ_SIZES = [3, 5, 10]


class QuizSlot:
    """One question's place on the page; shown, filled and locked as the quiz goes."""

    def __init__(self, index: int) -> None:
        with gr.Column(visible=False, elem_classes="zs-quiz-q", elem_id=f"zs-quiz-q{index + 1}") as self.group:
            self.prompt = gr.HTML()
            self.choice = gr.Radio(choices=[], show_label=False, visible=False, elem_classes="zs-quiz-choice")
            self.fill = gr.Textbox(show_label=False, placeholder="填写答案", max_length=100, visible=False,
                                   elem_classes="zs-quiz-fill")
            self.feedback = gr.HTML(visible=False)

    @property
    def components(self) -> list[Any]:
        return [self.group, self.prompt, self.choice, self.fill, self.feedback]


class LearningTab:
    def __init__(self, services: Services) -> None:
        self.services = services

    def build(self) -> None:
        with gr.Tabs(elem_id="zs-learn-tabs"):
            with gr.Tab("术语表", id="glossary", elem_id="zs-learn-glossary"):
                gr.Markdown("招商工作常用术语。人工整理的释义优先，其余取自文件中的定义原句；每条都注明出处，原文中的术语以黄色标出。",
                            elem_classes="zs-intro")
                query = gr.Textbox(show_label=False, placeholder="搜索术语或关键词，如：项目管家、序时进度、外资",
                                   elem_id="zs-glossary-query", max_length=40)
                glossary = gr.HTML(elem_id="zs-glossary")
            with gr.Tab("指标口径", id="indicators", elem_id="zs-learn-indicators"):
                gr.Markdown("每个指标统计什么、用什么单位；完成进度、序时进度、同比、开工率等怎样计算——"
                            "这里的公式就是数据工具计算时用的同一份。", elem_classes="zs-intro")
                indicators = gr.HTML(elem_id="zs-indicators")
            with gr.Tab("阅读路径", id="reading", elem_id="zs-learn-reading"):
                gr.Markdown("新同志按这个顺序读知识库里的关键文件；摘要是从文件中摘录的原句。", elem_classes="zs-intro")
                reading = gr.HTML(elem_id="zs-reading")
            with gr.Tab("测验", id="quiz", elem_id="zs-learn-quiz"):
                self._quiz()
        query.change(self.glossary, query, glossary, show_progress="hidden")
        self._load = (self.overview, [query], [glossary, indicators, reading, self.history_box])

    def _quiz(self) -> None:
        with gr.Row(equal_height=False):
            with gr.Column(scale=3, min_width=480):
                with gr.Row(elem_classes="zs-quiz-tools"):
                    size = gr.Radio(label="题目数量", choices=[(f"{n} 题", n) for n in QUIZ_SIZES], value=5,
                                    elem_id="zs-quiz-size", scale=2)
                    make = gr.Button("生成测验", variant="primary", elem_id="zs-quiz-make", scale=1, min_width=120)
                status = gr.HTML(notice("题目取自知识库中的术语定义和项目数据库中的数据，每题都附答案出处。点击“生成测验”开始。"),
                                 elem_id="zs-quiz-status")
                slots = [QuizSlot(i) for i in range(MAX_QUESTIONS)]
                submit = gr.Button("提交答卷", variant="primary", visible=False, elem_id="zs-quiz-submit")
                score = gr.HTML(elem_id="zs-quiz-result")
            with gr.Column(scale=1, min_width=260):
                gr.Markdown("#### 以往成绩", elem_classes="zs-side-title")
                self.history_box = gr.HTML(elem_id="zs-quiz-history-box")
        questions = gr.State([])
        slot_outputs = [c for slot in slots for c in slot.components]
        make.click(self.make_quiz, size, [questions, status, submit, score, *slot_outputs])
        answers = [slot.choice for slot in slots] + [slot.fill for slot in slots]
        feedback = [c for slot in slots for c in (slot.choice, slot.fill, slot.feedback)]
        submit.click(self.submit, [questions, *answers], [status, score, submit, self.history_box, *feedback])

    def on_load(self, demo: gr.Blocks) -> None:
        fn, inputs, outputs = self._load
        demo.load(fn, inputs, outputs, show_progress="hidden")

    # -- reading material
    def glossary(self, query: str, request: gr.Request) -> str:
        terms, problems = workspace_of(self.services, request).glossary()
        return glossary_html(search_terms(terms, query or ""), query or "", len(terms), problems)

    def overview(self, query: str, request: gr.Request) -> tuple[str, str, str, str]:
        workspace = workspace_of(self.services, request)
        return self.glossary(query, request), indicators_html(workspace.indicators()), reading_html(
            workspace.reading_path()), self.history(request)

    def history(self, request: gr.Request) -> str:
        return history_html(workspace_of(self.services, request).quiz_history())

    # -- quiz
    def make_quiz(self, size: int | None, request: gr.Request) -> tuple[Any, ...]:
        questions = workspace_of(self.services, request).quiz(n=min(int(size or 5), MAX_QUESTIONS))
        updates: list[Any] = []
        for i in range(MAX_QUESTIONS):
            if i >= len(questions):
                updates += [gr.Column(visible=False), "", gr.Radio(visible=False, value=None),
                            gr.Textbox(visible=False, value=""), gr.HTML(visible=False, value="")]
                continue
            q = questions[i]
            choice = q.kind == "choice"
            updates += [gr.Column(visible=True), question_html(i + 1, q),
                        gr.Radio(choices=q.options if choice else [], value=None, visible=choice, interactive=True),
                        gr.Textbox(value="", visible=not choice, interactive=True),
                        gr.HTML(visible=False, value="")]
        if not questions:
            status = notice("还不能出题：知识库和数据库中没有足够的素材。请先入库文件、导入数据。", "warn")
        else:
            status = notice(f"共 {len(questions)} 题，作答后点击“提交答卷”查看得分和解析。", "info")
        return questions, status, gr.Button(visible=bool(questions)), "", *updates

    def submit(self, questions: list[Question], request: gr.Request, *answers: Any) -> tuple[Any, ...]:
        workspace = workspace_of(self.services, request)
        choices, fills = answers[:MAX_QUESTIONS], answers[MAX_QUESTIONS:]
        given = [str((choices[i] if q.kind == "choice" else fills[i]) or "").strip() for i, q in enumerate(questions)]
        missing = [str(i + 1) for i, g in enumerate(given) if not g]
        skip = (gr.skip(),) * (3 * MAX_QUESTIONS)
        if not questions:
            return notice("请先生成测验。", "warn"), gr.skip(), gr.skip(), gr.skip(), *skip
        if missing:
            return (notice(f"第 {'、'.join(missing)} 题还没有作答，请作答后再提交。", "warn"), gr.skip(), gr.skip(),
                    gr.skip(), *skip)
        score, marks = workspace.submit_quiz(questions, given)
        updates: list[Any] = []
        for i in range(MAX_QUESTIONS):
            if i >= len(questions):
                updates += [gr.skip(), gr.skip(), gr.skip()]
                continue
            updates += [gr.Radio(interactive=False), gr.Textbox(interactive=False),
                        gr.HTML(explanation_html(questions[i], given[i], marks[i]), visible=True)]
        status = notice(f"已提交：得分 {score} / {len(questions)}，各题解析见下方。可以点击“生成测验”再做一套。", "info")
        return status, score_html(score, len(questions)), gr.Button(visible=False), self.history(request), *updates
