"""The dispatcher's look-ups made once: same answers as moto's own, and moto still asks."""

from __future__ import annotations

import inspect

import boto3
from moto import backends
from moto.moto_server import werkzeug_app

import serverless_lab
from serverless_lab import seams


def test_moto_still_lists_its_modules_on_each_request() -> None:
    """Contract: the seam replaces the function moto's dispatcher calls per request."""
    source = inspect.getsource(werkzeug_app.DomainDispatcherApplication.get_backend_for_host)
    assert "backends.list_of_moto_modules()" in source
    assert callable(seams.original(backends, "list_of_moto_modules"))


def test_the_copy_names_what_moto_lists(lab: serverless_lab.Lab) -> None:
    own = list(seams.original(backends, "list_of_moto_modules")())
    assert list(backends.list_of_moto_modules()) == own
    assert {"awslambda", "stepfunctions", "apigateway", "events"} <= set(own)


def test_requests_still_reach_their_backends(lab: serverless_lab.Lab) -> None:
    assert boto3.client("lambda").list_functions()["Functions"] == []
    assert boto3.client("stepfunctions").list_state_machines()["stateMachines"] == []
