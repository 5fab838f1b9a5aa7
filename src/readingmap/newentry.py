"""``readingmap new``: start a catalogue entry from an arXiv id, a DOI or a few typed-in fields.

The bibliographic facts are fetched (arXiv's Atom API, Crossref's REST API) or taken from the
command line, written as one BibTeX entry appended to ``refs.bib``, and paired with a YAML stub
appended to ``resources.yaml`` whose curation fields say ``TODO``. ``readingmap check`` then lists
exactly those fields as "still to fill", each with its file and line.

Only the standard library speaks HTTP here. The services' base URLs come from parameters or the
environment variables :data:`ARXIV_API_ENV` and :data:`CROSSREF_API_ENV`, and the whole fetch can
be replaced by any ``fetch(url) -> bytes`` callable, so tests never touch the network.
"""

from __future__ import annotations

import html
import json
import os
import re
import unicodedata
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from pybtex.database import Person

from . import bibtex, urls, yamlstrict
from .model import EDITORIAL, KINDS
from .problems import Problem, describe
from .references import STYLE_REQUIRES, latex_to_text
from .schema import SLUG, TODO

ARXIV_API_ENV = "READINGMAP_ARXIV_API"
CROSSREF_API_ENV = "READINGMAP_CROSSREF_API"
DEFAULT_ARXIV_API = "https://export.arxiv.org/api/query"
DEFAULT_CROSSREF_API = "https://api.crossref.org/works"
TIMEOUT = 20.0
USER_AGENT = "readingmap-new/0.1 (+https://github.com/math-dl-reading-map/reading-map)"

_ATOM = "{http://www.w3.org/2005/Atom}"
_ARXIV = "{http://arxiv.org/schemas/atom}"
_STOPWORDS = frozenset({
    "a", "an", "the", "on", "of", "in", "for", "to", "and", "with", "at", "by", "from",
    "towards", "toward", "into", "is", "are", "what", "why", "how",
})
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


# -- writing --------------------------------------------------------------------------------
def make_key(meta: Metadata, taken: set[str]) -> str:
    """``surname + year + first significant title word``, lower-case ASCII, made unique."""
    person = (meta.authors or meta.editors or ["anon"])[0]
    surname = _ascii("".join(Person(person).last_names) or person)
    words = [_ascii(w) for w in latex_to_text(meta.title).split()]
    word = next((w for w in words if w and w not in _STOPWORDS), next((w for w in words if w), ""))
    base = f"{surname or 'anon'}{meta.year}{word}"[:60]
    taken = {t.lower() for t in taken}
    if base not in taken:
        return base
    for suffix in "bcdefghijklmnopqrstuvwxyz":
        if base + suffix not in taken:
            return base + suffix
    raise NewEntryError(f"every key from {base!r} to {base + 'z'!r} is taken; choose one with --id")


def bibtex_entry(key: str, meta: Metadata) -> str:
    """The entry as BibTeX text in the layout of ``refs.bib`` (aligned ``=``, braces)."""
    pairs: list[tuple[str, str]] = []
    if meta.authors:
        pairs.append(("author", " and ".join(meta.authors)))
    if meta.editors:
        pairs.append(("editor", " and ".join(meta.editors)))
    pairs += [("title", meta.title), *((k, v) for k, v in meta.fields.items()
                                       if k not in ("eprint", "archiveprefix", "primaryclass",
                                                    "url", "doi", "isbn"))]
    pairs.append(("year", meta.year))
    pairs += [(k, meta.fields[k]) for k in ("isbn", "doi", "eprint", "archiveprefix",
                                            "primaryclass", "url") if k in meta.fields]
    width = max(len(k) for k, _ in pairs)
    body = ",\n".join(f"  {k.ljust(width)} = {{{_braced(v)}}}" for k, v in pairs)
    return f"@{meta.entry_type}{{{key},\n{body}\n}}\n"


