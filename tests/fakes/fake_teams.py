"""fake_teams.py - a protocol-faithful stand-in for Microsoft Teams through the
Bot Framework (protocols.md section 4b), for the integration tests and the
benchmark.  One HTTP server on 127.0.0.1 plays every Microsoft host:

* login.botframework.com: GET /v1/.well-known/openidconfiguration (OpenID
  metadata whose jwks_uri points back here) and GET /v1/.well-known/keys
  (a JWKS of RSA keys generated at start, with endorsements ["msteams", ...]).
* login.microsoftonline.com: POST /{tenant}/oauth2/v2.0/token, the
  client-credentials grant (form body; grant_type, client_id, client_secret,
  scope https://api.botframework.com/.default), answering
  {"token_type":"Bearer","expires_in":3599,"ext_expires_in":3599,
  "access_token":...} or 401 {"error":"invalid_client",...} (AADSTS7000215).
* The Bot Connector at {base}/teams/: POST v3/conversations/{id}/activities
  [/{activityId}] (201 {"id":...}) and POST v3/conversations (create a 1:1
  chat, 201 {"id":...}), checking the bearer token the token endpoint issued;
  401 {"message":"Authorization has been denied for this request."} otherwise.
  Scripted faults: statuses to answer next (429 with Retry-After, 412, 5xx),
  a delay (slow connector) and dropping the connection (dead connector).
* The channel side: send() POSTs a signed activity to the bot's
  /api/messages with "Authorization: Bearer <JWT>" signed RS256 by one of the
  keys, with the claims Teams sends (serviceurl, nbf, exp, iss
  https://api.botframework.com, aud = app id), or any claim/key/header made
  wrong on purpose.

What was checked against the official SDK, and how: see CHECKED below (the
Bot Framework SDK for JavaScript, npm botbuilder, run as a bot against this
fake, tests/fakes/botbuilder-check/).
"""

import base64
import json
import queue
import socket
import threading
import time
import urllib.parse
import urllib.request
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

CHECKED = """
Checked against the official Bot Framework SDK for JavaScript, botbuilder and
botframework-connector 4.23.3 (npm), node 20, on 2026-12-06: the SDK runs as a
bot (tests/fakes/botbuilder-check/bot.js: CloudAdapter, ActivityHandler,
TurnContext.removeRecipientMention) and check.py drives it with this fake
(`cd tests/fakes/botbuilder-check && npm install && python3 check.py`):
- the SDK accepts this fake's tokens: it fetches the OpenID metadata, follows
  jwks_uri, finds the key by kid, verifies RS256, issuer, audience, expiry,
  the serviceurl claim and the msteams endorsement; its CloudAdapter answers
  the POST 200 and runs the turn;
- the SDK parses this fake's activities: personal message, channel message
  with an <at> mention and its mention entity (removeRecipientMention leaves
  "what are our goals?"), conversationUpdate with membersAdded holding the
  bot (onMembersAdded);
- the SDK's ConnectorClient posts its replies to this fake's connector:
  POST {serviceUrl}v3/conversations/{id, percent-encoded, ;messageid kept}/
  activities/{activity id}, with replyToId and the bearer token from this
  fake's token endpoint; the fake takes them (201) as it takes valuesbot's;
- bad tokens get what protocols.md 4b.2 reports of the SDK: 401 for a wrong
  audience, wrong issuer, expired, serviceurl mismatch, unknown kid, no
  header; 500 for a bad signature and nbf in the future (jsonwebtoken errors
  the SDK does not wrap); no reply to any of them;
- key rollover: a token signed by a key published after the SDK's last fetch
  is refused with 401 "Signing Key could not be retrieved" (the SDK refreshes
  on an unknown kid only when its copy is an hour old), as protocols.md 4b.3
  says; valuesbot fetches at once instead.
- the token request (check.py --msal): the SDK's own MSAL (msal-node 2.16.3,
  PasswordServiceClientCredentialFactory, SingleTenant) POSTs the
  client-credentials form (grant_type, client_id, client_secret, scope
  https://api.botframework.com/.default, plus its x-client-* fields) to
  https://login.microsoftonline.com/<tenant>/oauth2/v2.0/token, sent to this
  fake over TLS inside node (redirect.js; the fake's certificate trusted with
  NODE_EXTRA_CA_CERTS), takes this fake's answer and uses the token on the
  connector.  Without --msal, bot.js sends the same form itself.
"""

