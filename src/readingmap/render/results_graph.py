"""The drawing of what builds on what among the results, coloured and shaped by status.

A result is drawn as a box whose outline says its status (solid for a theorem, dashed for a
heuristic or physics derivation, a pill for an empirical law, dotted for a conjecture) and whose
fill repeats it in colour, so that the difference survives without colour. The legend is part of
the picture (its first row) and of its accessible text (the drawing's title and description).
Labels are full names, wrapped on as many lines as they need. The layout is grandalf's, through
:func:`readingmap.render.svg.layout`; the focus mode is the one of every drawing (graphs.js).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from ..catalogue.model import STATUSES, Result
from . import svg
from .markup import attr, text

__all__ = ["box_of", "draw"]

#: Characters a line of a label: four columns of boxes then fit a 1400-pixel page's column.
LABEL_CHARS = 19
#: The legend's row above the boxes.
LEGEND_HEIGHT = 34
LEGEND_BOX = 26
LEGEND_GAP = 18
#: How each status is outlined: the stroke's dash pattern and the corner radius (None: a pill).
SHAPES: dict[str, tuple[str | None, float | None]] = {
    "theorem": (None, 3.0),
    "conjecture": ("2 3", 3.0),
    "heuristic": ("7 4", 3.0),
    "empirical": (None, None),
}


@dataclass(frozen=True)
class ResultBox:
    """A result as a node of a drawing (:class:`readingmap.render.svg.Drawable`)."""

    id: str
    name: str
    status: str
    #: What the accessible name adds after the status ("rests on theorems only").
    note: str = ""
    kind: str = "result"


def box_of(result: Result, note: str = "") -> ResultBox:
    return ResultBox(result.id, result.name, result.status, note)


def wrap_full(label: str, width: int = LABEL_CHARS) -> list[str]:
    """``label`` on lines of at most ``width`` characters, broken between words; never cut (a
    single word longer than ``width`` has a line of its own)."""
    lines: list[str] = []
    for word in label.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def legend_items(statuses: Iterable[str]) -> list[tuple[str, str]]:
    """(status, label) for each status among ``statuses``, in the order of :data:`STATUSES`."""
    present = set(statuses)
    return [(s, label) for s, label in STATUSES.items() if s in present]


def legend_text(statuses: Iterable[str]) -> str:
    """The legend in words, for the drawing's accessible description."""
    words = {"theorem": "solid outline", "conjecture": "dotted outline", "heuristic": "dashed outline",
             "empirical": "rounded pill"}
    return "Legend: " + "; ".join(f"{label}: {words[s]}" for s, label in legend_items(statuses)) + "."


def _shape(status: str, x: float, y: float, w: float, h: float) -> str:
    dash, radius = SHAPES.get(status, (None, 3.0))
    rx = h / 2 if radius is None else radius
    return (f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" rx="{rx:g}"'
            + (f' stroke-dasharray="{dash}"' if dash else "") + "/>")


def _legend(statuses: Iterable[str], x0: float, y0: float, focus: bool) -> tuple[list[str], float]:
    """The legend's row at (x0, y0), and its width."""
    parts = ['<g class="rm-legend" aria-hidden="true">']
    x = x0
    items = legend_items(statuses)
    for status, label in items:
        parts.append(f'<g class="rm-st-{status}">{_shape(status, x, y0 + 4, LEGEND_BOX, 16)}</g>')
        parts.append(f'<text x="{x + LEGEND_BOX + 6:.1f}" y="{y0 + 16.5:.1f}">{text(label)}</text>')
        x += LEGEND_BOX + 6 + len(label) * svg.CHAR_WIDTH * 0.92 + LEGEND_GAP
    if focus:
        parts.append(f'<g class="rm-st-theorem rm-target">{_shape("theorem", x, y0 + 4, LEGEND_BOX, 16)}</g>')
        parts.append(f'<text x="{x + LEGEND_BOX + 6:.1f}" y="{y0 + 16.5:.1f}">this result</text>')
        x += LEGEND_BOX + 6 + 11 * svg.CHAR_WIDTH * 0.92 + LEGEND_GAP
    parts.append("</g>")
    return parts, x - x0 - LEGEND_GAP


Box = tuple[float, float, float, float]
#: The columns of :func:`columns`: the gap between two, and between two boxes of one column.
COLUMN_GAP = 56
ROW_GAP = 12
SWEEPS = 4


