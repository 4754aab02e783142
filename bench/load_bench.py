"""Concurrent users against `assistant serve` on loopback: errors, latency percentiles and server memory.

N threads (one httpx.Client each, each its own account and API key — the per-account budget
ASSISTANT_RATE_LIMIT_PER_MINUTE applies as in real use: even users 科室 accounts, odd users 县区 accounts bound to 汉阴县) send mixed requests until the deadline — /api/ask with policy questions
(tests/eval/dev.tsv), figure questions and follow-ups; /api/ask/stream read to its last line; /api/search;
/api/figures/indicator; /v1/chat/completions. A county officer asking about another county gets an answer
that says so: that is correct behaviour, not an error. An error is a non-2xx status, a transport error or
a malformed body. The server's RSS (the serve process and any children) is sampled every 0.5 s.
Without --data-dir a fresh data dir is built in a temp dir with `assistant ingest corpus/ --prune` and
`assistant db import-demo corpus/data/` (minutes on 2 cores); the bench's accounts are created through
assistant.auth.users and, in a reused data dir, their API keys are revoked at the end.
Usage: python bench/load_bench.py [--users 20] [--seconds 60] [--data-dir DIR] [--json OUT]
Target (issue 8): 20 users × 60 s, 0 errors. Exit status 1 if any request failed.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import random
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
STAFF_USER, COUNTY_USER, COUNTY_REGION = "load_bench_staff", "load_bench_county", "汉阴县"

DATA_QUESTIONS = ["汉阴县一季度外资完成进度？", "各县区一季度内资完成进度排名", "哪些县区低于序时进度", "项目管家是什么？",
                  "汉滨区一季度实际引进内资多少？", "全市一季度外商直接投资完成多少？"]
FOLLOW_UPS = [(["汉阴县一季度外资完成进度？"], "那恒口呢？"), (["汉阴县一季度外资完成进度？"], "二季度呢？"),
              (["各县区一季度内资完成进度排名"], "外资呢？")]
SEARCH_EXTRA = ["项目管家", "一图五库两机制", "序时进度怎么计算", "外资统计口径", "链长制", "资金到位率"]
DENIAL_WORDS = ("无权", "不能查看")  # RegionDenied's message: 您的账号只能查看…，不能查看…的明细
FIGURE_METRICS = ["外商直接投资", "实际引进内资"]
# kind → weight: asks dominate, as in real use; a few OpenAI-compatible calls.
KINDS = {"ask_policy": 30, "ask_data": 22, "ask_stream": 15, "search": 15, "figures": 12, "chat": 6}
KIND_LABELS = {"ask_policy": "问答·政策", "ask_data": "问答·数据/追问", "ask_stream": "问答·流式", "search": "检索",
               "figures": "数据·指标", "chat": "OpenAI 兼容"}


class Malformed(Exception):
    """A 2xx response whose body is not what the interface promises."""


@dataclass
class Result:
    kind: str
    role: str
    started: float  # seconds since the load began
    ms: float
    status: int | None
    error: str | None
    denied: bool = False  # a county officer told they may not see another region's figures


def policy_questions() -> list[str]:
    with (ROOT / "tests" / "eval" / "dev.tsv").open(encoding="utf-8") as fh:
        return [r[0] for r in list(csv.reader(fh, delimiter="\t"))[1:] if r]


def cli(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "assistant.cli", *args], env=env, cwd=ROOT, capture_output=True,
                          text=True, encoding="utf-8")
    if done.returncode != 0:
        raise SystemExit(f"命令 assistant {' '.join(args[:3])} … 失败（退出码 {done.returncode}）：\n"
                         f"{done.stderr.strip() or done.stdout.strip()}")
    return done.stdout


def build_data_dir(env: dict[str, str]) -> None:
    t0 = time.perf_counter()
    print("建立数据目录：assistant ingest corpus/ --prune …", flush=True)
    cli(env, "ingest", "corpus/", "--prune")
    cli(env, "db", "import-demo", "corpus/data/")
    print(f"数据目录就绪，用时 {time.perf_counter() - t0:.0f} 秒。", flush=True)


def bench_accounts(data_dir: Path, users: int) -> list[tuple[str, str, str]]:
    """One account per simulated user, as in real use (the per-account request budget applies to each):
    even users 科室, odd users 县区 (汉阴县). Returns (username, role label, fresh API key)."""
    sys.path.insert(0, str(ROOT))
    from assistant.auth.users import AccountError, UserStore

    store = UserStore(data_dir / "users.sqlite")
    accounts = []
    try:
        for n in range(users):
            role, region = ("staff", None) if n % 2 == 0 else ("county", COUNTY_REGION)
            name = f"{STAFF_USER if role == 'staff' else COUNTY_USER}_{n:02d}"
            try:
                existing = store.get(name)
                if (existing.role, existing.region) != (role, region):
                    raise SystemExit(f"数据目录中已有账号“{name}”，但角色或地区不同：请换一个数据目录。")
                store.set_disabled(name, False)
            except AccountError:
                store.add(name, secrets.token_urlsafe(12), role, region)  # type: ignore[arg-type]
            accounts.append((name, "科室" if role == "staff" else "县区", store.issue_api_key(name, "load_bench")))
    finally:
        store.close()
    return accounts


def revoke(data_dir: Path, accounts: list[tuple[str, str, str]]) -> None:
    from assistant.auth.users import UserStore

    store = UserStore(data_dir / "users.sqlite")
    try:
        for name, _, _ in accounts:
            store.revoke_api_keys(name)
    finally:
        store.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# --- server memory ----------------------------------------------------------------------------------------

def process_tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        p = todo.pop()
        pids.append(p)
        for task in Path(f"/proc/{p}/task").glob("*/children"):
            try:
                todo += [int(c) for c in task.read_text().split()]
            except OSError:
                continue
    return pids


def status_kb(pid: int, field: str) -> int:
    """Sum of /proc/PID/status `field` (kB) over the process and its descendants."""
    total = 0
    for p in process_tree(pid):
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith(field + ":"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of the process and its descendants (/proc/PID/stat utime, stime)."""
    ticks = 0
    for p in process_tree(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


class RssSampler(threading.Thread):
    def __init__(self, pid: int, every: float = 0.5) -> None:
        super().__init__(daemon=True)
        self.pid, self.every = pid, every
        self.samples: list[tuple[float, int]] = []  # (monotonic time, kB)
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            self.samples.append((time.monotonic(), status_kb(self.pid, "VmRSS")))
            self.stopped.wait(self.every)


# --- the server -----------------------------------------------------------------------------------------

@contextmanager
def server(env: dict[str, str], log_path: Path, ready_timeout: float,
           port: int | None = None) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    port = port or free_port()  # a shared machine may give each engineer their own ports
    base = f"http://127.0.0.1:{port}"
    with log_path.open("wb") as log:
        proc = subprocess.Popen([sys.executable, "-m", "assistant.cli", "serve", "--port", str(port), "--host", "127.0.0.1"],
                                env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + ready_timeout
            with httpx.Client(base_url=base, timeout=5) as client:
                while True:
                    if proc.poll() is not None:
                        raise SystemExit(f"服务启动失败（退出码 {proc.returncode}），日志：\n{log_tail(log_path)}")
                    if time.monotonic() > deadline:
                        raise SystemExit(f"服务 {ready_timeout:.0f} 秒内未就绪（/healthz），日志：\n{log_tail(log_path)}")
                    try:
                        if client.get("/healthz").status_code == 200:
                            break
                    except httpx.TransportError:
                        pass
                    time.sleep(0.2)  # poll interval, not a wait for readiness
            yield proc, base
        finally:
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()


def log_tail(path: Path, lines: int = 40) -> str:
    return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])


