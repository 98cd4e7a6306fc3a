"""kb_server.py - a loopback web server for test_kb_build.py.

Run as `python3 kb_server.py ROOT`; prints its port on the first line of
stdout, then serves until killed.  ROOT is the repository root; the pages
are our own fixtures under tests/data.  Routes:

  /page.html      an NHS.UK-style strategy page (text/html; charset=utf-8)
  /doc.pdf        a PDF (application/pdf)
  /latin          a page without <meta charset>, sent as windows-1252
  /latin.txt      plain text sent as windows-1252
  /moved          302 to /page.html
  /private        302 to /login?next=/private (a sign-in page)
  /loop           302 to /loop
  /missing        404
  /image          image/png
  /empty          200 with no body
  /big            9 MiB of text/html
"""

import http.server
import os
import sys

ROOT = sys.argv[1]


def fixture(path):
    with open(os.path.join(ROOT, path), "rb") as f:
        return f.read()


LATIN = ("<html><head><title>Values</title></head><body><main>"
         "<h1>Our values</h1><p>Our values are caf\u00e9 kindness \u2013 and respect.</p>"
         "</main></body></html>").encode("cp1252")


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def send(self, status, ctype, body, headers=()):
        self.send_response(status)
        if ctype:
            self.send_header("Content-Type", ctype)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except ConnectionError:
            pass  # the client stopped reading at its size cap

    def do_GET(self):
        p = self.path
        if p == "/page.html":
            self.send(200, "text/html; charset=utf-8",
                      fixture("tests/data/kb_html/strategy-nhsuk.html"))
        elif p == "/doc.pdf":
            self.send(200, "application/pdf", fixture("tests/data/kb_pdf/running-header.pdf"))
        elif p == "/latin":
            self.send(200, "text/html; charset=windows-1252", LATIN)
        elif p == "/latin.txt":
            self.send(200, "text/plain; charset=windows-1252",
                      "Our values\n\nKindness \u2013 we care\n".encode("cp1252"))
        elif p == "/moved":
            self.send(302, "text/html", b"", [("Location", "/page.html")])
        elif p == "/private":
            self.send(302, "text/html", b"", [("Location", "/login?next=/private")])
        elif p == "/loop":
            self.send(302, "text/html", b"", [("Location", "/loop")])
        elif p == "/image":
            self.send(200, "image/png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
        elif p == "/empty":
            self.send(200, "text/html", b"")
        elif p == "/big":
            self.send(200, "text/html", b"<p>" + b"a" * (9 << 20))
        else:
            self.send(404, "text/html", b"<h1>Not found</h1>")


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
