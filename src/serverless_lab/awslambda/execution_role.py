"""Temporary credentials for a function's execution role.

AWS: "Lambda assumes the role and gives the function temporary credentials", exposed to
the runtime as ``AWS_ACCESS_KEY_ID``, ``AWS_SECRET_ACCESS_KEY`` and ``AWS_SESSION_TOKEN``.
https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html
https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime

The emulator derives fake, stable credentials from the role ARN (temporary keys start with
``ASIA`` as STS's do). The user's own credentials never reach a function: the worker gets
only the variables built here, and its view of ``~/.aws`` is hidden (see ``bootstrap``).
"""

from __future__ import annotations

import base64
import hashlib


def _digest(role_arn: str, purpose: str, size: int) -> str:
    raw = hashlib.sha256(f"{purpose}:{role_arn}".encode()).digest()
    return base64.b32encode(raw).decode()[:size]


def credentials_for(role_arn: str) -> dict[str, str]:
    """The three variables Lambda sets for the execution role's session."""
    return {
        "AWS_ACCESS_KEY_ID": "ASIA" + _digest(role_arn, "key", 16),
        "AWS_SECRET_ACCESS_KEY": _digest(role_arn, "secret", 40),
        "AWS_SESSION_TOKEN": "FwoGZXIvYXdzE" + _digest(role_arn, "token", 80),
    }
