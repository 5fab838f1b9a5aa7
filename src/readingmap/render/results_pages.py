"""Results and central questions as a blueprint: a page for every result and every question, the
indexes that count and filter them by status, and the drawing of what builds on what.

A result page says what the result states, how firmly (its status, and whether everything it
rests on is a theorem), where to read it, the maths its proof uses, what it builds on and what
builds on it (with a drawing of both), the questions it bears on, how to cite the entry and how to
correct it. Result and question pages are :class:`~.prebuilt.PrebuiltPage` s, as resource pages are:
at a thousand results, MkDocs' per-page rendering would be most of the build.
"""

from __future__ import annotations

import graphlib
import posixpath
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any
from urllib.parse import quote

from markupsafe import Markup

from ..catalogue.model import QUESTION_STATUSES, STATUSES, Catalogue, Question, Result
from . import results_graph
from .addresses import HUB_BOOST, QUESTIONS, RESULTS, front_matter, node_src, question_src, rel_url, result_src, src_of
from .cite import cite_data, permalink
from .listings import Listings, PageMaker, node_refs
from .markup import md_text, text
from .prebuilt import IMPROVE_SECTION, PrebuiltPage, render_body

__all__ = ["EntryPages", "Links", "results_path"]

#: How a result card names the work its first reading is: a theorem is proved there, the others are not.
SOURCE_LABELS = {"theorem": "Proved in", "conjecture": "Stated in", "heuristic": "Derived in",
                 "empirical": "Reported in"}
#: The sections of every result page, with their anchors (as MkDocs makes them from the headings).
RESULT_SECTIONS = (
    ("statement", "Statement"),
    ("where-to-read-it", "Where to read it"),
    ("what-its-proof-uses", "What its proof uses"),
    ("what-it-builds-on-and-what-builds-on-it", "What it builds on, and what builds on it"),
    ("questions-it-bears-on", "Questions it bears on"),
    ("cite-this-entry", "Cite this entry"),
)
QUESTION_SECTIONS = (
    ("what-is-known", "What is known"),
    ("results-that-bear-on-it", "Results that bear on it"),
    ("cite-this-entry", "Cite this entry"),
)
#: The issue form "Suggest a correction" opens (.github/ISSUE_TEMPLATE/).
CORRECTION_FORM = "suggest-correction.yml"
#: Above this many results in the drawing of the results index, the index draws none: each
#: result page draws its own ancestors and descendants (a drawing of a thousand boxes is neither
#: legible nor within the page budget).
INDEX_GRAPH_LIMIT = 150
#: A result page draws all its ancestors and descendants up to this many; beyond, only the
#: results it builds on directly and those that build on it directly.
FOCUS_LIMIT = 40


def status_slug(status: str) -> str:
    """A status as a CSS class and a query value ("partly answered" -> "partly-answered")."""
    return "-".join(status.split())


@dataclass(frozen=True)
class Links:
    """Where an entry's page sends readers besides the site: the repository and the site's URL."""

    repo_url: str | None = None
    branch: str = "main"
    results_path: str = "data/results.yaml"
    site_url: str | None = None

    def permalink(self, src: str) -> str:
        return permalink(self.site_url, src)

    def improve(self, kind: str, ident: str, line: int, src: str) -> list[dict[str, str]]:
        if not self.repo_url:
            return []
        base = self.repo_url.rstrip("/")
        title = quote(f"Correction to {kind} {ident}")
        issue = (f"{base}/issues/new?template={CORRECTION_FORM}&title={title}&entry={quote(ident)}"
                 f"&page={quote(self.permalink(src), safe='')}")
        return [{"url": issue, "label": "Suggest a correction"},
                {"url": f"{base}/blob/{self.branch}/{self.results_path}#L{line}",
                 "label": f"Edit its entry in {self.results_path}"}]


def results_path(data_path: str) -> str:
    """results.yaml beside the resources' data file."""
    return posixpath.join(posixpath.dirname(data_path), "results.yaml")


@dataclass(frozen=True)
class Lineage:
    """What each result rests on (its ancestors through ``builds_on``) and what rests on it."""

    ancestors: dict[str, frozenset[str]]
    descendants: dict[str, frozenset[str]]

    @staticmethod
    def of(results: Sequence[Result]) -> Lineage:
        by_id = {r.id: r for r in results}
        below = {r.id: tuple(b for b in r.builds_on if b in by_id) for r in results}
        up: dict[str, frozenset[str]] = {}
        # Each result after everything it builds on (builds_on has no cycle: the checker refuses one).
        for rid in graphlib.TopologicalSorter(below).static_order():
            up[rid] = frozenset(below[rid]).union(*(up[b] for b in below[rid]))
        down: dict[str, set[str]] = {r.id: set() for r in results}
        for rid, above in up.items():
            for a in above:
                down[a].add(rid)
        return Lineage(up, {k: frozenset(v) for k, v in down.items()})


