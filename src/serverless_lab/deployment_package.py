"""Deployment packages: the .zip archive that holds a function's code (or a layer's).

AWS: "A .zip file archive ... contains your function code and any dependencies"; an archive
Lambda cannot open is refused with ``InvalidParameterValueException: Could not unzip
uploaded file. Please check your file, then try to upload again.``
https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-package.html

``zip_code`` builds a package from source text, the way the labs define small handlers.
"""

from __future__ import annotations

import hashlib
import io
import shutil
import zipfile
from pathlib import Path

from moto.awslambda.exceptions import InvalidParameterValueException

UNZIP_ERROR = "Could not unzip uploaded file. Please check your file, then try to upload again."


def zip_code(files: dict[str, str | bytes]) -> bytes:
    """A .zip package holding ``files`` (archive name -> content)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in sorted(files.items()):
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content)
    return buffer.getvalue()


def check_zip(code: bytes) -> None:
    """Raise AWS's error when ``code`` is not a readable .zip archive."""
    try:
        with zipfile.ZipFile(io.BytesIO(code)) as archive:
            if archive.testzip() is not None:
                raise InvalidParameterValueException(UNZIP_ERROR)
    except (zipfile.BadZipFile, ValueError, EOFError):
        raise InvalidParameterValueException(UNZIP_ERROR) from None


def extract(code: bytes, root: Path) -> Path:
    """Unpack ``code`` once per content digest under ``root``; return its directory."""
    target = root / hashlib.sha256(code).hexdigest()[:24]
    if target.is_dir():
        return target
    staging = target.with_suffix(".partial")
    shutil.rmtree(staging, ignore_errors=True)
    with zipfile.ZipFile(io.BytesIO(code)) as archive:
        archive.extractall(staging)
    staging.rename(target)
    return target
