"""serverless_lab: an offline AWS serverless emulator for the Serverless Lab Book.

    import serverless_lab
    lab = serverless_lab.start()     # idempotent; also `with serverless_lab.start() as lab:`
    lab.endpoint_url                 # http://127.0.0.1:<port>, exported as AWS_ENDPOINT_URL
    lab.advance(minutes=3)           # move virtual time; everything that falls due runs
    lab.settle()                     # run what is due now; return when nothing is in flight
    lab.reset()                      # empty every service, clock back to its start
    lab.stop()

``SERVERLESS_LAB_TARGET=endpoint`` (an AWS-compatible endpoint in ``AWS_ENDPOINT_URL``, e.g.
``serverless-lab serve``) or ``aws`` (your own account; needs
``SERVERLESS_LAB_I_UNDERSTAND_COSTS=1``) sends the same labs elsewhere (targets.py).

Everything else is plain boto3. Exam revision: ``serverless_lab.quiz.show("02_lambda")`` and
``serverless_lab.quiz.exam()``.
"""

from __future__ import annotations

from typing import Any

from serverless_lab.lab import Lab, Settings
from serverless_lab.targets.selection import CostsNotAcknowledged, select

__all__ = ["CostsNotAcknowledged", "Lab", "Settings", "start", "stop"]

_lab: Any = None


def start(settings: Settings | None = None) -> Any:
    """Start the lab on the target ``SERVERLESS_LAB_TARGET`` names (the emulator, in this
    process, by default), or return the one already running."""
    global _lab
    if _lab is None or not _lab.running:
        target = select()
        if target.kind == "local":
            _lab = Lab(settings)
        else:
            from serverless_lab.targets.remote import RemoteLab

            _lab = RemoteLab(target, settings)
    return _lab.start()


def __getattr__(name: str) -> object:
    """``serverless_lab.quiz`` is imported on first use (it needs IPython and ipywidgets)."""
    if name == "quiz":
        import importlib

        return importlib.import_module(".quiz", __name__)
    raise AttributeError(f"module 'serverless_lab' has no attribute {name!r}")


def stop() -> None:
    """Stop the running lab, if any."""
    global _lab
    if _lab is not None:
        _lab.stop()
        _lab = None
