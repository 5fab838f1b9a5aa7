"""Bibliographic output from a :class:`~readingmap.catalogue.model.Reference`.

Display fields (plain Unicode title and names), the formatted reference (a pybtex style rendered by
pybtex's HTML backend, then passed through an allow-list sanitiser) and the BibTeX text of an entry
all come from here, so the bibliography page, the resource pages and ``refs.bib`` agree.

Formatting is most of a build's work on a large catalogue, so :func:`prepare` does it once per
build for every reference: from the build caches it is given for an entry formatted
before with the same style and code, in a pool of processes for a large cold build, and in this
process otherwise; its :class:`Formatted` then answers every page of the build from memory.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from html import unescape
from typing import Any

from markupsafe import Markup, escape
from pybtex.backends.html import Backend as HTMLBackend
from pybtex.database import BibliographyData, Entry, Person
from pybtex.database.input.bibtex import month_names
from pybtex.database.output.bibtex import Writer as BibTeXWriter
from pybtex.richtext import Text
from pybtex.style.formatting.unsrt import Style as UnsrtStyle
from pybtex.style.template import optional, sentence

from ..catalogue import urls
from ..catalogue.latex import BARE_PERCENT, has_markup
from ..catalogue.mathtext import maths_text
from ..catalogue.model import Reference
from ..keys import NO_CACHES, Caches, digest, source_digest, version
from . import markup
from .workers import Batch, Pool

__all__ = [
    "POOL_MIN",
    "STORE",
    "STYLE_NAME",
    "VERSION",
    "Formatted",
    "Prepared",
    "bibtex_text",
    "formatted_html",
    "memoised_key",
    "prepare",
    "reference_key",
    "start",
]

_ALLOWED_TAGS = {"a", "em", "strong", "span", "i", "b", "sub", "sup"}
_ALLOWED_ATTRIBUTES: dict[str, set[str]] = {"a": {"href"}}
_ALLOWED_CLASSES = {"span": {"bibtex-protected"}}


@contextmanager
def _plain_text_fast_path() -> Iterator[None]:
    """While formatting, build rich text for markup-free strings directly.

    pybtex's templates and names call ``Text.from_latex`` on every field and name part; its LaTeX
    decoder costs about a millisecond a call even for plain text and dominated the profile of the
    package's work. For a string without any LaTeX markup ``Text(value)`` renders exactly like
    ``Text.from_latex(value)`` (tested in tests/test_references.py), so only those calls are
    short-cut, and only inside :func:`formatted_html`.
    """
    original = Text.__dict__["from_latex"]

    def from_latex(cls: type[Text], latex: str) -> Text:
        return cls(latex) if not has_markup(latex) else original.__func__(cls, latex)

    Text.from_latex = classmethod(from_latex)
    try:
        yield
    finally:
        Text.from_latex = original


def to_entry(ref: Reference, persons: Mapping[str, tuple[Person, ...]] | None = None) -> Entry:
    """A fresh pybtex entry (callers may change it), with ``persons`` the names parsed before
    (shared, not copied)."""
    parsed = _persons(ref.persons) if persons is None else persons
    return Entry(ref.entry_type, fields=dict(ref.fields), persons={role: list(p) for role, p in parsed.items()})


def _persons(persons: tuple[tuple[str, tuple[str, ...]], ...]) -> dict[str, tuple[Person, ...]]:
    return {role: tuple(Person(n) for n in names) for role, names in persons}


class ReadingMapStyle(UnsrtStyle):  # type: ignore[misc]
    """unsrt, with arXiv and DOI as the identifiers at the end; links are shown beside it."""

    default_sorting_style = "author_year_title"

    def format_web_refs(self, e):  # type: ignore[no-untyped-def]
        return sentence[optional[self.format_eprint(e)], optional[self.format_doi(e)]]


#: BibTeX's month macros, by the name they expand to.
_MONTH_MACROS = {name: macro for macro, name in month_names.items()}


class VerbatimBibTeXWriter(BibTeXWriter):  # type: ignore[misc]
    """pybtex's writer LaTeX-encodes every value again, although the values already are the
    contributor's BibTeX source: ``100\\%`` became ``100\\\\%`` and a URL's ``&``, ``_`` and ``%``
    gained backslashes (broken links in ``refs.bib``). Values are written as they were read (they
    were parsed with balanced braces, which ``quote`` checks again)."""

    def _encode(self, text: str) -> str:
        return text

    def _write_field(self, stream: Any, type: str, value: str) -> None:
        # A month read from a macro (``month = apr``) is written back as the macro: BibTeX styles
        # and biber read the macro, whereas ``{April}`` is a name that biber's data model refuses.
        macro = _MONTH_MACROS.get(value) if type.lower() == "month" else None
        if macro is not None:
            stream.write(f",\n    {type} = {macro}")
        else:
            super()._write_field(stream, type, value)


class SafeHTMLBackend(HTMLBackend):  # type: ignore[misc]
    """pybtex's HTML backend puts URLs into ``href`` unescaped; this one escapes and vets them."""

    @staticmethod
    def format_href(url: str, text: str, external: bool = False) -> str:
        if not text:
            return ""
        if urls.check(url) is not None:
            return text
        # ``text`` is the backend's own rendering, escaped already; the URL is escaped here.
        return str(Markup('<a href="{}">{}</a>').format(url, Markup(text)))


