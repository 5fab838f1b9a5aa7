"""Resource pages, in three steps: what a page shows (:class:`ResourceInputs`, taken from the
catalogue and the graph), the plain data its fragments are filled with (:func:`resource_data`),
and its HTML (:func:`render_resource`), as a :class:`~.prebuilt.PrebuiltPage`.

:class:`ResourcePages` runs the steps for a whole catalogue. A page is a pure function of its
inputs and the templates, so its key in the page cache is a hash of them (:func:`page_key`): a
page whose inputs and templates are those of a page rendered before is taken from the cache
without making its data, and the others are made, data and HTML, in the build's worker
processes when there are many (:func:`render_resource_chunk`).
"""

from __future__ import annotations

import sys
from base64 import b64encode
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from markupsafe import Markup

from ..catalogue.model import STATUSES, Catalogue, Node, Resource, Result, Source
from ..keys import Store, digest, source_digest, version
from .addresses import node_src, rel_url, src_of
from .citations import Citation, csl_json, highwire, ris
from .cite import cite_data, permalink
from .fragments import Fragments
from .listings import KIND_LABEL, Listings, PageMaker, access_links, first_sentence
from .markup import text
from .prebuilt import IMPROVE_SECTION, PrebuiltPage, render_body
from .references import Formatted, memoised_key
from .workers import Batch, Pool

__all__ = ["LINE", "PAGES_POOL_MIN", "SEARCH_SENTENCE", "ResourceInputs", "ResourcePages", "page_key",
           "valid_rendered_page"]

#: What a rendered resource page depends on besides its inputs and the templates: the code that
#: makes its data and renders it, and the libraries it uses (markupsafe escapes, Jinja renders,
#: rispy writes the RIS download).
_PAGES_CODE = digest(
    [version(d) for d in ("readingmap", "jinja2", "markupsafe", "rispy")],
    source_digest(sys.modules[__name__]),
)
#: Stands for a resource's line in resources.yaml (in its "edit" link) while its page is rendered
#: and cached: the page of an entry that only moved, because entries above it grew or shrank, is
#: the page rendered before, with its new line put in (:meth:`ResourcePages._prebuilt`). Letters and
#: digits, so that escaping leaves it intact, as the shell's markers.
LINE = "rmline0mark"
#: Characters of a note's first sentence a resource's search entry keeps (cut at a word).
SEARCH_SENTENCE = 300
#: A rendered resource page: its lead, its sections (anchor, heading, HTML) and its body.
_Rendered = tuple[str, list[tuple[str, str, str]], str]
#: A page to make: its inputs, its formatted reference and its BibTeX text.
_Task = tuple["ResourceInputs", str, str]
#: Resource pages to render from which a build's worker processes help (bench/README.md).
PAGES_POOL_MIN = 300

#: The sections of every resource page, in order, with their anchors: the same on every page, so
#: the page's table of contents is too (an empty section says so instead of disappearing).
_RESOURCE_SECTIONS = (
    ("why-read-it", "Why read it"),
    ("recommended-in", "Recommended in"),
    ("topics-and-prerequisites", "Topics and prerequisites"),
    ("read-before-and-next", "Read before and next"),
    ("results-in-this-work", "Results in this work"),
    ("reference", "Reference"),
    ("cite-this-entry", "Cite this entry"),
)


@dataclass(frozen=True)
class ResourceInputs:
    """What a resource page shows: the resource, its links to edit it and report a problem, and
    what it shows of the rest of the catalogue (sources, nodes, neighbours, results, reference).

    Of other entries it holds only what the page shows of them, so that an edit elsewhere that
    the page does not show (a topic's description, the line a result starts on) leaves its
    inputs, and so its key in the page cache, as they were."""

    resource: Resource
    #: its note and the note of each entry of ``recommended_in`` (or None), as HTML
    why: str
    notes: tuple[str | None, ...]
    edit_url: str | None
    issue_url: str | None
    #: (address or None, name) of the source of each entry of ``recommended_in``
    sources: tuple[tuple[str | None, str], ...]
    #: (page source, name) of each topic and prerequisite
    topics: tuple[tuple[str, str], ...]
    prerequisites: tuple[tuple[str, str], ...]
    needs_last: tuple[str, ...]
    #: (id, title) of the resources to read before and next
    read_before: tuple[tuple[str, str], ...]
    read_next: tuple[tuple[str, str], ...]
    #: (id, name, status, where in this work it is proved or None) of the results it holds
    results: tuple[tuple[str, str, str, str | None], ...]
    #: the key of its formatted reference and BibTeX text (:func:`~.references.reference_key`),
    #: which are a pure function of it: a page's key is known before its reference is formatted
    reference: str
    #: the reference as reference managers read it
    citation: Citation
    #: where the site is served (the entry's permalink)
    site_url: str | None = None


