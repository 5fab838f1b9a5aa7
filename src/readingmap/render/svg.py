"""Inline SVG drawings of the prerequisite graph, laid out by grandalf's Sugiyama layout; the
home page's picture has a layout of its own (:mod:`.overview`), drawn here (:func:`overview`).

The drawing is static markup: readable without JavaScript, every node a link with an accessible
name, colours from Material's CSS variables (so it follows the light and dark palettes), and every
label escaped.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Protocol

from grandalf.graphs import Edge, Graph, Vertex
from grandalf.layouts import DummyVertex, Layer, SugiyamaLayout
from grandalf.routing import route_with_lines

from .markup import attr, text
from .overview import FAMILY_HEADER, ROW_PAD, Picture, Scene, lay_out

__all__ = [
    "CHAR_WIDTH", "LINE_HEIGHT", "MIN_SCALE", "Drawable", "crosses_box", "crossings", "draw", "edge", "extent",
    "label_size", "layout", "overview", "overview_labels", "overview_markup", "overview_scene", "wrap",
]

#: What a node of a drawing is called in its accessible name, by kind.
KIND_NAMES = {"maths": "maths area", "topic": "topic", "result": "result"}


class Drawable(Protocol):
    """A node of a drawing: a maths area or research topic (:class:`~readingmap.catalogue.model.Node`),
    or a result."""

    @property
    def id(self) -> str: ...

    @property
    def name(self) -> str: ...

    @property
    def kind(self) -> str: ...


CHAR_WIDTH = 7.2
NODE_HEIGHT = 30
LINE_HEIGHT = 14
PAD_X = 12
#: Labels wrap at this many characters a line, on at most two lines: long names on one line made
#: the layers, and so the drawings, twice as wide as the page's column.
LINE_CHARS = 22
GAP = 40


@dataclass
class _View:
    w: float
    h: float
    xy: tuple[float, float] = (0.0, 0.0)


class _EdgeView:
    def __init__(self) -> None:
        self.points: list[tuple[float, float]] = []

    def setpath(self, points: list[tuple[float, float]]) -> None:
        self.points = [(float(x), float(y)) for x, y in points]


class _Vertex(Vertex):  # type: ignore[misc]
    """grandalf keeps vertices and edges in sets; hashed by identity (memory address) their
    order, and so the layout, changed from build to build. A stable hash makes it reproducible."""

    def __init__(self, data: str, index: int) -> None:
        super().__init__(data)
        self._index = index

    def __hash__(self) -> int:
        return self._index


class _Edge(Edge):  # type: ignore[misc]
    def __init__(self, x: Vertex, y: Vertex, index: int) -> None:
        super().__init__(x, y)
        self._index = index

    def __hash__(self) -> int:
        return self._index


def wrap(label: str, width: int = LINE_CHARS, max_lines: int = 2) -> list[str]:
    """``label`` on one line if it fits in ``width`` characters, else on two lines broken between
    words where the longer line is shortest (on three, with ``max_lines=3``, if two lines do not
    fit). Lines hold at most ``width`` + 4 characters: a label that does not fit is cut with an
    ellipsis (a single long word on its first line, the rest on the second); the node's title
    keeps the full name."""
    words = label.split()
    if len(label) <= width or len(words) < 2:
        lines = [label]
    else:
        splits = [(" ".join(words[:i]), " ".join(words[i:])) for i in range(1, len(words))]
        head, tail = min(splits, key=lambda pair: (max(len(pair[0]), len(pair[1])), len(pair[1])))
        lines = [head, tail]
    limit = width + 4
    if all(len(line) <= limit for line in lines):
        return lines
    if max_lines >= 3 and len(words) >= 3:
        thirds = [[" ".join(words[:i]), " ".join(words[i:j]), " ".join(words[j:])]
                  for i in range(1, len(words) - 1) for j in range(i + 1, len(words))]
        best = min(thirds, key=lambda t: (max(map(len, t)), len(t[2]), len(t[1])))
        if max(map(len, best)) <= limit:
            return best
    first = words.pop(0)
    first = first if len(first) <= limit else first[: limit - 1] + "…"
    while words and len(first) + 1 + len(words[0]) <= limit:
        first += " " + words.pop(0)
    rest = " ".join(words)
    return [first, rest if len(rest) <= limit else rest[: limit - 1].rstrip() + "…"] if rest else [first]


def _compact(sug: SugiyamaLayout, max_width: float, gap: float) -> None:
    """Narrow a finished layout to ``max_width`` if it is wider: every x coordinate (of nodes
    and of the bends of long edges) is scaled by the largest factor for which, after pushing
    apart what then overlaps in each layer (keeping the layer's order), it fits. Grandalf spreads
    layers to align long edges; on a path page that made drawings wider than the column."""
    # A bend of a long edge (grandalf's dummy vertex) takes no width, only half a gap each side.
    layers = [sorted(((v.view, 0.0 if isinstance(v, DummyVertex) else v.view.w) for v in layer),
                     key=lambda item: item[0].xy[0]) for layer in sug.layers]
    start = [[view.xy[0] for view, _ in layer] for layer in layers]

    def place(f: float) -> tuple[list[list[float]], float]:
        out, lo, hi = [], float("inf"), float("-inf")
        for layer, xs in zip(layers, start, strict=True):
            pos: list[float] = []
            for i, ((_, w), x) in enumerate(zip(layer, xs, strict=True)):
                if not i:
                    pos.append(f * x)
                else:
                    before = layer[i - 1][1]
                    space = gap if w and before else gap / 2
                    pos.append(max(f * x, pos[-1] + (before + w) / 2 + space))
                lo, hi = min(lo, pos[-1] - w / 2), max(hi, pos[-1] + w / 2)
            out.append(pos)
        return out, hi - lo

    if place(1.0)[1] <= max_width:
        return
    low, high = 0.0, 1.0  # place(low) is what is used: the narrowest if nothing fits
    for _ in range(24):
        mid = (low + high) / 2
        if place(mid)[1] <= max_width:
            low = mid
        else:
            high = mid
    for layer, pos in zip(layers, place(low)[0], strict=True):
        for (view, _), x in zip(layer, pos, strict=True):
            view.xy = (x, view.xy[1])
    sug.draw_edges()


class _RankedSugiyama(SugiyamaLayout):  # type: ignore[misc]
    """Sugiyama's layout with the layer of every vertex given (:func:`capped_layers`) instead of
    the longest path from the roots."""

    def __init__(self, g: Graph, ranks: dict[str, int]) -> None:
        super().__init__(g)
        self._ranks = ranks

    def setrank(self, v: Vertex) -> None:
        r = self._ranks[v.data]
        self.grx[v].rank = r
        while len(self.layers) <= r:  # a vertex may be ranked before one of a lower layer
            self.layers.append(Layer([]))
        self.layers[r].append(v)


def capped_layers(order: Sequence[str], edges: Sequence[tuple[str, str]], cap: int) -> dict[str, int]:
    """A layer for each vertex, at most ``cap`` to a layer: in ``order`` (a topological order),
    each vertex goes to the first layer below all its predecessors that has room."""
    preds: dict[str, list[str]] = {v: [] for v in order}
    for a, b in edges:
        preds[b].append(a)
    layer: dict[str, int] = {}
    filled: list[int] = []
    for v in order:
        r = max((layer[p] + 1 for p in preds[v]), default=0)
        while r < len(filled) and filled[r] >= cap:
            r += 1
        if r == len(filled):
            filled.append(0)
        filled[r] += 1
        layer[v] = r
    return layer


Box = tuple[float, float, float, float]
Point = tuple[float, float]


def layout(nodes: Sequence[Drawable], edges: Sequence[tuple[str, str]], sizes: dict[str, tuple[float, float]],
           direction: str = "TB", max_width: float | None = None, cap: int | None = None,
           ) -> tuple[dict[str, Box], list[list[tuple[float, float]]], float, float]:
    """Boxes (x, y, w, h) for each node id, a polyline for each edge (in the order of
    ``edges``), and the drawing's size.

    ``sizes`` gives each node's (width, height). ``direction`` "TB" puts the layers in rows (top
    to bottom), "LR" in columns (left to right): the layout is computed top to bottom with each
    box's sides swapped, then transposed. With ``max_width`` (top to bottom only), a wider
    layout is narrowed to that width where it can be (:func:`_compact`). ``cap`` limits how
    many nodes share a layer (:func:`capped_layers`, taking ``nodes`` as the topological order).
    """
    lr = direction == "LR"
    vertices = {n.id: _Vertex(n.id, i) for i, n in enumerate(nodes)}
    for n in nodes:
        w, h = sizes[n.id]
        vertices[n.id].view = _View(h, w) if lr else _View(w, h)
    graph_edges = []
    for i, (a, b) in enumerate(edges):
        e = _Edge(vertices[a], vertices[b], i)
        e.view = _EdgeView()
        graph_edges.append(e)
    g = Graph(list(vertices.values()), graph_edges)
    boxes: dict[str, Box] = {}
    routed: dict[int, list[tuple[float, float]]] = {}
    offset_x = 0.0
    height = 0.0
    for component in g.C:  # lay out each connected component, then place them side by side
        if cap is None:
            sug = SugiyamaLayout(component)
        else:
            ids = {v.data for v in component.sV}
            sug = _RankedSugiyama(component, capped_layers(
                [n.id for n in nodes if n.id in ids], [(a, b) for a, b in edges if a in ids], cap))
        sug.xspace, sug.yspace = (12, 60) if lr else (24, 56)
        sug.route_edge = route_with_lines
        sug.init_all()
        sug.draw()
        if max_width is not None and not lr:
            _compact(sug, max_width, sug.xspace)
        xs = [v.view.xy[0] - v.view.w / 2 for v in component.sV]
        x0 = min(xs)
        width = max(v.view.xy[0] + v.view.w / 2 for v in component.sV) - x0
        y0 = min(v.view.xy[1] - v.view.h / 2 for v in component.sV)
        for v in component.sV:
            x = v.view.xy[0] - v.view.w / 2 - x0 + offset_x
            y = v.view.xy[1] - v.view.h / 2 - y0
            boxes[v.data] = (x, y, v.view.w, v.view.h)
            height = max(height, y + v.view.h)
        for e in component.sE:
            pts = e.view.points or [e.v[0].view.xy, e.v[1].view.xy]
            routed[e._index] = [(px - x0 + offset_x, py - y0) for px, py in pts]
        offset_x += width + GAP
    total_w = max(offset_x - GAP, 0.0)
    lines = [routed[i] for i in range(len(edges))]  # in the order of ``edges``
    if lr:
        boxes = {k: (y, x, h, w) for k, (x, y, w, h) in boxes.items()}
        lines = [[(y, x) for x, y in pts] for pts in lines]
        return boxes, lines, height, total_w
    return boxes, lines, total_w, height


def label_size(lines: Sequence[str]) -> tuple[float, float]:
    """The size of a node box holding these label lines."""
    return (max(len(line) for line in lines) * CHAR_WIDTH + 2 * PAD_X,
            NODE_HEIGHT + (len(lines) - 1) * LINE_HEIGHT)


def extent(boxes: dict[str, tuple[float, float, float, float]], lines: Sequence[Sequence[tuple[float, float]]]
           ) -> tuple[float, float, float, float]:
    """The smallest rectangle (x0, y0, x1, y1) holding every box and every point of every edge."""
    xs = [v for x, _, w, _ in boxes.values() for v in (x, x + w)] + [x for pts in lines for x, _ in pts]
    ys = [v for _, y, _, h in boxes.values() for v in (y, y + h)] + [y for pts in lines for _, y in pts]
    return (min(xs, default=0.0), min(ys, default=0.0), max(xs, default=0.0), max(ys, default=0.0))


def draw(
    nodes: Sequence[Drawable],
    edges: Sequence[tuple[str, str]],
    *,
    title: str,
    href: Callable[[Drawable], str],
    highlight: str | None = None,
    numbers: dict[str, int] | None = None,
    direction: str = "TB",
    max_width: float | None = None,
    requires: Callable[[str], Sequence[str]] | None = None,
) -> str:
    """Render the graph as one ``<svg>`` element; ``href`` gives each node's link target, and
    ``requires`` (if given) each node's direct prerequisites, for the focus mode.

    With ``max_width`` (top to bottom only), a wider drawing is narrowed to that width, with
    fewer nodes to a layer where needed, so that a column that wide shows it at its natural
    size, labels at full size.
    """
    labels = {
        n.id: wrap(n.name if not numbers or n.id not in numbers else f"{numbers[n.id]}. {n.name}", max_lines=3)
        for n in nodes
    }
    sizes = {n.id: label_size(labels[n.id]) for n in nodes}
    boxes, lines, _, _ = layout(nodes, edges, sizes, direction, max_width)
    # The viewBox is the drawn extent (every box and every routed edge): the layout's own size
    # leaves out edges routed around a layer, which were clipped (reaching x = 1173 in 990).
    x0, y0, x1, y1 = extent(boxes, lines)
    if max_width is not None and direction == "TB":
        # Still too wide: fewer nodes to a layer (so more layers), until the drawing fits.
        cap = max(Counter(round(y + h / 2) for _, y, _, h in boxes.values()).values(), default=0)
        while x1 - x0 > max_width and cap > 2:
            cap -= 1
            again = layout(nodes, edges, sizes, direction, max_width, cap)
            ext = extent(again[0], again[1])
            if ext[2] - ext[0] < x1 - x0:
                boxes, lines, (x0, y0, x1, y1) = again[0], again[1], ext
    parts = _open(title, (x0, y0, x1, y1))
    for (a, b), points in zip(edges, lines, strict=True):
        parts.append(edge(points, a, b))
    parts.append("</g>")
    for node in nodes:
        number = numbers.get(node.id) if numbers else None
        cls = f"rm-node rm-{node.kind}" + (" rm-target" if node.id == highlight else "")
        parts.append(_node(node, boxes[node.id], labels[node.id], cls, href(node), requires,
                           prefix=f"{number}. " if number is not None else ""))
    parts.append("</svg>")
    return "".join(parts)


#: A drawing is shown at least this fraction of its natural size (labels at 10 px or more); a
#: narrower column (a phone's) scrolls it inside its box.
MIN_SCALE = 0.8


def _open(title: str, ext: tuple[float, float, float, float], m: float = 6) -> list[str]:
    """The ``<svg>`` element's start, up to the open group of edges. Its viewBox is the drawn
    extent ``ext`` (every box and every routed edge) with a margin: the layout's own size leaves
    out edges routed around a layer, which were clipped (reaching x = 1173 in 990)."""
    x0, y0, x1, y1 = ext
    width, height = x1 - x0 + 2 * m, y1 - y0 + 2 * m
    return [
        f'<svg class="rm-graph" xmlns="http://www.w3.org/2000/svg" role="group"'
        f' viewBox="{x0 - m:.0f} {y0 - m:.0f} {width:.0f} {height:.0f}"'
        # Fit the column down to MIN_SCALE of natural size (labels stay legible), then scroll.
        f' style="width:100%;max-width:{width:.0f}px;min-width:{MIN_SCALE * width:.0f}px"'
        f' aria-label="{attr(title)}">',
        f"<title>{text(title)}</title>",
        '<defs><marker id="rm-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7"'
        ' markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z"'
        ' class="rm-arrowhead"/></marker></defs>',
        '<g class="rm-edges">',
    ]


def edge(points: Sequence[tuple[float, float]], source: str, target: str, head: bool = True) -> str:
    """An arrow along ``points`` (a line without a head with ``head`` false); its ends' ids let
    the focus mode (graphs.js) light it up. ``source`` may list several ids, separated by spaces:
    one arrow drawn for several of the same target."""
    d = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    return (f'<polyline data-from="{attr(source)}" data-to="{attr(target)}" points="{d}"'
            + (' marker-end="url(#rm-arrow)"/>' if head else "/>"))


def _node(node: Drawable, box: tuple[float, float, float, float], label: Sequence[str], cls: str, href: str,
          requires: Callable[[str], Sequence[str]] | None, *, prefix: str = "", rx: float = 6) -> str:
    """A node: a link holding a box and its (wrapped) label. ``data-requires`` (its direct
    prerequisites, drawn or not) is what the focus mode follows to light up what it needs and
    what it unlocks."""
    x, y, w, h = box
    kind = KIND_NAMES[node.kind]
    top = y + h / 2 + 4.5 - (len(label) - 1) * LINE_HEIGHT / 2
    # A wrapped label's second line starts with the space it was wrapped at, so the text reads
    # "Multivariable calculus", as the link's aria-label does, not "Multivariablecalculus".
    tspans = "".join(
        f'<tspan x="{x + w / 2:.1f}" y="{top + i * LINE_HEIGHT:.1f}">{text((" " if i else "") + line)}</tspan>'
        for i, line in enumerate(label)
    )
    needs = f' data-requires="{attr(" ".join(requires(node.id)))}"' if requires else ""
    return (
        f'<a class="{cls}" href="{attr(href)}" data-node="{attr(node.id)}"{needs}'
        f' aria-label="{attr(f"{prefix}{node.name} ({kind})")}">'
        f"<title>{text(node.name)} ({kind})</title>"
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" rx="{rx:g}"/>'
        f'<text text-anchor="middle">{tspans}</text>'
        "</a>"
    )


#: Rows of the family boxes wrap at this many characters a line.
ROW_CHARS = 26


def overview(
    families: Sequence[tuple[str, Sequence[Drawable]]],
    topics: Sequence[Drawable],
    feeds: Sequence[tuple[str, str]],
    builds_on: Sequence[tuple[str, str]],
    *,
    title: str,
    href: Callable[[Drawable], str],
    requires: Callable[[str], Sequence[str]],
) -> str:
    """The home page's picture: maths areas in boxes by family (left), the research topics they
    feed in columns to the right, each topic one column after the last topic it builds on.

    ``feeds`` are (maths area, topic) edges, ``builds_on`` (topic, topic) edges. Every arrow of
    one family to one topic is drawn once (a *trunk*, whose ``data-from`` lists its areas); where
    several areas share it, each joins it by a short stub (``data-from`` its area) just right of
    the family's box. The order of the families, of the areas in each family and of the topics
    (and passing arrows) in each column comes from barycentre sweeps, ties broken by name,
    keeping the order with the fewest crossings; then each column is placed as near as its
    order allows to where its arrows come from and go. An arrow crosses a column only in a lane
    of its own, level, and slopes only between columns, so no arrow runs through a box. The
    layout is :mod:`.overview`'s; this wraps and measures the labels and draws it.
    """
    labels = overview_labels(families, topics)
    picture = lay_out(overview_scene(families, topics, feeds, builds_on, labels))
    return overview_markup(picture, families, topics, labels, title=title, href=href, requires=requires)


def overview_labels(families: Sequence[tuple[str, Sequence[Drawable]]], topics: Sequence[Drawable]
                    ) -> dict[str, list[str]]:
    """The wrapped label of every area (a row of its family's box) and topic."""
    labels = {a.id: wrap(a.name, ROW_CHARS, max_lines=3) for _, areas in families for a in areas}
    labels.update({t.id: wrap(t.name, max_lines=3) for t in topics})
    return labels


def overview_scene(families: Sequence[tuple[str, Sequence[Drawable]]], topics: Sequence[Drawable],
                   feeds: Sequence[tuple[str, str]], builds_on: Sequence[tuple[str, str]],
                   labels: Mapping[str, Sequence[str]]) -> Scene:
    """What the home picture lays out, measured from the wrapped ``labels``: each row a little
    tighter than a free box."""
    areas = [a for _, members in families for a in members]
    return Scene(
        family_names=[name for name, _ in families],
        family_widths=[_family_width(name, [labels[a.id] for a in members]) for name, members in families],
        members=[[a.id for a in members] for _, members in families],
        row_heights={a.id: label_size(labels[a.id])[1] - 6 for a in areas},
        topics=[t.id for t in topics],
        topic_sizes={t.id: label_size(labels[t.id]) for t in topics},
        names={**{a.id: a.name for a in areas}, **{t.id: t.name for t in topics}},
        feeds=feeds,
        builds_on=builds_on,
    )


def _family_width(name: str, rows: Sequence[Sequence[str]]) -> float:
    """A family box's width: its name's or its widest row's."""
    return max([len(name) * CHAR_WIDTH + 2 * PAD_X, *(label_size(row)[0] + 2 * ROW_PAD for row in rows)])


def overview_markup(picture: Picture, families: Sequence[tuple[str, Sequence[Drawable]]],
                    topics: Sequence[Drawable], labels: Mapping[str, Sequence[str]], *, title: str,
                    href: Callable[[Drawable], str], requires: Callable[[str], Sequence[str]]) -> str:
    """The home picture as one ``<svg>``: the arrows (a point repeated in a row drawn once),
    then each family's box with its rows, then the topics."""
    parts = _open(title, extent({**picture.boxes, **{f"family {f}": b for f, b in picture.family_boxes.items()}},
                                [arrow.points for arrow in picture.arrows]))
    for a, b, points, head in picture.arrows:
        parts.append(edge([p for i, p in enumerate(points) if not i or p != points[i - 1]], a, b, head))
    parts.append("</g>")
    for f in picture.families:
        name, members = families[f]
        by_id = {a.id: a for a in members}
        rows = [(by_id[a], picture.boxes[a], labels[a]) for a in picture.members[f]]
        parts.append(_family(name, picture.family_boxes[f], rows, href, requires))
    for t in topics:
        parts.append(_node(t, picture.boxes[t.id], labels[t.id], "rm-node rm-topic", href(t), requires))
    parts.append("</svg>")
    return "".join(parts)


def _family(name: str, box: Box, rows: Sequence[tuple[Drawable, Box, Sequence[str]]],
            href: Callable[[Drawable], str], requires: Callable[[str], Sequence[str]]) -> str:
    """A family's group: its box, its name, and its rows (each an area, its box and its label)."""
    x, y, w, h = box
    return "".join([
        f'<g class="rm-family"><rect class="rm-family-box" x="{x:.1f}" y="{y:.1f}" width="{w:.1f}"'
        f' height="{h:.1f}" rx="8"/><text class="rm-family-name" x="{x + PAD_X:.1f}"'
        f' y="{y + FAMILY_HEADER - 10:.1f}">{text(name)}</text>',
        *(_node(area, area_box, label, "rm-node rm-maths", href(area), requires, rx=4)
          for area, area_box, label in rows),
        "</g>",
    ])


# -- measuring a drawing -----------------------------------------------------------------------


def _turn(a: Point, b: Point, c: Point) -> float:
    return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])


