"""slackbot.py - run the real valuesbot against tests/fakes/fake_slack.py.

Shared by tests/integration/test_slack.py and tests/bench/bench_slack.py.
The binary is $VALUESBOT_BIN (default build/valuesbot).  Every bot runs in its
own temporary directory with only the environment it needs, and is stopped
by its PID.
"""

import html
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(REPO, "tests", "fakes"))
import fake_slack  # noqa: E402,F401

BIN = os.path.abspath(os.environ.get("VALUESBOT_BIN", os.path.join(REPO, "build", "valuesbot")))
KB = os.path.join(REPO, "knowledge")

SANITIZER_REPORT = re.compile(
    r"ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error:|"
    r"SUMMARY: (Address|Undefined|Leak)Sanitizer")
SPECIAL_MENTION = re.compile(r"<!(channel|here|everyone|group|subteam)", re.I)


def has_run_command():
    """True when the binary exists and its usage lists `run`."""
    if not os.path.exists(BIN):
        return False
    p = subprocess.run([BIN, "--help"], capture_output=True, text=True, timeout=30)
    return re.search(r"^\s*run\b", p.stdout + p.stderr, re.M) is not None


_ask_cache = {}


def ask(org, question):
    """The engine's answer through `valuesbot ask --json` (same KB as the bot)."""
    key = (org, question)
    if key not in _ask_cache:
        p = subprocess.run([BIN, "ask", "--org", org, "--kb", KB, "--json", question],
                           capture_output=True, text=True, timeout=60)
        if p.returncode != 0:
            raise RuntimeError(f"valuesbot ask failed ({p.returncode}): {p.stderr}")
        _ask_cache[key] = json.loads(p.stdout)
    return _ask_cache[key]


def _strings(obj):
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict):
        for k, v in obj.items():
            if k in ("text", "alt_text", "title") or isinstance(v, (dict, list)):
                yield from _strings(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from _strings(v)


def reply_markup(obj):
    """All text a reply carries (text and every text inside blocks), as sent."""
    if obj is None:
        return ""
    if isinstance(obj, str):
        return obj
    parts = []
    if isinstance(obj.get("text"), str):
        parts.append(obj["text"])
    if obj.get("blocks") is not None:
        parts.extend(_strings(obj["blocks"]))
    return "\n".join(parts)


def words(markup):
    """Words of a Slack mrkdwn text as a reader sees them: links show their
    label, the three entities are decoded, formatting marks vanish."""
    s = re.sub(r"<([^<>|]*)\|([^<>]*)>", r"\2", markup)
    s = re.sub(r"<(https?://[^<>]*)>", r"\1", s)
    s = s.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    s = s.replace("\u2019", "'")
    return re.findall(r"[0-9a-z']+", s.lower())


def contains_in_order(needle, hay):
    it = iter(hay)
    return all(w in it for w in needle)


def post_body(post):
    return post["body"] if isinstance(post.get("body"), dict) else {}


class Bot:
    """The real binary, `valuesbot run`, as a child process."""

    def __init__(self, fake, org="tewv", config=None, extra_env=None, log_level="debug"):
        self.fake = fake
        self.dir = tempfile.mkdtemp(prefix="slackfake-it-")
        env = {k: v for k, v in os.environ.items()
               if k in ("PATH", "LANG", "LC_ALL", "TZ") or k.endswith("SAN_OPTIONS")}
        env.setdefault("ASAN_OPTIONS", "detect_leaks=1")
        env.setdefault("UBSAN_OPTIONS", "print_stacktrace=1")
        env.update({
            "HOME": self.dir,
            "SLACK_APP_TOKEN": fake.app_token,
            "SLACK_BOT_TOKEN": fake.bot_token,
            "SLACK_API_URL": fake.api_url,
            "VALUESBOT_ORG": org,
            "VALUESBOT_KB": KB,
            "VALUESBOT_DB": os.path.join(self.dir, "valuesbot.db"),
            "VALUESBOT_HTTP": "127.0.0.1:0",  # the log says which port
            "VALUESBOT_LOG_LEVEL": log_level,
        })
        if config is not None:
            path = os.path.join(self.dir, "config.json")
            with open(path, "w") as f:
                json.dump(config, f)
            env["VALUESBOT_CONFIG"] = path
        env.update(extra_env or {})
        self.env = env
        self.proc = None
        self.returncode = None

    def start(self):
        self.out = open(os.path.join(self.dir, "stdout.log"), "wb")
        self.err = open(os.path.join(self.dir, "stderr.log"), "wb")
        # Read through handles opened now: the log survives its directory.
        self.out_r = open(os.path.join(self.dir, "stdout.log"), "rb")
        self.err_r = open(os.path.join(self.dir, "stderr.log"), "rb")
        self.proc = subprocess.Popen([BIN, "run"], env=self.env, cwd=self.dir,
                                     stdin=subprocess.DEVNULL, stdout=self.out, stderr=self.err)
        self.started_at = time.monotonic()
        return self

    @property
    def pid(self):
        return self.proc.pid

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def signal(self, sig):
        if self.alive():
            os.kill(self.proc.pid, sig)

    def stop(self, timeout=20.0):
        """SIGTERM, then wait; SIGKILL (by PID) if it does not exit.  Returns
        the exit status, or None if it had to be killed."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)
                self.returncode = None
                self._close_files()
                return None
        self.returncode = self.proc.returncode
        self._close_files()
        return self.returncode

    def _close_files(self):
        for f in (self.out, self.err):  # the read handles stay for log()
            if not f.closed:
                f.close()

    def log(self):
        """Everything the bot wrote so far, stderr then stdout."""
        if self.proc is None:
            return ""
        text = ""
        for f in (self.err_r, self.out_r):
            f.seek(0)
            text += f.read().decode("utf-8", "replace")
        return text

    def cleanup(self):
        """Stops the bot if needed, closes its logs and removes its directory."""
        self.stop()
        for f in (getattr(self, "out_r", None), getattr(self, "err_r", None)):
            if f is not None and not f.closed:
                f.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    def http_port(self, timeout=20.0):
        """The port of the health and metrics listener, from the log line."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            m = re.search(r"http: listening on \S+:(\d+) ", self.log())
            if m:
                return int(m.group(1))
            if not self.alive():
                break
            time.sleep(0.02)
        raise AssertionError("no listener in the log:\n" + self.log()[-2000:])

    def cpu_ticks(self):
        """utime + stime of the process, in clock ticks (/proc/PID/stat)."""
        with open(f"/proc/{self.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])

    def status(self, key):
        with open(f"/proc/{self.pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return line.split(":", 1)[1].strip()
        return None
