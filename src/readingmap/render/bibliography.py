"""The bibliography page: every resource as a formatted reference with filters and readiness.

Each entry is static HTML (so the page is complete without JavaScript) carrying the data
attributes that ``readingmap.js`` filters on.
"""

from __future__ import annotations

import json

from ..catalogue.latex import latex_to_text
from ..catalogue.model import KINDS, LEVELS, Catalogue, Resource
from ..graph import Graph
from . import references
from .markup import attr, plain, text
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


def entry_html(cat: Catalogue, graph: Graph, r: Resource, fields: dict[str, str] | None = None, *,
               data_attributes: bool = True) -> str:
    """One entry as HTML; its filter fields as ``data-`` attributes, which the script reads from
    the page, unless they travel beside the HTML (``bibliography.json``)."""
    page = BIBLIOGRAPHY
    f = fields or entry_fields(cat, graph, r)
    links = access_links(r, doi_label="DOI")
    links.append(f'<a href="{attr(rel_url(page, src_of("resources", r.id)))}">Details</a>')
    topic_links = ", ".join(
        f'<a href="{attr(rel_url(page, node_src(cat.nodes[t])))}">{text(cat.nodes[t].name)}</a>'
        for t in f["topics"].split()
    )
    data = "".join(f' data-{name}="{attr(f[name])}"' for name in ENTRY_ATTRIBUTES) if data_attributes else ""
    return (
        f'<article class="rm-entry" id="{attr(r.id)}"{data}>'
        f'<div class="rm-ref">{references.formatted_html(r.ref)}</div>'
        f'<p class="rm-meta"><span class="rm-kind">{text(KIND_LABEL[r.kind])}</span>'
        f' <span class="rm-level rm-level-{attr(r.level)}">{text(r.level)}</span>'
        f' <span class="rm-status" data-needs="{attr(f["needs"])}"></span>'
        f' <span class="rm-topics">{topic_links}</span></p>'
        f'<p class="rm-links">{" · ".join(links)}</p>'
        f'<details class="rm-bibtex"><summary>BibTeX</summary>'
        # <pre> without <code>: the theme instruments every code block (copy button, line
        # handling), which made a page of a thousand entries take seconds to become usable.
        f'<pre class="rm-bibtex-text">{text(references.bibtex_text(r.ref))}</pre>'
        f'<button type="button" class="rm-copy md-button">Copy BibTeX</button></details>'
        "</article>"
    )


ENTRY_ATTRIBUTES = ("key", "topics", "prereqs", "needs", "kind", "level", "year", "text")


def _options(values: list[tuple[str, str]], everything: str) -> str:
    return f'<option value="">{text(everything)}</option>' + "".join(
        f'<option value="{attr(v)}">{text(label)}</option>' for v, label in values
    )


def _select(label: str, ident: str, values: list[tuple[str, str]], everything: str) -> str:
    return f'<label>{text(label)} <select id="{ident}">{_options(values, everything)}</select></label>'


#: Up to this many resources the page lists every entry as HTML (complete without JavaScript).
#: Beyond it the entries come from ``bibliography.json`` and the script renders the matching ones
#: on demand. Measured in headless Chromium, the theme's script needs about 1.8 s to instrument
#: 300 inline entries and 9 s for 1,000, while the on-demand page is interactive in 1.5 s at
#: 10,000 entries (see bench/README.md).
INLINE_LIMIT = 300
DATA_FILE = "bibliography.json"


def entries_data(cat: Catalogue, graph: Graph) -> list[dict[str, str]]:
    """Each entry's filter fields and its HTML, in page order (for the large-catalogue mode); the
    fields are not repeated inside the HTML (that doubled the file)."""
    out = []
    for r in sorted(cat.resources, key=sort_key):
        fields = entry_fields(cat, graph, r)
        out.append({**fields, "html": entry_html(cat, graph, r, fields, data_attributes=False)})
    return out


def bibliography_json(cat: Catalogue, graph: Graph) -> str:
    return json.dumps(entries_data(cat, graph), ensure_ascii=False, separators=(",", ":"))


