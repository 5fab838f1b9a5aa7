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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..catalogue.model import LEVELS, Catalogue, Node, Resource
from ..graph import Graph, PathPlan
from . import references, svg
from .markup import attr, md_text, plain, rich, text

#: Resources listed per level on a topic or maths page before the list links to the bibliography.
LIST_LIMIT = 30
KIND_LABEL = {
    "book": "Book", "course": "Course", "paper": "Paper", "survey": "Survey",
    "lecture-notes": "Lecture notes", "blog": "Blog post", "video": "Video",
    "website": "Website", "venue": "Venue",
}  # fmt: skip

BIBLIOGRAPHY = "bibliography.md"


def src_of(kind: str, ident: str) -> str:
    return f"{kind}/{ident}.md"


def node_src(node: Node) -> str:
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
                 searchable: bool = True) -> str:
    # JSON strings are valid YAML; the title is HTML-escaped, quotes too, because themes print it
    # unescaped (Material in <title>, the header, and the <h1> of a page without one).
    lines = ["---", f"title: {json.dumps(attr(title))}"]
    if description:
        lines.append(f"description: {json.dumps(attr(description[:300]))}")
    if hide:
        lines.append(f"hide: {json.dumps(list(hide))}")
    if not searchable:
        lines.append("search:\n  exclude: true")
    lines.append("---\n")
    return "\n".join(lines)


def link(page: str, target: str, label: str) -> str:
    return f"[{md_text(label)}]({rel_md(page, target)})"


def external(url: str, label: str) -> str:
    return f'<a href="{attr(url)}" rel="noopener">{text(label)}</a>'


def access_links(r: Resource, *, doi_label: str) -> list[str]:
    """Links to read a resource: its free version (or its only link), arXiv and DOI."""
    links = []
    if r.url:
        links.append(external(r.url, "Free version" if (r.arxiv or r.doi) else "Link"))
    if r.arxiv_url and r.arxiv:
        links.append(external(r.arxiv_url, f"arXiv:{r.arxiv}"))
    if r.doi_url and r.doi:
        links.append(external(r.doi_url, doi_label))
    return links


def authors_line(r: Resource, limit: int = 6) -> str:
    names = list(r.authors)
    if len(names) > limit:
        names = [*names[: limit - 1], "et al."]
    return ", ".join(names)


def readiness_span(graph: Graph, r: Resource) -> str:
    needs = " ".join(graph.needs(r))
    return f'<span class="rm-status" data-needs="{attr(needs)}"></span>'


def _html_link(page: str, target: str, label: str) -> str:
    return f'<a href="{attr(rel_url(page, target))}">{text(label)}</a>'


def resource_item(page: str, graph: Graph, r: Resource) -> str:
    """One resource as an HTML list item (title link, kind, readiness, byline, why).

    Lists are raw HTML, not Markdown: Python-Markdown's inline patterns over thirty items a level
    were most of the time MkDocs spent on topic and maths pages (and so of every `mkdocs serve`
    rebuild); links use directory URLs, checked by the site tests like the SVG's.
    """
    title = _html_link(page, src_of("resources", r.id), r.title)
    kind = f'<span class="rm-kind">{text(KIND_LABEL[r.kind])}</span>'
    return (f"<li><strong>{title}</strong> {kind} {readiness_span(graph, r)}<br>\n"
            f'{text(authors_line(r) + (" · " + r.year if r.year else ""))}<br>\n'
            f'<span class="rm-why">{rich(r.why, inline=True)}</span></li>')


