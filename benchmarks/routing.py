"""Speed and accuracy benchmark of weighted alias routing in the serverless_lab emulator.

    .venv/bin/python benchmarks/routing.py                # defaults: --invocations 10000 --blocks 50
    .venv/bin/python benchmarks/routing.py --check        # exit 1 when a target is missed

One function with two published versions (both a no-op Python handler) and two aliases:

* ``live``  -> version 1 with ``RoutingConfig={"AdditionalVersionWeights": {"2": 0.1}}``
* ``plain`` -> version 1, no routing configuration

Both versions are warmed first (one environment each, checked again at the end, so no cold
start is timed). Then N synchronous invocations of ``live`` and N of ``plain`` run in
alternating blocks (A/B, then B/A, ...), because the machine is small, shared and noisy:

1. speed -- invocations per second through each alias and the ratio of total time
   weighted / unweighted. Target: <= 1.1 (a weighted alias costs at most 10 % more).
2. split -- the share of ``ExecutedVersion`` "2" among the ``live`` invocations vs its 10 %
   weight. Target: within 1.5 percentage points at N = 10,000 (about 5 standard deviations
   of a binomial share); for smaller N the tolerance widens by sqrt(10,000 / N).
   The lab's routing generator is seeded (``Settings.seed``) and reset after the warm-up,
   so the split is the same on every run with the same --seed and --invocations.

Prints a table and, last, one line ``BENCH {json}`` with every number. Loopback only.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import sys
import time
from collections import Counter
from typing import Any

from bench_stats import ms, summary, verdict

TIME_TARGET_RATIO = 1.1
SPLIT_TOLERANCE_PP = 1.5
SPLIT_REFERENCE_N = 10_000
WEIGHT = 0.1
WARMUP_CALLS = 20
FUNCTION = "bench-route"
# Two no-op handlers: the constant only makes the code differ, so publish_version creates
# version 2 instead of returning version 1 again.
HANDLER = "V = {v}\n\n\ndef handler(e, c):\n    return None\n"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    from serverless_lab import Settings

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--invocations", type=int, default=SPLIT_REFERENCE_N,
                        help="invocations through EACH alias (default 10000)")
    parser.add_argument("--blocks", type=int, default=50,
                        help="alternating blocks per alias the invocations are split into "
                             "(default 50)")
    parser.add_argument("--seed", type=int, default=Settings.seed,
                        help=f"the lab's routing seed, Settings.seed (default {Settings.seed})")
    parser.add_argument("--check", action="store_true",
                        help="exit 1 if a target is missed (time ratio <= 1.1, split within "
                             "1.5 points)")
    args = parser.parse_args(argv)
    if args.blocks < 1 or args.invocations < args.blocks:
        parser.error("--blocks must be at least 1 and --invocations at least --blocks")
    return args


# ---------------------------------------------------------------------------------------
# statistics








def block_sizes(total: int, blocks: int) -> list[int]:
    """``total`` split into ``blocks`` sizes that differ by at most one."""
    base, extra = divmod(total, blocks)
    return [base + (1 if i < extra else 0) for i in range(blocks)]


def split_tolerance_pp(n: int) -> float:
    """1.5 points at 10,000 draws; wider for fewer, in proportion to the standard error."""
    return SPLIT_TOLERANCE_PP * max(1.0, math.sqrt(SPLIT_REFERENCE_N / n))


# ---------------------------------------------------------------------------------------
# fixtures


def build(lam: Any, role: str) -> None:
    """``FUNCTION`` with versions 1 and 2 and the aliases ``live`` (weighted) and ``plain``."""
    from serverless_lab.deployment_package import zip_code

    lam.create_function(FunctionName=FUNCTION, Runtime="python3.11", Role=role,
                        Handler="app.handler", Code={"ZipFile": zip_code(
                            {"app.py": HANDLER.format(v=1)})}, Timeout=30)
    published = [lam.publish_version(FunctionName=FUNCTION)["Version"]]
    lam.update_function_code(FunctionName=FUNCTION,
                             ZipFile=zip_code({"app.py": HANDLER.format(v=2)}))
    published.append(lam.publish_version(FunctionName=FUNCTION)["Version"])
    if published != ["1", "2"]:
        raise RuntimeError(f"expected versions 1 and 2, published {published}")
    lam.create_alias(FunctionName=FUNCTION, Name="live", FunctionVersion="1",
                     RoutingConfig={"AdditionalVersionWeights": {"2": WEIGHT}})
    lam.create_alias(FunctionName=FUNCTION, Name="plain", FunctionVersion="1")


def invoke(lam: Any, qualifier: str) -> tuple[float, str]:
    """(seconds, ExecutedVersion) of one synchronous invoke, the body read included."""
    started = time.perf_counter()
    response = lam.invoke(FunctionName=FUNCTION, Qualifier=qualifier, Payload=b"{}")
    payload = response["Payload"].read()
    elapsed = time.perf_counter() - started
    if response.get("FunctionError") or payload != b"null":
        raise RuntimeError(f"invoke {FUNCTION}:{qualifier} failed: "
                           f"{response.get('FunctionError')} {payload!r}")
    return elapsed, str(response["ExecutedVersion"])


def environments_by_version(lab: Any) -> dict[str, list[Any]]:
    found: dict[str, list[Any]] = {}
    for environment in lab.runtime.environments(FUNCTION):
        found.setdefault(environment.spec.version, []).append(environment)
    return found


def warm_up(lab: Any, lam: Any) -> dict[str, Any]:
    """One warm environment per version; returns them. Uses no routing draws that count:
    the generator is reset afterwards."""
    for _ in range(WARMUP_CALLS):
        for qualifier in ("1", "2", "plain", "live"):
            invoke(lam, qualifier)
    environments = environments_by_version(lab)
    if sorted(environments) != ["1", "2"] or any(len(e) != 1 for e in environments.values()):
        raise RuntimeError(f"warm-up left {environments}, not one environment per version")
    lab.routing.reset()
    return {version: envs[0] for version, envs in environments.items()}


# ---------------------------------------------------------------------------------------
# measurement


def run_block(lam: Any, qualifier: str, size: int, times: list[float],
              versions: Counter[str]) -> float:
    """``size`` invokes of ``qualifier``; returns the block's summed invoke time."""
    total = 0.0
    for _ in range(size):
        elapsed, version = invoke(lam, qualifier)
        times.append(elapsed)
        versions[version] += 1
        total += elapsed
    return total


