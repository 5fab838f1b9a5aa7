"""The pictures as a reader sees them: path graphs legible at desktop width, no sideways scrolling
on a phone, and the home picture's focus mode (with the static picture intact without JavaScript)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from .conftest import watched_page
from .helpers import Catalogue

pytestmark = pytest.mark.browser

#: Rendered label size of every node of a graph: font size times the drawing's scale.
LABEL_PX = """svg => {
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  return Math.min(...[...svg.querySelectorAll('.rm-node text')].map(
    t => parseFloat(getComputedStyle(t).fontSize) * scale));
}"""


@pytest.fixture
def sized(browser: Any, base_url: str, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A watched page in a window of the size the test is parametrised with (default 1400×1000)."""
    width, height, js = getattr(request, "param", (1400, 1000, True))
    with watched_page(browser, base_url=base_url, viewport={"width": width, "height": height},
                      java_script_enabled=js, has_touch=width < 600,
                      reduced_motion="reduce") as page:  # no fading: opacity is final at once
        yield page


def test_every_path_graph_fits_the_column_with_legible_labels(sized: Any, catalogue: Catalogue) -> None:
    """At a 1400×1000 window each path graph fits Material's content column (no scrolling in its
    box) and its labels render at 9 CSS px or more."""
    measured = {}
    for topic in catalogue.data["topics"]:
        sized.goto(f"/paths/{topic['id']}/")
        graph = sized.locator(".rm-graph-wrap svg.rm-graph")
        assert graph.count() == 1
        wrap = sized.locator(".rm-graph-wrap").evaluate("w => [w.scrollWidth, w.clientWidth]")
        column = sized.locator(".md-content__inner").evaluate("c => c.clientWidth")
        box = graph.bounding_box()
        assert wrap[0] <= wrap[1] and box["width"] <= column, (topic["id"], wrap, box, column)
        measured[topic["id"]] = graph.evaluate(LABEL_PX)
    small = {k: round(v, 2) for k, v in measured.items() if v < 9}
    assert not small, small


def _sample(catalogue: Catalogue) -> list[str]:
    """One page of every kind, and every page of the kinds that hold pictures (paths) and the
    index pages."""
    return ["/", "/topics/", "/maths/", "/paths/", "/results/", "/bibliography/", "/about/", "/contributing/",
            f"/topics/{catalogue.data['topics'][0]['id']}/", f"/maths/{catalogue.data['maths'][0]['id']}/",
            f"/resources/{catalogue.resources[0]['id']}/",
            *(f"/paths/{t['id']}/" for t in catalogue.data["topics"])]


@pytest.mark.parametrize("sized", [(390, 844, True)], indirect=True)
def test_no_page_scrolls_sideways_on_a_phone(sized: Any, catalogue: Catalogue) -> None:
    wide = {}
    for url in _sample(catalogue):
        sized.goto(url)
        sw, iw = sized.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        if sw > iw:
            wide[url] = sw
    assert not wide, wide
    # the pictures and the matrix scroll inside their own focusable, labelled boxes instead
    sized.goto("/")
    for box in sized.locator(".rm-graph-wrap, .rm-matrix-wrap").all():
        assert box.get_attribute("role") == "region" and box.get_attribute("tabindex") == "0"
        assert box.get_attribute("aria-label")
        assert box.evaluate("b => getComputedStyle(b).overflowX") == "auto"
    # a picture that scrolls hints at what is to its right: a shadow fixed to its box, and a
    # cover that moves with the picture and hides the shadow once that end is in view
    wrap = sized.locator(".rm-graph-wrap").last
    assert wrap.evaluate("w => w.scrollWidth > w.clientWidth")
    attachment = wrap.evaluate("w => getComputedStyle(w).backgroundAttachment")
    assert "local" in attachment and "scroll" in attachment, attachment


def _state(page: Any) -> dict[str, list[str]]:
    return dict(page.evaluate("""() => {
      const svg = document.querySelector('.rm-graph-wrap svg.rm-graph');
      const ids = sel => [...svg.querySelectorAll(sel)].map(n => n.dataset.node).sort();
      return {focusing: svg.classList.contains('rm-focusing') ? ['yes'] : [],
              on: ids('.rm-on'), need: ids('.rm-need'), unlock: ids('.rm-unlock'),
              dim: [...svg.querySelectorAll('.rm-node')].filter(n => getComputedStyle(n).opacity < 0.5)
                     .map(n => n.dataset.node).sort(),
              lit: [...svg.querySelectorAll('.rm-edges polyline.rm-lit')].map(e => e.dataset.from + '>' + e.dataset.to)};
    }"""))


