"""sdknode.py - what tests/fakes/*-check/check.py share: where the pinned npm
packages of a check are (scripts/install-deps.sh puts them in
build/sdk-deps/<check>/node_modules; `npm ci` in the check's own directory
works too), a free port, and the ok/FAIL lines."""

import os
import socket

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))


def node_env(check_dir, env=None):
    """os.environ (or @env) with NODE_PATH set to @check_dir's node_modules;
    exits with a hint when the packages are not installed."""
    name = os.path.basename(os.path.normpath(check_dir))
    for mods in (os.path.join(ROOT, "build", "sdk-deps", name, "node_modules"),
                 os.path.join(check_dir, "node_modules")):
        if os.path.isdir(mods):
            env = dict(os.environ if env is None else env)
            env["NODE_PATH"] = mods
            return env
    raise SystemExit(f"{name}: its npm packages are not installed: run scripts/install-deps.sh "
                     f"(or npm ci in {check_dir})")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


class Checks:
    """Prints one ok/FAIL line per expectation and counts the failures."""

    def __init__(self):
        self.problems = []

    def expect(self, what, got, want, one_of=False):
        ok = got in want if one_of else got == want
        print(f"{'ok  ' if ok else 'FAIL'} {what}: {got!r}")
        if not ok:
            self.problems.append(what)
        return ok
