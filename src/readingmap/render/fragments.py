"""HTML fragments from Jinja templates, with autoescape on.

Every piece of HTML the package writes around catalogue values comes from a template in
``readingmap/render/templates/readingmap/``; Python prepares plain data and never concatenates
markup. A site overrides a fragment by putting a file of the same name in ``readingmap/`` of a
template directory given first (with MkDocs: the theme's ``custom_dir``), as Material's tags
plugin lets a site override its fragments. Values that are HTML already (sanitised contributor
Markdown, formatted references, SVG drawings) arrive as :class:`markupsafe.Markup`.
"""

from __future__ import annotations

import hashlib
from collections.abc import MutableMapping, Sequence
from functools import cached_property
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, StrictUndefined, Template
from markupsafe import Markup

from ..keys import Caches, freeze

__all__ = ["Fragments", "render"]

PREFIX = "readingmap"


class Fragments:
    """Renders the fragment templates; one instance per build (templates are compiled once)."""

    def __init__(self, override_dirs: Sequence[str | Path] = ()) -> None:
        #: The directories searched before the package (what a worker process needs to render alike).
        self.override_dirs = tuple(str(d) for d in override_dirs)
        loaders = [FileSystemLoader(list(self.override_dirs))] if override_dirs else []
        self.env = _Environment(
            loader=ChoiceLoader([*loaders, PackageLoader("readingmap.render", "templates")]),
            autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
            auto_reload=False,
        )
        self._templates: dict[str, Template] = {}

    @cached_property
    def fingerprint(self) -> str:
        """A hash of the source of every fragment template this instance uses (overrides first):
        what a cached rendering depends on besides its data."""
        digest = hashlib.sha256()
        loader = self.env.loader
        assert loader is not None
        # The names under readingmap/ of the package and of each override directory (listing every
        # template of the directories, as the loader does, went through the theme's icons too).
        package = Path(__file__).resolve().parent / "templates" / PREFIX
        names = {f"{PREFIX}/{p.relative_to(package).as_posix()}" for p in package.rglob("*.html")}
        for directory in self.override_dirs:
            own = Path(directory) / PREFIX
            if own.is_dir():
                names.update(f"{PREFIX}/{p.relative_to(own).as_posix()}" for p in own.rglob("*") if p.is_file())
        for name in sorted(names):
            source, _filename, _uptodate = loader.get_source(self.env, name)
            digest.update(f"{len(name)}:{name}{len(source)}:{source}".encode())
        return digest.hexdigest()

    @property
    def key(self) -> tuple[tuple[str, ...], str]:
        """What makes two instances render alike: they search the same directories for templates
        of the same sources. A memo's key takes this, not the instance: a memo keeps the key its
        value was first made for, and an instance holds its compiled templates."""
        return self.override_dirs, self.fingerprint

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Fragments) and other.key == self.key

    def __hash__(self) -> int:
        return hash(self.key)

    def __reduce__(self) -> tuple[type[Fragments], tuple[tuple[str, ...]]]:
        """A copy for a worker process is made from the same directories (its templates compiled
        there, once a task). Each build has its own instance: a worker never keeps the templates
        of a build before, which an edited override would make stale under ``mkdocs serve``."""
        return (Fragments, (self.override_dirs,))

    def __call__(self, fragment: str, /, **data: Any) -> Markup:
        """The fragment (a file in ``readingmap/``) filled with ``data``."""
        template = self._templates.get(fragment)
        if template is None:
            template = self._templates[fragment] = self.env.get_template(f"{PREFIX}/{fragment}")
        # A fragment never ends with a newline: pages place fragments on lines of their own.
        return Markup(template.render(**data).rstrip("\n"))


class _Environment(Environment):
    """An environment whose templates hold their globals in a plain dictionary.

    Jinja gives each template a ``ChainMap`` over the environment's globals, so that a change to
    them reaches templates loaded before; and every render copies that map into the new context
    and lists its keys, in Python. With about 24 fragments rendered for each resource page, those
    copies were about 30 % of the pages' rendering time (3,000 pages: 1.28 s, 0.91 s without).
    Nothing changes these globals once a template is loaded (Jinja's documentation of
    ``make_globals`` asks as much), so a copy made at loading is the same map, copied at C speed."""

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        return {**self.globals, **(d or {})}


def render(ui: Fragments, caches: Caches, fragment: str, /, **data: Any) -> Markup:
    """``ui(fragment, **data)``, memoised on exactly what the template receives (the templates
    and the data): under ``mkdocs serve`` an unchanged listing or entry is the one rendered before."""
    found: Markup = caches.memo(f"fragment:{fragment}", (ui.key, freeze(data)), lambda: ui(fragment, **data))
    return found
