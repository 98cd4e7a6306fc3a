"""test_web.py - the real binary's web chat: `valuesbot run` with no chat
platform serves GET /chat and a WebSocket at /chat/ws (web_proto.c has the
protocol).

Each test starts `valuesbot run` on 127.0.0.1 (port 0 unless it needs a
fixed one), talks to it with the RFC 6455 client of tests/fakes/wsproto.py,
and stops it by its PID.  Addresses other than 127.0.0.1 come through
X-Forwarded-For with 127.0.0.1 configured as a trusted proxy.
"""

import asyncio
import json
import os
import re
import signal
import socket
import sqlite3
import sys
import time
import unittest
import urllib.error
import urllib.request
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "fakes"))
import slackbot  # noqa: E402
import wsproto  # noqa: E402


# Sockets dropped on purpose (resets, half-closed) are not leaks of the test.
warnings.simplefilter("ignore", ResourceWarning)


class _NoPlatform:
    app_token = ""
    bot_token = ""
    api_url = ""


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def start_bot(config=None, extra_env=None, port=0):
    env = {"VALUESBOT_HTTP": "127.0.0.1:%d" % port}
    env.update(extra_env or {})
    bot = slackbot.Bot(_NoPlatform(), extra_env=env, config=config).start()
    bot.port = bot.http_port()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and "web chat: http://" not in bot.log():
        time.sleep(0.02)
    return bot


