"""Bibliographic facts for a new entry: fetched from arXiv or Crossref, or typed in.

Only the standard library speaks HTTP here. The services' base URLs come from parameters or the
environment variables :data:`ARXIV_API_ENV` and :data:`CROSSREF_API_ENV`, and the whole fetch can
be replaced by any ``fetch(url) -> bytes`` callable, so tests never touch the network. Nothing
here writes a file or asks a question: :mod:`readingmap.tools.entries` writes, the CLI asks.
"""

from __future__ import annotations

import html
import json
import os
import re
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from pybtex.database import Person

from ..catalogue import urls
from ..catalogue.bibtex import STYLE_REQUIRES
from ..catalogue.model import KINDS
from ..problems import describe

__all__ = [
    "ARXIV_API_ENV", "CROSSREF_API_ENV", "Fetch", "Metadata", "NewEntryError", "NotFound", "from_arxiv",
    "from_crossref", "from_fields", "strip_version"
]

ARXIV_API_ENV = "READINGMAP_ARXIV_API"


CROSSREF_API_ENV = "READINGMAP_CROSSREF_API"


DEFAULT_ARXIV_API = "https://export.arxiv.org/api/query"


DEFAULT_CROSSREF_API = "https://api.crossref.org/works"


TIMEOUT = 20.0


USER_AGENT = "readingmap-new/0.1 (+https://github.com/math-dl-reading-map/reading-map)"


_ATOM = "{http://www.w3.org/2005/Atom}"


_ARXIV = "{http://arxiv.org/schemas/atom}"


_TAG = re.compile(r"<[^>]+>")


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")


Fetch = Callable[[str], bytes]


class NewEntryError(Exception):
    """A problem the contributor can act on: the message is printed as it is, no traceback."""


class NotFound(NewEntryError):
    """The service answered, but knows no such id (HTTP 404 or an empty result)."""


@dataclass
class Metadata:
    """Bibliographic facts for one new entry, in BibTeX terms."""

    entry_type: str
    title: str
    year: str
    authors: list[str] = field(default_factory=list)  # "Last, First", as BibTeX wants them
    editors: list[str] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)  # every other BibTeX field
    kind: str | None = None  # the resource kind, when the source makes it clear


# -- fetching -------------------------------------------------------------------------------


def http_get(url: str, timeout: float = TIMEOUT) -> bytes:
    """GET ``url`` and return the body; every failure becomes a :class:`NewEntryError`."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return bytes(response.read())
    except urllib.error.HTTPError as exc:
        if exc.code in (400, 404, 410):
            raise NotFound(f"{url} answered HTTP {exc.code} ({exc.reason})") from None
        raise NewEntryError(f"{url} answered HTTP {exc.code} ({exc.reason}); try again later,"
                            " or give the fields yourself with --title, --author and --year"
                            ) from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise NewEntryError(f"could not reach {url}: {reason}. Check your network connection, or"
                            " give the fields yourself with --title, --author and --year") from None


def _default_fetch(timeout: float) -> Fetch:
    return lambda url: http_get(url, timeout)


def normalise_arxiv(value: str) -> str:
    """``arXiv:2105.04026``, ``https://arxiv.org/abs/2105.04026`` or ``2105.04026``: the id."""
    ident = value.strip()
    ident = re.sub(r"^(?:https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/)", "", ident)
    ident = re.sub(r"^arxiv:", "", ident, flags=re.IGNORECASE).removesuffix(".pdf")
    error = urls.check_arxiv(ident)
    if error:
        raise NewEntryError(f"{describe(value)} is {error}")
    return ident


