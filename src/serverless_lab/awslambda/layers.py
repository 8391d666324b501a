"""Lambda layers: what a function finds in ``/opt``.

AWS: "Lambda extracts the layer contents into the /opt directory ... in the order that you
add them" and, for Python, puts ``/opt/python`` and ``/opt/python/lib/python3.x/site-packages``
on the path. A function can use up to 5 layers; layers are read-only to the function.
https://docs.aws.amazon.com/lambda/latest/dg/packaging-layers.html
https://docs.aws.amazon.com/lambda/latest/dg/adding-layers.html
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import zipfile
from pathlib import Path


def _read_only(root: Path) -> None:
    for directory, _, files in os.walk(root):
        for name in files:
            os.chmod(os.path.join(directory, name), 0o444)
        os.chmod(directory, 0o555)


def merge_layers(layers: tuple[tuple[str, bytes], ...], parent: Path) -> Path:
    """One directory holding ``layers`` (digest, zip) extracted in order, later layers
    overriding earlier files, made read-only; built once per list of layer versions."""
    key = hashlib.sha256(",".join(d for d, _ in layers).encode()).hexdigest()[:24]
    target = parent / key
    if target.is_dir():
        return target
    staging = parent / f"{key}.partial"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    for _, code in layers:
        with zipfile.ZipFile(io.BytesIO(code)) as archive:
            archive.extractall(staging)
    _read_only(staging)
    staging.rename(target)
    return target