class ResourcePages(PageMaker):
    """The resource pages of one catalogue (:meth:`start`)."""

    def __init__(self, cat: Catalogue, listings: Listings, page_cache: Store | None = None, *,
                 site_url: str | None = None) -> None:
        super().__init__(cat, listings)
        #: Rendered resource pages of earlier builds, by a hash of their inputs (:func:`page_key`).
        self.page_cache = page_cache
        #: Where the site is served: entries' permalinks ("Cite this entry") are absolute under it.
        self.site_url = site_url

    def start(self, rs: Sequence[Resource], links: Callable[[Resource], tuple[str | None, str | None]]) -> _Pending:
        """The resource pages, each with its edit and report links (``links``, in which :data:`LINE`
        stands for the resource's line), in three steps, so that the build's process does other
        work while the workers do theirs: here, each page's inputs and key and the pages found in
        the page cache (a page whose inputs and templates are those of a page rendered before:
        making it is most of a page's cost), before the references are formatted; then
        :meth:`_Pending.make` with the formatted references (the other pages go to the pool's
        workers, from :data:`PAGES_POOL_MIN` of them on); then :meth:`_Pending.finish` (this
        process makes what they have not taken, and every page is given). Their HTML comes from
        the fragment templates, filled with the data of :func:`resource_data`."""
        # The key of an unchanged page is memoised on its inputs, so in `mkdocs serve` it is not
        # hashed again. Only the key is kept between builds: every page's data, kept, was a
        # million objects at 10,000 resources, which the cycle collector went through again and
        # again in every rebuild.
        inputs = [self._inputs(r, *links(r)) for r in rs]
        fingerprint = self.ui.fingerprint
        keys = [self.caches.memo("resource-page-key", (page, fingerprint), partial(page_key, page, fingerprint))
                for page in inputs]
        rendered: list[Any] = [None] * len(rs)
        if self.page_cache is not None:
            rendered = [self.page_cache.get(key) for key in keys]
        return _Pending(self, rs, inputs, keys, rendered)

    def _prebuilt(self, r: Resource, rendered: _Rendered) -> PrebuiltPage:
        line = str(r.line)
        lead, body = rendered[0].replace(LINE, line), rendered[2].replace(LINE, line)
        sections = [(anchor, heading, html.replace(LINE, line)) for anchor, heading, html in rendered[1]]
        # Search knows a resource by its names, people, year, venue and the first sentence of its
        # note, cut at a word past SEARCH_SENTENCE characters: the whole note is on the page and in
        # the bibliography's filter, and every page's visitor downloads the index (at 10,000
        # resources whole notes made it 10 MB, and uncut first sentences 5.1 MB).
        # (The title and aliases are the entry's title, which search weighs most; not repeated here.)
        search = " ".join([*r.authors, r.year, r.venue, _cut(first_sentence(self.text.plain(r.why)), SEARCH_SENTENCE)])
        return PrebuiltPage(r.title, self.text.plain(r.why)[:300], lead, tuple((a, h, html) for a, h, html in sections),
                            text(" ".join(search.split())), self.ui, body, highwire(self.cited[r.id]))

    def _inputs(self, r: Resource, edit_url: str | None, issue_url: str | None) -> ResourceInputs:
        """Everything the page of ``r`` shows, taken from the catalogue and the graph."""
        graph = self.graph
        convert = self.text
        return ResourceInputs(
            resource=r, why=convert.rich(r.why),
            notes=tuple(convert.rich(p.note, inline=True) if p.note else None for p in r.recommended_in),
            edit_url=edit_url, issue_url=issue_url,
            sources=tuple(_source_link(self.cat.source_by_id.get(p.source)) for p in r.recommended_in),
            topics=_node_links(graph.nodes(r.topics)), prerequisites=_node_links(graph.nodes(r.prerequisites)),
            needs_last=graph.needs_last(r),
            read_before=tuple((x.id, x.title) for x in graph.read_before(r)),
            read_next=tuple((x.id, x.title) for x in graph.read_next(r)),
            results=tuple(_result_link(x, r.id) for x in self.cat.results_by_resource.get(r.id, ())),
            reference=memoised_key(r.ref, self.caches),
            citation=self.cited[r.id], site_url=self.site_url)


