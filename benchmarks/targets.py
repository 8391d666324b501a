"""Speed benchmark of the lab's targets: the served clock over HTTP, and a whole lab on
target ``local`` and on target ``endpoint``.

    .venv/bin/python benchmarks/targets.py                # defaults: --rounds 200 --runs 3
    .venv/bin/python benchmarks/targets.py --check        # exit 1 when a target is missed

The script starts ``serverless-lab serve --port 0`` in a subprocess (stopped at the end, also
on error). Every number is compared with a baseline measured in the same run, interleaved
(the order flips every round), because the machine is small, shared and noisy:

1. clock -- ``RemoteLab.settle()`` (``POST /_lab/settle`` to the served emulator) vs
   ``s3.head_bucket`` on an existing bucket of the same served endpoint, through boto3 with an
   explicit endpoint and fake credentials; ``RemoteLab.advance(seconds=1)`` is timed in the
   same rounds. Target: median(settle) / median(head_bucket) <= 2.0 (driving the served clock
   costs no more than two ordinary AWS calls).
2. lab   -- ``labs/02_lambda.ipynb`` executed whole with nbclient in a fresh kernel, on target
   local (the kernel starts its own in-process emulator: that start-up is part of what is
   compared) and on target endpoint (the served emulator above), interleaved.
   Target: median(endpoint) / median(local) <= 1.5 (the served target costs at most half
   again the in-process one).

No in-process lab is started in the benchmark's own process: a RemoteLab and a local Lab
both set process environment variables. Prints a table and, last, one line
``BENCH {json}`` with every number. Loopback only.
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
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench_stats import ms, summary, timed, verdict

from serverless_lab.targets.server import spawn, terminate

CLOCK_TARGET_RATIO = 2.0
LAB_TARGET_RATIO = 1.5
WARMUP_CALLS = 20
BUCKET = "bench-targets"
ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "labs" / "02_lambda.ipynb"
# Appended to the notebook (one print, microseconds): says which target the kernel's lab
# really ran on, so a run that silently fell back to the other target fails the script.
PROBE = ("import json as _bench_json\n"
         "print(_bench_json.dumps({'target': lab.target, 'endpoint': lab.endpoint_url,\n"
         "                         'served': getattr(lab, 'served', False)}))\n")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=200,
                        help="clock rounds (one settle, one head_bucket and one advance each; "
                             "default 200)")
    parser.add_argument("--runs", type=int, default=3,
                        help="runs of the whole lab on EACH target (default 3)")
    parser.add_argument("--notebook", type=Path, default=NOTEBOOK,
                        help="the lab to run (default labs/02_lambda.ipynb)")
    parser.add_argument("--check", action="store_true",
                        help="exit 1 if a target is missed (settle / head_bucket <= 2.0, "
                             "endpoint / local <= 1.5)")
    args = parser.parse_args(argv)
    if args.rounds < 1 or args.runs < 1:
        parser.error("--rounds and --runs must be at least 1")
    return args


# ---------------------------------------------------------------------------------------
# the served emulator


# ---------------------------------------------------------------------------------------
# 1. clock control over HTTP


def rotate(rounds: int, calls: dict[str, Callable[[], float]]) -> dict[str, list[float]]:
    """Each call once per round, in order and then in reverse, so drift hits all alike.
    Each callable returns its own measured duration in seconds."""
    times: dict[str, list[float]] = {name: [] for name in calls}
    names = list(calls)
    for i in range(rounds):
        for name in (names if i % 2 == 0 else names[::-1]):
            times[name].append(calls[name]())
    return times


def bench_clock(endpoint: str, rounds: int) -> dict[str, Any]:
    import boto3
    from botocore.config import Config

    from serverless_lab.targets.remote import RemoteLab
    from serverless_lab.targets.selection import Target

    remote = RemoteLab(Target("endpoint", endpoint)).start()
    try:
        if not remote.served:
            raise RuntimeError(f"{endpoint} does not answer /_lab/status: not served")
        session = boto3.session.Session(aws_access_key_id="testing",
                                        aws_secret_access_key="testing",
                                        region_name="us-east-1")
        s3 = session.client("s3", endpoint_url=endpoint,
                            config=Config(retries={"total_max_attempts": 1}))
        s3.create_bucket(Bucket=BUCKET)
        for _ in range(WARMUP_CALLS):
            remote.settle()
            s3.head_bucket(Bucket=BUCKET)
            remote.advance(seconds=1)
        before = remote.clock.now()
        wall_before = time.time()
        timed_started = time.perf_counter()
        times = rotate(rounds, {
            "settle": lambda: timed(remote.settle),
            "head_bucket": lambda: timed(lambda: s3.head_bucket(Bucket=BUCKET)),
            "advance": lambda: timed(lambda: remote.advance(seconds=1)),
        })
        timed_s = time.perf_counter() - timed_started
        moved = remote.clock.now() - before
        wall = time.time() - wall_before
        # The served clock is real time plus the advances: it must have moved by the
        # rounds' seconds, plus the wall time they took (a little slack for rounding).
        if not rounds <= moved <= rounds + wall + 1.0:
            raise RuntimeError(f"the served clock moved {moved:.3f} s in {rounds} advances of "
                               f"1 s and {wall:.3f} s of wall time")
        s3.delete_bucket(Bucket=BUCKET)
    finally:
        remote.stop()
    settle_ms = [ms(t) for t in times["settle"]]
    head_ms = [ms(t) for t in times["head_bucket"]]
    advance_ms = [ms(t) for t in times["advance"]]
    st, hb, adv = summary(settle_ms), summary(head_ms), summary(advance_ms)
    return {"settle": st, "head_bucket": hb, "advance": adv,
            "ratio_median": round(st["median_ms"] / hb["median_ms"], 3),
            "ratio_p90": round(st["p90_ms"] / hb["p90_ms"], 3),
            "paired_ratio_median": round(statistics.median(
                s / h for s, h in zip(settle_ms, head_ms, strict=True)), 3),
            "extra_ms": round(st["median_ms"] - hb["median_ms"], 3),
            "advance_ratio_median": round(adv["median_ms"] / hb["median_ms"], 3),
            "virtual_seconds_moved": round(moved, 3), "timed_s": round(timed_s, 2)}


# ---------------------------------------------------------------------------------------
# 2. a whole lab on both targets


def run_notebook(path: Path, target: str, endpoint: str, kernel_log: Path) -> dict[str, Any]:
    """Execute the notebook in a fresh kernel on ``target``; wall times of its parts."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(PROBE))
    marks: dict[str, float] = {}

    def cell_started(cell: Any, cell_index: int) -> None:
        marks.setdefault("first_start", time.perf_counter())
        if cell_index == len(nb.cells) - 1:
            marks["probe_start"] = time.perf_counter()

    def cell_done(cell: Any, cell_index: int, execute_reply: Any) -> None:
        marks.setdefault("first_end", time.perf_counter())

    wanted = {"SERVERLESS_LAB_TARGET": target,
              "AWS_ENDPOINT_URL": endpoint if target == "endpoint" else None}
    saved = {name: os.environ.get(name) for name in wanted}
    try:
        for name, value in wanted.items():  # the kernel inherits this environment
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        client = NotebookClient(nb, timeout=600, kernel_name="python3",
                                resources={"metadata": {"path": str(path.parent)}},
                                on_cell_execute=cell_started, on_cell_executed=cell_done)
        with kernel_log.open("ab") as log:
            started = time.perf_counter()
            client.execute(stderr=log)
            ended = time.perf_counter()
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    probe = json.loads("".join(output.get("text", "") for output in nb.cells[-1].outputs))
    ok = (probe["target"] == target and (probe["endpoint"] == endpoint) == (target == "endpoint")
          and probe["served"] == (target == "endpoint"))
    if not ok:
        raise RuntimeError(f"the {target} run's lab ran on {probe}")
    return {"total_s": ended - started,
            "kernel_start_s": marks["first_start"] - started,
            "lab_start_s": marks["first_end"] - marks["first_start"],
            "cells_s": marks["probe_start"] - marks["first_end"],
            "shutdown_s": ended - marks["probe_start"]}


