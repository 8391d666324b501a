"""Layer versions through the API: GetLayerVersion's checks and GetLayerVersionByArn.

AWS (LocalStack ``test_lambda_api.snapshot.json``, ``TestLambdaLayer::test_layer_exceptions``,
recorded on AWS): a version below 1 answers ``InvalidParameterValueException`` "Layer Version
Cannot be less than 1"; a layer or version that does not exist answers
``ResourceNotFoundException`` "The resource you requested does not exist."; an ARN that
names no version fails the ``arn`` member's pattern (``ValidationException``).
https://docs.aws.amazon.com/lambda/latest/api/API_GetLayerVersion.html
https://docs.aws.amazon.com/lambda/latest/api/API_GetLayerVersionByArn.html
moto answers "Cannot find layer" and has no GetLayerVersionByArn.
"""

from __future__ import annotations

import json
import re
from urllib.parse import unquote

from moto.awslambda.exceptions import (
    GenericResourcNotFound,
    InvalidParameterValueException,
    UnknownLayerException,
)
from moto.awslambda.responses import LambdaResponse

from serverless_lab import seams
from serverless_lab.awslambda import limits

ARN_PATTERN = (r"(arn:(aws[a-zA-Z-]*)?:lambda:(eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-"
               r"\d{1}:\d{12}:layer:[a-zA-Z0-9-_]+:[0-9]+)|"
               r"(arn:[a-zA-Z0-9-]+:lambda:::awslayer:[a-zA-Z0-9-_]+)")


def _check_version(response: LambdaResponse) -> None:
    version = unquote(response.path.split("/")[-1])
    if re.fullmatch(r"-?[0-9]+", version) and int(version) < 1:
        raise InvalidParameterValueException("Layer Version Cannot be less than 1")


def delete_layer_version(self: LambdaResponse) -> str:
    """DeleteLayerVersion: versions start at 1 (delete_layer_version_exc_layerversion_invalid_version)."""
    _check_version(self)
    answer: str = seams.original(LambdaResponse, "delete_layer_version")(self)
    return answer


def get_layer_version(self: LambdaResponse) -> str:
    """GetLayerVersion: versions start at 1; a missing one is not found."""
    _check_version(self)
    try:
        answer: str = seams.original(LambdaResponse, "get_layer_version")(self)
    except UnknownLayerException:
        raise GenericResourcNotFound() from None
    return answer


def get_layer_version_by_arn(self: LambdaResponse) -> str:
    """GetLayerVersionByArn (an operation moto lacks)."""
    arn = self.querystring.get("Arn", [""])[0]
    if not re.fullmatch(ARN_PATTERN, arn):
        raise limits.ValidationException(
            f"Value '{arn}' at 'arn' failed to satisfy constraint: Member must satisfy "
            f"regular expression pattern: {ARN_PATTERN}")
    version = self.backend.layers_versions_by_arn(arn)
    if version is None:
        raise GenericResourcNotFound()
    return json.dumps(version.get_layer_version())