class _Pending:
    """Resource pages under way (:meth:`ResourcePages.start`)."""

    def __init__(self, maker: ResourcePages, rs: Sequence[Resource], inputs: list[ResourceInputs], keys: list[str],
                 rendered: list[Any]) -> None:
        self.maker, self.rs, self.inputs, self.keys, self.rendered = maker, rs, inputs, keys, rendered
        self.todo = [i for i, done in enumerate(rendered) if done is None]
        self.batch: Batch[_Task, _Rendered] | None = None

    def make(self, refs: Formatted, pool: Pool | None = None) -> None:
        """Start making the pages the cache does not have, each with its reference as ``refs``
        formatted it (in ``pool``'s workers when there are many)."""
        items = [(self.inputs[i], refs.html(self.rs[i].ref), refs.bibtex(self.rs[i].ref)) for i in self.todo]
        self.batch = (pool or Pool(1)).run(render_resource_chunk, self.maker.ui, items, minimum=PAGES_POOL_MIN)

    def finish(self) -> list[PrebuiltPage]:
        """Every page, once :meth:`make` was called."""
        assert self.batch is not None, "make() comes first"
        maker = self.maker
        for i, (lead, sections, body) in zip(self.todo, self.batch.finish(), strict=True):
            # As JSON has it (lists): a cache held in memory (`mkdocs serve`) gives back what it was given.
            self.rendered[i] = page = [lead, [list(section) for section in sections], body]
            if maker.page_cache is not None:
                maker.page_cache.put(self.keys[i], page)
        return [maker._prebuilt(r, done) for r, done in zip(self.rs, self.rendered, strict=True)]


def _source_link(source: Source | None) -> tuple[str | None, str]:
    return (source.url, source.name) if source else (None, "Added by the editors")


def _node_links(nodes: Iterable[Node]) -> tuple[tuple[str, str], ...]:
    return tuple((node_src(n), n.name) for n in nodes)


def _result_link(x: Result, resource_id: str) -> tuple[str, str, str, str | None]:
    """What a resource page shows of a result it holds: its id, name and status, and where in
    the work (``resource_id``) it is proved, when a reading there says."""
    return x.id, x.name, x.status, next((g.where for g in x.read if g.resource == resource_id and g.where), None)


def _reference_downloads(r: Resource, cited: Citation, bibtex: str) -> list[dict[str, str]]:
    """One resource's reference (its ``cited`` form and its ``bibtex`` text) as files to save, in
    the three formats reference managers import.

    Each is a ``data:`` link with a file name: the page carries its own entry (a few hundred bytes
    a format), so saving it needs neither a script nor a second request. The CSL-JSON is on one
    line (reference managers read it alike; written at a fraction of the indented form's cost)."""
    cited_list = [cited]
    files = (("BibTeX", "bib", "application/x-bibtex", bibtex),
             ("RIS", "ris", "application/x-research-info-systems", ris(cited_list)),
             ("CSL-JSON", "json", "application/vnd.citationstyles.csl+json",
              csl_json(cited_list, compact=True)))
    # base64: as compact as percent-encoding for these texts, and a tenth of its cost at 10,000 pages
    return [{"label": label, "file": f"{r.id}.{ext}",
             "href": f"data:{mime};charset=utf-8;base64,{b64encode(content.encode('utf-8')).decode('ascii')}"}
            for label, ext, mime, content in files]


def page_key(inputs: ResourceInputs, templates: str) -> str:
    """The key in the page cache of the page of ``inputs`` rendered with the ``templates`` (their
    fingerprint): a hash of every value of the inputs (:func:`~readingmap.keys.digest`), so an
    input added to :class:`ResourceInputs` is part of it without anyone listing it."""
    return digest("resource-page", inputs, templates, _PAGES_CODE)


