"""The login form under attack: parallel password guessing, spraying one password over many accounts,
locking another person out with anonymous guesses, a client-sent X-Forwarded-For. Guessing is LLM10.

Each case logs in from its own client address (TestClient's `client=`), as distinct machines would, so the
per-address limits of one case do not spill into another."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from fastapi.testclient import TestClient

from assistant.auth.users import ACCOUNT_FAILURES, CLIENT_FAILURES, LOCKOUT_FAILURES
from assistant.config import Settings
from tests.conftest import add_user
from tests.security.conftest import PASSWORD

_ids = itertools.count(1)


@pytest.fixture
def account(sec_settings: Settings) -> str:
    """A 科室 account of the test's own, so its failures count for nothing else."""
    name = f"login{next(_ids)}"
    add_user(sec_settings, name, "科室", password=PASSWORD)
    return name


@pytest.fixture
def from_address(client: TestClient) -> Callable[[str], TestClient]:
    """A client of the shared app as seen from a given address."""
    def make(address: str) -> TestClient:
        return TestClient(client.app, client=(address, 40000))
    return make


def _login(c: TestClient, username: str, password: str, headers: dict[str, str] | None = None) -> Any:
    r = c.post("/login", data={"username": username, "password": password, "next": "/ui/"},
               headers=headers, follow_redirects=False)
    c.cookies.clear()
    return r


def _audited_failures(client: TestClient, username: str) -> list[str]:
    audit = client.app.state.auth.audit  # type: ignore[attr-defined]
    return [e.outcome for e in audit.query(username=username, action="login_failed", limit=500)]


@pytest.mark.parametrize("n", [pytest.param(30, id="LLM10-parallel-wrong-logins-are-not-all-evaluated")])
def test_parallel_guesses_against_one_account_stop_at_the_limit(
        client: TestClient, from_address: Callable[[str], TestClient], account: str, n: int) -> None:
    attacker = from_address("198.51.100.30")

    def guess(i: int) -> int:
        return int(_login(from_address("198.51.100.30"), account, f"guess-{i:04d}").status_code)

    with ThreadPoolExecutor(max_workers=n) as pool:
        codes = list(pool.map(guess, range(n)))
    assert codes.count(401) <= LOCKOUT_FAILURES, codes  # passwords actually checked
    assert codes.count(429) >= n - LOCKOUT_FAILURES and set(codes) <= {401, 429}, codes
    outcomes = _audited_failures(client, account)
    assert outcomes.count("401") <= LOCKOUT_FAILURES and len(outcomes) == n
    locked = _login(attacker, account, PASSWORD)  # even the right password, from the guessing address
    assert locked.status_code == 429 and "锁定" in locked.text and not locked.cookies.get("zs_session")


@pytest.mark.parametrize("owner", [pytest.param("10.20.0.5", id="LLM10-anonymous-guesses-cannot-lock-the-owner-out")])
def test_guesses_from_elsewhere_do_not_lock_the_owner_out(
        from_address: Callable[[str], TestClient], account: str, owner: str) -> None:
    stranger = from_address("203.0.113.66")
    for i in range(LOCKOUT_FAILURES):
        assert _login(stranger, account, f"wrong-{i}").status_code == 401
    assert _login(stranger, account, PASSWORD).status_code == 429  # the guessing address is locked out
    ok = _login(from_address(owner), account, PASSWORD)
    assert ok.status_code == 303 and ok.cookies.get("zs_session")  # its owner, from their own desk, is not


@pytest.mark.parametrize("sprayer", [pytest.param("198.51.100.77", id="LLM10-password-spraying-over-many-accounts")])
def test_one_address_spraying_many_accounts_is_stopped(
        sec_settings: Settings, from_address: Callable[[str], TestClient], sprayer: str) -> None:
    names = [f"spray{next(_ids)}" for _ in range(CLIENT_FAILURES + 1)]
    for name in names:
        add_user(sec_settings, name, "科室", password=PASSWORD)
    c = from_address(sprayer)
    codes = [_login(c, name, "Spring2024!").status_code for name in names]
    assert codes[:CLIENT_FAILURES] == [401] * CLIENT_FAILURES and codes[-1] == 429, codes
    blocked = _login(c, names[-1], PASSWORD)  # a correct password does not help the spraying address
    assert blocked.status_code == 429 and "此地址" in blocked.text
    assert _login(from_address("10.20.0.6"), names[-1], PASSWORD).status_code == 303  # control


