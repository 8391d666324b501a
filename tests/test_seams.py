"""The seam mechanism (seams.py): the lab installs every wing's rows while it runs, and
gives moto its own methods back when it stops. Each wing's contract tests sit with it
(tests/<wing>/test_seams.py)."""

from __future__ import annotations

from serverless_lab import lab as lab_module
from serverless_lab import seams


def test_seams_are_installed_while_the_lab_runs(lab) -> None:
    """Every row of every wing, and (once a Step Functions request came) the rows on
    moto's Step Functions interpreter (stepfunctions/seams.py)."""
    from serverless_lab.stepfunctions.seams import interpreter_installed, interpreter_rows

    expected = {(o, n) for o, n, _ in lab_module.seam_rows()}
    if interpreter_installed():
        expected |= {(o, n) for o, n, _ in interpreter_rows()}
    assert {(o, n) for o, n, _ in seams.installed()} == expected
    for owner, name, replacement in seams.installed():
        assert vars(owner)[name] is replacement or (
            isinstance(replacement, staticmethod) and
            vars(owner)[name].__func__ is replacement.__func__)


def test_uninstall_gives_moto_its_methods_back() -> None:
    class Owner:
        def method(self) -> str:
            return "moto"

    host = seams._host  # the running lab's, if one runs: put back with its rows
    seams.install(host or object(), [(Owner, "method", lambda self: "ours")])
    try:
        assert Owner().method() == "ours"
        assert seams.original(Owner, "method")(Owner()) == "moto"
    finally:
        rows = [row for row in seams.installed() if row[0] is not Owner]
        seams.uninstall()
        if rows:
            seams.install(host, rows)
    assert Owner().method() == "moto" and (Owner, "method") not in {
        (o, n) for o, n, _ in seams.installed()}
