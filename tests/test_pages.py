"""Structural tests of the generated Markdown (no MkDocs needed)."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from readingmap.catalogue.load import load_catalogue
from readingmap.graph import Graph
from readingmap.render.fragments import Fragments
from readingmap.render.pages import Pages, node_src, rel_url, url_dir
from readingmap.render.site import Site, build

REPO = Path(__file__).parent.parent


@pytest.fixture(scope="module")
def site() -> Site:
    return build(load_catalogue(REPO / "data"))


def test_every_node_and_resource_has_its_page(site: Site) -> None:
    cat = load_catalogue(REPO / "data")
    for t in cat.topics:
        assert f"topics/{t.id}/index.md" in site.pages
        assert f"paths/{t.id}/index.md" in site.pages
    for m in cat.maths:
        assert f"maths/{m.id}/index.md" in site.pages
    for r in cat.resources:
        assert f"resources/{r.id}/index.md" in site.prebuilt
    assert {"index.md", "bibliography/index.md", "topics/index.md", "maths/index.md", "paths/index.md"} <= set(site.pages)


def test_path_list_and_graph_agree() -> None:
    cat = load_catalogue(REPO / "data")
    graph = Graph(cat)
    for topic in cat.topics:
        plan = graph.path(topic.id)
        page = f"paths/{topic.id}/index.md"
        md = Pages(cat, graph, Fragments()).path(plan)
        listed = re.findall(r"^(\d+)\. \*\*\[[^\]]*\]\(([^)]+)\)\*\*", md, re.M)
        drawn = re.findall(r'<a class="rm-node[^"]*" href="([^"]+)"[^>]*? aria-label="(\d+)\. ', md)
        assert [int(n) for n, _ in listed] == list(range(1, len(plan.stages) + 1))
        assert sorted((int(n), href) for href, n in drawn) == [
            (s.number, rel_url(page, node_src(s.node))) for s in plan.stages
        ]
        for (_n, md_link), stage in zip(listed, plan.stages, strict=True):
            assert md_link == "../../" + node_src(stage.node)
        assert "<title>Reading path to" in md


def test_url_helpers() -> None:
    assert url_dir("index.md") == ""
    assert url_dir("topics/index.md") == "topics/"
    assert url_dir("topics/depth/index.md") == "topics/depth/"
    assert rel_url("paths/depth/index.md", "maths/linear-algebra/index.md") == "../../maths/linear-algebra/"
    assert rel_url("index.md", "bibliography/index.md") == "bibliography/"


def test_topic_page_structure(site: Site) -> None:
    md = site.markdown("topics/infinite-width/index.md")
    assert md.startswith('---\ntitle: "Infinite-width limits and kernels"')
    for heading in ("## What it needs", "## What this unlocks", "## Resources ("):
        assert heading in md
    assert "(../../paths/infinite-width/index.md)" in md
    # introductory resources come before advanced ones
    levels = re.findall(r"^### (Introductory|Intermediate|Advanced)", md, re.M)
    assert levels == sorted(levels, key=["Introductory", "Intermediate", "Advanced"].index)
    # each level is one raw-HTML list (cheap for MkDocs' Markdown), linking by directory URL
    assert md.count('<ul class="rm-resources" data-search-exclude>') == len(levels)
    cat = load_catalogue(REPO / "data")
    listed = md.split("## Resources (", 1)[1]
    linked = re.findall(r'<li[^>]*><strong><a href="\.\./\.\./resources/([^/"]+)/">', listed)
    assert sorted(linked) == sorted(r.id for r in cat.resources_by_topic["infinite-width"])
    # the named starting points come first, in the editors' order, before what the topic needs
    start = md.split("## Start here", 1)[1].split("## What it needs", 1)[0]
    assert re.findall(r'<li[^>]*><strong><a href="\.\./\.\./resources/([^/"]+)/">', start) == list(
        cat.nodes["infinite-width"].start_here)
    assert "<strong>Also known as:</strong> NTK, neural tangent kernel" in md


def test_resource_page_has_links_provenance_and_bibtex(site: Site) -> None:
    page = site.prebuilt["resources/berner2021modern/index.md"]
    body = page.body()
    assert 'href="https://arxiv.org/abs/2105.04026"' in body
    assert "MathOverflow" in dict((h, html) for _a, h, html in page.sections)["Recommended in"]
    assert '<pre class="rm-bibtex-text">@incollection{berner2021modern,' in body
    assert '<a href="../../topics/expressivity/">' in body
    # the title (with aliases) is the search entry's title; the text adds people, year, venue, first sentence
    assert "Berner" in page.search_text and page.title not in page.search_text


def test_every_resource_page_has_the_same_sections(site: Site) -> None:
    """One table of contents serves every resource page (see readingmap.mkdocs.shell)."""
    anchors = {tuple(a for a, _h, _html in page.sections) for page in site.prebuilt.values()}
    assert len(anchors) == 1


def test_resource_markdown_is_the_body_under_markdown_headings(site: Site) -> None:
    md = site.prebuilt["resources/berner2021modern/index.md"].markdown()
    assert md.startswith('---\ntitle: "The Modern Mathematics of Deep Learning"')
    assert "<h1>The Modern Mathematics of Deep Learning</h1>" in md
    assert "\n## Why read it\n\n<div class=\"rm-why\">" in md
    assert "\n## Reference\n\n" in md


def test_home_has_matrix_and_overview(site: Site) -> None:
    md = site.markdown("index.md")
    assert '<table class="rm-matrix">' in md
    assert 'class="rm-graph"' in md
    assert "(paths/index.md)" in md


def test_bibliography_json_is_compact_and_complete() -> None:
    """The large-catalogue mode's data: one row per resource, in page order, whose columns index
    small tables; the script builds the entry from it, so each value must be there exactly."""
    import json
    import re

    from readingmap.render import references
    from readingmap.render.bibliography import DATA_COLUMNS, bibliography_json, bibliography_search_json, sort_key
    from readingmap.render.markup import plain

    cat = load_catalogue(REPO / "data")
    graph = Graph(cat)
    data = json.loads(bibliography_json(cat, graph))
    assert data["version"] == 2 and data["columns"] == list(DATA_COLUMNS)
    col = {name: i for i, name in enumerate(data["columns"])}
    rows = data["entries"]
    assert [row[col["key"]] for row in rows] == [r.id for r in sorted(cat.resources, key=sort_key)]
    nodes = data["nodes"]
    assert {n[0] for n in nodes} == set(cat.nodes)
    assert data["links"] == {"arxiv": "https://arxiv.org/abs/", "doi": "https://doi.org/",
                             "resources": "../resources/"}
    for row in rows:
        r = cat.resource_by_id[row[col["key"]]]
        assert row[col["reference"]] == re.sub(r"</?span\b[^>]*>", "", references.formatted_html(r.ref))
        assert "<span" not in row[col["reference"]]
        assert data["kinds"][row[col["kind"]]][0] == r.kind
        assert data["levels"][row[col["level"]]] == r.level
        assert row[col["year"]] == r.year
        assert [nodes[i][0] for i in row[col["topics"]]] == graph.order(r.topics)
        assert [nodes[i][0] for i in row[col["needs"]]] == list(graph.needs(r))
        assert (row[col["url"]], row[col["arxiv"]], row[col["doi"]]) == (r.url or "", r.arxiv or "", r.doi or "")
    search = json.loads(bibliography_search_json(cat))
    assert search["version"] == data["version"] and len(search["text"]) == len(rows)
    for row, text in zip(rows, search["text"], strict=True):
        r = cat.resource_by_id[row[col["key"]]]
        assert text == " ".join([*r.aliases, plain(r.why)])
    assert all(n[2] == f"../{'topics' if n[0] in {t.id for t in cat.topics} else 'maths'}/{n[0]}/" for n in nodes)


def test_refs_bib_splits_into_each_entrys_bibtex() -> None:
    """The script takes an entry's BibTeX from refs.bib, from its line "@type{key," to the next
    such line (bibtexLoader in readingmap.js); that must give exactly the text pages show."""
    import re

    from readingmap.render import export, references

    cat = load_catalogue(REPO / "data")
    text = export.refs_bib(cat)
    starts = [(m.start(), m.group(1)) for m in re.finditer(r"^@[A-Za-z]+\{([^,\s]+),$", text, re.M)]
    assert sorted(key for _, key in starts) == sorted(r.id for r in cat.resources)
    for i, (start, key) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else len(text)
        assert text[start:end].rstrip() + "\n" == references.bibtex_text(cat.resource_by_id[key].ref)


def test_plain_text_is_unescaped_and_escaped_once_where_it_is_used() -> None:
    """plain() feeds meta descriptions, search and filter text: escaping it there and again at
    output showed '&amp;' to readers."""
    from readingmap.render.markup import plain
    from readingmap.render.pages import front_matter

    assert plain("Bounds & rates for $x<y$, *not* <b>bold</b>") == "Bounds & rates for \\(x<y\\), not bold"
    assert 'description: "Bounds &amp; rates' in front_matter("T", plain("Bounds & rates"))


def test_a_site_overrides_a_fragment_from_its_template_directory(tmp_path: Path) -> None:
    """A file readingmap/<fragment>.html in a directory given first replaces the package's fragment,
    and values reach it escaped (autoescape)."""
    (tmp_path / "readingmap").mkdir()
    (tmp_path / "readingmap" / "aliases.html").write_text(
        '<p class="mine">{{ aliases|join(" / ") }}</p>\n', encoding="utf-8")
    cat = load_catalogue(REPO / "tests/fixtures/mini")
    node = dataclasses.replace(cat.nodes["expressivity"], aliases=("UAT", "<b>x</b>"))
    md = Pages(cat, Graph(cat), Fragments([tmp_path])).topic(node)
    assert '<p class="mine">UAT / &lt;b&gt;x&lt;/b&gt;</p>' in md
    assert "Also known as" not in md


def test_every_font_the_shipped_stylesheets_name_is_shipped() -> None:
    """KaTeX's stylesheet named .woff and .ttf fallbacks that are not shipped (404s in the browser)."""
    from readingmap.render.site import asset_files

    assets = asset_files()
    for path, source in assets.items():
        if not path.endswith(".css"):
            continue
        for url in re.findall(r"url\(([^)]+)\)", source.read_text(encoding="utf-8")):
            target = (Path(path).parent / url.strip("'\"")).as_posix()
            assert target in assets, f"{path} names {url}, which is not shipped"


