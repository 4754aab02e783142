"""Two servers on one PostgreSQL and one Chroma server, under load, while documents are uploaded through one.

Issue 18's deployment target: two `assistant serve` processes (two data directories, as on two machines) share
ASSISTANT_DATABASE_URL (a fresh PostgreSQL database: accounts, sessions, audit, the ingest manifest, locks, the
project database) and ASSISTANT_CHROMA_URL (a `chroma run` started here), optionally ASSISTANT_REDIS_URL. N user
threads (load_bench.py's mixed requests, one account each, 科室 and 县区 alternately) are split across the two,
even users on A, odd on B, for --seconds. Meanwhile --documents generated 公文 are uploaded through server A
(POST /api/documents), one after another; for each, a watcher per server searches for its own number until the
document comes first, and the delay from the upload's response to being found is recorded on both servers.
Reports requests, errors (non-2xx, transport error or malformed body), latency, the per-server split, the
visibility delays (max over documents and servers), /healthz, both servers' RSS and the load average.

Usage: python bench/two_servers.py [--users 20] [--seconds 60] [--documents 10] [--ports 7910,7911]
       [--chroma-port 8001] [--redis redis://127.0.0.1:6379/5] [--json OUT]
Target (issue 18): 20 clients × 60 s split across both, 0 errors, every document visible on both within 5 s.
Exit status 1 on any error or a document not visible within 5 s.
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
import uuid
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load_bench import (  # noqa: E402  (a sibling script, not a package)
    COUNTY_REGION,
    KINDS,
    ROOT,
    Malformed,
    Result,
    RssSampler,
    latency,
    log_tail,
    policy_questions,
    request,
)

sys.path.insert(0, str(ROOT))
from tests.reliability.generated import document_text, marker_of, title_of  # noqa: E402

VISIBLE_TARGET_S = 5.0
BASE_DOCUMENTS = 3  # the smallest demo documents: a base for policy questions without minutes of embedding


def cli(env: dict[str, str], *args: str) -> None:
    done = subprocess.run([sys.executable, "-m", "assistant.cli", *args], env=env, cwd=ROOT, capture_output=True,
                          text=True, encoding="utf-8")
    if done.returncode != 0:
        raise SystemExit(f"assistant {' '.join(args[:3])} 失败：\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")


@contextmanager
def database(admin_url: str) -> Any:
    from sqlalchemy import create_engine, text

    name = f"w18_two_servers_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin_url.rsplit("/", 1)[0].replace("+psycopg", "") + f"/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def process(command: list[str], env: dict[str, str], log: Path, ready: str, timeout: float) -> Any:
    """A child process, ready once `ready` answers 200 (polled)."""
    with log.open("wb") as out:
        proc = subprocess.Popen(command, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                if httpx.get(ready, timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"{command[2:5]} 未能就绪（退出码 {proc.poll()}）：\n{log_tail(log)}")
            time.sleep(0.3)  # poll interval, not a wait for readiness
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def accounts(pg_url: str, users: int) -> list[tuple[str, str, str]]:
    from assistant.auth.users import UserStore

    store = UserStore(pg_url)
    out = []
    try:
        for n in range(users):
            role, region = ("staff", None) if n % 2 == 0 else ("county", COUNTY_REGION)
            name = f"two_servers_{n:02d}"
            store.add(name, uuid.uuid4().hex, role, region)  # type: ignore[arg-type]
            out.append((name, "科室" if role == "staff" else "县区", store.issue_api_key(name, "two_servers")))
        store.add("two_servers_admin", uuid.uuid4().hex, "admin")
        out.append(("two_servers_admin", "管理员", store.issue_api_key("two_servers_admin", "two_servers")))
    finally:
        store.close()
    return out


def user_loop(n: int, base: str, key: str, role: str, policy: list[str], t0: float, stop: threading.Event,
              timeout: float, out: list[Result]) -> None:
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


class Visibility:
    """For each uploaded document: when its upload answered, and when each server first found it."""

    def __init__(self) -> None:
        self.uploaded: dict[int, float] = {}
        self.found: dict[tuple[str, int], float] = {}
        self.errors: list[str] = []
        self.lock = threading.Lock()


def watch(name: str, base: str, key: str, seen: Visibility, stop: threading.Event) -> None:
    """Search for every uploaded, not yet found document, over and over."""
    with httpx.Client(base_url=base, timeout=60, headers={"Authorization": f"Bearer {key}"}) as client:
        while not stop.is_set():
            with seen.lock:
                pending = [n for n in seen.uploaded if (name, n) not in seen.found]
            for n in pending:
                try:
                    r = client.get("/api/search", params={"q": marker_of(n), "k": 1})
                except httpx.HTTPError as exc:
                    seen.errors.append(f"{name} 检索传输错误：{exc}")
                    continue
                if not r.is_success:
                    seen.errors.append(f"{name} 检索 HTTP {r.status_code}")
                    continue
                hits = r.json()["hits"]
                if hits and hits[0]["title"] == title_of(n):
                    with seen.lock:
                        seen.found[(name, n)] = time.monotonic()
            stop.wait(0.1)


def uploader(base: str, key: str, documents: int, spacing: float, seen: Visibility, stop: threading.Event,
             out: list[dict[str, Any]]) -> None:
    with httpx.Client(base_url=base, timeout=300, headers={"Authorization": f"Bearer {key}"}) as client:
        for n in range(documents):
            started = time.monotonic()
            text = document_text(n).encode("utf-8")
            r = client.post("/api/documents", files={"files": (f"专项调度通报_{n + 1:03d}.txt", text, "text/plain")})
            done = time.monotonic()
            ok = r.is_success and r.json()["files"][0]["status"] in ("added", "updated")
            out.append({"n": n, "status": r.status_code, "ok": ok, "upload_s": round(done - started, 2)})
            if ok:
                with seen.lock:
                    seen.uploaded[n] = done
            if stop.wait(max(0.0, spacing - (time.monotonic() - started))):
                return


def rss_mb(sampler: RssSampler) -> dict[str, float]:
    values = [kb for _, kb in sampler.samples if kb]
    if not values:
        return {}
    return {"start": round(values[0] / 1024), "peak": round(max(values) / 1024), "end": round(values[-1] / 1024)}


def run(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    chroma = shutil.which("chroma", path=str(Path(sys.executable).parent))
    if chroma is None:
        raise SystemExit("找不到 chroma 命令（chromadb 包自带）")
    with ExitStack() as stack:
        pg_url = stack.enter_context(database(args.pg_admin))
        chroma_url = f"http://127.0.0.1:{args.chroma_port}"
        stack.enter_context(process([chroma, "run", "--path", str(work / "chroma"), "--port", str(args.chroma_port),
                                     "--host", "127.0.0.1"], dict(os.environ), work / "chroma.log",
                                    f"{chroma_url}/api/v2/heartbeat", 120))
        env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
        env.update(ASSISTANT_DATABASE_URL=pg_url, ASSISTANT_CHROMA_URL=chroma_url, HF_HUB_OFFLINE="1",
                   PYTHONUNBUFFERED="1", ASSISTANT_RATE_LIMIT_PER_MINUTE="0")
        if args.redis:
            env["ASSISTANT_REDIS_URL"] = args.redis
        envs = [{**env, "ASSISTANT_DATA_DIR": str(work / machine)} for machine in ("machine-a", "machine-b")]
        base_docs = work / "base"
        base_docs.mkdir()
        for path in sorted((p for p in (ROOT / "corpus").glob("*") if p.suffix in (".txt", ".md")),
                           key=lambda p: p.stat().st_size)[:BASE_DOCUMENTS]:
            shutil.copy(path, base_docs / path.name)
        t = time.perf_counter()
        cli(envs[0], "ingest", str(base_docs))
        cli(envs[0], "db", "import-demo", str(ROOT / "corpus" / "data"))
        print(f"共享库就绪（{BASE_DOCUMENTS} 个文档、演示数据库），用时 {time.perf_counter() - t:.0f} 秒", flush=True)
        keys = accounts(pg_url, args.users + 2)  # the last two: a watcher's and the uploading administrator's
        bases = [f"http://127.0.0.1:{port}" for port in args.ports]
        procs = []
        for machine, (e, port, base) in enumerate(zip(envs, args.ports, bases, strict=True)):
            procs.append(stack.enter_context(process(
                [sys.executable, "-m", "assistant.cli", "serve", "--port", str(port), "--host", "127.0.0.1"], e,
                work / f"serve-{'ab'[machine]}.log", f"{base}/healthz", args.ready_timeout)))
        policy = policy_questions()
        for base in bases:  # lazy loads before the clock starts, as in a running server
            with httpx.Client(base_url=base, timeout=args.timeout,
                              headers={"Authorization": f"Bearer {keys[0][2]}"}) as client:
                warm = random.Random(0)
                for kind in KINDS:
                    status, _ = request(client, kind, warm, policy)
                    if not 200 <= status < 300:
                        raise SystemExit(f"预热 {kind} 返回 HTTP {status}")
        samplers = [RssSampler(p.pid) for p in procs]
        for s in samplers:
            s.start()
        load_before = os.getloadavg()
        print(f"两台服务就绪；{args.users} 个用户分在两台上，同时经 A 上传 {args.documents} 个文档 …", flush=True)
        results: list[list[Result]] = [[] for _ in range(args.users)]
        stop, stop_watch = threading.Event(), threading.Event()
        seen = Visibility()
        uploads: list[dict[str, Any]] = []
        t0 = time.monotonic()
        threads = [threading.Thread(target=user_loop, args=(n, bases[n % 2], keys[n][2], keys[n][1], policy, t0, stop,
                                                            args.timeout, results[n])) for n in range(args.users)]
        watchers = [threading.Thread(target=watch, args=(name, base, keys[-2][2], seen, stop_watch))
                    for name, base in zip("AB", bases, strict=True)]
        upload = threading.Thread(target=uploader, args=(bases[0], keys[-1][2], args.documents,
                                                         args.seconds * 0.8 / max(1, args.documents), seen, stop,
                                                         uploads))
        for thread in [*threads, *watchers, upload]:
            thread.start()
        while time.monotonic() - t0 < args.seconds:
            time.sleep(0.2)  # the load's clock
        stop.set()
        for thread in [*threads, upload]:
            thread.join()
        elapsed = time.monotonic() - t0
        deadline = time.monotonic() + 30
        while len(seen.found) < 2 * len(seen.uploaded) and time.monotonic() < deadline:
            time.sleep(0.2)  # let the watchers find the last upload
        stop_watch.set()
        for thread in watchers:
            thread.join()
        health = [httpx.get(f"{b}/healthz", timeout=60).status_code for b in bases]
        for s in samplers:
            s.stopped.set()
        load_after = os.getloadavg()
        logs = [(work / f"serve-{m}.log").read_text(encoding="utf-8", errors="replace") for m in "ab"]
    flat = sorted((r for rs in results for r in rs), key=lambda r: r.started)
    errors = [r for r in flat if r.error is not None]
    delays = {f"{name}#{n}": round(found - seen.uploaded[n], 2) for (name, n), found in seen.found.items()}
    missing = [f"{name}#{n}" for n in seen.uploaded for name in "AB" if (name, n) not in seen.found]
    per_server = {name: latency([r for i, rs in enumerate(results) if i % 2 == k for r in rs])
                  for k, name in enumerate("AB")}
    return {
        "users": args.users, "seconds": args.seconds, "elapsed_s": round(elapsed, 1), "cpu_count": os.cpu_count(),
        "redis": bool(args.redis), "requests": len(flat), "errors": len(errors),
        "throughput_rps": round(len(flat) / elapsed, 2), "latency": latency(flat), "per_server": per_server,
        "uploads": uploads, "documents_uploaded": len(seen.uploaded),
        "visible_delay_s": {"max": max(delays.values(), default=None),
                            "max_A": max((v for k, v in delays.items() if k[0] == "A"), default=None),
                            "max_B": max((v for k, v in delays.items() if k[0] == "B"), default=None),
                            "all": delays},
        "not_visible": missing, "watch_errors": seen.errors[:10], "healthz_after": health,
        "rss_mb": {name: rss_mb(s) for name, s in zip("AB", samplers, strict=True)},
        "server_log_tracebacks": [log.count("Traceback (most recent call last)") for log in logs],
        "load_average_before": [round(x, 1) for x in load_before],
        "load_average_after": [round(x, 1) for x in load_after],
        "error_samples": [{"at_s": round(r.started, 1), "kind": r.kind, "status": r.status, "error": r.error}
                          for r in errors[:10]],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--documents", type=int, default=10)
    parser.add_argument("--ports", type=lambda s: [int(p) for p in s.split(",")], default=[7910, 7911])
    parser.add_argument("--chroma-port", type=int, default=8001)
    parser.add_argument("--pg-admin", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--redis", default=None, help="ASSISTANT_REDIS_URL for both servers, e.g. redis://127.0.0.1:6379/5")
    parser.add_argument("--timeout", type=float, default=300)
    parser.add_argument("--ready-timeout", type=float, default=300)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="two-servers-") as tmp:
        report = run(args, Path(tmp))
    text = json.dumps(report, ensure_ascii=False, indent=2)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    print(text)
    late = report["visible_delay_s"]["max"] is None or report["visible_delay_s"]["max"] > VISIBLE_TARGET_S
    sys.exit(1 if report["errors"] or report["not_visible"] or late else 0)


if __name__ == "__main__":
    main()
