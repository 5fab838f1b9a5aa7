"""The bibliography page: every resource as a formatted reference with filters and readiness.

Each entry is static HTML (so the page is complete without JavaScript) carrying the data
attributes that ``readingmap.js`` filters on.
"""

from __future__ import annotations

from . import references
from .graph import Graph
from .markup import attr, plain, text
from .model import KINDS, LEVELS, Catalogue, Resource
from .pages import BIBLIOGRAPHY, KIND_LABEL, front_matter, node_src, rel_url, src_of


def sort_key(r: Resource) -> tuple[str, str, str]:
    first = r.ref.people("author") or r.ref.people("editor")
    surname = references.latex_to_text(first[0].split(",")[0]).lower() if first else ""
    return (surname, r.year, r.title.lower())


def entry_html(cat: Catalogue, graph: Graph, r: Resource) -> str:
    page = BIBLIOGRAPHY
    topics = graph.order(r.topics)
    needs = graph.order(graph.maths_needed(r.prerequisites))
    haystack = " ".join([r.title, *r.authors, r.year, r.venue, r.kind, r.level,
                         *(cat.nodes[t].name for t in topics), plain(r.why)]).lower()
    links = []
    if r.url:
        links.append(f'<a href="{attr(r.url)}" rel="noopener">{"Free version" if (r.arxiv or r.doi) else "Link"}</a>')
    if r.arxiv_url and r.arxiv:
        links.append(f'<a href="{attr(r.arxiv_url)}" rel="noopener">arXiv:{text(r.arxiv)}</a>')
    if r.doi_url and r.doi:
        links.append(f'<a href="{attr(r.doi_url)}" rel="noopener">DOI</a>')
    links.append(f'<a href="{attr(rel_url(page, src_of("resources", r.id)))}">Details</a>')
    topic_links = ", ".join(
        f'<a href="{attr(rel_url(page, node_src(cat.nodes[t])))}">{text(cat.nodes[t].name)}</a>'
        for t in topics
    )
    bib = references.bibtex_text(r.ref)
    return (
        f'<article class="rm-entry" id="{attr(r.id)}" data-key="{attr(r.id)}"'
        f' data-topics="{attr(" ".join(topics))}" data-prereqs="{attr(" ".join(graph.order(r.prerequisites)))}"'
        f' data-needs="{attr(" ".join(needs))}" data-kind="{attr(r.kind)}" data-level="{attr(r.level)}"'
        f' data-year="{attr(r.year)}" data-text="{attr(haystack)}">'
        f'<div class="rm-ref">{references.formatted_html(r.ref)}</div>'
        f'<p class="rm-meta"><span class="rm-kind">{text(KIND_LABEL[r.kind])}</span>'
        f' <span class="rm-level rm-level-{attr(r.level)}">{text(r.level)}</span>'
        f' <span class="rm-status" data-needs="{attr(" ".join(needs))}"></span>'
        f' <span class="rm-topics">{topic_links}</span></p>'
        f'<p class="rm-links">{" · ".join(links)}</p>'
        f'<details class="rm-bibtex"><summary>BibTeX</summary>'
        f'<pre><code>{text(bib)}</code></pre>'
        f'<button type="button" class="rm-copy md-button">Copy BibTeX</button></details>'
        "</article>"
    )


def _options(values: list[tuple[str, str]], everything: str) -> str:
    return f'<option value="">{text(everything)}</option>' + "".join(
        f'<option value="{attr(v)}">{text(label)}</option>' for v, label in values
    )


def _select(label: str, ident: str, values: list[tuple[str, str]], everything: str) -> str:
    return f'<label>{text(label)} <select id="{ident}">{_options(values, everything)}</select></label>'


def bibliography_page(cat: Catalogue, graph: Graph) -> str:
    resources = sorted(cat.resources, key=sort_key)
    topics = [cat.nodes[i] for i in graph.order(n.id for n in cat.topics)]
    maths = [cat.nodes[i] for i in graph.order(n.id for n in cat.maths)]
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
    entries = "".join(entry_html(cat, graph, r) for r in resources)
    return "\n".join([
        front_matter("Bibliography", "Every resource of the reading map, searchable and filterable."),
        "# Bibliography\n",
        f"All {len(resources)} resources, sorted by first author and year. Filter as you type,"
        " narrow by topic, maths, kind, level or years, and share the filtered view by copying"
        " the address.\n",
        downloads + "\n",
        controls + "\n",
        known + "\n",
        f'<div id="bib-list" class="rm-list">{entries}</div>\n',
    ])