# --- one simulated user -----------------------------------------------------------------------------------

def check_answer(answer: Any) -> str:
    if not isinstance(answer, dict) or not isinstance(answer.get("answer"), str) or not answer["answer"].strip():
        raise Malformed("回答缺少非空的 answer 字段")
    if not isinstance(answer.get("citations"), list) or not isinstance(answer.get("figures"), list):
        raise Malformed("回答缺少 citations / figures 列表")
    return str(answer["answer"])


def request(client: httpx.Client, kind: str, rng: random.Random, policy: list[str]) -> tuple[int, str]:
    """Send one request of `kind`; (status, answer text if any). Raises Malformed or httpx errors."""
    if kind in ("ask_policy", "ask_data", "ask_stream", "chat"):
        pool = policy if kind == "ask_policy" or (kind != "ask_data" and rng.random() < 0.5) else DATA_QUESTIONS
        history, question = rng.choice(FOLLOW_UPS) if kind != "ask_policy" and rng.random() < 0.3 else ([], rng.choice(pool))
        if kind == "chat":
            messages = [m for h in history for m in ({"role": "user", "content": h}, {"role": "assistant", "content": "（略）"})]
            r = client.post("/v1/chat/completions", json={"model": "zhaoshang-assistant",
                                                          "messages": [*messages, {"role": "user", "content": question}]})
            if r.is_success:
                body = r.json()
                content = body["choices"][0]["message"]["content"] if body.get("choices") else None
                if not isinstance(content, str) or not content.strip():
                    raise Malformed("choices[0].message.content 为空")
                return r.status_code, check_answer(body.get("zhaoshang_answer"))
            return r.status_code, ""
        if kind == "ask_stream":
            with client.stream("POST", "/api/ask/stream", json={"question": question, "history": history}) as r:
                if not r.is_success:
                    r.read()
                    return r.status_code, ""
                lines = [json.loads(line) for line in r.iter_lines() if line.strip()]
            if not lines or lines[-1].get("type") != "answer":
                raise Malformed(f"流的最后一行不是 answer：{str(lines[-1])[:120] if lines else '（空）'}")
            if any(x.get("type") not in ("delta", "answer") for x in lines):
                raise Malformed("流中出现 delta/answer 以外的行")
            return r.status_code, check_answer(lines[-1].get("answer"))
        r = client.post("/api/ask", json={"question": question, "history": history})
        return r.status_code, check_answer(r.json()) if r.is_success else ""
    if kind == "search":
        r = client.get("/api/search", params={"q": rng.choice(policy + SEARCH_EXTRA), "k": 5})
        if r.is_success and not isinstance(r.json().get("hits"), list):
            raise Malformed("检索结果缺少 hits 列表")
        return r.status_code, ""
    r = client.get("/api/figures/indicator",
                   params={"region": COUNTY_REGION, "period": "2023Q1", "metric": rng.choice(FIGURE_METRICS)})
    if r.is_success:
        body = r.json()
        if body.get("region") != COUNTY_REGION or not isinstance(body.get("figures"), list) or "provenance" not in body:
            raise Malformed("指标结果缺少 region / figures / provenance")
    return r.status_code, ""


