#!/usr/bin/env python3
"""stub_server.py - a test-only stand-in for valuesbot's web chat.

Serves bot/adapters/web/assets under /chat with the real server's
Content-Security-Policy, and speaks the web chat protocol on /chat/ws with
canned answers (values, a three-step induction tour, "did you mean").  Used
to develop the page before the real server is there and by the browser tests
when VALUESBOT_WEB_STUB=1.  Python 3 standard library only.

    stub_server.py --port N [--orgs tewv,cwpt] [--frame-origin URL]... [--rate-limit]
--rate-limit: a burst of 5 questions a connection, then one every 2 s, as the
real server's defaults.
Prints "listening PORT" on stdout once it accepts connections.
"""

import argparse
import asyncio
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "fakes"))
import wsproto  # noqa: E402

ASSETS = os.path.join(HERE, "..", "..", "bot", "adapters", "web", "assets")
TYPES = {"html": "text/html; charset=utf-8", "css": "text/css; charset=utf-8",
         "js": "text/javascript; charset=utf-8"}
NAMES = {"tewv": "Tees, Esk and Wear Valleys NHS Foundation Trust",
         "cwpt": "Coventry and Warwickshire Partnership NHS Trust"}
SOURCE = "Source: Our Journey to Change, %s. https://example.org/our-journey"
SUGGEST = ["What are our values?", "What's goal 2?", "Summarise the strategy"]
TOUR = [
    [("heading", None, "Welcome! Step 1 of 3: what we're here for"),
     ("item", "Our mission", "We will support people to lead their best possible lives.")],
    [("heading", None, "Step 2 of 3: our goals"),
     ("item", "Goal 1", "We will co-create high quality care"),
     ("subitem", None, "A timely response with help when it's needed")],
    [("heading", None, "Step 3 of 3: our values"),
     ("item", "Respect", "Inclusive; Considerate; Open and honest")],
]


def block(kind, label, text):
    return {"kind": kind, "label": label, "text": text}


def reply(re, answered, blocks, suggestions):
    text = "\n".join(((b["label"] + ": ") if b["label"] else "") + b["text"] for b in blocks)
    return {"type": "reply", "re": re, "answered": answered, "blocks": blocks,
            "text": text, "suggestions": suggestions}


class Session:
    def __init__(self, org):
        self.org = org
        self.step = None

    def answer(self, re, text):
        q = text.strip().lower().rstrip("?!. ")
        name = NAMES[self.org]
        if q in ("i'm new", "i\u2019m new", "im new", "start the tour"):
            self.step = 0
            return self.tour(re)
        if self.step is not None and q in ("next", "back", "repeat", "stop"):
            if q == "stop":
                self.step = None
                return reply(re, True, [block("para", None, "Tour stopped.")], SUGGEST)
            self.step += {"next": 1, "back": -1, "repeat": 0}[q]
            self.step = max(self.step, 0)
            if self.step >= len(TOUR):
                self.step = None
                return reply(re, True, [block("heading", None, "That's the tour"),
                                        block("para", None, "Ask me about any part of it.")],
                             SUGGEST)
            return self.tour(re)
        if "values" in q:
            return reply(re, True, [
                block("para", None, "Our three values:"),
                block("item", "Respect", "We are: Inclusive; Considerate; Open and honest"),
                block("item", "Compassion", "We are: Kind; Fair; Listening and acting"),
                block("item", "Responsibility", "We are: Accountable; Reliable"),
                block("source", None, SOURCE % name)], [])
        if "valeus" in q:
            return reply(re, False, [block("para", None, "Sorry, I'm not sure what you mean.")],
                         ["What are our values?"])
        return reply(re, False, [block("para", None,
                                       "Sorry, I don't know that: it isn't in Our Journey to Change.")],
                     SUGGEST)

    def tour(self, re):
        blocks = [block(*b) for b in TOUR[self.step]]
        return reply(re, True, blocks, ["Next", "Back", "Stop"])


async def chat(ws, org, orgs, rate_limit):
    sess = Session(org) if org else None
    tokens, last = 5.0, time.monotonic()
    ws.send_text(json.dumps({
        "type": "hello", "org": org, "name": NAMES[org] if org else None,
        "orgs": [{"id": o, "name": NAMES[o]} for o in orgs], "suggestions": SUGGEST}))
    while True:
        try:
            op, data = await ws.recv()
        except wsproto.ConnectionClosed:
            return
        try:
            msg = json.loads(data)
        except ValueError:
            ws.send_text(json.dumps({"type": "error", "code": "bad_json",
                                     "text": "Sorry, I couldn't read that message."}))
            continue
        if msg.get("type") == "org" and msg.get("org") in orgs:
            sess = Session(msg["org"])
            ws.send_text(json.dumps({"type": "hello", "org": sess.org, "name": NAMES[sess.org],
                                     "orgs": [], "suggestions": SUGGEST}))
        elif msg.get("type") == "ask" and sess:
            now = time.monotonic()
            tokens, last = min(5.0, tokens + (now - last) / 2), now
            if rate_limit and tokens < 1:
                ws.send_text(json.dumps({
                    "type": "error", "code": "rate_limited", "retry_after": 2,
                    "text": "You are asking faster than I can keep up with. "
                            "Please wait a moment and try again."}))
                continue
            tokens -= 1
            await asyncio.sleep(0.05)
            ws.send_text(json.dumps(sess.answer(msg.get("id"), str(msg.get("text", "")))))
        else:
            ws.send_text(json.dumps({"type": "error", "code": "bad_org",
                                     "text": "Please choose your organisation first."}))


def headers(args, ctype):
    frame = " ".join(["'self'"] + args.frame_origin)
    return {"Content-Type": ctype, "Cache-Control": "no-cache",
            "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
            "Content-Security-Policy":
                "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
                "img-src 'self' data:; base-uri 'none'; form-action 'none'; "
                "frame-ancestors %s" % frame}


async def handle(reader, writer, args):
    try:
        req = await wsproto.read_http_request(reader, writer)
        if req is None:
            return
        orgs = args.orgs.split(",")
        if req.path == "/chat/ws" and wsproto.is_websocket_upgrade(req):
            org = req.query.get("org")
            if org is not None and org not in orgs:
                org = None
            if org is None and len(orgs) == 1:
                org = orgs[0]
            writer.write(wsproto.upgrade_response(req))
            await chat(wsproto.WebSocket(reader, writer, client=False), org, orgs, args.rate_limit)
            return
        name = None
        parts = req.path.split("/")
        if req.path in ("/chat", "/chat/") or (len(parts) == 3 and parts[2] in orgs):
            name = "chat.html"
        elif len(parts) == 3 and parts[2] in ("chat.css", "chat.js", "widget.js"):
            name = parts[2]
        if name is None:
            writer.write(wsproto.http_response(404, "not found\n", {"Content-Type": "text/plain"}))
        else:
            with open(os.path.join(ASSETS, name), "rb") as f:
                body = f.read()
            writer.write(wsproto.http_response(200, body, headers(args, TYPES[name.rsplit(".", 1)[1]])))
        await writer.drain()
    except (ValueError, ConnectionError, asyncio.IncompleteReadError):
        pass
    finally:
        writer.close()


async def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--orgs", default="tewv")
    ap.add_argument("--frame-origin", action="append", default=[])
    ap.add_argument("--rate-limit", action="store_true")
    args = ap.parse_args()
    server = await asyncio.start_server(lambda r, w: handle(r, w, args), "127.0.0.1", args.port)
    print("listening %d" % server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
