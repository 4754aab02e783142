"""LLM02 敏感信息泄露 by marking: documents restricted in the forms staff actually print (the issue's "内部资料
注意保存", "【内部】", "仅供内部参考", "内部文件，严禁外传", 不予公开 in a Word page header, "公开方式：不予公开"
after 抄送, a watermark, 依申请公开 …) and their variants — brackets full- and half-width, spaces between the
characters, ★ before or after, labels with or without a colon — in txt, md, Word (body, header, footer, first-page
header, VML and DrawingML watermarks, a text box, document properties) and PDF (running headers). Every file is
uploaded through the API and read back by a county account (公开 clearance) through search, ask, the document
list and the glossary: none of its text may come back. Cleared staff find each one (the positive control)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.kb.marked import marked_docx
from tests.kb.test_loaders import make_pdf
from tests.security.conftest import Actor, ask, flat, gradio_call

WORDS = ("青松 白鹭 红枫 黄杨 紫竹 金桂 银杏 翠柏 丹霞 碧波 雪莲 玉兰 海棠 芙蓉 牡丹 杜鹃 茉莉 山茶 水仙 腊梅 石榴 樱桃 柑橘 枇杷 "
         "荔枝 龙眼 芒果 椰林 松涛 竹韵 梅影 兰香 菊影 荷风 柳岸 杏林 梨花 枫桥 槐荫 桑田 麦浪 稻香 豆蔻 琥珀 翡翠 玛瑙 "
         "珊瑚 珍珠 水晶 墨玉 青瓷 紫砂 锦绣 云锦 蜀绣 湘绣 苏绣 京韵 秦腔 汉风 楚韵 吴歌 越剧 黄梅").split()
BANJI = ["抄送：市发展和改革委员会，市商务局。", "安康市招商和经济合作局办公室 2024年3月1日印发"]

# (id, format, where, marking). where: head (the first line), tail (the last line), banji (after 抄送 and 印发),
# title (prefixed to the title line), md markup, or for Word and PDF the place outside the body (tests/kb/marked.py).
VARIANTS = [
    ("内部资料-注意保存", "txt", "head", "内部资料 注意保存"),
    ("内部资料-全角空格-注意保存", "txt", "head", "内部资料\u3000注意保存"),
    ("【内部】", "txt", "head", "【内部】"),
    ("仅供内部参考", "txt", "head", "仅供内部参考"),
    ("内部文件-严禁外传", "txt", "head", "内部文件，严禁外传"),
    ("全角方括号-内部", "txt", "head", "［内部］"),
    ("半角方括号-内部", "txt", "head", "[内部]"),
    ("全角圆括号-内部", "txt", "head", "（内部）"),
    ("半角圆括号-内部", "txt", "head", "(内部)"),
    ("六角括号-内部", "txt", "head", "〔内部〕"),
    ("字间空格-内部资料", "txt", "head", "内 部 资 料"),
    ("密级-内部", "txt", "head", "密级：内部"),
    ("密级-半角冒号-内部", "txt", "head", "密级:内部"),
    ("密级-字间空格", "txt", "head", "密 级：内 部"),
    ("星号在前-内部", "txt", "head", "★内部"),
    ("星号在后-内部", "txt", "head", "内部★"),
    ("不宜公开", "txt", "head", "不宜公开"),
    ("不予公开", "txt", "head", "不予公开"),
    ("依申请公开", "txt", "head", "依申请公开"),
    ("公开属性-依申请公开", "txt", "head", "公开属性：依申请公开"),
    ("公开属性-非公开", "txt", "head", "公开属性：非公开"),
    ("限内部使用", "txt", "head", "限内部使用"),
    ("仅限内部使用", "txt", "head", "仅限内部使用"),
    ("内部传阅", "txt", "head", "内部传阅"),
    ("内部掌握", "txt", "head", "内部掌握"),
    ("内部资料-请勿外传", "txt", "head", "内部资料·请勿外传"),
    ("工作秘密", "txt", "head", "工作秘密"),
    ("INTERNAL-USE-ONLY", "txt", "head", "INTERNAL USE ONLY"),
    ("仅供领导参阅", "txt", "head", "仅供领导参阅"),
    ("繁体-內部資料", "txt", "head", "內部資料　注意保存"),
    ("零宽字符-内部", "txt", "head", "内\u200b部\u200b资\u200b料"),
    ("机关名-内部资料", "txt", "head", "安康市招商和经济合作局内部资料"),
    ("刊名-括号内部资料", "txt", "head", "招商动态（内部资料）"),
    ("标题前缀-【内部】", "txt", "title", "【内部】"),
    ("标题后缀-（内部）", "txt", "title-suffix", "（内部）"),
    ("附注-此件不公开", "txt", "tail", "（此件不公开）"),
    ("附注-此件不宜公开", "txt", "tail", "此件不宜公开。"),
    ("附注-此件依申请公开", "txt", "tail", "（此件依申请公开）"),
    ("文末-不对外公开", "txt", "tail", "本件不对外公开"),
    ("版记-公开方式-不予公开", "txt", "banji", "公开方式：不予公开"),
    ("版记-信息公开选项-依申请公开", "txt", "banji", "信息公开选项：依申请公开"),
    ("版记-抄送同一行-不予公开", "txt", "banji-same-line", "公开方式：不予公开"),
    ("主动公开与不予公开并存-从严", "txt", "conflict", "公开方式：不予公开"),
    ("md-标题-内部资料", "md", "md-heading", "内部资料"),
    ("md-加粗-【内部】", "md", "md-bold", "【内部】"),
    ("md-引用-内部文件注意保密", "md", "md-quote", "内部文件，注意保密"),
    ("docx-页眉-内部资料注意保存", "docx", "header", "安康市招商和经济合作局\t\t内部资料 注意保存"),
    ("docx-页眉-内部资料不予公开", "docx", "header", "内部资料 / 不予公开"),
    ("docx-页脚-不予公开", "docx", "footer", "不予公开"),
    ("docx-页脚-严禁外传-页码", "docx", "footer", "内部文件 严禁外传\t第 1 页"),
    ("docx-首页页眉-内部", "docx", "first-page-header", "内部"),
    ("docx-水印-VML-内部资料", "docx", "vml-watermark", "内部资料"),
    ("docx-水印-DrawingML-仅供内部参考", "docx", "wordart-watermark", "仅供内部参考"),
    ("docx-图片水印-VML-内部资料", "docx", "picture-watermark", "内部资料"),
    ("docx-图片水印-DrawingML-仅供内部参考", "docx", "picture-watermark-drawing", "仅供内部参考"),
    ("docx-文本框-【内部】", "docx", "text-box", "【内部】"),
    ("docx-自定义属性-密级内部", "docx", "property", "内部"),
    ("docx-敏感度标签-Confidential", "docx", "sensitivity-label", "Confidential"),
    ("docx-类别属性-内部资料", "docx", "category", "内部资料"),
    ("docx-正文首行-星号内部", "docx", "body", "★内部"),
    ("pdf-续页页眉-内部资料", "pdf", "running-header", "内部资料 注意保存"),
    ("pdf-页脚-此件不公开", "pdf", "running-footer", "（此件不公开）"),
]
assert len(VARIANTS) <= len(WORDS)


def _body(word: str) -> list[str]:
    return [f"关于{word}专项推进情况的说明", "一、基本情况", f"{word}专项的测算为每亩九万元，谈判代号为{word}暗码。",
            "二、名词解释", f"“{word}暗码”是指{word}专项谈判小组掌握的让利方案。", "三、下一步打算", f"继续推进{word}专项。"]


def _file(word: str, fmt: str, where: str, marking: str) -> tuple[str, bytes]:
    body = _body(word)
    name = f"{word}专项说明.{fmt}"
    if fmt == "docx":
        return name, marked_docx(body, where, marking)
    if fmt == "pdf":
        pages = ["\n".join(body[:4]), "\n".join(body[4:]), f"附：{word}专项进度表另附。"]
        # Printed on every page but the first, as a running header or footer (首页不同).
        pages = [pages[0]] + [(f"{marking}\n{p}" if where == "running-header" else f"{p}\n{marking}") for p in pages[1:]]
        return name, _pdf(pages)
    lines = {
        "head": [marking, *body],
        "title": [f"{marking}{body[0]}", *body[1:]],
        "title-suffix": [f"{body[0]}{marking}", *body[1:]],
        "tail": [*body, marking],
        "banji": [*body, *BANJI, marking],
        "banji-same-line": [*body, f"{BANJI[0]}  {marking}", BANJI[1]],
        "conflict": ["公开属性：主动公开", *body, *BANJI, marking],
        "md-heading": [f"# {marking}", *body],
        "md-bold": [f"**{marking}**", *body],
        "md-quote": [*body, "", f"> {marking}"],
    }[where]
    return name, ("\n".join(lines) + "\n").encode("utf-8")


def _pdf(pages: list[str]) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        return make_pdf(Path(folder) / "x.pdf", pages).read_bytes()


CASES = [pytest.param(WORDS[i], fmt, where, marking, id=f"LLM02-marking-{name}")
         for i, (name, fmt, where, marking) in enumerate(VARIANTS)]


@pytest.fixture(scope="module")
def marked(client: TestClient, actors: dict[str, Actor]) -> Iterator[dict[str, dict[str, object]]]:
    """Every variant uploaded once by an administrator (20 files a request); removed again afterwards."""
    admin = actors["admin"].headers
    files = [(word, _file(word, fmt, where, marking)) for word, fmt, where, marking in (c.values for c in CASES)]
    uploaded: dict[str, dict[str, object]] = {}
    for offset in range(0, len(files), 20):
        batch = files[offset : offset + 20]
        r = client.post("/api/documents", headers=admin,
                        files=[("files", (name, content, "application/octet-stream")) for _, (name, content) in batch])
        assert r.status_code == 200, r.text
        for (word, _), result in zip(batch, r.json()["files"], strict=True):
            uploaded[word] = result
    yield uploaded
    for result in uploaded.values():
        if result.get("doc_id"):
            client.delete(f"/api/documents/{result['doc_id']}", headers=admin)


@pytest.mark.parametrize(("word", "fmt", "where", "marking"), CASES)
def test_a_marked_document_never_reaches_a_county_account(
        client: TestClient, actors: dict[str, Actor], marked: dict[str, dict[str, object]], word: str, fmt: str,
        where: str, marking: str) -> None:
    result = marked[word]
    assert result["status"] == "added", result
    secret, query = f"{word}暗码", f"{word}专项 谈判代号 {word}暗码"
    listed = client.get("/api/documents", params={"limit": 200}, headers=actors["admin"].headers).json()["documents"]
    meta = next(d for d in listed if d["doc_id"] == result["doc_id"])
    assert meta["access"] == "内部" and meta["access_basis"] == "marking", meta  # the administrator sees why
    assert meta["access_reason"].startswith("标注："), meta
    # Positive control: cleared staff find the passage and the glossary term.
    staff = actors["staff"]
    hits = client.get("/api/search", params={"q": query, "k": 20}, headers=staff.headers).json()["hits"]
    assert any(secret in h["text"] for h in hits)
    definition = f"{word}专项谈判小组掌握"  # the glossary echoes the query: look for the definition
    assert definition in gradio_call(client, staff, "glossary", [secret])[1]
    county = actors["hanyin"]
    hits = client.get("/api/search", params={"q": query, "k": 50}, headers=county.headers).json()["hits"]
    assert not [h["text"] for h in hits if "暗码" in h["text"]]
    answer = ask(client, county, f"{word}专项的谈判代号是什么？每亩测算多少？")
    assert "暗码" not in flat(answer) and "九万元" not in flat(answer)
    listed_for_county = client.get("/api/documents", params={"limit": 200}, headers=county.headers).text
    assert f"{word}专项" not in listed_for_county
    event, glossary = gradio_call(client, county, "glossary", [secret])
    assert event == "complete" and definition not in glossary
