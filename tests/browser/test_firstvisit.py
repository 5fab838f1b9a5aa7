"""What a first-time reader meets: venues apart from readings, no raw LaTeX, visible keyboard
focus and a way past the lists to the drawings, a home page that shows the way in, readings to
take away, and a gentle start beside each hard one."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from .helpers import Catalogue, visible_keys

pytestmark = pytest.mark.browser
#: The first screen of a laptop, as the issue measured it.
DESKTOP = {"width": 1400, "height": 1000}

# -- no raw LaTeX reaches a reader ------------------------------------------------------------
#: TeX maths delimiters a reader should never see: ``\(``, ``\[`` and ``$…$`` as Arithmatex reads it.
RAW_TEX = re.compile(r"\\\(|\\\[|(?<![\\$])\$(?![\s$])[^$]+?(?<![\s\\])\$")
#: Elements whose text a reader does not see as prose: code (BibTeX shows its source on purpose)
#: and scripts; and the maths Arithmatex marks, which KaTeX typesets as the page loads.
_NOT_PROSE = {"script", "style", "pre", "code", "textarea"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _RawTex(HTMLParser):
    """Text nodes and meta descriptions of one page that hold TeX outside the maths KaTeX typesets."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[tuple[str, bool]] = []
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if (tag == "meta" and (values.get("name") == "description" or values.get("property") == "og:description")
                and RAW_TEX.search(values.get("content") or "")):
            self.found.append(f"meta description: {values['content']}")
        if tag in _VOID:
            return
        skip = tag in _NOT_PROSE or "arithmatex" in (values.get("class") or "").split()
        self.open.append((tag, skip))

    def handle_endtag(self, tag: str) -> None:
        while self.open and self.open.pop()[0] != tag:
            pass

    def handle_data(self, data: str) -> None:
        if not any(skip for _, skip in self.open) and (m := RAW_TEX.search(data)):
            self.found.append(data[max(0, m.start() - 40):m.end() + 40].strip())


def raw_tex(html: str) -> list[str]:
    parser = _RawTex()
    parser.feed(html)
    return parser.found


def test_the_raw_tex_scan_finds_what_it_should() -> None:
    assert raw_tex(r'<p>A map \(x \mapsto y\) and $r_k(\Sigma)$</p>') == [r"A map \(x \mapsto y\) and $r_k(\Sigma)$"]
    assert raw_tex(r'<meta name="description" content="on \(\mathbb{R}\)">') == [r"meta description: on \(\mathbb{R}\)"]
    assert raw_tex(r'<p><span class="arithmatex">\(x\)</span> costs $5 and $6</p><pre>$x$</pre>') == []


def test_no_raw_tex_in_built_pages_or_the_search_index(site_dir: Path) -> None:
    """Every page's text outside KaTeX's maths, its meta description and every search title and
    preview are free of TeX delimiters: maths is typeset or shown as plain text."""
    found = []
    for path in sorted(site_dir.rglob("*.html")):
        found += [f"{path.relative_to(site_dir)}: {hit}" for hit in raw_tex(path.read_text(encoding="utf-8"))]
    index = json.loads((site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))
    for entry in index["docs"]:
        found += [f"search {entry['location']} {key}: {entry[key][:120]}"
                  for key in ("title", "text") if RAW_TEX.search(entry[key])]
    assert not found, f"{len(found)} places show raw TeX:\n" + "\n".join(found[:30])


def test_maths_on_index_pages_reads_as_text(page: Any) -> None:
    page.goto("/topics/")
    first = page.locator(".md-content li").first.inner_text()
    assert "x ↦ W_L σ(" in first and "\\" not in first


