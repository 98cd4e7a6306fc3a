#!/usr/bin/env python3
"""check.py - runs client.js (the official Mattermost JavaScript client:
Client4 and WebSocketClient) against tests/fakes/fake_mattermost.py and
checks that the client and the fake agree on what the bot uses
(bot/adapters/mattermost): the token in the header, users/me, the client
config, teams and channels, channel posts (page, since), createPost (in a
thread, a bad root_id), a direct channel; on the websocket, the upgrade the
client makes, its authentication_challenge, hello, its sequence check over
the fake's events, a `posted` event decoded, request replies, and the
client's own resume (connection_id and sequence_number) after a drop:
replayed, lossless, or reset to a fresh hello.  Needs the packages of
package-lock.json (scripts/install-deps.sh).

    python3 tests/fakes/mattermost-check/check.py

Exits 1 when the client and the fake disagree on anything checked.
"""

import json
import os
import queue
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
from fake_mattermost import FakeMattermost  # noqa: E402
from sdknode import Checks, node_env  # noqa: E402


class Client:
    """client.js: commands in, JSON lines out."""

    def __init__(self, url, token):
        self.proc = subprocess.Popen(
            ["node", os.path.join(HERE, "client.js"), url, token],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True, env=node_env(HERE))
        self.lines = []
        self.stderr = []
        self.results = queue.Queue()
        self.n = 0
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=lambda: self.stderr.extend(self.proc.stderr), daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            try:
                obj = json.loads(line)
            except ValueError:
                self.stderr.append(line)
                continue
            self.lines.append(obj)
            if obj["what"] in ("result", "reply"):
                self.results.put(obj)

    def send(self, **cmd):
        self.proc.stdin.write(json.dumps(cmd) + "\n")
        self.proc.stdin.flush()

    def call(self, method, *args):
        """A Client4 method; its data, or ("error", status_code, server_error_id)."""
        self.n += 1
        self.send(op="call", id=self.n, method=method, args=list(args))
        r = self.results.get(timeout=10)
        return r.get("data") if r["ok"] else ("error", r["status_code"], r["server_error_id"])

    def ws_send(self, action, data=None):
        self.n += 1
        self.send(op="ws_send", id=self.n, action=action, data=data)
        return self.results.get(timeout=10)["msg"]

    def saw(self, what, since=0):
        return [x for x in self.lines[since:] if x["what"] == what]

    def events(self, since=0, name=None):
        return [x["msg"] for x in self.saw("event", since)
                if name is None or x["msg"]["event"] == name]

    def stop(self):
        try:
            self.send(op="quit")
            self.proc.wait(5)
        except (OSError, subprocess.TimeoutExpired):
            self.proc.kill()
            self.proc.wait()


def wait_for(pred, timeout=10.0):
    deadline = time.monotonic() + timeout
    while True:
        v = pred()
        if v or time.monotonic() > deadline:
            return v
        time.sleep(0.02)


