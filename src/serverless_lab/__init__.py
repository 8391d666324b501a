"""serverless_lab: an offline AWS serverless emulator for the Serverless Lab Book.

    import serverless_lab
    lab = serverless_lab.start()     # idempotent; also `with serverless_lab.start() as lab:`
    lab.endpoint_url                 # http://127.0.0.1:<port>, exported as AWS_ENDPOINT_URL
    lab.advance(minutes=3)           # move virtual time; everything that falls due runs
    lab.settle()                     # run what is due now; return when nothing is in flight
    lab.reset()                      # empty every service, clock back to its start
    lab.stop()

Everything else is plain boto3. Exam revision: ``serverless_lab.quiz.show("02_lambda")`` and
``serverless_lab.quiz.exam()``.
"""

from __future__ import annotations

from .lab import Lab, Settings

__all__ = ["Lab", "Settings", "start", "stop"]

_lab: Lab | None = None


def start(settings: Settings | None = None) -> Lab:
    """Start the lab emulator, or return the one already running."""
    global _lab
    if _lab is None or not _lab.running:
        _lab = Lab(settings)
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
