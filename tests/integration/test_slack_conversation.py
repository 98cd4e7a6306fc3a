"""test_slack_conversation.py - issue 6 through the fake Slack server.

The real `valuesbot run` (tests/integration/slackbot.py) against
tests/fakes/fake_slack.py: a whole induction tour in a DM (started by a
mention in a channel or by `/values induction`), next/back/repeat/stop, a
question in the middle, the check, the timeout, two people at once; a
manager's digest posted in the channel itself; help in a thread; a declined
question in the SQLite store without any identity, then in `valuesbot
report`; a scheduled post made once after downtime and not again after a
restart.

Expected wording comes from the KB (knowledge/tewv.json) and from
`valuesbot ask --json`, not from fixed strings.  Replies in one DM are paced
(one a second), so the tours here are walked once, with two people at once.

After every test, tearDown checks: the bot exits 0 on SIGTERM with no
sanitizer report; no token in its log; no protocol violation; every envelope
acked; no special mention and no standard Markdown in any reply; and each
event got at most one reply (per event, since a DM holds a whole tour).
"""

import datetime
import json
import os
import sqlite3
import subprocess
import sys
import time
import unittest
import zoneinfo

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import slackbot  # noqa: E402
from slackbot import Bot, ask, contains_in_order, reply_markup, words  # noqa: E402
from fake_slack import FakeSlack  # noqa: E402
from test_slack import HAVE_RUN, MARKDOWN_NOT_MRKDWN, SKIP_WHY, T, channel, kb  # noqa: E402

TEWV = kb("tewv")
LONDON = zoneinfo.ZoneInfo("Europe/London")

# A bot with a real wall-clock schedule runs beside the other tests, so the
# wait for its minute costs little: see WallClockScheduleTest.
_WALL = {}


