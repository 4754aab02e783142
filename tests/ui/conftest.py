"""Browser fixtures: `assistant serve` in a subprocess over a small data directory, and a headless
Debian chromium driven by Playwright. Screenshots go to test-artifacts/ui/ (git-ignored)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from assistant.config import Settings
from tests.conftest import ROOT, serving
from tests.llm.data import build_data_dir

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
ARTIFACTS = ROOT / "test-artifacts" / "ui"
START_TIMEOUT_S = 120
# Curated entries whose sources are the two test documents (corpus/glossary.yaml cites the full corpus).
GLOSSARY = """\
- term: 项目管家
  definition: 为单个重点招商项目指定的帮办代办人员，从签约一直服务到投产。
  source:
    file: 项目管家办法.md
    quote: 项目管家是指为重点招商项目提供从签约到投产全程帮办代办服务的工作人员
- term: 外商直接投资
  aliases: [外资]
  definition: 只算境外投资者直接投进来的钱（境外直投），外资企业用利润再投资的部分不算；单位是万美元。
  source:
    file: 第205号提案答复函.txt
    quote: 力争全年外商直接投资增长15%以上
"""


@dataclass
class Server:
    url: str
    settings: Settings
    log: Path


@pytest.fixture(scope="package")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    if not CHROMIUM.exists():
        pytest.skip("浏览器测试需要 /usr/bin/chromium（Debian 软件包 chromium，.ci/run 会安装）")
    root = tmp_path_factory.mktemp("ui")
    settings = build_data_dir(root)  # two documents ingested + the demo database imported
    glossary = root / "glossary.yaml"
    glossary.write_text(GLOSSARY, encoding="utf-8")
    settings = settings.model_copy(update={"glossary_path": glossary})
    log = root / "serve.log"
    with serving(settings.data_dir, log, local=True, timeout_s=START_TIMEOUT_S,
                 env={"ASSISTANT_MAX_FILE_MB": "0.05", "ASSISTANT_GLOSSARY_PATH": str(glossary)}) as url:
        yield Server(url, settings, log)


@pytest.fixture(scope="package")
def browser(server: Server) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    report = yield
    if report.when == "call":
        item.stash[CALL_FAILED] = report.failed
    return report


CALL_FAILED = pytest.StashKey[bool]()


# How long a page may take to show what a test waits for: generous, because a loaded 2-core CI machine answers a
# grounded question in seconds, not the ~0.1 s it takes alone; a wait that passes costs nothing more.
BROWSER_TIMEOUT_MS = 60_000

@pytest.fixture
def page(browser: Any, server: Server, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh page on the workbench, as a Chinese-locale browser sees it. Fails the test if the page
    fetched anything from outside the server (the bureau's intranet has no internet access)."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 1440, "height": 1000})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url)
    context.set_default_timeout(BROWSER_TIMEOUT_MS)
    outside: list[str] = []
    errors: list[str] = []
    page = context.new_page()
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith((server.url, "data:", "blob:")) else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{server.url}/")
    page.wait_for_selector("#zs-question textarea")
    yield page
    if request.node.stash.get(CALL_FAILED, False):
        shot(page, f"failed-{request.node.name}")
    context.close()
    assert not outside, f"页面请求了外部地址：{outside}"
    assert not errors, f"页面脚本出错：{errors}"


def shot(page: Any, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
