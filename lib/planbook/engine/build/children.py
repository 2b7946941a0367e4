"""Child processes that die with the build that started them.

Every process a build starts (worker processes, the kernels they start, the
``jupyter-book`` process of the site) asks Linux to SIGKILL it when its parent dies,
however the parent dies (SIGKILL included), so that nothing runs on beside the next
build after the lock went with its holder. Off Linux these are no-ops: there the
processes notice the lost parent themselves (ipykernel polls it; see ``site.py``).
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from typing import Any

PR_SET_PDEATHSIG = 1
PR_GET_PDEATHSIG = 2


def _load_prctl() -> Any:
    """libc's ``prctl``, loaded once in the parent (never between fork and exec)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None


_PRCTL = _load_prctl()


def die_with_parent(parent: int | None = None) -> None:
    """Make the calling process receive SIGKILL when its parent dies (Linux).

    ``parent`` is the pid the caller expects as its parent: if that parent died before
    the request took effect, the caller exits at once.
    """
    if _PRCTL is not None:
        _PRCTL(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if parent is not None and os.getppid() != parent:
        os._exit(1)


def tied_to_me() -> dict[str, Any]:
    """``Popen`` keyword arguments for a child that dies with this process.

    The child calls :func:`die_with_parent` between fork and exec (nothing is imported
    or loaded there); off Linux, nothing is added.
    """
    if _PRCTL is None:
        return {}
    hook: Callable[[], None] = functools.partial(die_with_parent, os.getpid())
    return {"preexec_fn": hook}


def parent_death_signal() -> int:
    """The signal this process gets when its parent dies (0: none, or not Linux)."""
    if _PRCTL is None:
        return 0
    value = ctypes.c_int(0)
    _PRCTL(PR_GET_PDEATHSIG, ctypes.byref(value), 0, 0, 0)
    return value.value


def stop(proc: subprocess.Popen[Any] | None, *, group: bool = False) -> None:
    """Kill ``proc`` (and its process group when ``group``) and reap it; never raises."""
    if proc is None:
        return
    if proc.poll() is None:
        with contextlib.suppress(OSError):
            if group:
                os.killpg(proc.pid, signal.SIGKILL)
            else:
                proc.kill()
    with contextlib.suppress(Exception):
        proc.wait(timeout=10)
    for stream in (proc.stdin, proc.stdout, proc.stderr):
        with contextlib.suppress(Exception):
            if stream is not None:
                stream.close()


_KERNEL_MANAGER: Any = None


def kernel_manager_class() -> Any:
    """An ``AsyncKernelManager`` whose kernels die with the process that started them.

    Given to papermill (``kernel_manager_class=``); jupyter-client starts a kernel in a
    session of its own, so a kernel neither gets Ctrl-C nor is killed with its group.
    """
    global _KERNEL_MANAGER
    if _KERNEL_MANAGER is None:
        from jupyter_client.manager import AsyncKernelManager

        class TiedKernelManager(AsyncKernelManager):  # type: ignore[misc]
            async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: Any) -> None:
                for key, value in tied_to_me().items():
                    kw.setdefault(key, value)
                await super()._async_launch_kernel(kernel_cmd, **kw)

        _KERNEL_MANAGER = TiedKernelManager
    return _KERNEL_MANAGER


__all__ = [
    "die_with_parent",
    "kernel_manager_class",
    "parent_death_signal",
    "stop",
    "tied_to_me",
]