def bench_lab(path: Path, endpoint: str, runs: int, kernel_log: Path) -> dict[str, Any]:
    results: dict[str, list[dict[str, Any]]] = {"local": [], "endpoint": []}
    started = time.perf_counter()
    for i in range(runs):
        for target in (("local", "endpoint") if i % 2 == 0 else ("endpoint", "local")):
            results[target].append(run_notebook(path, target, endpoint, kernel_log))
    arms: dict[str, Any] = {}
    for target, found in results.items():
        totals = [r["total_s"] for r in found]
        arms[target] = {"runs_s": [round(t, 3) for t in totals],
                        "median_s": round(statistics.median(totals), 3),
                        "min_s": round(min(totals), 3), "max_s": round(max(totals), 3),
                        **{part: round(statistics.median(r[part] for r in found), 3)
                           for part in ("kernel_start_s", "lab_start_s", "cells_s",
                                        "shutdown_s")}}
    local, remote = arms["local"], arms["endpoint"]
    return {"notebook": str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path),
            "local": local, "endpoint": remote,
            "ratio_median": round(remote["median_s"] / local["median_s"], 3),
            "paired_ratio_median": round(statistics.median(
                e / lo for e, lo in zip(remote["runs_s"], local["runs_s"], strict=True)), 3),
            "extra_s": round(remote["median_s"] - local["median_s"], 3),
            "timed_s": round(time.perf_counter() - started, 2)}


