"""wsproto.py - HTTP/1.1 and RFC 6455 framing for the fake chat servers.

Python 3 standard library only, asyncio streams.  Hand-rolled on purpose so
that a fake server can send what a real library refuses to: fragmented
messages with control frames between the fragments, binary frames, frames of
any size, reserved bits, unmasked client frames, half-open sockets and TCP
resets.

Server side:
    req = await read_http_request(reader)        # None at EOF
    writer.write(http_response(200, body, {"Content-Type": "text/plain"}))
    if is_websocket_upgrade(req):
        writer.write(upgrade_response(req))
        ws = WebSocket(reader, writer, client=False)
        op, data = await ws.recv()               # a whole data message
        ws.send_text("...")                      # one frame, written at once

Client side (self-tests):
    status, headers, ws = await ws_connect(host, port, "/path", {"Authorization": ...})

Everything here is framing: no knowledge of any chat protocol.
"""

import asyncio
import base64
import hashlib
import os
import socket
import struct
import time
import urllib.parse

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

OP_CONT = 0x0
OP_TEXT = 0x1
OP_BINARY = 0x2
OP_CLOSE = 0x8
OP_PING = 0x9
OP_PONG = 0xA

REASONS = {
    100: "Continue", 101: "Switching Protocols", 200: "OK", 201: "Created",
    204: "No Content", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden",
    404: "Not Found", 405: "Method Not Allowed", 413: "Payload Too Large",
    426: "Upgrade Required", 429: "Too Many Requests", 500: "Internal Server Error",
    502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout",
}

MAX_HEADER_BYTES = 64 * 1024
MAX_BODY_BYTES = 16 * 1024 * 1024


class ConnectionClosed(Exception):
    """The peer closed (close frame or EOF); .code is the close code or None."""

    def __init__(self, code=None, reason=""):
        super().__init__("connection closed (%s)" % code)
        self.code = code
        self.reason = reason


