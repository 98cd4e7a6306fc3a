#!/usr/bin/env python3
"""fake_mattermost.py - a protocol-faithful fake Mattermost server for tests.

Python 3 standard library only (asyncio; RFC 6455 framing in wsproto.py).
It follows /work/shared/protocols.md section 2 and the Mattermost server
sources (api4/websocket.go, app/platform/web_conn.go, web_hub.go,
websocket_router.go) where the protocol notes are silent.

RUN
    python3 tests/fakes/fake_mattermost.py [--port 0] [--token TOKEN]
        [--bot-username valuesbot] [--bot-id ID] [--not-bot] [--host 127.0.0.1]
        [--tls-cert PEM --tls-key PEM] [--url-host NAME] [--config JSON]
    (--not-bot: the token is a normal account's personal access token, so
    its posts carry no props.from_bot; --tls-*: https and wss; make_test_ca()
    writes a throwaway CA and a certificate for localhost and 127.0.0.1)
    prints one JSON line {"port": N, "url": "http://127.0.0.1:N", ...} on stdout,
    then serves until SIGTERM/SIGINT.  Tests start it as a subprocess, talk to
    it over HTTP and stop it by PID.  Or in-process:
        fake = FakeMattermost(token=...); fake.start_thread(); ...; fake.stop_thread()

WHAT IT SPEAKS (client-visible behaviour)
  REST (JSON; errors are Mattermost AppError objects
        {"id","message","detailed_error","request_id","status_code"}):
    GET  /api/v4/users/me            Bearer/Token header -> the user; 401 otherwise
    POST /api/v4/posts               {channel_id, message, root_id?, props?,
                                      pending_post_id?} -> 201 + Post, then a
                                     `posted` event to every member, the author
                                     included (props.from_bot="true" for bots).
                                     400 api.post.create_post.root_id.app_error
                                     when root_id is unknown, a reply, deleted or
                                     in another channel; 403 for a non-member;
                                     400 for a message over 16383 runes.
    GET  /api/v4/channels/{id}/posts ?page=&per_page= (newest first; per_page
                                     60 by default, 200 at most) | ?since=ms (not
                                     paginated: up to 1000 posts updated since, in
                                     no set order, deleted ones too) | ?after= or
                                     ?before=post_id with page/per_page
    GET  /api/v4/users/me/teams/{team_id}/channels  the user's channels in the
                                     team and all its DM/group channels, each
                                     with last_post_at; not paginated
    GET  /api/v4/users/me/channels   all the user's channels (every team, DMs,
                                     groups); not paginated
    GET  /api/v4/config/client?format=old  {"MaxPostSize": "16383", ...}
                                     (config max_post_size); no format: 501
    GET  /api/v4/channels/{id}       the channel (403 for a non-member)
    GET  /api/v4/users/{id}          a user;  GET /api/v4/users/me/teams  teams
    POST /api/v4/channels/direct     ["id1","id2"] -> 201, the direct channel
    POST /api/v4/users/{id|me}/typing  200
    GET  /api/v4/system/ping         {"status":"OK"}
    Anything else: 404, and recorded as a client protocol violation.
    Rate limiting (config rate_limit_headers) adds X-Ratelimit-Limit,
    X-Ratelimit-Remaining, X-Ratelimit-Reset (seconds) to every API answer; a
    scripted 429 has a plain-text body "limit exceeded" and Retry-After.
  Websocket GET /api/v4/websocket[/]:
    * Authorization: Bearer/Token header (or MMAUTHTOKEN cookie) on the
      upgrade authenticates; a token in ?access_token= gets HTTP 401.  A bad
      header token still upgrades, unauthenticated (the real handler is
      TrustRequester); the socket is then closed after auth_timeout (5 s)
      unless an authentication_challenge succeeds.  A challenge with a bad
      token: the socket is closed, no reply.
    * A fresh connection gets `hello` (seq 0, data.connection_id,
      server_version, server_hostname; broadcast.user_id = the user).
    * Every event carries `seq`, per connection_id, +1 per event; responses to
      client requests carry seq_reply and no seq.
    * Reconnect: ?connection_id=X&sequence_number=N, header-authenticated.  X
      unknown (forgotten, reaped, never seen) -> new connection_id, fresh
      hello.  X known: sequence_number missing/non-numeric/negative -> socket
      closed at once; N still in the 128-event dead queue -> replay from N, no
      hello; N == last sent + 1 -> nothing to replay, no hello; otherwise ->
      new connection_id, seq reset, fresh hello.  Events that arose while the
      connection was away (its 256-slot active queue) follow, with new seqs.
    * Requests: {"action","seq","data"}: action "" -> FAIL no_action; seq <= 0
      -> FAIL bad_seq; before authentication -> FAIL 401 not_authenticated;
      "ping" -> OK data {text:"pong",version,server_time,node_id}; user_typing,
      get_statuses, get_statuses_by_ids -> OK; others -> FAIL bad_action.
      Undecodable JSON or a binary (msgpack) frame closes the socket; a
      message over 8 KiB is closed with 1009 (gorilla read limit).
    * WS PING every ws_ping_interval (60 s); no PONG within pong_wait (100 s)
      -> the server drops the socket.  Client PINGs are answered.
    * `posted` data: channel_display_name, channel_name, channel_type
      (O/P/D/G), mentions (JSON string, only the receiver's id, only if the
      receiver was mentioned -- by @username, or the peer of a DM), post (JSON
      string; Go's HTML-safe escaping of < > &), sender_name, set_online,
      team_id.  With config noise (default on) each user post is preceded by
      a `typing` event, as a real client causes.

CONTROL INTERFACE (same port, JSON in and out, no auth; for tests only)
  GET  /_control/state     everything observed: {"bot", "violations": [{t, what}:
         what the client did that a real server refuses: bad frames or
         requests, token in a URL, root_id that is a reply, empty or over-long
         message, unknown API], "max_open_websockets", "connections": [{n,
         t_open, t_close, path, query, auth_header ("valid"/"invalid"/"none"),
         token_in_query, authed_via ("header"/"challenge"/null), user_id,
         connection_id, outcome ("fresh"/"replay"/"lossless"/"reset"/
         "unauthenticated"/"refused"/"bad-params"/"bad-upgrade"), replayed,
         hellos, active, silent, requests [{action, seq, t}], ws_pings_sent
         [{payload,t}], ws_pongs [{payload,t}], client_ws_pings, close_code,
         close_reason, closed_by}], "sessions": [{connection_id, user_id,
         next_seq, dead, pending, active}], "posts": [every post created over
         REST, with "t"], "post_attempts": [{t, status, body, root_id,
         channel_id, message}], "rest": [{t, method, path, status, auth, remaining}],
         "injected": {post_id: t injected}, "now": t}
         (t: seconds on the fake's monotonic clock; "now" is the same clock)
  POST /_control/config    {ws_ping_interval, pong_wait, auth_timeout,
         rate_limit_headers, noise, accept_tokens: [...], reject_token: bool,
         max_post_size: runes (a real server says 16383, or 4000),
         rate_limit: {per_sec, burst} or null: a real limiter on the REST API,
         bot_in_teams: false: the bot is in no team (DMs and groups only),
         post_delay: seconds every POST /posts takes (a real server's
         response time; 0 by default)}
  POST /_control/faults    {"route": "posts"|"users_me"|"websocket",
         "responses": [{"status": 429, "retry_after": 1}, {"status": 500},
         {"status": 503, "body": "<html>..", "content_type": "text/html"},
         {"delay": 2.5}, {"status": 500, "after_create": true},
         {"status": 400, "id": "api.post.create_post.root_id.app_error"}],
         "clear": false}  -- consumed one per request, in order
  POST /_control/post      a user posts: {message, channel_id?, channel_type
         ("O"), user ("alice"|"bob"|"otherbot"|"bot"|a user id), root_id?,
         type?, props?, id? (reuse to redeliver a post), event ("posted" or
         "post_edited"), edit_at?, mentions? (list, overrides), team_id?,
         message_pad? (append N bytes), fragment? (bytes per frame, with a PING
         between the first fragments), withhold? (sequence it, keep it in the
         dead queue, do not write it: lost in flight)} -> {"post": {...}}
  POST /_control/event     {event, data, broadcast?, fragment?, withhold?}
         any sequenced event to the bot's connections
  POST /_control/raw       {"frames": [{"opcode": 1, "text": ".."|"b64": ".."|
         "pad": N, "fin": true, "rsv": 0}]} unsequenced raw frames to the bot's
         active connections (malformed JSON, binary, reserved bits...)
  POST /_control/ws_ping   {"payload": ".."} a PING now
  POST /_control/silence   the bot's active connections go half-open: nothing
         more is written or answered (events are still sequenced into the dead
         queue, lost in flight); their EOF is still noticed
  POST /_control/drop      {"how": "rst"|"fin"|"close", "code": 1001,
         "forget": false}  drop the bot's active connections; forget also
         discards their connection ids (a server restart: next hello is fresh)
  POST /_control/forget    discard every inactive connection id
  POST /_control/gap       {"mode": "withhold"} the next event is sequenced but
         not written (a frame lost in a proxy), or {"mode": "jump", "n": 2}
         the next event's seq jumps by n (never in the dead queue)
  POST /_control/redeliver {"n": 2} the next replay starts n events before the
         requested sequence_number (at-least-once delivery)
  POST /_control/delete_post {"id": ".."}  delete a post (post_deleted event)
  POST /_control/user      {"username", "is_bot": true} -> {"user"} a new user
  POST /_control/disable_reenable  the bot account is disabled and enabled again:
         its sessions are revoked (open sockets stay up, answer pings, get no
         events), users/me shows a new update_at
  POST /_control/account   {"active": false} the bot account is deactivated: its
         token is refused (REST 401, an upgrade with it is unauthenticated),
         its sessions are invalid: their open sockets stay up but get no
         events (nothing is sequenced or queued for them) and every request
         on them fails 401 not_authenticated.  {"active": true}: reactivated,
         the token works again; a resume of an old connection id with a
         valid header finds nothing queued (lossless, no hello), as observed
         on a real server; the old sockets stay deaf.  update_at changes both
         times.
  POST /_control/posts     {"posts": [{...}, ...]} several /_control/post at once
  POST /_control/load      {"count", "channels", "rate", "message", "user"} the
         fake injects count posts itself, rate per second, round-robin over new
         public channels ("{bot}" in message: the bot's username); with
         "inflight": N it keeps N posts unanswered instead (a closed loop: the
         next post as soon as a bot post is created; "gap": seconds to wait
         before each, e.g. for one at a time)
  POST /_control/stats     {"since": t} per injected post: answered, duplicates,
         latencies (reply read - post injected, s: the reply's request as read
         from its socket, before the fake's queued work), first_injected, last_reply;
         with "detail": true also "pairs": [[post id, t injected, t of its
         first reply]] and "t0": the fake's clock 0 on time.monotonic()
  POST /_control/progress  {} -> {"injected": posts injected, "bot_posts": posts
         the bot created}: cheap to poll while a load runs (stats walks every post)
  POST /_control/gc        {"off": true} collects once, freezes what is live and
         turns Python's collector off (a load generator's measured window: a
         full collection walks every post kept, tens of ms); {"off": false}
         turns it back on
"""