def http_get(port, path, headers=None):
    req = urllib.request.Request("http://127.0.0.1:%d%s" % (port, path), headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read()
    except urllib.error.HTTPError as e:
        return e.code, {k.lower(): v for k, v in e.headers.items()}, e.read()


class Client:
    """One browser tab: a socket and its hello."""

    def __init__(self, ws, hello):
        self.ws = ws
        self.hello = hello
        self.n = 0

    @classmethod
    async def open(cls, port, query="", headers=None):
        status, hdrs, ws = await wsproto.ws_connect("127.0.0.1", port, "/chat/ws" + query,
                                                    headers)
        if ws is None:
            raise AssertionError("handshake refused: %d %r" % (status, hdrs))
        return cls(ws, await cls._json(ws))

    @staticmethod
    async def _json(ws, timeout=10):
        op, data = await asyncio.wait_for(ws.recv(), timeout)
        assert op == wsproto.OP_TEXT, op
        return json.loads(data)

    async def recv(self, timeout=10):
        return await self._json(self.ws, timeout)

    async def ask(self, text, timeout=10):
        self.n += 1
        mid = "c%d" % self.n
        self.ws.send_text(json.dumps({"type": "ask", "id": mid, "text": text}))
        msg = await self.recv(timeout)
        if msg["type"] == "reply":
            assert msg["re"] == mid, msg
        return msg

    def close(self):
        self.ws.abort(rst=False)


def run(coro):
    return asyncio.run(coro)


@unittest.skipUnless(slackbot.has_run_command(), "no valuesbot binary")
class WebChatTest(unittest.TestCase):
    def setUp(self):
        warnings.simplefilter("ignore", ResourceWarning)
        self.bot = None

    def tearDown(self):
        if self.bot is not None:
            log = self.bot.log()
            self.bot.cleanup()
            self.assertIsNone(slackbot.SANITIZER_REPORT.search(log), log[-3000:])

    def start(self, **kw):
        self.bot = start_bot(**kw)
        return self.bot

    def test_run_without_a_platform_serves_the_web_chat_and_says_where(self):
        bot = self.start()
        self.assertIn("web chat: http://127.0.0.1:%d/chat" % bot.port, bot.log())
        status, _, body = http_get(bot.port, "/healthz")
        self.assertEqual(status, 200)
        self.assertTrue(json.loads(body)["platforms"]["web"]["connected"])

    def test_web_off_and_no_platform_exits_2(self):
        bot = self.bot = slackbot.Bot(_NoPlatform(), extra_env={
            "VALUESBOT_HTTP": "127.0.0.1:0", "VALUESBOT_WEB": "off"}).start()
        deadline = time.monotonic() + 10
        while bot.alive() and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertEqual(bot.proc.returncode, 2)
        self.assertIn("no chat platform configured", bot.log())

    def test_question_answered_with_its_source(self):
        bot = self.start()

        async def go():
            c = await Client.open(bot.port, "?org=tewv")
            self.assertEqual(c.hello["type"], "hello")
            self.assertEqual(c.hello["org"], "tewv")
            self.assertIn("Tees", c.hello["name"])
            self.assertEqual({o["id"] for o in c.hello["orgs"]}, {"tewv", "cwpt"})
            self.assertTrue(c.hello["suggestions"])
            r = await c.ask("What are our values?")
            c.close()
            return r

        r = run(go())
        self.assertEqual(r["type"], "reply")
        self.assertTrue(r["answered"])
        kinds = [b["kind"] for b in r["blocks"]]
        self.assertIn("source", kinds)
        self.assertIn("Compassion", r["text"])
        labels = [b["label"] for b in r["blocks"] if b["kind"] == "item"]
        self.assertIn("Respect", labels)

    def test_org_routing_picker_and_refusals(self):
        bot = self.start()

        async def go():
            c = await Client.open(bot.port)  # two KBs, none named: the picker
            self.assertIsNone(c.hello["org"])
            r = await c.ask("What are our values?")
            self.assertEqual((r["type"], r["code"]), ("error", "bad_org"))
            c.ws.send_text(json.dumps({"type": "org", "org": "nope"}))
            e = await c.recv()
            self.assertEqual(e["code"], "bad_org")
            c.ws.send_text(json.dumps({"type": "org", "org": "cwpt"}))
            h = await c.recv()
            self.assertEqual((h["type"], h["org"]), ("hello", "cwpt"))
            cw = await c.ask("What are our values?")
            t = await Client.open(bot.port, "?org=tewv")
            tw = await t.ask("What are our values?")
            u = await Client.open(bot.port, "?org=unknown")
            c.close()
            t.close()
            u.close()
            return cw, tw, u.hello

        cw, tw, unknown = run(go())
        self.assertTrue(cw["answered"])
        self.assertNotEqual(cw["text"], tw["text"])
        self.assertIn("Coventry", json.dumps(cw) + json.dumps(cw["text"]))
        self.assertIsNone(unknown["org"])

    def test_induction_tour_with_next_chip(self):
        bot = self.start()

        async def go():
            c = await Client.open(bot.port, "?org=tewv")
            first = await c.ask("I'm new")
            nxt = first["suggestions"][0] if first["suggestions"] else "next"
            second = await c.ask(nxt)
            other = await Client.open(bot.port, "?org=tewv")
            stranger = await other.ask(nxt)
            c.close()
            other.close()
            return first, second, stranger

        first, second, stranger = run(go())
        self.assertIn("Welcome", first["text"])
        self.assertIn("Step 1 of", first["text"])
        self.assertIn("Next", first["suggestions"])
        self.assertIn("Step 2 of", second["text"])
        self.assertNotIn("Step 2 of", stranger["text"], "a tour is one connection's")

    def test_sso_user_header_from_a_trusted_proxy_only_and_never_logged(self):
        bot = self.start(config={"web": {"trusted_proxies": ["127.0.0.1"],
                                         "user_header": "X-Remote-User"}})
        who = {"X-Remote-User": "alice.smith.sso@example.nhs.uk"}

        async def go():
            a = await Client.open(bot.port, "?org=tewv", who)
            await a.ask("I'm new")
            b = await Client.open(bot.port, "?org=tewv", who)  # another tab
            nxt = await b.ask("next")
            a.close()
            b.close()
            return nxt

        self.assertIn("Step 2 of", run(go())["text"], "the tour follows the person")
        self.assertNotIn("alice.smith.sso", bot.log())
        db = os.path.join(bot.dir, "valuesbot.db")
        with open(db, "rb") as f:
            self.assertNotIn(b"alice.smith.sso", f.read())

    def test_sso_user_header_ignored_from_anyone_else(self):
        bot = self.start(config={"web": {"trusted_proxies": ["10.9.9.9"],
                                         "user_header": "X-Remote-User"}})
        who = {"X-Remote-User": "bob"}

        async def go():
            a = await Client.open(bot.port, "?org=tewv", who)
            await a.ask("I'm new")
            b = await Client.open(bot.port, "?org=tewv", who)
            nxt = await b.ask("next")
            a.close()
            b.close()
            return nxt

        self.assertNotIn("Step 2 of", run(go())["text"])

    def test_unanswered_question_goes_to_the_report(self):
        bot = self.start()
        question = "what is the parking policy for the zeppelin hangar"

        async def go():
            c = await Client.open(bot.port, "?org=tewv")
            r = await c.ask(question)
            c.close()
            return r

        r = run(go())
        self.assertFalse(r["answered"])
        self.assertTrue(r["suggestions"], "a decline offers example questions")
        db = os.path.join(bot.dir, "valuesbot.db")
        con = sqlite3.connect(db)
        try:
            rows = con.execute("SELECT * FROM unanswered").fetchall()
        finally:
            con.close()
        self.assertTrue(any(question in json.dumps(row) for row in rows), rows)

    def test_bad_messages_refused_politely_socket_kept(self):
        bot = self.start()

        async def go():
            c = await Client.open(bot.port, "?org=tewv")
            out = []
            c.ws.send_text("this is not json")
            out.append(await c.recv())
            c.ws.send_frame(wsproto.OP_TEXT, b'{"type":"ask","id":"x","text":"\xc3\x28"}')
            out.append(await c.recv())
            c.ws.send_binary(b"\x00\x01")
            out.append(await c.recv())
            c.ws.send_text(json.dumps({"type": "ask", "id": "x", "text": "v" * 3000}))
            out.append(await c.recv())
            c.ws.send_text(json.dumps({"type": "ask", "id": "i" * 65, "text": "values"}))
            out.append(await c.recv())
            out.append(await c.ask("What are our values?"))  # still open
            c.close()
            return out

        out = run(go())
        self.assertEqual([m.get("code") for m in out[:5]],
                         ["bad_json", "bad_utf8", "bad_json", "too_big", "too_big"])
        for m in out[:5]:
            self.assertEqual(m["type"], "error")
            self.assertTrue(m["text"].endswith("."))
        self.assertTrue(out[5]["answered"])

    def test_broken_handshakes_dropped_nothing_leaks(self):
        bot = self.start()
        bad = [
            # no Sec-WebSocket-Key: past our checks, refused by the library
            b"GET /chat/ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
            b"Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n",
            # another path
            b"GET /chat/other HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
            b"Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            b"Sec-WebSocket-Version: 13\r\n\r\n",
            # cut off in the middle of the headers
            b"GET /chat/ws HTTP/1.1\r\nHost: x\r\nUpgrade: webs",
        ]
        for raw in bad * 3:
            s = socket.create_connection(("127.0.0.1", bot.port), timeout=5)
            s.sendall(raw)
            s.shutdown(socket.SHUT_WR)
            try:
                while s.recv(4096):
                    pass
            except OSError:
                pass
            s.close()

        async def go():
            c = await Client.open(bot.port, "?org=tewv")
            r = await c.ask("What are our values?")
            c.close()
            return r

        self.assertTrue(run(go())["answered"])
        self.assertEqual(bot.stop(), 0)

    def test_1mb_frame_closes_with_1009_others_unharmed(self):
        bot = self.start()

        async def go():
            other = await Client.open(bot.port, "?org=tewv")
            c = await Client.open(bot.port, "?org=tewv")
            c.ws.send_frame(wsproto.OP_TEXT, b"x" * (1024 * 1024))
            code = None
            try:
                await asyncio.wait_for(c.ws.recv(), 10)
            except wsproto.ConnectionClosed as e:
                code = e.code
            except (ConnectionError, asyncio.IncompleteReadError):
                code = "reset"
            # Fragments adding up to more than the cap: the same.
            f = await Client.open(bot.port, "?org=tewv")
            f.ws.send_fragments(b"y" * 20000, 1000)
            fcode = None
            try:
                await asyncio.wait_for(f.ws.recv(), 10)
            except wsproto.ConnectionClosed as e:
                fcode = e.code
            except (ConnectionError, asyncio.IncompleteReadError):
                fcode = "reset"
            r = await other.ask("What are our values?")
            other.close()
            return code, fcode, r

        code, fcode, r = run(go())
        self.assertEqual(code, 1009)
        self.assertEqual(fcode, 1009)
        self.assertTrue(r["answered"])
        self.assertTrue(self.bot.alive())

    def test_flood_from_one_address_limited_others_answered(self):
        bot = self.start(config={"web": {"trusted_proxies": ["127.0.0.1"],
                                         "rate_per_connection": {"burst": 5, "per_minute": 30},
                                         "rate_per_address": {"burst": 10,
                                                              "per_minute": 60}}})
        flood = {"X-Forwarded-For": "192.0.2.66"}

        async def go():
            conns = [await Client.open(bot.port, "?org=tewv", flood) for _ in range(5)]
            got = []
            for _ in range(6):
                for c in conns:
                    got.append(await c.ask("What are our values?"))
            calm = await Client.open(bot.port, "?org=tewv", {"X-Forwarded-For": "192.0.2.7"})
            ok = await calm.ask("What are our values?")
            for c in conns + [calm]:
                c.close()
            return got, ok

        got, ok = run(go())
        answered = [m for m in got if m["type"] == "reply"]
        limited = [m for m in got if m.get("code") == "rate_limited"]
        self.assertEqual(len(answered), 10, "the address's burst, across its connections")
        self.assertEqual(len(limited), 20)
        self.assertTrue(all(m["retry_after"] >= 1 for m in limited))
        self.assertTrue(ok["answered"], "another address is still answered")

    def test_one_connection_limited_to_its_burst(self):
        bot = self.start()

        async def go():
            c = await Client.open(bot.port, "?org=tewv")
            got = [await c.ask("What are our values?") for _ in range(8)]
            c.close()
            return got

        got = run(go())
        self.assertEqual([m["type"] for m in got], ["reply"] * 5 + ["error"] * 3)

    def test_wrong_origin_refused_403_allowed_origin_and_same_origin_accepted(self):
        bot = self.start(config={"web": {"origins": ["https://intranet.example.nhs.uk"]}})

        async def go():
            st, hdrs, ws = await wsproto.ws_connect(
                "127.0.0.1", bot.port, "/chat/ws", {"Origin": "https://evil.example"})
            ok = await Client.open(bot.port, "?org=tewv",
                                   {"Origin": "https://intranet.example.nhs.uk"})
            same = await Client.open(bot.port, "?org=tewv",
                                     {"Origin": "http://127.0.0.1:%d" % bot.port})
            ok.close()
            same.close()
            return st, hdrs, ws, ok.hello, same.hello

        st, hdrs, ws, h1, h2 = run(go())
        self.assertEqual(st, 403)
        self.assertIsNone(ws)
        self.assertIn("content-security-policy", hdrs)
        self.assertEqual((h1["type"], h2["type"]), ("hello", "hello"))
        status, h, _ = http_get(bot.port, "/chat")
        self.assertIn("frame-ancestors 'self' https://intranet.example.nhs.uk",
                      h["content-security-policy"])

    def test_connection_cap_503_and_freed_on_close(self):
        bot = self.start(config={"web": {"max_connections": 20}})

        async def go():
            conns = [await Client.open(bot.port, "?org=tewv") for _ in range(20)]
            st, _, ws = await wsproto.ws_connect("127.0.0.1", bot.port, "/chat/ws")
            for c in conns:
                c.close()
            await asyncio.sleep(0.5)
            again = await Client.open(bot.port, "?org=tewv")
            r = await again.ask("What are our values?")
            again.close()
            return st, ws, r

        st, ws, r = run(go())
        self.assertEqual(st, 503)
        self.assertIsNone(ws)
        self.assertTrue(r["answered"])

    def test_2000_connections_opened_and_dropped(self):
        bot = self.start()

        async def one(i):
            st, _, ws = await wsproto.ws_connect("127.0.0.1", bot.port, "/chat/ws?org=tewv")
            if ws is None:
                return st
            await asyncio.wait_for(ws.recv(), 30)
            if i % 3 == 0:
                ws.abort(rst=True)  # TCP reset
            elif i % 3 == 1:
                ws.send_close(1000)
                ws.close_tcp()
            else:
                ws.abort(rst=False)
            return 101

        async def go():
            results = []
            for start in range(0, 2000, 200):
                results += await asyncio.gather(*(one(i) for i in range(start, start + 200)))
            await asyncio.sleep(1.0)
            c = await Client.open(bot.port, "?org=tewv")
            r = await c.ask("What are our values?")
            c.close()
            return results, r

        results, r = run(go())
        self.assertEqual(results.count(101), 2000)
        self.assertTrue(r["answered"])
        self.assertTrue(bot.alive())

    def test_idle_socket_closed_a_talking_one_kept(self):
        bot = self.start(config={"web": {"idle_timeout_secs": 10}})

        async def go():
            idle = await Client.open(bot.port, "?org=tewv")
            busy = await Client.open(bot.port, "?org=tewv")
            t0 = time.monotonic()
            closed_after = None
            waiter = asyncio.ensure_future(idle.ws.recv())
            while time.monotonic() - t0 < 16:
                r = await busy.ask("What are our values?")
                self.assertTrue(r["answered"])
                done, _ = await asyncio.wait({waiter}, timeout=4)
                if done:
                    closed_after = time.monotonic() - t0
                    break
            ok = await busy.ask("What are our goals?")
            busy.close()
            code = None
            if waiter.done() and isinstance(waiter.exception(), wsproto.ConnectionClosed):
                code = waiter.exception().code
            return closed_after, ok, code

        closed_after, ok, code = run(go())
        self.assertIsNotNone(closed_after, "the idle socket was not closed")
        self.assertEqual(code, 1001, "going away, with a close frame")
        self.assertGreaterEqual(closed_after, 9)
        self.assertEqual(ok["type"], "reply")

    def test_pages_headers_etag_and_unknown_org_404(self):
        bot = self.start()
        want = {
            "/chat": "text/html",
            "/chat/": "text/html",
            "/chat/tewv": "text/html",
            "/chat/tewv?embed=1": "text/html",
            "/chat/chat.css": "text/css",
            "/chat/chat.js": "text/javascript",
            "/chat/widget.js": "text/javascript",
        }
        for path, ctype in want.items():
            status, h, body = http_get(bot.port, path)
            self.assertEqual(status, 200, path)
            self.assertTrue(h["content-type"].startswith(ctype), (path, h["content-type"]))
            self.assertTrue(body, path)
            self.assertIn("etag", h, path)
        status, h, _ = http_get(bot.port, "/chat/chat.js")
        status2, h2, body2 = http_get(bot.port, "/chat/chat.js", {"If-None-Match": h["etag"]})
        self.assertEqual(status2, 304)
        self.assertEqual(body2, b"")
        with open(os.path.join(slackbot.REPO, "bot/adapters/web/assets/chat.js"), "rb") as f:
            self.assertEqual(http_get(bot.port, "/chat/chat.js")[2], f.read())
        for path in ("/chat/nosuchorg", "/chat/tewv/extra", "/chat/ws", "/nothing"):
            self.assertEqual(http_get(bot.port, path)[0], 404, path)
        for path in ("/chat", "/chat/nosuchorg", "/healthz", "/metrics", "/nothing"):
            status, h, _ = http_get(bot.port, path)
            csp = h.get("content-security-policy", "")
            for part in ("default-src 'none'", "script-src 'self'", "style-src 'self'",
                         "connect-src 'self'", "img-src 'self' data:",
                         "frame-ancestors 'self'", "base-uri 'none'", "form-action 'self'"):
                self.assertIn(part, csp, path)
            self.assertEqual(h.get("x-content-type-options"), "nosniff", path)
            self.assertEqual(h.get("referrer-policy"), "no-referrer", path)
            self.assertIn("permissions-policy", h, path)

    def test_sigterm_closes_sockets_going_away_and_exits_0(self):
        bot = self.start()

        async def go():
            c = await Client.open(bot.port, "?org=tewv")
            await c.ask("What are our values?")
            bot.signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(c.ws.recv(), 10)
            except wsproto.ConnectionClosed as e:
                return e.code
            return None

        self.assertEqual(run(go()), 1001)
        bot.proc.wait(20)
        self.assertEqual(bot.stop(), 0)
        self.assertIn("web: closed", bot.log())

    def test_reconnect_after_a_restart(self):
        port = free_port()
        bot = self.start(port=port)

        async def ask_once():
            c = await Client.open(port, "?org=tewv")
            r = await c.ask("What are our values?")
            c.close()
            return r

        self.assertTrue(run(ask_once())["answered"])
        self.assertEqual(bot.stop(), 0)
        self.bot.cleanup()
        with self.assertRaises(OSError):
            run(ask_once())
        self.bot = start_bot(port=port)
        self.assertTrue(run(ask_once())["answered"])


if __name__ == "__main__":
    unittest.main()
