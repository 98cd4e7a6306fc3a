#!/usr/bin/env python3
"""callgrind_replies.py - where the bot's instructions go, per reply.

Runs `valuesbot-net run` under `valgrind --tool=callgrind` against a fake
(tests/fakes/fake_slack.py or fake_mattermost.py) on loopback, lets it
connect and answer a warm-up, zeroes the counts (callgrind_control -z),
has it answer --replies mentions (one channel each) with --inflight of them
unanswered at once, dumps the counts (callgrind_control -d) and prints the
instructions per reply: in all, by library (the object file an instruction
is in) and, inside valuesbot, by folder, plus the inclusive counts of a few
entry points (curl's request, the answer engine, the frame reader).

Instruction counts (user space only) do not depend on the machine's load,
so two builds can be compared on a shared machine; the kernel's share
(system calls, loopback TCP) is not in them.

    python3 tests/bench/callgrind_replies.py --platform slack|mattermost
        [--bin build/valuesbot] [--replies 500] [--inflight 20] [--json]
        [--keep FILE]   # keep the callgrind output (for callgrind_annotate)
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))
sys.path.insert(0, os.path.join(ROOT, "tests", "fakes"))

MM_TOKEN = "benchTOKEN" + "abcdefghijkmnpqrstuvwxyz12"

# Inclusive counts worth a line: (label, function name as callgrind has it).
ENTRY_POINTS = (
    ("curl: a request's socket events", "curl_multi_socket_action"),
    ("curl: a request added", "curl_multi_add_handle"),
    ("curl: a request removed", "curl_multi_remove_handle"),
    ("the core: event in, reply out", "bot_deliver"),
    ("libwebsockets: frames read", "lws_service_fd_tsi"),
    ("malloc and free", "malloc"),
)


def _name(table, rest):
    """Resolves callgrind's name compression: '(id) name' or '(id)'."""
    m = re.match(r"\((\d+)\)(?: (.*))?$", rest)
    if not m:
        return rest
    if m.group(2) is not None:
        table[m.group(1)] = m.group(2)
    return table.get(m.group(1), rest)


def parse(path, arcs=None):
    """Self and inclusive Ir per function: {(object, file, fn): [self, incl]}; with
    @arcs (a dict), also each call's inclusive Ir: {(caller, callee): Ir}."""
    obs, fls, fns = {}, {}, {}
    cost = {}
    ob = fl = fn = None
    cob = cfl = cfn = None
    in_call = False
    key = None
    with open(path) as f:
        for line in f:
            if not line or line[0] == "#":
                continue
            c = line[0]
            if c.isdigit() or c in "+-*":
                parts = line.split()
                if len(parts) < 2:
                    continue
                ir = int(parts[1])
                ent = cost.setdefault(key, [0, 0])
                if in_call:
                    if cfn != key[2]:  # a call to itself is already in its self cost
                        ent[1] += ir
                        if arcs is not None:
                            callee = (cob or ob, cfl or fl, cfn)
                            arcs[(key, callee)] = arcs.get((key, callee), 0) + ir
                    in_call = False
                    cob = cfl = None  # the callee's object and file name the next call
                else:
                    ent[0] += ir
                    ent[1] += ir
                continue
            k, _, rest = line.rstrip("\n").partition("=")
            if k == "ob":
                ob = _name(obs, rest)
            elif k == "fl":
                fl = _name(fls, rest)
            elif k in ("fi", "fe"):
                _name(fls, rest)
            elif k == "fn":
                fn = _name(fns, rest)
                key = (ob, fl, fn)
            elif k == "cob":
                cob = _name(obs, rest)
            elif k in ("cfi", "cfl"):
                cfl = _name(fls, rest)
            elif k == "cfn":
                cfn = _name(fns, rest)
            elif k == "calls":
                in_call = True
    return cost


