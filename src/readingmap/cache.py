"""The build caches (:class:`BuildCaches`): values keyed by a hash of exactly what they depend on.

Values live in one SQLite database (``.cache/readingmap/cache.sqlite3`` in the project, beside the
Jinja bytecode cache), in named stores (references, resource pages, ...). A value's key is the
sha256 of the entry's text and of everything else its output depends on (the style, the package's
version and the versions of the libraries that format it, the source of the modules that do);
nothing is ever invalidated by hand. A build reads the values it needs one by one, writes the new
ones in one transaction, and drops the values of a store that it did not use.

A :class:`BuildCaches` is made by whoever runs builds (the command line for one build, the MkDocs
plugin object for a build or a whole ``mkdocs serve``) and passed down to loading and rendering
as an argument (they see it as a :class:`readingmap.keys.Caches`). With ``session=True`` (one
``mkdocs serve``, whose rebuilds run in one process) nothing is written until the session is
closed: each build starts from the values the build before it used, held in memory, objects that
are costly to rebuild from a stored value (the loaded catalogue) are kept as they are
(:meth:`BuildCaches.kept`), and what builds made is memoised (:meth:`BuildCaches.memo`).

The database is never trusted: each value is pickled with the sha256 of its bytes and the
fingerprint of the store that wrote it, and the database carries the format version. A file that
is not a database or is damaged, a value that fails its checksum, cannot be unpickled, has another
format or fingerprint or the wrong shape is a value missing (a damaged file is replaced): a build
with a damaged cache is a build without one. (Values are pickles, so the cache directory must be
as trusted as the project's code, which it sits beside.)
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sqlite3
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

__all__ = ["DATABASE", "ENV", "FORMAT", "BuildCaches", "EntryCache", "project_cache"]

T = TypeVar("T")

#: Bump when the database's layout or the pickled values' meaning changes.
FORMAT = 2
#: The database in the cache directory.
DATABASE = "cache.sqlite3"
#: An environment variable naming another directory for the build cache of every project (the
#: tests point it at a temporary directory, so that no test writes into the source tree).
ENV = "READINGMAP_CACHE_DIR"
_SCHEMA = ("CREATE TABLE IF NOT EXISTS entries (store TEXT NOT NULL, key TEXT NOT NULL, fingerprint TEXT NOT NULL,"
           " sha256 TEXT NOT NULL, value BLOB NOT NULL, PRIMARY KEY (store, key))")


def project_cache(root: Path) -> Path:
    """The build cache of the project in ``root``: ``root/.cache/readingmap`` (ignored by git), or
    the directory named by :data:`ENV`."""
    override = os.environ.get(ENV)
    return Path(override) if override else root / ".cache" / "readingmap"


class _Database:
    """The cache's SQLite file, opened on first use; any error makes it no cache (a damaged file
    is replaced by an empty one once)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._connection: sqlite3.Connection | None = None
        self._broken = False

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, timeout=30)
        try:
            (found,) = connection.execute("PRAGMA user_version").fetchone()
            if found != FORMAT:
                with connection:
                    connection.execute("DROP TABLE IF EXISTS entries")
                    connection.execute(_SCHEMA)
                    connection.execute(f"PRAGMA user_version = {FORMAT}")
            connection.execute("SELECT count(*) FROM entries").fetchone()
        except BaseException:
            connection.close()
            raise
        return connection

    def connection(self) -> sqlite3.Connection | None:
        if self._connection is None and not self._broken:
            try:
                self._connection = self._open()
            except (sqlite3.Error, OSError):
                try:  # not a database, or a damaged one: start from an empty file
                    self.path.unlink(missing_ok=True)
                    self._connection = self._open()
                except (sqlite3.Error, OSError):
                    self._broken = True
        return self._connection

    def read(self, store: str, key: str, fingerprint: str) -> Any | None:
        """The value of ``key`` in ``store``, or None when it is missing or not to be trusted."""
        connection = self.connection()
        if connection is None:
            return None
        try:
            row = connection.execute("SELECT fingerprint, sha256, value FROM entries WHERE store = ? AND key = ?",
                                     (store, key)).fetchone()
        except sqlite3.Error:
            return None
        if row is None or row[0] != fingerprint or not isinstance(row[2], bytes):
            return None
        if hashlib.sha256(row[2]).hexdigest() != row[1]:
            return None
        try:
            return pickle.loads(row[2])
        except Exception:  # any damage the checksum did not catch: no value
            return None

    def write(self, store: str, fingerprint: str, new: dict[str, Any], used: set[str]) -> None:
        """Add the ``new`` values of ``store`` and drop its values whose key is not ``used``."""
        connection = self.connection()
        if connection is None:
            return
        rows = []
        for key, value in new.items():
            blob = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
            rows.append((store, key, fingerprint, hashlib.sha256(blob).hexdigest(), blob))
        try:
            with connection:
                stale = [(store, key) for (key,) in connection.execute("SELECT key FROM entries WHERE store = ?",
                                                                      (store,)) if key not in used]
                connection.executemany("DELETE FROM entries WHERE store = ? AND key = ?", stale)
                connection.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?, ?, ?, ?)", rows)
        except sqlite3.Error:  # a cache that cannot be written only makes the next build slower
            return

    def keys(self, store: str) -> set[str]:
        connection = self.connection()
        if connection is None:
            return set()
        try:
            return {key for (key,) in connection.execute("SELECT key FROM entries WHERE store = ?", (store,))}
        except sqlite3.Error:
            return set()

    def close(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(sqlite3.Error):
                self._connection.close()
            self._connection = None


class _Memo:
    """The values of one kind of work made by the last build that did such work before ``build``
    and by ``build``, by key, each as ``(key, value)``: the key object a value was first made for
    stays its key (see :meth:`BuildCaches.memo`)."""

    def __init__(self, build: int) -> None:
        self.build = build
        self.before: dict[Any, tuple[Any, Any]] = {}
        self.now: dict[Any, tuple[Any, Any]] = {}


@dataclass
class _Held:
    """What a session holds of one store: the values the last build used, and those not written yet."""

    fingerprint: str
    values: dict[str, Any] = field(default_factory=dict)
    new: dict[str, Any] = field(default_factory=dict)
    changed: bool = False


class BuildCaches:
    """The build caches in ``directory`` (None: nothing on disk) of one build, or with ``session``
    of the builds of one process until :meth:`close` (see the module's description)."""

    def __init__(self, directory: Path | None, *, session: bool = False) -> None:
        self.directory = directory
        self.session = session
        self._database = None if directory is None else _Database(directory / DATABASE)
        self._held: dict[str, _Held] = {}
        #: the latest object of each kind, with its key (:meth:`kept`)
        self._objects: dict[str, tuple[str, Any]] = {}
        #: state a build updates for the next one, by kind (:meth:`held`)
        self._state: dict[str, Any] = {}
        #: what builds made, by kind (:meth:`memo`), and the number of the build under way
        self._memos: dict[str, _Memo] = {}
        self._build = 0

    @property
    def serving(self) -> bool:
        return self.session

    def store(self, name: str, fingerprint: str, valid: Callable[[Any], bool]) -> EntryCache:
        """The store ``name`` of the database; a value counts only if ``valid`` says it has the
        right shape and it was stored with the same ``fingerprint``."""
        held = None
        if self.session:
            held = self._held.get(name)
            if held is None or held.fingerprint != fingerprint:
                held = self._held[name] = _Held(fingerprint)
        return EntryCache(self._database, name, fingerprint, valid, held)

    def stored_keys(self, name: str) -> set[str]:
        """The keys the database holds in store ``name`` (what a later build may find)."""
        return set() if self._database is None else self._database.keys(name)

    def memo(self, kind: str, key: Hashable, make: Callable[[], T]) -> T:
        """``make()``, or the value made for the same ``key`` of ``kind`` earlier in this build or,
        in a session, by the last build before it that did work of this ``kind`` (``key``
        hashable, naming everything the value depends on). Only the values of those two builds
        are kept: a rebuild whose data did not change loads nothing, and what loading made is
        then kept for the next rebuild that loads."""
        found = self._memos.get(kind)
        if found is None:
            found = self._memos[kind] = _Memo(self._build)
        elif found.build != self._build:  # this build's first work of this kind
            found.before, found.now, found.build = (found.now if self.session else {}), {}, self._build
        entry = found.now.get(key)
        if entry is None:
            entry = found.before.get(key)
            if entry is None:
                entry = (key, make())
            # Under the key object of the build that made the value: a key equal to it, made
            # afresh by this build (a page's inputs, a record's node and reference), is let go,
            # so a session does not hold two builds' copies of every unchanged key.
            found.now[entry[0]] = entry
        value: T = entry[1]
        return value

    def new_build(self) -> None:
        """A build starts (before it loads the catalogue, which memoises too): see :meth:`memo`."""
        self._build += 1

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
        """Write what the session's builds made (each store as its last build used it), and let
        go of everything."""
        if self._database is not None:
            for name, held in self._held.items():
                if held.changed:
                    self._database.write(name, held.fingerprint,
                                         {k: v for k, v in held.new.items() if k in held.values}, set(held.values))
            self._database.close()
        self._held.clear()
        self._objects.clear()
        self._state.clear()
        self._memos.clear()

    def __enter__(self) -> BuildCaches:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class EntryCache:
    """Values of one store for one build (see :meth:`BuildCaches.store`)."""

    def __init__(self, database: _Database | None, name: str, fingerprint: str, valid: Callable[[Any], bool],
                 held: _Held | None = None) -> None:
        self._database = database
        self.name = name
        self.fingerprint = fingerprint
        self.valid = valid
        self._held = held
        self._used: dict[str, Any] = {}
        self._new: dict[str, Any] = {}

    def get(self, key: str) -> Any | None:
        if key in self._used:
            value = self._used[key]
        elif self._held is not None and key in self._held.values:
            value = self._held.values[key]
        elif self._database is not None:
            value = self._database.read(self.name, key, self.fingerprint)
        else:
            value = None
        if value is None or not self.valid(value):
            return None
        self._used[key] = value
        return value

    def put(self, key: str, value: Any) -> None:
        """Store ``value`` (lists, not tuples: a cache held in memory gives back exactly what it
        was given) under ``key``."""
        self._used[key] = value
        self._new[key] = value

    def save(self) -> None:
        """Keep the values used by this build and drop the others: written now, or in a session
        held for the next build and written when the session is closed."""
        if self._database is None:
            return
        if self._held is not None:
            if self._new or set(self._used) != set(self._held.values):
                # what is not written yet, of the values this build used (a long session would
                # otherwise hold every value any of its builds made)
                new = {**self._held.new, **self._new}
                self._held.new = {key: value for key, value in new.items() if key in self._used}
                self._held.values = dict(self._used)
                self._held.changed = True
        else:
            self._database.write(self.name, self.fingerprint, self._new, set(self._used))
        self._new = {}
