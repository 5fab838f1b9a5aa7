"""The build caches (:class:`BuildCaches`): values keyed by a hash of exactly what they depend on.

One file per kind of work (``.cache/readingmap/<name>.json`` in the project, beside the Jinja
bytecode cache), read once per build and written once, atomically (a temporary file, then
``os.replace``), only when it changed. A value's key is the sha256 of the entry's text and of
everything else its output depends on (the style, the package's version and the versions of the
libraries that format it, the source of the modules that do); nothing is ever invalidated by hand,
and an entry that no longer exists is dropped at the next write.

A :class:`BuildCaches` is made by whoever runs builds (the command line for one build, the MkDocs
plugin object for a build or a whole ``mkdocs serve``) and passed down to loading and rendering
as an argument (they see it as a :class:`readingmap.keys.Caches`). With ``session=True`` (one
``mkdocs serve``, whose rebuilds run in one process) the files are read once and written when the
session is closed: each build starts from the values the build before it used, held in memory,
objects that are costly to rebuild from a stored value (the loaded catalogue) are kept as they are
(:meth:`BuildCaches.kept`), and what builds made is memoised (:meth:`BuildCaches.memo`).

The file is never trusted: its first line holds the format version, the fingerprint of the code
that wrote it and the sha256 of the rest. A file that cannot be read, is truncated, fails its
checksum, has another format or fingerprint, or holds a value of the wrong shape is ignored (and
rewritten by the build), so a build with a damaged cache is a build without one.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from .keys import Deferred

T = TypeVar("T")

#: Bump when the file's layout changes.
FORMAT = 1
#: An environment variable naming another directory for the build cache of every project (the
#: tests point it at a temporary directory, so that no test writes into the source tree).
ENV = "READINGMAP_CACHE_DIR"


def project_cache(root: Path) -> Path:
    """The build cache of the project in ``root``: ``root/.cache/readingmap`` (ignored by git), or
    the directory named by :data:`ENV`."""
    override = os.environ.get(ENV)
    return Path(override) if override else root / ".cache" / "readingmap"


class _Memo:
    """The values of one kind of work of the build before and of this build, by key."""

    def __init__(self) -> None:
        self.before: dict[Any, Any] = {}
        self.now: dict[Any, Any] = {}


@dataclass
class _Held:
    fingerprint: str
    values: dict[str, Any]
    changed: bool = False


class BuildCaches:
    """The build caches in ``directory`` (None: nothing on disk) of one build, or with ``session``
    of the builds of one process until :meth:`close` (see the module's description)."""

    def __init__(self, directory: Path | None, *, session: bool = False) -> None:
        self.directory = directory
        self.session = session
        self._held: dict[Path, _Held] = {}
        #: the latest object of each kind, with its key (:meth:`kept`)
        self._objects: dict[str, tuple[str, Any]] = {}
        #: state a build updates for the next one, by kind (:meth:`held`)
        self._state: dict[str, Any] = {}
        #: what builds made, by kind (:meth:`memo`)
        self._memos: dict[str, _Memo] = {}

    @property
    def serving(self) -> bool:
        return self.session

    def store(self, name: str, fingerprint: str, valid: Callable[[Any], bool]) -> EntryCache:
        """The store of file ``name`` in the directory (nothing on disk without one)."""
        return EntryCache(None if self.directory is None else self.directory / name, fingerprint, valid, self)

    def memo(self, kind: str, key: Hashable, make: Callable[[], T]) -> T:
        """``make()``, or in a session the value an earlier build made for the same ``key`` of
        ``kind`` (``key`` hashable, naming everything the value depends on). Only the values of
        the build before are kept (:meth:`new_build`)."""
        if not self.session:
            return make()
        found = self._memos.setdefault(kind, _Memo())
        if key in found.now:
            value: T = found.now[key]
            return value
        value = found.before[key] if key in found.before else make()
        found.now[key] = value
        return value

    def new_build(self) -> None:
        """A build starts: what the build before made with :meth:`memo` is kept for this one only."""
        for found in self._memos.values():
            found.before, found.now = found.now, {}

    def held(self, kind: str, make: Callable[[], T]) -> T | None:
        """In a session, its object of ``kind`` (made by ``make`` the first time); None outside one.
        For state a build updates for the next one (items parsed before)."""
        if not self.session:
            return None
        if kind not in self._state:
            self._state[kind] = make()
        value: T = self._state[kind]
        return value

    def kept(self, kind: str, key: str) -> Any | None:
        """In a session, the object of ``kind`` an earlier build kept under ``key`` (None for
        another key, or outside a session). ``key`` must name everything the object depends on."""
        found = self._objects.get(kind)
        return found[1] if found is not None and found[0] == key else None

    def keep(self, kind: str, key: str, value: Any) -> None:
        """Keep ``value`` as the object of ``kind`` for the later builds of a session, in place of
        the one kept before (outside a session: nothing)."""
        if self.session:
            self._objects[kind] = (key, value)

    def close(self) -> None:
        """Write every file whose values changed during the session, and let go of everything."""
        for path, held in self._held.items():
            if held.changed:
                _write(path, held.fingerprint, held.values)
                held.changed = False
        self._held.clear()
        self._objects.clear()
        self._state.clear()
        self._memos.clear()

    def __enter__(self) -> BuildCaches:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class EntryCache:
    """Values of one kind of per-entry work, by key; ``valid`` says whether a stored value has the
    right shape (anything else is treated as missing)."""

    def __init__(self, path: Path | None, fingerprint: str, valid: Callable[[Any], bool],
                 owner: BuildCaches | None = None) -> None:
        self.path = path
        self.fingerprint = fingerprint
        self.valid = valid
        self._session = owner if owner is not None and owner.session else None
        self._stored: dict[str, Any] = {}
        if path is not None and self._session is not None:
            held = self._session._held.get(path)
            if held is None or held.fingerprint != fingerprint:
                held = self._session._held[path] = _Held(fingerprint, self._read())
            self._stored = held.values
        elif path is not None:
            self._stored = self._read()
        self._used: dict[str, Any] = {}
        self.hits = 0
        self.misses = 0

    def _read(self) -> dict[str, Any]:
        assert self.path is not None
        try:
            raw = self.path.read_bytes()
        except OSError:
            return {}
        head, newline, body = raw.partition(b"\n")
        try:
            header = json.loads(head)
            if (not newline or not isinstance(header, dict) or header.get("format") != FORMAT
                    or header.get("fingerprint") != self.fingerprint
                    or header.get("sha256") != hashlib.sha256(body).hexdigest()):
                return {}
            values = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            return {}
        return values if isinstance(values, dict) else {}

    def get(self, key: str) -> Any | None:
        value = self._stored.get(key)
        if isinstance(value, Deferred):
            value = value.compute()
        if value is None or not self.valid(value):
            self.misses += 1
            return None
        self.hits += 1
        self._used[key] = value
        return value

    def put(self, key: str, value: Any) -> None:
        """Store ``value`` (a JSON value: lists, not tuples, since a cache held in memory gives
        back exactly what it was given) under ``key``."""
        self._used[key] = value

    def save(self) -> None:
        """Write the values used by this build (dropping the others), if they differ from the file's
        (in a session: hold them for the next build, and write them when the session ends)."""
        if self.path is None or self._used == self._stored:
            return
        if self._session is not None:
            self._session._held[self.path] = _Held(self.fingerprint, self._used, changed=True)
        else:
            _write(self.path, self.fingerprint, self._used)
        self._stored, self._used = self._used, dict(self._used)


def _write(path: Path, fingerprint: str, values: dict[str, Any]) -> None:
    values = {key: value.compute() if isinstance(value, Deferred) else value for key, value in values.items()}
    body = json.dumps(values, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")
    header = json.dumps({"format": FORMAT, "fingerprint": fingerprint,
                         "sha256": hashlib.sha256(body).hexdigest()}).encode("utf-8")
    try:
        atomic_write(path, header + b"\n" + body)
    except OSError:  # a cache that cannot be written only makes the next build slower
        return


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that a reader sees the old file or the new one, never a part."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
