"""Web pages saved from a browser (.html/.htm): the article only, without menus, banners, footers or scripts.

A small readability-style extractor on lxml: the element under which most running text sits (paragraph text
scored to its parent and half to its grandparent, discounted by the share of link text) is the article; it is
walked in document order so headings (一、… as h2) stay lines of their own and tables stay tables. Trafilatura
was tried first: on a plain 公文 page it dropped the h2 section headings, which the chunker needs.
The title is the page's own: <meta name="ArticleTitle"> (government CMS pages), the first <h1>, else the
<title> without the site name (“…_政策文件_某某市人民政府”).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from assistant.corpus.loaders import Margin, RawBlock, RawDocument, RawTable, decode_text, register_loader
from assistant.errors import LoadError

DROP_TAGS = ("script", "style", "noscript", "iframe", "nav", "header", "footer", "aside", "form", "select",
             "button", "svg", "object", "embed", "template", "head")
BOILERPLATE_ATTR = re.compile(
    r"nav|menu|footer|foot|breadcrumb|crumb|sidebar|side-bar|share|copyright|banner|toolbar|pagination|pager"
    r"|related|comment|login|search|topbar|top-bar|skip|advert|\bad\b", re.I)
BLOCK_TAGS = {"p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr", "td", "th", "section", "article",
              "main", "blockquote", "pre", "dl", "dt", "dd", "center", "br", "hr", "figure", "figcaption", "address"}
# Page furniture that sits inside the article on government sites, as a short line of its own: 【字号：大 中 小】,
# 打印本页, 关闭窗口, 分享到, 浏览次数：123, 扫一扫在手机打开当前页, 上一篇/下一篇. Running text that merely
# mentions a 字号 (a company's trade name) is longer or says it otherwise.
FURNITURE_LINE = re.compile(
    r"字号\s*[：:]\s*[【\[]?\s*[大中小默认]|打印本页|关闭窗口|^\s*分享到|(?:浏览次数|访问量|阅读次数|点击数)\s*[：:]\s*\d"
    r"|扫一扫在手机|【\s*(?:打印|关闭)\s*】|^\s*(?:上一篇|下一篇)\s*[：:]"
)
FURNITURE_MAX_CHARS = 80
TITLE_SEPARATORS = re.compile(r"\s*(?:_|\||｜|-{1,2}|—{1,2}|·)\s*")
META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)|<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_-]+)""", re.I)
CJK = re.compile(r"[\u4e00-\u9fff]")


def _decode(data: bytes, path: Path) -> str:
    declared = META_CHARSET.search(data[:4096])
    if declared:
        name = (declared.group(1) or declared.group(2)).decode("ascii").lower()
        name = "gb18030" if name in ("gb2312", "gbk", "gb18030") else name  # GB18030 reads the other two
        try:
            return data.decode(name)
        except (LookupError, UnicodeDecodeError):
            pass  # the declaration lies (a page re-saved in another encoding): detect instead
    return decode_text(data, path)[0]


def _text(element: Any) -> str:
    return " ".join("".join(element.itertext()).split())


def _link_density(element: Any, length: int) -> float:
    links = sum(len(_text(a)) for a in element.iter("a"))
    return min(1.0, links / length) if length else 1.0


def _article(body: Any) -> Any:
    """The element holding the page's running text."""
    scores: dict[Any, float] = {}
    for node in body.iter("p", "td", "pre", "div", "li"):
        if node.tag in ("div", "li") and any(child.tag in BLOCK_TAGS - {"br"} for child in node):
            continue  # a container: its paragraphs are scored themselves
        text = _text(node)
        if len(text) < 10:
            continue
        score = 1 + min(len(text) / 50, 6) + text.count("，") + text.count("。") + text.count(",")
        parent = node.getparent()
        if parent is not None:
            scores[parent] = scores.get(parent, 0.0) + score
            grandparent = parent.getparent()
            if grandparent is not None:
                scores[grandparent] = scores.get(grandparent, 0.0) + score / 2
    if not scores:
        return body
    def weighted(node: Any) -> float:
        return scores[node] * (1 - _link_density(node, len(_text(node))))
    best = max(scores, key=weighted)
    # A page whose paragraphs sit directly in several sibling boxes: take the common parent when it adds text.
    parent = best.getparent()
    if parent is not None and parent in scores and weighted(parent) > 1.3 * weighted(best):
        best = parent
    return best


def _layout_table(table: Any) -> bool:
    """A table used for page layout (old CMS pages put the whole article in one): its cells hold paragraphs,
    lists or other tables, or running text, rather than values."""
    for cell in table.iter("td", "th"):
        if any(child.tag in ("p", "div", "table", "ul", "ol", "h1", "h2", "h3") for child in cell.iter()
               if child is not cell):
            return True
        if len(_text(cell)) > 150:
            return True
    return False


