"""The warm kernel server: one process that imports once and forks a kernel per chapter.

Started by a build (``python -m planbook.engine.build.warm_server DIR --preload ...``) with
the kernels' environment, it imports the modules every chapter needs (pandas, statsmodels,
seaborn, the book's own package), draws one chart through a warm-up function, then listens
on the Unix socket ``DIR/sock``. Each request forks a child that becomes an ordinary
ipykernel for one chapter: its own process, session, connection file, working folder,
environment and a fresh user namespace. Whatever a chapter does to a module lives in that
child alone and dies with it; the server never runs chapter code.

Requests are one message: an 8-byte length, then JSON ``{"argv", "env", "cwd", "client"}``,
with the client's stdout and stderr passed as file descriptors; the reply is
``{"pid": ...}`` or ``{"error": "..."}``. The server refuses a request whose environment
would differ where forking cannot follow it (another ``PYTHONPATH``, book or hash seed):
those are fixed when the interpreter starts, so the client falls back to an ordinary
kernel.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import os
import pkgutil
import signal
import socket
import struct
import sys
import threading
import time
import traceback
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from planbook.engine.build.children import die_with_parent
from planbook.engine.build.startup import skip_slow_imports

FIXED_AT_START = ("PYTHONPATH", "PLANBOOK_ROOT", "PYTHONHASHSEED")
"""Environment variables a forked kernel cannot change: the interpreter read them at start."""

HEADER = struct.Struct("!Q")
"""The length prefix of a request or reply."""


def preload(modules: Sequence[str]) -> list[str]:
    """Import ``modules`` and, for a package ending in ``.*``, every module under it.

    Returns the names that could not be imported (the server still serves: a chapter
    imports them itself, only slower).
    """
    failed: list[str] = []
    for name in modules:
        base = name.removesuffix(".*")
        try:
            package = importlib.import_module(base)
            if name.endswith(".*"):
                for info in pkgutil.walk_packages(package.__path__, base + "."):
                    importlib.import_module(info.name)
        except Exception:
            failed.append(name)
    return failed


def warm_up(target: str) -> None:
    """Call ``module:function`` (for example one that draws and discards a chart)."""
    module, _, function = target.partition(":")
    getattr(importlib.import_module(module), function)()


def read_message(conn: socket.socket) -> tuple[dict[str, Any], list[int]]:
    """Read one length-prefixed JSON message and the file descriptors sent with it."""
    data, fds, _, _ = socket.recv_fds(conn, 1 << 16, 4)
    while len(data) < HEADER.size:
        chunk = conn.recv(1 << 16)
        if not chunk:
            raise ConnectionError("request cut short")
        data += chunk
    (size,) = HEADER.unpack_from(data)
    body = data[HEADER.size :]
    while len(body) < size:
        chunk = conn.recv(1 << 16)
        if not chunk:
            raise ConnectionError("request cut short")
        body += chunk
    return json.loads(body[:size].decode("utf-8")), list(fds)


def encode(message: Mapping[str, Any]) -> bytes:
    """``message`` as a length-prefixed JSON payload."""
    body = json.dumps(message).encode("utf-8")
    return HEADER.pack(len(body)) + body


def refusal(request: Mapping[str, Any], environ: Mapping[str, str]) -> str:
    """Why this server cannot serve ``request`` (empty when it can)."""
    argv = request.get("argv")
    if not isinstance(argv, list) or not all(isinstance(a, str) for a in argv):
        return "argv is not a list of strings"
    env = request.get("env")
    if not isinstance(env, dict):
        return "env is not a mapping"
    for name in FIXED_AT_START:
        if env.get(name) != environ.get(name):
            return f"{name} differs from the warm server's"
    cwd = request.get("cwd")
    if not isinstance(cwd, str) or not Path(cwd).is_dir():
        return "cwd is not a folder"
    return ""


def _watch_client(pid: int) -> None:
    """End this kernel when the process that asked for it is gone (it cannot be our
    parent, so the kernel's own parent check does not see it)."""

    def poll() -> None:
        while True:
            time.sleep(1.0)
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                os._exit(1)
            except PermissionError:
                pass

    threading.Thread(target=poll, name="planbook-client-watch", daemon=True).start()


def become_kernel(request: Mapping[str, Any], fds: Sequence[int], server: int) -> None:
    """In the forked child: take the request's streams, folder and environment, then run
    ipykernel with the request's arguments until it shuts down. Never returns."""
    code = 1
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        os.setsid()
        die_with_parent(server)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.close(null)
        for target, fd in zip((1, 2), fds, strict=False):
            os.dup2(fd, target)
        for fd in fds:
            os.close(fd)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        client = request.get("client")
        if isinstance(client, int) and client > 0:
            _watch_client(client)
        from planbook import reads

        install = getattr(reads, "install_from_environment", None)
        if install is not None:
            install()
        from ipykernel.kernelapp import IPKernelApp

        argv = list(request["argv"])
        sys.argv = ["ipykernel_launcher", *argv]
        app = IPKernelApp.instance()
        app.initialize(argv)
        app.start()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 0
    except BaseException:
        traceback.print_exc()
    finally:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)


def handle(conn: socket.socket, listener: socket.socket) -> None:
    """Serve one request: fork a kernel, or say why not."""
    fds: list[int] = []
    try:
        request, fds = read_message(conn)
        why = refusal(request, os.environ)
        if why:
            conn.sendall(encode({"error": why}))
            return
        server = os.getpid()
        pid = os.fork()
        if pid == 0:
            listener.close()
            conn.close()
            become_kernel(request, fds, server)
        conn.sendall(encode({"pid": pid}))
    except (OSError, ValueError, ConnectionError) as exc:
        with contextlib.suppress(OSError):
            conn.sendall(encode({"error": f"{type(exc).__name__}: {exc}"}))
    finally:
        for fd in fds:
            with contextlib.suppress(OSError):
                os.close(fd)
        conn.close()


def serve(directory: Path, modules: Sequence[str], warm: str, parent: int) -> None:
    """Import, warm up, then fork kernels on request until killed."""
    die_with_parent(parent)
    skip_slow_imports()  # for the kernels too: myst-nb's glue imports nbformat
    missing = preload(modules)
    if warm:
        warm_up(warm)
    if threading.active_count() > 1:
        # Forking a process that runs other threads can copy a held lock: refuse to serve.
        raise RuntimeError(f"{threading.active_count() - 1} threads started while importing")
    if missing:
        print(f"warm server: could not preload {', '.join(missing)}", file=sys.stderr)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # kernels are reaped by the kernel
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    pending = directory / "sock.new"
    listener.bind(str(pending))
    listener.listen(64)
    os.replace(pending, directory / "sock")
    while True:
        conn, _ = listener.accept()
        handle(conn, listener)


def main(argv: Sequence[str] | None = None) -> None:
    """Command line of the server process (started by :mod:`planbook.engine.build.warm`)."""
    parser = argparse.ArgumentParser(prog="planbook.engine.build.warm_server")
    parser.add_argument("directory", type=Path)
    parser.add_argument("--preload", nargs="*", default=[])
    parser.add_argument("--warm-up", default="")
    parser.add_argument("--parent", type=int, default=0)
    args = parser.parse_args(argv)
    try:
        serve(args.directory, args.preload, args.warm_up, args.parent or os.getppid())
    except BaseException as exc:  # the client reads this file and falls back at once
        with contextlib.suppress(OSError):
            (args.directory / "error").write_text(f"{type(exc).__name__}: {exc}", "utf-8")
        raise


if __name__ == "__main__":
    main()
