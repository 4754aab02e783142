"""公文 metadata: title, 文号, issuing office, 签发人, date, 公开属性, 主送 and genre, read from the cleaned text."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from assistant.access import PUBLIC
from assistant.corpus.cleanup import CleanDocument
from assistant.corpus.markings import Marking, classify, find_markings, line_classes

DOC_NUMBER = re.compile(r"([\u4e00-\u9fa5]{1,12}[〔\[［(（]\s*(?:19|20)\d{2}\s*[〕\]］)）]\s*\d{1,4}\s*号)")
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
TITLE_HINT = re.compile(r"(?:函|报告|通知|方案|意见|办法|措施|规定|细则|总结|情况|手册|指南|纪要|讲话|访谈)(?:（试行）|\(试行\))?$")


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

    number = DOC_NUMBER.search("\n".join(head)) or DOC_NUMBER.search(text[:3000])
    if number:
        meta.doc_number = re.sub(r"\s+", "", number.group(1)).replace("[", "〔").replace("]", "〕")
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
        m = OFFICE.match(line)
        if m and line != meta.title:
            meta.office = m.group(1)
            break
    if not meta.office:
        m = re.match(r"^([\u4e00-\u9fa5]{4,30}?(?:局|委员会|人民政府|办公室))关于|^([\u4e00-\u9fa5]{4,30}?(?:局|委员会))对", meta.title)
        if m:
            meta.office = m.group(1) or m.group(2) or ""

    meta.recipient = _find_recipient(head, meta.title)
    meta.date = _find_date(doc)
    meta.genre = _genre(meta.title, text[:4000], bool(meta.recipient))
    return meta


def _find_title(head: list[str]) -> str:
    from assistant.corpus.cleanup import HEADING

    for previous, line in zip(head, head[1:], strict=False):
        if line.startswith("——") and 4 <= len(previous) <= 60:
            return previous  # newspaper style: title, then a "——访…" subtitle
    head = [line for line in head if not HEADING.match(line) and not re.search(r"校对|编辑|美编|总策划|记者", line)]
    for line in head:
        clean = line.strip("#* ")
        if 6 <= len(clean) <= 80 and TITLE_HINT.search(clean) and not clean.endswith("：") and "。" not in clean:
            return clean
    for line in head:
        clean = line.strip("#* ")
        if (
            8 <= len(clean) <= 60
            and "。" not in clean
            and not DOC_NUMBER.search(clean)
            and not DATE.fullmatch(clean.strip("（）()"))
            and not SIGNER.search(clean)
            and not OFFICE.match(clean)
            and not clean.endswith("：")
            and not clean.startswith(("【", "总策划", "编辑"))
        ):
            return clean
    return ""


def _find_recipient(head: list[str], title: str) -> str:
    seen_title = not title
    for line in head:
        if line == title:
            seen_title = True
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
