"""EventBridge rules deliver to Lambda targets asynchronously, and to other targets as moto
does."""

from __future__ import annotations

import json

from tests.conftest import log_messages
from tests.test_async_invoke import messages, queue


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
