"""Amazon EFS for Lambda: an access point mounted at the function's ``LocalMountPath``.

AWS: a function connects to an EFS file system through an access point; the file system is
shared by every execution environment and function that mounts it, and its data persists.
The function must be in a VPC with mount targets and NFS (port 2049) allowed.
https://docs.aws.amazon.com/lambda/latest/dg/configuration-filesystem.html

The emulator keeps one host directory per file system (created with moto's EFS API) and
bind-mounts the access point's root directory inside each environment's namespace
(``sandbox.py``). No VPC, mount target, security group or NFS latency is modelled.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from moto.awslambda.exceptions import InvalidParameterValueException


class FileSystems:
    """Host directories standing in for EFS file systems."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def directory(self, access_point_arn: str) -> Path:
        """The host directory of the access point's root directory (created on first use)."""
        account, region = access_point_arn.split(":")[4], access_point_arn.split(":")[3]
        from moto.efs.models import efs_backends  # imports moto.ec2: 0.8 s, only with EFS

        backend = efs_backends[account][region]
        point = next((p for p in backend.access_points.values()
                      if p.access_point_arn == access_point_arn), None)
        if point is None:
            raise InvalidParameterValueException(
                f"EFS access point {access_point_arn} does not exist.")
        root_path = (point.root_directory or {}).get("Path", "/").strip("/")
        target = self.root / point.file_system_id / root_path
        target.mkdir(parents=True, exist_ok=True)
        target.chmod(0o777)
        return target

    def clear(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)
