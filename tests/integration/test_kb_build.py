"""test_kb_build.py - `valuesbot kb build` as a content owner runs it.

Every bad input gets one clear line, exit status 2 and no KB file; a page
fetched from a URL (a loopback server started here, stopped by its PID)
builds like the file it serves.  Fixtures are our own, under tests/data.
"""

import json
import os
import shutil
import signal
import subprocess
import tempfile
import unittest

BIN = os.environ.get("VALUESBOT_BIN", "build/valuesbot")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HTML = "tests/data/kb_html/strategy-nhsuk.html"
PDF = "tests/data/kb_pdf/running-header.pdf"


def env():
    return {k: v for k, v in os.environ.items()
            if not k.startswith(("VALUESBOT_", "SLACK_", "MATTERMOST_"))}


class KbBuild(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = subprocess.Popen(
            ["python3", os.path.join(ROOT, "tests/integration/kb_server.py"), ROOT],
            stdout=subprocess.PIPE, text=True)
        cls.port = int(cls.server.stdout.readline())

    @classmethod
    def tearDownClass(cls):
        os.kill(cls.server.pid, signal.SIGTERM)
        cls.server.wait(timeout=10)
        cls.server.stdout.close()

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="valuesbot-kb-build-")
        self.out = os.path.join(self.dir, "out.json")

    def tearDown(self):
        shutil.rmtree(self.dir)

    def url(self, path):
        return "http://127.0.0.1:%d%s" % (self.port, path)

    def write(self, name, data):
        path = os.path.join(self.dir, name)
        with open(path, "wb") as f:
            f.write(data)
        return path

    def build(self, *sources, extra=()):
        return subprocess.run([BIN, "kb", "build", *sources, "--org", "evt", "--name",
                               "Example Valley NHS Trust", "-o", self.out, *extra],
                              cwd=ROOT, env=env(), capture_output=True, text=True,
                              timeout=120)

    def fails(self, sources, *words):
        r = self.build(*sources)
        self.assertEqual(r.returncode, 2, r.stderr)
        lines = [l for l in r.stderr.splitlines() if l.startswith("valuesbot:")]
        self.assertEqual(len(lines), 1, r.stderr)
        for w in words:
            self.assertIn(w, lines[0])
        self.assertEqual([n for n in os.listdir(self.dir) if n.startswith("out.json")], [],
                         "a KB file, or part of one, was written")

    def kb(self):
        with open(self.out) as f:
            return json.load(f)

    # -- files --

    def test_html_file_builds_and_reports(self):
        r = self.build(HTML)
        self.assertEqual(r.returncode, 0, r.stderr)
        kb = self.kb()
        self.assertEqual([v["name"] for v in kb["values"]], ["Kindness", "Courage"])
        self.assertEqual(len(kb["goals"]), 3)
        self.assertIn("values", r.stderr)  # the builder's report

    def test_several_sources_make_one_kb_naming_both(self):
        r = self.build(HTML, PDF)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("strategy-nhsuk.html", self.kb()["doc"])
        self.assertIn("running-header.pdf", self.kb()["doc"])

    def test_meta_file_still_works(self):
        meta = self.write("m.json", json.dumps(
            {"org": "evt", "name": "Example Valley NHS Trust"}).encode())
        r = subprocess.run([BIN, "kb", "build", HTML, "--meta", meta, "-o", self.out],
                           cwd=ROOT, env=env(), capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_empty_file(self):
        self.fails([self.write("e.html", b"")], "empty")

    def test_binary_file(self):
        self.fails([self.write("b.bin", bytes(range(256)) * 8)], "binary")

    def test_huge_file(self):
        self.fails([self.write("h.txt", b"a" * (5 << 20))], "limit")

    def test_truncated_pdf(self):
        with open(os.path.join(ROOT, PDF), "rb") as f:
            data = f.read()
        self.fails([self.write("t.pdf", data[:400])], "PDF")

    def test_text_that_is_not_utf8(self):
        self.fails([self.write("l.txt", "Our values\ncaf\u00e9\n".encode("latin-1"))],
                   "UTF-8")

    def test_html_that_is_all_script(self):
        self.fails(["tests/data/kb_html/all-script.html"], "scripts")

    def test_pdf_without_text(self):
        self.fails(["tests/data/kb_pdf/no-text.pdf"], "no text layer")

    def test_page_with_nothing_recognisable(self):
        self.fails([self.write("n.html", b"<html><body><p>Welcome to our website.</p>"
                               b"</body></html>")], "found no")

    def test_missing_file(self):
        self.fails([os.path.join(self.dir, "absent.html")], "absent.html")

    def test_bad_second_source_writes_nothing(self):
        self.fails([HTML, self.write("e.pdf", b"")], "empty")

    def test_pdftotext_missing(self):
        e = env()
        e["PATH"] = self.dir  # no pdftotext there
        r = subprocess.run([os.path.abspath(os.path.join(ROOT, BIN)) if not os.path.isabs(BIN)
                            else BIN, "kb", "build", PDF, "--org", "evt", "--name", "E",
                            "-o", self.out], cwd=ROOT, env=e, capture_output=True, text=True,
                           timeout=60)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("pdftotext", r.stderr)
        self.assertIn("poppler-utils", r.stderr)
        self.assertFalse(os.path.exists(self.out))

    # -- URLs --

    def test_url_builds_like_the_file(self):
        r = self.build(self.url("/page.html"))
        self.assertEqual(r.returncode, 0, r.stderr)
        kb = self.kb()
        self.assertEqual([v["name"] for v in kb["values"]], ["Kindness", "Courage"])
        self.assertIn(self.url("/page.html"), kb["doc"])

    def test_url_pdf(self):
        r = self.build(self.url("/doc.pdf"))
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_url_redirect_is_followed_and_said(self):
        r = self.build(self.url("/moved"))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("redirected to " + self.url("/page.html"), r.stderr)

    def test_url_charset_from_the_server(self):
        r = subprocess.run([BIN, "kb", "blocks", self.url("/latin")], cwd=ROOT, env=env(),
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("caf\u00e9 kindness \u2013 and respect", r.stdout)

    def test_url_text_in_another_charset(self):
        r = subprocess.run([BIN, "kb", "blocks", self.url("/latin.txt")], cwd=ROOT, env=env(),
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("Kindness \u2013 we care", r.stdout)

    def test_url_not_found(self):
        self.fails([self.url("/missing")], "404")

    def test_url_redirect_to_sign_in(self):
        self.fails([self.url("/private")], "sign-in")

    def test_url_redirect_loop(self):
        self.fails([self.url("/loop")], "redirects")

    def test_url_not_a_page(self):
        self.fails([self.url("/image")], "image/png")

    def test_url_empty(self):
        self.fails([self.url("/empty")], "empty")

    def test_url_too_big(self):
        self.fails([self.url("/big")], "limit")

    def test_url_dns(self):
        self.fails(["https://no-such-host.invalid/strategy"], "DNS")

    def test_url_refused(self):
        self.fails(["https://127.0.0.1:1/"], "connect")

    def test_plain_http_off_loopback(self):
        self.fails(["http://example.org/strategy"], "https://")


if __name__ == "__main__":
    unittest.main()
