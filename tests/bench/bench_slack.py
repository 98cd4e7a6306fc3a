#!/usr/bin/env python3
"""bench_slack.py - the Slack adapter's speed and footprint, on loopback.

Runs the real `valuesbot run` against tests/fakes/fake_slack.py and prints:
  throughput   replies per second, mentions spread over many channels (one
               mention per channel, so per-channel pacing does not apply),
               median of --rounds bursts of --burst mentions
  latency      ack latency and mention->reply latency, p50 and p99, from
               --samples mentions sent one at a time; slash-command ack
               latency (the answer rides in the ack), p50 and p99, for
               answered and declined questions, from --samples/2 commands
  memory       peak RSS of the bot (VmHWM from /proc/PID/status)
  idle CPU     CPU used while connected and idle for --idle seconds
               (/proc/PID/stat utime+stime; schedstat for finer resolution)

Latencies are measured by the fake (a Python asyncio server): from the moment
it hands the frame to the kernel to the moment it has parsed the ack or the
chat.postMessage request.  They include the fake's own overhead, so they are
upper bounds for the bot.  The throughput is bounded by the fake as well
(one Python thread): the report gives the fake's CPU use during the bursts
(near 100 % means the fake was the limit) and the bot's CPU time per reply,
which does not depend on the fake.

Usage: python3 tests/bench/bench_slack.py [--bin build/valuesbot] [--json]
"""

import argparse
import json
import os
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "integration"))


