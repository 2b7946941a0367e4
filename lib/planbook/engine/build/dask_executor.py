"""Execute chapters on Dask: a local cluster (``--executor dask``) or a running one
(``--scheduler tcp://HOST:PORT``).

Tasks need no shared disk. The client ships the book's inputs to each worker once (see
:mod:`.dask_inputs`); a task executes its notebook with papermill on the worker's copy
(:func:`~planbook.engine.build.execute.run_notebook`, the same call as on this machine)
and returns the executed notebook's bytes, its elapsed time and the kernel's log. Only
the client writes: the cache, the failed notebook, the log
(:func:`~planbook.engine.build.execute.store_outcome`).

A worker that dies while running a chapter (killed, out of memory) fails that chapter
with one line, after Dask retried it once on another worker; the others go on.

Imported only when something runs on Dask: ``planbook build`` without Dask flags never
imports ``dask``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import os
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from planbook.engine.build import dask_inputs
from planbook.engine.build.execute import (
    Executed,
    Outcome,
    Task,
    kernel_variables,
    one_line,
    run_notebook,
    store_outcome,
    stream_to,
)
from planbook.engine.build.executors import ExecutorSpec
from planbook.errors import InputError

ALLOWED_FAILURES = 1
"""Times the local cluster retries a chapter whose worker died (then it fails)."""

CONNECT_TIMEOUT = 10.0
"""Seconds to reach a running scheduler."""

POLL = 0.2
"""Seconds between looks at the futures (which are done, which a worker runs)."""

WORKERS_TIMEOUT = 30.0
"""Seconds to wait for a running scheduler to have a worker."""


@contextlib.contextmanager
def dask_client(spec: ExecutorSpec, workers: int) -> Iterator[Any]:
    """A Dask client: of the scheduler ``spec`` names, or of a new local cluster of
    ``workers`` single-threaded worker processes (closed when the block ends)."""
    from distributed import Client, LocalCluster

    if spec.scheduler is None:
        import dask

        config = {"distributed.scheduler.allowed-failures": ALLOWED_FAILURES}
        with dask.config.set(config):
            cluster = LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=logging.ERROR,
            )
        with cluster, Client(cluster, set_as_default=False) as client:
            yield client
        return
    try:
        client = Client(spec.scheduler, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise InputError(
            f"--scheduler {spec.scheduler}: cannot reach a Dask scheduler there "
            f"({one_line(exc, 120)}); start one with 'dask scheduler' or fix the address"
        ) from None
    with client:
        try:
            client.wait_for_workers(1, timeout=WORKERS_TIMEOUT)
        except (TimeoutError, OSError):
            raise InputError(
                f"--scheduler {spec.scheduler}: the scheduler has no workers; start some "
                f"with 'dask worker {spec.scheduler} --nthreads 1'"
            ) from None
        yield client


def _warm_kernels(inputs: Any, root: Path) -> None:
    """Start this worker's warm kernel server once (when the build uses warm kernels);
    it stops when the inputs' plugin is removed."""
    try:
        from planbook.engine.build import warm
    except ImportError:
        return
    if not warm.enabled():
        return
    env = {**os.environ, **kernel_variables(root)}
    env.pop(warm.SOCKET_ENV, None)
    server = warm.start_server(env, Path(inputs.scratch) / "warm-server.log")
    os.environ[warm.SOCKET_ENV] = str(server.socket)

    def close() -> None:
        os.environ.pop(warm.SOCKET_ENV, None)
        server.stop()

    inputs.closers.append(close)


def execute_remote(task: Task, digest: str) -> Executed:
    """Run on a Dask worker: execute ``task`` on the worker's copy of the inputs.

    Returns the executed notebook's bytes (or the failure) and the kernel's log; writes
    nothing the client sees. Tasks on one worker run one at a time.
    """
    from distributed import get_worker

    worker = get_worker()
    inputs = worker.plugins.get(dask_inputs.plugin_name(digest))
    label = f"chapter {task.number} {task.slug}"
    if inputs is None or not inputs.root:
        return Executed(
            task.key,
            False,
            0.0,
            message=f"{label} could not run: the book's inputs did "
            f"not reach Dask worker {worker.address}",
        )
    with inputs.lock:
        root = Path(inputs.root)
        if not inputs.closers:
            _warm_kernels(inputs, root)
        scratch = Path(tempfile.mkdtemp(prefix="run-", dir=inputs.scratch))
        log = scratch / "kernel.log"
        start = time.perf_counter()
        try:
            try:
                with stream_to(1, scratch / "stdout.log"):
                    executed = run_notebook(task, root, scratch, log)
            except OSError as exc:
                executed = Executed(
                    task.key,
                    False,
                    time.perf_counter() - start,
                    message=f"{label} could not run on Dask worker {worker.address}: "
                    f"{type(exc).__name__}: {one_line(exc)}",
                )
            text = "".join(
                path.read_text(encoding="utf-8", errors="replace")
                for path in (log, scratch / "stdout.log")
                if path.is_file()
            )
            return dataclasses.replace(executed, log=text)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)


def lost(task: Task, exc: BaseException) -> Outcome:
    """The outcome of a task whose Dask future failed (a worker died, the cluster went
    away): one line naming the chapter."""
    from distributed.scheduler import KilledWorker

    label = f"chapter {task.number} {task.slug}"
    if isinstance(exc, KilledWorker):
        text = (
            f"{label} could not run: its Dask worker died while running it, on every try; "
            "see the workers' logs"
        )
    else:
        text = f"{label} could not run on Dask: {type(exc).__name__}: {one_line(exc)}"
    return Outcome(task.key, False, 0.0, text)


def run_on_dask(
    tasks: list[Task],
    spec: ExecutorSpec,
    workers: int,
    root: Path,
    on_start: Callable[[str], None],
    on_done: Callable[[Outcome], None],
) -> None:
    """Execute ``tasks`` on Dask; ``on_start`` gets a task's key when the scheduler hands
    it to a worker, ``on_done`` its outcome once the client has stored it."""
    import cloudpickle

    cloudpickle.register_pickle_by_value(dask_inputs)
    payload, digest = dask_inputs.pack_inputs(root)
    with dask_client(spec, workers) as client:
        name = dask_inputs.plugin_name(digest)
        client.register_plugin(dask_inputs.BookInputs(payload, digest), name=name)
        try:
            run_id = uuid.uuid4().hex[:8]
            futures = {
                client.submit(
                    execute_remote,
                    task,
                    digest,
                    key=f"planbook-{task.slug}-{task.key[:12]}-{run_id}",
                    pure=False,
                ): task
                for task in tasks
            }
            by_key = {future.key: task for future, task in futures.items()}
            pending = set(futures)
            while pending:
                done = {future for future in pending if future.done()}
                pending -= done
                if not done:
                    time.sleep(POLL)
                with contextlib.suppress(Exception):
                    for keys in client.processing().values():
                        for key in keys:
                            if key in by_key:
                                on_start(by_key[key].key)
                for future in done:
                    task = futures[future]
                    try:
                        executed = future.result()
                    except Exception as exc:
                        on_done(lost(task, exc))
                    else:
                        on_done(store_outcome(task, executed))
                    future.release()
        finally:
            with contextlib.suppress(Exception):
                client.unregister_worker_plugin(name)


__all__ = ["dask_client", "execute_remote", "lost", "run_on_dask"]
