"""The catalogue as pages: Markdown for MkDocs (with embedded, escaped HTML where Markdown has no
syntax or is slow), and resource pages as HTML bodies (:class:`PrebuiltPage`).

Internal links in Markdown are links to ``.md`` files, so MkDocs resolves and validates them;
links inside raw HTML (resource lists, resource pages, SVG, bibliography entries) use directory
URLs computed here and are checked by the site tests (tests/test_build.py follows every link of
the built site). Every catalogue value passes through :mod:`readingmap.render.markup`.
"""

from __future__ import annotations

import json
import posixpath
import re
import sys
from base64 import b64encode
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from markupsafe import Markup

from ..catalogue import mathtext
from ..catalogue.model import LEVELS, QUESTION_STATUSES, STATUSES, Catalogue, Node, Question, Resource, Result, Source
from ..graph import Graph, PathPlan
from ..keys import NO_CACHES, Caches, Store, digest, source_digest, version
from . import changes, cite, fragments, markup, svg
from .citations import Citation, coins, csl_json, highwire, ris
from .citations import by_id as citations_by_id
from .cite import cite_data, permalink
from .fragments import Fragments, render
from .markup import attr, md_text, plain, rich, text
from .references import Formatted
from .workers import Pool

#: What a rendered resource page depends on besides its data and the templates: the code that
#: renders it and the libraries it uses (markupsafe escapes, Jinja renders).
_PAGES_CODE = digest(
    [version(d) for d in ("readingmap", "jinja2", "markupsafe")],
    source_digest([sys.modules[__name__], markup, mathtext, fragments, cite]),
)
#: Stands for a resource's line in resources.yaml (in its "edit" link) while its page is rendered
#: and cached: the page of an entry that only moved, because entries above it grew or shrank, is
#: the page rendered before, with its new line put in (:meth:`Pages._prebuilt`). Letters and
#: digits, so that escaping leaves it intact, as the shell's markers.
LINE = "rmline0mark"
#: A rendered resource page: its lead, its sections (anchor, heading, HTML) and its body.
Rendered = tuple[str, list[tuple[str, str, str]], str]
#: Resource pages to render from which a build's worker processes help (bench/README.md).
PAGES_POOL_MIN = 300
#: Resources listed per level on a topic or maths page before the list links to the bibliography.
LIST_LIMIT = 25
#: How many works "What's new" lists, the newest first (then by id); the works of the months
#: after that are counted and left to the bibliography. With 10,000 works over a year, listing
#: every one made a page of several MB.
WHATS_NEW_LIMIT = 300
KIND_LABEL = {
    "book": "Book", "course": "Course", "paper": "Paper", "survey": "Survey",
    "lecture-notes": "Lecture notes", "blog": "Blog post", "video": "Video",
    "website": "Website", "venue": "Venue",
}  # fmt: skip

#: The heading of a group of resources of a kind that is not a reading (listed apart).
KIND_PLURAL = {"venue": "Venues"}

#: Material's search weighs the hub pages (topics, maths areas, results) this many times, so that a
#: search for a field's word or a result's name lands there before a paper that mentions it.
HUB_BOOST = 3
#: How a result card names the work its first reading is: a theorem is proved there, the others are not.
SOURCE_LABELS = {"theorem": "Proved in", "conjecture": "Stated in", "heuristic": "Derived in",
                 "empirical": "Reported in"}
BIBLIOGRAPHY = "bibliography/index.md"
RESULTS = "results/index.md"
#: A path's route as a plain-text reading list, beside the path page (relative to its directory).
READING_LIST = "reading-list.txt"
CONTRIBUTING = "contributing/index.md"


#: The formats a topic's or a path's readings are written in beside its page: (extension, label).
READINGS_FORMATS = (("bib", "BibTeX"), ("ris", "RIS"), ("json", "CSL-JSON"))


def topic_bib(topic_id: str, ext: str = "bib") -> str:
    """A topic's readings as a reference file, beside its page (relative to its directory)."""
    return f"reading-map-{topic_id}.{ext}"


def path_bib(topic_id: str, ext: str = "bib") -> str:
    """A path's readings as a reference file, beside the path page (relative to its directory)."""
    return f"reading-map-path-{topic_id}.{ext}"

#: Where the home page's picture and matrix put maths areas that name no family.
OTHER_FAMILY = "Other mathematics"
#: The widest a path's graph is drawn: Material's content column on a path page (no table of
#: contents) is about 938 CSS pixels at a 1400-pixel window, so the graph shows at full size there.
PATH_GRAPH_WIDTH = 900


