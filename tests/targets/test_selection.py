"""SERVERLESS_LAB_TARGET: which target, and the opt-in that target aws needs."""

from __future__ import annotations

import pytest

import serverless_lab
from serverless_lab.targets import selection as targets
from serverless_lab.targets.selection import CostsNotAcknowledged, Target, TargetError, select


def test_the_default_target_is_the_emulator_in_this_process() -> None:
    assert select({}) == Target("local")
    assert select({"SERVERLESS_LAB_TARGET": ""}) == Target("local")
    assert select({"SERVERLESS_LAB_TARGET": " Local "}) == Target("local")


def test_an_unknown_target_is_refused_with_the_choices() -> None:
    with pytest.raises(TargetError, match="choose one of local, endpoint, aws"):
        select({"SERVERLESS_LAB_TARGET": "localstack"})


def test_target_endpoint_takes_aws_endpoint_url() -> None:
    chosen = select({"SERVERLESS_LAB_TARGET": "endpoint",
                     "AWS_ENDPOINT_URL": "http://127.0.0.1:4566/"})
    assert chosen == Target("endpoint", "http://127.0.0.1:4566") and chosen.emulated


def test_target_endpoint_without_an_endpoint_is_refused() -> None:
    with pytest.raises(TargetError, match="needs AWS_ENDPOINT_URL"):
        select({"SERVERLESS_LAB_TARGET": "endpoint"})
    with pytest.raises(TargetError):
        select({"SERVERLESS_LAB_TARGET": "endpoint", "AWS_ENDPOINT_URL": "127.0.0.1:4566"})


@pytest.mark.parametrize("flag", [None, "", "0", "yes", "true"])
def test_target_aws_is_refused_without_the_opt_in(flag: str | None) -> None:
    env = {"SERVERLESS_LAB_TARGET": "aws"}
    if flag is not None:
        env["SERVERLESS_LAB_I_UNDERSTAND_COSTS"] = flag
    with pytest.raises(CostsNotAcknowledged) as refused:
        select(env)
    message = str(refused.value)
    assert "SERVERLESS_LAB_I_UNDERSTAND_COSTS=1" in message
    assert "Lambda functions" in message and "serverless-lab cleanup" in message


def test_target_aws_with_the_opt_in() -> None:
    chosen = select({"SERVERLESS_LAB_TARGET": "aws", "SERVERLESS_LAB_I_UNDERSTAND_COSTS": "1"})
    assert chosen == Target("aws") and not chosen.emulated


def test_start_refuses_aws_without_the_opt_in(monkeypatch: pytest.MonkeyPatch) -> None:
    serverless_lab.stop()
    monkeypatch.setenv("SERVERLESS_LAB_TARGET", "aws")
    monkeypatch.delenv("SERVERLESS_LAB_I_UNDERSTAND_COSTS", raising=False)
    with pytest.raises(serverless_lab.CostsNotAcknowledged):
        serverless_lab.start()


def test_run_names_and_tags() -> None:
    class Run(targets.RunNames):
        run_id, target = "0a1b2c", "local"

    run = Run()
    assert run.name("orders") == "slb-0a1b2c-orders" and run.prefix == "slb-0a1b2c-"
    assert run.tags == {"serverless-lab:run": "0a1b2c"}


def test_the_emulator_names_resources_by_its_seed(lab) -> None:
    assert lab.target == "local" and lab.run_id == "34dae7"
    assert lab.name("greeter") == "slb-34dae7-greeter"
