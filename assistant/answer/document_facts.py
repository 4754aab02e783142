"""A fact about a document itself — its 文号, the day it was issued, who issued or signed it — asked of a document
the question names (信息共享那个实施办法是哪天印发的, 考核办法下发时的文号是多少): answered from what ingest read off
the document (title, 文号, date, issuing office, signer), citing the passage that writes it, rather than from some
passage that happens to hold a date or a number.

The document is the one whose heading shares the most distinctive character pairs with the question (pairs every
heading has, such as the bureau's own name, count for little), and only when it stands clearly above the next.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

# What may be asked of a document, and the heading field that holds it.
FACTS: tuple[tuple[str, str, re.Pattern[str]], ...] = (
    ("文号", "doc_number", re.compile(r"文号|发文字号|发文号|字号是|几号文")),
    ("印发日期", "date", re.compile(
        r"(?:哪天|哪一天|什么时候|啥时候|何时|几月几[日号]|哪年哪月|日期|时间)\S{0,3}(?:印发|下发|发布|出台|发的|成文|签发|答复|回复)"
        r"|(?:印发|下发|发布|出台|成文|签发|落款|答复|回复)\S{0,3}(?:日期|时间|哪天|哪一天|什么时候|啥时候|何时)")),
    ("发文机关", "office", re.compile(r"(?:哪个|什么|啥)(?:单位|部门|机关)(?:印发|发布|下发|出台|发)的?|发文(?:单位|机关)|谁(?:发的|印发)")),
    ("签发人", "signer", re.compile(r"签发人|谁签(?:发|的字|的)|落款人|署名")),
)
# What a document's 附注 and 版记 lines write (（联系人：王晓东 电话：0915-3330102）, 抄送：…。): asked of a document
# like the fields above, read off the line that labels it. (label, line label, asked, value)
LINE_FACTS: tuple[tuple[str, str, re.Pattern[str], re.Pattern[str]], ...] = (
    ("联系电话", "电话", re.compile(r"电话|联系方式|号码"), re.compile(r"电话[:：]?\s*([0-9][0-9\-－— ]{5,}[0-9])")),
    ("联系人", "联系人", re.compile(r"联系人|经办人|经办的是|找谁"), re.compile(r"联系人[:：]\s*([\u4e00-\u9fa5·]{2,5}?)(?=[\s,，、;；）)]|电话)")),
    ("抄送单位", "抄送", re.compile(r"抄送|抄给|抄报"), re.compile(r"抄送[:：]\s*([^。\n]+)")),
)
# Contact details a document's lines do not give (a mobile, a mailbox): asked, they are not the 电话 line's.
UNWRITTEN = re.compile(r"手机|微信|邮箱|电子邮件|传真|QQ|qq")
# Words of asking and of the fact asked: they name no document.
_ASKING = re.compile(r"[是的了呢吗啊呀吧？?。！!，,\s]|多少|哪天|哪一天|什么时候|啥时候|何时|日期|时间|文号|发文|字号|印发|下发|发布|"
                     r"出台|成文|签发|落款|那个|这个|单位|部门|机关|谁|联系|电话|号码|经办|抄送|抄给|抄报|留的")
MIN_SHARE = 3.0  # the summed distinctiveness of the pairs shared, below which no document is named
MARGIN = 1.5  # the best document's share over the next one's (or MIN_SHARE more than it)


@dataclass(frozen=True)
class DocumentFact:
    doc_id: str
    label: str  # 文号, 印发日期…
    field: str  # the heading field holding it ("" for a fact a labelled line writes)
    line: str = ""  # the label of the line writing it (电话, 抄送)
    value: re.Pattern[str] | None = None  # its value on that line


def _pairs(text: str) -> set[str]:
    chars = re.sub(r"[^\u4e00-\u9fa5A-Za-z0-9]", "", text)
    return {chars[i:i + 2] for i in range(len(chars) - 1)}


def asks_fact(question: str) -> bool:
    """Whether the question asks a fact about a document itself (文号, 印发日期, 发文机关, 签发人, 联系人, 抄送)."""
    return _asked(question) is not None


def _asked(question: str) -> tuple[str, str, str, re.Pattern[str] | None] | None:
    """(label, heading field, line label, value pattern) of the first fact the question asks, or None."""
    for label, field, pattern in FACTS:
        if pattern.search(question):
            return label, field, "", None
    for label, line, pattern, value in LINE_FACTS:
        if pattern.search(question):
            return label, "", line, value
    return None


def asked_fact(question: str, headings: dict[str, str]) -> DocumentFact | None:
    """The fact asked and the document it is asked of, by its heading; None when the question asks no such fact
    or names no one document clearly."""
    asked = _asked(question)
    if asked is not None and asked[2] and UNWRITTEN.search(question):
        return None  # 联系人王晓东，手机号是多少: a number the footer does not write (its 电话 is the office line)
    if asked is None or not headings:
        return None
    # a document named by its number (205号提案的答复函, 第112号建议): the one heading writing that number names it
    # (not as a 文号's serial, 〔2023〕31号)
    numbers = re.findall(r"(?<![\d〔\[(（])(\d{1,4})\s*号", question)
    numbered = [doc for doc, head in headings.items()
                if numbers and all(re.search(rf"(?<![\d〕\])）)]){n}(?!\d)\s*号", head) for n in numbers)]
    if len(numbered) == 1:
        return DocumentFact(numbered[0], *asked)
    wanted = _pairs(_ASKING.sub("，", question))
    pairs = {doc: _pairs(head) for doc, head in headings.items()}
    n = len(pairs)
    weight = {p: math.log((n + 1) / (1 + sum(1 for ps in pairs.values() if p in ps))) for p in wanted}
    scores = sorted(((sum(weight[p] for p in wanted & ps), doc) for doc, ps in pairs.items()), reverse=True)
    best, doc = scores[0]
    second = scores[1][0] if len(scores) > 1 else 0.0
    # (a long name the documents share, 全市招商引资工作情况, adds to the next one's share as well: what sets the best
    # apart by at least MIN_SHARE of its own names it too)
    if best < MIN_SHARE or best < MARGIN * second and best - second < MIN_SHARE:
        return None
    return DocumentFact(doc, *asked)


def cn_day(iso: str) -> str:
    """2023-03-10 → 2023年3月10日 (the document's date as ingest stores it)."""
    year, month, day = iso[:10].split("-")
    return f"{int(year)}年{int(month)}月{int(day)}日"
