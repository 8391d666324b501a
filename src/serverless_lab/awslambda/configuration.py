"""Function configuration: what CreateFunction, UpdateFunctionConfiguration and
UpdateFunctionCode accept, and what a published version keeps.

AWS: "You can change the function code and settings only on the unpublished version of a
function. When you publish a version, the code and most of the settings are locked."
The dead-letter queue is version-specific configuration, locked on publish.
https://docs.aws.amazon.com/lambda/latest/dg/configuration-versions.html
https://docs.aws.amazon.com/lambda/latest/dg/invocation-async.html

moto drops ``DeadLetterConfig`` and ``FileSystemConfigs``, ignores ``EphemeralStorage`` on
update and updates a published version if asked; these seams keep and refuse as AWS does.
Limits are checked by ``limits.py``.
"""

from __future__ import annotations

import base64
import json
import re
from typing import Any

from moto.awslambda.exceptions import InvalidParameterValueException, UnknownFunctionException
from moto.awslambda.models import LambdaBackend, LambdaFunction, LayerVersion
from moto.awslambda.responses import LambdaResponse

from serverless_lab import seams
from serverless_lab.awslambda import account_settings, function_names, limits, revisions
from serverless_lab.deployment_package import check_zip

VERSIONS_NOT_SUPPORTED = (
    "This operation is permitted on Lambda functions only. Aliases and versions do not "
    "support this operation. Please specify either a function name or an unqualified "
    "function ARN.")
EXTRA_KEYS = {"DeadLetterConfig": "dead_letter_config",
              "FileSystemConfigs": "file_system_configs"}


def _zip_bytes(zipped: str | bytes) -> bytes:
    try:
        return base64.b64decode(zipped, validate=True)
    except ValueError:
        return zipped if isinstance(zipped, bytes) else zipped.encode()


def _layer_sizes(backend: LambdaBackend, arns: list[str]) -> int:
    total = 0
    for arn in arns:
        version = backend.layers_versions_by_arn(arn)
        if version is not None:
            total += limits.unzipped_size(version.code_bytes)
    return total


def _check_package(backend: LambdaBackend, code: bytes, layers: list[str],
                   direct: bool) -> None:
    check_zip(code)
    if direct:
        limits.check_direct_upload(code)
    limits.check_unzipped(limits.unzipped_size(code) + _layer_sizes(backend, layers))


def _extra(key: str, value: Any) -> Any:
    """What moto drops, as AWS keeps it (an empty ``TargetArn`` removes the DLQ)."""
    if key == "DeadLetterConfig" and not (value or {}).get("TargetArn"):
        return None
    return value or None


def _s3_code(backend: LambdaBackend, code: dict[str, Any]) -> bytes | None:
    """The package named by ``S3Bucket``/``S3Key``, read before anything is created."""
    from moto.awslambda.models import _validate_s3_bucket_and_key

    key = _validate_s3_bucket_and_key(backend.account_id, backend.partition, code)
    return None if key is None else bytes(key.value)


def _is_version(fn: LambdaFunction) -> bool:
    return str(fn.version) != "$LATEST"


def create_function(self: LambdaBackend, spec: dict[str, Any]) -> LambdaFunction:
    """CreateFunction: limits first, then moto, then what moto drops."""
    function_names.check_name_length(str(spec.get("FunctionName", "")))
    limits.check_configuration(spec)
    limits.check_code(spec)
    _check_layers_exist(self, spec.get("Layers") or [])
    code = spec.get("Code", {})
    if spec.get("PackageType", "Zip") == "Zip":
        if code.get("ZipFile"):
            _check_package(self, _zip_bytes(code["ZipFile"]), spec.get("Layers", []), True)
        elif code.get("S3Bucket") and (package := _s3_code(self, code)) is not None:
            _check_package(self, package, spec.get("Layers", []), False)
    fn: LambdaFunction = seams.original(LambdaBackend, "create_function")(self, spec)
    latest = self.get_function(fn.function_name)
    for key, attribute in EXTRA_KEYS.items():
        setattr(latest, attribute, _extra(key, spec.get(key)))
    _keep_layers(self, latest)
    return fn


