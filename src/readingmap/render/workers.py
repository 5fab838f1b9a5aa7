"""Worker processes that take part of a large cold build: formatting references, rendering pages.

A :class:`Pool` is a :class:`concurrent.futures.ProcessPoolExecutor`, started with the first
batch that has enough work and kept by its owner (one build, or the MkDocs plugin object for a
whole ``mkdocs serve``). Its processes are spawned, not forked: a build may run beside threads
(``mkdocs serve``), which forking does not copy.

A batch is a list of items cut into chunks, each submitted to the executor. The build's process
takes the chunks no worker has started yet, from the back, once it calls :meth:`Batch.finish`, so
every core works until none is left. A task is a module-level function of the package applied
to plain data, ``task(options, chunk)``, returning one result per item, which a worker sends
back pickled and compressed (:func:`_packed`). A chunk whose worker failed (or a pool that could
not start) is done in the build's process, so a batch's result never depends on the workers: it
is what the task gives in one process.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import pickle
import threading
import zlib
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, Generic, TypeVar

__all__ = ["Batch", "Pool"]

Item = TypeVar("Item")
Result = TypeVar("Result")
Task = Callable[[Any, list[Item]], list[Result]]


class Batch(Generic[Item, Result]):
    """One task over a list of items, under way (see the module's description)."""

    def __init__(self, task: Task[Item, Result], options: Any, items: Sequence[Item],
                 executor: ProcessPoolExecutor | None, workers: int) -> None:
        self.task = task
        self.options = options
        size = max(20, min(250, len(items) // ((workers + 1) * 8) or 1))
        self.chunks = [list(items[i:i + size]) for i in range(0, len(items), size)]
        self.futures: list[Future[bytes] | None] = [None] * len(self.chunks)
        #: how many worker processes take part (0: this process alone)
        self.workers = workers if executor is not None else 0
        if executor is not None:
            try:
                self.futures = [executor.submit(_packed, task, options, chunk) for chunk in self.chunks]
            except RuntimeError:  # the pool is broken or shut down: this process does it all
                self.workers = 0

    def finish(self) -> list[Result]:
        """Run here the chunks no worker has started (from the back), wait for the others; every
        item's result, in order."""
        results: list[list[Result] | None] = [None] * len(self.chunks)
        for i in reversed(range(len(self.chunks))):
            future = self.futures[i]
            if future is None or future.cancel():
                results[i] = self.task(self.options, self.chunks[i])
        out: list[Result] = []
        for i, chunk in enumerate(self.chunks):
            done = results[i]
            if done is None:
                future = self.futures[i]
                assert future is not None
                try:
                    done = pickle.loads(zlib.decompress(future.result()))
                except Exception:  # the worker failed: the chunk is done here
                    done = None
                if not (isinstance(done, list) and len(done) == len(chunk)):
                    done = self.task(self.options, chunk)
            out.extend(done)
        return out


class Pool:
    """The worker processes of a build or a session (``processes`` counts the build's own: 1 means
    no worker), started on first use."""

    def __init__(self, processes: int | None = None) -> None:
        self.processes = processes if processes is not None else (os.cpu_count() or 1)
        self._executor: ProcessPoolExecutor | None = None

    def run(self, task: Task[Item, Result], options: Any, items: Sequence[Item], *,
            minimum: int) -> Batch[Item, Result]:
        """Start ``task`` over ``items``: with the workers when there are at least ``minimum``
        items (below that, starting processes costs more than it saves), else in this process
        alone (when :meth:`Batch.finish` is called)."""
        executor = self._started() if len(items) >= minimum and self.processes > 1 else None
        return Batch(task, options, items, executor, self.processes - 1)

    def _started(self) -> ProcessPoolExecutor | None:
        if self._executor is None:
            try:
                self._executor = _executor(self.processes - 1)
            except OSError:
                return None
        return self._executor

    @property
    def started(self) -> bool:
        """Whether the worker processes were started."""
        return self._executor is not None

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _packed(task: Task[Item, Result], options: Any, chunk: list[Item]) -> bytes:
    """In a worker: ``task(options, chunk)``, pickled and compressed.

    The executor's thread in the build's process reads a result from a pipe 64 KB at a time,
    and takes the GIL back after each read from the build's own thread, which is busy (it makes
    the other pages): each read waited up to the interpreter's switch interval (5 ms). A chunk of
    250 resource pages is about 3.5 MB pickled, so the worker sat blocked on a full pipe for much
    of the time: at 10,000 resources it made 3,750 of the pages, the build's process the rest.
    Compressed (level 1: 13 ms for such a chunk, 5 ms to decompress), a chunk is 0.5 MB, and the
    worker made 4,750-5,500 of them (bench/README.md)."""
    return zlib.compress(pickle.dumps(task(options, chunk), protocol=pickle.HIGHEST_PROTOCOL), 1)


def _executor(workers: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_end_with_parent)


def _end_with_parent() -> None:
    """In a worker: end when the process that started it ends, however it ends. A worker waits
    for work on a queue whose other end it holds too, so it would never see its owner go: a
    ``mkdocs serve`` stopped by a signal that skips ``on_shutdown`` (SIGTERM, SIGKILL) left its
    workers waiting for ever."""
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_exit_when_ready, args=(parent.sentinel,), daemon=True).start()


def _exit_when_ready(sentinel: int) -> None:
    multiprocessing.connection.wait([sentinel])
    os._exit(0)
