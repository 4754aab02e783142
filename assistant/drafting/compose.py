"""Building blocks shared by the reply letter and the report: periods, numbering, paragraphs, topics."""

from __future__ import annotations

import re
from datetime import date

from assistant.answer.understand import Vocabulary
from assistant.db.periods import Period, parse_period
from assistant.db.session import FigureStore
from assistant.tools import city_total, lagging_regions, list_events, open_problems, project_stats

from .facts import (
    DOMESTIC,
    FOREIGN,
    Fact,
    as_of,
    attempt,
    events_fact,
    indicator_fact,
    join,
    laggards_fact,
    problems_fact,
    rates_fact,
)
from .measures import Measure
from .templates import phrase
from .types import Draft, Paragraph

CN_DIGITS = "零一二三四五六七八九"
# Topics a suggestion or a problem can touch, and the database figures that speak to each.
TOPICS: dict[str, re.Pattern[str]] = {
    "foreign": re.compile(r"外资|外商|境外|港澳|侨|FDI", re.I),
    "projects": re.compile(r"落地|开工|到位|帮办|代办|项目管家|后续服务|后扶|跟踪服务|履约"),
    "events": re.compile(r"推介|招商活动|会展|博览|展会"),
    "problems": re.compile(r"问题台账|堵点|难点|协调解决|要素保障"),
    "laggards": re.compile(r"考核|序时|进度|县区|均衡|不平衡"),
}


class NoPeriod(ValueError):
    pass


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十."""
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")


def cn_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def latest_period(store: FigureStore | None) -> Period | None:
    if store is None:
        return None
    latest = Vocabulary.load(store).latest
    return max(latest.values()) if latest else None


def figures_period(store: FigureStore | None, text: str | None) -> Period | None:
    """The period the draft's figures are for: the one asked for, else the newest in the database."""
    return parse_period(text) if text else latest_period(store)


def topics_of(text: str) -> list[str]:
    return [name for name, pattern in TOPICS.items() if pattern.search(text)]


def heading(text: str) -> Paragraph:
    return Paragraph(kind="heading1", text=text)


def fact_paragraph(fact: Fact, lead: str = "") -> Paragraph:
    return Paragraph(lead=lead, text=fact.text, figures=fact.figures)


def placeholder(text: str, lead: str = "") -> Paragraph:
    return Paragraph(lead=lead, text=text, placeholder=True)


def measure_paragraph(measures: list[Measure], lead: str, extra: Fact | None = None) -> Paragraph:
    """Quoted measures (one or more passages) plus, optionally, a sentence of database figures."""
    text = "".join(m.text for m in measures)
    figures = []
    if extra:
        text += extra.text
        figures = extra.figures
    return Paragraph(lead=lead, text=text, citations=[m.citation for m in measures], figures=figures)


def topic_fact(store: FigureStore | None, period: Period | None, topic: str) -> Fact:
    """The database figures that bear on one topic, as a sentence (empty when there are none)."""
    if store is None or period is None:
        return Fact()
    key = period.key
    if topic == "foreign":
        result = attempt(lambda: city_total(store, key, FOREIGN))
        fact = indicator_fact(result, "全市", target=False) if result else Fact()
        return join([Fact(f"{as_of(period)}，{fact.text}", fact.figures)]) if fact else Fact()
    if topic == "projects":
        stats = attempt(lambda: project_stats(store, key))
        return join([rates_fact(stats, period)]) if stats else Fact()
    if topic == "events":
        events = attempt(lambda: list_events(store, key))
        return join([events_fact(events, period.label.split("（")[0])]) if events else Fact()
    if topic == "problems":
        problems = attempt(lambda: open_problems(store))
        return join([problems_fact(problems)]) if problems else Fact()
    if topic == "laggards":
        lagging = attempt(lambda: lagging_regions(store, key, DOMESTIC))
        return join([laggards_fact(lagging)]) if lagging else Fact()
    return Fact()


def city_overview(store: FigureStore | None, period: Period | None) -> Fact:
    """“截至…，全市实际引进内资…，同比…，完成年度目标…的…；实际使用外资…”."""
    if store is None or period is None:
        return Fact()
    facts = []
    for metric, subject in ((DOMESTIC, "全市"), (FOREIGN, "")):
        result = attempt(lambda metric=metric: city_total(store, period.key, metric))  # type: ignore[misc]
        if result is not None:
            facts.append(indicator_fact(result, subject))
    body = join(facts)
    return Fact(f"{as_of(period)}，{body.text}", body.figures) if body else Fact()


def finish(draft: Draft) -> Draft:
    """Number citations across the whole draft, in reading order."""
    n = 0
    for paragraph in draft.paragraphs:
        for citation in paragraph.citations:
            n += 1
            citation.n = n
    return draft


def no_database_warning() -> str:
    return phrase("sections", "no_database")
