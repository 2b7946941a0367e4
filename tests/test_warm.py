"""Warm kernels: forked from a server that imported once, isolated from each other."""

from __future__ import annotations

import json
import os
import socket
import time
from pathlib import Path

import nbformat
import pytest

from planbook.engine.build import warm
from planbook.engine.build.execute import kernel_variables
from planbook.engine.build.warm_server import encode, preload, read_message, refusal

REPO = Path(__file__).resolve().parents[1]


def _env(root: Path = REPO) -> dict[str, str]:
    return {**os.environ, **kernel_variables(root)}


# ----------------------------------------------------------------------------- unit


def test_message_round_trip_carries_descriptors() -> None:
    left, right = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    r, w = os.pipe()
    try:
        payload = encode({"argv": ["-f", "x" * 200_000], "env": {}, "cwd": "/"})
        sent = socket.send_fds(left, [payload], [w])
        left.sendall(payload[sent:])
        message, fds = read_message(right)
        assert message["argv"][1] == "x" * 200_000  # longer than one read
        assert len(fds) == 1
        os.write(fds[0], b"ok")
        assert os.read(r, 2) == b"ok"
        os.close(fds[0])
    finally:
        for fd in (r, w):
            os.close(fd)
        left.close()
        right.close()


def test_refusal_names_what_a_fork_cannot_change(tmp_path: Path) -> None:
    env = {"PYTHONPATH": "/a/lib", "PLANBOOK_ROOT": "/a", "PYTHONHASHSEED": "0"}
    good = {"argv": ["-f", "c.json"], "env": dict(env), "cwd": str(tmp_path)}
    assert refusal(good, env) == ""
    for name in ("PYTHONPATH", "PLANBOOK_ROOT", "PYTHONHASHSEED"):
        other = {**good, "env": {**env, name: "other"}}
        assert name in refusal(other, env)
    assert "cwd" in refusal({**good, "cwd": str(tmp_path / "missing")}, env)
    assert "argv" in refusal({**good, "argv": "-f c.json"}, env)


def test_preload_reports_what_it_could_not_import() -> None:
    assert preload(["json", "planbook_no_such_module", "email.*"]) == ["planbook_no_such_module"]


def test_unavailable_server_is_reported_not_waited_for(tmp_path: Path) -> None:
    with pytest.raises(warm.WarmUnavailable, match="not running"):
        warm.request_fork(tmp_path / "sock", ["-f", "x"], {}, str(tmp_path), timeout=30)
    (tmp_path / "error").write_text("ImportError: boom", encoding="utf-8")
    with pytest.raises(warm.WarmUnavailable, match="boom"):
        warm.request_fork(tmp_path / "sock", ["-f", "x"], {}, str(tmp_path), timeout=30)


def test_kernel_manager_uses_the_provisioner_only_with_a_server(
    monkeypatch, tmp_path: Path
) -> None:
    manager = warm.kernel_manager_class()
    monkeypatch.delenv(warm.SOCKET_ENV, raising=False)
    km = manager(kernel_name="python3")
    assert "kernel_provisioner" not in (km.kernel_spec.metadata or {})
    assert km.transport == "tcp"
    monkeypatch.setenv(warm.SOCKET_ENV, str(tmp_path / "sock"))
    km = manager(kernel_name="python3")
    stanza = km.kernel_spec.metadata["kernel_provisioner"]
    assert stanza == {
        "provisioner_name": warm.PROVISIONER,
        "config": {"socket_path": str(tmp_path / "sock")},
    }
    assert km.transport == "ipc" and km.ip.startswith(str(tmp_path))


def test_kernelspec_for_nbval(tmp_path: Path) -> None:
    target = warm.write_kernelspec(tmp_path)
    spec = json.loads((target / "kernel.json").read_text(encoding="utf-8"))
    assert spec["metadata"]["kernel_provisioner"]["provisioner_name"] == warm.PROVISIONER
    assert spec["argv"][1:3] == ["-m", "ipykernel_launcher"]