def bench(lab: Any, lam: Any, invocations: int, blocks: int) -> dict[str, Any]:
    warm = warm_up(lab, lam)
    times: dict[str, list[float]] = {"live": [], "plain": []}
    executed: dict[str, Counter[str]] = {"live": Counter(), "plain": Counter()}
    block_ratios: list[float] = []
    started = time.perf_counter()
    for i, size in enumerate(block_sizes(invocations, blocks)):
        order = ("live", "plain") if i % 2 == 0 else ("plain", "live")
        spent = {q: run_block(lam, q, size, times[q], executed[q]) for q in order}
        block_ratios.append(spent["live"] / spent["plain"])
    timed_s = time.perf_counter() - started

    after = environments_by_version(lab)
    if sorted(after) != ["1", "2"] or any(
            len(after[v]) != 1 or after[v][0] is not warm[v] for v in ("1", "2")):
        raise RuntimeError("an environment was replaced during the run: a cold start was timed")
    if set(executed["plain"]) != {"1"}:
        raise RuntimeError(f"the unweighted alias ran {dict(executed['plain'])}")
    if not set(executed["live"]) <= {"1", "2"}:
        raise RuntimeError(f"the weighted alias ran {dict(executed['live'])}")

    arms: dict[str, Any] = {}
    for qualifier in ("live", "plain"):
        total = sum(times[qualifier])
        arms[qualifier] = {**summary([ms(t) for t in times[qualifier]]),
                           "total_s": round(total, 3),
                           "invocations_per_s": round(len(times[qualifier]) / total, 1),
                           "executed_versions": dict(sorted(executed[qualifier].items()))}
    n = invocations
    to_v2 = executed["live"]["2"]
    share_pct = 100.0 * to_v2 / n
    std_pp = 100.0 * math.sqrt(WEIGHT * (1 - WEIGHT) / n)
    return {
        "weighted": arms["live"], "unweighted": arms["plain"],
        "time_ratio": round(arms["live"]["total_s"] / arms["plain"]["total_s"], 3),
        "median_ratio": round(arms["live"]["median_ms"] / arms["plain"]["median_ms"], 3),
        "block_ratio_median": round(statistics.median(block_ratios), 3),
        "extra_ms_per_invoke": round(ms(arms["live"]["total_s"] - arms["plain"]["total_s"]) / n,
                                     3),
        "split": {"n": n, "to_version_2": to_v2, "share_pct": round(share_pct, 3),
                  "weight_pct": round(100.0 * WEIGHT, 3),
                  "diff_pp": round(share_pct - 100.0 * WEIGHT, 3),
                  "binomial_std_pp": round(std_pp, 3),
                  "z": round((share_pct - 100.0 * WEIGHT) / std_pp, 2),
                  "tolerance_pp": round(split_tolerance_pp(n), 3)},
        "timed_s": round(timed_s, 2),
    }


