"""replytrace.py - where a reply's time goes, from the bot's VALUESBOT_TRACE file.

With VALUESBOT_TRACE=PATH the bot's outbox appends one line per posted part
(bot/adapters/outbox.c): the event id and, on CLOCK_MONOTONIC in
microseconds, when the question's frame arrived (received), the core had the
reply (answered), it reached the outbox (queued), its request was handed to
HTTP (started), written (sent: curl's pretransfer), the answer began
(first_byte) and was read (done).  Python's time.monotonic() reads the same
clock, so a bench joins these with its fake's own times: when the fake wrote
the question's frame, and when it had parsed the post.

The stages of one reply, in milliseconds:
  wire_in     the fake wrote the frame -> the bot had it (loopback, kernel,
              libwebsockets)
  core        received -> answered: the frame's parse, the ack (Slack answers
              only after its ack is written), the core's answer
  render      answered -> queued: the adapter's rendering of the reply
  wait        queued -> started: pacing and the wait for a request slot
  http_out    started -> sent: curl's turn and the request written
  fake_read   sent -> the fake had parsed the post (the fake's own queue)
and three sums: in_process (received -> sent: the bot's own time, which the
machine's load inflates least), bot_work (in_process less wait: the bot's
time working on the reply, without its time queued for a request slot, which
with many replies in flight is the server's pace, not the bot's) and to_wire
(the fake wrote the frame -> the bot wrote the post: the issue's "mention to
post received", less the fake's own reading).

With N replies in flight in a closed loop (a new question as each answer
arrives), Little's law makes the mean latency N / (replies per second),
whichever side is slowest: little() says how much of it the bot's CPU per
reply and how much the fake's would allow alone.
"""

import os

import memstat

STAGES = ("wire_in", "core", "render", "wait", "http_out", "fake_read",
          "in_process", "bot_work", "to_wire", "end_to_end")


def read(path):
    """Returns {event id: fields of its first part's line} from the trace at @path."""
    out = {}
    if not os.path.exists(path):
        return out
    with open(path) as f:
        for line in f:
            rec = {}
            for kv in line.split():
                k, _, v = kv.partition("=")
                rec[k] = v
            if rec.get("part") != "0" or "event" not in rec:
                continue
            for k in ("received", "answered", "queued", "started", "sent", "first_byte",
                      "done", "delay_ms"):
                rec[k] = int(rec.get(k, "0"))
            out.setdefault(rec["event"], rec)
    return out


def stages(rec, frame_sent, post_seen):
    """The stages of one reply in ms (see above): @rec from read(), @frame_sent
    and @post_seen on time.monotonic() (None: unknown).  A stage whose ends are
    not both known is left out."""
    us = {k: rec[k] / 1e6 for k in ("received", "answered", "queued", "started", "sent")
          if rec.get(k)}
    marks = [("frame", frame_sent), ("received", us.get("received")),
             ("answered", us.get("answered")), ("queued", us.get("queued")),
             ("started", us.get("started")), ("sent", us.get("sent")), ("seen", post_seen)]
    at = dict(marks)
    pairs = {"wire_in": ("frame", "received"), "core": ("received", "answered"),
             "render": ("answered", "queued"), "wait": ("queued", "started"),
             "http_out": ("started", "sent"), "fake_read": ("sent", "seen"),
             "in_process": ("received", "sent"), "to_wire": ("frame", "sent"),
             "end_to_end": ("frame", "seen")}
    res = {}
    for name, (a, b) in pairs.items():
        if at.get(a) is not None and at.get(b) is not None:
            res[name] = (at[b] - at[a]) * 1e3
    if "in_process" in res and "wait" in res:
        res["bot_work"] = res["in_process"] - res["wait"]
    return res


def collect(acc, trace, event_id, frame_sent, post_seen):
    """Adds the stages of @event_id's reply to @acc ({stage: [ms]}); False when
    the trace has no line for it."""
    rec = trace.get(event_id)
    if rec is None:
        return False
    for k, v in stages(rec, frame_sent, post_seen).items():
        acc.setdefault(k, []).append(v)
    return True


def table(acc, title):
    """Lines giving p50 / p99 / max of each stage in @acc."""
    lines = ["  %s (ms, p50 / p99 / max, %d replies traced):"
             % (title, len(acc.get("end_to_end", acc.get("in_process", []))))]
    for k in STAGES:
        xs = acc.get(k)
        if xs:
            lines.append("    %-11s %8.3f %8.3f %8.3f" % (k, memstat.percentile(xs, 50),
                                                        memstat.percentile(xs, 99), max(xs)))
    return lines


def summary(acc):
    """{stage: {p50, p99, max}} for JSON output."""
    return {k: {"p50": memstat.percentile(xs, 50), "p99": memstat.percentile(xs, 99),
                "max": max(xs)} for k, xs in acc.items() if xs}


def little(inflight, rate, bot_us, fake_frac, mean_ms):
    """Little's law on a loop of about @inflight replies at @rate replies/s
    with a mean latency of @mean_ms: the replies in flight on average are
    rate x mean (below @inflight when the sender, starved, kept fewer out).
    Each side alone would allow a mean of that many times its own time per
    reply: the bot's CPU per reply (@bot_us), the fake's (its share of a core,
    @fake_frac, over the rate).  The larger is the limit; the rest of the
    mean is waiting for the machine (other processes on its cores)."""
    fake_us = fake_frac / rate * 1e6 if rate > 0 else float("nan")
    held = rate * mean_ms / 1e3
    return {"inflight": inflight, "rate": rate, "mean_ms": mean_ms, "held": held,
            "bot_us": bot_us, "bot_bound_ms": held * bot_us / 1e3,
            "fake_us": fake_us, "fake_bound_ms": held * fake_us / 1e3,
            "fake_cpu_pct": 100 * fake_frac}


def little_line(inflight, lt, fake):
    return ("Little's law: %.0f replies/s x mean %.1f ms = %.1f in flight on average (of "
            "%d sent); at that many, the bot's CPU per reply (%.0f us) alone would make a "
            "mean of %.1f ms, %s (%.0f%% of a core, %.0f us a reply) %.1f ms"
            % (lt["rate"], lt["mean_ms"], lt["held"], inflight, lt["bot_us"],
               lt["bot_bound_ms"], fake, lt["fake_cpu_pct"], lt["fake_us"],
               lt["fake_bound_ms"]))
