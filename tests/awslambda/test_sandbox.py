"""What a handler's filesystem looks like: /tmp size, /opt layers read-only, EFS mounts."""

from __future__ import annotations

import boto3
import pytest

from serverless_lab.awslambda import sandbox
from serverless_lab.awslambda.execution_environment import ExecutionEnvironment
from serverless_lab.awslambda.runtime import Runtime, RuntimeSettings
from serverless_lab.deployment_package import zip_code
from tests.conftest import invoke

WRITE = """
import errno, os
def handler(e, c):
    try:
        with open('/tmp/big', 'wb') as f:
            for _ in range(e['mb']):
                f.write(b'x' * 1024 * 1024)
        return {'ok': os.path.getsize('/tmp/big') // (1024 * 1024)}
    except OSError as exc:
        return {'errno': exc.errno, 'error': exc.strerror, 'ENOSPC': exc.errno == errno.ENOSPC}
"""


def test_writing_beyond_ephemeral_storage_is_enospc(namespaces, make_function) -> None:
    make_function("writer", WRITE, EphemeralStorage={"Size": 512}, MemorySize=1024, Timeout=30)
    assert invoke("writer", {"mb": 100})[1] == {"ok": 100}
    result = invoke("writer", {"mb": 600})[1]
    assert result == {"errno": 28, "error": "No space left on device", "ENOSPC": True}
    assert invoke("writer", {"mb": 1})[1] == {"ok": 1}  # the environment survived


def test_larger_ephemeral_storage_allows_more(namespaces, make_function) -> None:
    make_function("roomy", WRITE, EphemeralStorage={"Size": 1024}, MemorySize=1024, Timeout=30)
    assert invoke("roomy", {"mb": 600})[1] == {"ok": 600}


def test_layers_are_importable_from_opt_python_and_read_only(namespaces, make_function) -> None:
    client = boto3.client("lambda")
    layer = client.publish_layer_version(LayerName="greetings", Content={"ZipFile": zip_code(
        {"python/greetings.py": "def hello():\n    return 'hi from a layer'\n"})})
    source = ("import greetings, os\ndef handler(e, c):\n"
              "    try:\n        open('/opt/python/new.py', 'w')\n        writable = True\n"
              "    except OSError:\n        writable = False\n"
              "    return [greetings.hello(), greetings.__file__, writable,"
              " sorted(os.listdir('/opt'))]\n")
    make_function("user", source, Layers=[layer["LayerVersionArn"]])
    assert invoke("user")[1] == ["hi from a layer", "/opt/python/greetings.py", False, ["python"]]


def test_later_layers_override_earlier_ones(namespaces, make_function) -> None:
    client = boto3.client("lambda")
    arns = [client.publish_layer_version(LayerName=f"l{v}", Content={"ZipFile": zip_code(
        {"python/lib_v.py": f"V = {v}\n"})})["LayerVersionArn"] for v in (1, 2)]
    make_function("order", "import lib_v\ndef handler(e, c):\n    return lib_v.V\n", Layers=arns)
    assert invoke("order")[1] == 2


def test_without_layers_opt_is_empty(namespaces, make_function) -> None:
    make_function("bare", "import os\ndef handler(e, c):\n    return os.listdir('/opt')\n")
    assert invoke("bare")[1] == []


def test_efs_is_shared_between_functions_and_outlives_environments(namespaces, make_function,
                                                                     aws) -> None:
    efs = aws("efs")
    fs = efs.create_file_system(CreationToken="data")["FileSystemId"]
    point = efs.create_access_point(FileSystemId=fs, RootDirectory={"Path": "/lambda"})
    mount = [{"Arn": point["AccessPointArn"], "LocalMountPath": "/mnt/data"}]
    make_function("writer", "def handler(e, c):\n    open('/mnt/data/note', 'w').write(e['t'])\n",
                  FileSystemConfigs=mount)
    make_function("reader", "def handler(e, c):\n    return open('/mnt/data/note').read()\n",
                  FileSystemConfigs=mount)
    invoke("writer", {"t": "shared"})
    assert invoke("reader")[1] == "shared"
    namespaces.advance(minutes=20)  # every environment is shut down
    assert namespaces.runtime.environments("reader") == []
    assert invoke("reader")[1] == "shared"


def test_without_namespaces_tmpdir_is_the_environments_own(lab, make_function,
                                                           monkeypatch) -> None:
    monkeypatch.setattr(ExecutionEnvironment, "_sandbox", lambda self: None)
    monkeypatch.setattr(lab.runtime, "tmp_modes", set())
    make_function("fallback", "import tempfile\ndef handler(e, c):\n"
                  "    return tempfile.gettempdir()\n")
    with pytest.warns(RuntimeWarning, match="no private namespaces.*NOT contained"):
        lab.runtime._note_tmp_mode("tmpdir")
    tmp = invoke("fallback")[1]
    assert tmp != "/tmp" and tmp.endswith("/tmp") and "environments/env-" in tmp


