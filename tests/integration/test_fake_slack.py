"""test_fake_slack.py - the fake Slack server speaks the protocol.

A small standard-library client (HTTP with http.client, websocket by hand)
checks what the bot's integration tests rely on: the Web API answers and
errors, single-use tickets, the RFC 6455 handshake, hello, envelopes and ack
recording, fragmented frames with a ping between fragments, disconnect frames,
redelivery of unacked envelopes, and that client protocol errors are recorded.
"""

import base64
import hashlib
import http.client
import json
import os
import socket
import struct
import sys
import time
import unittest
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "fakes"))
import fake_slack  # noqa: E402
import wsproto  # noqa: E402

RFC6455_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"  # RFC 6455 section 1.3


def api(fake, method, token=None, body=None, ctype="application/json; charset=utf-8"):
    c = http.client.HTTPConnection(fake.host, fake.port, timeout=10)
    headers = {"Content-Type": ctype}
    if token:
        headers["Authorization"] = "Bearer " + token
    data = json.dumps(body).encode() if isinstance(body, dict) else (body or b"")
    c.request("POST", "/api/" + method, body=data, headers=headers)
    r = c.getresponse()
    out = (r.status, dict(r.getheaders()), json.loads(r.read()))
    c.close()
    return out


class Client:
    """A minimal websocket client: masks its frames, reassembles fragments."""

    def __init__(self, url, mask=True):
        u = urllib.parse.urlsplit(url)
        self.sock = socket.create_connection((u.hostname, u.port), timeout=10)
        self.mask = mask
        key = base64.b64encode(os.urandom(16)).decode()
        req = (f"GET {u.path}?{u.query} HTTP/1.1\r\nHost: {u.hostname}:{u.port}\r\n"
               "Upgrade: websocket\r\nConnection: Upgrade\r\n"
               f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n")
        self.sock.sendall(req.encode())
        self.buf = b""
        while b"\r\n\r\n" not in self.buf:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise ConnectionError("closed during handshake: %r" % self.buf)
            self.buf += chunk
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        self.status = int(head.split(b" ")[1])
        self.head = head.decode("latin-1")
        if self.status == 101:
            want = base64.b64encode(hashlib.sha1((key + RFC6455_GUID).encode()).digest())
            assert b"Sec-WebSocket-Accept: " + want in head, head
        self.pings = []

    def _read(self, n):
        while len(self.buf) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("closed")
            self.buf += chunk
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def frame(self):
        b0, b1 = self._read(2)
        n = b1 & 0x7F
        if n == 126:
            (n,) = struct.unpack("!H", self._read(2))
        elif n == 127:
            (n,) = struct.unpack("!Q", self._read(8))
        assert not b1 & 0x80, "server frames must not be masked"
        return bool(b0 & 0x80), b0 & 0xF, self._read(n)

    def message(self):
        """Next data message, reassembled; records pings and answers them."""
        parts, op0 = [], None
        while True:
            fin, op, data = self.frame()
            if op == fake_slack.OP_PING:
                self.pings.append(data)
                self.send(fake_slack.OP_PONG, data)
                continue
            if op == fake_slack.OP_CLOSE:
                return op, data
            if op != fake_slack.OP_CONT:
                op0 = op
            parts.append(data)
            if fin:
                return op0, b"".join(parts)

    def json(self):
        op, data = self.message()
        assert op == fake_slack.OP_TEXT, (op, data[:100])
        return json.loads(data)

    def send(self, op, data, fin=True):
        self.sock.sendall(wsproto.encode_frame(op, data, fin=fin, mask=self.mask))

    def ack(self, envelope_id, payload=None):
        obj = {"envelope_id": envelope_id}
        if payload is not None:
            obj["payload"] = payload
        self.send(fake_slack.OP_TEXT, json.dumps(obj))

    def close(self):
        try:
            self.send(fake_slack.OP_CLOSE, struct.pack("!H", 1000))
            self.message()
        except (OSError, ConnectionError, AssertionError):
            pass
        self.sock.close()


class FakeSlackSelfTest(unittest.TestCase):
    def setUp(self):
        self.fake = fake_slack.FakeSlack().start()
        self.clients = []

    def tearDown(self):
        for c in self.clients:
            c.sock.close()
        self.fake.stop()

    def connect(self, **kw):
        status, _, body = api(self.fake, "apps.connections.open", self.fake.app_token)
        self.assertEqual(status, 200)
        self.assertTrue(body["ok"], body)
        c = Client(body["url"], **kw)
        self.clients.append(c)
        return c, body["url"]

    def test_web_api_tokens_and_errors(self):
        f = self.fake
        self.assertEqual(api(f, "apps.connections.open")[2], {"ok": False, "error": "not_authed"})
        self.assertEqual(api(f, "apps.connections.open", "xapp-wrong")[2]["error"], "invalid_auth")
        self.assertEqual(api(f, "apps.connections.open", f.bot_token)[2]["error"],
                         "not_allowed_token_type")
        _, _, me = api(f, "auth.test", f.bot_token)
        self.assertEqual((me["ok"], me["user_id"], me["bot_id"]), (True, f.bot_user_id, f.bot_id))
        self.assertEqual(api(f, "chat.postMessage", f.bot_token, {"channel": "C1"})[2]["error"],
                         "no_text")
        status, _, ok = api(f, "chat.postMessage", f.bot_token, {"channel": "C1", "text": "hi"})
        self.assertTrue(ok["ok"])
        self.assertEqual(ok["message"]["bot_id"], f.bot_id)
        self.assertEqual(len(f.posts_ok("C1")), 1)
        f.set_open_error("invalid_auth")
        self.assertEqual(api(f, "apps.connections.open", f.app_token)[2]["error"], "invalid_auth")
        # The bot-token misuse above is recorded as a protocol violation.
        self.assertTrue(any("bot token" in v["what"] for v in f.violations))

    def test_blocks_checked_as_slack_does(self):
        f = self.fake
        sect = lambda t: {"type": "section", "text": {"type": "mrkdwn", "text": t}}  # noqa: E731
        good = [{"type": "header", "text": {"type": "plain_text", "text": "Values", "emoji": True}},
                sect("x" * 3000),
                {"type": "context", "elements": [{"type": "mrkdwn", "text": "s"}] * 10}]
        bad = {"51 blocks": [sect("x")] * 51, "long section": [sect("x" * 3001)],
               "mrkdwn header": [{"type": "header", "text": {"type": "mrkdwn", "text": "h"}}],
               "long header": [{"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}],
               "11 context elements": [{"type": "context",
                                        "elements": [{"type": "mrkdwn", "text": "s"}] * 11}],
               "empty text": [sect("")], "unknown type": [{"type": "banner"}],
               "unknown key": [dict(sect("x"), colour="red")], "not a list": {"type": "section"}}
        body = api(f, "chat.postMessage", f.bot_token, {"channel": "C1", "text": "t", "blocks": good})[2]
        self.assertTrue(body["ok"], body)
        for name, blocks in bad.items():
            with self.subTest(name):
                body = api(f, "chat.postMessage", f.bot_token,
                           {"channel": "C1", "text": "t", "blocks": blocks})[2]
                self.assertEqual(body.get("error"), "invalid_blocks", body)
        self.assertEqual(f.violations, [])
        api(f, "chat.postMessage", f.bot_token, {"channel": "C1", "blocks": good})
        self.assertTrue(any("fallback text" in v["what"] for v in f.violations))
        # An ack payload is a message too: recorded, and checked the same way.
        c, _ = self.connect()
        c.json()
        f.wait_for(f.ready_connections)
        rec = f.send_slash("/values")
        env = c.json()
        c.ack(env["envelope_id"], {"response_type": "ephemeral", "text": "t", "blocks": bad["long section"]})
        acks = f.wait_for(lambda: f.acked(rec["envelope_id"]))
        self.assertEqual(acks[0]["payload"]["text"], "t")
        self.assertTrue(f.wait_for(lambda: any("invalid_blocks" in v["what"] for v in f.violations)))

    def test_scripted_post_responses(self):
        f = self.fake
        f.script_post({"status": 429, "retry_after": 2}, {"status": 503},
                      {"error": "channel_not_found"}, {"delay": 0.3})
        st, hdr, body = api(f, "chat.postMessage", f.bot_token, {"channel": "C1", "text": "x"})
        self.assertEqual((st, hdr.get("Retry-After"), body["error"]), (429, "2", "ratelimited"))
        self.assertEqual(api(f, "chat.postMessage", f.bot_token, {"channel": "C1", "text": "x"})[0], 503)
        self.assertEqual(api(f, "chat.postMessage", f.bot_token,
                             {"channel": "C1", "text": "x"})[2]["error"], "channel_not_found")
        t = time.monotonic()
        self.assertTrue(api(f, "chat.postMessage", f.bot_token, {"channel": "C1", "text": "x"})[2]["ok"])
        self.assertGreaterEqual(time.monotonic() - t, 0.3)
        self.assertEqual([p["status"] for p in f.posts], [429, 503, 200, 200])
        self.assertEqual(len(f.posts_ok()), 1)
        # A JSON body without charset is what Slack warns about.
        api(f, "chat.postMessage", f.bot_token, {"channel": "C1", "text": "x"}, ctype="application/json")
        self.assertTrue(any("charset" in v["what"] for v in f.violations))

    def test_post_read_at_and_on_post(self):
        # A load generator's hook: each answered post, on the loop thread,
        # once; read_at is when its bytes came off the socket, before it was
        # parsed (time).
        f = self.fake
        seen = []
        f.on_post = lambda p: seen.append((p["channel"], p["ok"], p["done_at"] is not None))
        f.script_post({"delay": 0.05})
        for ch in ("C1", "C2"):
            self.assertTrue(api(f, "chat.postMessage", f.bot_token, {"channel": ch, "text": "x"})[2]["ok"])
        # The hook runs on the loop once the answer is written: the client may
        # read the answer first.
        self.assertTrue(f.wait_for(lambda: len(seen) >= 2))
        self.assertEqual(seen, [("C1", True, True), ("C2", True, True)])
        for p in f.posts:
            self.assertLessEqual(p["read_at"], p["time"])
        f.on_post = None
        api(f, "chat.postMessage", f.bot_token, {"channel": "C3", "text": "x"})
        self.assertEqual(len(seen), 2)

    def test_handshake_hello_envelope_ack(self):
        c, url = self.connect()
        self.assertEqual(c.status, 101)
        hello = c.json()
        self.assertEqual(hello["type"], "hello")
        self.assertEqual(hello["debug_info"]["approximate_connection_time"], 18060)
        self.assertTrue(self.fake.wait_for(self.fake.ready_connections))
        rec = self.fake.send_event({"text": "<@%s> values?" % self.fake.bot_user_id, "channel": "C1"})
        env = c.json()
        self.assertEqual(env["type"], "events_api")
        self.assertEqual(env["envelope_id"], rec["envelope_id"])
        self.assertEqual(env["payload"]["event"]["type"], "app_mention")
        self.assertEqual(env["payload"]["authorizations"][0]["user_id"], self.fake.bot_user_id)
        self.assertEqual(env["retry_attempt"], 0)
        c.ack(env["envelope_id"])
        acks = self.fake.wait_for(lambda: self.fake.acked(rec["envelope_id"]))
        self.assertEqual(len(acks), 1)
        self.assertLess(acks[0]["latency"], 5)
        self.assertEqual(self.fake.violations, [])
        # Slack's SDKs ack every envelope with "payload":{} (Bolt): a plain
        # ack, while a message in the ack of an event is still a client bug.
        for payload, violations in (({}, 0), ({"text": "t"}, 1)):
            rec = self.fake.send_event({"text": "again", "channel": "C1"})
            c.ack(c.json()["envelope_id"], payload)
            acks = self.fake.wait_for(lambda: self.fake.acked(rec["envelope_id"]))
            self.assertEqual(acks[0]["payload"], payload or None)
            self.assertEqual(len(self.fake.violations), violations, self.fake.violations)
        # The ticket is single use.
        again = Client(url)
        self.clients.append(again)
        self.assertEqual(again.status, 401)
        self.assertTrue(any("reused" in v["what"] for v in self.fake.violations))

    def test_fragmented_envelope_with_ping_between(self):
        c, _ = self.connect()
        c.json()
        self.fake.wait_for(self.fake.ready_connections)
        rec = self.fake.send_event({"text": "caf\u00e9 " * 10, "channel": "C1"}, fragments=7, pad=70000)
        env = c.json()
        self.assertEqual(env["envelope_id"], rec["envelope_id"])
        self.assertGreater(len(json.dumps(env)), 70000)
        self.assertEqual(c.pings, [b"mid-message"])
        # Raw frames: binary, oversized, malformed, split inside a UTF-8 character.
        self.fake.send_raw(None, b"\x00\xff", opcode=fake_slack.OP_BINARY)
        self.assertEqual(c.message(), (fake_slack.OP_BINARY, b"\x00\xff"))
        self.fake.send_raw(None, "{not json")
        self.assertEqual(c.message(), (fake_slack.OP_TEXT, b"{not json"))
        self.fake.send_raw(None, "\u00e9\u00e9\u00e9".encode(), fragments=3, ping_between=False)
        self.assertEqual(c.message(), (fake_slack.OP_TEXT, "\u00e9\u00e9\u00e9".encode()))

    def test_disconnect_and_redelivery(self):
        self.fake.redeliver_after = 0.3
        c, _ = self.connect()
        c.json()
        self.fake.wait_for(self.fake.ready_connections)
        rec = self.fake.send_event({"text": "x", "channel": "C1"})
        first = c.json()
        again = c.json()  # not acked: Slack sends it again
        self.assertEqual(again["payload"]["event_id"], first["payload"]["event_id"])
        self.assertNotEqual(again["envelope_id"], first["envelope_id"])
        self.assertEqual((again["retry_attempt"], again["retry_reason"]), (1, "timeout"))
        c.ack(again["envelope_id"])
        self.fake.wait_for(lambda: self.fake.acks)
        self.assertEqual(rec["event_id"], first["payload"]["event_id"])
        self.fake.send_disconnect(None, "refresh_requested", close_after=0.2)
        self.assertEqual(c.json()["reason"], "refresh_requested")
        op, _ = c.message()
        self.assertEqual(op, fake_slack.OP_CLOSE)
        conn = self.fake.conns[0]
        self.assertTrue(self.fake.wait_for(lambda: not conn.open))
        self.assertEqual(conn.closed_by, "server")

    def test_client_errors_recorded(self):
        c, _ = self.connect(mask=False)
        c.json()
        c.send(fake_slack.OP_TEXT, json.dumps({"envelope_id": "nope"}))
        self.assertTrue(self.fake.wait_for(lambda: len(self.fake.violations) >= 2))
        what = " ".join(v["what"] for v in self.fake.violations)
        self.assertIn("not masked", what)
        self.assertIn("unknown envelope", what)

    def test_control_endpoint(self):
        c, _ = self.connect()
        c.json()
        self.fake.wait_for(self.fake.ready_connections)
        h = http.client.HTTPConnection(self.fake.host, self.fake.port, timeout=10)
        h.request("POST", "/_control/send_event",
                  body=json.dumps({"event": {"text": "hi", "channel": "C9"}}))
        r = json.loads(h.getresponse().read())
        self.assertTrue(r["ok"], r)
        env = c.json()
        self.assertEqual(env["envelope_id"], r["result"]["envelope_id"])
        c.ack(env["envelope_id"])
        self.fake.wait_for(lambda: self.fake.acks)
        h.request("GET", "/_control/state")
        state = json.loads(h.getresponse().read())
        self.assertEqual([a["envelope_id"] for a in state["acks"]], [env["envelope_id"]])
        self.assertEqual(state["connections"][0]["hello_at"] is not None, True)
        h.close()

    def test_refused_upgrade_silent_link_and_linger(self):
        self.fake.script_upgrade(409)
        status, _, body = api(self.fake, "apps.connections.open", self.fake.app_token)
        refused = Client(body["url"])
        self.clients.append(refused)
        self.assertEqual(refused.status, 409)
        c, _ = self.connect()
        c.json()
        conn = self.fake.wait_for(self.fake.ready_connections)[0]
        self.fake.set_silent(conn)
        c.send(fake_slack.OP_PING, b"anyone?")
        c.sock.settimeout(0.5)
        with self.assertRaises(socket.timeout):
            c.frame()  # no pong from a silent link
        self.assertTrue(self.fake.wait_for(lambda: conn.client_pings))
        self.fake.linger_after_close = True
        c2, _ = self.connect()
        c2.json()
        c2.send(fake_slack.OP_CLOSE, struct.pack("!H", 1000))
        self.assertEqual(c2.message()[0], fake_slack.OP_CLOSE)
        conn2 = self.fake.conns[-1]
        time.sleep(0.3)
        self.assertTrue(conn2.open, "lingering: TCP stays up after the close handshake")
        c2.sock.close()
        self.assertTrue(self.fake.wait_for(lambda: not conn2.open))
        self.assertEqual((conn2.closed_by, conn2.close_code), ("client", 1000))

    def test_client_close_handshake(self):
        c, _ = self.connect()
        c.json()
        c.close()
        conn = self.fake.conns[0]
        self.assertTrue(self.fake.wait_for(lambda: not conn.open))
        self.assertEqual((conn.closed_by, conn.close_code), ("client", 1000))


if __name__ == "__main__":
    unittest.main()
