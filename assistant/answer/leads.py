"""The first sentence of a figure answer: the asked value, rank, tie, schedule or change, said directly."""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal

from pydantic import BaseModel

from assistant.answer.answer_types import NAMED_POSITION
from assistant.answer.comparisons import (
    ASKS_DIFFERENCE,
    RANGE,
    SMALL_NUMBERS,
    beyond_level,
    ends_apart,
    events_apart,
    fmt,
    gap_to_place,
    meets,
    range_top,
    ranked_rows_asked,
    score_of,
    single_label,
    summed,
    threshold_of,
    two_compared,
)
from assistant.answer.distinct import distinct_said, per_group_said
from assistant.answer.understand import (
    ASKS_TARGET,
    SHARE_OF_CITY,
    SINGLE_PERIOD,
    TOTAL,
    Parsed,
    delexicalise,
)
from assistant.db.periods import parse_period
from assistant.tools.contacts import ContactList
from assistant.tools.directory import EnterpriseList, ProjectDetail, against_deadline
from assistant.tools.indicators import (
    CityTotalResult,
    IndicatorResult,
    LaggingResult,
    RankingResult,
    basis_said,
)
from assistant.tools.ledger import ProblemList
from assistant.tools.lifecycle import CountyRanking, CountyRates, project_rate
from assistant.tools.milestones import COLUMN_NAMES
from assistant.tools.monthly import ProgressChange, ProgressStep
from assistant.tools.project_history import ProjectHistory
from assistant.tools.projects import (
    DATE_ORDER_COLUMNS,
    SPAN_ORDER_COLUMNS,
    SPAN_ORDERS,
    UNFILLED,
    ProjectItem,
    ProjectList,
    span_days,
)
from assistant.tools.types import cn_date, format_value

FIRST = re.compile(r"第一|第1|最高|最好|最快|最多|最大|排名?最前|居首|领先|头名")
LAST = re.compile(r"倒数|最低|最差|最慢|最少|最小|最后|末位|垫底|靠后|落后")
# Both ends of an order asked at once (谁最高谁最低, 最多的和最少的, 第一和最后).
BOTH_ENDS = re.compile(r"最[高大多好快].{0,12}最[低小少差慢]|最[低小少差慢].{0,12}最[高大多好快]"
                       r"|(?<!倒数)第[一1].{0,10}(?:最后|倒数第[一1]|垫底)|(?:首尾|头尾)")
# A change asked about from its falling side (下降最多 is the last of a ranking by increase).
FALLING = re.compile(r"下降|回落|退步|倒退")
# A position asked for: 排第二的, 第3名, 倒数第二 (not 第一季度).
RANK_POSITION = re.compile(r"(倒数)?第\s*(\d{1,3}|[一二两三四五六七八九十])(?!\s*季度|\d)")
# The first n places asked for (前三, 最高的三个, 最多的5个): 最X的 only before a count of places.
TOP_N = re.compile(r"(?:前|(?:最高|最好|最快|最多|最大|靠前)的?(?=\s*[2-9一二两三四五六七八九十]\s*(?:名|位|个)))"
                   r"\s*([2-9一二两三四五六七八九十])\s*(?:名|位|个)?")
# Any position a ranking question asks for: the top or last n, the nth, the first or the last.
POSITION_WORDS = re.compile(r"前\s*[2-9一二两三四五六七八九十]|第\s*(?:\d{1,3}|[一二两三四五六七八九十])(?!\s*季度)|倒数|最|"
                            r"后\s*[2-9一二两三四五六七八九十]|靠后|靠前|垫底|末位|居首|排名|排序")
# The last n places asked for (最后两名, 靠后的三个, 倒数三名, 后3位, 最低的三个): not 倒数第二, a single place.
BOTTOM_N = re.compile(r"(?:倒数|最后|末尾?|靠后的?|排名靠后的?|垫底的?|后|(?:最低|最差|最慢|最少|最小)的?)"
                      r"\s*([2-9一二两三四五六七八九十])\s*(?:名|位|个)")


def city_rest(parsed: Parsed, results: list[BaseModel]) -> tuple[str, float, float] | None:
    """除了汉阴，其他县区一共多少: the city's figure less the places named (same period and metric), that rest and
    what the places named add up to."""
    if not parsed.besides:
        return None
    rows = [r for r in results if isinstance(r, IndicatorResult)]
    city = next((r for r in rows if r.region == "全市" and r.value is not None), None)
    named = [r for r in rows if r.region != "全市" and city is not None and r.period == city.period
             and r.metric == city.metric]
    if city is None or not named or any(r.value is None for r in named):
        return None
    taken = sum(r.value for r in named if r.value is not None)
    rest = round(city.value - taken, 2)  # type: ignore[operator]
    names = "、".join(r.region for r in named)
    return (f"{city.period_label}全市{city.metric}{fmt(city.value, city.unit)}，除{names}（{fmt(taken, city.unit)}）外，"
            f"其余县区合计{fmt(rest, city.unit)}"), rest, taken


def is_city_figure(result: BaseModel) -> bool:
    """A result holding the city's own figure: the city total, or the indicator row of 全市."""
    return isinstance(result, CityTotalResult) or isinstance(result, IndicatorResult) and result.region == "全市"


def city_share(asked: str, r: IndicatorResult, results: list[BaseModel]) -> tuple[float, float] | None:
    """(share %, the city's figure) of a county's figure when the question asks its share of the city and the results
    hold the city's figure of the same period and metric."""
    if r.region == "全市" or r.value is None or not SHARE_OF_CITY.search(asked) or TARGET_SHARE.search(asked):
        return None
    cities = [c for c in results if isinstance(c, IndicatorResult | CityTotalResult) and is_city_figure(c)]
    city = next((c for c in cities if c.period == r.period and c.metric == r.metric and c.value), None)
    return (round(r.value / city.value * 100, 2), city.value) if city is not None and city.value else None


# The share asked is of the annual target (高新区的内资任务占全市目标多大份额, 它一家的外资任务占全市那2500万的几成).
TARGET_SHARE = re.compile(r"(?:任务|目标)[^，,。？?]{0,4}占|占(?:了)?全市[^，,。？?]{0,8}(?:任务|目标)")


def target_share(asked: str, r: IndicatorResult, results: list[BaseModel]) -> tuple[float, float, float] | None:
    """(share %, the place's annual target, the city's) when the question asks what part of the city's target a
    county's target is: the year's targets of the same metric (a target stated in an earlier report of the year
    stands for a period without data)."""
    if r.region == "全市" or not TARGET_SHARE.search(asked):
        return None
    own = r.annual_target if r.annual_target is not None else r.year_target
    city = next((c.annual_target for c in results if isinstance(c, IndicatorResult | CityTotalResult)
                 and is_city_figure(c) and c.period[:4] == r.period[:4] and c.metric == r.metric and c.annual_target),
                None)
    return (round(own / city * 100, 2), own, city) if own is not None and city else None