def columns(ids: Sequence[str], edges: Sequence[tuple[str, str]], sizes: dict[str, tuple[float, float]]
            ) -> tuple[dict[str, Box], list[list[tuple[float, float]]]]:
    """A small layered layout, left to right: each result in the column after the furthest of
    those it builds on, columns ordered by the mean row of their neighbours (a few sweeps each
    way), edges from the right side of a box to the left side of the next. Linear in the size of
    the drawing: a result page's drawing of what it rests on and what rests on it is small, and
    there is one per result (grandalf's layout of each cost more than the rest of the page)."""
    preds: dict[str, list[str]] = {i: [] for i in ids}
    succs: dict[str, list[str]] = {i: [] for i in ids}
    for a, b in edges:
        preds[b].append(a)
        succs[a].append(b)
    waiting = {i: len(preds[i]) for i in ids}
    ready = [i for i in ids if not waiting[i]]
    layer: dict[str, int] = {}
    while ready:
        n = ready.pop(0)
        layer[n] = max((layer[p] + 1 for p in preds[n]), default=0)
        for m in succs[n]:
            waiting[m] -= 1
            if not waiting[m]:
                ready.append(m)
    cols: list[list[str]] = [[] for _ in range(max(layer.values(), default=-1) + 1)]
    for i in ids:
        cols[layer[i]].append(i)
    for sweep in range(SWEEPS):
        forward = sweep % 2 == 0
        rank = {n: k for col in cols for k, n in enumerate(col)}
        neighbours = preds if forward else succs
        for col in cols[1:] if forward else cols[-2::-1]:
            centre = {n: sum(rank[x] for x in neighbours[n]) / len(neighbours[n]) if neighbours[n] else rank[n]
                      for n in col}
            col.sort(key=centre.__getitem__)
            rank.update({n: k for k, n in enumerate(col)})
    heights = [sum(sizes[n][1] for n in col) + ROW_GAP * (len(col) - 1) for col in cols]
    tallest = max(heights, default=0.0)
    placed: dict[str, Box] = {}
    x = 0.0
    for col, height in zip(cols, heights, strict=True):
        width = max(sizes[n][0] for n in col)
        y = (tallest - height) / 2
        for n in col:
            w, h = sizes[n]
            placed[n] = (x + (width - w) / 2, y, w, h)
            y += h + ROW_GAP
        x += width + COLUMN_GAP
    lines = []
    for a, b in edges:
        ax, ay, aw, ah = placed[a]
        bx, by, _bw, bh = placed[b]
        start, end = (ax + aw, ay + ah / 2), (bx, by + bh / 2)
        lines.append([start, (start[0] + COLUMN_GAP / 3, start[1]), (end[0] - COLUMN_GAP / 3, end[1]), end])
    return placed, lines


def draw(boxes: Sequence[ResultBox], edges: Sequence[tuple[str, str]], *, title: str,
         href: Callable[[ResultBox], str], focus: str | None = None) -> str:
    """One ``<svg>``: a legend row, then the results left to right, an arrow from a result to
    each result that builds on it. ``focus`` is the result a page is about, outlined thickly;
    its drawing (what it rests on, and what rests on it) is laid out by :func:`columns`, the
    others by grandalf's layered layout (:func:`readingmap.render.svg.layout`)."""
    labels = {b.id: wrap_full(b.name) for b in boxes}
    sizes = {b.id: svg.label_size(labels[b.id]) for b in boxes}
    if focus is None:
        placed, lines, _, _ = svg.layout(boxes, edges, sizes, "LR")
    else:
        placed, lines = columns([b.id for b in boxes], edges, sizes)
    statuses = [b.status for b in boxes]
    # Below the legend's row.
    placed = {k: (x, y + LEGEND_HEIGHT, w, h) for k, (x, y, w, h) in placed.items()}
    lines = [[(x, y + LEGEND_HEIGHT) for x, y in pts] for pts in lines]
    x0, _, x1, y1 = svg.extent(placed, lines)
    legend, legend_w = _legend(statuses, x0, 0.0, focus is not None)
    x1 = max(x1, x0 + legend_w)
    full_title = f"{title}. {legend_text(statuses)}"
    m = 6
    width, height = x1 - x0 + 2 * m, y1 + 2 * m
    parts = [
        f'<svg class="rm-graph rm-results-graph" xmlns="http://www.w3.org/2000/svg" role="group"'
        f' viewBox="{x0 - m:.0f} {-m:.0f} {width:.0f} {height:.0f}"'
        f' style="width:100%;max-width:{width:.0f}px;min-width:{svg.MIN_SCALE * width:.0f}px"'
        f' aria-label="{attr(full_title)}">',
        f"<title>{text(full_title)}</title>",
        '<defs><marker id="rm-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7"'
        ' markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z"'
        ' class="rm-arrowhead"/></marker></defs>',
        *legend,
        '<g class="rm-edges">',
    ]
    parts += [svg.edge(points, a, b) for (a, b), points in zip(edges, lines, strict=True)]
    parts.append("</g>")
    requires: dict[str, list[str]] = {b.id: [] for b in boxes}
    for source, target in edges:
        requires[target].append(source)
    for b in boxes:
        parts.append(_node(b, placed[b.id], labels[b.id], href(b), requires[b.id], b.id == focus))
    parts.append("</svg>")
    return "".join(parts)


def _node(b: ResultBox, box: tuple[float, float, float, float], label: Sequence[str], href: str,
          requires: Sequence[str], focus: bool) -> str:
    x, y, w, h = box
    status = STATUSES.get(b.status, b.status)
    name = f"{b.name} ({status.lower()}{'; ' + b.note if b.note else ''}{'; this result' if focus else ''})"
    top = y + h / 2 + 4.5 - (len(label) - 1) * svg.LINE_HEIGHT / 2
    tspans = "".join(
        f'<tspan x="{x + w / 2:.1f}" y="{top + i * svg.LINE_HEIGHT:.1f}">{text((" " if i else "") + line)}</tspan>'
        for i, line in enumerate(label))
    cls = f"rm-node rm-result rm-st-{attr(b.status)}" + (" rm-target" if focus else "")
    return (f'<a class="{cls}" href="{attr(href)}" data-node="{attr(b.id)}"'
            f' data-requires="{attr(" ".join(requires))}" aria-label="{attr(name)}">'
            f"<title>{text(name)}</title>{_shape(b.status, x, y, w, h)}"
            f'<text text-anchor="middle">{tspans}</text></a>')