import argparse
import asyncio
import base64
import collections
import contextlib
import gc
import itertools
import json
import os
import random
import signal
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import wsproto  # noqa: E402

SERVER_VERSION = "10.5.0.12345.fakemm.true"
DEAD_QUEUE_SIZE = 128  # web_conn.go deadQueueSize
SEND_QUEUE_SIZE = 256  # web_conn.go sendQueueSize
SOCKET_MAX_MESSAGE = 8 * 1024  # model.SocketMaxMessageSizeKb
POST_MAX_RUNES = 16383  # model.PostMessageMaxRunesV2
PER_PAGE_DEFAULT, PER_PAGE_MAX = 60, 200  # api4 params.go
SINCE_LIMIT = 1000  # sqlstore GetPostsSince: LIMIT 1000, in no particular order
INACTIVE_TTL = 300.0  # the hub forgets unclaimed connection ids after a while
ID_ALPHABET = "ybndrfg8ejkmcpqxot1uwisza345h769"  # model.NewId base32


# An id is 16 random characters drawn once per process, then a counter of 10
# (hex digits mapped onto the alphabet): the same form as the server's (26
# characters of its base32), unique, and made in two C calls.  Drawing all 26
# at random (random.choices) was a tenth of the fake's time per reply: an id
# per post, per channel of a load, per response's X-Request-Id.  (Base32 of
# random bits, and a compiled regex for go_json's escapes, were not faster.)
_ID_PREFIX = "".join(random.choices(ID_ALPHABET, k=16))
_ID_COUNTER = itertools.count(random.randrange(1 << 36))
_HEX_TO_ID = str.maketrans("0123456789abcdef", ID_ALPHABET[:16])


def new_id():
    return _ID_PREFIX + format(next(_ID_COUNTER) & 0xFFFFFFFFFF, "010x").translate(_HEX_TO_ID)


def now_ms():
    return int(time.time() * 1000)