def resource_list(page: str, graph: Graph, resources: Iterable[Resource], *, more_query: str) -> list[str]:
    """Resources grouped by level, introductory first; long groups link to the bibliography."""
    out: list[str] = []
    by_level: dict[str, list[Resource]] = {level: [] for level in LEVELS}
    for r in resources:
        by_level[r.level].append(r)
    for level in LEVELS:
        group = sorted(by_level[level], key=lambda r: (r.editorial, r.year, r.title.lower()))
        if not group:
            continue
        out.append(f"### {level.capitalize()} ({len(group)})\n")
        items = "\n".join(resource_item(page, graph, r) for r in group[:LIST_LIMIT])
        out.append(f'<ul class="rm-resources">\n{items}\n</ul>\n')
        if len(group) > LIST_LIMIT:
            href = rel_url(page, BIBLIOGRAPHY) + f"?{more_query}&level={level}"
            out.append(f'<p class="rm-more"><a href="{attr(href)}">All {len(group)}'
                       f" {text(level)} resources in the bibliography</a></p>\n")
    return out


def node_links(page: str, nodes: Sequence[Node]) -> str:
    return ", ".join(link(page, node_src(n), n.name) for n in nodes) or "—"


def aliases_html(aliases: Sequence[str]) -> str:
    """The other names of a topic, maths area or resource, shown (and so found by search)."""
    if not aliases:
        return ""
    return f'<p class="rm-aka"><strong>Also known as:</strong> {text(", ".join(aliases))}</p>\n'


def start_here(page: str, graph: Graph, node: Node) -> list[str]:
    """The node's recognised ways in, in the order the editors gave."""
    if not node.start_here:
        return []
    resources = [graph.catalogue.resource_by_id[rid] for rid in node.start_here]
    items = "\n".join(resource_item(page, graph, r) for r in resources)
    return ["## Start here\n", f'<ul class="rm-resources rm-start">\n{items}\n</ul>\n']


# -- pages ---------------------------------------------------------------------------------------
def topic_page(cat: Catalogue, graph: Graph, node: Node) -> str:
    page = node_src(node)
    resources = cat.resources_by_topic[node.id]
    requires = graph.nodes(graph.requires(node.id))
    builds_on = [n for n in requires if n.kind == "topic"]
    maths = graph.nodes(graph.maths_needed([node.id]))
    direct_maths = [n for n in requires if n.kind == "maths"]
    unlocks = graph.nodes(graph.unlocks(node.id))
    lines = [
        front_matter(node.name, plain(node.description)),
        f"# {md_text(node.name)}\n",
        f'<div class="rm-lead">{rich(node.description)}</div>\n',
        aliases_html(node.aliases),
        f"{link(page, src_of('paths', node.id), 'Reading path to this topic')}"
        "{ .md-button .md-button--primary }\n",
        *start_here(page, graph, node),
        "## What it needs\n",
        f"- **Builds on topics:** {node_links(page, builds_on)}",
        f"- **Maths it needs directly:** {node_links(page, direct_maths)}",
        f"- **All the maths behind it:** {node_links(page, maths)}",
        "",
        "## What this unlocks\n",
        (f"Topics that build on this one: {node_links(page, unlocks)}\n" if unlocks
         else "No other topic in the map builds on this one yet.\n"),
        f"## Resources ({len(resources)})\n",
        _known_hint(page),
        *resource_list(page, graph, resources, more_query=f"topic={node.id}"),
    ]
    if not resources:
        lines.append("No resources yet: [contribute one](../contributing.md).\n")
    return "\n".join(lines)


def _known_hint(page: str) -> str:
    href = rel_url(page, BIBLIOGRAPHY) + "#known-maths"
    return (f'<p class="rm-known-hint">Tick the mathematics you already know in the'
            f' <a href="{attr(href)}">bibliography</a>, and each resource here shows whether you'
            " are ready for it.</p>\n")


