"""The home picture of the real catalogue, measured: how often its arrows cross, that none runs
through a box it does not end at, and that it draws exactly the arrows of the catalogue."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from itertools import pairwise
from pathlib import Path

import pytest

from readingmap.catalogue.load import load_catalogue
from readingmap.graph import Graph
from readingmap.render.fragments import Fragments
from readingmap.render.pages import Pages
from readingmap.render.svg import crosses_box, crossings

REPO = Path(__file__).parent.parent
SVG = "{http://www.w3.org/2000/svg}"
#: Measured on the catalogue of this commit: 68 crossings (the picture before the ordering and
#: the buses had 64 crossing points plus 9 arrows through boxes, and many more along the steep
#: bundles). A margin for small catalogue edits; a layout change that adds many fails here.
MAX_CROSSINGS = 80

Box = tuple[float, float, float, float]


@pytest.fixture(scope="module")
def picture() -> ET.Element:
    cat = load_catalogue(REPO / "data")
    md = Pages(cat, Graph(cat), Fragments()).indexes.home()
    found = re.search(r'<svg class="rm-graph".*?</svg>', md, re.S)
    assert found
    return ET.fromstring(found.group(0))


def _box(rect: ET.Element) -> Box:
    return (float(rect.get("x", 0)), float(rect.get("y", 0)), float(rect.get("width", 0)),
            float(rect.get("height", 0)))


def _arrows(svg: ET.Element) -> list[tuple[list[str], str, list[tuple[float, float]], bool]]:
    out = []
    for line in svg.iter(SVG + "polyline"):
        points = [(float(x), float(y)) for x, y in (p.split(",") for p in line.get("points", "").split())]
        out.append((line.get("data-from", "").split(), line.get("data-to", ""), points,
                    line.get("marker-end") is not None))
    return out


def test_home_picture_crosses_little(picture: ET.Element) -> None:
    lines = [points for _, _, points, _ in _arrows(picture)]
    assert crossings(lines) <= MAX_CROSSINGS


def test_no_arrow_runs_through_a_box_it_does_not_end_at(picture: ET.Element) -> None:
    boxes = {a.get("data-node"): _box(a.find(SVG + "rect")) for a in picture.iter(SVG + "a")}  # type: ignore[arg-type]
    families = [(_box(g.find(SVG + "rect")), {a.get("data-node") for a in g.iter(SVG + "a")})  # type: ignore[arg-type]
                for g in picture.iter(SVG + "g") if g.get("class") == "rm-family"]
    through = []
    for sources, target, points, _ in _arrows(picture):
        ends = {*sources, target}
        for p, q in pairwise(points):
            through += [(sources, target, node) for node, box in boxes.items()
                        if node not in ends and crosses_box(p, q, box)]
            through += [(sources, target, sorted(members)) for box, members in families
                        if not members & ends and crosses_box(p, q, box)]
    assert not through


def test_home_picture_draws_each_arrow_of_the_catalogue_once(picture: ET.Element) -> None:
    """Headed arrows, each source with its target, are the catalogue's direct requirements
    among areas and topics (less those another route implies) that end at a topic; the stubs
    joining an area to an arrow shared by its family belong to one of them."""
    cat = load_catalogue(REPO / "data")
    requires = {n.id: set(n.requires) for n in (*cat.maths, *cat.topics)}

    def ancestors(node: str) -> set[str]:
        seen, todo = set(), list(requires[node])
        while todo:
            x = todo.pop()
            if x not in seen:
                seen.add(x)
                todo.extend(requires[x])
        return seen

    topics = {t.id for t in cat.topics}
    direct = {(a, b) for b in topics for a in requires[b]
              if not any(a in ancestors(r) for r in requires[b] - {a})}
    arrows = _arrows(picture)
    drawn = [(a, b) for sources, b, _, head in arrows if head for a in sources]
    assert sorted(drawn) == sorted(direct)
    stubs = {(s[0], b) for s, b, _, head in arrows if not head}
    assert stubs <= set(drawn) and all(len(s) == 1 for s, _, _, head in arrows if not head)
    shared = {(a, b) for sources, b, _, head in arrows if head and len(sources) > 1 for a in sources}
    assert stubs == shared


def test_crossings_and_boxes_by_hand() -> None:
    x = [[(0.0, 0.0), (10.0, 10.0)], [(0.0, 10.0), (10.0, 0.0)]]
    assert crossings(x) == 1
    assert crossings([[(0.0, 0.0), (10.0, 0.0)], [(10.0, 0.0), (20.0, 5.0)]]) == 0  # meeting at an end
    assert crossings([*x, [(0.0, 0.0), (10.0, 10.0)]]) == 1  # two arrows along one another: one point
    assert crossings([[(0.0, 0.0), (5.0, 5.0), (10.0, 0.0)], [(0.0, 4.0), (10.0, 4.0)]]) == 2
    assert crosses_box((0.0, 5.0), (20.0, 5.0), (5.0, 0.0, 10.0, 10.0))
    assert not crosses_box((0.0, 0.0), (20.0, 0.0), (5.0, 0.0, 10.0, 10.0))  # along its edge
    assert not crosses_box((0.0, 20.0), (20.0, 30.0), (5.0, 0.0, 10.0, 10.0))
    assert crosses_box((0.0, 0.0), (20.0, 20.0), (5.0, 5.0, 10.0, 10.0))
