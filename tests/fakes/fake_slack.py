#!/usr/bin/env python3
"""fake_slack.py - a protocol-faithful fake of Slack's Socket Mode and Web API.

Python 3 standard library only.  One asyncio server on 127.0.0.1 serves, on a
single port, the Web API, response_url hooks, the Socket Mode websocket and a
control interface.  The websocket (RFC 6455) is written by hand so that the
fake can also send what a library would refuse to: fragmented messages with
pings between the fragments, binary frames, oversized frames, invalid UTF-8
and malformed JSON.  See tests/../shared protocols.md section 1.

Endpoints (BASE = http://127.0.0.1:PORT)
  POST BASE/api/apps.connections.open  Bearer xapp- token -> {"ok":true,"url":"ws://.../link/?ticket=T"}
                                       Tickets are single use, as on Slack.
  POST BASE/api/auth.test              Bearer xoxb- token -> user_id, bot_id, team_id
  POST BASE/api/chat.postMessage       Bearer xoxb- token, JSON body; records every attempt
  POST BASE/hooks/commands/T/N/SECRET  a slash command's response_url
  GET  BASE/link/?ticket=T             the websocket: hello, envelopes, disconnects
  GET  BASE/_control/state             JSON snapshot of everything recorded
  POST BASE/_control/<action>          JSON object of keyword arguments for the
                                       method of the same name (send_event, send_batch,
                                       send_slash, send_disconnect, drop,
                                       set_silent, script_post, script_open,
                                       set_open_error); answers {"ok":true,...}

Use from Python (what tests/integration does): the test process imports this
module and drives the fake directly; the server runs on its own thread and
every public method is safe to call from the test's thread.

    fake = FakeSlack().start()
    env["SLACK_API_URL"] = fake.api_url          # http://127.0.0.1:PORT/api/
    ...start the bot...
    fake.wait_for(lambda: fake.ready_connections())
    env = fake.send_event({"type": "app_mention", "text": f"<@{fake.bot_user_id}> hi",
                           "channel": "C1"})
    fake.wait_for(lambda: fake.posts_ok())
    fake.stop()

Recorded (fake.state() returns the same as /_control/state):
  connections  each websocket: id, ticket, opened/hello/closed times, who closed it
               (client, server, drop), close code, client pings, frames
  envelopes    every envelope sent: envelope_id, event_id, time, connection
  acks         every ack: envelope_id, time (parsed), read_at (its bytes read
               from the socket), connection, payload (a slash
               command's answer; checked as a message, see below)
  api_calls    every Web API call: method, time, token kind, HTTP status, error
  posts        every chat.postMessage attempt: time of arrival (parsed), read_at
               (its bytes read from the socket, before the loop's queued work), body, status, ok,
               whether the response reached the client (completed/aborted)
  hooks        every POST to a response_url: body, ok, error (Slack's answer)
  Messages (chat.postMessage, response_url, ack payloads) are checked as Slack
  checks them: blocks within Block Kit's limits and shapes (validate_blocks:
  50 blocks, 3000 characters per section or context text, 150 per plain_text
  header, 10 context elements, known block types and keys) else
  invalid_blocks; text or blocks present; blocks without fallback text are a
  violation.
  violations   protocol errors by the client (unmasked frame, missing charset,
               wrong token type, reused ticket, frame before hello, ...)

Behaviour switches (FakeSlack(...) keywords or attributes)
  hello="full"|"minimal"|"none", hello_delay   the first frame, and when
  approximate_connection_time                  announced in hello (seconds)
  server_ping_interval                         Slack-side pings (None: none)
  redeliver_after                              resend unacked events_api envelopes
                                               (retry_attempt+1, retry_reason "timeout")
  echo_own_dm                                  deliver the bot's DM replies back as
                                               message.im (bot_id set), as Slack does
  linger_after_close                           answer a client close but keep TCP up
  url_host                                     host put in the ws:// URL and response_url
  script_post / script_open                    status, error, retry_after, delay, body, hangup
  script_upgrade(409, ...)                     refuse the next websocket upgrades
  set_silent(conn)                             a dead link: no pong, no ping, no data
  send_disconnect(conn, reason, close_after)   warning, refresh_requested, link_disabled,
                                               too_many_websockets or anything else
  drop(conn) / close(conn, code)               abrupt TCP drop / server close handshake
  send_raw(conn, data, opcode, fragments)      any frame: binary, huge, malformed, split

Run alone:  python3 tests/fakes/fake_slack.py [--port N]  prints BASE and serves
until SIGINT/SIGTERM; drive it with curl on /_control/.
"""

import asyncio
import base64
import json
import os
import random
import string
import struct
import sys
import threading
import time
import urllib.parse
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import wsproto  # noqa: E402  (RFC 6455 framing, shared with fake_mattermost.py)
from wsproto import OP_BINARY, OP_CLOSE, OP_CONT, OP_PING, OP_PONG, OP_TEXT  # noqa: E402,F401
CLIENT_MESSAGE_CAP = 1 << 20  # acks are tiny; anything bigger is a client bug
# One encoder each for envelopes (UTF-8) and Web API answers (ASCII, \u
# escapes): json.dumps() with an option builds a new encoder per call.
_ENCODER = json.JSONEncoder(ensure_ascii=False)
_ANSWER_ENCODER = json.JSONEncoder()

STATUS_TEXT = {
    100: "Continue", 101: "Switching Protocols", 200: "OK", 400: "Bad Request",
    401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
    408: "Request Timeout", 409: "Conflict", 413: "Payload Too Large",
    429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway",
    503: "Service Unavailable", 504: "Gateway Timeout",
}


def _rand_id(prefix, n=9):
    return prefix + "".join(random.choice(string.ascii_uppercase + string.digits) for _ in range(n))


BLOCK_LIMITS = {"blocks": 50, "section": 3000, "header": 150, "context": 10, "block_id": 255}


def _text_obj_error(t, where, types=("plain_text", "mrkdwn"), limit=3000):
    if not isinstance(t, dict) or t.get("type") not in types:
        return f"{where}: a text object of type {'/'.join(types)} is required"
    if set(t) - {"type", "text", "emoji", "verbatim"}:
        return f"{where}: unknown keys {sorted(set(t) - {'type', 'text', 'emoji', 'verbatim'})}"
    if not isinstance(t.get("text"), str) or not t["text"]:
        return f"{where}: text must be a non-empty string"
    if len(t["text"]) > limit:
        return f"{where}: text longer than {limit} characters ({len(t['text'])})"
    if t["type"] == "mrkdwn" and "emoji" in t:
        return f"{where}: emoji is only for plain_text"
    return None


