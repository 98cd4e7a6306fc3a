"""Self-test of tests/fakes/fake_mattermost.py: a small Python client proves
that the fake speaks the Mattermost protocol as protocols.md section 2 and the
server sources describe it.  Always runs (no bot binary needed).

    python3 -m unittest discover -s tests/integration -p 'test_fake_mattermost.py'
"""

import asyncio
import json
import os
import shutil
import ssl
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "fakes"))
import fake_mattermost  # noqa: E402
import wsproto  # noqa: E402

TOKEN = "selftesttoken0123456789abcd"


def rest(url, path, method="GET", token=TOKEN, body=None, context=None):
    """(status, headers, body bytes) of one REST call."""
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url + path, data=data, method=method)
    if token:
        req.add_header("Authorization", "Bearer " + token)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=10, context=context) as r:
            return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read()
    except urllib.error.HTTPError as e:
        return e.code, {k.lower(): v for k, v in e.headers.items()}, e.read()


class Client:
    """A minimal Mattermost websocket client: events and responses apart."""

    def __init__(self, port):
        self.port = port
        self.ws = None
        self.seq = 0

    async def connect(self, query="", token=TOKEN, headers=None):
        h = dict(headers or {})
        if token:
            h["Authorization"] = "Bearer " + token
        status, hdrs, ws = await wsproto.ws_connect("127.0.0.1", self.port,
                                                    "/api/v4/websocket" + query, h)
        self.ws = ws
        return status, hdrs

    async def recv(self, timeout=5):
        op, data = await asyncio.wait_for(self.ws.recv(), timeout)
        assert op == wsproto.OP_TEXT, op
        return json.loads(data)

    async def event(self, name=None, timeout=5):
        """Next event (skips responses and, unless asked for, typing)."""
        while True:
            msg = await self.recv(timeout)
            if "event" not in msg:
                continue
            if name is None and msg["event"] == "typing":
                continue
            if name is None or msg["event"] == name:
                return msg

    async def request(self, action, data=None, seq=None):
        self.seq += 1
        msg = {"action": action, "seq": self.seq if seq is None else seq}
        if data is not None:
            msg["data"] = data
        self.ws.send_text(json.dumps(msg))
        await self.ws.drain()
        while True:
            m = await self.recv()
            if "seq_reply" in m:
                return m

    async def expect_closed(self, timeout=5):
        """True when the server closes the socket within @timeout."""
        try:
            while True:
                await asyncio.wait_for(self.ws.recv(), timeout)
        except wsproto.ConnectionClosed:
            return True
        except asyncio.TimeoutError:
            return False

    def close(self):
        if self.ws is not None:
            self.ws.close_tcp()


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, 60))


