#!/usr/bin/env python3
"""bench_mattermost.py - valuesbot on Mattermost: replies per second, post ->
reply latency, peak memory, idle CPU.  The figures of the README table (the
same four as for Slack).

    python3 tests/bench/bench_mattermost.py [--bin build/valuesbot] [--rounds 3]
        [--posts 1000] [--channels 100] [--rate 100] [--latency-posts 300]
        [--idle-secs 10] [--tls] [--json]
    python3 tests/bench/bench_mattermost.py --calibrate   # the fake's own ceiling

--post-delay S makes the fake take S seconds to answer each post (a real
server's response time): replies per second then show how many posts the bot
keeps in flight.

--tls serves https and wss on localhost with a throwaway CA (the bot trusts
it through MATTERMOST_CA_FILE and resolves the name): closer to a real
server, since TLS sessions and name lookups cost memory of their own.

Each round starts the fake Mattermost server (tests/fakes/fake_mattermost.py)
and `valuesbot run` on 127.0.0.1, then measures:
  throughput  --posts mentions injected at once, one per channel (or spread
              over --channels channels); answered posts / (last reply - first
              post), in posts/s; with the bot's CPU time per reply and the
              fake's CPU use meanwhile (near 100 %: the fake is the limit)
  latency     --latency-posts mentions at --rate per second (open loop, below
              saturation); p50 and p99 of reply read - post injected, both
              stamped by the fake's clock (the reply when its request came off
              the socket, before the fake's own queued work), so they include
              the websocket delivery, the answer and the REST round trip; the
              fake's Python collector is off while it is timed
  one at a time  --one mentions, each injected 2 ms after the bot answered
              the one before (a closed loop of one): p50 and p99 as above
  in flight   --loaded mentions (one channel each), --inflight of them kept
              unanswered at once (the fake injects the next as the bot
              creates a post): replies/s, p50 and p99 as above, CPU per reply
  stages      where a reply's time goes in those two (tests/bench/replytrace.py,
              from the bot's VALUESBOT_TRACE): "in_process" (frame received ->
              post written) is the bot's own time, "to_wire" (the fake wrote
              the mention -> the bot wrote the post) the latency less the
              fake's own reading; --no-trace leaves it off
  memory      once connected and idle (before any post), and the peak during
              the round: RSS, and its split into the bot's own (anonymous)
              memory and shared-library file pages, from /proc/PID/status and
              smaps (see memstat.py).  The peak is the larger of VmHWM and RSS
              sampled while the load is answered (the kernel updates VmHWM
              lazily).  RSS once idle again after the load is given as well.
  idle CPU    the bot's user+system CPU over --idle-secs with no traffic, as a
              percentage of one core
and prints the median of the rounds (memory: with the range).  The fake is Python: --calibrate runs the
same throughput load against a trivial Python client that answers each post at
once, which gives the ceiling the fake itself imposes; a bot figure near it
means the fake, not the bot, is the limit.

Skips (exit 0) when `valuesbot version` does not list mattermost.  Nothing here
is a pass/fail test.
"""

import argparse
import asyncio
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "fakes"))
import fake_mattermost  # noqa: E402
import wsproto  # noqa: E402
sys.path.insert(0, HERE)
import memstat  # noqa: E402
import replytrace  # noqa: E402
from memstat import percentile  # noqa: E402

TOKEN = "benchTOKEN" + "abcdefghijkmnpqrstuvwxyz12"
QUESTIONS = ["what are our values?", "what are our goals?", "what is our mission?",
             "what is goal 2?", "what does respect mean?", "what is our vision?"]


def proc_status(pid, key):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])  # kB
    return 0


