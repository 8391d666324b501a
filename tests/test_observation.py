"""What settle() looks at when time is real: the run's queues, executions and logs."""

from __future__ import annotations

import json

import boto3

from serverless_lab.observation import observe


def test_nothing_to_see_is_a_stable_observation(lab) -> None:
    assert observe(lab.prefix) == observe(lab.prefix) == ((), (), ())


def test_a_message_in_a_run_queue_changes_the_observation(lab) -> None:
    sqs = boto3.client("sqs")
    url = sqs.create_queue(QueueName=lab.name("work"))["QueueUrl"]
    before = observe(lab.prefix)
    sqs.send_message(QueueUrl=url, MessageBody="m")
    assert observe(lab.prefix) != before


def test_other_runs_queues_are_not_looked_at(lab) -> None:
    sqs = boto3.client("sqs")
    url = sqs.create_queue(QueueName="someone-else")["QueueUrl"]
    before = observe(lab.prefix)
    sqs.send_message(QueueUrl=url, MessageBody="m")
    assert observe(lab.prefix) == before


def test_a_running_execution_and_new_log_events_are_seen(lab, make_function) -> None:
    sfn = boto3.client("stepfunctions")
    definition = {"StartAt": "Wait", "States": {"Wait": {"Type": "Wait", "Seconds": 60,
                                                          "End": True}}}
    arn = sfn.create_state_machine(
        name=lab.name("waits"), definition=json.dumps(definition),
        roleArn="arn:aws:iam::123456789012:role/sfn")["stateMachineArn"]
    idle = observe(lab.prefix)
    sfn.start_execution(stateMachineArn=arn)
    lab.settle()
    running = observe(lab.prefix)
    assert running[1] == ((lab.name("waits"), 1),) and running != idle
    make_function(lab.name("hello"), "def handler(event, context):\n    print('hi')\n")
    boto3.client("lambda").invoke(FunctionName=lab.name("hello"))
    logged = observe(lab.prefix)
    assert logged[2][0][0] == f"/aws/lambda/{lab.name('hello')}" and logged[2][0][1] > 0
    lab.advance(minutes=2)
    assert observe(lab.prefix)[1] == ((lab.name("waits"), 0),)