_STYLE = ReadingMapStyle()
_BACKEND = SafeHTMLBackend()
_WRITER = VerbatimBibTeXWriter()


_DOLLARS_IN_HTML = re.compile(r"(?<!\\)\$([^$<>]+?)(?<!\\)\$")


def sanitise(fragment: str) -> str:
    """A formatted reference through the site's allow-list sanitiser."""
    return markup.sanitise(fragment, tags=_ALLOWED_TAGS, attributes=_ALLOWED_ATTRIBUTES,
                           classes=_ALLOWED_CLASSES)


def formatted_html(ref: Reference, persons: Mapping[str, tuple[Person, ...]] | None = None) -> str:
    """The reference formatted by :class:`ReadingMapStyle`, as safe inline HTML (``persons``: its
    names parsed before)."""
    # The style reads every field as LaTeX: escape a bare % there too (see latex_to_text).
    entry = to_entry(ref, persons)
    entry.fields = {k: v if k in ("url", "doi", "eprint") else BARE_PERCENT.sub(r"\1\\%", v)
                    for k, v in entry.fields.items()}
    entry.key = ref.key
    with _plain_text_fast_path():
        rich = _STYLE.format_entry(ref.key, entry).text
    # Maths between dollar signs (a title's "$d$-linear"), which pybtex passes through, as plain
    # Unicode text: references are shown where KaTeX does not run too (the bibliography's data).
    return _DOLLARS_IN_HTML.sub(lambda m: escape(maths_text(unescape(m.group(1)))), sanitise(rich.render(_BACKEND)))


def bibtex_text(ref: Reference, persons: Mapping[str, tuple[Person, ...]] | None = None) -> str:
    """One entry as BibTeX, as written by pybtex (the same text on every page and in refs.bib;
    ``persons``: its names parsed before)."""
    data = BibliographyData(entries={ref.key: to_entry(ref, persons)})
    return str(_WRITER.to_string(data)).strip() + "\n"


# -- one build's references: the cache on disk and a pool of processes -------------------------------
@dataclass(frozen=True)
class Formatted:
    """The formatted HTML and BibTeX text of one build's references (:func:`prepare`), handed to
    every page that shows a reference; a reference it lacks is formatted on demand."""

    known: Mapping[Reference, tuple[str, str]] = field(default_factory=dict)

    def html(self, ref: Reference) -> str:
        """:func:`formatted_html` of ``ref``."""
        known = self.known.get(ref)
        return known[0] if known is not None else formatted_html(ref)

    def bibtex(self, ref: Reference) -> str:
        """:func:`bibtex_text` of ``ref``."""
        known = self.known.get(ref)
        return known[1] if known is not None else bibtex_text(ref)


#: What the formatted output depends on besides the entry: the style ...
STYLE_NAME = f"{ReadingMapStyle.__module__}.{ReadingMapStyle.__qualname__}(unsrt)"
#: ... the package's version ...
VERSION = version("readingmap")
#: ... and the libraries and the code that format it.
_CODE = digest(
    [version(d) for d in ("pybtex", "latexcodec", "nh3", "markupsafe")],
    source_digest(sys.modules[__name__]),
)
#: A cold build formats in a pool of processes from this many uncached references on: below it,
#: starting the processes costs more than it saves (bench/README.md).
POOL_MIN = 500
#: The build caches' store of formatted references.
STORE = "references"


