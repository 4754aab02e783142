"""Reporting periods.

Every indicator is cumulative from 1 January: 2023Q2 means January–June (上半年), 2023-07 means
January–July (1-7月), 2023 means the whole year. A period is therefore just (year, last month), and
each span has one canonical key: months 3/6/9 are written as quarters, month 12 as the year, so
2023-06 and 2023Q2 are the same period.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from assistant.db.errors import InvalidPeriod
from assistant.numerals import number_value

_QUARTER_LABELS = {3: "一季度", 6: "上半年", 9: "前三季度"}


@dataclass(frozen=True, order=True)
class Period:
    """A cumulative period: January to `month` (inclusive) of `year`."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1900 <= self.year <= 2100 or not 1 <= self.month <= 12:
            raise InvalidPeriod(f"{self.year}-{self.month}", "年份或月份超出范围")

    @property
    def key(self) -> str:
        """Canonical key stored in the database: 2023Q1, 2023-07, 2023."""
        if self.month == 12:
            return str(self.year)
        if self.month % 3 == 0:
            return f"{self.year}Q{self.month // 3}"
        return f"{self.year}-{self.month:02d}"

    @property
    def label(self) -> str:
        """Chinese label, e.g. 2023年一季度, 2023年1-7月, 2023年全年."""
        if self.month == 12:
            return f"{self.year}年全年"
        if self.month in _QUARTER_LABELS:
            return f"{self.year}年{_QUARTER_LABELS[self.month]}（1-{self.month}月）"
        if self.month == 1:
            return f"{self.year}年1月"
        return f"{self.year}年1-{self.month}月"

    @property
    def schedule_pct(self) -> Decimal:
        """序时进度 in percent: elapsed months ÷ 12 × 100 (a quarter is 25%)."""
        return Decimal(self.month) * 100 / Decimal(12)

    @property
    def start(self) -> date:
        return date(self.year, 1, 1)

    @property
    def end(self) -> date:
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    def previous_year(self) -> Period:
        return Period(self.year - 1, self.month)

    def __str__(self) -> str:
        return self.key


def _number(token: str) -> int:
    value = number_value(token)  # 3, 三, 十一
    if value is None:
        raise ValueError(token)
    return value


def _normalise(text: str) -> str:
    table = str.maketrans("０１２３４５６７８９－～—–／．ＱｑＨｈ", "0123456789-~--/.QqHh")
    text = re.sub(r"\s+", "", text.translate(table))
    # 头一个季度 / 第二个季度 / 前两个季度 as officers say them: the quarter words the patterns read
    text = re.sub(r"头一?个?季度", "一季度", text)
    text = re.sub(r"第([一二三四1-4])个季度", r"\1季度", text)
    return re.sub(r"前(?:两|二|2)个季度", "上半年", text)