def rest_checks(fake, cl, expect):
    bot = fake.bot
    me = cl.call("getMe")
    expect("getMe: the bot, by the token in the header",
           (me.get("id"), me.get("username"), me.get("is_bot")) if isinstance(me, dict) else me,
           (bot["id"], bot["username"], True))
    rest = fake.rest_log[-1]
    expect("REST auth header seen by the fake", rest["auth"], "valid")
    expect("ping", cl.call("ping"), {"status": "OK"})
    conf = cl.call("getClientConfig")
    expect("getClientConfig (format=old): MaxPostSize a string",
           conf.get("MaxPostSize") if isinstance(conf, dict) else conf, "16383")
    teams = cl.call("getMyTeams")
    expect("getMyTeams has the fake's team", [t["id"] for t in teams] if isinstance(teams, list)
           else teams, [fake.team_id])
    # A user's post makes a public channel.
    first = fake.call("post", {"message": "hello all", "user": "alice"})["post"]
    chan = first["channel_id"]
    mine = cl.call("getMyChannels", fake.team_id)
    expect("getMyChannels lists the channel", chan in [c["id"] for c in mine]
           if isinstance(mine, list) else mine, True)
    alls = cl.call("getAllTeamsChannels")
    expect("getAllTeamsChannels lists it", chan in [c["id"] for c in alls]
           if isinstance(alls, list) else alls, True)
    ch = cl.call("getChannel", chan)
    expect("getChannel", (ch.get("id"), ch.get("type")) if isinstance(ch, dict) else ch,
           (chan, "O"))
    alice = next(u for u in fake.users.values() if u["username"] == "alice")
    u = cl.call("getUser", alice["id"])
    expect("getUser", u.get("username") if isinstance(u, dict) else u, "alice")
    page = cl.call("getPosts", chan, 0, 60)
    expect("getPosts: order and posts", (page.get("order"), list(page.get("posts", {})))
           if isinstance(page, dict) else page, ([first["id"]], [first["id"]]))
    since = cl.call("getPostsSince", chan, first["create_at"] - 1)
    expect("getPostsSince", since.get("order") if isinstance(since, dict) else since, [first["id"]])
    # createPost in the thread of the user's post, as the bot answers.
    post = cl.call("createPost", {"channel_id": chan, "message": "an answer",
                                  "root_id": first["id"]})
    ok = isinstance(post, dict)
    expect("createPost: the post, in the thread, from a bot",
           (post.get("root_id"), post.get("message"), post.get("props", {}).get("from_bot"))
           if ok else post, (first["id"], "an answer", "true"))
    att = fake.post_attempts[-1]
    expect("createPost: 201 at the fake", att["status"], 201)
    before = cl.call("getPostsBefore", chan, post["id"] if ok else "", 0, 60)
    expect("getPostsBefore the answer", before.get("order") if isinstance(before, dict) else before,
           [first["id"]])
    after = cl.call("getPostsAfter", chan, first["id"], 0, 60)
    expect("getPostsAfter the question", after.get("order") if isinstance(after, dict) else after,
           [post["id"]] if ok else None)
    # A reply whose root is itself a reply: the server's error, as the client reads it.
    bad = cl.call("createPost", {"channel_id": chan, "message": "x",
                                 "root_id": post["id"] if ok else ""})
    expect("createPost with a reply as root_id: ClientError 400 with the server's id", bad,
           ("error", 400, "api.post.create_post.root_id.app_error"))
    fake.violations[:] = [v for v in fake.violations if "root_id" not in v["what"]]
    dm = cl.call("createDirectChannel", [bot["id"], alice["id"]])
    expect("createDirectChannel: a D channel", dm.get("type") if isinstance(dm, dict) else dm, "D")
    # A bad token: the client's error carries the server's id and status.
    cl.call("setToken", "not-a-token")
    expect("getMe with a bad token", cl.call("getMe"),
           ("error", 401, "api.context.session_expired.app_error"))
    cl.call("setToken", fake.bot_token)
    return chan, first