def normalise_doi(value: str) -> str:
    """Strip a ``https://doi.org/`` or ``doi:`` prefix and check what is left is a DOI."""
    doi = value.strip()
    doi = re.sub(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", "", doi, flags=re.IGNORECASE)
    error = urls.check_doi(doi)
    if error:
        raise NewEntryError(f"{describe(value)} is {error}")
    return doi


def from_arxiv(value: str, *, fetch: Fetch | None = None, base: str | None = None,
               timeout: float = TIMEOUT) -> Metadata:
    """Metadata of an arXiv e-print, from the arXiv Atom API."""
    ident = normalise_arxiv(value)
    base = base or os.environ.get(ARXIV_API_ENV) or DEFAULT_ARXIV_API
    url = f"{base}?id_list={quote(ident, safe='')}&max_results=1"
    fetch = fetch or _default_fetch(timeout)
    try:
        body = fetch(url)
    except NotFound:
        raise NotFound(f"arXiv has no e-print with id {describe(ident)}") from None
    return parse_arxiv(body, ident)


def parse_arxiv(body: bytes, ident: str) -> Metadata:
    """Read one entry of an arXiv Atom feed; refuse error entries and empty feeds clearly."""
    try:
        root = ET.fromstring(body)
    except ET.ParseError as exc:
        raise NewEntryError(f"arXiv sent a response that is not Atom XML ({exc});"
                            " try again later") from None
    if root.tag != f"{_ATOM}feed":
        raise NewEntryError("arXiv sent XML that is not an Atom feed; try again later")
    entry = root.find(f"{_ATOM}entry")
    if entry is None:
        raise NotFound(f"arXiv has no e-print with id {describe(ident)}")
    entry_id = entry.findtext(f"{_ATOM}id", "")
    if "/api/errors" in entry_id:
        summary = " ".join(entry.findtext(f"{_ATOM}summary", "").split())
        raise NotFound(f"arXiv refused the id {describe(ident)}: {summary or 'unknown error'}")
    title = _clean(entry.findtext(f"{_ATOM}title", ""))
    names = [_clean(a.findtext(f"{_ATOM}name", "")) for a in entry.findall(f"{_ATOM}author")]
    published = entry.findtext(f"{_ATOM}published", "")
    if not title or not any(names):
        raise NotFound(f"arXiv has no e-print with id {describe(ident)}")
    if not re.match(r"\d{4}-", published):
        raise NewEntryError(f"arXiv's entry for {describe(ident)} has no usable publication date")
    fields = {"eprint": ident, "archiveprefix": "arXiv"}
    primary = entry.find(f"{_ARXIV}primary_category")
    if primary is not None and primary.get("term"):
        fields["primaryclass"] = primary.get("term", "")
    doi = entry.findtext(f"{_ARXIV}doi", "").strip()
    if doi and urls.check_doi(doi) is None:
        fields["doi"] = doi
    fields["url"] = f"https://arxiv.org/abs/{ident}"
    return Metadata("misc", title, published[:4], [_bibtex_name(n) for n in names if n],
                    fields=fields, kind="paper")


def from_crossref(value: str, *, fetch: Fetch | None = None, base: str | None = None,
                  timeout: float = TIMEOUT) -> Metadata:
    """Metadata of a DOI, from Crossref's REST API (``/works/<doi>``)."""
    doi = normalise_doi(value)
    base = (base or os.environ.get(CROSSREF_API_ENV) or DEFAULT_CROSSREF_API).rstrip("/")
    url = f"{base}/{quote(doi, safe='/')}"
    fetch = fetch or _default_fetch(timeout)
    try:
        body = fetch(url)
    except NotFound:
        raise NotFound(f"Crossref does not know the DOI {describe(doi)} (a DOI registered"
                       " elsewhere, e.g. with DataCite, must be entered by hand)") from None
    return parse_crossref(body, doi)


_CROSSREF_TYPES: dict[str, tuple[str, str | None]] = {
    "journal-article": ("article", "paper"),
    "proceedings-article": ("inproceedings", "paper"),
    "book-chapter": ("incollection", None),
    "book-section": ("incollection", None),
    "book-part": ("incollection", None),
    "book": ("book", "book"),
    "monograph": ("book", "book"),
    "edited-book": ("book", "book"),
    "reference-book": ("book", "book"),
    "dissertation": ("phdthesis", None),
    "report": ("techreport", None),
    "posted-content": ("misc", "paper"),
}


def parse_crossref(body: bytes, doi: str) -> Metadata:
    """Turn one Crossref ``work`` message into BibTeX fields, choosing the entry type."""
    try:
        message = json.loads(body)["message"]
        if not isinstance(message, dict):
            raise TypeError
    except (ValueError, KeyError, TypeError):
        raise NewEntryError("Crossref sent a response that is not the expected JSON work record;"
                            " try again later") from None
    title = _clean(_first(message.get("title")))
    year = _crossref_year(message)
    if not title or not year:
        raise NewEntryError(f"Crossref's record for {describe(doi)} has no "
                            f"{'title' if not title else 'publication year'}; enter it by hand")
    entry_type, kind = _CROSSREF_TYPES.get(str(message.get("type", "")), ("misc", None))
    container = _clean(_first(message.get("container-title")))
    publisher = _clean(str(message.get("publisher") or ""))
    fields: dict[str, str] = {}
    if entry_type == "article":
        fields["journal"] = container
    elif entry_type in ("inproceedings", "incollection"):
        fields["booktitle"] = container
    elif entry_type == "phdthesis":
        names = [i.get("name", "") for i in message.get("institution") or [] if isinstance(i, dict)]
        fields["school"] = _clean(_first(names) or publisher)
    elif entry_type == "techreport":
        fields["institution"] = publisher
    if entry_type in ("book", "incollection", "inproceedings"):
        fields["publisher"] = publisher
    for source, target in (("volume", "volume"), ("issue", "number")):
        if message.get(source):
            fields[target] = _clean(str(message[source]))
    if message.get("page"):
        fields["pages"] = re.sub(r"\s*[-–]+\s*", "--", _clean(str(message["page"])))
    if entry_type == "book":
        isbn = next((i for i in message.get("ISBN") or [] if urls.check_isbn(str(i)) is None), None)
        if isbn:
            fields["isbn"] = str(isbn)
    fields["doi"] = doi
    fields = {k: v for k, v in fields.items() if v}
    if any(required not in fields for required in STYLE_REQUIRES.get(entry_type, ())):
        how = container or publisher
        fields = {k: v for k, v in fields.items()
                  if k in ("volume", "number", "pages", "doi", "isbn")}
        if how:
            fields = {"howpublished": how, **fields}
        entry_type = "misc"
    authors = [_crossref_person(p) for p in message.get("author") or [] if isinstance(p, dict)]
    editors = [_crossref_person(p) for p in message.get("editor") or [] if isinstance(p, dict)]
    authors, editors = [a for a in authors if a], [e for e in editors if e]
    if not authors and not editors:
        raise NewEntryError(f"Crossref's record for {describe(doi)} names no authors or editors;"
                            " enter the entry by hand with --title, --author and --year")
    return Metadata(entry_type, title, year, authors, editors, fields, kind)


def _crossref_year(message: dict[str, Any]) -> str:
    for key in ("issued", "published-print", "published-online", "published", "created"):
        try:
            year = message[key]["date-parts"][0][0]
        except (KeyError, IndexError, TypeError):
            continue
        if isinstance(year, int) and 1000 <= year <= 9999:
            return str(year)
    return ""


def _crossref_person(person: dict[str, Any]) -> str:
    family = _clean(str(person.get("family") or ""))
    given = _clean(str(person.get("given") or ""))
    if family:
        return f"{family}, {given}" if given else family
    name = _clean(str(person.get("name") or ""))
    return f"{{{name}}}" if name else ""  # an organisation: braces keep BibTeX from splitting it


def from_fields(title: str, authors: Iterable[str], year: str, url: str | None = None,
                kind: str | None = None) -> Metadata:
    """Metadata typed in by the contributor (``--title``, ``--author``, ``--year``, ...)."""
    title = _clean(title)
    names = [_bibtex_name(_clean(a)) for a in authors if _clean(a)]
    year = year.strip()
    missing = [what for what, ok in (("--title", title), ("--author", names), ("--year", year))
               if not ok]
    if missing:
        raise NewEntryError(f"give {', '.join(missing)} (or --arxiv / --doi to fetch them)")
    if not re.fullmatch(r"\d{4}", year):
        raise NewEntryError(f"--year {describe(year)} is not a four-digit year")
    fields: dict[str, str] = {}
    if kind is not None and kind not in KINDS:
        raise NewEntryError(f"--kind {describe(kind)} is not one of: {', '.join(KINDS)}")
    if kind in ("course", "lecture-notes", "blog", "video", "website"):
        fields["howpublished"] = {"lecture-notes": "Lecture notes", "blog": "Blog post"}.get(
            kind, kind.capitalize())
    if url:
        url = url.strip()
        error = urls.check(url)
        if error:
            raise NewEntryError(f"--url: {error}")
        fields["url"] = url
    return Metadata("misc", title, year, names, fields=fields, kind=kind)




def strip_version(ident: str) -> str:
    return re.sub(r"v\d+$", "", ident.strip())


def _first(value: Any) -> str:
    if isinstance(value, list):
        return str(value[0]) if value else ""
    return str(value or "")


def _clean(value: str) -> str:
    """One line of plain text: markup tags and entities resolved, invisible characters gone."""
    value = html.unescape(_TAG.sub("", value))
    return " ".join(_CONTROL.sub(" ", value).split())


def _bibtex_name(name: str) -> str:
    """``First Last`` (as arXiv gives names) to BibTeX's ``Last, First``."""
    if "," in name or not name.strip():
        return name.strip()
    return str(Person(name))
