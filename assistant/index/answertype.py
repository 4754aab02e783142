"""The kind of answer a question asks for, and whether a passage states one of that kind. Pure: no I/O.

"多长时间内移交" wants a time limit (5个工作日内), "什么时候生效" a date (2025年5月1日起施行). Passages on the same rule read
alike (the same article's words, its neighbours in the same chapter); the one that states a limit or a date is the
one that can answer. Four kinds, each unmistakable in the question's wording: a date, a span of time (a deadline or
a time limit), what a term means (电子印章指什么: the passage saying 本规定所称电子印章，是指…) and a place in an order
(在全国排第几: 居全国第3位). A question about an
amount (多少亿元) is not one of them: nearly every passage of a report or a regulation states some number. For it,
`figure_coverage` reads where the number stands: the share of the question's words in one clause that states a
figure (棉花产量多少: 棉花总产616.5万吨, not a sentence on cotton that gives no figure of it).
"""

from __future__ import annotations

import re

NUMBER = r"(?:\d+|[一二两三四五六七八九十百]+)"
DATE_ASKED = re.compile(r"什么时候|何时|哪天|哪一天|什么日期|几月几[日号]")
DATE = re.compile(r"(?:\d{4}|[〇零一二三四五六七八九]{4})\s*年\s*" + NUMBER + r"\s*月\s*" + NUMBER + r"\s*[日号]")
SPAN_ASKED = re.compile(r"多长时间|多久|多少天|几天|多少日|几日|多少个?工作日|几个工作日|几个月|多少个月|几年|多少年|最晚|最长|期限")
# a time limit: a number of days, months or years with what bounds it (10日前, 5个工作日内, 三年内, 满3年后)
SPAN = re.compile(NUMBER + r"\s*个?\s*(?:工作日|日|天|个月|年|周)\s*(?:内|前|以内|以上|以下|后)")

# what a term means (电子印章指什么, 平台内经营者是谁, 怎么界定): the passage that defines it (本条例所称…是指…)
DEFINITION_ASKED = re.compile(r"指的?是?(?:啥|什么|谁|哪些)|是指|什么是|怎么界定|如何界定|怎么定义|如何定义|定义|含义|什么意思")
DEFINITION = re.compile(r"是指|系指|所称|指的是")

# a place in an order (在全国排第几, 第几名, 名次): the passage stating one (居全国第3位, 全国排名第八, 位列第二)
POSITION_ASKED = re.compile(r"排(?:在|到)?第几|第几(?:位|名)|名次|位次|排名(?:多少|怎么样|如何)")
POSITION = re.compile(r"(?:居|排名?|位列|列|位居)[^，。；、]{0,6}第\s*[一二三四五六七八九十\d]+|第\s*[一二三四五六七八九十\d]+\s*位"
                      r"|首位|榜首|前列")

PATTERNS = {"date": DATE, "span": SPAN, "definition": DEFINITION, "position": POSITION}
ASKED = (("date", DATE_ASKED), ("span", SPAN_ASKED), ("definition", DEFINITION_ASKED), ("position", POSITION_ASKED))


def asked_kinds(question: str) -> tuple[str, ...]:
    """The kinds of answer a question asks for: "date", "span", "definition", several (最晚什么时候提) or none."""
    return tuple(kind for kind, asked in ASKED if asked.search(question))


def states(kinds: tuple[str, ...], text: str) -> bool:
    """Whether `text` states an answer of one of `kinds` ("date": a full date; "span": a time limit)."""
    return any(PATTERNS[kind].search(text) is not None for kind in kinds)


# a question asking for an amount, a count, a share or a rank (罚多少, 多大, 几家, 占比, 排第几, 增长了多少)
AMOUNT_ASKED = re.compile(r"多少|多大|多高|多重|几(?:个|家|项|倍|成|名|位|次|万|亿|千|百)|第几|比重|占比|多快|增速|增幅")
# a figure in a clause: digits, or a Chinese numeral with a unit (十五日, 三个, 两倍)
FIGURE = re.compile(r"\d|[一二两三四五六七八九十百千万]+\s*(?:个|家|项|倍|成|名|位|次|日|天|年|月|元|万|亿|人|户|吨|%|％|千瓦|公里)")
CLAUSE = re.compile(r"[，,；;。！!？?：:\n]")


def amount_asked(question: str) -> bool:
    return AMOUNT_ASKED.search(question) is not None


def figure_coverage(words: set[str], text: str, others: dict[str, list[str]] | None = None) -> float:
    """Share of `words` (lower case) found in the one clause of `text` that states a figure and holds most of them
    (a word also counts when the clause writes its term another way, `others`); 0 when no clause states one."""
    if not words:
        return 0.0
    others = others or {}
    best = 0
    for clause in CLAUSE.split(text.lower()):
        if FIGURE.search(clause):
            best = max(best, sum(1 for w in words if w in clause or any(o in clause for o in others.get(w, ()))))
    return best / len(words)