def src_of(kind: str, ident: str) -> str:
    """The source path of a generated page.

    Every page is ``<section>/<id>/index.md``: its directory is the directory of its URL, so a
    relative link in raw HTML means the same to MkDocs (which leaves raw HTML alone) and to
    Zensical (which resolves such links against the source file, as it does Markdown links).
    """
    return f"{kind}/{ident}/index.md"


def node_src(node: svg.Drawable) -> str:
    return src_of("topics" if node.kind == "topic" else "maths", node.id)


def url_dir(src: str) -> str:
    """The directory URL MkDocs gives a page (``use_directory_urls: true``)."""
    stem = src[:-3]
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def _relative(target: str, start: str) -> str:
    """``posixpath.relpath`` for paths relative to one root, without its ``abspath`` calls
    (they dominated page generation when profiled)."""
    to = [p for p in target.split("/") if p]
    base = [p for p in start.split("/") if p]
    common = 0
    while common < min(len(to), len(base)) and to[common] == base[common]:
        common += 1
    parts = [".."] * (len(base) - common) + to[common:]
    return "/".join(parts) or "."


def rel_md(page: str, target: str) -> str:
    return _relative(target, posixpath.dirname(page))


def rel_url(page: str, target: str) -> str:
    out = _relative(url_dir(target), url_dir(page))
    return "./" if out == "." else out + "/"


def front_matter(title: str, description: str = "", *, hide: tuple[str, ...] = (),
                 searchable: bool = True, boost: float | None = None,
                 citation: tuple[tuple[str, str], ...] = ()) -> str:
    # JSON strings are valid YAML; the title is HTML-escaped, quotes too, because themes print it
    # unescaped (Material in <title>, the header, and the <h1> of a page without one).
    lines = ["---", f"title: {_yaml_string(attr(title))}"]
    if description:
        lines.append(f"description: {_yaml_string(attr(description[:300]))}")
    if citation:
        # Highwire meta tags, printed by overrides/main.html as the title is: escaped here.
        lines.append(f"citation: {json.dumps([[name, attr(value)] for name, value in citation], ensure_ascii=False)}")
    if hide:
        lines.append(f"hide: {json.dumps(list(hide))}")
    if not searchable:
        lines.append("search:\n  exclude: true")
    elif boost is not None:
        lines.append(f"search:\n  boost: {boost}")
    lines.append("---\n")
    return "\n".join(lines)


_SURROGATES = re.compile(r"\\u(d[89ab][0-9a-f]{2})\\u(d[c-f][0-9a-f]{2})")


def _yaml_string(value: str) -> str:
    """``value`` as a double-quoted YAML string: JSON's, except a character beyond the Basic
    Multilingual Plane (a maths letter such as 𝕊), which JSON writes as two surrogate escapes
    that YAML refuses, is written as YAML's ``\\U`` escape."""
    return _SURROGATES.sub(lambda m: "\\U%08x" % (0x10000 + ((int(m.group(1), 16) - 0xD800) << 10)
                                                  + (int(m.group(2), 16) - 0xDC00)), json.dumps(value))


def link(page: str, target: str, label: str) -> str:
    """A Markdown link to another page's source, which MkDocs resolves and validates."""
    return f"[{md_text(label)}]({rel_md(page, target)})"


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


def node_links(page: str, nodes: Sequence[Node]) -> str:
    return ", ".join(link(page, node_src(n), n.name) for n in nodes) or "—"


def _first_sentence(value: str) -> str:
    end = value.find(". ")
    return value if end < 0 else value[: end + 1]


#: The sections of every resource page, in order, with their anchors: the same on every page, so
#: the page's table of contents is too (an empty section says so instead of disappearing).
RESOURCE_SECTIONS = (
    ("why-read-it", "Why read it"),
    ("recommended-in", "Recommended in"),
    ("topics-and-prerequisites", "Topics and prerequisites"),
    ("read-before-and-next", "Read before and next"),
    ("results-in-this-work", "Results in this work"),
    ("reference", "Reference"),
    ("cite-this-entry", "Cite this entry"),
)
IMPROVE_SECTION = ("improve-this-entry", "Improve this entry")


