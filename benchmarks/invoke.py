"""Speed benchmark of the serverless_lab emulator: warm invoke and cold start.

    .venv/bin/python benchmarks/invoke.py                 # defaults: --rounds 300 --cold 30
    .venv/bin/python benchmarks/invoke.py --check         # exit 1 when a target is missed

Every number is compared with a baseline measured in the same run, A/B interleaved round by
round (the order flips every round), because the machine is small, shared and noisy:

1. warm  -- ``lambda.invoke`` of a no-op Python handler (after a warm-up) vs ``s3.head_bucket``
   on an existing bucket, both through boto3 and the same moto server.
   Target: median(invoke) / median(head_bucket) <= 1.5.
2. cold  -- ``lambda.invoke`` of a function that has no environment yet (one fresh function
   per round), broken down with the REPORT line the emulator writes to CloudWatch Logs
   (Init Duration, Duration) and the rest (HTTP + moto + runtime bookkeeping), vs the bare
   ``subprocess.run([sys.executable, "-c", "pass"])``.  Target: median < 150 ms.
   Also measured: cold after ``update_function_configuration`` (the old environment is
   killed inside the invoke), which is what a lab reader sees after changing a variable.

Prints a table and, last, one line ``BENCH {json}`` with every number. Loopback only.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

from bench_stats import ms, summary, timed, verdict

WARM_TARGET_RATIO = 1.5
COLD_TARGET_MS = 150.0
WARMUP_CALLS = 20
HANDLER = "def handler(e, c):\n    return None\n"
BUCKET = "bench-bucket"
REPORT_RE = re.compile(
    r"^REPORT RequestId: (?P<id>\S+)\tDuration: (?P<duration>[\d.]+) ms\t.*?"
    r"(?:Init Duration: (?P<init>[\d.]+) ms)?\t?$")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=300,
                        help="warm A/B rounds (one invoke + one head_bucket each; default 300)")
    parser.add_argument("--cold", type=int, default=30,
                        help="cold invocations per cold-start measurement (default 30)")
    parser.add_argument("--check", action="store_true",
                        help="exit 1 if a target is missed (warm ratio <= 1.5, cold < 150 ms)")
    args = parser.parse_args(argv)
    if args.rounds < 1 or args.cold < 1:
        parser.error("--rounds and --cold must be at least 1")
    return args


# ---------------------------------------------------------------------------------------
# statistics








def interleave(rounds: int, a: Callable[[int], float], b: Callable[[int], float]
               ) -> tuple[list[float], list[float]]:
    """Run ``a`` and ``b`` once per round, A/B then B/A, so drift hits both alike.
    Each callable returns its own measured duration in seconds."""
    times_a: list[float] = []
    times_b: list[float] = []
    for i in range(rounds):
        if i % 2 == 0:
            times_a.append(a(i))
            times_b.append(b(i))
        else:
            times_b.append(b(i))
            times_a.append(a(i))
    return times_a, times_b




# ---------------------------------------------------------------------------------------
# fixtures


def create_function(lam: Any, name: str, role: str, code: bytes) -> None:
    lam.create_function(FunctionName=name, Runtime="python3.11", Role=role,
                        Handler="app.handler", Code={"ZipFile": code}, Timeout=30)


def request_id(response: dict[str, Any]) -> str:
    # moto appends its own id to the header the emulator sets ("<uuid>, <moto id>").
    return str(response["ResponseMetadata"]["RequestId"]).split(",")[0].strip()


def invoke_ok(lam: Any, name: str) -> dict[str, Any]:
    response = lam.invoke(FunctionName=name, Payload=b"{}")
    payload = response["Payload"].read()
    if response.get("FunctionError") or payload != b"null":
        raise RuntimeError(f"invoke {name} failed: {response.get('FunctionError')} {payload!r}")
    return response


def report_lines(logs: Any, function_name: str) -> dict[str, dict[str, float | None]]:
    """{request id: {"duration_ms", "init_ms"}} from the function's REPORT lines."""
    found: dict[str, dict[str, float | None]] = {}
    paginator = logs.get_paginator("filter_log_events")
    for page in paginator.paginate(logGroupName=f"/aws/lambda/{function_name}"):
        for event in page["events"]:
            match = REPORT_RE.match(event["message"])
            if match:
                init = match.group("init")
                found[match.group("id")] = {"duration_ms": float(match.group("duration")),
                                            "init_ms": float(init) if init else None}
    return found


# ---------------------------------------------------------------------------------------
# measurements


