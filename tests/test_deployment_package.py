from __future__ import annotations

import io
import zipfile
from pathlib import Path

import boto3
import pytest
from botocore.exceptions import ClientError
from moto.awslambda.exceptions import InvalidParameterValueException

from serverless_lab.deployment_package import UNZIP_ERROR, check_zip, extract, zip_code
from tests.conftest import TRUST


def test_zip_code_is_deterministic_and_readable() -> None:
    package = zip_code({"app.py": "x = 1\n", "lib/util.py": b"y = 2\n"})
    assert package == zip_code({"lib/util.py": b"y = 2\n", "app.py": "x = 1\n"})
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        assert archive.read("app.py") == b"x = 1\n"


def test_check_zip_refuses_garbage() -> None:
    with pytest.raises(InvalidParameterValueException):
        check_zip(b"this is not a zip")


def test_extract_once_per_content(tmp_path: Path) -> None:
    package = zip_code({"app.py": "x = 1\n"})
    first = extract(package, tmp_path)
    assert extract(package, tmp_path) == first and (first / "app.py").read_text() == "x = 1\n"


def test_create_function_with_a_non_zip_is_refused(lab) -> None:
    role = boto3.client("iam").create_role(RoleName="r", AssumeRolePolicyDocument=TRUST)
    with pytest.raises(ClientError) as caught:
        boto3.client("lambda").create_function(
            FunctionName="bad", Runtime="python3.12", Role=role["Role"]["Arn"],
            Handler="app.handler", Code={"ZipFile": b"not a zip at all"})
    error = caught.value.response["Error"]
    assert (error["Code"], error["Message"]) == ("InvalidParameterValueException", UNZIP_ERROR)


def test_update_function_code_with_a_non_zip_is_refused(make_function) -> None:
    make_function("good", "def handler(e, c):\n    return 1\n")
    with pytest.raises(ClientError) as caught:
        boto3.client("lambda").update_function_code(FunctionName="good", ZipFile=b"garbage")
    assert caught.value.response["Error"]["Code"] == "InvalidParameterValueException"
