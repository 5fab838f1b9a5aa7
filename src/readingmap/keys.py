"""Cache keys, and what loading and rendering ask of the build caches they are given.

Loading (:mod:`readingmap.catalogue`) and rendering (:mod:`readingmap.render`) never reach for a
cache of their own: whoever runs them (the command line, the MkDocs plugin object) passes a
:class:`Caches` down as an argument, and :data:`NO_CACHES` is the one that keeps nothing.
:mod:`readingmap.cache` implements it on disk and, for ``mkdocs serve``, in memory between
rebuilds. A value's key is a hash of everything it depends on (:func:`digest`).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import sys
from collections.abc import Callable, Hashable
from dataclasses import fields, is_dataclass
from pathlib import Path
from types import ModuleType
from typing import Any, Protocol, TypeVar

__all__ = ["NO_CACHES", "Caches", "Store", "digest", "for_one_build", "freeze", "modules_used", "source_digest",
           "version"]

T = TypeVar("T")


def digest(*parts: object) -> str:
    """sha256 of the JSON of ``parts``: a key that changes whenever any part does.

    Text is its characters (a :class:`~readingmap.problems.Located` value without its position),
    tuples are lists, and a dataclass is its name and the values of the fields that take part in
    its comparisons (not where it was read: ``Resource.line``), so a field added to it is part of
    every key made of it without anyone listing it. Anything else raises ``TypeError``: a key
    never leaves out a value it cannot represent."""
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False, separators=(",", ":"),
                                     default=_compared_fields).encode("utf-8")).hexdigest()


def _compared_fields(value: object) -> list[object]:
    if is_dataclass(value) and not isinstance(value, type):
        return [type(value).__name__, *(getattr(value, f.name) for f in fields(value) if f.compare)]
    raise TypeError(f"no key for a value of type {type(value).__name__}")


def version(dist: str) -> str:
    """The installed version of a distribution ("unknown" if it is not installed)."""
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover - not installed
        return "unknown"


def source_digest(root: ModuleType) -> str:
    """sha256 of the source files of ``root`` and of every module of its package it uses, directly
    or through another (:func:`modules_used`): a change of the code invalidates its cached
    output even before the package's version changes, and no list of modules is kept by hand."""
    h = hashlib.sha256()
    for module in modules_used(root):
        file = getattr(module, "__file__", None)
        if file:
            try:
                h.update(Path(file).read_bytes())
            except OSError:
                h.update(str(file).encode("utf-8"))
    return h.hexdigest()


def modules_used(root: ModuleType) -> list[ModuleType]:
    """``root`` and the modules of its top-level package that it uses, directly or through
    another: each module a module-level name of theirs is, or comes from (by ``__module__``)."""
    package = root.__name__.split(".")[0]
    seen = {root.__name__: root}
    todo = [root]
    while todo:
        for value in list(vars(todo.pop()).values()):
            name = value.__name__ if isinstance(value, ModuleType) else getattr(value, "__module__", None)
            if (isinstance(name, str) and name not in seen and (name == package or name.startswith(package + "."))
                    and (module := sys.modules.get(name)) is not None):
                seen[name] = module
                todo.append(module)
    return [seen[name] for name in sorted(seen)]


class Store(Protocol):
    """Values of one kind of per-entry work, by key (a :func:`digest`)."""

    def get(self, key: str) -> Any | None:
        """The value stored under ``key``, or None (also for a value of the wrong shape)."""

    def put(self, key: str, value: Any) -> None:
        """Store ``value`` under ``key``: used by this build, kept for the next."""

    def save(self) -> None:
        """This build is done with the store: keep what it used (and drop the rest)."""


class Caches(Protocol):
    """The build caches a build is given (see the module's description)."""

    def store(self, name: str, fingerprint: str, valid: Callable[[Any], bool]) -> Store:
        """The store ``name``; a stored value counts only if ``valid`` says it has the right shape,
        and only if it was stored by code of the same ``fingerprint``."""

    def memo(self, kind: str, key: Hashable, make: Callable[[], T]) -> T:
        """``make()``, or the value made for the same ``key`` of ``kind`` earlier in this build or
        by the build before."""

    def new_build(self) -> None:
        """A build starts, before it loads the catalogue (whoever runs the builds calls it). When
        builds follow each other in this process (:attr:`serving`), what the last build that did a
        kind of work made with :meth:`memo` is kept for the next one that does; otherwise nothing
        is."""

    def held(self, kind: str, make: Callable[[], T]) -> T | None:
        """State a build updates for the next one (made by ``make`` the first time); None when
        builds do not follow each other in this process."""

    def kept(self, kind: str, key: str) -> Any | None:
        """The object of ``kind`` an earlier build kept under ``key`` (None for another key)."""

    def keep(self, kind: str, key: str, value: Any) -> None:
        """Keep ``value`` as the object of ``kind`` for later builds, with its ``key``."""

    @property
    def serving(self) -> bool:
        """Whether builds follow each other in this process (``mkdocs serve``)."""


class _NoStore:
    def get(self, key: str) -> Any | None:
        return None

    def put(self, key: str, value: Any) -> None:
        return None

    def save(self) -> None:
        return None


class _NoCaches:
    """Caches that keep nothing: every value is made afresh."""

    serving = False

    def store(self, name: str, fingerprint: str, valid: Callable[[Any], bool]) -> Store:
        return _NoStore()

    def memo(self, kind: str, key: Hashable, make: Callable[[], T]) -> T:
        return make()

    def new_build(self) -> None:
        return None

    def held(self, kind: str, make: Callable[[], T]) -> T | None:
        return None

    def kept(self, kind: str, key: str) -> Any | None:
        return None

    def keep(self, kind: str, key: str, value: Any) -> None:
        return None


#: The caches of a build without any.
NO_CACHES: Caches = _NoCaches()


class _OneBuild(_NoCaches):
    """Caches that keep nothing on disk nor for another build, but do the work of one build once
    (:meth:`Caches.memo`): what a build given :data:`NO_CACHES` uses while it runs."""

    def __init__(self) -> None:
        self._memos: dict[str, dict[Hashable, Any]] = {}

    def memo(self, kind: str, key: Hashable, make: Callable[[], T]) -> T:
        found = self._memos.setdefault(kind, {})
        if key not in found:
            found[key] = make()
        value: T = found[key]
        return value


def for_one_build(caches: Caches) -> Caches:
    """``caches``, or for :data:`NO_CACHES` caches that memoise within the one build about to run
    (a note shown on many pages is still converted once)."""
    return _OneBuild() if caches is NO_CACHES else caches


def freeze(value: Any) -> Hashable:
    """``value`` (the data a template or a function receives) as a hashable key that equals
    another's exactly when the two are the same data: mappings by their items, lists as tuples,
    a ``str`` subclass (``Markup``: already HTML) apart from plain text, ``True`` apart from ``1``.
    Anything else must be hashable itself (frozen dataclasses), or this raises ``TypeError``: a
    key never leaves out a value it cannot represent."""
    if isinstance(value, dict):
        return ("dict", tuple((key, freeze(item)) for key, item in value.items()))
    if isinstance(value, (list, tuple)):
        return ("seq", tuple(freeze(item) for item in value))
    if type(value) is str or value is None:
        return value
    if isinstance(value, str):
        return (type(value).__name__, str(value))
    if isinstance(value, (bool, int, float)):
        return (type(value).__name__, value)
    hash(value)
    found: Hashable = value
    return found