def bench_warm(lab: Any, clients: dict[str, Any], role: str, code: bytes, rounds: int
               ) -> dict[str, Any]:
    lam, s3 = clients["lambda"], clients["s3"]
    create_function(lam, "bench-warm", role, code)
    s3.create_bucket(Bucket=BUCKET)
    for _ in range(WARMUP_CALLS):
        invoke_ok(lam, "bench-warm")
        s3.head_bucket(Bucket=BUCKET)
    environments = lab.runtime.environments("bench-warm")

    def invoke(_: int) -> float:
        started = time.perf_counter()
        response = lam.invoke(FunctionName="bench-warm", Payload=b"{}")
        response["Payload"].read()
        elapsed = time.perf_counter() - started
        if response.get("FunctionError"):
            raise RuntimeError(f"warm invoke failed: {response['FunctionError']}")
        return elapsed

    def head(_: int) -> float:
        return timed(lambda: s3.head_bucket(Bucket=BUCKET))

    invoke_s, head_s = interleave(rounds, invoke, head)
    after = lab.runtime.environments("bench-warm")
    if len(after) != 1 or after[0] is not environments[0]:
        raise RuntimeError("the warm function lost its environment: not a warm measurement")
    invoke_ms = [ms(t) for t in invoke_s]
    head_ms = [ms(t) for t in head_s]
    paired = [i / h for i, h in zip(invoke_ms, head_ms, strict=True)]
    inv, hb = summary(invoke_ms), summary(head_ms)
    return {"invoke": inv, "head_bucket": hb,
            "ratio_median": round(inv["median_ms"] / hb["median_ms"], 3),
            "ratio_p90": round(inv["p90_ms"] / hb["p90_ms"], 3),
            "paired_ratio_median": round(statistics.median(paired), 3),
            "extra_ms": round(inv["median_ms"] - hb["median_ms"], 3)}


def baseline_spawn(_: int) -> float:
    return timed(lambda: subprocess.run([sys.executable, "-c", "pass"], check=True))


def breakdown(lab_ms: list[float], ids: list[str], reports: dict[str, dict[str, float | None]]
              ) -> dict[str, Any]:
    """Split each cold invoke into Init Duration, Duration and the rest, from REPORT."""
    init_ms: list[float] = []
    duration_ms: list[float] = []
    rest_ms: list[float] = []
    for total, rid in zip(lab_ms, ids, strict=True):
        report = reports.get(rid)
        if report is None:
            raise RuntimeError(f"no REPORT line for request {rid}")
        if report["init_ms"] is None:
            raise RuntimeError(f"request {rid} was not a cold start (no Init Duration)")
        init_ms.append(float(report["init_ms"]))
        duration_ms.append(float(report["duration_ms"] or 0.0))
        rest_ms.append(total - init_ms[-1] - duration_ms[-1])
    return {"total": summary(lab_ms), "init": summary(init_ms),
            "duration": summary(duration_ms), "rest": summary(rest_ms)}


def bench_cold_fresh(lab: Any, clients: dict[str, Any], role: str, code: bytes, n: int
                     ) -> tuple[dict[str, Any], list[float]]:
    """One new function per round: its first invoke has no environment to reuse."""
    lam = clients["lambda"]
    names = [f"bench-cold-{i:03d}" for i in range(n)]
    for name in names:
        create_function(lam, name, role, code)
    ids: list[str] = []

    def cold(i: int) -> float:
        if lab.runtime.environments(names[i]):
            raise RuntimeError(f"{names[i]} already has an environment")
        started = time.perf_counter()
        response = lam.invoke(FunctionName=names[i], Payload=b"{}")
        response["Payload"].read()
        elapsed = time.perf_counter() - started
        ids.append(request_id(response))
        return elapsed

    cold_s, spawn_s = interleave(n, cold, baseline_spawn)
    reports: dict[str, dict[str, float | None]] = {}
    for name in names:
        reports.update(report_lines(clients["logs"], name))
    result = breakdown([ms(t) for t in cold_s], ids, reports)
    return result, [ms(t) for t in spawn_s]


def bench_cold_update(lab: Any, clients: dict[str, Any], role: str, code: bytes, n: int
                      ) -> dict[str, Any]:
    """One function, a new environment variable before each invoke (not timed): the stale
    environment is killed and a new one started inside the timed invoke."""
    lam = clients["lambda"]
    name = "bench-cold-update"
    create_function(lam, name, role, code)
    invoke_ok(lam, name)
    ids: list[str] = []
    totals: list[float] = []
    for i in range(n):
        lam.update_function_configuration(
            FunctionName=name, Environment={"Variables": {"BENCH_ROUND": str(i)}})
        before = lab.runtime.environments(name)
        started = time.perf_counter()
        response = lam.invoke(FunctionName=name, Payload=b"{}")
        response["Payload"].read()
        totals.append(ms(time.perf_counter() - started))
        ids.append(request_id(response))
        after = lab.runtime.environments(name)
        if len(after) != 1 or any(e is after[0] for e in before):
            raise RuntimeError("update_function_configuration did not force a new environment")
    return breakdown(totals, ids, report_lines(clients["logs"], name))


