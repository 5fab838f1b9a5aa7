"""The hub pages of the map, as Markdown: a page for every research topic and maths area, and a
reading path to every topic (with its route as a plain-text reading list beside it)."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup

from ..catalogue.model import QUESTION_STATUSES, Node, Question, Resource
from ..graph import PathPlan
from ..keys import Caches
from . import svg
from .addresses import (
    BIBLIOGRAPHY,
    CONTRIBUTING,
    HUB_BOOST,
    READING_LIST,
    front_matter,
    link,
    node_src,
    path_bib,
    rel_url,
    result_src,
    src_of,
    topic_bib,
)
from .listings import PageMaker, authors_line
from .markup import md_text

__all__ = ["HubPages"]

#: The formats a topic's or a path's readings are written in beside its page: (extension, label).
_READINGS_FORMATS = (("bib", "BibTeX"), ("ris", "RIS"), ("json", "CSL-JSON"))
#: The widest a path's graph is drawn: Material's content column on a path page (no table of
#: contents) is about 938 CSS pixels at a 1400-pixel window, so the graph shows at full size there.
_PATH_GRAPH_WIDTH = 900


def _node_links(page: str, nodes: Sequence[Node]) -> str:
    return ", ".join(link(page, node_src(n), n.name) for n in nodes) or "—"


class HubPages(PageMaker):
    """Topic, maths area and path pages of one catalogue.

    Markdown structure (front matter, headings, Markdown links that MkDocs validates) is written
    here; every piece of HTML comes from a fragment template, lists from :class:`.Listings`.
    """

    # -- pieces --------------------------------------------------------------------------
    def _aliases(self, aliases: Sequence[str]) -> list[str]:
        """The other names of a topic or maths area, shown (and so found by search)."""
        return [self.ui("aliases.html", aliases=aliases) + "\n"] if aliases else []

    def _can_do(self, node: Node) -> list[str]:
        """What knowing a maths area means, beside the "I know this" box."""
        if not node.can_do:
            return []
        return ["## What knowing it means\n",
                self.ui("can_do.html", id=node.id, name=node.name, items=node.can_do) + "\n"]

    def _start_here(self, page: str, node: Node) -> list[str]:
        """The node's recognised ways in, in the order the editors gave."""
        if not node.start_here:
            return []
        resources = [self.cat.resource_by_id[rid] for rid in node.start_here]
        lines = ["## Start here\n", self.listings.resource_items(page, resources, "rm-resources rm-start") + "\n"]
        if node.gentle_start:
            gentle = self.cat.resource_by_id[node.gentle_start]
            lines += [self.ui("gentle_start.html") + "\n",
                      self.listings.resource_items(page, [gentle], "rm-resources rm-start rm-gentle") + "\n"]
        return lines

    def _progress(self, page: str, what: str) -> str:
        """Where the script counts how many of the readings on the page the reader has marked."""
        return self.ui("progress.html", what=what, href=rel_url(page, BIBLIOGRAPHY) + "#reading-progress") + "\n"

    def _route_panel(self, page: str, kind: str, target: str, name: str) -> str:
        """Where the script offers "Plan my route" to ``target`` and the "What I know" control."""
        return self.ui("route_panel.html", kind=kind, target=target, name=name, root=rel_url(page, "index.md")) + "\n"

    def _questions_and_results(self, page: str, node: Node) -> list[str]:
        """A topic's central questions and key results (its first topic or not), each linking to
        its own page, where the statement, the readings and the links both ways are."""
        questions = self.cat.questions_by_topic.get(node.id, ())
        results = sorted(self.cat.results_by_topic.get(node.id, ()), key=lambda r: (r.year, r.name))
        lines = [f"## Central questions ({len(questions)})\n"]
        lines += [self.ui("question.html", question=self._question(page, q)) + "\n" for q in questions] or [
            "No central question of this topic is on the map yet.\n"]
        lines.append(f"## Key results ({len(results)})\n")
        lines.append(self.listings.results_list(page, results, "No result of this topic is on the map yet.",
                                                note=lambda r: f"{r.who}, {r.year}") + "\n")
        return lines

    def _question(self, page: str, q: Question) -> dict[str, object]:
        return {"anchor": f"q-{q.id}", "question": q.question, "known": Markup(self.text.rich(q.known)),
                "href": rel_url(page, src_of("questions", q.id)), "status": "-".join(q.status.split()),
                "status_label": QUESTION_STATUSES[q.status],
                "results": [{"href": rel_url(page, result_src(r)),
                             "label": self.cat.result_by_id[r].name} for r in q.results]}

    # -- pages ---------------------------------------------------------------------------
    def topic(self, node: Node) -> str:
        graph, page = self.graph, node_src(node)
        resources = self.cat.resources_by_topic[node.id]
        requires = graph.nodes(graph.requires(node.id))
        builds_on = [n for n in requires if n.kind == "topic"]
        maths = graph.nodes(graph.maths_needed([node.id]))
        direct_maths = [n for n in requires if n.kind == "maths"]
        unlocks = graph.nodes(graph.unlocks(node.id))
        lines = [
            front_matter(node.name, self.text.plain(node.description), boost=HUB_BOOST),
            f"# {md_text(node.name)}\n",
            self.ui("lead.html", html=Markup(self.text.rich(node.description))) + "\n",
            *self._aliases(node.aliases),
            f"{link(page, src_of('paths', node.id), 'Reading path to this topic')}"
            "{ .md-button .md-button--primary }\n",
            self._route_panel(page, "topic", node.id, node.name),
            self._progress(page, "the readings this page lists"),
            self.ui("readings_download.html",
                    files=[(topic_bib(node.id, ext), label) for ext, label in _READINGS_FORMATS]) + "\n",
            *self._start_here(page, node),
            "## What it needs\n",
            f"- **Builds on topics:** {_node_links(page, builds_on)}",
            f"- **Maths it needs directly:** {_node_links(page, direct_maths)}",
            f"- **All the maths behind it:** {_node_links(page, maths)}",
            "",
            "## What this unlocks\n",
            (f"Topics that build on this one: {_node_links(page, unlocks)}\n" if unlocks
             else "No other topic in the map builds on this one yet.\n"),
            *self._questions_and_results(page, node),
            f"## Resources ({len(resources)})\n",
            self.ui("known_hint.html", href=rel_url(page, BIBLIOGRAPHY) + "#known-maths") + "\n",
            *self.listings.resource_list(page, resources, more_query=f"topic={node.id}"),
        ]
        if not resources:
            lines.append(f"No resources yet: {link(page, CONTRIBUTING, 'contribute one')}.\n")
        return "\n".join(lines)

    def maths(self, node: Node) -> str:
        graph, page = self.graph, node_src(node)
        teachers = self.cat.teachers[node.id]
        requires = graph.nodes(graph.requires(node.id))
        leads_to = graph.nodes(graph.unlocks(node.id))
        needed_by_topics = [t for t in self.cat.topics if node.id in graph.maths_needed([t.id])]
        needing = self.cat.resources_by_prerequisite[node.id]
        lines = [
            front_matter(node.name, self.text.plain(node.description), boost=HUB_BOOST),
            f"# {md_text(node.name)}\n",
            self.ui("lead.html", html=Markup(self.text.rich(node.description))) + "\n",
            *self._aliases(node.aliases),
            *self._can_do(node),
            self._route_panel(page, "maths", node.id, node.name),
            *self._start_here(page, node),
            f"- **Builds on:** {_node_links(page, requires)}",
            f"- **Leads to:** {_node_links(page, leads_to)}",
            f"- **Research topics that need it:** {_node_links(page, needed_by_topics)}",
            "",
            f"## Where to learn it ({len(teachers)})\n",
            *self.listings.resource_list(page, teachers, more_query=f"topic={node.id}"),
        ]
        if not teachers:
            lines.append("No teaching resource yet.\n")
        lines += [
            f"## Resources that assume it ({len(needing)})\n",
            # Titles only: this page is for learning the area; what assumes it is a pointer, and
            # with each note the page of a much-assumed area passed 200 KB at 10,000 resources.
            *self.listings.resource_list(page, needing, more_query=f"maths={node.id}", brief=True),
        ]
        if not needing:
            lines.append("No resource lists it as a prerequisite directly.\n")
        used = sorted(self.cat.results_by_maths.get(node.id, ()), key=lambda r: (r.year, r.name))
        lines += [
            f"## Used to prove ({len(used)})\n",
            "Results on the map whose proofs use this area of mathematics.\n",
            self.listings.results_list(page, used, "No result on the map uses it yet.",
                                       note=lambda r: ", ".join(self.cat.nodes[t].name for t in r.topics)) + "\n",
        ]
        return "\n".join(lines)

    def path(self, plan: PathPlan) -> str:
        target = plan.target
        page = src_of("paths", target.id)
        lines = [
            # No table of contents (two entries): its column goes to the graph.
            front_matter(f"Path to {target.name}",
                         f"An ordered reading route from basic mathematics to {target.name}.", hide=("toc",)),
            self.ui("skip_link.html") + "\n",
            f"# Path to {md_text(target.name)}\n",
            f"An ordered route from basic mathematics to {link(page, node_src(target), target.name)}:"
            f" {len(plan.stages)} stages, each after everything it depends on. Skip the stages you"
            " already know; the graph below shows which stage needs which.\n",
            self._route_panel(page, "topic", target.id, target.name),
            "## Stages\n",
        ]
        for stage in plan.stages:
            node = stage.node
            kind = self.ui("stage_kind.html", kind="maths" if node.kind == "maths" else "topic")
            lines.append(f"{stage.number}. **{link(page, node_src(node), node.name)}** {kind}"
                         + ("" if stage.resources else " — no resource yet"))
            lines.append("")
            lines += [f"    - {link(page, src_of('resources', r.id), r.title)} "
                      f"{self.ui('read_toggle.html', id=r.id, title=r.title)}"
                      f"{self.ui('coins.html', kev=self.cited[r.id].kev)}" for r in stage.resources]
            lines.append("")
        lines += [
            self._progress(page, "the readings of this route"),
            "",
            self.ui("reading_list_link.html", href=READING_LIST) + "\n",
            self.ui("readings_download.html",
                    files=[(path_bib(target.id, ext), label) for ext, label in _READINGS_FORMATS]) + "\n",
            "## The route as a graph\n",
            "Arrows point from what to read first to what it prepares for; numbers match the stages.\n",
            self.ui("graph.html", svg=Markup(_path_graph(page, plan, self.caches)),
                    label=f"Graph of the path to {target.name}") + "\n",
        ]
        return "\n".join(lines)

    def reading_list(self, plan: PathPlan) -> str:
        """The route as a plain-text reading list to take away (Markdown-style, for any editor)."""
        lines = [f"Reading path to {plan.target.name}", "", "From the mathematics of deep learning reading map."
                 " Each stage comes after everything it depends on; skip the ones you know.", ""]
        for stage in plan.stages:
            kind = "maths" if stage.node.kind == "maths" else "topic"
            lines.append(f"{stage.number}. {stage.node.name} ({kind})")
            for r in stage.resources:
                byline = ", ".join(b for b in (authors_line(r), r.year) if b)
                lines.append(f"   - {r.title}. {byline}." + (f" {r.best_url}" if r.best_url else ""))
            if not stage.resources:
                lines.append("   - no resource yet")
        return "\n".join(lines) + "\n"

    def topic_readings(self, node: Node) -> list[Resource]:
        """A topic's readings, as its page lists them: its start, its gentle start, the rest."""
        by_id = self.cat.resource_by_id
        first = [by_id[rid] for rid in (*node.start_here, *([node.gentle_start] if node.gentle_start else ()))]
        return [r for r in (*first, *self.cat.resources_by_topic[node.id]) if r.reading]


def _path_graph(page: str, plan: PathPlan, caches: Caches) -> str:
    # Laying a graph out is the costliest part of a path page; in `mkdocs serve` the same route
    # (a frozen PathPlan: its nodes, numbers and edges) on the same page is drawn once.
    return str(caches.memo("path-graph", (page, plan), lambda: _draw_path(page, plan)))


def _draw_path(page: str, plan: PathPlan) -> str:
    requires = {s.node.id: s.node.requires for s in plan.stages}
    return svg.draw(
        [s.node for s in plan.stages],
        plan.edges,
        title=f"Reading path to {plan.target.name}",
        href=lambda n: rel_url(page, node_src(n)),
        highlight=plan.target.id,
        numbers={s.node.id: s.number for s in plan.stages},
        max_width=_PATH_GRAPH_WIDTH,
        requires=requires.__getitem__,
    )
