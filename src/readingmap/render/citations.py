"""A resource's reference in the formats reference managers read.

Everything here is computed from the parsed BibTeX (:class:`~readingmap.catalogue.model.Reference`),
the same record the formatted reference and ``refs.bib`` come from, through one normalised
:class:`Citation`:

* Highwire Press ``citation_*`` meta tags, which Zotero, Mendeley and Google Scholar read from a
  page's head (:func:`highwire`);
* a COinS span (OpenURL ContextObject in a ``Z3988`` span) for each work of a listing, which the
  Zotero Connector offers to save as a list (:func:`coins`);
* CSL-JSON, the input of every citation processor and Zotero's own exchange format
  (:func:`csl_item`, :func:`csl_json`);
* RIS, read by EndNote, Mendeley, JabRef and Zotero (:func:`ris_record`, :func:`refs_ris`),
  written by ``rispy``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property, partial
from typing import Any
from urllib.parse import urlencode

import rispy
from pybtex.database import Person

from ..catalogue.latex import latex_to_text
from ..catalogue.model import DOI_RESOLVER, Catalogue, Reference, Resource
from ..keys import NO_CACHES, Caches

__all__ = [
    "Citation",
    "Texts",
    "all_citations",
    "by_id",
    "citation",
    "coins",
    "csl_item",
    "csl_json",
    "highwire",
    "ris",
    "ris_record",
]

_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
           "october", "november", "december")


@dataclass(frozen=True)
class Name:
    family: str
    given: str
    suffix: str = ""

    @property
    def inverted(self) -> str:
        """``Family, Given`` (``Family, Given, Suffix``), the order RIS and Highwire use."""
        return ", ".join(part for part in (self.family, self.given, self.suffix) if part)


@dataclass(frozen=True)
class Citation:
    """One work as reference managers see it: plain Unicode values, nothing LaTeX."""

    id: str
    #: ``article``, ``conference``, ``book``, ``chapter``, ``preprint`` or ``web``.
    form: str
    title: str
    authors: tuple[Name, ...]
    editors: tuple[Name, ...]
    year: str
    month: int | None
    container: str
    volume: str
    issue: str
    first_page: str
    last_page: str
    publisher: str
    place: str
    edition: str
    doi: str
    arxiv: str
    isbn: str
    url: str

    @cached_property
    def kev(self) -> str:
        """:func:`coins` of the work, made once (a session's builds share a citation while its
        entry is unchanged: ``by_id``)."""
        return coins(self)


def _text(ref: Reference, name: str) -> str:
    value = ref.get(name)
    return latex_to_text(value) if value else ""


def _name(raw: str) -> Name:
    person = Person(raw)

    def part(names: list[str]) -> str:
        return latex_to_text(" ".join(names)) if names else ""

    given = part([*person.first_names, *person.middle_names])
    family = part([*person.prelast_names, *person.last_names])
    return Name(family=family, given=given, suffix=part(person.lineage_names))


def _form(resource: Resource) -> str:
    entry_type = resource.ref.entry_type
    if entry_type == "article":
        return "article"
    if entry_type == "inproceedings":
        return "conference"
    if entry_type == "incollection":
        return "chapter"
    if entry_type == "book":
        return "book"
    return "preprint" if resource.ref.get("eprint") else "web"


def _month(value: str) -> int | None:
    value = value.strip().lower()
    if value.isdigit() and 1 <= int(value) <= 12:
        return int(value)
    for number, name in enumerate(_MONTHS, start=1):
        if value and name.startswith(value[:3]):
            return number
    return None


def citation(resource: Resource, names: dict[str, Name] | None = None) -> Citation:
    """``resource`` as reference managers see it; ``names``, if given, keeps each name parsed
    (a BibTeX name is parsed once however many works it signs)."""
    names = names if names is not None else {}

    def name(raw: str) -> Name:
        found = names.get(raw)
        if found is None:
            found = names[raw] = _name(raw)
        return found

    ref = resource.ref
    first, _, last = _text(ref, "pages").replace("--", "-").replace("–", "-").partition("-")
    container = _text(ref, "journal") or _text(ref, "booktitle")
    if not container and _form(resource) == "book":
        container = _text(ref, "series")
    return Citation(
        id=resource.id,
        form=_form(resource),
        title=_text(ref, "title"),
        authors=tuple(name(p) for p in ref.people("author")),
        editors=tuple(name(p) for p in ref.people("editor")),
        year=ref.get("year") or "",
        month=_month(ref.get("month") or ""),
        container=container,
        volume=_text(ref, "volume"),
        issue=_text(ref, "number"),
        first_page=first.strip(),
        last_page=last.strip(),
        publisher=_text(ref, "publisher") or _text(ref, "institution") or _text(ref, "school"),
        place=_text(ref, "address"),
        edition=_text(ref, "edition"),
        doi=ref.get("doi") or "",
        arxiv=ref.get("eprint") or "",
        isbn=ref.get("isbn") or "",
        url=resource.best_url or "",
    )


def _present(*fields: tuple[str, str]) -> list[tuple[str, str]]:
    """The (name, value) pairs among ``fields`` whose value is not empty, in order: every format
    leaves out what a reference does not have."""
    return [(name, value) for name, value in fields if value]


def _date(c: Citation, sep: str) -> str:
    return f"{c.year}{sep}{c.month:02d}" if c.month else c.year


# --------------------------------------------------------------------------- Highwire

#: The Highwire tag that names the container, by form.
_CONTAINER_TAG = {"article": "citation_journal_title", "conference": "citation_conference_title",
                  "chapter": "citation_inbook_title", "book": "citation_series_title",
                  "preprint": "citation_journal_title", "web": "citation_journal_title"}


def highwire(c: Citation) -> tuple[tuple[str, str], ...]:
    """The ``citation_*`` meta tags of a resource page, as (name, content) pairs in a fixed order:
    every author in order, then the other fields a reference manager reads."""
    tags: list[tuple[str, str]] = [("citation_title", c.title)]
    tags += [("citation_author", a.inverted) for a in c.authors]
    tags += [("citation_editor", e.inverted) for e in c.editors]
    if c.year:
        tags.append(("citation_publication_date", _date(c, "/")))
    tags += _present(
        (_CONTAINER_TAG[c.form], c.container),
        ("citation_volume", c.volume),
        ("citation_issue", c.issue),
        ("citation_firstpage", c.first_page),
        ("citation_lastpage", c.last_page),
        ("citation_publisher", c.publisher),
        ("citation_doi", c.doi),
        ("citation_arxiv_id", c.arxiv),
        ("citation_isbn", c.isbn),
    )
    if c.arxiv:
        tags.append(("citation_pdf_url", f"https://arxiv.org/pdf/{c.arxiv}"))
    if c.url:
        tags.append(("citation_abstract_html_url", c.url))
    return tuple(tags)


# --------------------------------------------------------------------------- COinS

_COINS_GENRE = {"article": ("journal", "article"), "conference": ("journal", "proceeding"),
                "chapter": ("book", "bookitem"), "book": ("book", "book"),
                "preprint": ("journal", "preprint"), "web": ("dc", "document")}


#: Left as they are in a KEV value: allowed in a URL's query (RFC 3986) and never a separator,
#: they read the same to every decoder and keep a listing's spans short (a maths page lists up to
#: 120 works). Every other character but letters, digits and ``_.-~`` is percent-encoded, those a
#: query gives a meaning to (``& = + ; # % ?``) among them.
_KEV_SAFE = ":/,"


def coins(c: Citation) -> str:
    """The ``title`` of a COinS span: an OpenURL 1.0 ContextObject in KEV form (Z39.88-2004)."""
    fmt, genre = _COINS_GENRE[c.form]
    pairs: list[tuple[str, str]] = [("ctx_ver", "Z39.88-2004"), ("rfr_id", "info:sid/reading-map")]
    if fmt == "dc":
        pairs += [("rft_val_fmt", "info:ofi/fmt:kev:mtx:dc"), ("rft.title", c.title)]
        pairs += [("rft.creator", a.inverted) for a in c.authors]
        pairs += _present(("rft.date", c.year), ("rft.identifier", c.url))
        return urlencode(pairs, safe=_KEV_SAFE)
    pairs += [("rft_val_fmt", f"info:ofi/fmt:kev:mtx:{fmt}"), ("rft.genre", genre)]
    title_key = "rft.btitle" if fmt == "book" and genre == "book" else "rft.atitle"
    pairs.append((title_key, c.title))
    if c.container:
        pairs.append(("rft.btitle" if genre == "bookitem" else "rft.jtitle", c.container))
    for a in c.authors:
        pairs += [("rft.au", a.inverted)]
    pairs += _present(("rft.date", c.year), ("rft.volume", c.volume), ("rft.issue", c.issue),
                      ("rft.spage", c.first_page), ("rft.epage", c.last_page), ("rft.pub", c.publisher),
                      ("rft.place", c.place), ("rft.isbn", c.isbn))
    if c.doi:
        pairs.append(("rft_id", f"info:doi/{c.doi}"))
    if c.url and not (c.doi and c.url == DOI_RESOLVER + c.doi):
        # A link that is only the DOI's resolver says again what info:doi says.
        pairs.append(("rft_id", c.url))
    return urlencode(pairs, safe=_KEV_SAFE)


# --------------------------------------------------------------------------- CSL-JSON

_CSL_TYPE = {"article": "article-journal", "conference": "paper-conference", "chapter": "chapter",
             "book": "book", "preprint": "article", "web": "webpage"}


def _csl_name(n: Name) -> dict[str, str]:
    name = {"family": n.family, "given": n.given} if n.given else {"literal": n.family}
    if n.suffix:
        name["suffix"] = n.suffix
    return name


def csl_item(c: Citation) -> dict[str, Any]:
    item: dict[str, Any] = {"id": c.id, "type": _CSL_TYPE[c.form], "title": c.title}
    if c.authors:
        item["author"] = [_csl_name(a) for a in c.authors]
    if c.editors:
        item["editor"] = [_csl_name(e) for e in c.editors]
    if c.year:
        item["issued"] = {"date-parts": [[int(c.year), c.month] if c.month else [int(c.year)]]}
    page = "-".join(p for p in (c.first_page, c.last_page) if p)
    item.update(_present(("container-title", c.container), ("volume", c.volume), ("issue", c.issue), ("page", page),
                         ("publisher", c.publisher), ("publisher-place", c.place), ("edition", c.edition),
                         ("DOI", c.doi), ("ISBN", c.isbn), ("URL", c.url)))
    if c.arxiv:
        # CSL has no arXiv variable: an eprint is an archive and its place in it, which Zotero and
        # citeproc both read.
        item["archive"] = "arXiv"
        item["archive_location"] = c.arxiv
    return item


def csl_json(citations: list[Citation], *, compact: bool = False) -> str:
    """A CSL-JSON file: an array of items (stable bytes: in the given order, two-space indent, or
    with ``compact`` on one line, which Python's C encoder writes at a fraction of the cost)."""
    items = [csl_item(c) for c in citations]
    if compact:
        return json.dumps(items, ensure_ascii=False, separators=(",", ":")) + "\n"
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


# --------------------------------------------------------------------------- RIS

_RIS_TYPE = {"article": "JOUR", "conference": "CPAPER", "chapter": "CHAP", "book": "BOOK",
             "preprint": "UNPB", "web": "ELEC"}


def ris_record(c: Citation) -> dict[str, Any]:
    """One record in rispy's field names."""
    record: dict[str, Any] = {"type_of_reference": _RIS_TYPE[c.form], "id": c.id, "title": c.title}
    if c.authors:
        record["authors"] = [a.inverted for a in c.authors]
    if c.editors:
        record["secondary_authors"] = [e.inverted for e in c.editors]
    if c.year:
        record["year"] = c.year
        if c.month:
            record["date"] = f"{c.year}/{c.month:02d}//"
    record.update(_present(("secondary_title", c.container), ("volume", c.volume), ("number", c.issue),
                           ("start_page", c.first_page), ("end_page", c.last_page), ("publisher", c.publisher),
                           ("place_published", c.place), ("edition", c.edition), ("doi", c.doi),
                           ("issn", c.isbn)))
    if c.arxiv:
        record["accession_number"] = f"arXiv:{c.arxiv}"
    if c.url:
        record["urls"] = [c.url]
    return record


class _Writer(rispy.RisWriter):  # type: ignore[misc]
    """rispy's writer without the running number it puts before each record ("1."), which is not
    RIS: every record starts with its ``TY`` line."""

    def set_header(self, count: int) -> str:
        return ""


def ris(citations: list[Citation]) -> str:
    """An RIS file of these works, in the given order."""
    return str(rispy.dumps([ris_record(c) for c in citations], implementation=_Writer))


class Texts:
    """Each work's RIS record and CSL-JSON item as text, written once a build and joined into
    every file that lists the work: ``refs.ris`` and ``refs.json`` and the readings of each topic
    and path list most works several times, and encoding each work again for every file was
    seconds of every build at 10,000 resources. :meth:`ris` and :meth:`csl_json` give the bytes
    of :func:`ris` and :func:`csl_json` (a test compares them). With a session's ``caches``
    (``mkdocs serve``), the text an earlier build wrote for an equal citation is used again.
    """

    def __init__(self, caches: Caches = NO_CACHES) -> None:
        self._caches = caches
        #: by kind and work id: the citation a text was written for, and the text. The memo alone
        #: would give the same texts, but finds them by hashing the whole citation, and a work is
        #: looked up once for every file that lists it (measured: 0.3 s more for 10,000 works
        #: looked up twelve times); here the same citation object is recognised by identity.
        self._made: dict[tuple[str, str], tuple[Citation, str]] = {}

    def _text(self, kind: str, c: Citation, write: Callable[[Citation], str]) -> str:
        found = self._made.get((kind, c.id))
        if found is not None and (found[0] is c or found[0] == c):
            return found[1]
        text: str = self._caches.memo(kind, c, partial(write, c))
        self._made[kind, c.id] = (c, text)
        return text

    def ris(self, citations: list[Citation]) -> str:
        """:func:`ris` of these works."""
        return "\n".join(self._text("ris-text", c, _ris_text) for c in citations)

    def csl_json(self, citations: list[Citation]) -> str:
        """:func:`csl_json` of these works (indented)."""
        if not citations:
            return "[]\n"
        items = (self._text("csl-text", c, _csl_text).replace("\n", "\n  ") for c in citations)
        return "[\n  " + ",\n  ".join(items) + "\n]\n"


def _ris_text(c: Citation) -> str:
    return ris([c])


def _csl_text(c: Citation) -> str:
    return json.dumps(csl_item(c), ensure_ascii=False, indent=2)


# --------------------------------------------------------------------------- whole catalogue

def by_id(resources: Iterable[Resource],
          memo: Callable[[Resource, Callable[[], Citation]], Citation] | None = None) -> dict[str, Citation]:
    """Each resource's citation by its id, made once a build and handed to every page and file
    that shows one; ``memo(resource, make)``, if given, may return the citation an earlier build
    made for the same resource (``mkdocs serve``) instead of calling ``make()``."""
    names: dict[str, Name] = {}
    if memo is None:
        return {r.id: citation(r, names) for r in resources}
    return {r.id: memo(r, partial(citation, r, names)) for r in resources}


def all_citations(cat: Catalogue, cited: Mapping[str, Citation] | None = None) -> list[Citation]:
    """Every resource's citation (from ``cited``, or made here), sorted by id as ``refs.bib`` is."""
    cited = cited if cited is not None else by_id(cat.resources)
    return [cited[r.id] for r in sorted(cat.resources, key=lambda r: r.id)]
