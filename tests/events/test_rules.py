"""EventBridge rules deliver to Lambda targets asynchronously, and to other targets as moto
does."""

from __future__ import annotations

import json

from tests.awslambda.test_async_invoke import messages, queue
from tests.conftest import log_messages


def test_rule_with_lambda_and_sqs_targets(lab, make_function, aws):
    make_function("target", "def handler(e, c):\n    print('got', e['detail-type'])\n")
    arn = aws("lambda").get_function(FunctionName="target")["Configuration"]["FunctionArn"]
    url, queue_arn = queue(aws, "also")
    events = aws("events")
    events.put_rule(Name="orders", EventPattern=json.dumps({"source": ["shop"]}))
    events.put_targets(Rule="orders", Targets=[{"Id": "fn", "Arn": arn},
                                               {"Id": "q", "Arn": queue_arn}])
    result = events.put_events(Entries=[
        {"Source": "shop", "DetailType": "OrderPlaced", "Detail": "{}"},
        {"Source": "other", "DetailType": "Ignored", "Detail": "{}"}])
    assert result["FailedEntryCount"] == 0
    lab.settle()
    assert [m for m in log_messages("target") if m.startswith("got")] == ["got OrderPlaced"]
    assert json.loads(messages(aws, url)[0]["Body"])["detail-type"] == "OrderPlaced"
    assert len(lab.async_invoker.events) == 1


def test_rule_with_an_sns_target(lab, aws):
    url, queue_arn = queue(aws, "via-topic")
    topic = aws("sns").create_topic(Name="shop-events")["TopicArn"]
    aws("sns").subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn)
    events = aws("events")
    events.put_rule(Name="to-topic", EventPattern=json.dumps({"source": ["shop"]}))
    events.put_targets(Rule="to-topic", Targets=[{"Id": "t", "Arn": topic}])
    assert events.put_events(Entries=[{"Source": "shop", "DetailType": "Paid",
                                       "Detail": "{}"}])["FailedEntryCount"] == 0
    envelope = json.loads(messages(aws, url)[0]["Body"])
    assert json.loads(envelope["Message"])["detail-type"] == "Paid"