def derived(results: list[BaseModel], parsed: Parsed | None = None) -> list[float]:
    """Numbers the lead sentence derives from a result (the gap to the schedule), so the checker traces them."""
    out = [abs(round(r.schedule_pct - r.completion_pct, 2)) for r in results
           if isinstance(r, IndicatorResult) and r.completion_pct is not None]
    if parsed is not None and parsed.slots.distinct and results and (
            different := distinct_said(parsed.slots.distinct, results[0])):
        out += different[1]
    if parsed is not None and parsed.slots.per_group and results and (
            per := per_group_said(parsed.slots.per_group, results[0])):
        out += per[1]
    out += [abs(round(float(parse_period(r.period).schedule_pct) - r.completion_pct, 2)) for r in results
            if isinstance(r, CityTotalResult) and r.completion_pct is not None]
    out += [float(r.rank_shared_by) for r in results if isinstance(r, IndicatorResult) and r.rank_shared_by > 1]
    # the rest of the city beyond the places named (其余县区合计3.9万美元), and what they add up to
    if parsed is not None and (rest := city_rest(parsed, results)):
        out += [rest[1], rest[2]]
    # a county's share of the city (占全市的56.56%)
    if parsed is not None:
        asked = f"{parsed.asked_before} {parsed.text}"
        out += [share[0] for r in results if isinstance(r, IndicatorResult)
                and (share := city_share(asked, r, results)) is not None]
        out += [part[0] for r in results if isinstance(r, IndicatorResult)
                and (part := target_share(asked, r, results)) is not None]
    out += [abs(round(float(parse_period(r.period).schedule_pct) - score, 2)) for r in results
            if isinstance(r, RankingResult) and r.by == "completion"
            for row in r.rows if (score := score_of(row, r.by)) is not None]
    # the days between two steps of the project a span order puts first (从开工到投产用了147天)
    if parsed is not None and parsed.slots.order in SPAN_ORDERS and results and isinstance(results[0], ProjectList):
        out += _span_order_lead(parsed.slots.order, results[0], parsed.slots.span_over, parsed.slots.span_under,
                                "平均" in parsed.text)[1]
    # the money still to come of the project with the biggest gap (差8.60亿元)
    if parsed is not None and parsed.slots.order == "gap" and results and isinstance(results[0], ProjectList):
        out += _gap_lead(results[0])[1]
    # each county's single quarter or month, ranked (二季度单季内资最多的是哪个县区)
    if parsed is not None and (single := single_period_ranking(parsed, results)):
        out += single[1]
    # several places' lists added up (汉滨和旬阳签约项目加起来几个)
    if parsed is not None and (together := lists_added(parsed, results)):
        out += together[1]
    # a past ledger issue against the latest (现在多了1个, 总投资多了3.20亿元)
    if parsed is not None and (then_now := then_and_now(parsed, results)):
        out += then_now[1]
    # the difference between two places set side by side (比石泉县高1.99个百分点)
    compared = two_compared(parsed, results) if parsed is not None else None
    out += [compared[1]] if compared else []
    # …or two counties' project rates (汉阴比旬阳低9.74个百分点)
    apart = rates_apart(parsed, results) if parsed is not None else None
    out += [apart[1]] if apart else []
    # the total of several places (汉滨、石泉、白河三个县区合计112.02亿元)
    total = summed(parsed, results) if parsed is not None else None
    out += total[1] if total else []
    # the place asked against another position (比第二名快几个点)
    out += [placed[1] for r in results if parsed is not None and isinstance(r, RankingResult)
            for row in ranked_rows_asked(parsed, r) if (placed := gap_to_place(parsed.text, r, row))]
    # two periods' events set against each other (23年比19年多签了多少)
    out += apart_events[1] if parsed is not None and (apart_events := events_apart(parsed, results)) else []
    # the first place's lead over the last (第一名和最后一名差多少)
    out += [spread[1] for r in results if parsed is not None and isinstance(r, RankingResult)
            and (spread := ends_apart(parsed, r))]
    # the level a ranking was cut at and how many places are beyond it (低于75%的有4个)
    out += [n for r in results if parsed is not None and isinstance(r, RankingResult)
            and (level := beyond_level(parsed, r)) for n in level[1]]
    # the counties beyond a level set on a project rate (开工率低于80%的有3个) and the level
    if parsed is not None and (cut := threshold_of(parsed.text)) and cut[2] == "%":
        out += [n for r in results if isinstance(r, CountyRanking)
                for n in (cut[1], float(len(_beyond(r, cut[0], cut[1], range_top(parsed.text)))))]
        out += [range_top(parsed.text)] if RANGE.search(parsed.text) else []
    # the rest of the annual target (距年度目标还差18.61亿元), or what exceeds it
    # (of a follow-up, what its earlier question asked: 换石泉看看 after …离全年目标还差多少)
    if parsed is not None and ASKS_REMAINING.search(f"{parsed.asked_before} {parsed.text}"):
        out += [abs(gap) for r in results if isinstance(r, IndicatorResult | CityTotalResult)
                and (gap := remaining(r.value, r.annual_target)) is not None]
    # how many regions share a place (11个地区并列第3): counted from the ranking's rows
    out += [float(n) for r in results if isinstance(r, RankingResult)
            for n in Counter(row.rank for row in r.rows).values()]
    # the schedule itself, which the lead names beside the gap (a ranking or a city total holds no 序时 figure)
    out += [round(float(parse_period(r.period).schedule_pct), 2) for r in results
            if isinstance(r, RankingResult | CityTotalResult)]
    return out + [abs(r.yoy_pct) for r in results
                  if isinstance(r, IndicatorResult | CityTotalResult) and r.yoy_pct is not None]


def _rank_words(rank: int, tied: int) -> str:
    """第3, or 并列第3（4个并列） with how many share the place."""
    return f"并列第{rank}（{tied}个并列）" if tied > 1 else f"第{rank}"