def maths_page(cat: Catalogue, graph: Graph, node: Node) -> str:
    page = node_src(node)
    teachers = cat.teachers[node.id]
    requires = graph.nodes(graph.requires(node.id))
    leads_to = graph.nodes(graph.unlocks(node.id))
    needed_by_topics = [t for t in cat.topics if node.id in graph.maths_needed([t.id])]
    needing = cat.resources_by_prerequisite[node.id]
    lines = [
        front_matter(node.name, plain(node.description)),
        f"# {md_text(node.name)}\n",
        f'<div class="rm-lead">{rich(node.description)}</div>\n',
        aliases_html(node.aliases),
        *start_here(page, graph, node),
        f"- **Builds on:** {node_links(page, requires)}",
        f"- **Leads to:** {node_links(page, leads_to)}",
        f"- **Research topics that need it:** {node_links(page, needed_by_topics)}",
        "",
        f"## Where to learn it ({len(teachers)})\n",
        *resource_list(page, graph, teachers, more_query=f"topic={node.id}"),
    ]
    if not teachers:
        lines.append("No teaching resource yet.\n")
    lines += [
        f"## Resources that assume it ({len(needing)})\n",
        *resource_list(page, graph, needing, more_query=f"maths={node.id}"),
    ]
    if not needing:
        lines.append("No resource lists it as a prerequisite directly.\n")
    return "\n".join(lines)