@dataclass(frozen=True)
class PrebuiltPage:
    """A page whose body the package writes as HTML itself: a resource page.

    The MkDocs hooks put :meth:`body` into the theme's page once rendered for all of them, instead
    of running each page through Markdown and the templates (at 10,000 resources that took most of
    the build); :meth:`markdown` is the same page as a Markdown source (``readingmap render``),
    which MkDocs renders to the same body: headings as Markdown, everything else raw HTML.
    """

    title: str
    description: str
    lead: str
    sections: tuple[tuple[str, str, str], ...]  # (anchor, heading, HTML)
    search_text: str
    ui: Fragments = field(compare=False, repr=False)

    #: :meth:`body`, when it was rendered already (kept with the page in the build cache).
    rendered_body: str | None = field(default=None, compare=False, repr=False)
    #: Highwire Press ``citation_*`` meta tags for the page's head, as (name, content) pairs.
    citation: tuple[tuple[str, str], ...] = ()

    def body(self) -> str:
        """The page content after the ``<h1>``, exactly as MkDocs renders :meth:`markdown` with the
        site's Markdown settings (``toc: permalink: true``); a test compares the two."""
        if self.rendered_body is not None:
            return self.rendered_body
        return render_body(self.ui, self.lead, self.sections)

    def markdown(self) -> str:
        return "\n".join([
            front_matter(self.title, self.description, citation=self.citation),
            self.ui("page_title.html", title=self.title) + "\n",
            self.lead + "\n",
            *(f"## {md_text(heading)}\n\n{html}\n" for _anchor, heading, html in self.sections),
        ])


def reference_downloads(r: Resource, cited: Citation, bibtex: str) -> list[dict[str, str]]:
    """One resource's reference (its ``cited`` form and its ``bibtex`` text) as files to save, in
    the three formats reference managers import.

    Each is a ``data:`` link with a file name: the page carries its own entry (a few hundred bytes
    a format), so saving it needs neither a script nor a second request."""
    cited_list = [cited]
    files = (("BibTeX", "bib", "application/x-bibtex", bibtex),
             ("RIS", "ris", "application/x-research-info-systems", ris(cited_list)),
             ("CSL-JSON", "json", "application/vnd.citationstyles.csl+json", csl_json(cited_list)))
    # base64: as compact as percent-encoding for these texts, and a tenth of its cost at 10,000 pages
    return [{"label": label, "file": f"{r.id}.{ext}",
             "href": f"data:{mime};charset=utf-8;base64,{b64encode(content.encode('utf-8')).decode('ascii')}"}
            for label, ext, mime, content in files]


def render_body(ui: Fragments, lead: str, sections: Iterable[tuple[str, str, str]]) -> str:
    """A resource page's content after the ``<h1>``: the lead, then each section under its heading."""
    return "\n\n".join([lead, *(ui("section.html", anchor=anchor, heading=heading, html=Markup(html))
                                 for anchor, heading, html in sections)])


