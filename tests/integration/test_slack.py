"""test_slack.py - the real `valuesbot run` against the fake Slack server.

Each test starts tests/fakes/fake_slack.py on 127.0.0.1 (ephemeral port) and
the binary ($VALUESBOT_BIN, default build/valuesbot) as a child process, and
stops both (the bot by its PID, with SIGTERM).  These are behaviour tests:
they wait with generous timeouts and never assert a duration except as a
generous upper bound that proves "not blocked", or as a lower bound that
proves a wait (Retry-After, pacing).

After every test, tearDown checks what must hold whatever the test did: the
bot exits 0 on SIGTERM with no sanitizer report; its log (at debug level)
holds neither token; the fake saw no protocol violation; every envelope was
acked; no reply carries <!channel>, <!here>, <!everyone> or <!subteam>; no
thread or DM got two replies; at most 3 sockets were ever open at once.

Expected answers come from `valuesbot ask --json` on the same KB, so the
tests check that Slack gets the engine's answer, not fixed strings.
"""

import json
import os
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
import unittest
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import slackbot  # noqa: E402
from netutil import nonloopback_ip  # noqa: E402
from slackbot import Bot, ask, contains_in_order, reply_markup, words  # noqa: E402
from fake_slack import FakeSlack, OP_BINARY  # noqa: E402

# Skipped only while the tree has no Slack adapter at all; once
# bot/adapters/slack/ exists a binary without `run` fails every test.
HAVE_RUN = (slackbot.has_run_command() or
            os.path.exists(os.path.join(slackbot.REPO, "bot", "adapters", "slack")))
SKIP_WHY = f"{slackbot.BIN} has no `run` command and the tree no Slack adapter"
T = 1.0 if "san" not in slackbot.BIN.split(os.sep) else 2.0  # timeout scale under ASan


def channel(prefix="C"):
    return prefix + uuid.uuid4().hex[:9].upper()


# Standard Markdown that mrkdwn shows literally: **bold**, [label](url), # heading.
MARKDOWN_NOT_MRKDWN = re.compile(r"\*\*[^*\n]+\*\*|\]\((https?:|/)|^#{1,6} ", re.M)
PLAINTEXT_REFUSAL = re.compile(r"loopback|plaintext|insecure", re.I)


def kb(org):
    with open(os.path.join(slackbot.KB, org + ".json")) as f:
        return json.load(f)


class SlackCase(unittest.TestCase):
    max_open = 3

    def setUp(self):
        self.fake = None
        self.bot = None
        self.allow_unacked = False
        self.allowed_violations = []
        self.expect_alive = True

    def start(self, org="tewv", config=None, extra_env=None, wait=True, **fake_kw):
        kw = {"server_ping_interval": 5}
        kw.update(fake_kw)
        self.fake = FakeSlack(**kw).start()
        self.bot = Bot(self.fake, org=org, config=config, extra_env=extra_env).start()
        if wait:
            self.wait_connected()
        return self.fake

    def wait_connected(self, timeout=20):
        f = self.fake
        ok = f.wait_for(lambda: f.ready_connections() and
                        any(c["status"] == 200 and c["error"] is None for c in f.api("auth.test")),
                        timeout * T)
        self.assertTrue(ok, "the bot did not connect\n" + self.diag())
        return f.ready_connections()[0]

    def diag(self):
        log = self.bot.log() if self.bot else ""
        st = self.fake.state() if self.fake else {}
        brief = {k: st.get(k) for k in ("connections", "violations", "undelivered")}
        brief["api_calls"] = [(c["method"], c["status"], c["error"]) for c in st.get("api_calls", [])][-20:]
        brief["posts"] = [(p["channel"], p["thread_ts"], p["status"], p["error"])
                          for p in st.get("posts", [])][-20:]
        return "--- fake:\n%s\n--- bot log (tail):\n%s" % (
            json.dumps(brief, indent=1, default=str)[-4000:], log[-4000:])

    # -- events -----------------------------------------------------------

    def mention(self, question, chan=None, thread_ts=None, conn=None, **kw):
        ev = {"type": "app_mention", "user": "U0HUMAN1", "channel": chan or channel(),
              "text": "<@%s> %s" % (self.fake.bot_user_id, question)}
        if thread_ts:
            ev["thread_ts"] = thread_ts
        return self.fake.send_event(ev, conn=conn, **kw)

    def dm(self, text, chan=None, conn=None, **kw):
        ev = {"type": "message", "channel_type": "im", "user": "U0HUMAN1",
              "channel": chan or channel("D"), "text": text}
        for k, v in kw.pop("extra", {}).items():
            if v is None:
                ev.pop(k, None)
            else:
                ev[k] = v
        return self.fake.send_event(ev, conn=conn, **kw)

    @staticmethod
    def event(rec):
        return rec["payload"]["event"]

    def replies_to(self, rec):
        """Successful posts answering this event: its channel and thread."""
        ev = self.event(rec)
        want = ev.get("thread_ts") or ev["ts"]
        out = []
        for p in self.fake.posts_ok(ev["channel"]):
            if ev["channel"].startswith("D") or p["thread_ts"] == want:
                out.append(p)
        return out

    def wait_reply(self, rec, timeout=15):
        got = self.fake.wait_for(lambda: self.replies_to(rec), timeout * T)
        self.assertTrue(got, "no reply to %s\n%s" % (self.event(rec)["text"][:80], self.diag()))
        return got[0]

    def wait_ack(self, rec, timeout=5):
        got = self.fake.wait_for(lambda: self.fake.acked(rec["envelope_id"]), timeout * T)
        self.assertTrue(got, "envelope %s not acked\n%s" % (rec["envelope_id"], self.diag()))
        return got[0]

    def assert_answer(self, markup, org, question):
        """The reply carries the engine's answer to the question, word for word
        in order (formatting and link markup aside)."""
        want = words(ask(org, question)["text"])
        got = words(markup)
        self.assertTrue(want, "empty expected answer for %r" % question)
        self.assertTrue(contains_in_order(want, got),
                        "reply is not the %s answer to %r\nwant: %s\ngot:  %s" %
                        (org, question, " ".join(want), " ".join(got)))

    def settle(self, seconds=1.0):
        """Waits for anything that should not happen (a duplicate, a retry)."""
        time.sleep(seconds)

    # -- invariants ---------------------------------------------------------

    def tearDown(self):
        problems = []
        diag = ""
        try:
            if self.fake is not None and not self.allow_unacked:
                # Envelopes still on their way get their (millisecond) chance
                # before SIGTERM, after which the bot leaves new ones unacked.
                f = self.fake
                f.wait_for(lambda: all(p["done_at"] for p in f.posts), 5 * T)
                time.sleep(0.05)  # the fake echoes a DM reply right after answering it
                f.wait_for(lambda: {e["envelope_id"] for e in f.envelopes}
                           <= {a["envelope_id"] for a in f.acks}, 2 * T)
            if self.bot is not None:
                if self.expect_alive and not self.bot.alive():
                    problems.append("the bot exited by itself (status %s)" % self.bot.proc.returncode)
                was_alive = self.bot.alive()
                rc = self.bot.stop(timeout=20 * T)
                if was_alive and rc != 0:
                    problems.append("exit status on SIGTERM: %s (want 0)" % rc)
                log = self.bot.log()
                m = slackbot.SANITIZER_REPORT.search(log)
                if m:
                    problems.append("sanitizer report in the log: " + log[max(0, m.start() - 200):m.start() + 2000])
                for tok in (self.fake.app_token, self.fake.bot_token):
                    secret = tok.rsplit("-", 1)[1]
                    if tok in log or secret in log:
                        problems.append("a token appears in the log")
            if self.fake is not None:
                for v in self.fake.violations:
                    if not any(a in v["what"] for a in self.allowed_violations):
                        problems.append("protocol violation: " + v["what"])
                if not self.allow_unacked:
                    acked = {a["envelope_id"] for a in self.fake.acks}
                    for e in self.fake.envelopes:
                        if e["envelope_id"] not in acked:
                            problems.append("envelope never acked: %s %s" % (
                                e["type"], json.dumps(e["payload"])[:200]))
                seen = {}
                for p in self.fake.posts_ok():
                    # A long answer is several messages in one thread: a
                    # duplicate is the same message twice.
                    key = (p["channel"], p["thread_ts"], p["text"])
                    seen[key] = seen.get(key, 0) + 1
                    if slackbot.SPECIAL_MENTION.search(reply_markup(p["body"])):
                        problems.append("special mention in a reply: " + reply_markup(p["body"])[:300])
                    md = MARKDOWN_NOT_MRKDWN.search(reply_markup(p["body"]))
                    if md:
                        problems.append("standard Markdown in a reply (Slack shows it literally): %r"
                                        % md.group(0))
                for key, n in seen.items():
                    if n > 1:
                        problems.append("%d replies to one message %s" % (n, key[:2]))
                for h in self.fake.hooks:
                    if slackbot.SPECIAL_MENTION.search(reply_markup(h["body"])):
                        problems.append("special mention in a response_url reply")
                for a in self.fake.acks:
                    if a["payload"] and slackbot.SPECIAL_MENTION.search(reply_markup(a["payload"])):
                        problems.append("special mention in an ack payload")
                if self.fake.max_open > self.max_open:
                    problems.append("%d sockets open at once" % self.fake.max_open)
        finally:
            if self.fake is not None:
                self.fake.stop()
            if self.bot is not None:
                diag = self.diag() if problems else ""
                self.bot.cleanup()
        if problems:
            self.fail("\n".join(problems) + "\n" + diag)


