"""The values a question gives for each kind of slot a figure tool takes (its places, periods, metrics, the basis
of a ranking, a window of dates…), and how many of a tool's slots it fills: the planner's view of a question. Pure:
works on parsed questions."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

from assistant.answer.comparisons import threshold_of
from assistant.answer.understand import ATTRIBUTE, CITY_LEVEL, LAG, RANK, Parsed
from assistant.tools.assessment import class_of
from assistant.tools.registry import NAMING_KINDS, FigureTool

# The same period of the previous year asked for as a figure of its own (去年同期多少, 上年同期呢), not as the
# base of a change (比去年同期增长, 较上年同期): both periods' figures are given.
ASKS_LAST_YEAR = re.compile(r"(?<![比较与和同])(?:去年|上年|上一年)同期(?!相比|比|增|减|下降|上升)")
# Words of a question about signing (签了哪些, 新签约): a week's window is a signing window only with one of them.
SIGNING = re.compile(r"签约|签了|签的|签订|新签|签下")
# Signed in a period (1-7月签约的项目) as against staying at the 签约 stage (还在签约阶段的, 停在签约).
SIGNED_IN = re.compile(r"签约的|签的|新签|签了|签下")
AT_SIGNING = re.compile(r"签约阶段|(?:还|仍|停|处于|卡)\s*(?:在)?\s*签约")
# The newest period with data for some metrics in some regions (the planner's default when none is named).
LatestPeriod = Callable[[list[str], list[str]], "str | None"]
# The year a 当年到位资金 is of, said with it (今年到位了多少, 本年到位资金).
YEAR_OF_FUNDS = re.compile(r"(?:今年|本年|当年)(?:累计)?(?:的)?(?:资金)?到位")
# A position asked for (排第几, 最少, 前三): only then does the ranking basis (总量, 同比) count as a slot the
# question fills — 石泉县内资同比增长多少 asks the county's 同比, not a ranking by it.
ASKS_POSITION = re.compile(r"排名|排第|排序|名次|按[^，,。？?]{1,8}?排(?![除查放污水])|第几|[前后]\s*[2-9一二两三四五六七八九十]\s*[名位个]?|最[高低好差多少大小快慢后重轻]|倒数|"
                           r"垫底|末位|末尾|靠前|靠后|居首|位置|位次|排位|"
                           r"并列|第\s*(?:\d{1,2}|[一二两三四五六七八九十]{1,2})(?:\s*[名位](?!单位)|(?![\d\s一二三四五六七八九十]|"
                           r"季度|条|款|章|节|号|次|批|届|个|家|项|年|类|期|轮|天|周|月|部分|点))")
# The basis a ranking is asked by, in the question's words (同比 before 总量: 同比增速最快 is by 同比).
RANKED_BY_YOY = re.compile(r"同比|增速|增幅|增长率|负增长|降幅|降了多少(?!亿|万)")
# (the words that name the value as a basis; 最多, 多少亿 ask for it without naming it)
VALUE_BASIS = r"总量|总额|绝对值|规模|体量|数值"
RANKED_BY_VALUE = re.compile(VALUE_BASIS + r"|金额|多少亿|最多|最少|这个量|(?<![进质])量(?:在|上)")
# …by the annual target (外资年度任务最重的, 目标定得最高, 任务排第几): not 目标完成进度, the completion of it
RANKED_BY_TARGET = re.compile(r"(?:目标|任务)(?:额|数)?(?:定得|给得|压得|下得)?(?:最|排)|任务[重轻]")
RANKED_BY_COMPLETION = re.compile(r"完成进度|完成率|进度")
# Each place's amount asked, no completion named (各到了多少, 分别引进了多少, 有进账的): the ranking by value shows it.
AMOUNT_OF_EACH = re.compile(r"(?:各|分别|各自)[^，。？?]{0,4}(?:多少|几)|进账|到账")
# Two periods compared on completion or place (进度提高了多少, 名次变化), not on the amount that came in between.
ASKS_PROGRESS_CHANGE = re.compile(r"进度|完成率|百分点|名次|排名|位次|提升")
# The class of the county asked about (在同一类单元里, 同类县区中): ranked among its own class only.
SAME_CLASS = re.compile(r"同(?:一)?类|本类")
# What a follow-up asks of its own (排第几, 哪几个没达到序时进度, 年度目标呢): a position asked before it (外资呢 after
# 内资排名前三) is kept only when it asks nothing of its own.
OWN_ASK = re.compile(rf"{RANK.pattern}|{LAG.pattern}|{ATTRIBUTE.pattern}")


def _position_asked(parsed: Parsed) -> str:
    """The words that say which position of a ranking is asked: a follow-up's own when it asks something, else
    the earlier question's with it."""
    if parsed.follow_up and not OWN_ASK.search(parsed.text):
        return f"{parsed.asked_before} {parsed.text}"
    return parsed.text