# ---------------------------------------------------------------------------------------
# report


def row(label: str, arm: dict[str, Any]) -> str:
    return (f"  {label:<38} {arm['median_ms']:>8.2f} {arm['p90_ms']:>8.2f} "
            f"{arm['p99_ms']:>8.2f} {arm['min_ms']:>8.2f} {arm['max_ms']:>8.2f}")


def lab_row(label: str, arm: dict[str, Any]) -> str:
    runs = " ".join(f"{t:.2f}" for t in arm["runs_s"])
    return (f"  {label:<20} {arm['median_s']:>7.2f} {runs:>20} {arm['kernel_start_s']:>7.2f} "
            f"{arm['lab_start_s']:>7.2f} {arm['cells_s']:>7.2f} {arm['shutdown_s']:>7.2f}")


def print_table(result: dict[str, Any]) -> None:
    c, lab = result["clock"], result["lab"]
    print(f"serverless_lab targets benchmark  (python {result['python']}, {result['cpus']} "
          f"cpus, rounds={result['rounds']}, runs={result['runs']}, "
          f"{result['seconds']:.1f} s)")
    print(f"  serverless-lab serve at {result['endpoint']} (started in "
          f"{result['serve_start_s']:.2f} s)")
    print()
    print(f"1. clock control over HTTP, interleaved rounds (ms; {c['timed_s']:.1f} s)")
    print(f"  {'':<38} {'median':>8} {'p90':>8} {'p99':>8} {'min':>8} {'max':>8}")
    print(row("RemoteLab.settle()  (POST /_lab/settle)", c["settle"]))
    print(row("s3.head_bucket (baseline)", c["head_bucket"]))
    print(row("RemoteLab.advance(seconds=1)", c["advance"]))
    met = "met" if result["targets"]["clock_met"] else "MISSED"
    print(f"  ratio median(settle)/median(head_bucket) = {c['ratio_median']:.3f}   "
          f"(target <= {CLOCK_TARGET_RATIO}: {met})")
    print(f"  ratio of p90s = {c['ratio_p90']:.3f}; median of per-round ratios = "
          f"{c['paired_ratio_median']:.3f}; settle costs {c['extra_ms']:+.3f} ms; "
          f"advance/head_bucket = {c['advance_ratio_median']:.3f}; the served clock moved "
          f"{c['virtual_seconds_moved']:.1f} s")
    print()
    print(f"2. the whole lab, {lab['notebook']}, interleaved runs (s; {lab['timed_s']:.1f} s)")
    print(f"  {'':<20} {'median':>7} {'runs':>20} {'kernel':>7} {'start':>7} {'cells':>7} "
          f"{'stop':>7}")
    print(lab_row("target local", lab["local"]))
    print(lab_row("target endpoint", lab["endpoint"]))
    met = "met" if result["targets"]["lab_met"] else "MISSED"
    print(f"  ratio median(endpoint)/median(local) = {lab['ratio_median']:.3f}   "
          f"(target <= {LAB_TARGET_RATIO}: {met})")
    print(f"  median of per-round ratios = {lab['paired_ratio_median']:.3f}; endpoint costs "
          f"{lab['extra_s']:+.2f} s per run")
    print()
    print("BENCH " + json.dumps(result, sort_keys=True))


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as scratch:
        serve_log, kernel_log = Path(scratch) / "serve.log", Path(scratch) / "kernels.log"
        process, address = spawn(serve_log)
        serve_start_s = time.perf_counter() - started
        try:
            clock = bench_clock(address["endpoint"], args.rounds)
            lab = bench_lab(args.notebook.resolve(), address["endpoint"], args.runs, kernel_log)
        except BaseException:
            for log in (serve_log, kernel_log):
                if log.exists() and log.stat().st_size:
                    print(f"--- {log.name}:\n{log.read_text()[-4000:]}", file=sys.stderr)
            raise
        finally:
            terminate(process)
    targets = {"clock_ratio_max": CLOCK_TARGET_RATIO, "lab_ratio_max": LAB_TARGET_RATIO,
               "clock_met": clock["ratio_median"] <= CLOCK_TARGET_RATIO,
               "lab_met": lab["ratio_median"] <= LAB_TARGET_RATIO}
    result = {
        "python": platform.python_version(), "cpus": os.cpu_count(),
        "rounds": args.rounds, "runs": args.runs, "endpoint": address["endpoint"],
        "serve_start_s": round(serve_start_s, 2), "clock": clock, "lab": lab,
        "targets": targets, "seconds": round(time.perf_counter() - started, 2),
    }
    print_table(result)
    return verdict(targets, ("clock_met", "lab_met"), args.check)


if __name__ == "__main__":
    sys.exit(main())
