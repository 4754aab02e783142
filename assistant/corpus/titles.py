"""The document title, settled from every source a file offers: the 公文 title line that `gongwen` found, the
document's first heading, and the file's own title field (Word/PDF/OFD properties, a web page's heading).

Real files mislead each source in their own way: a survey report's head says only 《（审议稿）》 on the line
after its title, a newspaper page opens with its masthead (安康日报 … 第3版), a Word file's Title property is
often the template's (“标题”, “Microsoft Word - 文档1.doc”), and a file name is a slug. None of those is a
title while anything better is there. Pure: no I/O.
"""

from __future__ import annotations

import re
from pathlib import PurePath

from assistant.corpus.cleanup import HEADING, CleanDocument

DRAFT_WORDS = r"审议稿|征求意见稿|送审稿|讨论稿|草稿|初稿|修改稿|修订稿|代拟稿|报审稿|送签稿|审定稿|定稿|签发稿|报批稿"
# A line that is nothing but a draft marker: （审议稿）, 《（征求意见稿）》, 【送审稿】.
DRAFT_MARKER = re.compile(rf"^[《〈<]?\s*[（(【\[]?\s*(?:{DRAFT_WORDS})\s*[）)】\]]?\s*[》〉>]?$")
# A title carrying its draft status at either end (a marker printed above the title is joined to it as a
# title's second line would be): 关于…的调研报告（审议稿）. 草案 stays: it names a bill.
TRAILING_DRAFT = re.compile(rf"\s*[（(【\[]\s*(?:{DRAFT_WORDS})\s*[）)】\]]\s*$")
LEADING_DRAFT = re.compile(rf"^\s*[《〈]?\s*[（(【\[]\s*(?:{DRAFT_WORDS})\s*[）)】\]]\s*[》〉]?\s*")
MASTHEAD = re.compile(
    r"^[\u4e00-\u9fa5]{1,10}(?:日报|晚报|早报|时报|商报|周报|导报|报|周刊|月刊|杂志|通讯|专刊|特刊)(?:社)?$"
    r"|第\s*\d+\s*版|星期[一二三四五六日天]|国内统一(?:连续出版物)?刊号|CN\s*\d{2}\s*-\s*\d{4}|邮发代号|总第\s*\d+\s*期"
    r"|^(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*(?:星期.|农历.*)?$"
)
# A masthead line that cleanup joined to the title below it (both lack a sentence end): 安康日报 2023年9月18日
# 第3版 经济周刊把“一图五库两机制”做实…; the title is what follows the paper, date, page and column.
MASTHEAD_PREFIX = re.compile(
    r"^[\u4e00-\u9fa5]{1,10}(?:日报|晚报|早报|时报|商报|周报|导报)\s*"
    r"(?:(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*)?(?:星期[一二三四五六日天]\s*)?(?:农历\S*\s*)?"
    r"(?:第\s*\d+\s*版\s*)?(?:[\u4e00-\u9fa5]{0,6}?(?:周刊|专刊|特刊|副刊|专版|要闻|新闻)\s*)?"
)
DOC_NUMBER = re.compile(r"[〔\[［(（]\s*(?:19|20)\d{2}\s*[〕\]］)）]\s*\d{1,4}\s*号")
GENERIC_TITLE = re.compile(
    r"^(?:标题|title|无标题|未命名|untitled|document\s*\d*|文档\s*\d*|新建.*文档.*|幻灯片\s*\d*|首页|工作簿\s*\d*"
    r"|book\s*\d*|sheet\s*\d*|(?:microsoft\s*)?(?:office\s*)?(?:word|powerpoint|excel|wps)\s*"
    r"(?:文档|文字|表格|演示|演示文稿|工作表|document|presentation|workbook)?\s*\d*)$",
    re.I,
)
FILE_NAME = re.compile(r"\.(?:docx?|wps|pdf|ofd|xlsx?|csv|pptx?|html?|txt|md)$|^[\w-]*\d[\w-]*_[0-9a-f]{8,}$|^[0-9a-f_-]{12,}$", re.I)
APP_PREFIX = re.compile(r"^(?:microsoft\s*(?:word|powerpoint|excel)|wps\s*文字)\s*-\s*", re.I)
CJK = re.compile(r"[\u4e00-\u9fa5]")
DATE_LINE = re.compile(r"^[（(]?\s*(?:19|20)\d{2}\s*年[^。]{0,30}?[日月][）)]?\s*$")


def is_draft_marker(line: str) -> bool:
    return bool(DRAFT_MARKER.match(line.strip()))


def is_masthead(line: str) -> bool:
    """A newspaper's or journal's masthead or edition line: 安康日报, 2020年5月14日 星期四, 第3版."""
    return bool(MASTHEAD.search(line.strip()))


def strip_masthead(line: str) -> str:
    """安康日报 2023年9月18日 第3版 经济周刊把“一图五库两机制”做实 → 把“一图五库两机制”做实; "" if only a masthead."""
    match = MASTHEAD_PREFIX.match(line.strip())
    if not match or not (match.group(0).strip() != line.strip() and re.search(r"\d|版|刊", match.group(0))):
        return "" if is_masthead(line) else line.strip()
    return line.strip()[match.end():].strip()


