"""The knowledge base end to end through its public interfaces: the CLI and KnowledgeBase.search."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant.cli import main
from assistant.config import Settings
from assistant.index.ingest import ingest
from assistant.index.kb import KnowledgeBase, SearchFilters
from tests.conftest import SEEDS

pytestmark = pytest.mark.skipif(not SEEDS.exists(), reason="../shared/seeds 不存在")

POLICY = """内部
关于印发项目管家帮办代办服务办法的通知
各县（市、区）招商部门：
一、服务内容
项目管家是为重点招商项目指定的专职联络人，负责帮办代办审批手续、协调解决落地问题。
二、工作要求
各县区每季度报送项目管家服务台账。"""


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("corpus")
    shutil.copy(next(SEEDS.glob("000_*.txt")), root / "答复函 第205号.txt")
    shutil.copy(next(SEEDS.glob("002_*.txt")), root / "一季度报告.txt")
    (root / "项目管家办法.txt").write_bytes(POLICY.encode("gb18030"))
    return root


@pytest.fixture(scope="module")
def built(corpus_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    settings = Settings(data_dir=tmp_path_factory.mktemp("data"))
    kb = KnowledgeBase(settings)
    report = ingest(kb, [corpus_dir])
    assert report.ok and len(report.added) == 3
    return kb


def _run(args: list[str], data_dir: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, args, env={"ASSISTANT_DATA_DIR": str(data_dir)})
    return result.exit_code, result.output


def test_table_row_is_findable_by_county_metric_and_value(built: KnowledgeBase) -> None:
    hits = built.search("汉阴县 外商直接投资 236.7", k=3)
    assert hits[0].kind == "table" and "汉阴县" in hits[0].text and "236.7" in hits[0].text


def test_policy_question_returns_the_paragraph_with_its_source(built: KnowledgeBase) -> None:
    hit = built.search("外资进度为什么滞后", k=3)[0]
    assert "境外直投" in hit.text
    assert hit.section == "二、存在主要问题 › 一是外资进度滞后"
    assert hit.source.endswith("一季度报告.txt")
    text = built.manifest.document_text(hit.doc_id)
    assert text[hit.start : hit.end] == hit.text


def test_metadata_filters_apply_to_both_retrievers(built: KnowledgeBase) -> None:
    public = built.search("项目管家", k=10, filters=SearchFilters(access=["公开"]))
    assert public and all("项目管家办法" not in h.source for h in public)
    internal = built.search("项目管家", k=10, filters=SearchFilters(access=["内部"]))
    assert internal and all("项目管家办法" in h.source for h in internal)
    replies = built.search("外资", k=10, filters=SearchFilters(genre="答复函"))
    assert replies and all(h.doc_number == "安招函〔2023〕31号" for h in replies)


def test_empty_and_very_long_queries(built: KnowledgeBase) -> None:
    assert built.search("   ", k=5) == []
    hits = built.search("外资" * 5000, k=5)
    assert 0 < len(hits) <= 5


def test_search_cli_json_and_batch(built: KnowledgeBase, tmp_path: Path) -> None:
    batch = tmp_path / "q.txt"
    batch.write_text("项目管家是什么\n\n汉阴县外资\n", encoding="utf-8")
    code, out = _run(["search", "--batch", str(batch), "-k", "2"], built.settings.data_dir)
    assert code == 0
    lines = out.strip().split("\n")
    assert len(lines) == 3
    first = json.loads(lines[0])
    assert set(first[0]) >= {"text", "score", "doc_id", "title", "doc_number", "source", "section", "start", "end"}
    assert json.loads(lines[1]) == []
    code, out = _run(["search", "项目管家", "--json", "-k", "1"], built.settings.data_dir)
    assert code == 0 and len(json.loads(out)) == 1


def test_docs_cli_lists_metadata(built: KnowledgeBase) -> None:
    code, out = _run(["docs"], built.settings.data_dir)
    assert code == 0
    assert "安招函〔2023〕31号" in out and "卫莎莎" in out and "共 3 个文档" in out


def test_incremental_ingest_skips_replaces_prunes_and_reports_failures(tmp_path: Path) -> None:
    corpus = tmp_path / "my docs 文件夹"
    corpus.mkdir()
    (corpus / "a.txt").write_text(POLICY.replace("内部\n", "公开\n"), encoding="utf-8")
    (corpus / "b.txt").write_text("关于某事项的报告\n一、情况\n全市签约项目开工率达到九成。", encoding="utf-8")
    data = tmp_path / "data"
    code, out = _run(["ingest", str(corpus)], data)
    assert code == 0 and "新增 2 个" in out

    code, out = _run(["ingest", str(corpus)], data)
    assert "未变化跳过 2 个" in out and "写入 0 个片段" in out

    (corpus / "b.txt").write_text("关于某事项的报告\n一、情况\n全市资金到位率达到六成。", encoding="utf-8")
    shutil.copy(corpus / "a.txt", corpus / "a 副本.txt")
    (corpus / "junk.txt").write_bytes(os.urandom(4000).replace(b"\x00", b"\x01") + b"\x00")
    (corpus / "empty.md").write_bytes(b"")
    code, out = _run(["ingest", str(corpus)], data)
    assert code == 1
    assert "更新 1 个" in out and "重复文件跳过 1 个" in out and "失败 2 个" in out
    assert "junk.txt" in out and "empty.md" in out and "文件为空" in out

    kb = KnowledgeBase(Settings(data_dir=data))
    assert "资金到位率达到六成" in kb.search("资金到位率", k=1)[0].text
    assert all("九成" not in h.text for h in kb.search("开工率达到九成", k=5))  # the old version is gone
    kb.close()

    (corpus / "b.txt").unlink()
    code, out = _run(["ingest", str(corpus), "--prune"], data)
    assert "移除 1 个" in out

    kb = KnowledgeBase(Settings(data_dir=data))
    docs, chunks = kb.manifest.stats()
    assert docs == 1 and kb.manifest.documents()[0].file_name == "a.txt"
    assert kb.vectors.count() == chunks
    assert all("资金到位率" not in h.text for h in kb.search("资金到位率", k=5))


def test_kill_during_ingest_then_rerun_leaves_no_loss_and_no_duplicates(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for n in range(8):
        body = "\n".join(f"（{k}）第{n}号文件第{k}项措施：围绕重点产业链开展精准招商，推动项目早落地早投产。" * 3 for k in range(1, 9))
        (corpus / f"doc{n}.txt").write_text(f"关于第{n}项工作的报告\n一、主要做法\n{body}", encoding="utf-8")
    data = tmp_path / "data"
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(data)}
    proc = subprocess.Popen([sys.executable, "-m", "assistant.cli", "ingest", str(corpus)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    stored = 0
    while time.monotonic() < deadline and proc.poll() is None:
        if (data / "kb.sqlite").exists():
            try:
                with sqlite3.connect(data / "kb.sqlite") as conn:
                    stored = conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
            except sqlite3.OperationalError:
                stored = 0
            if stored >= 2:
                break
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert 2 <= stored < 8, "ingest should have been killed half-way"

    code, out = _run(["ingest", str(corpus)], data)
    assert code == 0, out
    kb = KnowledgeBase(Settings(data_dir=data))
    docs, chunks = kb.manifest.stats()
    assert docs == 8
    ids = kb.vectors.all_ids()
    assert ids == kb.manifest.chunk_ids() and len(ids) == chunks
    hits = kb.search("第7号文件第3项措施", k=3)
    assert any("第7号文件第3项措施" in h.text for h in hits)


def test_second_writer_gets_a_clear_message(tmp_path: Path) -> None:
    from assistant.errors import IndexBusy
    from assistant.index.lock import write_lock

    with write_lock(tmp_path), pytest.raises(IndexBusy, match="另一个入库或导入任务"):
        with write_lock(tmp_path):
            pass


def test_cli_module_is_runnable() -> None:
    out = subprocess.run([sys.executable, "-m", "assistant.cli", "--help"], capture_output=True, text=True, check=True)
    assert "ingest" in out.stdout