# ------------------------------------------------------------------ with real kernels


def _notebook(path: Path, *cells: str) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(c) for c in cells]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, path)
    return path


def _run(path: Path, out: Path) -> dict:
    import papermill

    papermill.execute_notebook(
        str(path),
        str(out),
        kernel_name="python3",
        progress_bar=False,
        cwd=str(path.parent),
        kernel_manager_class=warm.kernel_manager_class(),
    )
    nb = nbformat.read(out, as_version=4)
    text = "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []))
    return json.loads(text.strip().splitlines()[-1])


@pytest.fixture
def server(tmp_path: Path, monkeypatch):
    env = _env()
    for name, value in kernel_variables(REPO).items():
        monkeypatch.setenv(name, value)
    started = warm.start_server(env, tmp_path / "warm.log")
    monkeypatch.setenv(warm.SOCKET_ENV, str(started.socket))
    yield started
    started.stop()


@pytest.mark.slow
def test_forked_kernels_share_nothing(server: warm.WarmServer, tmp_path: Path) -> None:
    """Two chapters in turn: the second sees none of the first's changes to modules or
    names, and each kernel is a child of the warm server (forked, not started)."""
    first = _notebook(
        tmp_path / "a.ipynb",
        "import json, os, pandas, planbook\n"
        "pandas.LEAK = planbook.LEAK = 1\nleaked_name = 2\n"
        "pandas.set_option('display.max_rows', 3)\n"
        "print(json.dumps({'pid': os.getpid(), 'ppid': os.getppid(),"
        " 'warm': 'pandas' in __import__('sys').modules}))",
    )
    second = _notebook(
        tmp_path / "b.ipynb",
        "import json, os, pandas, planbook\n"
        "print(json.dumps({'pid': os.getpid(), 'ppid': os.getppid(),"
        " 'leak': hasattr(pandas, 'LEAK') or hasattr(planbook, 'LEAK'),"
        " 'name': 'leaked_name' in globals(),"
        " 'rows': pandas.get_option('display.max_rows')}))",
    )
    a = _run(first, tmp_path / "a.out.ipynb")
    b = _run(second, tmp_path / "b.out.ipynb")
    assert a["ppid"] == b["ppid"] == server.process.pid
    assert a["pid"] != b["pid"]
    assert b == {**b, "leak": False, "name": False, "rows": 60}


@pytest.mark.slow
def test_falls_back_to_an_ordinary_kernel_with_one_line(tmp_path: Path, monkeypatch, capfd):
    for name, value in kernel_variables(REPO).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv(warm.SOCKET_ENV, str(tmp_path / "gone" / "sock"))
    monkeypatch.delenv("_PLANBOOK_WARM_NOTICE", raising=False)
    nb = _notebook(
        tmp_path / "c.ipynb", "import json, os\nprint(json.dumps({'ppid': os.getppid()}))"
    )
    result = _run(nb, tmp_path / "c.out.ipynb")
    assert result["ppid"] == os.getpid()  # started by this process, not forked
    notices = [line for line in capfd.readouterr().err.splitlines() if "warm kernels" in line]
    assert notices == [
        "note: warm kernels unavailable (the warm server is not running); using ordinary kernels"
    ]


@pytest.mark.slow
def test_kernels_die_with_the_server(server: warm.WarmServer, tmp_path: Path) -> None:
    from jupyter_client import KernelManager

    km = KernelManager(kernel_name="python3")
    km.kernel_spec  # noqa: B018  (load it before swapping in the provisioner)
    km._kernel_spec = warm.with_provisioner(km.kernel_spec, str(server.socket))
    km.transport = "ipc"
    km.ip = str(server.directory / "kd")
    km.start_kernel(cwd=str(tmp_path))
    try:
        pid = km.provisioner.pid
        assert pid and os.getpgid(pid) == pid  # a session of its own
        server.process.kill()
        deadline = time.monotonic() + 10
        while warm.running(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not warm.running(pid), "the kernel outlived its warm server"
    finally:
        km.cleanup_resources()