def lead_sentence(parsed: Parsed, results: list[BaseModel]) -> str:  # noqa: C901 - one branch per result type
    """The first sentence: a direct answer to the question, from the tool results."""
    first = results[0]
    if parsed.slots.per_group and (per := per_group_said(parsed.slots.per_group, first)):
        return per[0]  # 每个项目管家平均管几个项目: the rows over the column's different values
    if parsed.slots.distinct and (different := distinct_said(parsed.slots.distinct, first)):
        return different[0]  # 横跨几条产业链: the different values of the column among the rows listed
    if isinstance(first, IndicatorResult):
        sentences = []
        # a follow-up changing the place or period (那一季度的呢) asks what its earlier question asked (同比, 目标)
        asked = f"{parsed.asked_before} {parsed.text}" if parsed.follow_up else parsed.text
        for r in results:
            if not isinstance(r, IndicatorResult):
                continue
            part = target_share(asked, r, results)
            of_city = f"，占全市年度目标（{fmt(part[2], r.unit)}）的{fmt(part[0], '%')}" if part else ""
            if r.value is None:
                sentences.append(f"项目数据库中没有{r.region}{r.period_label}{r.metric}的数据" + (
                    # the year's target is known from an earlier period of it (全年任务 before the year's data)
                    f"；{r.region}{r.period[:4]}年{r.metric}年度目标为{fmt(r.year_target, r.unit)}"
                    f"（取自{r.year_target_period}的报表）{of_city}"
                    if r.year_target is not None and ASKS_TARGET.search(asked) else ""))
                continue
            text = f"{r.region}{r.period_label}{r.metric}{fmt(r.value, r.unit)}"
            if r.yoy_pct is not None and re.search(r"同比|增速|增幅|增长", asked):
                text += f"，同比{'增长' if r.yoy_pct >= 0 else '下降'}{fmt(abs(r.yoy_pct), '%')}"
            if r.annual_target is not None and ASKS_TARGET.search(asked):
                text += f"，年度目标{fmt(r.annual_target, r.unit)}{of_city}"
            if r.completion_pct is not None:
                # (a follow-up asks the gap its earlier question asked: 那7月底差距缩小了没 after 比序时差多少)
                text += f"，完成年度目标的{fmt(r.completion_pct, '%')}" + schedule_gap(
                    asked, r.completion_pct, r.schedule_pct)
            text += target_gap(asked, r.value, r.annual_target, r.unit)
            if (share := city_share(asked, r, results)) is not None:
                text += f"，占全市（{fmt(share[1], r.unit)}）的{fmt(share[0], '%')}"
            if r.rank is not None:
                text += f"，在{r.ranked_regions}个县区中排{_rank_words(r.rank, r.rank_shared_by)}"
            sentences.append(text)
        if rest := city_rest(parsed, results):
            return f"{rest[0]}。" + "；".join(sentences) + "。"
        difference = two_compared(parsed, results) or summed(parsed, results)
        return (f"{difference[0]}。" if difference else "") + "；".join(sentences) + "。"
    if single := single_period_ranking(parsed, results):
        return single[0]
    if isinstance(first, RankingResult):
        parts = []
        # a follow-up naming no position (外资呢 after 内资排名前三) keeps the one asked before
        asked = parsed.text if POSITION_WORDS.search(parsed.text) else f"{parsed.asked_before} {parsed.text}"
        for r in results:
            if not isinstance(r, RankingResult) or not r.rows:
                continue
            label = basis_said(r.by)
            ranks = sorted({row.rank for row in r.rows})
            if spread := ends_apart(parsed, r):
                parts.append(spread[0])
                continue
            if level := beyond_level(parsed, r):
                parts.append(level[0])
                continue
            m = TOP_N.search(asked)
            if m:
                n = int(m.group(1)) if m.group(1).isdigit() else SMALL_NUMBERS.get(m.group(1), 3)
                chosen = [row for row in r.rows if row.rank <= n]
                parts.append(f"{r.period_label}{r.metric}{label}前{n}名：" + "、".join(
                    f"{row.region}（第{row.rank}，{fmt(score_of(row, r.by), r.unit)}）" for row in chosen))
                continue
            if (m := BOTTOM_N.search(asked)) and r.rows:
                # 最后两名, 靠后的三个, 倒数三名: the last n places, with every region tied at the nth
                n = int(m.group(1)) if m.group(1).isdigit() else SMALL_NUMBERS.get(m.group(1), 3)
                backwards = sorted(r.rows, key=lambda row: row.rank, reverse=True)
                cut = backwards[min(n, len(backwards)) - 1].rank
                chosen = [row for row in backwards if row.rank >= cut]
                parts.append(f"{r.period_label}{r.metric}{label}倒数{n}名：" + "、".join(
                    f"{row.region}（{_rank_words(row.rank, sum(1 for x in r.rows if x.rank == row.rank))}，"
                    f"{fmt(score_of(row, r.by), r.unit)}）" for row in chosen))
                continue
            named = ranked_rows_asked(parsed, r)
            if r.county_class and not named:
                label += f"在{r.county_class}县区中"  # 完成进度在二类县区中排第1的是白河县
            if named:
                schedule = float(parse_period(r.period).schedule_pct)
                parts.append("，".join(
                    f"{r.period_label}{row.region}{r.metric}{label}{fmt(score_of(row, r.by), r.unit)}"
                    + (schedule_gap(parsed.text, score, schedule)
                       if r.by == "completion" and (score := score_of(row, r.by)) is not None else "")
                    + f"，在{f'{r.county_class}县区（共{len(r.rows)}个）' if r.county_class else f'{len(r.rows)}个县区'}中"
                    + f"排{_rank_words(row.rank, sum(1 for x in r.rows if x.rank == row.rank))}"
                    + (gap[0] if (gap := gap_to_place(parsed.text, r, row)) else "")
                    for row in named))
                if FIRST.search(parsed.text) and not LAST.search(parsed.text) and all(row.rank != 1 for row in named):
                    # 它还是第一吗: no — and who is
                    parts[-1] += "；排第1的是" + "、".join(f"{row.region}（{fmt(score_of(row, r.by), r.unit)}）"
                                                      for row in r.rows if row.rank == 1)
                continue
            ordinal = RANK_POSITION.search(asked)
            n = 0
            if ordinal:
                n = int(ordinal.group(2)) if ordinal.group(2).isdigit() else SMALL_NUMBERS.get(ordinal.group(2), 0)
            if n > 1 or (n == 1 and ordinal and ordinal.group(1)):
                # 排第二的, 倒数第三: the position n, inside a tie group when n falls in one (并列第3 covers 3–11)
                order = sorted(r.rows, key=lambda row: row.rank, reverse=bool(ordinal and ordinal.group(1)))
                if n > len(order):
                    parts.append(f"{r.period_label}{r.metric}{label}没有{'倒数' if ordinal and ordinal.group(1) else '排'}第{n}的县区，"
                                 f"只有{len(order)}个县区参与排名")
                    continue
                ends = [(order[n - 1].rank, f"倒数第{n}" if ordinal and ordinal.group(1) else f"排第{n}")]
                # 第七第八分别是谁: every position the question names, in its order
                for more in list(RANK_POSITION.finditer(parsed.text))[1:]:
                    pos = int(more.group(2)) if more.group(2).isdigit() else SMALL_NUMBERS.get(more.group(2), 0)
                    if 1 <= pos <= len(order) and bool(more.group(1)) == bool(ordinal and ordinal.group(1)) \
                            and pos != n:
                        ends.append((order[pos - 1].rank, f"倒数第{pos}" if more.group(1) else f"排第{pos}"))
            elif BOTH_ENDS.search(asked):
                ends = [(ranks[0], "排第1"), (ranks[-1], "排名最后")]  # 谁最高谁最低: the two ends, top first
            elif LAST.search(asked):
                ends = [(ranks[-1], "排名最后")]
            elif FIRST.search(asked) or re.search(r"哪个|哪家|谁", asked):
                ends = [(ranks[0], "排第1")]
            else:
                parts.append(r.summary.rstrip("。"))
                continue
            said = []
            for place, prefix in ends:
                rows = [row for row in r.rows if row.rank == place]
                names = "、".join(f"{row.region}（{fmt(score_of(row, r.by), r.unit)}）" for row in rows)
                tie = f"，{len(rows)}个地区并列第{place}" if len(rows) > 1 else ""
                said.append(f"{prefix}的是{names}{tie}")
            parts.append(f"{r.period_label}{r.metric}{label}" + "，".join(said))
        return "；".join(parts) + "。" if parts else str(getattr(first, "summary", ""))
    if isinstance(first, CityTotalResult) and first.basis == "全市行":
        difference = two_compared(parsed, results)
        return (f"{difference[0]}。" if difference else "") + "；".join(
            _city_lead(parsed, r) for r in results if isinstance(r, CityTotalResult)) + "。"
    if isinstance(first, LaggingResult) and ASKS_AHEAD.search(parsed.text):
        return _ahead_lead(first)
    if isinstance(first, CountyRanking):
        return _county_rate_lead(parsed, first)
    if isinstance(first, ProgressChange):
        return _progress_lead(parsed, first)
    if isinstance(first, ProjectDetail) and WHEN.search(parsed.text) and (noted := _progress_noting(first, parsed.text)):
        return noted  # 施工许可证是哪天拿到手的: the progress note recording that step, with its date
    if isinstance(first, ProjectDetail) and (columns := asked_columns(parsed, first)):
        return _columns_lead(first, columns) + _investor_lead(parsed, first)
    if isinstance(first, EnterpriseList) and (fields := asked_enterprise_fields(parsed, results)):
        return _enterprise_fields_lead(first, fields)
    if then_now := then_and_now(parsed, results):
        return then_now[0]
    if isinstance(first, ProjectList) and parsed.slots.order == "gap" and first.items:
        return _gap_lead(first)[0]
    if isinstance(first, ProjectList) and parsed.slots.order in SPAN_ORDERS and first.items:
        return _span_order_lead(parsed.slots.order, first, parsed.slots.span_over, parsed.slots.span_under,
                                "平均" in parsed.text)[0]
    if isinstance(first, ProjectList) and parsed.slots.order in DATE_ORDER_COLUMNS and first.items:
        return _date_order_lead(parsed.slots.order, first)
    if together := lists_added(parsed, results):
        return together[0]
    if isinstance(first, ContactList) and (busiest := _busiest_lead(parsed, first)):
        return busiest
    if isinstance(first, ContactList) and first.enterprise_status and (
            at := next((status for status in dict.fromkeys(first.enterprise_status.values())
                        if status in parsed.text or status.removeprefix("已") + "了" in parsed.text), None)):
        # 对接过的企业里有几家已经签约了: the companies contacted that the target-enterprise table has at that status
        companies = [name for name, status in first.enterprise_status.items() if status == at]
        return (f"{first.summary.split('共有走访叩门记录')[0]}对接的 {len(first.enterprises)} 家企业中，目标企业库里"
                f"“{at}”的 {len(companies)} 家：{'、'.join(companies)}。")
    if isinstance(first, ProjectList) and (parsed.slots.total or parsed.slots.mean) and first.totals:
        # 当年到位资金加起来多少: the sum first (and a part's share of the whole), the projects it adds up after
        return f"{first.headline}，{first.totals}。"
    if isinstance(first, ProjectHistory):
        return first.summary.split("。各期：")[0] + "。"  # what changed; each issue's row follows as the evidence
    if events := events_apart(parsed, results):
        return events[0]  # 23年比19年多签了多少: the two periods' totals and the difference
    if 1 < len(results) <= 3 and all(type(r) is type(first) for r in results) and all(
            len(str(getattr(r, "summary", ""))) <= 200 for r in results):
        # the same short record of several things asked at once (北京办和上海办的负责人分别是谁): each one's
        return "".join(str(getattr(r, "summary", "")) for r in results)
    return str(getattr(first, "summary", ""))


