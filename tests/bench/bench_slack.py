#!/usr/bin/env python3
"""bench_slack.py - the Slack adapter's speed and footprint, on loopback.

Runs the real `valuesbot run` against tests/fakes/fake_slack.py, --rounds
times, each round a fresh bot and fake, and prints the median over rounds
(with the range) of:
  throughput   replies per second, mentions spread over many channels (one
               mention per channel, so per-channel pacing does not apply),
               --bursts bursts of --burst mentions per round
  latency      ack latency and mention->reply latency, p50 and p99, from
               --samples mentions sent one at a time (pooled over rounds);
               slash-command ack latency (the answer rides in the ack), p50
               and p99, for answered and declined questions, from
               --samples/2 commands per round
  memory       once connected and idle (before any mention), and the peak
               during the bursts: RSS, and its split into the bot's own
               (anonymous) memory and shared-library file pages, from
               /proc/PID/status and smaps (see memstat.py).  The peak is the
               larger of VmHWM and RSS sampled every few ms while bursts are
               answered: the kernel updates VmHWM lazily, and pages the bot
               hands back with madvise() are not counted in it.
               RSS after the bursts, once idle again, is given as well.
  loaded       --loaded mentions (one channel each) kept --inflight at a time
               (a new one sent as each reply arrives): replies per second,
               mention->reply latency p50 and p99 under that load, and the
               bot's CPU per reply (0 skips it); with --post-delay the
               fake answers each chat.postMessage that much later (Slack's
               own response time, 0.1-0.3 s in practice), so the figures show
               how many requests the bot keeps in flight
  idle CPU     CPU used while connected and idle for --idle seconds
               (/proc/PID/stat utime+stime; schedstat for finer resolution)
  stages       where a reply's time goes (tests/bench/replytrace.py): the bot
               writes the stage times of each post to VALUESBOT_TRACE, which
               are joined with the fake's times, for the one-at-a-time and
               the loaded mentions; "in_process" (frame received -> post
               written) is the bot's own time, and "to_wire" (the fake wrote
               the mention -> the bot wrote the post) the latency without the
               fake's own reading.  --no-trace leaves the trace off.

--pin BOT,FAKE puts the bot on CPU BOT and this script with its fake on CPU
FAKE (sched_setaffinity), so that the two do not share a core; the load
average is printed with each round, since on a shared machine the tails are
the load's as much as the bot's.

Latencies are measured by the fake (a Python asyncio server): from the moment
it hands the frame to the kernel to the moment it has parsed the ack or the
chat.postMessage request.  They include the fake's own overhead, so they are
upper bounds for the bot.  The throughput is bounded by the fake as well
(one Python thread): the report gives the fake's CPU use during the bursts
(near 100 % means the fake was the limit) and the bot's CPU time per reply,
which does not depend on the fake.

The fake serves plain HTTP and ws:// on 127.0.0.1, so no TLS session is
measured: against Slack itself each HTTPS connection adds OpenSSL buffers.

--bolt runs the alternative a trust would pick in place of the binary,
under the same load: tests/bench/bolt-app (an idiomatic Slack Bolt for
JavaScript app in Socket Mode on Node, answering from the same knowledge
base by a keyword match; packages from scripts/install-deps.sh).  Its CPU
counts every thread of the process (Node's libuv and V8 threads), as the
bot's does; it writes no stage trace.

Usage: python3 tests/bench/bench_slack.py [--bin build/valuesbot | --bolt] [--json]
"""

import argparse
import gc
import json
import os
import statistics
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "integration"))
sys.path.insert(0, HERE)
import memstat  # noqa: E402
import replytrace  # noqa: E402

BOLT_APP = os.path.join(HERE, "bolt-app", "app.js")


def task_cpu_ns(pid):
    """CPU time of every thread of @pid, in ns (/proc/PID/task/*/schedstat),
    or None when schedstat is missing."""
    total = 0
    try:
        for tid in os.listdir("/proc/%d/task" % pid):
            try:
                with open("/proc/%d/task/%s/schedstat" % (pid, tid)) as f:
                    total += int(f.read().split()[0])
            except (OSError, ValueError):
                pass  # a thread that has just ended
    except OSError:
        return None
    return total


