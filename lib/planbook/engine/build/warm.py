"""Warm kernels: chapters' kernels forked from a server that has done the imports.

An ordinary kernel costs about 1.6 s to start, 2 s for the imports of a chapter's first
cell and 1.4 s for its first chart, before the chapter's own work. A build starts one
warm server (:mod:`~planbook.engine.build.warm_server`) with the kernels' environment;
the kernel provisioner :class:`WarmProvisioner` (registered with jupyter-client as
``planbook-warm``) asks it to fork each kernel. papermill still runs every chapter; only
the kernel's process comes from a fork. Each chapter gets its own process and a clean
namespace.

When forking is not possible (no ``os.fork``, the server failed to start or refused the
request), the provisioner starts an ordinary kernel and says so in one line on stderr.
Set ``PLANBOOK_WARM=0`` to use ordinary kernels throughout.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from planbook.engine.build.children import kernel_manager_class as tied_manager_class
from planbook.engine.build.children import stop, tied_to_me
from planbook.engine.build.warm_server import HEADER, encode

SOCKET_ENV = "PLANBOOK_WARM_SOCKET"
"""The environment variable naming the warm server's socket for the kernel managers."""

PROVISIONER = "planbook-warm"
"""The provisioner's entry-point name (``jupyter_client.kernel_provisioners``)."""

PRELOAD: tuple[str, ...] = (
    "numpy",
    "pandas",
    "scipy.stats",
    "scipy.optimize",
    "statsmodels.api",
    "statsmodels.tsa.api",
    "matplotlib.pyplot",
    "seaborn",
    "IPython",
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "ipykernel.debugger",  # debugpy: a third of a second per kernel otherwise
    "myst_nb.ext.glue",
    "planbook.chapters.*",
    "planbook.page.*",
)
"""What the server imports before it forks: the first cell's imports of every chapter."""

WARM_UP = "planbook.page.charts:warm_up"
"""Draws and discards one chart (fonts, text layout and the PNG writer load once)."""

READY_TIMEOUT = 90.0
"""Seconds a kernel waits for the server to finish importing before falling back."""


class WarmUnavailable(RuntimeError):
    """The warm server cannot fork this kernel; an ordinary kernel starts instead."""


def enabled() -> bool:
    """Whether builds use warm kernels (``os.fork`` exists and ``PLANBOOK_WARM`` is not 0)."""
    return hasattr(os, "fork") and os.environ.get("PLANBOOK_WARM", "1") != "0"


@dataclass
class WarmServer:
    """A running warm server: its process and the folder of its socket."""

    process: subprocess.Popen[bytes]
    directory: Path

    @property
    def socket(self) -> Path:
        return self.directory / "sock"

    def stop(self) -> None:
        """Kill the server (its kernels die with it) and remove its folder."""
        stop(self.process)
        shutil.rmtree(self.directory, ignore_errors=True)


def start_server(
    env: Mapping[str, str],
    log: Path,
    preload_modules: Sequence[str] = PRELOAD,
    warm: str = WARM_UP,
) -> WarmServer:
    """Start a warm server with the kernels' environment ``env``; returns at once.

    It imports in the background; kernels asked of it wait until it listens. Its output
    goes to ``log``. The socket lives in a short temporary folder (Unix sockets allow
    about 100 characters of path).
    """
    directory = Path(tempfile.mkdtemp(prefix="planbook-warm-"))
    log.parent.mkdir(parents=True, exist_ok=True)
    cmd = [
        sys.executable,
        "-m",
        "planbook.engine.build.warm_server",
        str(directory),
        "--parent",
        str(os.getpid()),
        "--warm-up",
        warm,
        "--preload",
        *preload_modules,
    ]
    with open(log, "ab") as out:
        process = subprocess.Popen(
            cmd,
            env=dict(env),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=out,
            start_new_session=True,
            **tied_to_me(),
        )
    (directory / "pid").write_text(str(process.pid), encoding="utf-8")
    return WarmServer(process, directory)


def _alive(pid_file: Path) -> bool:
    try:
        os.kill(int(pid_file.read_text(encoding="utf-8")), 0)
    except (OSError, ValueError):
        return False
    return True


def _connect(path: Path, timeout: float) -> socket.socket:
    """Connect to the server at ``path``, waiting while it imports."""
    deadline = time.monotonic() + timeout
    while True:
        error = path.parent / "error"
        if error.is_file():
            raise WarmUnavailable(f"the warm server failed: {error.read_text('utf-8')[:200]}")
        if path.exists():
            conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                conn.connect(str(path))
                return conn
            except OSError:
                conn.close()
        if not path.parent.is_dir() or not _alive(path.parent / "pid"):
            raise WarmUnavailable("the warm server is not running")
        if time.monotonic() > deadline:
            raise WarmUnavailable(f"the warm server was not ready within {timeout:.0f} s")
        time.sleep(0.05)


def request_fork(
    path: Path,
    argv: Sequence[str],
    env: Mapping[str, str],
    cwd: str,
    timeout: float = READY_TIMEOUT,
) -> int:
    """Ask the server at ``path`` for a kernel running ``argv``; returns its pid."""
    conn = _connect(path, timeout)
    try:
        payload = encode({"argv": list(argv), "env": dict(env), "cwd": cwd, "client": os.getpid()})
        sys.stdout.flush()
        sys.stderr.flush()
        sent = socket.send_fds(conn, [payload], [1, 2])
        if sent < len(payload):
            conn.sendall(payload[sent:])
        data = b""
        while True:
            chunk = conn.recv(1 << 16)
            if not chunk:
                break
            data += chunk
    except OSError as exc:
        raise WarmUnavailable(f"the warm server did not answer: {exc}") from exc
    finally:
        conn.close()
    if len(data) < HEADER.size:
        raise WarmUnavailable("the warm server closed the connection")
    reply = json.loads(data[HEADER.size :].decode("utf-8"))
    if "pid" not in reply:
        raise WarmUnavailable(f"the warm server refused: {reply.get('error', 'no reason')}")
    return int(reply["pid"])