def _busiest_lead(parsed: Parsed, contacts: ContactList) -> str:
    """今年叩门最多的是哪个联络处: the unit with the most (or fewest) records, ties said as ties; "" when no end of
    the units is asked or one unit holds them all."""
    ask = re.search(r"最(多|少)|(?:谁|哪个|哪家)(?:跑得)?(多|少)", parsed.text)
    if not ask or len(contacts.by_office) < 2:
        return ""
    most = (ask.group(1) or ask.group(2)) == "多"
    # (哪个联络处: among the offices, not the bureau's own sections beside them)
    kind = next((k for k in ("联络处", "分局", "科") if k in parsed.text), "")
    units = [(name, n) for name, n in contacts.by_office if kind in name] or contacts.by_office
    end = units[0][1] if most else units[-1][1]
    named = [name for name, n in units if n == end]
    tie = f"（{len(named)} 个并列，各 {end} 次）" if len(named) > 1 else f"（{end} 次）"
    return (f"{'、'.join(named)}的走访叩门记录最{'多' if most else '少'}{tie}；共 {contacts.count} 次，按单位："
            + "、".join(f"{name} {n} 次" for name, n in contacts.by_office) + "。")


def single_period_ranking(parsed: Parsed, results: list[BaseModel]) -> tuple[str, list[float]] | None:
    """二季度单季内资最多的是哪个县区: each county's later cumulative figure less the earlier one, ranked (the two
    rankings of totals the question's period and the one before it give) — and the numbers said."""
    ranked = [r for r in results if isinstance(r, RankingResult) and r.by == "value"]
    if len(ranked) != 2 or parsed.compared_to is None or not SINGLE_PERIOD.search(parsed.text):
        return None
    later, earlier = sorted(ranked, key=lambda r: parse_period(r.period), reverse=True)
    if later.metric != earlier.metric or parse_period(later.period).year != parse_period(earlier.period).year:
        return None
    before = {row.region: row.value for row in earlier.rows if row.value is not None}
    single = sorted(((row.region, round(float(row.value) - float(before[row.region]), 2)) for row in later.rows
                     if row.value is not None and row.region in before), key=lambda t: -t[1])
    if not single:
        return None
    label = single_label(later.period, earlier.period)
    low = bool(LAST.search(parsed.text)) and not FIRST.search(parsed.text)
    end = single[-1][1] if low else single[0][1]
    named = [region for region, v in single if v == end]
    listing = "、".join(f"{i}. {region} {fmt(v, later.value_unit)}" for i, (region, v) in enumerate(single, 1))
    text = (f"{parse_period(later.period).year}年{label}单独完成{later.metric}{'最少' if low else '最多'}的是"
            f"{'、'.join(named)}（{fmt(end, later.value_unit)}，{later.period_label}累计 − {earlier.period_label}累计）。"
            f"各县区{label}单独完成：{listing}。")
    return text, [v for _, v in single]


