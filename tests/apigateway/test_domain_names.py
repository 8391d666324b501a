"""Custom domain names: base path mappings of a new domain (apigateway/domain_names.py)."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

CERTIFICATE = "arn:aws:acm:us-east-1:123456789012:certificate/abc"


@pytest.fixture
def domain(gw):
    gw.create_domain_name(domainName="api.example.com", certificateArn=CERTIFICATE)
    return "api.example.com"


def test_a_new_domain_has_no_mappings(gw, domain):
    assert gw.get_base_path_mappings(domainName=domain).get("items", []) == []


@pytest.mark.parametrize("call", ["get_base_path_mapping", "delete_base_path_mapping"])
def test_a_base_path_the_new_domain_lacks_is_not_found(gw, domain, call):
    with pytest.raises(ClientError) as caught:
        getattr(gw, call)(domainName=domain, basePath="v1")
    assert caught.value.response["Error"]["Code"] == "NotFoundException"
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_a_mapping_can_be_made_and_deleted(gw, domain, mock_api):
    gw.create_base_path_mapping(domainName=domain, basePath="v1", restApiId=mock_api["api"])
    gw.delete_base_path_mapping(domainName=domain, basePath="v1")
    assert gw.get_base_path_mappings(domainName=domain).get("items", []) == []