def validate_blocks(blocks):
    """Checks a Block Kit array as Slack does for the blocks a bot sends
    (header, section, context, divider); returns None or why Slack answers
    invalid_blocks."""
    if not isinstance(blocks, list):
        return "blocks must be an array"
    if len(blocks) > BLOCK_LIMITS["blocks"]:
        return f"{len(blocks)} blocks (at most {BLOCK_LIMITS['blocks']})"
    for i, b in enumerate(blocks):
        where = f"blocks[{i}]"
        if not isinstance(b, dict) or not isinstance(b.get("type"), str):
            return f"{where}: not a block"
        kind = b["type"]
        if "block_id" in b and (not isinstance(b["block_id"], str)
                                or len(b["block_id"]) > BLOCK_LIMITS["block_id"]):
            return f"{where}: bad block_id"
        allowed = {"header": {"text"}, "section": {"text", "fields", "accessory"},
                   "context": {"elements"}, "divider": set()}.get(kind)
        if allowed is None:
            return f"{where}: unsupported block type {kind!r}"
        extra = set(b) - allowed - {"type", "block_id"}
        if extra:
            return f"{where}: unknown keys {sorted(extra)}"
        if kind == "header":
            e = _text_obj_error(b.get("text"), where + ".text", ("plain_text",),
                                BLOCK_LIMITS["header"])
            if e:
                return e
        elif kind == "section":
            if "text" not in b and "fields" not in b:
                return f"{where}: a section needs text or fields"
            if "text" in b:
                e = _text_obj_error(b["text"], where + ".text", limit=BLOCK_LIMITS["section"])
                if e:
                    return e
            if "fields" in b:
                if not isinstance(b["fields"], list) or not 1 <= len(b["fields"]) <= 10:
                    return f"{where}: 1 to 10 fields"
                for j, f in enumerate(b["fields"]):
                    e = _text_obj_error(f, f"{where}.fields[{j}]", limit=2000)
                    if e:
                        return e
        elif kind == "context":
            els = b.get("elements")
            if not isinstance(els, list) or not 1 <= len(els) <= BLOCK_LIMITS["context"]:
                return f"{where}: a context holds 1 to {BLOCK_LIMITS['context']} elements"
            for j, el in enumerate(els):
                e = _text_obj_error(el, f"{where}.elements[{j}]", limit=BLOCK_LIMITS["section"])
                if e:
                    return e
    return None


def message_problem(body):
    """Why Slack would refuse this message body (text/blocks), or None."""
    text, blocks = body.get("text"), body.get("blocks")
    if blocks is not None:
        e = validate_blocks(blocks)
        if e:
            return "invalid_blocks", e
    if not text and not blocks:
        return "no_text", "neither text nor blocks"
    if isinstance(text, str) and len(text) > 40000:
        return "msg_too_long", "text over 40000 characters"
    return None


class _Reader:
    """asyncio.StreamReader with a push-back buffer (to watch for EOF while a
    response is held back without losing bytes)."""

    def __init__(self, reader):
        self.r = reader
        self.buf = b""
        # When the bytes in hand were read from the socket (time.monotonic()
        # in the transport's callback, before the loop's queued work): a
        # request's or a frame's arrival, as a server's kernel would stamp it.
        self.fed_at = self.read_at = time.monotonic()
        feed = reader.feed_data

        def stamped(data):
            self.fed_at = time.monotonic()
            feed(data)
        reader.feed_data = stamped

    async def _more(self):
        chunk = await self.r.read(262144)
        self.read_at = self.fed_at
        return chunk

    async def readexactly(self, n):
        while len(self.buf) < n:
            chunk = await self._more()
            if not chunk:
                raise asyncio.IncompleteReadError(self.buf, n)
            self.buf += chunk
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    async def readuntil(self, sep, limit=65536):
        while sep not in self.buf:
            if len(self.buf) > limit:
                raise ValueError("line too long")
            chunk = await self._more()
            if not chunk:
                raise asyncio.IncompleteReadError(self.buf, None)
            self.buf += chunk
        i = self.buf.index(sep) + len(sep)
        out, self.buf = self.buf[:i], self.buf[i:]
        return out

    async def wait_eof(self):
        """Returns when the peer closes; bytes that arrive meanwhile are kept."""
        while True:
            chunk = await self.r.read(65536)
            if not chunk:
                return
            self.buf += chunk