def lists_added(parsed: Parsed, results: list[BaseModel]) -> tuple[str, list[float]] | None:
    """The project lists of several places added up (汉滨和旬阳签约项目加起来几个): each place's count and total
    investment, then the sum — and the numbers said."""
    lists = [r for r in results if isinstance(r, ProjectList)]
    if len(lists) < 2 or len(lists) != len(results) or not TOTAL.search(parsed.text):
        return None
    places = [next(iter({i.region for i in r.items}), "") if len({i.region for i in r.items}) == 1 else "" for r in lists]
    if not all(places) or len(set(places)) != len(places):
        return None
    invested = [next((f.value for f in r.figures if f.label == "符合条件的项目总投资"), None) or 0.0 for r in lists]
    count, total = sum(r.total_count for r in lists), round(sum(float(v) for v in invested), 2)
    each = "；".join(f"{place} {r.total_count} 个（总投资 {fmt(v, '亿元')}）" for place, r, v in zip(places, lists, invested,
                                                                                              strict=True))
    what = lists[0].headline.split("的项目")[0] + "的项目" if "的项目" in lists[0].headline else "项目"
    return (f"{'、'.join(places)}{what}合计 {count} 个，总投资 {fmt(total, '亿元')}：{each}。",
            [float(count), total, *(float(r.total_count) for r in lists), *(float(v) for v in invested)])


def then_and_now(parsed: Parsed, results: list[BaseModel]) -> tuple[str, list[float]] | None:
    """A past ledger issue's list against the latest issue's (6月底那期有几个？现在多少个？多出来的是谁): both counts,
    the difference, and which rows came in or left; with the derived numbers, for the checker. None unless the
    question sets a past issue against now and the two lists are there."""
    day = parsed.slots.ledger_on
    if not parsed.slots.vs_now or day is None or len(results) != 2 or type(results[0]) is not type(results[1]):
        return None
    then, now = results
    if isinstance(then, ProjectList) and isinstance(now, ProjectList):
        kind, unit = "项目", "个"
        counts = (then.total_count, now.total_count)
        names = ([i.name for i in then.items], [i.name for i in now.items])
        complete = not then.truncated and not now.truncated
        sums = [sum(i.total_investment_yi_yuan or 0 for i in r.items) for r in (then, now)] if complete else []
    elif isinstance(then, ProblemList) and isinstance(now, ProblemList):
        kind, unit = "未解决问题", "个"
        counts = (then.open_count, now.open_count)
        listed = [[f"{i.code}（{i.project or i.region}）" for i in r.items] for r in (then, now)]
        names = (listed[0], listed[1])
        complete, sums = True, []
    else:
        return None
    change = counts[1] - counts[0]
    said = f"多了{change}{unit}" if change > 0 else f"少了{-change}{unit}" if change < 0 else "个数没有变化"
    text = f"按{cn_date(day)}那一期台账，{kind}{counts[0]}{unit}；最新一期台账{counts[1]}{unit}，{said}"
    numbers = [float(abs(change))]
    if sums:
        moved = round(sums[1] - sums[0], 2)
        text += (f"，总投资{'多了' if moved > 0 else '少了'}{abs(moved):.2f}亿元（{sums[0]:.2f}亿元→{sums[1]:.2f}亿元）"
                 if moved else "")
        numbers += [abs(moved), round(sums[0], 2), round(sums[1], 2)]
    if complete:
        came = [n for n in names[1] if n not in names[0]]
        left = [n for n in names[0] if n not in names[1]]
        text += (f"；新增：{'、'.join(came)}" if came else "") + (f"；不再在列：{'、'.join(left)}" if left else "")
    return text + "。", numbers


def _progress_noting(project: ProjectDetail, question: str) -> str:
    """The progress note, latest or earlier, sharing most three-character runs with the question beyond the
    project's own name (取得施工许可证 for 施工许可证是哪天拿到手的), with its date; "" when none shares one."""
    asked = question.replace(project.name.removesuffix("（示例）"), " ")

    def shared(note: str) -> int:
        return len({note[i:i + 3] for i in range(len(note) - 2) if note[i:i + 3] in asked})

    notes = [(n.noted_on, n.text) for n in project.earlier_progress]
    if project.progress and project.progress_on:
        notes.append((project.progress_on, project.progress))
    best = max(notes, key=lambda n: shared(n[1]), default=None)  # the earliest of the notes sharing most
    if best is None or not shared(best[1]):
        return ""
    return f"{project.name}的台账进展记有“{best[1]}”，进展日期{cn_date(best[0])}。"


def _span_order_lead(order: str, listed: ProjectList, over: int | None = None,
                     under: int | None = None, average: bool = False) -> tuple[str, list[float]]:
    """从开工到投产最快的是某项目（2023年1月5日开工，2023年6月1日投产，用了 147 天）。 — with every project sharing that
    span; and the days, for the checker. With a bound on the span (签约后超过45天才开工的): how many, and each one's days."""
    start, end, longest = SPAN_ORDERS[order]
    spans = [(item, days) for item in listed.items if (days := span_days(item, order)) is not None]
    first, then = (column.removesuffix("日期") for column in SPAN_ORDER_COLUMNS[order])
    stated = {f.label.split("（")[0]: f for f in listed.figures if f.label.startswith(f"从{first}到{then}的")}
    mean, longest_, shortest = (stated.get(f"从{first}到{then}的{w}") for w in ("平均天数", "最长天数", "最短天数"))
    if average and mean is not None and longest_ is not None and shortest is not None and mean.value is not None:
        # 签约到开工平均用了多少天: the mean over the projects with both dates, then the longest and shortest
        counted = mean.label.split("（")[1].rstrip("）")
        return (f"{counted}从{first}到{then}平均用了 {fmt(mean.value, '天')}"
                f"（最长 {fmt(longest_.value, '')} 天，最短 {fmt(shortest.value, '')} 天）。",
                [mean.value, float(longest_.value or 0), float(shortest.value or 0)])
    if over is not None or under is not None:
        bound = f"超过 {over} 天才" if over is not None else f"不到 {under} 天就"
        if not spans:
            return f"没有{first}后{bound}{then}的项目。", [float(over if over is not None else under or 0)]
        each = "；".join(f"{item.name}（{cn_date(getattr(item, start))}{first}，{cn_date(getattr(item, end))}{then}，"
                        f"用了 {days} 天）" for item, days in spans)
        return (f"{first}后{bound}{then}的项目共 {len(spans)} 个：{each}。",
                [float(over if over is not None else under or 0), float(len(spans)), *(float(d) for _, d in spans)])
    if not spans:
        return f"所列项目都还没有从{first}到{then}的两个日期。", []
    days = spans[0][1]
    same = [item for item, d in spans if d == days]
    said = "、".join(f"{item.name}（{cn_date(getattr(item, start))}{first}，{cn_date(getattr(item, end))}{then}）"
                     for item in same)
    return f"从{first}到{then}用时{'最长' if longest else '最短'}的是{said}，用了 {days} 天。", [float(days)]