# ---------------------------------------------------------------------------------------
# report


def row(label: str, arm: dict[str, Any]) -> str:
    return (f"  {label:<34} {arm['invocations_per_s']:>8.1f} {arm['total_s']:>8.2f} "
            f"{arm['median_ms']:>8.2f} {arm['p90_ms']:>8.2f} {arm['p99_ms']:>8.2f} "
            f"{arm['min_ms']:>8.2f}")


def print_table(result: dict[str, Any]) -> None:
    r = result["routing"]
    split = r["split"]
    print(f"serverless_lab weighted-alias benchmark  (python {result['python']}, "
          f"{result['cpus']} cpus, invocations={result['invocations']} per alias, "
          f"blocks={result['blocks']}, seed={result['seed']}, {result['seconds']:.1f} s)")
    print()
    print("1. speed: synchronous invokes of a no-op handler, alternating blocks")
    print(f"  {'':<34} {'inv/s':>8} {'total s':>8} {'median':>8} {'p90':>8} {'p99':>8} "
          f"{'min':>8}")
    print(row("live  (v1 + {'2': 0.1})", r["weighted"]))
    print(row("plain (v1, no routing)", r["unweighted"]))
    verdict = "met" if result["targets"]["time_ratio_met"] else "MISSED"
    print(f"  ratio total time weighted/unweighted = {r['time_ratio']:.3f}   "
          f"(target <= {TIME_TARGET_RATIO}: {verdict})")
    print(f"  ratio of medians = {r['median_ratio']:.3f}; median of per-block ratios = "
          f"{r['block_ratio_median']:.3f}; weighted costs {r['extra_ms_per_invoke']:+.3f} ms "
          f"per invoke")
    print()
    print("2. split: ExecutedVersion of the weighted alias")
    print(f"  version 1: {r['weighted']['executed_versions'].get('1', 0)}, version 2: "
          f"{split['to_version_2']} of {split['n']}")
    verdict = "met" if result["targets"]["split_met"] else "MISSED"
    print(f"  share of version 2 = {split['share_pct']:.2f} % vs weight "
          f"{split['weight_pct']:.0f} %: {split['diff_pp']:+.2f} points "
          f"(binomial std {split['binomial_std_pp']:.2f}, z = {split['z']:+.2f}; "
          f"target within {split['tolerance_pp']:.2f}: {verdict})")
    print()
    print("BENCH " + json.dumps(result, sort_keys=True))


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    import boto3
    from botocore.config import Config

    import serverless_lab

    lab = serverless_lab.start(serverless_lab.Settings(aws_managed_policies=False,
                                                       seed=args.seed))
    try:
        config = Config(retries={"total_max_attempts": 1})
        lam = boto3.client("lambda", config=config)
        role = boto3.client("iam", config=config).create_role(
            RoleName="bench-role", AssumeRolePolicyDocument=json.dumps({
                "Version": "2012-10-17", "Statement": [{
                    "Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                    "Action": "sts:AssumeRole"}]}))["Role"]["Arn"]
        build(lam, role)
        routing = bench(lab, lam, args.invocations, args.blocks)
    finally:
        lab.stop()
    split = routing["split"]
    targets = {"time_ratio_max": TIME_TARGET_RATIO, "split_tolerance_pp": split["tolerance_pp"],
               "time_ratio_met": routing["time_ratio"] <= TIME_TARGET_RATIO,
               "split_met": abs(split["diff_pp"]) <= split["tolerance_pp"]}
    result = {
        "python": platform.python_version(), "cpus": os.cpu_count(),
        "invocations": args.invocations, "blocks": args.blocks, "seed": args.seed,
        "routing": routing, "targets": targets,
        "seconds": round(time.perf_counter() - started, 2),
    }
    print_table(result)
    return verdict(targets, ("time_ratio_met", "split_met"), args.check)


if __name__ == "__main__":
    sys.exit(main())
