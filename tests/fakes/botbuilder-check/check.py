#!/usr/bin/env python3
"""check.py - runs bot.js (the official botbuilder SDK) against
tests/fakes/fake_teams.py and prints what it saw.  Needs node and the
packages of package-lock.json (scripts/install-deps.sh puts them in
build/sdk-deps/botbuilder-check; node_modules is not committed).

    python3 tests/fakes/botbuilder-check/check.py [--msal]

--msal: the SDK's own token request (MSAL) too, over TLS, with
login.microsoftonline.com redirected to the fake inside node (redirect.js).

Exits 1 when the SDK and the fake disagree on anything checked.
"""

import os
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
from fake_teams import FakeTeams, reply_text  # noqa: E402
from sdknode import free_port, node_env  # noqa: E402


def main():
    msal = "--msal" in sys.argv
    env = node_env(HERE)
    if msal:
        # Everything over TLS, and MSAL's own token request to
        # login.microsoftonline.com redirected to the fake (redirect.js).
        tmp = tempfile.mkdtemp(prefix="botbuilder-check-")
        cert = FakeTeams.make_cert(os.path.join(tmp, "fake"))
        fake = FakeTeams().start(tls=cert)
        env.update(MSAL="1", FAKE_TEAMS_PORT=str(fake.port), NODE_EXTRA_CA_CERTS=cert[0])
        cmd = ["node", "-r", os.path.join(HERE, "redirect.js")]
    else:
        fake = FakeTeams().start()
        cmd = ["node"]
    port = free_port()
    node = subprocess.Popen(cmd + [os.path.join(HERE, "bot.js"), str(port), fake.app_id,
                                   fake.password, fake.tenant, fake.base_url],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env=env)
    url = f"http://127.0.0.1:{port}/api/messages"
    problems = []
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), 0.2).close()
                break
            except OSError:
                time.sleep(0.1)

        def expect(what, got, want):
            ok = got in want if isinstance(want, tuple) else got == want
            print(f"{'ok  ' if ok else 'FAIL'} {what}: {got!r}")
            if not ok:
                problems.append(what)

        # A personal message, signed by the fake: the SDK validates the token
        # against the fake's metadata and keys, and replies through the connector.
        a = fake.activity("what are our values?")
        expect("personal message, SDK answers the POST", fake.send(url, a)[0], 200)
        r = fake.wait_for(lambda: fake.replies_to(a["conversation"]["id"]), 10)
        expect("SDK reply reached the fake connector", bool(r), True)
        if r:
            expect("reply path has the activity id", r[0]["reply_to"], a["id"])
            expect("reply text", reply_text(r[0]["body"]), "echo: what are our values?")
            expect("reply replyToId", r[0]["body"].get("replyToId"), a["id"])
        tr = fake.token_requests[0] if fake.token_requests else {}
        expect("token request grant_type", tr.get("grant_type"), "client_credentials")
        expect("token request scope", tr.get("scope"), "https://api.botframework.com/.default")
        expect("token request client_id", tr.get("client_id"), fake.app_id)
        expect("token request tenant in the path", tr.get("path"),
               f"/{fake.tenant}/oauth2/v2.0/token")
        expect("token request content type", (tr.get("ctype") or "").split(";")[0],
               "application/x-www-form-urlencoded")
        if msal:
            print("     MSAL's form fields: " + ", ".join(sorted(tr)))
        # A channel message with an @mention: the SDK's removeRecipientMention
        # finds the fake's mention entity.
        c = fake.activity("what are our goals?", scope="channel")
        expect("channel mention", fake.send(url, c)[0], 200)
        r = fake.wait_for(lambda: fake.replies_to(c["conversation"]["id"]), 10)
        expect("mention removed by the SDK", reply_text(r[0]["body"]) if r else None,
               "echo: what are our goals?")
        if r:
            expect("threaded: conversation id kept with ;messageid", r[0]["conv"],
                   c["conversation"]["id"])
        # conversationUpdate adding the bot.
        up = fake.activity(None, type="conversationUpdate", scope="channel",
                           membersAdded=[{"id": "28:" + fake.app_id}])
        up["conversation"]["id"] = "19:general@thread.tacv2"
        expect("conversationUpdate", fake.send(url, up)[0], 200)
        r = fake.wait_for(lambda: fake.replies_to("19:general@thread.tacv2"), 10)
        expect("welcome reached the connector", reply_text(r[0]["body"]) if r else None,
               "welcome")
        # Bad tokens: what the SDK answers (protocols.md 4b.2: 401, or 500 for
        # some jsonwebtoken errors).
        now = int(time.time())
        n = len(fake.replies)
        for what, kw, want in [
            ("wrong audience", dict(claims=fake.claims(aud="other")), 401),
            ("wrong issuer", dict(claims=fake.claims(iss="https://evil.example")), 401),
            ("expired", dict(claims=fake.claims(exp=now - 600, nbf=now - 4000)), 401),
            ("serviceurl mismatch", dict(claims=fake.claims(service_url="https://evil.example/")), 401),
            ("unknown kid", dict(token=fake.sign(fake.claims(), kid="nope",
                                                 key=fake.add_key("nope", publish=False))), 401),
            ("no Authorization", dict(auth=""), 401),
            ("bad signature", dict(token=fake.sign(fake.claims(), kid="key-1",
                                                   key=fake.add_key("x", publish=False))), (401, 500)),
            ("nbf in the future", dict(claims=fake.claims(nbf=now + 900, exp=now + 4000)), (401, 500)),
        ]:
            b = fake.activity("what are our values?")
            expect(f"bad token, {what}", fake.send(url, b, **kw)[0], want)
        time.sleep(0.5)
        expect("no reply to any bad token", len(fake.replies), n)
        # The keys as the SDK read them: a rolled-over key is fetched (the SDK
        # only refreshes on an unknown kid when its copy is an hour old, so a
        # fresh kid is refused: the behaviour protocols.md 4b.3 reports).
        fake.rollover("key-2")
        d = fake.activity("what are our values?")
        expect("new key within the hour (SDK refuses)", fake.send(url, d)[0], (401, 500))
    finally:
        node.terminate()
        node.wait(10)
        out = node.stdout.read()
        fake.stop()
    print("--- node output ---")
    print(out[-3000:])
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
