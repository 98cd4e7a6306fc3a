"""memstat.py - a process's memory, split into what it owns and what it shares.

Shared by the bench_*.py scripts (with percentile(), their one interpolated percentile).  All figures are in MB
(1024 * 1024 bytes), read from /proc/PID/status and /proc/PID/smaps:

  rss       VmRSS: every page mapped into the process
  peak_rss  VmHWM: the highest VmRSS so far
  pss       RSS with each shared page divided by the number of processes
            mapping it (smaps_rollup Pss; depends on what else runs)
  anon      anonymous pages (smaps_rollup Anonymous): memory the process owns
    heap    ... of which malloc'd memory, by our code and by the libraries
            ([heap], unnamed mappings, stacks)
    libdata ... of which the writable data of the binary and its shared
            libraries, once relocated (private copies)
  file      file-backed pages (status RssFile): shared-library code and
            read-only data, shared with every process that maps the same files
  libs      the files with the most file-backed pages, {basename: MB}
"""

import os
import statistics
import time


def _kb_fields(path):
    out = {}
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 3 and parts[-1] == "kB":
                out[parts[0].rstrip(":")] = int(parts[1])
    return out


def snapshot(pid, top_libs=6):
    """The figures above for @pid, as a dict of floats (MB)."""
    st = _kb_fields("/proc/%d/status" % pid)
    roll = _kb_fields("/proc/%d/smaps_rollup" % pid)
    heap = libdata = 0
    libs = {}
    name = None
    with open("/proc/%d/smaps" % pid) as f:
        for line in f:
            head = line.split(None, 5)
            if "-" in head[0] and not head[0].endswith(":"):
                name = head[5].strip() if len(head) > 5 else ""
                continue
            if head[0] == "Anonymous:":
                if name == "" or name.startswith("["):
                    heap += int(head[1])
                else:
                    libdata += int(head[1])
            elif head[0] == "Rss:" and name.startswith("/"):
                base = os.path.basename(name)
                libs[base] = libs.get(base, 0) + int(head[1])
            if head[0] == "Anonymous:" and name.startswith("/"):
                base = os.path.basename(name)
                libs[base] = libs.get(base, 0) - int(head[1])
    mb = 1024.0
    top = sorted(libs.items(), key=lambda kv: -kv[1])[:top_libs]
    return {
        "rss": st.get("VmRSS", 0) / mb,
        "peak_rss": st.get("VmHWM", 0) / mb,
        "pss": roll.get("Pss", 0) / mb,
        "anon": roll.get("Anonymous", 0) / mb,
        "heap": heap / mb,
        "libdata": libdata / mb,
        "file": st.get("RssFile", 0) / mb,
        "private": (roll.get("Private_Clean", 0) + roll.get("Private_Dirty", 0)) / mb,
        "libs": {k: round(v / mb, 2) for k, v in top},
    }


def rss_mb(pid):
    """Current RSS of @pid in MB, from /proc/PID/statm (cheap enough to poll)."""
    with open("/proc/%d/statm" % pid) as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1048576.0


class PeakRss:
    """The largest RSS of a process seen while a bench waits on it.

    The kernel updates VmHWM lazily, and pages handed back with madvise()
    are not counted in it, so the benches sample RSS as they wait: the one
    sampling loop of bench_slack.py and bench_mattermost.py.  peak() is the
    larger of what was sampled and VmHWM."""

    def __init__(self, pid):
        self.pid = pid
        self.mb = 0.0

    def sample(self):
        try:
            self.mb = max(self.mb, rss_mb(self.pid))
        except OSError:
            pass
        return self.mb

    def wait(self, pred, timeout, interval=0.005):
        """Samples every @interval s until @pred() is true (True) or
        @timeout s pass (False)."""
        deadline = time.monotonic() + timeout
        while True:
            self.sample()
            if pred():
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(interval)

    def peak(self):
        self.sample()
        return max(self.mb, _kb_fields("/proc/%d/status" % self.pid).get("VmHWM", 0) / 1024.0)


KEYS = ("rss", "peak_rss", "pss", "anon", "heap", "libdata", "file", "private")


def medians(snaps):
    """{key: (median, min, max)} over a list of snapshot() dicts."""
    return {k: (statistics.median(s[k] for s in snaps), min(s[k] for s in snaps),
                max(s[k] for s in snaps)) for k in KEYS}


def describe(m, key):
    """'median MB (min to max)' for one key of medians()."""
    med, lo, hi = m[key]
    if len(set((round(lo, 1), round(hi, 1)))) == 1:
        return "%.1f MB" % med
    return "%.1f MB (%.1f to %.1f)" % (med, lo, hi)


def split_line(m):
    """One line: RSS = own (heap + library data) + shared library files."""
    return ("RSS %s = own %s (heap %s, libraries' data %s) + library files %s; PSS %s"
            % (describe(m, "rss"), describe(m, "anon"), describe(m, "heap"),
               describe(m, "libdata"), describe(m, "file"), describe(m, "pss")))


def percentile(xs, p):
    """The @p-th percentile (0-100) of @xs, interpolated between ranks; nan if empty."""
    if not xs:
        return float("nan")
    xs = sorted(xs)
    k = (len(xs) - 1) * p / 100.0
    lo = int(k)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)