ISSUER = "https://api.botframework.com"
SCOPE = "https://api.botframework.com/.default"


def b64url(data):
    if isinstance(data, str):
        data = data.encode()
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _int_b64(n):
    return b64url(n.to_bytes((n.bit_length() + 7) // 8, "big"))


class Key:
    def __init__(self, kid, endorsements=("msteams", "webchat", "skype")):
        self.kid = kid
        self.private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.endorsements = list(endorsements)

    def jwk(self):
        pub = self.private.public_key().public_numbers()
        return {"kty": "RSA", "use": "sig", "kid": self.kid, "x5t": self.kid,
                "n": _int_b64(pub.n), "e": _int_b64(pub.e),
                "endorsements": self.endorsements}

    def sign(self, data, alg="RS256"):
        h = {"RS256": hashes.SHA256(), "RS384": hashes.SHA384(), "RS512": hashes.SHA512()}[alg]
        return self.private.sign(data, padding.PKCS1v15(), h)


class FakeTeams:
    def __init__(self, app_id=None, password="s3cret-password", tenant=None):
        self.app_id = app_id or str(uuid.uuid4())
        self.password = password
        self.tenant = tenant or str(uuid.uuid4())
        self.keys = [Key("key-1")]
        self.published = ["key-1"]  # kids in the JWKS
        self.lock = threading.RLock()
        self.replies = []           # connector POSTs accepted
        self.attempts = []          # every connector POST, with the status answered
        self.created = []           # conversations created
        self.token_requests = []    # form bodies (the secret is checked, not kept)
        self.tokens = set()         # access tokens issued
        self.jwks_fetches = 0
        self.metadata_fetches = 0
        self.faults = []            # [(status, headers)] to answer next connector POSTs
        self.delay = 0.0            # seconds before a connector answer
        self.dead = False           # connector drops connections unanswered
        self.token_fault = None     # (status, body) for the token endpoint
        self.expires_in = 3599
        self.server = None
        self._counter = 1765000000000

    # -- Server ---------------------------------------------------------
    def start(self, tls=None):
        """Serves on 127.0.0.1; with @tls, a (certfile, keyfile) pair, over https."""
        fake = self
        self.scheme = "https" if tls else "http"

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a):
                pass

            def _send(self, status, body=b"", ctype="application/json", headers=None):
                if isinstance(body, (dict, list)):
                    body = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                if self.path == "/v1/.well-known/openidconfiguration":
                    with fake.lock:
                        fake.metadata_fetches += 1
                    return self._send(200, {
                        "issuer": ISSUER,
                        "authorization_endpoint": "https://invalid.botframework.com",
                        "jwks_uri": fake.base_url + "/v1/.well-known/keys",
                        "id_token_signing_alg_values_supported": ["RS256"],
                        "token_endpoint_auth_methods_supported": ["private_key_jwt"]})
                if self.path == "/v1/.well-known/keys":
                    with fake.lock:
                        fake.jwks_fetches += 1
                        keys = [k.jwk() for k in fake.keys if k.kid in fake.published]
                    return self._send(200, {"keys": keys})
                return self._send(404, {"error": "not found"})

            def do_POST(self):
                n = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(n)
                path = urllib.parse.urlsplit(self.path).path
                if path.endswith("/oauth2/v2.0/token"):
                    return self._token(path, raw)
                if path.startswith("/teams/v3/conversations"):
                    return self._connector(path, raw)
                return self._send(404, {"error": "not found"})

            def _token(self, path, raw):
                form = urllib.parse.parse_qs(raw.decode(), keep_blank_values=True)
                one = {k: v[0] for k, v in form.items()}
                with fake.lock:
                    fake.token_requests.append(
                        {"path": path, "ctype": self.headers.get("Content-Type"),
                         **{k: v for k, v in one.items() if k != "client_secret"}})
                    fault = fake.token_fault
                if fault is not None:
                    return self._send(fault[0], fault[1])
                tenant = path.split("/")[1]
                if (one.get("grant_type") != "client_credentials" or
                        one.get("scope") != SCOPE or tenant not in (fake.tenant, "botframework.com")):
                    return self._send(400, {"error": "invalid_request"})
                if one.get("client_id") != fake.app_id:
                    return self._send(400, {"error": "unauthorized_client",
                                            "error_description": "AADSTS700016: Application not found"})
                if one.get("client_secret") != fake.password:
                    return self._send(401, {"error": "invalid_client",
                                            "error_description": "AADSTS7000215: Invalid client secret provided.",
                                            "error_codes": [7000215]})
                tok = fake.issue_token()
                return self._send(200, {"token_type": "Bearer", "expires_in": fake.expires_in,
                                        "ext_expires_in": fake.expires_in, "access_token": tok})

            def _connector(self, path, raw):
                auth = self.headers.get("Authorization", "")
                rest = path[len("/teams/v3/conversations"):]
                with fake.lock:
                    fault = fake.faults.pop(0) if fake.faults else None
                    delay, dead = fake.delay, fake.dead
                if dead:
                    with fake.lock:
                        fake.attempts.append({"path": path, "status": None})
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                if delay:
                    time.sleep(delay)
                if not auth.startswith("Bearer ") or auth[7:] not in fake.tokens:
                    with fake.lock:
                        fake.attempts.append({"path": path, "status": 401})
                    return self._send(401, {"message": "Authorization has been denied for this request."})
                if fault is not None:
                    with fake.lock:
                        fake.attempts.append({"path": path, "status": fault[0]})
                    return self._send(fault[0], {"error": {"code": "Throttled" if fault[0] == 429 else "ServiceError",
                                                           "message": "fault"}}, headers=fault[1])
                try:
                    body = json.loads(raw)
                except ValueError:
                    return self._send(400, {"error": {"code": "BadArgument", "message": "bad JSON"}})
                if rest in ("", "/"):
                    cid = "a:" + uuid.uuid4().hex
                    with fake.lock:
                        fake.created.append({"body": body, "id": cid})
                        fake.attempts.append({"path": path, "status": 201})
                    return self._send(201, {"id": cid})
                parts = rest.strip("/").split("/")
                conv = urllib.parse.unquote(parts[0])
                reply_to = urllib.parse.unquote(parts[2]) if len(parts) > 2 else None
                problem = message_problem(body)
                if problem:
                    with fake.lock:
                        fake.attempts.append({"path": path, "status": 400, "problem": problem})
                    return self._send(400, {"error": {"code": "BadArgument", "message": problem}})
                with fake.lock:
                    fake._counter += 1
                    mid = str(fake._counter)
                    fake.replies.append({"conv": conv, "reply_to": reply_to, "body": body,
                                         "path": path, "id": mid, "at": time.monotonic()})
                    fake.attempts.append({"path": path, "status": 201})
                return self._send(201, {"id": mid})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        if tls:
            import ssl
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(*tls)
            self.server.socket = ctx.wrap_socket(self.server.socket, server_side=True)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self):
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()

    @property
    def base_url(self):
        return f"{getattr(self, 'scheme', 'http')}://127.0.0.1:{self.port}"

    @property
    def openid_url(self):
        return self.base_url + "/v1/.well-known/openidconfiguration"

    @property
    def token_url(self):
        return f"{self.base_url}/{self.tenant}/oauth2/v2.0/token"

    @property
    def service_url(self):
        return self.base_url + "/teams/"

    def bot_env(self, tenant=True):
        env = {"MICROSOFT_APP_ID": self.app_id, "MICROSOFT_APP_PASSWORD": self.password,
               "TEAMS_OPENID_METADATA_URL": self.openid_url, "TEAMS_TOKEN_URL": self.token_url,
               "TEAMS_ALLOWED_SERVICE_URLS": self.service_url}
        if tenant:
            env["MICROSOFT_APP_TENANT_ID"] = self.tenant
        return env

    def issue_token(self):
        tok = self.sign({"aud": ISSUER, "iss": f"https://sts.windows.net/{self.tenant}/",
                         "appid": self.app_id, "exp": int(time.time()) + self.expires_in})
        with self.lock:
            self.tokens.add(tok)
        return tok

    # -- Keys -------------------------------------------------------------
    def key(self, kid):
        return next(k for k in self.keys if k.kid == kid)

    def add_key(self, kid, publish=True, endorsements=("msteams", "webchat", "skype")):
        k = Key(kid, endorsements)
        with self.lock:
            self.keys.append(k)
            if publish:
                self.published.append(kid)
        return k

    def rollover(self, kid):
        """A new key published and the old ones withdrawn."""
        self.add_key(kid, publish=False)
        with self.lock:
            self.published = [kid]

    # -- Tokens and activities ------------------------------------------
    def sign(self, claims, kid=None, alg="RS256", key=None, header=None):
        kid = kid or self.published[0]
        key = key or self.key(kid)
        h = header or {"alg": alg, "kid": kid, "x5t": kid, "typ": "JWT"}
        signing_input = b64url(json.dumps(h)) + "." + b64url(json.dumps(claims))
        if h.get("alg") in ("RS256", "RS384", "RS512"):
            sig = b64url(key.sign(signing_input.encode(), h["alg"]))
        else:
            sig = ""
        return signing_input + "." + sig

    def claims(self, service_url=None, **over):
        now = int(time.time())
        c = {"serviceurl": service_url or self.service_url, "nbf": now - 5,
             "exp": now + 3600, "iss": ISSUER, "aud": self.app_id}
        c.update(over)
        return {k: v for k, v in c.items() if v is not None}

    def next_id(self):
        with self.lock:
            self._counter += 1
            return str(self._counter)

    def activity(self, text="what are our values?", scope="personal", conv=None, aid=None,
                 tenant=None, mention=True, type="message", user="29:1alice", **extra):
        aid = aid or self.next_id()
        tenant = tenant or self.tenant
        bot = {"id": "28:" + self.app_id, "name": "valuesbot"}
        a = {"type": type, "id": aid, "timestamp": "2026-12-06T09:00:00.123Z",
             "serviceUrl": self.service_url, "channelId": "msteams",
             "from": {"id": user, "name": "Alice Example", "aadObjectId": "7faf8ab2-0000"},
             "recipient": bot, "textFormat": "plain", "locale": "en-GB",
             "channelData": {"tenant": {"id": tenant}},
             "entities": [{"type": "clientInfo", "locale": "en-GB", "country": "GB",
                           "platform": "Web", "timezone": "Europe/London"}]}
        if scope == "personal":
            a["conversation"] = {"conversationType": "personal", "tenantId": tenant,
                                 "id": conv or "a:1personal" + user}
        elif scope == "groupChat":
            a["conversation"] = {"isGroup": True, "conversationType": "groupChat",
                                 "tenantId": tenant, "id": conv or "19:group1@thread.v2"}
        else:
            chan = conv or "19:chan1@thread.tacv2"
            a["conversation"] = {"isGroup": True, "conversationType": "channel",
                                 "tenantId": tenant, "id": f"{chan};messageid={aid}"}
            a["channelData"].update({"teamsChannelId": chan, "teamsTeamId": "19:team1@thread.tacv2",
                                     "channel": {"id": chan}, "team": {"id": "19:team1@thread.tacv2"}})
        if text is not None:
            if scope != "personal" and mention:
                a["text"] = "<at>valuesbot</at> " + text
                a["entities"].insert(0, {"type": "mention", "mentioned": bot,
                                         "text": "<at>valuesbot</at>"})
                a["attachments"] = [{"contentType": "text/html",
                                     "content": "<div><span itemscope itemtype=\"http://schema.skype.com/Mention\" "
                                                "itemid=\"0\">valuesbot</span>&nbsp;" + text + "</div>"}]
            else:
                a["text"] = text
        a.update(extra)
        return a

    @staticmethod
    def make_cert(path, names=("login.microsoftonline.com", "localhost")):
        """A self-signed certificate (its own CA) for @names and 127.0.0.1;
        writes path.crt and path.key and returns them."""
        import datetime
        import ipaddress
        from cryptography import x509
        from cryptography.x509.oid import NameOID
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])])
        now = datetime.datetime.now(datetime.timezone.utc)
        sans = [x509.DNSName(n) for n in names] + [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
        cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
                .public_key(key.public_key()).serial_number(x509.random_serial_number())
                .not_valid_before(now - datetime.timedelta(minutes=5))
                .not_valid_after(now + datetime.timedelta(days=1))
                .add_extension(x509.SubjectAlternativeName(sans), critical=False)
                .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                .sign(key, hashes.SHA256()))
        with open(path + ".crt", "wb") as f:
            f.write(cert.public_bytes(serialization.Encoding.PEM))
        with open(path + ".key", "wb") as f:
            f.write(key.private_bytes(serialization.Encoding.PEM,
                                      serialization.PrivateFormat.TraditionalOpenSSL,
                                      serialization.NoEncryption()))
        return path + ".crt", path + ".key"

    def send(self, bot_url, activity, token=None, claims=None, auth=None, raw=None, timeout=10):
        """POSTs @activity to the bot as the channel does; returns (status, seconds)."""
        if auth is None:
            if token is None:
                token = self.sign(claims or self.claims(service_url=activity.get("serviceUrl")
                                                        if isinstance(activity, dict) else None))
            auth = "Bearer " + token
        data = raw if raw is not None else json.dumps(activity).encode()
        req = urllib.request.Request(bot_url, data=data, method="POST")
        req.add_header("Content-Type", "application/json; charset=utf-8")
        if auth:
            req.add_header("Authorization", auth)
        t0 = time.monotonic()
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                r.read()
                return r.status, time.monotonic() - t0
        except urllib.error.HTTPError as e:
            return e.code, time.monotonic() - t0

    # -- Waiting ---------------------------------------------------------
    def wait_for(self, pred, timeout=10.0, interval=0.02):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                v = pred()
            if v:
                return v
            time.sleep(interval)
        with self.lock:
            return pred()

    def replies_to(self, conv):
        with self.lock:
            return [r for r in self.replies if r["conv"] == conv]


