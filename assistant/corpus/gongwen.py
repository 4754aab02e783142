"""公文 metadata: title, 文号, issuing office, 签发人, date, 公开属性, 主送 and genre, read from the cleaned text."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from assistant.access import PUBLIC
from assistant.corpus.cleanup import CleanDocument
from assistant.corpus.markings import Marking, classify, find_markings, line_classes

# 文号: an issuer's code, the year in brackets, the number (国办发〔2019〕5号; [2019], (2019), ［2019］, 【2019】 read as
# 〔2019〕), or an order's number (国令第706号, 中华人民共和国国务院令第712号, 国家市场监督管理总局令第52号, 主席令第二十四号).
DOC_NUMBER = re.compile(
    r"([\u4e00-\u9fa5]{1,12}\s*[〔\[［(（【]\s*(?:19|20)\d{2}\s*[〕\]］)）】]\s*第?\s*\d{1,4}\s*号"
    r"|[\u4e00-\u9fa5]{0,19}令\s*第\s*[\d一二三四五六七八九十百零〇]{1,6}\s*号)"
)
# Words before a 文号 that belong to the sentence citing it, not to the issuer's code (根据国办发〔2019〕5号文件).
CITING = re.compile(r"^.*(?:根据|依据|按照|参照|转发|印发|关于|贯彻|落实|执行|《|》|的|和|号)")
SIGNER = re.compile(r"签发人\s*[：:]\s*([\u4e00-\u9fa5·]{2,8})")
DATE = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
OFFICE = re.compile(r"^([\u4e00-\u9fa5（）()]{4,40}?(?:局|委员会|委|办公室|办|人民政府|政府|厅|中心|人大常委会|政协))(?:文件)?$")
GENRES = [
    ("答复函", re.compile(r"答复|复函")),
    ("调研报告", re.compile(r"调研|调查报告|视察")),
    ("访谈", re.compile(r"——访|访谈|专访|记者[：:]")),
    ("通知", re.compile(r"通知$")),
    ("方案", re.compile(r"方案$")),
    ("政策措施", re.compile(r"(?:办法|措施|意见|规定|细则|若干政策|政策)(?:（试行）|\(试行\))?$")),
    ("报告", re.compile(r"报告|总结|工作情况|进展情况")),
    ("手册", re.compile(r"手册|指南|应知应会|学习")),
]
# How a 公文 title ends: its genre, then at most a short note in brackets (（试行）, （审议稿）, （2024年修订）).
TITLE_HINT = re.compile(
    r"(?:函|报告|通知|通报|方案|意见|办法|措施|规定|细则|总结|情况|手册|指南|纪要|讲话|访谈|条例|法|决定|批复|公告|通告|解释"
    r"|规划|纲要|决议|公报|章程|规则|要点|计划|打算)(?:（[^（）]{1,12}）|\([^()]{1,12}\))?$"
)
TITLE_NOTE = re.compile(r"^[（(](?![^（）()]*\d+月\d+日)[^（）()在]{1,10}[）)]$")  # a title's last line: （审议稿） （试行） （征求意见稿）
# A title typeset over several lines breaks where its first line cannot end or its next line cannot begin.
TITLE_OPEN_END = re.compile(r"(?:关于|和|及|与|暨|、|的|对|《|“)$")
TITLE_CONTINUES = re.compile(r"^(?:的|和|及|与|暨|印发|转发|关于|有关|《|“)")
MAX_TITLE_LINES = 3


@dataclass
class DocMeta:
    title: str = ""
    doc_number: str = ""
    office: str = ""
    signer: str = ""
    date: str = ""  # ISO yyyy-mm-dd
    disclosure: str = ""  # the deciding markings as printed: 公开属性：主动公开 / 内部资料 注意保存 ...
    access: str = "公开"  # normalised: 公开 | 内部 | 涉密
    access_reason: str = ""  # which marking, where (页眉“内部资料”); or that the default applied
    access_basis: str = "default"  # marking | default | manual (an administrator's reclassification)
    recipient: str = ""
    genre: str = "其他"

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def extract_metadata(doc: CleanDocument, fallback_title: str = "", markings: list[Marking] | None = None,
                     default_access: str = PUBLIC) -> DocMeta:
    """`markings`: found on the file as loaded (markings.markings_of, which also sees page headers, footers and
    watermarks); without them, the cleaned text's lines are read. `default_access`: the class of an unmarked
    document (Settings.default_disclosure)."""
    meta = DocMeta()
    body = [p for p in doc.paras if p.kind == "para"]
    head = [doc.para_text(p).strip() for p in body[:14]]
    text = doc.text

    meta.doc_number = find_doc_number(head, text[:3000])
    signer = SIGNER.search(text[:3000])
    if signer:
        meta.signer = signer.group(1)

    if markings is None:
        markings = find_markings([doc.para_text(p) for p in doc.paras if p.kind in ("para", "footer")])
    decided = classify(markings, default_access)
    meta.access, meta.disclosure = decided.access, decided.disclosure
    meta.access_reason, meta.access_basis = decided.reason, decided.basis

    meta.title = _find_title([line for line in head if not line_classes(line)]) or fallback_title
    for line in head:
        # one office, or several issuing jointly on one line (安康市行政审批服务局 安康市招商和经济合作局)
        offices = [OFFICE.match(part) for part in re.split(r"[\s、　]+", line.strip()) if part]
        if offices and all(offices) and line != meta.title:
            meta.office = "、".join(m.group(1) for m in offices if m)
            break
    if not meta.office:
        m = re.match(r"^([\u4e00-\u9fa5]{4,30}?(?:局|委员会|人民政府|办公室))关于|^([\u4e00-\u9fa5]{4,30}?(?:局|委员会))对", meta.title)
        if m:
            meta.office = m.group(1) or m.group(2) or ""

    meta.recipient = _find_recipient(head, meta.title)
    meta.date = _find_date(doc)
    meta.genre = _genre(meta.title, text[:4000], bool(meta.recipient))
    return meta


def find_doc_number(head: list[str], opening: str = "") -> str:
    """The document's own 文号: a head line that is a 文号 (perhaps with 签发人 beside it) first; then the latest
    order number in the first head line that lists orders (a law's history: 第492号公布 … 第711号修订); then the
    first 文号 of the opening that is not cited by the sentence around it. Brackets normalised to 〔〕."""
    for line in head:
        compact = re.sub(r"\s+", "", line)
        match = DOC_NUMBER.search(compact)
        if match and len(DOC_NUMBER.sub("", SIGNER.sub("", compact)).strip("　 ")) <= 2:
            return normalise_doc_number(match.group(1))
    for line in head:
        orders = [m.group(1) for m in DOC_NUMBER.finditer(line) if "令" in m.group(1)]
        if orders:
            return normalise_doc_number(orders[-1])
    for match in DOC_NUMBER.finditer(opening):
        number = normalise_doc_number(match.group(1))
        code = re.split(r"[〔令]", number, maxsplit=1)[0]
        before = opening[max(0, match.start() - 6) : match.end()]
        before = before[: len(before) - len(match.group(1))] + match.group(1).split(code, 1)[0] if code else before
        if number and not re.search(r"(?:根据|依据|按照|参照|转发|印发|《)\s*$", before):
            return number
    return ""


def unify_brackets(text: str) -> str:
    """Text with no spaces and a 文号's year in 〔〕 whatever brackets were typed ([2019], （2019）, 【2019】)."""
    return re.sub(r"[\[［(（【]((?:19|20)\d{2})[\]］)）】]", r"〔\1〕", re.sub(r"\s+", "", text))


def normalise_doc_number(found: str) -> str:
    """A 文号 as one string (unify_brackets), the citing words before the issuer's code dropped (根据国办发〔2019〕5号
    → 国办发〔2019〕5号); "" when no issuer's code is left."""
    number = unify_brackets(found)
    if "〔" in number:
        code, rest = number.split("〔", 1)
        code = CITING.sub("", code)
        return f"{code}〔{rest}" if code else ""
    code, rest = number.split("令", 1)
    state = "中华人民共和国"  # its 和 is not a conjunction
    code = CITING.sub("", code.replace(state, "\x00")).replace("\x00", state)
    return f"{code}令{rest}"


def _title_line(line: str) -> bool:
    """Whether a head line may be (part of) the title: not a 文号, date, office, 签发人, heading, salutation."""
    from assistant.corpus.cleanup import HEADING

    clean = line.strip("#* ")
    return bool(
        clean
        and len(clean) <= 80
        and "。" not in clean
        and not HEADING.match(line)
        and not DOC_NUMBER.search(clean)
        and not DATE.fullmatch(clean.strip("（）()"))
        and not SIGNER.search(clean)
        and not OFFICE.match(clean)
        and not clean.endswith(("：", ":"))
        and not clean.startswith(("——", "【", "总策划", "编辑"))
        and not re.search(r"校对|编辑|美编|总策划|记者", clean)
    )


def _title_at(lines: list[str], start: int) -> str:
    """The longest title (one to MAX_TITLE_LINES lines, then an optional （审议稿）-style note) starting at `start`."""
    for count in range(min(MAX_TITLE_LINES, len(lines) - start), 0, -1):
        parts = [line.strip("#* ") for line in lines[start : start + count]]
        if not all(_title_line(line) for line in lines[start : start + count]):
            continue
        joined = "".join(parts)
        if not (6 <= len(joined) <= 80 and TITLE_HINT.search(joined)):
            continue
        if all(_breaks_inside("".join(parts[:k]), parts[k]) for k in range(1, count)):
            following = start + count
            if following < len(lines) and TITLE_NOTE.match(lines[following].strip()) and len(joined) < 70:
                joined += lines[following].strip()
            return joined
    return ""


def _breaks_inside(first: str, second: str) -> bool:
    """Whether a title whose lines so far read `first` may continue onto line `second`."""
    if TITLE_NOTE.match(second):
        return True
    if TITLE_HINT.search(first) and not TITLE_CONTINUES.match(second):
        return False  # the first line is a whole title already
    unbalanced = first.count("《") > first.count("》") or first.count("“") > first.count("”")
    return bool("关于" in first or TITLE_OPEN_END.search(first) or unbalanced or TITLE_CONTINUES.match(second))


def _find_title(head: list[str]) -> str:
    for index, line in enumerate(head):
        if line.startswith("——") and index:  # newspaper style: the title, then a "——访…" subtitle
            for start in range(max(0, index - MAX_TITLE_LINES), index):
                title = _title_at(head[:index], start)
                if title:
                    break
            else:
                previous = head[index - 1].strip("#* ")
                title = previous if 4 <= len(previous) <= 60 else ""
            if title:
                # a web page may print the full title once and a short one above the subtitle
                longer = [h.strip("#* ") for h in head[:index] if h.strip("#* ").endswith(title) and _title_line(h)]
                return max(longer, key=len) if longer else title
    for start in range(len(head)):
        title = _title_at(head, start)
        if title:
            return title
    for line in head:
        clean = line.strip("#* ")
        if 8 <= len(clean) <= 60 and _title_line(line) and not clean.startswith("【"):
            return clean
    # an article's short title on its first line (范廷颂), the body after it
    first = head[0].strip("#* ") if head else ""
    if 2 <= len(first) <= 40 and _title_line(head[0]) and not re.search(r"[，,；;！？!?]", first) and len(head) > 1:
        return first
    return ""


def _find_recipient(head: list[str], title: str) -> str:
    seen_title = not title
    for line in head:
        if line == title or (len(line.strip("#* ")) >= 2 and line.strip("#* ") in title):
            seen_title = True  # the title, or one of the lines it is typeset over
            continue
        if seen_title and line.endswith(("：", ":")) and 2 <= len(line) <= 40 and "。" not in line:
            if re.search(r"如下|答复|报告如下", line):
                continue
            return line.rstrip("：:")
    return ""


def _find_date(doc: CleanDocument) -> str:
    candidates: list[str] = []
    paras = doc.paras
    edge = paras[:10] + paras[-8:]
    for p in edge:
        line = doc.para_text(p).strip()
        m = DATE.search(line)
        if m and len(line) <= 30:
            candidates.append(f"{int(m.group(1)):04d}-{int(m.group(2)):02d}-{int(m.group(3)):02d}")
    return candidates[0] if candidates else ""


def _genre(title: str, head_text: str, has_recipient: bool) -> str:
    for genre, pattern in GENRES:
        if pattern.search(title):
            return genre
    if re.search(r"——访|记者[：:]", head_text):
        return "访谈"
    if re.search(r"现答复如下|收悉", head_text):
        return "答复函"
    if re.search(r"工作进展|进展情况|存在(?:的)?主要问题", head_text):
        return "报告"
    return "其他"