@unittest.skipUnless(HAVE_RUN, SKIP_WHY)
class SlackBotTest(SlackCase):

    # -- answering ----------------------------------------------------------

    def test_mention_answered_in_thread_once_with_the_orgs_answer(self):
        self.start(org="tewv")
        q = "what are our values?"
        rec = self.mention(q, chan="C0STAFF")
        post = self.wait_reply(rec)
        self.settle()
        self.assertEqual(len(self.fake.posts), 1, "one attempt, one reply")
        self.assertEqual(post["channel"], "C0STAFF")
        self.assertEqual(post["thread_ts"], self.event(rec)["ts"], "reply in the mention's thread")
        self.assert_answer(reply_markup(post["body"]), "tewv", q)
        for v in kb("tewv")["values"]:
            self.assertIn(v["name"].lower(), words(reply_markup(post["body"])))
        self.assertEqual(post["headers"].get("authorization"), "Bearer " + self.fake.bot_token)
        self.assertTrue(post["content_type"].startswith("application/json"))
        # The bot hands the event to the core only once its ack is written, so
        # the ack reaches the fake first; wait for it rather than assume it.
        ack = self.wait_ack(rec)
        self.assertLess(ack["time"], post["time"], "ack before the reply")
        # Block Kit: the heading as a header, the answer in mrkdwn sections,
        # the source in a context block; the text stays as the fallback.
        blocks = post["blocks"] or []
        kinds = [b["type"] for b in blocks]
        self.assertEqual(kinds[0], "header", "blocks: %s" % kinds)
        self.assertEqual(kinds[-1], "context", "blocks: %s" % kinds)
        self.assertIn("section", kinds)
        self.assertEqual(words(blocks[0]["text"]["text"]), words(ask("tewv", q)["text"].split("\n")[0]))
        self.assertIn("source", words(blocks[-1]["elements"][0]["text"]))
        sections = " ".join(b["text"]["text"] for b in blocks if b["type"] == "section")
        for v in kb("tewv")["values"]:
            self.assertIn(v["name"].lower(), words(sections))
        self.assert_answer(post["text"], "tewv", q)

    def test_mention_inside_a_thread_replies_to_the_thread_parent(self):
        self.start()
        parent = self.fake.next_ts()
        rec = self.mention("what is our vision?", thread_ts=parent)
        post = self.wait_reply(rec)
        self.assertEqual(post["thread_ts"], parent)
        self.assertNotEqual(post["thread_ts"], self.event(rec)["ts"])
        self.assert_answer(reply_markup(post["body"]), "tewv", "what is our vision?")

    def test_default_org_comes_from_the_environment(self):
        self.start(org="cwpt")
        rec = self.mention("what are our values?")
        post = self.wait_reply(rec)
        self.assert_answer(reply_markup(post["body"]), "cwpt", "what are our values?")
        for v in kb("tewv")["values"]:
            if v["name"].lower() not in {x["name"].lower() for x in kb("cwpt")["values"]}:
                self.assertNotIn(v["name"].lower(), words(reply_markup(post["body"])))

    def test_org_routed_per_workspace_and_channel_from_config(self):
        config = {"default_org": "tewv",
                  "slack": {"workspaces": {"T0002": "cwpt"}, "channels": {"C0CWPTONLY": "cwpt",
                                                                         "C0TEWVONLY": "tewv"}}}
        self.start(config=config)
        q = "what are our values?"
        plain = self.mention(q, chan="C0ANY")
        by_channel = self.mention(q, chan="C0CWPTONLY")
        by_team = self.fake.send_event({"type": "app_mention", "user": "U0HUMAN2", "channel": "C0OTHERTEAM",
                                        "text": "<@%s> %s" % (self.fake.bot_user_id, q)}, team_id="T0002")
        channel_wins = self.fake.send_event({"type": "app_mention", "user": "U0HUMAN2",
                                             "channel": "C0TEWVONLY",
                                             "text": "<@%s> %s" % (self.fake.bot_user_id, q)},
                                            team_id="T0002")
        for rec, org in ((plain, "tewv"), (by_channel, "cwpt"), (by_team, "cwpt"), (channel_wins, "tewv")):
            with self.subTest(channel=self.event(rec)["channel"]):
                self.assert_answer(reply_markup(self.wait_reply(rec)["body"]), org, q)

    def test_direct_message_answered_in_the_dm_and_own_echo_ignored(self):
        self.start()
        q = "how many goals do we have?"
        rec = self.dm(q)
        post = self.wait_reply(rec)
        self.assertEqual(post["channel"], self.event(rec)["channel"])
        self.assert_answer(reply_markup(post["body"]), "tewv", q)
        # Slack sends the bot's own DM back as message.im (bot_id, user = the bot).
        echo = self.fake.wait_for(lambda: [e for e in self.fake.envelopes if e.get("echo")], 5 * T)
        self.assertTrue(echo, "the fake did not echo the DM")
        self.wait_ack(echo[0])
        self.settle()
        self.assertEqual(len(self.fake.posts), 1, "the bot answered its own message")

    def test_slash_commands_answered_once(self):
        self.start()
        values = self.fake.send_slash("/values", "", channel="C0STAFF")
        goals = self.fake.send_slash("/goals", "", channel="C0STAFF")
        for rec, names in ((values, [v["name"] for v in kb("tewv")["values"]]),
                           (goals, [g["title"] for g in kb("tewv")["goals"]])):
            with self.subTest(command=rec["payload"]["command"]):
                ack = self.wait_ack(rec, timeout=3)
                self.assertLess(ack["latency"], 3.0, "slash commands must be acked within 3 s")
                url = rec["payload"]["response_url"]
                path = url[url.index("/hooks/"):]

                def deliveries():
                    out = [reply_markup(ack["payload"])] if ack["payload"] else []
                    out += [reply_markup(h["body"]) for h in self.fake.hooks if h["path"] == path]
                    return [m for m in out
                            if all(contains_in_order(words(n), words(m)) for n in names)]
                got = self.fake.wait_for(deliveries, 15 * T)
                self.assertTrue(got, "%s not answered via ack payload or response_url\n%s"
                                % (rec["payload"]["command"], self.diag()))
        # Slack redelivers a command in a new envelope (same trigger_id): acked, not answered again.
        redo = self.fake.send_envelope(dict(values["raw"], envelope_id=str(uuid.uuid4())))
        self.assertIsNone(self.wait_ack(redo).get("payload"), "a redelivered command answered again")
        self.settle()
        for rec in (values, goals):
            # A short answer is the ack's own payload: ephemeral, in blocks,
            # and nothing through the response_url.
            url = rec["payload"]["response_url"]
            path = url[url.index("/hooks/"):]
            ack = self.wait_ack(rec)
            self.assertTrue(ack["payload"], "%s not answered in the ack" % rec["payload"]["command"])
            self.assertEqual(ack["payload"].get("response_type"), "ephemeral")
            self.assertTrue(ack["payload"].get("text"), "no fallback text in the ack payload")
            self.assertIn("context", [b["type"] for b in ack["payload"].get("blocks") or []])
            self.assertEqual([h for h in self.fake.hooks if h["path"] == path], [],
                             "answered in the ack and through the response_url")
        self.assertEqual(self.fake.posts, [], "slash answers go through the ack or response_url")

    def test_slash_command_names_come_from_config(self):
        self.start(config={"slack": {"slash_commands": ["/nhsvalues"]}})
        names = [v["name"] for v in kb("tewv")["values"]]

        def answered(rec):
            url = rec["payload"]["response_url"]
            path = url[url.index("/hooks/"):]
            ack = self.fake.acked(rec["envelope_id"])
            out = [reply_markup(ack[0]["payload"])] if ack and ack[0]["payload"] else []
            out += [reply_markup(h["body"]) for h in self.fake.hooks if h["path"] == path]
            return [m for m in out if all(n.lower() in words(m) for n in names)]
        mine = self.fake.send_slash("/nhsvalues", "what are our values?")
        other = self.fake.send_slash("/values", "what are our values?")
        self.assertTrue(self.fake.wait_for(lambda: answered(mine), 15 * T),
                        "configured command not answered\n" + self.diag())
        self.wait_ack(other)
        self.settle()
        self.assertEqual(answered(other), [], "answered a command that is not configured")

    def test_ignores_itself_other_bots_edits_and_subtypes(self):
        self.start()
        f = self.fake
        me = f.bot_user_id
        q = "what are our values?"
        ignored = [
            self.dm(q, extra={"user": me}),
            self.dm(q, extra={"user": "U0OTHERBOT", "bot_id": "B0OTHER",
                              "bot_profile": {"id": "B0OTHER", "name": "otherbot"}}),
            self.dm(q, extra={"subtype": "bot_message", "bot_id": "B0OTHER", "username": "otherbot"}),
            self.dm(q, extra={"user": me, "bot_id": f.bot_id}),
            self.dm("", extra={"subtype": "message_changed", "hidden": True, "user": None,
                               "message": {"type": "message", "user": "U0HUMAN1", "text": q,
                                           "ts": f.next_ts(), "edited": {"user": "U0HUMAN1", "ts": f.next_ts()}},
                               "previous_message": {"type": "message", "user": "U0HUMAN1", "text": "hi",
                                                    "ts": f.next_ts()}}),
            self.dm("", extra={"subtype": "message_deleted", "hidden": True, "user": None,
                               "deleted_ts": f.next_ts(),
                               "previous_message": {"type": "message", "user": "U0HUMAN1", "text": q}}),
            self.dm("<@U0HUMAN1> has joined the channel", extra={"subtype": "channel_join"}),
            f.send_event({"type": "app_mention", "user": "U0OTHERBOT", "bot_id": "B0OTHER",
                          "channel": channel(), "text": "<@%s> %s" % (me, q)}),
            f.send_event({"type": "app_mention", "user": me, "channel": channel(),
                          "text": "<@%s> %s" % (me, q)}),
        ]
        sentinel = self.dm(q)
        self.wait_reply(sentinel)
        self.settle()
        for rec in ignored:
            self.wait_ack(rec)
        answered = [p["channel"] for p in f.posts]
        self.assertEqual(answered, [self.event(sentinel)["channel"]],
                         "only the human's plain message gets an answer")

    # -- message subtypes (issue 16) ---------------------------------------

    def subtype_answered_once(self, subtype, q, **kw):
        """A message of @subtype (a person's words) gets exactly one reply,
        the engine's answer, in its DM (its thread when it has one)."""
        self.start()
        rec = self.fake.send_event(self.fake.message_event(subtype, q, channel=channel("D"), **kw))
        post = self.wait_reply(rec)
        self.assert_answer(reply_markup(post["body"]), "tewv", q)
        self.settle(2.0)
        self.assertEqual(len(self.replies_to(rec)), 1, "answered more than once\n" + self.diag())
        self.assertEqual(len(self.fake.posts_ok()), 1, self.diag())
        return rec, post

    def test_file_share_dm_answered_once(self):
        self.subtype_answered_once("file_share", "what are our values?")

    def test_thread_broadcast_answered_once_in_its_thread(self):
        rec, post = self.subtype_answered_once("thread_broadcast", "how many goals do we have?")
        self.assertEqual(post["thread_ts"], self.event(rec)["thread_ts"],
                         "a thread reply is answered in its thread")

    def test_me_message_answered_once(self):
        self.subtype_answered_once("me_message", "wonders what our vision is")

    def test_system_and_bot_subtypes_ignored_with_a_debug_line(self):
        self.start()
        f = self.fake
        chan = channel("D")
        ignored = {st: f.send_event(f.message_event(st, "what are our values?", channel=chan))
                   for st in ("channel_join", "pinned_item", "bot_message")}
        sentinel = self.dm("what are our values?")
        self.wait_reply(sentinel)
        for rec in ignored.values():
            self.wait_ack(rec)
        self.settle()
        self.assertEqual([p["channel"] for p in f.posts_ok()], [self.event(sentinel)["channel"]],
                         "a system or bot message answered\n" + self.diag())
        log = self.bot.log()
        for st, rec in ignored.items():
            lines = [ln for ln in log.splitlines()
                     if rec["envelope_id"] in ln and "ignored" in ln and st in ln]
            self.assertTrue(lines, "no line says why the %s envelope was ignored\n%s"
                            % (st, log[-3000:]))
            self.assertIn("level=debug", lines[0], "the ignore line is not at debug level")

    def test_own_mention_is_stripped_from_the_question(self):
        self.start()
        me = self.fake.bot_user_id
        q = "what is our vision?"
        forms = ["<@%s> %s" % (me, q), "%s <@%s>" % (q, me), "<@%s|valuesbot> %s" % (me, q),
                 "<@%s>   %s  " % (me, q)]
        recs = [self.fake.send_event({"type": "app_mention", "user": "U0HUMAN1", "channel": channel(),
                                      "text": t}) for t in forms]
        only = self.fake.send_event({"type": "app_mention", "user": "U0HUMAN1", "channel": channel(),
                                     "text": "<@%s>" % me})
        for rec in recs:
            with self.subTest(text=self.event(rec)["text"]):
                body = reply_markup(self.wait_reply(rec)["body"])
                self.assert_answer(body, "tewv", q)
                self.assertNotIn(me, body, "the bot's own mention is not echoed")
        # A bare mention is an empty question.
        self.assert_answer(reply_markup(self.wait_reply(only)["body"]), "tewv", "")

    def test_entities_decoded_on_input(self):
        self.start()
        raw, decoded = "thanks &amp; bye", "thanks & bye"
        # Precondition: the engine tells the two apart, or this test proves nothing.
        self.assertNotEqual(ask("tewv", raw)["text"], ask("tewv", decoded)["text"])
        rec = self.mention(raw)
        self.assert_answer(reply_markup(self.wait_reply(rec)["body"]), "tewv", decoded)
        rec = self.dm("&lt;&lt; what is our vision? &gt;&gt;")
        self.assert_answer(reply_markup(self.wait_reply(rec)["body"]), "tewv", "<< what is our vision? >>")

    def test_no_special_mentions_from_user_text(self):
        self.start()
        texts = ["<!channel> what are our values? <!here>",
                 "&lt;!channel&gt; &lt;!here&gt; &lt;!everyone&gt; what is our vision?",
                 "<!subteam^S0123|@ops> <!everyone> hello",
                 "<!channel|channel> <!here|here> where is the canteen?",
                 "what is goal <!channel> 2?"]
        recs = [self.dm(t) for t in texts]
        recs += [self.mention(t) for t in texts]
        for rec in recs:
            body = self.wait_reply(rec)["body"]
            self.assertIsNone(slackbot.SPECIAL_MENTION.search(reply_markup(body)),
                              "special mention in reply to %r" % self.event(rec)["text"])
            self.assertNotIn(body.get("link_names"), (True, 1, "1", "true"),
                             "link_names turns @names into pings")
            self.assertNotEqual(body.get("parse"), "full", "parse:full turns @names into pings")

    def test_markup_in_answers_is_escaped(self):
        # A KB text holding Slack markup must reach Slack escaped: shown, never
        # acted on (no ping, no mention, no disguised link).
        kbdir = os.path.join(self.id_dir(), "kb")
        os.makedirs(kbdir)
        tewv = kb("tewv")
        nasty = "Inclusive <!channel> & <@U0EVIL> <https://evil.example|click> &amp; <!here>"
        tewv["values"][0]["behaviours"][0]["text"] = nasty
        with open(os.path.join(kbdir, "tewv.json"), "w") as f:
            json.dump(tewv, f)
        self.start(extra_env={"VALUESBOT_KB": kbdir})
        post = self.wait_reply(self.mention("what are our values?"))
        body = reply_markup(post["body"])
        for raw in ("<@U0EVIL", "<https://evil", "<!channel", "<!here"):
            self.assertNotIn(raw, body)
        escaped = nasty.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        self.assertIn(escaped, body, "KB text not escaped as Slack requires (& < > only)")
        self.assertIn(escaped, reply_markup({"blocks": post["blocks"]}), "not escaped in the blocks")
        self.assertIn(escaped, post["text"], "not escaped in the fallback text")

    def test_long_answer_split_in_order_within_limits_by_post_and_by_slash(self):
        # One value's description is far longer than a message, and carries
        # markup: the answer is split over several messages, each within
        # Slack's Block Kit limits (the fake refuses anything else), in order,
        # nothing lost, nothing pinged; a slash command gets the first part in
        # its ack and the rest through its response_url, once.
        kbdir = os.path.join(self.id_dir(), "kb")
        os.makedirs(kbdir)
        tewv = kb("tewv")
        tokens = ["tok%04d" % i for i in range(1500)]
        long_text = " ".join(t + (" <!channel> & <!here>" if i % 300 == 7 else "")
                             for i, t in enumerate(tokens))
        tewv["values"][-1]["description"] = long_text
        with open(os.path.join(kbdir, "tewv.json"), "w") as f:
            json.dump(tewv, f)
        self.start(extra_env={"VALUESBOT_KB": kbdir})
        q = "what are our values?"
        rec = self.mention(q)

        def parts():
            ps = sorted(self.replies_to(rec), key=lambda p: p["time"])
            return ps if ps and tokens[-1] in words(ps[-1]["text"] or "") else None
        ps = self.fake.wait_for(parts, 20 * T)
        self.assertTrue(ps, "long answer not posted in full\n" + self.diag())
        self.assertGreaterEqual(len(ps), 3, "%d messages for %d bytes" % (len(ps), len(long_text)))
        self.assertEqual([p for p in self.fake.posts if not p["ok"]], [], "a part was refused")
        for p in ps:
            self.assertLessEqual(len(p["text"]), 4000)
            self.assertTrue(p["blocks"], "a part without blocks")
            for b in p["blocks"]:
                if b["type"] == "section":
                    self.assertLessEqual(len(b["text"]["text"]), 3000)
        self.assertTrue(contains_in_order(tokens, words(" ".join(p["text"] for p in ps))),
                        "text parts out of order or incomplete")
        blocks_text = " ".join(reply_markup({"blocks": p["blocks"]}) for p in ps)
        self.assertTrue(contains_in_order(tokens, words(blocks_text)),
                        "blocks out of order or incomplete")
        self.assertIn("&lt;!channel&gt; &amp; &lt;!here&gt;", blocks_text)

        slash = self.fake.send_slash("/values", q)
        url = slash["payload"]["response_url"]
        path = url[url.index("/hooks/"):]

        def slash_parts():
            hs = [h for h in self.fake.hooks if h["path"] == path]
            return hs if hs and tokens[-1] in words(hs[-1]["body"].get("text", "")) else None
        hooks = self.fake.wait_for(slash_parts, 20 * T)
        self.assertTrue(hooks, "slash answer not continued through the response_url\n" + self.diag())
        ack = self.wait_ack(slash)
        self.assertTrue(ack["payload"] and ack["payload"].get("blocks"), "first part not in the ack")
        self.assertLess(ack["time"], hooks[0]["time"], "the response_url overtook the ack")
        self.assertTrue(all(h["ok"] for h in hooks), [h["error"] for h in hooks])
        self.assertEqual(len(hooks), len(ps) - 1, "ack + response_url parts differ from the posts")
        got = [ack["payload"]["text"]] + [h["body"]["text"] for h in hooks]
        self.assertTrue(contains_in_order(tokens, words(" ".join(got))))
        self.assertTrue(all(h["body"].get("response_type") == "ephemeral" for h in hooks))
        redo = self.fake.send_envelope(dict(slash["raw"], envelope_id=str(uuid.uuid4())))
        self.wait_ack(redo)
        self.settle()
        self.assertEqual(len([h for h in self.fake.hooks if h["path"] == path]), len(hooks),
                         "a redelivered command was answered again")

    def id_dir(self):
        d = tempfile.mkdtemp(prefix="slackfake-it-")
        self.addCleanup(shutil.rmtree, d, True)
        return d

    # -- acking -------------------------------------------------------------

    def test_every_envelope_acked_before_its_reply(self):
        self.start()
        recs = [self.mention("what are our values?") for _ in range(3)] + \
               [self.dm("what is our mission?") for _ in range(3)]
        for rec in recs:
            post = self.wait_reply(rec)
            ack = self.wait_ack(rec)
            self.assertLess(ack["time"], post["time"], "ack must precede the reply")
            self.assertLess(ack["latency"], 1.0 * T, "ack well within Slack's 3 s")

    def test_ack_not_blocked_by_a_slow_post(self):
        self.start()
        self.fake.script_post({"delay": 3.0})
        first = self.mention("what are our values?")
        pending = self.fake.wait_for(lambda: self.fake.posts, 10 * T)
        self.assertTrue(pending, "no post attempt\n" + self.diag())
        second = self.mention("what is our vision?")
        ack = self.wait_ack(second, timeout=3)
        self.assertLess(ack["latency"], 1.0, "ack waited for a slow chat.postMessage")
        self.assertIsNone(pending[0]["done_at"], "the slow post finished before the ack: test proves nothing")
        other = self.wait_reply(second)
        self.assertLess(other["time"], pending[0]["done_at"] or float("inf"),
                        "a slow post in one channel held up the reply in another")
        self.wait_reply(first)

    # -- exactly once -------------------------------------------------------

    def test_redelivered_envelope_is_acked_and_answered_once(self):
        self.start()
        chan = channel()
        first = self.mention("what are our values?", chan=chan)
        self.wait_reply(first)
        redo = self.fake.send_event(payload=first["payload"], retry_attempt=1, retry_reason="timeout")
        self.wait_ack(redo)
        # Back to back, before any reply could exist, and once more later.
        second = self.mention("what is our vision?", chan=chan)
        again = self.fake.send_event(payload=second["payload"], retry_attempt=1)
        self.wait_ack(again)
        third = self.fake.send_event(payload=second["payload"], retry_attempt=2)
        self.wait_ack(third)
        # A later message in the same channel queues behind any duplicate.
        sentinel = self.mention("what is our mission?", chan=chan)
        self.wait_reply(sentinel)
        self.wait_reply(second)
        self.settle()
        self.assertEqual(len(self.replies_to(first)), 1)
        self.assertEqual(len(self.replies_to(second)), 1)
        self.assertEqual(len(self.fake.posts), 3)

    def test_redelivery_flood_answered_once(self):
        self.start()
        first = self.mention("what are our values?")
        floods = [self.fake.send_event(payload=first["payload"], retry_attempt=1 + i % 3)
                  for i in range(200)]
        for rec in floods:
            self.wait_ack(rec)
        self.wait_reply(first)
        sentinel = self.mention("what is our vision?", chan=self.event(first)["channel"])
        self.wait_reply(sentinel)
        self.settle()
        self.assertEqual(len(self.replies_to(first)), 1)

    def test_long_and_unusual_text_answered(self):
        self.start()
        texts = ["what are our values? " + "lorem ipsum dolor " * 2000,
                 "\U0001F600\U0001F469\u200D\U0001F469\u200D\U0001F467 what are our values? \u2764\ufe0f",
                 "\u0645\u0627 \u0647\u064a \u0642\u064a\u0645\u0646\u0627 what are our values?",
                 "wha\u0301t a\u0300re o\u0308ur va\u0302lues?\u200b\u200b",
                 "   \n\t  ", "&amp;&lt;&gt;&quot;&#39;&nbsp;"]
        recs = [self.mention(t) for t in texts] + [self.dm(t) for t in texts]
        for rec in recs:
            body = self.wait_reply(rec)["body"]
            self.assertLessEqual(len(body.get("text") or ""), 4000, "reply longer than Slack shows well")

    def test_unacked_envelope_redelivered_by_slack_still_answered_once(self):
        # Slack's own redelivery: the fake resends any envelope left unacked.
        self.start(redeliver_after=1.0)
        recs = [self.mention("what are our values?") for _ in range(4)]
        for rec in recs:
            self.wait_reply(rec)
        self.settle(1.5)
        for rec in recs:
            self.assertEqual(len(self.replies_to(rec)), 1)
        self.assertFalse([e for e in self.fake.envelopes if e["retry_attempt"]],
                         "the bot acked too late: Slack redelivered")

    # -- chat.postMessage errors ----------------------------------------------

    def test_ratelimited_post_waits_retry_after_then_posts_once(self):
        self.start()
        self.fake.script_post({"status": 429, "retry_after": 2})
        chan = channel()
        rec = self.mention("what are our values?", chan=chan)
        self.assertTrue(self.fake.wait_for(lambda: self.fake.posts, 10 * T))
        # While the reply waits, another channel is acked and answered.
        other = self.mention("what is our vision?")
        self.assertLess(self.wait_ack(other)["latency"], 1.0)
        post = self.wait_reply(rec, timeout=20)
        self.wait_reply(other)
        self.settle()
        tries = [p for p in self.fake.posts if p["channel"] == chan]
        self.assertEqual([p["status"] for p in tries], [429, 200])
        self.assertGreaterEqual(tries[1]["time"] - tries[0]["time"], 1.9, "retried before Retry-After")
        self.assertEqual(len(self.replies_to(rec)), 1)
        self.assert_answer(reply_markup(post["body"]), "tewv", "what are our values?")

    def test_server_errors_and_network_errors_retried(self):
        self.start()
        self.fake.script_post({"status": 500}, {"hangup": True}, {"status": 503})
        rec = self.mention("what are our values?")
        post = self.wait_reply(rec, timeout=40)
        self.settle()
        self.assertEqual([p["status"] for p in self.fake.posts], [500, None, 503, 200])
        self.assertEqual(len(self.replies_to(rec)), 1)
        self.assert_answer(reply_markup(post["body"]), "tewv", "what are our values?")

    def test_ok_false_logged_with_slacks_error_name_and_not_retried(self):
        self.start()
        self.fake.script_post({"error": "channel_not_found"})
        bad = self.mention("what are our values?")
        self.assertTrue(self.fake.wait_for(lambda: self.fake.posts, 10 * T))
        good = self.mention("what are our values?")
        self.wait_reply(good)
        self.settle()
        self.assertEqual(len([p for p in self.fake.posts if p["channel"] == self.event(bad)["channel"]]), 1,
                         "a permanent error (channel_not_found) was retried")
        self.assertIn("channel_not_found", self.bot.log())

    def test_posts_paced_per_channel_not_across_channels(self):
        self.start()
        busy = channel()
        recs = [self.mention("what are our values?", chan=busy) for _ in range(4)]
        others = [self.mention("what is our vision?") for _ in range(3)]
        for rec in recs + others:
            self.wait_reply(rec, timeout=30)
        times = sorted(p["time"] for p in self.fake.posts_ok(busy))
        self.assertEqual(len(times), 4)
        gaps = [b - a for a, b in zip(times, times[1:])]
        self.assertGreaterEqual(min(gaps), 0.75, "posts to one channel faster than ~1/s: %s" % gaps)
        last_busy = times[-1]
        for rec in others:
            self.assertLess(self.replies_to(rec)[0]["time"], last_busy,
                            "other channels waited behind the busy one")

    # -- connection lifecycle -----------------------------------------------

    def refresh(self, reason, stream_seconds=2.0):
        self.allow_unacked = True  # an envelope racing the close is redelivered, as on Slack
        self.fake.redeliver_after = 1.0
        old = self.fake.ready_connections()[0]
        self.fake.send_disconnect(old, reason, close_after=30)
        on_old = self.mention("what are our values?", conn=old)
        stream = []
        end = time.monotonic() + stream_seconds * T
        while time.monotonic() < end:
            stream.append(self.mention("what is our vision?"))
            time.sleep(0.1)
        new = self.fake.wait_for(lambda: [c for c in self.fake.ready_connections() if c.id > old.id], 15 * T)
        self.assertTrue(new, "no new connection after %s\n%s" % (reason, self.diag()))
        self.assertTrue(self.fake.wait_for(lambda: not old.open, 10 * T),
                        "old connection never closed by the bot\n" + self.diag())
        new = new[0]
        self.assertIsNotNone(new.hello_at)
        self.assertLess(new.hello_at, old.closed_at, "broke before making: old closed before new hello")
        self.assertIn(old.closed_by, ("client", "eof"), "the bot left the old socket for Slack to close")
        after = self.mention("what is our mission?")
        for rec in [on_old] + stream + [after]:
            self.assertTrue(self.fake.wait_for(
                lambda: any(self.replies_to(e) for e in self._same_event(rec)), 15 * T),
                "event lost across the refresh: %s\n%s" % (self.event(rec)["channel"], self.diag()))
        self.assertEqual(self.fake.undelivered_count, 0, "a moment with no connection to deliver to")
        return old, new

    def _same_event(self, rec):
        return [e for e in self.fake.envelopes if e["event_id"] == rec["event_id"]] or [rec]

    def test_refresh_requested_makes_before_break_and_loses_nothing(self):
        self.start()
        self.refresh("refresh_requested")

    def test_refresh_when_slack_keeps_tcp_open_after_close(self):
        # Slack answers a close frame but may leave TCP up (node SDK notes):
        # the bot must not keep the old socket forever.
        self.start(linger_after_close=True)
        old, _ = self.refresh("refresh_requested", stream_seconds=0.5)
        self.assertIsNotNone(old.client_close_at, "the bot dropped TCP without a close frame "
                             "(RFC 6455 7.1.1: start a clean close with a Close frame)")
        self.assertEqual(old.close_code, 1000)

    def test_warning_and_unknown_disconnect_reasons_refresh_too(self):
        self.start()
        self.refresh("warning", stream_seconds=0.5)
        self.refresh("some_reason_added_later", stream_seconds=0.5)

    def test_dropped_connection_reconnects_with_a_new_ticket(self):
        self.start()
        old = self.fake.ready_connections()[0]
        self.fake.script_upgrade(409, 408)  # the next two upgrades fail (node SDK bug #2094)
        self.fake.drop(old)
        new = self.fake.wait_for(lambda: [c for c in self.fake.ready_connections() if c.id > old.id], 30 * T)
        self.assertTrue(new, "no reconnect after a drop\n" + self.diag())
        self.settle()
        self.assertEqual(len(self.fake.open_connections()), 1, "extra sockets after failed upgrades")
        tickets = [c.ticket for c in self.fake.conns]
        self.assertEqual(len(tickets), len(set(tickets)))
        rec = self.mention("what are our values?")
        self.assertEqual(rec["conn"], new[0].id)
        self.wait_reply(rec)

    def test_connections_open_errors_retried_until_connected(self):
        self.fake = FakeSlack(server_ping_interval=5).start()
        self.fake.script_open({"error": "internal_error"}, {"status": 500}, {"status": 503})
        self.bot = Bot(self.fake).start()
        self.wait_connected(timeout=40)
        self.assertGreaterEqual(len(self.fake.api("apps.connections.open")), 4)
        self.wait_reply(self.mention("what are our values?"))

    def test_connections_open_ratelimited_waits_retry_after(self):
        self.fake = FakeSlack(server_ping_interval=5).start()
        self.fake.script_open({"status": 429, "retry_after": 2})
        self.bot = Bot(self.fake).start()
        self.wait_connected(timeout=30)
        opens = self.fake.api("apps.connections.open")
        self.assertEqual(opens[0]["status"], 429)
        self.assertGreaterEqual(opens[1]["time"] - opens[0]["time"], 1.9, "retried before Retry-After")

    def test_server_close_frame_reconnects(self):
        self.start()
        old = self.fake.ready_connections()[0]
        self.fake.close(old, 1001)
        new = self.fake.wait_for(lambda: [c for c in self.fake.ready_connections() if c.id > old.id], 30 * T)
        self.assertTrue(new, "no reconnect after Slack closed the socket\n" + self.diag())
        self.wait_reply(self.mention("what are our values?"))

    def test_refreshes_ahead_of_the_announced_connection_time(self):
        # hello says the link lives 3 s: the bot replaces it before then.
        self.start(approximate_connection_time=3)
        first = self.fake.conns[0]
        new = self.fake.wait_for(lambda: [c for c in self.fake.ready_connections() if c.id > first.id], 15 * T)
        self.assertTrue(new, "no refresh ahead of approximate_connection_time\n" + self.diag())
        self.assertTrue(self.fake.wait_for(lambda: not first.open, 10 * T))
        self.assertLess(new[0].hello_at, first.closed_at, "broke before making")
        self.assertEqual(first.disconnect_sent, [])
        self.wait_reply(self.mention("what are our values?"))

    def test_plaintext_websocket_url_refused_unless_loopback(self):
        ip = nonloopback_ip()
        if ip is None:
            self.skipTest("no non-loopback address on this host")
        self.fake = FakeSlack(host="0.0.0.0", url_host=ip).start()
        self.bot = Bot(self.fake).start()
        self.assertTrue(self.fake.wait_for(lambda: self.fake.api("apps.connections.open"), 20 * T))
        time.sleep(2 * T)
        self.assertEqual(self.fake.upgrades, [], "ws:// to a non-loopback address")
        self.assertRegex(self.bot.log(), PLAINTEXT_REFUSAL, "no clear error for ws:// off loopback")

    def test_plaintext_response_url_refused_unless_loopback(self):
        ip = nonloopback_ip()
        if ip is None:
            self.skipTest("no non-loopback address on this host")
        self.start(host="0.0.0.0")
        rec = self.fake.send_slash("/values", "", response_base="http://%s:%d/" % (ip, self.fake.port))
        self.wait_ack(rec)
        self.settle(1.5)
        self.assertEqual([h for h in self.fake.hooks if h["local"] == ip], [],
                         "POSTed an answer over http:// to a non-loopback response_url")

    def test_minimal_late_hello_still_works(self):
        self.start(hello="minimal", hello_delay=1.0)
        rec = self.mention("what are our values?")
        self.assert_answer(reply_markup(self.wait_reply(rec)["body"]), "tewv", "what are our values?")

    # -- frames ---------------------------------------------------------------

    def test_malformed_binary_and_unknown_frames_skipped(self):
        self.start()
        conn = self.fake.ready_connections()[0]
        junk = ["{not json", "", "[]", "null", "42", '"envelope"', "{}",
                '{"type":"events_api"}', '{"type":"events_api","envelope_id":17}',
                '{"type":"mystery","envelope_id":"e-mystery","payload":{}}',
                '{"type":"events_api","envelope_id":"e-nopayload"}',
                '{"type":"events_api","envelope_id":"e-badevent","payload":{"event_id":"Ev0BAD",'
                '"event":{"type":"app_mention","text":5,"channel":["C"],"ts":null}}}',
                '{"type":"events_api","envelope_id":"e-deep","payload":' + "[" * 5000 + "]" * 5000 + "}",
                '{"type":"hello","debug_info":"x"}',
                '{"type":"events_api","envelope_id":"e-surrogate","payload":{"event_id":"Ev0SUR",'
                '"event":{"type":"app_mention","user":"U0HUMAN1","channel":"C0SUR","ts":"1.2",'
                '"text":"\\ud800 values"}}}',
                '{"type":"events_api","envelope_id":"e-nul","payload":{"event_id":"Ev0NUL",'
                '"event":{"type":"app_mention","user":"U0HUMAN1","channel":"C0NUL","ts":"1.3",'
                '"text":"a\\u0000b"}}}']
        for j in junk:
            self.fake.send_raw(conn, j)
        self.fake.send_raw(conn, b"\x00\x01\x02binary", opcode=OP_BINARY)
        self.fake.send_raw(conn, b"\x00" * 300000, opcode=OP_BINARY, fragments=10)
        rec = self.mention("what are our values?", conn=conn)
        self.assert_answer(reply_markup(self.wait_reply(rec)["body"]), "tewv", "what are our values?")
        self.assertTrue(conn.open, "connection closed after bad frames")
        self.assertEqual(len(self.fake.conns), 1, "reconnected instead of skipping bad frames")

    def test_huge_frames_rejected_and_connection_keeps_answering(self):
        self.start()
        conn = self.fake.ready_connections()[0]
        big = json.dumps({"envelope_id": "e-huge", "type": "events_api", "retry_attempt": 0,
                          "payload": {"event_id": "Ev0HUGE", "event": {
                              "type": "app_mention", "user": "U0HUMAN1", "channel": "C0HUGE",
                              "ts": "1.000001", "text": "<@%s> %s" % (self.fake.bot_user_id, "x" * (3 << 20))}}})
        self.fake.send_raw(conn, big)
        self.fake.send_raw(conn, big, fragments=200)
        rec = self.mention("what are our values?", conn=conn)
        self.wait_reply(rec, timeout=30)
        self.assertTrue(conn.open, "connection closed after a huge frame")
        self.assertEqual(len(self.fake.conns), 1)
        self.assertFalse(self.fake.posts_ok("C0HUGE"), "answered a frame over the cap")

    def test_fragmented_large_envelope_reassembled(self):
        self.start()
        conn = self.fake.ready_connections()[0]
        # ~150 KB with 2-byte characters, 37 fragments (cut inside characters), a ping after the first.
        rec = self.mention("what are our values?", conn=conn, pad=150000, fragments=37)
        self.assert_answer(reply_markup(self.wait_reply(rec)["body"]), "tewv", "what are our values?")
        self.fake.send_raw(conn, "{\"type\":\"hel", fragments=3)
        rec = self.dm("what is our vision?", conn=conn, fragments=5)
        self.assert_answer(reply_markup(self.wait_reply(rec)["body"]), "tewv", "what is our vision?")
        self.assertTrue(conn.open)

    def test_invalid_utf8_frame_does_not_stop_answers(self):
        # RFC 6455 lets the client fail the connection (1007); either way the
        # bot must not crash and must answer the next event.
        self.start(redeliver_after=2.0)
        conn = self.fake.ready_connections()[0]
        self.fake.send_raw(conn, b'{"type":"events_api","envelope_id":"e-\xff\xfe","payload":{}}')
        self.settle()
        rec = self.mention("what are our values?")
        self.wait_reply(rec, timeout=30)

    # -- secrets and shutdown ---------------------------------------------------

    def test_tokens_never_logged_even_on_errors(self):
        self.start()
        self.fake.script_post({"error": "invalid_auth"}, {"status": 429, "retry_after": 1},
                              {"body": "<html>oops</html>", "status": 502})
        recs = [self.mention("what are our values?") for _ in range(3)]
        self.assertTrue(self.fake.wait_for(lambda: len(self.fake.posts) >= 3, 10 * T))
        self.wait_reply(recs[1], timeout=20)
        self.wait_reply(recs[2], timeout=20)
        self.fake.drop(self.fake.ready_connections()[0])
        self.assertTrue(self.fake.wait_for(lambda: len(self.fake.conns) >= 2 and self.fake.ready_connections(),
                                           30 * T))
        self.settle()
        log = self.bot.log()
        self.assertIn("debug", log.lower(), "run at debug level: the log should show it")
        # tearDown checks that neither token (nor its secret part) is in the log.

    def test_sigterm_delivers_the_reply_in_flight_and_exits_0(self):
        self.expect_alive = False
        self.start()
        self.fake.script_post({"delay": 2.5})
        rec = self.mention("what are our values?")
        self.assertTrue(self.fake.wait_for(lambda: self.fake.posts, 10 * T))
        self.bot.signal(signal.SIGTERM)
        self.bot.proc.wait(20 * T)
        self.assertEqual(self.bot.proc.returncode, 0)
        post = self.fake.posts[0]
        self.assertFalse(post["aborted"], "the reply in flight was abandoned")
        self.assertTrue(post["completed"])
        self.assertEqual(len(self.replies_to(rec)), 1)
        conn = self.fake.conns[0]
        self.assertIn(conn.closed_by, ("client", "eof"))

    def test_sigterm_drains_replies_waiting_for_pacing(self):
        self.expect_alive = False
        self.start()
        chan = channel()
        first = self.mention("what are our values?", chan=chan)
        second = self.mention("what is our vision?", chan=chan)
        self.wait_ack(second)
        self.wait_reply(first)
        self.bot.signal(signal.SIGTERM)
        self.bot.proc.wait(20 * T)
        self.assertEqual(self.bot.proc.returncode, 0)
        self.assertEqual(len(self.replies_to(second)), 1, "a queued reply was dropped at shutdown")


