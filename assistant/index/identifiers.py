"""What a question quotes: a document's name (反不正当竞争法, 信息公开条例) or an identifier: a 文号 (国办发〔2019〕5号, 国令第706号), a numbered item (205号提案), a code or
serial number (调度编号7301). A passage whose document writes the same identifier is the one asked about, however
alike its neighbours read: BM25 weighs the rare number, but the fused score shares it with a dense half that
barely tells 7301 from 7302. Likewise a question about 反不正当竞争法 wants that law, not 北京市反不正当竞争条例, which
reads the same. Pure: no I/O.
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


PRC = "中华人民共和国"
LEADING_PLACE = re.compile(r"^(?:[\u4e00-\u9fa5]{2,8}?(?:省|市|自治区|特别行政区))")
DATE_NOTE = re.compile(r"[（(]\d{4}[-—年][^）)]*[）)]$")
ISSUER = re.compile(r"^[^《》]{2,30}?关于")
MIN_NAME = 4


def document_names(title: str) -> tuple[str, ...]:
    """The ways a question may name a document by its title: the title, without 中华人民共和国, and without a leading
    province or city (北京市外商投资条例 → 外商投资条例, which the question's place then narrows)."""
    base = DATE_NOTE.sub("", SPACE.sub("", title)).strip("《》")
    names = [base, base.removeprefix(PRC)]
    names.append(LEADING_PLACE.sub("", names[-1]))
    names.append(ISSUER.sub("", names[-1]))  # 国务院关于涉外知识产权纠纷处理的规定 → 涉外知识产权纠纷处理的规定
    return tuple(dict.fromkeys(n.lower() for n in names if len(n) >= MIN_NAME))


def names_document(question_forms: list[str], names: tuple[str, ...]) -> bool:
    """Whether the question (in any of its written forms: as asked, and with synonyms put in) names the document."""
    return any(name in form for form in question_forms for name in names)


YEAR_WRITTEN = re.compile(r"((?:19|20)\d{2})\s*年")
THIS_YEAR = ("今年", "本年")
LAST_YEAR = ("去年", "上年", "上一年")
LAST_YEAR_IN_TEXT = ("去年", "上年", "过去一年", "一年来", "刚刚过去的一年")


def document_year(title: str, subtitle: str, date: str) -> int:
    """The year a document speaks from: the one its title or subtitle names (2026年湖北省政府工作报告, ——2026年1月27日
    在…会议上), else its date's; 0 when unknown."""
    found = YEAR_WRITTEN.search(f"{title} {subtitle}")
    if found:
        return int(found.group(1))
    return int(date[:4]) if date[:4].isdigit() else 0


def asked_years(question: str, year: int) -> set[int]:
    """The years a question asks about, relative words (今年, 去年) read from the document's year."""
    years = {int(y) for y in YEAR_WRITTEN.findall(question)}
    if year:
        if any(w in question for w in THIS_YEAR):
            years.add(year)
        if any(w in question for w in LAST_YEAR):
            years.add(year - 1)
    return years


def speaks_of_years(context: str, years: set[int], year: int) -> bool:
    """Whether a passage (with its section path) speaks of one of the years, in figures or, from the document's
    own year, in words (今年; 去年, 过去一年)."""
    for y in years:
        if f"{y}年" in context:
            return True
        if year and y == year and "今年" in context:
            return True
        if year and y == year - 1 and any(w in context for w in LAST_YEAR_IN_TEXT):
            return True
    return False
