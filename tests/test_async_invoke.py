"""Asynchronous invocation: retries on the virtual clock, event age, throttles, outcomes."""

from __future__ import annotations

import json

import boto3

from tests.conftest import invoke, log_messages

FAILS = "def handler(e, c):\n    raise Exception('intentional failure')\n"
FLAKY = """
import os
def handler(e, c):
    path = '/tmp/attempts'
    n = int(open(path).read()) + 1 if os.path.exists(path) else 1
    open(path, 'w').write(str(n))
    if n <= e.get('fail', 0):
        raise Exception(f'attempt {n} fails')
    return {'attempt': n}
"""


def queue(aws, name: str) -> tuple[str, str]:
    url = aws("sqs").create_queue(QueueName=name)["QueueUrl"]
    arn = aws("sqs").get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])
    return url, arn["Attributes"]["QueueArn"]


def messages(aws, url: str) -> list[dict]:
    got = aws("sqs").receive_message(QueueUrl=url, MaxNumberOfMessages=10,
                                     MessageAttributeNames=["All"])
    return got.get("Messages", [])


def starts(name: str) -> int:
    return sum(m.startswith("START ") for m in log_messages(name))


def test_default_schedule_is_three_attempts_one_then_two_minutes_apart(lab, make_function):
    make_function("fails", FAILS)
    response, _ = invoke("fails", {}, InvocationType="Event")
    assert response["StatusCode"] == 202
    lab.settle()
    assert starts("fails") == 1
    lab.advance(seconds=59)
    assert starts("fails") == 1
    lab.advance(seconds=2)
    assert starts("fails") == 2
    lab.advance(minutes=2)
    assert starts("fails") == 3
    [event] = lab.async_invoker.events
    gaps = [round(b[0] - a[0]) for a, b in zip(event.attempts, event.attempts[1:])]
    assert gaps == [60, 120] and event.outcome == "discarded"
    assert any("discarded: RetriesExhausted after 3 attempts" in m for m in log_messages("fails"))


def test_success_after_a_retry_stops_retrying(lab, make_function):
    make_function("flaky", FLAKY)
    invoke("flaky", {"fail": 1}, InvocationType="Event")
    lab.advance(minutes=10)
    [event] = lab.async_invoker.events
    assert [r for _, r in event.attempts] == ["error", "ok"] and event.outcome == "succeeded"


def test_maximum_retry_attempts_zero(lab, make_function):
    make_function("fails", FAILS)
    boto3.client("lambda").put_function_event_invoke_config(FunctionName="fails",
                                                            MaximumRetryAttempts=0)
    invoke("fails", {}, InvocationType="Event")
    lab.advance(minutes=10)
    assert starts("fails") == 1


def test_event_age_limits_retries_as_aws_records_it(lab, make_function, aws):
    # AWS-RESPONSES 3c: max age 60 s -> 1 attempt, 90 s -> 2 attempts, EventAgeExceeded
    url, arn = queue(aws, "failures")
    make_function("fails", FAILS)
    client = boto3.client("lambda")
    for max_age, expected in ((60, 1), (90, 2)):
        client.put_function_event_invoke_config(
            FunctionName="fails", MaximumEventAgeInSeconds=max_age,
            DestinationConfig={"OnFailure": {"Destination": arn}})
        invoke("fails", {}, InvocationType="Event")
        lab.advance(minutes=10)
        [message] = messages(aws, url)
        aws("sqs").delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
        context = json.loads(message["Body"])["requestContext"]
        assert (context["condition"], context["approximateInvokeCount"]) == \
            ("EventAgeExceeded", expected)


def test_dead_letter_queue_gets_the_event_and_three_attributes(lab, make_function, aws):
    url, arn = queue(aws, "dlq")
    make_function("fails", FAILS, DeadLetterConfig={"TargetArn": arn})
    invoke("fails", {"order": 7}, InvocationType="Event")
    lab.advance(minutes=5)
    [message] = messages(aws, url)
    assert json.loads(message["Body"]) == {"order": 7}
    attributes = {k: v["StringValue"] for k, v in message["MessageAttributes"].items()}
    assert attributes["ErrorCode"] == "200" and attributes["ErrorMessage"] == "intentional failure"
    assert attributes["RequestID"] == lab.async_invoker.events[0].request_id
    assert lab.async_invoker.events[0].outcome == "dead-letter"


def test_reserved_concurrency_zero_goes_straight_to_the_dlq(lab, make_function, aws):
    url, arn = queue(aws, "dlq")
    make_function("held", FAILS, DeadLetterConfig={"TargetArn": arn})
    boto3.client("lambda").put_function_concurrency(FunctionName="held",
                                                    ReservedConcurrentExecutions=0)
    invoke("held", {"n": 1}, InvocationType="Event")
    lab.settle()
    assert len(messages(aws, url)) == 1
    assert [r for _, r in lab.async_invoker.events[0].attempts] == ["throttled"]


def test_sns_invokes_subscribed_functions_asynchronously(lab, make_function, aws):
    make_function("subscriber", "def handler(e, c):\n    print(e['Records'][0]['Sns']['Message'])\n")
    sns = aws("sns")
    topic = sns.create_topic(Name="news")["TopicArn"]
    arn = aws("lambda").get_function(FunctionName="subscriber")["Configuration"]["FunctionArn"]
    sns.subscribe(TopicArn=topic, Protocol="lambda", Endpoint=arn)
    sns.publish(TopicArn=topic, Message="hello subscribers")
    lab.settle()
    assert "hello subscribers" in log_messages("subscriber")
    assert len(lab.async_invoker.events) == 1
