"""Control groups per execution environment (cgroups.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from serverless_lab.awslambda import cgroups


@pytest.fixture
def group():
    made = cgroups.create("test-env")
    if made is None:
        pytest.skip("this machine allows the lab no control groups")
    yield made
    made.remove()
    cgroups.sweep(wait_seconds=2.0)
    cgroups.remove_all()


def test_a_group_limits_tasks_to_1024_and_measures_memory(group) -> None:
    assert (group.paths["pids"] / "pids.max").read_text().strip() == "1024"
    assert group.memory_bytes() == 0 and group.tasks() == 0
    assert all(Path(f).name == "cgroup.procs" for f in group.procs_files)


def test_groups_are_removed_with_the_lab_and_stale_ones_swept(group) -> None:
    base = group.paths["pids"].parent
    assert base.name == f"serverless-lab-{os.getpid()}"
    stale = base.with_name("serverless-lab-999999999")
    (stale / "env-00001").mkdir(parents=True)
    cgroups.remove_stale()
    assert not stale.exists()
    others = [p for p in base.iterdir() if p.is_dir() and p != group.paths["pids"]]
    group.remove()
    cgroups.sweep(wait_seconds=2.0)
    cgroups.remove_all()
    assert not group.paths["pids"].exists()
    assert base.exists() == bool(others)  # the lab's parent group goes with its last group
