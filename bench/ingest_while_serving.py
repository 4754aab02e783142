"""Concurrent users against `assistant serve` while `assistant ingest` adds documents from the command line.

The README's normal way to load documents is the CLI while the server answers. N user threads (load_bench.py's
mixed requests: questions, streams, searches, figures, the OpenAI-compatible route; one account each, 科室 and
县区 alternately) run for --seconds; at the start a CLI process ingests --documents generated 公文-style
documents (tests/reliability/generated.py) into the same data directory. A watcher polls a search through the
server for the first and the last generated document and /healthz. The load goes on until --seconds have
passed and the last document is visible, whichever is later.
Reports requests, errors (any non-2xx, transport error or malformed body), latency percentiles overall and
while the ingest ran, the ingest's duration, and how long until the new documents were searchable.
The data directory is a copy (of --data-dir, or one built from corpus/ in a temp dir): the run adds nothing to
yours. The per-account request budget is off (ASSISTANT_RATE_LIMIT_PER_MINUTE=0): this bench counts what an
ingest does to the server, not 429s.
Usage: python bench/ingest_while_serving.py [--users 20] [--seconds 60] [--documents 50] [--data-dir DIR] [--json OUT] [--port N]
Target (issue 13): 20 users × 60 s while a CLI ingest of 50 documents runs: 0 errors. Exit status 1 on any error.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load_bench import (  # noqa: E402  (a sibling script, not a package)
    KIND_LABELS,
    KINDS,
    ROOT,
    Malformed,
    Result,
    bench_accounts,
    build_data_dir,
    latency,
    log_tail,
    policy_questions,
    request,
    server,
)

sys.path.insert(0, str(ROOT))
from tests.reliability.generated import marker_of, title_of, write_documents  # noqa: E402

# Visibility is measured here, not ranking: the generated documents differ only in their numbers, which the dense
# half of the fusion barely tells apart, so a document counts as searchable when it is among the top five hits (as in
# tests/reliability/test_ingest_while_serving.py).
TOP = 5


@dataclass
class Visibility:
    """What the watcher saw, in seconds since the load began."""

    first_visible: float | None = None  # the first generated document found by a search through the server
    last_visible: float | None = None  # the last one (so every one: the server reads whole generations)
    health: list[int] = field(default_factory=list)  # /healthz status codes
    polls: int = 0


def user_loop(n: int, base: str, key: str, role: str, policy: list[str], t0: float, stop: threading.Event,
              timeout: float, out: list[Result]) -> None:
    """load_bench.user_loop, until `stop` rather than a fixed deadline."""
    rng = random.Random(n)
    kinds, weights = list(KINDS), list(KINDS.values())
    with httpx.Client(base_url=base, timeout=timeout, headers={"Authorization": f"Bearer {key}"}) as client:
        while not stop.is_set():
            kind = rng.choices(kinds, weights)[0]
            start = time.monotonic()
            status: int | None = None
            error: str | None = None
            try:
                status, _ = request(client, kind, rng, policy)
                if not 200 <= status < 300:
                    error = f"HTTP {status}"
            except (Malformed, ValueError, KeyError, TypeError, IndexError) as exc:
                error = f"响应格式错误：{exc}"[:300]
            except httpx.HTTPError as exc:
                error = f"传输错误：{type(exc).__name__} {exc}"[:300]
            out.append(Result(kind, role, start - t0, (time.monotonic() - start) * 1000, status, error))


def watch(base: str, key: str, documents: int, t0: float, stop: threading.Event, seen: Visibility) -> None:
    """Poll a search for the first and the last generated document, and /healthz, every 0.25 s."""
    def found(n: int) -> bool:
        r = client.get("/api/search", params={"q": marker_of(n), "k": TOP})
        hits = r.json().get("hits", []) if r.is_success else []
        return any(h.get("title") == title_of(n) for h in hits)

    with httpx.Client(base_url=base, timeout=60, headers={"Authorization": f"Bearer {key}"}) as client:
        while not stop.is_set():
            seen.polls += 1
            try:
                seen.health.append(client.get("/healthz").status_code)
                if seen.first_visible is None and found(0):
                    seen.first_visible = time.monotonic() - t0
                if seen.last_visible is None and found(documents - 1):
                    seen.last_visible = time.monotonic() - t0
            except httpx.HTTPError:
                seen.health.append(0)
            stop.wait(0.25)


def count_found(base: str, key: str, documents: int) -> int:
    """How many generated documents a search through the server finds among the top TOP hits, after the run."""
    with httpx.Client(base_url=base, timeout=60, headers={"Authorization": f"Bearer {key}"}) as client:
        total = 0
        for n in range(documents):
            hits = client.get("/api/search", params={"q": marker_of(n), "k": TOP}).json()["hits"]
            total += any(h["title"] == title_of(n) for h in hits)
        return total


def run(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    data_dir = work / "data"
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(data_dir), "HF_HUB_OFFLINE": "1", "PYTHONUNBUFFERED": "1",
           "ASSISTANT_RATE_LIMIT_PER_MINUTE": "0"}
    if args.data_dir is not None:
        shutil.copytree(args.data_dir, data_dir, ignore=shutil.ignore_patterns(".write.lock"))
    else:
        build_data_dir(env)
    accounts = bench_accounts(data_dir, args.users + 1)  # the last one is the watcher's
    policy = policy_questions()
    new_docs = work / "新文档"
    write_documents(new_docs, args.documents)
    log_path = work / "serve.log"
    with server(env, log_path, args.ready_timeout, args.port) as (_proc, base):
        warm_rng = random.Random(0)
        with httpx.Client(base_url=base, timeout=args.timeout,
                          headers={"Authorization": f"Bearer {accounts[0][2]}"}) as client:
            for kind in KINDS:  # lazy loads happen before the clock starts (HNSW in memory, as in a running server)
                status, _ = request(client, kind, warm_rng, policy)
                if not 200 <= status < 300:
                    raise SystemExit(f"预热请求 {kind} 返回 HTTP {status}，日志：\n{log_tail(log_path)}")
        print(f"服务就绪，{args.users} 个用户开始请求；同时命令行入库 {args.documents} 个文档 …", flush=True)
        results: list[list[Result]] = [[] for _ in range(args.users)]
        stop, stop_watch = threading.Event(), threading.Event()
        seen = Visibility()
        t0 = time.monotonic()
        threads = [threading.Thread(target=user_loop, args=(n, base, accounts[n][2], accounts[n][1], policy, t0, stop,
                                                            args.timeout, results[n])) for n in range(args.users)]
        watcher = threading.Thread(target=watch, args=(base, accounts[-1][2], args.documents, t0, stop_watch, seen))
        for t in [*threads, watcher]:
            t.start()
        ingest = subprocess.run([sys.executable, "-m", "assistant.cli", "ingest", str(new_docs)], env=env, cwd=ROOT,
                                capture_output=True, text=True, encoding="utf-8")
        ingest_end = time.monotonic() - t0
        while time.monotonic() - t0 < args.seconds or (seen.last_visible is None and ingest.returncode == 0
                                                        and time.monotonic() - t0 < ingest_end + args.visible_timeout):
            time.sleep(0.1)  # the load's clock, not a wait for readiness
        stop.set()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - t0
        stop_watch.set()
        watcher.join()
        found = count_found(base, accounts[-1][2], args.documents)
        health_after = httpx.get(f"{base}/healthz", timeout=60).status_code
    flat = sorted((r for rs in results for r in rs), key=lambda r: r.started)
    errors = [r for r in flat if r.error is not None]
    log_text = log_path.read_text(encoding="utf-8", errors="replace")
    during = [r for r in flat if r.started <= ingest_end]
    return {
        "users": args.users, "seconds": args.seconds, "elapsed_s": round(elapsed, 1), "cpu_count": os.cpu_count(),
        "documents": args.documents, "data_dir": str(args.data_dir) if args.data_dir else "（临时新建）",
        "requests": len(flat), "errors": len(errors), "throughput_rps": round(len(flat) / elapsed, 2),
        "latency": latency(flat),
        "latency_during_ingest": latency(during),
        "by_kind": {k: latency([r for r in flat if r.kind == k]) for k in KINDS},
        "ingest": {"exit_code": ingest.returncode, "seconds": round(ingest_end, 1),
                   "summary": (ingest.stdout.strip().splitlines() or [""])[-1][:300],
                   "stderr": ingest.stderr.strip()[-500:] if ingest.returncode else ""},
        "first_document_visible_s": round(seen.first_visible, 1) if seen.first_visible is not None else None,
        "last_document_visible_s": round(seen.last_visible, 1) if seen.last_visible is not None else None,
        "visible_after_ingest_end_s": (round(seen.last_visible - ingest_end, 2)
                                       if seen.last_visible is not None else None),
        "documents_found_after": found,
        "healthz": {"polls": len(seen.health), "non_200": sum(s != 200 for s in seen.health),
                    "after": health_after},
        "server_log_tracebacks": log_text.count("Traceback (most recent call last)"),
        "error_samples": [{"at_s": round(r.started, 1), "kind": r.kind, "role": r.role, "status": r.status,
                           "error": r.error} for r in errors[:10]],
    }


def print_summary(report: dict[str, Any]) -> None:
    ingest = report["ingest"]
    print(f"\n入库期间的负载：{report['users']} 个并发用户 × {report['seconds']:.0f} 秒（实际 {report['elapsed_s']} 秒），"
          f"{report['cpu_count']} 核；命令行入库 {report['documents']} 个文档，用时 {ingest['seconds']} 秒"
          f"（退出码 {ingest['exit_code']}）：{ingest['summary']}")
    print(f"请求总数 {report['requests']}，错误 {report['errors']}，吞吐 {report['throughput_rps']} 次/秒")
    for label, stats in [("全部", report["latency"]), ("入库期间", report["latency_during_ingest"]),
                         *((KIND_LABELS[k], v) for k, v in report["by_kind"].items())]:
        print(f"  {label}：{stats['count']} 次，错误 {stats['errors']}，p50 {stats['p50_ms']} ms，p95 {stats['p95_ms']} ms，"
              f"p99 {stats['p99_ms']} ms")
    print(f"第一个新文档可检索：开始后 {report['first_document_visible_s']} 秒；最后一个：开始后 "
          f"{report['last_document_visible_s']} 秒，即入库结束后 {report['visible_after_ingest_end_s']} 秒；"
          f"结束后检索到 {report['documents_found_after']}/{report['documents']} 个")
    health = report["healthz"]
    print(f"/healthz：轮询 {health['polls']} 次，非 200 {health['non_200']} 次；结束时 {health['after']}")
    if report["server_log_tracebacks"]:
        print(f"服务日志中有 {report['server_log_tracebacks']} 处异常堆栈")
    for e in report["error_samples"]:
        print(f"  {e['at_s']:>6.1f} 秒  {KIND_LABELS[e['kind']]}（{e['role']}）：{e['error']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--users", type=int, default=20, help="并发用户数")
    parser.add_argument("--seconds", type=float, default=60, help="最短持续时间（秒）；最后一个新文档可检索之前不停")
    parser.add_argument("--documents", type=int, default=50, help="命令行入库的文档数")
    parser.add_argument("--data-dir", type=Path, default=None, help="从这个数据目录复制一份使用；缺省在临时目录新建")
    parser.add_argument("--json", type=Path, default=None, help="结果写入此 JSON 文件")
    parser.add_argument("--port", type=int, default=None, help="服务端口；缺省取一个空闲端口")
    parser.add_argument("--timeout", type=float, default=120, help="单个请求超时（秒）")
    parser.add_argument("--ready-timeout", type=float, default=300, help="等待服务就绪的最长时间（秒）")
    parser.add_argument("--visible-timeout", type=float, default=60, help="入库结束后最多等多久让新文档可检索（秒）")
    args = parser.parse_args()
    if args.users < 1 or args.seconds <= 0 or args.documents < 1:
        parser.error("--users、--documents 至少为 1，--seconds 必须大于 0")
    if args.data_dir is not None and not args.data_dir.is_dir():
        parser.error(f"数据目录不存在：{args.data_dir}")
    with tempfile.TemporaryDirectory(prefix="ingest_while_serving_") as tmp:
        report = run(args, Path(tmp))
        if report["errors"] or report["server_log_tracebacks"]:
            print("\n服务日志（末尾）：\n" + log_tail(Path(tmp) / "serve.log", 80))
    print_summary(report)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"结果已写入 {args.json}")
    failed = (report["errors"] or report["ingest"]["exit_code"] or report["healthz"]["non_200"]
              or report["documents_found_after"] < report["documents"])
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
