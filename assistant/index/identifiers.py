"""Identifiers a question quotes: a 文号 (国办发〔2019〕5号, 国令第706号), a numbered item (205号提案), a code or
serial number (调度编号7301). A passage whose document writes the same identifier is the one asked about, however
alike its neighbours read: BM25 weighs the rare number, but the fused score shares it with a dense half that
barely tells 7301 from 7302. Pure: no I/O.
"""

from __future__ import annotations

import re

from assistant.corpus.gongwen import CITING, DOC_NUMBER

BRACKETS = str.maketrans({"[": "〔", "［": "〔", "(": "〔", "（": "〔", "【": "〔",
                          "]": "〕", "］": "〕", ")": "〕", "）": "〕", "】": "〕"})
SPACE = re.compile(r"\s+")
NUMBERED = re.compile(r"(?<![\d.．])\d{1,5}号")  # 205号提案, 第78号建议
# a code or serial number: three or more digits (letters around them allowed), not a decimal, a year, a date or a
# percentage, which questions write in passing (2025年, 5.5%)
CODE = re.compile(r"(?<![\d.．A-Za-z])[A-Za-z]{0,6}\d{3,}[A-Za-z]{0,3}(?![\d.．%％‰年月日A-Za-z])")
YEAR = re.compile(r"(?:19|20)\d{2}")


def _plain(text: str) -> str:
    return SPACE.sub("", text).translate(BRACKETS)


def identifiers(question: str) -> list[str]:
    """The identifiers in a question, written as a passage would (brackets as 〔〕, no spaces), each once."""
    text = _plain(question)
    found: list[str] = []
    for match in DOC_NUMBER.finditer(text):
        number = match.group(0)
        code, bracket, rest = number.partition("〔")
        found.append(CITING.sub("", code) + bracket + rest if bracket else number)  # 关于国办发〔…〕: 国办发〔…〕
        text = text.replace(number, " ")
    found += [m.group(0) for m in NUMBERED.finditer(text)]
    found += [m.group(0) for m in CODE.finditer(NUMBERED.sub(" ", text)) if not YEAR.fullmatch(m.group(0))]
    return list(dict.fromkeys(found))


def writes_any(context: str, wanted: list[str]) -> bool:
    """Whether `context` (a passage with its document's title and 文号) writes one of the identifiers, not as part
    of a longer number (7301 is not in 17301)."""
    if not wanted:
        return False
    text = _plain(context)
    return any(re.search(rf"(?<![\dA-Za-z]){re.escape(w)}(?![\dA-Za-z])", text) for w in wanted)
