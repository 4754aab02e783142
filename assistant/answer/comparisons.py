"""Two or more figures set against each other for a lead sentence: two places of a ranking (第一名比第二名高多少),
two places or two periods (比一季度增加了多少, 比去年同期多了多少亿元), the total of several places (…合计), and the
places of a ranking on one side of a level the question sets (完成进度超过80%的, 不到75%的有几个)."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel

from assistant.answer.understand import (
    ASKS_TARGET,
    CITY_LEVEL,
    SHARE_OF_CITY,
    SINGLE_PERIOD,
    TOTAL,
    Parsed,
    delexicalise,
)
from assistant.db.periods import InvalidPeriod, parse_period
from assistant.tools.indicators import RATE_BASES, CityTotalResult, IndicatorResult, RankingResult, basis_said
from assistant.tools.ledger import EventList

SMALL_NUMBERS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def fmt(value: float | None, unit: str) -> str:
    """公文 style: 1916万美元, 67.63%, 236.7亿元 (no padding zeros)."""
    if value is None:
        return "无数据"
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return f"{text}{unit}"


def score_of(row: Any, by: str) -> float | None:
    return {"completion": row.completion_pct, "value": row.value, "yoy": row.yoy_pct,
            "target": getattr(row, "annual_target", None)}.get(by)


# Two places of a ranking weighed against each other (第一名和最后一名差多少, 最高的比最低的高几个百分点, 第二比第三
#多多少; after 第一是谁 → 第二名呢, 比它高多少): the positions as the question, or the turns before it, name them.
POSITION = re.compile(r"(倒数)?第\s*(\d{1,2}|[一二两三四五六七八九十])(?!\s*季度|\d)|"
                      r"(最高|最好|最快|最多|最大|头名|排名?最前)|(最后|最低|最差|最慢|最少|最小|末位|垫底)")
ASKS_SPREAD = re.compile(r"差|距|高出|多出|拉开|[高多](?:多少|几)")


def _positions(text: str) -> list[tuple[bool, int]]:
    """(counted from the end, n) of each place the text names, in order, without repeats."""
    found: list[tuple[bool, int]] = []
    for m in POSITION.finditer(text):
        if m.group(2):
            n = int(m.group(2)) if m.group(2).isdigit() else SMALL_NUMBERS[m.group(2)]
            place = (bool(m.group(1)), n)
        else:
            place = (bool(m.group(4)), 1)
        if place not in found:
            found.append(place)
    return found


def ends_apart(parsed: Parsed, r: RankingResult) -> tuple[str, float] | None:
    """"…完成进度第1的旬阳市（72.5%）比最后的瀛湖（42.76%）高29.74个百分点" when the question (or, for a follow-up
    naming none, the turns before it) names two places of a ranking and asks how far apart they are: the sentence
    and the gap (for the number checker)."""
    question = parsed.text
    if not ASKS_SPREAD.search(question) or "序时" in question or not r.rows:
        return None
    named = _positions(question) or (_positions(parsed.asked_before) if parsed.follow_up else [])
    order = sorted((row for row in r.rows if score_of(row, r.by) is not None), key=lambda row: row.rank)
    if len(named) != 2 or any(n > len(order) for _, n in named):
        return None
    picked = []
    for from_end, n in named:
        rank = (order[-n] if from_end else order[n - 1]).rank
        rows = [row for row in order if row.rank == rank]
        word = "最后" if from_end and n == 1 else f"倒数第{n}" if from_end else f"第{rank}"
        picked.append((word, "、".join(row.region for row in rows), float(score_of(rows[0], r.by) or 0)))
    (word_a, names_a, a), (word_b, names_b, b) = picked
    unit = "个百分点" if r.by in RATE_BASES else r.unit
    level = "%" if unit == "个百分点" else unit
    gap = round(a - b, 2)
    more, less = ("高", "低") if r.by in RATE_BASES else ("多", "少")
    said = f"{more if gap >= 0 else less}{fmt(abs(gap), unit)}"
    label = basis_said(r.by)
    return (f"{r.period_label}{r.metric}{label}{word_a}的{names_a}（{fmt(a, level)}）"
            f"比{word_b}的{names_b}（{fmt(b, level)}）{said}", abs(gap))


# A place asked against another position of the ranking (比第二名快几个点, 比上一名差多少, 离第一还差多少).
GAP_TO_PLACE = re.compile(r"(?:比|离|距离?|跟|和)\s*(?:排)?(?:第\s*(\d{1,2}|[一二两三四五六七八九十])\s*名?|(前|上|后|下)一名|(榜首|头名)|"
                          r"(最后一名|倒数第一))[^，。？?]{0,6}?(?:快|慢|高|低|多|少|差|领先|落后|超)")


def ranked_rows_asked(parsed: Parsed, r: RankingResult) -> list[Any]:
    """The rows of the places the question names — or, for a follow-up naming none that asks how far another
    position is (跟第二名差几个点 after 1-7月外资完成进度第三名是谁), the rows at the position the turn before asked."""
    named = [row for row in r.rows if row.region in {g.name for g in parsed.regions}]
    if named or not parsed.follow_up or not GAP_TO_PLACE.search(parsed.text):
        return named
    before = _positions(parsed.asked_before)
    if len(before) != 1:
        return []
    from_end, n = before[0]
    ranks = sorted({row.rank for row in r.rows})
    if n > len(ranks):
        return []
    rank = ranks[-n] if from_end else n
    return [row for row in r.rows if row.rank == rank]


def gap_to_place(text: str, r: RankingResult, row: Any) -> tuple[str, float] | None:
    """"，比第2名汉滨区（21%）高2.8个百分点" when the question asks how far the place asked is from another position
    of the ranking: the clause and the gap (for the number checker); None when it asks no such thing."""
    m = GAP_TO_PLACE.search(text)
    own = score_of(row, r.by)
    if m is None or own is None:
        return None
    ranks = sorted({x.rank for x in r.rows if score_of(x, r.by) is not None})
    if m.group(1):
        rank = int(m.group(1)) if m.group(1).isdigit() else SMALL_NUMBERS[m.group(1)]
    elif m.group(2):
        before = m.group(2) in "前上"
        near = [x for x in ranks if (x < row.rank if before else x > row.rank)]
        if not near:
            return None
        rank = near[-1] if before else near[0]
    else:
        rank = ranks[0] if m.group(3) else ranks[-1]
    other = next((x for x in r.rows if x.rank == rank and x.region != row.region), None)
    if other is None or (theirs := score_of(other, r.by)) is None:
        return None
    unit = "个百分点" if r.by in RATE_BASES else r.unit
    level = "%" if unit == "个百分点" else unit
    gap = round(own - theirs, 2)
    more, less = ("高", "低") if r.by in RATE_BASES else ("多", "少")
    said = f"{more if gap >= 0 else less}{fmt(abs(gap), unit)}" if gap else "持平"
    return f"，比第{rank}名{other.region}（{fmt(theirs, level)}）{said}", abs(gap)


# The question weighs one place against another (差几个百分点, 谁高, 比全市高还是低, 和石泉比): 多少 is no such word.
ASKS_DIFFERENCE = re.compile(r"差|高|低|谁|比(?!例|重)|快|慢|领先|落后|超过|不如|多出|[多少](?=[了些]|$)")
ASKS_YOY_MEASURE = re.compile(r"同比|增速|增幅|增长率|增长")
ASKS_COMPLETION = re.compile(r"进度|完成率|百分点|序时|完成得")
ASKS_YOY_RATE = re.compile(r"同比|增速|增幅|增长率")
# How much one period gained on another (比一季度增加了多少, 多了多少, 增长了多少)
# (…or with the verb of what came in between: 多进了多少, 多到位了, 多引进了)
GROWN = re.compile(r"增加|增长|新增|多了|多出|多[进到引来拿][^，。？?\d]{0,2}了|提高|提升|减少|下降|上升|回落|收窄|扩大|缩小|涨|变了|变化|变动")


def two_compared(parsed: Parsed, results: list[BaseModel]) -> tuple[str, float] | None:
    """The difference when the question sets two figures side by side and asks how they differ: two places for one
    period and metric ("白河县2023年1-7月实际引进内资完成进度比石泉县高1.99个百分点"; two counties, or a county and
    全市), or one place at two periods compared (紫阳县上半年内资比一季度增加了多少: "…比一季度增加32.12亿元").
    Returns the sentence and the difference (for the number checker). The measure is the one asked: 同比,
    completion, else the value."""
    rows: list[Any] = [r for r in results if isinstance(r, IndicatorResult) and r.value is not None]
    # 全市 at two periods (全市上半年外资比一季度增加了多少): the city's own row, from the city-total tool
    city: list[Any] = [r for r in results if isinstance(r, CityTotalResult) and r.basis == "全市行" and r.value is not None]
    rows = rows or city
    if len(rows) != 2:
        return None
    place_a, place_b = (getattr(r, "region", "全市") for r in rows)
    # …or one place's two metrics in one period, where a rate of each is set against the other (全市内资和外资完成
    # 进度各多少，两者差了多少个点): rates in %, never amounts in different units
    measures = place_a == place_b and rows[0].period == rows[1].period and rows[0].metric != rows[1].metric
    if rows[0].metric != rows[1].metric and not measures:
        return None
    places = place_a != place_b and rows[0].period == rows[1].period
    periods = place_a == place_b and rows[0].period != rows[1].period and parsed.compared_to is not None
    if not (places or periods or measures):
        return None
    # a follow-up naming only what changed (那汉阴呢) asks what its earlier question asked
    question = f"{parsed.asked_before} {parsed.text}" if parsed.follow_up else parsed.text
    asked = re.sub(r"多少|同比|占比|[？?。！!\s]", "", delexicalise(question, parsed))
    alone = periods and (SINGLE_PERIOD.search(parsed.text) is not None or parsed.span)
    if not ASKS_DIFFERENCE.search(asked) and not (periods and GROWN.search(asked)) and not alone:
        return None
    # the measure may be named in the question a follow-up changes (旬阳上半年内资进度 → 和全市比呢)
    measured = f"{parsed.asked_before} {parsed.text}"
    a, b = rows
    # between two periods of one year, 增长 is the amount that came in between, not the rate on last year
    if (ASKS_YOY_MEASURE if places else ASKS_YOY_RATE).search(measured):
        label, x, y, unit = "同比增速", a.yoy_pct, b.yoy_pct, "个百分点"
    elif ASKS_COMPLETION.search(measured):
        label, x, y, unit = "完成进度", a.completion_pct, b.completion_pct, "个百分点"
    else:
        label, x, y, unit = "", a.value, b.value, a.unit
    if x is None or y is None or measures and unit != "个百分点":
        return None
    gap = round(x - y, 2)
    if measures:
        more, less = "高", "低"
        said = f"{more if gap > 0 else less}{fmt(abs(gap), unit)}" if gap else "持平"
        return (f"{place_a}{a.period_label}{a.metric}{label}{fmt(x, '%')}，比{b.metric}{label}（{fmt(y, '%')}）"
                f"{said}"), abs(gap)
    if places:
        more, less = ("高", "低") if unit == "个百分点" else ("多", "少")
        said = f"{more if gap > 0 else less}{fmt(abs(gap), unit)}" if gap else "持平"
        return f"{a.period_label}{a.region}{a.metric}{label}比{b.region}{said}", abs(gap)
    if alone and not label:
        # 二季度单季: what came in between the two cumulative figures
        return (f"{place_a}{a.period_label}累计{a.metric}{fmt(x, a.unit)}，减去{b.period_label}累计"
                f"{fmt(y, b.unit)}，{single_label(a.period, b.period)}单独完成{fmt(gap, a.unit)}"), abs(gap)
    more, less = ("提高", "下降") if unit == "个百分点" else ("增加", "减少")
    said = f"{more if gap > 0 else less}{fmt(abs(gap), unit)}" if gap else "持平"
    level = "%" if unit == "个百分点" else a.unit  # a rate is written in %, its change in 个百分点
    return (f"{place_a}{a.period_label}{a.metric}{label}{fmt(x, level)}，"
            f"比{b.period_label}（{fmt(y, level)}）{said}"), abs(gap)


def summed(parsed: Parsed, results: list[BaseModel]) -> tuple[str, list[float]] | None:
    """"汉滨区、石泉县、白河县2023年一季度（1-3月）实际引进内资合计112.02亿元" when the question asks the total of
    several places for one period and metric, and its share of the city's figure when that is asked too (…合计416.82
    亿元，占全市975.80亿元的42.72%): the sentence and the numbers it derives (for the number checker)."""
    question = f"{parsed.asked_before} {parsed.text}" if parsed.follow_up else parsed.text
    share_asked = SHARE_OF_CITY.search(question) is not None
    rows = [r for r in results if isinstance(r, IndicatorResult) and r.region != "全市"]
    if len({(r.period, r.metric) for r in rows}) > 1:
        # 这四个今年任务合计多少？到7月底合起来完成了几成: the period every place has figures for (the year's
        # targets stand in each period's rows), the latest such
        held = [(p, m) for p, m in dict.fromkeys((r.period, r.metric) for r in rows)
                if all(r.value is not None for r in rows if (r.period, r.metric) == (p, m))]
        if len({m for _, m in held}) == 1 and held:
            latest = max(held, key=lambda k: parse_period(k[0]))
            rows = [r for r in rows if (r.period, r.metric) == latest]
    city = next((r for r in results if isinstance(r, IndicatorResult) and r.region == "全市"
                 and (not rows or (r.period, r.metric) == (rows[0].period, rows[0].metric))), None)
    if (len(rows) < 2 or not TOTAL.search(question) or len({(r.period, r.metric) for r in rows}) != 1
            or len({r.region for r in rows}) != len(rows) or any(r.value is None for r in rows)
            # the city's figure already holds its counties': asked beside them, it is only the whole of a share
            or any(g.is_city for g in parsed.regions) and not share_asked):
        return None
    total = round(sum(float(r.value or 0) for r in rows), 2)
    first = rows[0]
    text = f"{'、'.join(r.region for r in rows)}{first.period_label}{first.metric}合计{fmt(total, first.unit)}"
    numbers = [total]
    targets = [r.annual_target for r in rows]
    if ASKS_TARGET.search(question) and all(t for t in targets):
        # the places' targets added up, and what the total completes of them (合计完成年度目标的82.52%)
        target = round(sum(float(t or 0) for t in targets), 2)
        whole = round(total / target * 100, 2)
        schedule = float(parse_period(first.period).schedule_pct)
        text += f"，年度目标合计{fmt(target, first.unit)}，合计完成年度目标的{fmt(whole, '%')}"
        numbers += [target, whole]
        if ASKS_COMPLETION.search(question) or re.search(r"跑赢|跑输|超序时|落后", question):
            gap = round(abs(whole - schedule), 2)
            text += f"（序时进度{fmt(schedule, '%')}，{'高于' if whole >= schedule else '低于'}序时{fmt(gap, '个百分点')}）"
            numbers += [schedule, gap]
    if share_asked and city is not None and city.value and (city.period, city.metric) == (first.period, first.metric):
        share = round(total / float(city.value) * 100, 2)
        return f"{text}，占全市（{fmt(city.value, city.unit)}）的{fmt(share, '%')}", [*numbers, share]
    return text, numbers


def single_label(later: str, earlier: str) -> str:
    """二季度 for 2023Q2 after 2023Q1, 7月 for 2023-07 after 2023Q2, 4-6月 otherwise."""
    a, b = parse_period(later), parse_period(earlier)
    if a.month - b.month == 3 and a.month % 3 == 0:
        return f"{'一二三四'[a.month // 3 - 1]}季度"
    return f"{a.month}月" if a.month - b.month == 1 else f"{b.month + 1}-{a.month}月"


# A level the question sets on a ranking's score (超过80%, 不到75%, 70%以上, 100亿元以上): the comparison and the level.
_ABOVE, _AT_LEAST, _BELOW, _AT_MOST, _AT, _BETWEEN = "超过", "达到或超过", "低于", "不高于", "为", "介于"
# Two levels bounding the score (在65%到70%之间, 60%-70%区间): both ends included.
RANGE = re.compile(r"(\d+(?:\.\d+)?)\s*(%|亿元|亿|万美元)?\s*(?:到|至|-|—|~|～)\s*(\d+(?:\.\d+)?)\s*(%|亿元|亿|万美元)\s*"
                   r"(?:之间|区间|范围内?)")
THRESHOLD = re.compile(
    r"(超过|超出|高于|大于|多于|不低于|不少于|达到|达|过了|不到|不足|低于|小于|少于|不够|未达到?|没有?达到?|没到)?\s*"
    r"(\d+(?:\.\d+)?)\s*(%|亿元|亿|万美元|万元)\s*(以上|以下|及以上|及以下)?")
# A growth rate of two digits (同比两位数增长, 增速在两位数以上): 10% or more.
DOUBLE_DIGITS = re.compile(r"两位数(?:的|以上)?(?:增长|增速|增幅)|(?:增长|增速|增幅)[^，,。？?]{0,3}两位数")
_SIDE = {"超过": _ABOVE, "超出": _ABOVE, "高于": _ABOVE, "大于": _ABOVE, "多于": _ABOVE, "不低于": _AT_LEAST,
         "不少于": _AT_LEAST, "达到": _AT_LEAST, "达": _AT_LEAST, "过了": _ABOVE, "以上": _AT_LEAST,
         "及以上": _AT_LEAST, "以下": _AT_MOST, "及以下": _AT_MOST}


_BEHIND = re.compile(r"低于|慢于|落后|不如|跑输|不及|不到|没到|没达到")


# Nothing came in (外资为零的, 到位是0的): the places at zero, on whatever the ranking scores.
AT_ZERO = re.compile(r"(?:为|是|等于|只有|仅)\s*(?:零|0)(?![.\d])|零到位|没有到位|(?:还)?没(?:有)?到位|颗粒无收")
# A fall on the year before (同比下降的, 负增长的): 同比 below zero.
FELL = re.compile(r"负增长|同比(?:还是|仍然?|都|依然)?(?:为负|是负|负数|负值|下降|下滑|减少)|(?:下降|下滑|减少)的")


# A full score said as people say it (开工率不是满格的, 没到百分百的): below 100%; 满格的, 百分百的: at it.
NOT_FULL = re.compile(r"(?:不是|没有?|不|未)(?:满格|满额|百分百|百分之百|100%)")
FULL = re.compile(r"满格|满额|百分百|百分之百")


def threshold_of(text: str) -> tuple[str, float, str] | None:
    """(the side, the level, its unit) of a level the question sets on a score: 不到75% → (低于, 75, %), 为零 → (为,
    0, "") on the ranking's own unit, 同比下降 → (低于, 0, %); None when it sets none (低于序时进度 is the laggards'
    list, not a level)."""
    if (bounds := RANGE.search(text)) and float(bounds.group(1)) < float(bounds.group(3)):
        return _BETWEEN, float(bounds.group(1)), "%" if bounds.group(4) == "%" else bounds.group(4).replace(
            "亿", "亿元").replace("元元", "元")
    if AT_ZERO.search(text):
        return _AT, 0.0, ""
    if FELL.search(text):
        return _BELOW, 0.0, "%"
    if NOT_FULL.search(text):
        return _BELOW, 100.0, "%"
    if FULL.search(text):
        return _AT, 100.0, "%"
    if DOUBLE_DIGITS.search(text):
        return _AT_LEAST, 10.0, "%"  # 两位数增长: a rate of 10% or more
    for m in THRESHOLD.finditer(text):
        word, number, unit, after = m.group(1), m.group(2), m.group(3), m.group(4)
        if not (word or after):
            continue
        side = _SIDE.get(after or "") or _SIDE.get(word or "", _BELOW)
        return side, float(number), "%" if unit == "%" else unit.replace("亿", "亿元").replace("元元", "元")
    return None


def range_top(text: str) -> float:
    """The upper level of a range the question sets (70 of 在65%到70%之间)."""
    bounds = RANGE.search(text)
    return float(bounds.group(3)) if bounds else float("inf")


def meets(score: float, side: str, level: float, top: float = float("inf")) -> bool:
    return {_ABOVE: score > level, _AT_LEAST: score >= level, _BELOW: score < level, _AT_MOST: score <= level,
            _AT: score == level, _BETWEEN: level <= score <= top}[side]


def beyond_level(parsed: Parsed, r: RankingResult) -> tuple[str, list[float]] | None:
    """"…完成进度低于75%的有4个：紫阳县（70.83%）、…" when the question sets a level on the ranking's score (a
    percentage on completion or 同比, an amount on the total): the sentence and the numbers it adds (the level and
    the count, for the number checker)."""
    if any(not g.is_city for g in parsed.regions):
        return None  # of a place named (汉阴县超过30%了吗): its own figure and place answer
    found = threshold_of(parsed.text)
    city = CITY_LEVEL.search(parsed.text)
    if found is not None:
        side, level, unit = found
        if FELL.search(parsed.text) and r.by != "yoy":
            return None  # a fall (负增长) is of 同比, not of completion or the total
        unit = unit or r.unit  # 为零: zero on whatever the ranking scores
        if (unit == "%") != (r.by in RATE_BASES) or unit not in ("%", r.unit):
            return None
        said = fmt(level, unit) if side != _BETWEEN else f"{fmt(level, unit)}到{fmt(range_top(parsed.text), unit)}之间"
    elif city and r.city_score is not None:
        # 比全市快的县区有几个: beyond the city's own figure, said with it
        side, level = (_BELOW if _BEHIND.search(city.group(1)) else _ABOVE), r.city_score
        if re.search(r"(?:没有?|未|不)$", parsed.text[:city.start()]):
            # 没跑赢全市的, 不比全市快的: the other side, the city's own figure included
            side = _AT_MOST if side == _ABOVE else _AT_LEAST
        said = f"全市（{fmt(level, r.unit)}）"
    else:
        return None
    label = basis_said(r.by)
    top = range_top(parsed.text)
    chosen = [row for row in r.rows if (score := score_of(row, r.by)) is not None and meets(score, side, level, top)]
    head = f"{r.period_label}{r.metric}{label}{side}{said}的"
    levels = [level, top] if side == _BETWEEN else [level]
    if not chosen:
        return f"{head}县区：没有", [*levels, 0.0]
    listing = "、".join(f"{row.region}（{fmt(score_of(row, r.by), r.unit)}）" for row in chosen)
    return f"{head}有{len(chosen)}个：{listing}", [*levels, float(len(chosen))]


def events_apart(parsed: Parsed, results: list[BaseModel]) -> tuple[str, list[float]] | None:
    """"2023年签约金额367.00亿元，比2019年（194.93亿元）多172.07亿元" when the question sets two periods' (or two
    places') events side by side and asks how they differ: each side's totals, then the differences (for the number
    checker). Only the figures both lists report (a total a list lacks is no zero)."""
    lists = [r for r in results if isinstance(r, EventList)]
    if len(lists) != 2 or not ASKS_DIFFERENCE.search(re.sub(r"各多少|分别", "", parsed.text)):
        return None
    a, b = lists
    said_a, said_b = (r.period or r.city or "" for r in lists)
    parts, numbers = [], []
    for label, x, y, unit in (("签约项目", a.contracts_total, b.contracts_total, "个"),
                              ("签约金额", a.amount_total_yi_yuan, b.amount_total_yi_yuan, "亿元")):
        if x is None or y is None:
            continue
        gap = round(x - y, 2)
        said = f"{'多' if gap > 0 else '少'}{fmt(abs(gap), unit)}" if gap else "持平"
        parts.append(f"{label}{fmt(x, unit)}，比{_period_said(said_b)}（{fmt(y, unit)}）{said}")
        numbers.append(abs(gap))
    if not parts:
        return None
    return f"{_period_said(said_a)}招商活动" + "；".join(parts) + "。", numbers


def _period_said(key: str) -> str:
    """A period key as an answer says it (2023 → 2023年); a place stays as it is."""
    try:
        return parse_period(key).label
    except InvalidPeriod:  # a city's name, not a period
        return key