# Tests that watch the bot for a fixed time (the watchdog needs the bot's
# hang-up time, about 30 s; slow retries need a window of several seconds)
# all start with SlackZBackgroundTest and run beside each other (and, as
# scripts/test-integration.sh runs shards at once, beside the other tests).
# Each scenario is its own fake and bot.

class Scenario:
    def __init__(self, name, fake_kw=None, env=None, before=None, after_ready=None):
        self.name, self.fake_kw, self.env = name, dict(fake_kw or {}), env
        self.before, self.after_ready = before, after_ready
        self.marks = {}
        self.fake = self.bot = self.thread = None

    def start(self):
        kw = {"server_ping_interval": 5}
        kw.update(self.fake_kw)
        self.fake = FakeSlack(**kw).start()
        if self.before:
            self.before(self)
        self.bot = Bot(self.fake, extra_env=self.env).start()
        self.marks["started"] = time.monotonic()
        if self.after_ready:
            self.thread = threading.Thread(target=self._after, daemon=True)
            self.thread.start()

    def _after(self):
        conns = self.fake.wait_for(self.fake.ready_connections, 20 * T)
        if conns:
            time.sleep(0.5)
            self.after_ready(self, conns[0])

    def stop(self):
        if self.bot is not None:
            self.bot.cleanup()
            self.fake.stop()
            self.bot = None


