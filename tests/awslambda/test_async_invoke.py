"""Asynchronous invocation: retries on the virtual clock, event age, throttles, outcomes."""

from __future__ import annotations

import json

import boto3
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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
    assert response["ResponseMetadata"]["RequestId"] == lab.async_invoker.events[0].request_id
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


def test_advance_three_minutes_plays_the_whole_schedule(lab, make_function):
    make_function("fails", FAILS)
    invoke("fails", {}, InvocationType="Event")
    lab.settle()
    lab.advance(minutes=3)
    assert starts("fails") == 3


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


# Property: every accepted event ends in exactly one recorded outcome, and nothing is
# delivered more often than AWS would deliver it.

COUNTED = """
import boto3
table = boto3.resource('dynamodb').Table('attempts')
def handler(e, c):
    n = table.update_item(Key={'id': c.aws_request_id}, UpdateExpression='ADD n :one',
                          ExpressionAttributeValues={':one': 1},
                          ReturnValues='UPDATED_NEW')['Attributes']['n']
    if n <= e['fail']:
        raise Exception(f'attempt {n} fails')
    return {'attempt': int(n)}
"""

schedules = st.lists(st.integers(min_value=0, max_value=3), min_size=1, max_size=4)


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(fails=schedules, retries=st.integers(0, 2), max_age=st.sampled_from([60, 90, 21600]),
       with_dlq=st.booleans(), with_destinations=st.booleans())
def test_every_event_ends_exactly_once(lab, aws, fails, retries, max_age, with_dlq,
                                       with_destinations):
    from serverless_lab.deployment_package import zip_code
    from tests.conftest import TRUST

    lab.reset()
    aws("dynamodb").create_table(
        TableName="attempts", KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST")
    dlq_url, dlq_arn = queue(aws, "dlq")
    ok_url, ok_arn = queue(aws, "ok")
    bad_url, bad_arn = queue(aws, "bad")
    role = aws("iam").create_role(RoleName="r", AssumeRolePolicyDocument=TRUST)["Role"]["Arn"]
    extra = {"DeadLetterConfig": {"TargetArn": dlq_arn}} if with_dlq else {}
    aws("lambda").create_function(FunctionName="counted", Runtime="python3.12", Role=role,
                                  Handler="app.handler",
                                  Code={"ZipFile": zip_code({"app.py": COUNTED})}, **extra)
    config = {"MaximumRetryAttempts": retries, "MaximumEventAgeInSeconds": max_age}
    if with_destinations:
        config["DestinationConfig"] = {"OnSuccess": {"Destination": ok_arn},
                                       "OnFailure": {"Destination": bad_arn}}
    aws("lambda").put_function_event_invoke_config(FunctionName="counted", **config)
    for fail in fails:
        invoke("counted", {"fail": fail}, InvocationType="Event")
    lab.advance(minutes=10)

    events = lab.async_invoker.events
    assert len(events) == len(fails)
    allowed = 1 + min(retries, 0 if max_age <= 60 else 1 if max_age <= 180 else 2)
    succeeded = [e for e in events if e.outcome == "succeeded"]
    failed = [e for e in events if e.outcome != "succeeded"]
    for event in events:
        fail = json.loads(event.payload)["fail"]
        runs = len(event.attempts)
        assert event.outcome in {"succeeded", "destination", "dead-letter", "discarded"}
        assert runs == min(fail + 1, allowed)  # never more attempts than AWS makes
        assert (event.outcome == "succeeded") == (fail < allowed)
        starts = [m for m in log_messages("counted") if m.startswith(f"START RequestId: "
                                                                      f"{event.request_id}")]
        assert len(starts) == runs
    drain = lambda url: len(drain_all(aws, url))  # noqa: E731
    assert drain(ok_url) == (len(succeeded) if with_destinations else 0)
    assert drain(bad_url) == (len(failed) if with_destinations else 0)
    assert drain(dlq_url) == (len(failed) if with_dlq else 0)
    expected = ("destination" if with_destinations else "dead-letter" if with_dlq else
                "discarded")
    assert all(e.outcome == expected for e in failed)


def drain_all(aws, url: str) -> list[dict]:
    found = []
    while batch := messages(aws, url):
        found.extend(batch)
        for message in batch:
            aws("sqs").delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
    return found
