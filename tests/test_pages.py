"""Structural tests of the generated Markdown (no MkDocs needed)."""

from __future__ import annotations

import dataclasses
import re
from html import unescape
from pathlib import Path

import pytest

from readingmap.catalogue.load import load_catalogue
from readingmap.graph import Graph
from readingmap.render.addresses import node_src, rel_url, url_dir
from readingmap.render.fragments import Fragments
from readingmap.render.listings import first_sentence
from readingmap.render.markup import plain
from readingmap.render.pages import Pages
from readingmap.render.resource_pages import SEARCH_SENTENCE
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
        md = Pages(cat, graph, Fragments()).hubs.path(plan)
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
    # ... and venues (not readings) one more list, last, without read marks or readiness
    assert md.count('<ul class="rm-resources" data-search-exclude>') == len(levels) + 1
    venues = md.split("### Venues, not readings (", 1)[1]
    assert "neurips-conference" in venues and "rm-read-box" not in venues and "rm-status" not in venues
    cat = load_catalogue(REPO / "data")
    listed = md.split("## Resources (", 1)[1]
    linked = re.findall(r'<li[^>]*><strong><a href="\.\./\.\./resources/([^/"]+)/">', listed)
    # every resource of the topic is listed, or counted in a long level's link to the bibliography
    assert set(linked) <= {r.id for r in cat.resources_by_topic["infinite-width"]}
    more = [int(n) for n in re.findall(r">All (\d+) \w+ resources in the bibliography<", listed)]
    assert more and len(linked) + sum(n - 20 for n in more) == len(cat.resources_by_topic["infinite-width"])
    # the named starting points come first, in the editors' order, before what the topic needs
    start = md.split("## Start here", 1)[1].split("## What it needs", 1)[0]
    # (the topic's gentle start, for a reader who lacks the start's prerequisites, follows it)
    start, _, gentle = start.partition('id="gentle-start"')
    assert re.findall(r'<li[^>]*><strong><a href="\.\./\.\./resources/([^/"]+)/">', gentle) == [
        cat.nodes["infinite-width"].gentle_start]
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


def test_a_result_page_says_when_its_statement_rests_on_no_located_theorem(site: Site) -> None:
    """A mathematician reading a statement should know whether it was checked against a numbered
    theorem: a result whose first reading names no place in the work says so under its statement."""
    from markupsafe import escape

    cat = load_catalogue(REPO / "data")
    for r in cat.results:
        statement = dict((h, html) for _a, h, html in site.prebuilt[f"results/{r.id}/index.md"].sections)["Statement"]
        assert ('class="rm-unlocated"' in statement) == (not r.read[0].where), r.id
        if r.read[0].where:
            assert f"{escape(r.read[0].where)} of <a" in statement, r.id


def test_a_search_entry_keeps_a_long_first_sentence_only_to_a_word_past_its_limit(site: Site) -> None:
    """Every visitor downloads the search index: a resource's entry keeps its note's first
    sentence up to SEARCH_SENTENCE characters, cut after a whole word and marked "…"."""
    cut = 0
    for r in load_catalogue(REPO / "data").resources:
        sentence = " ".join(first_sentence(plain(r.why)).split())
        whole = " ".join(" ".join([*r.authors, r.year, r.venue, sentence]).split())
        text = unescape(site.prebuilt[f"resources/{r.id}/index.md"].search_text)
        if len(sentence) <= SEARCH_SENTENCE:
            assert text == whole
            continue
        cut += 1
        kept = text[:-1]
        assert text.endswith("…") and whole.startswith(kept) and whole[len(kept)] in " ,;:"
        assert len(kept) - (len(whole) - len(sentence)) <= SEARCH_SENTENCE
    assert cut > 0