# One encoder for all: json.dumps() with options builds a new one per call,
# about as long as encoding a post (five per reply).
_GO_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def go_json(obj):
    """JSON the way Go's encoding/json writes it: compact, UTF-8, HTML-safe."""
    s = _GO_ENCODER.encode(obj)
    return (s.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


SESSION_EXPIRED = ("api.context.session_expired.app_error",
                   "Invalid or expired session, please login again.", 401)


def app_error(err_id, message, status):
    return {"id": err_id, "message": message, "detailed_error": "",
            "request_id": new_id(), "status_code": status}


class Conn:
    """One websocket connection (one TCP socket)."""

    def __init__(self, fake, n, req):
        self.fake = fake
        self.n = n
        self.ws = None
        self.t_open = fake.clock()
        self.t_close = None
        self.path = req.path
        self.query = dict(req.query)
        self.auth_header = "none"
        self.token_in_query = "access_token" in req.query
        self.authed_via = None
        self.user_id = None
        self.session = None
        self.outcome = None
        self.replayed = 0
        self.hellos = 0
        self.silent = False
        self.closed = False
        self.closed_by = None
        self.close_code = None
        self.close_reason = None
        self.requests = []
        self.ws_pings_sent = []
        self.ws_pongs = []
        self.client_ws_pings = 0
        self.last_pong = self.t_open
        self.errors = []
        self.counted_closed = False
        self.corked = None  # frames held while the fake corks its sockets (FakeMattermost.cork)

    def report(self):
        return {
            "n": self.n, "t_open": self.t_open, "t_close": self.t_close, "path": self.path,
            "query": self.query, "auth_header": self.auth_header,
            "token_in_query": self.token_in_query, "authed_via": self.authed_via,
            "user_id": self.user_id,
            "connection_id": self.session.cid if self.session else None,
            "outcome": self.outcome, "replayed": self.replayed, "hellos": self.hellos,
            "active": not self.closed, "silent": self.silent, "requests": self.requests,
            "ws_pings_sent": self.ws_pings_sent, "ws_pongs": self.ws_pongs,
            "client_ws_pings": self.client_ws_pings, "close_code": self.close_code,
            "close_reason": self.close_reason, "closed_by": self.closed_by,
            "errors": self.errors,
            "bytes_in": self.ws.bytes_in if self.ws else 0,
            "bytes_out": self.ws.bytes_out if self.ws else 0,
        }

    def send(self, text, fragment=None):
        if self.closed or self.silent or self.ws is None:
            return
        if self.fake.corking is not None and not fragment:
            # Held, to go out with the other frames of this step in one write.
            if self.corked is None:
                self.corked = []
                self.fake.corking.append(self)
            self.corked.append(wsproto.encode_frame(wsproto.OP_TEXT, text.encode("utf-8"),
                                                    mask=self.ws.client))
            return
        self.uncork()
        if fragment:
            self.ws.send_fragments(text, fragment, ping_between=b"frag")
        else:
            self.ws.send_text(text)

    def uncork(self):
        """Writes the frames held by send(), in order, in one write."""
        frames, self.corked = self.corked, None
        if frames and not (self.closed or self.silent or self.ws is None):
            self.ws.send_raw(b"".join(frames))


class Session:
    """A Mattermost WebConn: a connection_id with its seq and queues; it
    outlives the sockets that attach to it."""

    def __init__(self, cid, user_id, t):
        self.cid = cid
        self.user_id = user_id
        self.next_seq = 0
        self.dead = collections.deque(maxlen=DEAD_QUEUE_SIZE)  # (seq, text) sent
        self.pending = []  # (event dict, opts) queued while no socket is attached
        self.conn = None
        self.reuse_count = 0
        self.t_inactive = t
        self.revoked = False  # the account was deactivated: deaf until resumed

    def report(self):
        return {"connection_id": self.cid, "user_id": self.user_id,
                "next_seq": self.next_seq, "dead": len(self.dead),
                "pending": len(self.pending), "active": self.conn is not None,
                "reuse_count": self.reuse_count, "revoked": self.revoked}


class FakeMattermost:
    def __init__(self, host="127.0.0.1", port=0, token=None, bot_username="valuesbot",
                 bot_id=None, bot_is_bot=True, team_id=None, tls_cert=None, tls_key=None,
                 url_host=None):
        self.host = host
        self.port = port
        self.url_host = url_host or host
        self.tls = None
        if tls_cert:
            import ssl
            self.tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            self.tls.load_cert_chain(tls_cert, tls_key)
        self.t0 = time.monotonic()
        self.team_id = team_id or new_id()
        self.users = {}
        self.tokens = {}
        self.bot = self._add_user(bot_username, bot_is_bot, bot_id)
        self.bot_token = token or ("mmtok" + new_id())
        self.tokens[self.bot_token] = self.bot["id"]
        for name, is_bot in (("alice", False), ("bob", False), ("otherbot", True)):
            u = self._add_user(name, is_bot)
            self.tokens[name + "-token"] = u["id"]
        self.channels = {}
        self.default_channels = {}
        self.posts = {}  # id -> post
        self.created_posts = []  # posts created over REST, in order
        self.post_attempts = []
        self.rest_log = []
        self.injected = {}  # post id -> clock when a test injected it
        self.bot_posts = 0  # posts the bot created (the closed-loop load counts them)
        self.bot_posted = None  # asyncio.Event set at each, while a closed loop runs
        self.pending_post_ids = {}  # pending_post_id -> (post id, t)
        self.conns = []
        self.sessions = {}
        self.violations = []  # what a client did that a real server would refuse
        self.open_ws = 0
        self.max_open_ws = 0
        self.faults = {"posts": [], "users_me": [], "websocket": []}
        self.gap = None
        self.redeliver = 0
        self.cfg = {"ws_ping_interval": 60.0, "pong_wait": 100.0, "auth_timeout": 5.0,
                    "rate_limit_headers": False, "noise": True, "reject_token": False,
                    "max_post_size": POST_MAX_RUNES, "rate_limit": None,
                    "bot_in_teams": True, "post_delay": 0.0}
        self.bucket = None  # [tokens, clock] of the rate limiter
        self.loop = None
        self.server = None
        self.thread = None
        self._stopping = None
        self.corking = None  # [Conn] with frames held, while cork() runs

    @contextlib.contextmanager
    def cork(self):
        """The frames sent in the block go out per socket in one write at its
        end (a post's `typing` and `posted`: one system call, not two); the
        same bytes, in the same order, as a real server's buffered writer
        would often send them."""
        if self.corking is not None:
            yield
            return
        self.corking = []
        try:
            yield
        finally:
            conns, self.corking = self.corking, None
            for c in conns:
                c.uncork()

    def clock(self):
        return round(time.monotonic() - self.t0, 6)

    def _violation(self, what):
        self.violations.append({"t": self.clock(), "what": what})

    # --- model ---------------------------------------------------------

    def _add_user(self, username, is_bot, uid=None):
        uid = uid or new_id()
        t = now_ms()
        u = {"id": uid, "create_at": t, "update_at": t, "delete_at": 0,
             "username": username, "auth_data": "", "auth_service": "", "email": "",
             "nickname": "", "first_name": "", "last_name": "", "position": "",
             "roles": "system_user", "locale": "en", "timezone": {},
             "is_bot": is_bot, "disable_welcome_email": False}
        if is_bot:
            u["bot_description"] = ""
        self.users[uid] = u
        return u

    def user_by(self, ref):
        """A user by id, by username, "bot" (the bot itself) or None (alice)."""
        if ref in (None, ""):
            ref = "alice"
        if ref == "bot":
            return self.bot
        if ref in self.users:
            return self.users[ref]
        for u in self.users.values():
            if u["username"] == ref:
                return u
        raise KeyError("no user %r" % ref)

    def channel(self, channel_id, ctype="O", peer=None, team_id=None):
        """The channel @channel_id, made on first use; without an id, the
        default channel of that type (per peer for direct channels)."""
        if not channel_id:
            key = (ctype, peer["id"] if ctype == "D" else "", team_id or "")
            channel_id = self.default_channels.get(key)
            if channel_id is None:
                channel_id = self.default_channels[key] = new_id()
        ch = self.channels.get(channel_id)
        if ch is not None:
            return ch
        cid = channel_id
        if ctype == "D":
            a, b = sorted([self.bot["id"], peer["id"]])
            name = "%s__%s" % (a, b)
            members = {self.bot["id"], peer["id"]}
            display = "@" + peer["username"]
            team = ""
        else:
            name = "town-square" if not self.channels else "channel-" + cid[:6]
            members = set(self.users)
            display = name.replace("-", " ").title()
            team = "" if ctype == "G" else (team_id or self.team_id)
        ch = {"id": cid, "type": ctype, "name": name, "display_name": display,
              "team_id": team, "members": members, "create_at": now_ms()}
        self.channels[cid] = ch
        return ch

    def _new_post(self, user, ch, message, root_id="", ptype="", props=None, pid=None,
                  pending=None):
        # Strictly rising, so that paging by CreateAt (as the server does) is
        # deterministic even for posts injected in the same millisecond.
        t = self.last_create_at = max(now_ms(), getattr(self, "last_create_at", 0) + 1)
        return {"id": pid or new_id(), "create_at": t, "update_at": t, "edit_at": 0,
                "delete_at": 0, "is_pinned": False, "user_id": user["id"],
                "channel_id": ch["id"], "root_id": root_id or "", "original_id": "",
                "message": message, "type": ptype, "props": props or {}, "hashtags": "",
                "pending_post_id": pending or "", "reply_count": 0,
                "last_reply_at": 0, "participants": None, "metadata": {}}

    def _mentioned(self, post, ch, user_id):
        if user_id == post["user_id"]:
            return False
        if ch["type"] == "D":
            return True
        u = self.users.get(user_id)
        if u is None:
            return False
        msg = post["message"]
        word = "@" + u["username"]
        i = msg.find(word)
        while i >= 0:
            end = i + len(word)
            if end == len(msg) or not (msg[end].isalnum() or msg[end] in "-_"):
                return True
            i = msg.find(word, end)
        return False

    # --- event delivery --------------------------------------------------

    def _broadcast(self, event, data, broadcast, personalize=None, opts=None):
        """Queues one event for every session that should see it."""
        b = {"omit_users": None, "user_id": "", "channel_id": "", "team_id": "",
             "connection_id": "", "omit_connection_id": ""}
        b.update(broadcast or {})
        for sess in list(self.sessions.values()):
            if b["user_id"] and sess.user_id != b["user_id"]:
                continue
            if b["omit_users"] and sess.user_id in b["omit_users"]:
                continue
            if b["channel_id"]:
                ch = self.channels.get(b["channel_id"])
                if ch is None or sess.user_id not in ch["members"]:
                    continue
            d = personalize(sess.user_id, dict(data)) if personalize else data
            ev = {"event": event, "data": d, "broadcast": b}
            self._deliver(sess, ev, opts or {})

    def _deliver(self, sess, ev, opts):
        if sess.revoked:
            return  # the hub skips a connection whose session is invalid
        if sess.conn is None:
            if len(sess.pending) >= SEND_QUEUE_SIZE:
                # web_hub: a full send queue gets the connection removed.
                self.sessions.pop(sess.cid, None)
                return
            sess.pending.append((ev, opts))
            return
        self._write_event(sess, ev, opts)

    def _write_event(self, sess, ev, opts):
        gap = self.gap if sess.user_id == self.bot["id"] else None
        if gap is not None and gap["mode"] == "jump":
            sess.next_seq += gap.get("n", 1)
            self.gap = None
        ev = dict(ev)
        ev["seq"] = sess.next_seq
        sess.next_seq += 1
        text = go_json(ev)
        sess.dead.append((ev["seq"], text))
        withhold = opts.get("withhold", False)
        if gap is not None and gap["mode"] == "withhold":
            withhold = True
            self.gap = None
        if not withhold:
            sess.conn.send(text, opts.get("fragment"))

    def _hello(self, sess):
        data = {"connection_id": sess.cid, "server_hostname": "fake-mattermost",
                "server_version": SERVER_VERSION}
        ev = {"event": "hello", "data": data,
              "broadcast": {"omit_users": None, "user_id": sess.user_id, "channel_id": "",
                            "team_id": "", "connection_id": "", "omit_connection_id": ""}}
        sess.conn.hellos += 1
        self._write_event(sess, ev, {})

    def _user_posted(self, post, ch, event="posted", opts=None, mentions_override=None):
        author = self.users.get(post["user_id"], {"username": "unknown"})
        post_text = go_json(post)

        def personalize(uid, d):
            if mentions_override is not None:
                ids = [self.bot["id"] if m == "bot" else m for m in mentions_override]
                if uid in ids:
                    d["mentions"] = go_json([uid])
            elif self._mentioned(post, ch, uid):
                d["mentions"] = go_json([uid])
            return dict(sorted(d.items()))

        data = {"channel_display_name": ch["display_name"], "channel_name": ch["name"],
                "channel_type": ch["type"], "post": post_text,
                "sender_name": "@" + author["username"], "set_online": True,
                "team_id": ch["team_id"]}
        if event != "posted":
            data = {"post": post_text}
        self._broadcast(event, data, {"channel_id": ch["id"]}, personalize, opts)
        return post_text

    # --- REST ------------------------------------------------------------

    def _auth_user(self, req):
        tok = None
        h = req.header("authorization", "")
        if h[:7].lower() == "bearer ":
            tok = h[7:].strip()
        elif h[:6].lower() == "token ":
            tok = h[6:].strip()
        if tok is None:
            for part in req.header("cookie", "").split(";"):
                k, _, v = part.strip().partition("=")
                if k == "MMAUTHTOKEN":
                    tok = v
        if tok is None:
            return None, "none"
        uid = self.tokens.get(tok)
        if uid is None or (self.cfg["reject_token"] and tok == self.bot_token):
            return None, "invalid"
        if self.users[uid].get("delete_at"):
            return None, "invalid"  # a deactivated account's token
        return self.users[uid], "valid"

    def _json(self, status, obj, extra=None, text=None):
        """A JSON answer: @obj, or @text when it is already go_json(obj)."""
        headers = {"Content-Type": "application/json", "X-Request-Id": new_id(),
                   "X-Version-Id": SERVER_VERSION}
        headers.update(extra or {})
        return status, (go_json(obj) if text is None else text).encode("utf-8"), headers

    def _rate_headers(self, limited=False, retry_after=1):
        if not (self.cfg["rate_limit_headers"] or limited):
            return {}
        h = {"X-Ratelimit-Limit": "10", "X-Ratelimit-Remaining": "0" if limited else "9",
             "X-Ratelimit-Reset": str(max(1, int(retry_after)) if limited else 1)}
        if limited:
            h["Retry-After"] = str(int(retry_after))
        return h

    def _rate_limit(self):
        """RateLimitSettings on (config rate_limit {per_sec, burst}): one bucket
        (the server keys it per IP; here only the bot calls), refilled at
        per_sec, burst deep.  Returns None when off, else (status, body,
        headers): 200 with X-Ratelimit-Limit/Remaining/Reset (seconds until
        full, rounded up, as the server's source sends), or the 429."""
        rl = self.cfg["rate_limit"]
        if not rl:
            self.bucket = None
            return None
        per_sec, burst = float(rl["per_sec"]), int(rl["burst"])
        t = time.monotonic()
        if self.bucket is None:
            self.bucket = [float(burst), t]
        tokens = min(float(burst), self.bucket[0] + (t - self.bucket[1]) * per_sec)
        ok = tokens >= 1.0
        if ok:
            tokens -= 1.0
        self.bucket = [tokens, t]
        h = {"X-Ratelimit-Limit": str(burst), "X-Ratelimit-Remaining": str(int(tokens)),
             "X-Ratelimit-Reset": str(max(1, int(-(-(burst - tokens) // per_sec))))}
        if ok:
            return 200, b"", h
        h["Retry-After"] = str(max(1, int(-(-(1.0 - tokens) // per_sec))))
        h.update({"Content-Type": "text/plain; charset=utf-8",
                  "X-Content-Type-Options": "nosniff"})
        return 429, b"limit exceeded\n", h

    def _take_fault(self, route):
        q = self.faults[route]
        return q.pop(0) if q else None

    def _fault_response(self, fault):
        status = fault["status"]
        if status == 429:
            ra = fault.get("retry_after", 1)
            h = {"Content-Type": "text/plain; charset=utf-8",
                 "X-Content-Type-Options": "nosniff"}
            h.update(self._rate_headers(True, ra))
            return 429, b"limit exceeded\n", h
        if "body" in fault:
            return status, fault["body"].encode("utf-8"), {
                "Content-Type": fault.get("content_type", "text/plain")}
        err_id = fault.get("id", "app.fake.injected.app_error")
        return self._json(status, app_error(err_id, "Injected failure.", status))

    async def _rest(self, req):
        path = req.path
        user, auth = self._auth_user(req)
        if path == "/api/v4/system/ping" and req.method == "GET":
            return self._json(200, {"status": "OK"})
        if path == "/api/v4/users/me" and req.method == "GET":
            fault = self._take_fault("users_me")
            if fault and fault.get("delay"):
                await asyncio.sleep(fault["delay"])
            if fault and "status" in fault:
                return self._fault_response(fault)
            if auth == "none":
                self._violation("users/me without a token")
            if user is None:
                return self._json(401, app_error(*SESSION_EXPIRED))
            return self._json(200, user)
        if path == "/api/v4/posts" and req.method == "POST":
            return await self._create_post(req, user)
        if path == "/api/v4/config/client" and req.method == "GET":
            if req.query.get("format") != "old":
                return self._json(501, app_error("api.config.client.old_format.app_error",
                                                 "New format for the client configuration "
                                                 "is not supported yet.", 501))
            # Every value is a string; MaxPostSize is 16383, or 4000 on an old schema.
            return self._json(200, {"Version": SERVER_VERSION.split(".fake")[0],
                                    "SiteURL": self.url, "SiteName": "Fake Mattermost",
                                    "MaxPostSize": str(self.cfg["max_post_size"])})
        parts = path.split("/")[1:]
        if parts[:2] == ["api", "v4"] and user is None:
            return self._json(401, app_error(*SESSION_EXPIRED))
        route = (req.method, "/".join("{id}" if len(x) == 26 else x for x in parts[2:]))
        if route == ("GET", "channels/{id}/posts"):
            return self._channel_posts(parts[3], req.query, user)
        if route == ("GET", "channels/{id}"):
            ch = self.channels.get(parts[3])
            if ch is None or user["id"] not in ch["members"]:
                return self._json(403, app_error("api.context.permissions.app_error",
                                                 "You do not have the appropriate permissions.",
                                                 403))
            return self._json(200, self._channel_json(ch))
        if route == ("GET", "users/{id}"):
            u = self.users.get(parts[3])
            if u is None:
                return self._json(404, app_error("app.user.missing_account.const",
                                                 "Unable to find the user.", 404))
            return self._json(200, u)
        if route == ("GET", "users/me/teams"):
            return self._json(200, [{"id": t, "name": "team-" + t[:6],
                                     "display_name": "Team " + t[:6], "type": "O"}
                                    for t in self._teams(user)])
        if route == ("GET", "users/me/channels"):
            # getChannelsForUser: every channel of the user, all teams, DMs and
            # group channels; streamed whole (no pages).
            chans = [ch for ch in self.channels.values() if user["id"] in ch["members"]
                     and (not ch["team_id"] or ch["team_id"] in self._teams(user))]
            return self._json(200, [self._channel_json(ch) for ch in chans])
        if route == ("GET", "users/me/teams/{id}/channels") or (
                route == ("GET", "users/{id}/teams/{id}/channels") and parts[3] == user["id"]):
            tid = parts[5]
            if tid not in self._teams(user):
                return self._json(403, app_error("api.context.permissions.app_error",
                                                 "You do not have the appropriate permissions.",
                                                 403))
            # store GetChannels: the user's channels in the team, and every DM and
            # group channel (TeamId ''), by display name; not paginated.
            chans = [ch for ch in self.channels.values()
                     if user["id"] in ch["members"] and ch["team_id"] in (tid, "")]
            chans.sort(key=lambda ch: ch["display_name"])
            return self._json(200, [self._channel_json(ch) for ch in chans])
        if route == ("POST", "channels/direct"):
            try:
                ids = json.loads(req.body.decode("utf-8"))
                other = [u for u in ids if u != user["id"]] or [user["id"]]
                peer = self.users[other[0]]
            except (ValueError, KeyError, TypeError, IndexError):
                return self._json(400, app_error("api.context.invalid_body_param.app_error",
                                                 "Invalid or missing user_ids in request body.",
                                                 400))
            key = ("D", peer["id"], "")
            ch = self.channel(self.default_channels.get(key), "D", peer)
            self.default_channels[key] = ch["id"]
            return self._json(201, self._channel_json(ch))
        if route == ("POST", "users/{id}/typing") or route == ("POST", "users/me/typing"):
            return self._json(200, {"status": "OK"})
        self._violation("unknown API call %s %s" % (req.method, path))
        return self._json(404, app_error("api.context.404.app_error",
                                         "Sorry, we could not find the page.", 404))

    def _teams(self, user):
        """The teams @user is in: every team (config bot_in_teams false: the
        bot in none, only in direct and group messages)."""
        if user["id"] == self.bot["id"] and not self.cfg["bot_in_teams"]:
            return []
        return sorted({ch["team_id"] for ch in self.channels.values() if ch["team_id"]}
                      | {self.team_id})

    def _channel_json(self, ch):
        posts = [p for p in self.posts.values() if p["channel_id"] == ch["id"]]
        last = max([p["create_at"] for p in posts] + [ch["create_at"]])
        last_root = max([p["create_at"] for p in posts if not p["root_id"]] + [ch["create_at"]])
        return {"id": ch["id"], "create_at": ch["create_at"], "update_at": ch["create_at"],
                "delete_at": 0, "team_id": ch["team_id"], "type": ch["type"],
                "display_name": ch["display_name"], "name": ch["name"], "header": "",
                "purpose": "", "last_post_at": last, "last_root_post_at": last_root,
                "total_msg_count": len([p for p in posts if not p["delete_at"]]),
                "creator_id": ""}

    def _channel_posts(self, channel_id, query, user):
        ch = self.channels.get(channel_id)
        if ch is None or user["id"] not in ch["members"]:
            return self._json(403, app_error("api.context.permissions.app_error",
                                             "You do not have the appropriate permissions.", 403))
        try:
            since = int(query.get("since") or "0")
            page = int(query.get("page") or "0")
            per_page = int(query.get("per_page") or PER_PAGE_DEFAULT)
        except ValueError:
            return self._json(400, app_error("api.context.invalid_url_param.app_error",
                                             "Invalid or missing parameter in request URL.",
                                             400))
        if page < 0 or per_page < 0:
            return self._json(400, app_error("api.context.invalid_url_param.app_error",
                                             "Invalid or missing parameter in request URL.",
                                             400))
        per_page = min(per_page, PER_PAGE_MAX)
        everything = [p for p in self.posts.values() if p["channel_id"] == channel_id]
        live = sorted((p for p in everything if not p["delete_at"]),
                      key=lambda p: p["create_at"], reverse=True)
        if since > 0:
            # GetPostsSince: not paginated; up to 1000 posts updated after
            # @since, deleted ones included, plus their thread roots; "order"
            # holds only the updated ones, newest first.
            changed = [p for p in everything if p["update_at"] > since]
            random.shuffle(changed)
            changed = changed[:SINCE_LIMIT]
            roots = [self.posts[p["root_id"]] for p in changed if p["root_id"] in self.posts]
            listed = {p["id"]: p for p in changed + roots}
            order = [p["id"] for p in sorted(changed, key=lambda p: p["create_at"],
                                             reverse=True)]
        else:
            if "after" in query or "before" in query:
                ref = self.posts.get(query.get("after") or query.get("before"))
                if ref is None:
                    live = []
                elif "after" in query:
                    live = [p for p in reversed(live) if p["create_at"] > ref["create_at"]]
                else:
                    live = [p for p in live if p["create_at"] < ref["create_at"]]
            # GetPostsPage (newest first) / GetPostsAfter / GetPostsBefore:
            # LIMIT per_page OFFSET page * per_page, plus the threads' roots.
            chunk = live[page * per_page:(page + 1) * per_page]
            roots = [self.posts[p["root_id"]] for p in chunk if p["root_id"] in self.posts]
            listed = {p["id"]: p for p in chunk + roots}
            order = [p["id"] for p in sorted(chunk, key=lambda p: p["create_at"],
                                             reverse=True)]
        return self._json(200, {"order": order, "posts": listed,
                                "next_post_id": "", "prev_post_id": ""})

    async def _create_post(self, req, user):
        t = self.clock()
        attempt = {"t": t, "status": None, "body": None}
        self.post_attempts.append(attempt)
        try:
            body = json.loads(req.body.decode("utf-8"))
            if not isinstance(body, dict):
                raise ValueError("not an object")
        except (ValueError, UnicodeDecodeError):
            body = None
        attempt["body"] = body
        if isinstance(body, dict):
            attempt.update({k: body.get(k) for k in ("channel_id", "root_id", "message")})
        if user is None:
            attempt["status"] = 401
            return self._json(401, app_error(*SESSION_EXPIRED))
        fault = self._take_fault("posts")
        if fault and fault.get("delay"):
            await asyncio.sleep(fault["delay"])
        elif self.cfg["post_delay"]:
            await asyncio.sleep(self.cfg["post_delay"])
        if fault and "status" in fault and not fault.get("after_create"):
            attempt["status"] = fault["status"]
            return self._fault_response(fault)
        if body is None or not isinstance(body.get("channel_id"), str) or \
                not isinstance(body.get("message", ""), str):
            attempt["status"] = 400
            self._violation("POST /posts with an invalid body")
            return self._json(400, app_error("api.context.invalid_body_param.app_error",
                                             "Invalid or missing post in request body.", 400))
        ch = self.channels.get(body["channel_id"])
        if ch is None or user["id"] not in ch["members"]:
            attempt["status"] = 403
            self._violation("POST /posts to an unknown channel or one without the user")
            return self._json(403, app_error("api.context.permissions.app_error",
                                             "You do not have the appropriate permissions.", 403))
        message = body.get("message", "")
        root_id = body.get("root_id") or ""
        if not isinstance(root_id, str):
            root_id = "?"
        if root_id:
            root = self.posts.get(root_id)
            if root is not None and (root["root_id"] or root["channel_id"] != ch["id"]):
                self._violation("POST /posts with root_id %s: a reply or another channel's "
                                "post, not the thread root" % root_id)
            if (root is None or root["root_id"] or root["delete_at"]
                    or root["channel_id"] != ch["id"]):
                attempt["status"] = 400
                return self._json(400, app_error("api.post.create_post.root_id.app_error",
                                                 "Invalid RootId parameter.", 400))
        if len(message) > self.cfg["max_post_size"]:
            attempt["status"] = 400
            self._violation("POST /posts with a message over %d runes"
                            % self.cfg["max_post_size"])
            return self._json(400, app_error("model.post.is_valid.msg.app_error",
                                             "Invalid Message.", 400))
        if not message.strip() and not body.get("file_ids"):
            attempt["status"] = 400
            self._violation("POST /posts with an empty message")
            return self._json(400, app_error("api.post.create_post.empty.app_error",
                                             "Message must not be empty.", 400))
        pending = body.get("pending_post_id") or ""
        if pending and pending in self.pending_post_ids:
            pid, _ = self.pending_post_ids[pending]
            attempt["status"] = 201
            attempt["deduplicated"] = True
            return self._json(201, self.posts[pid], self._rate_headers())
        props = body.get("props") if isinstance(body.get("props"), dict) else {}
        props = dict(props)
        if user.get("is_bot"):
            props["from_bot"] = "true"
        post = self._new_post(user, ch, message, root_id, "", props, pending=pending)
        self.posts[post["id"]] = post
        if pending:
            self.pending_post_ids[pending] = (post["id"], t)
        rec = dict(post)
        rec["t"] = self.clock()
        read_at = getattr(req, "read_at", None)
        rec["read_t"] = round(read_at - self.t0, 6) if read_at else rec["t"]
        self.created_posts.append(rec)
        if user["id"] == self.bot["id"]:
            self.bot_posts += 1
            if self.bot_posted is not None:
                self.bot_posted.set()
        attempt["status"] = 201
        attempt["post_id"] = post["id"]
        text = self._user_posted(post, ch)
        if fault and fault.get("after_create"):
            attempt["status"] = fault["status"]
            return self._fault_response(fault)
        return self._json(201, post, self._rate_headers(), text)

    # --- websocket -----------------------------------------------------------

    async def _websocket(self, req, reader, writer):
        conn = Conn(self, len(self.conns) + 1, req)
        self.conns.append(conn)
        fault = self._take_fault("websocket")
        if fault and fault.get("delay"):
            await asyncio.sleep(fault["delay"])
        if fault and "status" in fault:
            conn.outcome = "refused"
            conn.closed = True
            conn.t_close = self.clock()
            st, body, h = self._fault_response(fault)
            h["Connection"] = "close"
            writer.write(wsproto.http_response(st, body, h))
            return False
        problem = wsproto.upgrade_problem(req)
        if problem:
            conn.outcome = "bad-upgrade"
            conn.errors.append(problem)
            self._violation("websocket upgrade: " + problem)
            conn.closed = True
            st, body, h = self._json(400, app_error("api.web_socket.connect.upgrade.app_error",
                                                    "Failed to upgrade websocket connection.", 400))
            writer.write(wsproto.http_response(st, body, h))
            return False
        if conn.token_in_query:
            self._violation("token in the websocket URL query")
            conn.outcome = "refused"
            conn.closed = True
            st, body, h = self._json(401, app_error(
                "api.context.token_provided.app_error",
                "Session is not OAuth but token was provided in the query string.", 401))
            writer.write(wsproto.http_response(st, body, h))
            return False
        user, auth = self._auth_user(req)
        conn.auth_header = auth if req.header("authorization") or auth != "none" else "none"
        writer.write(wsproto.upgrade_response(req))
        self.open_ws += 1
        self.max_open_ws = max(self.max_open_ws, self.open_ws)
        ws = wsproto.WebSocket(reader, writer, client=False, max_message=SOCKET_MAX_MESSAGE)
        conn.ws = ws
        ws.on_pong = lambda p: self._on_pong(conn, p)
        ws.on_ping = lambda p: self._on_ping(conn, p)
        if user is not None:
            conn.authed_via = "header"
            conn.user_id = user["id"]
            if not self._attach(conn, req):
                conn.outcome = "bad-params"
                self._closed(conn, "server")
                ws.close_tcp()
                return True
        else:
            conn.outcome = "unauthenticated"
        ticker = asyncio.ensure_future(self._ticker(conn))
        try:
            await self._read_loop(conn)
        finally:
            ticker.cancel()
            self._closed(conn, conn.closed_by or "client")
            if not ws.closed:
                ws.close_tcp()
        return True

    def _attach(self, conn, req):
        """api4 connectWebSocket + PopulateWebConnConfig + the write pump's
        replay decision.  False: close the socket at once."""
        cid = req.query.get("connection_id", "")
        seqval = req.query_all.get("sequence_number", [None])[0]
        sess = None
        if cid:
            sess = self.sessions.get(cid)
            if sess is not None and (sess.user_id != conn.user_id or sess.conn is not None):
                sess = None  # CheckWebConn finds inactive connections of this user only
            if sess is not None:
                try:
                    seq = int(seqval)
                except (TypeError, ValueError):
                    conn.errors.append("bad sequence_number %r" % seqval)
                    self._violation("connection_id with sequence_number %r" % seqval)
                    return False
                if seq < 0:
                    conn.errors.append("negative sequence_number")
                    self._violation("negative sequence_number")
                    return False
        if sess is None:
            sess = Session(new_id(), conn.user_id, self.clock())
            self.sessions[sess.cid] = sess
            sess.conn = conn
            conn.session = sess
            conn.outcome = "fresh"
            self._hello(sess)
        else:
            sess.reuse_count += 1
            sess.conn = conn
            conn.session = sess
            sess.revoked = False  # a valid header: the session works again
            seqs = [s for s, _ in sess.dead]
            if seq != 0 and seq in seqs:
                start = seqs.index(seq)
                if self.redeliver:
                    start = max(0, start - self.redeliver)
                    self.redeliver = 0
                for _, text in list(sess.dead)[start:]:
                    conn.send(text)
                    conn.replayed += 1
                conn.outcome = "replay"
            elif seq != 0 and seqs and seqs[-1] != seq - 1:
                # hasMsgLoss: new connection id, seq reset, fresh hello.
                self.sessions.pop(sess.cid, None)
                sess.cid = new_id()
                self.sessions[sess.cid] = sess
                sess.dead.clear()
                sess.next_seq = 0
                conn.outcome = "reset"
                self._hello(sess)
            else:
                sess.next_seq = max(sess.next_seq, seq)
                conn.outcome = "lossless"
                if self.redeliver and sess.dead:
                    for _, text in list(sess.dead)[-self.redeliver:]:
                        conn.send(text)
                        conn.replayed += 1
                    conn.outcome = "replay"
                self.redeliver = 0
        pending, sess.pending = sess.pending, []
        for ev, opts in pending:
            self._write_event(sess, ev, opts)
        return True

    def _closed(self, conn, by):
        if conn.ws is not None and not conn.counted_closed:
            conn.counted_closed = True
            self.open_ws -= 1
        if conn.t_close is None:
            conn.t_close = self.clock()
        conn.closed = True
        if conn.closed_by is None:
            conn.closed_by = by
        if conn.ws is not None and conn.ws.close_received:
            conn.close_code, conn.close_reason = conn.ws.close_received
        sess = conn.session
        if sess is not None and sess.conn is conn:
            sess.conn = None
            sess.t_inactive = self.clock()

    def _on_pong(self, conn, payload):
        if conn.silent:
            return
        conn.ws_pongs.append({"payload": payload.decode("utf-8", "replace"), "t": self.clock()})
        conn.last_pong = self.clock()

    def _on_ping(self, conn, payload):
        conn.client_ws_pings += 1
        return not conn.silent

    async def _ticker(self, conn):
        """The write pump's timers: WS PING, read deadline, auth deadline."""
        next_ping = conn.t_open + self.cfg["ws_ping_interval"]
        while not conn.closed:
            await asyncio.sleep(0.1)
            t = self.clock()
            if conn.silent:
                continue
            if conn.user_id is None and t - conn.t_open >= self.cfg["auth_timeout"]:
                conn.errors.append("did not authenticate")
                self._closed(conn, "server")
                conn.ws.close_tcp()
                return
            if t - conn.last_pong >= self.cfg["pong_wait"]:
                conn.errors.append("read deadline: no pong")
                self._closed(conn, "server")
                conn.ws.close_tcp()
                return
            if t >= next_ping:
                next_ping = t + self.cfg["ws_ping_interval"]
                self._send_ping(conn, b"")

    def _send_ping(self, conn, payload):
        if conn.closed or conn.silent:
            return False
        conn.ws.send_ping(payload)
        conn.ws_pings_sent.append({"payload": payload.decode("utf-8", "replace"),
                                   "t": self.clock()})
        return True

    async def _read_loop(self, conn):
        ws = conn.ws
        while True:
            try:
                await ws.drain()
                op, data = await ws.recv()
            except wsproto.ConnectionClosed:
                return
            except wsproto.ProtocolError as e:
                conn.errors.append(str(e))
                if not conn.silent:
                    self._violation("websocket frame: %s" % e)
                if not conn.silent:
                    ws.send_close(e.code, str(e)[:100])
                    await ws.drain()
                conn.closed_by = "server"
                return
            if conn.silent:
                continue
            if op == wsproto.OP_BINARY:
                conn.errors.append("websocket.Decode: binary (msgpack) frame not understood")
                self._violation("binary frame from the client")
                conn.closed_by = "server"
                return
            try:
                msg = json.loads(data.decode("utf-8"))
                if not isinstance(msg, dict):
                    raise ValueError("not an object")
            except (ValueError, UnicodeDecodeError) as e:
                conn.errors.append("websocket.Decode: %s" % e)
                self._violation("undecodable request: %s" % e)
                conn.closed_by = "server"
                return
            if not self._request(conn, msg):
                conn.closed_by = "server"
                return

    def _respond(self, conn, obj):
        conn.send(go_json(obj))

    def _request(self, conn, msg):
        """websocket_router.go ServeWebSocket.  False: close the socket."""
        action = msg.get("action") if isinstance(msg.get("action"), str) else ""
        seq = msg.get("seq") if isinstance(msg.get("seq"), int) else 0
        data = msg.get("data") if isinstance(msg.get("data"), dict) else {}
        conn.requests.append({"action": action, "seq": seq, "t": self.clock()})

        def fail(err_id, status):
            self._violation("request %s: %s" % (json.dumps(msg)[:100], err_id))
            self._respond(conn, {"status": "FAIL", "seq_reply": seq,
                                 "error": {"id": err_id, "message": err_id, "detailed_error": "",
                                           "request_id": "", "status_code": status}})
            return True

        if action == "":
            return fail("api.web_socket_router.no_action.app_error", 400)
        if seq <= 0:
            return fail("api.web_socket_router.bad_seq.app_error", 400)
        if action == "authentication_challenge":
            if conn.user_id is not None:
                return True
            tok = data.get("token")
            uid = self.tokens.get(tok) if isinstance(tok, str) else None
            if uid is not None and self.users[uid].get("delete_at"):
                uid = None
            if uid is None or (self.cfg["reject_token"] and tok == self.bot_token):
                conn.errors.append("authentication_challenge: bad token")
                return False
            conn.user_id = uid
            conn.authed_via = "challenge"
            sess = Session(new_id(), uid, self.clock())
            self.sessions[sess.cid] = sess
            sess.conn = conn
            conn.session = sess
            conn.outcome = "fresh"
            self._hello(sess)
            self._respond(conn, {"status": "OK", "seq_reply": seq})
            return True
        if conn.user_id is None and conn.auth_header != "invalid":
            return fail("api.web_socket_router.not_authenticated.app_error", 401)
        if conn.user_id is None or (conn.session is not None and conn.session.revoked):
            # A token sent in the upgrade and refused, or a session revoked
            # under the socket: the same answer, and not the client's fault.
            err_id = "api.web_socket_router.not_authenticated.app_error"
            self._respond(conn, {"status": "FAIL", "seq_reply": seq,
                                 "error": {"id": err_id, "message": err_id,
                                           "detailed_error": "", "request_id": "",
                                           "status_code": 401}})
            return True
        if action == "ping":
            self._respond(conn, {"status": "OK", "seq_reply": seq,
                                 "data": {"node_id": "", "server_time": now_ms(),
                                          "text": "pong", "version": SERVER_VERSION}})
            return True
        if action in ("user_typing", "get_statuses", "get_statuses_by_ids"):
            resp = {"status": "OK", "seq_reply": seq}
            if action != "user_typing":
                resp["data"] = {}
            self._respond(conn, resp)
            return True
        return fail("api.web_socket_router.bad_action.app_error", 500)

    # --- control -------------------------------------------------------------

    def _bot_conns(self):
        return [c for c in self.conns if not c.closed and c.user_id == self.bot["id"]
                and c.session is not None]

    def state(self):
        self._reap()
        return {
            "bot": {"id": self.bot["id"], "username": self.bot["username"],
                    "team_id": self.team_id},
            "connections": [c.report() for c in self.conns],
            "sessions": [s.report() for s in self.sessions.values()],
            "posts": self.created_posts,
            "post_attempts": self.post_attempts,
            "rest": self.rest_log,
            "injected": self.injected,
            "violations": self.violations,
            "max_open_websockets": self.max_open_ws,
            "channels": [{k: (sorted(v) if isinstance(v, set) else v) for k, v in ch.items()}
                         for ch in self.channels.values()],
            "now": self.clock(),
        }

    def stats(self, since=0.0, detail=False):
        """Per post injected at or after @since (fake clock): its first reply
        (a bot post in its thread, or in its direct channel after it), the
        latency to it, and whether it got more than one."""
        replies = collections.defaultdict(list)
        for p in self.created_posts:
            if p["user_id"] == self.bot["id"]:
                replies[p["root_id"] or p["channel_id"]].append(p.get("read_t", p["t"]))
        lat = []
        pairs = []
        injected = answered = dup = 0
        first = last = None
        for pid, t in self.injected.items():
            post = self.posts.get(pid)
            if t < since or post is None or post["user_id"] == self.bot["id"]:
                continue
            injected += 1
            first = t if first is None else min(first, t)
            key = pid if pid in replies else None
            if key is None and self.channels[post["channel_id"]]["type"] == "D":
                key = post["channel_id"]
            ts = [x for x in replies.get(key, []) if x >= t]
            if ts:
                answered += 1
                lat.append(round(min(ts) - t, 6))
                pairs.append([pid, t, min(ts)])
                last = min(ts) if last is None else max(last, min(ts))
                dup += len(ts) > 1 and key == pid
        res = {"injected": injected, "answered": answered, "duplicates": dup,
               "latencies": lat, "first_injected": first, "last_reply": last,
               "bot_posts": len(self.created_posts),
               "post_attempts": len(self.post_attempts), "now": self.clock()}
        if detail:
            res["pairs"] = pairs
            res["t0"] = self.t0
        return res

    async def _load(self, count, channels=10, rate=100.0, message="@{bot} what are our values?",
                    user="alice", inflight=0, gap=0.0):
        """Injects @count posts at @rate per second, round-robin over @channels
        public channels (the timestamps are the fake's own)."""
        text = message.replace("{bot}", self.bot["username"])
        if inflight:
            await self._load_closed(count, channels, inflight, gap, text, user)
            return
        ids = [self.channel(new_id(), "O")["id"] for _ in range(channels)]
        t0 = time.monotonic()
        for i in range(count):
            due = t0 + i / rate
            delay = due - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            self.inject_post(text, channel_id=ids[i % channels], user=user)

    async def _load_closed(self, count, channels, inflight, gap, text, user):
        """Injects @count posts over @channels new channels, keeping @inflight
        unanswered: the next as soon as the bot creates a post (after @gap s)."""
        ids = [self.channel(new_id(), "O")["id"] for _ in range(channels)]
        self.bot_posted = asyncio.Event()
        done0 = self.bot_posts
        i = 0
        try:
            while i < count:
                while i < count and i - (self.bot_posts - done0) < inflight:
                    if gap:
                        await asyncio.sleep(gap)
                    self.inject_post(text, channel_id=ids[i % channels], user=user)
                    i += 1
                self.bot_posted.clear()
                await self.bot_posted.wait()
        finally:
            self.bot_posted = None

    def _reap(self):
        t = self.clock()
        for cid, s in list(self.sessions.items()):
            if s.conn is None and t - s.t_inactive > INACTIVE_TTL:
                del self.sessions[cid]

    def control(self, name, body):
        """Runs one control command on the loop; returns a JSON-able result."""
        if name == "state":
            return self.state()
        if name == "config":
            for k, v in body.items():
                if k == "accept_tokens":
                    for tok in v:
                        self.tokens[tok] = self.bot["id"]
                elif k in self.cfg:
                    self.cfg[k] = v
                else:
                    raise ValueError("unknown config key %r" % k)
            return {"config": self.cfg}
        if name == "faults":
            route = body["route"]
            if body.get("clear"):
                self.faults[route] = []
            self.faults[route].extend(body.get("responses", []))
            return {"queued": len(self.faults[route])}
        if name == "post":
            return {"post": self.inject_post(**body)}
        if name == "posts":
            return {"posts": [self.inject_post(**p) for p in body["posts"]]}
        if name == "load":
            asyncio.ensure_future(self._load(**body))
            return {}
        if name == "stats":
            return self.stats(body.get("since", 0.0), body.get("detail", False))
        if name == "progress":
            return {"injected": len(self.injected), "bot_posts": self.bot_posts}
        if name == "gc":
            if body.get("off"):
                gc.collect()
                gc.freeze()
                gc.disable()
            else:
                gc.enable()
                gc.unfreeze()
            return {"enabled": gc.isenabled()}
        if name == "event":
            self._broadcast(body["event"], body.get("data", {}),
                            body.get("broadcast") or {"user_id": self.bot["id"]}, None,
                            {"fragment": body.get("fragment"), "withhold": body.get("withhold")})
            return {}
        if name == "raw":
            n = 0
            for c in self._bot_conns():
                if c.silent:
                    continue
                for f in body["frames"]:
                    if "b64" in f:
                        payload = base64.b64decode(f["b64"])
                    elif "pad" in f:
                        head = f.get("text", '{"event":"x","pad":"')
                        payload = (head + "a" * f["pad"] + '"}').encode("utf-8")
                    else:
                        payload = f.get("text", "").encode("utf-8")
                    c.ws.send_frame(f.get("opcode", 1), payload, fin=f.get("fin", True),
                                    rsv=f.get("rsv", 0))
                n += 1
            return {"connections": n}
        if name == "ws_ping":
            payload = body.get("payload", "mmfake").encode("utf-8")
            n = sum(1 for c in self._bot_conns() if self._send_ping(c, payload))
            return {"connections": n}
        if name == "silence":
            cs = self._bot_conns()
            for c in cs:
                c.silent = True
                c.ws.muted = True
            return {"connections": len(cs)}
        if name == "drop":
            cs = self._bot_conns()
            how = body.get("how", "rst")
            for c in cs:
                c.closed_by = "server"
                if how == "close":
                    c.ws.send_close(body.get("code", 1001), body.get("reason", "going away"))
                    c.ws.close_tcp()
                elif how == "fin":
                    c.ws.close_tcp()
                else:
                    c.ws.abort(rst=True)
                self._closed(c, "server")
                if body.get("forget") and c.session is not None:
                    self.sessions.pop(c.session.cid, None)
            return {"connections": len(cs)}
        if name == "forget":
            n = 0
            for cid, s in list(self.sessions.items()):
                if s.conn is None:
                    del self.sessions[cid]
                    n += 1
            return {"forgotten": n}
        if name == "gap":
            self.gap = {"mode": body.get("mode", "withhold"), "n": body.get("n", 1)}
            return {}
        if name == "redeliver":
            self.redeliver = int(body.get("n", 1))
            return {}
        if name == "delete_post":
            p = self.posts[body["id"]]
            p["delete_at"] = now_ms()
            ch = self.channels[p["channel_id"]]
            self._broadcast("post_deleted", {"post": go_json(p)}, {"channel_id": ch["id"]})
            return {}
        if name == "disable_reenable":
            # An admin disables and re-enables the bot account: its sessions are
            # revoked, yet its open sockets stay up, answer pings and requests,
            # and get no more events (protocols.md 2.9); users/me shows a new
            # update_at, and a resume of a revoked connection id gets a fresh hello.
            self.bot["update_at"] = max(now_ms(), self.bot["update_at"] + 1)
            n = 0
            for cid, sess in list(self.sessions.items()):
                if sess.user_id == self.bot["id"]:
                    del self.sessions[cid]
                    n += 1
            return {"sessions_revoked": n}
        if name == "account":
            active = bool(body.get("active", True))
            self.bot["update_at"] = max(now_ms(), self.bot["update_at"] + 1)
            self.bot["delete_at"] = 0 if active else self.bot["update_at"]
            n = 0
            if not active:
                for sess in self.sessions.values():
                    if sess.user_id == self.bot["id"]:
                        sess.revoked = True
                        n += 1
            return {"active": active, "sessions_revoked": n}
        if name == "user":
            u = self._add_user(body["username"], body.get("is_bot", False))
            if body.get("token"):
                self.tokens[body["token"]] = u["id"]
            return {"user": u}
        raise KeyError(name)

    def inject_post(self, message="", channel_id=None, channel_type="O", user=None,
                    root_id="", type="", props=None, id=None, event="posted", edit_at=None,
                    mentions=None, team_id=None, message_pad=0, fragment=None,
                    withhold=False, peer=None):
        author = self.user_by(user)
        peer_user = author if author["id"] != self.bot["id"] else self.user_by(peer or "alice")
        ch = self.channel(channel_id, channel_type, peer_user, team_id)
        if message_pad:
            message = message + " " + "a" * int(message_pad)
        post = self.posts.get(id) if id else None
        if post is None:
            post = self._new_post(author, ch, message, root_id, type, props, id)
            self.posts[post["id"]] = post
        else:
            post = dict(post)
        if edit_at is not None or event == "post_edited":
            post["message"] = message or post["message"]
            post["edit_at"] = edit_at or now_ms()
            post["update_at"] = post["edit_at"]
            self.posts[post["id"]] = post
        self.injected.setdefault(post["id"], self.clock())
        with self.cork():
            if self.cfg["noise"] and event == "posted" and not type:
                self._broadcast("typing", {"parent_id": root_id or "", "user_id": author["id"]},
                                {"channel_id": ch["id"], "omit_users": {author["id"]: True}})
            self._user_posted(post, ch, event, {"fragment": fragment, "withhold": withhold},
                              mentions)
        return post

    # --- HTTP server -----------------------------------------------------------

    async def _handle(self, reader, writer):
        wsproto.stamp_reads(reader)
        try:
            while True:
                try:
                    req = await wsproto.read_http_request(reader, writer)
                except ValueError as e:
                    writer.write(wsproto.http_response(400, str(e), {"Connection": "close"}))
                    break
                if req is None:
                    break
                if req.path.rstrip("/") == "/api/v4/websocket":
                    if await self._websocket(req, reader, writer):
                        return
                    break
                if req.path.startswith("/_control/"):
                    status, body, headers = self._control_http(req)
                else:
                    _, auth = self._auth_user(req)
                    limited = self._rate_limit()
                    if limited is not None and limited[0] == 429:
                        status, body, headers = limited
                    else:
                        status, body, headers = await self._rest(req)
                    headers = dict(headers)
                    if limited is not None:
                        headers.update(limited[2])
                    elif status != 429:
                        headers.update(self._rate_headers())
                    if "access_token" in req.query:
                        self._violation("token in a REST URL query")
                    self.rest_log.append({"t": self.clock(), "method": req.method,
                                          "path": req.path, "query": dict(req.query),
                                          "status": status, "auth": auth,
                                          "remaining": headers.get("X-Ratelimit-Remaining"),
                                          "token_in_query": "access_token" in req.query})
                close = req.header("connection", "").lower() == "close"
                if close:
                    headers["Connection"] = "close"
                writer.write(wsproto.http_response(status, body, headers))
                await writer.drain()
                if close:
                    break
        except (ConnectionError, OSError, asyncio.IncompleteReadError):
            pass
        finally:
            try:
                writer.close()
            except (ConnectionError, OSError):
                pass

    def _control_http(self, req):
        name = req.path[len("/_control/"):].strip("/")
        try:
            body = json.loads(req.body.decode("utf-8")) if req.body else {}
            result = self.control(name, body)
            return 200, json.dumps(result).encode("utf-8"), {"Content-Type": "application/json"}
        except KeyError as e:
            return 404, json.dumps({"error": "unknown %s" % e}).encode(), {
                "Content-Type": "application/json"}
        except (ValueError, TypeError) as e:
            return 400, json.dumps({"error": str(e)}).encode(), {
                "Content-Type": "application/json"}

    async def start(self):
        self.loop = asyncio.get_running_loop()
        self.server = await asyncio.start_server(self._handle, self.host, self.port,
                                                 limit=1 << 20, ssl=self.tls)
        self.port = self.server.sockets[0].getsockname()[1]
        return self.port

    @property
    def url(self):
        return "%s://%s:%d" % ("https" if self.tls else "http", self.url_host, self.port)

    async def serve_until(self, stop):
        await stop.wait()
        self.server.close()
        for c in self.conns:
            if not c.closed and c.ws is not None:
                c.ws.abort(rst=False)

    # --- in-process use ----------------------------------------------------------

    def start_thread(self):
        ready = threading.Event()

        def run():
            async def main():
                await self.start()
                self._stopping = asyncio.Event()
                ready.set()
                await self.serve_until(self._stopping)
            asyncio.run(main())

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()
        ready.wait(10)
        return self.port

    def call(self, name, body=None):
        """Thread-safe control() from another thread."""
        fut = asyncio.run_coroutine_threadsafe(self._call(name, body or {}), self.loop)
        return fut.result(10)

    async def _call(self, name, body):
        return self.control(name, body)

    def stop_thread(self):
        if self.loop is not None and self._stopping is not None:
            self.loop.call_soon_threadsafe(self._stopping.set)
        if self.thread is not None:
            self.thread.join(10)


# --- client of the control interface, for tests --------------------------------


class Control:
    """Talks to a fake run as a subprocess: Control("http://127.0.0.1:N")."""

    def __init__(self, url, ca=None):
        self.url = url.rstrip("/")
        self.context = None
        if ca is not None:
            import ssl
            self.context = ssl.create_default_context(cafile=ca)

    def call(self, name, body=None, timeout=30):
        import urllib.request
        data = json.dumps(body or {}).encode("utf-8")
        method = "GET" if name == "state" else "POST"
        req = urllib.request.Request(self.url + "/_control/" + name,
                                     data=None if method == "GET" else data, method=method,
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=timeout, context=self.context) as r:
            return json.loads(r.read().decode("utf-8"))

    def state(self):
        return self.call("state")

    def post(self, message, **kw):
        kw["message"] = message
        return self.call("post", kw)["post"]


def make_test_ca(directory, names="DNS:localhost,IP:127.0.0.1"):
    """Writes ca.pem, server.pem and server.key (a throwaway CA and a
    certificate for @names, a subjectAltName, signed by it) with the openssl
    command; returns their paths, or None when openssl is missing."""
    import shutil
    import subprocess
    if shutil.which("openssl") is None:
        return None
    j = lambda name: os.path.join(directory, name)  # noqa: E731
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    with open(j("server.ext"), "w") as f:
        f.write("subjectAltName=" + names + "\nbasicConstraints=CA:FALSE\n"
                "keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n")
    run = lambda *a: subprocess.run(["openssl"] + list(a), check=True,  # noqa: E731
                                    capture_output=True)
    run("req", "-x509", *ec, "-keyout", j("ca.key"), "-out", j("ca.pem"), "-days", "2",
        "-subj", "/CN=valuesbot test CA", "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    run("req", *ec, "-keyout", j("server.key"), "-out", j("server.csr"), "-subj", "/CN=localhost")
    run("x509", "-req", "-in", j("server.csr"), "-CA", j("ca.pem"), "-CAkey", j("ca.key"),
        "-CAcreateserial", "-out", j("server.pem"), "-days", "2", "-extfile", j("server.ext"))
    return {"ca": j("ca.pem"), "cert": j("server.pem"), "key": j("server.key")}


def start_process(*args, env=None, timeout=20, ca=None):
    """Starts the fake as a subprocess; returns (Popen, info dict, Control).

    @ca: the CA file that signed --tls-cert, for the Control client.
    Stop it with proc.terminate() and proc.wait() (by PID, never by name).
    """
    import subprocess
    import tempfile
    cmd = [sys.executable, os.path.abspath(__file__)] + list(args)
    # stderr to a file, not a pipe nobody drains: a chatty fake must never block.
    err = tempfile.TemporaryFile()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err, env=env, text=True)
    proc.errfile = err
    deadline = time.monotonic() + timeout
    line = ""
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if line or proc.poll() is not None:
            break
    if not line:
        proc.kill()
        proc.wait()
        err.seek(0)
        raise RuntimeError("fake_mattermost did not start: %s"
                           % err.read().decode("utf-8", "replace"))
    info = json.loads(line)
    return proc, info, Control(info["url"], ca)


def process_errors(proc):
    """What the fake subprocess wrote to stderr so far (tracebacks: a fake bug)."""
    f = getattr(proc, "errfile", None)
    if f is None or f.closed:
        return ""
    f.seek(0)
    return f.read().decode("utf-8", "replace")


def stop_process(proc):
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(10)
        except Exception:
            proc.kill()
            proc.wait()
    for f in (proc.stdout, getattr(proc, "errfile", None)):
        if f is not None:
            f.close()


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--token", default=None, help="the bot's token (default: random)")
    ap.add_argument("--bot-username", default="valuesbot")
    ap.add_argument("--bot-id", default=None)
    ap.add_argument("--not-bot", action="store_true",
                    help="the token belongs to a normal user (a personal access token)")
    ap.add_argument("--config", default=None, help="JSON object of /_control/config keys")
    ap.add_argument("--tls-cert", default=None, help="PEM certificate chain: serve https/wss")
    ap.add_argument("--tls-key", default=None, help="PEM private key for --tls-cert")
    ap.add_argument("--url-host", default=None, help="host name for the printed URL")
    args = ap.parse_args(argv)
    fake = FakeMattermost(args.host, args.port, args.token, args.bot_username, args.bot_id,
                          not args.not_bot, tls_cert=args.tls_cert, tls_key=args.tls_key,
                          url_host=args.url_host)
    if args.config:
        fake.control("config", json.loads(args.config))

    async def run():
        await fake.start()
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        print(json.dumps({"port": fake.port, "url": fake.url, "bot_id": fake.bot["id"],
                          "bot_username": fake.bot["username"], "pid": os.getpid()}),
              flush=True)
        await fake.serve_until(stop)

    asyncio.run(run())


if __name__ == "__main__":
    main()