def _segments_cross(p: Point, q: Point, r: Point, s: Point, eps: float = 1e-6) -> bool:
    """Whether segments pq and rs cross at a point inside both (touching at an end, or running
    along each other, is not a crossing)."""
    d1, d2, d3, d4 = _turn(r, s, p), _turn(r, s, q), _turn(p, q, r), _turn(p, q, s)
    return ((d1 > eps and d2 < -eps) or (d1 < -eps and d2 > eps)) and \
        ((d3 > eps and d4 < -eps) or (d3 < -eps and d4 > eps))


def crossings(lines: Sequence[Sequence[Point]]) -> int:
    """How many points the drawn polylines cross one another at: where segments of two
    different lines cross inside both (arrows meeting at a node or a junction do not count, and
    arrows drawn along one another crossing a third count once)."""
    segments = [(i, min(p[0], q[0]), max(p[0], q[0]), min(p[1], q[1]), max(p[1], q[1]), p, q)
                for i, pts in enumerate(lines) for p, q in pairwise(pts) if p != q]
    segments.sort(key=lambda s: s[1])
    points: set[tuple[float, float]] = set()
    for k, (i, _x0, x1, y0, y1, p, q) in enumerate(segments):
        for j, u0, _u1, v0, v1, r, s in segments[k + 1:]:
            if u0 > x1:
                break
            if j != i and v0 <= y1 and y0 <= v1 and _segments_cross(p, q, r, s):
                t = _turn(r, s, p) / (_turn(r, s, p) - _turn(r, s, q))
                points.add((round(p[0] + t * (q[0] - p[0])), round(p[1] + t * (q[1] - p[1]))))
    return len(points)


def crosses_box(p: Point, q: Point, box: Box, inset: float = 1.0) -> bool:
    """Whether segment pq passes through the inside of ``box`` (x, y, w, h) shrunk by ``inset``
    (running along its edge does not count)."""
    x, y, w, h = box
    lo_x, hi_x, lo_y, hi_y = x + inset, x + w - inset, y + inset, y + h - inset
    t0, t1 = 0.0, 1.0
    dx, dy = q[0] - p[0], q[1] - p[1]
    for step, room in ((-dx, p[0] - lo_x), (dx, hi_x - p[0]), (-dy, p[1] - lo_y), (dy, hi_y - p[1])):
        if step == 0:
            if room < 0:
                return False
        else:
            t = room / step
            if step < 0:
                t0 = max(t0, t)
            else:
                t1 = min(t1, t)
    return t0 < t1
