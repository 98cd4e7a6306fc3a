"""test_teams.py - the real binary against tests/fakes/fake_teams.py: Microsoft
Teams through the Bot Framework (protocols.md 4b).

Each test starts the fake (127.0.0.1, port 0) and `valuesbot run` with
MICROSOFT_APP_* pointing at it, POSTs signed activities to the bot's
/api/messages and reads what reached the fake connector.  The bot is stopped
by its PID.
"""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "fakes"))
import slackbot  # noqa: E402
from fake_teams import FakeTeams, reply_text  # noqa: E402


class _NoSlack:
    app_token = ""
    bot_token = ""
    api_url = ""


def start_bot(fake, tenant=True, extra_env=None, config=None):
    env = fake.bot_env(tenant=tenant)
    env.update({"VALUESBOT_TEAMS_KID_FLOOR_MS": "200", "VALUESBOT_TEAMS_BACKOFF_DIV": "10"})
    env.update(extra_env or {})
    bot = slackbot.Bot(_NoSlack(), extra_env=env, config=config).start()
    port = bot.http_port()
    bot.url = f"http://127.0.0.1:{port}/api/messages"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and "signing key(s) loaded" not in bot.log():
        time.sleep(0.02)
    return bot


@unittest.skipUnless(slackbot.has_run_command(), "no valuesbot binary")
class TeamsTest(unittest.TestCase):
    def setUp(self):
        self.fake = FakeTeams().start()
        self.bot = None

    def tearDown(self):
        if self.bot is not None:
            log = self.bot.log()
            self.bot.cleanup()
            self.assertIsNone(slackbot.SANITIZER_REPORT.search(log), log[-3000:])
            self.assertNotIn(self.fake.password, log, "the app password was logged")
            for tok in list(self.fake.tokens):
                self.assertNotIn(tok, log, "an access token was logged")
        self.fake.stop()

    def start(self, **kw):
        self.bot = start_bot(self.fake, **kw)
        return self.bot

    def ask(self, activity, **kw):
        status, _ = self.fake.send(self.bot.url, activity, **kw)
        return status

    def one_reply(self, conv, timeout=10):
        got = self.fake.wait_for(lambda: [r for r in self.fake.replies if r["conv"] == conv],
                                 timeout)
        self.assertTrue(got, f"no reply in {conv}:\n" + self.bot.log()[-3000:])
        return got

    def test_health_and_metrics_name_teams(self):
        import urllib.request
        self.start()
        port = self.bot.http_port()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as r:
            health = json.loads(r.read())
        self.assertEqual(r.status, 200, health)
        self.assertIn("teams", json.dumps(health))
        a = self.fake.activity("what are our values?")
        self.assertEqual(self.ask(a), 200)
        self.one_reply(a["conversation"]["id"])
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as r:
            metrics = r.read().decode()
        self.assertRegex(metrics, r'platform="teams"')

    # -- Conversations ---------------------------------------------------
    def test_personal_chat_answered_with_a_card_and_text_fallback(self):
        self.start()
        a = self.fake.activity("what are our values?")
        self.assertEqual(self.ask(a), 200)
        r = self.one_reply(a["conversation"]["id"])[0]
        self.assertEqual(r["reply_to"], a["id"])
        body = r["body"]
        self.assertEqual(body["replyToId"], a["id"])
        self.assertEqual(body["from"]["id"], "28:" + self.fake.app_id)
        card = body["attachments"][0]
        self.assertEqual(card["contentType"], "application/vnd.microsoft.card.adaptive")
        self.assertEqual(card["content"]["version"], "1.2")
        self.assertTrue(card["content"]["fallbackText"])
        self.assertLess(len(json.dumps(card)), 28 * 1024)
        text = reply_text(body)
        expected = slackbot.ask("tewv", "what are our values?")
        for item in expected.get("items", [])[:3]:
            name = item.get("name") or item.get("title")
            if name:
                self.assertIn(name.lower(), text.lower())
        self.assertRegex(text, r"Source: ")
        self.assertNotIn("<at>", json.dumps(body))
        self.assertNotIn("entities", body)
        # One token for the whole run, from the tenant's endpoint.
        self.assertEqual(len(self.fake.token_requests), 1)
        tr = self.fake.token_requests[0]
        self.assertEqual(tr["grant_type"], "client_credentials")
        self.assertEqual(tr["scope"], "https://api.botframework.com/.default")
        self.assertIn(self.fake.tenant, tr["path"])

    def test_channel_mention_answered_in_the_thread_mention_removed(self):
        self.start()
        a = self.fake.activity("what are our goals?", scope="channel")
        self.assertEqual(self.ask(a), 200)
        conv = a["conversation"]["id"]
        self.assertIn(";messageid=", conv)
        r = self.one_reply(conv)[0]
        self.assertEqual(r["reply_to"], a["id"])
        self.assertIn("%3Bmessageid%3D", r["path"], "conversation id percent-encoded")
        self.assertRegex(self.bot.log(), r"event=teams:19:chan1@thread.tacv2:\d+")

    def test_digest_asked_in_a_thread_goes_to_the_channel_itself(self):
        self.start()
        a = self.fake.activity("post our goals here", scope="channel")
        self.assertEqual(self.ask(a), 200)
        chan = a["channelData"]["channel"]["id"]
        r = self.one_reply(chan)[0]
        self.assertIsNone(r["reply_to"], "a new post in the channel, not a thread reply")
        self.assertRegex(reply_text(r["body"]), r"(?i)goal")
        self.assertEqual(self.fake.replies_to(a["conversation"]["id"]), [])

    def test_group_chat(self):
        self.start()
        a = self.fake.activity("what is our strategy?", scope="groupChat")
        self.assertEqual(self.ask(a), 200)
        self.one_reply(a["conversation"]["id"])

    def test_html_and_entities_decoded(self):
        self.start()
        a = self.fake.activity("what&nbsp;are <b>our</b> values&#63;", scope="channel")
        self.assertEqual(self.ask(a), 200)
        text = reply_text(self.one_reply(a["conversation"]["id"])[0]["body"])
        self.assertNotIn("&nbsp;", text)

    def test_edits_deletes_typing_reactions_ignored(self):
        self.start()
        conv = "a:1personal29:1alice"
        for t in ("messageUpdate", "messageDelete", "typing", "messageReaction", "event"):
            a = self.fake.activity("what are our values?", type=t)
            self.assertEqual(self.ask(a), 200, t)
        inv = self.fake.activity(None, type="invoke", name="adaptiveCard/action")
        self.assertEqual(self.ask(inv), 200)
        a = self.fake.activity("what are our values?")
        self.assertEqual(self.ask(a), 200)
        self.one_reply(conv)
        time.sleep(0.5)
        self.assertEqual(len(self.fake.replies), 1, "only the message was answered")

    def test_redelivery_answered_once(self):
        self.start()
        a = self.fake.activity("what are our values?")
        for _ in range(3):
            self.assertEqual(self.ask(a), 200)
        self.one_reply(a["conversation"]["id"])
        time.sleep(1.0)
        self.assertEqual(len(self.fake.replies), 1)

    def test_welcome_once_when_added_and_installation_update(self):
        self.start()
        bot = {"id": "28:" + self.fake.app_id, "name": "valuesbot"}
        up = self.fake.activity(None, type="conversationUpdate", scope="channel",
                                conv="19:general@thread.tacv2", membersAdded=[bot])
        up["conversation"]["id"] = "19:general@thread.tacv2"
        up["channelData"]["eventType"] = "teamMemberAdded"
        inst = self.fake.activity(None, type="installationUpdate", scope="channel",
                                  conv="19:general@thread.tacv2", action="add")
        inst["conversation"]["id"] = "19:general@thread.tacv2"
        self.assertEqual(self.ask(up), 200)
        self.assertEqual(self.ask(inst), 200)
        up2 = dict(up, id=self.fake.next_id())
        self.assertEqual(self.ask(up2), 200)
        other = dict(up, id=self.fake.next_id(), membersAdded=[{"id": "29:1bob"}])
        self.assertEqual(self.ask(other), 200)
        r = self.one_reply("19:general@thread.tacv2")
        time.sleep(1.0)
        self.assertEqual(len(self.fake.replies), 1, "one welcome, none for another member")
        self.assertIsNone(r[0]["reply_to"], "the welcome is a new post")
        self.assertIn("installation add", self.bot.log())

    def test_without_a_tenant_every_tenant_is_answered(self):
        self.start(tenant=False, extra_env={
            "TEAMS_TOKEN_URL": self.fake.base_url + "/botframework.com/oauth2/v2.0/token"})
        a = self.fake.activity("what are our values?", tenant="another-trust")
        self.assertEqual(self.ask(a), 200)
        self.one_reply(a["conversation"]["id"])
        self.assertIn("/botframework.com/", self.fake.token_requests[0]["path"])

    def test_new_posts_refused_while_draining(self):
        self.start()
        self.fake.delay = 2.0
        a = self.fake.activity("what are our values?")
        self.assertEqual(self.ask(a), 200)
        time.sleep(0.3)
        self.bot.signal(signal.SIGTERM)
        time.sleep(0.3)
        b = self.fake.activity("what are our goals?", user="29:1late")
        self.assertEqual(self.ask(b), 503, "the channel sends it again later")
        self.assertEqual(self.bot.proc.wait(20), 0)
        self.assertEqual([r["conv"] for r in self.fake.replies], [a["conversation"]["id"]])

    def test_another_tenant_refused_without_content_in_the_log(self):
        self.start()
        a = self.fake.activity("a secret question about payroll", tenant="other-tenant-id")
        self.assertEqual(self.ask(a), 403)
        time.sleep(0.5)
        self.assertEqual(self.fake.replies, [])
        self.assertIn("another tenant", self.bot.log())
        self.assertNotIn("payroll", self.bot.log())

    # -- Bad tokens ------------------------------------------------------
    def test_bad_tokens_of_every_kind_401_and_no_reply(self):
        self.start()
        now = int(time.time())
        f = self.fake
        stranger = f.add_key("never-published", publish=False)
        cases = {
            "bad signature": dict(token=f.sign(f.claims(), kid="key-1", key=stranger)),
            "wrong audience": dict(claims=f.claims(aud="someone-else")),
            "expired": dict(claims=f.claims(exp=now - 600, nbf=now - 4000)),
            "not yet valid": dict(claims=f.claims(nbf=now + 900, exp=now + 4000)),
            "wrong serviceUrl": dict(claims=f.claims(service_url="https://evil.example/")),
            "unknown issuer": dict(claims=f.claims(iss="https://api.botframework.com.evil.example")),
            "unknown key": dict(token=f.sign(f.claims(), kid="never-published")),
            "alg none": dict(token=f.sign(f.claims(), header={"alg": "none", "kid": "key-1"})),
            "HS256": dict(token=f.sign(f.claims(), header={"alg": "HS256", "kid": "key-1"})),
            "no header": dict(auth=""),
            "not bearer": dict(auth="Basic abc"),
            "garbage": dict(auth="Bearer not.a.jwt"),
        }
        for what, kw in cases.items():
            a = f.activity("what are our values?")
            self.assertEqual(self.ask(a, **kw), 401, what)
        time.sleep(1.0)
        self.assertEqual(f.replies, [], "no reply to any bad token")
        # Unendorsed key for the channel.
        f.add_key("webchat-only", endorsements=["webchat"])
        a = f.activity("what are our values?")
        self.assertEqual(self.ask(a, token=f.sign(f.claims(), kid="webchat-only")), 401)
        self.assertIn("endorse", self.bot.log())

    def test_key_rollover_fetches_the_new_keys(self):
        self.start()
        a = self.fake.activity("what are our values?")
        self.assertEqual(self.ask(a), 200)
        before = self.fake.jwks_fetches
        time.sleep(0.3)  # past the unknown-kid floor
        self.fake.rollover("key-2")
        b = self.fake.activity("what are our goals?", user="29:1bob")
        self.assertEqual(self.ask(b), 200)
        self.assertGreater(self.fake.jwks_fetches, before)
        self.one_reply(b["conversation"]["id"])

    def test_long_token_header_accepted(self):
        # Real tokens are 1 to 3 KB; a listener with 4 KB of header room
        # would drop the request before it is read.
        self.start()
        a = self.fake.activity("what are our values?")
        tok = self.fake.sign(self.fake.claims(padding="p" * 5000))
        self.assertGreater(len(tok), 7000)
        self.assertEqual(self.ask(a, token=tok), 200)
        self.one_reply(a["conversation"]["id"])

    # -- Bodies ------------------------------------------------------------
    def test_invalid_json_and_a_1mb_activity(self):
        self.start()
        a = self.fake.activity("what are our values?")
        tok = self.fake.sign(self.fake.claims())
        self.assertEqual(self.ask(a, token=tok, raw=b"{not json"), 400)
        self.assertEqual(self.ask(a, token=tok, raw=b"[1, 2]"), 400)
        noconv = dict(a)
        del noconv["conversation"]
        self.assertEqual(self.ask(noconv), 400)
        notype = dict(a)
        del notype["type"]
        self.assertEqual(self.ask(notype), 400)
        big = self.fake.activity("what are our values?")
        big["channelData"]["padding"] = "x" * (1024 * 1024)
        self.assertEqual(self.ask(big), 413)
        ok = self.fake.activity("what are our values?")
        ok["channelData"]["padding"] = "x" * (900 * 1024)
        self.assertEqual(self.ask(ok), 200)
        self.one_reply(ok["conversation"]["id"])
        self.assertTrue(self.bot.alive())

    def test_odd_field_types_in_a_signed_activity(self):
        self.start()
        base = self.fake.activity("what are our values?", scope="channel")
        odd = [None, 7, True, [], {}, "", "x" * 3000]
        keys = ["id", "text", "from", "conversation", "channelData", "entities",
                "recipient", "membersAdded", "attachments", "textFormat"]
        sent = 0
        for k in keys:
            for v in odd:
                a = json.loads(json.dumps(base))
                a[k] = v
                a["id"] = a["id"] if k == "id" else self.fake.next_id()
                st = self.ask(a)
                self.assertIn(st, (200, 400), f"{k}={v!r}")
                sent += 1
        for k in ("id", "conversationType", "tenantId"):
            for v in odd:
                a = json.loads(json.dumps(base))
                a["id"] = self.fake.next_id()
                a["conversation"][k] = v
                self.assertIn(self.ask(a), (200, 400), f"conversation.{k}={v!r}")
        self.assertTrue(self.bot.alive())
        ok = self.fake.activity("what are our goals?", user="29:1after")
        self.assertEqual(self.ask(ok), 200)
        self.one_reply(ok["conversation"]["id"])

    # -- The connector -----------------------------------------------------
    def test_429_storm_retry_after_then_posted_once(self):
        self.start()
        self.fake.faults = [(429, {"Retry-After": "1"})] * 3 + [(412, {}), (502, {})]
        a = self.fake.activity("what are our values?")
        t0 = time.monotonic()
        self.assertEqual(self.ask(a), 200)
        self.one_reply(a["conversation"]["id"], timeout=30)
        self.assertGreaterEqual(time.monotonic() - t0, 2.5, "Retry-After honoured")
        time.sleep(0.5)
        self.assertEqual(len(self.fake.replies), 1)
        self.assertGreaterEqual(len(self.fake.attempts), 6)

    def test_slow_connector_post_still_answered_at_once(self):
        self.start()
        self.fake.delay = 3.0
        a = self.fake.activity("what are our values?")
        status, secs = self.fake.send(self.bot.url, a)
        self.assertEqual(status, 200)
        self.assertLess(secs, 1.0, "the POST does not wait for the reply")
        self.one_reply(a["conversation"]["id"], timeout=15)

    def test_dead_connector_gives_up_without_crashing(self):
        self.start()
        self.fake.dead = True
        a = self.fake.activity("what are our values?")
        self.assertEqual(self.ask(a), 200)
        self.fake.wait_for(lambda: len(self.fake.attempts) >= 2, timeout=15)
        self.fake.dead = False
        self.assertTrue(self.bot.alive())
        b = self.fake.activity("what are our goals?", user="29:1bob")
        self.assertEqual(self.ask(b), 200)
        self.one_reply(b["conversation"]["id"], timeout=20)

    def test_token_renewed_before_it_expires(self):
        self.fake.expires_in = 4  # renewed at half its life when this short
        self.start()
        a = self.fake.activity("what are our values?")
        self.assertEqual(self.ask(a), 200)
        self.one_reply(a["conversation"]["id"])
        self.assertEqual(len(self.fake.token_requests), 1)
        time.sleep(2.5)
        b = self.fake.activity("what are our goals?", user="29:1bob")
        self.assertEqual(self.ask(b), 200)
        self.one_reply(b["conversation"]["id"])
        self.assertEqual(len(self.fake.token_requests), 2, "a fresh token for the second")

    def test_connector_401_gets_a_fresh_token_once(self):
        self.start()
        a = self.fake.activity("what are our values?")
        self.assertEqual(self.ask(a), 200)
        self.one_reply(a["conversation"]["id"])
        with self.fake.lock:
            self.fake.tokens.clear()  # the connector no longer takes the bot's token
        b = self.fake.activity("what are our goals?", user="29:1bob")
        self.assertEqual(self.ask(b), 200)
        self.one_reply(b["conversation"]["id"])
        self.assertEqual(len(self.fake.token_requests), 2)
        self.assertEqual(len(self.fake.replies), 2)

    def test_keys_refreshed_on_a_schedule(self):
        self.start(extra_env={"VALUESBOT_TEAMS_KEYS_SECS": "1"})
        n = self.fake.jwks_fetches
        self.assertTrue(self.fake.wait_for(lambda: self.fake.jwks_fetches >= n + 2, 5),
                        "keys not fetched again")
        self.assertEqual(self.ask(self.fake.activity("what are our values?")), 200)

    def test_wrong_password_no_reply_and_not_logged(self):
        self.fake.password = "the-right-one"
        self.bot = start_bot(self.fake, extra_env={"MICROSOFT_APP_PASSWORD": "a-wrong-secret"})
        a = self.fake.activity("what are our values?")
        self.assertEqual(self.ask(a), 200)
        self.fake.wait_for(lambda: len(self.fake.token_requests) >= 2, timeout=10)
        self.assertEqual(self.fake.replies, [])
        self.assertIn("invalid_client", self.bot.log())
        self.assertNotIn("a-wrong-secret", self.bot.log())

    def test_service_url_outside_the_allow_list_gets_no_token(self):
        self.start(extra_env={"TEAMS_ALLOWED_SERVICE_URLS": "https://smba.trafficmanager.net/"})
        a = self.fake.activity("what are our values?")
        self.assertEqual(self.ask(a), 200)
        time.sleep(1.0)
        self.assertEqual(self.fake.attempts, [], "nothing sent to a service URL not allowed")
        self.assertIn("allow-list", self.bot.log())

    def test_sigterm_with_replies_in_flight(self):
        self.start()
        self.fake.delay = 1.0
        convs = []
        for i in range(5):
            a = self.fake.activity("what are our values?", user=f"29:1user{i}")
            self.assertEqual(self.ask(a), 200)
            convs.append(a["conversation"]["id"])
        self.bot.signal(signal.SIGTERM)  # once: a second one means "leave now"
        self.assertEqual(self.bot.proc.wait(20), 0)
        self.assertEqual(sorted(r["conv"] for r in self.fake.replies), sorted(convs),
                         "every accepted message answered before exit")

    def test_routing_team_to_org(self):
        self.start(config={"teams": {"teams": {"19:team1@thread.tacv2": "cwpt"}}})
        a = self.fake.activity("what are our values?", scope="channel")
        self.assertEqual(self.ask(a), 200)
        r = self.one_reply(a["conversation"]["id"])[0]
        self.assertRegex(self.bot.log(), r"org=cwpt")
        p = self.fake.activity("what are our values?")
        self.assertEqual(self.ask(p), 200)
        self.one_reply(p["conversation"]["id"])
        self.assertRegex(self.bot.log(), r"org=tewv")
        self.assertTrue(r)


    def test_manifest_commands_answered(self):
        with open(os.path.join(HERE, "..", "..", "config", "teams-manifest", "manifest.json")) as f:
            manifest = json.load(f)
        bot = manifest["bots"][0]
        self.assertEqual(sorted(bot["scopes"]), ["groupChat", "personal", "team"])
        titles = [c["title"] for c in bot["commandLists"][0]["commands"]]
        self.assertEqual(titles, ["values", "goals", "strategy", "induction", "help"])
        self.start()
        for i, t in enumerate(titles):
            a = self.fake.activity(t, user=f"29:1cmd{i}")
            self.assertEqual(self.ask(a), 200)
            text = reply_text(self.one_reply(a["conversation"]["id"])[0]["body"])
            self.assertTrue(text.strip(), t)
            if t == "induction":
                self.assertRegex(text, r"(?i)step 1 of \d+")

    def test_tour_asked_in_a_channel_moves_to_a_new_personal_chat(self):
        self.start()
        a = self.fake.activity("start induction", scope="channel")
        self.assertEqual(self.ask(a), 200)
        created = self.fake.wait_for(lambda: self.fake.created, 10)
        self.assertTrue(created, "no 1:1 conversation created\n" + self.bot.log()[-2000:])
        req = created[0]["body"]
        self.assertEqual(req["members"], [{"id": "29:1alice"}])
        self.assertEqual(req["bot"]["id"], "28:" + self.fake.app_id)
        self.assertEqual(req["tenantId"], self.fake.tenant)
        r = self.one_reply(created[0]["id"])
        self.assertRegex(reply_text(r[0]["body"]), r"(?i)step 1 of \d+")
        self.assertEqual(self.fake.replies_to(a["conversation"]["id"]), [],
                         "the tour is not posted in the channel")

    def test_scheduled_post_after_a_restart_from_the_stored_reference(self):
        env = dict(os.environ, TZ="Europe/London")
        hhmm = subprocess.run(["date", "+%H:%M"], env=env, capture_output=True,
                              text=True).stdout.strip()
        chan = "19:general@thread.tacv2"
        conf = {"schedules": [{"platform": "teams", "channel": chan, "org": "tewv",
                               "what": "goals", "when": "daily " + hhmm,
                               "tz": "Europe/London"}]}
        bot = self.start(config=conf)
        db = bot.env["VALUESBOT_DB"]
        # The bot is added to the team: its reference is kept (no content).
        up = self.fake.activity(None, type="conversationUpdate", scope="channel",
                                membersAdded=[{"id": "28:" + self.fake.app_id}])
        up["conversation"]["id"] = chan
        self.assertEqual(self.ask(up), 200)
        self.one_reply(chan)
        # A personal chat's id names a person: never kept.
        dm = self.fake.activity("what are our values?")
        self.assertEqual(self.ask(dm), 200)
        self.one_reply(dm["conversation"]["id"])
        self.assertTrue(self.fake.wait_for(lambda: self._rows(db, "SELECT * FROM last_run"), 10))
        self.assertEqual(bot.stop(timeout=20), 0)
        refs = self._rows(db, "SELECT platform, conv, service_url, tenant FROM conv_ref")
        self.assertEqual(refs, [("teams", chan, self.fake.service_url, self.fake.tenant)])
        cols = [r[1] for r in self._rows(db, "PRAGMA table_info(conv_ref)")]
        self.assertEqual(cols, ["platform", "conv", "service_url", "tenant", "at"])
        con = sqlite3.connect(db)
        with con:
            con.execute("UPDATE last_run SET at = at - 12 * 3600")
        con.close()
        # A new process, nothing in memory: the post goes where the store says.
        n = len(self.fake.replies)
        self.bot = start_bot(self.fake, config=conf, extra_env={"VALUESBOT_DB": db})
        got = self.fake.wait_for(lambda: len(self.fake.replies_to(chan)) > 1, 15)
        self.assertTrue(got, "no scheduled post\n" + self.bot.log()[-2000:])
        post = self.fake.replies_to(chan)[-1]
        self.assertIsNone(post["reply_to"], "a new top-level post")
        self.assertRegex(reply_text(post["body"]), r"(?i)goal")
        self.assertEqual(len(self.fake.replies), n + 1)
        bot.cleanup()

    @staticmethod
    def _rows(db, sql):
        if not os.path.exists(db):
            return []
        con = sqlite3.connect(db)
        try:
            return con.execute(sql).fetchall()
        except sqlite3.Error:
            return []
        finally:
            con.close()


if __name__ == "__main__":
    unittest.main()
