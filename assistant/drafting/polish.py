"""LLM mode: a chat model rewrites body paragraphs for fluency; the numbers are locked.

A rewrite is kept only if (1) the number checker finds every number in it among the paragraph's
database figures and quoted passages, (2) each number is written exactly as in the template paragraph
or a quoted passage (no rounding, no 亿/万 re-scaling), and (3) no number of the template paragraph is
dropped. Otherwise the template paragraph stays and a warning says why. Paragraphs marked 【待补充】 and
headings are not sent. If the model fails, the remaining paragraphs keep the template wording.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING

from langchain_core.messages import HumanMessage, SystemMessage

from assistant.answer.agent import describe_failure
from assistant.answer.numbers import find_numbers, unsupported_numbers

from .sources import opening_of
from .templates import prompt_text
from .types import Draft, Paragraph

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

log = logging.getLogger(__name__)
MIN_CHARS = 20
MAX_GROWTH = 1.6  # a rewrite much longer than the template is adding content, not polishing it


def number_lock_problem(paragraph: Paragraph, rewrite: str) -> str | None:
    """Why a rewrite breaks the number lock, or None if every number is unchanged."""
    if not rewrite.strip():
        return "为空"
    if len(rewrite) > MAX_GROWTH * max(len(paragraph.text), 1):
        return "明显长于原段落，可能添加了原文没有的内容"
    if "【待补充" in rewrite:
        return "含有【待补充】标记"
    values = [f.value for f in paragraph.figures if f.value is not None]
    passages = [c.passage for c in paragraph.citations]
    flagged = unsupported_numbers(rewrite, values, passages + [paragraph.text])
    if flagged:
        return "出现了数据库和引用原文中都没有的数字：" + "、".join(flagged)
    written = [(m.value, m.percent) for m in find_numbers(paragraph.text + "\n" + "\n".join(passages))]
    changed = [m.text for m in find_numbers(rewrite) if (m.value, m.percent) not in written]
    if changed:
        return "改变了数字的写法：" + "、".join(changed)
    kept = [(m.value, m.percent) for m in find_numbers(rewrite)]
    dropped = [m.text for m in find_numbers(paragraph.text) if (m.value, m.percent) not in kept]
    if dropped:
        return "遗漏了数字：" + "、".join(dropped)
    return None


def _clean(reply: str) -> str:
    text = reply.strip().strip("“”\"「」")
    return re.sub(r"\s*\n\s*", "", text)


def polish(draft: Draft, model: BaseChatModel) -> Draft:
    """A copy of the draft whose body paragraphs the model has rewritten, where the numbers allow."""
    out = draft.model_copy(deep=True)
    out.mode = "llm"
    system = prompt_text("polish")
    for paragraph in out.paragraphs:
        if paragraph.kind != "body" or paragraph.placeholder or len(paragraph.text) < MIN_CHARS:
            continue
        try:
            reply = model.invoke([SystemMessage(system), HumanMessage(paragraph.text)])
        except Exception as exc:  # the model server: unreachable, HTTP errors, timeouts
            log.warning("rewrite failed: %s", exc, exc_info=True)
            out.warnings.append(f"大模型服务暂不可用（{describe_failure(exc)}），其余段落保留模板文字。")
            break
        rewrite = _clean(str(reply.content))
        problem = number_lock_problem(paragraph, rewrite)
        if problem:
            out.warnings.append(f"“{opening_of(paragraph)}”段的改写{problem}，已保留模板文字。")
            continue
        paragraph.text, paragraph.rewritten = rewrite, True
    return out
