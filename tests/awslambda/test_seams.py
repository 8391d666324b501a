"""Contract tests for Lambda's seams into moto (awslambda/seams.py): if one fails after a
moto upgrade, the replacement in the named module must be revisited before anything else."""

from __future__ import annotations

import inspect

import pytest
from moto.awslambda import models as lambda_models
from moto.awslambda import urls as lambda_urls
from moto.awslambda.models import LambdaBackend, LambdaFunction
from moto.awslambda.responses import LambdaResponse
from moto.s3 import notifications as s3_notifications
from moto.sqs import models as sqs_models

from serverless_lab import seams
from serverless_lab.awslambda.seams import rows
from tests.conftest import assert_signature

SIGNATURES: dict[tuple[object, str], list[str] | None] = {
    (sqs_models, "unix_time"): ["dt"],
    (sqs_models, "unix_time_millis"): ["dt"],
    (LambdaBackend, "put_function_concurrency"): ["self", "function_name",
                                                  "reserved_concurrency"],
    (LambdaBackend, "create_event_source_mapping"): ["self", "spec"],
    (LambdaBackend, "update_event_source_mapping"): ["self", "uuid", "spec"],
    (LambdaBackend, "publish_version"): ["self", "function_name", "description"],
    (s3_notifications, "_invoke_awslambda"): ["account_id", "event_body", "fn_arn",
                                              "region_name"],
    (LambdaBackend, "send_sns_message"): ["self", "function_name", "message", "subject",
                                          "qualifier"],
    (LambdaResponse, "put_function_event_invoke_config"): ["self"],
    (LambdaResponse, "update_function_event_invoke_config"): ["self"],
    (LambdaResponse, "get_function_event_invoke_config"): ["self"],
    (LambdaResponse, "delete_function_event_invoke_config"): ["self"],
    (LambdaResponse, "list_function_event_invoke_configs"): ["self"],
    (LambdaFunction, "invoke"): ["self", "body", "request_headers", "response_headers"],
    (LambdaResponse, "invoke"): ["self"],
    (LambdaResponse, "_enrich_response"): ["headers", "body"],
    (LambdaResponse, "create_function_url_config"): ["self"],
    (LambdaBackend, "create_function"): ["self", "spec"],
    (LambdaBackend, "update_function_configuration"): ["self", "function_name", "qualifier",
                                                       "body"],
    (LambdaBackend, "update_function_code"): ["self", "function_name", "qualifier", "body"],
    (LambdaBackend, "publish_layer_version"): ["self", "spec"],
    (LambdaBackend, "tag_resource"): ["self", "resource_arn", "tags"],
    (LambdaFunction, "get_configuration"): ["self", "on_create"],
    (LambdaBackend, "create_alias"): ["self", "name", "function_name", "function_version",
                                      "description", "routing_config"],
    (LambdaBackend, "update_alias"): ["self", "name", "function_name", "function_version",
                                      "description", "routing_config"],
    (LambdaResponse, "get_layer_version"): ["self"],
    (LambdaResponse, "delete_layer_version"): ["self"],
    (LambdaResponse, "list_functions"): ["self"],
    (LambdaResponse, "add_permission"): ["self"],
    (LambdaResponse, "get_policy"): ["self"],
    (LambdaResponse, "delete_alias"): ["self"],
    (LambdaBackend, "list_versions_by_function"): ["self", "function_name"],
    (LambdaResponse, "get_function_url_config"): ["self"],
    (LambdaResponse, "update_function_url_config"): ["self"],
    (LambdaResponse, "delete_function_url_config"): ["self"],
    (LambdaResponse, "publish_version"): ["self"],
    (LambdaResponse, "update_alias"): ["self"],
    (LambdaResponse, "put_function_concurrency"): ["self"],
    (LambdaResponse, "setup_class"): ["self", "request", "full_url", "headers", "use_raw_body"],
    (LambdaBackend, "get_function"): ["self", "function_name_or_arn", "qualifier"],
    (LambdaBackend, "delete_function"): ["self", "function_name", "qualifier"],
    (LambdaBackend, "delete_event_source_mapping"): ["self", "uuid"],
}
# Operations moto lacks: the lab adds a LambdaResponse method (and routes.py a URL) for each.
NEW_OPERATIONS = ("list_function_url_configs", "get_account_settings",
                  "put_provisioned_concurrency_config", "get_provisioned_concurrency_config",
                  "delete_provisioned_concurrency_config",
                  "list_provisioned_concurrency_configs", "get_layer_version_by_arn",
                  "invoke_with_response_stream")


def test_every_seam_of_this_wing_has_a_contract() -> None:
    expected = set(SIGNATURES) | {(LambdaResponse, name) for name in NEW_OPERATIONS} | {
        (lambda_urls, "url_paths")}
    assert {(owner, name) for owner, name, _ in rows()} == expected


@pytest.mark.parametrize("name", NEW_OPERATIONS)
def test_moto_still_lacks_the_operations_the_lab_adds(name: str) -> None:
    """If moto gains one, its own version must be weighed against ours."""
    import botocore.session

    assert seams.original(LambdaResponse, name) is None
    model = botocore.session.get_session().get_service_model("lambda")
    assert name in {camel_to_snake(op) for op in model.operation_names}


def camel_to_snake(name: str) -> str:
    import re

    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def test_moto_routes_are_a_dict_the_lab_extends() -> None:
    from serverless_lab.awslambda import routes

    original = seams.original(lambda_urls, "url_paths")
    assert isinstance(original, dict) and all(path.startswith("{0}/") for path in original)
    extended = routes.url_paths()
    assert set(original) < set(extended)
    assert set(extended) - set(original) == set(routes.EXTRA)


@pytest.mark.parametrize(("owner", "name"), list(SIGNATURES), ids=lambda x: getattr(x, "__name__", x))
def test_moto_method_has_the_expected_signature(owner: object, name: str) -> None:
    assert_signature(SIGNATURES, owner, name)


def test_internal_callers_run_functions_through_function_invoke() -> None:
    assert "func.invoke(json.dumps(event_body), {}, {})" in inspect.getsource(
        seams.original(s3_notifications, "_invoke_awslambda"))
    assert ".send_sns_message(" in inspect.getsource(__import__("moto.sns.models").sns.models)
    assert "func.invoke(json.dumps(event), {}, {})" in inspect.getsource(lambda_models)


def test_moto_keeps_aliases_and_functions_where_versions_py_reads_them(lab) -> None:
    backend = lambda_models.lambda_backends["123456789012"]["us-east-1"]
    assert isinstance(backend._lambdas._functions, dict)
    assert callable(backend._lambdas._get_function_aliases)


def test_the_lab_uses_moto_full_lambda_backend(lab) -> None:
    from moto.awslambda.utils import get_backend

    backend = get_backend("123456789012", "us-east-1")
    assert backend is lambda_models.lambda_backends["123456789012"]["us-east-1"]


def test_moto_pushes_esm_events_from_the_registrations_we_remove() -> None:
    from moto.dynamodb.models import table as ddb_table

    assert "self.lambda_event_source_mappings.items()" in inspect.getsource(sqs_models.Queue)
    assert "self.table.lambda_event_source_mappings.items()" in inspect.getsource(
        ddb_table.StreamShard)
