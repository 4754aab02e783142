"""A document the question names that the knowledge base does not hold.

A question may name its source outright: by title (《安康市招商引资优惠政策若干规定》第五条), by its number in a
series (政协第206号提案, 市委一号文件) or by year and kind (2022年工作总结, 2023年三季度工作情况报告). When no
document's heading (title, 文种, 文号, issuer, date, file name: `KnowledgeBase.heading`) fits, the documents held
are other documents — the 第205号提案 beside the 第206号 asked, the 2023 总结 beside the 2022 one — and
quoting them would read as if they answered. Pure: the headings are passed in.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from assistant.corpus.gongwen import DOC_NUMBER, normalise_doc_number, unify_brackets
from assistant.numerals import chinese_numeral, number_value

# 《title》 as the question writes it.
TITLED = re.compile(r"《([^《》]{4,40})》")
# A number in a series of documents: 第206号提案, 206号建议, 一号文件, 1号文件.
NUMBERED = re.compile(r"第?\s*(\d{1,4}|[一二三四五六七八九十百]{1,4})\s*号\s*(提案|建议|文件|令|通知|文)")
# A kind of document, named after its year (and period) — 2022年工作总结, 2023年三季度…工作情况报告 — longest first.
# (规定, 意见 are also what a rule says or people think: 2023年考核有什么规定 names no document.)
KINDS = ("政府工作报告", "工作总结", "调研报告", "答复函", "总结", "报告", "通报", "办法", "通知", "手册", "访谈", "条例", "纪要")
# the kind as a noun, not the verb (总结一下, 报告了)
YEAR_KIND = re.compile(rf"((?:19|20)\d{{2}})\s*年度?([^，。？?！!；;、\d]{{0,14}}?)({'|'.join(KINDS)})(?![一下了过给到])")
# Periods a document's heading names (the 一季度 report is not the 三季度 one).
PERIOD_WORDS = ("一季度", "二季度", "三季度", "四季度", "前三季度", "上半年", "下半年", "1-9月", "1—9月")
# What the question may call a kind that a heading writes otherwise (a reply letter answers a 提案 or 建议).
KIND_HEADS = {"报告": ("报告", "总结")}


def _bigrams(text: str) -> set[str]:
    chars = re.sub(r"[^\u4e00-\u9fa5A-Za-z0-9]", "", text)
    return {chars[i:i + 2] for i in range(len(chars) - 1)}


def _title_held(title: str, headings: list[str]) -> bool:
    """A title written loosely (《考核评价办法》, 《项目管家服务办法》) is held when most of its character pairs
    are in one heading; another body's title (《陕西省优化营商环境条例》) shares only the common words."""
    pairs = _bigrams(title)
    if not pairs:
        return True
    return any(title in h or len(pairs & _bigrams(h)) >= 0.75 * len(pairs) for h in headings)


def _number_unheld(question: str, headings: list[str], written: Callable[[str], bool]) -> str:
    """The 文号 the question names (安招函〔2023〕40号, 国令第706号) when no document held carries it and no passage
    cites it (`written(text)`): another letter's content is not its content. "" otherwise."""
    held = [unify_brackets(h).replace("〕第", "〕") for h in headings]
    for m in DOC_NUMBER.finditer(question):
        number = normalise_doc_number(m.group(1)).replace("〕第", "〕")
        if not number or number.startswith("令"):
            continue  # no issuer's code (根据〔2019〕5号): too loose to say which document
        # an order is named by many short forms (国令, 国务院令, 中华人民共和国国务院令): its number decides
        key = "令" + number.split("令", 1)[1] if "〔" not in number else number
        if not any(key in h for h in held) and not written(key):
            return number
    return ""


def _number_held(number: str, headings: list[str]) -> bool:
    value = number_value(number)
    if value is None:
        return True
    return any(re.search(rf"(?<![\d.]){int(value)}\s*号", h) for h in headings)


# Any number in a series the question writes (205号答复函, 112号答复), whatever it calls the document.
SERIAL = re.compile(r"(?<![\d〔(（])(\d{1,4})\s*号")


def numbered_held(question: str, headings: Mapping[str, str]) -> list[str]:
    """The documents (ids) whose heading holds a number in a series the question writes, however it names the kind
    (205号答复函, 112号答复 — NUMBERED reads only the kinds that may name an unheld document)."""
    return list(dict.fromkeys(d for m in SERIAL.finditer(question) for d, heading in headings.items()
                              if _number_held(m.group(1), [heading])))