def looks_like_file_name(text: str, stem: str = "") -> bool:
    clean = text.strip()
    return bool(clean) and (clean == stem or bool(FILE_NAME.search(clean)))


def strip_draft_marker(title: str) -> str:
    """关于…的调研报告（审议稿） → 关于…的调研报告; a title that is only a marker comes back empty."""
    if is_draft_marker(title):
        return ""
    return LEADING_DRAFT.sub("", TRAILING_DRAFT.sub("", title)).strip()


def clean_property_title(value: str, stem: str = "") -> str:
    """A file's own Title property as a title, or "" when it says nothing: template defaults, an application's
    “Microsoft Word - 文件名.doc” prefix, the file name again."""
    text = " ".join(value.split())
    text = APP_PREFIX.sub("", text)
    named = re.sub(r"\.(?:docx?|wps|pdf|ofd|xlsx?|pptx?|html?|txt)$", "", text, flags=re.I).strip()
    if named != text and (not CJK.search(named) or "_" in named):
        return ""  # a file name such as report_2024.docx says nothing the file name does not
    text = named
    text = strip_draft_marker(text)
    if len(text) < 4 or GENERIC_TITLE.match(text) or looks_like_file_name(text, stem) or is_masthead(text):
        return ""
    return text


def _acceptable(title: str, stem: str) -> bool:
    return bool(title) and not (is_draft_marker(title) or is_masthead(title) or looks_like_file_name(title, stem))


def _plausible_line(line: str) -> bool:
    return (
        5 <= len(line) <= 80
        and "。" not in line
        and not line.endswith(("：", ":"))
        and not DOC_NUMBER.search(line)
        and not HEADING.match(line)
        and not DATE_LINE.match(line)
        and not is_draft_marker(line)
        and not is_masthead(line)
        and not line.startswith("——")  # the subtitle of an interview: the title is the line above
        and not re.search(r"校对|编辑|美编|总策划|记者|签发人|^(?:类别|密级|公开属性|发布时间|来源)", line)
        and bool(CJK.search(line))
    )


def _head_lines(doc: CleanDocument, limit: int = 14) -> list[str]:
    return [doc.para_text(p).strip() for p in doc.paras if p.kind == "para"][:limit]


def _opening_line(head: list[str]) -> str:
    """A plain-text title: a short first line without punctuation (范廷颂, 硫氰酸盐) above running text. Only
    asked when the 公文 reader found no title line, so a letterhead or marking line is not mistaken for it."""
    from assistant.corpus.markings import line_classes

    if len(head) < 2:
        return ""
    first, second = head[0], head[1]
    if (
        2 <= len(first) <= 30
        and not re.search(r"[。，；：！？,;:!?]", first)
        and not HEADING.match(first)
        and not DATE_LINE.match(first)
        and not is_draft_marker(first)
        and not is_masthead(first)
        and not line_classes(first)
        and (len(second) >= 30 or "。" in second)
    ):
        return first
    return ""


def _first_heading(doc: CleanDocument) -> str:
    """The document's title as a heading: its first paragraph, when that is a level-1 markdown heading (and
    not a letterhead like “# 某某局文件”)."""
    paras = [p for p in doc.paras if p.kind == "para" and doc.para_text(p).strip()]
    if paras and paras[0].md_level == 1:
        text = doc.para_text(paras[0]).strip()
        if not text.endswith("文件") and _plausible_line(text):
            return text
    return ""


def document_title(found: str, doc: CleanDocument, own_title: str = "", file_name: str = "") -> str:
    """The title to show and cite. `found`: what the 公文 reader (gongwen.extract_metadata) took from the text,
    possibly the file stem it fell back to; `own_title`: the file's Title property; `file_name`: the file's name.

    Order: a level-1 heading that opens the document; the 公文 title line (without a trailing draft marker);
    when that line is a draft marker, the line above it; when it is a masthead (or there is none), the first
    head line that reads like a title; the file's own title; the file name last."""
    stem = PurePath(file_name).stem if file_name else ""
    heading = _first_heading(doc)
    if heading:
        return strip_draft_marker(heading) or heading
    head = _head_lines(doc)
    title = found.strip()
    if title and is_draft_marker(title) and title in head:
        index = head.index(title)
        above = [line for line in head[:index] if _plausible_line(line)]
        title = above[-1] if above else ""
    elif title and is_masthead(title) and strip_masthead(title) and _plausible_line(strip_masthead(title)):
        return strip_masthead(title)
    elif _acceptable(title, stem) and not title.startswith("——"):
        return strip_draft_marker(title) or title
    else:
        title = ""
    if not title:
        title = _opening_line(head) or next(
            (strip_draft_marker(line) for line in head if _plausible_line(line) and len(line) >= 6), "")
    own = clean_property_title(own_title, stem)
    if title and own and own in title:
        return title
    if own and (not title or not found.strip() or looks_like_file_name(found, stem)):
        return own
    return title or own or stem or found