def ws_checks(fake, cl, expect, chan, first):
    bot = fake.bot
    # 1. The client as in a browser without a session cookie: no header on the
    # upgrade, then authentication_challenge with the token.
    mark = len(cl.lines)
    cl.send(op="ws_connect", header=False)
    hello = wait_for(lambda: cl.events(mark, "hello"))
    expect("hello after the authentication_challenge", bool(hello), True)
    if not hello:
        return
    c1 = fake.conns[-1]
    expect("upgrade query: connection_id empty, sequence_number 0",
           (c1.query.get("connection_id", ""), c1.query.get("sequence_number")), ("", "0"))
    expect("authenticated by the challenge", (c1.auth_header, c1.authed_via), ("none", "challenge"))
    expect("hello seq 0, the connection id",
           (hello[0]["seq"], bool(hello[0]["data"]["connection_id"])), (0, True))
    wait_for(lambda: len(c1.requests) >= 2)
    expect("the client's first requests", [(r["action"], r["seq"]) for r in c1.requests[:2]],
           [("authentication_challenge", 1), ("ping", 2)])
    # A user's mention: posted (after typing, both sequenced), decoded.
    mark = len(cl.lines)
    q = fake.call("post", {"message": "@%s what are our values?" % bot["username"],
                           "user": "alice", "channel_id": chan})["post"]
    posted = wait_for(lambda: cl.events(mark, "posted"))
    expect("posted event received through the client's sequence check", bool(posted), True)
    if posted:
        d = posted[0]["data"]
        p = json.loads(d["post"])
        expect("posted: post decoded", (p["id"], p["message"], p["channel_id"]),
               (q["id"], q["message"], chan))
        expect("posted: mentions has the bot", json.loads(d.get("mentions", "[]")), [bot["id"]])
        expect("posted: channel_type, sender_name", (d["channel_type"], d["sender_name"]),
               ("O", "@alice"))
    expect("events in sequence (no mismatch logged)",
           [x["text"] for x in cl.saw("log", mark) if "missed" in x["text"]], [])
    # Requests the bot makes: user_typing, and the client's get_statuses.
    r = cl.ws_send("user_typing", {"channel_id": chan, "parent_id": q["id"]})
    expect("user_typing reply", (r.get("status"), "seq" in r), ("OK", False))
    r = cl.ws_send("get_statuses")
    expect("get_statuses reply", r.get("status"), "OK")
    # The client's own post comes back as posted, from_bot.
    mark = len(cl.lines)
    mine = cl.call("createPost", {"channel_id": chan, "message": "values: care",
                                  "root_id": q["id"]})
    own = wait_for(lambda: [e for e in cl.events(mark, "posted")
                            if json.loads(e["data"]["post"])["id"] == mine.get("id")])
    expect("own post echoed as posted with from_bot",
           json.loads(own[0]["data"]["post"])["props"].get("from_bot") if own else None, "true")

    # 2. A drop: without a header on the upgrade the server ignores
    # connection_id (api4 connectWebSocket), so the challenge gives a new
    # connection id and hello; the client sees it (missed) and restarts its
    # sequence at 0.
    mark = len(cl.lines)
    fake.call("drop", {"how": "rst"})
    again = wait_for(lambda: cl.events(mark, "hello"))
    c2 = fake.conns[-1]
    expect("reconnect without a header: fresh hello", bool(again) and c2 is not c1, True)
    expect("resume asked with connection_id and sequence_number",
           (c2.query.get("connection_id") == hello[0]["data"]["connection_id"],
            c2.query.get("sequence_number") not in (None, "0")), (True, True))
    expect("the client noticed the new connection id", bool(cl.saw("missed", mark)), True)
    mark = len(cl.lines)
    fake.call("post", {"message": "@%s and now?" % bot["username"], "user": "alice",
                       "channel_id": chan})
    expect("events after the fresh hello pass the sequence check",
           bool(wait_for(lambda: cl.events(mark, "posted"))), True)

    # 3. The client with the token on the upgrade too (as a session cookie
    # does): its resume finds the connection id.  An event lost in flight is
    # replayed from the dead queue; the challenge on an authenticated socket
    # gets no answer.
    cl.send(op="ws_close")
    wait_for(lambda: fake.conns[-1].closed)
    mark = len(cl.lines)
    cl.send(op="ws_connect", header=True)
    c3 = wait_for(lambda: fake.conns[-1] if fake.conns[-1] is not c2 and fake.conns[-1].user_id
                  else None)
    expect("resume with a header: lossless, no hello",
           (c3.outcome if c3 else None, len(cl.events(mark, "hello"))), ("lossless", 0))
    time.sleep(0.3)
    lost = fake.call("post", {"message": "@%s lost in flight" % bot["username"], "user": "alice",
                              "channel_id": chan, "withhold": True})["post"]
    mark = len(cl.lines)
    fake.call("drop", {"how": "rst"})
    replay = wait_for(lambda: [e for e in cl.events(mark, "posted")
                               if json.loads(e["data"]["post"])["id"] == lost["id"]])
    c4 = fake.conns[-1]
    expect("the lost event replayed on resume", (bool(replay), c4.outcome), (True, "replay"))
    expect("no hello on a replay", len(cl.events(mark, "hello")), 0)
    # A sequence gap (an event the server never sent): the client closes
    # (4001), resumes with the seq it expects, the server finds the loss
    # and resets: new connection id, hello.
    mark = len(cl.lines)
    fake.call("gap", {"mode": "jump", "n": 2})
    fake.call("post", {"message": "@%s after a gap" % bot["username"], "user": "alice",
                       "channel_id": chan})
    reset = wait_for(lambda: cl.events(mark, "hello"))
    expect("a gap: the client reports the mismatch",
           any("missed websocket event" in x["text"] for x in cl.saw("log", mark)), True)
    expect("a gap: the client's reason (4001) in its resume URL",
           fake.conns[-1].query.get("disconnect_err_code"), "4001")
    expect("a gap: reset to a fresh hello", (bool(reset), fake.conns[-1].outcome), (True, "reset"))
    expect("client errors", [x["message"] for x in cl.saw("crash")], [])


def main():
    fake = FakeMattermost()
    fake.start_thread()
    cl = Client(fake.url, fake.bot_token)
    c = Checks()
    try:
        wait_for(lambda: cl.saw("ready"))
        chan, first = rest_checks(fake, cl, c.expect)
        ws_checks(fake, cl, c.expect, chan, first)
        c.expect("REST calls the fake did not know",
                 [r["path"] for r in fake.rest_log if r["status"] == 404], [])
        c.expect("protocol violations seen by the fake", [v["what"] for v in fake.violations], [])
    finally:
        cl.stop()
        fake.stop_thread()
        if c.problems or os.environ.get("MM_DEBUG"):
            print("--- node output ---")
            print("\n".join(json.dumps(x)[:300] for x in cl.lines[-40:]))
            print("".join(cl.stderr[-40:]))
    return 1 if c.problems else 0


if __name__ == "__main__":
    sys.exit(main())
