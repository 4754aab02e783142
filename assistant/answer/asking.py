"""How a policy question is phrased, apart from what it is about: which of its words only phrase the asking (进展到
啥程度, 排第一的是哪个) and which passages that phrasing prefers (the latest state of a thing, a named position)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")

# A question asking how far a thing has got (进展到啥程度了, 推进到哪一步, 建到什么阶段, 进展如何): the phrase asks for
# its state; a passage stating that state (进入招标准备阶段) need not write 进展 or 程度.
PROGRESS = re.compile(r"(?:进展|推进|进行|发展|建设|落实|办|建|搞|走|做)?(?:到|得)了?(?:什么|啥|哪一?|怎样的?)(?:个)?(?:程度|地步|阶段|步)了?"
                      r"|(?:进展|进度)(?:如何|怎么样|怎样|情况)")
# …with no time named, or the time named being now or the year's end: the latest document states it (a reply of July
# says the plan is 报备审核中, January's summary that it passed); a question naming another time (7月份的时候) keeps
# the passages in the order they match it.
TIME_NAMED = re.compile(r"\d{1,2}\s*月|[一二三四五六七八九十]{1,2}月|[一二三四]季度|上半年|下半年|年初|当时|那时|之前|以前")
NOW_NAMED = re.compile(r"年底|年末|目前|现在|眼下|最新|最近|如今|截至目前")


def without_progress(question: str) -> str:
    """The question with its how-far-has-it-got phrase blanked: those words are how it asks, not what about."""
    return PROGRESS.sub("，", question)


def asks_latest_state(question: str) -> bool:
    """Whether the question asks how far a thing has got as of now (or the year's end)."""
    if PROGRESS.search(question) is None:
        return False
    return NOW_NAMED.search(question) is not None or TIME_NAMED.search(question) is None


def latest_first(items: Sequence[T], issued: Callable[[T], str]) -> list[T]:
    """`items` ordered by the date their document was issued, latest first (stable for equal dates; undated last)."""
    return sorted(items, key=lambda item: issued(item) or "", reverse=True)


# A question asking who or which holds a position (排第一的是哪个市, 投资最大的是哪个项目).
ASKS_WHICH_ONE = re.compile(r"哪个|哪家|哪一|哪位|是谁|什么项目|哪些|哪几")
ASKED_POSITION = re.compile(r"(倒数)?第\s*([一二三1-3])(?!\s*季度|\d)|最([大多高快好少低小慢差早先晚])")
_TOP = ("首位", "居首", "之首", "第一", "第1", "领先")
_FIRST = ("最早", "最先", "率先", "首家", "首个", "首批", "第一家", "第一个", "第一批")


def position_forms(question: str) -> list[str]:
    """The words a sentence answering a which-question about a position must use (第一 → 第一, 首位, 居首…;
    最大 → 最大, 第一…); [] when the question asks no position of a which-question."""
    m = ASKED_POSITION.search(question)
    if m is None or not ASKS_WHICH_ONE.search(question):
        return []
    if m.group(1):
        return ["倒数", "最后", "末位", "垫底"]
    if m.group(2):
        n = m.group(2)
        number = {"一": "1", "二": "2", "三": "3"}.get(n, n)
        cn = {"1": "一", "2": "二", "3": "三"}[number]
        return [f"第{cn}", f"第{number}"] + (list(_TOP) if number == "1" else [])
    word = f"最{m.group(3)}"
    # (哪一家成立得最早: a sentence saying which came first — 最早, 率先, 首家 — not one counting them all)
    return [word] + (list(_TOP) if m.group(3) in "大多高快好" else list(_FIRST) if m.group(3) in "早先" else [])


# A clause that asks (多少, 排第几, 有没有, 哪个, 呢), as against one setting the scene (高新在建的那几个项目).
ASKING_CLAUSE = re.compile(r"多少|(?<![那这好])几|哪|谁|吗|么|啥|如何|怎样|是否|有没有|[有没]没|排名|名次|呢$|没有?$")


def asking_clauses(question: str) -> list[str]:
    """The question cut where one asking clause ends and the next begins (上半年高新外资到位多少 / 比序时落后几个点);
    a clause that asks nothing goes with the asking clause after it (高新在建的那几个项目，今年到位了多少钱 is one),
    one trailing the last asking clause with that clause."""
    parts: list[str] = []
    pending = ""
    for clause in re.split(r"[，,；;？?。！!]", question):
        if not clause.strip():
            continue
        pending = f"{pending}，{clause}" if pending else clause
        if ASKING_CLAUSE.search(clause):
            parts.append(pending)
            pending = ""
    if pending and parts:
        parts[-1] = f"{parts[-1]}，{pending}"
    return parts or [question]