def user_loop(n: int, base: str, key: str, role: str, policy: list[str], t0: float, deadline: float,
              timeout: float, out: list[Result]) -> None:
    rng = random.Random(n)
    kinds, weights = list(KINDS), list(KINDS.values())
    with httpx.Client(base_url=base, timeout=timeout, headers={"Authorization": f"Bearer {key}"}) as client:
        while time.monotonic() < deadline:
            kind = rng.choices(kinds, weights)[0]
            start = time.monotonic()
            status: int | None = None
            error: str | None = None
            text = ""
            try:
                status, text = request(client, kind, rng, policy)
                if not 200 <= status < 300:
                    error = f"HTTP {status}"
            except (Malformed, ValueError, KeyError, TypeError, IndexError) as exc:
                error = f"响应格式错误：{exc}"[:300]
            except httpx.HTTPError as exc:
                error = f"传输错误：{type(exc).__name__} {exc}"[:300]
            out.append(Result(kind, role, start - t0, (time.monotonic() - start) * 1000, status, error,
                              denied=any(w in text for w in DENIAL_WORDS)))


# --- report ---------------------------------------------------------------------------------------------

def percentile(sorted_ms: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    if not sorted_ms:
        return math.nan
    return round(sorted_ms[max(0, math.ceil(p / 100 * len(sorted_ms)) - 1)], 1)


def latency(results: list[Result]) -> dict[str, Any]:
    ms = sorted(r.ms for r in results)
    return {"count": len(ms), "errors": sum(r.error is not None for r in results), "p50_ms": percentile(ms, 50),
            "p95_ms": percentile(ms, 95), "p99_ms": percentile(ms, 99), "max_ms": round(ms[-1], 1) if ms else math.nan}


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def row(cells: list[str], widths: list[int]) -> str:
    return "  ".join(c + " " * (w - width(c)) if i == 0 else " " * (w - width(c)) + c
                     for i, (c, w) in enumerate(zip(cells, widths, strict=True)))


def print_summary(report: dict[str, Any]) -> None:
    rss = report["server_rss_mb"]
    load = report["load_average_1m"]
    print(f"\n负载测试：{report['users']} 个并发用户 × {report['seconds']} 秒（实际 {report['elapsed_s']} 秒），"
          f"{report['cpu_count']} 核；1 分钟平均负载 开始 {load['before']} / 结束 {load['after']}")
    print(f"请求总数 {report['requests']}，错误 {report['errors']}，吞吐 {report['throughput_rps']} 次/秒；"
          f"县区账号问到其他地区、被告知无权查看的回答 {report['county_denied_answers']} 条（正常，不计错误）")
    widths = [18, 6, 4, 9, 9, 9, 9]
    print(row(["类别", "请求数", "错误", "p50 ms", "p95 ms", "p99 ms", "最大 ms"], widths))
    for label, stats in [("全部", report["latency"]),
                         *((KIND_LABELS[k], v) for k, v in report["by_kind"].items())]:
        print(row([label, str(stats["count"]), str(stats["errors"]), *(f"{stats[f]:.1f}" for f in
                                                                    ("p50_ms", "p95_ms", "p99_ms", "max_ms"))], widths))
    print(f"服务进程内存 RSS：开始 {rss['start']} MB，峰值 {rss['peak']} MB（VmHWM {rss['hwm']} MB），"
          f"结束 {rss['end']} MB；进程数 {report['server_processes']}")
    cpu = report["cpu_s"]
    print(f"CPU 时间：服务 {cpu['server']} 秒（每请求 {cpu['server_ms_per_request']} ms），"
          f"本脚本的客户端线程 {cpu['bench_client']} 秒（同机运行，占用同一批 CPU）")
    if report["server_log_tracebacks"]:
        print(f"服务日志中有 {report['server_log_tracebacks']} 处异常堆栈，见 {report['server_log']}")
    if report["errors"]:
        print("前几个错误：")
        for e in report["error_samples"]:
            print(f"  {e['at_s']:>6.1f} 秒  {KIND_LABELS[e['kind']]}（{e['role']}）：{e['error']}")


def run(args: argparse.Namespace, data_dir: Path, work: Path) -> dict[str, Any]:
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(data_dir), "HF_HUB_OFFLINE": "1", "PYTHONUNBUFFERED": "1"}
    if args.data_dir is None:
        build_data_dir(env)
    accounts = bench_accounts(data_dir, args.users)
    policy = policy_questions()
    log_path = work / "serve.log"
    load_before = round(os.getloadavg()[0], 2)
    try:
        with server(env, log_path, args.ready_timeout) as (proc, base):
            sampler = RssSampler(proc.pid)
            sampler.start()
            while not sampler.samples:
                time.sleep(0.01)
            rss_start = sampler.samples[0][1]
            # One of each kind first, so the figures reflect a warm server (lazy loads happen on first use).
            warm_rng = random.Random(0)
            with httpx.Client(base_url=base, timeout=args.timeout,
                              headers={"Authorization": f"Bearer {accounts[0][2]}"}) as client:
                for kind in KINDS:
                    status, _ = request(client, kind, warm_rng, policy)
                    if not 200 <= status < 300:
                        raise SystemExit(f"预热请求 {kind} 返回 HTTP {status}，日志：\n{log_tail(log_path)}")
            print(f"服务就绪（pid {proc.pid}），开始 {args.users} 个用户 × {args.seconds} 秒 …", flush=True)
            results: list[list[Result]] = [[] for _ in range(args.users)]
            server_cpu0, client_cpu0 = cpu_seconds(proc.pid), time.process_time()
            t0 = time.monotonic()
            deadline = t0 + args.seconds
            threads = [threading.Thread(target=user_loop, args=(n, base, accounts[n][2], accounts[n][1], policy, t0,
                                                                deadline, args.timeout, results[n]))
                       for n in range(args.users)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            elapsed = time.monotonic() - t0
            server_cpu, client_cpu = cpu_seconds(proc.pid) - server_cpu0, time.process_time() - client_cpu0
            hwm = status_kb(proc.pid, "VmHWM")
            processes = len(process_tree(proc.pid))
            sampler.stopped.set()
            sampler.join()
            rss_end = sampler.samples[-1][1]
            rss_peak = max(kb for _, kb in sampler.samples)
    finally:
        if args.data_dir is not None:
            revoke(data_dir, accounts)
    load_after = round(os.getloadavg()[0], 2)
    flat = sorted((r for rs in results for r in rs), key=lambda r: r.started)
    errors = [r for r in flat if r.error is not None]
    log_text = log_path.read_text(encoding="utf-8", errors="replace")
    tracebacks = log_text.count("Traceback (most recent call last)")
    saved_log = args.json.with_suffix(".serve.log") if args.json else None
    if saved_log and (errors or tracebacks):
        saved_log.write_text(log_text, encoding="utf-8")

    def mb(kb: int) -> float:
        return round(kb / 1024, 1)

    return {
        "users": args.users, "seconds": args.seconds, "elapsed_s": round(elapsed, 1), "cpu_count": os.cpu_count(),
        "data_dir": str(args.data_dir) if args.data_dir else "（临时新建）",
        "load_average_1m": {"before": load_before, "after": load_after},
        "requests": len(flat), "errors": len(errors), "throughput_rps": round(len(flat) / elapsed, 2),
        "county_denied_answers": sum(r.denied for r in flat),
        "latency": latency(flat),
        "by_kind": {k: latency([r for r in flat if r.kind == k]) for k in KINDS},
        "by_role": {role: latency([r for r in flat if r.role == role]) for role in ("科室", "县区")},
        "server_rss_mb": {"start": mb(rss_start), "peak": mb(rss_peak), "end": mb(rss_end), "hwm": mb(hwm),
                          "samples": len(sampler.samples),
                          # after warming, at the end of each minute of the load: growth shows as a rising row
                          "by_minute": [mb([kb for at, kb in sampler.samples if at <= t0 + 60 * m][-1])
                                        for m in range(1, math.ceil(elapsed / 60) + 1)]},
        "server_processes": processes,
        # Both share the machine's cores: the bench's own client threads are part of the load.
        "cpu_s": {"server": round(server_cpu, 1), "bench_client": round(client_cpu, 1),
                  "server_ms_per_request": round(server_cpu * 1000 / max(1, len(flat)), 1)},
        "server_log_tracebacks": tracebacks,
        "server_log": str(saved_log) if saved_log and (errors or tracebacks) else None,
        "error_samples": [{"at_s": round(r.started, 1), "kind": r.kind, "role": r.role, "status": r.status,
                           "error": r.error} for r in errors[:10]],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--users", type=int, default=20, help="并发用户数")
    parser.add_argument("--seconds", type=float, default=60, help="持续时间（秒）")
    parser.add_argument("--data-dir", type=Path, default=None, help="复用已有数据目录；缺省在临时目录新建")
    parser.add_argument("--json", type=Path, default=None, help="结果写入此 JSON 文件；缺省打印到标准输出")
    parser.add_argument("--timeout", type=float, default=120, help="单个请求超时（秒）")
    parser.add_argument("--ready-timeout", type=float, default=300, help="等待服务就绪的最长时间（秒）")
    args = parser.parse_args()
    if args.users < 1 or args.seconds <= 0:
        parser.error("--users 至少为 1，--seconds 必须大于 0")
    if args.data_dir is not None and not args.data_dir.is_dir():
        parser.error(f"数据目录不存在：{args.data_dir}")
    with tempfile.TemporaryDirectory(prefix="load_bench_") as tmp:
        data_dir = args.data_dir.resolve() if args.data_dir else Path(tmp) / "data"
        report = run(args, data_dir, Path(tmp))
        if report["server_log"] is None and (report["errors"] or report["server_log_tracebacks"]):
            print("\n服务日志（末尾）：\n" + log_tail(Path(tmp) / "serve.log", 60))
    print_summary(report)
    text = json.dumps(report, ensure_ascii=False, indent=2)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(text + "\n", encoding="utf-8")
        print(f"结果已写入 {args.json}")
    else:
        print(text)
    sys.exit(1 if report["errors"] else 0)


if __name__ == "__main__":
    main()
