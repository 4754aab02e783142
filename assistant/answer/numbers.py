"""The number checker: every figure in an answer must match a tool figure or appear in a cited passage.

Shared by the grounded composer and the LLM agent. Years, months, days, ordinals, citation markers and
document numbers are not figures; everything else — Arabic or Chinese numerals, percentages, amounts in
亿/万 — is checked. Pure: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from assistant.numerals import chinese_numeral, chinese_value, number_value

SCALE = {"亿": 1e8, "万": 1e4, "千": 1e3, "百": 1e2}

# Numbers that are not figures: dates and periods, ordinals, 文号 and record codes, citation markers, headings.
NOT_FIGURE = re.compile(
    r"〔\d{4}〕\d+号|\[\d{4}\]\d+号|\[\d+\]|第\s*\d+\s*号|"
    r"(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2}|"  # an ISO date, in a file name too (projects_2023-07-21.csv): its day is no -21
    r"(?:19|20)\d{2}\s*(?:年|Q[1-4]|-\d{1,2})|\d{1,2}\s*[-—~至到]\s*\d{1,2}\s*月|\d{1,2}\s*月(?:份|底|末|初)?|\d{1,2}\s*日|(?<=月)\s*\d{1,2}\s*号|"
    r"[一二三四五六七八九十]+(?:是|要|、|季度)|第[一二三四五六七八九十百零〇\d]+|（[一二三四五六七八九十\d]+）|"
    r"前三季度|上半年|下半年|全年|5\+3|\d+\+\d+|"
    r"[a-z_]+#\d+(?:、\d+)*|"  # a database row reference (indicators#28、29) in a conflict note
    r"(?<![A-Za-z])[A-Za-z]{1,6}[-_]\d+(?:[-_]\d+)+"  # a record's code (问题编号 WT-2023-003): an identifier
)
ARABIC = re.compile(r"(?<![A-Za-z0-9_.])([-+]?\d[\d,]*(?:\.\d+)?)\s*(%|％|个百分点)?\s*(亿|万|千)?")
CHINESE = re.compile(
    r"(百分之)([零〇一二两三四五六七八九十百千]+)()|()([零〇一二两三四五六七八九十百千]+)(亿|万)?(?=[亿万元个家项人场次%％件条名户美])"
)


@dataclass(frozen=True)
class NumberMention:
    text: str
    value: float
    percent: bool
    decimals: int
    scaled: bool = False  # written with 万/亿/千: `value` is already in base units (236.7万 → 2367000)


def ordinal_forms(number: str) -> set[str]:
    """The ways a document writes the number of an ordinal (第5期 / 第五期): Arabic and Chinese."""
    value = number_value(number)
    if value is None or not 0 < value < 1000:
        return {number}
    return {number, str(int(value)), chinese_numeral(int(value))}


def find_numbers(text: str) -> list[NumberMention]:
    """Figures mentioned in text, excluding dates, ordinals, 文号 and citation markers."""
    masked = NOT_FIGURE.sub(lambda m: " " * len(m.group(0)), text)
    found: list[NumberMention] = []
    for m in ARABIC.finditer(masked):
        raw = m.group(1).replace(",", "")
        try:
            value = float(raw)
        except ValueError:
            continue
        decimals = len(raw.split(".")[1]) if "." in raw else 0
        percent = bool(m.group(2))
        if m.group(3):
            value *= SCALE[m.group(3)]
        found.append(NumberMention(m.group(0).strip(), value, percent, decimals, bool(m.group(3))))
    for m in CHINESE.finditer(masked):
        is_percent = m.group(1) is not None
        digits: str = m.group(2) if is_percent else m.group(5)
        scale: str | None = None if is_percent else m.group(6)
        base = chinese_value(digits)
        if base is None or (base < 10 and not scale and not is_percent):
            continue  # 一个、两家 — small counts in prose are not figures worth checking
        value = base * (SCALE[scale] if scale else 1)
        found.append(NumberMention(m.group(0), value, is_percent, 0, bool(scale)))
    return found


def _matches(mention: NumberMention, candidates: Iterable[float], rescale: bool = True) -> bool:
    """`rescale`: a candidate may be in 万 or 亿 units (a tool's bare 3.5 亿元 is 35000万元). A number a passage
    writes with its scale word (236.7万美元) is already in base units: scaling it again would let 236.7亿 pass."""
    for v in candidates:
        for scaled in (v, v * 1e4, v * 1e8) if rescale else (v,):
            if mention.decimals:
                if round(scaled, mention.decimals) == round(mention.value, mention.decimals):
                    return True
            elif abs(scaled - mention.value) < 0.5 or (abs(scaled) >= 1 and abs(scaled - mention.value) / abs(scaled) < 1e-6):
                return True
    return False


# The asker's own words quoted back (“2023年4月31号”不是有效的日期): what is inside is the question's, not a figure.
ECHO = re.compile(r"“([^“”]{1,60})”")


def unsupported_numbers(answer: str, figure_values: Iterable[float], passages: Iterable[str],
                        asked: str = "") -> list[str]:
    """The numbers in `answer` that match no figure value and appear in no cited passage. A span in quotation
    marks that is word for word in the question `asked` is the asker's own words quoted back, not a claim."""
    if asked:
        answer = ECHO.sub(lambda m: "" if m.group(1) in asked else m.group(0), answer)
    values = [float(v) for v in figure_values]
    written = [m for p in passages for m in find_numbers(p)]
    bare = [m.value for m in written if not m.scaled]  # a table cell's 236.7 under a 万美元 header
    scaled = [m.value for m in written if m.scaled]
    flagged = []
    for mention in find_numbers(answer):
        if _matches(mention, values) or _matches(mention, bare) or _matches(mention, scaled, rescale=False):
            continue
        flagged.append(mention.text)
    return flagged


def numeric_values(data: object) -> list[float]:
    """Every number inside a tool result (a model_dump()), so counts like '13 个地区' trace to it too."""
    out: list[float] = []
    if isinstance(data, bool):
        return out
    if isinstance(data, int | float):
        out.append(float(data))
    elif isinstance(data, str):
        out += [m.value for m in find_numbers(data)]  # 110千伏 in a problem's description, 500强 in a category
    elif isinstance(data, dict):
        for value in data.values():
            out += numeric_values(value)
    elif isinstance(data, list | tuple):
        out.append(float(len(data)))  # "有 2 个" counts the rows a tool returned
        for value in data:
            out += numeric_values(value)
    return out