def test_every_resource_page_has_the_same_sections(site: Site) -> None:
    """One table of contents serves every resource page (see readingmap.mkdocs.shell), and one
    every result page, one every question page (a site without a repository has no "Improve")."""
    anchors: dict[str, set[tuple[str, ...]]] = {}
    for path, page in site.prebuilt.items():
        anchors.setdefault(path.split("/")[0], set()).add(tuple(a for a, _h, _html in page.sections))
    assert set(anchors) == {"resources", "results", "questions"}
    assert all(len(found) == 1 for found in anchors.values()), anchors


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
    # the first screen: what the site is, the ways in (Results among them), the topics as a
    # compact list above the matrix, and the site's navigation left in place
    assert '<a href="paths/">Reading paths</a>' in md and '<a href="results/">Results</a>' in md
    topics = md.split('<ol class="rm-topic-list">', 1)[1].split("</ol>", 1)[0]
    assert topics.count("<li>") == 18
    assert md.index('<ol class="rm-topic-list">') < md.index('<table class="rm-matrix">')
    assert 'hide: ["toc"]' in md
    # columns headed by short names, the full name in the link's title and accessible name
    assert '<a href="maths/multivariable-calculus/" title="Multivariable calculus"' in md
    assert "<span>Calculus</span>" in md


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
    assert data["version"] == 3 and data["columns"] == list(DATA_COLUMNS)
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
        assert (data["levels"][row[col["level"]]] if r.reading else row[col["level"]]) == (r.level or None)
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
    from readingmap.render.addresses import front_matter
    from readingmap.render.markup import plain

    assert plain("Bounds & rates for $x<y$, *not* <b>bold</b>") == "Bounds & rates for x<y, not bold"
    assert 'description: "Bounds &amp; rates' in front_matter("T", plain("Bounds & rates"))


def test_maths_as_plain_text() -> None:
    """Where nothing typesets maths (meta descriptions, search, the filter text), it is plain
    Unicode text with no TeX syntax left."""
    from readingmap.catalogue.mathtext import dollar_maths, maths_text
    from readingmap.render.markup import plain

    assert plain(r"A composition \(x \mapsto W_L\,\sigma(W_{L-1}\cdots\sigma(W_1 x + b_1)\cdots)\).") == (
        "A composition x ↦ W_L σ(W_(L-1)⋯σ(W₁ x + b₁)⋯).")
    assert plain(r"Rank $r_k(\Sigma)$ of $\Sigma\in\mathbb{R}^{d\times d}$") == "Rank rₖ(Σ) of Σ ∈ ℝ^(d×d)"
    assert maths_text(r"\frac{1}{2}\lVert w\rVert^2 + \mathrm{JSD}(p\,\|\,q) \le 2^{\Omega(d\log d)}") == (
        "1/2‖w‖² + JSD(p ‖ q) ≤ 2^(Ω(d log d))")
    assert maths_text(r"\unknown{x}_{\alpha}") == "unknownx_α"
    # BibTeX titles: maths between dollars, a literal dollar escaped
    assert dollar_maths(r"Nearly $d$-Linear Bounds, $\exists \mathbb R$-Complete, \$5") == (
        r"Nearly d-Linear Bounds, ∃ℝ-Complete, \$5")
    assert plain("costs $5 and\n\n$$x^2$$\n") == "costs $5 and x²"
    for tex in (r"\left\{ \tfrac{a}{b} \right\}", r"\sqrt{\hat{x}}", r"{{x}", r"x^", r"\\"):
        assert not set(maths_text(tex)) & set("\\$"), tex


def test_a_site_overrides_a_fragment_from_its_template_directory(tmp_path: Path) -> None:
    """A file readingmap/<fragment>.html in a directory given first replaces the package's fragment,
    and values reach it escaped (autoescape)."""
    (tmp_path / "readingmap").mkdir()
    (tmp_path / "readingmap" / "aliases.html").write_text(
        '<p class="mine">{{ aliases|join(" / ") }}</p>\n', encoding="utf-8")
    cat = load_catalogue(REPO / "tests/fixtures/mini")
    node = dataclasses.replace(cat.nodes["expressivity"], aliases=("UAT", "<b>x</b>"))
    md = Pages(cat, Graph(cat), Fragments([tmp_path])).hubs.topic(node)
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
    assert drawings >= 19  # the home overview and every path


