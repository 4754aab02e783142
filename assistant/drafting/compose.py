"""Building blocks shared by the reply letter and the report: periods, numbering, paragraphs, topics."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select

from assistant.answer.understand import Vocabulary
from assistant.db.models import Indicator
from assistant.db.periods import Period, parse_period
from assistant.db.session import FigureStore
from assistant.tools import city_total, lagging_regions, list_events, project_stats
from assistant.tools.types import cn_date

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
    problems_as_of,
    problems_fact,
    rates_fact,
)
from .measures import Measure
from .templates import phrase
from .types import Draft, Paragraph

DATA_LAG_DAYS = 62  # monthly figures arrive about a month after the month ends; later than two months is worth a word
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


def latest_period(store: FigureStore | None) -> Period | None:
    if store is None:
        return None
    latest = Vocabulary.load(store).latest
    return max(latest.values()) if latest else None


def figures_period(store: FigureStore | None, text: str | None) -> Period | None:
    """The period the draft's figures are for: the one asked for, else the newest in the database."""
    return parse_period(text) if text else latest_period(store)


def data_periods(store: FigureStore) -> list[Period]:
    """Every period the indicator table has rows for (内资 or 外资), oldest first."""
    with store.session() as session:
        rows = session.execute(select(Indicator.year, Indicator.end_month)
                               .where(Indicator.metric.in_((DOMESTIC, FOREIGN))).distinct()).all()
    return sorted(Period(int(y), int(m)) for y, m in rows)


def period_as_of(store: FigureStore | None, day: date) -> Period | None:
    """The newest period with data that had ended by `day` (a letter written on 28 July 2023 uses the
    figures to the end of June, or of July only once July is over)."""
    if store is None:
        return None
    ended = [p for p in data_periods(store) if p.end <= day]
    return ended[-1] if ended else None


def quarter_start(period: Period) -> date:
    """The first day of the last quarter (or month) a cumulative period adds: a Q2 report's 工作进展 is about
    April–June, a 1-7月 report's about July."""
    months = 3 if period.month % 3 == 0 else 1
    return date(period.year, period.month - months + 1, 1)


def time_warnings(store: FigureStore | None, period: Period | None, day: date, asked: bool) -> list[str]:
    """Warnings about the draft's dates: data newer than the letter, no data yet on the letter's date, or
    the latest data lagging well behind it."""
    if store is None:
        return []
    stamp = cn_date(day)
    if period is None:
        known = data_periods(store)
        first = f"（最早为{known[0].label}）" if known else ""
        return [f"成文日期{stamp}时数据库中还没有已结束期间的数据{first}，草稿中未写入数据，已标注【待补充】；请核对成文日期。"]
    out = []
    if asked and period.end > day:
        out.append(f"所选数据期间{period.label}在成文日期{stamp}之后才结束，答复函引用的数字可能是成文时还没有的数据，请核对数据期间或成文日期。")
    lag = (day - period.end).days
    if lag > DATA_LAG_DAYS:
        out.append(f"数据库中成文日期前最新的数据截至{cn_date(period.end)}，比成文日期{stamp}早{lag}天；"
                   "如有更新的数据，请先导入后再起草。")
    return out


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
        problems = attempt(lambda: problems_as_of(store, period.end))
        return join([problems_fact(problems, period.end)]) if problems else Fact()
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