def _check_layers_exist(backend: LambdaBackend, arns: list[str]) -> None:
    """A layer version that does not exist: 400, not moto's 404 (LocalStack
    ``TestLambdaLayer::test_layer_function_exceptions``, recorded on AWS)."""
    for arn in arns:
        if backend.layers_versions_by_arn(arn) is None:
            raise InvalidParameterValueException(f"Layer version {arn} does not exist.")


def _keep_layers(backend: LambdaBackend, fn: LambdaFunction) -> None:
    """A function keeps the layer versions it was given: "A function keeps working after a
    layer version it uses is deleted" (FACTS.md section 6). Keep their contents with it."""
    kept = []
    for layer in fn.layers:
        version = backend.layers_versions_by_arn(layer["Arn"])
        if version is not None:
            kept.append((version.code_sha_256, version.code_bytes))
    setattr(fn, "layer_packages", tuple(kept))  # noqa: B010 - moto has no such attribute


def update_configuration(self: LambdaBackend, function_name: str, qualifier: str,
                         body: dict[str, Any]) -> dict[str, Any] | None:
    """UpdateFunctionConfiguration: $LATEST only; keep what moto ignores."""
    fn: LambdaFunction = self.get_function(function_name, qualifier)
    if _is_version(fn):
        raise InvalidParameterValueException(VERSIONS_NOT_SUPPORTED)
    limits.check_configuration(body)
    revisions.check(fn, body.get("RevisionId"))
    if "Layers" in body:
        _check_layers_exist(self, body["Layers"])
        limits.check_unzipped(limits.unzipped_size(fn.code_bytes)
                              + _layer_sizes(self, body["Layers"]))
    for key, attribute in EXTRA_KEYS.items():
        if key in body:
            setattr(fn, attribute, _extra(key, body[key]))
    if "EphemeralStorage" in body:
        fn.ephemeral_storage = body["EphemeralStorage"]["Size"]
    revisions.renew(fn)  # before moto writes its answer, which carries the new id
    result: dict[str, Any] | None = seams.original(
        LambdaBackend, "update_function_configuration")(self, function_name, qualifier, body)
    if "Layers" in body:
        _keep_layers(self, fn)
    return result


def update_code(self: LambdaBackend, function_name: str, qualifier: str,
                body: dict[str, Any]) -> dict[str, Any] | None:
    """UpdateFunctionCode changes $LATEST only; the package is checked as on create."""
    fn: LambdaFunction = self.get_function(function_name, qualifier)
    if _is_version(fn):
        raise InvalidParameterValueException(VERSIONS_NOT_SUPPORTED)
    revisions.check(fn, body.get("RevisionId"))
    layers = [layer["Arn"] for layer in fn.layers]
    if body.get("ZipFile"):
        _check_package(self, _zip_bytes(body["ZipFile"]), layers, True)
    elif body.get("S3Bucket") and (package := _s3_code(self, body)) is not None:
        _check_package(self, package, layers, False)
    revisions.renew(fn)  # before moto writes its answer, which carries the new id
    result: dict[str, Any] | None = seams.original(LambdaBackend, "update_function_code")(
        self, function_name, qualifier, body)
    return result


# What a published version locks: its code and the settings UpdateFunctionConfiguration
# changes (aws-cdk's function-hash.ts keeps the same list, VERSION_LOCKED). Reserved
# concurrency and tags belong to the function, not to a version.
VERSION_SETTINGS = ("CodeSha256", "Description", "Environment", "EphemeralStorage",
                    "FileSystemConfigs", "Handler", "Layers", "MemorySize", "Role", "Runtime",
                    "Timeout", "TracingConfig", "VpcConfig", "DeadLetterConfig",
                    "Architectures", "KMSKeyArn", "ImageConfigResponse", "LoggingConfig",
                    "SnapStart", "PackageType")


def version_state(fn: LambdaFunction) -> str:
    """The code and configuration a version would lock, as one comparable string."""
    config = fn.get_configuration()
    return json.dumps({key: config.get(key) for key in VERSION_SETTINGS}, sort_keys=True,
                      default=str)