def group_of(ob, fl):
    """A short name for where an instruction is: a library, or valuesbot's folder."""
    base = os.path.basename(ob or "?")
    if base.startswith("valuesbot"):
        m = re.search(r"bot/([a-z]+)/", fl or "")
        return "valuesbot " + (m.group(1) + "/" if m else "(other)")
    m = re.match(r"(lib[a-zA-Z0-9_+]+?|ld-linux[^.]*)[-.]", base)
    name = m.group(1) if m else base
    return {"libc": "libc (malloc, strings, system-call wrappers)"}.get(name, name)


# Where a reply's instructions go, by part of the work.  A function of one
# of these files is that part's; libc's allocator is "malloc/free"; any other
# function (libc's strings and formatting, buffers, xmalloc, jansson) is
# shared out among the parts of its callers, by what each call cost.
PARTS = (
    ("parse", "frames in: websocket frame, UTF-8 check, JSON, the event",
     ("bot/net/wsframe.c", "bot/net/ws_io.c", "bot/net/ws.c", "bot/adapters/jsonpick",
      "bot/adapters/adapter.c", "_parse.c", "_glance.c", "_posted.c")),
    ("engine", "bot/kb/: the question read, the answer found",
     ("bot/kb/",)),
    ("core", "bot/core/, bot/chat/: dispatch, conversation, the reply composed",
     ("bot/core/", "bot/chat/")),
    ("render", "the reply as Markdown or Block Kit, cut into posts, as JSON",
     ("_format.c", "bot/adapters/jsonw.c")),
    ("HTTP post", "outbox, request written, answer read; the event loop",
     ("bot/net/", "bot/adapters/outbox.c", "_reply.c", "_conn.c", "libuv",
      "libwebsockets")),
    ("logging", "log lines (at info, one per reply)",
     ("bot/base/log.c",)),
    ("malloc/free", "libc's allocator, called from every part",
     ()),
)
SHARED = ("bot/base/buf.c", "bot/base/xmalloc.c", "bot/base/fmt.c", "bot/base/utf8.c",
          "bot/base/clock.c", "libjansson")


def part_of(ob, fl):
    """The part (PARTS) of a function by its object and file, None for one shared
    by its callers, "other" if none."""
    base = os.path.basename(ob or "?")
    if base.startswith("libc"):
        return "malloc/free" if "malloc/" in (fl or "") else None
    where = (fl or "") if base.startswith("valuesbot") else base
    if any(p in where for p in SHARED):
        return None
    for name, _, pats in PARTS:
        if any(p in where for p in pats):
            return name
    return "other"


def by_part(cost, arcs):
    """Self Ir per part: a shared function's shared out by its callers' parts."""
    callers = {}
    for (src, dst), ir in arcs.items():
        if src != dst:
            callers.setdefault(dst, []).append((src, ir))
    memo = {}

    def dist(fn, depth=0):
        if fn in memo:
            return memo[fn]
        p = part_of(fn[0], fn[1])
        if p is not None or depth > 30:
            d = {p or "other": 1.0}
        else:
            memo[fn] = {"other": 1.0}  # a cycle reads as other
            d, total = {}, 0.0
            for src, ir in callers.get(fn, ()):
                for q, w in dist(src, depth + 1).items():
                    d[q] = d.get(q, 0.0) + w * ir
                total += ir
            d = {q: w / total for q, w in d.items()} if total else {"other": 1.0}
        memo[fn] = d
        return d

    parts = {}
    for fn, (s, _) in cost.items():
        for q, w in dist(fn).items():
            parts[q] = parts.get(q, 0) + s * w
    return parts


def summarise(cost, replies, arcs=None):
    total = sum(v[0] for v in cost.values())
    groups = {}
    for (ob, fl, _), (s, _) in cost.items():
        g = group_of(ob, fl)
        groups[g] = groups.get(g, 0) + s
    incl = {}
    for (_, _, fn), (_, i) in cost.items():
        for label, want in ENTRY_POINTS:
            if fn == want:
                incl[label] = incl.get(label, 0) + i
    parts = by_part(cost, arcs) if arcs is not None else {}
    top = sorted(((s, fn) for (_, _, fn), (s, _) in cost.items()), reverse=True)[:25]
    per = lambda x: x / replies  # noqa: E731
    return {
        "replies": replies,
        "ir_per_reply": per(total),
        "by_library": {g: per(s) for g, s in sorted(groups.items(), key=lambda kv: -kv[1])},
        "inclusive": {k: per(v) for k, v in incl.items()},
        "parts": {g: per(parts.get(g, 0)) for g in [p[0] for p in PARTS] + ["other"]},
        "top_functions": [[fn, per(s)] for s, fn in top],
    }


