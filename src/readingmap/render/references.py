"""Bibliographic output from a :class:`~readingmap.catalogue.model.Reference`.

Display fields (plain Unicode title and names), the formatted reference (a pybtex style rendered by
pybtex's HTML backend, then passed through an allow-list sanitiser) and the BibTeX text of an entry
all come from here, so the bibliography page, the resource pages and ``refs.bib`` agree.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from markupsafe import Markup
from pybtex.backends.html import Backend as HTMLBackend
from pybtex.database import BibliographyData, Entry, Person
from pybtex.database.input.bibtex import month_names
from pybtex.database.output.bibtex import Writer as BibTeXWriter
from pybtex.richtext import Text
from pybtex.style.formatting.unsrt import Style as UnsrtStyle
from pybtex.style.template import optional, sentence

from ..catalogue import urls
from ..catalogue.latex import BARE_PERCENT, has_markup
from ..catalogue.model import Reference
from . import markup

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


def to_entry(ref: Reference) -> Entry:
    """A fresh pybtex entry (callers may change it); the parsed names are shared."""
    persons = {role: list(people) for role, people in _persons(ref.persons).items()}
    return Entry(ref.entry_type, fields=dict(ref.fields), persons=persons)


@lru_cache(maxsize=1 << 16)
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


def sanitise(fragment: str) -> str:
    """A formatted reference through the site's allow-list sanitiser."""
    return markup.sanitise(fragment, tags=_ALLOWED_TAGS, attributes=_ALLOWED_ATTRIBUTES,
                           classes=_ALLOWED_CLASSES)


def formatted_html(ref: Reference) -> str:
    """The reference formatted by :class:`ReadingMapStyle`, as safe inline HTML."""
    return _formatted_html(ref)


@lru_cache(maxsize=65536)
def _formatted_html(ref: Reference) -> str:
    # The style reads every field as LaTeX: escape a bare % there too (see latex_to_text).
    entry = to_entry(ref)
    entry.fields = {k: v if k in ("url", "doi", "eprint") else BARE_PERCENT.sub(r"\1\\%", v)
                    for k, v in entry.fields.items()}
    entry.key = ref.key
    with _plain_text_fast_path():
        rich = _STYLE.format_entry(ref.key, entry).text
    return sanitise(rich.render(_BACKEND))


def bibtex_text(ref: Reference) -> str:
    """One entry as BibTeX, as written by pybtex (the same text on every page and in refs.bib)."""
    return _bibtex_text(ref)


@lru_cache(maxsize=65536)
def _bibtex_text(ref: Reference) -> str:
    data = BibliographyData(entries={ref.key: to_entry(ref)})
    return str(_WRITER.to_string(data)).strip() + "\n"
