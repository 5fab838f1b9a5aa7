"""Worker processes that take part of a large cold build: formatting references, rendering pages.

A :class:`Pool` belongs to one build. Its workers are plain subprocesses (``python -m
readingmap.render.worker``), each fed by a thread of the build's process, not ``multiprocessing``:
a build may run beside threads (``mkdocs serve``), which forking does not copy, and from any main
module, which spawning imports again. They start with the first :meth:`Pool.run` that has enough
work, and serve the build's later batches too.

A batch is a list of items cut into chunks. Each worker takes chunks from the front; the build's
process takes chunks from the back once it calls :meth:`Batch.finish`, so both cores work until
none is left. A task is a function of the package named in :data:`TASKS`, applied to plain data
(pickled); a worker that cannot start or fails leaves its chunks to the build's process, so a
batch's result never depends on the workers: it is what the task gives in one process.
"""

from __future__ import annotations

import importlib
import os
import pickle
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Generic, TypeVar

#: The tasks a worker runs, by name: ``module:function``, called as ``function(options, chunk)``
#: and returning one result per item of the chunk.
TASKS = {
    "references": "readingmap.render.references:format_chunk",
    "resource-pages": "readingmap.render.pages:render_resource_chunk",
}

Item = TypeVar("Item")
Result = TypeVar("Result")


def task(name: str) -> Callable[[Any, list[Any]], list[Any]]:
    module, _, function = TASKS[name].partition(":")
    found: Callable[[Any, list[Any]], list[Any]] = getattr(importlib.import_module(module), function)
    return found


class _Worker:
    """One worker process; :meth:`run` sends it a chunk and returns its answer."""

    def __init__(self) -> None:
        package_root = str(Path(__file__).resolve().parent.parent.parent)
        env = {**os.environ,
               "PYTHONPATH": os.pathsep.join([package_root, *filter(None, [os.environ.get("PYTHONPATH")])])}
        self.process = subprocess.Popen([sys.executable, "-m", "readingmap.render.worker"],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
        self.broken = False

    def run(self, name: str, options: Any, chunk: list[Any]) -> list[Any]:
        assert self.process.stdin is not None and self.process.stdout is not None
        pickle.dump((name, options, chunk), self.process.stdin)
        self.process.stdin.flush()
        done = pickle.load(self.process.stdout)
        if not (isinstance(done, list) and len(done) == len(chunk)):
            raise ValueError("the worker's answer does not match its chunk")
        return done

    def stop(self) -> None:
        process = self.process
        try:
            if process.stdin is not None:
                process.stdin.close()
            process.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            process.kill()
            process.wait()
        finally:
            if process.stdout is not None:
                process.stdout.close()


class Batch(Generic[Item, Result]):
    """One task over a list of items, under way (see the module's description)."""

    def __init__(self, name: str, options: Any, items: Sequence[Item], workers: list[_Worker]) -> None:
        self.name = name
        self.options = options
        size = max(20, min(250, len(items) // ((len(workers) + 1) * 8) or 1))
        self.chunks = [list(items[i:i + size]) for i in range(0, len(items), size)]
        self.results: list[list[Result] | None] = [None] * len(self.chunks)
        self.queue = deque(range(len(self.chunks)))
        self.lock = threading.Lock()
        self.feeders = [threading.Thread(target=self._feed, args=(worker,), daemon=True) for worker in workers]
        for thread in self.feeders:
            thread.start()

    def _claim(self, front: bool) -> int | None:
        with self.lock:
            return (self.queue.popleft() if front else self.queue.pop()) if self.queue else None

    def _feed(self, worker: _Worker) -> None:
        while not worker.broken and (i := self._claim(front=True)) is not None:
            try:
                self.results[i] = worker.run(self.name, self.options, self.chunks[i])
            except Exception:  # the worker failed: this chunk goes back, the rest to the build's process
                worker.broken = True
                with self.lock:
                    self.queue.appendleft(i)

    def finish(self) -> list[Result]:
        """Run the chunks no worker has taken here, wait for the workers; every item's result, in order."""
        run = task(self.name)
        while (i := self._claim(front=False)) is not None:
            self.results[i] = run(self.options, self.chunks[i])
        for thread in self.feeders:
            thread.join()
        out: list[Result] = []
        for done, chunk in zip(self.results, self.chunks, strict=True):
            out.extend(done if done is not None else run(self.options, chunk))
        return out


class Pool:
    """The worker processes of one build (``processes`` counts this one: 1 means no worker)."""

    def __init__(self, processes: int | None = None) -> None:
        self.processes = processes if processes is not None else (os.cpu_count() or 1)
        self._workers: list[_Worker] | None = None

    def run(self, name: str, options: Any, items: Sequence[Item], *, minimum: int) -> Batch[Item, Result]:
        """Start ``name`` over ``items``: with the workers when there are at least ``minimum``
        items (below that, starting processes costs more than it saves), else in this process
        alone (when :meth:`Batch.finish` is called)."""
        workers: list[_Worker] = []
        if len(items) >= minimum and self.processes > 1:
            workers = self._started()
        return Batch(name, options, items, [w for w in workers if not w.broken])

    def _started(self) -> list[_Worker]:
        if self._workers is None:
            self._workers = []
            for _ in range(self.processes - 1):
                try:
                    self._workers.append(_Worker())
                except OSError:
                    break
        return self._workers

    @property
    def started(self) -> int:
        """How many worker processes were started."""
        return len(self._workers or ())

    def close(self) -> None:
        for worker in self._workers or ():
            worker.stop()
        self._workers = None

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
