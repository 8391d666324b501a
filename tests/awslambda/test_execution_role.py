from __future__ import annotations

from serverless_lab.awslambda.execution_role import credentials_for

ROLE = "arn:aws:iam::123456789012:role/a"


def test_temporary_credentials_look_like_sts() -> None:
    creds = credentials_for(ROLE)
    assert creds["AWS_ACCESS_KEY_ID"].startswith("ASIA") and len(creds["AWS_ACCESS_KEY_ID"]) == 20
    assert len(creds["AWS_SECRET_ACCESS_KEY"]) == 40 and creds["AWS_SESSION_TOKEN"]


def test_stable_per_role_and_distinct_between_roles() -> None:
    assert credentials_for(ROLE) == credentials_for(ROLE)
    assert credentials_for(ROLE) != credentials_for(ROLE.replace("/a", "/b"))
