"""Where the emulator plugs into moto: the mechanism that installs, restores and looks up
moto's own methods. It knows no service: each wing lists the rows it owns
(``awslambda/seams.py``, ``stepfunctions/seams.py``, ``events/seams.py``) and the lab
composes them (``lab.seam_rows``).

Each row replaces one moto method (the way moto's own ``LambdaSimpleBackend`` overrides
``invoke``) with a function from the module that owns that behaviour. Every row has a
contract test beside its wing's tests (``tests/<wing>/test_seams.py``) that fails loudly if
the pinned moto changes shape.
"""

from __future__ import annotations

from typing import Any

Row = tuple[Any, str, Any]  # (owner, method name, replacement)
_INHERITED = object()
_originals: dict[tuple[Any, str], Any] = {}
_own_attributes: dict[tuple[Any, str], Any] = {}
_installed: list[Row] = []
_host: Any = None


def original(owner: Any, name: str) -> Any:
    """moto's own method behind a seam (also before ``install``; None for an operation moto
    lacks, such as ``start_sync_execution``)."""
    if (owner, name) in _originals:
        return _originals[(owner, name)]
    return getattr(owner, name, None)


def host() -> Any:
    """The running lab, for the replacements (its runtime, clock, routing ...)."""
    if _host is None:
        raise RuntimeError("serverless_lab is not started: call serverless_lab.start()")
    return _host


def install(lab: Any, rows: list[Row]) -> None:
    """Plug the emulator into moto (idempotent)."""
    global _host
    _host = lab
    for owner, name, replacement in rows:
        if (owner, name) not in _originals:
            _originals[(owner, name)] = getattr(owner, name, None)  # None: a new operation
            _own_attributes[(owner, name)] = owner.__dict__.get(name, _INHERITED)
            _installed.append((owner, name, replacement))
        setattr(owner, name, replacement)


def uninstall() -> None:
    """Give moto its own methods back."""
    global _host
    _host = None
    while _installed:
        owner, name, _ = _installed.pop()
        del _originals[(owner, name)]
        own = _own_attributes.pop((owner, name))
        if own is _INHERITED:
            delattr(owner, name)
        else:
            setattr(owner, name, own)


def installed() -> list[Row]:
    return list(_installed)

