"""Speed benchmark of Step Functions: a batch of Standard executions, and what a Wait costs.

    .venv/bin/python benchmarks/stepfunctions.py          # defaults: --executions 200 --singles 10
    .venv/bin/python benchmarks/stepfunctions.py --check  # exit 1 when a target is missed

The workflow has six states: Pass (``Prepare``) -> Task (``Call``, a no-op Lambda function
by its plain function ARN) -> Choice (``Route``) -> Wait (``Hold``) -> Pass (``Finish``) ->
Succeed (``Done``). Two state machines run it, one waiting 3,600 s and one 86,400 s; the lab
runs Wait states on its virtual clock, so ``lab.advance`` releases them.

1. batch  -- N Standard executions (``--executions``, default 200) started back to back with
   ``StartExecution``, then ``lab.settle()`` (all N are blocked in the Wait) and
   ``lab.advance(hours=1)``. Executions per second = N / the wall time from the first start
   to the return of ``lab.advance`` (which settles: every execution has finished then; the N
   ``DescribeExecution`` calls that check SUCCEEDED are timed apart). Compared with N direct
   synchronous invokes of the same function in the same run (half before, half after the
   batch), invokes per second. No target: reported as a ratio.
   Also: the wall time of ``lab.advance(hours=1)`` alone, per execution-hour waited.
   Target: < 2 ms per execution-hour, i.e. advance(hours=1) < 2 ms x N.
2. single -- one execution of the 24-hour machine: ``StartExecution``, ``lab.settle()``, then
   the timed ``lab.advance(hours=24)`` that releases it. ``--singles`` rounds (default 10),
   interleaved A/B with the baseline: ``lab.advance(hours=24)`` with no execution waiting,
   after one synchronous invoke of the same function (both advances then shut down the one
   execution environment the invoke left idle, so the difference is the execution itself).
   Target: median < 48 ms, i.e. < 2 ms per virtual hour waited.

"Under 2 ms of wall time per virtual hour waited" is read per execution-hour for the batch
(N executions x 1 h = N execution-hours) and as the total for the single execution (24 h).

Every execution is checked: SUCCEEDED, its output carries its own input through all six
states, and (first and last of the batch, every single) its history enters the six states in
order with a successful Lambda call. Prints a table and, last, one line ``BENCH {json}``.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import platform
import sys
import time
from typing import Any

from bench_stats import ms, summary, timed, verdict

WAIT_TARGET_MS_PER_HOUR = 2.0
SINGLE_HOURS = 24
WARMUP_SYNC = 20
WARMUP_EXECUTIONS = 10
FUNCTION = "bench-sfn-noop"
NOOP = "def handler(e, c):\n    return None\n"
STATES = ["Prepare", "Call", "Route", "Hold", "Finish", "Done"]
TRUST = {"Version": "2012-10-17", "Statement": [{
    "Effect": "Allow", "Principal": {"Service": ["lambda.amazonaws.com",
                                                 "states.amazonaws.com"]},
    "Action": "sts:AssumeRole"}]}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--executions", type=int, default=200,
                        help="Standard executions in the batch, and synchronous invokes in its "
                             "baseline (default 200)")
    parser.add_argument("--singles", type=int, default=10,
                        help="rounds of the single 24-hour execution, each with its baseline "
                             "(default 10)")
    parser.add_argument("--check", action="store_true",
                        help="exit 1 if a target is missed (< 2 ms of wall time per virtual "
                             "hour waited: per execution-hour in the batch, in total for the "
                             "single 24-hour execution)")
    args = parser.parse_args(argv)
    if args.executions < 2 or args.singles < 1:
        parser.error("--executions must be at least 2 and --singles at least 1")
    return args


# ---------------------------------------------------------------------------------------
# statistics










# ---------------------------------------------------------------------------------------
# fixtures


def definition(function_arn: str, wait_seconds: int) -> str:
    return json.dumps({"Comment": "benchmarks/stepfunctions.py", "StartAt": "Prepare",
                       "States": {
        "Prepare": {"Type": "Pass", "Parameters": {"i.$": "$.i", "n": 1}, "Next": "Call"},
        "Call": {"Type": "Task", "Resource": function_arn, "ResultPath": "$.result",
                 "Next": "Route"},
        "Route": {"Type": "Choice", "Default": "Finish", "Choices": [
            {"Variable": "$.n", "NumericEquals": 1, "Next": "Hold"}]},
        "Hold": {"Type": "Wait", "Seconds": wait_seconds, "Next": "Finish"},
        "Finish": {"Type": "Pass", "Next": "Done"},
        "Done": {"Type": "Succeed"}}})


class Bench:
    """The clients, the function and the two state machines."""

    def __init__(self, lab: Any) -> None:
        import boto3
        from botocore.config import Config

        from serverless_lab.deployment_package import zip_code

        self.lab = lab
        config = Config(retries={"total_max_attempts": 1})
        self.lam = boto3.client("lambda", config=config)
        self.sfn = boto3.client("stepfunctions", config=config)
        role = boto3.client("iam", config=config).create_role(
            RoleName="bench-sfn-role",
            AssumeRolePolicyDocument=json.dumps(TRUST))["Role"]["Arn"]
        function_arn = self.lam.create_function(
            FunctionName=FUNCTION, Runtime="python3.11", Role=role, Handler="app.handler",
            Code={"ZipFile": zip_code({"app.py": NOOP})}, Timeout=30)["FunctionArn"]
        self.hour = self.sfn.create_state_machine(
            name="bench-wait-1h", roleArn=role,
            definition=definition(function_arn, 3600))["stateMachineArn"]
        self.day = self.sfn.create_state_machine(
            name=f"bench-wait-{SINGLE_HOURS}h", roleArn=role,
            definition=definition(function_arn, SINGLE_HOURS * 3600))["stateMachineArn"]

    def invoke(self, i: int) -> None:
        response = self.lam.invoke(FunctionName=FUNCTION,
                                   Payload=json.dumps({"i": i, "n": 1}).encode())
        payload = response["Payload"].read()
        if response.get("FunctionError") or payload != b"null":
            raise RuntimeError(f"invoke failed: {response.get('FunctionError')} {payload!r}")

    def start(self, machine: str, i: int) -> str:
        arn: str = self.sfn.start_execution(stateMachineArn=machine,
                                            input=json.dumps({"i": i}))["executionArn"]
        return arn

    def environments(self) -> list[Any]:
        return list(self.lab.runtime.environments(FUNCTION))

    def expect_blocked(self, n: int, when: str) -> None:
        blocked = self.lab.waits.blocked()
        if blocked != n:
            raise RuntimeError(f"{when}: {blocked} executions blocked on the clock, "
                               f"expected {n}")

    def check(self, arn: str, i: int, history: bool) -> None:
        described = self.sfn.describe_execution(executionArn=arn)
        if described["status"] != "SUCCEEDED":
            raise RuntimeError(f"{arn}: {described['status']} {described.get('error')} "
                               f"{described.get('cause')}")
        output = json.loads(described["output"])
        if output != {"i": i, "n": 1, "result": None}:
            raise RuntimeError(f"{arn}: unexpected output {output}")
        if history:
            self.check_history(arn)

    def check_history(self, arn: str) -> None:
        events = self.sfn.get_execution_history(executionArn=arn)["events"]
        entered = [e[k]["name"] for e in events for k in e if k == "stateEnteredEventDetails"]
        types = [e["type"] for e in events]
        if entered != STATES or "LambdaFunctionSucceeded" not in types \
                or types[-1] != "ExecutionSucceeded":
            raise RuntimeError(f"{arn}: history entered {entered}, events {types}")


def sync_block(bench: Bench, n: int, first: int) -> tuple[float, list[float]]:
    """n synchronous invokes after WARMUP_SYNC untimed ones: (wall s, each invoke in ms).
    The function must keep one and the same environment through the timed part."""
    for i in range(WARMUP_SYNC):
        bench.invoke(-1 - i)
    environments = bench.environments()
    each: list[float] = []
    started = time.perf_counter()
    for i in range(first, first + n):
        each.append(ms(timed(functools.partial(bench.invoke, i))))
    wall = time.perf_counter() - started
    if bench.environments() != environments or len(environments) != 1:
        raise RuntimeError("the function changed environments: not a warm baseline")
    return wall, each


# ---------------------------------------------------------------------------------------
# measurements


def warm_up(bench: Bench) -> None:
    """Untimed: moto's interpreter, botocore's models and the clock path, end to end."""
    arns = [bench.start(bench.hour, i) for i in range(WARMUP_EXECUTIONS)]
    bench.lab.settle()
    bench.expect_blocked(WARMUP_EXECUTIONS, "warm-up")
    bench.lab.advance(hours=1)
    for i, arn in enumerate(arns):
        bench.check(arn, i, history=i == 0)
    arn = bench.start(bench.day, 0)
    bench.lab.settle()
    bench.lab.advance(hours=SINGLE_HOURS)
    bench.check(arn, 0, history=True)


def run_batch(bench: Bench, n: int) -> dict[str, Any]:
    lab = bench.lab
    envs_before = len(bench.environments())
    start_ms: list[float] = []
    arns: list[str] = []
    t0 = time.perf_counter()
    for i in range(n):
        began = time.perf_counter()
        arns.append(bench.start(bench.hour, i))
        start_ms.append(ms(time.perf_counter() - began))
    t1 = time.perf_counter()
    lab.settle()
    t2 = time.perf_counter()
    bench.expect_blocked(n, "after lab.settle()")
    envs_settled = len(bench.environments())
    timers_before = lab.clock.pending()
    t3 = time.perf_counter()
    lab.advance(hours=1)
    t4 = time.perf_counter()
    timers_fired = timers_before - lab.clock.pending()
    bench.expect_blocked(0, "after lab.advance(hours=1)")
    envs_after = len(bench.environments())
    for i, arn in enumerate(arns):
        bench.check(arn, i, history=i in (0, n - 1))
    t5 = time.perf_counter()
    total = t4 - t0
    advance_ms = ms(t4 - t3)
    return {"executions": n, "total_s": round(total, 3),
            "executions_per_s": round(n / total, 1),
            "start_s": round(t1 - t0, 3), "starts_per_s": round(n / (t1 - t0), 1),
            "start_call": summary(start_ms),
            "settle_s": round(t2 - t1, 3),
            "to_wait_per_s": round(n / (t2 - t0), 1),
            "advance_ms": round(advance_ms, 3),
            "advance_ms_per_execution_hour": round(advance_ms / n, 3),
            "advance_ms_per_virtual_hour": round(advance_ms, 3),
            "timers_fired_in_advance": timers_fired,
            "environments": {"before": envs_before, "after_settle": envs_settled,
                             "after_advance": envs_after},
            "check_s": round(t5 - t4, 3)}


def bench_batch(bench: Bench, n: int) -> dict[str, Any]:
    before_s, sync_ms = sync_block(bench, n // 2, 0)
    batch = run_batch(bench, n)
    after_s, sync_after_ms = sync_block(bench, n - n // 2, n // 2)
    sync_ms += sync_after_ms
    sync_s = before_s + after_s
    sync_per_s = n / sync_s
    return {"sfn": batch,
            "sync": {"invokes": n, "total_s": round(sync_s, 3),
                     "invokes_per_s": round(sync_per_s, 1), "per_invoke": summary(sync_ms)},
            "ratio": round(batch["executions_per_s"] / sync_per_s, 3),
            "ratio_to_wait": round(batch["to_wait_per_s"] / sync_per_s, 3)}


def bench_single(bench: Bench, rounds: int) -> dict[str, Any]:
    lab = bench.lab
    waited: list[float] = []
    empty: list[float] = []
    reaped: list[int] = []

    def one_execution(i: int) -> None:
        arn = bench.start(bench.day, i)
        lab.settle()
        bench.expect_blocked(1, "single execution after lab.settle()")
        envs = len(bench.environments())
        waited.append(ms(timed(lambda: lab.advance(hours=SINGLE_HOURS))))
        reaped.append(envs - len(bench.environments()))
        bench.expect_blocked(0, f"single execution after lab.advance(hours={SINGLE_HOURS})")
        bench.check(arn, i, history=True)

    def no_execution(i: int) -> None:
        bench.invoke(i)
        lab.settle()
        bench.expect_blocked(0, "baseline")
        empty.append(ms(timed(lambda: lab.advance(hours=SINGLE_HOURS))))

    for i in range(rounds):
        if i % 2 == 0:
            one_execution(i)
            no_execution(i)
        else:
            no_execution(i)
            one_execution(i)
    result: dict[str, Any] = {"rounds": rounds, "hours": SINGLE_HOURS,
                              "advance": summary(waited), "baseline": summary(empty),
                              "environments_shut_down": reaped}
    median = result["advance"]["median_ms"]
    result["extra_ms"] = round(median - result["baseline"]["median_ms"], 3)
    result["ms_per_virtual_hour"] = round(median / SINGLE_HOURS, 3)
    result["max_ms_per_virtual_hour"] = round(result["advance"]["max_ms"] / SINGLE_HOURS, 3)
    return result


# ---------------------------------------------------------------------------------------
# report


def row(label: str, stats: dict[str, float], note: str = "") -> str:
    return (f"  {label:<44} {stats['median_ms']:>9.2f} {stats['p90_ms']:>9.2f} "
            f"{stats['min_ms']:>9.2f} {stats['max_ms']:>9.2f}  {note}").rstrip()


def print_batch(result: dict[str, Any]) -> None:
    batch = result["batch"]
    b, s = batch["sfn"], batch["sync"]
    n = b["executions"]
    print(f"1. {n} Standard executions (Pass, Task, Choice, Wait 1 h, Pass, Succeed) vs "
          f"{s['invokes']} sync invokes of the same function")
    print(f"  {'':<44} {'per s':>9} {'wall s':>9}")
    print(f"  {'executions (first start -> all succeeded)':<44} {b['executions_per_s']:>9.1f} "
          f"{b['total_s']:>9.3f}")
    print(f"  {'  StartExecution x N':<44} {b['starts_per_s']:>9.1f} {b['start_s']:>9.3f}  "
          f"per call: median {b['start_call']['median_ms']:.2f} ms, "
          f"p90 {b['start_call']['p90_ms']:.2f} ms")
    print(f"  {'  lab.settle() (all N blocked in the Wait)':<44} {'':>9} {b['settle_s']:>9.3f}  "
          f"to the Wait: {b['to_wait_per_s']:.1f} executions/s")
    print(f"  {'  lab.advance(hours=1) (releases all N)':<44} {'':>9} "
          f"{b['advance_ms'] / 1000:>9.3f}  {b['timers_fired_in_advance']} timers fired")
    print(f"  {'  (untimed) DescribeExecution x N, checks':<44} {'':>9} {b['check_s']:>9.3f}")
    print(f"  {'sync invokes (baseline)':<44} {s['invokes_per_s']:>9.1f} {s['total_s']:>9.3f}  "
          f"median {s['per_invoke']['median_ms']:.2f} ms, p90 {s['per_invoke']['p90_ms']:.2f} ms")
    print(f"  ratio executions/s / sync invokes/s = {batch['ratio']:.3f} (no target); "
          f"to the Wait only: {batch['ratio_to_wait']:.3f}")
    env = b["environments"]
    print(f"  environments of the function: {env['before']} before the batch, "
          f"{env['after_settle']} after lab.settle(), {env['after_advance']} after "
          "lab.advance(hours=1) (idle ones are shut down after 600 virtual s)")
    verdict = "met" if result["targets"]["batch_met"] else "MISSED"
    print(f"  Wait: lab.advance(hours=1) {b['advance_ms']:.1f} ms for {n} executions x 1 h = "
          f"{b['advance_ms_per_execution_hour']:.3f} ms per execution-hour (target < "
          f"{WAIT_TARGET_MS_PER_HOUR} ms, i.e. < {WAIT_TARGET_MS_PER_HOUR * n:.0f} ms: "
          f"{verdict}); {b['advance_ms_per_virtual_hour']:.1f} ms per virtual hour in total")


def print_single(result: dict[str, Any]) -> None:
    single = result["single"]
    hours = single["hours"]
    print(f"2. one execution waiting {hours} h: lab.advance(hours={hours}) that releases it, "
          f"{single['rounds']} rounds")
    print(f"  {'(ms)':<44} {'median':>9} {'p90':>9} {'min':>9} {'max':>9}")
    print(row(f"lab.advance(hours={hours}), one execution", single["advance"]))
    print(row(f"lab.advance(hours={hours}), none (baseline)", single["baseline"],
              "after 1 sync invoke"))
    verdict = "met" if result["targets"]["single_met"] else "MISSED"
    print(f"  median {single['advance']['median_ms']:.2f} ms = {single['ms_per_virtual_hour']:.3f}"
          f" ms per virtual hour (target < {WAIT_TARGET_MS_PER_HOUR * hours:.0f} ms, i.e. < "
          f"{WAIT_TARGET_MS_PER_HOUR} ms/h: {verdict}); max "
          f"{single['max_ms_per_virtual_hour']:.3f} ms/h; the execution adds "
          f"{single['extra_ms']:+.2f} ms to the baseline")
    print(f"  environments shut down inside each timed advance: "
          f"{sorted(set(single['environments_shut_down']))}")


def print_table(result: dict[str, Any]) -> None:
    print(f"serverless_lab Step Functions benchmark  (python {result['python']}, "
          f"{result['cpus']} cpus, executions={result['executions']}, "
          f"singles={result['singles']}, {result['seconds']:.1f} s)")
    print()
    print_batch(result)
    print()
    print_single(result)
    print()
    print("BENCH " + json.dumps(result, sort_keys=True))


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    import serverless_lab

    lab = serverless_lab.start(serverless_lab.Settings(aws_managed_policies=False))
    try:
        bench = Bench(lab)
        warm_up(bench)
        batch = bench_batch(bench, args.executions)
        single = bench_single(bench, args.singles)
    finally:
        lab.stop()
    targets = {
        "wait_ms_per_virtual_hour_max": WAIT_TARGET_MS_PER_HOUR,
        "batch_reads": "lab.advance(hours=1) / (N executions x 1 h), per execution-hour",
        "single_reads": f"median lab.advance(hours={SINGLE_HOURS}) / {SINGLE_HOURS} h, total",
        "batch_met": batch["sfn"]["advance_ms_per_execution_hour"] < WAIT_TARGET_MS_PER_HOUR,
        "single_met": single["advance"]["median_ms"] < WAIT_TARGET_MS_PER_HOUR * SINGLE_HOURS,
    }
    result = {
        "python": platform.python_version(), "cpus": os.cpu_count(),
        "executions": args.executions, "singles": args.singles,
        "batch": batch, "single": single, "targets": targets,
        "seconds": round(time.perf_counter() - started, 2),
    }
    print_table(result)
    return verdict(targets, ("batch_met", "single_met"), args.check)


if __name__ == "__main__":
    sys.exit(main())