_Y = r"(?P<y>(?:19|20|21)\d{2})"
_M = r"(?P<m>1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
_Q = r"(?P<q>[1-4一二三四])"
_RANGE_START = r"(?P<s>0?1|一)"
# 前7个月 / 前两个月: the first n months of the year, i.e. the cumulative period to month n (not 前三季度)
_FIRST_MONTHS = r"(?P<m>1[0-2]|0?[1-9]|十[一二]?|[一二两三四五六七八九])"
_Q_LATIN = r"[Qq](?P<q>[1-4])"
# Each pattern maps to a function of its match giving the last month covered.
# A span of days from 1 January to a month's end (2023/01/01~2023/06/30, 2023年1月1日至6月30日): the cumulative
# period to that month, as 1-6月 is
_DAY_SEP = r"(?:[-/.]|年|月)"
_TO_MONTH_END = rf"(?:[-~至到]|起至)+(?:(?:19|20|21)\d{{2}}(?:[-/.]|年))?{_M}(?:[-/.]|月)(?:2[89]|3[01])[日号]?"
_PATTERNS: list[tuple[str, str]] = [
    (rf"{_Y}{_DAY_SEP}0?1{_DAY_SEP}0?1[日号]?{_TO_MONTH_END}", "month"),
    (rf"{_Y}-?[Qq]{_Q}", "quarter"),
    (rf"{_Y}(?:[Hh]1|年?上半年)", "half"),
    (rf"{_Y}年?前三季度?", "q3"),
    (rf"{_Y}年?(?:第)?{_Q}季度?", "quarter"),
    (rf"{_Y}年?{_RANGE_START}(?:月)?[-~至到]{_M}月(?:份)?(?:累计)?", "month"),
    (rf"{_Y}年?前{_FIRST_MONTHS}个?月(?:累计)?", "month"),
    (rf"(?:截至|截止)?{_Y}年{_M}月(?:底|末|份)?(?:累计)?", "month"),
    (rf"{_Y}[-/.]{_M}", "month"),
    (rf"{_Y}(?P<m2>0[1-9]|1[0-2])", "compact"),
    (rf"{_Y}年?(?:全年|年度)?", "year"),
]
_YEARLESS: list[tuple[str, str]] = [
    (rf"(?<![\d.])0?1月0?1[日号]{_TO_MONTH_END}", "month"),
    (r"上半年|(?<![A-Za-z])[Hh]1(?![\d])", "half"),
    (r"前三季度?", "q3"),
    (rf"(?:第)?{_Q}季度", "quarter"),
    # Q2 as officers type it in a chat (那Q2呢): a quarter of the year in question, as 二季度 is
    (rf"(?<![A-Za-z]){_Q_LATIN}(?![\d])", "quarter"),
    (rf"{_RANGE_START}(?:月)?[-~至到]{_M}月(?:份)?(?:累计)?", "month"),
    (rf"前{_FIRST_MONTHS}个?月(?:累计)?", "month"),
    (rf"(?:截至|截止)?{_M}月(?:底|末)", "month"),
    (r"全年(?!目标|任务|计划)", "full"),  # (全年目标 is the year's target, asked of any period)
    # 到年底呢, 一整年下来: the whole year (到年底还差多少 asks the rest of the year's target, not its data)
    (r"(?:到|截至|截止|至)?\s*年(?:底|末)(?=呢)|(?:一整年|一年)下来", "full"),
]


def _month_of(kind: str, match: re.Match[str]) -> int:
    groups = match.groupdict()
    if kind == "quarter":
        return _number(groups["q"]) * 3
    if kind == "half":
        return 6
    if kind == "q3":
        return 9
    if kind in ("year", "full"):
        return 12
    if kind == "compact":
        return int(groups["m2"])
    return _number(groups["m"])


def _year_of(match: re.Match[str]) -> int:
    return int(match.group("y"))


def parse_period(text: str, default_year: int | None = None) -> Period:
    """把“2023Q1”“2023-07”“2023”“2023年一季度”“2023年1-7月”“上半年”等解析为累计期间。

    整段文字必须是一个期间；没有年份时使用 default_year，两者都没有则报错。
    """
    norm = _normalise(text).rstrip("。，,")
    if not norm:
        raise InvalidPeriod(text, "内容为空")
    for pattern, kind in _PATTERNS:
        match = re.fullmatch(pattern, norm)
        if match:
            return Period(_year_of(match), _month_of(kind, match))
    for pattern, kind in _YEARLESS:
        match = re.fullmatch(pattern, norm)
        if match:
            if default_year is None:
                raise InvalidPeriod(text, "缺少年份")
            return Period(default_year, _month_of(kind, match))
    if "下半年" in norm or re.search(r"[2-9二三四五六七八九]\s*[-~至到]", norm):
        raise InvalidPeriod(text, "只支持从1月起的累计期间")
    raise InvalidPeriod(text)


def find_period(text: str, default_year: int | None = None) -> Period | None:
    """在一句话或表格标题中查找期间，如“2023 年全市……一季度招商引资指标”→ 2023Q1；找不到返回 None。"""
    norm = _normalise(text)
    for pattern, kind in _PATTERNS:
        if kind in ("compact", "year"):  # too eager inside running text (dates, "2023年目标")
            continue
        match = re.search(pattern, norm)
        if match:
            return Period(_year_of(match), _month_of(kind, match))
    year_match = re.search(r"((?:19|20|21)\d{2})年", norm)
    year = int(year_match.group(1)) if year_match else default_year
    for pattern, kind in _YEARLESS:
        match = re.search(pattern, norm)
        if match and year is not None:
            return Period(year, _month_of(kind, match))
    if year_match:
        return Period(int(year_match.group(1)), 12)
    return None