def callgrind_control(flag, pid):
    subprocess.run(["callgrind_control", flag, str(pid)], check=True, capture_output=True,
                   timeout=120)


def wrapper(tmp, real, out):
    path = os.path.join(tmp, "valuesbot-callgrind")
    with open(path, "w") as f:
        f.write("#!/bin/sh\nexec valgrind --tool=callgrind --callgrind-out-file=%s %s \"$@\"\n"
                % (out, real))
    os.chmod(path, 0o755)
    return path


def wait_for(pred, timeout, interval=0.01):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pred():
            return True
        time.sleep(interval)
    return False


def run_slack(a, binpath, tmp):
    import slackbot
    from fake_slack import FakeSlack

    slackbot.BIN = binpath
    fake = FakeSlack(echo_own_dm=False).start()
    bot = slackbot.Bot(fake, log_level=a.log_level).start()
    n = [0]

    def mentions(k):
        res = []
        for _ in range(k):
            n[0] += 1
            res.append({"type": "app_mention", "channel": "C%08d" % n[0],
                        "text": "<@%s> what are our values?" % fake.bot_user_id})
        return res

    try:
        if not fake.wait_for(lambda: fake.ready_connections() and fake.api("auth.test"), 120):
            sys.exit("callgrind_replies: the bot did not connect:\n" + bot.log()[-2000:])
        time.sleep(2.0)
        fake.send_batch(mentions(a.warmup))
        if not wait_for(lambda: len(fake.posts) >= a.warmup, 120):
            sys.exit("callgrind_replies: no replies to the warm-up")
        time.sleep(1.0)
        callgrind_control("-z", bot.pid)
        first, sent = len(fake.posts), 0
        while sent < a.replies:
            room = min(a.inflight - (sent - (len(fake.posts) - first)), a.replies - sent)
            if room > 0:
                fake.send_batch(mentions(room))
                sent += room
            else:
                time.sleep(0.001)
        if not wait_for(lambda: len(fake.posts) - first >= a.replies, 300):
            sys.exit("callgrind_replies: not every mention was answered")
        time.sleep(0.5)
        callgrind_control("-d", bot.pid)
        dup = len(fake.posts) - len({(p["channel"], p["thread_ts"]) for p in fake.posts})
    finally:
        bot.stop(60)
        bot.cleanup()
        fake.stop()
    return len(fake.posts) - first, dup