def bibliography_page(cat: Catalogue, graph: Graph, *, inline_limit: int = INLINE_LIMIT) -> str:
    resources = sorted(cat.resources, key=sort_key)
    topics, maths = graph.topics, graph.maths
    years = sorted({r.year for r in resources if r.year})
    root = rel_url(BIBLIOGRAPHY, "index.md")
    kinds = [(k, KIND_LABEL[k]) for k in KINDS if any(r.kind == k for r in resources)]
    controls = (
        '<form class="rm-filters" id="bib-form" role="search" aria-label="Filter the bibliography">'
        '<div class="rm-filter-text"><label for="bib-filter">Search the bibliography</label>'
        '<input id="bib-filter" type="search" autocomplete="off"'
        ' placeholder="Title, author, year, venue, topic or note"></div>'
        '<div class="rm-facets">'
        + _select("Topic", "bib-topic", [(t.id, t.name) for t in topics], "All topics")
        + _select("Needs maths", "bib-maths", [(m.id, m.name) for m in maths], "Any maths")
        + _select("Kind", "bib-kind", kinds, "All kinds")
        + _select("Level", "bib-level", [(lv, lv.capitalize()) for lv in LEVELS], "All levels")
        + f'<label>From <input id="bib-from" type="number" inputmode="numeric" min="{years[0] if years else 1900}"'
        f' max="{years[-1] if years else 2100}" placeholder="{years[0] if years else ""}"></label>'
        f'<label>To <input id="bib-to" type="number" inputmode="numeric" min="{years[0] if years else 1900}"'
        f' max="{years[-1] if years else 2100}" placeholder="{years[-1] if years else ""}"></label>'
        '<button type="reset" id="bib-reset" class="md-button">Clear</button>'
        "</div>"
        f'<p class="rm-count"><output id="bib-count" for="bib-filter" aria-live="polite">'
        f"{len(resources)} of {len(resources)} resources</output></p>"
        "</form>"
    )
    known = (
        '<fieldset id="known-maths" class="rm-known"><legend>What can I read now? Tick the'
        " mathematics you already know</legend>"
        '<p class="rm-known-help">Knowing an area counts its prerequisites as known too. Each'
        " resource then shows whether you are ready for it or what is missing; your choice is"
        " remembered in this browser.</p><div class=\"rm-known-boxes\">"
        + "".join(
            f'<label><input type="checkbox" name="known" value="{attr(m.id)}"'
            f' data-requires="{attr(" ".join(graph.order(graph.ancestors(m.id))))}"'
            f' data-name="{attr(m.name)}"> {text(m.name)}</label>'
            for m in maths
        )
        + '</div><label class="rm-ready-only"><input type="checkbox" id="bib-ready-only">'
        " Show only what I can read now</label></fieldset>"
    )
    downloads = (
        f'<p id="downloads" class="rm-downloads">Download everything: <a href="{attr(root)}refs.bib"'
        f' download>refs.bib</a> (BibTeX, for Zotero or LaTeX) · <a href="{attr(root)}catalogue.json"'
        " download>catalogue.json</a> (the whole map, machine-readable)</p>"
    )
    if len(resources) <= inline_limit:
        listing = f'<div id="bib-list" class="rm-list">{"".join(entry_html(cat, graph, r) for r in resources)}</div>'
    else:
        listing = (
            f'<div id="bib-list" class="rm-list" data-source="{attr(root + DATA_FILE)}"'
            f' data-total="{len(resources)}"><noscript><p>This bibliography has {len(resources)} entries,'
            " too many to list without JavaScript: download"
            f' <a href="{attr(root)}refs.bib">refs.bib</a> or <a href="{attr(root)}catalogue.json">'
            "catalogue.json</a>, or browse the research topics.</p></noscript></div>"
        )
    return "\n".join([
        # Every entry has its own (searchable) resource page; indexing this page as well would
        # double the search index and make every search hit the bibliography first.
        front_matter("Bibliography", "Every resource of the reading map, searchable and filterable.",
                     searchable=False),
        "# Bibliography\n",
        f"All {len(resources)} resources, sorted by first author and year. Filter as you type,"
        " narrow by topic, maths, kind, level or years, and share the filtered view by copying"
        " the address.\n",
        downloads + "\n",
        controls + "\n",
        known + "\n",
        listing + "\n",
    ])
