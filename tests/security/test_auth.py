"""Unauthenticated and cross-user access: every route behind the login, keys and sessions that must not
work, cross-site writes with a session cookie, open redirects after login, and the writes a county account
may not make. Reads that leak are LLM02, actions an account should not be able to trigger are LLM06,
redirects and reflected markup LLM05, password guessing LLM10."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from assistant.auth.users import UserStore
from assistant.config import Settings
from tests.security.conftest import PASSWORD, SECRET_TITLE, Actor, doc_id

NOT_LOGGED_IN = "未登录或登录已过期"
BAD_KEY = "API 密钥无效、已吊销或账号已停用。"
FIGURE = {"region": "汉阴县", "period": "2023Q1", "metric": "实际引进内资"}
REPORT = {"period": "2023Q1"}

UNAUTHENTICATED = [
    pytest.param("GET", "/api/documents", {}, id="LLM02-unauthenticated-document-list"),
    pytest.param("POST", "/api/ask", {"json": {"question": "汉阴县一季度外资多少？"}}, id="LLM02-unauthenticated-ask"),
    pytest.param("POST", "/api/ask/stream", {"json": {"question": "项目管家是什么？"}}, id="LLM02-unauthenticated-stream"),
    pytest.param("GET", "/api/search", {"params": {"q": "桃源七号"}}, id="LLM02-unauthenticated-search"),
    pytest.param("GET", "/api/figures/indicator", {"params": FIGURE}, id="LLM02-unauthenticated-figures"),
    pytest.param("GET", "/api/figures/problems", {}, id="LLM02-unauthenticated-problem-ledger"),
    pytest.param("POST", "/v1/chat/completions", {"json": {"messages": [{"role": "user", "content": "你好"}]}},
                 id="LLM02-unauthenticated-openai-chat"),
    pytest.param("GET", "/v1/models", {}, id="LLM02-unauthenticated-openai-models"),
    pytest.param("GET", "/docs", {}, id="LLM02-unauthenticated-api-docs"),
    pytest.param("GET", "/openapi.json", {}, id="LLM02-unauthenticated-openapi-schema"),
    pytest.param("GET", "/ui/", {}, id="LLM02-unauthenticated-workbench-page"),
    pytest.param("GET", "/ui/config", {}, id="LLM02-unauthenticated-workbench-config"),
    pytest.param("GET", "/ui/gradio_api/info", {}, id="LLM02-unauthenticated-workbench-api-info"),
    pytest.param("POST", "/ui/gradio_api/call/respond", {"json": {"data": ["汉阴县一季度外资多少？", []]}},
                 id="LLM02-unauthenticated-workbench-chat-call"),
    pytest.param("POST", "/api/documents", {"files": [("files", ("x.txt", "未登录上传".encode(), "text/plain"))]},
                 id="LLM06-unauthenticated-upload"),
    pytest.param("DELETE", "/api/documents/0000000000000000", {}, id="LLM06-unauthenticated-delete"),
    pytest.param("POST", "/api/draft/report", {"json": REPORT}, id="LLM06-unauthenticated-draft-report"),
    pytest.param("GET", "/api/ledgers/projects/export", {}, id="LLM02-unauthenticated-ledger-export"),
    pytest.param("POST", "/ui/gradio_api/upload", {"files": [("files", ("x.txt", b"x", "text/plain"))]},
                 id="LLM06-unauthenticated-workbench-file-upload"),
]


@pytest.mark.parametrize(("method", "path", "kwargs"), UNAUTHENTICATED)
def test_every_route_needs_a_user(client: TestClient, sec_settings: Settings, method: str, path: str,
                                  kwargs: dict[str, Any]) -> None:
    uploads = sec_settings.data_dir / "uploads"
    before = sorted(uploads.iterdir()) if uploads.exists() else []
    r = client.request(method, path, **kwargs)
    assert r.status_code == 401, (r.status_code, r.text[:300])
    assert r.json()["detail"].startswith(NOT_LOGGED_IN)
    assert r.headers["www-authenticate"] == "Bearer"
    assert (sorted(uploads.iterdir()) if uploads.exists() else []) == before


@pytest.mark.parametrize("path", [pytest.param("/api/documents", id="LLM02-unauthenticated-browser-is-sent-to-login")])
def test_a_browser_without_a_session_is_sent_to_the_login_page(client: TestClient, path: str) -> None:
    r = client.get(path, headers={"Accept": "text/html"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login?next=%2Fapi%2Fdocuments"
    assert SECRET_TITLE not in r.text and "外资项目" not in r.text


# --- keys that must not work ----------------------------------------------------------------------------

def _forged(actors: dict[str, Actor]) -> dict[str, dict[str, str]]:
    valid = actors["admin"].key
    return {
        "random": {"Authorization": "Bearer zsk_" + "A" * 43},
        "revoked": actors["revoked"].headers,
        "disabled": actors["disabled"].headers,
        "revoked-x-api-key": {"X-API-Key": actors["revoked"].key},
        "truncated": {"Authorization": f"Bearer {valid[:-1]}"},
        "case-changed": {"Authorization": f"Bearer {valid.upper()}"},
        "sql-wildcard": {"Authorization": "Bearer zsk_%"},
        "oversized": {"Authorization": "Bearer zsk_" + "x" * 10_000},
        "wrong-scheme": {"Authorization": f"Token {valid}"},
        "no-prefix": {"Authorization": f"Bearer {valid.removeprefix('zsk_')}"},
    }


@pytest.mark.parametrize("which", [
    pytest.param("random", id="LLM02-forged-api-key"),
    pytest.param("revoked", id="LLM02-revoked-api-key"),
    pytest.param("disabled", id="LLM02-disabled-accounts-api-key"),
    pytest.param("revoked-x-api-key", id="LLM02-revoked-key-in-x-api-key-header"),
    pytest.param("truncated", id="LLM02-truncated-api-key"),
    pytest.param("case-changed", id="LLM02-case-changed-api-key"),
    pytest.param("sql-wildcard", id="LLM02-wildcard-api-key"),
    pytest.param("oversized", id="LLM10-oversized-api-key"),
    pytest.param("wrong-scheme", id="LLM02-api-key-under-wrong-auth-scheme"),
    pytest.param("no-prefix", id="LLM02-api-key-without-prefix"),
])
def test_keys_that_must_not_open_the_api(client: TestClient, actors: dict[str, Actor], which: str) -> None:
    r = client.get("/api/documents", headers=_forged(actors)[which])
    assert r.status_code == 401, r.text
    assert r.json()["detail"] in (BAD_KEY,) or r.json()["detail"].startswith(NOT_LOGGED_IN)
    assert "documents" not in r.json()


@pytest.mark.parametrize("where", [pytest.param("query", id="LLM02-api-key-in-query-string-is-ignored")])
def test_keys_in_urls_are_not_accepted(client: TestClient, actors: dict[str, Actor], where: str) -> None:
    r = client.get("/api/documents", params={"api_key": actors["admin"].key, "key": actors["admin"].key})
    assert r.status_code == 401


# --- sessions -----------------------------------------------------------------------------------------

def _login(client: TestClient, username: str, password: str = PASSWORD, next_path: str = "/ui/",
           cookies: dict[str, str] | None = None) -> Any:
    client.cookies.clear()
    for name, value in (cookies or {}).items():
        client.cookies.set(name, value)
    r = client.post("/login", data={"username": username, "password": password, "next": next_path},
                    follow_redirects=False)
    client.cookies.clear()
    return r


def _session(r: Any) -> str:
    return str(r.cookies.get("zs_session", ""))


@pytest.fixture
def fresh_user(sec_settings: Settings) -> Iterator[str]:
    """A 科室 account of its own, for tests that disable it or change its password."""
    store = UserStore(sec_settings.data_dir / "users.sqlite")
    name = f"tmp{len(store.list())}"
    store.add(name, PASSWORD, "staff")
    yield name
    store.set_disabled(name)
    store.close()


@pytest.mark.parametrize("user", [pytest.param("staff", id="LLM02-session-cookie-httponly-samesite")])
def test_the_session_cookie_is_httponly_and_samesite(client: TestClient, user: str) -> None:
    r = _login(client, user)
    assert r.status_code == 303
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "path=/" in cookie


@pytest.mark.parametrize("user", [pytest.param("staff", id="LLM02-session-fixation-token-is-replaced")])
def test_login_issues_a_new_session_token(client: TestClient, user: str) -> None:
    planted = "attacker-chosen-session-token"
    r = _login(client, user, cookies={"zs_session": planted})
    assert r.status_code == 303 and _session(r) and _session(r) != planted
    assert _with_cookie(client, planted).status_code == 401


def _with_cookie(client: TestClient, token: str, method: str = "GET", path: str = "/api/documents",
                 **kwargs: Any) -> Any:
    client.cookies.clear()
    client.cookies.set("zs_session", token)
    try:
        return client.request(method, path, **kwargs)
    finally:
        client.cookies.clear()


@pytest.mark.parametrize("how", [
    pytest.param("logout", id="LLM02-session-dies-at-logout"),
    pytest.param("disable", id="LLM02-session-dies-when-account-disabled"),
    pytest.param("password", id="LLM02-session-dies-when-password-changed"),
])
def test_a_session_ends_with_logout_disabling_or_a_new_password(
        client: TestClient, sec_settings: Settings, fresh_user: str, how: str) -> None:
    token = _session(_login(client, fresh_user))
    assert _with_cookie(client, token).status_code == 200  # control: the session works
    if how == "logout":
        assert _with_cookie(client, token, "POST", "/logout", follow_redirects=False).status_code == 303
    else:
        store = UserStore(sec_settings.data_dir / "users.sqlite")
        try:
            if how == "disable":
                store.set_disabled(fresh_user)
            else:
                store.set_password(fresh_user, "another-horse-7")
        finally:
            store.close()
    assert _with_cookie(client, token).status_code == 401


@pytest.mark.parametrize("user", [pytest.param("disabled", id="LLM02-disabled-account-cannot-log-in")])
def test_a_disabled_account_cannot_log_in_with_its_right_password(client: TestClient, user: str) -> None:
    r = _login(client, user)
    assert r.status_code == 401 and not _session(r)


@pytest.mark.parametrize("user", [pytest.param("lockme", id="LLM10-password-guessing-locks-the-account")])
def test_repeated_wrong_passwords_lock_the_account(client: TestClient, user: str) -> None:
    for i in range(5):
        assert _login(client, user, f"guess-{i:04d}").status_code == 401
    r = _login(client, user)  # even the right password, while locked
    assert r.status_code == 429 and not _session(r)
    assert "锁定" in r.text


@pytest.mark.parametrize("user", [pytest.param("staff", id="LLM02-login-does-not-reveal-which-usernames-exist")])
def test_unknown_user_and_wrong_password_look_the_same(client: TestClient, user: str) -> None:
    wrong = _login(client, user, "not-the-password")
    unknown = _login(client, "nobody-here", "not-the-password")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.text == unknown.text


CROSS_SITE = [
    pytest.param({"Origin": "http://evil.example"}, id="LLM06-cookie-post-from-foreign-origin"),
    pytest.param({"Origin": "null"}, id="LLM06-cookie-post-from-sandboxed-null-origin"),
    pytest.param({"Origin": "http://testserver.evil.example"}, id="LLM06-cookie-post-from-suffix-lookalike-origin"),
    pytest.param({"Origin": "http://testserver@evil.example"}, id="LLM06-cookie-post-from-userinfo-lookalike-origin"),
]


@pytest.mark.parametrize("headers", CROSS_SITE)
def test_cookie_authenticated_writes_from_other_sites_are_refused(
        client: TestClient, sec_settings: Settings, headers: dict[str, str]) -> None:
    token = _session(_login(client, "staff"))
    files = [("files", ("跨站上传.txt", "跨站请求伪造上传的文件。".encode(), "text/plain"))]
    r = _with_cookie(client, token, "POST", "/api/documents", files=files, headers=headers)
    assert r.status_code == 403 and r.json()["detail"] == "拒绝跨站请求：请从本系统页面操作。"
    assert not (sec_settings.data_dir / "uploads" / "跨站上传.txt").exists()
    ask = _with_cookie(client, token, "POST", "/api/ask", json={"question": "项目管家是什么？"},
                       headers={"Origin": "http://testserver"})
    assert ask.status_code == 200  # control: the same cookie from our own page works


@pytest.mark.parametrize("user", [pytest.param("staff", id="LLM06-cookie-delete-from-foreign-origin")])
def test_a_cross_site_delete_is_refused(client: TestClient, actors: dict[str, Actor], user: str) -> None:
    token = _session(_login(client, user))
    target = doc_id(client, actors["admin"], SECRET_TITLE)
    r = _with_cookie(client, token, "DELETE", f"/api/documents/{target}", headers={"Origin": "https://evil.example"})
    assert r.status_code == 403
    assert SECRET_TITLE in client.get("/api/documents", params={"limit": 200}, headers=actors["admin"].headers).text


# --- where login sends the browser ---------------------------------------------------------------------

REDIRECTS = [
    pytest.param("//evil.example/", id="LLM05-open-redirect-protocol-relative"),
    pytest.param("https://evil.example/", id="LLM05-open-redirect-absolute-url"),
    pytest.param("/\\evil.example/", id="LLM05-open-redirect-backslash"),
    pytest.param("/\t/evil.example/", id="LLM05-open-redirect-tab-stripped-by-browsers"),
    pytest.param("javascript:alert(document.cookie)", id="LLM05-open-redirect-javascript-url"),
    pytest.param("/%2F%2Fevil.example/", id="LLM05-open-redirect-encoded-slashes"),
]


def _same_site(location: str) -> bool:
    """What a browser would do with the Location: stay on this host (browsers drop tabs and newlines and
    treat backslashes as slashes)."""
    seen = location.replace("\t", "").replace("\n", "").replace("\r", "").replace("\\", "/")
    return seen.startswith("/") and not seen.startswith("//")


@pytest.mark.parametrize("target", REDIRECTS)
def test_login_only_redirects_to_this_server(client: TestClient, target: str) -> None:
    r = _login(client, "staff", next_path=target)
    assert r.status_code == 303
    assert _same_site(r.headers["location"]), r.headers["location"]
    page = client.get("/login", params={"next": target}).text
    hidden = re.search(r'name="next" value="([^"]*)"', page)
    assert hidden and _same_site(html.unescape(hidden.group(1))), hidden


@pytest.mark.parametrize("target", [
    pytest.param('/"><script>alert(1)</script>', id="LLM05-login-page-reflects-next-escaped"),
    pytest.param("/ui/' onfocus='alert(1)' autofocus='", id="LLM05-login-page-next-attribute-breakout"),
])
def test_the_login_page_does_not_reflect_markup(client: TestClient, target: str) -> None:
    r = client.get("/login", params={"next": target})
    assert r.status_code == 200
    assert "<script>alert" not in r.text and "' onfocus='" not in r.text


# --- what a county account may not do --------------------------------------------------------------------

COUNTY_WRITES = [
    pytest.param("POST", "/api/documents", {"files": [("files", ("县区上传.txt", "县区账号上传。".encode(), "text/plain"))]},
                 id="LLM04-county-uploads-into-the-knowledge-base"),
    pytest.param("POST", "/api/draft/reply", {"json": {"number": "1", "title": "关于某事的提案", "proposer": "张三"}},
                 id="LLM06-county-drafts-a-reply-letter"),
    pytest.param("POST", "/api/draft/report", {"json": REPORT}, id="LLM06-county-drafts-a-city-report"),
    pytest.param("POST", "/api/draft/export", {"json": {"kind": "report", "title": "伪造的报告", "paragraphs": []}},
                 id="LLM06-county-exports-a-bureau-docx"),
]


@pytest.mark.parametrize(("method", "path", "kwargs"), COUNTY_WRITES)
def test_a_county_account_cannot_write_or_speak_for_the_bureau(
        client: TestClient, sec_settings: Settings, actors: dict[str, Actor], method: str, path: str,
        kwargs: dict[str, Any]) -> None:
    r = client.request(method, path, headers=actors["hanyin"].headers, **kwargs)
    assert r.status_code == 403, r.text
    assert "县区账号不能进行此操作" in r.json()["detail"]
    assert not (sec_settings.data_dir / "uploads" / "县区上传.txt").exists()


# The consistency check is open to county accounts (README: 问答、检索、查数、一致性核对), as in the workbench;
# it compares only against the rows the account may see, so another region's figure is "not found".
@pytest.mark.parametrize(("path", "kwargs"), [
    pytest.param("/api/draft/check", {"json": {"text": "2023年一季度汉滨区实际引进内资41.01亿元。"}},
                 id="LLM02-county-consistency-check-probes-other-region"),
    pytest.param("/api/draft/check/upload",
                 {"files": {"file": ("稿件.txt", "2023年一季度汉滨区实际引进内资41.01亿元。".encode(), "text/plain")}},
                 id="LLM02-county-uploaded-check-probes-other-region"),
])
def test_a_county_check_cannot_confirm_another_regions_figure(client: TestClient, actors: dict[str, Actor], path: str,
                                                              kwargs: dict[str, Any]) -> None:
    r = client.post(path, headers=actors["hanyin"].headers, **kwargs)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["summary"] == {"match": 0, "mismatch": 0, "not_found": 1}
    assert all(c["db_value"] is None for c in body["checks"])
