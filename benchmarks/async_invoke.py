"""Speed benchmark of asynchronous invocation: a retry schedule, and event throughput.

    .venv/bin/python benchmarks/async_invoke.py           # defaults: --events 1000 --schedules 20
    .venv/bin/python benchmarks/async_invoke.py --check   # exit 1 when a target is missed

The function under test fails twice and then succeeds, so every event takes the whole default
schedule: a first attempt on the async engine's background threads, a retry 60 s later and a
last one 120 s after that, both timers on the lab's virtual clock.

1. schedule   -- one event at a time: ``Invoke(InvocationType="Event")``, ``lab.settle()``
   (the first attempt), ``lab.advance(minutes=3)`` (the two retries). Wall time of the three,
   a fresh event per round, interleaved round by round with three synchronous invokes of a
   no-op function (the baseline: the same three function runs, without the queue and clock).
   Target: median < 0.5 s.
2. throughput -- N events (``--events``, default 1,000) accepted back to back, then
   ``lab.settle()`` and ``lab.advance(minutes=3)``: wall time from the first accept until all
   N events have the outcome "succeeded"; vs N synchronous invokes of the no-op function
   measured in the same run (half before the async batch, half after). The comparison is per
   function run: each event is three attempts, each attempt runs the function once, as one
   synchronous invoke does. Target: async attempts/s >= 0.5 x sync invokes/s.

Every event is checked: outcome "succeeded" after exactly three attempts (error, error, ok),
the second at least 60 s and the third at least 120 s after the one before on the virtual
clock, and the handler's own count of its runs for that request id is 3.

``lab.advance(minutes=3)`` right after ``lab.settle()`` can stop short of a third attempt:
each retry falls due its delay after the previous attempt *ended*, and the clock moves with
real time while an attempt runs, so the schedule spans 180 s plus the attempts' own run time
(under a millisecond), counted from the first attempt's end rather than from the ``advance``
call. The script counts the events ``advance(minutes=3)`` left unfinished, then finishes them
with ``lab.advance(seconds=1)`` steps, inside the timing, and reports both.

Prints a table and, last, one line ``BENCH {json}`` with every number. Loopback only.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench_stats import ms, summary, timed, verdict

SCHEDULE_TARGET_S = 0.5
THROUGHPUT_TARGET_RATIO = 0.5
RETRY_DELAYS = (60.0, 120.0)  # AWS's default schedule for function errors
WARMUP_SYNC = 20
WARMUP_SCHEDULES = 2
WARMUP_EVENTS = 50
MAX_EXTRA_SECONDS = 60
NOOP = "def handler(e, c):\n    return None\n"
# The attempt count lives in a directory shared by every execution environment of the
# function (not module globals or /tmp): the async engine runs first attempts on several
# threads at once, so one event's attempts can land in different environments.
FLAKY = """\
import os

COUNTS = os.environ["BENCH_ATTEMPTS_DIR"]


def handler(event, context):
    path = os.path.join(COUNTS, context.aws_request_id)
    try:
        with open(path) as f:
            n = int(f.read())
    except FileNotFoundError:
        n = 0
    n += 1
    with open(path, "w") as f:
        f.write(str(n))
    if n <= 2:
        raise RuntimeError(f"attempt {n} fails on purpose")
    return {"attempt": n}
