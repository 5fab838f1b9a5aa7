"""Python's cycle collector paused for one build, and given back as it was when the build ends.

A build holds its whole catalogue (at 10,000 resources, millions of objects) while it makes the
site's objects. Each time enough of those outlive a young collection, the collector runs a full
collection, which walks every object alive: a build ran one full collection after another, walking
the catalogue each time, for what it leaves in cycles (at 10,000 resources about 375,000 objects,
most of them the closures that Python's JSON encoder makes for each indented document and leaves
referring to each other), which one collection at the end finds as well (0.25 s). Measured at 10,000
resources with the site in memory (bench/README.md): the warm ``mkdocs build`` 20.0 s, 14.5 s
paused; the cold one 34.3 s, 29.1 s; ``readingmap check`` 7.7 s, 6.5 s; for about 35 MB more at the
peak.

The pause belongs to whoever runs a build, never to loading or rendering: the command line around
``check`` and ``render``, and the MkDocs plugin object from a build's ``on_config`` to its end or
failure, after which it collects what the build left. It never outlives the build. ``mkdocs
serve`` does not pause: between its rebuilds the process waits without allocating, so nothing
would collect what a rebuild left, and a measured pause and freeze between rebuilds bought
nothing there.
"""

from __future__ import annotations

import gc

__all__ = ["CollectorPause"]


class CollectorPause:
    """The cycle collector off from :meth:`pause` to :meth:`resume` (or within ``with``); a
    collector that was already off is left off, and resuming twice changes nothing."""

    def __init__(self) -> None:
        self._paused = False

    def pause(self) -> None:
        if not self._paused and gc.isenabled():
            gc.disable()
            self._paused = True

    def resume(self, *, collect: bool = False) -> None:
        """Give the collector back; with ``collect``, then collect what the build left (for a
        process that goes on to build again, as ``mkdocs serve --clean`` and API callers do, and
        may not allocate enough between builds for a full collection to run)."""
        if self._paused:
            self._paused = False
            gc.enable()
            if collect:
                gc.collect()

    def __enter__(self) -> CollectorPause:
        self.pause()
        return self

    def __exit__(self, *exc: object) -> None:
        self.resume()