def running(pid: int) -> bool:
    """Whether process ``pid`` exists and is not a zombie waiting to be reaped."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii")
    except OSError:
        return True
    return stat.rpartition(")")[2].split()[:1] != ["Z"]


class ForkedKernel:
    """The parts of ``subprocess.Popen`` a provisioner uses, for a kernel that is not our
    child (the server is its parent and reaps it)."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None and not running(self.pid):
            self.returncode = 0
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(str(self.pid), timeout or 0.0)
            time.sleep(0.02)
        return self.returncode or 0

    def send_signal(self, signum: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signum)

    def kill(self) -> None:
        import signal

        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        import signal

        self.send_signal(signal.SIGTERM)


def _fallback_notice(reason: str) -> None:
    """Say once per process that kernels start the ordinary way, and why."""
    flag = "_PLANBOOK_WARM_NOTICE"
    if os.environ.get(flag) != "1":
        os.environ[flag] = "1"
        print(f"note: warm kernels unavailable ({reason}); using ordinary kernels", file=sys.stderr)


@functools.cache
def _provisioner_class() -> type:
    from jupyter_client.provisioning import LocalProvisioner
    from traitlets import Unicode

    class WarmProvisioner(LocalProvisioner):  # type: ignore[misc]
        """Fork the kernel from the warm server at ``socket_path``; else start it."""

        socket_path = Unicode("", config=True)

        async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> Any:
            path = self.socket_path or os.environ.get(SOCKET_ENV, "")
            try:
                if not path:
                    raise WarmUnavailable("no warm server")
                if cmd[1:3] != ["-m", "ipykernel_launcher"]:
                    raise WarmUnavailable("not an ipykernel command")
                # As an ordinary kernel's: the process that asked for it (the fork's
                # parent is the server).
                env = {**(kwargs.get("env") or os.environ), "JPY_PARENT_PID": str(os.getpid())}
                cwd = str(kwargs.get("cwd") or os.getcwd())
                pid = request_fork(Path(path), cmd[3:], env, cwd)
            except WarmUnavailable as exc:
                _fallback_notice(str(exc))
                return await super().launch_kernel(cmd, **kwargs)
            self.process = ForkedKernel(pid)
            self.pid = pid
            self.pgid = pid  # the kernel leads a session of its own
            self.cwd = kwargs.get("cwd") or Path.cwd()
            return self.connection_info

    return WarmProvisioner


def __getattr__(name: str) -> Any:
    """``WarmProvisioner`` is built on first use (jupyter-client loads it by entry point)."""
    if name == "WarmProvisioner":
        return _provisioner_class()
    raise AttributeError(name)


def with_provisioner(spec: Any, socket_path: str) -> Any:
    """A copy of kernel spec ``spec`` whose kernels come from the warm server."""
    spec = spec.__class__(**spec.to_dict(), resource_dir=spec.resource_dir)
    spec.metadata = {
        **(spec.metadata or {}),
        "kernel_provisioner": {
            "provisioner_name": PROVISIONER,
            "config": {"socket_path": socket_path},
        },
    }
    return spec


@functools.cache
def kernel_manager_class() -> type:
    """The kernel manager papermill gets: kernels die with their parent and, while
    ``PLANBOOK_WARM_SOCKET`` names a warm server, are forked from it."""
    base = tied_manager_class()

    class WarmKernelManager(base):  # type: ignore[misc, valid-type]
        def __init__(self, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            path = os.environ.get(SOCKET_ENV, "")
            folder = Path(path).parent if path else None
            if folder and folder.is_dir() and not {"ip", "transport"} & kwargs.keys():
                # Unix sockets beside the server's: no race for TCP ports between
                # kernels that start within milliseconds of each other.
                self.transport = "ipc"
                self.ip = str(folder / f"k{uuid.uuid4().hex[:12]}")

        @property
        def kernel_spec(self) -> Any:
            spec = base.kernel_spec.fget(self)  # type: ignore[attr-defined]
            path = os.environ.get(SOCKET_ENV, "")
            meta = (spec.metadata or {}) if spec is not None else {}
            if spec is None or not path or "kernel_provisioner" in meta:
                return spec
            return with_provisioner(spec, path)

    return WarmKernelManager


def write_kernelspec(directory: Path, name: str = "planbook-warm") -> Path:
    """Write a kernel spec whose kernels are forked from a warm server (for nbval).

    The kernels use the server named by ``PLANBOOK_WARM_SOCKET`` in the environment of
    the process that starts them, and ordinary kernels when there is none. Put
    ``directory`` on ``JUPYTER_PATH`` (the spec lands in ``directory/kernels/name``).
    """
    target = directory / "kernels" / name
    target.mkdir(parents=True, exist_ok=True)
    spec = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (planbook, warm)",
        "language": "python",
        "metadata": {"kernel_provisioner": {"provisioner_name": PROVISIONER, "config": {}}},
    }
    (target / "kernel.json").write_text(json.dumps(spec, indent=1), encoding="utf-8")
    return target


__all__ = [
    "PRELOAD",
    "PROVISIONER",
    "SOCKET_ENV",
    "WARM_UP",
    "ForkedKernel",
    "WarmServer",
    "WarmUnavailable",
    "enabled",
    "kernel_manager_class",
    "request_fork",
    "running",
    "start_server",
    "with_provisioner",
    "write_kernelspec",
]
