"""The seam mechanism (seams.py): the lab installs every wing's rows while it runs, and
gives moto its own methods back when it stops. Each wing's contract tests sit with it
(tests/<wing>/test_seams.py)."""

from __future__ import annotations

from serverless_lab import lab as lab_module
from serverless_lab import seams


def test_seams_are_installed_while_the_lab_runs(lab) -> None:
    assert {(o, n) for o, n, _ in seams.installed()} == {
        (o, n) for o, n, _ in lab_module.seam_rows()}
    for owner, name, replacement in seams.installed():
        assert vars(owner)[name] is replacement or (
            isinstance(replacement, staticmethod) and
            vars(owner)[name].__func__ is replacement.__func__)


def test_uninstall_gives_moto_its_methods_back() -> None:
    class Owner:
        def method(self) -> str:
            return "moto"

    seams.install(object(), [(Owner, "method", lambda self: "ours")])
    try:
        assert Owner().method() == "ours"
        assert seams.original(Owner, "method")(Owner()) == "moto"
    finally:
        rows = [row for row in seams.installed() if row[0] is not Owner]
        host = seams._host
        seams.uninstall()
        if rows:
            seams.install(host, rows)
    assert Owner().method() == "moto" and (Owner, "method") not in {
        (o, n) for o, n, _ in seams.installed()}