#: The sections of every resource page, in order, with their anchors: the same on every page, so
#: the page's table of contents is too (an empty section says so instead of disappearing).
RESOURCE_SECTIONS = (
    ("why-read-it", "Why read it"),
    ("recommended-in", "Recommended in"),
    ("topics-and-prerequisites", "Topics and prerequisites"),
    ("read-before-and-next", "Read before and next"),
    ("reference", "Reference"),
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

    def body(self) -> str:
        """The page content after the ``<h1>``, exactly as MkDocs renders :meth:`markdown` with the
        site's Markdown settings (``toc: permalink: true``); a test compares the two."""
        return "\n\n".join([self.lead, *(
            f'<h2 id="{anchor}">{text(heading)}<a class="headerlink" href="#{anchor}"'
            f' title="Permanent link">&para;</a></h2>\n{html}' for anchor, heading, html in self.sections)])

    def markdown(self) -> str:
        return "\n".join([
            front_matter(self.title, self.description),
            f"<h1>{attr(self.title)}</h1>\n",
            self.lead + "\n",
            *(f"## {md_text(heading)}\n\n{html}\n" for _anchor, heading, html in self.sections),
        ])


def _html_node_links(page: str, nodes: Sequence[Node]) -> str:
    return ", ".join(_html_link(page, node_src(n), n.name) for n in nodes) or "—"


def _html_list(items: Iterable[str]) -> str:
    return "<ul>\n" + "".join(f"<li>{item}</li>\n" for item in items) + "</ul>"


def resource_page(cat: Catalogue, graph: Graph, r: Resource, *, edit_url: str | None,
                  issue_url: str | None) -> PrebuiltPage:
    page = src_of("resources", r.id)
    links = access_links(r, doi_label=f"DOI {r.doi}")
    if r.isbn:
        links.append(f"ISBN {text(r.isbn)}")
    provenance = []
    for p in r.recommended_in:
        source = cat.source_by_id.get(p.source)
        where = (external(source.url, source.name) if source and source.url else
                 text(source.name if source else "Added by the editors"))
        who = f" by <strong>{text(p.by)}</strong>" if p.by else ""
        note = f" — {rich(p.note, inline=True)}" if p.note else ""
        provenance.append(f"{where}{who}{note}")
    before = graph.read_before(r)
    after = graph.read_next(r)
    byline = " · ".join(text(b) for b in (", ".join(r.authors), r.year, r.venue) if b)
    lead = (
        f'<p class="rm-byline">{byline}</p>\n'
        f'<p class="rm-badges"><span class="rm-kind">{text(KIND_LABEL[r.kind])}</span>'
        f' <span class="rm-level rm-level-{r.level}">{text(r.level)}</span>'
        f" {readiness_span(graph, r)}</p>"
    )
    why = f'<div class="rm-why">{rich(r.why)}</div>'
    if r.aliases:
        why += "\n" + aliases_html(r.aliases).rstrip("\n")
    if links:
        why += '\n<p class="rm-links">' + " · ".join(links) + "</p>"

    def resources_links(rs: Iterable[Resource]) -> str:
        return ", ".join(_html_link(page, src_of("resources", x.id), x.title) for x in rs) or "—"

    html = {
        "why-read-it": why,
        "recommended-in": _html_list(provenance),
        "topics-and-prerequisites": _html_list([
            f"<strong>Topics:</strong> {_html_node_links(page, graph.nodes(r.topics))}",
            "<strong>Prerequisites:</strong> "
            + _html_node_links(page, graph.nodes(r.prerequisites)),
        ]),
        "read-before-and-next": _html_list([
            f"<strong>Read before:</strong> {resources_links(before)}",
            f"<strong>Read next:</strong> {resources_links(after)}",
        ]),
        "reference": (
            f'<div class="rm-ref">{references.formatted_html(r.ref)}</div>\n'
            # A plain <pre>, as in the bibliography: the theme's code-block script is not needed.
            f'<div class="rm-bibtex-block"><pre class="rm-bibtex-text">'
            f"{text(references.bibtex_text(r.ref))}</pre>"
            '<button type="button" class="rm-copy md-button">Copy BibTeX</button></div>'
        ),
    }
    sections = [(anchor, heading, html[anchor]) for anchor, heading in RESOURCE_SECTIONS]
    if edit_url or issue_url:
        items = []
        if edit_url:
            items.append(external(edit_url, "Edit its entry in data/resources.yaml"))
        if issue_url:
            items.append(external(issue_url, "Report a broken link or a wrong fact"))
        sections.append((*IMPROVE_SECTION, _html_list(items)))
    search = " ".join([r.title, *r.aliases, *r.authors, r.year, r.venue, plain(r.why)])  # plain text
    return PrebuiltPage(r.title, plain(r.why)[:300], lead, tuple(sections), text(" ".join(search.split())))


def path_page(cat: Catalogue, graph: Graph, plan: PathPlan) -> str:
    target = plan.target
    page = src_of("paths", target.id)
    lines = [
        # No table of contents (two entries): its column goes to the graph.
        front_matter(f"Path to {target.name}", f"An ordered reading route from basic mathematics to {target.name}.",
                     hide=("toc",)),
        f"# Path to {md_text(target.name)}\n",
        f"An ordered route from basic mathematics to {link(page, node_src(target), target.name)}:"
        f" {len(plan.stages)} stages, each after everything it depends on. Skip the stages you"
        " already know; the graph below shows which stage needs which.\n",
        "## Stages\n",
    ]
    for stage in plan.stages:
        node = stage.node
        kind = "maths" if node.kind == "maths" else "topic"
        reads = ", ".join(link(page, src_of("resources", r.id), r.title) for r in stage.resources)
        lines.append(f"{stage.number}. **{link(page, node_src(node), node.name)}**"
                     f' <span class="rm-stage-kind">{kind}</span>'
                     + (f" — read: {reads}" if reads else " — no resource yet"))
    lines += [
        "",
        "## The route as a graph\n",
        "Arrows point from what to read first to what it prepares for; numbers match the stages.\n",
        f'<div class="rm-graph-wrap">{path_svg(page, plan)}</div>\n',
    ]
    return "\n".join(lines)


def path_svg(page: str, plan: PathPlan) -> str:
    return svg.draw(
        [s.node for s in plan.stages],
        plan.edges,
        title=f"Reading path to {plan.target.name}",
        href=lambda n: rel_url(page, node_src(n)),
        highlight=plan.target.id,
        numbers={s.node.id: s.number for s in plan.stages},
    )


def _index_page(title: str, description: str, intro: str, items: Iterable[str]) -> str:
    return "\n".join([front_matter(title, description), f"# {title}\n", f"{intro}\n", *items, ""])


def index_pages(cat: Catalogue, graph: Graph) -> dict[str, str]:
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
            (f"- {link('paths/index.md', src_of('paths', t.id), t.name)}"
             f" ({len(graph.ancestors(t.id)) + 1} stages)" for t in topics)),
    }