# -- venues are not readings --------------------------------------------------------------------
def test_venues_are_never_ready_to_read(page: Any, catalogue: Catalogue) -> None:
    venues = {r["id"] for r in catalogue.resources if r["kind"] == "venue"}
    assert venues and all(catalogue.resource(v)["level"] is None for v in venues)
    page.goto("/bibliography/?topic=generalisation&ready=1")
    for area in ("linear-algebra", "multivariable-calculus", "probability", "functional-analysis"):
        page.check(f'#known-maths input[value="{area}"]')
    shown = visible_keys(page)
    assert shown and not set(shown) & venues
    page.goto("/bibliography/?topic=generalisation")
    entry = page.locator("#colt-conference")
    assert entry.is_visible()
    assert entry.locator(".rm-read-box, .rm-level, .rm-status").count() == 0
    assert entry.locator(".rm-kind").inner_text() == "Venue"


def test_a_topic_counts_its_readings_and_lists_venues_apart(page: Any, catalogue: Catalogue) -> None:
    page.goto("/topics/generalisation/")
    on_topic = [r for r in catalogue.resources if "generalisation" in r["topics"]]
    readings = {r["id"] for r in on_topic if r["kind"] != "venue"}
    boxes = set(page.locator(".rm-read-box").evaluate_all("els => els.map(e => e.value)"))
    assert boxes == readings
    assert re.fullmatch(rf"0 of {len(readings)} read", page.locator(".rm-progress-count").first.inner_text())
    heading = page.locator("h3", has_text="Venues, not readings")
    assert heading.is_visible()
    venues = heading.locator("xpath=following-sibling::ul[1]")
    assert venues.locator("li").count() == sum(1 for r in on_topic if r["kind"] == "venue")


def test_a_hard_start_has_a_gentle_start_beside_it(page: Any, catalogue: Catalogue) -> None:
    topic = next(t for t in catalogue.data["topics"] if t["id"] == "generalisation")
    gentle = catalogue.resource(topic["gentle_start"])
    assert gentle["level"] == "introductory" and "generalisation" in gentle["topics"]
    page.goto("/topics/generalisation/")
    intro = page.locator("#gentle-start")
    assert "Too hard for now?" in intro.inner_text()
    link = intro.locator("xpath=following-sibling::ul[1]").locator("a").first
    assert link.inner_text() == gentle["title"]


# -- readings to take away --------------------------------------------------------------------
@pytest.mark.parametrize(("where", "name"), [("/topics/generalisation/", "reading-map-generalisation"),
                                             ("/paths/generalisation/", "reading-map-path-generalisation")])
def test_a_topic_and_a_path_download_their_readings_in_three_formats(page: Any, where: str, name: str) -> None:
    import rispy
    from pybtex.database import parse_string

    page.goto(where)
    links = page.locator("p.rm-readings-download")

    def saved(label: str, ext: str) -> str:
        with page.expect_download() as info:
            links.get_by_role("link", name=label, exact=True).click()
        download = info.value
        assert download.suggested_filename == f"{name}.{ext}"
        return Path(download.path()).read_text(encoding="utf-8")

    bib = saved("BibTeX", "bib")
    assert bib.startswith("% ") and re.search(r"^@\w+\{[a-z0-9-]+,$", bib, re.M)
    keys = list(parse_string(bib, "bibtex").entries)
    # the same readings, in the same order, in each format; each reading once
    assert [r["id"] for r in rispy.loads(saved("RIS", "ris"))] == keys
    assert [item["id"] for item in json.loads(saved("CSL-JSON", "json"))] == keys
    assert len(set(keys)) == len(keys) > 3
    # they are the readings the page lists (its read boxes name them)
    listed = set(page.locator("input.rm-read-box").evaluate_all("els => els.map(e => e.value)"))
    assert set(keys) == listed