def _gap_lead(listed: ProjectList) -> tuple[str, list[float]]:
    """资金缺口最大的是碳基新材料项目（示例）（总投资9.80亿元，到位资金1.20亿元，还差8.60亿元）。 — with every project
    sharing that gap; and the gap, for the checker."""
    def gap(item: ProjectItem) -> Decimal:
        return Decimal(str(item.total_investment_yi_yuan)) - Decimal(str(item.funds_arrived_yi_yuan))

    items = [i for i in listed.items if i.total_investment_yi_yuan is not None and i.funds_arrived_yi_yuan is not None]
    if not items:
        return "所列项目都没有同时填写总投资和到位资金。", []
    most = gap(items[0])
    same = [i for i in items if gap(i) == most]
    said = "、".join(f"{i.name}（总投资{format_value(i.total_investment_yi_yuan, '亿元')}，到位资金"
                     f"{format_value(i.funds_arrived_yi_yuan, '亿元')}）" for i in same)
    return f"资金缺口（总投资减到位资金）最大的是{said}，还差{format_value(float(most), '亿元')}。", [float(most)]


def _date_order_lead(order: str, listed: ProjectList) -> str:
    """开工最晚的是富硒茶饮品项目（示例）（2023年6月20日）。 — with every project sharing that date."""
    column = DATE_ORDER_COLUMNS[order]
    day = listed.items[0].columns.get(column, UNFILLED)
    if day == UNFILLED:
        return f"所列项目都还没有{column}。"
    same = [item.name for item in listed.items if item.columns.get(column) == day]
    step = column.removesuffix("日期")
    return f"{step}{'最晚' if order.endswith('_last') else '最早'}的是{'、'.join(same)}（{column}{day}）。"


# When a thing happened asked (哪天, 什么时候): of a stage named, the date the ledger records it reached.
WHEN = re.compile(r"哪天|哪一天|什么时候|啥时候|何时|几月几|日期|时间|哪年|哪月")


def asked_columns(parsed: Parsed, project: ProjectDetail) -> list[str]:
    """The ledger columns a question asks of one project (包抓领导, 外资金额; 线索日期 for 哪天作为线索录进来的)."""
    asked = list(parsed.slots.columns or [])
    if parsed.slots.milestone in COLUMN_NAMES and WHEN.search(parsed.text):
        asked.append(COLUMN_NAMES[parsed.slots.milestone])
    return [c for c in dict.fromkeys(asked) if c in project.columns]


# The target-enterprise table's columns a question asks of one company (总部设在哪儿, 哪条产业链的, 谁在跟):
# the column, the words asking it and the item's field.
ENTERPRISE_FIELDS: dict[str, tuple[re.Pattern[str], str]] = {
    "总部所在地": (re.compile(r"总部|总公司|老家|大本营|哪里的企业|哪儿的企业|哪里的公司|哪儿的公司"), "headquarters"),
    "所属产业链": (re.compile(r"产业链|哪条链|哪个链"), "chain"),
    "跟踪责任单位": (re.compile(r"谁在跟|谁跟的|跟踪责任单位|哪个单位在?跟"), "owner"),
    "类别": (re.compile(r"类别|啥类|什么类|哪一?类|归类|划.{0,3}类"), "category"),
    "对接状态": (re.compile(r"对接状态|对接到哪|谈到哪|跟到哪"), "status"),
}


def asked_enterprise_fields(parsed: Parsed, results: list[BaseModel]) -> list[str]:
    """The columns a question asks of the one company a lookup found, in ENTERPRISE_FIELDS' order."""
    first = results[0] if len(results) == 1 else None
    if not isinstance(first, EnterpriseList) or len(first.items) != 1:
        return []
    return [label for label, (asks, _) in ENTERPRISE_FIELDS.items() if asks.search(parsed.text)]


def columns_unfilled(parsed: Parsed, results: list[BaseModel]) -> bool:
    """Whether the question asks columns of one project or one company and the ledger leaves every one of them
    empty (康养小镇项目的包抓领导, 威兰丹特集团总部设在哪儿)."""
    first = results[0] if len(results) == 1 else None
    if fields := asked_enterprise_fields(parsed, results):
        item = first.items[0]  # type: ignore[union-attr]
        return all(not getattr(item, ENTERPRISE_FIELDS[f][1]) for f in fields)
    return isinstance(first, ProjectDetail) and bool(asked := asked_columns(parsed, first)) and all(
        first.columns[c] == UNFILLED for c in asked)


def _enterprise_fields_lead(company: EnterpriseList, asked: list[str]) -> str:
    """威兰丹特集团的总部所在地，目标企业库中没有填写，无法回答。 — or the values the table holds."""
    item = company.items[0]
    filled = [f"{f}为{value}" for f in asked if (value := getattr(item, ENTERPRISE_FIELDS[f][1]))]
    empty = [f for f in asked if not getattr(item, ENTERPRISE_FIELDS[f][1])]
    lead = f"{item.name}的{'，'.join(filled)}。" if filled else ""
    if empty:
        lead += (f"目标企业库中{'' if filled else item.name + '的'}{'、'.join(empty)}一栏没有填写"
                 f"{'' if filled else '，无法回答'}。")
    return lead


def _columns_lead(project: ProjectDetail, asked: list[str]) -> str:
    """碳基新材料项目（示例）的包抓领导为副市长（分管工业）。 — and which of the asked columns the ledger leaves empty."""
    # the agreed start beside the actual one (比约定开工期限提前了几天开的工)
    filled = [f"{c}为{project.columns[c]}" + (against_deadline(project.started_on, project.start_deadline)
                                               if c == "约定开工期限" else "")
              for c in asked if project.columns[c] != UNFILLED]
    empty = [c for c in asked if project.columns[c] == UNFILLED]
    lead = f"{project.name}的{'，'.join(filled)}。" if filled else ""
    if empty:
        lead += (f"项目台账中{'' if filled else project.name + '的'}{'、'.join(empty)}一栏没有填写"
                 f"{'' if filled else '，无法回答'}。")
    return lead


def _investor_lead(parsed: Parsed, project: ProjectDetail) -> str:
    """示例智能装备有限公司的总部所在地为苏州（目标企业库）: what is asked of the project's company, from its record."""
    filled = [f"{label}为{project.investor[label]}" for label, (asks, _) in ENTERPRISE_FIELDS.items()
              if asks.search(parsed.text) and label in project.investor]
    return f"{project.enterprise}的{'，'.join(filled)}（目标企业库）。" if filled else ""


def _city_lead(parsed: Parsed, r: CityTotalResult) -> str:
    """全市 from the report's own 全市 row: the value, the 同比 when asked, the target when asked, the completion."""
    if r.value is None:
        return f"项目数据库中没有全市{r.period_label}{r.metric}的数据"
    text = f"全市{r.period_label}{r.metric}{fmt(r.value, r.unit)}"
    if re.search(r"同比|增速|增幅|增长", parsed.text):
        text += ("，同比无数据" if r.yoy_pct is None else
                 f"，同比{'增长' if r.yoy_pct >= 0 else '下降'}{fmt(abs(r.yoy_pct), '%')}")
    if r.annual_target is not None and ASKS_TARGET.search(parsed.text):
        text += f"，年度目标{fmt(r.annual_target, r.unit)}"
    if r.completion_pct is not None:
        text += f"，完成年度目标的{fmt(r.completion_pct, '%')}" + schedule_gap(
            parsed.text, r.completion_pct, float(parse_period(r.period).schedule_pct))
    return text + target_gap(parsed.text, r.value, r.annual_target, r.unit)