class Pages:
    """Every generated page of one catalogue: Markdown sources, and resource pages as HTML.

    Markdown structure (front matter, headings, Markdown links that MkDocs validates) is written
    here; every piece of HTML comes from a fragment template (:class:`~.fragments.Fragments`).
    """

    def __init__(self, cat: Catalogue, graph: Graph, ui: Fragments, page_cache: Store | None = None,
                 *, slots: bool = False, site_url: str | None = None, caches: Caches = NO_CACHES,
                 refs: Formatted | None = None, cited: Mapping[str, Citation] | None = None) -> None:
        self.cat = cat
        #: every resource's reference as reference managers read it (COinS, meta tags, downloads),
        #: by resource id: made once a build (:func:`.citations.by_id`)
        self.cited = cited if cited is not None else citations_by_id(cat.resources)
        #: Where the site is served: entries' permalinks ("Cite this entry") are absolute under it.
        self.site_url = site_url
        self.graph = graph
        self.ui = ui
        #: the build caches (memoised listings, results, drawings and page data)
        self.caches = caches
        #: the build's formatted references
        self.refs = refs if refs is not None else Formatted()
        #: Rendered resource pages of earlier builds, by a hash of their data (see :meth:`resources`).
        self.page_cache = page_cache
        #: With ``slots``, lists of resources are left out of the pages' Markdown, each for a marker
        #: line, and kept here by page and marker (see site.Site.slots): a page whose lists
        #: changed (an edited note) keeps the same Markdown.
        self.slots: dict[str, dict[str, str]] | None = {} if slots else None

    def fragment(self, fragment: str, /, **data: Any) -> Markup:
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

    # -- pieces --------------------------------------------------------------------------
    def _node_refs(self, page: str, nodes: Iterable[Node]) -> list[dict[str, str]]:
        return [{"href": rel_url(page, node_src(n)), "label": n.name} for n in nodes]

    def _item(self, page: str, r: Resource, *, brief: bool = False) -> dict[str, object]:
        return {"id": r.id, "href": rel_url(page, src_of("resources", r.id)), "title": r.title,
                "kind": KIND_LABEL[r.kind], "needs": " ".join(self.graph.needs_last(r)), "reading": r.reading,
                "byline": authors_line(r) + (" · " + r.year if r.year else ""),
                "why": None if brief else Markup(rich(r.why, inline=True)), "coins": coins(self.cited[r.id]),
                "added": r.added}

    def resource_items(self, page: str, resources: Iterable[Resource], css: str = "rm-resources", *,
                       brief: bool = False) -> str:
        """Resources as one raw-HTML list (a slot of the page, see :meth:`slot`).

        Lists are raw HTML, not Markdown: Python-Markdown's inline patterns over thirty items a level
        were most of the time MkDocs spent on topic and maths pages (and so of every `mkdocs serve`
        rebuild); links use directory URLs, checked by the site tests like the SVG's.
        """
        return self.slot(page, self.fragment("resource_list.html", css=css,
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
            out.append(self.resource_items(page, group[:LIST_LIMIT], brief=brief) + "\n")
            if len(group) > LIST_LIMIT:
                href = rel_url(page, BIBLIOGRAPHY) + f"?{more_query}&level={level}"
                out.append(self.ui("more.html", href=href, count=len(group), level=level) + "\n")
        for kind, group in sorted(apart.items()):
            out += [f"### {KIND_PLURAL[kind]}, not readings ({len(group)})\n",
                    self.resource_items(page, sorted(group, key=lambda r: r.title.lower()), brief=True) + "\n"]
        return out

    def aliases(self, aliases: Sequence[str]) -> list[str]:
        """The other names of a topic, maths area or resource, shown (and so found by search)."""
        return [self.ui("aliases.html", aliases=aliases) + "\n"] if aliases else []

    def can_do(self, node: Node) -> list[str]:
        """What knowing a maths area means, beside the "I know this" box."""
        if not node.can_do:
            return []
        return ["## What knowing it means\n",
                self.ui("can_do.html", id=node.id, name=node.name, items=node.can_do) + "\n"]

    def start_here(self, page: str, node: Node) -> list[str]:
        """The node's recognised ways in, in the order the editors gave."""
        if not node.start_here:
            return []
        resources = [self.cat.resource_by_id[rid] for rid in node.start_here]
        lines = ["## Start here\n", self.resource_items(page, resources, "rm-resources rm-start") + "\n"]
        if node.gentle_start:
            gentle = self.cat.resource_by_id[node.gentle_start]
            lines += [self.ui("gentle_start.html") + "\n",
                      self.resource_items(page, [gentle], "rm-resources rm-start rm-gentle") + "\n"]
        return lines

    def progress(self, page: str, what: str) -> str:
        """Where the script counts how many of the readings on the page the reader has marked."""
        return self.ui("progress.html", what=what, href=rel_url(page, BIBLIOGRAPHY) + "#reading-progress") + "\n"

    def route_panel(self, page: str, kind: str, target: str, name: str) -> str:
        """Where the script offers "Plan my route" to ``target`` and the "What I know" control."""
        return self.ui("route_panel.html", kind=kind, target=target, name=name, root=rel_url(page, "index.md")) + "\n"

    def result_href(self, page: str, result: Result) -> str:
        """The link to a result's own page."""
        return rel_url(page, src_of("results", result.id))

    def results_items(self, page: str, results: Iterable[Result],
                      note: Callable[[Result], str | None] = lambda r: None) -> list[dict[str, Any]]:
        return [{"href": self.result_href(page, r), "name": r.name, "status_label": STATUSES[r.status],
                 "note": note(r)} for r in results]

    def results_list(self, page: str, results: Iterable[Result], empty: str,
                     note: Callable[[Result], str | None] = lambda r: None) -> Markup:
        return self.ui("result_list.html", items=self.results_items(page, results, note), empty=empty)

    def questions_and_results(self, page: str, node: Node) -> list[str]:
        """A topic's central questions and key results (its first topic or not), each linking to
        its own page, where the statement, the readings and the links both ways are."""
        questions = self.cat.questions_by_topic.get(node.id, ())
        results = sorted(self.cat.results_by_topic.get(node.id, ()), key=lambda r: (r.year, r.name))
        lines = [f"## Central questions ({len(questions)})\n"]
        lines += [self.ui("question.html", question=self._question(page, q)) + "\n" for q in questions] or [
            "No central question of this topic is on the map yet.\n"]
        lines.append(f"## Key results ({len(results)})\n")
        lines.append(self.results_list(page, results, "No result of this topic is on the map yet.",
                                       note=lambda r: f"{r.who}, {r.year}") + "\n")
        return lines

    def _question(self, page: str, q: Question) -> dict[str, object]:
        return {"anchor": f"q-{q.id}", "question": q.question, "known": Markup(rich(q.known)),
                "href": rel_url(page, src_of("questions", q.id)), "status": "-".join(q.status.split()),
                "status_label": QUESTION_STATUSES[q.status],
                "results": [{"href": self.result_href(page, self.cat.result_by_id[r]),
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
            front_matter(node.name, plain(node.description), boost=HUB_BOOST),
            f"# {md_text(node.name)}\n",
            self.ui("lead.html", html=Markup(rich(node.description))) + "\n",
            *self.aliases(node.aliases),
            f"{link(page, src_of('paths', node.id), 'Reading path to this topic')}"
            "{ .md-button .md-button--primary }\n",
            self.route_panel(page, "topic", node.id, node.name),
            self.progress(page, "the readings this page lists"),
            self.ui("readings_download.html",
                    files=[(topic_bib(node.id, ext), label) for ext, label in READINGS_FORMATS]) + "\n",
            *self.start_here(page, node),
            "## What it needs\n",
            f"- **Builds on topics:** {node_links(page, builds_on)}",
            f"- **Maths it needs directly:** {node_links(page, direct_maths)}",
            f"- **All the maths behind it:** {node_links(page, maths)}",
            "",
            "## What this unlocks\n",
            (f"Topics that build on this one: {node_links(page, unlocks)}\n" if unlocks
             else "No other topic in the map builds on this one yet.\n"),
            *self.questions_and_results(page, node),
            f"## Resources ({len(resources)})\n",
            self.ui("known_hint.html", href=rel_url(page, BIBLIOGRAPHY) + "#known-maths") + "\n",
            *self.resource_list(page, resources, more_query=f"topic={node.id}"),
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
            front_matter(node.name, plain(node.description), boost=HUB_BOOST),
            f"# {md_text(node.name)}\n",
            self.ui("lead.html", html=Markup(rich(node.description))) + "\n",
            *self.aliases(node.aliases),
            *self.can_do(node),
            self.route_panel(page, "maths", node.id, node.name),
            *self.start_here(page, node),
            f"- **Builds on:** {node_links(page, requires)}",
            f"- **Leads to:** {node_links(page, leads_to)}",
            f"- **Research topics that need it:** {node_links(page, needed_by_topics)}",
            "",
            f"## Where to learn it ({len(teachers)})\n",
            *self.resource_list(page, teachers, more_query=f"topic={node.id}"),
        ]
        if not teachers:
            lines.append("No teaching resource yet.\n")
        lines += [
            f"## Resources that assume it ({len(needing)})\n",
            # Titles only: this page is for learning the area; what assumes it is a pointer, and
            # with each note the page of a much-assumed area passed 200 KB at 10,000 resources.
            *self.resource_list(page, needing, more_query=f"maths={node.id}", brief=True),
        ]
        if not needing:
            lines.append("No resource lists it as a prerequisite directly.\n")
        used = sorted(self.cat.results_by_maths.get(node.id, ()), key=lambda r: (r.year, r.name))
        lines += [
            f"## Used to prove ({len(used)})\n",
            "Results on the map whose proofs use this area of mathematics.\n",
            self.results_list(page, used, "No result on the map uses it yet.",
                              note=lambda r: ", ".join(self.cat.nodes[t].name for t in r.topics)) + "\n",
        ]
        return "\n".join(lines)

    def resources(self, rs: Sequence[Resource], links: Callable[[Resource], tuple[str | None, str | None]],
                  pool: Pool | None = None) -> list[PrebuiltPage]:
        """The resource pages, each with its edit and report links (``links``, in which :data:`LINE`
        stands for the resource's line). Their HTML comes
        from the fragment templates, filled with the data of :func:`resource_data`; with a page
        cache, a page whose data and templates are those of a page rendered before is taken from
        the cache (rendering is most of a page's cost), and with a ``pool`` the others are rendered
        in its worker processes too, from :data:`PAGES_POOL_MIN` of them on."""
        # Each page's data is a pure function of what it shows (ResourceInputs), memoised on it: in
        # `mkdocs serve` an unchanged page's data and key are those of the build before.
        def data_and_key(r: Resource) -> tuple[dict[str, Any], str]:
            inputs = self._inputs(r, *links(r))
            found: tuple[dict[str, Any], str] = self.caches.memo(
                "resource-page-data", (inputs, self.ui), lambda: _data_and_key(inputs, self.ui.fingerprint))
            return found

        made = [data_and_key(r) for r in rs]
        data = [page_data for page_data, _key in made]
        keys = [key for _data, key in made]
        rendered: list[Any] = [None] * len(rs)
        if self.page_cache is not None:
            rendered = [self.page_cache.get(key) for key in keys]
        todo = [i for i, done in enumerate(rendered) if done is None]
        if pool is not None:
            fresh = pool.run(render_resource_chunk, self.ui.override_dirs, [data[i] for i in todo],
                             minimum=PAGES_POOL_MIN).finish()
        else:
            fresh = [render_resource(self.ui, data[i]) for i in todo]
        for i, (lead, sections, body) in zip(todo, fresh, strict=True):
            # As JSON has it (lists): a cache held in memory (`mkdocs serve`) gives back what it was given.
            rendered[i] = page = [lead, [list(section) for section in sections], body]
            if self.page_cache is not None:
                self.page_cache.put(keys[i], page)
        pages = []
        for r, done in zip(rs, rendered, strict=True):
            assert done is not None
            pages.append(self._prebuilt(r, done))
        return pages

    def _prebuilt(self, r: Resource, rendered: Rendered) -> PrebuiltPage:
        line = str(r.line)
        lead, body = rendered[0].replace(LINE, line), rendered[2].replace(LINE, line)
        sections = [(anchor, heading, html.replace(LINE, line)) for anchor, heading, html in rendered[1]]
        # Search knows a resource by its names, people, year, venue and the first sentence of its
        # note: the whole note is on the page, in the listings of its topics (which search
        # indexes) and in the bibliography's filter, and every page's visitor downloads the index
        # (at 10,000 resources whole notes made it 10 MB).
        # (The title and aliases are the entry's title, which search weighs most; not repeated here.)
        search = " ".join([*r.authors, r.year, r.venue, _first_sentence(plain(r.why))])
        return PrebuiltPage(r.title, plain(r.why)[:300], lead, tuple((a, h, html) for a, h, html in sections),
                            text(" ".join(search.split())), self.ui, body, highwire(self.cited[r.id]))

    def _inputs(self, r: Resource, edit_url: str | None, issue_url: str | None) -> ResourceInputs:
        """Everything the page of ``r`` shows, taken from the catalogue and the graph."""
        graph = self.graph
        return ResourceInputs(
            resource=r, edit_url=edit_url, issue_url=issue_url,
            sources=tuple(self.cat.source_by_id.get(p.source) for p in r.recommended_in),
            topics=tuple(graph.nodes(r.topics)), prerequisites=tuple(graph.nodes(r.prerequisites)),
            needs_last=graph.needs_last(r),
            read_before=tuple((x.id, x.title) for x in graph.read_before(r)),
            read_next=tuple((x.id, x.title) for x in graph.read_next(r)),
            results=tuple(self.cat.results_by_resource.get(r.id, ())),
            reference=(self.refs.html(r.ref), self.refs.bibtex(r.ref)), citation=self.cited[r.id],
            site_url=self.site_url)

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
            self.route_panel(page, "topic", target.id, target.name),
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
                      f"{self.ui('coins.html', kev=coins(self.cited[r.id]))}" for r in stage.resources]
            lines.append("")
        lines += [
            self.progress(page, "the readings of this route"),
            "",
            self.ui("reading_list_link.html", href=READING_LIST) + "\n",
            self.ui("readings_download.html",
                    files=[(path_bib(target.id, ext), label) for ext, label in READINGS_FORMATS]) + "\n",
            "## The route as a graph\n",
            "Arrows point from what to read first to what it prepares for; numbers match the stages.\n",
            self.ui("graph.html", svg=Markup(path_svg(page, plan, self.caches)),
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

    def _path_item(self, t: Node) -> str:
        """A path on the paths index: its topic, its length and a line on what the topic is."""
        plan = self.graph.path(t.id)
        readings = len({r.id for stage in plan.stages for r in stage.resources})
        return (f"- **{link('paths/index.md', src_of('paths', t.id), t.name)}** — {len(plan.stages)} stages,"
                f" {readings} readings  \n  {md_text(_first_sentence(plain(t.description)))}")

    def indexes(self) -> dict[str, str]:
        cat, graph = self.cat, self.graph
        topics, maths = graph.topics, graph.maths
        return {
            "topics/index.md": _index_page(
                "Research topics", "The research directions in the mathematics of deep learning.",
                "The directions of research in the mathematics of deep learning, in reading order: a"
                " topic comes after the topics it builds on.",
                (f"- **{link('topics/index.md', node_src(t), t.name)}** ({len(cat.resources_by_topic[t.id])}"
                 f" resources) — {link('topics/index.md', src_of('paths', t.id), 'path')}  \n"
                 f"  {md_text(_first_sentence(plain(t.description)))}" for t in topics)),
            "maths/index.md": _index_page(
                "Mathematics", "The areas of mathematics that deep-learning theory uses.",
                "The areas of mathematics the research topics need, from the most basic to the most"
                " specialised; each page says where to learn it and what needs it.",
                (f"- **{link('maths/index.md', node_src(m), m.name)}** ({len(cat.teachers[m.id])} to learn"
                 f" from)  \n  {md_text(_first_sentence(plain(m.description)))}" for m in maths)),
            "paths/index.md": _index_page(
                "Reading paths", "Ordered reading routes from basic mathematics to each topic.",
                "Each path orders everything a topic depends on, from basic mathematics to the topic"
                " itself, with the one or two resources to read at each stage.",
                (self._path_item(t) for t in topics)),
        }

    def families(self) -> list[tuple[str, list[Node]]]:
        """The maths areas by family: families in the order maths.yaml first names them, areas
        in reading order; areas without one last, under "Other mathematics"."""
        out: dict[str, list[Node]] = {m.family: [] for m in self.cat.maths if m.family}
        for m in self.graph.maths:
            if m.family:
                out[m.family].append(m)
        other = [m for m in self.graph.maths if not m.family]
        return [*out.items(), *([(OTHER_FAMILY, other)] if other else [])]

    def home(self) -> str:
        cat, graph, page = self.cat, self.graph, "index.md"
        topics, maths = graph.topics, graph.maths
        needs = {r.id: frozenset(graph.needs(r)) for r in cat.resources}
        # How many resources of each topic need each area: one pass over the resources' needs.
        counted = {t.id: Counter(m for r in cat.resources_by_topic[t.id] for m in needs[r.id]) for t in topics}
        bib = rel_url(page, BIBLIOGRAPHY)
        # Columns grouped by family, as the picture below groups the areas.
        families = self.families()
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
        topic_items = []
        for t in topics:
            questions = cat.questions_by_topic.get(t.id, ())
            line = plain(questions[0].question) if questions else _first_sentence(plain(t.description))
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
            *self.latest_additions(page),
        ])

    def latest_additions(self, page: str) -> list[str]:
        """The home page's "Latest additions": the newest works and results, with links to all."""
        latest = changes.latest(self.cat)
        if not latest:
            return []
        items = [{"href": self.addition_href(page, a.item), "title": a.title, "added": a.added,
                  "kind": "Work" if a.kind == "resources" else "Result"} for a in latest]
        return ["## Latest additions\n",
                self.ui("latest.html", items=items, all=rel_url(page, changes.WHATS_NEW),
                        feed=f"{rel_url(page, 'index.md')}{changes.FEED}") + "\n"]

    def addition_href(self, page: str, item: Resource | Result) -> str:
        if isinstance(item, Resource):
            return rel_url(page, src_of("resources", item.id))
        return rel_url(page, src_of("results", item.id))

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
                lines.append(self.resource_items(page, shown, brief=True) + "\n")
            rest = len(works) - len(shown)
            if rest:
                more = f"And {rest} more work{'s' if rest != 1 else ''}" if shown else "They are"
                lines.append(f"{more} in the {link(page, BIBLIOGRAPHY, 'bibliography')}.\n")
            if found:
                lines.append(self.ui("whats_new_month.html", results=[
                    {"href": self.addition_href(page, r), "name": r.name} for r in found]) + "\n")
        return "\n".join(lines)


@dataclass(frozen=True)
class ResourceInputs:
    """What a resource page shows: the resource, its links to edit it and report a problem, and
    what it shows of the rest of the catalogue (sources, nodes, neighbours, results, reference)."""

    resource: Resource
    edit_url: str | None
    issue_url: str | None
    #: the source of each entry of ``recommended_in`` (None: added by the editors)
    sources: tuple[Source | None, ...]
    topics: tuple[Node, ...]
    prerequisites: tuple[Node, ...]
    needs_last: tuple[str, ...]
    #: (id, title) of the resources to read before and next
    read_before: tuple[tuple[str, str], ...]
    read_next: tuple[tuple[str, str], ...]
    results: tuple[Result, ...]
    #: the formatted reference and its BibTeX
    reference: tuple[str, str]
    #: the reference as reference managers read it
    citation: Citation
    #: where the site is served (the entry's permalink)
    site_url: str | None = None


def _data_and_key(inputs: ResourceInputs, templates: str) -> tuple[dict[str, Any], str]:
    """:func:`resource_data`, and the key of the page rendered from it with the ``templates``
    (their fingerprint) in the page cache."""
    data = resource_data(inputs)
    return data, digest("resource-page", data, templates, _PAGES_CODE)


def resource_data(inputs: ResourceInputs) -> dict[str, Any]:
    """Everything the fragments of a resource page are filled with, as plain data (HTML values as
    strings: they are HTML already)."""
    r, page = inputs.resource, src_of("resources", inputs.resource.id)
    links: list[dict[str, str]] = access_links(r, doi_label=f"DOI {r.doi}")
    if r.isbn:
        links.append({"label": f"ISBN {r.isbn}"})
    provenance = [{"url": source.url if source else None, "name": source.name if source else "Added by the editors",
                   "by": p.by, "note": rich(p.note, inline=True) if p.note else None}
                  for p, source in zip(r.recommended_in, inputs.sources, strict=True)]

    def node_refs(nodes: Iterable[Node]) -> list[dict[str, str]]:
        return [{"href": rel_url(page, node_src(n)), "label": n.name} for n in nodes]

    def resources_links(rs: Iterable[tuple[str, str]]) -> list[dict[str, str]]:
        return [{"href": rel_url(page, src_of("resources", rid)), "label": title} for rid, title in rs]

    improve = [{"url": url, "label": label} for url, label in (
        (inputs.edit_url, "Edit its entry in data/resources.yaml"),
        (inputs.issue_url, "Report a broken link or a wrong fact")) if url]
    results = [{"href": rel_url(page, src_of("results", x.id)), "name": x.name,
                "status_label": STATUSES[x.status],
                "note": next((f"read it at {g.where}" for g in x.read if g.resource == r.id and g.where), None)}
               for x in inputs.results]
    return {
        "lead": {"byline": [b for b in (", ".join(r.authors), r.year, r.venue) if b], "kind": KIND_LABEL[r.kind],
                 "level": r.level, "needs": " ".join(inputs.needs_last), "id": r.id, "title": r.title,
                 "checked": r.checked, "root": rel_url(page, "index.md")},
        "why": {"why": rich(r.why), "aliases": list(r.aliases), "links": links},
        "provenance": provenance,
        "topics": node_refs(inputs.topics),
        "prerequisites": node_refs(inputs.prerequisites),
        "read_before": resources_links(inputs.read_before),
        "read_next": resources_links(inputs.read_next),
        "results": results,
        "reference": {"formatted": inputs.reference[0], "bibtex": inputs.reference[1],
                      "downloads": reference_downloads(r, inputs.citation, inputs.reference[1])},
        "improve": improve,
        "cite": cite_data("resource", r.id, r.title, r.checked, permalink(inputs.site_url, page)),
    }


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


def path_svg(page: str, plan: PathPlan, caches: Caches = NO_CACHES) -> str:
    # Laying a graph out is the costliest part of a path page; in `mkdocs serve` the same route
    # (a frozen PathPlan: its nodes, numbers and edges) on the same page is drawn once.
    return str(caches.memo("path-graph", (page, plan), lambda: _path_svg(page, plan)))


def _path_svg(page: str, plan: PathPlan) -> str:
    requires = {s.node.id: s.node.requires for s in plan.stages}
    return svg.draw(
        [s.node for s in plan.stages],
        plan.edges,
        title=f"Reading path to {plan.target.name}",
        href=lambda n: rel_url(page, node_src(n)),
        highlight=plan.target.id,
        numbers={s.node.id: s.number for s in plan.stages},
        max_width=PATH_GRAPH_WIDTH,
        requires=requires.__getitem__,
    )


def _index_page(title: str, description: str, intro: str, items: Iterable[str]) -> str:
    return "\n".join([front_matter(title, description), f"# {title}\n", f"{intro}\n", *items, ""])


def render_resource(ui: Fragments, data: dict[str, Any]) -> Rendered:
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
    sections = [(anchor, heading, str(html[anchor])) for anchor, heading in RESOURCE_SECTIONS]
    if data["improve"]:
        sections.append((*IMPROVE_SECTION, str(ui("external_list.html", links=data["improve"]))))
    lead = str(ui("resource_lead.html", **data["lead"]))
    return lead, sections, render_body(ui, lead, sections)


@lru_cache(maxsize=4)
def _fragments(override_dirs: tuple[str, ...]) -> Fragments:
    return Fragments(override_dirs)


def render_resource_chunk(override_dirs: tuple[str, ...], chunk: list[dict[str, Any]]) -> list[Rendered]:
    """Render resource pages from their data (a task of the build's worker processes)."""
    ui = _fragments(tuple(override_dirs))
    return [render_resource(ui, data) for data in chunk]


def valid_rendered_page(value: Any) -> bool:
    """A cached rendered resource page has the shape :func:`render_resource` gives."""
    return (isinstance(value, list) and len(value) == 3 and isinstance(value[0], str) and isinstance(value[1], list)
            and all(isinstance(s, list) and len(s) == 3 and all(isinstance(x, str) for x in s) for s in value[1])
            and isinstance(value[2], str))
