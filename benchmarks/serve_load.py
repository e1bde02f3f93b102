"""A bounded load test of ``unspin serve`` on loopback: throughput, p50/p99 latency, no 5xx,
no lost and no duplicated stored report.

    python benchmarks/serve_load.py [--clients 20] [--duration 30] [--concurrent 1]
                                    [--queued 8] [--json results.json]

Starts ``unspin serve`` (``unspin.server.serve``) in a child process on a free 127.0.0.1
port with a fresh SQLite store in a temporary folder, waits for ``/healthz``, then runs
``--clients`` threads for ``--duration`` seconds. Each client loops over a mix of requests:

    analyze-new      a new article (an example text with its own closing paragraph and its
                     own outlet, so it is a different article to the store)       15 %
    analyze-repeat   an article some client already sent (must get the same id)   15 %
    get              GET /api/reports/{id} of a stored report                     25 %
    search           GET /api/reports with a phrase, an outlet or a flag          25 %
    view             GET /api/reports/{id}/view                                   10 %
    trends           GET /api/trends                                              10 %

429 (every analysis slot busy) is an expected answer under this load and is counted, not
retried. Every request has a 120 s client timeout and no client starts a request after the
deadline, so the run always ends. Afterwards, with the server idle, it checks the store:
every article that was answered 200/201 is stored exactly once (searching by its outlet finds
exactly one report, with the id every answer for it gave and the text that was sent), and
the number of stored reports equals the number of distinct articles stored. Exit status 1 on
any 5xx, transport error or failed check.

Only loopback is ever contacted.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
TEXTS = [(ROOT / "examples" / name).read_text(encoding="utf-8")
         for name in ("port_strike.txt", "wire_report.txt")]
MIX = [("analyze-new", 15), ("analyze-repeat", 15), ("get", 25), ("search", 25),
       ("view", 10), ("trends", 10)]
SEARCHES = [{"q": '"container terminal"'}, {"q": "budget council"}, {"flag": "unused_source"},
            {"source": "Miriam Okafor"}, {"technique": "Loaded_Language"}, {"genre": "opinion"}]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, data_dir: str, concurrent: int, queued: int) -> subprocess.Popen:
    code = ("from unspin.server import serve; "
            f"serve('127.0.0.1', {port}, None, max_concurrent_analyses={concurrent}, "
            f"max_queued_analyses={queued}, log_level='warning')")
    env = {**os.environ, "UNSPIN_DATA_DIR": data_dir}
    env.pop("UNSPIN_API_TOKENS", None)
    env.pop("UNSPIN_DB", None)
    return subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)


def wait_healthy(base: str, proc: subprocess.Popen, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited: {proc.stdout.read() if proc.stdout else ''}")
        try:
            if httpx.get(base + "/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    raise SystemExit("the server did not become healthy in time")


class Run:
    """Shared state of the clients: what was sent, what came back, how long it took."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.statuses: dict[str, Counter] = defaultdict(Counter)
        self.errors: list[str] = []
        self.articles: dict[str, dict] = {}       # outlet -> the request body
        self.answers: dict[str, set[int]] = defaultdict(set)  # outlet -> ids answered
        self.sent: list[str] = []                 # outlets sent at least once
        self.stored: list[int] = []               # ids known to be stored

    def record(self, op: str, status: int, seconds: float) -> None:
        with self.lock:
            self.latencies[op].append(seconds)
            self.statuses[op][status] += 1


def article(client: int, n: int, run_id: str) -> dict:
    outlet = f"Load {run_id} {client}-{n}"
    text = TEXTS[(client + n) % len(TEXTS)]
    text += (f"\n\nThis copy was sent by load client {client} as article {n} of run {run_id}, "
             "the desk said.")
    return {"text": text, "outlet": outlet}


def client_loop(k: int, base: str, deadline: float, run: Run, run_id: str, seed: int) -> None:
    rng = random.Random(seed + k)
    ops = [op for op, weight in MIX for _ in range(weight)]
    n = 0
    with httpx.Client(base_url=base, timeout=120) as http:
        while time.monotonic() < deadline:
            op = rng.choice(ops)
            with run.lock:
                sent = list(run.sent)
                stored = list(run.stored)
            if op == "analyze-repeat" and not sent:
                op = "analyze-new"
            if op in ("get", "view") and not stored:
                op = "search"
            if op == "analyze-new":
                body = article(k, n, run_id)
                n += 1
                with run.lock:
                    run.articles[body["outlet"]] = body
                    run.sent.append(body["outlet"])
            elif op == "analyze-repeat":
                body = run.articles[rng.choice(sent)]
            started = time.perf_counter()
            try:
                if op.startswith("analyze"):
                    r = http.post("/api/analyze", json=body)
                elif op == "get":
                    r = http.get(f"/api/reports/{rng.choice(stored)}")
                elif op == "view":
                    r = http.get(f"/api/reports/{rng.choice(stored)}/view")
                elif op == "search":
                    r = http.get("/api/reports", params=rng.choice(SEARCHES))
                else:
                    r = http.get("/api/trends")
            except httpx.HTTPError as exc:
                with run.lock:
                    run.errors.append(f"{op}: {type(exc).__name__}: {exc}")
                continue
            run.record(op, r.status_code, time.perf_counter() - started)
            if op.startswith("analyze") and r.status_code in (200, 201):
                rid = r.json()["id"]
                with run.lock:
                    run.answers[body["outlet"]].add(rid)
                    run.stored.append(rid)
            elif op in ("get", "view") and r.status_code != 200:
                with run.lock:
                    run.errors.append(f"{op}: a stored report answered {r.status_code}")


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1))))
    return ordered[k]


