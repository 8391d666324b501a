"""A lab on another target: a served emulator (its clock over HTTP), or real time."""

from __future__ import annotations

import os

import boto3
import pytest

from serverless_lab.targets.remote import RemoteLab, Timing, role_retry
from serverless_lab.targets.selection import Target


class FakeTime:
    """Real time, faked: sleeping moves it."""

    def __init__(self) -> None:
        self.now, self.slept = 1_000.0, 0.0

    def sleep(self, seconds: float) -> None:
        self.now += seconds
        self.slept += seconds


@pytest.fixture
def served(lab):
    """The in-process emulator, driven as another process would drive it."""
    remote = RemoteLab(Target("endpoint", lab.endpoint_url)).start()
    yield remote
    remote.stop()


@pytest.fixture
def unserved(lab):
    """The same endpoint treated as a foreign one: real (here fake) time."""
    fake = FakeTime()
    remote = RemoteLab(Target("endpoint", lab.endpoint_url), served=False,
                       timing=Timing(settle_interval=2.0, quiet_looks=3, settle_limit=60),
                       sleep=fake.sleep, time_source=lambda: fake.now).start()
    yield remote, fake
    remote.stop()


def test_a_serverless_lab_serve_is_detected(served, lab) -> None:
    assert served.served and served.target == "endpoint"
    assert os.environ["AWS_ENDPOINT_URL"] == \
        lab.endpoint_url


def test_advance_moves_the_served_clock(served, lab) -> None:
    before = lab.clock.now()
    served.advance(minutes=3)
    assert lab.clock.now() - before == pytest.approx(180, abs=1)
    assert served.clock.now() == pytest.approx(lab.clock.now(), abs=1)


def test_a_value_the_served_lab_refuses_is_a_value_error(served, lab) -> None:
    before = lab.clock.now()
    with pytest.raises(ValueError, match="finite number"):
        served.advance(seconds=float("inf"))
    assert lab.clock.now() - before < 5


def test_a_served_clock_freezes_for_a_block(served, lab) -> None:
    import time

    with served.clock.frozen():
        before = lab.clock.now()
        time.sleep(0.1)
        assert lab.clock.now() == before
    assert lab.clock._frozen_at is None


def test_knobs_go_to_the_served_emulator(served, lab) -> None:
    served.settings.express_duplicate_rate = 0.5
    assert lab.settings.express_duplicate_rate == 0.5
    served.settings.express_duplicate_rate = 0.0
    assert lab.settings.express_duplicate_rate == 0.0


def test_reset_and_api_url_on_a_served_emulator(served, lab) -> None:
    boto3.client("sqs").create_queue(QueueName=served.name("q"))
    served.reset()
    assert boto3.client("sqs").list_queues().get("QueueUrls", []) == []
    assert served.api_url("abc123", "dev") == lab.api_url("abc123", "dev")


def test_names_are_those_of_the_emulator(served, lab) -> None:
    assert served.run_id == lab.run_id and served.name("x") == lab.name("x")


def test_stop_puts_back_the_environment_and_session(lab) -> None:
    session = boto3.DEFAULT_SESSION
    remote = RemoteLab(Target("endpoint", "http://127.0.0.1:9")).start()
    assert not remote.served and boto3.DEFAULT_SESSION is not session
    remote.stop()
    assert boto3.DEFAULT_SESSION is session
    assert os.environ["AWS_ENDPOINT_URL"] == lab.endpoint_url


def test_real_time_advance_waits_that_long_with_a_progress_bar(unserved, capsys) -> None:
    remote, fake = unserved
    remote.advance(minutes=1)
    # three quiet looks of 2 s before, the minute itself, three quiet looks after
    assert fake.slept == pytest.approx(60 + 2 * 3 * 2)
    assert "waiting (target endpoint)" in capsys.readouterr().err  # tqdm's bar


