"""Where chapters execute: this machine's worker processes (the default) or a Dask cluster.

``--executor dask`` starts a Dask ``LocalCluster`` (one single-threaded worker process per
core, or ``--jobs``); ``--scheduler tcp://HOST:PORT`` uses a running cluster instead. The
choice is checked here, before any kernel starts; Dask itself is imported only when a
chapter is about to run on it (:mod:`.dask_executor`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from planbook.errors import InputError, quoted

LOCAL = "local"
DASK = "dask"
KINDS = (LOCAL, DASK)

_ADDRESS = re.compile(r"(tcp|tls)://(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+):(\d{1,5})")


@dataclass(frozen=True)
class ExecutorSpec:
    """Where chapters execute: ``kind`` local or dask; ``scheduler`` the address of a
    running Dask scheduler (None: start a local cluster)."""

    kind: str = LOCAL
    scheduler: str | None = None

    @property
    def dask(self) -> bool:
        return self.kind == DASK

    def describe(self) -> str:
        """A few words for the user: 'local processes', 'a local Dask cluster', ..."""
        if not self.dask:
            return "local worker processes"
        return (
            f"the Dask scheduler at {self.scheduler}" if self.scheduler else "a local Dask cluster"
        )


def executor_spec(executor: str | None, scheduler: str | None) -> ExecutorSpec:
    """Check ``--executor`` and ``--scheduler`` and say where chapters execute.

    ``--scheduler`` implies Dask; together with ``--executor local`` it is refused, and so
    is an address that is not ``tcp://HOST:PORT``.
    """
    kind = (executor or "").strip().lower() or None
    if kind is not None and kind not in KINDS:
        raise InputError(
            f"--executor {quoted(executor)}: unknown executor; use one of: {', '.join(KINDS)}"
        )
    if scheduler is None:
        return ExecutorSpec(kind or LOCAL)
    if kind == LOCAL:
        raise InputError(
            "--scheduler names a Dask cluster but --executor is local; drop one of the two"
        )
    match = _ADDRESS.fullmatch(scheduler.strip())
    if match is None or not 0 < int(match.group(3)) < 65536:
        raise InputError(
            f"--scheduler {quoted(scheduler)}: expected tcp://HOST:PORT, the address "
            "'dask scheduler' prints (e.g. tcp://127.0.0.1:8786)"
        )
    return ExecutorSpec(DASK, scheduler.strip())


__all__ = ["DASK", "KINDS", "LOCAL", "ExecutorSpec", "executor_spec"]
