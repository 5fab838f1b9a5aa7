"""The pages that lead into the map, as Markdown: the home page (the questions, the matrix of
which maths each topic needs, the picture of how the field fits together, the latest additions),
the indexes of topics, maths areas and paths, and What's new."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from markupsafe import Markup

from ..catalogue.model import Catalogue, Node, Resource, Result
from ..graph import Graph
from . import changes, svg
from .addresses import BIBLIOGRAPHY, RESULTS, front_matter, link, node_src, rel_url, src_of
from .listings import PageMaker, first_sentence
from .markup import md_text

__all__ = ["WHATS_NEW_LIMIT", "IndexPages", "maths_families"]

#: How many works "What's new" lists, the newest first (then by id); the works of the months
#: after that are counted and left to the bibliography. With 10,000 works over a year, listing
#: every one made a page of several MB.
WHATS_NEW_LIMIT = 300
#: Where the home page's picture and matrix put maths areas that name no family.
_OTHER_FAMILY = "Other mathematics"


def maths_families(cat: Catalogue, graph: Graph) -> list[tuple[str, list[Node]]]:
    """The maths areas by family: families in the order maths.yaml first names them, areas
    in reading order; areas without one last, under "Other mathematics"."""
    out: dict[str, list[Node]] = {m.family: [] for m in cat.maths if m.family}
    for m in graph.maths:
        if m.family:
            out[m.family].append(m)
    other = [m for m in graph.maths if not m.family]
    return [*out.items(), *([(_OTHER_FAMILY, other)] if other else [])]


class IndexPages(PageMaker):
    """The home page, the indexes and What's new of one catalogue."""

    def home(self) -> str:
        cat, graph, page = self.cat, self.graph, "index.md"
        topics, maths = graph.topics, graph.maths
        needs = {r.id: frozenset(graph.needs(r)) for r in cat.resources}
        # How many resources of each topic need each area: one pass over the resources' needs.
        counted = {t.id: Counter(m for r in cat.resources_by_topic[t.id] for m in needs[r.id]) for t in topics}
        bib = rel_url(page, BIBLIOGRAPHY)
        # Columns grouped by family, as the picture below groups the areas.
        families = maths_families(self.cat, self.graph)
        starts = {ms[0].id for _, ms in families}
        columns = [{"href": rel_url(page, node_src(m)), "name": m.name, "short": m.short or m.name,
                    "first": m.id in starts}
                   for _, ms in families for m in ms]
        rows = []
        for t in topics:
            structural = graph.maths_needed([t.id])
            cells = []
            for m in (m for _, ms in families for m in ms):
                count = counted[t.id][m.id]
                cells.append({
                    "count": count, "href": f"{bib}?topic={t.id}&maths={m.id}",
                    "css": "rm-cell" + (" rm-core" if m.id in structural else "") + (" rm-empty" if not count else "")
                           + (" rm-family-start" if m.id in starts else ""),
                    "label": f"{count} resources on {t.name} that need {m.name}",
                    "mark": "·" if m.id in structural else "",
                })
            rows.append({"href": rel_url(page, node_src(t)), "name": t.name,
                         "path": rel_url(page, src_of("paths", t.id)), "cells": cells})
        # (The picture depends on the topics and maths areas only: in `mkdocs serve` an edit of
        # resources keeps the drawing of the build before.)
        drawn = (*maths, *topics)
        picture = (
            tuple((name, tuple(ms)) for name, ms in families),
            tuple(topics),
            tuple((a, b) for a, b in graph.hasse_edges(n.id for n in drawn)
                  if self.cat.nodes[a].kind == "maths" and self.cat.nodes[b].kind == "topic"),
            tuple(graph.hasse_edges(t.id for t in topics)),
            tuple((n.id, rel_url(page, node_src(n))) for n in drawn),
            tuple((n.id, tuple(graph.requires(n.id))) for n in drawn),
        )
        # (Laying the picture out is costly: in `mkdocs serve`, the same picture is drawn once.)
        overview = self.caches.memo("overview", picture, lambda: _overview(*picture))
        readings = sum(1 for r in cat.resources if r.reading)
        counts = (f"{readings} readings, {len(cat.results)} landmark results, {len(topics)} research topics,"
                  f" {len(maths)} areas of mathematics")
        entry_points = [
            {"href": rel_url(page, "paths/index.md"), "label": "Reading paths",
             "text": "an ordered route to each topic"},
            {"href": rel_url(page, BIBLIOGRAPHY), "label": "What can I read now?",
             "text": "tick the maths you know"},
            {"href": rel_url(page, RESULTS), "label": "Results",
             "text": "what is proved, by whom, where"},
            {"href": rel_url(page, "maths/index.md"), "label": "Mathematics",
             "text": "where to learn each area"},
        ]
        topic_items, plain = [], self.text.plain
        for t in topics:
            questions = cat.questions_by_topic.get(t.id, ())
            line = plain(questions[0].question) if questions else first_sentence(plain(t.description))
            topic_items.append({"href": rel_url(page, node_src(t)), "name": t.name, "line": line})
        return "\n".join([
            front_matter("The mathematics of deep learning: a reading map",
                         "What to read, and which mathematics you need, to learn the theory of deep learning.",
                         hide=("toc",)),
            self.ui("skip_link.html") + "\n",
            "# The mathematics of deep learning: a reading map\n",
            "A guide for readers who know mathematics and want to learn the theory of deep learning"
            " rigorously: the research questions, the mathematics each one needs, what is proved, and what"
            " to read in which order. Curated from two MathOverflow threads and the survey *The Modern"
            f" Mathematics of Deep Learning*; {md_text(counts)}.\n",
            self.ui("entry_points.html", items=entry_points) + "\n",
            "## Pick your question\n",
            self.ui("topic_list.html", items=topic_items) + "\n",
            "## Which mathematics each question needs\n",
            self.ui("matrix.html", columns=columns, rows=rows,
                    families=[{"name": name, "span": len(ms)} for name, ms in families]) + "\n",
            "Rows are research topics, columns areas of mathematics grouped by family. A number counts the"
            " resources on that topic that need that area (follow it to the list); a shaded cell marks"
            " maths the topic itself builds on.\n",
            "## How the field fits together\n",
            "Areas of mathematics, grouped by family, feed the research topics (filled boxes); arrows"
            " run from what to learn first to what it prepares for. Every box is a link. Point at"
            " one, or move to it with the keyboard, to light up what it needs and what it unlocks.\n",
            self.ui("graph.html", svg=Markup(overview), label="Graph: how the field fits together") + "\n",
            *self._latest_additions(page),
        ])

    def _latest_additions(self, page: str) -> list[str]:
        """The home page's "Latest additions": the newest works and results, with links to all."""
        latest = changes.latest(self.cat)
        if not latest:
            return []
        items = [{"href": self._addition_href(page, a.item), "title": a.title, "added": a.added,
                  "kind": "Work" if a.kind == "resources" else "Result"} for a in latest]
        return ["## Latest additions\n",
                self.ui("latest.html", items=items, all=rel_url(page, changes.WHATS_NEW),
                        feed=f"{rel_url(page, 'index.md')}{changes.FEED}") + "\n"]

    def _addition_href(self, page: str, item: Resource | Result) -> str:
        if isinstance(item, Resource):
            return rel_url(page, src_of("resources", item.id))
        return rel_url(page, src_of("results", item.id))

    def section_indexes(self) -> dict[str, str]:
        """The indexes of the topics, maths areas and paths sections, by source path."""
        cat, graph = self.cat, self.graph
        topics, maths = graph.topics, graph.maths
        return {
            "topics/index.md": _index_page(
                "Research topics", "The research directions in the mathematics of deep learning.",
                "The directions of research in the mathematics of deep learning, in reading order: a"
                " topic comes after the topics it builds on.",
                (f"- **{link('topics/index.md', node_src(t), t.name)}** ({len(cat.resources_by_topic[t.id])}"
                 f" resources) — {link('topics/index.md', src_of('paths', t.id), 'path')}  \n"
                 f"  {md_text(first_sentence(self.text.plain(t.description)))}" for t in topics)),
            "maths/index.md": _index_page(
                "Mathematics", "The areas of mathematics that deep-learning theory uses.",
                "The areas of mathematics the research topics need, from the most basic to the most"
                " specialised; each page says where to learn it and what needs it.",
                (f"- **{link('maths/index.md', node_src(m), m.name)}** ({len(cat.teachers[m.id])} to learn"
                 f" from)  \n  {md_text(first_sentence(self.text.plain(m.description)))}" for m in maths)),
            "paths/index.md": _index_page(
                "Reading paths", "Ordered reading routes from basic mathematics to each topic.",
                "Each path orders everything a topic depends on, from basic mathematics to the topic"
                " itself, with the one or two resources to read at each stage.",
                (self._path_item(t) for t in topics)),
        }

    def _path_item(self, t: Node) -> str:
        """A path on the paths index: its topic, its length and a line on what the topic is."""
        plan = self.graph.path(t.id)
        readings = len({r.id for stage in plan.stages for r in stage.resources})
        return (f"- **{link('paths/index.md', src_of('paths', t.id), t.name)}** — {len(plan.stages)} stages,"
                f" {readings} readings  \n  {md_text(first_sentence(self.text.plain(t.description)))}")

    def whats_new(self) -> str:
        """Every addition by month, newest first: works listed as on topic pages (the newest
        :data:`WHATS_NEW_LIMIT`), then results."""
        page = changes.WHATS_NEW
        lines = [
            front_matter("What's new", "Works and results added to the reading map, by month."),
            "# What's new\n",
            "Works and results added to the map, newest first."
            f" {self.ui('feed_link.html', href=rel_url(page, 'index.md') + changes.FEED)}\n",
        ]
        room = WHATS_NEW_LIMIT
        for month, group in changes.by_month(self.cat):
            works = [a.item for a in group if isinstance(a.item, Resource)]
            found = [a.item for a in group if isinstance(a.item, Result)]
            counts = [f"{len(works)} work{'s' if len(works) != 1 else ''}"] if works else []
            counts += [f"{len(found)} result{'s' if len(found) != 1 else ''}"] if found else []
            lines += [f"## {changes.month_heading(month)}\n", f"{' and '.join(counts)} added.\n"]
            shown, room = works[:room], room - min(room, len(works))
            if shown:
                lines.append(self.listings.resource_items(page, shown, brief=True) + "\n")
            rest = len(works) - len(shown)
            if rest:
                more = f"And {rest} more work{'s' if rest != 1 else ''}" if shown else "They are"
                lines.append(f"{more} in the {link(page, BIBLIOGRAPHY, 'bibliography')}.\n")
            if found:
                lines.append(self.ui("whats_new_month.html", results=[
                    {"href": self._addition_href(page, r), "name": r.name} for r in found]) + "\n")
        return "\n".join(lines)

def _overview(families: tuple[tuple[str, tuple[Node, ...]], ...], topics: tuple[Node, ...],
              feeds: tuple[tuple[str, str], ...], builds_on: tuple[tuple[str, str], ...],
              hrefs: tuple[tuple[str, str], ...], requires: tuple[tuple[str, tuple[str, ...]], ...]) -> str:
    """The home page's picture (:func:`.svg.overview`) from plain, hashable arguments."""
    href, needs = dict(hrefs), dict(requires)
    return svg.overview(
        families, topics, feeds, builds_on,
        title="How the field fits together: areas of mathematics by family (left) and the research"
              " topics they feed (right)",
        href=lambda n: href[n.id], requires=needs.__getitem__)


def _index_page(title: str, description: str, intro: str, items: Iterable[str]) -> str:
    return "\n".join([front_matter(title, description), f"# {title}\n", f"{intro}\n", *items, ""])
