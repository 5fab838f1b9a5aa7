"""A worker process of a large cold build (see :mod:`readingmap.render.workers`).

It reads tasks from standard input, each ``(name, options, chunk)`` pickled, and writes each
chunk's results to standard output, until its input ends.
"""

from __future__ import annotations

import pickle
import sys

from .workers import task


def main() -> None:
    source, sink = sys.stdin.buffer, sys.stdout.buffer
    while True:
        try:
            name, options, chunk = pickle.load(source)
        except EOFError:
            return
        pickle.dump(task(name)(options, chunk), sink)
        sink.flush()


if __name__ == "__main__":
    main()