def test_every_drawing_holds_all_it_draws_inside_its_viewbox(site: Site) -> None:
    """Every box and every point of every edge of every graph lies inside the SVG's viewBox, and
    the viewBox is their extent with its small margin: nothing clipped, no empty band."""
    drawings = 0
    for path, md in ((p, site.markdown(p)) for p in site.pages):
        for svg in re.findall(r"<svg class=\"rm-graph\".*?</svg>", md, re.S):
            drawings += 1
            vx, vy, vw, vh = map(float, re.search(r'viewBox="([^"]+)"', svg).group(1).split())  # type: ignore[union-attr]
            xs: list[float] = []
            ys: list[float] = []
            for x, y, w, h in re.findall(r'<rect [^>]*?x="([\d.-]+)" y="([\d.-]+)" width="([\d.-]+)" height="([\d.-]+)"', svg):
                xs += [float(x), float(x) + float(w)]
                ys += [float(y), float(y) + float(h)]
            lines = re.findall(r'<polyline [^>]*?points="([^"]+)"', svg)
            assert lines or "<polyline" not in svg, path
            for points in lines:
                for pair in points.split():
                    x, y = pair.split(",")
                    xs.append(float(x))
                    ys.append(float(y))
            assert vx <= min(xs) and max(xs) <= vx + vw, (path, vx, vw, min(xs), max(xs))
            assert vy <= min(ys) and max(ys) <= vy + vh, (path, vy, vh, min(ys), max(ys))
            for lo, hi, v0, size in ((min(xs), max(xs), vx, vw), (min(ys), max(ys), vy, vh)):
                assert abs(lo - 6 - v0) <= 1 and abs(hi + 6 - (v0 + size)) <= 1.5, (path, lo, hi, v0, size)
    assert drawings >= 20  # the home overview, every path and the results


