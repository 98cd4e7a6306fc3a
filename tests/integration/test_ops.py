"""test_ops.py - running valuesbot for real: /healthz, /metrics, reload, drain.

The real `valuesbot run` against the fake Slack server (tests/fakes/fake_slack.py),
with its health and metrics listener on 127.0.0.1.  The per-test invariants of
test_slack.SlackCase apply: exit 0 on SIGTERM, no sanitizer report, no token
in the debug log, every envelope acked, no duplicate reply.

/metrics is checked by promtool (Debian's prometheus package, extracted by
scripts/install-deps.sh), the Prometheus project's own parser and linter, and
its numbers by a parser of the text format here.
"""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import slackbot  # noqa: E402
from slackbot import ask, reply_markup, words  # noqa: E402
from netutil import nonloopback_ip  # noqa: E402
from test_slack import HAVE_RUN, SKIP_WHY, T, SlackCase, channel  # noqa: E402

PROMTOOL = shutil.which("promtool")
SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (\S+)$')


def parse_metrics(text):
    """{(name, frozenset of label pairs): value} for every sample line."""
    out = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        m = SAMPLE.match(line)
        if m is None:
            raise AssertionError("not a sample line: %r" % line)
        labels = frozenset(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', m.group(2) or ""))
        out[(m.group(1), labels)] = float(m.group(3))
    return out


def metric(samples, name, **labels):
    return samples.get((name, frozenset(labels.items())))


class OpsCase(SlackCase):

    def http(self, method, path, host="127.0.0.1"):
        """(status, body) from the bot's listener."""
        port = self.bot.http_port()
        req = urllib.request.Request("http://%s:%d%s" % (host, port, path), method=method,
                                     data=b"" if method == "POST" else None)
        try:
            with urllib.request.urlopen(req, timeout=10 * T) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()

    def health(self):
        status, body = self.http("GET", "/healthz")
        return status, json.loads(body)

    def metrics(self):
        status, text = self.http("GET", "/metrics")
        self.assertEqual(status, 200)
        self.assertNotIn(self.fake.bot_token, text)
        if PROMTOOL is None:
            self.fail("promtool is missing: run scripts/install-deps.sh")
        p = subprocess.run([PROMTOOL, "check", "metrics"], input=text, capture_output=True,
                           text=True, timeout=60)
        self.assertEqual(p.returncode, 0, "promtool check metrics:\n%s%s\n---\n%s" %
                         (p.stdout, p.stderr, text[:3000]))
        return parse_metrics(text)

    def wait_health(self, want_status, timeout=30):
        got = None
        deadline = time.monotonic() + timeout * T
        while time.monotonic() < deadline:
            got = self.health()
            if got[0] == want_status:
                return got[1]
            time.sleep(0.1)
        self.fail("/healthz stayed %r, want %d\n%s" % (got, want_status, self.diag()))

    def cli_reload(self):
        env = dict(self.bot.env)
        env.pop("VALUESBOT_CONFIG", None)
        env["VALUESBOT_HTTP"] = "127.0.0.1:%d" % self.bot.http_port()
        return subprocess.run([slackbot.BIN, "reload"], env=env, capture_output=True,
                              text=True, timeout=60 * T)


@unittest.skipUnless(HAVE_RUN, SKIP_WHY)
class OpsTest(OpsCase):

    def test_healthz_follows_the_connection_and_names_the_problem(self):
        self.start()
        body = self.wait_health(200)
        self.assertEqual(body["status"], "ok")
        self.assertEqual(body["platforms"], {"slack": {"connected": True}})
        self.assertEqual(sorted(body["kbs"]["orgs"]), ["cwpt", "tewv"])
        self.assertEqual(body["reload"]["last"], "none")
        # Slack goes away and refuses new connections for a while.
        self.fake.script_open(*[{"error": "internal_error"}] * 3)
        self.fake.drop()
        body = self.wait_health(503)
        self.assertEqual(body["status"], "unavailable")
        self.assertFalse(body["platforms"]["slack"]["connected"])
        self.assertTrue(body["platforms"]["slack"]["problem"])
        self.assertNotIn(self.fake.bot_token, json.dumps(body))
        # ... and comes back: so does the bot, and its health.
        self.wait_health(200, timeout=60)
        self.wait_reply(self.mention("what are our values?"))
        status, _ = self.http("GET", "/nowhere")
        self.assertEqual(status, 404)
        status, _ = self.http("POST", "/healthz")
        self.assertEqual(status, 405)

    def test_metrics_count_questions_answers_declines_posts_and_429s(self):
        self.start()
        declined = "what is the capital of France?"
        self.assertFalse(ask("tewv", declined)["answered"], "the decline question is answered")
        self.fake.script_post({"status": 429, "retry_after": 1})
        recs = [self.mention(q) for q in ("what are our values?", "what is our vision?", declined)]
        for r in recs:
            self.wait_reply(r, timeout=20)
        # A slash command answered in its ack is a question and a post too.
        slash = self.fake.send_slash("/values", "")
        ack = self.wait_ack(slash)
        self.assertTrue(ack["payload"], "the slash command was not answered in its ack")
        # The fake records a post when its request arrives, the bot counts it
        # when the answer comes back (and the ack's post once it is written):
        # wait for the counters instead of assuming they are there already.
        want_posts = len(self.fake.posts_ok()) + 1
        self.fake.wait_for(
            lambda: metric(self.metrics(), "valuesbot_posts_total", platform="slack") == want_posts
            and metric(self.metrics(), "valuesbot_questions_total", platform="slack",
                       org="tewv") == 4, 10 * T, interval=0.2)
        m = self.metrics()
        lab = {"platform": "slack", "org": "tewv"}
        self.assertEqual(metric(m, "valuesbot_questions_total", **lab), 4)
        self.assertEqual(metric(m, "valuesbot_answered_total", **lab), 3)
        self.assertEqual(metric(m, "valuesbot_declined_total", **lab), 1)
        self.assertEqual(metric(m, "valuesbot_answer_seconds_count"), 4)
        self.assertEqual(metric(m, "valuesbot_answer_seconds_bucket", le="+Inf"), 4)
        self.assertLess(metric(m, "valuesbot_answer_seconds_sum"), 4.0)
        self.assertEqual(metric(m, "valuesbot_posts_total", platform="slack"),
                         len(self.fake.posts_ok()) + 1)
        self.assertEqual(metric(m, "valuesbot_rate_limited_total", platform="slack"), 1)
        self.assertEqual(metric(m, "valuesbot_posts_retried_total", platform="slack"), 1)
        self.assertEqual(metric(m, "valuesbot_posts_failed_total", platform="slack"), 0)
        self.assertEqual(metric(m, "valuesbot_connected", platform="slack"), 1)
        self.assertEqual(metric(m, "valuesbot_reconnects_total", platform="slack"), 0)
        self.assertEqual(metric(m, "valuesbot_knowledge_bases_loaded"), 2)
        # A dropped socket is a reconnect.
        old = self.fake.ready_connections()[0]
        self.fake.drop(old)
        self.assertTrue(self.fake.wait_for(
            lambda: [c for c in self.fake.ready_connections() if c.id > old.id], 30 * T))
        self.assertTrue(self.fake.wait_for(
            lambda: metric(self.metrics(), "valuesbot_reconnects_total", platform="slack") == 1,
            10 * T, interval=0.2))

    def test_reload_under_traffic_takes_the_new_kb_and_refuses_a_broken_one(self):
        kbdir = tempfile.mkdtemp(prefix="valuesbot-kb-")
        self.addCleanup(shutil.rmtree, kbdir, True)
        for name in os.listdir(slackbot.KB):
            src = os.path.join(slackbot.KB, name)
            if os.path.isfile(src):
                shutil.copy(src, kbdir)
        self.start(extra_env={"VALUESBOT_KB": kbdir})
        q = "what are our values?"
        path = os.path.join(kbdir, "tewv.json")
        with open(path) as f:
            kb = json.load(f)
        old_name = kb["values"][0]["name"]
        new_name = "Curiosity"
        self.assertNotIn(new_name.lower(), words(ask("tewv", q)["text"]))
        kb["values"][0]["name"] = new_name
        kb["values"][0]["aliases"] = []

        # Questions keep coming from another thread while the KB changes.
        sent, stop = [], threading.Event()

        def traffic():
            while not stop.is_set() and len(sent) < 200:
                sent.append(self.mention(q, chan=channel()))
                time.sleep(0.05)

        t = threading.Thread(target=traffic)
        t.start()
        try:
            time.sleep(0.5)
            tmp = path + ".new"
            with open(tmp, "w") as f:
                json.dump(kb, f)
            os.replace(tmp, path)
            self.bot.signal(signal.SIGHUP)
            new_seen = self.fake.wait_for(
                lambda: [p for p in self.fake.posts_ok()
                         if new_name.lower() in words(reply_markup(p["body"]))], 20 * T)
            self.assertTrue(new_seen, "the reloaded KB never answered\n" + self.diag())
            time.sleep(0.5)
        finally:
            stop.set()
            t.join()
        for rec in sent:  # every question asked across the reload got its answer
            post = self.wait_reply(rec, timeout=20)
            names = words(reply_markup(post["body"]))
            self.assertTrue(old_name.lower() in names or new_name.lower() in names)
        self.assertIn("reloaded", self.bot.log())

        # A broken KB is refused; the bot keeps answering from the one it has.
        with open(path, "w") as f:
            f.write('{"schema": 1, "org": "tewv", ')
        p = self.cli_reload()
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
        self.assertIn("tewv.json", p.stderr)
        post = self.wait_reply(self.mention(q))
        self.assertIn(new_name.lower(), words(reply_markup(post["body"])))
        status, body = self.health()
        self.assertEqual(status, 200)
        self.assertEqual(body["reload"]["last"], "refused")
        self.assertIn("tewv.json", body["reload"]["error"])
        m = self.metrics()
        self.assertEqual(metric(m, "valuesbot_reloads_total", result="ok"), 1)
        self.assertEqual(metric(m, "valuesbot_reloads_total", result="failed"), 1)
        self.assertEqual(metric(m, "valuesbot_last_reload_ok"), 0)
        # Fixed again, `valuesbot reload` says so.
        with open(path, "w") as f:
            json.dump(kb, f)
        p = self.cli_reload()
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertEqual(self.health()[1]["reload"]["last"], "ok")

    def test_reload_says_which_settings_wait_for_a_restart(self):
        config = {"web": {"enabled": True, "origins": ["https://intranet.example.nhs.uk"]}}
        self.start(config=config)
        path = self.bot.env["VALUESBOT_CONFIG"]
        # The same settings again: reloaded, no warning.
        self.assertEqual(self.http("POST", "/reload")[0], 200)
        self.assertTrue(self.fake.wait_for(lambda: "reloaded" in self.bot.log(), 10 * T))
        self.assertNotIn("next restart", self.bot.log())
        # The web chat's origins changed: taken, and the log says when they apply.
        config["web"]["origins"] = ["https://other.example.nhs.uk"]
        with open(path, "w") as f:
            json.dump(config, f)
        self.assertEqual(self.http("POST", "/reload")[0], 200)
        self.assertTrue(self.fake.wait_for(lambda: "next restart" in self.bot.log(), 10 * T),
                        self.diag())
        self.assertIn("web chat", self.bot.log())

    def test_sigterm_finishes_replies_in_flight_and_reports_stopping(self):
        self.expect_alive = False
        self.start()
        self.fake.script_post(*[{"delay": 2.0}] * 3)
        recs = [self.mention("what are our values?") for _ in range(3)]
        self.assertTrue(self.fake.wait_for(lambda: len(self.fake.posts) >= 3, 10 * T),
                        self.diag())
        self.bot.signal(signal.SIGTERM)
        # The signal reaches the loop asynchronously; the drain lasts ~2 s.
        for _ in range(10):
            status, body = self.http("GET", "/healthz")
            if status != 200:
                break
            time.sleep(0.05)
        self.assertEqual(status, 503)
        self.assertEqual(json.loads(body)["status"], "stopping")
        self.bot.proc.wait(20 * T)
        self.assertEqual(self.bot.proc.returncode, 0)
        for rec in recs:
            self.assertEqual(len(self.replies_to(rec)), 1, "a reply in flight was lost")
        self.assertFalse(any(p["aborted"] for p in self.fake.posts))

    def test_reload_is_taken_only_from_loopback(self):
        ip = nonloopback_ip()
        if ip is None:
            self.skipTest("no non-loopback address on this host")
        self.start(extra_env={"VALUESBOT_HTTP": "0.0.0.0:0"})
        self.wait_health(200)
        status, _ = self.http("GET", "/healthz", host=ip)
        self.assertEqual(status, 200, "health is readable from the network")
        status, body = self.http("POST", "/reload", host=ip)
        self.assertEqual(status, 403)
        self.assertNotIn("reloading", self.bot.log())
        status, _ = self.http("POST", "/reload")
        self.assertEqual(status, 200)


if __name__ == "__main__":
    unittest.main()
