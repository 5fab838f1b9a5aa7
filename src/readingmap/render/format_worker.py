"""A worker process formatting references for a large cold build (see ``references.prepare``).

It reads chunks of references (pickled plain data) from standard input and writes each chunk's
formatted HTML and BibTeX text to standard output, until its input ends.
"""

from __future__ import annotations

import pickle
import sys

from .references import format_chunk


def main() -> None:
    source, sink = sys.stdin.buffer, sys.stdout.buffer
    while True:
        try:
            chunk = pickle.load(source)
        except EOFError:
            return
        pickle.dump(format_chunk(chunk), sink)
        sink.flush()


if __name__ == "__main__":
    main()
