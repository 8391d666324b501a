"""Speed and throttling benchmark of API Gateway REST APIs in the serverless_lab emulator.

    .venv/bin/python benchmarks/apigateway.py             # defaults: --rounds 20 --block 100
    .venv/bin/python benchmarks/apigateway.py --check     # exit 1 when a target is missed

One no-op function (``return {"statusCode": 200, "body": "ok"}``) behind ``GET /ping`` of a
REST API, with an ``AWS_PROXY`` integration, deployed to a stage, served by the lab on
loopback at ``lab.api_url(api_id, stage)``:

1. throughput -- requests per second through the gateway (``requests.Session().get``) vs
   direct ``lambda.invoke`` of the same function through boto3, in alternating blocks (A/B,
   then B/A, ...), because the machine is small, shared and noisy.
   Target: median(gateway req/s) / median(direct invokes/s) >= 0.7.
2. throttle -- a second stage throttled at rate R and burst B (``update_stage``
   ``/*/*/throttling/rateLimit`` and ``/burstLimit``), sent ``pace x R`` requests per virtual
   second: one batch at virtual second 0 (a full bucket), then ``lab.advance(seconds=1)``
   and another batch, T times, so the batches cover T virtual seconds. A token bucket admits
   B + min(R, B) x T of them. Target: the 200s within 1 % of that, on a frozen clock
   (``Settings.freeze_clock``: only ``lab.advance`` moves it, so the pace is exactly the
   one intended). The same batches run once more on the lab's default clock (real time
   flows too), without a target: there the bucket also refills for the real seconds the
   batches take, and the script compares the 200s with what a bucket owes for the span
   the clock actually covered (B + R x span when R <= B) instead.
   Also: how long a 429 takes vs a 200, client side.

The default clock's lab runs part 1 and the second throttle measurement; a second lab, with
``freeze_clock=True``, runs the first. Prints a table and, last, one line ``BENCH {json}``
with every number. Loopback only.
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
from typing import Any

from bench_stats import ms, summary, verdict

THROUGHPUT_TARGET_RATIO = 0.7
THROTTLE_TARGET_PCT = 1.0
WARMUP_CALLS = 20
FUNCTION = "bench-api-noop"
HANDLER = 'def handler(e, c):\n    return {"statusCode": 200, "body": "ok"}\n'
EXPECTED_PAYLOAD = {"statusCode": 200, "body": "ok"}
OPEN_STAGE, THROTTLED_STAGE = "bench", "throttled"
TOO_MANY = {"message": "Too Many Requests"}
HTTP_TIMEOUT = 30


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=20,
                        help="throughput rounds: one gateway block and one invoke block each "
                             "(default 20)")
    parser.add_argument("--block", type=int, default=100,
                        help="requests per block (default 100)")
    parser.add_argument("--rate", type=float, default=50.0,
                        help="the throttled stage's rateLimit, requests per second (default 50)")
    parser.add_argument("--burst", type=int, default=100,
                        help="the throttled stage's burstLimit (default 100)")
    parser.add_argument("--seconds", type=int, default=20,
                        help="virtual seconds the throttle window covers (default 20)")
    parser.add_argument("--pace", type=float, default=5.0,
                        help="requests per virtual second as a multiple of --rate (default 5)")
    parser.add_argument("--check", action="store_true",
                        help="exit 1 if a target is missed (req/s ratio >= 0.7, accepted "
                             "within 1 %% of B + R x T on the frozen clock)")
    args = parser.parse_args(argv)
    if args.rounds < 1 or args.block < 1:
        parser.error("--rounds and --block must be at least 1")
    if args.rate <= 0 or args.burst < 1 or args.seconds < 1:
        parser.error("--rate must be positive, --burst and --seconds at least 1")
    args.per_second = math.ceil(args.pace * args.rate)
    if args.per_second <= max(args.rate, args.burst):
        parser.error(f"--pace x --rate ({args.per_second} requests per virtual second) must "
                     f"exceed both --rate and --burst, so the bucket is emptied every second")
    return args


# ---------------------------------------------------------------------------------------
# fixtures


class Bench:
    """One lab's clients and the API: ``GET /ping`` -> AWS_PROXY -> the no-op function."""

    def __init__(self, lab: Any, rate: float, burst: int) -> None:
        import boto3
        import requests
        from botocore.config import Config

        from serverless_lab.deployment_package import zip_code

        self.lab = lab
        config = Config(retries={"total_max_attempts": 1})
        self.lam = boto3.client("lambda", config=config)
        self.gw = boto3.client("apigateway", config=config)
        self.http = requests.Session()
        role = boto3.client("iam", config=config).create_role(
            RoleName="bench-role", AssumeRolePolicyDocument=json.dumps({
                "Version": "2012-10-17", "Statement": [{
                    "Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                    "Action": "sts:AssumeRole"}]}))["Role"]["Arn"]
        fn_arn = self.lam.create_function(
            FunctionName=FUNCTION, Runtime="python3.11", Role=role, Handler="app.handler",
            Code={"ZipFile": zip_code({"app.py": HANDLER})}, Timeout=30)["FunctionArn"]
        self.api_id = self.gw.create_rest_api(name="bench-api")["id"]
        root = self.gw.get_resources(restApiId=self.api_id)["items"][0]["id"]
        ping = self.gw.create_resource(restApiId=self.api_id, parentId=root,
                                       pathPart="ping")["id"]
        self.gw.put_method(restApiId=self.api_id, resourceId=ping, httpMethod="GET",
                           authorizationType="NONE")
        self.gw.put_integration(
            restApiId=self.api_id, resourceId=ping, httpMethod="GET", type="AWS_PROXY",
            integrationHttpMethod="POST",
            uri=f"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/{fn_arn}"
                "/invocations")
        for stage in (OPEN_STAGE, THROTTLED_STAGE):
            self.gw.create_deployment(restApiId=self.api_id, stageName=stage)
        self.gw.update_stage(restApiId=self.api_id, stageName=THROTTLED_STAGE, patchOperations=[
            {"op": "replace", "path": "/*/*/throttling/rateLimit", "value": str(rate)},
            {"op": "replace", "path": "/*/*/throttling/burstLimit", "value": str(burst)}])
        self.urls = {stage: f"{lab.api_url(self.api_id, stage)}/ping"
                     for stage in (OPEN_STAGE, THROTTLED_STAGE)}

    def get(self, stage: str) -> tuple[float, int, bytes]:
        """One ``GET /ping``: (seconds, status, body), the body read."""
        started = time.perf_counter()
        answer = self.http.get(self.urls[stage], timeout=HTTP_TIMEOUT)
        body = answer.content
        return time.perf_counter() - started, answer.status_code, body

    def get_ok(self, stage: str) -> float:
        elapsed, status, body = self.get(stage)
        if (status, body) != (200, b"ok"):
            raise RuntimeError(f"GET /ping on {stage} answered {status} {body!r}")
        return elapsed

    def invoke_ok(self) -> float:
        started = time.perf_counter()
        response = self.lam.invoke(FunctionName=FUNCTION, Payload=b"{}")
        payload = response["Payload"].read()
        elapsed = time.perf_counter() - started
        if response.get("FunctionError") or json.loads(payload) != EXPECTED_PAYLOAD:
            raise RuntimeError(f"invoke failed: {response.get('FunctionError')} {payload!r}")
        return elapsed

    def warm_up(self) -> Any:
        """Warm the function both ways; return its one environment."""
        for _ in range(WARMUP_CALLS):
            self.get_ok(OPEN_STAGE)
            self.invoke_ok()
        return self.one_environment("after the warm-up")

    def one_environment(self, when: str) -> Any:
        environments = self.lab.runtime.environments(FUNCTION)
        if len(environments) != 1:
            raise RuntimeError(f"{len(environments)} environments of {FUNCTION} {when}")
        return environments[0]


# ---------------------------------------------------------------------------------------
# measurements


def bench_throughput(bench: Bench, rounds: int, block: int) -> dict[str, Any]:
    """Alternating blocks of ``block`` gateway GETs and ``block`` direct invokes."""
    environment = bench.warm_up()
    times: dict[str, list[float]] = {"gateway": [], "direct": []}
    rates: dict[str, list[float]] = {"gateway": [], "direct": []}
    arms = {"gateway": lambda: bench.get_ok(OPEN_STAGE), "direct": bench.invoke_ok}
    for i in range(rounds):
        for arm in (("gateway", "direct") if i % 2 == 0 else ("direct", "gateway")):
            block_times = [arms[arm]() for _ in range(block)]
            times[arm].extend(block_times)
            rates[arm].append(block / sum(block_times))
    if bench.one_environment("after the throughput blocks") is not environment:
        raise RuntimeError("the function lost its warm environment: not a warm measurement")
    result: dict[str, Any] = {}
    for arm in ("gateway", "direct"):
        total = sum(times[arm])
        result[arm] = {**summary([ms(t) for t in times[arm]]),
                       "per_s_median": round(statistics.median(rates[arm]), 1),
                       "per_s_min": round(min(rates[arm]), 1),
                       "per_s_max": round(max(rates[arm]), 1),
                       "per_s_overall": round(len(times[arm]) / total, 1),
                       "total_s": round(total, 3)}
    gateway, direct = result["gateway"], result["direct"]
    result["ratio"] = round(gateway["per_s_median"] / direct["per_s_median"], 3)
    result["round_ratio_median"] = round(statistics.median(
        g / d for g, d in zip(rates["gateway"], rates["direct"], strict=True)), 3)
    result["ratio_overall"] = round(gateway["per_s_overall"] / direct["per_s_overall"], 3)
    result["extra_ms"] = round(gateway["median_ms"] - direct["median_ms"], 3)
    return result


def bench_throttle(bench: Bench, rate: float, burst: int, seconds: int, per_second: int
                   ) -> dict[str, Any]:
    """``per_second`` requests at virtual seconds 0, 1, ..., ``seconds``; count the 200s."""
    bench.warm_up()
    lab = bench.lab
    ok_times: list[float] = []
    throttled_times: list[float] = []
    accepted_per_second: list[int] = []
    batch_real_s: list[float] = []
    batch_clock: list[tuple[float, float]] = []  # lab.clock around each batch
    clock_start = lab.clock.now()
    wall_start = time.perf_counter()
    for second in range(seconds + 1):
        if second:
            lab.advance(seconds=1)
        batch_start, clock_first = time.perf_counter(), lab.clock.now()
        accepted = 0
        for _ in range(per_second):
            elapsed, status, body = bench.get(THROTTLED_STAGE)
            if (status, body) == (200, b"ok"):
                accepted += 1
                ok_times.append(elapsed)
            elif status == 429 and json.loads(body) == TOO_MANY:
                throttled_times.append(elapsed)
            else:
                raise RuntimeError(f"GET /ping on {THROTTLED_STAGE} answered {status} {body!r}")
        batch_real_s.append(time.perf_counter() - batch_start)
        batch_clock.append((clock_first, lab.clock.now()))
        accepted_per_second.append(accepted)
    clock_span = lab.clock.now() - clock_start
    wall_s = time.perf_counter() - wall_start
    bench.one_environment("after the throttled batches")
    total = sum(accepted_per_second)
    expected = burst + min(rate, float(burst)) * seconds
    on_clock = owed_on_clock(rate, burst, batch_clock)
    ok, throttled = summary([ms(t) for t in ok_times]), summary([ms(t) for t in throttled_times])
    return {
        "rate": rate, "burst": burst, "seconds": seconds, "per_second": per_second,
        "requests": per_second * (seconds + 1), "accepted": total,
        "throttled": len(throttled_times), "expected": round(expected, 3),
        "error_pct": round(100.0 * (total - expected) / expected, 3),
        "accepted_per_second": accepted_per_second,
        "clock_span_s": round(clock_span, 3), "virtual_advance_s": float(seconds),
        "expected_on_clock_span": round(on_clock, 1),
        "error_on_clock_span_pct": round(100.0 * (total - on_clock) / on_clock, 3),
        "batch_real_s": summary([1000 * s for s in batch_real_s]),
        "wall_s": round(wall_s, 2),
        "ok": ok, "too_many": throttled,
        "ratio_429_to_200": round(throttled["median_ms"] / ok["median_ms"], 3),
    }


def owed_on_clock(rate: float, burst: int, batches: list[tuple[float, float]]) -> float:
    """What a token bucket admits for batches that each empty it, given the clock when each
    batch began and ended: B, plus R x each batch's own span (tokens taken as they come),
    plus each gap's refill, capped at B."""
    owed = float(burst)
    for i, (first, last) in enumerate(batches):
        if i:
            owed += min(float(burst), rate * (first - batches[i - 1][1]))
        owed += rate * (last - first)
    return owed


# ---------------------------------------------------------------------------------------
# report


def row(label: str, stats: dict[str, float], rate: str = "") -> str:
    return (f"  {label:<38} {rate:>8} {stats['median_ms']:>8.2f} {stats['p90_ms']:>8.2f} "
            f"{stats['p99_ms']:>8.2f} {stats['min_ms']:>8.2f}")


def print_throttle(label: str, t: dict[str, Any], target: bool | None) -> None:
    print(f"  {label}: {t['requests']} requests, {t['per_second']} per virtual second at "
          f"virtual seconds 0..{t['seconds']}; clock span {t['clock_span_s']:.3f} s "
          f"({t['wall_s']:.1f} s of wall time)")
    expected = (f"B + min(R, B) x T = {t['burst']} + {min(t['rate'], t['burst']):g} x "
                f"{t['seconds']} = {t['expected']:g}")
    verdict = "" if target is None else \
        f"   (target within {THROTTLE_TARGET_PCT:g} %: {'met' if target else 'MISSED'})"
    print(f"    accepted {t['accepted']} (429: {t['throttled']}) vs {expected}: "
          f"{t['error_pct']:+.2f} %{verdict}")
    print(f"    vs what a bucket owes for the clock's span = {t['expected_on_clock_span']:.1f}"
          f": {t['error_on_clock_span_pct']:+.2f} %; 200s per second: "
          f"{t['accepted_per_second'][0]}, then {sorted(set(t['accepted_per_second'][1:]))}")


def print_table(result: dict[str, Any]) -> None:
    tp, frozen, flowing = result["throughput"], result["throttle_frozen"], result["throttle_lab"]
    header = (f"  {'(ms)':<38} {'per s':>8} {'median':>8} {'p90':>8} {'p99':>8} "
              f"{'min':>8}")
    print(f"serverless_lab API Gateway benchmark  (python {result['python']}, {result['cpus']} "
          f"cpus, rounds={result['rounds']}, block={result['block']}, R={frozen['rate']:g}, "
          f"B={frozen['burst']}, T={frozen['seconds']}, {result['seconds']:.1f} s)")
    print()
    print("1. throughput: GET /ping through the gateway vs lambda.invoke, alternating blocks")
    print(header)
    print(row("gateway GET /ping (AWS_PROXY)", tp["gateway"],
              f"{tp['gateway']['per_s_median']:.1f}"))
    print(row("lambda.invoke, direct (baseline)", tp["direct"],
              f"{tp['direct']['per_s_median']:.1f}"))
    verdict = "met" if result["targets"]["throughput_met"] else "MISSED"
    print(f"  ratio median(gateway req/s) / median(direct inv/s) = {tp['ratio']:.3f}   "
          f"(target >= {THROUGHPUT_TARGET_RATIO}: {verdict})")
    print(f"  median of per-round ratios = {tp['round_ratio_median']:.3f}; overall "
          f"{tp['gateway']['per_s_overall']:.1f} vs {tp['direct']['per_s_overall']:.1f} per s "
          f"= {tp['ratio_overall']:.3f}; the gateway costs {tp['extra_ms']:+.2f} ms per request")
    print()
    print("2. throttle: a stage at rate R, burst B, sent pace x R requests per virtual second")
    print_throttle("frozen clock (only lab.advance moves it)", frozen,
                   result["targets"]["throttle_met"])
    print_throttle("lab clock (real time flows too; no target)", flowing, None)
    print(header)
    print(row("200 through the throttled stage", frozen["ok"]))
    print(row("429 Too Many Requests", frozen["too_many"]))
    print(f"  ratio median(429)/median(200) = {frozen['ratio_429_to_200']:.3f} (frozen clock); "
          f"{flowing['ratio_429_to_200']:.3f} (lab clock)")
    print()
    print("BENCH " + json.dumps(result, sort_keys=True))


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    import serverless_lab

    lab = serverless_lab.start(serverless_lab.Settings(aws_managed_policies=False))
    try:
        bench = Bench(lab, args.rate, args.burst)
        throughput = bench_throughput(bench, args.rounds, args.block)
        throttle_lab = bench_throttle(bench, args.rate, args.burst, args.seconds,
                                      args.per_second)
    finally:
        serverless_lab.stop()
    lab = serverless_lab.start(serverless_lab.Settings(aws_managed_policies=False,
                                                       freeze_clock=True))
    try:
        lab.reset()  # moto's backends are process-wide: drop the first lab's resources
        bench = Bench(lab, args.rate, args.burst)
        throttle_frozen = bench_throttle(bench, args.rate, args.burst, args.seconds,
                                         args.per_second)
    finally:
        serverless_lab.stop()
    targets = {"throughput_ratio_min": THROUGHPUT_TARGET_RATIO,
               "throttle_error_max_pct": THROTTLE_TARGET_PCT,
               "throughput_met": throughput["ratio"] >= THROUGHPUT_TARGET_RATIO,
               "throttle_met": abs(throttle_frozen["error_pct"]) <= THROTTLE_TARGET_PCT}
    result = {
        "python": platform.python_version(), "cpus": os.cpu_count(),
        "rounds": args.rounds, "block": args.block, "pace": args.pace,
        "throughput": throughput, "throttle_frozen": throttle_frozen,
        "throttle_lab": throttle_lab, "targets": targets,
        "seconds": round(time.perf_counter() - started, 2),
    }
    print_table(result)
    return verdict(targets, ("throughput_met", "throttle_met"), args.check)


if __name__ == "__main__":
    sys.exit(main())