def bolt_bot(slackbot):
    """slackbot.Bot running tests/bench/bolt-app under node instead of the binary."""
    sys.path.insert(0, os.path.join(HERE, "..", "fakes"))
    import sdknode

    class BoltBot(slackbot.Bot):
        def start(self):
            env = sdknode.node_env(os.path.join(HERE, "..", "fakes", "bolt-check"), self.env)
            self.out = open(os.path.join(self.dir, "stdout.log"), "wb")
            self.err = open(os.path.join(self.dir, "stderr.log"), "wb")
            self.out_r = open(os.path.join(self.dir, "stdout.log"), "rb")
            self.err_r = open(os.path.join(self.dir, "stderr.log"), "rb")
            self.proc = slackbot.subprocess.Popen(
                ["node", BOLT_APP], env=env, cwd=self.dir, stdin=slackbot.subprocess.DEVNULL,
                stdout=self.out, stderr=self.err)
            self.started_at = time.monotonic()
            return self
    return BoltBot


def bolt_label():
    import subprocess
    lock = os.path.join(HERE, "..", "fakes", "bolt-check", "package-lock.json")
    with open(lock) as f:
        bolt = json.load(f)["packages"]["node_modules/@slack/bolt"]["version"]
    node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    return "Bolt app (@slack/bolt %s, Node %s)" % (bolt, node)


