"""The Lambda URLs moto's server routes, with the operations the emulator adds.

moto's ``awslambda/urls.py`` has no route for GetAccountSettings
(``GET /2016-08-19/account-settings/``), the provisioned concurrency operations
(``/2019-09-30/functions/{name}/provisioned-concurrency``), ListFunctionUrlConfigs
(``GET /2021-10-31/functions/{name}/urls``) or InvokeWithResponseStream
(``POST /2021-11-15/functions/{name}/response-streaming-invocations``); paths as in the API
reference, e.g. https://docs.aws.amazon.com/lambda/latest/api/API_GetAccountSettings.html.
moto's server builds a service's routes on its first request, after the lab installed this
copy; moto then names the operation from botocore's model and calls the ``LambdaResponse``
method of that name (the rows in ``seams.py``).
"""

from __future__ import annotations

from typing import Any

FUNCTION = r"{0}/(?P<api_version>[^/]+)/functions/(?P<function_name>[\w_:%-]+)"
EXTRA = (
    r"{0}/(?P<api_version>[^/]+)/account-settings/?$",
    FUNCTION + r"/provisioned-concurrency/?$",
    FUNCTION + r"/urls/?$",
    FUNCTION + r"/response-streaming-invocations/?$",
)


def url_paths() -> dict[str, Any]:
    """moto's Lambda routes plus the emulator's."""
    from moto.awslambda import urls
    from moto.awslambda.responses import LambdaResponse

    from serverless_lab import seams

    paths: dict[str, Any] = dict(seams.original(urls, "url_paths"))
    paths.update({path: LambdaResponse.dispatch for path in EXTRA})
    return paths