def test_real_time_settle_waits_until_nothing_changes(unserved) -> None:
    remote, fake = unserved
    sqs = boto3.client("sqs")
    url = sqs.create_queue(QueueName=remote.name("work"))["QueueUrl"]
    sent = iter(range(2))

    def sleep(seconds: float) -> None:  # a message arrives during the first two looks
        fake.sleep(seconds)
        if next(sent, None) is not None:
            sqs.send_message(QueueUrl=url, MessageBody="m")

    remote._sleep = sleep
    remote.settle()
    assert fake.slept == pytest.approx(2 * 5)  # two looks saw changes, then three quiet


def test_real_time_settle_gives_up_at_its_limit(unserved) -> None:
    remote, fake = unserved
    url = boto3.client("sqs").create_queue(QueueName=remote.name("busy"))["QueueUrl"]

    def sleep(seconds: float) -> None:
        fake.sleep(seconds)
        boto3.client("sqs").send_message(QueueUrl=url, MessageBody="m")

    remote._sleep = sleep
    remote.settle()
    assert fake.slept == pytest.approx(60)


def test_real_time_reset_deletes_only_the_run(unserved) -> None:
    remote, _ = unserved
    sqs = boto3.client("sqs")
    sqs.create_queue(QueueName=remote.name("mine"))
    boto3.session.Session().client("sqs").create_queue(QueueName="not-a-lab-queue")
    remote.reset()
    names = [url.rsplit("/", 1)[1] for url in sqs.list_queues().get("QueueUrls", [])]
    assert names == ["not-a-lab-queue"]


def test_emulator_knobs_are_skipped_without_an_emulator(lab, capsys) -> None:
    from serverless_lab import Settings

    remote = RemoteLab(Target("endpoint", lab.endpoint_url), Settings(freeze_clock=True),
                       served=False).start()
    remote.settings.express_duplicate_rate = 0.2
    remote.stop()
    printed = capsys.readouterr().out
    assert "skipped on target endpoint: freeze_clock is an emulator setting" in printed
    assert "skipped on target endpoint: express_duplicate_rate" in printed
    assert lab.settings.express_duplicate_rate == 0.0


def test_target_aws_prints_the_notice_and_uses_no_endpoint(lab, capsys) -> None:
    """No AWS call is made here: start() only prepares boto3."""
    remote = RemoteLab(Target("aws")).start()
    try:
        assert "AWS_ENDPOINT_URL" not in os.environ and not remote.served
        assert remote.run_id != lab.run_id and remote.name("x").startswith("slb-")
        assert remote.api_url("abc123", "dev") == \
            "https://abc123.execute-api.us-east-1.amazonaws.com/dev"
    finally:
        remote.stop()
    assert "serverless-lab: target aws" in capsys.readouterr().out
    assert os.environ["AWS_ENDPOINT_URL"] == lab.endpoint_url


def test_create_function_is_retried_while_a_new_role_propagates() -> None:
    retry = role_retry(Timing(role_retry_delay=3.0, role_retry_attempts=10))
    not_ready = (None, {"Error": {"Code": "InvalidParameterValueException", "Message":
                                  "The role defined for the function cannot be assumed by "
                                  "Lambda."}})
    assert retry(response=not_ready, attempts=1) == 3.0
    assert retry(response=not_ready, attempts=10) is None
    other = (None, {"Error": {"Code": "InvalidParameterValueException", "Message": "other"}})
    assert retry(response=other, attempts=1) is None and retry(response=None, attempts=1) is None


def test_buckets_outside_us_east_1_get_their_region() -> None:
    from serverless_lab.targets.remote import bucket_region

    params: dict = {"Bucket": "b"}
    bucket_region("us-east-1")(params=params)
    assert params == {"Bucket": "b"}
    bucket_region("eu-west-1")(params=params)
    assert params["CreateBucketConfiguration"] == {"LocationConstraint": "eu-west-1"}


def test_api_url_on_another_emulator(lab) -> None:
    remote = RemoteLab(Target("endpoint", "http://127.0.0.1:4566"), served=False)
    assert remote.api_url("abc123", "dev") == \
        "http://127.0.0.1:4566/_aws/execute-api/abc123/dev"
