"""Long scans through the command line: a 500-page scan is refused before any page is read, with the limit and
what to do, and the rest of the folder goes in; a scan within the limit is read page by page, reported in a log
every tenth page with the time left; `kill -9` while a folder's documents are stored or its scan is read, then
`assistant ingest` again, keeps the files done before the kill and leaves the manifest, Chroma and BM25
agreeing, every document once. Pages are generated here with the installed CJK font; nothing is downloaded.
(The speed of a full-length scan is measured by bench/ocr_bench.py, not here: 2 cores.)"""

from __future__ import annotations

import json
import os
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
from assistant.index.kb import KnowledgeBase
from tests.kb.scans import Layout, bound_volume, render_document

pytest.importorskip("rapidocr_onnxruntime", reason="文字识别组件未安装（pip install -e '.[ocr]'）")


def cli(data: Path, *args: str, **env: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), env={"ASSISTANT_DATA_DIR": str(data), **env})
    return result.exit_code, result.output


def test_a_500_page_scan_is_refused_before_ocr_with_the_limit_and_the_rest_ingested(tmp_path: Path) -> None:
    folder = tmp_path / "档案室"
    folder.mkdir()
    bound_volume(folder / "2019年招商档案合订本.pdf", 500)
    render_document(["市招商和经济合作局每季度对飞地项目开展一次联合调度，问题清单实行销号管理。"],
                    Layout(seed=11))[0].image.save(folder / "飞地调度通知.png")
    (folder / "说明.txt").write_text("招商项目信息共享机制的说明：线索统一录入台账，按月通报。", encoding="utf-8")

    started = time.monotonic()
    code, output = cli(tmp_path / "data", "ingest", str(folder))
    assert code == 1, output  # one file refused: non-zero, after ingesting the rest
    assert ("✗ 无法读取文件“2019年招商档案合订本.pdf”：PDF 共 500 页，其中共有 500 页需要文字识别（扫描页），"
            "超过每个文件 300 页的上限，未入库") in output
    assert "拆分为每份不超过 300 页" in output and "ASSISTANT_MAX_OCR_PAGES" in output
    # refused before any page of it was read: no progress line for it, and no 500 pages of OCR time spent
    assert "文字识别“2019年招商档案合订本.pdf”" not in output
    assert "文字识别“飞地调度通知.png”：第 1/1 页" in output
    assert "新增 2 个" in output and "失败 1 个" in output
    assert time.monotonic() - started < 300

    _, listed = cli(tmp_path / "data", "docs", "--json")
    assert sorted(d["file"] for d in map(json.loads, listed.splitlines())) == ["说明.txt", "飞地调度通知.png"]
    _, found = cli(tmp_path / "data", "search", "飞地项目联合调度 问题清单销号管理", "--json")
    assert Path(json.loads(found.splitlines()[0])[0]["source"]).name == "飞地调度通知.png"


def test_a_long_scan_within_the_limit_is_read_fully_with_a_log_line_every_ten_pages(tmp_path: Path) -> None:
    scan = bound_volume(tmp_path / "项目台账扫描件.pdf", 12, text="重点项目线索台账")
    data = tmp_path / "data"
    code, output = cli(data, "ingest", str(scan), ASSISTANT_MAX_OCR_PAGES="10")
    assert code == 1 and "共有 12 页需要文字识别（扫描页），超过每个文件 10 页的上限" in output, output

    code, output = cli(data, "ingest", str(scan), ASSISTANT_MAX_OCR_PAGES="12")
    assert code == 0, output
    progress = [line for line in output.splitlines() if line.startswith("文字识别“项目台账扫描件.pdf”")]
    # a log (not a terminal): the first page, every tenth with the time left, the last
    assert [line.split("：")[1].split("，")[0] for line in progress] == ["第 1/12 页", "第 10/12 页", "第 12/12 页"]
    assert "预计还需" in progress[1]
    assert "新增 1 个" in output

    _, found = cli(data, "search", "重点项目线索台账", "-k", "12", "--json")
    _, listed = cli(data, "docs", "--json")
    [record] = [json.loads(line) for line in listed.splitlines()]
    assert record["file"] == "项目台账扫描件.pdf" and record["title"] == "第1卷：重点项目线索台账"  # page 1's line
    read = "".join(h["text"] for h in json.loads(found.splitlines()[0])).replace(" ", "")
    assert all(f"第{n}卷：重点项目线索台账" in read for n in range(2, 13)), read  # every other page, none dropped