def _first_sentence(value: str) -> str:
    end = value.find(". ")
    return value if end < 0 else value[: end + 1]


def home_page(cat: Catalogue, graph: Graph) -> str:
    page = "index.md"
    topics, maths = graph.topics, graph.maths
    needs = {r.id: frozenset(graph.needs(r)) for r in cat.resources}
    bib = rel_url(page, BIBLIOGRAPHY)
    head = "".join(
        f'<th scope="col" class="rm-col"><a href="{attr(rel_url(page, node_src(m)))}"'
        f' title="{attr(m.name)}"><span>{text(m.name)}</span></a></th>'
        for m in maths
    )
    rows = []
    for t in topics:
        structural = graph.maths_needed([t.id])
        cells = []
        for m in maths:
            count = sum(1 for r in cat.resources_by_topic[t.id] if m.id in needs[r.id])
            cls = "rm-cell" + (" rm-core" if m.id in structural else "") + (" rm-empty" if not count else "")
            label = f"{count} resources on {t.name} that need {m.name}"
            if count:
                href = f"{bib}?topic={t.id}&maths={m.id}"
                cells.append(f'<td class="{cls}"><a href="{attr(href)}" aria-label="{attr(label)}">{count}</a></td>')
            else:
                mark = "·" if m.id in structural else ""
                cells.append(f'<td class="{cls}" aria-label="{attr(label)}">{mark}</td>')
        rows.append(
            f'<tr><th scope="row"><a href="{attr(rel_url(page, node_src(t)))}">{text(t.name)}</a>'
            f' <a class="rm-row-path" href="{attr(rel_url(page, src_of("paths", t.id)))}"'
            f' aria-label="{attr("Reading path to " + t.name)}">path</a></th>{"".join(cells)}</tr>'
        )
    overview = svg.draw(
        [*maths, *topics],
        graph.hasse_edges(n.id for n in (*maths, *topics)),
        title="Overview: areas of mathematics (left) lead to research topics (right)",
        href=lambda n: rel_url(page, node_src(n)),
        direction="LR",
    )
    counts = (f"{len(cat.resources)} resources, {len(topics)} research topics,"
              f" {len(maths)} areas of mathematics")
    return "\n".join([
        front_matter("The mathematics of deep learning: a reading map",
                     "What to read, and which mathematics you need, to learn the theory of deep learning.",
                     hide=("navigation", "toc")),
        "# The mathematics of deep learning: a reading map\n",
        "For readers who know mathematics and want to learn the theory of deep learning rigorously:"
        " which research directions there are, which mathematics each one needs, and what to read,"
        f" in which order. Curated from two MathOverflow threads and the survey *The Modern"
        f" Mathematics of Deep Learning*; {md_text(counts)}.\n",
        '<div class="grid cards" markdown>\n',
        f"- **Start from a topic**  \n  {link(page, 'paths/index.md', 'Reading paths')}: an ordered"
        " route from basic mathematics to each research topic.",
        f"- **Start from what you know**  \n  {link(page, BIBLIOGRAPHY, 'The bibliography')}: tick"
        " the mathematics you know and see what you can read now.",
        f"- **Browse**  \n  {link(page, 'topics/index.md', 'Research topics')} ·"
        f" {link(page, 'maths/index.md', 'Mathematics')}",
        "\n</div>\n",
        "## Which mathematics each direction needs\n",
        "Rows are research topics, columns areas of mathematics. A number counts the resources on"
        " that topic that need that area (follow it to the list); a shaded cell marks maths the"
        " topic itself builds on.\n",
        f'<div class="rm-matrix-wrap"><table class="rm-matrix"><caption>Resources per research topic'
        f" and area of mathematics</caption><thead><tr><th scope=\"col\">Topic</th>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></div>\n",
        "## How the field fits together\n",
        "Every box is a link: maths areas are outlined, research topics filled. Arrows run from"
        " what to learn first to what it prepares for.\n",
        f'<div class="rm-graph-wrap">{overview}</div>\n',
    ])
