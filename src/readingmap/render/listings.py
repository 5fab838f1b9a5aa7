"""Lists shared by every kind of page: resources (grouped by level), results, maths areas and
topics, as raw HTML from fragment templates; and the slots that keep large lists out of the
pages' Markdown (:meth:`Listings.slot`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from markupsafe import Markup

from ..catalogue.model import LEVELS, STATUSES, Catalogue, Node, Resource, Result
from ..graph import Graph
from ..keys import NO_CACHES, Caches
from .addresses import BIBLIOGRAPHY, node_src, rel_url, result_src, src_of
from .citations import Citation
from .fragments import Fragments, render
from .markup import Converter

__all__ = ["KIND_LABEL", "Listings", "PageMaker", "access_links", "authors_line", "first_sentence", "node_refs"]

#: Resources listed per level (and per kind of non-reading) on a topic or maths page before the
#: list links to the bibliography. Twenty keeps the page of a topic or maths area with thousands of
#: resources under 150 KB now that every listed work carries its COinS span.
_LIST_LIMIT = 20
KIND_LABEL = {
    "book": "Book", "course": "Course", "paper": "Paper", "survey": "Survey",
    "lecture-notes": "Lecture notes", "blog": "Blog post", "video": "Video",
    "website": "Website", "venue": "Venue",
}  # fmt: skip

#: The heading of a group of resources of a kind that is not a reading (listed apart).
_KIND_PLURAL = {"venue": "Venues"}


def access_links(r: Resource, *, doi_label: str) -> list[dict[str, str]]:
    """Links to read a resource: its free version (or its only link), arXiv and DOI."""
    links = []
    if r.url:
        links.append({"url": r.url, "label": "Free version" if (r.arxiv or r.doi) else "Link"})
    if r.arxiv_url and r.arxiv:
        links.append({"url": r.arxiv_url, "label": f"arXiv:{r.arxiv}"})
    if r.doi_url and r.doi:
        links.append({"url": r.doi_url, "label": doi_label})
    return links


def authors_line(r: Resource, limit: int = 6) -> str:
    names = list(r.authors)
    if len(names) > limit:
        names = [*names[: limit - 1], "et al."]
    return ", ".join(names)


def node_refs(page: str, nodes: Iterable[Node]) -> list[dict[str, str]]:
    """Links from ``page`` to the pages of topics or maths areas (the ``node_links`` fragment's items)."""
    return [{"href": rel_url(page, node_src(n)), "label": n.name} for n in nodes]


def first_sentence(value: str) -> str:
    end = value.find(". ")
    return value if end < 0 else value[: end + 1]


class Listings:
    """The lists of one build's pages, and the slots that hold them.

    With ``slots``, lists of resources are left out of the pages' Markdown, each for a marker
    line, and kept in :attr:`slots` by page and marker (see site.Site.slots): a page whose lists
    changed (an edited note) keeps the same Markdown.
    """

    def __init__(self, graph: Graph, ui: Fragments, cited: Mapping[str, Citation], caches: Caches = NO_CACHES, *,
                 slots: bool = False) -> None:
        self.graph = graph
        self.ui = ui
        #: every resource's citation by id (each listed work carries its COinS)
        self.cited = cited
        #: the build caches (memoised fragments)
        self.caches = caches
        #: notes converted once a build
        self.text = Converter(caches)
        self.slots: dict[str, dict[str, str]] | None = {} if slots else None

    def _fragment(self, fragment: str, /, **data: Any) -> Markup:
        """A fragment, memoised on exactly what its template receives (:func:`.fragments.render`)."""
        return render(self.ui, self.caches, fragment, **data)

    def slot(self, page: str, html: str) -> str:
        """``html`` as a raw HTML block of ``page``: itself, or with slots the marker standing for it."""
        if self.slots is None:
            return html
        own = self.slots.setdefault(page, {})
        marker = f"<!-- readingmap: slot {len(own) + 1} -->"
        own[marker] = html
        return marker

    def _item(self, page: str, r: Resource, *, brief: bool = False) -> dict[str, object]:
        return {"id": r.id, "href": rel_url(page, src_of("resources", r.id)), "title": r.title,
                "kind": KIND_LABEL[r.kind], "needs": " ".join(self.graph.needs_last(r)), "reading": r.reading,
                "byline": authors_line(r) + (" · " + r.year if r.year else ""),
                "why": None if brief else Markup(self.text.rich(r.why, inline=True)), "coins": self.cited[r.id].kev,
                "added": r.added}

    def resource_items(self, page: str, resources: Iterable[Resource], css: str = "rm-resources", *,
                       brief: bool = False) -> str:
        """Resources as one raw-HTML list (a slot of the page, see :meth:`slot`).

        Lists are raw HTML, not Markdown: Python-Markdown's inline patterns over thirty items a level
        were most of the time MkDocs spent on topic and maths pages (and so of every `mkdocs serve`
        rebuild); links use directory URLs, checked by the site tests like the SVG's.
        """
        return self.slot(page, self._fragment("resource_list.html", css=css,
                                             items=[self._item(page, r, brief=brief) for r in resources]))

    def resource_list(self, page: str, resources: Iterable[Resource], *, more_query: str,
                      brief: bool = False) -> list[str]:
        """Resources grouped by level, introductory first, and what is not a reading (venues) apart,
        last; long groups link to the bibliography. A ``brief`` list leaves out each resource's
        note (its page has it)."""
        out: list[str] = []
        by_level: dict[str, list[Resource]] = {level: [] for level in LEVELS}
        apart: dict[str, list[Resource]] = {}
        for r in resources:
            (by_level[r.level] if r.reading else apart.setdefault(r.kind, [])).append(r)
        for level in LEVELS:
            group = sorted(by_level[level], key=lambda r: (r.editorial, r.year, r.title.lower()))
            if not group:
                continue
            out.append(f"### {level.capitalize()} ({len(group)})\n")
            out += self._capped(page, group, f"{more_query}&level={level}", f"{level} resources", brief=brief)
        for kind, group in sorted(apart.items()):
            out.append(f"### {_KIND_PLURAL[kind]}, not readings ({len(group)})\n")
            out += self._capped(page, sorted(group, key=lambda r: r.title.lower()), f"{more_query}&kind={kind}",
                                _KIND_PLURAL[kind].lower(), brief=True)
        return out

    def _capped(self, page: str, group: list[Resource], query: str, what: str, *, brief: bool) -> list[str]:
        """The first :data:`_LIST_LIMIT` of ``group``, and past them a link to all of them in the
        bibliography (``query`` filters it; ``what`` names them: "advanced resources")."""
        out = [self.resource_items(page, group[:_LIST_LIMIT], brief=brief) + "\n"]
        if len(group) > _LIST_LIMIT:
            href = rel_url(page, BIBLIOGRAPHY) + f"?{query}"
            out.append(self.ui("more.html", href=href, count=len(group), what=what) + "\n")
        return out

    def results_list(self, page: str, results: Iterable[Result], empty: str,
                     note: Callable[[Result], str | None] = lambda r: None) -> Markup:
        items = [{"href": rel_url(page, result_src(r.id)), "name": r.name, "status_label": STATUSES[r.status],
                  "note": note(r)} for r in results]
        return self.ui("result_list.html", items=items, empty=empty)


class PageMaker:
    """What the page makers of one build (:class:`.pages.Pages`) share, through their one
    :class:`Listings`: the catalogue, its graph, the fragments, every resource's citation, the
    build caches, and the converter of notes, descriptions and statements."""

    def __init__(self, cat: Catalogue, listings: Listings) -> None:
        self.cat = cat
        self.listings = listings
        self.graph, self.ui, self.cited, self.caches = listings.graph, listings.ui, listings.cited, listings.caches
        self.text = listings.text