def _ingest_until(folder: Path, data: Path, stop: str) -> None:
    """`assistant ingest folder` in a process of its own, killed with SIGKILL as soon as `stop` says so: "page"
    when the scan's tenth page has been read by OCR, "stored" once some but not all text files are committed."""
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(data)}
    proc = subprocess.Popen([sys.executable, "-m", "assistant.cli", "ingest", str(folder)], env=env, text=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE if stop == "page" else subprocess.DEVNULL)
    deadline = time.monotonic() + 600
    if stop == "page":
        assert proc.stderr is not None
        for line in proc.stderr:  # the log's progress lines: page 1, 10, 20 …
            if "文字识别“台账扫描件.pdf”：第 10/" in line:
                break
    else:
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with sqlite3.connect(data / "kb.sqlite") as conn:
                    if 2 <= conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0] < 6:
                        break
            except sqlite3.OperationalError:
                pass
            time.sleep(0.05)  # polling the manifest, not waiting for readiness
    killed = proc.poll() is None
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert killed, f"the ingest finished before it could be killed ({stop})"


@pytest.mark.slow
def test_kill_9_during_a_folder_with_a_long_scan_then_ingest_again_leaves_the_index_consistent(tmp_path: Path) -> None:
    folder = tmp_path / "收文"
    folder.mkdir()
    for n in range(6):
        body = "\n".join(f"（{k}）第{n}号文件第{k}项措施：围绕重点产业链开展精准招商，推动项目早落地早投产。" * 3
                         for k in range(1, 9))
        (folder / f"doc{n}.txt").write_text(f"关于第{n}项工作的报告\n一、主要做法\n{body}", encoding="utf-8")
    bound_volume(folder / "台账扫描件.pdf", 12, text="重点项目线索台账")  # read last: names sort after doc*.txt
    data = tmp_path / "data"

    _ingest_until(folder, data, "stored")  # in the middle of storing the text files
    _ingest_until(folder, data, "page")  # in the middle of the scan's OCR, the text files done
    _, listed = cli(data, "docs", "--json")
    assert sorted(json.loads(line)["file"] for line in listed.splitlines()) == [f"doc{n}.txt" for n in range(6)]
    code, output = cli(data, "ingest", str(folder))
    # only what was left is read: the scan (the text files stored before the kill are kept)
    assert code == 0 and "新增 1 个" in output and "未变化跳过 6 个" in output and "失败 0 个" in output, output

    kb = KnowledgeBase(Settings(data_dir=data))
    try:
        records = kb.manifest.documents()
        assert sorted(r.file_name for r in records) == [*(f"doc{n}.txt" for n in range(6)), "台账扫描件.pdf"]
        manifest_ids = kb.manifest.chunk_ids()
        assert sum(r.n_chunks for r in records) == len(manifest_ids)  # no chunk without its document
        assert kb.vectors.all_ids() == manifest_ids  # no orphan vector, none missing
        stamp = json.loads((data / "bm25" / "stamp.json").read_text(encoding="utf-8"))
        assert stamp["generation"] == kb.manifest.generation() and sorted(stamp["chunk_ids"]) == sorted(manifest_ids)
    finally:
        kb.close()
    _, found = cli(data, "search", "第5号文件第3项措施", "--json")
    assert any("第5号文件第3项措施" in h["text"] for h in json.loads(found.splitlines()[0]))
    _, found = cli(data, "search", "重点项目线索台账", "-k", "20", "--json")
    hits = [h for h in json.loads(found.splitlines()[0]) if h["source"].endswith("台账扫描件.pdf")]
    assert hits and all(h["ocr"] for h in hits) and "第12卷" in "".join(h["text"] for h in hits).replace(" ", "")
    code, output = cli(data, "ingest", str(folder))
    assert code == 0 and "新增 0 个" in output and "未变化跳过 7 个" in output, output