def _ranking_clauses(text: str) -> list[str]:
    """The last clause of a question with several (，；？) that asks a position (同比增速多少，完成进度排第几; 进度前三名里，
    谁的同比增速最高: the ask comes last); none of a one-clause question."""
    clauses = [c for c in re.split(r"[，,；;？?。]", text) if c.strip()]
    return [c for c in clauses if ASKS_POSITION.search(c)][-1:] if len(clauses) > 1 else []


def basis_named(text: str) -> bool:
    """Whether the clause asking a position names what the places are ranked by, other than completion (按同比增速排,
    总量排第几): a tool ranking only by completion answers another question."""
    asking = _ranking_clauses(text) or ([text] if ASKS_POSITION.search(text) else [])
    return any(RANKED_BY_YOY.search(c) or RANKED_BY_TARGET.search(c) or re.search(VALUE_BASIS, c) for c in asking)


def slot_values(kind: str, parsed: Parsed, latest: LatestPeriod) -> list[Any]:
    """The values a question gives for one slot kind (several for two counties or two metrics)."""
    slots = parsed.slots
    if kind == "shown_columns":
        kind = "columns"  # the same columns, shown by a tool they do not choose (used_slots gives them no weight)
    if kind == "region":
        return [r.name for r in parsed.regions]
    if kind == "county":
        return [r.name for r in parsed.regions if not r.is_city]
    if kind == "period":
        if slots.total == "当年到位资金" and "当年到位资金" in (slots.columns or []) and YEAR_OF_FUNDS.search(parsed.text):
            return []  # 续建项目今年到位了多少资金: 今年 is the column's own year, not a signing period of the list
        if slots.ledger_on:
            return []  # 6月底那期台账: the day names the ledger read, not a period its projects were signed in
        if parsed.period and not parsed.period_assumed:
            if not parsed.follow_up and ASKS_LAST_YEAR.search(parsed.text):
                return [parsed.period.key, parsed.period.previous_year().key]  # 一季度多少？去年同期多少？
            return [p.key for p in sorted({parsed.period, *parsed.also_periods})]  # 一季度和上半年分别多少
        newest = latest([m.name for m in parsed.metrics], [r.name for r in parsed.regions])
        return [newest] if newest else ([parsed.period.key] if parsed.period else [])
    if kind == "signed_period":
        # 一季度签约的那批，开工率…: the projects signed from 1 January to the period's end, as they stand now
        # (of one county, 高新一季度签下来的那4个项目开工率多少: that county's projects' statistics answer it)
        named = parsed.period is not None and not parsed.period_assumed and not slots.ledger_on \
            and not any(not r.is_city for r in parsed.regions)
        return [parsed.period.key] if named and SIGNING.search(parsed.text) else []  # type: ignore[union-attr]
    if kind == "metric":
        return [m.name for m in parsed.metrics]
    if kind == "by":
        # the basis the question names (按完成进度排第几); a follow-up naming none (那平利县呢) keeps the one its
        # earlier question asked the ranking by
        # (the clause asking the position says it first: 同比增速多少，完成进度排第几 ranks by completion)
        for text in (*_ranking_clauses(parsed.text), parsed.text, parsed.asked_before):
            if RANKED_BY_TARGET.search(text):
                return ["target"]
            if RANKED_BY_YOY.search(text):
                return ["yoy"]
            if RANKED_BY_VALUE.search(text):
                return ["value"]
            if RANKED_BY_COMPLETION.search(text):
                return []
            if AMOUNT_OF_EACH.search(text):
                return ["value"]  # 有进账的县区各到了多少: the amounts, which a ranking by value states beside each
        return []
    if kind == "county_class" and slots.county_class is None and SAME_CLASS.search(parsed.text):
        # 在同一类单元里排第几: the class of the one county asked about (the scheme's, 汉阴县 → 二类)
        counties = [r.name for r in parsed.regions if not r.is_city]
        own = class_of(counties[0]) if len(counties) == 1 else None
        return [own] if own else []
    if kind == "department" and slots.departments and slots.department in slots.departments:
        return list(slots.departments)  # 自然资源局和生态环境局: each department named
    if kind == "city" and slots.cities and slots.city in slots.cities:
        return list(slots.cities)  # 北京办和上海办: each office named (a follow-up naming one has set it alone)
    if kind == "compared_to":
        return [parsed.compared_to.key] if parsed.compared_to else []
    if kind == "change":
        # a change of completion asked in words, or two periods compared on completion or place (上半年比一季度进度
        # 提高了多少); 上半年比一季度多了多少 asks the amount that came in, which the indicator tools give
        asked = f"{parsed.asked_before} {parsed.text}"
        return [True] if slots.change or parsed.compared_to and ASKS_PROGRESS_CHANGE.search(asked) else []
    if kind == "stage" and slots.stage and (slots.date_to or slots.until) and slots.stage in ("签约", "已签约",
                                                                                              slots.milestone):
        return []  # 本月新签约的项目, 二季度开工的: the step is what happened in the window, not the stage now
    if kind == "stage" and slots.stage in ("签约", "已签约") and parsed.period is not None and not parsed.period_assumed \
            and SIGNED_IN.search(parsed.text) and not AT_SIGNING.search(parsed.text):
        return []  # 1-7月签约的项目里涉链的有几个: signed in the period, whatever stage they have reached
    if kind == "total":  # a county total is asked of a county named or of the counties side by side
        named = any(not r.is_city for r in parsed.regions) and slots.total != "项目个数"
        # (…or of a 考核 class's counties side by side: 二类县区里谁的项目最多)
        return [slots.total] if slots.total and (named or slots.per_county or slots.group or slots.county_class) else []
    if kind == "milestone":  # a lifecycle step only where a window or an end day is asked of it
        return [slots.milestone] if slots.milestone and (slots.date_to or slots.until) else []
    if kind in ("signed_from", "signed_to") and window_is_period(parsed):
        return []  # 一季度签约的: the cumulative period the question names says it, in its own words
    if kind in ("signed_from", "signed_to"):
        # a signing window: a month or quarter asked of signings, or a week (本周) only where signing is asked —
        # 这周到位资金增加的项目 asks what changed in the week, not what was signed in it
        window = slots.date_from if kind == "signed_from" else slots.date_to
        # 8月份要到约定开工期限: the month is the deadline's, not a signing's
        deadline = slots.due_from is not None and not SIGNING.search(parsed.text)
        # 二季度新登记了多少个问题: the problems raised in the window, no project signed in it
        raised = "问题" in parsed.text and not SIGNING.search(parsed.text)
        # 开工不到60天的: the window of another step taken (the milestone's), not of a signing
        stepped = slots.milestone is not None
        return [] if window is None or (slots.week or deadline or raised or stepped) and not SIGNING.search(parsed.text) \
            else [window]
    if kind in ("matches", "rated"):  # one value: every column
        picked = slots.matches if kind == "matches" else slots.rated
        return [[f"{k}={v}" for k, v in picked.items()]] if picked else []
    # every other kind is the parsed question's slot of the same name (see registry.SLOTS)
    value = getattr(slots, kind, None)
    return [] if value is None else [value]


