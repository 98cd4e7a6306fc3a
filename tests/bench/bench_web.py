#!/usr/bin/env python3
"""bench_web.py - the web chat under 1000 concurrent WebSocket sessions: every
question answered, answer latency, CPU and peak memory.

    python3 tests/bench/bench_web.py [--bin build/valuesbot] [--sessions 1000]
        [--questions 5] [--think-ms 1000] [--rounds 1] [--json]

Each round starts `valuesbot run` with no chat platform (the web chat) on
127.0.0.1, opens --sessions WebSockets at once (/chat/ws?org=tewv) and keeps
them all open; each session then asks --questions questions one after
another, waiting a random 0 to 2 x --think-ms between an answer and its next
question (a person reading), so about sessions / think-ms questions arrive
each millisecond, from all sessions at once.  The questions are the dev
part of tests/eval/questions.jsonl (never the holdout lines 5, 10, 15...).
The rate limits are raised for the run: every session comes from 127.0.0.1.

Measured:
  latency   from sending {"type":"ask"} to its reply arriving (client clock):
            p50, p99, max.  Client and bot share the machine, and the client
            is one Python process, so this is an upper bound on the bot's part
  answered  replies received / questions sent (must be 1.0), and errors
  CPU       the bot's user+system CPU over the asking / questions, in ms
  memory    peak RSS (VmHWM) with every session open, and the idle RSS before
Nothing here is a pass/fail test; it exits 1 only if a question went unanswered.
"""

import argparse
import asyncio
import json
import multiprocessing
import os
import queue
import random
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "fakes"))
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))
import slackbot  # noqa: E402
import wsproto  # noqa: E402
sys.path.insert(0, HERE)
import memstat  # noqa: E402
from memstat import percentile  # noqa: E402


class _NoPlatform:
    app_token = bot_token = api_url = ""


def dev_questions():
    out = []
    with open(os.path.join(ROOT, "tests", "eval", "questions.jsonl")) as f:
        for n, line in enumerate(f, 1):
            if n % 5 == 0 or not line.strip():
                continue  # the holdout
            q = json.loads(line)
            if q.get("org", "tewv") == "tewv" and q.get("q"):
                out.append(q["q"])
    return out or ["What are our values?"]


async def session(port, questions, n, think_ms, lat, errors, rng, opened, go):
    st, _, ws = await wsproto.ws_connect("127.0.0.1", port, "/chat/ws?org=tewv", timeout=60)
    if ws is None:
        errors.append("handshake %d" % st)
        opened.set_result(None) if not opened.done() else None
        return
    hello = json.loads((await asyncio.wait_for(ws.recv(), 60))[1])
    assert hello["type"] == "hello", hello
    opened.set_result(None) if not opened.done() else None
    await go.wait()
    for i in range(n):
        await asyncio.sleep(rng.uniform(0, 2 * think_ms) / 1000.0)
        q = rng.choice(questions)
        t0 = time.perf_counter()
        ws.send_text(json.dumps({"type": "ask", "id": "q%d" % i, "text": q}))
        op, data = await asyncio.wait_for(ws.recv(), 60)
        lat.append((time.perf_counter() - t0) * 1000)
        msg = json.loads(data)
        if msg.get("type") != "reply" or msg.get("re") != "q%d" % i:
            errors.append(msg.get("code", msg.get("type")))
    ws.send_close(1000)
    ws.close_tcp()


async def worker_sessions(args, port, nsess, seed, ready, go, out):
    rng = random.Random(seed)
    questions = dev_questions()
    lat, errors = [], []
    gate = asyncio.Event()
    loop = asyncio.get_running_loop()
    opened = [loop.create_future() for _ in range(nsess)]
    tasks = [asyncio.create_task(session(port, questions, args.questions, args.think_ms, lat,
                                         errors, random.Random(rng.random()), opened[i], gate))
             for i in range(nsess)]
    await asyncio.wait_for(asyncio.gather(*opened), 120)
    ready.release()
    await loop.run_in_executor(None, go.wait)
    gate.set()
    await asyncio.gather(*tasks)
    out.put((lat, errors))


def worker(args, port, nsess, seed, ready, go, out):
    asyncio.run(worker_sessions(args, port, nsess, seed, ready, go, out))


