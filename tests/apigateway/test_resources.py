"""Resources: subtree deletion, UpdateResource, sibling and greedy rules (apigateway/resources.py)."""

from __future__ import annotations

import pytest
import requests
from botocore.exceptions import ClientError


def paths(gw, api_id):
    return sorted(item["path"] for item in gw.get_resources(restApiId=api_id)["items"])


def test_deleting_a_resource_deletes_its_subtree(gw, mock_api):
    api = mock_api["api"]
    child = gw.create_resource(restApiId=api, parentId=mock_api["pets"], pathPart="{id}")["id"]
    gw.create_resource(restApiId=api, parentId=child, pathPart="toys")
    gw.create_resource(restApiId=api, parentId=mock_api["root"], pathPart="owners")
    gw.delete_resource(restApiId=api, resourceId=mock_api["pets"])
    assert paths(gw, api) == ["/", "/owners"]


def test_renaming_a_resource_moves_its_children_and_its_route(lab, gw, mock_api):
    api = mock_api["api"]
    gw.create_resource(restApiId=api, parentId=mock_api["pets"], pathPart="{id}")
    gw.update_resource(restApiId=api, resourceId=mock_api["pets"],
                       patchOperations=[{"op": "replace", "path": "/pathPart", "value": "dogs"}])
    assert paths(gw, api) == ["/", "/dogs", "/dogs/{id}"]
    gw.create_deployment(restApiId=api, stageName="dev")
    assert requests.get(lab.api_url(api, "dev") + "/dogs", timeout=10).json() == {"pets": []}
    assert requests.get(lab.api_url(api, "dev") + "/pets", timeout=10).status_code == 403


def test_moving_a_resource_under_another_parent(gw, mock_api):
    api = mock_api["api"]
    owners = gw.create_resource(restApiId=api, parentId=mock_api["root"], pathPart="owners")["id"]
    moved = gw.update_resource(restApiId=api, resourceId=mock_api["pets"], patchOperations=[
        {"op": "replace", "path": "/parentId", "value": owners}])
    assert (moved["path"], moved["parentId"]) == ("/owners/pets", owners)


def test_a_cycle_and_a_taken_name_are_refused(gw, mock_api):
    api = mock_api["api"]
    child = gw.create_resource(restApiId=api, parentId=mock_api["pets"], pathPart="young")["id"]
    with pytest.raises(ClientError, match="cyclical"):
        gw.update_resource(restApiId=api, resourceId=mock_api["pets"], patchOperations=[
            {"op": "replace", "path": "/parentId", "value": child}])
    with pytest.raises(ClientError) as taken:
        gw.create_resource(restApiId=api, parentId=mock_api["pets"], pathPart="young")
    assert taken.value.response["Error"]["Code"] == "ConflictException"
    assert paths(gw, api) == ["/", "/pets", "/pets/young"]


def test_one_variable_child_per_parent(gw, mock_api):
    api = mock_api["api"]
    gw.create_resource(restApiId=api, parentId=mock_api["pets"], pathPart="{id}")
    gw.create_resource(restApiId=api, parentId=mock_api["pets"], pathPart="static")
    with pytest.raises(ClientError, match=r"A sibling \(\{id\}\)"):
        gw.create_resource(restApiId=api, parentId=mock_api["pets"], pathPart="{name}")


def test_a_renamed_path_part_follows_the_create_rules(gw, mock_api):
    with pytest.raises(ClientError, match="path part only allow"):
        gw.update_resource(restApiId=mock_api["api"], resourceId=mock_api["pets"],
                           patchOperations=[{"op": "replace", "path": "/pathPart",
                                             "value": "pets/{id}"}])
    assert paths(gw, mock_api["api"]) == ["/", "/pets"]