def pct(values, p):
    if not values:
        return float("nan")
    v = sorted(values)
    k = (len(v) - 1) * p / 100.0
    lo = int(k)
    hi = min(lo + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (k - lo)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", default=os.environ.get("VALUESBOT_BIN", "build/valuesbot"))
    ap.add_argument("--burst", type=int, default=1000, help="mentions per throughput round")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--samples", type=int, default=300, help="mentions for the latency figures")
    ap.add_argument("--idle", type=float, default=10.0, help="idle seconds for the CPU figure")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    a = ap.parse_args()
    os.environ["VALUESBOT_BIN"] = os.path.abspath(a.bin)
    import slackbot  # reads VALUESBOT_BIN
    from fake_slack import FakeSlack

    fake = FakeSlack(echo_own_dm=False).start()
    bot = slackbot.Bot(fake, log_level="info").start()
    try:
        if not fake.wait_for(lambda: fake.ready_connections() and fake.api("auth.test"), 30):
            sys.exit("bench-slack: the bot did not connect:\n" + bot.log()[-2000:])
        me = fake.bot_user_id
        n = 0

        def mentions(k, question="what are our values?"):
            nonlocal n
            out = []
            for _ in range(k):
                n += 1
                out.append({"type": "app_mention", "channel": "C%08d" % n,
                            "text": "<@%s> %s" % (me, question)})
            return out

        def wait_posts(total, timeout):
            return fake.wait_for(lambda: len(fake.posts) >= total, timeout, interval=0.005)

        rss_start_kb = int(bot.status("VmRSS").split()[0])
        # Warm up.
        fake.send_batch(mentions(50))
        if not wait_posts(50, 30):
            sys.exit("bench-slack: no replies during warm-up:\n" + bot.log()[-2000:])

        # Latency: one mention at a time.
        acks, replies = [], []
        for _ in range(a.samples):
            before = len(fake.posts)
            rec = fake.send_batch(mentions(1))[0]
            if not wait_posts(before + 1, 10):
                sys.exit("bench-slack: a mention went unanswered")
            ack = fake.acked(rec["envelope_id"])
            acks.append(ack[0]["time"] - rec["sent_at"])
            replies.append(fake.posts[before]["time"] - rec["sent_at"])
            time.sleep(0.002)

        # Slash commands answered in the ack: the core runs before the ack,
        # so its latency is the ack's.  A known question answers from memory;
        # an unknown one is declined and logged to SQLite first.
        slash = {"answered": [], "declined": []}
        in_ack = 0
        for i in range(a.samples // 2):
            kind = "answered" if i % 2 == 0 else "declined"
            rec = fake.send_slash("/values", "" if kind == "answered"
                                  else "where is the canteen %d?" % i, channel="C0SLASH")
            if not fake.wait_for(lambda: fake.acked(rec["envelope_id"]), 10, interval=0.002):
                sys.exit("bench-slack: a slash command was not acked")
            ack = fake.acked(rec["envelope_id"])[0]
            slash[kind].append(ack["time"] - rec["sent_at"])
            in_ack += 1 if ack["payload"] else 0
            time.sleep(0.002)

        # Throughput: bursts over many channels.
        rates, bot_us, fake_cpu = [], [], []
        hz = os.sysconf("SC_CLK_TCK")
        for _ in range(a.rounds):
            before = len(fake.posts)
            c0, p0 = bot.cpu_ticks(), time.process_time()
            t0 = time.monotonic()
            fake.send_batch(mentions(a.burst))
            if not wait_posts(before + a.burst, 120):
                sys.exit("bench-slack: burst not fully answered (%d of %d)"
                         % (len(fake.posts) - before, a.burst))
            t1 = time.monotonic()
            c1, p1 = bot.cpu_ticks(), time.process_time()
            last = max(p["time"] for p in fake.posts[before:])
            rates.append(a.burst / (last - t0))
            bot_us.append((c1 - c0) / hz / a.burst * 1e6)
            fake_cpu.append(100.0 * (p1 - p0) / (t1 - t0))
            time.sleep(0.5)
        ok = sum(1 for p in fake.posts if p["ok"])
        conns = len({c["peer"] for c in fake.api("chat.postMessage")})
        dup = len(fake.posts) - len({(p["channel"], p["thread_ts"]) for p in fake.posts})

        # Idle CPU.
        time.sleep(2)

        def sched_ns():
            try:
                with open("/proc/%d/schedstat" % bot.pid) as f:
                    return int(f.read().split()[0])
            except OSError:
                return None
        t0, c0, s0 = time.monotonic(), bot.cpu_ticks(), sched_ns()
        time.sleep(a.idle)
        t1, c1, s1 = time.monotonic(), bot.cpu_ticks(), sched_ns()
        idle_pct = 100.0 * (c1 - c0) / hz / (t1 - t0)
        idle_sched_pct = 100.0 * (s1 - s0) / 1e9 / (t1 - t0) if s0 is not None and s1 is not None else None
        hwm_kb = int(bot.status("VmHWM").split()[0])
        res = {
            "binary": a.bin,
            "replies_per_s_median": statistics.median(rates),
            "replies_per_s_rounds": rates,
            "burst": a.burst,
            "ack_ms_p50": pct(acks, 50) * 1e3, "ack_ms_p99": pct(acks, 99) * 1e3,
            "reply_ms_p50": pct(replies, 50) * 1e3, "reply_ms_p99": pct(replies, 99) * 1e3,
            "latency_samples": a.samples,
            "slash_ack_ms_p50": pct(slash["answered"], 50) * 1e3,
            "slash_ack_ms_p99": pct(slash["answered"], 99) * 1e3,
            "slash_decline_ack_ms_p50": pct(slash["declined"], 50) * 1e3,
            "slash_decline_ack_ms_p99": pct(slash["declined"], 99) * 1e3,
            "slash_answered_in_ack": in_ack,
            "slash_samples": len(slash["answered"]) + len(slash["declined"]),
            "bot_cpu_us_per_reply_median": statistics.median(bot_us),
            "bot_cpu_us_per_reply_rounds": bot_us,
            "fake_cpu_pct_during_bursts_median": statistics.median(fake_cpu),
            "rss_at_start_mb": rss_start_kb / 1024.0,
            "peak_rss_mb": hwm_kb / 1024.0,
            "idle_cpu_pct": idle_pct, "idle_cpu_pct_schedstat": idle_sched_pct,
            "idle_seconds": a.idle,
            "posts_ok": ok, "duplicate_replies": dup, "http_connections_for_posts": conns,
            "violations": len(fake.violations),
        }
    finally:
        rc = bot.stop()
        bot.cleanup()
        fake.stop()
    res["exit_status"] = rc
    if a.json:
        print(json.dumps(res))
        return
    print("valuesbot Slack benchmark (%s, fake server on loopback)" % a.bin)
    print("  replies/s, one mention per channel: median %.0f  (rounds of %d: %s)"
          % (res["replies_per_s_median"], a.burst, ", ".join("%.0f" % r for r in rates)))
    print("  bot CPU per reply:     median %.0f us  (rounds: %s; fake's CPU during bursts: %.0f %%)"
          % (res["bot_cpu_us_per_reply_median"], ", ".join("%.0f" % u for u in bot_us),
             res["fake_cpu_pct_during_bursts_median"]))
    print("  ack latency:           p50 %.3f ms  p99 %.3f ms  (%d samples)"
          % (res["ack_ms_p50"], res["ack_ms_p99"], a.samples))
    print("  slash ack (answer in it): p50 %.3f ms  p99 %.3f ms; declined (SQLite insert): "
          "p50 %.3f ms  p99 %.3f ms  (%d samples, %d answered in the ack)"
          % (res["slash_ack_ms_p50"], res["slash_ack_ms_p99"], res["slash_decline_ack_ms_p50"],
             res["slash_decline_ack_ms_p99"], res["slash_samples"], res["slash_answered_in_ack"]))
    print("  mention->reply latency: p50 %.3f ms  p99 %.3f ms"
          % (res["reply_ms_p50"], res["reply_ms_p99"]))
    print("  peak RSS (VmHWM):      %.1f MB  (RSS once connected: %.1f MB)"
          % (res["peak_rss_mb"], res["rss_at_start_mb"]))
    print("  idle CPU over %.0f s:    %.3f %% (stat ticks)%s"
          % (a.idle, idle_pct, "" if idle_sched_pct is None else ", %.4f %% (schedstat)" % idle_sched_pct))
    print("  replies ok %d, duplicates %d, protocol violations %d, exit status %s, "
          "HTTP connections used for posts %d" % (ok, dup, res["violations"], rc, conns))


if __name__ == "__main__":
    main()
