"""The time a question asks about and the time a passage speaks of. Pure: no I/O.

A 政府工作报告 tells the same figure for several times: 过去一年 (2025年), 这五年 (the 十四五 period), 今年 (the plan for
2026), the 十五五 period. Passages about each read alike (the same indicator, the same words), so a question about
去年's GDP finds the five-year passage as readily as the right one. What tells them apart is the time each passage
is about: the time expression it opens with (过去五年，…; 刚刚过去的2025年，…; 今年是…), else that of its nearest
section heading (三、2026年主要工作; 一、“十四五”时期经济社会发展回顾). A question names its time the same ways
(去年, 2025年, “十四五”期间, 五年里). Relative words are read from the document's own year (its title's or date's).

Each time is a span of years (one year: start == end). A passage matches the question when one of its times is one
the question asks about, or, for a question about a point in time (到2025年, “十四五”末, 2025年底), when one of
its spans ends there; it conflicts when it has a time and none matches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.numerals import chinese_value, number_value

PLAN = re.compile(r"“?([一二三四五六七八九]|十[一二三四五六七八九]?)五”?")  # the n-th five-year plan: “十四五”
YEAR = r"((?:19|20)\d{2})"
YEAR_RANGE = re.compile(YEAR + r"\s*年?\s*(?:[-—–~～至到]|－)\s*" + YEAR + r"\s*年")
YEAR_WRITTEN = re.compile(YEAR + r"\s*年(?!代)")
# a number of years counted back from the document's year (过去五年, 这五年, 五年来, 近三年), or forward (未来五年)
COUNT = r"(十?[一两二三四五六七八九]|十|\d{1,2})"
YEARS_BACK = re.compile(r"(?:过去的?|这|近|前)\s*" + COUNT + r"\s*年|" + COUNT + r"\s*年(?:来|以来|里|间)")
YEARS_AHEAD = re.compile(r"(?:未来|今后|后)\s*" + COUNT + r"\s*年")
THIS_YEAR = re.compile(r"今年|本年度?")
LAST_YEAR = re.compile(r"去年|上年|上一年|过去一年|一年来|刚刚过去的一年")
NEXT_YEAR = re.compile(r"明年")
# a point in time: the end of a span (到2025年, 截至2025年底, 2025年末, “十四五”末)
UNTIL_BEFORE = re.compile(r"(?:到|至|截至|截止到?)\s*$")
UNTIL_AFTER = re.compile(r"^\s*(?:年)?(?:末|底)")
LEAD_STOP = re.compile(r"[，,。；;：:！!？?]")
SALUTATION = re.compile(r"^\s*各位代表[！!，,]\s*")
LEAD_CHARS = 24
SENTENCE = re.compile(r"(?<=[。！？!?；;\n])")
SENTENCE_PREFIX = re.compile(r"^[\s—\-－“]*(?:刚刚过去的|过去的|截至|截止|到)?")


@dataclass(frozen=True)
class Time:
    start: int
    end: int  # inclusive; start == end: one year
    until: bool = False  # asked as a point in time (到2025年, “十四五”末): a span ending there also answers


def plan_years(name: str) -> tuple[int, int] | None:
    """The years of the n-th five-year plan (十四五 → 2021–2025; from the third, 1966–1970, every five years)."""
    n = chinese_value(name) or 0
    if n < 3:
        return None
    start = 1966 + 5 * (n - 3)
    return start, start + 4


def _count(written: str) -> int:
    return number_value(written) or 0


def times_in(text: str, year: int) -> list[tuple[int, Time]]:
    """Every time expression in `text` with its position; relative ones (今年, 过去五年) only when the document's
    `year` is known."""
    found: list[tuple[int, Time]] = []
    taken: list[tuple[int, int]] = []

    def add(match: re.Match[str], time: Time) -> None:
        if any(a < match.end() and match.start() < b for a, b in taken):
            return
        taken.append((match.start(), match.end()))
        before, after = text[max(0, match.start() - 3): match.start()], text[match.end(): match.end() + 3]
        until = bool(UNTIL_BEFORE.search(before) or UNTIL_AFTER.match(after))
        found.append((match.start(), Time(time.start, time.end, until)))

    for m in YEAR_RANGE.finditer(text):
        add(m, Time(int(m.group(1)), int(m.group(2))))
    for m in PLAN.finditer(text):
        years = plan_years(m.group(1))
        # “十五五”; bare, 十四五 at the end (a question's last word) or before 时期, 末, 规划… (not 十五年, 十五个, nor a
        # 十五 cut from 十五五 at the end of a lead)
        quoted = m.group(0).endswith("”")
        at_end = m.end() >= len(text) and len(m.group(1)) == 2
        if years and (quoted or at_end or (m.end() < len(text) and text[m.end()] in "时期末规划期间以来发计纲")):
            add(m, Time(*years))
    for m in YEAR_WRITTEN.finditer(text):
        add(m, Time(int(m.group(1)), int(m.group(1))))
    if year:
        for m in YEARS_BACK.finditer(text):
            n = _count(m.group(1) or m.group(2))
            if n == 1:
                add(m, Time(year - 1, year - 1))
            elif 1 < n <= 20:
                add(m, Time(year - n, year - 1))
        for m in YEARS_AHEAD.finditer(text):
            n = _count(m.group(1))
            if 1 < n <= 20:
                add(m, Time(year, year + n - 1))
        for m in LAST_YEAR.finditer(text):
            add(m, Time(year - 1, year - 1))
        for m in THIS_YEAR.finditer(text):
            add(m, Time(year, year))
        for m in NEXT_YEAR.finditer(text):
            add(m, Time(year + 1, year + 1))
    return sorted(found, key=lambda item: item[0])


def asked_times(question: str, year: int) -> list[Time]:
    """The times a question asks about (relative words read from the document's year)."""
    return list(dict.fromkeys(t for _, t in times_in(question, year)))


def _opening(sentence: str, year: int, first: bool) -> list[Time]:
    """The times in a sentence's first clause (up to its first comma, at most LEAD_CHARS characters); past the
    passage's first sentence only one the sentence starts with (2025年，…; 刚刚过去的2025年…), not one it cites
    in passing (加快建设“十四五”批复的基地)."""
    body = SALUTATION.sub("", sentence)
    if not first:
        body = SENTENCE_PREFIX.sub("", body)
    stop = LEAD_STOP.search(body)
    found = times_in(body[: min(stop.start() if stop else len(body), LEAD_CHARS)], year)
    return [t for at, t in found if first or at == 0]


def lead_times(text: str, year: int) -> list[Time]:
    """The times a passage opens with."""
    sentences = [s.strip() for s in SENTENCE.split(text) if s.strip()]
    return _opening(sentences[0], year, True) if sentences else []


def later_times(text: str, year: int) -> list[Time]:
    """The times the passage's later sentences open with: a chronicle (1985年7月任…。1996年2月任…) is about each
    year it goes through."""
    sentences = [s.strip() for s in SENTENCE.split(text) if s.strip()]
    return [t for s in sentences[1:] for t in _opening(s, year, False)]


def heading_times(section: str, year: int) -> list[Time]:
    """The times of a passage's nearest section heading that names one."""
    for heading in reversed([h for h in section.split("›") if h.strip()]):
        found = list(dict.fromkeys(t for _, t in times_in(heading, year)))
        if found:
            return found
    return []


def document_times(passages: list[tuple[str, str]], year: int) -> list[list[Time]]:
    """The times each passage of one document (text, section path; in order) is about: those it opens with; else
    those an earlier passage of the same top-level section opened with (刚刚过去的2025年，… is followed by paragraphs
    about 2025 that do not repeat it); else those of its nearest section heading that names one."""
    out: list[list[Time]] = []
    carried: list[Time] = []
    top = None
    for text, section in passages:
        head = section.split("›")[0].strip()
        if head != top:
            top, carried = head, []
        own = lead_times(_without_heading_line(text, section), year)
        if own:
            carried = own
        out.append(list(dict.fromkeys((own or carried or heading_times(section, year)) + later_times(text, year))))
    return out


def _without_heading_line(text: str, section: str) -> str:
    """The passage without a first line that prints its own section heading (a heading that states a fact opens the
    passage: 一、“十四五”时期和2025年工作回顾 above 过去的五年…); the heading's times are the fallback, not the lead."""
    first, _, rest = text.partition("\n")
    label = section.split("›")[-1].strip()
    if rest and label and first.strip().replace(" ", "").startswith(label.replace(" ", "")):
        return rest
    return text


def relation(asked: list[Time], spoken: list[Time]) -> int:
    """+1: the passage is about a time the question asks about; -1: it is about another time; 0: either names no
    time."""
    if not asked or not spoken:
        return 0
    for q in asked:
        for p in spoken:
            if (p.start, p.end) == (q.start, q.end) or (q.until and p.end == q.end):
                return 1
    return -1