class WsConn:
    """One Socket Mode websocket, server side."""

    def __init__(self, fake, cid, ticket, reader, writer):
        self.fake = fake
        self.id = cid
        self.ticket = ticket
        self.reader = reader
        self.writer = writer
        self.opened_at = time.monotonic()
        self.hello_at = None
        self.closed_at = None
        self.closed_by = None  # "client", "server", "drop", "eof"
        self.close_code = None
        self.client_close_at = None
        self.disconnect_sent = []  # (reason, time)
        self.silent = False
        self.client_pings = []
        self.server_pongs = 0
        self.frames_in = 0
        self.pending = {}  # envelope_id -> envelope record, until acked
        self.closing = False
        self.tasks = []

    @property
    def open(self):
        return self.closed_at is None

    @property
    def ready(self):
        """Open, said hello, not closing, not silent: Slack may route here."""
        return (self.open and self.hello_at is not None and not self.closing
                and self.client_close_at is None and not self.silent)

    def summary(self):
        return {
            "id": self.id, "ticket": self.ticket, "opened_at": self.opened_at,
            "hello_at": self.hello_at, "closed_at": self.closed_at,
            "closed_by": self.closed_by, "close_code": self.close_code,
            "client_close_at": self.client_close_at,
            "disconnect_sent": self.disconnect_sent, "silent": self.silent,
            "client_pings": len(self.client_pings), "server_pongs": self.server_pongs,
            "frames_in": self.frames_in, "unacked": sorted(self.pending),
        }

    # -- sending (loop thread only) --------------------------------------

    def frame(self, opcode, payload=b"", fin=True, rsv=0):
        return wsproto.encode_frame(opcode, payload, fin=fin, rsv=rsv)

    def write(self, data):
        if self.open and not self.writer.is_closing():
            self.writer.write(data)

    def send_text(self, text):
        self.write(self.frame(OP_TEXT, text))

    def send_fragmented(self, data, pieces, opcode=OP_TEXT, ping_between=True):
        if isinstance(data, str):
            data = data.encode()
        pieces = max(2, pieces)
        step = max(1, -(-len(data) // pieces))
        chunks = [data[i:i + step] for i in range(0, len(data), step)] or [b""]
        out = b""
        for i, c in enumerate(chunks):
            last = i == len(chunks) - 1
            out += self.frame(opcode if i == 0 else OP_CONT, c, fin=last)
            if ping_between and not last and i == 0:
                out += self.frame(OP_PING, b"mid-message")
        self.write(out)

    async def close(self, code=1000, reason=b"", wait=1.0):
        if not self.open or self.closing:
            return
        self.closing = True
        self.write(self.frame(OP_CLOSE, struct.pack("!H", code) + reason))
        deadline = time.monotonic() + wait
        while self.open and time.monotonic() < deadline:
            await asyncio.sleep(0.02)
        self.finish("server", code)

    def drop(self):
        if self.open:
            self.writer.transport.abort()
            self.finish("drop", None)

    def finish(self, by, code):
        if self.closed_at is not None:
            return
        self.closed_at = time.monotonic()
        self.closed_by = by
        self.close_code = code
        try:
            self.writer.close()
        except Exception:
            pass
        self.fake._on_conn_closed(self)

    # -- receiving -------------------------------------------------------

    async def read_frame(self):
        b0, b1 = await self.reader.readexactly(2)
        fin, rsv, opcode = b0 >> 7, (b0 >> 4) & 7, b0 & 0xF
        masked, n = b1 >> 7, b1 & 0x7F
        if n == 126:
            (n,) = struct.unpack("!H", await self.reader.readexactly(2))
        elif n == 127:
            (n,) = struct.unpack("!Q", await self.reader.readexactly(8))
        if rsv:
            self.fake._violation(f"conn {self.id}: RSV bits set without an extension")
        if not masked:
            self.fake._violation(f"conn {self.id}: client frame not masked (RFC 6455 5.1)")
        if n > CLIENT_MESSAGE_CAP:
            self.fake._violation(f"conn {self.id}: client frame of {n} bytes")
            raise ConnectionError("oversized client frame")
        key = await self.reader.readexactly(4) if masked else b"\0\0\0\0"
        data = await self.reader.readexactly(n)
        return fin, opcode, wsproto.apply_mask(data, key)

    async def run(self):
        self.fake.loop.call_soon(self.fake._on_conn_open, self)
        msg, msg_op = None, None
        try:
            while True:
                fin, op, data = await self.read_frame()
                self.frames_in += 1
                if self.silent:
                    if op == OP_CLOSE:
                        self.client_close_at = time.monotonic()
                    elif op == OP_PING:
                        self.client_pings.append(time.monotonic())
                    continue  # a dead link: nothing in, nothing out
                if op == OP_PING:
                    self.client_pings.append(time.monotonic())
                    self.write(self.frame(OP_PONG, data))
                elif op == OP_PONG:
                    self.server_pongs += 1
                elif op == OP_CLOSE:
                    self.client_close_at = time.monotonic()
                    code = struct.unpack("!H", data[:2])[0] if len(data) >= 2 else None
                    if not self.closing:
                        self.write(self.frame(OP_CLOSE, data[:2]))
                    if self.fake.linger_after_close and not self.closing:
                        # Like Slack: the close is answered but TCP stays
                        # up; the client must drop it itself.
                        self.close_code = code
                        await self.reader.wait_eof()
                        self.finish("client", code)
                        return
                    await asyncio.sleep(0)
                    self.finish("client" if not self.closing else "server", code)
                    return
                elif op in (OP_TEXT, OP_BINARY):
                    if msg is not None:
                        self.fake._violation(f"conn {self.id}: new message inside a fragmented one")
                    msg, msg_op = data, op
                    if fin:
                        self._message(msg_op, msg)
                        msg = None
                elif op == OP_CONT:
                    if msg is None:
                        self.fake._violation(f"conn {self.id}: continuation without a start")
                        continue
                    msg += data
                    if fin:
                        self._message(msg_op, msg)
                        msg = None
                else:
                    self.fake._violation(f"conn {self.id}: unknown opcode {op}")
        except (asyncio.IncompleteReadError, ConnectionError, OSError):
            self.finish("eof" if not self.closing else "server", None)
        except asyncio.CancelledError:
            self.finish("server", None)
            raise

    def _message(self, op, data):
        now = time.monotonic()
        if op == OP_BINARY:
            self.fake._violation(f"conn {self.id}: binary frame from client")
            return
        if self.hello_at is None:
            self.fake._violation(f"conn {self.id}: client sent a message before hello")
        try:
            obj = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            self.fake._violation(f"conn {self.id}: client sent non-JSON text {data[:80]!r}")
            return
        if not isinstance(obj, dict) or not isinstance(obj.get("envelope_id"), str):
            self.fake._violation(f"conn {self.id}: client message is not an ack: {data[:120]!r}")
            return
        self.fake._on_ack(self, obj, now)


class FakeSlack:
    def __init__(self, app_token=None, bot_token=None, bot_user_id=None, bot_id=None,
                 team_id="T0001", host="127.0.0.1", port=0, hello="full",
                 hello_delay=0.0, approximate_connection_time=18060,
                 server_ping_interval=None, redeliver_after=None, echo_own_dm=True,
                 max_connections=10, url_host=None, linger_after_close=False, seed=None):
        rnd = random.Random(seed)
        self.app_token = app_token or "xapp-1-A0FAKE-%d-%s" % (rnd.randrange(10**12), uuid.uuid4().hex)
        self.bot_token = bot_token or "xoxb-%d-%s" % (rnd.randrange(10**12), uuid.uuid4().hex)
        # Random ids, so that the bot must learn them from auth.test.
        self.bot_user_id = bot_user_id or _rand_id("U0")
        self.bot_id = bot_id or _rand_id("B0")
        self.team_id = team_id
        self.app_id = "A0FAKEAPP"
        self.host = host
        self.url_host = url_host or (host if host != "0.0.0.0" else "127.0.0.1")
        self.port = port
        self.hello = hello
        self.hello_delay = hello_delay
        self.approximate_connection_time = approximate_connection_time
        self.server_ping_interval = server_ping_interval
        self.redeliver_after = redeliver_after
        self.echo_own_dm = echo_own_dm
        self.max_connections = max_connections
        self.linger_after_close = linger_after_close  # answer a close, keep TCP open
        self.loop = None
        self.thread = None
        self.server = None
        self.lock = threading.Lock()
        # scripting
        self.post_script = []  # list of response dicts, consumed in order
        self.open_script = []
        self.open_error = None  # persistent error for apps.connections.open
        self.auth_error = None  # persistent error for auth.test / chat.postMessage auth
        self.upgrade_script = []  # HTTP statuses to refuse websocket upgrades with
        self.post_delay = 0.0  # default delay before answering chat.postMessage
        # Called on the loop thread with each chat.postMessage record once it
        # is answered (a load generator's closed loop: the next mention goes
        # out from the loop itself, with no thread in between).
        self.on_post = None
        # records
        self.tickets = {}  # ticket -> used?
        self.conns = []
        self.envelopes = []
        self.acks = []
        self.api_calls = []
        self.posts = []
        self.hooks = []
        self.violations = []
        self.undelivered = []  # envelopes waiting for a ready connection
        self.undelivered_count = 0
        self.raw_envelope_ids = set()  # envelope ids inside send_raw() frames
        # Indexes of envelopes and acks by envelope id (each is looked up per
        # ack: a scan of the lists made the fake's cost per reply grow with
        # every reply before it).
        self._envelope_ids = set()
        self._acks_by_id = {}
        self.upgrades = []  # every websocket upgrade request: time, peer, ticket
        self.max_open = 0
        self._ts = 1736245000
        self._rr = 0
        self._hook_n = 0

    # ---------------------------------------------------------------- lifecycle

    def start(self):
        started = threading.Event()

        def main():
            self.loop = asyncio.new_event_loop()
            asyncio.set_event_loop(self.loop)
            self.server = self.loop.run_until_complete(
                asyncio.start_server(self._client, self.host, self.port))
            self.port = self.server.sockets[0].getsockname()[1]
            started.set()
            self.loop.run_forever()
            self.loop.run_until_complete(self.loop.shutdown_asyncgens())
            self.loop.close()

        self.thread = threading.Thread(target=main, name="fake-slack", daemon=True)
        self.thread.start()
        started.wait(10)
        return self

    def stop(self):
        if self.loop is None:
            return

        async def shutdown():
            self.server.close()
            for c in list(self.conns):
                c.drop()
            for t in [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]:
                t.cancel()

        try:
            asyncio.run_coroutine_threadsafe(shutdown(), self.loop).result(5)
        except Exception:
            pass
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)
        self.loop = None

    @property
    def base_url(self):
        """Where the fake tells the bot to go (websocket URL, response_url)."""
        return f"http://{self.url_host}:{self.port}/"

    @property
    def api_url(self):
        return f"http://127.0.0.1:{self.port}/api/" if self.host == "0.0.0.0" else self.base_url + "api/"

    def call(self, fn, *args, **kw):
        """Runs fn on the server's loop and returns its result (or awaits a coroutine)."""
        async def wrap():
            r = fn(*args, **kw)
            if asyncio.iscoroutine(r):
                r = await r
            return r
        return asyncio.run_coroutine_threadsafe(wrap(), self.loop).result(30)

    # ---------------------------------------------------------------- queries

    def wait_for(self, pred, timeout=10.0, interval=0.02):
        """Polls pred() until it is truthy; returns its value, or None after timeout."""
        deadline = time.monotonic() + timeout
        while True:
            v = pred()
            if v:
                return v
            if time.monotonic() >= deadline:
                return None
            time.sleep(interval)

    def ready_connections(self):
        """Connections Slack would deliver to: those told to disconnect come last
        (they still get events while nothing else is up, as on Slack)."""
        ready = [c for c in list(self.conns) if c.ready]
        return [c for c in ready if not c.disconnect_sent] + [c for c in ready if c.disconnect_sent]

    def open_connections(self):
        return [c for c in list(self.conns) if c.open]

    def posts_ok(self, channel=None):
        return [p for p in list(self.posts)
                if p["ok"] and (channel is None or p["channel"] == channel)]

    def acked(self, envelope_id):
        return list(self._acks_by_id.get(envelope_id, ()))

    def api(self, method):
        return [c for c in list(self.api_calls) if c["method"] == method]

    def state(self):
        return {
            "base_url": self.base_url, "bot_user_id": self.bot_user_id, "bot_id": self.bot_id,
            "connections": [c.summary() for c in list(self.conns)],
            "envelopes": [{k: v for k, v in e.items() if k not in ("raw", "wire")}
                          for e in list(self.envelopes)],
            "acks": list(self.acks), "api_calls": list(self.api_calls),
            "posts": [{k: v for k, v in p.items() if k != "headers"} for p in list(self.posts)],
            "hooks": list(self.hooks), "violations": list(self.violations),
            "undelivered": self.undelivered_count, "max_open": self.max_open,
        }

    # ---------------------------------------------------------------- scripting

    def script_post(self, *responses):
        """Queues responses for the next chat.postMessage calls.  Each is a dict:
        status (HTTP, default 200), error (Slack error name -> ok:false),
        retry_after (seconds, adds the header; status 429 implies ratelimited),
        delay (seconds before answering), body (raw bytes/str to send instead),
        hangup (true: close the connection without answering)."""
        with self.lock:
            self.post_script.extend(responses)

    def script_open(self, *responses):
        """Queues responses for apps.connections.open (same keys as script_post)."""
        with self.lock:
            self.open_script.extend(responses)

    def set_open_error(self, error):
        """Every apps.connections.open answers ok:false with this error (None: off)."""
        self.open_error = error

    def script_upgrade(self, *statuses):
        """The next websocket upgrades are refused with these HTTP statuses."""
        with self.lock:
            self.upgrade_script.extend(statuses)

    def set_silent(self, conn, silent=True):
        """A dead link: the connection stays open but nothing is read or sent,
        no pong, no ping, no envelope."""
        conn = self._conn(conn)
        conn.silent = silent
        return {"conn": conn.id}

    def next_ts(self):
        with self.lock:
            self._ts += 1
            return "%d.%06d" % (self._ts, random.randrange(10**6))

    def make_event(self, event, team_id=None, event_id=None):
        """Wraps an event in an events_api payload (event_callback)."""
        ev = dict(event)
        ts = ev.setdefault("ts", self.next_ts())
        ev.setdefault("event_ts", ts)
        ev.setdefault("team", team_id or self.team_id)
        if ev.get("type") in ("app_mention", "message") and "user" in ev and "bot_id" not in ev:
            ev.setdefault("client_msg_id", str(uuid.uuid4()))
        return {
            "token": "legacy-verification-token-ignore",
            "team_id": team_id or self.team_id, "api_app_id": self.app_id,
            "event": ev, "type": "event_callback",
            "event_id": event_id or _rand_id("Ev0", 10),
            "event_time": int(float(ts)),
            "authorizations": [{"enterprise_id": None, "team_id": team_id or self.team_id,
                                "user_id": self.bot_user_id, "is_bot": True,
                                "is_enterprise_install": False}],
            "is_ext_shared_channel": False,
            "event_context": "4-" + base64.b64encode(b'{"et":"x"}').decode(),
        }

    def message_event(self, subtype=None, text="", channel="D0DM00001", user="U0HUMAN1",
                      channel_type=None, thread_ts=None):
        """A `message` event (message.im, message.channels...) shaped as Slack
        sends it for @subtype (None: a plain message), for send_event():
          file_share        a person's message with a file: files[], upload,
                            display_as_bot; text is the comment ("" for none)
          thread_broadcast  a thread reply also sent to the conversation:
                            thread_ts (the parent, default a new one) and root
          me_message        a /me line
          channel_join      "<@U> has joined the channel", with inviter
          pinned_item       "<@U> pinned a message to this channel.", item_type, item
          bot_message       an integration's post: bot_id, username, icons, no user
        (docs.slack.dev/reference/events/message and its subtype pages)."""
        ctype = channel_type or ("im" if channel.startswith("D") else "channel")
        ev = {"type": "message", "channel": channel, "channel_type": ctype,
              "ts": self.next_ts()}
        if subtype is not None:
            ev["subtype"] = subtype
        if subtype != "bot_message":
            ev["user"] = user
        if subtype in (None, "file_share", "thread_broadcast", "me_message"):
            ev["text"] = text
            if subtype != "me_message":
                ev["client_msg_id"] = str(uuid.uuid4())
        if subtype == "file_share":
            fid = _rand_id("F0")
            ev.update({"upload": False, "display_as_bot": False, "files": [{
                "id": fid, "created": int(float(ev["ts"])), "timestamp": int(float(ev["ts"])),
                "name": "screenshot.png", "title": "screenshot.png", "mimetype": "image/png",
                "filetype": "png", "pretty_type": "PNG", "user": user, "mode": "hosted",
                "editable": False, "is_external": False, "external_type": "", "size": 48213,
                "url_private": f"{self.base_url}files-pri/{self.team_id}-{fid}/screenshot.png",
                "permalink": f"{self.base_url}files/{user}/{fid}/screenshot.png",
                "is_public": False, "original_w": 1280, "original_h": 720}]})
        elif subtype == "thread_broadcast":
            parent = thread_ts or self.next_ts()
            ev["thread_ts"] = parent
            ev["root"] = {"type": "message", "user": user, "text": "earlier question",
                          "ts": parent, "thread_ts": parent, "reply_count": 1,
                          "reply_users_count": 1, "latest_reply": ev["ts"],
                          "reply_users": [user], "is_locked": False, "subscribed": False}
        elif subtype == "channel_join":
            ev.update({"text": f"<@{user}> has joined the channel", "inviter": "U0INVITER"})
        elif subtype == "pinned_item":
            ev.update({"item_type": "C", "text": f"<@{user}> pinned a message to this channel.",
                       "item": {"type": "message", "channel": channel, "ts": self.next_ts()}})
        elif subtype == "bot_message":
            ev.update({"bot_id": "B0OTHER", "username": "otherbot", "text": text,
                       "icons": {"image_48": f"{self.base_url}img/otherbot_48.png"}})
        elif thread_ts is not None:
            ev["thread_ts"] = thread_ts
        return ev

    def send_event(self, event=None, conn=None, retry_attempt=0, retry_reason=None,
                   event_id=None, envelope_id=None, team_id=None, payload=None,
                   fragments=0, pad=0):
        """Sends an events_api envelope; returns its record (envelope_id, event_id,
        payload, ...).  conn: a WsConn, its id, or None for any ready connection
        (if none is ready the envelope waits for one).  payload: resend this
        exact payload (a redelivery).  fragments: send as that many frames.
        pad: add this many bytes of blocks to make the frame large."""
        if payload is None:
            event = dict(event)
            event.setdefault("type", "app_mention")
            event.setdefault("user", "U0HUMAN1")
            if pad:
                event["blocks"] = [{"type": "rich_text", "block_id": "pad%d" % i,
                                    "elements": [{"type": "rich_text_section", "elements": [
                                        {"type": "text", "text": "\u00e9" * 500}]}]}
                                   for i in range(max(1, pad // 1100))]
            payload = self.make_event(event, team_id=team_id, event_id=event_id)
        env = {
            "envelope_id": envelope_id or str(uuid.uuid4()), "type": "events_api",
            "accepts_response_payload": False, "retry_attempt": retry_attempt,
            "retry_reason": retry_reason if retry_reason is not None
            else ("" if retry_attempt == 0 else "timeout"),
            "payload": payload,
        }
        return self.send_envelope(env, conn=conn, fragments=fragments)

    def send_batch(self, events):
        """Sends many events_api envelopes in one go (one loop callback); each
        item is an event dict.  Returns their records."""
        recs = self.make_batch(events)

        def go():
            for rec in recs:
                self._deliver(rec)
        self.call(go)
        return recs

    def make_batch(self, events):
        """The records send_batch() sends for @events, not sent: a load
        generator hands them to _deliver() on the loop thread later."""
        recs = []
        for event in events:
            payload = self.make_event(dict(event, user=event.get("user", "U0HUMAN1")))
            env = {"envelope_id": str(uuid.uuid4()), "type": "events_api",
                   "accepts_response_payload": False, "retry_attempt": 0, "retry_reason": "",
                   "payload": payload}
            recs.append({"envelope_id": env["envelope_id"], "type": "events_api",
                         "event_id": payload["event_id"], "retry_attempt": 0, "payload": payload,
                         "raw": env, "fragments": 0, "sent_at": None, "conn": None,
                         "redelivered": False, "wire": _ENCODER.encode(env)})
        return recs

    def send_slash(self, command="/values", text="", channel="C0STAFF", conn=None,
                   user="U0HUMAN1", team_id=None, response_base=None):
        """Sends a slash_commands envelope with a working response_url (on
        response_base, default base_url)."""
        with self.lock:
            self._hook_n += 1
            n = self._hook_n
        tid = team_id or self.team_id
        secret = uuid.uuid4().hex[:24]
        env = {
            "envelope_id": str(uuid.uuid4()), "type": "slash_commands",
            "accepts_response_payload": True,
            "payload": {
                "token": "legacy-verification-token-ignore", "team_id": tid,
                "team_domain": "acme", "channel_id": channel, "channel_name": "staff",
                "user_id": user, "user_name": "alice", "command": command, "text": text,
                "api_app_id": self.app_id, "is_enterprise_install": "false",
                "response_url": f"{response_base or self.base_url}hooks/commands/{tid}/{n}/{secret}",
                "trigger_id": f"{n}.{random.randrange(10**9)}.{secret[:8]}",
            },
        }
        return self.send_envelope(env, conn=conn)

    def send_envelope(self, env, conn=None, fragments=0):
        rec = {
            "envelope_id": env.get("envelope_id"), "type": env.get("type"),
            "event_id": (env.get("payload") or {}).get("event_id")
            if isinstance(env.get("payload"), dict) else None,
            "retry_attempt": env.get("retry_attempt"), "payload": env.get("payload"),
            "raw": env, "fragments": fragments, "sent_at": None, "conn": None,
            "redelivered": False,
        }
        self.call(self._deliver, rec, conn)
        return rec

    def send_raw(self, conn, data, opcode=OP_TEXT, fragments=0, rsv=0, ping_between=True):
        """Writes one websocket message as it is: str/bytes, any opcode, optionally
        split into fragments (with a ping between the first two)."""
        try:
            obj = json.loads(data)
            if isinstance(obj, dict) and isinstance(obj.get("envelope_id"), str):
                self.raw_envelope_ids.add(obj["envelope_id"])
        except (ValueError, UnicodeDecodeError, TypeError, RecursionError):
            pass

        def go():
            c = self._conn(conn)
            if fragments:
                c.send_fragmented(data, fragments, opcode=opcode, ping_between=ping_between)
            else:
                c.write(c.frame(opcode, data, rsv=rsv))
        self.call(go)

    def send_disconnect(self, conn=None, reason="refresh_requested", close_after=None):
        """Sends a disconnect frame; closes the socket from the server after
        close_after seconds if the client has not closed it by then."""
        def go():
            c = self._conn(conn)
            c.disconnect_sent.append((reason, time.monotonic()))
            c.send_text(json.dumps({
                "type": "disconnect", "reason": reason,
                "debug_info": {"host": "applink-fake-%d" % c.id},
                "num_connections": len(self.open_connections()),
                "connection_info": {"app_id": self.app_id}}))
            if close_after is not None:
                async def later():
                    await asyncio.sleep(close_after)
                    await c.close(1000)
                c.tasks.append(self.loop.create_task(later()))
            return c.id
        return self.call(go)

    def close(self, conn, code=1000):
        """Closes a connection from the server with a close handshake."""
        return self.call(lambda: self._conn(conn).close(code))

    def drop(self, conn=None):
        """Abruptly drops the TCP connection (no close frame)."""
        self.call(lambda: self._conn(conn).drop())

    # ---------------------------------------------------------------- internals

    def _conn(self, conn):
        if isinstance(conn, WsConn):
            return conn
        if conn is None:
            r = self.ready_connections() or self.open_connections()
            if not r:
                raise RuntimeError("no open connection")
            return r[-1]
        for c in self.conns:
            if c.id == conn:
                return c
        raise KeyError(conn)

    def _violation(self, what):
        self.violations.append({"time": time.monotonic(), "what": what})

    def _deliver(self, rec, conn=None):
        if conn is not None:
            c = self._conn(conn)
        else:
            ready = self.ready_connections()
            if not ready:
                self.undelivered.append(rec)
                self.undelivered_count += 1
                return
            fresh = [c for c in ready if not c.disconnect_sent] or ready
            self._rr += 1
            c = fresh[self._rr % len(fresh)]
        rec["conn"] = c.id
        rec["sent_at"] = time.monotonic()
        text = rec.get("wire") or _ENCODER.encode(rec["raw"])
        if rec["fragments"]:
            c.send_fragmented(text, rec["fragments"])
        else:
            c.send_text(text)
        c.pending[rec["envelope_id"]] = rec
        self.envelopes.append(rec)
        self._envelope_ids.add(rec["envelope_id"])
        if self.redeliver_after is not None and rec["type"] == "events_api":
            self.loop.call_later(self.redeliver_after, self._redeliver_if_unacked, rec)

    def _redeliver_if_unacked(self, rec):
        if self.acked(rec["envelope_id"]) or rec["redelivered"]:
            return
        if (rec["retry_attempt"] or 0) >= 3:
            return
        rec["redelivered"] = True
        for c in self.conns:
            c.pending.pop(rec["envelope_id"], None)
        env = dict(rec["raw"])
        env["envelope_id"] = str(uuid.uuid4())
        env["retry_attempt"] = (rec["retry_attempt"] or 0) + 1
        env["retry_reason"] = "timeout"
        new = {
            "envelope_id": env["envelope_id"], "type": env["type"], "event_id": rec["event_id"],
            "retry_attempt": env["retry_attempt"], "payload": env["payload"], "raw": env,
            "fragments": 0, "sent_at": None, "conn": None, "redelivered": False,
        }
        self._deliver(new)

    def _on_conn_open(self, conn):
        self.max_open = max(self.max_open, len(self.open_connections()))

    def _on_conn_closed(self, conn):
        for t in conn.tasks:
            t.cancel()
        if self.redeliver_after is not None:
            for rec in list(conn.pending.values()):
                if rec["type"] == "events_api":
                    self.loop.call_later(self.redeliver_after, self._redeliver_if_unacked, rec)

    def _flush_undelivered(self):
        waiting, self.undelivered = self.undelivered, []
        for rec in waiting:
            self._deliver(rec)

    def _on_ack(self, conn, obj, now):
        eid = obj["envelope_id"]
        rec = None
        for c in self.conns:
            if eid in c.pending:
                rec = c.pending.pop(eid)
        known = rec is not None or eid in self.raw_envelope_ids or eid in self._envelope_ids
        if not known:
            self._violation(f"conn {conn.id}: ack for unknown envelope {eid}")
        if rec is not None and rec["conn"] != conn.id:
            self._violation(f"conn {conn.id}: ack for envelope {eid} sent on conn {rec['conn']}")
        if obj.get("payload") == {}:
            # An empty payload is a plain ack: Slack's own SDKs send
            # {"envelope_id":..,"payload":{}} for every envelope (Bolt's
            # SocketModeClient.send(); tests/fakes/bolt-check).
            obj = {"envelope_id": eid}
        if "payload" in obj and rec is not None and not rec["raw"].get("accepts_response_payload"):
            self._violation(f"conn {conn.id}: ack payload for envelope {eid} that accepts none")
        if eid in self._acks_by_id:
            self._violation(f"conn {conn.id}: envelope {eid} acked twice")
        pl = obj.get("payload")
        if "payload" in obj:
            # What Slack renders for a slash command: a message, as a response_url takes.
            if not isinstance(pl, dict):
                self._violation(f"conn {conn.id}: ack payload for {eid} is not an object")
            elif pl.get("response_type", "ephemeral") not in ("ephemeral", "in_channel"):
                self._violation(f"conn {conn.id}: ack payload response_type {pl.get('response_type')!r}")
            elif message_problem(pl):
                self._violation(f"conn {conn.id}: ack payload refused: %s (%s)" % message_problem(pl))
            elif pl.get("blocks") and not pl.get("text"):
                self._violation(f"conn {conn.id}: ack payload with blocks but no fallback text")
        ack = {"envelope_id": eid, "time": now, "read_at": conn.reader.read_at,
               "conn": conn.id, "payload": obj.get("payload"),
               "latency": now - rec["sent_at"] if rec else None}
        self._acks_by_id.setdefault(eid, []).append(ack)
        self.acks.append(ack)

    # ---------------------------------------------------------------- HTTP

    async def _client(self, r, writer):
        reader = _Reader(r)
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, ConnectionError, ValueError):
                    break
                lines = head.decode("latin-1").split("\r\n")
                try:
                    method, target, _version = lines[0].split(" ", 2)
                except ValueError:
                    break
                headers = {}
                for line in lines[1:]:
                    if ":" in line:
                        k, v = line.split(":", 1)
                        headers[k.strip().lower()] = v.strip()
                path, _, query = target.partition("?")
                if path.startswith("/link") and headers.get("upgrade", "").lower() == "websocket":
                    await self._upgrade(reader, writer, headers, query)
                    return
                if headers.get("expect", "").lower() == "100-continue":
                    writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
                body = b""
                if "content-length" in headers:
                    body = await reader.readexactly(int(headers["content-length"]))
                elif headers.get("transfer-encoding", "").lower() == "chunked":
                    while True:
                        size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
                        chunk = await reader.readexactly(size + 2)
                        if size == 0:
                            break
                        body += chunk[:-2]
                req = {"method": method, "path": path, "query": query,
                       "headers": headers, "body": body, "time": time.monotonic(),
                       "read_at": reader.read_at}
                keep = await self._http(req, reader, writer)
                if not keep or headers.get("connection", "").lower() == "close":
                    break
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        except asyncio.CancelledError:
            pass
        finally:
            try:
                writer.close()
            except Exception:
                pass

    def _respond(self, writer, status, obj=None, extra=None, raw=None):
        if raw is not None:
            body = raw if isinstance(raw, bytes) else raw.encode()
            ctype = "text/plain; charset=utf-8"
        else:
            body = _ANSWER_ENCODER.encode(obj).encode()
            ctype = "application/json; charset=utf-8"
        head = [f"HTTP/1.1 {status} {STATUS_TEXT.get(status, 'Status')}",
                f"Content-Type: {ctype}", f"Content-Length: {len(body)}"]
        for k, v in (extra or {}).items():
            head.append(f"{k}: {v}")
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)

    async def _held(self, reader, delay):
        """Waits delay seconds; returns False if the client hung up meanwhile."""
        if delay <= 0:
            return True
        eof = asyncio.ensure_future(reader.wait_eof())
        done, _ = await asyncio.wait([eof], timeout=delay)
        if done:
            return False
        eof.cancel()
        try:
            await eof
        except asyncio.CancelledError:
            pass
        return True

    @staticmethod
    def _token(req):
        auth = req["headers"].get("authorization", "")
        if auth.lower().startswith("bearer "):
            return auth[7:].strip(), "header"
        ctype = req["headers"].get("content-type", "")
        if ctype.startswith("application/x-www-form-urlencoded"):
            form = urllib.parse.parse_qs(req["body"].decode("latin-1"))
            if "token" in form:
                return form["token"][0], "form"
        return None, None

    async def _http(self, req, reader, writer):
        path = req["path"]
        if path.startswith("/_control/"):
            return await self._control(req, writer)
        if path.startswith("/hooks/commands/"):
            return await self._hook(req, writer)
        if not path.startswith("/api/"):
            self._respond(writer, 404, raw="not found")
            return True
        name = path[len("/api/"):]
        token, where = self._token(req)
        kind = None if token is None else ("app" if token == self.app_token else
                                           "bot" if token == self.bot_token else "bad")
        call = {"method": name, "time": req["time"], "http": req["method"], "token": kind,
                "token_in": where, "status": 200, "error": None,
                "local": writer.get_extra_info("sockname")[0],
                "peer": writer.get_extra_info("peername")[1]}
        self.api_calls.append(call)

        def fail(error, status=200, extra=None):
            call["status"], call["error"] = status, error
            self._respond(writer, status, {"ok": False, "error": error}, extra)
            return True

        if req["method"] != "POST" and name == "apps.connections.open":
            return fail("insecure_request")
        if name == "apps.connections.open":
            if token is None:
                return fail("not_authed")
            if kind == "bot":
                self._violation("apps.connections.open called with the bot token")
                return fail("not_allowed_token_type")
            if kind != "app":
                return fail("invalid_auth")
            with self.lock:
                sc = self.open_script.pop(0) if self.open_script else None
            if sc:
                if not await self._held(reader, sc.get("delay", 0)):
                    call["aborted"] = True
                    return False
                if sc.get("status", 200) != 200 or sc.get("error"):
                    return self._scripted(writer, call, sc)
            if self.open_error:
                return fail(self.open_error)
            ticket = uuid.uuid4().hex
            self.tickets[ticket] = False
            url = f"ws://{self.url_host}:{self.port}/link/?ticket={ticket}&app_id={self.app_id}"
            self._respond(writer, 200, {"ok": True, "url": url})
            return True
        if name == "auth.test":
            if token is None:
                return fail("not_authed")
            if kind == "app":
                self._violation("auth.test called with the app-level token")
                return fail("not_allowed_token_type")
            if kind != "bot" or self.auth_error:
                return fail(self.auth_error or "invalid_auth")
            self._respond(writer, 200, {
                "ok": True, "url": "https://acme.slack.com/", "team": "Acme",
                "user": "valuesbot", "team_id": self.team_id, "user_id": self.bot_user_id,
                "bot_id": self.bot_id, "is_enterprise_install": False})
            return True
        if name == "chat.postMessage":
            return await self._post_message(req, reader, writer, call, token, kind)
        return fail("unknown_method", status=404)

    def _scripted(self, writer, call, sc):
        status = sc.get("status", 200)
        extra = {}
        if sc.get("retry_after") is not None:
            extra["Retry-After"] = str(sc["retry_after"])
        call["status"] = status
        if "body" in sc:
            call["error"] = "raw body"
            self._respond(writer, status, raw=sc["body"], extra=extra)
            return True
        if status == 429:
            error = sc.get("error", "ratelimited")
        elif status >= 500:
            error = sc.get("error", "internal_error")
        else:
            error = sc.get("error")
        call["error"] = error
        obj = {"ok": False, "error": error} if error else {"ok": True}
        self._respond(writer, status, obj, extra)
        return True

    async def _post_message(self, req, reader, writer, call, token, kind):
        keep = await self._post_message_answer(req, reader, writer, call, token, kind)
        if self.on_post is not None:
            self.on_post(req["post"])
        return keep

    async def _post_message_answer(self, req, reader, writer, call, token, kind):
        hdr = req["headers"]
        ctype = hdr.get("content-type", "")
        post = {"time": req["time"], "read_at": req["read_at"], "channel": None, "text": None, "thread_ts": None,
                "blocks": None, "body": None, "status": 200, "ok": False, "error": None,
                "completed": False, "aborted": False, "done_at": None, "headers": hdr,
                "content_type": ctype}
        self.posts.append(post)
        req["post"] = post
        body = {}
        if ctype.startswith("application/json"):
            if "charset" not in ctype.lower():
                self._violation("chat.postMessage JSON without charset (Slack warns missing_charset)")
            try:
                body = json.loads(req["body"].decode("utf-8"))
            except (UnicodeDecodeError, ValueError):
                self._violation("chat.postMessage body is not valid JSON")
                body = None
            if isinstance(body, dict) and "token" in body:
                self._violation("token inside a JSON body (Slack ignores it)")
        elif ctype.startswith("application/x-www-form-urlencoded"):
            body = {k: v[0] for k, v in urllib.parse.parse_qs(req["body"].decode("utf-8")).items()}
        post["body"] = body
        if isinstance(body, dict):
            post["channel"] = body.get("channel")
            post["text"] = body.get("text")
            post["thread_ts"] = body.get("thread_ts")
            post["blocks"] = body.get("blocks")
        with self.lock:
            sc = self.post_script.pop(0) if self.post_script else None
        delay = (sc or {}).get("delay", self.post_delay)
        if sc and sc.get("hangup"):
            # A network error: the connection closes with no response.
            post["status"], post["error"] = None, "hangup"
            post["done_at"] = time.monotonic()
            call["status"], call["error"] = None, "hangup"
            writer.transport.abort()
            return False
        if not await self._held(reader, delay):
            post["aborted"] = True
            post["done_at"] = time.monotonic()
            return False

        def fin(error=None, status=200, extra=None, obj=None):
            post["status"], post["error"] = status, error
            post["done_at"] = time.monotonic()
            call["status"], call["error"] = status, error
            if obj is None:
                obj = {"ok": False, "error": error}
            self._respond(writer, status, obj, extra)
            post["completed"] = not writer.is_closing()
            return True

        if token is None:
            return fin("not_authed")
        if kind == "app":
            self._violation("chat.postMessage called with the app-level token")
            return fin("not_allowed_token_type")
        if kind != "bot" or self.auth_error:
            return fin(self.auth_error or "invalid_auth")
        if sc and (sc.get("status", 200) != 200 or sc.get("error") or "body" in sc):
            self._scripted(writer, call, sc)
            post["status"], post["error"] = call["status"], call["error"]
            post["done_at"] = time.monotonic()
            post["completed"] = not writer.is_closing()
            return True
        if body is None:
            return fin("invalid_json")
        if not post["channel"]:
            return fin("channel_not_found")
        text, blocks = post["text"], post["blocks"]
        bad = message_problem(body)
        if bad:
            post["problem"] = bad[1]
            return fin(bad[0])
        if blocks and not text:
            self._violation("chat.postMessage with blocks but no fallback text")
        ts = self.next_ts()
        msg = {"type": "message", "subtype": None, "text": text or "", "user": self.bot_user_id,
               "bot_id": self.bot_id, "ts": ts, "team": self.team_id}
        if post["thread_ts"]:
            msg["thread_ts"] = post["thread_ts"]
        msg = {k: v for k, v in msg.items() if v is not None}
        post["ok"] = True
        post["ts"] = ts
        fin(obj={"ok": True, "channel": post["channel"], "ts": ts, "message": msg})
        if self.echo_own_dm and str(post["channel"]).startswith("D"):
            # Slack delivers the bot's own DM back as message.im: the bot must ignore it.
            ev = dict(msg, channel=post["channel"], channel_type="im", event_ts=ts)
            self._echo(ev)
        return True

    def _echo(self, ev):
        if self.ready_connections():
            payload = self.make_event(ev)
            env = {"envelope_id": str(uuid.uuid4()), "type": "events_api",
                   "accepts_response_payload": False, "retry_attempt": 0, "retry_reason": "",
                   "payload": payload}
            rec = {"envelope_id": env["envelope_id"], "type": "events_api",
                   "event_id": payload["event_id"], "retry_attempt": 0, "payload": payload,
                   "raw": env, "fragments": 0, "sent_at": None, "conn": None,
                   "redelivered": False, "echo": True}
            self._deliver(rec)

    async def _hook(self, req, writer):
        rec = {"time": req["time"], "path": req["path"], "body": None, "ok": False,
               "error": None, "local": writer.get_extra_info("sockname")[0],
               "content_type": req["headers"].get("content-type", "")}
        self.hooks.append(rec)
        try:
            rec["body"] = json.loads(req["body"].decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            self._violation("response_url POST body is not JSON")
            self._respond(writer, 400, raw="invalid_payload")
            return True
        uses = sum(1 for h in self.hooks if h["path"] == req["path"])
        if req["method"] != "POST":
            self._respond(writer, 405, raw="method not allowed")
        elif uses > 5:
            self._respond(writer, 404, raw="used_url")
        elif not isinstance(rec["body"], dict):
            self._respond(writer, 400, raw="invalid_payload")
        elif message_problem(rec["body"]):
            rec["error"], rec["problem"] = message_problem(rec["body"])
            self._respond(writer, 400, raw=rec["error"])
        else:
            if rec["body"].get("blocks") and not rec["body"].get("text"):
                self._violation("response_url message with blocks but no fallback text")
            rec["ok"] = True
            self._respond(writer, 200, raw="ok")
        return True

    async def _control(self, req, writer):
        action = req["path"][len("/_control/"):]
        if action == "state" and req["method"] == "GET":
            self._respond(writer, 200, self.state())
            return True
        allowed = {"send_event", "send_batch", "send_slash", "send_disconnect", "drop", "set_silent",
                   "script_post", "script_open", "set_open_error", "script_upgrade", "close"}
        if req["method"] != "POST" or action not in allowed:
            self._respond(writer, 404, {"ok": False, "error": "unknown control " + action})
            return True
        try:
            args = json.loads(req["body"] or b"{}")
            if action in ("script_post", "script_open", "script_upgrade"):
                getattr(self, action)(*args.get("responses", []))
                result = None
            else:
                # Control calls arrive on the loop thread: run the loop-side part directly.
                result = await self.loop.run_in_executor(None, lambda: getattr(self, action)(**args))
            if isinstance(result, dict) and "raw" in result:
                result = {k: v for k, v in result.items() if k != "raw"}
            self._respond(writer, 200, {"ok": True, "result": result})
        except Exception as e:  # control errors go back to the caller
            self._respond(writer, 400, {"ok": False, "error": repr(e)})
        return True

    # ---------------------------------------------------------------- websocket

    async def _upgrade(self, reader, writer, headers, query):
        q = urllib.parse.parse_qs(query)
        ticket = (q.get("ticket") or [None])[0]
        self.upgrades.append({"time": time.monotonic(), "ticket": ticket,
                              "local": writer.get_extra_info("sockname")[0],
                              "protocol": headers.get("sec-websocket-protocol")})
        with self.lock:
            refuse = self.upgrade_script.pop(0) if self.upgrade_script else None
        key = headers.get("sec-websocket-key", "")
        problems = []
        if "upgrade" not in headers.get("connection", "").lower():
            problems.append("Connection header lacks Upgrade")
        if headers.get("sec-websocket-version") != "13":
            problems.append("Sec-WebSocket-Version is not 13")
        try:
            if len(base64.b64decode(key, validate=True)) != 16:
                problems.append("Sec-WebSocket-Key is not 16 bytes")
        except ValueError:
            problems.append("Sec-WebSocket-Key is not base64")
        if problems:
            self._violation("websocket handshake: " + "; ".join(problems))
            self._respond(writer, 400, raw="bad handshake")
            return
        if ticket not in self.tickets:
            self._violation(f"websocket opened with an unknown ticket {ticket!r}")
            self._respond(writer, 401, raw="invalid ticket")
            return
        if self.tickets[ticket]:
            self._violation("websocket URL reused (tickets are single use)")
            self._respond(writer, 401, raw="ticket already used")
            return
        self.tickets[ticket] = True
        if refuse:
            self._respond(writer, refuse, raw="refused")
            return
        accept = wsproto.accept_key(key)
        writer.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                      "Connection: Upgrade\r\nSec-WebSocket-Accept: " + accept + "\r\n\r\n").encode())
        conn = WsConn(self, len(self.conns) + 1, ticket, reader, writer)
        self.conns.append(conn)
        if len(self.open_connections()) > self.max_connections:
            conn.send_text(json.dumps({"type": "disconnect", "reason": "too_many_websockets",
                                       "debug_info": {"host": "applink-fake"}}))
            conn.disconnect_sent.append(("too_many_websockets", time.monotonic()))
        else:
            conn.tasks.append(self.loop.create_task(self._hello(conn)))
        if self.server_ping_interval:
            conn.tasks.append(self.loop.create_task(self._pinger(conn)))
        await conn.run()

    async def _hello(self, conn):
        if self.hello_delay:
            await asyncio.sleep(self.hello_delay)
        if not conn.open or self.hello == "none":
            return
        if self.hello == "minimal":
            hello = {"type": "hello"}
        else:
            hello = {"type": "hello", "num_connections": len(self.open_connections()),
                     "connection_info": {"app_id": self.app_id},
                     "debug_info": {"host": "applink-fake-%d" % conn.id,
                                    "started": time.strftime("%Y-%m-%d %H:%M:%S.000"),
                                    "build_number": 54,
                                    "approximate_connection_time": self.approximate_connection_time}}
        conn.send_text(json.dumps(hello))
        conn.hello_at = time.monotonic()
        self._flush_undelivered()

    async def _pinger(self, conn):
        while conn.open:
            await asyncio.sleep(self.server_ping_interval)
            if conn.open and not conn.silent:
                conn.write(conn.frame(OP_PING, str(time.time())))


def main(argv):
    import argparse
    import signal
    ap = argparse.ArgumentParser(description="fake Slack Socket Mode + Web API server")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--app-token")
    ap.add_argument("--bot-token")
    ap.add_argument("--server-ping", type=float, default=None)
    a = ap.parse_args(argv)
    fake = FakeSlack(app_token=a.app_token, bot_token=a.bot_token, port=a.port,
                     server_ping_interval=a.server_ping).start()
    print(json.dumps({"base_url": fake.base_url, "api_url": fake.api_url,
                      "app_token": fake.app_token, "bot_token": fake.bot_token,
                      "bot_user_id": fake.bot_user_id}), flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    fake.stop()


if __name__ == "__main__":
    main(sys.argv[1:])