def test_results_drawings_hold_all_they_draw_inside_their_viewbox(site: Site) -> None:
    """The drawings of what builds on what (the results index, each result page): every box, the
    legend's included, and every point of every edge lies inside the viewBox."""
    bodies = [site.markdown("results/index.md"), *(p.body() for k, p in site.prebuilt.items() if k.startswith("results/"))]
    drawings = 0
    for body in bodies:
        for svg in re.findall(r"<svg class=\"rm-graph rm-results-graph\".*?</svg>", body, re.S):
            drawings += 1
            vx, vy, vw, vh = map(float, re.search(r'viewBox="([^"]+)"', svg).group(1).split())  # type: ignore[union-attr]
            points = [(float(x), float(y)) for x, y, w, h in re.findall(
                r'<rect [^>]*?x="([\d.-]+)" y="([\d.-]+)" width="([\d.-]+)" height="([\d.-]+)"', svg)]
            points += [(float(x) + float(w), float(y) + float(h)) for x, y, w, h in re.findall(
                r'<rect [^>]*?x="([\d.-]+)" y="([\d.-]+)" width="([\d.-]+)" height="([\d.-]+)"', svg)]
            points += [tuple(map(float, pair.split(","))) for line in re.findall(r'points="([^"]+)"', svg)
                       for pair in line.split()]  # type: ignore[misc]
            assert all(vx <= x <= vx + vw and vy <= y <= vy + vh for x, y in points)
    assert drawings >= 2  # the index and at least one result page


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


def test_front_matter_takes_characters_beyond_the_basic_plane() -> None:
    """JSON writes 𝕊 as two surrogate escapes, which YAML refuses (the page then lost its front
    matter): they are written as one YAML escape."""
    import yaml

    from readingmap.render.addresses import front_matter

    text = front_matter("On 𝕊ᵈ⁻¹", "Uniform on 𝕊ᵈ⁻¹ × 𝕊ᵈ⁻¹, é")
    assert "\\ud835" not in text
    assert yaml.safe_load(text.split("---")[1]) == {"title": "On 𝕊ᵈ⁻¹", "description": "Uniform on 𝕊ᵈ⁻¹ × 𝕊ᵈ⁻¹, é"}


def test_topic_and_path_readings_as_bibtex(site: Site) -> None:
    """A topic's and a path's readings download as BibTeX with a descriptive name, venues left out."""
    cat = load_catalogue(REPO / "data")
    topic = site.exports["topics/infinite-width/reading-map-infinite-width.bib"]
    keys = re.findall(r"^@\w+\{([^,]+),$", topic, re.M)
    assert keys[:2] == list(cat.nodes["infinite-width"].start_here)
    assert set(keys) == {r.id for r in cat.resources_by_topic["infinite-width"] if r.reading}
    topic_page = site.markdown("topics/infinite-width/index.md")
    assert '<a href="reading-map-infinite-width.bib" download>' in topic_page
    path = site.exports["paths/generalisation/reading-map-path-generalisation.bib"]
    assert re.findall(r"^@\w+\{([^,]+),$", path, re.M) == list(dict.fromkeys(
        r.id for stage in Graph(cat).path("generalisation").stages for r in stage.resources))
    path_page = site.markdown("paths/generalisation/index.md")
    assert '<a href="reading-map-path-generalisation.bib" download>' in path_page


def test_long_groups_of_a_listing_link_to_the_bibliography_for_the_rest() -> None:
    """A level, and a kind that is not a reading (venues), lists its first twenty and links to all
    of them in the bibliography, filtered to that level or kind (at 10,000 resources a topic listed
    over a hundred venues)."""
    cat = load_catalogue(REPO / "data")
    listings = Pages(cat, Graph(cat), Fragments()).listings
    venue = next(r for r in cat.resources if r.kind == "venue")
    paper = next(r for r in cat.resources if r.reading and r.level == "advanced")
    many = [dataclasses.replace(r, id=f"{r.id}-{i}", title=f"{r.title} {i:02}") for r in (venue, paper) for i in range(23)]
    listings.cited.update({r.id: listings.cited[r.id.rpartition("-")[0]] for r in many})  # type: ignore[attr-defined]
    md = "\n".join(listings.resource_list("topics/t/index.md", many, more_query="topic=t"))
    assert md.count('<li data-added=') == 40
    assert '<a href="../../bibliography/?topic=t&amp;level=advanced">All 23 advanced resources in the bibliography</a>' in md
    assert '<a href="../../bibliography/?topic=t&amp;kind=venue">All 23 venues in the bibliography</a>' in md
    listed = re.findall(r'<a href="\.\./\.\./resources/([^/"]+)/">', md)
    assert listed == [f"{paper.id}-{i}" for i in range(20)] + [f"{venue.id}-{i}" for i in range(20)]