# -- keyboard focus -------------------------------------------------------------------------------
def _outline(page: Any) -> dict[str, str]:
    return page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
        return {style: s.outlineStyle, width: s.outlineWidth, color: s.outlineColor,
                tag: document.activeElement.tagName, cls: document.activeElement.className}; }""")


def _tab_to(page: Any, selector: str, limit: int = 400) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} not reached in {limit} Tab presses")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_focus_is_visible_on_the_sites_controls(browser: Any, base_url: str, scheme: str) -> None:
    from .conftest import watched_page

    with watched_page(browser, base_url=base_url, color_scheme=scheme, viewport=DESKTOP) as page:
        page.goto("/paths/generalisation/")
        for selector in (".rm-read-box", ".rm-downloads a"):
            _tab_to(page, selector)
            seen = _outline(page)
            assert seen["style"] == "solid" and float(seen["width"][:-2]) >= 2, (selector, seen)
        page.goto("/bibliography/")
        _tab_to(page, '#known-maths input[name="known"]')
        seen = _outline(page)
        assert seen["style"] == "solid" and float(seen["width"][:-2]) >= 2, seen
        # a graph node: its box's stroke changes when the keyboard reaches it
        page.goto("/paths/generalisation/")
        node = page.locator(".rm-graph a.rm-node").first
        before = node.locator("rect").evaluate("r => getComputedStyle(r).strokeDasharray")
        node.focus()
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Tab")
        after = node.locator("rect").evaluate("r => getComputedStyle(r).strokeDasharray")
        assert before != after and after != "none"


def test_skip_to_the_drawing(page: Any) -> None:
    """A keyboard user reaches a path's drawing in a few presses, past every reading's mark."""
    page.goto("/paths/generalisation/")
    _tab_to(page, "a.rm-skip", limit=25)
    assert page.locator("a.rm-skip").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "the-drawing"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('svg.rm-graph') !== null")


A11Y_PAGES = [("/topics/generalisation/", "dark"), ("/paths/generalisation/", "dark"), ("/paths/", "light"),
              ("/results/", "light"), ("/", "dark")]


@pytest.mark.parametrize(("where", "scheme"), A11Y_PAGES, ids=[f"{w}-{s}" for w, s in A11Y_PAGES])
def test_axe_with_keyboard_focus(browser: Any, base_url: str, where: str, scheme: str) -> None:
    """axe finds nothing serious on the pages this work changed, with a control focused from the
    keyboard (its outline drawn), in both palettes."""
    from axe_playwright_python.sync_playwright import Axe

    from .conftest import watched_page

    with watched_page(browser, base_url=base_url, color_scheme=scheme, viewport=DESKTOP) as page:
        page.goto(where)
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement !== document.body")
        results = Axe().run(page)
        bad = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
        assert not bad, "\n".join(f"{v['id']}: {v['help']} {[n['target'] for n in v['nodes'][:5]]}" for v in bad)


# -- the home page's first screen ---------------------------------------------------------------
def test_home_first_screen_shows_the_way_in(browser: Any, base_url: str, catalogue: Catalogue) -> None:
    from .conftest import watched_page

    with watched_page(browser, base_url=base_url, viewport=DESKTOP) as page:
        page.goto("/")
        assert page.locator(".md-sidebar--primary nav.md-nav--primary").is_visible()  # the site's navigation
        ways = page.locator(".rm-entry-points a")
        assert "Results" in ways.all_inner_texts()
        assert all(box["y"] + box["height"] <= 1000 for box in (w.bounding_box() for w in ways.all()))
        topics = page.locator(".rm-topic-list li")
        assert topics.count() == len(catalogue.data["topics"])
        first_row = page.locator(".rm-matrix tbody tr").first.bounding_box()
        assert first_row is not None and first_row["y"] + first_row["height"] <= 1000, first_row
    with watched_page(browser, base_url=base_url, viewport={"width": 390, "height": 844}) as page:
        page.goto("/")
        assert page.locator(".rm-entry-points").bounding_box()["y"] < 844
        assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_paths_index_says_what_each_path_is_and_how_long(page: Any, catalogue: Catalogue) -> None:
    page.goto("/paths/")
    items = page.locator(".md-content li")
    assert items.count() == len(catalogue.data["topics"])
    for text in items.all_inner_texts():
        assert re.search(r"— \d+ stages, \d+ readings\n.{20,}", text), text
