from __future__ import annotations

import os
from pathlib import Path

from serverless_lab.awslambda.layers import merge_layers
from serverless_lab.deployment_package import zip_code


def test_layers_merge_in_order_read_only_and_once(tmp_path: Path) -> None:
    first = ("d1", zip_code({"python/a.py": "A = 1\n", "python/shared.py": "S = 1\n"}))
    second = ("d2", zip_code({"python/shared.py": "S = 2\n"}))
    merged = merge_layers((first, second), tmp_path)
    assert (merged / "python" / "a.py").read_text() == "A = 1\n"
    assert (merged / "python" / "shared.py").read_text() == "S = 2\n"
    assert not os.access(merged / "python" / "a.py", os.W_OK) or os.geteuid() == 0
    assert oct((merged / "python" / "a.py").stat().st_mode & 0o777) == "0o444"
    assert merge_layers((first, second), tmp_path) == merged
    assert merge_layers((second, first), tmp_path) != merged