def resource_data(inputs: ResourceInputs, reference: str, bibtex: str) -> dict[str, Any]:
    """Everything the fragments of a resource page are filled with, as plain data (HTML values as
    strings: they are HTML already), with its formatted ``reference`` and its ``bibtex`` text."""
    r, page = inputs.resource, src_of("resources", inputs.resource.id)
    links: list[dict[str, str]] = access_links(r, doi_label=f"DOI {r.doi}")
    if r.isbn:
        links.append({"label": f"ISBN {r.isbn}"})
    provenance = [{"url": url, "name": name, "by": p.by, "note": note}
                  for p, (url, name), note in zip(r.recommended_in, inputs.sources, inputs.notes, strict=True)]

    def links_to(targets: Iterable[tuple[str, str]]) -> list[dict[str, str]]:
        return [{"href": rel_url(page, target), "label": label} for target, label in targets]

    def resources_links(rs: Iterable[tuple[str, str]]) -> list[dict[str, str]]:
        return links_to((src_of("resources", rid), title) for rid, title in rs)

    improve = [{"url": url, "label": label} for url, label in (
        (inputs.edit_url, "Edit its entry in data/resources.yaml"),
        (inputs.issue_url, "Report a broken link or a wrong fact")) if url]
    results = [{"href": rel_url(page, src_of("results", result_id)), "name": name, "status_label": STATUSES[status],
                "note": f"read it at {where}" if where else None}
               for result_id, name, status, where in inputs.results]
    return {
        "lead": {"byline": [b for b in (", ".join(r.authors), r.year, r.venue) if b], "kind": KIND_LABEL[r.kind],
                 "level": r.level, "needs": " ".join(inputs.needs_last), "id": r.id, "title": r.title,
                 "checked": r.checked, "root": rel_url(page, "index.md")},
        "why": {"why": inputs.why, "aliases": list(r.aliases), "links": links},
        "provenance": provenance,
        "topics": links_to(inputs.topics),
        "prerequisites": links_to(inputs.prerequisites),
        "read_before": resources_links(inputs.read_before),
        "read_next": resources_links(inputs.read_next),
        "results": results,
        "reference": {"formatted": reference, "bibtex": bibtex,
                      "downloads": _reference_downloads(r, inputs.citation, bibtex)},
        "improve": improve,
        "cite": cite_data("resource", r.id, r.title, r.checked, permalink(inputs.site_url, page)),
    }


def render_resource(ui: Fragments, data: dict[str, Any]) -> _Rendered:
    """The lead, the sections and the body (:meth:`PrebuiltPage.body`) of a resource page from
    :func:`resource_data`."""

    def labelled(label: str, value: Markup) -> Markup:
        return ui("labelled.html", label=label, value=value)

    provenance = [ui("provenance.html", url=p["url"], name=p["name"], by=p["by"],
                     note=Markup(p["note"]) if p["note"] is not None else None) for p in data["provenance"]]
    why = data["why"]
    html = {
        "why-read-it": ui("resource_why.html", why=Markup(why["why"]), aliases=why["aliases"], links=why["links"]),
        "recommended-in": ui("list.html", items=provenance),
        "topics-and-prerequisites": ui("list.html", items=[
            labelled("Topics", ui("node_links.html", nodes=data["topics"])),
            labelled("Prerequisites", ui("node_links.html", nodes=data["prerequisites"])),
        ]),
        "read-before-and-next": ui("list.html", items=[
            labelled("Read before", ui("node_links.html", nodes=data["read_before"])),
            labelled("Read next", ui("node_links.html", nodes=data["read_next"])),
        ]),
        "results-in-this-work": ui("result_list.html", items=data["results"],
                                   empty="No result on the map cites this work yet."),
        "reference": ui("reference.html", formatted=Markup(data["reference"]["formatted"]),
                        bibtex=data["reference"]["bibtex"], downloads=data["reference"]["downloads"]),
        "cite-this-entry": ui("cite.html", cite=data["cite"]),
    }
    sections = [(anchor, heading, str(html[anchor])) for anchor, heading in _RESOURCE_SECTIONS]
    if data["improve"]:
        sections.append((*IMPROVE_SECTION, str(ui("external_list.html", links=data["improve"]))))
    lead = str(ui("resource_lead.html", **data["lead"]))
    return lead, sections, render_body(ui, lead, sections)


def render_resource_chunk(ui: Fragments, chunk: list[_Task]) -> list[_Rendered]:
    """Make resource pages, data and HTML, from their inputs and formatted references with the
    build's fragments ``ui`` (a task of the build's worker processes, which each receive a copy of
    ``ui``: see ``Fragments.__reduce__``)."""
    return [render_resource(ui, resource_data(inputs, reference, bibtex)) for inputs, reference, bibtex in chunk]


def valid_rendered_page(value: Any) -> bool:
    """A cached rendered resource page has the shape :func:`render_resource` gives."""
    return (isinstance(value, list) and len(value) == 3 and isinstance(value[0], str) and isinstance(value[1], list)
            and all(isinstance(s, list) and len(s) == 3 and all(isinstance(x, str) for x in s) for s in value[1])
            and isinstance(value[2], str))


def _cut(sentence: str, limit: int) -> str:
    """``sentence``, or its words up to ``limit`` characters and an ellipsis."""
    if len(sentence) <= limit:
        return sentence
    end = sentence.rfind(" ", 0, limit + 1)
    return sentence[: end if end > 0 else limit].rstrip(",;:") + "…"
