"""Contract test for EventBridge's seam into moto (events/seams.py)."""

from __future__ import annotations

import pytest
from moto.events.models import Rule

from serverless_lab.events.seams import rows
from tests.conftest import assert_signature

SIGNATURES: dict[tuple[object, str], list[str] | None] = {
    (Rule, "send_to_targets"): ["self", "original_event", "transform_input"],
}


def test_every_seam_of_this_wing_has_a_contract() -> None:
    assert {(owner, name) for owner, name, _ in rows()} == set(SIGNATURES)


@pytest.mark.parametrize(("owner", "name"), list(SIGNATURES), ids=lambda x: getattr(x, "__name__", x))
def test_moto_method_has_the_expected_signature(owner: object, name: str) -> None:
    assert_signature(SIGNATURES, owner, name)
