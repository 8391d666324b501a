from __future__ import annotations

from pathlib import Path

import boto3
import pytest
from moto.awslambda.exceptions import InvalidParameterValueException

from serverless_lab.awslambda.efs import FileSystems


def test_access_point_root_directory_is_a_host_directory(lab, tmp_path: Path) -> None:
    efs = boto3.client("efs")
    fs = efs.create_file_system(CreationToken="t")["FileSystemId"]
    point = efs.create_access_point(FileSystemId=fs, RootDirectory={"Path": "/app/data"})
    systems = FileSystems(tmp_path)
    directory = systems.directory(point["AccessPointArn"])
    assert directory == tmp_path / fs / "app" / "data" and directory.is_dir()
    systems.clear()
    assert not tmp_path.exists()


def test_unknown_access_point_is_refused(lab, tmp_path: Path) -> None:
    with pytest.raises(InvalidParameterValueException):
        FileSystems(tmp_path).directory(
            "arn:aws:elasticfilesystem:us-east-1:123456789012:access-point/fsap-00000000")