def publish_version(self: LambdaBackend, function_name: str,
                    description: str = "") -> LambdaFunction | None:
    """PublishVersion: "Lambda doesn't publish a version if the function's configuration and
    code haven't changed since the last version."
    https://docs.aws.amazon.com/lambda/latest/api/API_PublishVersion.html
    moto publishes after any update call, even one that changed nothing; compare what the
    last version locked with $LATEST instead."""
    latest = self.get_function(function_name.split(":function:")[-1].split(":")[0])
    state = version_state(latest)
    published = self._lambdas._functions[latest.function_name]["versions"]
    if published and getattr(published[-1], "locked_state", None) == state:
        last: LambdaFunction = published[-1]
        return last
    latest.code_or_config_updated = True
    version: LambdaFunction | None = seams.original(LambdaBackend, "publish_version")(
        self, function_name, description)
    latest.code_or_config_updated = False
    if version is not None:
        setattr(version, "locked_state", state)  # noqa: B010 - moto has no such attribute
    return version


def publish_layer_version(self: LambdaBackend, spec: dict[str, Any]) -> LayerVersion:
    """PublishLayerVersion: the layer's .zip is checked like a function's, its runtimes
    against the enum (``TestLambdaLayer::test_layer_exceptions``, recorded on AWS)."""
    runtimes = spec.get("CompatibleRuntimes") or []
    if any(runtime not in limits.RUNTIMES for runtime in runtimes):
        raise limits.ValidationException(
            f"Value '[{', '.join(runtimes)}]' at 'compatibleRuntimes' failed to satisfy "
            f"constraint: Member must satisfy enum value set: [{', '.join(limits.RUNTIMES)}]")
    content = spec.get("Content") or {}
    if content.get("ZipFile"):
        _check_package(self, _zip_bytes(content["ZipFile"]), [], True)
    layer: LayerVersion = seams.original(LambdaBackend, "publish_layer_version")(self, spec)
    return layer


def get_configuration(self: LambdaFunction, *args: Any, **kwargs: Any) -> dict[str, Any]:
    """The configuration moto reports, plus what it does not keep."""
    config: dict[str, Any] = seams.original(LambdaFunction, "get_configuration")(
        self, *args, **kwargs)
    dead_letter = getattr(self, "dead_letter_config", None)
    if dead_letter:
        config["DeadLetterConfig"] = dead_letter
    file_systems = getattr(self, "file_system_configs", None)
    if file_systems:
        config["FileSystemConfigs"] = file_systems
    config["EphemeralStorage"] = {"Size": int(self.ephemeral_storage)}
    config["RevisionId"] = revisions.current(self)
    return config


def put_concurrency(self: LambdaBackend, function_name: str,
                    reserved_concurrency: str) -> str:
    """PutFunctionConcurrency: reserved concurrency belongs to the whole function, and 100
    of the account's concurrency stays unreserved (``account_settings``)."""
    if re.search(r"(:function:[^:]+:[^:]+$)|(^[^:]+:[^:]+$)", function_name):
        raise InvalidParameterValueException(VERSIONS_NOT_SUPPORTED)
    fn = self.get_function(function_name)
    account_settings.check_reserved(self, fn.function_name, reserved_concurrency)
    result: str = seams.original(LambdaBackend, "put_function_concurrency")(
        self, function_name, reserved_concurrency)
    return result


def put_concurrency_response(self: LambdaResponse) -> Any:
    """PutFunctionConcurrency on a missing function names its $LATEST, as AWS's answer does
    (LocalStack ``TestLambdaReservedConcurrency::test_function_concurrency_exceptions``)."""
    try:
        return seams.original(LambdaResponse, "put_function_concurrency")(self)
    except UnknownFunctionException as missing:
        raise UnknownFunctionException(missing.message.split(": ", 1)[1] + ":$LATEST") from None


def tag_resource(self: LambdaBackend, resource_arn: str, tags: dict[str, str]) -> None:
    """TagResource: tags belong to the function, not to its versions or aliases
    (AWS-RESPONSES.md section 5, ``test_tag_exceptions``)."""
    if re.search(r":function:[^:]+:[^:]+$", resource_arn):
        raise InvalidParameterValueException(
            "Tags on function aliases and versions are not supported. Please specify a "
            "function ARN.")
    seams.original(LambdaBackend, "tag_resource")(self, resource_arn, tags)