class FakeMattermostTest(unittest.TestCase):
    def setUp(self):
        self.proc, self.info, self.ctl = fake_mattermost.start_process("--token", TOKEN)
        self.url = self.info["url"]
        self.port = self.info["port"]
        self.bot_id = self.info["bot_id"]

    def tearDown(self):
        errors = fake_mattermost.process_errors(self.proc)
        fake_mattermost.stop_process(self.proc)
        self.assertNotIn("Traceback", errors)

    def wait_for(self, pred, timeout=10):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            v = pred()
            if v:
                return v
            time.sleep(0.05)
        return pred()

    async def await_for(self, pred, timeout=10):
        """wait_for() for coroutines: lets the client's loop run meanwhile."""
        loop = asyncio.get_running_loop()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            v = await loop.run_in_executor(None, pred)
            if v:
                return v
            await asyncio.sleep(0.05)
        return await loop.run_in_executor(None, pred)

    # --- REST

    def test_users_me(self):
        status, _, body = rest(self.url, "/api/v4/users/me")
        self.assertEqual(status, 200)
        me = json.loads(body)
        self.assertEqual(me["id"], self.bot_id)
        self.assertEqual(me["username"], "valuesbot")
        self.assertTrue(me["is_bot"])
        for tok in ("wrong", None):
            status, hdrs, body = rest(self.url, "/api/v4/users/me", token=tok)
            self.assertEqual(status, 401)
            err = json.loads(body)
            self.assertEqual(err["status_code"], 401)
            self.assertEqual(err["id"], "api.context.session_expired.app_error")

    def test_create_post_and_own_posted_event(self):
        async def go():
            c = Client(self.port)
            await c.connect()
            await c.event("hello")
            q = self.ctl.post("@valuesbot hi")
            ev = await c.event("posted")
            self.assertEqual(json.loads(ev["data"]["post"])["id"], q["id"])
            loop = asyncio.get_running_loop()
            status, _, body = await loop.run_in_executor(None, lambda: rest(
                self.url, "/api/v4/posts", "POST",
                body={"channel_id": q["channel_id"], "message": "reply", "root_id": q["id"]}))
            self.assertEqual(status, 201)
            created = json.loads(body)
            self.assertEqual(created["root_id"], q["id"])
            self.assertEqual(created["user_id"], self.bot_id)
            # The bot receives its own post, marked from_bot.
            ev = await c.event("posted")
            post = json.loads(ev["data"]["post"])
            self.assertEqual(post["id"], created["id"])
            self.assertEqual(post["user_id"], self.bot_id)
            self.assertEqual(post["props"].get("from_bot"), "true")
            self.assertNotIn("mentions", ev["data"])
            c.close()
        run(go())
        st = self.ctl.state()
        self.assertEqual([p["message"] for p in st["posts"]], ["reply"])
        self.assertEqual(st["violations"], [])
        self.assertEqual(st["max_open_websockets"], 1)

    def test_bad_root_id_is_400(self):
        q = self.ctl.post("root")
        reply = self.ctl.post("a reply", channel_id=q["channel_id"], root_id=q["id"])
        for root in ("nosuchpost", reply["id"]):
            status, _, body = rest(self.url, "/api/v4/posts", "POST",
                                   body={"channel_id": q["channel_id"], "message": "x",
                                         "root_id": root})
            self.assertEqual(status, 400, root)
            self.assertEqual(json.loads(body)["id"], "api.post.create_post.root_id.app_error")
        self.ctl.call("delete_post", {"id": q["id"]})
        status, _, _ = rest(self.url, "/api/v4/posts", "POST",
                            body={"channel_id": q["channel_id"], "message": "x",
                                  "root_id": q["id"]})
        self.assertEqual(status, 400)
        status, _, _ = rest(self.url, "/api/v4/posts", "POST",
                            body={"channel_id": q["channel_id"], "message": "x", "root_id": ""})
        self.assertEqual(status, 201)

    def test_post_faults_429_and_5xx(self):
        ch = self.ctl.post("x")["channel_id"]
        self.ctl.call("faults", {"route": "posts", "responses": [
            {"status": 429, "retry_after": 2}, {"status": 503}]})
        body = {"channel_id": ch, "message": "m"}
        status, hdrs, text = rest(self.url, "/api/v4/posts", "POST", body=body)
        self.assertEqual(status, 429)
        self.assertEqual(text, b"limit exceeded\n")
        self.assertTrue(hdrs["content-type"].startswith("text/plain"))
        self.assertEqual(hdrs["retry-after"], "2")
        self.assertEqual(hdrs["x-ratelimit-remaining"], "0")
        self.assertIn("x-ratelimit-limit", hdrs)
        self.assertIn("x-ratelimit-reset", hdrs)
        status, _, text = rest(self.url, "/api/v4/posts", "POST", body=body)
        self.assertEqual(status, 503)
        self.assertEqual(json.loads(text)["status_code"], 503)
        status, _, _ = rest(self.url, "/api/v4/posts", "POST", body=body)
        self.assertEqual(status, 201)
        st = self.ctl.state()
        self.assertEqual([a["status"] for a in st["post_attempts"]], [429, 503, 201])
        self.assertEqual(len(st["posts"]), 1)

    def test_pending_post_id_dedupes_create_after_5xx(self):
        ch = self.ctl.post("x")["channel_id"]
        self.ctl.call("faults", {"route": "posts",
                                 "responses": [{"status": 500, "after_create": True}]})
        body = {"channel_id": ch, "message": "m", "pending_post_id": "u:1"}
        self.assertEqual(rest(self.url, "/api/v4/posts", "POST", body=body)[0], 500)
        self.assertEqual(rest(self.url, "/api/v4/posts", "POST", body=body)[0], 201)
        self.assertEqual(len(self.ctl.state()["posts"]), 1)

    def test_channel_posts_catch_up(self):
        a = self.ctl.post("one")
        b = self.ctl.post("two", channel_id=a["channel_id"])
        status, _, body = rest(self.url, "/api/v4/channels/%s/posts?after=%s"
                               % (a["channel_id"], a["id"]))
        self.assertEqual(status, 200)
        self.assertEqual(json.loads(body)["order"], [b["id"]])
        status, _, body = rest(self.url, "/api/v4/channels/%s/posts?since=0" % a["channel_id"])
        self.assertEqual(json.loads(body)["order"], [b["id"], a["id"]])

    def test_channel_lists_pages_and_client_config(self):
        a = self.ctl.post("one")
        ch = a["channel_id"]
        self.ctl.call("posts", {"posts": [{"message": "m%d" % i, "channel_id": ch}
                                          for i in range(250)]})
        d = self.ctl.post("hi", channel_type="D")
        teams = json.loads(rest(self.url, "/api/v4/users/me/teams")[2])
        listed = json.loads(rest(self.url, "/api/v4/users/me/teams/%s/channels"
                                 % teams[0]["id"])[2])
        byid = {c["id"]: c for c in listed}
        self.assertIn(ch, byid)
        self.assertIn(d["channel_id"], byid, "a DM comes with the team's channels")
        self.assertGreaterEqual(byid[ch]["last_post_at"], a["create_at"])
        # Pages: newest first, per_page at most 200, 60 by default.
        pages = [json.loads(rest(self.url, "/api/v4/channels/%s/posts?page=%d&per_page=500"
                                 % (ch, n))[2])["order"] for n in range(3)]
        self.assertEqual([len(p) for p in pages], [200, 51, 0])
        self.assertEqual(pages[1][-1], a["id"])
        self.assertEqual(len(json.loads(rest(self.url, "/api/v4/channels/%s/posts" % ch)[2])
                             ["order"]), 60)
        # since= is not paginated: page and per_page are ignored.
        since = json.loads(rest(self.url, "/api/v4/channels/%s/posts?since=1&page=1&per_page=5"
                                % ch)[2])
        self.assertEqual(len(since["order"]), 251)
        self.ctl.call("config", {"max_post_size": 4000})
        status, _, body = rest(self.url, "/api/v4/config/client?format=old")
        self.assertEqual((status, json.loads(body)["MaxPostSize"]), (200, "4000"))
        self.assertEqual(rest(self.url, "/api/v4/config/client")[0], 501)

    def test_other_rest_calls(self):
        q = self.ctl.post("@valuesbot hi")
        status, _, body = rest(self.url, "/api/v4/channels/" + q["channel_id"])
        self.assertEqual((status, json.loads(body)["type"]), (200, "O"))
        status, _, body = rest(self.url, "/api/v4/users/" + q["user_id"])
        self.assertEqual(json.loads(body)["username"], "alice")
        status, _, body = rest(self.url, "/api/v4/users/me/teams")
        self.assertEqual(status, 200)
        self.assertTrue(json.loads(body))
        status, _, body = rest(self.url, "/api/v4/channels/direct", "POST",
                               body=[self.bot_id, q["user_id"]])
        self.assertEqual(status, 201)
        dm = json.loads(body)
        self.assertEqual(dm["type"], "D")
        d = self.ctl.post("hi", channel_type="D")
        self.assertEqual(d["channel_id"], dm["id"])
        self.assertEqual(rest(self.url, "/api/v4/users/me/typing", "POST", body={})[0], 200)
        self.assertEqual(rest(self.url, "/api/v4/no/such/thing")[0], 404)
        self.assertEqual(rest(self.url, "/api/v4/channels/" + q["channel_id"], token=None)[0],
                         401)
        self.assertEqual([v["what"] for v in self.ctl.state()["violations"]],
                         ["unknown API call GET /api/v4/no/such/thing"])

    # --- websocket

    def test_hello_and_posted_shapes(self):
        async def go():
            c = Client(self.port)
            status, _ = await c.connect()
            self.assertEqual(status, 101)
            hello = await c.recv()
            self.assertEqual(hello["event"], "hello")
            self.assertEqual(hello["seq"], 0)
            self.assertEqual(len(hello["data"]["connection_id"]), 26)
            self.assertIn("server_version", hello["data"])
            self.assertEqual(hello["broadcast"]["user_id"], self.bot_id)
            q = self.ctl.post("@valuesbot what are our <values> & goals?")
            typing = await c.recv()
            self.assertEqual(typing["event"], "typing")
            self.assertEqual(typing["seq"], 1)
            raw_op, raw = await asyncio.wait_for(c.ws.recv(), 5)
            self.assertIn(b"\\\\u003cvalues\\\\u003e \\\\u0026", raw)  # Go HTML-safe
            ev = json.loads(raw)
            self.assertEqual(ev["event"], "posted")
            self.assertEqual(ev["seq"], 2)
            self.assertEqual(list(ev), ["event", "data", "broadcast", "seq"])
            d = ev["data"]
            self.assertIsInstance(d["post"], str)
            post = json.loads(d["post"])
            self.assertEqual(post["id"], q["id"])
            self.assertEqual(post["message"], "@valuesbot what are our <values> & goals?")
            self.assertEqual(post["root_id"], "")
            self.assertEqual(d["channel_type"], "O")
            self.assertEqual(json.loads(d["mentions"]), [self.bot_id])
            self.assertEqual(d["sender_name"], "@alice")
            self.assertEqual(ev["broadcast"]["channel_id"], post["channel_id"])
            # not mentioned: no mentions key; a DM: channel_type D, mentioned.
            self.ctl.post("no mention here", channel_id=post["channel_id"])
            ev = await c.event("posted")
            self.assertNotIn("mentions", ev["data"])
            self.ctl.post("hello", channel_type="D")
            ev = await c.event("posted")
            self.assertEqual(ev["data"]["channel_type"], "D")
            self.assertEqual(ev["data"]["team_id"], "")
            self.assertEqual(json.loads(ev["data"]["mentions"]), [self.bot_id])
            self.assertIn("__", ev["data"]["channel_name"])
            # edited, system, other bots
            self.ctl.post("@valuesbot edited", id=q["id"], event="post_edited")
            ev = await c.event()
            self.assertEqual(ev["event"], "post_edited")
            self.assertNotEqual(json.loads(ev["data"]["post"])["edit_at"], 0)
            self.ctl.post("@valuesbot joined", type="system_join_channel")
            ev = await c.event()
            self.assertEqual(json.loads(ev["data"]["post"])["type"], "system_join_channel")
            self.ctl.post("@valuesbot hi", user="otherbot", props={"from_bot": "true"})
            ev = await c.event()
            self.assertEqual(json.loads(ev["data"]["post"])["props"]["from_bot"], "true")
            c.close()
        run(go())
        st = self.ctl.state()
        self.assertEqual(st["connections"][0]["auth_header"], "valid")
        self.assertEqual(st["connections"][0]["authed_via"], "header")

    def test_requests_ping_and_errors(self):
        async def go():
            c = Client(self.port)
            await c.connect()
            await c.event("hello")
            r = await c.request("ping")
            self.assertEqual(r["status"], "OK")
            self.assertEqual(r["seq_reply"], 1)
            self.assertEqual(r["data"]["text"], "pong")
            self.assertNotIn("seq", r)
            r = await c.request("ping", seq=0)
            self.assertEqual(r["status"], "FAIL")
            self.assertEqual(r["error"]["id"], "api.web_socket_router.bad_seq.app_error")
            r = await c.request("", seq=5)
            self.assertEqual(r["error"]["id"], "api.web_socket_router.no_action.app_error")
            r = await c.request("no_such_action")
            self.assertEqual(r["error"]["id"], "api.web_socket_router.bad_action.app_error")
            c.ws.send_text("{not json")
            self.assertTrue(await c.expect_closed())
        run(go())
        st = self.ctl.state()
        self.assertEqual([r["action"] for r in st["connections"][0]["requests"]],
                         ["ping", "ping", "", "no_such_action"])
        what = " ".join(v["what"] for v in st["violations"])
        for err in ("bad_seq", "no_action", "bad_action", "undecodable request"):
            self.assertIn(err, what)

    def test_oversized_client_message_closed_1009(self):
        async def go():
            c = Client(self.port)
            await c.connect()
            await c.event("hello")
            c.ws.send_text(json.dumps({"action": "ping", "seq": 1, "pad": "x" * 9000}))
            self.assertTrue(await c.expect_closed())
            self.assertEqual(c.ws.close_received[0], 1009)
        run(go())

    def test_authentication_challenge(self):
        async def go():
            c = Client(self.port)
            await c.connect(token=None)
            r = await c.request("ping")
            self.assertEqual(r["error"]["id"],
                             "api.web_socket_router.not_authenticated.app_error")
            c.ws.send_text(json.dumps({"seq": 2, "action": "authentication_challenge",
                                       "data": {"token": TOKEN}}))
            hello = await c.recv()
            self.assertEqual(hello["event"], "hello")
            ok = await c.recv()
            self.assertEqual(ok, {"status": "OK", "seq_reply": 2})
            c.close()
            bad = Client(self.port)
            await bad.connect(token=None)
            bad.ws.send_text(json.dumps({"seq": 1, "action": "authentication_challenge",
                                         "data": {"token": "wrong"}}))
            self.assertTrue(await bad.expect_closed())
        run(go())
        self.assertEqual(self.ctl.state()["connections"][0]["authed_via"], "challenge")

    def test_unauthenticated_socket_closed_after_auth_timeout(self):
        self.ctl.call("config", {"auth_timeout": 0.5})

        async def go():
            c = Client(self.port)
            status, _ = await c.connect(token="wrong")
            self.assertEqual(status, 101)  # TrustRequester: upgrades anyway
            t = time.monotonic()
            self.assertTrue(await c.expect_closed(5))
            self.assertLess(time.monotonic() - t, 5)
        run(go())
        conn = self.ctl.state()["connections"][0]
        self.assertEqual(conn["auth_header"], "invalid")
        self.assertEqual(conn["outcome"], "unauthenticated")

    def test_token_in_query_is_401(self):
        async def go():
            c = Client(self.port)
            status, hdrs = await c.connect("?access_token=" + TOKEN, token=None)
            self.assertEqual(status, 401)
        run(go())

    def test_server_ping_answered_by_client_is_recorded(self):
        async def go():
            c = Client(self.port)
            await c.connect()
            await c.event("hello")
            self.ctl.call("ws_ping", {"payload": "p1"})
            # wsproto answers pings inside recv(); give it a frame to read.
            self.ctl.post("x")
            await c.event("posted")
            self.assertTrue(await self.await_for(
                lambda: self.ctl.state()["connections"][0]["ws_pongs"]))
            c.close()
        run(go())
        self.assertEqual(self.ctl.state()["connections"][0]["ws_pongs"][0]["payload"], "p1")

    def test_no_pong_means_dropped(self):
        self.ctl.call("config", {"ws_ping_interval": 0.2, "pong_wait": 1.0})

        async def go():
            c = Client(self.port)
            await c.connect()
            c.ws.auto_pong = False
            await c.event("hello")
            self.assertTrue(await c.expect_closed(5))
        run(go())
        st = self.ctl.state()
        self.assertIn("read deadline: no pong", st["connections"][0]["errors"])

    def test_replay_after_reconnect(self):
        async def go():
            c = Client(self.port)
            await c.connect()
            hello = await c.event("hello")
            cid = hello["data"]["connection_id"]
            self.ctl.post("first")
            last = (await c.event("posted"))["seq"]
            # two posts lost in flight, then the drop; one more while away
            a = self.ctl.post("second", withhold=True)
            b = self.ctl.post("third", withhold=True)
            self.ctl.call("drop", {"how": "rst"})
            d = self.ctl.post("fourth")
            c2 = Client(self.port)
            await c2.connect("?connection_id=%s&sequence_number=%d" % (cid, last + 1))
            got = []
            expect = last + 1
            while len(got) < 3:
                ev = await c2.recv()
                self.assertNotEqual(ev.get("event"), "hello")
                self.assertEqual(ev["seq"], expect)  # consecutive, from the one asked for
                expect += 1
                if ev["event"] == "posted":
                    got.append(json.loads(ev["data"]["post"])["id"])
            self.assertEqual(got, [a["id"], b["id"], d["id"]])
            c2.close()
        run(go())
        conns = self.ctl.state()["connections"]
        self.assertEqual(conns[1]["outcome"], "replay")
        self.assertEqual(conns[1]["hellos"], 0)
        self.assertEqual(conns[1]["connection_id"], conns[0]["connection_id"])

    def test_reconnect_lossless_reset_and_unknown(self):
        async def go():
            c = Client(self.port)
            await c.connect()
            cid = (await c.event("hello"))["data"]["connection_id"]
            c.close()
            self.assertTrue(await self.await_for(
                lambda: not self.ctl.state()["connections"][0]["active"]))
            # Nothing missed: no hello, no replay; the next event is seq 1.
            c = Client(self.port)
            await c.connect("?connection_id=%s&sequence_number=1" % cid)
            self.ctl.post("x", type="system_join_channel")
            ev = await c.recv()
            self.assertEqual((ev["event"], ev["seq"]), ("posted", 1))
            c.close()
            await self.await_for(lambda: not self.ctl.state()["connections"][1]["active"])
            # A sequence the server never sent: loss; new id, fresh hello.
            c = Client(self.port)
            await c.connect("?connection_id=%s&sequence_number=50" % cid)
            hello = await c.recv()
            self.assertEqual((hello["event"], hello["seq"]), ("hello", 0))
            cid2 = hello["data"]["connection_id"]
            self.assertNotEqual(cid2, cid)
            c.close()
            await self.await_for(lambda: not self.ctl.state()["connections"][2]["active"])
            # A forgotten connection id (server restart): fresh hello.
            self.ctl.call("forget")
            c = Client(self.port)
            await c.connect("?connection_id=%s&sequence_number=1" % cid2)
            hello = await c.recv()
            self.assertEqual(hello["event"], "hello")
            self.assertNotEqual(hello["data"]["connection_id"], cid2)
            c.close()
            # connection_id known, sequence_number missing: closed at once.
            cid3 = hello["data"]["connection_id"]
            await self.await_for(lambda: not self.ctl.state()["connections"][3]["active"])
            c = Client(self.port)
            await c.connect("?connection_id=%s" % cid3)
            self.assertTrue(await c.expect_closed())
        run(go())
        outcomes = [x["outcome"] for x in self.ctl.state()["connections"]]
        self.assertEqual(outcomes, ["fresh", "lossless", "reset", "fresh", "bad-params"])

    def test_gap_withheld_frame_is_replayable(self):
        async def go():
            c = Client(self.port)
            await c.connect()
            cid = (await c.event("hello"))["data"]["connection_id"]
            self.ctl.call("gap", {"mode": "withhold"})
            self.ctl.post("a", type="system_x")  # seq 1, withheld
            self.ctl.post("b", type="system_x")  # seq 2, written
            ev = await c.recv()
            self.assertEqual(ev["seq"], 2)
            c.close()
            await self.await_for(lambda: not self.ctl.state()["connections"][0]["active"])
            c = Client(self.port)
            await c.connect("?connection_id=%s&sequence_number=1" % cid)
            self.assertEqual([(await c.recv())["seq"] for _ in range(2)], [1, 2])
            c.close()
        run(go())

    def test_silence_then_client_reconnect_replays(self):
        async def go():
            c = Client(self.port)
            await c.connect()
            cid = (await c.event("hello"))["data"]["connection_id"]
            self.ctl.call("silence")
            c.ws.send_text(json.dumps({"action": "ping", "seq": 1}))
            q = self.ctl.post("during silence")
            with self.assertRaises(asyncio.TimeoutError):
                await c.recv(timeout=1)
            c.close()
            self.assertTrue(await self.await_for(
                lambda: not self.ctl.state()["connections"][0]["active"]))
            c = Client(self.port)
            await c.connect("?connection_id=%s&sequence_number=1" % cid)
            ev = await c.event("posted")
            self.assertEqual(json.loads(ev["data"]["post"])["id"], q["id"])
            c.close()
        run(go())

    def test_fragmented_binary_and_raw_frames(self):
        async def go():
            c = Client(self.port)
            await c.connect()
            await c.event("hello")
            pings = []
            c.ws.on_ping = pings.append
            q = self.ctl.post("@valuesbot " + "long " * 100, fragment=64)
            ev = await c.event("posted")
            self.assertEqual(json.loads(ev["data"]["post"])["id"], q["id"])
            self.assertEqual(pings, [b"frag"])
            self.ctl.call("raw", {"frames": [{"opcode": 2, "b64": "3q2+7w=="},
                                             {"opcode": 1, "text": "{malformed"},
                                             {"opcode": 1, "pad": 70000}]})
            op, data = await c.ws.recv()
            self.assertEqual((op, data), (wsproto.OP_BINARY, b"\xde\xad\xbe\xef"))
            op, data = await c.ws.recv()
            self.assertEqual(data, b"{malformed")
            op, data = await c.ws.recv()
            self.assertGreater(len(data), 70000)
            big = self.ctl.post("@valuesbot big", message_pad=300000)
            ev = await c.event("posted")
            self.assertEqual(json.loads(ev["data"]["post"])["id"], big["id"])
            c.close()
        run(go())

    def test_refused_upgrade(self):
        self.ctl.call("faults", {"route": "websocket", "responses": [{"status": 503}]})

        async def go():
            c = Client(self.port)
            status, _ = await c.connect()
            self.assertEqual(status, 503)
            status, _ = await c.connect()
            self.assertEqual(status, 101)
            c.close()
        run(go())
        self.assertEqual([x["outcome"] for x in self.ctl.state()["connections"]],
                         ["refused", "fresh"])

    def test_stats_and_load(self):
        async def go():
            c = Client(self.port)
            await c.connect()
            await c.event("hello")
            self.ctl.call("load", {"count": 5, "channels": 2, "rate": 100})
            loop = asyncio.get_running_loop()
            n = 0
            while n < 5:
                ev = await c.event("posted")
                p = json.loads(ev["data"]["post"])
                if p["user_id"] == self.bot_id:
                    continue
                n += 1
                await loop.run_in_executor(None, lambda: rest(
                    self.url, "/api/v4/posts", "POST",
                    body={"channel_id": p["channel_id"], "message": "a", "root_id": p["id"]}))
            c.close()
        run(go())
        s = self.ctl.call("stats")
        self.assertEqual((s["injected"], s["answered"], s["duplicates"]), (5, 5, 0))
        self.assertEqual(len(s["latencies"]), 5)
        # A reply is timed from when its request came off the socket, not
        # when the fake got to parse it.
        for p in self.ctl.state()["posts"]:
            self.assertLessEqual(p["read_t"], p["t"])

    def test_gc_control(self):
        # A load generator's window without Python's collector, and back.
        self.assertEqual(self.ctl.call("gc", {"off": True}), {"enabled": False})
        self.assertEqual(self.ctl.call("gc", {"off": False}), {"enabled": True})



class FakeMattermostTlsTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="fake-mm-tls-")
        self.pki = fake_mattermost.make_test_ca(self.tmp)
        if self.pki is None:
            shutil.rmtree(self.tmp)
            self.skipTest("no openssl command to make a test CA")
        self.proc, self.info, self.ctl = fake_mattermost.start_process(
            "--token", TOKEN, "--host", "127.0.0.1", "--url-host", "localhost",
            "--tls-cert", self.pki["cert"], "--tls-key", self.pki["key"], ca=self.pki["ca"])

    def tearDown(self):
        fake_mattermost.stop_process(self.proc)
        shutil.rmtree(self.tmp, ignore_errors=True)

    def test_https_and_wss_with_the_test_ca(self):
        self.assertTrue(self.info["url"].startswith("https://localhost:"))
        ctx = ssl.create_default_context(cafile=self.pki["ca"])
        status, _, body = rest(self.info["url"], "/api/v4/users/me", context=ctx)
        self.assertEqual(status, 200)

        async def go():
            status, _, ws = await wsproto.ws_connect(
                "localhost", self.info["port"], "/api/v4/websocket",
                {"Authorization": "Bearer " + TOKEN}, ssl=ctx)
            self.assertEqual(status, 101)
            op, data = await asyncio.wait_for(ws.recv(), 5)
            self.assertEqual(json.loads(data)["event"], "hello")
            ws.close_tcp()
        run(go())

    def test_untrusted_client_recorded(self):
        with self.assertRaises(urllib.error.URLError):
            rest(self.info["url"], "/api/v4/users/me", context=ssl.create_default_context())
        self.assertEqual(self.ctl.state()["rest"], [])


if __name__ == "__main__":
    unittest.main()