def setUpModule():
    if not HAVE_RUN:
        return
    # The first minute boundary at least 10 s away (time to start the bot).
    due = (int(time.time() + 10) // 60 + 1) * 60
    hhmm = datetime.datetime.fromtimestamp(due, LONDON).strftime("%H:%M")
    conf = {"schedules": [{"platform": "slack", "channel": "C0WEEKLYVAL", "org": "tewv",
                           "what": "value_of_the_week", "when": "daily " + hhmm,
                           "tz": "Europe/London"}]}
    fake = FakeSlack(server_ping_interval=5).start()
    _WALL.update(fake=fake, due=due, bot=Bot(fake, org="tewv", config=conf).start())


def tearDownModule():
    if _WALL.get("bot") is not None:
        _WALL["bot"].cleanup()
    if _WALL.get("fake") is not None:
        _WALL["fake"].stop()


def nsteps(k):
    """Welcome, vision (with a mission or purpose), each goal, each value, close."""
    has_purpose = any(a.get("kind") == "purpose" for a in k.get("ambitions", []))
    vision = 1 if k.get("vision") and (k.get("mission") or has_purpose) else 0
    return 1 + vision + len(k["goals"]) + len(k["values"]) + 1


def step_of(markup):
    """The "Step N of M" a tour step ends with, as (N, M), or None."""
    w = words(markup)
    for i in range(len(w) - 3):
        if w[i] == "step" and w[i + 1].isdigit() and w[i + 2] == "of" and w[i + 3].isdigit():
            return int(w[i + 1]), int(w[i + 3])
    return None


def has_words(markup, text):
    return contains_in_order(words(text), words(markup))


class ConversationCase(unittest.TestCase):

    def setUp(self):
        self.fake = None
        self.bot = None
        self.bots = []
        self.sent = []  # events_api records whose replies are counted

    def start(self, config=None, extra_env=None, **fake_kw):
        kw = {"server_ping_interval": 5}
        kw.update(fake_kw)
        if self.fake is None:
            self.fake = FakeSlack(**kw).start()
        self.bot = Bot(self.fake, org="tewv", config=config, extra_env=extra_env).start()
        self.bots.append(self.bot)
        self.wait_connected()
        return self.bot

    def restart(self, extra_env=None):
        """Stops the bot (must exit 0) and starts a new one on the same fake,
        config and store."""
        old = self.bot
        self.assertEqual(old.stop(timeout=20 * T), 0, "exit status on SIGTERM\n" + old.log()[-3000:])
        nbots = len(self.fake.api("auth.test"))
        new = Bot(self.fake, org="tewv", extra_env=extra_env)
        new.env = dict(old.env)  # same store and config file
        new.env["VALUESBOT_HTTP"] = "127.0.0.1:0"
        new.env.update(extra_env or {})
        self.bot = new.start()
        self.bots.append(new)
        f = self.fake
        ok = f.wait_for(lambda: len([c for c in f.api("auth.test") if c["error"] is None]) > nbots
                        and f.ready_connections(), 20 * T)
        self.assertTrue(ok, "the restarted bot did not connect\n" + self.diag())

    def wait_connected(self, timeout=20):
        f = self.fake
        ok = f.wait_for(lambda: f.ready_connections() and
                        any(c["status"] == 200 and c["error"] is None for c in f.api("auth.test")),
                        timeout * T)
        self.assertTrue(ok, "the bot did not connect\n" + self.diag())

    def diag(self):
        log = self.bot.log() if self.bot else ""
        st = self.fake.state() if self.fake else {}
        brief = {k: st.get(k) for k in ("violations", "undelivered")}
        brief["posts"] = [(p["channel"], p["thread_ts"], p["status"], p["error"],
                           (p.get("text") or "")[:80]) for p in st.get("posts", [])][-20:]
        return "--- fake:\n%s\n--- bot log (tail):\n%s" % (
            json.dumps(brief, indent=1, default=str)[-4000:], log[-4000:])

    # -- talking ------------------------------------------------------------

    def posts_in(self, chan):
        return self.fake.posts_ok(chan)

    def say(self, text, chan, user="U0HUMAN1", mention=False, thread_ts=None, where=None):
        """Sends one message (a DM, or a mention in a channel) and returns the one
        new post in @where (default: @chan) that answers it."""
        where = where or chan
        before = len(self.posts_in(where))
        if mention:
            ev = {"type": "app_mention", "user": user, "channel": chan,
                  "text": "<@%s> %s" % (self.fake.bot_user_id, text)}
            if thread_ts:
                ev["thread_ts"] = thread_ts
        else:
            ev = {"type": "message", "channel_type": "im", "user": user, "channel": chan,
                  "text": text}
        rec = self.fake.send_event(ev)
        self.sent.append((rec, where))
        got = self.fake.wait_for(lambda: len(self.posts_in(where)) > before, 15 * T)
        self.assertTrue(got, "no reply in %s to %r\n%s" % (where, text, self.diag()))
        return self.posts_in(where)[before]

    # -- invariants ---------------------------------------------------------

    def tearDown(self):
        problems = []
        try:
            f = self.fake
            if f is not None:
                f.wait_for(lambda: all(p["done_at"] for p in f.posts), 5 * T)
                time.sleep(0.05)
                f.wait_for(lambda: {e["envelope_id"] for e in f.envelopes}
                           <= {a["envelope_id"] for a in f.acks}, 2 * T)
            for b in self.bots:
                was_alive = b.alive()
                if not was_alive and b.returncode is None:  # not stopped by the test
                    problems.append("the bot exited by itself (status %s)" % b.proc.returncode)
                rc = b.stop(timeout=20 * T)
                if was_alive and rc != 0:
                    problems.append("exit status on SIGTERM: %s (want 0)" % rc)
                log = b.log()
                m = slackbot.SANITIZER_REPORT.search(log)
                if m:
                    problems.append("sanitizer report: " + log[max(0, m.start() - 200):m.start() + 2000])
                for tok in (f.app_token, f.bot_token):
                    if tok in log or tok.rsplit("-", 1)[1] in log:
                        problems.append("a token appears in the log")
            if f is not None:
                problems += ["protocol violation: " + v["what"] for v in f.violations]
                acked = {a["envelope_id"] for a in f.acks}
                problems += ["envelope never acked: " + json.dumps(e["payload"])[:200]
                             for e in f.envelopes if e["envelope_id"] not in acked]
                for p in f.posts_ok():
                    text = reply_markup(p["body"])
                    if slackbot.SPECIAL_MENTION.search(text):
                        problems.append("special mention in a reply: " + text[:300])
                    md = MARKDOWN_NOT_MRKDWN.search(text)
                    if md:
                        problems.append("standard Markdown in a reply: %r" % md.group(0))
                # Each message said got exactly one reply: as many posts in each
                # place as messages answered there.
                want = {}
                for _, where in self.sent:
                    want[where] = want.get(where, 0) + 1
                for where, n in want.items():
                    got = len(f.posts_ok(where))
                    if got > n and where not in getattr(self, "multi_part", ()):
                        problems.append("%d replies in %s to %d messages" % (got, where, n))
        finally:
            if self.fake is not None:
                diag = self.diag() if problems else ""
                self.fake.stop()
            for b in self.bots:
                b.cleanup()
        if problems:
            self.fail("\n".join(problems) + "\n" + diag)


@unittest.skipUnless(HAVE_RUN, SKIP_WHY)
class InductionTest(ConversationCase):

    def test_whole_induction_in_dms_two_people_at_once(self):
        self.start()
        n = nsteps(TEWV)
        dm_a, dm_b = "D0NEWSTART1", "D0NEWSTART2"
        a, b = "U0NEWSTART1", "U0NEWSTART2"

        # A says "I'm new" in a channel: the welcome goes to A's DM (the user id
        # as channel), nothing in the channel or its thread.
        first = self.say("I'm new here", "C0WELCOME", user=a, mention=True, where=a)
        self.assertIsNone(first["thread_ts"], "the tour is not posted in a thread")
        self.assertEqual(self.posts_in("C0WELCOME"), [], "the tour went to the channel")
        self.assertEqual(step_of(reply_markup(first["body"])), (1, n))
        self.assertTrue(has_words(reply_markup(first["body"]), TEWV["name"]))
        self.assertTrue(has_words(reply_markup(first["body"]), TEWV["mission"]["text"]))

        # B starts in a DM; the two tours move independently.
        self.assertEqual(step_of(reply_markup(self.say("start induction", dm_b, user=b)["body"])),
                         (1, n))
        self.assertEqual(step_of(reply_markup(self.say("next", dm_a, user=a)["body"])), (2, n))
        vision = reply_markup(self.say("next", dm_a, user=a)["body"])
        goal1 = TEWV["goals"][0]
        self.assertEqual(step_of(vision), (3, n))
        self.assertTrue(has_words(vision, goal1["title"]), vision)
        for p in goal1["points"]:
            self.assertTrue(has_words(vision, p["text"] if isinstance(p, dict) else p), vision)

        # B is still on step 1: "next" takes B to step 2, not 4.
        self.assertEqual(step_of(reply_markup(self.say("next", dm_b, user=b)["body"])), (2, n))

        # A question in the middle is answered, then the tour resumes where it was.
        q = "what is our vision?"
        mid = reply_markup(self.say(q, dm_a, user=a)["body"])
        want = words(ask("tewv", q)["text"])
        self.assertTrue(contains_in_order(want, words(mid)), "not the engine's answer: " + mid)
        self.assertIn("step 3 of %d" % n, " ".join(words(mid)), "no reminder of the step")
        self.assertEqual(step_of(reply_markup(self.say("next", dm_a, user=a)["body"])), (4, n))

        # back, repeat.
        self.assertEqual(step_of(reply_markup(self.say("back", dm_a, user=a)["body"])), (3, n))
        again = reply_markup(self.say("repeat", dm_a, user=a)["body"])
        self.assertEqual(step_of(again), (3, n))
        self.assertTrue(has_words(again, goal1["title"]))

        # B stops: a goodbye, then "next" is an ordinary message again.
        bye = reply_markup(self.say("stop", dm_b, user=b)["body"])
        self.assertIsNone(step_of(bye))
        self.assertIn("thanks", words(bye))
        after = reply_markup(self.say("next", dm_b, user=b)["body"])
        self.assertIsNone(step_of(after), "a stopped tour moved on: " + after)

        # A walks to the end: every goal, then every value with its behaviours.
        for i in range(4, n + 1):
            step = reply_markup(self.say("next", dm_a, user=a)["body"])
            self.assertEqual(step_of(step), (i, n) if i < n else None, step)
            k = i - 3  # goals from step 3 (welcome, vision)
            if k < len(TEWV["goals"]):
                self.assertTrue(has_words(step, TEWV["goals"][k]["title"]), step)
            elif k - len(TEWV["goals"]) < len(TEWV["values"]):
                v = TEWV["values"][k - len(TEWV["goals"])]
                self.assertTrue(has_words(step, v["name"]), step)
                for beh in v["behaviours"]:
                    self.assertTrue(has_words(step, beh if isinstance(beh, str) else beh["text"]),
                                    step)
        close = reply_markup(self.posts_in(dm_a)[-1]["body"])
        self.assertTrue(has_words(close, TEWV["doc"]) or has_words(close, TEWV["strategy"]), close)
        self.assertIn("yes", words(close), "the check is not offered")

        # The check: three questions, answered by number or by name; the
        # feedback says what is right and never that the person was wrong.
        q1 = reply_markup(self.say("yes", dm_a, user=a)["body"])
        self.assertIn("question 1 of 3", " ".join(words(q1)), q1)
        fb1 = reply_markup(self.say("1", dm_a, user=a)["body"])
        self.assertIn("question 2 of 3", " ".join(words(fb1)), fb1)
        self.assertTrue({"yes", "answer"} & set(words(fb1)[:4]), fb1)
        fb2 = reply_markup(self.say("we will be a great employer", dm_a, user=a)["body"])
        self.assertIn("question 3 of 3", " ".join(words(fb2)), fb2)
        fb3 = reply_markup(self.say("3", dm_a, user=a)["body"])
        self.assertIn("end of the check", " ".join(words(fb3)), fb3)
        for fb in (fb1, fb2, fb3):
            for wrong in ("wrong", "incorrect"):
                self.assertNotIn(wrong, words(fb), fb)
        # The tour is over: "next" is an ordinary message again.
        self.assertIsNone(step_of(reply_markup(self.say("next", dm_a, user=a)["body"])))

        # Every tour message went to the person's own DM, none in a thread.
        for where in (a, dm_a, dm_b):
            for p in self.posts_in(where):
                self.assertIsNone(p["thread_ts"])

    def test_tour_times_out_after_the_configured_silence(self):
        self.start(extra_env={"VALUESBOT_TOUR_TIMEOUT_SECS": "2"})
        dm = "D0SLOWPOKE1"
        self.assertEqual(step_of(reply_markup(self.say("take the tour", dm)["body"]))[0], 1)
        self.assertEqual(step_of(reply_markup(self.say("next", dm)["body"]))[0], 2)
        time.sleep(3.2)  # longer than the 2 s timeout: the tour is forgotten
        late = reply_markup(self.say("next", dm)["body"])
        self.assertIsNone(step_of(late), "the tour outlived its timeout: " + late)
        # A new trigger starts again from the first step.
        self.assertEqual(step_of(reply_markup(self.say("I'm new", dm)["body"]))[0], 1)

    def test_values_induction_slash_command_starts_the_tour_in_a_dm(self):
        self.start()
        rec = self.fake.send_slash("/values", "induction", channel="C0STAFF", user="U0SLASHER1")
        got = self.fake.wait_for(lambda: self.posts_in("U0SLASHER1"), 15 * T)
        self.assertTrue(got, "no tour in the person's DM\n" + self.diag())
        self.assertEqual(step_of(reply_markup(got[0]["body"])), (1, nsteps(TEWV)))
        # The ack (on the websocket) and the DM post (a Web API call on another
        # socket) travel separately: the tour is posted while the command is
        # answered, before its ack is written, so either may reach Slack first
        # (the post usually does, by a millisecond).  What Slack needs is the
        # ack within 3 s of the envelope.
        acked = self.fake.wait_for(lambda: self.fake.acked(rec["envelope_id"]), 3 * T)
        self.assertTrue(acked, "slash command not acked\n" + self.diag())
        self.assertLess(acked[0]["latency"], 3.0, "slash command acked too late for Slack")
        time.sleep(1.0)  # anything else (a duplicate, a response_url post) has arrived
        self.assertEqual(len(self.fake.posts_ok()), 1, "one post, in the DM")
        self.assertEqual(self.fake.hooks, [], "the tour is not sent through the response_url")
        # The next step comes from the DM.
        nxt = self.say("next", "D0SLASHER1", user="U0SLASHER1")
        self.assertEqual(step_of(reply_markup(nxt["body"])), (2, nsteps(TEWV)))


@unittest.skipUnless(HAVE_RUN, SKIP_WHY)
class ManagerAndHelpTest(ConversationCase):

    def test_digests_posted_in_the_channel_itself(self):
        self.start()
        goals = self.say("post our goals here", "C0MANAGERS", mention=True)
        self.assertIsNone(goals["thread_ts"], "a digest goes in the channel, not a thread")
        self.assertTrue(goals["blocks"], "a digest without blocks")
        # The blocks and the fallback text each read as the digest.
        for text in (goals["text"], reply_markup({"blocks": goals["blocks"]})):
            lines = [ln for ln in text.split("\n") if ln.strip()]
            for g in TEWV["goals"]:
                hits = [ln for ln in lines if has_words(ln, g["title"])]
                self.assertEqual(len(hits), 1, "goal %r not on one line of its own:\n%s" % (g["title"], text))
                self.assertRegex(hits[0], r"^\s*(•|-|\d+\.)\s", "goal line is not a list item")
            self.assertTrue(has_words(text, "source " + TEWV["strategy"]), text)
            # Goals only: no value names.
            for v in TEWV["values"]:
                self.assertNotIn(v["name"].lower(), words(text))

        values = self.say("summary of our values for the team", "C0MANAGERS", mention=True)
        self.assertIsNone(values["thread_ts"])
        for text in (values["text"], reply_markup({"blocks": values["blocks"]})):
            for v in TEWV["values"]:
                line = [ln for ln in text.split("\n") if v["name"].lower() in words(ln)]
                self.assertEqual(len(line), 1, text)
                for beh in v["behaviours"]:
                    self.assertTrue(has_words(line[0], beh if isinstance(beh, str) else beh["text"]), text)
            self.assertTrue(has_words(text, "source " + TEWV["strategy"]), text)

    def test_help_answered_in_the_thread(self):
        self.start()
        parent = self.fake.next_ts()
        post = self.say("help", "C0BUSYCHAN", mention=True, thread_ts=parent)
        self.assertEqual(post["thread_ts"], parent, "help must stay in the thread")
        text = reply_markup(post["body"])
        self.assertTrue(has_words(text, TEWV["strategy"]), text)
        self.assertGreaterEqual(text.count("\u201c"), 2, "no example questions: " + text)
        # "what can you do?" as a top-level mention: answered in its own thread.
        rec_before = len(self.posts_in("C0BUSYCHAN"))
        post2 = self.say("what can you do?", "C0BUSYCHAN", mention=True)
        self.assertEqual(post2["thread_ts"], self.sent[-1][0]["payload"]["event"]["ts"])
        self.assertEqual(len(self.posts_in("C0BUSYCHAN")), rec_before + 1)


@unittest.skipUnless(HAVE_RUN, SKIP_WHY)
class UnansweredAndScheduleTest(ConversationCase):

    def test_declined_question_stored_without_identity_and_reported(self):
        bot = self.start()
        q = "where do I park my bicycle at the Darlington site?"
        self.assertFalse(ask("tewv", q)["answered"], "the question must be one the bot declines")
        post = self.say(q, "C0SECRETCHAN", user="U0SECRETUSR", mention=True)
        self.assertTrue(has_words(reply_markup(post["body"]), "sorry"))
        db = bot.env["VALUESBOT_DB"]
        self.assertEqual(bot.stop(timeout=20 * T), 0)
        con = sqlite3.connect(db)
        try:
            tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")]
            self.assertIn("unanswered", tables)
            cols = [r[1] for r in con.execute("PRAGMA table_info(unanswered)")]
            for c in cols:
                self.assertNotRegex(c.lower(), r"user|channel|team|thread|ts$|msg")
            rows = con.execute("SELECT * FROM unanswered").fetchall()
            # Nothing anywhere in the file names the person or the channel.
            for t in tables:
                for row in con.execute("SELECT * FROM %s" % t):
                    for v in row:
                        for secret in ("U0SECRETUSR", "C0SECRETCHAN", self.fake.team_id):
                            self.assertNotIn(secret, str(v), "%s stored in %s" % (secret, t))
        finally:
            con.close()
        self.assertEqual(len(rows), 1, rows)
        row = dict(zip(cols, rows[0]))
        self.assertEqual(row["org"], "tewv")
        self.assertEqual(row["question"], q)
        self.assertLess(abs(row["at"] - time.time()), 600)
        self.assertLess(row["confidence"], 0.5)
        with open(db, "rb") as f:
            raw = f.read()
        for secret in (b"U0SECRETUSR", b"C0SECRETCHAN"):
            self.assertNotIn(secret, raw)

        env = {k: v for k, v in bot.env.items()
               if k in ("PATH", "HOME", "VALUESBOT_DB", "VALUESBOT_KB") or k.endswith("SAN_OPTIONS")}
        rep = subprocess.run([slackbot.BIN, "report"], env=env, capture_output=True, text=True,
                             timeout=60)
        self.assertEqual(rep.returncode, 0, rep.stderr)
        self.assertIn(q, rep.stdout)
        rep = subprocess.run([slackbot.BIN, "report", "--json"], env=env, capture_output=True,
                             text=True, timeout=60)
        self.assertEqual(rep.returncode, 0, rep.stderr)
        self.assertIn(q, rep.stdout)
        self.assertNotIn("U0SECRETUSR", rep.stdout)

    def test_scheduled_post_missed_while_down_posted_once(self):
        # "daily HH:MM" at the current London minute: already past today, so
        # the bot's first sight of the entry only starts its clock.
        env = dict(os.environ, TZ="Europe/London")
        hhmm = subprocess.run(["date", "+%H:%M"], env=env, capture_output=True,
                              text=True).stdout.strip()
        conf = {"schedules": [{"platform": "slack", "channel": "C0ANNOUNCE", "org": "tewv",
                               "what": "goals", "when": "daily " + hhmm,
                               "tz": "Europe/London"}]}
        bot = self.start(config=conf)
        db = bot.env["VALUESBOT_DB"]
        ok = self.fake.wait_for(lambda: self._last_runs(db), 10 * T)
        self.assertTrue(ok, "the schedule's clock was not recorded\n" + self.diag())
        time.sleep(1.0)
        self.assertEqual(self.posts_in("C0ANNOUNCE"), [], "posted at first sight")
        self.assertEqual(bot.stop(timeout=20 * T), 0)

        # The bot was down for twelve hours: today's HH:MM was missed.
        con = sqlite3.connect(db)
        with con:
            con.execute("UPDATE last_run SET at = at - 12 * 3600")
        con.close()
        self.restart()
        got = self.fake.wait_for(lambda: self.posts_in("C0ANNOUNCE"), 15 * T)
        self.assertTrue(got, "the missed post was not made\n" + self.diag())
        post = got[0]
        self.assertIsNone(post["thread_ts"])
        text = reply_markup(post["body"])
        for g in TEWV["goals"]:
            self.assertTrue(has_words(text, g["title"]), text)
        time.sleep(1.5)
        self.assertEqual(len(self.posts_in("C0ANNOUNCE")), 1, "missed post made more than once")

        # Another restart: already made, not made again.
        self.restart()
        time.sleep(2.0)
        self.assertEqual(len(self.posts_in("C0ANNOUNCE")), 1, "posted again after a restart")

    @staticmethod
    def _last_runs(db):
        if not os.path.exists(db):
            return []
        con = sqlite3.connect(db, timeout=5)
        try:
            return con.execute("SELECT job, at, runs FROM last_run").fetchall()
        except sqlite3.Error:
            return []
        finally:
            con.close()


@unittest.skipUnless(HAVE_RUN, SKIP_WHY)
class WallClockScheduleTest(ConversationCase):
    """Runs last (classes run in name order): the bot of setUpModule has a
    "daily HH:MM" schedule for the first minute at least 10 s after it
    started, which it has never seen before."""

    def test_first_due_time_after_start_is_posted_once(self):
        self.fake, self.bot = _WALL.pop("fake"), _WALL.pop("bot")
        self.bots = [self.bot]
        due = _WALL["due"]
        self.wait_connected()
        got = self.fake.wait_for(lambda: self.posts_in("C0WEEKLYVAL"),
                                 max(0, due - time.time()) + 30 * T, interval=0.2)
        self.assertTrue(got, "the scheduled post was not made at %s\n%s" % (
            datetime.datetime.fromtimestamp(due, LONDON).isoformat(), self.diag()))
        self.assertGreaterEqual(time.time(), due - 1, "posted before its time")
        post = got[0]
        self.assertIsNone(post["thread_ts"], "a scheduled post goes in the channel itself")
        text = reply_markup(post["body"])
        named = [v for v in TEWV["values"] if v["name"].lower() in words(text)]
        self.assertEqual(len(named), 1, "value of the week names one value: " + text)
        for beh in named[0]["behaviours"]:
            self.assertTrue(has_words(text, beh["text"]), text)
        time.sleep(1.5)
        self.assertEqual(len(self.posts_in("C0WEEKLYVAL")), 1, "posted more than once")


if __name__ == "__main__":
    unittest.main()
