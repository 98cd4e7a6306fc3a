#!/usr/bin/env python3
"""bench_teams.py - valuesbot on Microsoft Teams (Bot Framework): how fast
POST /api/messages is answered, replies per second through the connector,
CPU per reply and peak memory.

    python3 tests/bench/bench_teams.py [--bin build/valuesbot] [--rounds 3]
        [--activities 1000] [--json]

Each round starts the fake Bot Framework (tests/fakes/fake_teams.py: OpenID
metadata, keys, token endpoint, connector) and `valuesbot run` on 127.0.0.1,
then POSTs --activities signed personal-chat messages (one conversation
each, so per-conversation pacing does not apply), one after another on one
kept-alive connection, as the channel does, and measures:
  POST        the time from sending each POST to its answer (client clock):
              p50, p99, max.  This is the deadline Teams holds the bot to
              (15 s); the JWT check (RS256 verify) is inside it
  replies     activities answered through the connector / (last reply - first
              POST), in replies/s
  CPU         the bot's user+system CPU time over the round / replies, in ms
  memory      peak RSS (VmHWM, and RSS sampled meanwhile) and RSS once idle
The client and the fake share one Python process, so the POST figures include
some of the fake's own work; they are an upper bound.

Nothing here is a pass/fail test.
"""

import argparse
import http.client
import json
import os
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "fakes"))
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))
import slackbot  # noqa: E402
from fake_teams import FakeTeams  # noqa: E402
sys.path.insert(0, HERE)
import memstat  # noqa: E402
from memstat import percentile  # noqa: E402


class _NoSlack:
    app_token = bot_token = api_url = ""


def one_round(args):
    fake = FakeTeams().start()
    env = fake.bot_env()
    slackbot.BIN = os.path.abspath(args.bin)
    bot = slackbot.Bot(_NoSlack(), extra_env=env, log_level="info").start()
    try:
        port = bot.http_port()
        # The listener is up; wait for the keys (healthz says connected).
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            c.request("GET", "/healthz")
            r = c.getresponse()
            r.read()
            c.close()
            if r.status == 200:
                break
            time.sleep(0.05)
        token = "Bearer " + fake.sign(fake.claims())
        bodies = []
        for i in range(args.activities):
            a = fake.activity("what are our values?", user=f"29:1bench{i}")
            bodies.append(json.dumps(a).encode())
        idle = memstat.snapshot(bot.pid)
        cpu0 = bot.cpu_ticks()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        times = []
        peak_sampled = 0.0
        t_first = time.monotonic()
        for i, body in enumerate(bodies):
            t0 = time.perf_counter()
            conn.request("POST", "/api/messages", body=body,
                         headers={"Authorization": token,
                                  "Content-Type": "application/json; charset=utf-8"})
            r = conn.getresponse()
            r.read()
            times.append((time.perf_counter() - t0) * 1000)
            if r.status != 200:
                raise RuntimeError(f"POST {i}: HTTP {r.status}")
            if i % 100 == 0:
                peak_sampled = max(peak_sampled, memstat.snapshot(bot.pid)["rss"])
        conn.close()
        fake.wait_for(lambda: len(fake.replies) >= args.activities, timeout=120)
        with fake.lock:
            n = len(fake.replies)
            last = max(r["at"] for r in fake.replies) if fake.replies else t_first
        cpu1 = bot.cpu_ticks()
        after = memstat.snapshot(bot.pid)
        hz = os.sysconf("SC_CLK_TCK")
        return {
            "post_p50_ms": percentile(times, 50),
            "post_p99_ms": percentile(times, 99),
            "post_max_ms": max(times),
            "replies": n,
            "replies_per_s": n / max(last - t_first, 1e-9),
            "cpu_ms_per_reply": (cpu1 - cpu0) * 1000.0 / hz / max(n, 1),
            "peak_rss_mb": max(after["peak_rss"], peak_sampled),
            "idle_rss_mb": idle["rss"],
            "after_rss_mb": after["rss"],
        }
    finally:
        bot.cleanup()
        fake.stop()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(ROOT, "build", "valuesbot"))
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--activities", type=int, default=1000)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    results = [one_round(args) for _ in range(args.rounds)]
    med = {k: statistics.median(r[k] for r in results) for k in results[0]}
    if args.json:
        print(json.dumps({"rounds": results, "median": med}, indent=2))
        return
    print(f"{args.activities} activities, median of {args.rounds} round(s):")
    print(f"  POST answered: p50 {med['post_p50_ms']:.2f} ms, p99 {med['post_p99_ms']:.2f} ms, "
          f"max {med['post_max_ms']:.2f} ms")
    print(f"  replies: {med['replies']:.0f} at {med['replies_per_s']:.0f}/s; "
          f"CPU {med['cpu_ms_per_reply']:.3f} ms per reply")
    print(f"  RSS: idle {med['idle_rss_mb']:.1f} MB, peak {med['peak_rss_mb']:.1f} MB, "
          f"after {med['after_rss_mb']:.1f} MB")


if __name__ == "__main__":
    main()