def _year_kind_held(year: str, between: str, kind: str, headings: list[str]) -> bool:
    periods = [p for p in PERIOD_WORDS if p in between and not any(p in q and p != q for q in PERIOD_WORDS if q in between)]
    forms = KIND_HEADS.get(kind, (kind,))
    return any(year in h and any(f in h for f in forms) and all(p in h for p in periods) for h in headings)


def unheld_document(question: str, headings: list[str], written: Callable[[str], bool]) -> str:
    """The document the question names (《…》, 第206号提案, 安招函〔2023〕40号, 2022年工作总结) when none of the
    `headings` fits it, written as the answer will say it; "" when the question names none or a held one.
    `written(text)`: some passage has the text (a 文号 a held document cites is no document missing)."""
    if not headings:
        return ""
    for m in TITLED.finditer(question):
        if not _title_held(m.group(1), headings):
            return f"《{m.group(1)}》"
    for m in NUMBERED.finditer(question):
        if not _number_held(m.group(1), headings):
            said = re.sub(r"\s+", "", m.group(0))
            return said if said.startswith("第") or not said[0].isdigit() else f"第{said}"
    for m in YEAR_KIND.finditer(question):
        if not _year_kind_held(m.group(1), m.group(2), m.group(3), headings):
            return f"{m.group(1)}年{m.group(2)}{m.group(3)}"
    return _number_unheld(question, headings, written)


# A document the question names by its kind, as its source (日报那篇访谈里, 年终总结说, 半年报上): the words of
# the kind as said, and the words a heading (title, 文种, file name) must all hold to be that document.
KIND_SAID: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("访谈|采访", ("访谈",)),
    ("调研报告", ("调研报告",)),
    ("年终总结|年度总结|全年总结|工作总结", ("总结",)),
    # (一季度那份工作情况报告: words between the period and 报告)
    ("半年报|(?:上)?半年[^，,。？?！!报]{0,8}报告", ("上半年", "报告")),
    ("一季度[^，,。？?！!报]{0,8}报告|一季报|季报", ("一季度", "报告")),
    ("手册", ("手册",)),
)
# …said as where the answer is (里, 中, 上, 说, 提到, 讲, 写): 总结一下 or 报告给谁 name no source
KIND_NAMED = re.compile(rf"({'|'.join(kind for kind, _ in KIND_SAID)})(?:里|中|上|说|提|讲|写|明确|指出)")


def named_held(question: str, headings: Mapping[str, str]) -> list[str]:
    """The documents (ids) the question names by number in a series (205号提案答复里…, 第112号建议) when the
    knowledge base holds them, or by its kind as the source (访谈里局长说, 年终总结说) when one document alone is of
    that kind: the answer is in them, not in another letter on the same topic. `headings` maps each document id to
    its heading. [] when the question names none."""
    named: list[str] = []
    for m in NUMBERED.finditer(question):
        named += [d for d, heading in headings.items() if _number_held(m.group(1), [heading]) and d not in named]
    for m in KIND_NAMED.finditer(question):
        words = next(w for kind, w in KIND_SAID if re.fullmatch(kind, m.group(1)))
        of_kind = [d for d, heading in headings.items() if all(w in heading for w in words)]
        if len(of_kind) == 1 and of_kind[0] not in named:
            named += of_kind
    return named


# An edition of a recurring event or series: 第八届丝博会, 大讲堂第12期.
EDITION = re.compile(r"第\s*(\d{1,3}|[一二三四五六七八九十百]{1,4})\s*(届|期)")


def unheld_edition(question: str, written: Callable[[str], bool]) -> str:
    """The edition the question names (第八届, 第12期) when nothing the assistant holds writes it in any form
    (`written(text)`: a passage, heading or database name has the text; 第七届 and 七届, 一期 and 第一期 alike):
    the other editions' figures are not its figures. "" when it names none or a held one."""
    for m in EDITION.finditer(question):
        value = number_value(m.group(1))
        if value is None or not 0 < value < 1000:
            continue
        kind = m.group(2)
        forms = {str(value), chinese_numeral(value)}
        if not any(written(f"{form}{kind}") for form in forms):
            return f"第{chinese_numeral(value) if kind == '届' else value}{kind}"
    return ""