def verify(base: str, run: Run) -> list[str]:
    """Every answered article stored exactly once, with the same id and text; no extras."""
    problems = []
    with httpx.Client(base_url=base, timeout=60) as http:
        deadline = time.monotonic() + 120
        while http.get("/healthz").json()["analyses_running"] and time.monotonic() < deadline:
            time.sleep(0.2)  # let analyses that timed out finish and be stored
        stored_outlets = 0
        for outlet, body in run.articles.items():
            page = http.get("/api/reports", params={"outlet": outlet}).json()
            answered = run.answers.get(outlet, set())
            if len(answered) > 1:
                problems.append(f"{outlet}: answered with several ids {sorted(answered)}")
            if page["total"] > 1:
                problems.append(f"{outlet}: stored {page['total']} times")
            if answered and page["total"] == 0:
                problems.append(f"{outlet}: answered {sorted(answered)} but not stored (lost)")
            if page["total"] == 1:
                stored_outlets += 1
                rid = page["items"][0]["id"]
                if answered and rid not in answered:
                    problems.append(f"{outlet}: stored as {rid}, answered {sorted(answered)}")
                if answered:
                    report = http.get(f"/api/reports/{rid}").json()["report"]
                    if report["text"] != body["text"]:
                        problems.append(f"{outlet}: report {rid} holds another text")
        total = http.get("/api/reports", params={"limit": 1}).json()["total"]
        if total != stored_outlets:
            problems.append(f"{total} reports stored for {stored_outlets} distinct articles")
    return problems


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--clients", type=int, default=20)
    p.add_argument("--duration", type=float, default=30.0)
    p.add_argument("--concurrent", type=int, default=1, help="server: analyses at once")
    p.add_argument("--queued", type=int, default=8, help="server: analyses waiting")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--json", type=Path, help="also write the results here")
    args = p.parse_args()
    args.clients = max(1, min(args.clients, 200))
    args.duration = max(1.0, min(args.duration, 600.0))

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="unspin-load-") as data:
        proc = start_server(port, data, args.concurrent, args.queued)
        try:
            t0 = time.monotonic()
            wait_healthy(base, proc)
            startup = time.monotonic() - t0
            run = Run()
            run_id = f"{os.getpid()}"
            started = time.monotonic()
            deadline = started + args.duration
            threads = [threading.Thread(target=client_loop,
                                        args=(k, base, deadline, run, run_id, args.seed))
                       for k in range(args.clients)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(timeout=args.duration + 180)
            wall = time.monotonic() - started
            problems = verify(base, run)
        finally:
            proc.terminate()
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()

    everything = [s for op in run.latencies for s in run.latencies[op]]
    statuses = Counter()
    for c in run.statuses.values():
        statuses.update(c)
    fivexx = sum(n for code, n in statuses.items() if code >= 500)
    result = {
        "clients": args.clients, "duration_s": args.duration, "wall_s": round(wall, 2),
        "server_startup_s": round(startup, 2),
        "server": {"max_concurrent_analyses": args.concurrent,
                   "max_queued_analyses": args.queued, "cpus": os.cpu_count()},
        "requests": len(everything), "throughput_rps": round(len(everything) / wall, 2),
        "analyses_stored_per_s": round(sum(run.statuses[o][201] for o in run.statuses) / wall,
                                       2),
        "statuses": dict(sorted(statuses.items())), "5xx": fivexx,
        "transport_errors": len(run.errors),
        "p50_ms": round(1000 * percentile(everything, 50), 1),
        "p99_ms": round(1000 * percentile(everything, 99), 1),
        "by_operation": {
            op: {"requests": len(v), "statuses": dict(sorted(run.statuses[op].items())),
                 "p50_ms": round(1000 * percentile(v, 50), 1),
                 "p99_ms": round(1000 * percentile(v, 99), 1),
                 "mean_ms": round(1000 * statistics.fmean(v), 1)}
            for op, v in sorted(run.latencies.items())},
        "distinct_articles_sent": len(run.articles),
        "distinct_articles_answered": sum(1 for v in run.answers.values() if v),
        "check_problems": problems[:20], "check_ok": not problems,
    }
    print(f"unspin serve load test: {args.clients} clients, {args.duration:g} s, "
          f"{os.cpu_count()} CPUs, server with {args.concurrent} analysis slot(s) + "
          f"{args.queued} queued")
    print(f"  {result['requests']} requests in {wall:.1f} s: {result['throughput_rps']} req/s; "
          f"p50 {result['p50_ms']} ms, p99 {result['p99_ms']} ms")
    print(f"  statuses {result['statuses']}; 5xx: {fivexx}; transport errors: {len(run.errors)}")
    print(f"  {'operation':<15} {'requests':>8} {'p50 ms':>9} {'p99 ms':>9}  statuses")
    for op, row in result["by_operation"].items():
        print(f"  {op:<15} {row['requests']:>8} {row['p50_ms']:>9} {row['p99_ms']:>9}  "
              f"{row['statuses']}")
    print(f"  stored: {result['distinct_articles_answered']} distinct articles answered of "
          f"{result['distinct_articles_sent']} sent; check: "
          + ("every one stored once, none lost, none extra" if not problems else
             f"{len(problems)} problem(s)"))
    for problem in problems[:20]:
        print(f"    - {problem}")
    for error in run.errors[:10]:
        print(f"    ! {error}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    return 1 if fivexx or run.errors or problems else 0


if __name__ == "__main__":
    sys.exit(main())
