"""Custom domain names: a new domain starts with no base path mappings.

AWS: GetBasePathMappings of a domain without mappings answers an empty list, and
GetBasePathMapping, UpdateBasePathMapping or DeleteBasePathMapping of a base path the domain
does not have answer NotFoundException
(https://docs.aws.amazon.com/apigateway/latest/api/API_DeleteBasePathMapping.html#API_DeleteBasePathMapping_Errors,
https://docs.aws.amazon.com/apigateway/latest/api/API_GetBasePathMappings.html).
moto made a domain's mapping table on its first CreateBasePathMapping only, so these calls
failed with a 500 before it; moto's messages stay ("Invalid base path mapping identifier
specified": no recording of AWS's was found).
"""

from __future__ import annotations

from typing import Any

from moto.apigateway.models import APIGatewayBackend

from serverless_lab import seams


def create_domain_name(self: APIGatewayBackend, domain_name: str, *args: Any,
                       **kwargs: Any) -> Any:
    """moto's CreateDomainName, with the domain's (empty) mapping table."""
    created = seams.original(APIGatewayBackend, "create_domain_name")(
        self, domain_name, *args, **kwargs)
    self.base_path_mappings.setdefault(domain_name, {})
    return created
