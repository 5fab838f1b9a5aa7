"""A build cache on disk for per-entry work: values keyed by a hash of exactly what they depend on.

One file per kind of work (``.cache/readingmap/<name>.json`` in the project, beside the Jinja
bytecode cache), read once per build and written once, atomically (a temporary file, then
``os.replace``), only when it changed. A value's key is the sha256 of the entry's text and of
everything else its output depends on (the style, the package's version and the versions of the
libraries that format it, the source of the modules that do); nothing is ever invalidated by hand,
and an entry that no longer exists is dropped at the next write.

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
from collections.abc import Callable, Iterable
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


class EntryCache:
    """Values of one kind of per-entry work, by key; ``valid`` says whether a stored value has the
    right shape (anything else is treated as missing)."""

    def __init__(self, path: Path | None, fingerprint: str, valid: Callable[[Any], bool]) -> None:
        self.path = path
        self.fingerprint = fingerprint
        self.valid = valid
        self._stored: dict[str, Any] = self._read() if path is not None else {}
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
        if value is None or not self.valid(value):
            self.misses += 1
            return None
        self.hits += 1
        self._used[key] = value
        return value

    def put(self, key: str, value: Any) -> None:
        self._used[key] = value

    def save(self) -> None:
        """Write the values used by this build (dropping the others), if they differ from the file's."""
        if self.path is None or self._used == self._stored:
            return
        body = json.dumps(self._used, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")
        header = json.dumps({"format": FORMAT, "fingerprint": self.fingerprint,
                             "sha256": hashlib.sha256(body).hexdigest()}).encode("utf-8")
        try:
            atomic_write(self.path, header + b"\n" + body)
        except OSError:  # a cache that cannot be written only makes the next build slower
            return
        self._stored = dict(self._used)


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
