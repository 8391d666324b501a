"""Lambda's seams into moto: invoke paths, configuration, versions, event invoke configs,
event source mappings (and SQS's clock, which their visibility timeouts run on)."""

from __future__ import annotations

from typing import Any


def rows() -> list[tuple[Any, str, Any]]:
    """(owner, method name, replacement) for every seam this wing owns."""
    from moto.awslambda import urls
    from moto.awslambda.models import LambdaBackend, LambdaFunction
    from moto.awslambda.responses import LambdaResponse
    from moto.s3 import notifications
    from moto.sqs import models as sqs_models

    from serverless_lab.awslambda import (
        account_settings,
        configuration,
        event_invoke_config,
        event_source_mapping,
        function_names,
        function_urls,
        invoke,
        layer_versions,
        permissions,
        provisioned_concurrency,
        response_stream,
        revisions,
        routes,
        sqs_poller,
        versions,
    )

    return [
        (notifications, "_invoke_awslambda", invoke.s3_notification),
        (LambdaBackend, "send_sns_message", invoke.sns_delivery),
        (LambdaResponse, "put_function_event_invoke_config", event_invoke_config.put_config),
        (LambdaResponse, "update_function_event_invoke_config",
         event_invoke_config.update_config),
        (LambdaResponse, "get_function_event_invoke_config", event_invoke_config.get_config),
        (LambdaResponse, "delete_function_event_invoke_config",
         event_invoke_config.delete_config),
        (LambdaResponse, "list_function_event_invoke_configs", event_invoke_config.list_configs),
        (LambdaFunction, "invoke", invoke.function_invoke),
        (LambdaResponse, "invoke", invoke.response_invoke),
        (LambdaResponse, "_enrich_response", staticmethod(invoke.enrich_response)),
        (LambdaResponse, "create_function_url_config", function_urls.create_url_config),
        (LambdaResponse, "get_function_url_config", function_urls.get_url_config),
        (LambdaResponse, "update_function_url_config", function_urls.update_url_config),
        (LambdaResponse, "delete_function_url_config", function_urls.delete_url_config),
        (LambdaResponse, "list_function_url_configs", function_urls.list_function_url_configs),
        (LambdaResponse, "get_account_settings", account_settings.get_account_settings),
        (LambdaResponse, "invoke_with_response_stream",
         response_stream.invoke_with_response_stream),
        (LambdaResponse, "put_provisioned_concurrency_config",
         provisioned_concurrency.put_provisioned_concurrency_config),
        (LambdaResponse, "get_provisioned_concurrency_config",
         provisioned_concurrency.get_provisioned_concurrency_config),
        (LambdaResponse, "delete_provisioned_concurrency_config",
         provisioned_concurrency.delete_provisioned_concurrency_config),
        (LambdaResponse, "list_provisioned_concurrency_configs",
         provisioned_concurrency.list_provisioned_concurrency_configs),
        (LambdaResponse, "get_layer_version", layer_versions.get_layer_version),
        (LambdaResponse, "delete_layer_version", layer_versions.delete_layer_version),
        (LambdaResponse, "list_functions", function_names.list_functions),
        (LambdaResponse, "get_layer_version_by_arn", layer_versions.get_layer_version_by_arn),
        (LambdaResponse, "add_permission", permissions.add_permission),
        (LambdaResponse, "publish_version", revisions.publish_version),
        (LambdaResponse, "update_alias", revisions.update_alias),
        (LambdaResponse, "setup_class", function_names.setup_class),
        (LambdaBackend, "get_function", function_names.get_function),
        (urls, "url_paths", routes.url_paths()),
        (LambdaResponse, "put_function_concurrency", configuration.put_concurrency_response),
        (LambdaBackend, "delete_function", versions.delete_function),
        (LambdaBackend, "list_versions_by_function", versions.list_versions),
        (LambdaResponse, "delete_alias", versions.delete_alias_response),
        (LambdaResponse, "get_policy", permissions.get_policy),
        (LambdaBackend, "delete_event_source_mapping", event_source_mapping.delete),
        (LambdaBackend, "create_function", configuration.create_function),
        (LambdaBackend, "update_function_configuration", configuration.update_configuration),
        (LambdaBackend, "update_function_code", configuration.update_code),
        (LambdaBackend, "publish_layer_version", configuration.publish_layer_version),
        (LambdaBackend, "tag_resource", configuration.tag_resource),
        (LambdaBackend, "put_function_concurrency", configuration.put_concurrency),
        (LambdaBackend, "publish_version", configuration.publish_version),
        (LambdaBackend, "create_event_source_mapping", event_source_mapping.create),
        (LambdaBackend, "update_event_source_mapping", event_source_mapping.update),
        (sqs_models, "unix_time", sqs_poller.clock_seconds),
        (sqs_models, "unix_time_millis", sqs_poller.clock_millis),
        (LambdaFunction, "get_configuration", configuration.get_configuration),
        (LambdaBackend, "create_alias", versions.create_alias),
        (LambdaBackend, "update_alias", versions.update_alias),
    ]