def yaml_stub(key: str, meta: Metadata, source_ids: Iterable[str] = ()) -> str:
    """The resource's curation fields, with every one the contributor must choose set to TODO."""
    kind = meta.kind if meta.kind in KINDS else TODO
    ids = [s for s in source_ids if s != EDITORIAL]
    sources = f"where it was recommended: {', '.join([*ids, EDITORIAL])}"
    title = meta.title if len(meta.title) <= 70 else meta.title[:69] + "…"
    title = title.replace("\n", " ")
    return (
        f"# Added by `readingmap new`: {title} ({meta.year}).\n"
        f"# Replace every TODO, then run `readingmap check` (see CONTRIBUTING.md).\n"
        f"- id: {key}\n"
        f"  kind: {kind}  # {', '.join(KINDS)}\n"
        f"  topics: [{TODO}]  # research topics it is about, or maths areas it teaches"
        " (ids in topics.yaml / maths.yaml)\n"
        f"  prerequisites: [{TODO}]  # maths areas or topics a reader needs first; [] if none\n"
        f"  level: {TODO}  # introductory, intermediate or advanced\n"
        f"  recommended_in:\n"
        f"    - source: {TODO}  # {sources}\n"
        f'  why: "{TODO}: one to three sentences: what it covers, how rigorous it is, whom it'
        ' suits"\n'
    )


@dataclass
class Added:
    """What :func:`add_entry` wrote (or would write, with ``dry_run``)."""

    key: str
    bibtex: str
    yaml: str
    bib_line: int
    yaml_line: int


def existing(data_dir: Path) -> tuple[set[str], dict[str, str], dict[str, str]]:
    """Taken ids and keys, and the arXiv ids and DOIs already catalogued (lower-case -> key).

    The files are read with the project's own readers, so every entry counts however it is
    written (on one line, with quotes or braces, in any case); an entry with problems of its own
    still counts. A file that cannot be parsed at all is an error: nothing could be checked.
    """
    from .load import RESERVED_IDS

    taken = set(RESERVED_IDS)
    for name in ("resources.yaml", "topics.yaml", "maths.yaml"):
        path = data_dir / name
        root, problems = yamlstrict.load(str(path), path.read_bytes()) if path.is_file() else (None, [])
        if problems:
            raise NewEntryError(_unreadable(path, problems))
        for item in root.items if isinstance(root, yamlstrict.Seq) else ():
            ident = item.get("id") if isinstance(item, yamlstrict.Map) else None
            if isinstance(ident, yamlstrict.Scalar):
                taken.add(ident.value.strip())
    bib_path = data_dir / "refs.bib"
    raw, keys, problems = bibtex.scan(str(bib_path), _read(bib_path))
    if problems and not raw:
        raise NewEntryError(_unreadable(bib_path, problems))
    taken |= keys
    eprints: dict[str, str] = {}
    dois: dict[str, str] = {}
    for entry in raw:
        for name, value, _, _ in entry.fields:
            store = eprints if name == "eprint" else dois if name == "doi" else None
            if store is not None and value.strip():
                store.setdefault(_strip_version(value.strip()).lower(), entry.key)
    return taken, eprints, dois


def _unreadable(path: Path, problems: list[Problem]) -> str:
    shown = "\n".join(map(str, problems[:5]))
    return f"{path} cannot be read, so no duplicate could be ruled out; fix it first (readingmap check):\n{shown}"


