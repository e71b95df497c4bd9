"""The Dask engine: the extract stage over a large store on a Dask cluster.

The driver streams the pending tasks (a few hundred bytes each: where a document's bytes are) to the
cluster in batches; a worker runs a batch by reading each document's bytes from the shared raw store
and writing its record to the shared records store, under the same per-document limits as the local
engine (a one-process pebble pool per batch: a runaway document is killed, the rest of the batch goes
on). Only the short outcomes come back. So the records, and the release built from them, are the
local engine's, byte for byte; the raw store and records must be on storage every worker mounts at
the same path as the driver.

Workers must run as non-daemon processes to start that pool (`distributed.worker.daemon: False`,
e.g. DASK_DISTRIBUTED__WORKER__DAEMON=False in their environment); a batch on a daemon worker fails
saying so. With no scheduler address a local cluster of `workers` processes is started, configured so.
"""

from __future__ import annotations

import itertools
import multiprocessing
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from .limits import Limits
from .pool import run_local
from .run import Outcome, Task

DAEMON_HELP = ("this Dask worker runs as a daemon process, which may not start the process each document "
               "is extracted in (under --doc-timeout and --doc-memory): start the workers with "
               "DASK_DISTRIBUTED__WORKER__DAEMON=False")


def run_batch(data_dir: str, version: str, batch: list[Task], limits: Limits,
              worker_setup: str | None = None) -> list[Outcome]:
    """On a Dask worker: extract a batch into the shared records store, one document at a time in a
    child process under `limits`."""
    if multiprocessing.current_process().daemon:
        raise RuntimeError(DAEMON_HELP)
    return list(run_local(Path(data_dir), version, iter(batch), limits, 1, worker_setup))


def _client(scheduler: str | None, workers: int, stack: ExitStack) -> Any:
    try:
        import dask
        from distributed import Client, LocalCluster
    except ImportError as e:
        raise RuntimeError("--engine dask needs Dask: pip install 'gongkai[dask]'") from e
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
    from distributed import wait

    with ExitStack() as stack:
        client = _client(scheduler, workers, stack)
        in_flight: set[Any] = set()
        batches = iter(lambda: list(itertools.islice(tasks, batch_size)), [])
        for batch in batches:
            while len(in_flight) >= 2 * max(1, sum(client.nthreads().values())):
                done, in_flight = wait(in_flight, return_when="FIRST_COMPLETED")
                for future in done:
                    yield from future.result()
            in_flight.add(client.submit(run_batch, str(data_dir), version, batch, limits, worker_setup,
                                        pure=False))
        while in_flight:
            done, in_flight = wait(in_flight, return_when="FIRST_COMPLETED")
            for future in done:
                yield from future.result()