def pct(values, p):
    if not values:
        return float("nan")
    v = sorted(values)
    k = (len(v) - 1) * p / 100.0
    lo = int(k)
    hi = min(lo + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (k - lo)


def one_round(a, slackbot, FakeSlack, acks, replies, slash, loaded, stages):
    """One fresh fake and bot: memory, latency, bursts, idle CPU."""
    fake = FakeSlack(echo_own_dm=False).start()
    trace_path = None
    extra = {}
    if a.trace:
        fd, trace_path = tempfile.mkstemp(prefix="valuesbot-trace-")
        os.close(fd)
        extra["VALUESBOT_TRACE"] = trace_path
    cls = bolt_bot(slackbot) if a.bolt else slackbot.Bot
    bot = cls(fake, log_level=a.log_level, extra_env=extra).start()
    if a.pin:
        os.sched_setaffinity(bot.pid, {a.pin[0]})
    out = {"load_before": os.getloadavg()[0]}
    one_at_a_time, loaded_recs = [], []
    try:
        if not fake.wait_for(lambda: fake.ready_connections() and fake.api("auth.test"), 30):
            sys.exit("bench-slack: the bot did not connect:\n" + bot.log()[-2000:])
        me = fake.bot_user_id
        n = 0
        peak = memstat.PeakRss(bot.pid)

        def mentions(k, question="what are our values?"):
            nonlocal n
            res = []
            for _ in range(k):
                n += 1
                res.append({"type": "app_mention", "channel": "C%08d" % n,
                            "text": "<@%s> %s" % (me, question)})
            return res

        def wait_posts(total, timeout):
            return peak.wait(lambda: len(fake.posts) >= total, timeout)

        time.sleep(1.0)  # let the connection settle
        out["connected"] = memstat.snapshot(bot.pid)
        # No collection in the measured window: a full one walks every record
        # the fake keeps (tens of ms with the loop, and the bot's replies,
        # waiting).  What is live now is frozen out of the collector's sight,
        # and the round's garbage (little: the records are kept) is left for
        # after it.
        gc.collect()
        gc.freeze()
        gc.disable()
        # Warm up.
        fake.send_batch(mentions(50))
        if not wait_posts(50, 30):
            sys.exit("bench-slack: no replies during warm-up:\n" + bot.log()[-2000:])

        # Latency: one mention at a time.
        for _ in range(a.samples):
            before = len(fake.posts)
            rec = fake.send_batch(mentions(1))[0]
            if not wait_posts(before + 1, 10):
                sys.exit("bench-slack: a mention went unanswered")
            ack = fake.acked(rec["envelope_id"])
            acks.append(ack[0]["read_at"] - rec["sent_at"])
            replies.append(fake.posts[before]["read_at"] - rec["sent_at"])
            one_at_a_time.append((rec["event_id"], rec["sent_at"], fake.posts[before]["read_at"]))
            time.sleep(0.002)

        # Slash commands answered in the ack: the core runs before the ack,
        # so its latency is the ack's.  A known question answers from memory;
        # an unknown one is declined and logged to SQLite first.
        for i in range(a.samples // 2):
            kind = "answered" if i % 2 == 0 else "declined"
            rec = fake.send_slash("/values", "" if kind == "answered"
                                  else "where is the canteen %d?" % i, channel="C0SLASH")
            if not fake.wait_for(lambda: fake.acked(rec["envelope_id"]), 10, interval=0.002):
                sys.exit("bench-slack: a slash command was not acked")
            ack = fake.acked(rec["envelope_id"])[0]
            slash[kind].append(ack["read_at"] - rec["sent_at"])
            slash["in_ack"] += 1 if ack["payload"] else 0
            time.sleep(0.002)

        def cpu_s():
            """The bot's CPU time in seconds, all its threads: schedstat (ns),
            else stat ticks."""
            ns = task_cpu_ns(bot.pid)
            return ns / 1e9 if ns is not None else bot.cpu_ticks() / hz

        # Throughput: bursts over many channels.
        rates, bot_us, fake_cpu = [], [], []
        hz = os.sysconf("SC_CLK_TCK")
        for _ in range(a.bursts):
            before = len(fake.posts)
            c0, p0 = cpu_s(), time.process_time()
            t0 = time.monotonic()
            fake.send_batch(mentions(a.burst))
            if not wait_posts(before + a.burst, 120):
                sys.exit("bench-slack: burst not fully answered (%d of %d; websockets %s, "
                         "envelopes unacked %d):\n%s"
                         % (len(fake.posts) - before, a.burst,
                            [(c.id, c.closed_by) for c in fake.conns],
                            sum(len(c.pending) for c in fake.conns), bot.log()[-2000:]))
            t1 = time.monotonic()
            c1, p1 = cpu_s(), time.process_time()
            last = max(p["read_at"] for p in fake.posts[before:])
            rates.append(a.burst / (last - t0))
            bot_us.append((c1 - c0) / a.burst * 1e6)
            fake_cpu.append(100.0 * (p1 - p0) / (t1 - t0))
            time.sleep(0.5)
        out["rates"], out["bot_us"], out["fake_cpu"] = rates, bot_us, fake_cpu

        # Under load: --inflight mentions outstanding at any time, a closed
        # loop run on the fake's own loop: each answered post sends the next
        # mention from there (fake.on_post), so no thread of this script
        # stands between a reply and the next mention, and the mentions are
        # made (ids, JSON) before the clock starts.
        if a.loaded:
            first = len(fake.posts)
            recs = fake.make_batch(mentions(a.loaded))
            sent_at = {rec["payload"]["event"]["channel"]: rec for rec in recs}
            left = iter(recs)
            state = {"done": 0}
            finished = threading.Event()

            def on_post(p):
                if p["channel"] not in sent_at:
                    return
                state["done"] += 1
                rec = next(left, None)
                if rec is not None:
                    fake._deliver(rec)
                elif state["done"] >= a.loaded:
                    finished.set()

            fake.post_delay = a.post_delay
            fake.on_post = on_post
            c0, p0 = cpu_s(), time.process_time()
            t0 = time.monotonic()
            fake.call(lambda: [fake._deliver(next(left)) for _ in range(min(a.inflight,
                                                                            a.loaded))])
            while not finished.wait(0.005):
                peak.sample()
                if time.monotonic() - t0 > 120:
                    sys.exit("bench-slack: loaded phase not fully answered")
            c1, p1, t1 = cpu_s(), time.process_time(), time.monotonic()
            fake.on_post = None
            fake.wait_for(lambda: all(p["done_at"] for p in fake.posts), 30)
            fake.post_delay = 0.0
            loaded["conns"].append(len({c["peer"] for c in fake.api("chat.postMessage")
                                        if c["time"] >= t0}))
            lats = []
            for p in fake.posts[first:]:
                rec = sent_at.get(p["channel"])
                if rec is not None and rec["sent_at"] is not None:
                    lats.append(p["read_at"] - rec["sent_at"])
                    loaded_recs.append((rec["event_id"], rec["sent_at"], p["read_at"]))
            last = max(p["read_at"] for p in fake.posts[first:])
            loaded["lat"].extend(lats)
            loaded["rate"].append(a.loaded / (last - t0))
            loaded["us"].append((c1 - c0) / a.loaded * 1e6)
            loaded["fake_cpu"].append((p1 - p0) / (t1 - t0))
            loaded["mean_ms"].append(statistics.mean(lats) * 1e3)
            time.sleep(0.5)
        out["ok"] = sum(1 for p in fake.posts if p["ok"])
        out["expected"] = n
        out["conns"] = len({c["peer"] for c in fake.api("chat.postMessage")})
        out["dup"] = len(fake.posts) - len({(p["channel"], p["thread_ts"]) for p in fake.posts})

        # Idle CPU, then memory once idle again.
        time.sleep(2)

        t0, c0, s0 = time.monotonic(), bot.cpu_ticks(), task_cpu_ns(bot.pid)
        time.sleep(a.idle)
        t1, c1, s1 = time.monotonic(), bot.cpu_ticks(), task_cpu_ns(bot.pid)
        out["idle_pct"] = 100.0 * (c1 - c0) / hz / (t1 - t0)
        out["idle_sched_pct"] = (100.0 * (s1 - s0) / 1e9 / (t1 - t0)
                                 if s0 is not None and s1 is not None else None)
        after = memstat.snapshot(bot.pid)
        out["after"] = after
        out["peak_mb"] = max(after["peak_rss"], peak.peak())
        out["violations"] = len(fake.violations)
    finally:
        gc.enable()
        gc.unfreeze()
        out["exit_status"] = bot.stop()
        bot.cleanup()
        fake.stop()
    out["load_after"] = os.getloadavg()[0]
    if trace_path is not None:
        trace = replytrace.read(trace_path)
        os.unlink(trace_path)
        for phase, recs in (("one", one_at_a_time), ("loaded", loaded_recs)):
            for ev, sent, seen in recs:
                replytrace.collect(stages[phase], trace, ev, sent, seen)
    return out


def med_range(xs, fmt="%.0f", unit=""):
    if len(xs) == 1:
        return fmt % xs[0] + unit
    unit = unit.replace("%", "%%")
    return (fmt + unit + " (" + fmt + " to " + fmt + ")") % (statistics.median(xs), min(xs),
                                                          max(xs))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", default=os.environ.get("VALUESBOT_BIN", "build/valuesbot"))
    ap.add_argument("--burst", type=int, default=1000, help="mentions per burst")
    ap.add_argument("--bursts", type=int, default=3, help="bursts per round")
    ap.add_argument("--rounds", type=int, default=3, help="fresh bot and fake each")
    ap.add_argument("--samples", type=int, default=300,
                    help="mentions for the latency figures, per round")
    ap.add_argument("--idle", type=float, default=10.0, help="idle seconds for the CPU figure")
    ap.add_argument("--loaded", type=int, default=2000,
                    help="mentions answered under load per round (0: skip)")
    ap.add_argument("--inflight", type=int, default=50,
                    help="mentions outstanding at once under load")
    ap.add_argument("--post-delay", type=float, default=0.0,
                    help="seconds the fake takes to answer a post under load")
    ap.add_argument("--log-level", default="info", help="the bot's VALUESBOT_LOG_LEVEL")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    ap.add_argument("--pin", default="",
                    help="BOT,FAKE: the CPUs of the bot and of this script with its fake")
    ap.add_argument("--nice", type=int, default=0,
                    help="the scheduling priority of the bot, the fake and this script (as "
                         "nice(1); below 0 needs CAP_SYS_NICE): on a machine shared with "
                         "other work, -10 gives them most of their CPUs' time when both run")
    ap.add_argument("--no-trace", dest="trace", action="store_false",
                    help="no VALUESBOT_TRACE (no stage figures)")
    ap.add_argument("--bolt", action="store_true",
                    help="run tests/bench/bolt-app (Slack Bolt on Node) instead of the binary")
    a = ap.parse_args()
    if a.bolt:
        a.trace = False
        a.bin = bolt_label()
    a.pin = [int(x) for x in a.pin.split(",")] if a.pin else None
    if a.pin:
        os.sched_setaffinity(0, {a.pin[1]})
    if a.nice:
        # Before any thread or child: the fake, its loop and the bot inherit it.
        os.setpriority(os.PRIO_PROCESS, 0, a.nice)
    if not a.bolt:
        os.environ["VALUESBOT_BIN"] = os.path.abspath(a.bin)
    import slackbot  # reads VALUESBOT_BIN
    from fake_slack import FakeSlack

    acks, replies, rounds = [], [], []
    slash = {"answered": [], "declined": [], "in_ack": 0}
    loaded = {"lat": [], "rate": [], "us": [], "conns": [], "fake_cpu": [], "mean_ms": []}
    stages = {"one": {}, "loaded": {}}
    for i in range(a.rounds):
        rounds.append(one_round(a, slackbot, FakeSlack, acks, replies, slash, loaded, stages))
        r = rounds[-1]
        print("round %d: replies/s %s, peak %.1f MB, connected %.1f MB, exit %s, "
              "load average %.1f -> %.1f"
              % (i + 1, ", ".join("%.0f" % x for x in r["rates"]), r["peak_mb"],
                 r["connected"]["rss"], r["exit_status"], r["load_before"],
                 r["load_after"]), file=sys.stderr)
    per_round_rate = [statistics.median(r["rates"]) for r in rounds]
    bot_us = [statistics.median(r["bot_us"]) for r in rounds]
    fake_cpu = [statistics.median(r["fake_cpu"]) for r in rounds]
    peaks = [r["peak_mb"] for r in rounds]
    conn = memstat.medians([r["connected"] for r in rounds])
    after = memstat.medians([r["after"] for r in rounds])
    idle = [r["idle_pct"] for r in rounds]
    idle_sched = [r["idle_sched_pct"] for r in rounds if r["idle_sched_pct"] is not None]
    res = {
        "binary": a.bin,
        "rounds": a.rounds, "bursts_per_round": a.bursts, "burst": a.burst,
        "replies_per_s_median": statistics.median(per_round_rate),
        "replies_per_s_rounds": per_round_rate,
        "ack_ms_p50": pct(acks, 50) * 1e3, "ack_ms_p99": pct(acks, 99) * 1e3,
        "reply_ms_p50": pct(replies, 50) * 1e3, "reply_ms_p99": pct(replies, 99) * 1e3,
        "latency_samples": len(acks),
        "slash_ack_ms_p50": pct(slash["answered"], 50) * 1e3,
        "slash_ack_ms_p99": pct(slash["answered"], 99) * 1e3,
        "slash_decline_ack_ms_p50": pct(slash["declined"], 50) * 1e3,
        "slash_decline_ack_ms_p99": pct(slash["declined"], 99) * 1e3,
        "slash_answered_in_ack": slash["in_ack"],
        "slash_samples": len(slash["answered"]) + len(slash["declined"]),
        "bot_cpu_us_per_reply_median": statistics.median(bot_us),
        "bot_cpu_us_per_reply_rounds": bot_us,
        "loaded": a.loaded, "inflight": a.inflight, "log_level": a.log_level,
        "loaded_replies_per_s_rounds": loaded["rate"],
        "loaded_cpu_us_per_reply_rounds": loaded["us"],
        "loaded_post_delay_s": a.post_delay,
        "loaded_http_connections_rounds": loaded["conns"],
        "loaded_reply_ms_p50": pct(loaded["lat"], 50) * 1e3,
        "loaded_reply_ms_p99": pct(loaded["lat"], 99) * 1e3,
        "loaded_little": [replytrace.little(a.inflight, x, us, f, m) for x, us, f, m in
                          zip(loaded["rate"], loaded["us"], loaded["fake_cpu"],
                              loaded["mean_ms"])],
        "fake_cpu_pct_during_bursts_median": statistics.median(fake_cpu),
        "peak_rss_mb_median": statistics.median(peaks), "peak_rss_mb_rounds": peaks,
        "connected_mb": {k: v[0] for k, v in conn.items()},
        "after_bursts_idle_mb": {k: v[0] for k, v in after.items()},
        "connected_libs_mb": rounds[len(rounds) // 2]["connected"]["libs"],
        "after_libs_mb": rounds[len(rounds) // 2]["after"]["libs"],
        "idle_cpu_pct_median": statistics.median(idle),
        "idle_cpu_pct_schedstat_median": statistics.median(idle_sched) if idle_sched else None,
        "idle_seconds": a.idle,
        "posts_ok": sum(r["ok"] for r in rounds),
        "mentions_sent": sum(r["expected"] for r in rounds),
        "duplicate_replies": sum(r["dup"] for r in rounds),
        "http_connections_for_posts": max(r["conns"] for r in rounds),
        "violations": sum(r["violations"] for r in rounds),
        "exit_statuses": [r["exit_status"] for r in rounds],
        "load_average_rounds": [[r["load_before"], r["load_after"]] for r in rounds],
        "pin": a.pin, "nice": a.nice,
        "stages_one_at_a_time_ms": replytrace.summary(stages["one"]),
        "stages_loaded_ms": replytrace.summary(stages["loaded"]),
    }
    if a.json:
        print(json.dumps(res))
        return
    print("%s Slack benchmark (%s, fake server on loopback; median of %d rounds, "
          "range in brackets)" % ("Bolt" if a.bolt else "valuesbot", a.bin, a.rounds))
    print("  replies/s, one mention per channel: %s  (%d bursts of %d per round)"
          % (med_range(per_round_rate), a.bursts, a.burst))
    print("  bot CPU per reply:      %s  (fake's CPU during bursts: %.0f %%)"
          % (med_range(bot_us, "%.0f", " us"), res["fake_cpu_pct_during_bursts_median"]))
    print("  ack latency:            p50 %.3f ms  p99 %.3f ms  (%d samples)"
          % (res["ack_ms_p50"], res["ack_ms_p99"], len(acks)))
    print("  slash ack (answer in it): p50 %.3f ms  p99 %.3f ms; declined (SQLite insert): "
          "p50 %.3f ms  p99 %.3f ms  (%d samples, %d answered in the ack)"
          % (res["slash_ack_ms_p50"], res["slash_ack_ms_p99"], res["slash_decline_ack_ms_p50"],
             res["slash_decline_ack_ms_p99"], res["slash_samples"], res["slash_answered_in_ack"]))
    print("  mention->reply latency: p50 %.3f ms  p99 %.3f ms"
          % (res["reply_ms_p50"], res["reply_ms_p99"]))
    if a.loaded:
        print("  under load (%d mentions, %d in flight, posts answered after %.0f ms): "
              "%s replies/s, CPU per reply %s, mention->reply p50 %.1f ms  p99 %.1f ms, "
              "%s HTTP connections"
              % (a.loaded, a.inflight, a.post_delay * 1e3, med_range(loaded["rate"]),
                 med_range(loaded["us"], "%.0f", " us"), res["loaded_reply_ms_p50"],
                 res["loaded_reply_ms_p99"], med_range(loaded["conns"])))
    for lt in res["loaded_little"]:
        print("  " + replytrace.little_line(a.inflight, lt, "the fake and this script"))
    print("  peak RSS during bursts: %s" % med_range(peaks, "%.1f", " MB"))
    print("  connected, idle:        %s" % memstat.split_line(conn))
    print("  after bursts, idle:     %s" % memstat.split_line(after))
    print("  largest library files (connected): %s" % ", ".join(
        "%s %.2f" % kv for kv in res["connected_libs_mb"].items()))
    print("  largest library files (after bursts): %s" % ", ".join("%s %.2f" % kv for kv in res["after_libs_mb"].items()))
    print("  idle CPU over %.0f s:     %s (stat ticks)%s"
          % (a.idle, med_range(idle, "%.3f", " %"),
             "" if not idle_sched else ", %s (schedstat)" % med_range(idle_sched, "%.4f", " %")))
    print("  replies ok %d of %d, duplicates %d, protocol violations %d, exit statuses %s, "
          "HTTP connections used for posts %d"
          % (res["posts_ok"], res["mentions_sent"], res["duplicate_replies"],
             res["violations"], res["exit_statuses"], res["http_connections_for_posts"]))
    print("  load average over the rounds: %s; bot and bench %s"
          % (", ".join("%.1f-%.1f" % tuple(x) for x in res["load_average_rounds"]),
             ("on CPUs %d and %d" % tuple(a.pin) if a.pin else "not pinned")
             + (", nice %d" % a.nice if a.nice else "")))
    if stages["one"]:
        print("\n".join(replytrace.table(stages["one"], "stages, one mention at a time")))
    if stages["loaded"]:
        print("\n".join(replytrace.table(
            stages["loaded"], "stages, %d in flight" % a.inflight)))


if __name__ == "__main__":
    main()