def reply_text(body):
    """Everything a reader sees in a reply: its text, and the card's TextBlocks."""
    parts = [body.get("text") or ""]

    def walk(o):
        if isinstance(o, dict):
            if o.get("type") == "TextBlock":
                parts.append(o.get("text", ""))
            for v in o.values():
                walk(v)
        elif isinstance(o, list):
            for v in o:
                walk(v)

    for a in body.get("attachments") or []:
        walk(a.get("content"))
    return "\n".join(parts)


def message_problem(body):
    """What Teams would refuse in a message activity, or None."""
    if body.get("type") != "message":
        return "type must be message"
    text = body.get("text") or ""
    atts = body.get("attachments") or []
    if not text and not atts:
        return "empty message"
    if len(json.dumps(body).encode("utf-16-le")) > 100 * 1024 * 2:
        return "MessageSizeTooBig"
    for a in atts:
        if a.get("contentType") == "application/vnd.microsoft.card.adaptive":
            c = a.get("content") or {}
            if c.get("type") != "AdaptiveCard" or c.get("version") not in ("1.0", "1.1", "1.2", "1.3", "1.4", "1.5"):
                return "bad adaptive card"
    for e in body.get("entities") or []:
        if e.get("type") == "mention" and e.get("text") not in text:
            return "Mention entity text is not valid"
    return None
