"""LLM mode: paragraphs are rewritten by a (scripted) chat model, and any rewrite that changes a number is
rejected in favour of the template paragraph. No real model is ever reached."""

from __future__ import annotations

from datetime import date

from langchain_core.messages import BaseMessage

from assistant.answer.numbers import unsupported_numbers
from assistant.db.session import FigureStore
from assistant.drafting import ReportRequest, draft_report
from assistant.index.kb import KnowledgeBase
from tests.llm.fakes import ScriptedChatModel

REQUEST = ReportRequest(period="2023Q1", date=date(2023, 4, 7), table=False)


def rewrite(messages: list[BaseMessage]) -> str:
    text = str(messages[-1].content)
    if "381.47亿元" in text:
        return text.replace("381.47亿元", "391.47亿元")  # a made-up figure
    if "开工率91.3%" in text:
        return text.replace("，开工率91.3%", "")  # a dropped figure
    if "15.38个百分点" in text:
        return text.replace("15.38个百分点", "15.4个百分点")  # a rounded figure
    return "经认真梳理，" + text


def test_rewrites_keep_every_number_or_are_rejected(kb: KnowledgeBase, store: FigureStore) -> None:
    model = ScriptedChatModel(script=[rewrite] * 40)
    draft = draft_report(REQUEST, kb, store, chat_model=model)
    assert draft.mode == "llm"
    assert str(model.received[0][0].content).startswith("你是党政机关公文写作助手")
    by_number = {key: next(p for p in draft.paragraphs if key in p.text)
                 for key in ("381.47亿元", "开工率91.3%", "15.38个百分点")}
    assert not any(p.rewritten for p in by_number.values())
    warnings = "\n".join(draft.warnings)
    assert "数据库和引用原文中都没有的数字：391.47亿" in warnings
    assert "遗漏了数字：91.3%" in warnings
    assert "改变了数字的写法：15.4个百分点" in warnings
    rewritten = [p for p in draft.paragraphs if p.rewritten]
    assert len(rewritten) >= 5 and all(p.text.startswith("经认真梳理，") for p in rewritten)
    assert not any(p.rewritten for p in draft.paragraphs if p.kind != "body" or p.placeholder)
    for p in draft.paragraphs:
        values = [f.value for f in p.figures if f.value is not None]
        assert unsupported_numbers(p.text, values, [c.passage for c in p.citations]) == [], p.text


def test_a_failing_model_leaves_the_template_draft(kb: KnowledgeBase, store: FigureStore) -> None:
    model = ScriptedChatModel(script=[RuntimeError("connection refused")])
    draft = draft_report(REQUEST, kb, store, chat_model=model)
    assert len(model.received) == 1
    assert not any(p.rewritten for p in draft.paragraphs)
    assert draft.warnings[-1] == "大模型服务暂不可用（调用出错：RuntimeError），其余段落保留模板文字。"
