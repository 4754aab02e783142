"""Disclosure markings: where a 公文 says who may read it, and the class that follows (公开 / 内部 / 涉密).

Staff mark documents in many ways: a label line in the head ("公开属性：主动公开", "密级：内部", "★内部"),
a 附注 or 版记 line at the end ("（此件不公开）", "公开方式：不予公开" after 抄送), a page header or footer
("内部资料 注意保存"), a watermark, a stamp in a text box, a document property. `find_markings` reads all of
these; `classify` turns what it found into one class, failing closed: any restrictive marking wins over a
public one, and 依申请公开 counts as restricted (the document is not published; it is released only to the one
who asked). A document with no marking gets the deployment's default.

Recognition is by grammar, not by word: a line is a marking when it consists only of marking phrases (a label,
a class, a caution such as 严禁外传 or 注意保存, a term such as ★1年, brackets and separators), optionally after
an issuing body's name ("安康市招商局内部资料"). So "内部控制", "内部审计" or a sentence about 政府信息公开
never restrict. Pure functions: no I/O.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from assistant.access import INTERNAL, PUBLIC
from assistant.corpus.loaders import Margin, RawDocument

CLASSIFIED = "涉密"
RESTRICTIVENESS = {PUBLIC: 0, INTERNAL: 1, CLASSIFIED: 2}
HEAD_LINES = 10  # the 版头 and title block: where the 公开属性 and 密级 are printed
TAIL_LINES = 12  # the 附注, 落款 and 版记 (抄送, 印发, 公开方式)
MAX_MARKING_CHARS = 60  # a marking line is short; a longer line is a sentence

# -- the grammar's tokens, on text normalised by `compact` (NFKC, no whitespace) ----------------------------
LABEL = (r"(?:信息公开选项|信息公开属性|信息公开方式|信息公开类别|政务公开方式|公开属性|公开方式|公开类别|公开类型|公开选项|"
         r"公开形式|公开范围|发布方式|发布范围|阅读范围|阅知范围|传阅范围|文件属性|文件密级|文档密级|保密级别|保密等级|密级|"
         r"信息公开|政务公开|类别|(?i:classification|sensitivity))")
LABEL_WITH_COLON = r"(?:信息公开选项|信息公开属性|信息公开方式|信息公开类别|政务公开方式|公开属性|公开方式|公开类别|公开类型|" \
                   r"公开选项|公开形式|公开范围|发布方式|发布范围|阅读范围|阅知范围|文件属性|文件密级|文档密级|保密级别|保密等级|密级):"
THIS = r"(?:[此本该]文件|[此本该]件|本文|本材料|本资料|本刊|本期)?"
TOKENS: list[tuple[str, str | None, str]] = [
    # (kind, class it gives or None, pattern) — order matters: longer and more specific first
    ("term", None, r"★(?:\d{1,3}(?:年|个月|月|天)|启用前|长期|永久)?|保密期限:?\d{1,3}(?:年|个月)|启用前|[☆★]"),
    ("label", None, LABEL + r":?"),
    ("class", CLASSIFIED, r"国家秘密|绝密|机密|(?<!工作)(?<!商业)秘密|涉密"),
    ("class", INTERNAL, r"工作秘密|商业秘密|核心商密|普通商密"),
    ("class", INTERNAL, THIS + r"(?:仅供|仅限|只供|只限|限于|限|供)?内部(?:资料性出版物|参考资料|资料|文件|材料|刊物|参考|参阅|"
                               r"使用|传阅|发行|明电|文稿|读物|掌握|发文|交流|通报|简报|动态|专报|通讯|情况通报)?(?:使用|参考|参阅|阅)?"),
    ("class", INTERNAL, THIS + r"(?:暂不予|暂不|不予|不宜|不得|不可|不|非)(?:对外|向社会)?公开(?:发布)?"),
    ("class", INTERNAL, THIS + r"依申请(?:予以)?公开"),
    ("class", INTERNAL, r"(?i:forinternaluseonly|internaluseonly|internaluse|internal|confidential|restricted|"
                        r"notforpublication|notforpublicrelease|notforrelease)"),
    ("caution", INTERNAL, r"(?:严禁|不得|请勿|禁止|切勿|不准|勿)(?:对外提供|外传|外泄|外借|转发|转载|翻印|复制|复印|扩散|上网|外送)|"
                          r"注意保密|严格保密|请保密|请注意保密|妥善保密|"
                          r"(?:阅后|会后|用后|用毕|阅毕)(?:即)?(?:收回|销毁|退回|交回)|"
                          r"(?:仅供|仅限|只供|只限)[\u4e00-\u9fa5]{1,12}?(?:知悉|阅知|阅读|阅|使用|参阅|参考|掌握)"),
    ("class", PUBLIC, THIS + r"(?:主动公开|公开发布|予以公开|全文公开|向社会公开|社会公开|公开)|(?i:public)"),
    ("class", None, r"[ABC]类|[ABC](?![A-Za-z])"),  # 类别：A类 (the 提案答复 category printed where the 公开属性 goes)
    ("neutral", None, r"注意保存|注意保管|妥善保管|妥善保存|请妥善保管|请妥善保存|仅供参考|供参考|存档|留存|注意|"
                      r"(?:\d{4}年)?(?:总)?第\d+期|\d{4}年(?:\d{1,2}月(?:\d{1,2}日)?)?|第\d+页(?:共\d+页)?|共\d+页|\d+/\d+|\d+"),
    ("sep", None, r"[()\[\]【】〔〕〈〉「」『』<>{}〖〗*※■□▲△●○◆◇▼\-—_=~·•・.,。、;:!|/\\\"“”'‘’#]+"),
]
TOKEN = re.compile("|".join(f"(?P<t{i}>{pattern})" for i, (_, _, pattern) in enumerate(TOKENS)))
ORG = re.compile(r"[\u4e00-\u9fa5A-Za-z0-9()]{2,24}?(?:局|委员会|委|办公室|办|人民政府|政府|厅|中心|处|科|室|部|院|会|组|公司|"
                 r"集团|简报|动态|专报|通讯|快报|要情|参阅|内参|通报|情况)")
BRACKETED = re.compile(r"[(\[【〔〈「『〖]([^()\[\]【】〔〕〈〉「」『』〖〗]{1,30})[)\]】〕〉」』〗]")
LABELED = re.compile(LABEL_WITH_COLON + r"(?P<value>[^,;。，；:]{1,20})")
THIS_CLAUSE = re.compile(r"[此本该]文?件(?:暂不予|暂不|不予|不宜|不得|不|非)?(?:对外|向社会)?(?:依申请)?(?:予以)?公开(?:发布)?|"
                         r"[此本该]文?件(?:仅供|仅限|限)?内部(?:资料|文件|使用|参考|传阅|发行|掌握)?")
LAYOUT_GAP = re.compile(r"\s{2,}|\t|\u3000|[|｜]")
# Traditional forms of the characters markings use: files from Hong Kong, Macao or Taiwan partners, and OCR,
# which often reads 内 as 內.
TRADITIONAL = str.maketrans("內資開僅參請機祕傳閱級屬對發佈與單處辦會廳項門類別號專報簡動態訊啟絕國業轉載複製擴網銷毀畢領導範",
                            "内资开仅参请机秘传阅级属对发布与单处办会厅项门类别号专报简动态讯启绝国业转载复制扩网销毁毕领导范")
INVISIBLE = re.compile(r"[\s\u200b-\u200f\u2060\ufeff\u00ad]+")
FOOTER_START = re.compile(r"^[(（]?\s*(?:抄送|抄报|印发|分送|发送|主题词)")

ON_REQUEST_WHY = "依申请公开的文件不主动公开，只向申请人提供，按内部处理"


@dataclass(frozen=True)
class Marking:
    access: str  # 公开 | 内部 | 涉密
    label: str  # the marking as printed (spaces collapsed, at most 40 characters)
    place: str  # 首部第2行、版记、页眉、水印 …

    def describe(self) -> str:
        return f"{self.place}“{self.label}”"


@dataclass(frozen=True)
class Classification:
    access: str
    disclosure: str  # the deciding markings as printed, joined by 、; "" when unmarked
    reason: str  # which marking, where; or that none was found and the default applied
    basis: str  # "marking" | "default" (| "manual", set by an administrator, see index/disclosure.py)


def compact(text: str) -> str:
    """NFKC (full-width letters, digits, brackets and colons to half-width), simplified characters, no whitespace
    or invisible marks."""
    return INVISIBLE.sub("", unicodedata.normalize("NFKC", text)).translate(TRADITIONAL)


def _tokens(text: str) -> list[tuple[str, str | None, str]] | None:
    """The line as marking tokens (kind, class, text), or None if anything in it is not a marking phrase."""
    out: list[tuple[str, str | None, str]] = []
    pos = 0
    while pos < len(text):
        m = TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            return None
        index = int(next(name for name, value in m.groupdict().items() if value is not None)[1:])
        kind, access, _ = TOKENS[index]
        out.append((kind, access, m.group()))
        pos = m.end()
    return out


def _classes(tokens: list[tuple[str, str | None, str]]) -> list[str]:
    found: list[str] = []
    for i, (kind, access, text) in enumerate(tokens):
        if kind not in ("class", "caution"):
            continue
        if access is None:  # A类 / B类 / C类: only right after a label, or on a line of its own
            labelled = i > 0 and tokens[i - 1][0] == "label" or len([t for t in tokens if t[0] != "sep"]) == 1
            if not labelled:
                continue
            access = INTERNAL if text.startswith("C") else PUBLIC
        found.append(access)
    return found


def line_classes(line: str, allow_org: bool = True) -> list[str]:
    """The classes a line states if the whole line is a marking ("内部资料 注意保存", "【内部】", "密级：内部",
    "安康市招商局内部资料"); [] for any other line ("加强内部控制", "关于做好政府信息公开工作的通知")."""
    text = compact(line)
    if not text or len(text) > MAX_MARKING_CHARS:
        return []
    tokens = _tokens(text)
    if tokens is not None:
        return _classes(tokens)
    if allow_org and not text.startswith("关于"):
        for end in range(3, min(len(text), 30)):
            prefix = text[:end]
            if "的" not in prefix and ORG.fullmatch(prefix) and (rest := _tokens(text[end:])) and (classes := _classes(rest)):
                return classes
    return []


def _within(line: str) -> list[tuple[str, str]]:
    """Markings inside a longer line of the head, the end or the margins: a bracketed marking ("招商动态（内部资料）",
    "【内部】关于…的说明"), a labelled one ("抄送：市政府办公室。公开方式：不予公开"), or "此件不公开" in a sentence."""
    text = compact(line)
    found: list[tuple[str, str]] = []
    for m in BRACKETED.finditer(text):
        for access in line_classes(m.group(1), allow_org=False):
            found.append((access, m.group(0)))
    for m in LABELED.finditer(text):
        value = m.group("value")
        for end in range(len(value), 0, -1):
            classes = line_classes(value[:end], allow_org=False)
            if classes:
                found += [(access, m.group(0)[: len(m.group(0)) - len(value) + end]) for access in classes]
                break
    for m in THIS_CLAUSE.finditer(text):
        found += [(access, m.group(0)) for access in line_classes(m.group(0), allow_org=False)]
    return found


def _segments(line: str) -> list[str]:
    """Parts of a line set apart by layout (two or more spaces, a tab, a full-width space, a bar): a header such as
    "安康市招商和经济合作局　　内部资料 注意保存 　第 2 页" prints its marking as one such part."""
    parts = [p for p in LAYOUT_GAP.split(line) if p.strip()]
    return parts if len(parts) > 1 else []


def _shown(line: str) -> str:
    return " ".join(line.split())[:40]


def markings_in_line(line: str, place: str, edge: bool) -> list[Marking]:
    """Markings a line carries. `edge`: the line is in the head, the end, or the margins, where a marking may share
    the line with other text; elsewhere in the body only a line that is wholly a marking counts."""
    found = [Marking(access, _shown(line), place) for access in line_classes(line, allow_org=edge)]
    if edge and not found:
        for part in _segments(line):
            found += [Marking(access, _shown(part), place) for access in line_classes(part)]
    if edge and not found:
        found = [Marking(access, _shown(label), place) for access, label in _within(line)]
    return list(dict.fromkeys(found))


def find_markings(lines: Sequence[str], margins: Iterable[Margin] = ()) -> list[Marking]:
    """Every marking in a document's lines as printed (raw paragraphs or text lines, in order) and its margins."""
    numbered = [(i, line) for i, line in enumerate(lines) if line.strip()]
    head = {i for i, _ in numbered[:HEAD_LINES]}
    tail = {i for i, _ in numbered[-TAIL_LINES:]}
    half = numbered[len(numbered) // 2][0] if numbered else 0
    footer_from = next((i for i, line in numbered if i >= half and FOOTER_START.match(line.strip())), None)
    found: list[Marking] = []
    for order, (i, line) in enumerate(numbered):
        if i in head:
            place = f"首部第{order + 1}行"
        elif footer_from is not None and i >= footer_from:
            place = "版记"
        elif i in tail:
            place = "文末"
        else:
            place = f"正文第{order + 1}行"
        edge = i in head or i in tail or (footer_from is not None and i >= footer_from)
        if not edge and line.startswith("\t"):
            continue  # a cell of a table flattened one cell per line (a 公开目录 lists other documents' 公开属性)
        found += markings_in_line(line, place, edge)
    for margin in margins:
        for line in margin.text.splitlines() or [margin.text]:
            found += markings_in_line(line, margin.place, edge=True)
    return found


def markings_of(raw: RawDocument) -> list[Marking]:
    """Every marking of a loaded file: its paragraphs or lines as printed (before cleanup joins or drops any) and
    the margins its loader found (page headers and footers, watermarks, text boxes, document properties)."""
    return find_markings([block.text for block in raw.blocks if block.table is None], raw.margins)


def classify(markings: Sequence[Marking], default: str = PUBLIC) -> Classification:
    """One class for a document: the most restrictive marking decides; unmarked documents get `default`."""
    if not markings:
        return Classification(default, "", f"未发现公开属性或密级标注，按默认设置归为{default}"
                              "（ASSISTANT_DEFAULT_DISCLOSURE）", "default")
    access = max((m.access for m in markings), key=RESTRICTIVENESS.__getitem__)
    deciding = list(dict.fromkeys(m for m in markings if m.access == access))
    labels = "、".join(list(dict.fromkeys(m.label for m in deciding))[:3])
    reason = "标注：" + "；".join(m.describe() for m in deciding[:3])
    if len(deciding) > 3:
        reason += f" 等 {len(deciding)} 处"
    if access == INTERNAL and all("依申请" in compact(m.label) for m in deciding):
        reason += f"（{ON_REQUEST_WHY}）"
    looser = [m for m in markings if RESTRICTIVENESS[m.access] < RESTRICTIVENESS[access]]
    if looser:
        reason += f"；另有{looser[0].describe()}，标注不一致时从严"
    return Classification(access, labels, reason, "marking")
