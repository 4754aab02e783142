"""Reading figures out of prose: which number is which database figure. Pure: no I/O.

Each Arabic number with its unit is a Mention. Its Claim says what the sentence says it is — a region's
实际引进内资 value, a 同比, a 完成进度, a 开工率 … — from the words just before it (since the previous
number), the metric named nearest before it, the regions named before it, and the period named in the
sentence. Numbers the rules cannot tie to a database figure (targets, thresholds, counts of cadres)
have no field. “恒口、瀛湖分别完成20.08%和13.93%” pairs regions and numbers in order.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from assistant.answer.numbers import NOT_FIGURE
from assistant.db.periods import Period, find_period
from assistant.db.reference import METRICS

PHONE = re.compile(r"(?:电话|手机|传真|联系方式)[:：]?\s*[\d\-－—\s、/()（）]{5,}|\d{3,4}-\d{7,8}|(?<!\d)1[3-9]\d{9}(?!\d)")
NUMBER = re.compile(
    r"(?<![\d.A-Za-z])(?P<num>[-+−]?\d[\d,]*(?:\.\d+)?)\s*"
    r"(?P<unit>%|％|个百分点|亿美元|万美元|美元|亿元|万元|元|个|家|场次|场|项|人|名|次|位)?"
)
SENTENCE_END = re.compile(r"[。！？\n]")  # not ；: “新签约项目23个…；已开工21个” is one statement
MONEY = ("亿美元", "万美元", "美元", "亿元", "万元", "元")
COUNT = ("个", "场", "场次", "项")
SIGNED = r"签约|签订|新签"
NON_FIGURE_AFTER = re.compile(r"^\s*(?:以上|以下|以内|左右|余|多|上下)")
NON_FIGURE_BEFORE = re.compile(r"力争|确保|争取|计划|拟|预计|要求|不低于|不少于|超过|每[年月季周]")
TARGET_WORDS = re.compile(r"全年(?=[^，。；]{0,12}?(?:目标|任务))|年度目标|年度任务|\d{4}年目标")
LIST_MARKER = re.compile(r"(?<![\d.])\d{1,2}[.．、](?!\d)|\d+强")
JOINED = re.compile(r"\s*[和、及与]\s*")
# A run of more than 30 digits or 20 Chinese numerals is no figure (an ID, a hash, junk): blanked before the
# other patterns, some of which would try every start inside a run and take time quadratic in its length.
LONG_RUN = re.compile(r"\d{31,}|[一二三四五六七八九十百千万亿零〇两]{21,}")
# A sentence is read in pieces of at most this many characters (cut after a ；，, or a space when there is
# one): reading a number looks at the text before it, so a sentence without an end must not make that
# look grow with the whole text.
MAX_SENTENCE_CHARS = 1000
METRIC_ALIASES = sorted(((a, m.name) for m in METRICS for a in (m.name, *m.aliases)), key=lambda x: -len(x[0]))


@dataclass
class Mention:
    text: str
    value: float  # as written; negative for 下降/减少
    unit: str
    decimals: int
    start: int
    end: int


@dataclass
class Claim:
    field: str | None  # see check.FIELD_LABELS; None = not a database figure
    metric: str | None = None
    regions: list[str] = dataclasses.field(default_factory=list)
    period: Period | None = None


def _blank(match: re.Match[str]) -> str:
    return " " * len(match.group(0))


def mask(text: str) -> str:
    """Blank out dates, 文号, ordinals and phone numbers, keeping offsets."""
    text = LONG_RUN.sub(_blank, text)  # first: the patterns below backtrack over a run (\d+\+\d+, \d+强)
    return LIST_MARKER.sub(_blank, NOT_FIGURE.sub(_blank, PHONE.sub(_blank, text)))


def mentions(text: str) -> list[Mention]:
    masked = mask(text)
    found = []
    for m in NUMBER.finditer(masked):
        raw = m.group("num").replace(",", "").replace("−", "-")
        try:
            value = float(raw)
        except ValueError:
            continue
        unit = {"％": "%"}.get(m.group("unit") or "", m.group("unit") or "")
        decimals = len(raw.split(".")[1]) if "." in raw else 0
        found.append(Mention(text[m.start():m.end()].strip(), value, unit, decimals, m.start(), m.end()))
    return found


def metric_before(text: str) -> str | None:
    """The metric named last in text (内资、外资、实际使用外资 …)."""
    best: tuple[int, str] | None = None
    for alias, name in METRIC_ALIASES:
        pos = text.rfind(alias)
        if pos >= 0 and (best is None or pos > best[0]):
            best = (pos, name)
    return best[1] if best else None


def sentence_period(sentence: str, default_year: int | None) -> Period | None:
    """The period a sentence names (“一季度”“截至7月底”“1-6月”), ignoring “全年目标”-style phrases."""
    masked = TARGET_WORDS.sub(lambda m: " " * len(m.group(0)), sentence).replace("截止", "截至")
    try:
        period = find_period(masked, default_year=default_year)
    except Exception:
        return None
    if period is not None and period.month == 12 and not re.search(r"全年|年底|年末|1-12月", masked):
        return None  # a bare “2023年” names a year in passing, not the whole-year period
    return period


def classify(window: str, clause: str, before: str, after: str, sentence: str, unit: str) -> str | None:
    """The database field a number stands for, from the words around it; None if it is not one.
    `window` is the text since the previous number, `clause` since the last comma (it may hold numbers)."""
    if NON_FIGURE_AFTER.search(after) or NON_FIGURE_BEFORE.search(clause):
        return None
    if unit in ("%", "个百分点"):
        return _percent_field(clause, before, after, sentence, unit)
    if unit in MONEY:
        return _money_field(window, before, after, sentence)
    if unit in COUNT:
        return _count_field(clause, before, after, sentence, unit)
    return None


def _percent_field(window: str, before: str, after: str, sentence: str, unit: str) -> str | None:
    if re.match(r"\s*的?序时进度", after):
        return "schedule"
    if "开工率" in window:
        return "start_rate"
    if re.search(r"资金到位率|到位率", window):
        return "funds_rate"
    if "履约率" in window:
        return "fulfilment_rate"
    if re.search(r"占比|比重|占", window):
        if re.search(r"亿元以上", before):
            return "large_share"
        if re.search(r"产业链|涉链", before):
            return "key_chain_share"
        return None
    if unit == "个百分点" or (re.search(r"低于|滞后|落后|差距|慢|高于|超过|快", window) and "进度" in window):
        return "gap"
    if re.search(r"同比|增长|增速|下降|减少|增幅|降幅", window):
        return "yoy"
    if re.search(r"完成|进度|目标", window) and metric_before(before):
        return "completion"
    return None


def _money_field(window: str, before: str, after: str, sentence: str) -> str | None:
    signed = re.search(SIGNED, sentence)
    if re.match(r"\s*的?(?:年度|全年)?(?:目标|任务)", after) and metric_before(before):
        return "target"
    if "签约金额" in window:
        return "event_amount"
    if "总投资" in window:
        return "project_total" if signed else None
    if re.search(r"进资|到位资金|资金到位", window) and "项目" in sentence and not metric_before(window):
        return "funds_arrived"
    if re.search(r"目标|任务", window) and metric_before(before):
        return "target"
    return "value" if metric_before(before) else None


def _count_field(window: str, before: str, after: str, sentence: str, unit: str) -> str | None:
    if unit in ("场", "场次") and re.search(r"活动|推介会", window + after):
        return "event_count"
    if unit == "个" and re.match(r"\s*(?:问题|未解决)", after):
        return "open_problems"
    if unit == "个" and "签约项目" in window and re.search(r"活动|推介会", before):
        return "event_contracts"
    project = "项目" in before or re.match(r"\s*(?:新签约|签约|合同)?项目", after)
    if unit != "个" or not project or not re.search(SIGNED, sentence):
        return None
    if re.search(r"亿元以上", window):
        return "ge10" if re.search(r"10\s*亿元以上|十亿元以上", window) else "ge5"
    if re.search(r"开工|落地", window):
        return "started_count"
    return "signed_count"


def sentences(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in SENTENCE_END.finditer(text):
        if m.start() > start:
            spans += _pieces(text, start, m.start())
        start = m.end()
    if start < len(text):
        spans += _pieces(text, start, len(text))
    return spans


def _pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) of a sentence, cut into pieces of at most MAX_SENTENCE_CHARS."""
    spans = []
    while end - start > MAX_SENTENCE_CHARS:
        limit = start + MAX_SENTENCE_CHARS
        cut = max(text.rfind(p, start + 1, limit) for p in "；，, ") + 1 or limit
        spans.append((start, cut))
        start = cut
    spans.append((start, end))
    return spans