def test_wrapped_graph_labels_keep_the_space_between_their_lines(site: Site) -> None:
    md = site.markdown("paths/optimisation-landscapes/index.md")
    nodes = re.findall(r'<a class="rm-node[^"]*" href="[^"]*"[^>]*? aria-label="(\d+)\. ([^"(]+) \(\w[^"]*\)">.*?'
                       r'<text text-anchor="middle">(.*?)</text>', md)
    wrapped = [(name, re.findall(r"<tspan[^>]*>([^<]*)</tspan>", tspans)) for _n, name, tspans in nodes]
    two_lines = [(name, lines) for name, lines in wrapped if len(lines) == 2]
    assert two_lines, wrapped
    for name, lines in two_lines:
        # the text reads as the aria-label does: "3. Real analysis", not "3. Realanalysis"
        assert "".join(lines).split(". ", 1)[1] == name, (name, lines)


def test_a_path_offers_its_route_as_a_reading_list(site: Site) -> None:
    cat = load_catalogue(REPO / "data")
    plan = Graph(cat).path("depth")
    text = site.exports["paths/depth/reading-list.txt"]
    assert text.startswith("Reading path to The role of depth\n")
    positions = [text.index(f"{s.number}. {s.node.name} (") for s in plan.stages]
    assert positions == sorted(positions)
    for stage in plan.stages:
        for r in stage.resources:
            assert f"   - {r.title}." in text
    assert '<a href="reading-list.txt" download>' in site.markdown("paths/depth/index.md")
