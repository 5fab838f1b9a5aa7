"""The bibliography page: every resource as a formatted reference with filters and readiness.

Each entry is static HTML (so the page is complete without JavaScript) carrying the data
attributes that ``readingmap.js`` filters on.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from markupsafe import Markup

from ..catalogue.latex import latex_to_text
from ..catalogue.model import ARXIV_ABS, DOI_RESOLVER, KINDS, LEVELS, Catalogue, Node, Resource
from ..graph import Graph
from ..keys import NO_CACHES, Caches
from .addresses import BIBLIOGRAPHY, front_matter, node_src, rel_url, src_of
from .citations import Citation
from .fragments import Fragments, render
from .listings import KIND_LABEL, access_links
from .markup import Converter
from .references import Formatted

__all__ = [
    "DATA_COLUMNS",
    "DATA_FILE",
    "INLINE_LIMIT",
    "LISTING_SLOT",
    "SEARCH_FILE",
    "bibliography_json",
    "bibliography_page",
    "bibliography_search_json",
    "sort_key",
]


def sort_key(r: Resource) -> tuple[str, str, str]:
    first = r.ref.people("author") or r.ref.people("editor")
    surname = latex_to_text(first[0].split(",")[0]).lower() if first else ""
    return (surname, r.year, r.title.lower())


def entry_fields(cat: Catalogue, graph: Graph, r: Resource, convert: Converter) -> dict[str, str]:
    """The values the filters match on; the same for the HTML attributes and the JSON data (the
    note made text by ``convert``)."""
    topics = graph.order(r.topics)
    haystack = " ".join([r.title, *r.aliases, *r.authors, r.year, r.venue, r.kind, r.level,
                         *(cat.nodes[t].name for t in topics), convert.plain(r.why)]).lower()
    return {
        "key": r.id,
        "topics": " ".join(topics),
        "prereqs": " ".join(graph.order(r.prerequisites)),
        "needs": " ".join(graph.needs(r)),
        "kind": r.kind,
        "level": r.level,
        "year": r.year,
        "text": haystack,
    }


def entry_html(ui: Fragments, cat: Catalogue, graph: Graph, r: Resource, cited: Citation, convert: Converter,
               refs: Formatted | None = None, caches: Caches = NO_CACHES) -> str:
    """One entry as HTML, its filter fields as ``data-`` attributes, which the script reads
    (``cited``: its citation, as the build made it; ``convert``: the build's converter of notes).
    (In the large-catalogue mode the script draws the same structure from ``bibliography.json``.)"""
    page = BIBLIOGRAPHY
    refs = refs if refs is not None else Formatted()
    f = entry_fields(cat, graph, r, convert)
    links = [*access_links(r, doi_label="DOI"), {"href": rel_url(page, src_of("resources", r.id)), "label": "Details"}]
    topics = [{"href": rel_url(page, node_src(cat.nodes[t])), "label": cat.nodes[t].name} for t in f["topics"].split()]
    return str(render(
        ui, caches, "bibliography_entry.html", id=r.id, title=r.title,
        data=[(name, f[name]) for name in ENTRY_ATTRIBUTES],
        formatted=Markup(refs.html(r.ref)), kind=KIND_LABEL[r.kind], level=r.level,
        needs=f["needs"], topics=topics, links=links, bibtex=refs.bibtex(r.ref), coins=cited.kev))


ENTRY_ATTRIBUTES = ("key", "topics", "prereqs", "needs", "kind", "level", "year", "text")


#: Up to this many resources the page lists every entry as HTML (complete without JavaScript).
#: Beyond it the entries come from ``bibliography.json`` and the script renders the matching ones
#: on demand. Measured in headless Chromium, the theme's script needs about 1.8 s to instrument
#: 300 inline entries and 9 s for 1,000, while the on-demand page is interactive in 1.5 s at
#: 10,000 entries (see bench/README.md). The real catalogue (about 430 works) stays a static page:
#: complete without JavaScript, found by the browser's find, with a COinS span per entry.
INLINE_LIMIT = 500
DATA_FILE = "bibliography.json"
#: The search text of each entry that its reference lacks (aliases and the note), in a file of its
#: own: it is as large as the rest together, and only the text filter needs it, so the page draws
#: and filters by facets before it arrives.
SEARCH_FILE = "bibliography-search.json"
#: The shape of ``bibliography.json``; readingmap.js refuses data of another version. (3: the
#: level of a resource that is not a reading, a venue, is null.)
DATA_VERSION = 3
#: The columns of one entry in ``bibliography.json`` (``columns`` in the file names them).
DATA_COLUMNS = ("key", "reference", "kind", "level", "year", "topics", "needs", "url", "arxiv", "doi")


#: pybtex wraps text that BibTeX protects (``{ReLU}``) in a span that nothing styles; in the
#: data they were an eighth of the file.
_SPANS = re.compile(r"</?span\b[^>]*>")


def bibliography_data(cat: Catalogue, graph: Graph, refs: Formatted | None = None) -> dict[str, Any]:
    """What the large-catalogue mode needs to filter and draw every entry, and nothing twice.

    Each entry is a row of :data:`DATA_COLUMNS`: its id, its formatted reference (the sanitised
    HTML every page shows, less pybtex's unstyled spans), indexes into the ``kinds``, ``levels``
    and ``nodes`` tables, and its link ids. The script builds the entry's HTML from these with the
    same structure as ``bibliography_entry.html`` (escaping every value), its search text from the
    reference, kind, level and topic names plus :func:`bibliography_search_json`, and its BibTeX
    from ``refs.bib``, which holds exactly the text each entry shows. At 10,000 resources this
    file and the search file are 2.8 and 1.9 MB (4.3 and 4.8 MB for clones of the real entries,
    whose notes are longer), where shipping each entry's HTML took 21.6 MB.
    """
    page = BIBLIOGRAPHY
    refs = refs if refs is not None else Formatted()
    nodes = graph.nodes(cat.nodes)
    index = {n.id: i for i, n in enumerate(nodes)}
    kinds = {k: i for i, k in enumerate(KINDS)}
    levels = {lv: i for i, lv in enumerate(LEVELS)}
    rows = [[r.id, _SPANS.sub("", refs.html(r.ref)), kinds[r.kind], levels.get(r.level), r.year,
             [index[t] for t in graph.order(r.topics)], [index[m] for m in graph.needs(r)],
             r.url or "", r.arxiv or "", r.doi or ""]
            for r in sorted(cat.resources, key=sort_key)]
    return {
        "version": DATA_VERSION,
        "columns": list(DATA_COLUMNS),
        "nodes": [[n.id, n.name, rel_url(page, node_src(n))] for n in nodes],
        "kinds": [[k, KIND_LABEL[k]] for k in KINDS],
        "levels": list(LEVELS),
        "links": {"arxiv": ARXIV_ABS, "doi": DOI_RESOLVER, "resources": rel_url(page, "resources/index.md")},
        "entries": rows,
    }


def bibliography_json(cat: Catalogue, graph: Graph, refs: Formatted | None = None) -> str:
    return json.dumps(bibliography_data(cat, graph, refs), ensure_ascii=False, separators=(",", ":"))


def bibliography_search_json(cat: Catalogue, caches: Caches = NO_CACHES) -> str:
    """Each entry's search text that its reference does not hold (aliases and the note, as plain
    text), in the order of ``bibliography.json``'s rows."""
    convert = Converter(caches)
    text = [" ".join([*r.aliases, convert.plain(r.why)]) for r in sorted(cat.resources, key=sort_key)]
    return json.dumps({"version": DATA_VERSION, "text": text}, ensure_ascii=False, separators=(",", ":"))


#: Where the bibliography page's Markdown holds its list of entries (:func:`bibliography_page`).
LISTING_SLOT = "<!-- readingmap: the list of entries -->"


def bibliography_page(ui: Fragments, cat: Catalogue, graph: Graph, families: Sequence[tuple[str, Sequence[Node]]],
                      cited: Mapping[str, Citation], *, inline_limit: int = INLINE_LIMIT,
                      refs: Formatted | None = None, caches: Caches = NO_CACHES) -> tuple[str, str]:
    """The bibliography page's Markdown, with :data:`LISTING_SLOT` in place of the list of entries,
    and that list's HTML: the list (every entry of a catalogue up to ``inline_limit``) changes with
    any entry, and the MkDocs hooks put it into the converted page, so that Markdown conversion,
    and its cache, see the small page around it (see site.Site.slots)."""
    resources = sorted(cat.resources, key=sort_key)
    topics, maths = graph.topics, graph.maths
    years = sorted({r.year for r in resources if r.year})
    root = rel_url(BIBLIOGRAPHY, "index.md")
    kinds = [(k, KIND_LABEL[k]) for k in KINDS if any(r.kind == k for r in resources)]
    controls = ui(
        "bibliography_controls.html", topics=[(t.id, t.name) for t in topics], maths=[(m.id, m.name) for m in maths],
        kinds=kinds, levels=[(lv, lv.capitalize()) for lv in LEVELS], count=len(resources),
        year_min=years[0] if years else 1900, year_max=years[-1] if years else 2100,
        first_year=years[0] if years else "", last_year=years[-1] if years else "")
    # Grouped by family in the order of the home page's matrix (index_pages.maths_families).
    known = ui("bibliography_known.html", families=[
        {"name": name, "areas": [{"id": m.id, "name": m.name, "requires": " ".join(graph.order(graph.ancestors(m.id)))}
                                 for m in areas]} for name, areas in families])
    convert = Converter(caches)
    entries = ([entry_html(ui, cat, graph, r, cited[r.id], convert, refs, caches) for r in resources]
               if len(resources) <= inline_limit else None)
    listing = ui("bibliography_list.html", entries=entries and [Markup(e) for e in entries], root=root,
                 source=root + DATA_FILE, search=root + SEARCH_FILE, count=len(resources))
    return "\n".join([
        # Every entry has its own (searchable) resource page; indexing this page as well would
        # double the search index and make every search hit the bibliography first.
        front_matter("Bibliography", "Every resource of the reading map, searchable and filterable.",
                     searchable=False),
        "# Bibliography\n",
        f"All {len(resources)} resources, sorted by first author and year. Filter as you type,"
        " narrow by topic, maths, kind, level or years, and share the filtered view by copying"
        " the address.\n",
        # What the reader knows comes first: it decides what the list marks as ready.
        known + "\n",
        ui("bibliography_downloads.html", root=root) + "\n",
        controls + "\n",
        ui("bibliography_progress.html") + "\n",
        LISTING_SLOT + "\n",
    ]), str(listing)