def regions_in(text: str, aliases: list[tuple[str, str]]) -> list[tuple[int, str]]:
    """Regions named in text, in order, each span counted once (longest alias wins)."""
    taken = [False] * len(text)
    found: list[tuple[int, str]] = []
    for alias, name in aliases:
        start = text.find(alias)
        while start >= 0:
            end = start + len(alias)
            if not any(taken[start:end]):
                taken[start:end] = [True] * len(alias)
                found.append((start, name))
            start = text.find(alias, end)
    return sorted(found)


def claims_in(text: str, aliases: list[tuple[str, str]], default_period: Period | None,
              city: str = "全市") -> list[tuple[Mention, Claim, str]]:
    """Every number in prose text with what it claims to be and its sentence."""
    out: list[tuple[Mention, Claim, str]] = []
    default_year = default_period.year if default_period else None
    period = default_period
    for s_start, s_end in sentences(text):
        sentence = text[s_start:s_end]
        period = sentence_period(sentence, default_year) or period  # a period named earlier in the paragraph holds
        found = mentions(sentence)
        claims: list[Claim] = []
        previous_end = 0
        for m in found:
            window, before = sentence[previous_end:m.start], sentence[:m.start]
            clause = before[max(before.rfind("，"), before.rfind(","), before.rfind("；")) + 1:]
            after = sentence[m.end:m.end + 8]
            name = classify(window, clause, before, after, sentence, m.unit)
            if claims and JOINED.fullmatch(window) and found[len(claims) - 1].unit == m.unit and name is None:
                name = claims[-1].field  # “20.08%和13.93%”: the second number shares the first's meaning
            if name == "yoy" and re.search(r"下降|减少|降幅", window) and m.value > 0:
                m.value = -m.value
            metric = metric_before(before) if name else None
            claims.append(Claim(name, metric, [], period))
            previous_end = m.end
        _assign_regions(sentence, found, claims, aliases, city)
        out += [(Mention(m.text, m.value, m.unit, m.decimals, m.start + s_start, m.end + s_start), c, sentence.strip())
                for m, c in zip(found, claims, strict=True)]
    return out


def _assign_regions(sentence: str, found: list[Mention], claims: list[Claim], aliases: list[tuple[str, str]],
                    city: str) -> None:
    named = regions_in(sentence, aliases)
    i = 0
    while i < len(found):
        j = i  # a run of same-field numbers joined by 和、及 …: “20.08%和13.93%”
        while (j + 1 < len(found) and claims[j + 1].field == claims[i].field and found[j + 1].unit == found[i].unit
               and re.fullmatch(r"\s*[和、及与，,]\s*", sentence[found[j].end:found[j + 1].start])):
            j += 1
        previous = found[i - 1].end if i else 0
        group_regions = [n for pos, n in named if previous <= pos < found[i].start]
        if j > i and len(group_regions) == j - i + 1:
            for k, region in enumerate(group_regions):
                claims[i + k].regions = [region]
        else:
            for k in range(i, j + 1):
                before = [n for pos, n in named if pos < found[k].start]
                claims[k].regions = [before[-1] if before else city]
        i = j + 1