class ProtocolError(Exception):
    """The peer broke RFC 6455; .code is the close code to answer with."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


class MessageTooBig(ProtocolError):
    def __init__(self, size, limit):
        super().__init__(1009, "message of %d bytes exceeds %d" % (size, limit))


# --- HTTP ------------------------------------------------------------------


class HttpRequest:
    """One parsed request.  headers: lower-cased name -> value (last wins).
    read_at: when its last bytes were read from the socket (time.monotonic(),
    see stamp_reads()), else None."""

    def __init__(self, method, target, version, headers, body, read_at=None):
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
        self.body = body
        self.read_at = read_at
        if ("?" not in target and "#" not in target and target[:1] == "/"
                and target[:2] != "//"):
            # The usual request (an API path): what urlsplit() would give.
            self.path, self.query_string, self.query_all, self.query = target, "", {}, {}
            return
        parts = urllib.parse.urlsplit(target)
        self.path = parts.path
        self.query_string = parts.query
        # parse_qs drops blank values unless asked; keep them ("?sequence_number=").
        self.query_all = urllib.parse.parse_qs(parts.query, keep_blank_values=True)
        self.query = {k: v[0] for k, v in self.query_all.items()}

    def header(self, name, default=None):
        return self.headers.get(name.lower(), default)


def stamp_reads(reader):
    """Has @reader (an asyncio.StreamReader) note when bytes last came off
    its socket: the transport's callback, before the loop's queued work.
    read_http_request() gives that time as the request's read_at: when a
    server's kernel would have handed it over, not when a busy fake got to
    parse it."""
    feed = reader.feed_data

    def stamped(data):
        reader.fed_at = time.monotonic()
        feed(data)
    reader.fed_at = None
    reader.feed_data = stamped


async def read_http_request(reader, writer=None, max_body=MAX_BODY_BYTES):
    """Reads one request; returns None on a clean EOF before any byte.

    Answers "Expect: 100-continue" through @writer when given.  Raises
    ValueError on a malformed request.
    """
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError as e:
        if not e.partial:
            return None
        raise ValueError("truncated request head")
    except asyncio.LimitOverrunError:
        raise ValueError("request head too long")
    if len(head) > MAX_HEADER_BYTES:
        raise ValueError("request head too long")
    lines = head.decode("iso-8859-1").split("\r\n")
    try:
        method, target, version = lines[0].split(" ", 2)
    except ValueError:
        raise ValueError("bad request line %r" % lines[0])
    headers = {}
    for line in lines[1:]:
        if not line:
            continue
        name, sep, value = line.partition(":")
        if not sep:
            raise ValueError("bad header line %r" % line)
        headers[name.strip().lower()] = value.strip()
    body = b""
    if headers.get("expect", "").lower() == "100-continue" and writer is not None:
        writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
    if "chunked" in headers.get("transfer-encoding", "").lower():
        chunks = []
        total = 0
        while True:
            size_line = await reader.readuntil(b"\r\n")
            size = int(size_line.split(b";")[0].strip() or b"0", 16)
            if size == 0:
                # trailers, up to the blank line
                while (await reader.readuntil(b"\r\n")) != b"\r\n":
                    pass
                break
            total += size
            if total > max_body:
                raise ValueError("body too large")
            chunks.append(await reader.readexactly(size))
            await reader.readexactly(2)
        body = b"".join(chunks)
    elif "content-length" in headers:
        n = int(headers["content-length"])
        if n < 0 or n > max_body:
            raise ValueError("bad content-length")
        body = await reader.readexactly(n)
    return HttpRequest(method, target, version, headers, body, getattr(reader, "fed_at", None))


def http_response(status, body=b"", headers=None, reason=None):
    """Bytes of a complete HTTP/1.1 response with Content-Length."""
    if isinstance(body, str):
        body = body.encode("utf-8")
    out = ["HTTP/1.1 %d %s" % (status, reason or REASONS.get(status, "Status"))]
    hdrs = list((headers or {}).items())
    if not any(k.lower() == "content-length" for k, _ in hdrs):
        hdrs.append(("Content-Length", str(len(body))))
    for k, v in hdrs:
        out.append("%s: %s" % (k, v))
    return ("\r\n".join(out) + "\r\n\r\n").encode("iso-8859-1") + body


# --- websocket handshake ----------------------------------------------------


def accept_key(key):
    digest = hashlib.sha1((key + GUID).encode("ascii")).digest()
    return base64.b64encode(digest).decode("ascii")


def is_websocket_upgrade(req):
    return (req.method == "GET"
            and "websocket" in req.header("upgrade", "").lower()
            and "upgrade" in req.header("connection", "").lower())


def upgrade_problem(req):
    """Why @req is not a valid RFC 6455 opening handshake, or None."""
    if req.method != "GET":
        return "method is not GET"
    if "websocket" not in req.header("upgrade", "").lower():
        return "no Upgrade: websocket"
    if "upgrade" not in req.header("connection", "").lower():
        return "no Connection: Upgrade"
    if req.header("sec-websocket-version") != "13":
        return "Sec-WebSocket-Version is not 13"
    key = req.header("sec-websocket-key", "")
    try:
        if len(base64.b64decode(key, validate=True)) != 16:
            return "Sec-WebSocket-Key is not 16 bytes"
    except ValueError:
        return "Sec-WebSocket-Key is not base64"
    return None


def upgrade_response(req, extra_headers=None):
    headers = {
        "Upgrade": "websocket",
        "Connection": "Upgrade",
        "Sec-WebSocket-Accept": accept_key(req.header("sec-websocket-key", "")),
    }
    headers.update(extra_headers or {})
    out = ["HTTP/1.1 101 Switching Protocols"]
    out += ["%s: %s" % kv for kv in headers.items()]
    return ("\r\n".join(out) + "\r\n\r\n").encode("iso-8859-1")


# --- frames -----------------------------------------------------------------


def encode_frame(opcode, payload=b"", fin=True, rsv=0, mask=False, length_override=None):
    """One frame.  @mask: False, True (random key) or a 4-byte key.

    @length_override writes a different length in the header than the payload
    has (for malformed-frame tests).
    """
    if isinstance(payload, str):
        payload = payload.encode("utf-8")
    n = len(payload) if length_override is None else length_override
    b0 = (0x80 if fin else 0) | ((rsv & 7) << 4) | (opcode & 0xF)
    mbit = 0x80 if mask else 0
    if n < 126:
        head = struct.pack("!BB", b0, mbit | n)
    elif n < 65536:
        head = struct.pack("!BBH", b0, mbit | 126, n)
    else:
        head = struct.pack("!BBQ", b0, mbit | 127, n)
    if mask:
        key = mask if isinstance(mask, (bytes, bytearray)) else os.urandom(4)
        head += key
        payload = apply_mask(payload, key)
    return head + payload


def apply_mask(data, key):
    if not data:
        return b""
    # XOR through int arithmetic: fast enough for megabytes in pure Python.
    n = len(data)
    k = (bytes(key) * (n // 4 + 1))[:n]
    return (int.from_bytes(data, "big") ^ int.from_bytes(k, "big")).to_bytes(n, "big")


def close_payload(code=None, reason=""):
    if code is None:
        return b""
    return struct.pack("!H", code) + reason.encode("utf-8")


class Frame:
    __slots__ = ("fin", "rsv", "opcode", "payload", "masked")

    def __init__(self, fin, rsv, opcode, payload, masked):
        self.fin = fin
        self.rsv = rsv
        self.opcode = opcode
        self.payload = payload
        self.masked = masked


class WebSocket:
    """One websocket endpoint over asyncio streams.

    client=False: a server endpoint (sends unmasked, requires masked frames).
    Hooks (set as attributes, all optional):
      on_ping(payload)  -> return False to suppress the automatic pong
      on_pong(payload)
      on_frame(frame)   every frame read, before handling
    """

    def __init__(self, reader, writer, client=False, max_message=64 * 1024 * 1024,
                 auto_pong=True):
        self.reader = reader
        self.writer = writer
        self.client = client
        self.max_message = max_message
        self.auto_pong = auto_pong
        self.on_ping = None
        self.on_pong = None
        self.on_frame = None
        self.close_sent = False
        self.close_received = None  # (code, reason) once a close frame came in
        self.closed = False
        self.muted = False  # a half-open socket: writes are silently dropped
        self.bytes_in = 0
        self.bytes_out = 0

    # -- output: every send writes whole frames at once, so messages from
    # several coroutines on one loop never interleave inside a message.

    def _write(self, data):
        if self.closed or self.muted or self.writer.is_closing():
            return False
        self.writer.write(data)
        self.bytes_out += len(data)
        return True

    def send_frame(self, opcode, payload=b"", fin=True, rsv=0, mask=None, length_override=None):
        if mask is None:
            mask = self.client
        return self._write(encode_frame(opcode, payload, fin, rsv, mask, length_override))

    def send_raw(self, data):
        return self._write(data)

    def send_text(self, text):
        return self.send_frame(OP_TEXT, text.encode("utf-8") if isinstance(text, str) else text)

    def send_binary(self, data):
        return self.send_frame(OP_BINARY, data)

    def send_fragments(self, data, size, opcode=OP_TEXT, ping_between=None):
        """One message as fragments of @size bytes; @ping_between: payload of a
        PING frame written between the first two fragments (RFC 6455 5.4)."""
        if isinstance(data, str):
            data = data.encode("utf-8")
        size = max(1, size)
        pieces = [data[i:i + size] for i in range(0, len(data), size)] or [b""]
        out = []
        for i, piece in enumerate(pieces):
            op = opcode if i == 0 else OP_CONT
            out.append(encode_frame(op, piece, fin=(i == len(pieces) - 1), mask=self.client))
            if i == 0 and ping_between is not None and len(pieces) > 1:
                out.append(encode_frame(OP_PING, ping_between, mask=self.client))
        return self._write(b"".join(out))

    def send_ping(self, payload=b""):
        return self.send_frame(OP_PING, payload)

    def send_pong(self, payload=b""):
        return self.send_frame(OP_PONG, payload)

    def send_close(self, code=1000, reason=""):
        if self.close_sent:
            return False
        self.close_sent = True
        return self.send_frame(OP_CLOSE, close_payload(code, reason))

    async def drain(self):
        try:
            await self.writer.drain()
        except (ConnectionError, OSError):
            pass

    def abort(self, rst=True):
        """Drops the TCP connection at once; with @rst a RST, not a FIN."""
        self.closed = True
        sock = self.writer.get_extra_info("socket")
        if rst and sock is not None:
            try:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            except OSError:
                pass
        self.writer.transport.abort()

    def close_tcp(self):
        """Closes the TCP connection without a close frame (a FIN)."""
        self.closed = True
        try:
            self.writer.close()
        except (ConnectionError, OSError):
            pass

    # -- input

    async def recv_frame(self):
        try:
            head = await self.reader.readexactly(2)
            b0, b1 = head[0], head[1]
            n = b1 & 0x7F
            if n == 126:
                n = struct.unpack("!H", await self.reader.readexactly(2))[0]
            elif n == 127:
                n = struct.unpack("!Q", await self.reader.readexactly(8))[0]
            masked = bool(b1 & 0x80)
            key = await self.reader.readexactly(4) if masked else None
            opcode = b0 & 0xF
            fin = bool(b0 & 0x80)
            rsv = (b0 >> 4) & 7
            if opcode >= 8 and (n > 125 or not fin):
                raise ProtocolError(1002, "bad control frame")
            if n > self.max_message:
                raise MessageTooBig(n, self.max_message)
            payload = await self.reader.readexactly(n) if n else b""
        except (asyncio.IncompleteReadError, ConnectionError, OSError):
            self.closed = True
            raise ConnectionClosed(None, "EOF")
        self.bytes_in += 2 + n
        if key is not None:
            payload = apply_mask(payload, key)
        if not self.client and not masked:
            raise ProtocolError(1002, "unmasked client frame")
        if self.client and masked:
            raise ProtocolError(1002, "masked server frame")
        if rsv:
            raise ProtocolError(1002, "reserved bits set")
        if opcode not in (OP_CONT, OP_TEXT, OP_BINARY, OP_CLOSE, OP_PING, OP_PONG):
            raise ProtocolError(1002, "unknown opcode %d" % opcode)
        return Frame(fin, rsv, opcode, payload, masked)

    async def recv(self):
        """Returns (opcode, bytes) of the next whole data message.

        Answers pings, reports pongs through the hooks, answers a close frame
        and raises ConnectionClosed.
        """
        parts = []
        first_op = None
        total = 0
        while True:
            f = await self.recv_frame()
            if self.on_frame is not None:
                self.on_frame(f)
            if f.opcode == OP_PING:
                want = self.on_ping(f.payload) if self.on_ping is not None else None
                if self.auto_pong and want is not False:
                    self.send_pong(f.payload)
                continue
            if f.opcode == OP_PONG:
                if self.on_pong is not None:
                    self.on_pong(f.payload)
                continue
            if f.opcode == OP_CLOSE:
                code = struct.unpack("!H", f.payload[:2])[0] if len(f.payload) >= 2 else None
                reason = f.payload[2:].decode("utf-8", "replace")
                self.close_received = (code, reason)
                if not self.close_sent:
                    self.send_close(code if code is not None else 1000)
                    await self.drain()
                raise ConnectionClosed(code, reason)
            if f.opcode == OP_CONT:
                if first_op is None:
                    raise ProtocolError(1002, "continuation without a message")
            else:
                if first_op is not None:
                    raise ProtocolError(1002, "new message inside a fragmented one")
                first_op = f.opcode
            total += len(f.payload)
            if total > self.max_message:
                raise MessageTooBig(total, self.max_message)
            parts.append(f.payload)
            if f.fin:
                return first_op, b"".join(parts)


async def ws_connect(host, port, path, headers=None, timeout=10, ssl=None):
    """Client handshake.  Returns (status, headers, WebSocket or None).

    On a non-101 answer the body is read and returned in headers["_body"].
    @ssl: an ssl.SSLContext for wss.
    """
    reader, writer = await asyncio.wait_for(
        asyncio.open_connection(host, port, ssl=ssl, server_hostname=host if ssl else None),
        timeout)
    key = base64.b64encode(os.urandom(16)).decode("ascii")
    lines = ["GET %s HTTP/1.1" % path, "Host: %s:%d" % (host, port), "Upgrade: websocket",
             "Connection: Upgrade", "Sec-WebSocket-Key: %s" % key, "Sec-WebSocket-Version: 13"]
    lines += ["%s: %s" % kv for kv in (headers or {}).items()]
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("iso-8859-1"))
    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), timeout)
    text = head.decode("iso-8859-1").split("\r\n")
    status = int(text[0].split(" ")[1])
    hdrs = {}
    for line in text[1:]:
        if line:
            k, _, v = line.partition(":")
            hdrs[k.strip().lower()] = v.strip()
    if status != 101:
        n = int(hdrs.get("content-length", "0"))
        hdrs["_body"] = await reader.readexactly(n) if n else b""
        writer.close()
        return status, hdrs, None
    if hdrs.get("sec-websocket-accept") != accept_key(key):
        writer.close()
        raise ProtocolError(1002, "bad Sec-WebSocket-Accept")
    return status, hdrs, WebSocket(reader, writer, client=True)