# The question asks how much of the annual target is left (距离全年目标还差多少, 还差多少没完成, 剩余任务, 缺口):
# a word of distance or of what remains, beside the target or alone; 差几个百分点 / 离序时进度 ask the schedule.
ASKS_REMAINING = re.compile(
    r"(?:差|距|离|剩|缺口|欠)[^，。？?序]{0,8}(?:目标|任务)|(?:目标|任务)[^，。？?序]{0,6}(?:还差|差多少|缺口|剩)"
    r"|(?:还|尚)差多少(?![^，。？?]{0,4}(?:百分点|序时))|(?:没|未)完成的?(?:部分|还有)?(?:多少)?$|(?:还|尚)(?:没|未)完成"
    r"|剩余|剩下|缺口|超额|超出(?:目标|任务)")


def remaining(value: float | None, target: float | None) -> float | None:
    """The annual target less the cumulative value (negative once the target is exceeded); None without both."""
    return None if value is None or not target else round(target - value, 2)


def target_gap(question: str, value: float | None, target: float | None, unit: str) -> str:
    """"，距年度目标（127.3亿元）还差18.61亿元" or "，已超额完成年度目标（1250.28亿元）182.37亿元" when the question
    asks what is left of the target; "" otherwise or without a value and a target."""
    gap = remaining(value, target)
    if gap is None or not ASKS_REMAINING.search(question) or re.search(r"序时|百分点", question):
        return ""
    if gap > 0:
        return f"，距年度目标（{fmt(target, unit)}）还差{fmt(gap, unit)}"
    return f"，已完成年度目标（{fmt(target, unit)}）" + (f"，超出{fmt(-gap, unit)}" if gap else "")


# The question measures completion against the schedule, from either side (落后多少, 快了多少, 超序时多少, 达没达到).
ASKS_SCHEDULE = re.compile(r"序时|时间进度|落后|滞后|超前|领先|差多少|低多少|高多少|快多少|快了多少|慢多少")


def schedule_gap(question: str, completion_pct: float, schedule_pct: float) -> str:
    """"，低于序时进度（58.33%）3.77个百分点" or "，高于序时进度（50%）20.3个百分点" when the question asks how
    completion stands against the schedule: said from the side the figure is on, whichever side the question
    assumed (落后多少 of a county ahead is answered as ahead)."""
    if not ASKS_SCHEDULE.search(question):
        return ""
    gap = round(completion_pct - schedule_pct, 2)
    side = "高于" if gap > 0 else "低于" if gap < 0 else "持平于"
    amount = fmt(abs(gap), "个百分点") if gap else ""
    return f"，{side}序时进度（{fmt(schedule_pct, '%')}）{amount}"


# The regions asked for are those ahead of the schedule (高于序时进度的县区, 超过序时的有哪些, 跑赢序时进度).
ASKS_AHEAD = re.compile(r"(?:高于|超过|超出|超|快于|领先|跑赢|好于)了?(?:于)?序时|序时进度?(?:以上|之上)")


def _ahead_lead(r: LaggingResult) -> str:
    """"…完成进度高于序时进度（50%）的有1个：汉阴县（67.63%，高17.63个百分点）": the regions at or above the
    schedule, most ahead first; said as 达到或高于 when one sits exactly on it."""
    schedule = fmt(r.schedule_pct, "%")
    side = "高于" if all(x.gap_pct > 0 for x in r.ahead) else "达到或高于"
    head = f"{r.period_label}{r.metric}完成进度{side}序时进度（{schedule}）的"
    if not r.ahead:
        return f"{head}县区：没有。" if r.lagging else r.summary
    listing = "、".join(f"{x.region}（{fmt(x.completion_pct, '%')}，" + (
        f"高{fmt(x.gap_pct, '个百分点')}）" if x.gap_pct else "持平）") for x in r.ahead)
    return f"{head}有{len(r.ahead)}个：{listing}。"


def _place(rank: int, ranked: list[int]) -> str:
    """排第3 / 排并列第3 among the ranks given (one per ranked region)."""
    return f"排{_rank_words(rank, ranked.count(rank))}"


def end_places(text: str, ranks: list[int]) -> tuple[str, int, int] | None:
    """The first or last n places asked (前三名 → ("前", 3, 3); 垫底的三个 → ("倒数", 3, the rank at the 3rd from the
    end)): which end, n, and the rank that cuts it (ties at the nth are in); None when none is asked."""
    if not ranks:
        return None
    for which, pattern in (("前", TOP_N), ("倒数", BOTTOM_N)):
        if m := pattern.search(text):
            n = int(m.group(1)) if m.group(1).isdigit() else SMALL_NUMBERS.get(m.group(1), 3)
            ordered = sorted(ranks, reverse=which == "倒数")
            return which, n, ordered[min(n, len(ordered)) - 1]
    return None


def _extreme(parsed: Parsed, ranks: list[int]) -> tuple[int, str] | None:
    """The place the question asks for at one end of a ranking (最高/最多 → the first, 最低/最少 → the last),
    and how to say it; None when it asks neither."""
    if not ranks:
        return None
    if LAST.search(parsed.text):
        return max(ranks), "最后"
    if FIRST.search(parsed.text) or re.search(r"哪个|哪家|谁", parsed.text):
        return min(ranks), "第1"
    return None


def rates_apart(parsed: Parsed, results: list[BaseModel]) -> tuple[str, float] | None:
    """"汉阴县比旬阳市低9.74个百分点" when the question names two counties and asks how their project rate differs
    (汉阴和旬阳资金到位率差了多少个点, 谁高): the clause and the gap (for the number checker)."""
    asked = [g.name for g in parsed.regions if not g.is_city]
    ranking = next((r for r in results if isinstance(r, CountyRanking)), None)
    weighed = re.sub(r"多少|占比|[？?。！!\s]", "", delexicalise(parsed.text, parsed))
    if ranking is None or len(asked) != 2 or not ASKS_DIFFERENCE.search(weighed):
        return None
    rates = [next((r.rate(ranking.by) for r in ranking.rows if r.region == name), None) for name in asked]
    if rates[0] is None or rates[1] is None:
        return None
    gap = round(rates[0] - rates[1], 2)
    if not gap:
        return f"{asked[0]}与{asked[1]}持平", 0.0
    return f"{asked[0]}比{asked[1]}{'高' if gap > 0 else '低'}{fmt(abs(gap), '个百分点')}", abs(gap)


def _beyond(result: CountyRanking, side: str, level: float, top: float = float("inf")) -> list[CountyRates]:
    """The ranked counties whose rate is on `side` of `level` (低于 80%), or between `level` and `top`."""
    return [r for r in result.rows if r.rank is not None and (rate := r.rate(result.by)) is not None
            and meets(rate, side, level, top)]


