"""LLM03 供应链: models are never downloaded at run time, a model service's key never leaks when the service
fails, and the pages the server sends load no code from third-party hosts (a compromised CDN would run
inside a logged-in session). Plus the deployment guards on the CLI side that keep the trust model intact."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from assistant.cli import main
from assistant.config import Settings
from tests.security.conftest import Actor


@pytest.mark.parametrize(("spec", "message"), [
    pytest.param("sentence-transformers:BAAI/bge-small-zh-v1.5", "找不到本地模型目录",
                 id="LLM03-embedder-hub-id-is-not-downloaded"),
    pytest.param("sentence-transformers:https://evil.example/model", "找不到本地模型目录",
                 id="LLM03-embedder-url-is-not-downloaded"),
    pytest.param("https://evil.example/model.bin", "无法识别的嵌入模型设置", id="LLM03-embedder-unknown-scheme-refused"),
])
def test_models_are_only_loaded_from_local_directories(sec_settings: Settings, spec: str, message: str) -> None:
    env = {"ASSISTANT_DATA_DIR": str(sec_settings.data_dir), "ASSISTANT_EMBEDDER": spec}
    result = CliRunner().invoke(main, ["search", "项目管家"], env=env)  # the network guard fails any download
    assert result.exit_code != 0
    assert message in result.output


@pytest.mark.parametrize("key", [pytest.param("sk-test-secret-20240115", id="LLM03-model-service-down-key-not-leaked")])
def test_a_failing_model_service_falls_back_without_leaking_its_key(sec_settings: Settings, key: str) -> None:
    env = {"ASSISTANT_DATA_DIR": str(sec_settings.data_dir), "ASSISTANT_LLM_BASE_URL": "http://127.0.0.1:9/v1",
           "ASSISTANT_LLM_MODEL": "qwen", "ASSISTANT_LLM_API_KEY": key, "ASSISTANT_LLM_MAX_RETRIES": "0"}
    result = CliRunner().invoke(main, ["ask", "外资项目管家是什么？", "--json"], env=env)
    assert result.exit_code == 0, result.output
    answer = json.loads(result.output.strip().splitlines()[-1])
    assert answer["mode"] == "grounded" and answer["citations"]
    assert any("大模型服务暂不可用" in w for w in answer["warnings"])
    assert key not in result.output and "127.0.0.1:9" not in result.output


class _Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "link", "img", "iframe", "source", "embed", "object"):
            self.urls += [v or "" for n, v in attrs if n in ("src", "href", "data")]


def third_party(html: str) -> list[str]:
    parser = _Assets()
    parser.feed(html)
    return [u for u in parser.urls if re.match(r"(?:https?:)?//", u) and not re.match(r"(?:https?:)?//testserver/", u)]


@pytest.mark.parametrize("path", [pytest.param("/redoc", id="LLM03-cdn-backed-redoc-page-is-not-served")])
def test_the_cdn_backed_redoc_page_is_not_served(client: TestClient, actors: dict[str, Actor], path: str) -> None:
    """FastAPI's ReDoc page pulls its JavaScript from a public CDN; it is switched off."""
    assert client.get(path, headers=actors["staff"].headers).status_code == 404


@pytest.mark.parametrize("path", [
    pytest.param("/ui/", id="LLM03-workbench-page-loads-only-its-own-assets"),
    pytest.param("/login", id="LLM03-login-page-loads-only-its-own-assets"),
    pytest.param("/docs", id="LLM03-api-docs-page-loads-only-its-own-assets"),
])
def test_pages_load_no_code_from_third_party_hosts(client: TestClient, actors: dict[str, Actor], path: str) -> None:
    r = client.get(path, headers=actors["staff"].headers)
    assert r.status_code == 200
    assert not third_party(r.text), third_party(r.text)


@pytest.mark.parametrize("path", [pytest.param("/ui/theme.css", id="LLM03-workbench-theme-imports-no-remote-fonts")])
def test_the_workbench_theme_fetches_nothing_remote(client: TestClient, actors: dict[str, Actor], path: str) -> None:
    css = client.get(path, headers=actors["staff"].headers).text
    remote = re.findall(r"@import[^;]*|url\(\s*['\"]?(?:https?:)?//[^)]*\)", css)
    assert not remote, remote


# --- deployment guards ------------------------------------------------------------------------------------

@pytest.mark.parametrize("host", [
    pytest.param("0.0.0.0", id="LLM06-local-no-login-mode-refused-on-all-interfaces"),
    pytest.param("192.168.1.10", id="LLM06-local-no-login-mode-refused-on-lan-address"),
])
def test_the_no_login_mode_only_binds_loopback(sec_settings: Settings, host: str) -> None:
    result = CliRunner().invoke(main, ["serve", "--local", "--host", host, "--port", "9"],
                                env={"ASSISTANT_DATA_DIR": str(sec_settings.data_dir)})
    assert result.exit_code != 0 and "只能绑定 127.0.0.1" in result.output


@pytest.mark.parametrize(("args", "message"), [
    pytest.param(["--role", "县区"], "必须指定所属地区", id="LLM02-county-account-without-region-refused"),
    pytest.param(["--role", "县区", "--region", "火星县"], "未知地区", id="LLM02-county-account-unknown-region-refused"),
    pytest.param(["--role", "科室", "--clearance", "涉密"], "涉密", id="LLM02-clearance-涉密-cannot-be-granted"),
    pytest.param(["--role", "超级管理员"], "未知角色", id="LLM06-unknown-role-refused"),
])
def test_accounts_cannot_be_created_with_unbounded_access(sec_settings: Settings, args: list[str],
                                                          message: str) -> None:
    result = CliRunner().invoke(main, ["users", "add", "bad-account", *args, "--password", "correct-horse-9"],
                                env={"ASSISTANT_DATA_DIR": str(sec_settings.data_dir)})
    assert result.exit_code != 0
    assert message in result.output
    assert "bad-account" not in CliRunner().invoke(main, ["users", "list"],
                                                   env={"ASSISTANT_DATA_DIR": str(sec_settings.data_dir)}).output