def window_is_period(parsed: Parsed) -> bool:
    """Whether the window a question names (一季度签约) is its named cumulative period too: from 1 January to the
    period's end."""
    slots, period = parsed.slots, parsed.period
    return (slots.date_from is not None and period is not None and not parsed.period_assumed
            and slots.date_from == date(period.year, 1, 1) and slots.date_to == period.end)


def used_slots(tool: FigureTool, parsed: Parsed, latest: LatestPeriod) -> int:
    kinds = set(tool.slots.values()) | set(tool.requires)
    # (a month the deadlines fall in, 约定开工期限在4月份, is no period for a tool that reads no deadline window)
    named_period = "period" in kinds and parsed.period is not None and not parsed.period_assumed and not (
        parsed.slots.due_from is not None and "due_from" not in kinds)
    # a position asked with no place named (上半年内资倒数第二) is which region holds it: only a ranking says
    # and so is a level set on the score (超过80%的, 不到75%的有几个): which places are beyond it
    # (of no county named: 平利一季度内资是不是负增长 asks that county's own 同比)
    level = (threshold_of(parsed.text) is not None or CITY_LEVEL.search(parsed.text) is not None) and not any(
        not r.is_city for r in parsed.regions)
    by = ("by" in kinds and (bool(ASKS_POSITION.search(_position_asked(parsed))) or level)
          and (bool(slot_values("by", parsed, latest)) or not parsed.regions or level))
    used = named_period + by + sum(1 for kind in kinds if kind in NAMING_KINDS and slot_values(kind, parsed, latest))
    # a column asked of the listed rows (紫阳县项目的最新进展) counts only beside a filter naming which rows: alone
    # (30天内要到约定开工期限的项目) the column word is how a lifecycle window is asked, not a list
    return used + (used > 0 and "columns" in kinds and bool(slot_values("columns", parsed, latest)))