def reference_key(ref: Reference, *, style: str | None = None, version: str | None = None,
                  code: str | None = None) -> str:
    """The cache key of a reference's output: a hash of the entry's text (type, key, fields and
    names, as read), the style, the package version and the formatting code (by default those of
    this module: :data:`STYLE_NAME`, :data:`VERSION`)."""
    style = STYLE_NAME if style is None else style
    version = VERSION if version is None else version
    code = _CODE if code is None else code
    return digest("reference", [str(ref.key), str(ref.entry_type),
                                      [[str(k), str(v)] for k, v in ref.fields],
                                      [[str(role), [str(n) for n in names]] for role, names in ref.persons]],
                        style, version, code)


def memoised_key(ref: Reference, caches: Caches) -> str:
    """:func:`reference_key` of ``ref``, once a build (the formatting and the resource pages ask
    for it) and, in `mkdocs serve`, once while the entry is unchanged."""
    key: str = caches.memo("reference-key", ref, partial(reference_key, ref))
    return key


def _valid(value: Any) -> bool:
    return isinstance(value, list) and len(value) == 2 and all(isinstance(v, str) for v in value)


@dataclass(frozen=True)
class Prepared:
    """What :func:`prepare` did: how many references came from the cache, and how many were
    formatted, in how many processes; and the formatted references."""

    cached: int
    formatted: int
    processes: int
    refs: Formatted = field(default_factory=Formatted, compare=False, repr=False)


def prepare(refs: Sequence[Reference], caches: Caches = NO_CACHES, *, workers: int | None = None) -> Prepared:
    """Format every reference of a build once: from the build ``caches``
    where it has the entry, otherwise in ``workers`` processes (default: one per core) when there
    are at least :data:`POOL_MIN` to format, else in this process. The output is the same either
    way, byte for byte."""
    with Pool(workers) as pool:
        return start(refs, caches, pool).finish()


def start(refs: Sequence[Reference], caches: Caches, pool: Pool) -> Pending:
    """:func:`prepare` in two halves, with the build's pool: the workers start formatting now,
    while this process does other work of the build, and :meth:`Pending.finish` (before the first
    page that shows a reference) takes its share and joins them."""
    return Pending(refs, caches, pool)


def _format_one(ref: Reference) -> tuple[str, str]:
    persons = _persons(ref.persons)
    return formatted_html(ref, persons), bibtex_text(ref, persons)


_Plain = tuple[str, str, tuple[tuple[str, str], ...], tuple[tuple[str, tuple[str, ...]], ...], int]


def _plain(ref: Reference) -> _Plain:
    """The reference as plain strings (values read from a file carry their position, which does
    not travel to another process and does not change the output)."""
    return (str(ref.key), str(ref.entry_type), tuple((str(k), str(v)) for k, v in ref.fields),
            tuple((str(role), tuple(str(n) for n in names)) for role, names in ref.persons), ref.line)


def format_chunk(_options: None, chunk: list[_Plain]) -> list[tuple[str, str]]:
    """Format references sent as plain data (a task of the build's worker processes)."""
    return [_format_one(Reference(key, kind, fields, persons, line)) for key, kind, fields, persons, line in chunk]


class Pending:
    """One build's formatting under way (see :func:`start`): the references the cache does not
    have go to the build's pool as one batch."""

    def __init__(self, refs: Sequence[Reference], caches: Caches, pool: Pool) -> None:
        self.store = caches.store(STORE, "references", _valid)
        self.known: dict[Reference, tuple[str, str]] = {}
        self.missing: dict[Reference, str] = {}
        for ref in refs:
            if ref in self.known or ref in self.missing:
                continue
            key = memoised_key(ref, caches)
            value = self.store.get(key)
            if value is not None:
                self.known[ref] = (value[0], value[1])
            else:
                self.missing[ref] = key
        self.pool = pool
        self.batch: Batch[_Plain, tuple[str, str]] = pool.run(format_chunk, None,
                                                              [_plain(r) for r in self.missing], minimum=POOL_MIN)

    def finish(self) -> Prepared:
        """Format what the workers have not taken, wait for them, and give every reference's
        output (:attr:`Prepared.refs`); save the cache."""
        processes = 1 + self.batch.workers
        formatted = self.batch.finish()
        for (ref, key), (html, bibtex) in zip(self.missing.items(), formatted, strict=True):
            self.known[ref] = (html, bibtex)
            self.store.put(key, [html, bibtex])
        self.store.save()
        return Prepared(cached=len(self.known) - len(self.missing), formatted=len(self.missing),
                        processes=processes, refs=Formatted(self.known))