# ---------------------------------------------------------------------------------------
# report


def row(label: str, stats: dict[str, float], note: str = "") -> str:
    return (f"  {label:<40} {stats['median_ms']:>9.2f} {stats['p90_ms']:>9.2f} "
            f"{stats['min_ms']:>9.2f}  {note}").rstrip()


def print_table(result: dict[str, Any]) -> None:
    warm, cold, upd, spawn = (result["warm"], result["cold"], result["cold_after_update"],
                              result["spawn_baseline"])
    header = f"  {'(ms)':<40} {'median':>9} {'p90':>9} {'min':>9}"
    print(f"serverless_lab speed benchmark  (python {result['python']}, {result['cpus']} cpus, "
          f"rounds={result['rounds']}, cold={result['cold_n']}, {result['seconds']:.1f} s)")
    print()
    print("1. warm synchronous invoke vs a no-op moto call, interleaved")
    print(header)
    print(row("lambda.invoke (no-op handler, warm)", warm["invoke"]))
    print(row("s3.head_bucket (baseline)", warm["head_bucket"]))
    verdict = "met" if result["targets"]["warm_ratio_met"] else "MISSED"
    print(f"  ratio median(invoke)/median(head_bucket) = {warm['ratio_median']:.3f}   "
          f"(target <= {WARM_TARGET_RATIO}: {verdict})")
    print(f"  ratio of p90s = {warm['ratio_p90']:.3f}; median of per-round ratios = "
          f"{warm['paired_ratio_median']:.3f}; invoke costs {warm['extra_ms']:+.2f} ms more")
    print()
    print("2. cold start: first invoke of a fresh function, interleaved with a bare spawn")
    print(header)
    print(row("lambda.invoke, cold (client-side total)", cold["total"]))
    print(row("  Init Duration (REPORT)", cold["init"], "spawn + interpreter + bootstrap"
              " + handler import"))
    print(row("  Duration (REPORT)", cold["duration"], "the handler call in the worker"))
    print(row("  rest = total - init - duration", cold["rest"], "HTTP + moto + runtime"
              " bookkeeping"))
    print(row("subprocess.run([python, -c, pass])", spawn, "baseline"))
    verdict = "met" if result["targets"]["cold_met"] else "MISSED"
    print(f"  ratio median(cold)/median(spawn) = {result['cold_vs_spawn_ratio']:.3f}; "
          f"cold median {cold['total']['median_ms']:.2f} ms (target < {COLD_TARGET_MS:.0f} ms:"
          f" {verdict})")
    print()
    print("   cold after update_function_configuration (old environment killed in the invoke)")
    print(header)
    print(row("lambda.invoke, cold after update", upd["total"]))
    print(row("  Init Duration (REPORT)", upd["init"]))
    print(row("  rest = total - init - duration", upd["rest"]))
    print()
    print("BENCH " + json.dumps(result, sort_keys=True))


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    import boto3
    from botocore.config import Config

    import serverless_lab
    from serverless_lab.deployment_package import zip_code

    lab = serverless_lab.start()
    try:
        config = Config(retries={"total_max_attempts": 1})
        clients = {name: boto3.client(name, config=config)
                   for name in ("lambda", "s3", "iam", "logs")}
        role = clients["iam"].create_role(
            RoleName="bench-role", AssumeRolePolicyDocument=json.dumps({
                "Version": "2012-10-17", "Statement": [{
                    "Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                    "Action": "sts:AssumeRole"}]}))["Role"]["Arn"]
        code = zip_code({"app.py": HANDLER})
        warm = bench_warm(lab, clients, role, code, args.rounds)
        cold, spawn_ms = bench_cold_fresh(lab, clients, role, code, args.cold)
        cold_update = bench_cold_update(lab, clients, role, code, args.cold)
    finally:
        lab.stop()
    spawn = summary(spawn_ms)
    targets = {"warm_ratio_max": WARM_TARGET_RATIO, "cold_median_max_ms": COLD_TARGET_MS,
               "warm_ratio_met": warm["ratio_median"] <= WARM_TARGET_RATIO,
               "cold_met": cold["total"]["median_ms"] < COLD_TARGET_MS}
    result = {
        "python": platform.python_version(), "cpus": os.cpu_count(),
        "rounds": args.rounds, "cold_n": args.cold,
        "warm": warm, "cold": cold, "cold_after_update": cold_update,
        "spawn_baseline": spawn,
        "cold_vs_spawn_ratio": round(cold["total"]["median_ms"] / spawn["median_ms"], 3),
        "targets": targets,
        "seconds": round(time.perf_counter() - started, 2),
    }
    print_table(result)
    return verdict(targets, ("warm_ratio_met", "cold_met"), args.check)


if __name__ == "__main__":
    sys.exit(main())