def test_paths_under_a_directory() -> None:
    assert sandbox._under("/tmp/a/b", "/tmp") and sandbox._under("/tmp", "/tmp")
    assert not sandbox._under("/tmpx", "/tmp")


def test_layer_update_needs_a_new_version_and_versions_keep_theirs(namespaces,
                                                                  make_function) -> None:
    client = boto3.client("lambda")

    def publish(v: int) -> str:
        return client.publish_layer_version(LayerName="lib", Content={"ZipFile": zip_code(
            {"python/lib_v.py": f"V = {v}\n"})})["LayerVersionArn"]

    first = publish(1)
    source = "import lib_v\ndef handler(e, c):\n    return lib_v.V\n"
    make_function("a", source, Layers=[first])
    make_function("b", source, Layers=[first])
    client.publish_version(FunctionName="a")
    second = publish(2)
    assert second.endswith(":2") and invoke("a")[1] == invoke("b")[1] == 1
    client.update_function_configuration(FunctionName="a", Layers=[second])
    assert (invoke("a")[1], invoke("a", Qualifier="1")[1], invoke("b")[1]) == (2, 1, 1)


def test_code_is_at_var_task_read_only(namespaces, make_function) -> None:
    source = ("import os\ndef handler(e, c):\n    try:\n        open('/var/task/new', 'w')\n"
              "        writable = True\n    except OSError:\n        writable = False\n"
              "    return [__file__, os.getcwd(), os.environ['LAMBDA_TASK_ROOT'], writable,"
              " os.listdir('/var')]\n")
    make_function("where", source)
    assert invoke("where")[1] == ["/var/task/app.py", "/var/task", "/var/task", False, ["task"]]


def test_a_function_keeps_working_after_its_layer_version_is_deleted(namespaces,
                                                                     make_function) -> None:
    client = boto3.client("lambda")
    arn = client.publish_layer_version(LayerName="gone", Content={"ZipFile": zip_code(
        {"python/gone_lib.py": "X = 'still here'\n"})})["LayerVersionArn"]
    make_function("keeps", "import gone_lib\ndef handler(e, c):\n    return gone_lib.X\n",
                  Layers=[arn])
    client.delete_layer_version(LayerName="gone", VersionNumber=1)
    namespaces.advance(minutes=20)  # a cold start after the deletion
    assert invoke("keeps")[1] == "still here"


def test_without_namespaces_files_in_tmp_are_still_capped(lab, make_function,
                                                          monkeypatch) -> None:
    monkeypatch.setattr(ExecutionEnvironment, "_sandbox", lambda self: None)
    monkeypatch.setattr(lab.runtime, "tmp_modes", {"tmpdir"})  # noticed: no warning here
    make_function("filler", WRITE.replace("'/tmp/big'", "tempfile.gettempdir() + '/big'")
                  .replace("import errno, os", "import errno, os, tempfile"),
                  EphemeralStorage={"Size": 512}, MemorySize=1024, Timeout=30)
    result = invoke("filler", {"mb": 513})[1]
    assert result["errno"] == 27  # EFBIG: the file may not outgrow the ephemeral storage


def test_the_lab_says_at_start_when_there_is_no_sandbox(lab, monkeypatch) -> None:
    if lab.runtime.tmp_modes == {"namespace"}:
        assert sandbox.available()
    monkeypatch.setattr(sandbox, "available", lambda: False)
    runtime = Runtime(lab.clock, lab.runtime.root, RuntimeSettings())
    with pytest.warns(RuntimeWarning, match="NOT contained"):
        runtime.check_sandbox()
    assert runtime.tmp_modes == {"tmpdir"}


def test_a_python_installation_under_tmp_stays_visible(namespaces, make_function, tmp_path,
                                                       monkeypatch) -> None:
    """A checkout cloned under /tmp has its .venv there: the environment's own /tmp must not
    hide it (the tmpfs is mounted before the runtime's paths are bound)."""
    from serverless_lab.awslambda import execution_environment

    assert str(tmp_path).startswith("/tmp/")
    (tmp_path / "marker.txt").write_text("kept")
    tmp_path.chmod(0o755)  # as a .venv is: readable by the function's user
    paths = execution_environment.runtime_paths()
    monkeypatch.setattr(execution_environment, "runtime_paths", lambda: [*paths, str(tmp_path)])
    make_function("venv-in-tmp", f"def handler(e, c):\n    return open('{tmp_path}/marker.txt').read()\n")
    assert invoke("venv-in-tmp")[1] == "kept"