class _Walker:
    """Blocks of an element in document order: each block-level element ends a line."""

    def __init__(self) -> None:
        self.blocks: list[RawBlock] = []
        self.line: list[str] = []

    def flush(self) -> None:
        text = " ".join("".join(self.line).split())
        self.line = []
        if text and not (len(text) <= FURNITURE_MAX_CHARS and FURNITURE_LINE.search(text)):
            self.blocks.append(RawBlock(text=text))

    def walk(self, element: Any) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag == "table" and not _layout_table(element):
            self.flush()
            rows = [[_text(cell) for cell in row if cell.tag in ("td", "th")] for row in element.iter("tr")]
            rows = [r for r in rows if any(r)]
            if len(rows) >= 2 and max(len(r) for r in rows) >= 2:
                self.blocks.append(RawBlock(table=RawTable(rows=rows)))
            else:  # a one-row or one-column table: its cells are lines
                for row in rows:
                    self.line.append(" ".join(c for c in row if c))
                    self.flush()
            if element.tail:
                self.line.append(element.tail)
            return
        block = tag in BLOCK_TAGS
        if block:
            self.flush()
        if tag and element.text:
            self.line.append(element.text)
        for child in element:
            self.walk(child)
        if block:
            self.flush()
        if element.tail:
            self.line.append(element.tail)


HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0(?:px|pt|em)?\s*(?:;|$)", re.I)


def _hidden(element: Any) -> bool:
    """Text a browser does not show (the hidden attribute, display:none, visibility:hidden, zero-size type):
    not indexed, as hidden Word text is not (a place to plant instructions no reader sees)."""
    return element.get("hidden") is not None or bool(HIDDEN_STYLE.search(element.get("style") or ""))


def _page_title(root: Any) -> str:
    for meta in root.iter("meta"):
        if (meta.get("name") or "").lower() in ("articletitle", "title") and (meta.get("content") or "").strip():
            return " ".join(meta.get("content").split())
    for h1 in root.iter("h1"):
        text = _text(h1)
        if 4 <= len(text) <= 80 and CJK.search(text):
            return text
    title = root.find(".//title")
    if title is None or not _text(title):
        return ""
    parts = [p for p in TITLE_SEPARATORS.split(_text(title)) if p]
    return max(parts, key=len) if parts else ""


@register_loader(".html", ".htm", label="网页，只取正文", mime_types=("text/html", "application/xhtml+xml"))
def _load_html(path: Path) -> RawDocument:
    import lxml.html
    from lxml import etree

    text = _decode(path.read_bytes(), path)
    if not text.strip():
        raise LoadError(path, "文件只有空白内容")
    try:
        root = lxml.html.document_fromstring(re.sub(r"^\s*<\?xml[^>]*>", "", text))
    except (etree.ParserError, ValueError) as exc:
        raise LoadError(path, f"网页无法解析（{exc}）") from exc
    title = _page_title(root)
    margins: list[Margin] = []
    for comment in root.xpath("//comment()"):
        if comment.getparent() is not None:
            comment.drop_tree()
    for element in list(root.iter(*DROP_TAGS)):
        if element.getparent() is not None:
            element.drop_tree()
    for element in list(root.iter()):
        if not isinstance(element.tag, str) or element.getparent() is None or element.tag in ("body", "html"):
            continue
        attrs = f"{element.get('class', '')} {element.get('id', '')} {element.get('role', '')}"
        if _hidden(element):
            if _text(element):
                margins.append(Margin("网页隐藏文字", _text(element)))  # a hidden marking still restricts
            element.drop_tree()
        elif BOILERPLATE_ATTR.search(attrs) and not CJK.search(attrs):
            element.drop_tree()
    body = root.find("body")
    walker = _Walker()
    walker.walk(_article(body if body is not None else root))
    walker.flush()
    blocks = walker.blocks
    if title and not any(b.text.strip() == title for b in blocks[:5]):
        blocks.insert(0, RawBlock(text=title))  # the 公文 title line the metadata reader looks for
    if not any((b.text and CJK.search(b.text)) or b.table for b in blocks) and not any(len(b.text) > 20 for b in blocks):
        raise LoadError(path, "网页中没有找到正文文字（可能是只有框架或脚本的页面，请在浏览器中“另存为”完整网页或复制正文）")
    return RawDocument(path=path, fmt=path.suffix.lower().lstrip("."), blocks=blocks, title=title, margins=margins)
