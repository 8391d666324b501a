"""The Invoke API and the moto seams it plugs into."""

from __future__ import annotations

import base64
import json

import boto3
import pytest
from botocore.exceptions import ClientError

from tests.conftest import invoke, log_messages

ECHO = "def handler(event, context):\n    return {'got': event}\n"
VERSIONED = "VERSION = {v}\ndef handler(event, context):\n    return VERSION\n"


# Behaviour through plain boto3.

def test_sync_invoke_returns_handler_json(make_function) -> None:
    make_function("echo", ECHO)
    response, payload = invoke("echo", {"a": 1})
    assert response["StatusCode"] == 200 and payload == {"got": {"a": 1}}
    assert response["ExecutedVersion"] == "$LATEST" and "FunctionError" not in response


def test_empty_payload_is_an_empty_object(make_function) -> None:
    make_function("echo", ECHO)
    assert invoke("echo")[1] == {"got": {}}


def test_handler_exception_is_200_with_unhandled_error(make_function) -> None:
    make_function("boom", "def handler(event, context):\n    raise Exception('Handler fails')\n")
    response, payload = invoke("boom", {})
    assert response["StatusCode"] == 200 and response["FunctionError"] == "Unhandled"
    assert payload["errorMessage"] == "Handler fails" and payload["errorType"] == "Exception"
    assert payload["requestId"] == response["ResponseMetadata"]["RequestId"]
    assert payload["stackTrace"][0].startswith('  File "/var/task/app.py", line 2, in handler')


def test_qualifier_runs_that_versions_code(make_function) -> None:
    from serverless_lab.deployment_package import zip_code

    client = boto3.client("lambda")
    make_function("ver", VERSIONED.format(v=1))
    client.publish_version(FunctionName="ver")
    client.update_function_code(FunctionName="ver",
                                ZipFile=zip_code({"app.py": VERSIONED.format(v=2)}))
    response, payload = invoke("ver", Qualifier="1")
    assert (payload, response["ExecutedVersion"]) == (1, "1")
    response, payload = invoke("ver")
    assert (payload, response["ExecutedVersion"]) == (2, "$LATEST")
    client.create_alias(FunctionName="ver", Name="live", FunctionVersion="1")
    response, payload = invoke("ver", Qualifier="live")
    assert (payload, response["ExecutedVersion"]) == (1, "1")


def test_invoked_function_arn_is_qualified_as_called(make_function) -> None:
    make_function("arn", "def handler(e, c):\n    return c.invoked_function_arn\n")
    boto3.client("lambda").publish_version(FunctionName="arn")
    assert invoke("arn")[1].endswith(":function:arn")
    assert invoke("arn", Qualifier="1")[1].endswith(":function:arn:1")


def test_dry_run_validates_without_running(make_function) -> None:
    make_function("dry", "def handler(e, c):\n    print('ran')\n")
    response, payload = invoke("dry", InvocationType="DryRun")
    assert response["StatusCode"] == 204 and payload is None
    with pytest.raises(ClientError):  # no log group: nothing ran
        log_messages("dry")


def test_event_invocation_returns_202_and_runs(lab, make_function) -> None:
    make_function("later", "def handler(e, c):\n    print('ran', e['n'])\n")
    response, payload = invoke("later", {"n": 7}, InvocationType="Event")
    assert response["StatusCode"] == 202 and payload is None
    lab.settle()
    assert "ran 7" in log_messages("later")


def test_log_type_tail_returns_last_4kb_of_log(make_function) -> None:
    make_function("chatty", "def handler(e, c):\n    print('x' * 100)\n    print('done')\n")
    response, _ = invoke("chatty", LogType="Tail")
    tail = base64.b64decode(response["LogResult"]).decode()
    assert "done" in tail and tail.splitlines()[-1].startswith("REPORT RequestId:")
    assert "LogResult" not in invoke("chatty")[0]


def test_log_tail_is_capped_at_4kb(make_function) -> None:
    make_function("loud", "def handler(e, c):\n    print('y' * 10000)\n")
    response, _ = invoke("loud", LogType="Tail")
    assert len(base64.b64decode(response["LogResult"])) == 4096