def _expected_lit(page: Any, catalogue: Catalogue, node: str) -> list[str]:
    """The arrows the focus on ``node`` must light, computed from catalogue.json: an arrow from
    ``a`` (or from any of the areas it is drawn once for) to ``b`` is lit when both ends are
    among what ``node`` needs, with ``node``, or both among what it unlocks, with ``node``."""
    before = catalogue.ancestors(node) | {node}
    after = {n for n in catalogue.requires if node in catalogue.ancestors(n)} | {node}
    drawn = page.evaluate("""() => [...document.querySelectorAll('.rm-graph-wrap svg.rm-graph .rm-edges polyline')]
                             .map(e => [e.dataset.from, e.dataset.to])""")
    return [f"{sources}>{b}" for sources, b in drawn
            if any({a, b} <= before or {a, b} <= after for a in sources.split())]


def test_home_focus_mode_lights_what_a_node_needs_and_unlocks(sized: Any, catalogue: Catalogue) -> None:
    page = sized
    page.goto("/")
    # an area with arrows of its own, an area that shares an arrow with others of its family,
    # and a topic
    shared = page.evaluate("""() => [...document.querySelectorAll('.rm-graph .rm-edges polyline')]
                              .map(e => e.dataset.from).find(f => f.includes(' '))""")
    assert shared, "no arrow is drawn once for several areas"
    everything = set(catalogue.requires)
    for other in [shared.split()[-1], "foundations"]:
        page.locator(f'.rm-graph a.rm-node[data-node="{other}"]').hover()
        state = _state(page)
        needs = catalogue.ancestors(other)
        unlocks = {n for n in catalogue.requires if other in catalogue.ancestors(n)}
        assert state["on"] == [other] and set(state["need"]) == needs and set(state["unlock"]) == unlocks
        assert set(state["dim"]) == everything - needs - unlocks - {other}
        assert state["lit"] == _expected_lit(page, catalogue, other), other
        page.mouse.move(1, 1)
    node = "functional-analysis"
    needs = catalogue.ancestors(node)
    unlocks = {n for n in catalogue.requires if node in catalogue.ancestors(n)}
    assert _state(page)["focusing"] == []
    target = page.locator(f'.rm-graph a.rm-node[data-node="{node}"]')
    target.hover()
    state = _state(page)
    assert state["on"] == [node]
    assert set(state["need"]) == needs and set(state["unlock"]) == unlocks
    assert set(state["dim"]) == everything - needs - unlocks - {node}
    assert state["lit"] and state["lit"] == _expected_lit(page, catalogue, node)
    page.mouse.move(1, 1)  # leaving restores the picture
    assert _state(page) == {"focusing": [], "on": [], "need": [], "unlock": [], "dim": [], "lit": []}
    # the keyboard: a node reached with Tab lights up the same way, and leaving it restores
    target.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    state = _state(page)
    assert state["on"] == [node] and set(state["need"]) == needs
    page.keyboard.press("Tab")
    assert _state(page)["on"] != [node]
    page.locator("h1").click()
    assert _state(page)["focusing"] == []


@pytest.mark.parametrize("sized", [(1400, 1000, False)], indirect=True)
def test_home_picture_is_complete_without_javascript(sized: Any, catalogue: Catalogue) -> None:
    sized.goto("/")
    svg = sized.locator(".rm-graph-wrap svg.rm-graph")
    ids = set(svg.evaluate("s => [...s.querySelectorAll('a.rm-node')].map(a => a.dataset.node)"))
    assert ids == set(catalogue.requires)  # every topic and maths area, each a link
    assert svg.locator(".rm-family").count() >= 2
    assert svg.evaluate("s => s.querySelectorAll('.rm-edges polyline').length") > 20
    assert svg.evaluate("s => s.classList.contains('rm-focusing')") is False
    assert svg.evaluate(LABEL_PX) >= 9  # the home picture's labels are legible at desktop width
