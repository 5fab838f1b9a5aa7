"""The bibliography page: every resource as a formatted reference with filters and readiness.

Each entry is static HTML (so the page is complete without JavaScript) carrying the data
attributes that ``readingmap.js`` filters on.
"""

from __future__ import annotations

import json

from markupsafe import Markup

from ..catalogue.latex import latex_to_text
from ..catalogue.model import KINDS, LEVELS, Catalogue, Resource
from ..graph import Graph
from . import references
from .fragments import Fragments
from .markup import plain
from .pages import BIBLIOGRAPHY, KIND_LABEL, access_links, front_matter, node_src, rel_url, src_of


def sort_key(r: Resource) -> tuple[str, str, str]:
    first = r.ref.people("author") or r.ref.people("editor")
    surname = latex_to_text(first[0].split(",")[0]).lower() if first else ""
    return (surname, r.year, r.title.lower())


def entry_fields(cat: Catalogue, graph: Graph, r: Resource) -> dict[str, str]:
    """The values the filters match on; the same for the HTML attributes and the JSON data."""
    topics = graph.order(r.topics)
    haystack = " ".join([r.title, *r.aliases, *r.authors, r.year, r.venue, r.kind, r.level,
                         *(cat.nodes[t].name for t in topics), plain(r.why)]).lower()
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


def entry_html(ui: Fragments, cat: Catalogue, graph: Graph, r: Resource, fields: dict[str, str] | None = None, *,
               data_attributes: bool = True) -> str:
    """One entry as HTML; its filter fields as ``data-`` attributes, which the script reads from
    the page, unless they travel beside the HTML (``bibliography.json``)."""
    page = BIBLIOGRAPHY
    f = fields or entry_fields(cat, graph, r)
    links = [*access_links(r, doi_label="DOI"), {"href": rel_url(page, src_of("resources", r.id)), "label": "Details"}]
    topics = [{"href": rel_url(page, node_src(cat.nodes[t])), "label": cat.nodes[t].name} for t in f["topics"].split()]
    data = [(name, f[name]) for name in ENTRY_ATTRIBUTES] if data_attributes else []
    return str(ui(
        "bibliography_entry.html", id=r.id, data=data,
        formatted=Markup(references.formatted_html(r.ref)), kind=KIND_LABEL[r.kind], level=r.level,
        needs=f["needs"], topics=topics, links=links, bibtex=references.bibtex_text(r.ref)))


ENTRY_ATTRIBUTES = ("key", "topics", "prereqs", "needs", "kind", "level", "year", "text")


#: Up to this many resources the page lists every entry as HTML (complete without JavaScript).
#: Beyond it the entries come from ``bibliography.json`` and the script renders the matching ones
#: on demand. Measured in headless Chromium, the theme's script needs about 1.8 s to instrument
#: 300 inline entries and 9 s for 1,000, while the on-demand page is interactive in 1.5 s at
#: 10,000 entries (see bench/README.md).
INLINE_LIMIT = 300
DATA_FILE = "bibliography.json"


def entries_data(ui: Fragments, cat: Catalogue, graph: Graph) -> list[dict[str, str]]:
    """Each entry's filter fields and its HTML, in page order (for the large-catalogue mode); the
    fields are not repeated inside the HTML (that doubled the file)."""
    out = []
    for r in sorted(cat.resources, key=sort_key):
        fields = entry_fields(cat, graph, r)
        out.append({**fields, "html": entry_html(ui, cat, graph, r, fields, data_attributes=False)})
    return out


def bibliography_json(ui: Fragments, cat: Catalogue, graph: Graph) -> str:
    return json.dumps(entries_data(ui, cat, graph), ensure_ascii=False, separators=(",", ":"))


def bibliography_page(ui: Fragments, cat: Catalogue, graph: Graph, *, inline_limit: int = INLINE_LIMIT) -> str:
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
    known = ui("bibliography_known.html", maths=[
        {"id": m.id, "name": m.name, "requires": " ".join(graph.order(graph.ancestors(m.id)))} for m in maths])
    entries = ([entry_html(ui, cat, graph, r) for r in resources] if len(resources) <= inline_limit else None)
    listing = ui("bibliography_list.html", entries=entries and [Markup(e) for e in entries], root=root,
                 source=root + DATA_FILE, count=len(resources))
    return "\n".join([
        # Every entry has its own (searchable) resource page; indexing this page as well would
        # double the search index and make every search hit the bibliography first.
        front_matter("Bibliography", "Every resource of the reading map, searchable and filterable.",
                     searchable=False),
        "# Bibliography\n",
        f"All {len(resources)} resources, sorted by first author and year. Filter as you type,"
        " narrow by topic, maths, kind, level or years, and share the filtered view by copying"
        " the address.\n",
        ui("bibliography_downloads.html", root=root) + "\n",
        controls + "\n",
        known + "\n",
        listing + "\n",
    ])