def run_mattermost(a, binpath, tmp):
    import fake_mattermost

    fake, info, ctl = fake_mattermost.start_process("--token", MM_TOKEN)
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SLACK_", "MATTERMOST_", "VALUESBOT_"))
           and k not in ("SSL_CERT_FILE", "SSL_CERT_DIR")}
    env.update({"MATTERMOST_URL": info["url"], "MATTERMOST_TOKEN": MM_TOKEN,
                "VALUESBOT_ORG": "tewv", "VALUESBOT_KB": os.path.join(ROOT, "knowledge"),
                "VALUESBOT_LOG_LEVEL": a.log_level,
                "VALUESBOT_DB": os.path.join(tmp, "valuesbot.db"),
                "VALUESBOT_HTTP": "127.0.0.1:0"})
    log = open(os.path.join(tmp, "bot.log"), "wb")
    proc = subprocess.Popen([binpath, "run"], stdout=log, stderr=subprocess.STDOUT, cwd=tmp,
                            env=env)

    def posts():
        return ctl.call("progress")["bot_posts"]

    try:
        if not wait_for(lambda: any(c["active"] and c["hellos"]
                                    for c in ctl.state()["connections"]), 120, 0.2):
            sys.exit("callgrind_replies: the bot did not connect")
        time.sleep(2.0)
        ctl.call("load", {"count": a.warmup, "channels": a.warmup, "rate": 1e9})
        if not wait_for(lambda: posts() >= a.warmup, 120, 0.05):
            sys.exit("callgrind_replies: no replies to the warm-up")
        time.sleep(1.0)
        callgrind_control("-z", proc.pid)
        first = posts()
        ctl.call("load", {"count": a.replies, "channels": a.replies, "rate": 1.0,
                          "inflight": a.inflight})
        if not wait_for(lambda: posts() - first >= a.replies, 300, 0.05):
            sys.exit("callgrind_replies: not every mention was answered")
        time.sleep(0.5)
        callgrind_control("-d", proc.pid)
        got = posts() - first
        dup = ctl.call("stats")["duplicates"]
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(60)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        log.close()
        fake_mattermost.stop_process(fake)
    return got, dup


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--platform", choices=("slack", "mattermost"), default="slack")
    ap.add_argument("--bin", default=os.path.join(ROOT, "build", "valuesbot"),
                    help="valuesbot; valuesbot-net beside it is the one run")
    ap.add_argument("--replies", type=int, default=500)
    ap.add_argument("--inflight", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=50)
    ap.add_argument("--log-level", default="info")
    ap.add_argument("--keep", help="copy the callgrind output here")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--from", dest="src", metavar="FILE",
                    help="summarise FILE (a --keep of before) instead of running; "
                    "--replies must be what it was run with")
    a = ap.parse_args()
    if a.src:
        arcs = {}
        res = summarise(parse(a.src, arcs), a.replies, arcs)
        res.update({"platform": a.platform, "binary": a.src})
        report(a, res, a.replies, None)
        return
    real = os.path.abspath(a.bin)
    if not real.endswith("-net"):
        real += "-net"
    if not os.path.exists(real):
        sys.exit("callgrind_replies: no %s" % real)
    tmp = tempfile.mkdtemp(prefix="callgrind-replies-")
    out = os.path.join(tmp, "callgrind.out")
    try:
        binpath = wrapper(tmp, real, out)
        run = run_slack if a.platform == "slack" else run_mattermost
        replies, dup = run(a, binpath, tmp)
        dumps = sorted(f for f in os.listdir(tmp) if f.startswith("callgrind.out."))
        if not dumps:
            sys.exit("callgrind_replies: callgrind wrote no dump")
        path = os.path.join(tmp, dumps[0])
        if a.keep:
            shutil.copy(path, a.keep)
        arcs = {}
        res = summarise(parse(path, arcs), replies, arcs)
        res.update({"platform": a.platform, "binary": real, "inflight": a.inflight,
                    "duplicates": dup, "log_level": a.log_level})
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    report(a, res, replies, dup)


def report(a, res, replies, dup):
    if a.json:
        print(json.dumps(res))
        return
    print("%s: %s, %d replies with %d in flight, duplicates %s: %.0f instructions per reply"
          % (a.platform, res["binary"], replies, a.inflight, dup, res["ir_per_reply"]))
    print("  by part of the work (a shared function's share by its callers):")
    for name, what, _ in PARTS + (("other", "the rest", ()),):
        v = res["parts"][name]
        print("    %-11s %-62s %7.0f  %5.1f%%"
              % (name, what[:62], v, 100.0 * v / res["ir_per_reply"]))
    print("  by where the instruction is (self):")
    for g, v in res["by_library"].items():
        if v >= 50:
            print("    %-46s %9.0f  %5.1f%%" % (g, v, 100.0 * v / res["ir_per_reply"]))
    print("  inclusive, per reply:")
    for label, v in res["inclusive"].items():
        print("    %-46s %9.0f" % (label, v))
    print("  top functions (self, per reply):")
    for fn, v in res["top_functions"]:
        print("    %-60s %9.0f" % (fn[:60], v))


if __name__ == "__main__":
    main()
