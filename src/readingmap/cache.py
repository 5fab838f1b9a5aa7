"""A build cache on disk for per-entry work: values keyed by a hash of exactly what they depend on.

One file per kind of work (``.cache/readingmap/<name>.json`` in the project, beside the Jinja
bytecode cache), read once per build and written once, atomically (a temporary file, then
``os.replace``), only when it changed. A value's key is the sha256 of the entry's text and of
everything else its output depends on (the style, the package's version and the versions of the
libraries that format it, the source of the modules that do); nothing is ever invalidated by hand,
and an entry that no longer exists is dropped at the next write.

Within a session (:func:`session`: one ``mkdocs serve``, whose rebuilds run in one process) the
files are read once and written when the session ends: each build starts from the values the
build before it used, held in memory, and objects that are costly to rebuild from a stored value
(the loaded catalogue) are kept as they are (:func:`kept`).

The file is never trusted: its first line holds the format version, the fingerprint of the code
that wrote it and the sha256 of the rest. A file that cannot be read, is truncated, fails its
checksum, has another format or fingerprint, or holds a value of the wrong shape is ignored (and
rewritten by the build), so a build with a damaged cache is a build without one.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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


def digest(*parts: object) -> str:
    """sha256 of the JSON of ``parts``: a key that changes whenever any part does."""
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False, separators=(",", ":")).encode("utf-8")).hexdigest()


class Deferred:
    """A value computed only when it is written to the file (in a session, when the session ends):
    for values costly to write that a session may never need on disk (the checked catalogue)."""

    def __init__(self, compute: Callable[[], Any]) -> None:
        self.compute = compute


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


@dataclass
class Session:
    """Build caches kept in memory between the builds of one process (see the module's description)."""

    held: dict[Path, _Held] = field(default_factory=dict)
    #: the latest object of each kind, with its key (:func:`kept`)
    objects: dict[str, tuple[str, Any]] = field(default_factory=dict)
    #: state a build updates for the next one, by kind (:func:`held`)
    state: dict[str, Any] = field(default_factory=dict)
    #: what builds made, by kind (:func:`memo`)
    memos: dict[str, _Memo] = field(default_factory=dict)

    def close(self) -> None:
        """Write every file whose values changed during the session."""
        for path, held in self.held.items():
            if held.changed:
                _write(path, held.fingerprint, held.values)
                held.changed = False


_SESSION: Session | None = None


@contextlib.contextmanager
def session() -> Iterator[Session]:
    """Hold the build caches in memory until the block ends, then write them (see :func:`start`)."""
    current = start()
    try:
        yield current
    finally:
        end()


def start() -> Session:
    """Start holding the build caches in memory (``mkdocs serve``); :func:`end` writes them."""
    global _SESSION
    _SESSION = _SESSION or Session()
    return _SESSION


def end() -> None:
    """Write the caches held since :func:`start` and stop holding them."""
    global _SESSION
    current, _SESSION = _SESSION, None
    if current is not None:
        current.close()


def in_session() -> bool:
    """Whether the build caches are held in memory (:func:`session`)."""
    return _SESSION is not None


def kept(kind: str, key: str) -> Any | None:
    """In a session, the object of ``kind`` an earlier build kept under ``key`` (None for another
    key, or outside a session). ``key`` must name everything the object depends on."""
    found = _SESSION.objects.get(kind) if _SESSION is not None else None
    return found[1] if found is not None and found[0] == key else None


def held(kind: str, make: Callable[[], Any]) -> Any | None:
    """In a session, its object of ``kind`` (made by ``make`` the first time); None outside one.
    For state a build updates for the next one (items parsed before)."""
    if _SESSION is None:
        return None
    if kind not in _SESSION.state:
        _SESSION.state[kind] = make()
    return _SESSION.state[kind]


def memo(kind: str, key: Any, make: Callable[[], Any]) -> Any:
    """``make()``, or in a session the value an earlier build made for the same ``key`` of ``kind``
    (``key`` hashable, naming everything the value depends on). Only the values of the build
    before are kept (:func:`new_build`)."""
    if _SESSION is None:
        return make()
    found = _SESSION.memos.setdefault(kind, _Memo())
    if key in found.now:
        return found.now[key]
    value = found.before[key] if key in found.before else make()
    found.now[key] = value
    return value


def new_build() -> None:
    """A build starts: what the build before made with :func:`memo` is kept for this one only."""
    if _SESSION is None:
        return
    for found in _SESSION.memos.values():
        found.before, found.now = found.now, {}


def keep(kind: str, key: str, value: Any) -> None:
    """Keep ``value`` as the object of ``kind`` for the later builds of a session, in place of the
    one kept before (outside a session: nothing)."""
    if _SESSION is not None:
        _SESSION.objects[kind] = (key, value)


class EntryCache:
    """Values of one kind of per-entry work, by key; ``valid`` says whether a stored value has the
    right shape (anything else is treated as missing)."""

    def __init__(self, path: Path | None, fingerprint: str, valid: Callable[[Any], bool]) -> None:
        self.path = path
        self.fingerprint = fingerprint
        self.valid = valid
        self._stored: dict[str, Any] = {}
        if path is not None and _SESSION is not None:
            held = _SESSION.held.get(path)
            if held is None or held.fingerprint != fingerprint:
                held = _SESSION.held[path] = _Held(fingerprint, self._read())
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
        if _SESSION is not None:
            _SESSION.held[self.path] = _Held(self.fingerprint, self._used, changed=True)
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


def version(dist: str) -> str:
    """The installed version of a distribution ("unknown" if it is not installed)."""
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover - not installed
        return "unknown"


def source_digest(modules: Iterable[object]) -> str:
    """sha256 of the source files of ``modules``: a change of the code invalidates its cached output
    even before the package's version changes."""
    h = hashlib.sha256()
    for module in modules:
        file = getattr(module, "__file__", None)
        if file:
            try:
                h.update(Path(file).read_bytes())
            except OSError:
                h.update(str(file).encode("utf-8"))
    return h.hexdigest()