class EntryPages(PageMaker):
    """The result and question pages and their indexes of one catalogue (:meth:`indexes`,
    :meth:`pages`)."""

    def __init__(self, cat: Catalogue, listings: Listings, links: Links) -> None:
        super().__init__(cat, listings)
        self.links = links

    def indexes(self) -> dict[str, str]:
        """The index of results and the index of questions (Markdown, by source path)."""
        return {RESULTS: self.results_index(), QUESTIONS: self.questions_index()}

    def pages(self) -> dict[str, PrebuiltPage]:
        """The result and question pages, by source path."""
        return {**self.result_pages(), **self.question_pages()}

    @cached_property
    def lineage(self) -> Lineage:
        return Lineage.of(self.cat.results)

    @cached_property
    def questions_of(self) -> dict[str, list[Question]]:
        out: dict[str, list[Question]] = {r.id: [] for r in self.cat.results}
        for q in self.cat.questions:
            for rid in q.results:
                out[rid].append(q)
        return out

    @cached_property
    def built_on_by(self) -> dict[str, list[Result]]:
        out: dict[str, list[Result]] = {r.id: [] for r in self.cat.results}
        for r in self.cat.results:
            for b in r.builds_on:
                out[b].append(r)
        return out

    @cached_property
    def _weak(self) -> dict[str, list[Result]]:
        by_id = self.cat.result_by_id
        return {r.id: sorted((by_id[a] for a in self.lineage.ancestors[r.id] if by_id[a].status != "theorem"),
                             key=lambda x: (x.year, x.name)) for r in self.cat.results}

    def weak_ancestors(self, result: Result) -> list[Result]:
        """The results below ``result`` that are not theorems, oldest first."""
        return self._weak[result.id]

    def rests_note(self, result: Result) -> str:
        """What the drawing's accessible name says of what a result rests on."""
        if not self.lineage.ancestors[result.id]:
            return ""
        if self.weak_ancestors(result):
            return "rests on a result that is not a theorem"
        return "rests on theorems only"

    # -- the drawing -------------------------------------------------------------------------
    def drawing(self, page: str, results: Sequence[Result], title: str, focus: str | None = None) -> str:
        ids = {r.id for r in results}
        ordered = sorted(results, key=lambda r: (r.year, r.id))
        boxes = [results_graph.box_of(r, self.rests_note(r)) for r in ordered]
        edges = [(b, r.id) for r in ordered for b in r.builds_on if b in ids]
        # memoised on exactly what the drawing is made of (the boxes, edges, title and page)
        key = (page, tuple(boxes), tuple(edges), title, focus)
        return str(self.caches.memo("results-graph", key, lambda: results_graph.draw(
            boxes, edges, title=title, focus=focus,
            href=lambda b: rel_url(page, result_src(b.id)))))

    # -- pieces --------------------------------------------------------------------------------
    def result_item(self, page: str, r: Result) -> dict[str, Any]:
        return {"href": rel_url(page, result_src(r.id)), "name": r.name, "status": r.status,
                "status_label": STATUSES[r.status], "who": r.who, "year": r.year,
                "weak": bool(self.weak_ancestors(r))}

    def question_item(self, page: str, q: Question) -> dict[str, Any]:
        return {"href": rel_url(page, question_src(q.id)), "question": q.question, "status": status_slug(q.status),
                "status_label": QUESTION_STATUSES[q.status], "since": q.status_changed}

    # -- result pages --------------------------------------------------------------------------
    def result_pages(self) -> dict[str, PrebuiltPage]:
        # (Each page is made afresh; its drawing, the costly part, is memoised on its arguments.)
        return {result_src(r.id): self.result_page(r) for r in self.cat.results}

    def result_page(self, r: Result) -> PrebuiltPage:
        cat, ui, page = self.cat, self.ui, result_src(r.id)
        by_id = cat.resource_by_id
        lineage = self.lineage
        weak = self.weak_ancestors(r)
        readings = [{"href": rel_url(page, src_of("resources", g.resource)), "title": by_id[g.resource].title,
                     "where": g.where} for g in r.read]
        near = [cat.result_by_id[a] for a in lineage.ancestors[r.id] | lineage.descendants[r.id]]
        if len(near) > FOCUS_LIMIT:
            near = [cat.result_by_id[b] for b in r.builds_on] + self.built_on_by[r.id]
        drawing = (self.drawing(page, [r, *near], f"{r.name}: what it builds on and what builds on it", r.id)
                   if near else None)
        lead = ui("result_lead.html", status=r.status, status_label=STATUSES[r.status], who=r.who, year=r.year,
                  aliases=r.aliases, checked=r.checked, has_ancestors=bool(lineage.ancestors[r.id]),
                  weak=[self.result_item(page, w) for w in weak],
                  topics=node_refs(page, self.graph.nodes(r.topics)),
                  route={"target": r.id, "name": r.name, "root": rel_url(page, "index.md")})
        html = {
            "statement": ui("result_statement.html", statement=Markup(self.text.rich(r.statement)),
                            gloss=Markup(self.text.rich(r.gloss)) if r.gloss else None,
                            verb=SOURCE_LABELS[r.status], first=readings[0]),
            "where-to-read-it": ui("result_readings.html", readings=readings, verb=SOURCE_LABELS[r.status]),
            "what-its-proof-uses": ui(
                "result_maths.html", maths=node_refs(page, self.graph.nodes(r.maths)),
                routes=[{"href": rel_url(page, src_of("paths", t)), "label": f"Reading path to {cat.nodes[t].name}"}
                        for t in r.topics]),
            "what-it-builds-on-and-what-builds-on-it": ui("result_lineage.html",
                            builds_on=[self.result_item(page, cat.result_by_id[b]) for b in r.builds_on],
                            built_on_by=[self.result_item(page, x) for x in self.built_on_by[r.id]],
                            svg=Markup(drawing) if drawing else None, name=r.name,
                            partial=len(lineage.ancestors[r.id] | lineage.descendants[r.id]) > FOCUS_LIMIT),
            "questions-it-bears-on": ui(
                "question_list.html", items=[self.question_item(page, q) for q in self.questions_of[r.id]],
                empty="No central question on the map cites this result yet."),
            "cite-this-entry": ui("cite.html", cite=cite_data("result", r.id, r.name, r.checked,
                                                              self.links.permalink(page))),
        }
        sections = [(a, h, str(html[a])) for a, h in RESULT_SECTIONS]
        improve = self.links.improve("result", r.id, r.line, page)
        if improve:
            sections.append((*IMPROVE_SECTION, str(ui("external_list.html", links=improve))))
        search = " ".join([r.who, r.year, STATUSES[r.status], self.text.plain(r.statement)[:300]])
        summary = self.text.plain(r.gloss) if r.gloss else self.text.plain(r.statement)
        return _prebuilt(ui, r.name, f"{STATUSES[r.status]} ({r.who}, {r.year}). {summary}",
                         str(lead), sections, search)

    # -- question pages ------------------------------------------------------------------------
    def question_pages(self) -> dict[str, PrebuiltPage]:
        return {question_src(q.id): self.question_page(q) for q in self.cat.questions}

    def question_page(self, q: Question) -> PrebuiltPage:
        cat, ui, page = self.cat, self.ui, question_src(q.id)
        topic = cat.nodes[q.topic]
        results = [cat.result_by_id[x] for x in q.results]
        lead = ui("question_lead.html", status=status_slug(q.status), status_label=QUESTION_STATUSES[q.status],
                  since=q.status_changed, checked=q.checked,
                  topic={"href": rel_url(page, node_src(topic)), "label": topic.name})
        html = {
            "what-is-known": ui("lead.html", html=Markup(self.text.rich(q.known))),
            "results-that-bear-on-it": ui("result_items.html", items=[self.result_item(page, x) for x in results]),
            "cite-this-entry": ui("cite.html", cite=cite_data("question", q.id, q.question, q.checked,
                                                              self.links.permalink(page))),
        }
        sections = [(a, h, str(html[a])) for a, h in QUESTION_SECTIONS]
        improve = self.links.improve("question", q.id, q.line, page)
        if improve:
            sections.append((*IMPROVE_SECTION, str(ui("external_list.html", links=improve))))
        search = " ".join([topic.name, QUESTION_STATUSES[q.status], self.text.plain(q.known)[:300]])
        return _prebuilt(ui, q.question, self.text.plain(q.known), str(lead), sections, search)

    # -- indexes -------------------------------------------------------------------------------
    def results_index(self) -> str:
        """Every result by topic (its first topic), with a legend, a count per status, a filter
        by status and the drawing of what builds on what."""
        cat, page = self.cat, RESULTS
        counts = Counter(r.status for r in cat.results)
        statuses = [{"status": s, "label": label, "count": counts[s]} for s, label in STATUSES.items()]
        linked = {b for r in cat.results for b in r.builds_on} | {r.id for r in cat.results if r.builds_on}
        groups: list[tuple[str, list[dict[str, Any]]]] = []
        for topic in self.graph.topics:
            own = sorted((r for r in cat.results if r.topics[0] == topic.id), key=lambda r: (r.year, r.name))
            if own:
                # By status within the topic: the status is said once a list, not once a result
                # (a thousand results must fit the page budget).
                groups.append((topic.name, [
                    {"status": s, "label": label, "items": [
                        {"href": rel_url(page, result_src(r.id)), "name": r.name, "year": r.year,
                         "weak": bool(self.weak_ancestors(r))} for r in own if r.status == s]}
                    for s, label in STATUSES.items() if any(r.status == s for r in own)]))
        drawn_here = bool(linked) and len(linked) <= INDEX_GRAPH_LIMIT
        lines = [
            front_matter("Results", "The landmark results of the mathematics of deep learning, by research topic.",
                         boost=HUB_BOOST),
            *([str(self.ui("skip_link.html")) + "\n"] if drawn_here else []),
            "# Results\n",
            f"The {len(cat.results)} landmark results on the map, by research topic. Each has a page of its own:"
            " what it states, who proved it and when, how firmly it is established, the mathematics its proof"
            " uses, where to read it, what it builds on and what builds on it. Every statement says no more than"
            " the work it cites proves.\n",
            self.listings.slot(page, str(self.ui("status_filter.html", statuses=[s for s in statuses if s["count"]],
                                              total=len(cat.results), what="results"))) + "\n",
        ]
        if linked:
            lines.append("## What builds on what\n")
            if len(linked) <= INDEX_GRAPH_LIMIT:
                drawn = [r for r in cat.results if r.id in linked]
                lines += [
                    "Each box is a result, outlined by its status (the legend is the picture's first row); an"
                    " arrow runs from a result to one that builds on it. Point at a box, or move to it with the"
                    " keyboard, to light up what it rests on and what rests on it.\n",
                    self.listings.slot(page, str(self.ui("graph.html", svg=Markup(self.drawing(
                        page, drawn, "Results and what they build on")),
                        label="Graph of the results and what they build on"))) + "\n",
                ]
            else:
                lines.append(f"{len(linked)} results build on others or are built on: too many to draw legibly"
                             " on one page. Each result's page draws what it builds on and what builds on it.\n")
        for name, lists in groups:
            lines.append(f"## {md_text(name)}\n")
            lines.append(self.listings.slot(page, str(self.ui("result_index_list.html", lists=lists))) + "\n")
        return "\n".join(lines)

    def questions_index(self) -> str:
        cat, page = self.cat, QUESTIONS
        counts = Counter(q.status for q in cat.questions)
        statuses = [{"status": status_slug(s), "label": label, "count": counts[s]}
                    for s, label in QUESTION_STATUSES.items()]
        lines = [
            front_matter("Central questions",
                         "The central questions of each research topic, and how far each is answered.",
                         boost=HUB_BOOST),
            "# Central questions\n",
            f"The {len(cat.questions)} central questions of the research topics, with how far each is answered:"
            " *open* (no result on the map answers it), *partly answered* (results answer it in special or"
            " simplified settings) or *settled*. Each question's page says what is known and which results"
            " bear on it.\n",
            self.listings.slot(page, str(self.ui("status_filter.html", statuses=statuses, total=len(cat.questions),
                                              what="questions"))) + "\n",
        ]
        for topic in self.graph.topics:
            own = cat.questions_by_topic.get(topic.id, ())
            if own:
                lines.append(f"## {md_text(topic.name)}\n")
                lines.append(self.listings.slot(page, str(self.ui(
                    "question_list.html", items=[self.question_item(page, q) for q in own], empty=""))) + "\n")
        return "\n".join(lines)


def _prebuilt(ui: Any, title: str, description: str, lead: str, sections: list[tuple[str, str, str]],
              search: str) -> PrebuiltPage:
    # The page shell prints Highwire tags in every prebuilt page's head: an entry's page is cited by
    # its title (reference managers take it as a web page; "Cite this entry" gives the rest).
    return PrebuiltPage(title, description[:300], lead, tuple(sections), text(" ".join(search.split())), ui,
                        render_body(ui, lead, sections), citation=(("citation_title", title),))