def add_entry(data_dir: str | os.PathLike[str], meta: Metadata, key: str | None = None,
              *, dry_run: bool = False) -> Added:
    """Append the BibTeX entry and the YAML stub; refuse duplicates of ids, keys and works."""
    base = Path(data_dir)
    bib_path, res_path = base / "refs.bib", base / "resources.yaml"
    for path in (bib_path, res_path):
        if not path.is_file():
            raise NewEntryError(f"{path} does not exist: run this in the repository root, or"
                                " point --data at the catalogue directory")
    taken, eprints, dois = existing(base)
    for name, store in (("eprint", eprints), ("doi", dois)):
        value = meta.fields.get(name)
        if value and _strip_version(value).lower() in store:
            what = "arXiv e-print" if name == "eprint" else "DOI"
            raise NewEntryError(f"the {what} {value} is already in the catalogue as"
                                f" {describe(store[_strip_version(value).lower()])}:"
                                " improve that entry instead of adding a new one")
    if key is not None:
        if not SLUG.match(key):
            raise NewEntryError(f"--id {describe(key)} is not a slug: use lower-case letters,"
                                " digits and single hyphens (e.g. 'berner2021modern')")
        if key.lower() in {t.lower() for t in taken}:
            raise NewEntryError(f"the id {describe(key)} is already used in the catalogue;"
                                " choose another with --id, or leave --id out to get one")
    else:
        key = make_key(meta, taken)
    entry = bibtex_entry(key, meta)
    problems = bibtex.read("new entry", entry.encode("utf-8")).problems
    if problems:  # pragma: no cover - a bug here, not the contributor's mistake
        raise NewEntryError("the generated BibTeX entry does not pass the checks:\n"
                            + "\n".join(str(p) for p in problems))
    sources = re.findall(r"(?m)^\s*-\s+id:\s*(\S+)", _read(base / "sources.yaml"))
    stub = yaml_stub(key, meta, sources)
    bib_text, res_text = _read(bib_path), _read(res_path)
    bib_sep = _separator(bib_text, blank=True)
    res_sep = _separator(res_text, blank=False)
    bib_line = (bib_text + bib_sep).count("\n") + 1
    yaml_line = (res_text + res_sep).count("\n") + 3  # after the two comment lines
    if not dry_run:
        with bib_path.open("a", encoding="utf-8", newline="\n") as out:
            out.write(bib_sep + entry)
        with res_path.open("a", encoding="utf-8", newline="\n") as out:
            out.write(res_sep + stub)
    return Added(key, entry, stub, bib_line, yaml_line)


# -- helpers --------------------------------------------------------------------------------
def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


def _separator(text: str, *, blank: bool) -> str:
    if not text:
        return ""
    sep = "" if text.endswith("\n") else "\n"
    return sep + ("\n" if blank else "")


def _strip_version(ident: str) -> str:
    return re.sub(r"v\d+$", "", ident.strip())


def _first(value: Any) -> str:
    if isinstance(value, list):
        return str(value[0]) if value else ""
    return str(value or "")


def _clean(value: str) -> str:
    """One line of plain text: markup tags and entities resolved, invisible characters gone."""
    value = html.unescape(_TAG.sub("", value))
    return " ".join(_CONTROL.sub(" ", value).split())


def _braced(value: str) -> str:
    """A value safe inside ``{...}``: unbalanced braces would end the field early, so drop them."""
    depth = 0
    for char in value:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            break
    return value if depth == 0 else value.replace("{", "").replace("}", "")


_FOLD = str.maketrans({"ß": "ss", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "œ": "oe",
                       "Œ": "OE", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "þ": "th", "ı": "i"})


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", latex_to_text(text).translate(_FOLD))
    return re.sub(r"[^a-z0-9]", "", folded.encode("ascii", "ignore").decode().lower())


def _bibtex_name(name: str) -> str:
    """``First Last`` (as arXiv gives names) to BibTeX's ``Last, First``."""
    if "," in name or not name.strip():
        return name.strip()
    return str(Person(name))


def ask(prompt: Callable[[str], str], given: dict[str, Any]) -> dict[str, Any]:
    """Ask for the fields not given on the command line (used when stdin is a terminal)."""
    out = dict(given)
    while not out.get("title"):
        out["title"] = prompt("Title: ").strip()
    if not out.get("authors"):
        print("Authors, one per line as 'First Last'; an empty line ends the list.")
        names: list[str] = []
        while True:
            name = prompt(f"Author {len(names) + 1}: ").strip()
            if not name:
                if names:
                    break
                continue
            names.append(name)
        out["authors"] = names
    while not re.fullmatch(r"\d{4}", out.get("year") or ""):
        out["year"] = prompt("Year (four digits): ").strip()
    if out.get("url") is None:
        out["url"] = prompt("Link to a free version (empty for none): ").strip() or None
    if out.get("kind") is None:
        answer = prompt(f"Kind ({', '.join(KINDS)}; empty to decide later): ").strip()
        out["kind"] = answer or None
    return out