"""


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=1000,
                        help="asynchronous events in the throughput batch, and synchronous "
                             "invokes in its baseline (default 1000)")
    parser.add_argument("--schedules", type=int, default=20,
                        help="rounds of the one-event retry schedule (default 20)")
    parser.add_argument("--check", action="store_true",
                        help="exit 1 if a target is missed (schedule median < 0.5 s, "
                             "async attempts/s >= 0.5 x sync invokes/s)")
    args = parser.parse_args(argv)
    if args.events < 2 or args.schedules < 1:
        parser.error("--events must be at least 2 and --schedules at least 1")
    return args


# ---------------------------------------------------------------------------------------
# statistics










# ---------------------------------------------------------------------------------------
# fixtures


def create_function(lam: Any, name: str, role: str, code: bytes,
                    variables: dict[str, str] | None = None) -> None:
    lam.create_function(FunctionName=name, Runtime="python3.11", Role=role,
                        Handler="app.handler", Code={"ZipFile": code}, Timeout=30,
                        Environment={"Variables": variables or {}})


def invoke_sync(lam: Any, name: str) -> None:
    response = lam.invoke(FunctionName=name, Payload=b"{}")
    payload = response["Payload"].read()
    if response.get("FunctionError") or payload != b"null":
        raise RuntimeError(f"invoke {name} failed: {response.get('FunctionError')} {payload!r}")


def invoke_event(lam: Any, name: str, payload: bytes) -> None:
    response = lam.invoke(FunctionName=name, InvocationType="Event", Payload=payload)
    response["Payload"].read()
    if response["StatusCode"] != 202:
        raise RuntimeError(f"Event invoke of {name} answered {response['StatusCode']}")


def finish(lab: Any, batch: list[Any]) -> tuple[int, int]:
    """After ``lab.advance(minutes=3)``: how many events of ``batch`` it left unfinished, and
    the virtual seconds (1 s steps) it then takes to finish them, so the run can go on."""
    unfinished = sum(1 for e in batch if e.outcome is None)
    extra = 0
    while any(e.outcome is None for e in batch):
        if extra >= MAX_EXTRA_SECONDS:
            raise RuntimeError(f"{unfinished} events still unfinished {extra} s after "
                               "lab.advance(minutes=3)")
        lab.advance(seconds=1)
        extra += 1
    return unfinished, extra


class Checker:
    """Checks that events took the default schedule and succeeded on the third attempt."""

    def __init__(self, counts: Path) -> None:
        self.counts = counts
        self.overshoot_s: list[float] = []  # gap - nominal delay, per retry

    def check(self, events: list[Any]) -> None:
        for event in events:
            results = [result for _, result in event.attempts]
            if event.outcome != "succeeded" or results != ["error", "error", "ok"]:
                raise RuntimeError(f"event {event.request_id}: outcome {event.outcome} "
                                   f"({event.condition}) after attempts {results}")
            times = [when for when, _ in event.attempts]
            for (before, after), delay in zip(zip(times, times[1:]), RETRY_DELAYS, strict=True):
                if after - before < delay:
                    raise RuntimeError(f"event {event.request_id}: retry {after - before:.3f} s "
                                       f"after the previous attempt, expected >= {delay:.0f} s")
                self.overshoot_s.append(after - before - delay)
            runs = (self.counts / event.request_id).read_text()
            if runs != "3":
                raise RuntimeError(f"event {event.request_id}: the handler ran {runs} times")

    def gaps(self) -> dict[str, float]:
        return {"n": len(self.overshoot_s),
                "median_ms": round(ms(statistics.median(self.overshoot_s)), 3),
                "max_ms": round(ms(max(self.overshoot_s)), 3)}


# ---------------------------------------------------------------------------------------
# measurements


def bench_schedule(lab: Any, lam: Any, counts: Path, rounds: int) -> dict[str, Any]:
    """One event at a time through the whole schedule, interleaved with 3 sync invokes."""
    events = lab.async_invoker.events
    phases: dict[str, list[float]] = {"total": [], "accept": [], "first": [], "retries": []}
    sync3: list[float] = []
    missed: list[int] = []  # per round: 1 if advance(minutes=3) left the event unfinished
    checker = Checker(counts)

    def schedule(i: int, check: Checker) -> None:
        start = len(events)
        t0 = time.perf_counter()
        invoke_event(lam, "bench-flaky", json.dumps({"round": i}).encode())
        t1 = time.perf_counter()
        lab.settle()
        t2 = time.perf_counter()
        lab.advance(minutes=3)
        unfinished, _ = finish(lab, events[start:])
        t3 = time.perf_counter()
        if len(events) != start + 1:
            raise RuntimeError(f"expected one new event, got {len(events) - start}")
        check.check(events[start:])
        for key, seconds in (("total", t3 - t0), ("accept", t1 - t0), ("first", t2 - t1),
                             ("retries", t3 - t2)):
            phases[key].append(ms(seconds))
        missed.append(unfinished)

    def three_sync() -> None:
        for _ in range(3):
            invoke_sync(lam, "bench-noop")

    for i in range(WARMUP_SCHEDULES):
        schedule(-1 - i, Checker(counts))
    for values in phases.values():
        values.clear()
    missed.clear()
    for i in range(rounds):
        if i % 2 == 0:
            schedule(i, checker)
            sync3.append(ms(timed(three_sync)))
        else:
            sync3.append(ms(timed(three_sync)))
            schedule(i, checker)
    result: dict[str, Any] = {key: summary(values) for key, values in phases.items()}
    result["sync3"] = summary(sync3)
    result["ratio_median"] = round(result["total"]["median_ms"] / result["sync3"]["median_ms"],
                                   3)
    result["unfinished_after_advance_3min"] = sum(missed)
    result["retry_overshoot"] = checker.gaps()
    return result


def sync_block(lam: Any, n: int) -> tuple[float, list[float]]:
    """n synchronous invokes of the no-op function: (wall seconds, each invoke in ms)."""
    each: list[float] = []
    started = time.perf_counter()
    for _ in range(n):
        each.append(ms(timed(lambda: invoke_sync(lam, "bench-noop"))))
    return time.perf_counter() - started, each


def bench_throughput(lab: Any, lam: Any, counts: Path, n: int) -> dict[str, Any]:
    events = lab.async_invoker.events
    # Warm-up: the async engine's threads create their environments here, not in the timing.
    start = len(events)
    for i in range(WARMUP_EVENTS):
        invoke_event(lam, "bench-flaky", json.dumps({"warmup": i}).encode())
    lab.settle()
    lab.advance(minutes=3)
    finish(lab, events[start:])
    Checker(counts).check(events[start:])
    for _ in range(WARMUP_SYNC):
        invoke_sync(lam, "bench-noop")
    noop_envs = lab.runtime.environments("bench-noop")
    flaky_before = len(lab.runtime.environments("bench-flaky"))

    before_s, sync_ms = sync_block(lam, n // 2)

    start = len(events)
    payloads = [json.dumps({"event": i}).encode() for i in range(n)]
    t0 = time.perf_counter()
    for payload in payloads:
        invoke_event(lam, "bench-flaky", payload)
    t1 = time.perf_counter()
    first_done_at_accept = sum(1 for e in events[start:] if e.attempts)
    lab.settle()
    t2 = time.perf_counter()
    lab.advance(minutes=3)
    t3 = time.perf_counter()
    batch = events[start:]
    unfinished, extra_s = finish(lab, batch)
    t4 = time.perf_counter()
    if len(batch) != n or len({e.request_id for e in batch}) != n:
        raise RuntimeError(f"expected {n} new events with distinct request ids, got {len(batch)}")
    checker = Checker(counts)
    checker.check(batch)
    flaky_after = len(lab.runtime.environments("bench-flaky"))

    after_s, sync_after_ms = sync_block(lam, n - n // 2)
    sync_ms += sync_after_ms
    if lab.runtime.environments("bench-noop") != noop_envs or len(noop_envs) != 1:
        raise RuntimeError("the no-op function changed environments: not a warm baseline")

    async_s = t4 - t0
    sync_s = before_s + after_s
    attempts_per_s = 3 * n / async_s
    sync_per_s = n / sync_s
    return {
        "async": {"events": n, "attempts": 3 * n, "total_s": round(async_s, 3),
                  "events_per_s": round(n / async_s, 1),
                  "attempts_per_s": round(attempts_per_s, 1),
                  "accept_s": round(t1 - t0, 3), "accepts_per_s": round(n / (t1 - t0), 1),
                  "first_attempts_done_at_last_accept": first_done_at_accept,
                  "settle_s": round(t2 - t1, 3),
                  "advance_s": round(t3 - t2, 3),
                  "retries_per_s": round(2 * n / (t3 - t2), 1),
                  "unfinished_after_advance_3min": unfinished,
                  "extra_virtual_s": extra_s, "extra_s": round(t4 - t3, 3),
                  "environments_before": flaky_before, "environments_after": flaky_after,
                  "retry_overshoot": checker.gaps()},
        "sync": {"invokes": n, "total_s": round(sync_s, 3),
                 "invokes_per_s": round(sync_per_s, 1), "per_invoke": summary(sync_ms)},
        "ratio_attempts": round(attempts_per_s / sync_per_s, 3),
        "ratio_events": round(n / async_s / sync_per_s, 3),
    }


# ---------------------------------------------------------------------------------------
# report


def row(label: str, stats: dict[str, float], note: str = "") -> str:
    return (f"  {label:<40} {stats['median_ms']:>9.2f} {stats['p90_ms']:>9.2f} "
            f"{stats['min_ms']:>9.2f} {stats['max_ms']:>9.2f}  {note}").rstrip()


def print_table(result: dict[str, Any]) -> None:
    sched, through = result["schedule"], result["throughput"]
    a, s = through["async"], through["sync"]
    print(f"serverless_lab async benchmark  (python {result['python']}, {result['cpus']} cpus, "
          f"events={result['events']}, schedules={result['schedules']}, "
          f"{result['seconds']:.1f} s)")
    print()
    print("1. one event, fails twice then succeeds: Event invoke, settle, advance(minutes=3)")
    print(f"  {'(ms)':<40} {'median':>9} {'p90':>9} {'min':>9} {'max':>9}")
    print(row("whole schedule (3 attempts)", sched["total"]))
    print(row("  accept (Invoke, 202)", sched["accept"]))
    print(row("  lab.settle() (first attempt)", sched["first"]))
    print(row("  lab.advance(minutes=3) (2 retries)", sched["retries"], "+ 1 s steps, if needed"))
    print(row("3 sync invokes of a no-op (baseline)", sched["sync3"]))
    verdict = "met" if result["targets"]["schedule_met"] else "MISSED"
    print(f"  schedule median {sched['total']['median_ms']:.2f} ms (target < "
          f"{SCHEDULE_TARGET_S * 1000:.0f} ms: {verdict}); ratio median(schedule)/median(3 sync)"
          f" = {sched['ratio_median']:.3f}")
    over = sched["retry_overshoot"]
    print(f"  retries ran {over['median_ms']:.2f} ms (median), {over['max_ms']:.2f} ms (max) "
          "after their nominal 60 / 120 s on the virtual clock")
    print(f"  lab.advance(minutes=3) left {sched['unfinished_after_advance_3min']} of "
          f"{sched['total']['n']} events unfinished (third attempt not yet due)")
    print()
    print(f"2. {a['events']} events, each fails twice then succeeds ({a['attempts']} attempts), "
          f"vs {s['invokes']} sync invokes of a no-op")
    print(f"  {'':<40} {'per s':>9} {'wall s':>9}")
    print(f"  {'async events':<40} {a['events_per_s']:>9.1f} {a['total_s']:>9.3f}  "
          "first accept -> all succeeded")
    print(f"  {'async attempts (function runs)':<40} {a['attempts_per_s']:>9.1f} "
          f"{a['total_s']:>9.3f}  3 per event")
    print(f"  {'  accepts (Invoke, 202)':<40} {a['accepts_per_s']:>9.1f} {a['accept_s']:>9.3f}  "
          f"first attempts meanwhile: {a['first_attempts_done_at_last_accept']} done")
    print(f"  {'  lab.settle() (first attempts left)':<40} {'':>9} {a['settle_s']:>9.3f}")
    print(f"  {'  lab.advance(minutes=3) (retries)':<40} {a['retries_per_s']:>9.1f} "
          f"{a['advance_s']:>9.3f}  {2 * a['events']} retries, on this thread")
    print(f"  {'  1 s steps to finish the rest':<40} {'':>9} {a['extra_s']:>9.3f}  "
          f"{a['unfinished_after_advance_3min']} events unfinished after advance(minutes=3), "
          f"+{a['extra_virtual_s']} s virtual")
    print(f"  {'sync invokes (baseline)':<40} {s['invokes_per_s']:>9.1f} {s['total_s']:>9.3f}  "
          f"median {s['per_invoke']['median_ms']:.2f} ms, p90 {s['per_invoke']['p90_ms']:.2f} ms")
    verdict = "met" if result["targets"]["throughput_met"] else "MISSED"
    print(f"  ratio async attempts/s / sync invokes/s = {through['ratio_attempts']:.3f}   "
          f"(target >= {THROUGHPUT_TARGET_RATIO}: {verdict}); events/s / sync invokes/s = "
          f"{through['ratio_events']:.3f}")
    over = a["retry_overshoot"]
    print(f"  environments of the async function: {a['environments_before']} before, "
          f"{a['environments_after']} after; retries ran {over['median_ms']:.2f} ms (median), "
          f"{over['max_ms']:.2f} ms (max) after their nominal 60 / 120 s")
    print()
    print("BENCH " + json.dumps(result, sort_keys=True))


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    import boto3
    from botocore.config import Config

    import serverless_lab
    from serverless_lab.deployment_package import zip_code

    lab = serverless_lab.start(serverless_lab.Settings(aws_managed_policies=False))
    try:
        counts = Path(tempfile.mkdtemp(prefix="bench-attempts-", dir=lab.runtime.root))
        if os.path.realpath(counts).startswith("/tmp/"):
            raise RuntimeError(f"{counts} is under /tmp, which every execution environment "
                               "replaces with its own: set XDG_CACHE_HOME elsewhere")
        config = Config(retries={"total_max_attempts": 1})
        lam = boto3.client("lambda", config=config)
        role = boto3.client("iam", config=config).create_role(
            RoleName="bench-role", AssumeRolePolicyDocument=json.dumps({
                "Version": "2012-10-17", "Statement": [{
                    "Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                    "Action": "sts:AssumeRole"}]}))["Role"]["Arn"]
        create_function(lam, "bench-noop", role, zip_code({"app.py": NOOP}))
        create_function(lam, "bench-flaky", role, zip_code({"app.py": FLAKY}),
                        {"BENCH_ATTEMPTS_DIR": str(counts)})
        for _ in range(WARMUP_SYNC):
            invoke_sync(lam, "bench-noop")
        schedule = bench_schedule(lab, lam, counts, args.schedules)
        throughput = bench_throughput(lab, lam, counts, args.events)
    finally:
        lab.stop()
    targets = {"schedule_median_max_ms": SCHEDULE_TARGET_S * 1000,
               "throughput_ratio_min": THROUGHPUT_TARGET_RATIO,
               "throughput_compares": "async attempts/s vs sync invokes/s",
               "schedule_met": schedule["total"]["median_ms"] < SCHEDULE_TARGET_S * 1000,
               "throughput_met": throughput["ratio_attempts"] >= THROUGHPUT_TARGET_RATIO}
    result = {
        "python": platform.python_version(), "cpus": os.cpu_count(),
        "events": args.events, "schedules": args.schedules,
        "schedule": schedule, "throughput": throughput, "targets": targets,
        "seconds": round(time.perf_counter() - started, 2),
    }
    print_table(result)
    return verdict(targets, ("schedule_met", "throughput_met"), args.check)


if __name__ == "__main__":
    sys.exit(main())