def _county_rate_lead(parsed: Parsed, result: CountyRanking) -> str:
    """各县区项目比率: a named county's rate and place (并列 when tied), or the county at the end asked for."""
    by = result.by
    ranked = [r for r in result.rows if r.rank is not None]
    ranks = [r.rank for r in ranked if r.rank is not None]
    asked = [g.name for g in parsed.regions if not g.is_city]
    day = f"截至{cn_date(result.as_of)}台账，"
    among = f"{parsed.slots.county_class}县区中" if parsed.slots.county_class else "各县区"  # (二类县区里最低的)
    if asked:
        parts = []
        for name in asked:
            row = next((r for r in result.rows if r.region == name), None)
            rate = row.rate(by) if row else None
            if row is None or rate is None or row.rank is None:
                parts.append(f"{name}没有可计算{by}的项目（无数据）")
            else:
                parts.append(f"{name}{project_rate(by)}{fmt(rate, '%')}，在{len(ranked)}个县区中{_place(row.rank, ranks)}")
        apart = rates_apart(parsed, [result])
        return day + "；".join(parts) + (f"；{apart[0]}" if apart else "") + "。"
    if (level := threshold_of(parsed.text)) and level[2] == "%":
        # 开工率低于80%的, 不是满格的: the counties on that side of the level, each with its rate
        side, value, _ = level
        top = range_top(parsed.text)
        rows = _beyond(result, side, value, top)
        listed = "、".join(f"{r.region}（{fmt(r.rate(by), '%')}）" for r in rows)
        said = fmt(value, "%") + (f"到{fmt(top, '%')}之间" if top != float("inf") else "")
        return f"{day}{project_rate(by)}{side}{said}的县区{len(rows)}个" + (f"：{listed}。" if rows else "。")
    if ends := end_places(parsed.text, ranks):
        # 垫底的三个, 前三名: the first or last n places, with every county tied at the nth
        which, n, cut = ends
        rows = [r for r in ranked if (r.rank <= cut if which == "前" else r.rank >= cut)]  # type: ignore[operator]
        rows.sort(key=lambda r: r.rank or 0, reverse=which == "倒数")
        return (f"{day}{among}{project_rate(by)}{which}{n}名：" + "、".join(
            f"{r.region}（{_rank_words(r.rank or 0, ranks.count(r.rank or 0))}，{fmt(r.rate(by), '%')}）" for r in rows) + "。")
    end = _extreme(parsed, ranks)
    if end is None:
        return result.summary
    place, said = end
    rows = [r for r in ranked if r.rank == place]
    names = "、".join(f"{r.region}（{fmt(r.rate(by), '%')}）" for r in rows)
    tie = f"，{len(rows)}个县区并列" if len(rows) > 1 else ""
    return f"{day}{among}{project_rate(by)}排{said}的是{names}{tie}。"


# Which counties' places changed between two periods (哪些县区名次有变化, 排名哪些县区变了, 谁的名次变了).
PLACES_MOVED = re.compile(r"(?:哪些|哪几个|哪个|谁|有没有)[^，。？?]{0,8}(?:名次|排名|位次|排位)[^，。？?]{0,4}(?:变|升|降|进|退)|"
                          r"(?:名次|排名|位次)[^，。？?]{0,6}(?:哪些|哪几个|谁)[^，。？?]{0,6}(?:变|升|降)")


def _progress_lead(parsed: Parsed, result: ProgressChange) -> str:
    """进度变化: a named county's change and place, or the county at the end asked for (提升最多 / 最少), per metric."""
    head = f"{result.period_label}比{result.compared_label}，"
    asked = [g.name for g in parsed.regions if not g.is_city]
    parts = []
    for metric in result.metrics:
        steps = [s for s in result.rows if s.metric == metric]
        ranks = [s.rank for s in steps]

        def moved(s: ProgressStep) -> str:
            way = "持平" if not s.change_points else ("提高" if s.change_points > 0 else "下降")
            amount = "" if not s.change_points else fmt(abs(s.change_points), "个百分点")
            return f"{way}{amount}（{fmt(s.before_pct, '%')}→{fmt(s.after_pct, '%')}）"

        if any(g.is_city for g in parsed.regions) and not asked:
            # 全市完成进度上半年比一季度提了多少: the city's own row, not a county's place
            whole = next((s for s in result.city if s.metric == metric), None)
            parts.append(f"全市{metric}完成进度{moved(whole)}" if whole else f"全市{metric}没有两期的完成进度（无数据）")
            continue
        if asked:
            for name in asked:
                step = next((s for s in steps if s.region == name), None)
                if step is None:
                    parts.append(f"{name}{metric}没有两期的完成进度（无数据）")
                elif NAMED_POSITION.search(parsed.text) and step.before_place and step.after_place:
                    # 名次升了还是降了: the county's place by completion in each period, then the change itself
                    shift = step.before_place - step.after_place
                    said = f"上升{shift}位" if shift > 0 else f"下降{-shift}位" if shift else "名次不变"
                    parts.append(f"{name}{metric}完成进度名次由{result.compared_label}的第{step.before_place}名变为"
                                 f"{result.period_label}的第{step.after_place}名，{said}；完成进度{moved(step)}")
                else:
                    parts.append(f"{name}{metric}完成进度{moved(step)}，在{len(steps)}个县区中{_place(step.rank, ranks)}")
            continue
        if PLACES_MOVED.search(parsed.text):
            # 哪些县区名次有变化: the counties whose place by completion differs between the two periods
            shifted = [s for s in steps if s.before_place and s.after_place and s.before_place != s.after_place]
            parts.append(f"{metric}完成进度名次有变化的{len(shifted)}个：" + "、".join(
                f"{s.region}（第{s.before_place}名→第{s.after_place}名）" for s in shifted) if shifted else
                f"{metric}完成进度各县区名次都没有变化（{len(steps)}个县区两期名次相同）")
            continue
        end = _extreme(parsed, ranks)
        if end is None:
            return result.summary
        place, said = end
        if FALLING.search(parsed.text):  # 下降最多 is the last by increase, 下降最少 the first
            place, said = (min(ranks), "第1") if said == "最后" else (max(ranks), "最后")
        chosen = [s for s in steps if s.rank == place]
        label = "提升最少" if said == "最后" else "提升最多"
        if len(chosen) > 1:  # a tie moved by the same points: the names, then the change once
            way = "持平" if not chosen[0].change_points else (
                f"{'提高' if chosen[0].change_points > 0 else '下降'}{fmt(abs(chosen[0].change_points), '个百分点')}")
            parts.append(f"{metric}完成进度{label}的是{'、'.join(s.region for s in chosen)}（{len(chosen)}个县区并列），"
                         f"均{way}")
        else:
            parts.append(f"{metric}完成进度{label}的是{chosen[0].region}，{moved(chosen[0])}")
    return head + "；".join(parts) + "。" if parts else result.summary