def _silence(sc, conn):
    sc.fake.set_silent(conn)
    sc.marks["silenced"] = conn


def _disconnect(reason):
    def go(sc, conn):
        sc.marks["opens_before"] = len(sc.fake.api("apps.connections.open"))
        sc.marks["conn"] = conn
        sc.fake.send_disconnect(conn, reason, close_after=0.5)
        sc.marks["disconnected"] = time.monotonic()
    return go


def _plaintext_api(sc):
    ip = nonloopback_ip()
    sc.marks["ip"] = ip
    if ip:
        sc.env = {"SLACK_API_URL": "http://%s:%d/api/" % (ip, sc.fake.port)}


SCENARIOS = {}


@unittest.skipUnless(HAVE_RUN, SKIP_WHY)
class SlackZBackgroundTest(SlackCase):
    """Checks the scenarios started with the class (see Scenario): they all
    start at once, so their waits overlap."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.addClassCleanup(cls.stop_scenarios)
        for sc in (
            Scenario("watchdog", {"server_ping_interval": None}, after_ready=_silence),
            Scenario("bad_app_token", before=lambda sc: sc.fake.set_open_error("invalid_auth")),
            Scenario("bad_bot_token",
                     before=lambda sc: setattr(sc.fake, "auth_error", "invalid_auth")),
            Scenario("link_disabled", after_ready=_disconnect("link_disabled")),
            Scenario("too_many_websockets", after_ready=_disconnect("too_many_websockets")),
            Scenario("plaintext_api", {"host": "0.0.0.0"}, before=_plaintext_api),
        ):
            sc.start()
            SCENARIOS[sc.name] = sc

    @classmethod
    def stop_scenarios(cls):
        for sc in SCENARIOS.values():
            sc.stop()
        SCENARIOS.clear()

    def scenario(self, name):
        sc = SCENARIOS[name]
        self.fake, self.bot = sc.fake, sc.bot
        sc.bot = None  # from here tearDown stops them, with its checks
        return sc

    def wait_until(self, t):
        while time.monotonic() < t:
            time.sleep(0.1)

    def test_watchdog_replaces_a_silent_connection(self):
        self.max_open = 2
        sc = self.scenario("watchdog")
        if sc.thread:
            sc.thread.join(30 * T)
        old = sc.marks.get("silenced")
        self.assertIsNotNone(old, "the bot never connected\n" + self.diag())
        new = self.fake.wait_for(lambda: [c for c in self.fake.ready_connections() if c.id > old.id],
                                 90 * T, interval=0.2)
        self.assertTrue(new, "a silent connection was never replaced\n" + self.diag())
        self.assertTrue(self.fake.wait_for(lambda: not old.open or old.client_close_at, 10 * T),
                        "the silent connection was left open")
        self.assertGreaterEqual(len(old.client_pings), 1, "the bot never pinged the silent link")
        rec = self.mention("what are our values?")
        self.assertEqual(rec["conn"], new[0].id)
        self.wait_reply(rec)

    def retried_slowly(self, name, method, window=8.0, most=3):
        sc = self.scenario(name)
        self.assertTrue(self.fake.wait_for(lambda: self.fake.api(method), 20 * T),
                        "never called %s\n%s" % (method, self.diag()))
        first = self.fake.api(method)[0]["time"]
        self.wait_until(first + window)
        n = len([c for c in self.fake.api(method) if c["time"] <= first + window])
        self.assertLessEqual(n, most, "%d %s calls in %.0f s with a bad token: a tight loop"
                             % (n, method, window))
        self.assertTrue(self.bot.alive(), "gave up instead of retrying slowly")
        self.assertIn("invalid_auth", self.bot.log())

    def test_invalid_app_token_reported_and_retried_slowly(self):
        self.retried_slowly("bad_app_token", "apps.connections.open")

    def test_invalid_bot_token_reported_and_retried_slowly(self):
        self.retried_slowly("bad_bot_token", "auth.test")

    def backs_off_after(self, reason, window=6.0):
        sc = self.scenario(reason)
        if sc.thread:
            sc.thread.join(30 * T)
        self.assertIn("disconnected", sc.marks, "the bot never connected\n" + self.diag())
        self.wait_until(sc.marks["disconnected"] + window)
        opens = [c for c in self.fake.api("apps.connections.open")[sc.marks["opens_before"]:]
                 if c["time"] <= sc.marks["disconnected"] + window]
        self.assertLessEqual(len(opens), 1, "%d reconnects within %.0f s of %s"
                             % (len(opens), window, reason))
        self.assertFalse(sc.marks["conn"].open)
        self.assertTrue(self.bot.alive())
        self.assertIn(reason, self.bot.log())

    def test_link_disabled_backs_off(self):
        self.backs_off_after("link_disabled")

    def test_too_many_websockets_backs_off(self):
        self.backs_off_after("too_many_websockets")

    def test_plaintext_api_url_refused_unless_loopback(self):
        sc = self.scenario("plaintext_api")
        if not sc.marks.get("ip"):
            self.skipTest("no non-loopback address on this host")
        self.expect_alive = False  # refusing to start is a fine answer
        self.wait_until(sc.marks["started"] + 3)
        self.assertEqual(self.fake.api_calls, [], "plaintext Web API call to a non-loopback address")
        self.assertRegex(self.bot.log(), PLAINTEXT_REFUSAL, "no clear error for http:// off loopback")


if __name__ == "__main__":
    unittest.main()
