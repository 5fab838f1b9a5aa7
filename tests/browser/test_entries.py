"""Result and question pages as a reader uses them: the legend of the drawings, the focused
drawing of a result, old links to results/#r-<id>, "Suggest a correction" and "Cite this entry"."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from .conftest import watched_page
from .helpers import Catalogue

pytestmark = pytest.mark.browser

RESULT = "neural-tangent-kernel-limit"


@pytest.fixture(params=[1400, 390], ids=["desktop", "phone"])
def sized(browser: Any, base_url: str, request: pytest.FixtureRequest) -> Iterator[Any]:
    with watched_page(browser, base_url=base_url, viewport={"width": request.param, "height": 1000},
                      has_touch=request.param < 600, reduced_motion="reduce") as page:
        yield page


def test_the_legend_is_in_the_picture_and_its_accessible_name(sized: Any) -> None:
    sized.goto("/results/")
    svg = sized.locator(".rm-graph-wrap svg.rm-results-graph")
    legend = svg.locator(".rm-legend text").all_text_contents()
    assert legend == ["Theorem", "Heuristic or physics derivation", "Empirical law"]
    label = svg.get_attribute("aria-label") or ""
    assert "Legend: Theorem: solid outline; Heuristic or physics derivation: dashed outline;" in label
    # Each status has its own outline, and each box its status in its accessible name.
    dashes = svg.evaluate("""s => Object.fromEntries(['theorem', 'heuristic', 'empirical'].map(st => {
        const r = s.querySelector('a.rm-st-' + st + ' rect');
        return [st, [r.getAttribute('stroke-dasharray'), Number(r.getAttribute('rx')) > 6]];
    }))""")
    assert dashes == {"theorem": [None, False], "heuristic": ["7 4", False], "empirical": [None, True]}
    assert "(heuristic or physics derivation" in (svg.locator("a.rm-st-heuristic").first.get_attribute("aria-label") or "")
    # Fits the column at 1400 px; scrolls in its own box, not the page, on a phone.
    wrap = sized.locator(".rm-graph-wrap").first
    box = wrap.evaluate("w => [w.scrollWidth, w.clientWidth, document.documentElement.scrollWidth, innerWidth]")
    if sized.viewport_size["width"] == 1400:
        assert box[0] <= box[1]
    assert box[2] <= box[3]


def test_a_result_page_draws_its_ancestors_and_descendants_with_focus(sized: Any) -> None:
    sized.goto(f"/results/{RESULT}/")
    svg = sized.locator("#what-it-builds-on-and-what-builds-on-it ~ .rm-graph-wrap svg.rm-results-graph")
    nodes = svg.locator("a.rm-node").evaluate_all("ns => ns.map(n => n.dataset.node)")
    assert RESULT in nodes and "nngp-deep-networks" in nodes  # what it builds on
    assert "lazy-training-scaling" in nodes and "one-gradient-step-feature-learning" in nodes  # and, further, what builds on it
    assert svg.locator(f'a.rm-target[data-node="{RESULT}"]').count() == 1
    svg.locator('a.rm-node[data-node="nngp-deep-networks"]').focus()
    lit = svg.evaluate("s => [s.classList.contains('rm-focusing'), [...s.querySelectorAll('.rm-unlock')].map(n => n.dataset.node)]")
    assert lit[0] is True and RESULT in lit[1]
    full = svg.locator('a.rm-node[data-node="ntk-nonasymptotic-equivalence"] text').text_content() or ""
    assert full == "Non-asymptotic equivalence of wide trained networks and NTK regression"  # wrapped, not cut


def test_old_anchors_of_the_results_page_lead_to_the_result_page(page: Any) -> None:
    page.goto(f"/results/#r-{RESULT}")
    page.wait_for_url(f"**/results/{RESULT}/")
    assert page.locator("h1").text_content() == "Neural tangent kernel limit"
    page.goto("/results/#r-no-such-result")  # an unknown id stays on the index
    assert urlsplit(page.url).path.endswith("/results/")


def test_suggest_a_correction_opens_the_issue_form_with_the_entry(page: Any) -> None:
    for path, kind, ident in ((f"/results/{RESULT}/", "result", RESULT),
                              ("/questions/why-scaling-laws/", "question", "why-scaling-laws")):
        page.goto(path)
        href = page.get_by_role("link", name="Suggest a correction").get_attribute("href")
        url = urlsplit(href)
        query = parse_qs(url.query)
        assert (url.netloc, url.path) == ("github.com", "/math-dl-reading-map/reading-map/issues/new")
        assert query["template"] == ["suggest-correction.yml"]
        assert query["title"] == [f"Correction to {kind} {ident}"]
        assert query["entry"] == [ident]
        assert query["page"] == [f"https://math-dl-reading-map.github.io/reading-map{path}"]


def test_cite_this_entry_gives_the_permalink_and_bibtex_with_the_access_date(page: Any) -> None:
    page.goto(f"/results/{RESULT}/#cite-this-entry")
    cite = page.locator(".rm-cite")
    permalink = f"https://math-dl-reading-map.github.io/reading-map/results/{RESULT}/"
    assert cite.locator("a.rm-permalink").text_content() == permalink
    bibtex = cite.locator("pre").text_content() or ""
    today = page.evaluate("() => { const d = new Date(); return [d.getFullYear(), d.getMonth() + 1, d.getDate()]; }")
    day = datetime.date(*today).isoformat()
    assert bibtex.startswith(f"@misc{{readingmap-result-{RESULT},\n  title        = {{Neural tangent kernel limit}},")
    assert f"  url          = {{{permalink}}},\n  urldate      = {{{day}}}\n}}" in bibtex
    assert cite.locator(".rm-access-date").text_content() == day
    # A resource page and a question page have it too.
    for path in ("/resources/jacot2018neural/", "/questions/why-scaling-laws/"):
        page.goto(path)
        assert page.locator("#cite-this-entry").count() == 1
        assert "urldate" in (page.locator(".rm-cite pre").text_content() or "")


def test_the_indexes_count_and_filter_by_status(page: Any, catalogue: Catalogue) -> None:
    questions = catalogue.data["questions"]
    page.goto("/questions/?status=open")
    counts = page.locator(".rm-status-counts").text_content() or ""
    assert f"{len(questions)} questions in all" in counts
    assert f"Open {sum(q['status'] == 'open' for q in questions)}" in counts
    shown = page.locator(".rm-entry-list li:not([hidden])").evaluate_all("ls => ls.map(l => l.dataset.status)")
    assert len(shown) == sum(q["status"] == "open" for q in questions) and set(shown) == {"open"}
    page.get_by_role("button", name="All").click()
    assert page.locator(".rm-entry-list li:not([hidden])").count() == len(questions)
    # The results index: a status button shows that status's lists only, and says how many.
    results = catalogue.data["results"]
    page.goto("/results/")
    page.get_by_role("button", name="Heuristic or physics derivation").click()
    heuristic = sum(r["status"] == "heuristic" for r in results)
    assert page.locator(".rm-status-group:not([hidden]) li").count() == heuristic
    assert page.locator(".rm-filter-count").text_content() == f"{heuristic} of {len(results)} results"