def run_sessions(args, port, pid):
    """Spreads the sessions over --procs client processes (one Python process
    cannot keep up with a thousand sockets), opens them all, then lets them ask."""
    ctx = multiprocessing.get_context("fork")
    ready, go, out = ctx.Semaphore(0), ctx.Event(), ctx.Queue()
    per = [args.sessions // args.procs + (i < args.sessions % args.procs)
           for i in range(args.procs)]
    procs = [ctx.Process(target=worker, args=(args, port, n, i + 1, ready, go, out))
             for i, n in enumerate(per) if n > 0]
    for p in procs:
        p.start()
    for _ in procs:
        if not ready.acquire(timeout=180):
            raise RuntimeError("sessions did not open")
    all_open = memstat.snapshot(pid)
    cpu0 = cpu_ticks(pid)
    t0 = time.monotonic()
    go.set()
    lat, errors, peak = [], [], 0.0
    for _ in procs:
        while True:
            try:
                got = out.get(timeout=0.5)
                break
            except queue.Empty:
                peak = max(peak, memstat.snapshot(pid)["rss"])
        lat += got[0]
        errors += got[1]
    secs = time.monotonic() - t0
    for p in procs:
        p.join(30)
    cpu1 = cpu_ticks(pid)
    after = memstat.snapshot(pid)
    return lat, errors, secs, cpu1 - cpu0, all_open, after, peak


def bot_answer_seconds(port):
    """The bot's own answer-time histogram (/metrics): [(le, count)]."""
    import urllib.request
    with urllib.request.urlopen("http://127.0.0.1:%d/metrics" % port, timeout=10) as r:
        text = r.read().decode()
    out = []
    for line in text.splitlines():
        if line.startswith("valuesbot_answer_seconds_bucket"):
            le = line.split('le="')[1].split('"')[0]
            out.append((float("inf") if le == "+Inf" else float(le), int(line.split()[-1])))
    return out


def bucket_percentile(buckets, p):
    """The upper bound of the bucket holding the @p-th percentile."""
    total = buckets[-1][1] if buckets else 0
    for le, n in buckets:
        if total and n >= total * p / 100.0:
            return le
    return float("nan")


def cpu_ticks(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def one_round(args):
    slackbot.BIN = os.path.abspath(args.bin)
    config = {"web": {"max_connections": max(2000, args.sessions + 10),
                      "rate_per_connection": {"burst": 100, "per_minute": 6000},
                      "rate_per_address": {"burst": 100000, "per_minute": 6000000}}}
    bot = slackbot.Bot(_NoPlatform(), extra_env={"VALUESBOT_HTTP": "127.0.0.1:0"},
                       config=config, log_level="info").start()
    try:
        port = bot.http_port()
        idle = memstat.snapshot(bot.pid)
        lat, errors, secs, ticks, all_open, after, peak = run_sessions(args, port, bot.pid)
        buckets = bot_answer_seconds(port)
        hz = os.sysconf("SC_CLK_TCK")
        n = args.sessions * args.questions
        return {
            "questions": n,
            "answered": len(lat) - len(errors),
            "errors": len(errors),
            "p50_ms": percentile(lat, 50),
            "p99_ms": percentile(lat, 99),
            "max_ms": max(lat) if lat else float("nan"),
            "questions_per_s": len(lat) / max(secs, 1e-9),
            "cpu_ms_per_question": ticks * 1000.0 / hz / max(len(lat), 1),
            "bot_p50_le_ms": bucket_percentile(buckets, 50) * 1000,
            "bot_p99_le_ms": bucket_percentile(buckets, 99) * 1000,
            "idle_rss_mb": idle["rss"],
            "open_rss_mb": all_open["rss"],
            "peak_rss_mb": max(after["peak_rss"], peak),
            "after_rss_mb": after["rss"],
        }
    finally:
        bot.cleanup()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(ROOT, "build", "valuesbot"))
    ap.add_argument("--sessions", type=int, default=1000)
    ap.add_argument("--questions", type=int, default=5)
    ap.add_argument("--think-ms", type=float, default=1000)
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--procs", type=int, default=4, help="client processes")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    results = [one_round(args) for _ in range(args.rounds)]
    med = {k: statistics.median(r[k] for r in results) for k in results[0]}
    if args.json:
        print(json.dumps({"rounds": results, "median": med}, indent=2))
    else:
        print(f"{args.sessions} concurrent sessions x {args.questions} questions "
              f"(think time 0-{2 * args.think_ms:.0f} ms), median of {args.rounds} round(s):")
        print(f"  answered {med['answered']:.0f}/{med['questions']:.0f}, "
              f"errors {med['errors']:.0f}, {med['questions_per_s']:.0f} questions/s")
        print(f"  latency (client clock): p50 {med['p50_ms']:.2f} ms, p99 {med['p99_ms']:.2f} ms, "
              f"max {med['max_ms']:.2f} ms")
        print(f"  the bot's own answer time (/metrics histogram): p50 <= "
              f"{med['bot_p50_le_ms']:g} ms, p99 <= {med['bot_p99_le_ms']:g} ms")
        print(f"  CPU {med['cpu_ms_per_question']:.3f} ms per question")
        print(f"  RSS: idle {med['idle_rss_mb']:.1f} MB, all sessions open "
              f"{med['open_rss_mb']:.1f} MB, peak {med['peak_rss_mb']:.1f} MB, "
              f"after {med['after_rss_mb']:.1f} MB")
    return 0 if all(r["answered"] == r["questions"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
