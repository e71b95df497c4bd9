"""The local engine: the extract stage on a pool of worker processes, with per-document limits that
the pool enforces from outside the document's process.

pebble's ProcessPool, not concurrent.futures: it gives each task a timeout after which the worker
running it is terminated (SIGTERM, then SIGKILL: a loop inside a C reader cannot ignore it) and
replaced, and a worker that dies (a segfault in a reader library, the kernel's OOM killer) fails only
its own task, where a ProcessPoolExecutor has no per-task timeout and breaks as a whole.
Memory: each worker caps its own address space (RLIMIT_AS) at what the imported code uses plus the
document's allowance, so a document that allocates past it gets a MemoryError in its own process
(recorded as too_complex, the worker goes on) instead of taking the machine's memory from the others.

Workers are forked from a fork server that has the extractor imported (fast to replace after a kill,
and never forked from this multi-threaded driver). Tasks are fed from a generator with at most two
per worker in flight, and outcomes are yielded as they come: memory stays flat whatever the store's
size. A worker writes its document's record itself; when a limit stops a document, the record
saying so is written here.
"""

from __future__ import annotations

import importlib
import multiprocessing
import resource
import signal
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from pebble import ProcessExpired, ProcessPool

from gongkai.model import ExtractStatus

from .limits import Limits
from .run import Outcome, Task, run_task, store_stopped

# What every worker needs, imported once in the fork server rather than in each worker.
PRELOAD = ["extract.run", "extract.readers.pdf", "extract.readers.docx", "extract.readers.office"]
IN_FLIGHT_PER_WORKER = 2
STARTUP_TIMEOUT = 60  # seconds for a new pool's first worker to take a task (it imports nothing new)


def _address_space() -> int:
    """This process's mapped address space in bytes (Linux), 0 where /proc is not there."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[0]) * resource.getpagesize()
    except OSError:
        return 0


def init_worker(memory_mb: int, setup: str | None) -> None:
    """Runs once in each new worker: the memory cap, then the caller's setup hook (tests)."""
    if setup:
        module, _, name = setup.partition(":")
        getattr(importlib.import_module(module), name)()
    for module in PRELOAD:  # already there when forked from the server; imported here otherwise
        importlib.import_module(module)
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = _address_space() + memory_mb * 1024 * 1024
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _work(data_dir: str, version: str, task: Task, memory_mb: int) -> Outcome:
    return run_task(Path(data_dir), version, task, memory_mb)


def _died(e: ProcessExpired, limits: Limits) -> str:
    code = e.exitcode
    how = f"exit code {code}"
    if code is not None and code < 0:
        try:
            how = signal.Signals(-code).name
        except ValueError:
            how = f"signal {-code}"
        if -code == signal.SIGKILL:
            how += " (the kernel's out-of-memory killer, or an operator)"
    return (f"the worker process extracting it died ({how}) under a memory limit of {limits.memory_mb} MB; "
            "it was replaced and the run went on: a crash in a reader library")


def new_pool(limits: Limits, workers: int, worker_setup: str | None = None) -> ProcessPool:
    """A pool of `workers` processes that extract under `limits` (started on its first task)."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    return ProcessPool(max_workers=workers, initializer=init_worker, initargs=(limits.memory_mb, worker_setup),
                       context=context)


def run_local(data_dir: Path, version: str, tasks: Iterator[Task], limits: Limits, workers: int,
              worker_setup: str | None = None) -> Iterator[Outcome]:
    """Outcomes of `tasks` run on `workers` processes, in the order they finish."""
    pool = new_pool(limits, workers, worker_setup)
    try:
        yield from run_on(pool, workers, data_dir, version, tasks, limits)
    except BaseException:
        pool.stop()  # an error of ours, Ctrl-C, or the caller stopped reading: kill the workers
        pool.join()
        raise
    pool.close()
    pool.join()


def run_on(pool: ProcessPool, workers: int, data_dir: Path, version: str, tasks: Iterator[Task], limits: Limits
           ) -> Iterator[Outcome]:
    """Outcomes of `tasks` on a pool of `workers` processes (the pool's own `limits`), in the order they
    finish, with at most IN_FLIGHT_PER_WORKER tasks a worker scheduled at once."""
    _started(pool)
    in_flight: dict[Future[Outcome], Task] = {}
    for task in tasks:
        while len(in_flight) >= workers * IN_FLIGHT_PER_WORKER:
            yield from _finished(data_dir, version, in_flight, limits)
        future = pool.schedule(_work, args=(str(data_dir), version, task, limits.memory_mb),
                               timeout=limits.timeout)
        in_flight[future] = task
    while in_flight:
        yield from _finished(data_dir, version, in_flight, limits)


def _ready() -> bool:
    return True


def _started(pool: ProcessPool) -> None:
    """A worker that dies while starting (a setup that fails, a __main__ that cannot be imported
    again, as with a script read from stdin) is replaced by pebble for ever, its tasks never begun:
    one trivial task proves the workers start, or the run ends saying why."""
    try:
        pool.schedule(_ready).result(timeout=STARTUP_TIMEOUT)
    except (TimeoutError, BrokenProcessPool) as e:  # pebble says the latter when it sees a task's worker die
        raise RuntimeError("the extraction pool's worker processes fail as they start (the errors above say "
                           f"why, or none took a task in {STARTUP_TIMEOUT} s; a script read from stdin cannot "
                           "start them)") from e


def _finished(data_dir: Path, version: str, in_flight: dict[Future[Outcome], Task], limits: Limits
              ) -> Iterator[Outcome]:
    done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
    for future in done:
        task = in_flight.pop(future)
        yield outcome(data_dir, version, task, future, limits)


def outcome(data_dir: Path, version: str, task: Task, future: Future[Outcome], limits: Limits) -> Outcome:
    """The task's outcome; when the pool stopped it, the record that says why. Anything else the
    worker raised (a records store that cannot be written) is not the document's fault: raised."""
    try:
        return future.result()
    except TimeoutError:
        return store_stopped(data_dir, version, task, ExtractStatus.TOO_COMPLEX,
                             f"killed after {limits.timeout:g} s: extraction took longer than --doc-timeout; "
                             "`gongkai extract --retry-failed` tries it again (with a higher limit)")
    except ProcessExpired as e:
        return store_stopped(data_dir, version, task, ExtractStatus.CRASHED, _died(e, limits))
