#!/usr/bin/env python3
"""check.py - runs app.js (the official Slack Bolt for JavaScript, Socket
Mode) against tests/fakes/fake_slack.py and checks that the SDK and the fake
agree: the Web API calls the SDK makes and the tokens it uses, the websocket
the fake hands out, hello, envelope acks, replies (channel, thread, text),
a slash command's ack payload and response_url, the bot's own echoed DM,
and a disconnect message (the SDK must reconnect on a new URL).  Needs the
packages of package-lock.json (scripts/install-deps.sh).

    python3 tests/fakes/bolt-check/check.py

Exits 1 when the SDK and the fake disagree on anything checked.
"""

import json
import os
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
from fake_slack import FakeSlack  # noqa: E402
from sdknode import Checks, node_env  # noqa: E402


class App:
    """The node process and the JSON lines it prints."""

    def __init__(self, fake):
        env = node_env(HERE)
        self.proc = subprocess.Popen(
            ["node", os.path.join(HERE, "app.js"), fake.api_url, fake.app_token, fake.bot_token],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        self.lines = []
        self.other = []
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._read_err, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            try:
                self.lines.append(json.loads(line))
            except ValueError:
                self.other.append(line.rstrip())

    def _read_err(self):
        for line in self.proc.stderr:
            self.other.append(line.rstrip())

    def saw(self, what, **kw):
        return [x for x in list(self.lines)
                if x["what"] == what and all(x.get(k) == v for k, v in kw.items())]

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def main():
    # Slack pings every few seconds; the SDK drops a link that stops pinging
    # (serverPingTimeout), so the fake pings as Slack does.
    fake = FakeSlack(server_ping_interval=5).start()
    app = App(fake)
    c = Checks()
    expect = c.expect
    try:
        up = fake.wait_for(lambda: app.saw("started") and fake.ready_connections(), 20)
        expect("SDK started and its websocket said hello", bool(up), True)
        if not up:
            return 1
        auth = fake.api("auth.test")
        expect("auth.test called with the bot token", [a["token"] for a in auth][:1], ["bot"])
        opened = fake.api("apps.connections.open")
        expect("apps.connections.open with the app token, in the header",
               [(a["token"], a["token_in"], a["http"]) for a in opened],
               [("app", "header", "POST")])
        expect("one websocket, on the ticket handed out", len(fake.upgrades), 1)
        bot = fake.bot_user_id

        def acked(rec):
            """The acks of @rec's envelope, once there (or [])."""
            return fake.wait_for(lambda: fake.acked(rec["envelope_id"]), 5) or []

        # An app_mention in a channel: acked, answered in the mention's thread.
        rec = fake.send_event({"type": "app_mention", "channel": "C0STAFF",
                               "text": f"<@{bot}> what are our values?"})
        ts = rec["payload"]["event"]["ts"]
        p = fake.wait_for(lambda: fake.posts_ok("C0STAFF"), 10)
        expect("mention acked once", len(acked(rec)), 1)
        # (The app's lines, the acks and the posts come over three
        # connections: each is waited for, in no assumed order.)
        expect("mention reached the handler with the bot's user id from auth.test",
               [x["botUserId"] for x in fake.wait_for(lambda: app.saw("mention"), 5) or []], [bot])
        expect("reply to the mention posted", bool(p), True)
        if p:
            expect("reply text", p[0]["text"], "echo: what are our values?")
            expect("reply in the mention's thread", p[0]["thread_ts"], ts)
            expect("reply sent as a form (the WebClient's way)", p[0]["content_type"].split(";")[0],
                   "application/x-www-form-urlencoded")
            expect("reply answered to the client",
                   fake.wait_for(lambda: p[0]["completed"], 5), True)
        ack = (fake.acked(rec["envelope_id"]) or [{}])[0]
        expect("ack has no payload (events_api accepts none)", ack.get("payload"), None)

        # A direct message (message.im): answered in the conversation; the
        # fake echoes the bot's own reply back as message.im with bot_id,
        # which the SDK's ignoreSelf drops.
        dm = fake.send_event(fake.message_event(text="hello there", channel="D0DM00001"))
        p = fake.wait_for(lambda: fake.posts_ok("D0DM00001"), 10)
        expect("DM acked", len(acked(dm)), 1)
        expect("DM answered", [(x["text"], x["thread_ts"]) for x in p or []],
               [("echo: hello there", None)])
        echo = fake.wait_for(lambda: [e for e in fake.envelopes if e.get("echo")], 5)
        expect("the bot's own DM echoed back by the fake", bool(echo), True)
        if echo:
            expect("echo acked", len(acked(echo[0])), 1)
        time.sleep(0.5)
        expect("the SDK ignores its own echoed DM (no second reply)",
               len(fake.posts_ok("D0DM00001")), 1)
        expect("the echo never reached the handler",
               len(app.saw("message", channel="D0DM00001")), 1)

        # A reply in a thread: answered in that thread.
        parent = fake.next_ts()
        th = fake.send_event(fake.message_event(text="and in a thread?", channel="C0THREAD",
                                                thread_ts=parent))
        p = fake.wait_for(lambda: fake.posts_ok("C0THREAD"), 10)
        expect("thread reply answered in the thread",
               [(x["text"], x["thread_ts"]) for x in p or []], [("echo: and in a thread?", parent)])
        expect("thread message acked", len(acked(th)), 1)

        # A message with a subtype (someone joined): acked, no reply.
        j = fake.send_event(fake.message_event(subtype="channel_join", channel="C0JOIN"))
        expect("channel_join acked", len(acked(j)), 1)
        expect("channel_join seen as a subtype", bool(fake.wait_for(
            lambda: app.saw("message-subtype", subtype="channel_join"), 5)), True)

        # An envelope in three fragments with a ping between them.
        fr = fake.send_event({"type": "app_mention", "channel": "C0FRAG",
                              "text": f"<@{bot}> fragmented"}, fragments=3)
        p = fake.wait_for(lambda: fake.posts_ok("C0FRAG"), 10)
        expect("fragmented envelope answered", [x["text"] for x in p or []], ["echo: fragmented"])
        expect("fragmented envelope acked", len(acked(fr)), 1)

        # A slash command: the ack carries the SDK's payload, then
        # respond() posts to the response_url.
        sl = fake.send_slash("/values", "goals", channel="C0STAFF")
        a = fake.wait_for(lambda: fake.acked(sl["envelope_id"]), 10)
        expect("slash command acked with a payload",
               (a[0]["payload"] or {}).get("text") if a else None, "working on: goals")
        h = fake.wait_for(lambda: [x for x in fake.hooks if x["ok"]], 10)
        expect("respond() reached the response_url",
               [(x["body"].get("text"), x["body"].get("response_type")) for x in h or []],
               [("echo: goals", "in_channel")])

        # A disconnect (refresh_requested): the SDK closes the link, asks
        # apps.connections.open for a new URL and says nothing before hello.
        first = fake.ready_connections()[0]
        fake.send_disconnect(first, "refresh_requested")
        again = fake.wait_for(lambda: not first.open and [x for x in fake.ready_connections()
                                                          if x is not first], 20)
        expect("reconnected after the disconnect message, old link closed", bool(again), True)
        expect("old link closed by the client", first.closed_by, "client")
        expect("a new apps.connections.open for it", len(fake.api("apps.connections.open")), 2)
        rec2 = fake.send_event({"type": "app_mention", "channel": "C0AFTER",
                                "text": f"<@{bot}> still there?"})
        p = fake.wait_for(lambda: fake.posts_ok("C0AFTER"), 10)
        expect("answered on the new link", [x["text"] for x in p or []], ["echo: still there?"])
        expect("acked on the new link", [x["conn"] for x in acked(rec2)],
               [again[0].id] if again else None)

        pings = sum(len(x.client_pings) for x in fake.conns)
        print(f"     client pings answered by the fake: {pings}")
        expect("SDK errors", [x["message"] for x in app.saw("error")], [])
        expect("protocol violations seen by the fake", list(fake.violations), [])
    finally:
        app.stop()
        fake.stop()
        if c.problems or os.environ.get("BOLT_DEBUG"):
            print("--- node output ---")
            print("\n".join(json.dumps(x) for x in app.lines[-40:]))
            print("\n".join(app.other[-40:]))
    return 1 if c.problems else 0


if __name__ == "__main__":
    sys.exit(main())
