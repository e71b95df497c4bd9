"""The Dask engine: the extract stage over a large store on a Dask cluster.

The driver streams the pending tasks (a few hundred bytes each: where a document's bytes are) to the
cluster in batches; a worker runs a batch by reading each document's bytes from the shared raw store
and writing its record to the shared records store, under the same per-document limits as the local
engine: each Dask worker keeps a pebble pool of one process per thread (a worker plugin, set up for
the run and torn down after it), so a runaway document is killed and the rest of the batch goes on,
and no process is started per batch. Only the short outcomes come back. So the records, and the
release built from them, are the local engine's, byte for byte; the raw store and records must be
on storage every worker mounts at the same path as the driver.

Workers must run as non-daemon processes to start that pool (`distributed.worker.daemon: False`,
e.g. DASK_DISTRIBUTED__WORKER__DAEMON=False in their environment); a batch on a daemon worker fails
saying so. With no scheduler address a local cluster of `workers` processes is started, configured so.
"""

from __future__ import annotations

import itertools
import multiprocessing
import threading
import uuid
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import dask
from distributed import Client, LocalCluster, WorkerPlugin, get_worker, wait
from pebble import ProcessPool

from .limits import Limits
from .pool import new_pool, run_on
from .run import Outcome, Task

DAEMON_HELP = ("this Dask worker runs as a daemon process, which may not start the process each document "
               "is extracted in (under --doc-timeout and --doc-memory): start the workers with "
               "DASK_DISTRIBUTED__WORKER__DAEMON=False")


class ExtractionPool(WorkerPlugin):
    """On each Dask worker, for one run: the pool its batches run on, started by the first batch."""

    def __init__(self, name: str, limits: Limits, worker_setup: str | None) -> None:
        self.name, self.limits, self.worker_setup = name, limits, worker_setup
        self.pool: ProcessPool | None = None
        self.processes = 1
        self.lock = threading.Lock()

    def setup(self, worker: Any) -> None:
        self.processes = max(1, int(worker.state.nthreads))  # one extracting process per batch at a time
        self.pool, self.lock = None, threading.Lock()

    def get(self) -> ProcessPool:
        with self.lock:
            if self.pool is None:
                self.pool = new_pool(self.limits, self.processes, self.worker_setup)
            return self.pool

    def teardown(self, worker: Any) -> None:
        if self.pool is not None:
            self.pool.stop()
            self.pool.join()

    def __getstate__(self) -> dict[str, Any]:  # sent to the workers before any pool or lock exists
        return {"name": self.name, "limits": self.limits, "worker_setup": self.worker_setup}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["name"], state["limits"], state["worker_setup"])  # type: ignore[misc]


def run_batch(data_dir: str, version: str, batch: list[Task], plugin: str) -> list[Outcome]:
    """On a Dask worker: extract a batch into the shared records store, one document at a time in one
    of the worker's extracting processes, under the run's limits."""
    if multiprocessing.current_process().daemon:
        raise RuntimeError(DAEMON_HELP)
    extraction = get_worker().plugins[plugin]
    assert isinstance(extraction, ExtractionPool)
    return list(run_on(extraction.get(), 1, Path(data_dir), version, iter(batch), extraction.limits))


def _client(scheduler: str | None, workers: int, stack: ExitStack) -> Client:
    if scheduler:
        return stack.enter_context(Client(scheduler))
    stack.enter_context(dask.config.set({"distributed.worker.daemon": False}))  # read at each worker's (re)start
    cluster = stack.enter_context(LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                               host="127.0.0.1", dashboard_address="127.0.0.1:0"))
    return stack.enter_context(Client(cluster))


def run_dask(data_dir: Path, version: str, tasks: Iterator[Task], limits: Limits, *, scheduler: str | None,
             workers: int, batch_size: int, worker_setup: str | None = None) -> Iterator[Outcome]:
    """Outcomes of `tasks` run on the cluster, batch by batch as they finish; at most two batches
    per worker thread are queued, so the driver's memory does not grow with the store."""
    with ExitStack() as stack:
        client = _client(scheduler, workers, stack)
        plugin = f"gongkai-extract-{uuid.uuid4().hex[:12]}"
        client.register_plugin(ExtractionPool(plugin, limits, worker_setup), name=plugin)
        stack.callback(client.unregister_worker_plugin, plugin)  # stops the workers' pools
        in_flight: set[Any] = set()
        for batch in iter(lambda: list(itertools.islice(tasks, batch_size)), []):
            while len(in_flight) >= 2 * max(1, sum(client.nthreads().values())):
                done, in_flight = wait(in_flight, return_when="FIRST_COMPLETED")
                for future in done:
                    yield from future.result()
            in_flight.add(client.submit(run_batch, str(data_dir), version, batch, plugin, pure=False))
        while in_flight:
            done, in_flight = wait(in_flight, return_when="FIRST_COMPLETED")
            for future in done:
                yield from future.result()