def proc_cpu_ticks(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime (fields 14, 15)


def wait(pred, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        v = pred()
        if v:
            return v
        time.sleep(0.1)
    raise TimeoutError(what)


class Round:
    def __init__(self, args, client):
        self.args = args
        self.client = client  # "bot" or "calibrate"
        self.tmp = tempfile.mkdtemp(prefix="bench-mm-")
        self.pki = None
        fake_args = ["--token", TOKEN]
        if args.tls and client == "bot":
            self.pki = fake_mattermost.make_test_ca(self.tmp)
            if self.pki is None:
                raise RuntimeError("--tls needs the openssl command")
            fake_args += ["--url-host", "localhost", "--tls-cert", self.pki["cert"],
                          "--tls-key", self.pki["key"]]
        self.fake, self.info, self.ctl = fake_mattermost.start_process(
            *fake_args, ca=self.pki["ca"] if self.pki else None)
        if args.pin:
            os.sched_setaffinity(self.fake.pid, {args.pin[1]})
        self.proc = None
        self.task = None
        self.peak = None  # memstat.PeakRss of the bot, once started
        self.trace_path = None
        self.phases = {}  # phase -> stats with detail, for the trace
        self.stages = {}  # phase -> {stage: [ms]}

    def start_client(self):
        if self.client == "bot":
            # The configuration we ship (systemd unit, image) sets no
            # SSL_CERT_FILE: a shell that points it at the system bundle
            # makes every TLS context parse all of it (0.8 MB more).
            env = {k: v for k, v in os.environ.items()
                   if not k.startswith(("SLACK_", "MATTERMOST_", "VALUESBOT_"))
                   and k not in ("SSL_CERT_FILE", "SSL_CERT_DIR")}
            env.update({"MATTERMOST_URL": self.info["url"], "MATTERMOST_TOKEN": TOKEN,
                        "VALUESBOT_ORG": "tewv",
                        "VALUESBOT_KB": os.path.join(ROOT, "knowledge"),
                        "VALUESBOT_LOG_LEVEL": "warn",
                        "VALUESBOT_DB": os.path.join(self.tmp, "valuesbot.db"),
                        "VALUESBOT_HTTP": "127.0.0.1:0"})
            if self.pki is not None:
                env["MATTERMOST_CA_FILE"] = self.pki["ca"]
            if self.args.trace:
                self.trace_path = os.path.join(self.tmp, "trace.txt")
                env["VALUESBOT_TRACE"] = self.trace_path
            self.log = open(os.path.join(self.tmp, "bot.log"), "wb")
            self.proc = subprocess.Popen([self.args.bin, "run"], stdout=self.log,
                                         stderr=subprocess.STDOUT, cwd=self.tmp, env=env)
            if self.args.pin:
                os.sched_setaffinity(self.proc.pid, {self.args.pin[0]})
            self.peak = memstat.PeakRss(self.proc.pid)
        else:
            self.proc = subprocess.Popen([sys.executable, os.path.abspath(__file__),
                                          "--trivial-client", self.info["url"]])
        wait(lambda: any(c["active"] and c["hellos"] for c in self.ctl.state()["connections"]),
             60, "the client's websocket connection")
        if self.args.post_delay:
            self.ctl.call("config", {"post_delay": self.args.post_delay})

    def load(self, count, rate, channels, inflight=0, gap=0.0, phase=None):
        since = self.ctl.call("stats")["now"]
        p0 = self.ctl.call("progress")
        self.ctl.call("load", {"count": count, "channels": channels, "rate": rate,
                               "message": "@{bot} " + QUESTIONS[count % len(QUESTIONS)],
                               "inflight": inflight, "gap": gap})
        def done():
            # Polled cheaply: stats walks every post on the fake's loop, which
            # delayed the very frames and posts being timed.
            p = self.ctl.call("progress")
            if self.proc.poll() is not None:
                raise RuntimeError("the client exited (%s)" % self.proc.returncode)
            return (p["injected"] - p0["injected"] >= count
                    and p["bot_posts"] - p0["bot_posts"] >= count)

        if self.peak is not None:
            self.peak.wait(done, self.args.timeout, 0.02)
        else:
            deadline = time.monotonic() + self.args.timeout
            while not done() and time.monotonic() < deadline:
                time.sleep(0.02)
        s = self.ctl.call("stats", {"since": since, "detail": phase is not None})
        if phase is not None:
            self.phases[phase] = s
        return s

    def run(self):
        a = self.args
        out = {}
        self.start_client()
        time.sleep(1.0)  # let the connection settle
        if self.client == "bot":
            out["connected"] = memstat.snapshot(self.proc.pid)
        out["rss_connected_mb"] = proc_status(self.proc.pid, "VmRSS") / 1024.0
        # No Python collection in the fake while it is timed: a full one walks
        # every post it keeps (tens of ms, with the frames and posts being
        # timed waiting); what is live now is frozen out of its sight.
        self.ctl.call("gc", {"off": True})
        self.load(20, 1000, 20)  # warm-up
        tick = os.sysconf("SC_CLK_TCK")
        t0, b0, f0 = time.monotonic(), proc_cpu_ticks(self.proc.pid), proc_cpu_ticks(self.fake.pid)
        s = self.load(a.posts, 1e9, a.channels or a.posts)
        t1, b1, f1 = time.monotonic(), proc_cpu_ticks(self.proc.pid), proc_cpu_ticks(self.fake.pid)
        span = (s["last_reply"] or 0) - (s["first_injected"] or 0)
        out["throughput"] = s["answered"] / span if span > 0 else float("nan")
        out["cpu_us_per_reply"] = 1e6 * (b1 - b0) / tick / max(1, s["answered"])
        out["fake_cpu_pct"] = 100.0 * (f1 - f0) / tick / (t1 - t0)
        out["answered"] = "%d/%d" % (s["answered"], s["injected"])
        out["duplicates"] = s["duplicates"]
        s = self.load(a.latency_posts, a.rate, a.channels or a.latency_posts)
        out["p50_ms"] = percentile(s["latencies"], 50) * 1000
        out["p99_ms"] = percentile(s["latencies"], 99) * 1000
        out["duplicates"] += s["duplicates"]
        if a.one:
            s = self.load(a.one, 1.0, a.one, inflight=1, gap=0.002, phase="one")
            out["one_lat"] = s["latencies"]
            out["duplicates"] += s["duplicates"]
        if a.loaded:
            b0, f0 = proc_cpu_ticks(self.proc.pid), proc_cpu_ticks(self.fake.pid)
            t0 = time.monotonic()
            s = self.load(a.loaded, 1.0, a.loaded, inflight=a.inflight, phase="loaded")
            b1, f1 = proc_cpu_ticks(self.proc.pid), proc_cpu_ticks(self.fake.pid)
            t1 = time.monotonic()
            span = (s["last_reply"] or 0) - (s["first_injected"] or 0)
            out["loaded_lat"] = s["latencies"]
            out["loaded_rate"] = s["answered"] / span if span > 0 else float("nan")
            out["loaded_us"] = 1e6 * (b1 - b0) / tick / max(1, s["answered"])
            out["loaded_little"] = replytrace.little(
                a.inflight, out["loaded_rate"], out["loaded_us"],
                (f1 - f0) / tick / (t1 - t0), statistics.mean(s["latencies"]) * 1e3)
            out["duplicates"] += s["duplicates"]
        out["peak_rss_mb"] = (self.peak.peak() if self.peak is not None
                              else proc_status(self.proc.pid, "VmHWM") / 1024.0)
        time.sleep(2)
        t0, c0 = time.monotonic(), proc_cpu_ticks(self.proc.pid)
        time.sleep(a.idle_secs)
        t1, c1 = time.monotonic(), proc_cpu_ticks(self.proc.pid)
        out["idle_cpu_pct"] = 100.0 * (c1 - c0) / os.sysconf("SC_CLK_TCK") / (t1 - t0)
        if self.client == "bot":
            out["after"] = memstat.snapshot(self.proc.pid)
            out["peak_rss_mb"] = max(out["peak_rss_mb"], out["after"]["peak_rss"])
        return out

    def close(self):
        for p in (self.proc,):
            if p is not None and p.poll() is None:
                p.send_signal(signal.SIGTERM)
                try:
                    p.wait(15)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()
        if self.client == "bot" and self.proc is not None:
            self.log.close()
        fake_mattermost.stop_process(self.fake)
        if self.trace_path is not None:
            trace = replytrace.read(self.trace_path)
            for phase, st in self.phases.items():
                acc = self.stages.setdefault(phase, {})
                for pid, t_inj, t_rep in st.get("pairs", []):
                    replytrace.collect(acc, trace, "mm:" + pid, st["t0"] + t_inj,
                                       st["t0"] + t_rep)


async def trivial_client(url):
    """Answers every post that is not its own at once (calibration only)."""
    u = urllib.parse.urlsplit(url)
    auth = {"Authorization": "Bearer " + TOKEN}
    r, w = await asyncio.open_connection(u.hostname, u.port)
    w.write(("GET /api/v4/users/me HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n\r\n"
             % TOKEN).encode())
    head = await r.readuntil(b"\r\n\r\n")
    n = int(re.search(rb"(?i)content-length: (\d+)", head).group(1))
    me = json.loads(await r.readexactly(n))
    lock = asyncio.Lock()
    _, _, ws = await wsproto.ws_connect(u.hostname, u.port, "/api/v4/websocket", auth)

    async def post(p):
        body = json.dumps({"channel_id": p["channel_id"], "message": "ok",
                           "root_id": p["root_id"] or p["id"]}).encode()
        async with lock:
            w.write(("POST /api/v4/posts HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
                     "Content-Type: application/json\r\nContent-Length: %d\r\n\r\n"
                     % (TOKEN, len(body))).encode() + body)
            head = await r.readuntil(b"\r\n\r\n")
            m = re.search(rb"(?i)content-length: (\d+)", head)
            await r.readexactly(int(m.group(1)) if m else 0)

    while True:
        op, data = await ws.recv()
        ev = json.loads(data)
        if ev.get("event") == "posted":
            p = json.loads(ev["data"]["post"])
            if p["user_id"] != me["id"]:
                asyncio.ensure_future(post(p))


def main():
    ap = argparse.ArgumentParser(description="valuesbot Mattermost benchmark")
    ap.add_argument("--bin", default=os.environ.get("VALUESBOT_BIN",
                                                    os.path.join(ROOT, "build", "valuesbot")))
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--posts", type=int, default=1000)
    ap.add_argument("--channels", type=int, default=0, help="0: one channel per post")
    ap.add_argument("--rate", type=float, default=50.0)
    ap.add_argument("--latency-posts", type=int, default=300)
    ap.add_argument("--idle-secs", type=float, default=10.0)
    ap.add_argument("--timeout", type=float, default=300.0)
    ap.add_argument("--post-delay", type=float, default=0.0,
                    help="seconds the fake takes to answer each post")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--calibrate", action="store_true")
    ap.add_argument("--tls", action="store_true",
                    help="https and wss to localhost, with a throwaway CA (MATTERMOST_CA_FILE)")
    ap.add_argument("--one", type=int, default=200,
                    help="mentions answered one at a time (0: skip)")
    ap.add_argument("--loaded", type=int, default=2000,
                    help="mentions answered with --inflight unanswered at once (0: skip)")
    ap.add_argument("--inflight", type=int, default=50)
    ap.add_argument("--pin", default="",
                    help="BOT,FAKE: the CPUs of the bot and of the fake with this script")
    ap.add_argument("--nice", type=int, default=0,
                    help="the scheduling priority of the bot, the fake and this script (as "
                         "nice(1); below 0 needs CAP_SYS_NICE): on a machine shared with "
                         "other work, -10 gives them most of their CPUs' time when both run")
    ap.add_argument("--no-trace", dest="trace", action="store_false",
                    help="no VALUESBOT_TRACE (no stage figures)")
    ap.add_argument("--trivial-client", metavar="URL", help=argparse.SUPPRESS)
    a = ap.parse_args()
    a.pin = [int(x) for x in a.pin.split(",")] if a.pin else None
    if a.nice:
        # Before any thread or child: the fake, its loop and the bot inherit it.
        os.setpriority(os.PRIO_PROCESS, 0, a.nice)
    a.bin = os.path.abspath(a.bin)  # the bot runs in its own directory
    if a.pin:
        os.sched_setaffinity(0, {a.pin[1]})
    if a.trivial_client:
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        asyncio.run(trivial_client(a.trivial_client))
        return 0
    client = "calibrate" if a.calibrate else "bot"
    if client == "bot":
        try:
            v = subprocess.run([a.bin, "version"], capture_output=True, text=True,
                               timeout=20).stdout
        except OSError as e:
            print("bench_mattermost: skipped: %s: %s" % (a.bin, e))
            return 0
        if not re.search(r"(?i)\bmattermost\b", v):
            print("bench_mattermost: skipped: %s version does not list mattermost" % a.bin)
            return 0
    results = []
    stages = {}
    loads = []
    for i in range(a.rounds):
        rnd = Round(a, client)
        load0 = os.getloadavg()[0]
        try:
            results.append(rnd.run())
        finally:
            rnd.close()
        loads.append([load0, os.getloadavg()[0]])
        for phase, acc in rnd.stages.items():
            for k, xs in acc.items():
                stages.setdefault(phase, {}).setdefault(k, []).extend(xs)
        brief = {k: v for k, v in results[-1].items() if not k.endswith("_lat")}
        print("round %d (load average %.1f -> %.1f): %s"
              % (i + 1, loads[-1][0], loads[-1][1], json.dumps(brief)), file=sys.stderr)
    med = {k: statistics.median(r[k] for r in results)
           for k in ("throughput", "p50_ms", "p99_ms", "peak_rss_mb", "idle_cpu_pct",
                     "cpu_us_per_reply", "fake_cpu_pct", "rss_connected_mb")}
    med["duplicates"] = sum(r["duplicates"] for r in results)
    med["answered"] = [r["answered"] for r in results]
    med["rounds"] = a.rounds
    med["client"] = client
    med["peak_rss_mb_rounds"] = [r["peak_rss_mb"] for r in results]
    for k in ("throughput", "cpu_us_per_reply", "p50_ms", "p99_ms"):
        med[k + "_rounds"] = [r[k] for r in results]
    med["post_delay_s"] = a.post_delay
    med["load_average_rounds"] = loads
    med["pin"] = a.pin
    med["nice"] = a.nice
    one = [x for r in results for x in r.get("one_lat", [])]
    loaded = [x for r in results for x in r.get("loaded_lat", [])]
    if one:
        med["one_p50_ms"] = percentile(one, 50) * 1000
        med["one_p99_ms"] = percentile(one, 99) * 1000
    if loaded:
        med["loaded_p50_ms"] = percentile(loaded, 50) * 1000
        med["loaded_p99_ms"] = percentile(loaded, 99) * 1000
        med["loaded_rate_rounds"] = [r["loaded_rate"] for r in results]
        med["loaded_us_rounds"] = [r["loaded_us"] for r in results]
        med["loaded_little"] = [r["loaded_little"] for r in results]
    med["stages_ms"] = {ph: replytrace.summary(acc) for ph, acc in stages.items()}
    if client == "bot":
        conn = memstat.medians([r["connected"] for r in results])
        after = memstat.medians([r["after"] for r in results])
        med["connected_mb"] = {k: v[0] for k, v in conn.items()}
        med["after_load_idle_mb"] = {k: v[0] for k, v in after.items()}
        med["connected_libs_mb"] = results[len(results) // 2]["connected"]["libs"]
    if a.json:
        print(json.dumps(med))
    else:
        print("| platform | replies/s | latency p50 | latency p99 | peak RSS | idle CPU |")
        print("| --- | --- | --- | --- | --- | --- |")
        print("| Mattermost%s | %.0f | %.1f ms | %.1f ms | %.1f MB | %.2f %% |" % (
            " (fake ceiling)" if a.calibrate else " (TLS)" if a.tls else "", med["throughput"], med["p50_ms"],
            med["p99_ms"], med["peak_rss_mb"], med["idle_cpu_pct"]))
        print("(median of %d rounds; %d posts, %s; latency at %.0f posts/s; bot CPU %.0f us "
              "per reply; fake CPU %.0f %% during the burst; RSS once connected %.1f MB; "
              "duplicates: %d; answered: %s)" % (
                  a.rounds, a.posts,
                  "%d channels" % a.channels if a.channels else "one channel each",
                  a.rate, med["cpu_us_per_reply"], med["fake_cpu_pct"],
                  med["rss_connected_mb"], med["duplicates"], ", ".join(med["answered"])))
        print("ranges over rounds: replies/s %s; CPU per reply %s us; p50 %s ms; p99 %s ms%s" % (tuple(
            " to ".join("%.1f" % f(med[k + "_rounds"]) for f in (min, max))
            for k in ("throughput", "cpu_us_per_reply", "p50_ms", "p99_ms")) + (
            "; the fake answered each post after %.0f ms" % (a.post_delay * 1e3)
            if a.post_delay else "",)))
        peaks = med["peak_rss_mb_rounds"]
        print("peak RSS: median %.1f MB (%.1f to %.1f)" % (med["peak_rss_mb"], min(peaks),
                                                          max(peaks)))
        if one:
            print("one at a time (%d mentions, pooled over rounds): p50 %.2f ms  p99 %.2f ms"
                  % (len(one), med["one_p50_ms"], med["one_p99_ms"]))
        if loaded:
            print("%d in flight (%d mentions a round): replies/s %s, CPU per reply %s us, "
                  "p50 %.1f ms  p99 %.1f ms"
                  % (a.inflight, a.loaded,
                     " to ".join("%.0f" % f(med["loaded_rate_rounds"]) for f in (min, max)),
                     " to ".join("%.0f" % f(med["loaded_us_rounds"]) for f in (min, max)),
                     med["loaded_p50_ms"], med["loaded_p99_ms"]))
            for lt in med["loaded_little"]:
                print(replytrace.little_line(a.inflight, lt, "the fake"))
        print("load average over the rounds: %s; bot and fake %s"
              % (", ".join("%.1f-%.1f" % tuple(x) for x in loads),
                 ("on CPUs %d and %d" % tuple(a.pin) if a.pin else "not pinned")
                 + (", nice %d" % a.nice if a.nice else "")))
        for phase, title in (("one", "stages, one at a time"),
                             ("loaded", "stages, %d in flight" % a.inflight)):
            if stages.get(phase):
                print("\n".join(replytrace.table(stages[phase], title)))
        if client == "bot":
            print("connected, idle:  " + memstat.split_line(conn))
            print("after load, idle: " + memstat.split_line(after))
            print("largest library files (connected): " + ", ".join(
                "%s %.2f" % kv for kv in med["connected_libs_mb"].items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
