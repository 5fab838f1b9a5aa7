"""Inline SVG drawings of the prerequisite graph, laid out by grandalf's Sugiyama layout.

The drawing is static markup: readable without JavaScript, every node a link with an accessible
name, colours from Material's CSS variables (so it follows the light and dark palettes), and every
label escaped.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from grandalf.graphs import Edge, Graph, Vertex
from grandalf.layouts import DummyVertex, Layer, SugiyamaLayout
from grandalf.routing import route_with_lines

from .markup import attr, text

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
        for layer, xs in zip(layers, start):
            pos: list[float] = []
            for i, ((_, w), x) in enumerate(zip(layer, xs)):
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
    for layer, pos in zip(layers, place(low)[0]):
        for (view, _), x in zip(layer, pos):
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


def layout(nodes: Sequence[Drawable], edges: Sequence[tuple[str, str]], sizes: dict[str, tuple[float, float]],
           direction: str = "TB", max_width: float | None = None, cap: int | None = None,
           ) -> tuple[dict[str, Box], list[list[tuple[float, float]]], float, float]:
    """Boxes (x, y, w, h) for each node id, polylines for each edge, and the drawing's size.

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
    lines: list[list[tuple[float, float]]] = []
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
            lines.append([(px - x0 + offset_x, py - y0) for px, py in pts])
        offset_x += width + GAP
    total_w = max(offset_x - GAP, 0.0)
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
) -> str:
    """Render the graph as one ``<svg>`` element; ``href`` gives each node's link target.

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
    m = 6
    width, height = x1 - x0 + 2 * m, y1 - y0 + 2 * m
    parts = [
        f'<svg class="rm-graph" xmlns="http://www.w3.org/2000/svg" role="group"'
        f' viewBox="{x0 - m:.0f} {y0 - m:.0f} {width:.0f} {height:.0f}"'
        # Fit the column down to 70% of natural size (labels stay legible), then scroll.
        f' style="width:100%;max-width:{width:.0f}px;min-width:{0.7 * width:.0f}px"'
        f' aria-label="{attr(title)}">',
        f"<title>{text(title)}</title>",
        '<defs><marker id="rm-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7"'
        ' markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z"'
        ' class="rm-arrowhead"/></marker></defs>',
        '<g class="rm-edges">',
    ]
    for points in lines:
        d = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        parts.append(f'<polyline points="{d}" marker-end="url(#rm-arrow)"/>')
    parts.append("</g>")
    for node in nodes:
        x, y, w, h = boxes[node.id]
        kind = KIND_NAMES[node.kind]
        number = numbers.get(node.id) if numbers else None
        label = labels[node.id]
        top = y + h / 2 + 4.5 - (len(label) - 1) * LINE_HEIGHT / 2
        # A wrapped label's second line starts with the space it was wrapped at, so the text reads
        # "Multivariable calculus", as the link's aria-label does, not "Multivariablecalculus".
        tspans = "".join(
            f'<tspan x="{x + w / 2:.1f}" y="{top + i * LINE_HEIGHT:.1f}">{text((" " if i else "") + line)}</tspan>'
            for i, line in enumerate(label)
        )
        cls = f"rm-node rm-{node.kind}" + (" rm-target" if node.id == highlight else "")
        name = f"{number}. " if number is not None else ""
        parts.append(
            f'<a class="{cls}" href="{attr(href(node))}" aria-label="{attr(f"{name}{node.name} ({kind})")}">'
            f"<title>{text(node.name)} ({kind})</title>"
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" rx="6"/>'
            f'<text text-anchor="middle">{tspans}</text>'
            "</a>"
        )
    parts.append("</svg>")
    return "".join(parts)
