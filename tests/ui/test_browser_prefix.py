"""The site behind a reverse proxy under a path prefix (ASSISTANT_ROOT_PATH=/zhaoshang), in a real browser.

A tiny proxy in the test does what nginx's `location /zhaoshang/ { proxy_pass http://127.0.0.1:PORT/; }` does:
it strips the prefix, passes Host through, streams the answer back, and answers 404 to anything outside the
prefix (where a link or a static file that forgot the prefix would land). Through it: the login page, the
redirects, the session cookie, the workbench's scripts and styles, a streamed answer, the API reference link
and logging out; and the workbench's per-account guard still applies under the prefix."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import uvicorn
from starlette.types import Receive, Scope, Send

from tests.conftest import add_user, build_data_dir, free_port, serving
from tests.llm.data import REPLY
from tests.ui.conftest import BROWSER_TIMEOUT_MS, CHROMIUM, shot

pytestmark = pytest.mark.slow

PREFIX = "/zhaoshang"
PASSWORD = "前缀-部署-2024"
HOP_BY_HOP = {b"connection", b"keep-alive", b"transfer-encoding", b"upgrade", b"te", b"trailer",
              b"proxy-authenticate", b"proxy-authorization"}


class PrefixProxy:
    """`PREFIX/…` → `upstream/…`; everything else is a 404 recorded in `outside`."""

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream
        self.outside: list[str] = []
        self.client = httpx.AsyncClient(timeout=120)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            while (await receive())["type"] != "lifespan.shutdown":
                await send({"type": "lifespan.startup.complete"})
            await send({"type": "lifespan.shutdown.complete"})
            return
        path = scope["path"]
        if not path.startswith(PREFIX + "/"):
            self.outside.append(path)
            await send({"type": "http.response.start", "status": 404, "headers": []})
            await send({"type": "http.response.body", "body": b"outside the prefix"})
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body", False):
                break
        url = self.upstream + scope["raw_path"].decode("latin-1")[len(PREFIX):]
        if scope["query_string"]:
            url += "?" + scope["query_string"].decode("latin-1")
        headers = [(k, v) for k, v in scope["headers"] if k.lower() not in HOP_BY_HOP]
        request = self.client.build_request(scope["method"], url, headers=headers, content=body)
        response = await self.client.send(request, stream=True)
        try:
            await send({"type": "http.response.start", "status": response.status_code,
                        "headers": [(k, v) for k, v in response.headers.raw if k.lower() not in HOP_BY_HOP]})
            async for chunk in response.aiter_raw():  # streamed answers and the workbench's event stream
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
            await send({"type": "http.response.body", "body": b""})
        finally:
            await response.aclose()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, PrefixProxy, dict[str, str]]]:
    """(the public address with its prefix, the proxy, API keys of two accounts)."""
    if not CHROMIUM.exists():
        pytest.skip("浏览器测试需要 /usr/bin/chromium（Debian 软件包 chromium，.ci/run 会安装）")
    root = tmp_path_factory.mktemp("prefix")
    settings = build_data_dir(root, {"第205号提案答复函.txt": REPLY})
    keys = {name: add_user(settings, name, "科室", password=PASSWORD) for name in ("keshi", "other")}
    proxy_port = free_port()
    with serving(settings.data_dir, root / "serve.log", env={"ASSISTANT_ROOT_PATH": PREFIX}) as url:
        proxy = PrefixProxy(url)
        server = uvicorn.Server(uvicorn.Config(proxy, host="127.0.0.1", port=proxy_port, log_level="warning"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        public = f"http://127.0.0.1:{proxy_port}{PREFIX}"
        deadline = time.monotonic() + 30
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.05)  # poll the proxy thread's start flag
        try:
            yield public, proxy, keys
        finally:
            server.should_exit = True
            thread.join(timeout=10)


def test_login_workbench_answer_links_and_logout_all_stay_under_the_prefix(browser: Any, site: Any) -> None:
    public, proxy, _ = site
    context = browser.new_context(locale="zh-CN", viewport={"width": 1440, "height": 1000})
    context.set_default_timeout(BROWSER_TIMEOUT_MS)
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    try:
        page.goto(f"{public}/")
        assert page.url.startswith(f"{public}/login?next="), page.url  # / → /ui/ → the login page, all prefixed
        page.fill("#username", "keshi")
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{public}/ui/**")
        page.wait_for_selector("#zs-question textarea")  # Gradio's scripts, styles and config came through

        page.fill("#zs-question textarea", "汉阴县一季度外资完成进度？")
        page.click("#zs-send")
        page.wait_for_function("(t) => { const m = document.querySelectorAll('#zs-chat [data-testid=bot]');"
                               " return m.length && m[m.length - 1].innerText.includes(t); }", arg="67.63%")
        shot(page, "prefix-answer")

        docs = page.locator(".zs-status a", has_text="接口文档")
        assert docs.get_attribute("href") == f"{PREFIX}/docs"
        reference = context.request.get(f"{public}/docs")
        assert reference.status == 200 and f"{PREFIX}/openapi.json" in reference.text()
        cookie = next(c for c in context.cookies() if c["name"] == "zs_session")
        assert cookie["path"] == PREFIX  # the session goes back to this site only

        page.locator("#zs-logout").click()
        page.wait_for_url(f"{public}/login")
        page.goto(f"{public}/ui/")
        assert page.url.startswith(f"{public}/login")
    finally:
        context.close()
    # Browsers ask the origin's /favicon.ico on their own when a page names no icon in its HTML (Gradio's page
    # adds one by script); behind nginx the host's root site answers it. Every other request kept the prefix.
    outside = [path for path in proxy.outside if path != "/favicon.ico"]
    assert not outside, f"这些请求没有带路径前缀：{outside}"
    stray = [u for u in requested if not u.startswith((public + "/", "data:", "blob:")) and
             not u.endswith("/favicon.ico")]
    assert not stray, stray


def test_a_workbench_session_stays_its_accounts_under_the_prefix(site: Any) -> None:
    public, _, keys = site
    mine, theirs = ({"Authorization": f"Bearer {keys[name]}"} for name in ("keshi", "other"))
    session = {"session_hash": "prefix-test-session", "fn_index": 0, "data": [], "trigger_id": None}
    httpx.post(f"{public}/ui/gradio_api/queue/join", json=session, headers=mine, timeout=30)
    peek = httpx.get(f"{public}/ui/gradio_api/queue/data", params={"session_hash": session["session_hash"]},
                     headers=theirs, timeout=30)
    assert peek.status_code == 404 and "属于其他账号" in peek.json()["detail"], peek.text


def test_the_prefix_is_taken_however_it_is_written(tmp_path: Any) -> None:
    """ASSISTANT_ROOT_PATH=zhaoshang/ is the same prefix as /zhaoshang: redirects carry /zhaoshang, a path the
    proxy passed with or without it reaches the same route; a prefix that is no URL path is refused in Chinese."""
    from fastapi.testclient import TestClient
    from pydantic import ValidationError

    from assistant.api import create_app
    from assistant.config import Settings

    with TestClient(create_app(Settings(data_dir=tmp_path / "data", root_path="zhaoshang/"), warm=False,
                               local=True)) as client:
        home = client.get("/", follow_redirects=False)
        assert home.headers["location"] == f"{PREFIX}/ui/?__theme=light"
        assert client.get(f"{PREFIX}/healthz").status_code == client.get("/healthz").status_code == 200
    with pytest.raises(ValidationError, match="ASSISTANT_ROOT_PATH 只能由字母、数字"):
        Settings(root_path="/招商 局")