def error_of(call) -> dict:
    with pytest.raises(ClientError) as caught:
        call()
    return caught.value.response


def test_unknown_function_is_resource_not_found(lab) -> None:
    error = error_of(lambda: boto3.client("lambda").invoke(FunctionName="nope"))
    assert error["Error"]["Code"] == "ResourceNotFoundException"
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 404
    assert "Function not found: arn:aws:lambda:us-east-1:123456789012:function:nope" in \
        error["Error"]["Message"]


def test_unknown_qualifier_is_resource_not_found(make_function) -> None:
    make_function("echo", ECHO)
    error = error_of(lambda: boto3.client("lambda").invoke(FunctionName="echo", Qualifier="7"))
    assert error["Error"]["Code"] == "ResourceNotFoundException"
    assert error["Error"]["Message"] == \
        "Function not found: arn:aws:lambda:us-east-1:123456789012:function:echo:7"


def test_payload_that_is_not_json_is_invalid_request_content(make_function) -> None:
    make_function("echo", ECHO)
    error = error_of(lambda: boto3.client("lambda").invoke(FunctionName="echo",
                                                             Payload=b"{not json"))
    assert error["Error"]["Code"] == "InvalidRequestContentException"
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert error["Error"]["Message"].startswith(
        "Could not parse request body into json: Could not parse payload into json: ")


def test_payload_over_6mb_is_refused(make_function) -> None:
    make_function("echo", ECHO)
    big = json.dumps("a" * (6 * 1024 * 1024))
    error = error_of(lambda: boto3.client("lambda").invoke(FunctionName="echo", Payload=big))
    assert error["Error"]["Code"] == "RequestTooLargeException"
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 413


def test_response_over_limit_is_function_response_size_too_large(make_function) -> None:
    make_function("huge", "def handler(e, c):\n    return 'a' * (7 * 1024 * 1024)\n")
    response, payload = invoke("huge")
    assert response["FunctionError"] == "Unhandled"
    assert payload == {"errorMessage": "Response payload size exceeded maximum allowed payload "
                                       "size (6291556 bytes).",
                       "errorType": "Function.ResponseSizeTooLarge"}


def test_non_python_runtime_is_invalid_runtime(make_function) -> None:
    make_function("node", "exports.handler = async () => 1;", handler="index.handler",
                  Runtime="nodejs20.x")
    error = error_of(lambda: boto3.client("lambda").invoke(FunctionName="node"))
    assert error["Error"]["Code"] == "InvalidRuntimeException"


def test_import_error_is_reported_as_aws_does(make_function) -> None:
    make_function("noimport", "import not_a_module\n")
    response, payload = invoke("noimport")
    assert response["FunctionError"] == "Unhandled"
    assert payload["errorType"] == "Runtime.ImportModuleError"
    assert payload["errorMessage"] == "Unable to import module 'app': No module named 'not_a_module'"


def test_handler_naming_no_module_or_no_function(make_function) -> None:
    make_function("nomodule", ECHO, handler="missing.handler")
    assert invoke("nomodule")[1]["errorType"] == "Runtime.ImportModuleError"
    make_function("nofunction", ECHO, handler="app.nothing")
    assert invoke("nofunction")[1]["errorMessage"] == "Handler 'nothing' missing on module 'app'"


def test_s3_notification_runs_the_function_asynchronously(lab, aws, make_function) -> None:
    make_function("onput", "def handler(e, c):\n    print('key', e['Records'][0]['s3']['object']['key'])\n")
    s3 = aws("s3")
    s3.create_bucket(Bucket="uploads-bucket")
    arn = aws("lambda").get_function(FunctionName="onput")["Configuration"]["FunctionArn"]
    s3.put_bucket_notification_configuration(Bucket="uploads-bucket", NotificationConfiguration={
        "LambdaFunctionConfigurations": [{"LambdaFunctionArn": arn, "Events": ["s3:ObjectCreated:*"]}]})
    s3.put_object(Bucket="uploads-bucket", Key="k1", Body=b"x")
    lab.settle()
    assert "key k1" in log_messages("onput")