@pytest.mark.parametrize("clients", [pytest.param(5, id="LLM10-distributed-guessing-hits-the-slower-global-limit")])
def test_guessing_from_many_addresses_locks_the_account_for_a_while(
        from_address: Callable[[str], TestClient], account: str, clients: int) -> None:
    per_client = -(-ACCOUNT_FAILURES // clients)
    assert per_client < LOCKOUT_FAILURES  # each address stays under its own limit
    sent = 0
    for k in range(clients):
        c = from_address(f"192.0.2.{k + 10}")
        for i in range(per_client):
            if sent < ACCOUNT_FAILURES:
                assert _login(c, account, f"bot-{k}-{i}").status_code == 401
                sent += 1
    r = _login(from_address("10.20.0.7"), account, PASSWORD)
    assert r.status_code == 429 and "多处登录失败" in r.text and "分钟后再试" in r.text


@pytest.mark.parametrize("header", [pytest.param("X-Forwarded-For", id="LLM10-login-limit-ignores-spoofed-forwarded-for")])
def test_a_client_sent_forwarded_for_does_not_reset_the_limit(
        from_address: Callable[[str], TestClient], account: str, header: str) -> None:
    c = from_address("198.51.100.99")
    codes = [_login(c, account, f"x-{i}", headers={header: f"10.9.{i}.1"}).status_code
             for i in range(LOCKOUT_FAILURES + 3)]
    assert codes == [401] * LOCKOUT_FAILURES + [429] * 3, codes


# --- cross-site login and logout, forwarded headers, response headers --------------------------------------

FOREIGN = [
    pytest.param({"Origin": "http://evil.example"}, id="LLM06-login-csrf-from-foreign-origin"),
    pytest.param({"Origin": "null"}, id="LLM06-login-csrf-from-sandboxed-null-origin"),
    pytest.param({"Referer": "http://evil.example/win-a-prize.html"}, id="LLM06-login-csrf-with-foreign-referer-only"),
    pytest.param({"Sec-Fetch-Site": "cross-site"}, id="LLM06-login-csrf-flagged-cross-site-by-the-browser"),
    pytest.param({"Origin": "http://evil.example", "X-Forwarded-Host": "evil.example"},
                 id="LLM06-login-csrf-with-forged-x-forwarded-host"),
]


@pytest.mark.parametrize("headers", FOREIGN)
def test_a_login_form_on_another_site_cannot_sign_anyone_in(
        from_address: Callable[[str], TestClient], account: str, headers: dict[str, str]) -> None:
    c = from_address("10.30.0.1")
    r = _login(c, account, PASSWORD, headers=headers)
    assert r.status_code == 403 and "拒绝跨站请求" in r.json()["detail"] and "set-cookie" not in r.headers
    ok = _login(c, account, PASSWORD, headers={"Origin": "http://testserver", "Referer": "http://testserver/login"})
    assert ok.status_code == 303 and ok.cookies.get("zs_session")  # control: our own login page


def _session_of(c: TestClient, account: str) -> str:
    r = _login(c, account, PASSWORD)
    assert r.status_code == 303
    return str(r.cookies["zs_session"])


def _alive(c: TestClient, token: str) -> bool:
    c.cookies.set("zs_session", token)
    try:
        return c.get("/api/documents").status_code == 200
    finally:
        c.cookies.clear()


@pytest.mark.parametrize(("method", "headers"), [
    pytest.param("GET", {"Referer": "http://evil.example/"}, id="LLM06-logout-by-a-foreign-link-only-asks"),
    pytest.param("POST", {"Origin": "http://evil.example"}, id="LLM06-logout-by-a-foreign-form-is-refused"),
])
def test_another_site_cannot_log_a_user_out(from_address: Callable[[str], TestClient], account: str, method: str,
                                            headers: dict[str, str]) -> None:
    c = from_address("10.30.0.2")
    token = _session_of(c, account)
    c.cookies.set("zs_session", token)
    r = c.request(method, "/logout", headers=headers, follow_redirects=False)
    c.cookies.clear()
    assert r.status_code == (200 if method == "GET" else 403), r.status_code
    if method == "GET":
        assert 'method="post" action="/logout"' in r.text  # a confirmation button, not a logout
    assert _alive(c, token)
    c.cookies.set("zs_session", token)
    done = c.post("/logout", headers={"Origin": "http://testserver"}, follow_redirects=False)
    c.cookies.clear()
    assert done.status_code == 303 and not _alive(c, token)  # control: our own button logs out


@pytest.mark.parametrize("header", [
    pytest.param("X-Forwarded-Host", id="LLM06-cookie-write-with-forged-x-forwarded-host"),
    pytest.param("Forwarded", id="LLM06-cookie-write-with-forged-forwarded-header"),
])
def test_a_client_sent_forwarded_host_does_not_make_a_foreign_origin_ours(
        from_address: Callable[[str], TestClient], account: str, header: str) -> None:
    c = from_address("10.30.0.3")
    token = _session_of(c, account)
    value = "evil.example" if header == "X-Forwarded-Host" else "host=evil.example;proto=http"
    c.cookies.set("zs_session", token)
    r = c.post("/api/ask", json={"question": "项目管家是什么？"}, headers={"Origin": "http://evil.example", header: value})
    c.cookies.clear()
    assert r.status_code == 403 and "拒绝跨站请求" in r.json()["detail"]


@pytest.mark.parametrize("header", [pytest.param("X-Forwarded-Host", id="LLM05-workbench-config-ignores-forged-forwarded-host")])
def test_the_workbench_config_does_not_echo_a_forged_host(client: TestClient, actors: dict[str, Any], header: str
                                                           ) -> None:
    r = client.get("/ui/config", headers={**actors["staff"].headers, header: "evil.example",
                                          "X-Forwarded-Proto": "https"})
    assert r.status_code == 200 and "evil.example" not in r.text


@pytest.mark.parametrize(("path", "header", "value"), [
    pytest.param("/ui/config", "Host", "evil.example", id="LLM05-workbench-config-does-not-echo-a-foreign-host"),
    pytest.param("/ui/", "Host", "evil.example", id="LLM05-workbench-page-does-not-echo-a-foreign-host"),
    pytest.param("/ui/config", "X-Gradio-Server", "http://evil.example", id="LLM05-workbench-config-ignores-x-gradio-server"),
    pytest.param("/ui/", "X-Gradio-Server", "http://evil.example", id="LLM05-workbench-page-ignores-x-gradio-server"),
])
def test_the_workbench_names_no_host_a_client_chose(client: TestClient, actors: dict[str, Any], path: str,
                                                    header: str, value: str) -> None:
    r = client.get(path, headers={**actors["staff"].headers, header: value})
    assert r.status_code == 200 and "evil.example" not in r.text, r.text[:500]
    if path.endswith("config"):
        assert r.json()["root"] == "/ui"  # relative: the page resolves it against its own address
    else:
        assert '"root":"/ui"' in r.text.replace(" ", "")


@pytest.mark.parametrize(("path", "authenticated"), [
    pytest.param("/login", False, id="LLM05-login-page-cannot-be-framed"),
    pytest.param("/ui/", True, id="LLM05-workbench-cannot-be-framed-or-cached"),
    pytest.param("/api/documents", True, id="LLM02-api-answers-are-not-cached"),
    pytest.param("/ui/config", True, id="LLM02-workbench-config-is-not-cached"),
])
def test_responses_cannot_be_framed_and_private_ones_are_not_cached(
        client: TestClient, actors: dict[str, Any], path: str, authenticated: bool) -> None:
    r = client.get(path, headers=actors["staff"].headers if authenticated else {})
    assert r.status_code == 200, r.status_code
    assert r.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in r.headers.get_list("content-security-policy")
    assert r.headers["x-content-type-options"] == "nosniff"
    if authenticated:
        assert r.headers["cache-control"] == "no-store"
