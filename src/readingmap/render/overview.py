"""The home page's picture laid out: maths areas in boxes by family (left), the research topics
they feed in columns to the right, each topic one column after the last topic it builds on.

Pure geometry over plain data (ids, names, sizes); :func:`.svg.overview` wraps the labels,
measures them and draws the result. The layout is a sequence of small steps, each a function of
its inputs:

1. the network (:func:`network`): each topic's column (:func:`topic_columns`); every arrow of
   one family to one topic drawn once, a *trunk* (:func:`group_trunks`); every arrow a chain of
   lanes, one per column it crosses (:func:`chains_and_lanes`), and so hops between neighbouring
   columns (:func:`hops_of`, :func:`neighbours`);
2. the order of the families, of the areas in each family and of the entries of each column:
   barycentre sweeps (:func:`sweep`, :func:`barycentre_order`), ties broken by name, keeping the
   order with the fewest crossings (:func:`count_crossings`), then swaps of neighbours while that
   helps (:func:`swap_neighbours`);
3. placement: each column as near as its order allows to where its arrows come from and go
   (:func:`place`), its boxes (:func:`column_bounds`, :func:`area_boxes`, :func:`topic_boxes`);
4. routing: where each arrow leaves and enters a topic (:func:`ports`), shared vertical lines
   for topics with many arrows (:func:`buses`), and the arrows (:func:`route`, :func:`arrows`).

An arrow crosses a column only in a lane of its own, level, and slopes only between columns,
so no arrow runs through a box.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any, NamedTuple

__all__ = [
    "BOX_GAP", "BUS_INSET", "BUS_MIN", "BUS_STEP", "COLUMN_GAP", "FAMILY_GAP", "FAMILY_HEADER", "FIRST_GAP", "JOIN",
    "LANE_GAP", "PLACE_ROUNDS", "ROW_PAD", "SWAP_ROUNDS", "SWEEPS", "Arrow", "Box", "Geometry", "Hop", "Lane",
    "Network", "Order", "Picture", "Point", "Scene", "Trunk", "area_boxes", "arrows", "barycentre_order", "buses",
    "chains_and_lanes", "column_bounds", "count_crossings", "family_boxes", "fit_in_order", "group_trunks",
    "hops_of", "hubs_of", "inversions", "lane_gap", "lay_out", "mean", "near", "neighbours", "network", "place",
    "ports", "positions", "route", "spread", "stack_families", "stack_lanes", "swap_neighbours", "sweep",
    "topic_boxes", "topic_columns", "trunk_y",
]

Box = tuple[float, float, float, float]
Point = tuple[float, float]

FAMILY_HEADER = 28
ROW_PAD = 4
#: Vertical room between the family boxes, between topic boxes, and either side of an arrow
#: running through a column of topics.
FAMILY_GAP = 14
BOX_GAP = 16
LANE_GAP = 9
#: Horizontal room between the columns: after the families (where arrows of one family to one
#: topic join: :data:`JOIN`), and between columns of topics.
FIRST_GAP = 84
COLUMN_GAP = 60
JOIN = 26
#: Rounds of the barycentre ordering (each one sweep down and one up) and of the placement.
SWEEPS = 12
PLACE_ROUNDS = 8
SWAP_ROUNDS = 8
#: A topic with at least this many arrows to the next column sends them along a bus, the
#: first this far right of its column, the next ones (in the same gap) further right.
BUS_MIN = 3
BUS_INSET = 14
BUS_STEP = 10


# -- what is laid out ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scene:
    """What the picture shows, measured: families of areas (by index) and topics, by id."""

    family_names: Sequence[str]
    #: The width of each family's box (its widest row, or its name).
    family_widths: Sequence[float]
    #: The area ids of each family, in the order given.
    members: Sequence[Sequence[str]]
    #: The height of each area's row.
    row_heights: Mapping[str, float]
    topics: Sequence[str]
    #: Each topic's box (width, height).
    topic_sizes: Mapping[str, tuple[float, float]]
    #: The name of every area and topic (ties of the ordering are broken by name).
    names: Mapping[str, str]
    #: (maths area, topic) and (topic, topic) edges.
    feeds: Sequence[tuple[str, str]]
    builds_on: Sequence[tuple[str, str]]


@dataclass(frozen=True)
class Trunk:
    """Every arrow of one family to one topic, drawn once; its key in the layout is ``@k``, k its
    index among the trunks."""

    family: int
    topic: str
    areas: tuple[str, ...]


@dataclass(frozen=True)
class Lane:
    """One entry of a column of topics: a topic's box, or an arrow passing through the column
    on its way to a later one (a bend, with no height)."""

    key: str
    sort_name: str
    h: float


#: A hop of an arrow between neighbouring columns: (column of its first end, first end, second end).
Hop = tuple[int, str, str]


@dataclass(frozen=True)
class Network:
    """The arrows of the picture before any order: each topic's column, the trunks, each arrow's
    chain of lanes (source: a trunk ``@k`` or a topic id; lanes up to its target), their hops and
    what each end of a hop leads to and comes from."""

    column: dict[str, int]
    trunks: list[Trunk]
    chains: list[tuple[str, list[str]]]
    hops: list[Hop]
    succ: dict[str, list[str]]
    pred: dict[str, list[str]]


@dataclass
class Order:
    """The order of the families, of the area ids in each family (by family index), and of the
    entries of each column (column 0, the families', holds none)."""

    families: list[int]
    members: list[list[str]]
    lanes: list[list[Lane]]

    def copy(self) -> Order:
        return Order(list(self.families), [list(m) for m in self.members], [list(ls) for ls in self.lanes])


@dataclass(frozen=True)
class Geometry:
    """Where things are, for routing: each topic's column, the columns' left and right edges,
    every box, the centre of every entry (area, trunk, topic, lane), the ports where arrows
    enter topics, and the buses."""

    column: dict[str, int]
    left: list[float]
    right: list[float]
    boxes: dict[str, Box]
    y_of: dict[str, float]
    in_port: dict[tuple[str, str], float]
    bus: dict[str, float]


class Arrow(NamedTuple):
    """A polyline of the picture: ``source`` may list several area ids (a trunk), separated by
    spaces; ``head`` is false for a stub joining an area to its family's trunk."""

    source: str
    target: str
    points: list[Point]
    head: bool


@dataclass(frozen=True)
class Picture:
    """The laid-out picture: the families in drawing order, the area ids of each family (by
    family index) in order, the family boxes, every area's and topic's box, and the arrows."""

    families: list[int]
    members: list[list[str]]
    family_boxes: dict[int, Box]
    boxes: dict[str, Box]
    arrows: list[Arrow]


# -- 1. the network ----------------------------------------------------------------------------------


def topic_columns(topics: Sequence[str], builds_on: Sequence[tuple[str, str]]) -> dict[str, int]:
    """Each topic's column: 1 after the families, or one after the last topic it builds on (the
    longest path from the families; ``builds_on`` is acyclic and short)."""
    column = dict.fromkeys(topics, 1)
    for _ in topics:
        for a, b in builds_on:
            column[b] = max(column[b], column[a] + 1)
    return column


def group_trunks(feeds: Sequence[tuple[str, str]], family_of: Mapping[str, int]) -> list[Trunk]:
    """The (maths area, topic) edges grouped by (family, topic), in order of first appearance."""
    areas: dict[tuple[int, str], list[str]] = {}
    for a, fed in feeds:
        areas.setdefault((family_of[a], fed), []).append(a)
    return [Trunk(f, fed, tuple(ids)) for (f, fed), ids in areas.items()]


def chains_and_lanes(scene: Scene, column: Mapping[str, int], trunks: Sequence[Trunk]
                     ) -> tuple[list[tuple[str, list[str]]], list[list[Lane]]]:
    """Every arrow (each trunk, then each edge of ``builds_on``) as a chain of lanes, one per
    column from its source's to its target's, and the entries of each column: its topics (in
    the order given), then the lanes of the arrows passing through it."""
    lanes_of: list[list[Lane]] = [[] for _ in range(max(column.values(), default=0) + 1)]
    for t in scene.topics:
        lanes_of[column[t]].append(Lane(t, scene.names[t], scene.topic_sizes[t][1]))
    names = scene.names
    sources = [(f"@{k}", 0, tr.topic, f"{scene.family_names[tr.family]} {names[tr.topic]}")
               for k, tr in enumerate(trunks)]
    sources += [(a, column[a], b, f"{names[a]} {names[b]}") for a, b in scene.builds_on]
    chains: list[tuple[str, list[str]]] = []
    for source, start, target, name in sources:
        path = []
        for c in range(start + 1, column[target]):
            lane = Lane(f"{source}>{target}#{c}", f"~{name}", 0.0)
            lanes_of[c].append(lane)
            path.append(lane.key)
        chains.append((source, [*path, target]))
    return chains, lanes_of


def hops_of(chains: Sequence[tuple[str, Sequence[str]]], column: Mapping[str, int]) -> list[Hop]:
    """The hops of every chain between neighbouring columns, in order."""
    hops: list[Hop] = []
    for source, path in chains:
        first = 0 if source.startswith("@") else column[source]
        hops += [(first + i, a, b) for i, (a, b) in enumerate(pairwise([source, *path]))]
    return hops


def neighbours(hops: Sequence[Hop]) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """What each end of a hop leads to (its successors) and comes from (its predecessors)."""
    succ: dict[str, list[str]] = {}
    pred: dict[str, list[str]] = {}
    for _, a, b in hops:
        succ.setdefault(a, []).append(b)
        pred.setdefault(b, []).append(a)
    return succ, pred


def network(scene: Scene) -> tuple[Network, Order]:
    """The picture's network, and its first order (families, areas and topics as given)."""
    family_of = {a: f for f, areas in enumerate(scene.members) for a in areas}
    column = topic_columns(scene.topics, scene.builds_on)
    trunks = group_trunks(scene.feeds, family_of)
    chains, lanes_of = chains_and_lanes(scene, column, trunks)
    hops = hops_of(chains, column)
    succ, pred = neighbours(hops)
    order = Order(list(range(len(scene.members))), [list(m) for m in scene.members], lanes_of)
    return Network(column, trunks, chains, hops, succ, pred), order


# -- stacking -------------------------------------------------------------------------------------------


def stack_families(order: Sequence[int], members: Sequence[Sequence[str]], row_heights: Mapping[str, float]
                   ) -> tuple[dict[int, float], dict[str, float]]:
    """Top of each family box and centre of each area's row, families stacked in ``order`` from
    y = 0, each a header, its rows and a gap."""
    tops, centres, y = {}, {}, 0.0
    for f in order:
        tops[f] = y
        y += FAMILY_HEADER
        for area in members[f]:
            h = row_heights[area]
            centres[area] = y + h / 2
            y += h + ROW_PAD
        y += ROW_PAD + FAMILY_GAP
    return tops, centres


def lane_gap(a: Lane, b: Lane) -> float:
    """The distance between the centres of neighbouring entries of a column: half of each
    one's height and a gap, wider between two boxes than where an arrow passes."""
    return (BOX_GAP if a.h and b.h else LANE_GAP) + (a.h + b.h) / 2


def stack_lanes(lanes: Sequence[Lane]) -> dict[str, float]:
    """Positions 0..1 of a column's entries stacked in order (for the sweeps)."""
    out, y = {}, 0.0
    for i, lane in enumerate(lanes):
        y += lane_gap(lanes[i - 1], lane) if i else 0.0
        out[lane.key] = y
    return {k: v / (y or 1.0) for k, v in out.items()}


def trunk_y(trunk: Trunk, centres: Mapping[str, float]) -> float:
    """Where a trunk starts: the mean centre of its areas."""
    return sum(centres[a] for a in trunk.areas) / len(trunk.areas)


def mean(keys: Sequence[str], pos: Mapping[str, float], default: float) -> float:
    """The mean position of ``keys``, ``default`` if there are none."""
    return sum(pos[k] for k in keys) / len(keys) if keys else default


# -- 2. the order -----------------------------------------------------------------------------------


def positions(net: Network, order: Order, row_heights: Mapping[str, float]) -> dict[str, float]:
    """The position of every entry in ``order``, 0..1 in its column: areas and trunks by their
    height in the stacked families, the entries of each column stacked (:func:`stack_lanes`)."""
    _, centres = stack_families(order.families, order.members, row_heights)
    total = max([*centres.values(), 1.0])
    pos = {f"@{k}": trunk_y(tr, centres) / total for k, tr in enumerate(net.trunks)}
    pos.update({a: y / total for a, y in centres.items()})
    for lanes in order.lanes[1:]:
        pos.update(stack_lanes(lanes))
    return pos


def inversions(pairs: Sequence[tuple[float, float]]) -> int:
    """Crossings of straight arrows between two columns, each given by the positions of its
    ends: pairs in opposite order at the two ends."""
    return sum(1 for i, (a, b) in enumerate(pairs) for c, d in pairs[i + 1:] if (a - c) * (b - d) < 0)


def count_crossings(hops: Sequence[Hop], pos: Mapping[str, float], columns: int) -> int:
    """Crossings of the hops drawn straight between neighbouring columns (of ``columns``) at
    positions ``pos``."""
    return sum(inversions([(pos[a], pos[b]) for c, a, b in hops if c == col]) for col in range(columns - 1))


def _crossings(net: Network, order: Order, row_heights: Mapping[str, float]) -> int:
    return count_crossings(net.hops, positions(net, order, row_heights), len(order.lanes))


def sweep(net: Network, order: Order, scene: Scene, down: bool) -> Order:
    """One barycentre sweep: down, each column (left to right) sorted by the mean position of
    what its entries come from; up, each column (right to left) by what its entries lead to,
    then the areas of each family and the families by where their trunks go. Ties are broken by
    name; an entry with nothing to follow keeps its position."""
    order = order.copy()
    pos = positions(net, order, scene.row_heights)
    lanes_of = order.lanes
    cols = range(1, len(lanes_of)) if down else range(len(lanes_of) - 1, 0, -1)
    ends = net.pred if down else net.succ
    for c in cols:
        lanes_of[c].sort(key=lambda ln: (mean(ends.get(ln.key, []), pos, pos[ln.key]), ln.sort_name))
        pos.update(stack_lanes(lanes_of[c]))
    if down:
        return order
    succ, trunks = net.succ, net.trunks

    def area_bary(a: str) -> float:
        return mean([succ[f"@{k}"][0] for k, tr in enumerate(trunks) if a in tr.areas], pos, pos[a])

    for areas in order.members:
        areas.sort(key=lambda a: (area_bary(a), scene.names[a]))
    fam_bary = {f: mean([succ[f"@{k}"][0] for k, tr in enumerate(trunks) if tr.family == f], pos,
                        mean(order.members[f], pos, 0.0)) for f in order.families}
    order.families.sort(key=lambda f: (fam_bary[f], scene.family_names[f]))
    return order


def barycentre_order(net: Network, order: Order, scene: Scene, sweeps: int = SWEEPS) -> tuple[int, Order]:
    """``sweeps`` rounds of a sweep down and one up (:func:`sweep`), each from where the one
    before left off; the order with the fewest crossings met (the first if equal), and their count."""
    best = (_crossings(net, order, scene.row_heights), order.copy())
    for _ in range(sweeps):
        for down in (True, False):
            order = sweep(net, order, scene, down)
            now = _crossings(net, order, scene.row_heights)
            if now < best[0]:
                best = (now, order.copy())
    return best


def swap_neighbours(order: Order, crossings: Callable[[Order], int], least: int,
                    rounds: int = SWAP_ROUNDS) -> tuple[int, Order]:
    """Swap neighbours (families, areas in a family, entries of a column), keeping each swap
    that lowers ``crossings`` below the least yet (``least`` at first), for up to ``rounds``
    rounds or until a round keeps none; the order reached and its crossings."""
    order = order.copy()
    orders: list[list[Any]] = [order.families, *order.members, *order.lanes[1:]]
    for _ in range(rounds):
        better = False
        for entries in orders:
            for i in range(len(entries) - 1):
                entries[i], entries[i + 1] = entries[i + 1], entries[i]
                now = crossings(order)
                if now < least:
                    least, better = now, True
                else:
                    entries[i], entries[i + 1] = entries[i + 1], entries[i]
        if not better:
            break
    return least, order


# -- 3. placement -------------------------------------------------------------------------------------


def hubs_of(topics: Sequence[str], succ: Mapping[str, Sequence[str]]) -> set[str]:
    """The topics with arrows enough to the next column to send them along a bus."""
    return {t for t in topics if len(succ.get(t, [])) >= BUS_MIN}


def near(key: str, net: Network, hubs: set[str], after: bool = True) -> list[str]:
    """What an entry is placed near: what it comes from and (with ``after``) what it leads to,
    leaving out hubs' arrows, which run along their bus, not straight (all it comes from if that
    leaves nothing)."""
    ends = [k for k in net.pred.get(key, []) if k not in hubs]
    ends += [k for k in net.succ.get(key, []) if after and key not in hubs]
    return ends or net.pred.get(key, [])


def fit_in_order(want: Sequence[float], gaps: Sequence[float]) -> list[float]:
    """Centres as close as may be (least squares) to ``want`` that keep their order and are at
    least ``gaps[k]`` apart from entry k - 1 to entry k (``gaps[0]`` unused): the classic
    pool-adjacent-violators fit of ``want`` less the running sum of the gaps."""
    offset, run = [], 0.0
    for k, gap in enumerate(gaps):
        run += gap if k else 0.0
        offset.append(run)
    blocks: list[list[float]] = []  # [mean, count]
    for w, o in zip(want, offset, strict=True):
        blocks.append([w - o, 1.0])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            m2, c2 = blocks.pop()
            m1, c1 = blocks.pop()
            blocks.append([(m1 * c1 + m2 * c2) / (c1 + c2), c1 + c2])
    out: list[float] = []
    for avg, count in blocks:
        out.extend([avg] * int(count))
    return [z + o for z, o in zip(out, offset, strict=True)]


def _gaps(lanes: Sequence[Lane]) -> list[float]:
    return [lane_gap(lanes[i - 1], ln) if i else 0.0 for i, ln in enumerate(lanes)]


def place(net: Network, lanes_of: Sequence[Sequence[Lane]], centres: Mapping[str, float], hubs: set[str],
          rounds: int = PLACE_ROUNDS) -> dict[str, float]:
    """The centre of every area (``centres``), trunk and entry of a column: each column in its
    order, first straight on from what comes before, then ``rounds`` times (sweeping left and
    right) between what comes before and what follows (:func:`near`), as near as its order and
    gaps allow (:func:`fit_in_order`)."""
    y_of: dict[str, float] = dict(centres)
    y_of.update({f"@{k}": trunk_y(tr, centres) for k, tr in enumerate(net.trunks)})
    for c in range(1, len(lanes_of)):
        lanes = lanes_of[c]
        fitted = fit_in_order([mean(near(ln.key, net, hubs, False), y_of, 0.0) for ln in lanes], _gaps(lanes))
        y_of.update({ln.key: y for ln, y in zip(lanes, fitted, strict=True)})
    for _ in range(rounds):
        for c in [*range(len(lanes_of) - 1, 0, -1), *range(1, len(lanes_of))]:
            lanes = lanes_of[c]
            fitted = fit_in_order([mean(near(ln.key, net, hubs), y_of, y_of[ln.key]) for ln in lanes], _gaps(lanes))
            y_of.update({ln.key: round(y, 1) for ln, y in zip(lanes, fitted, strict=True)})
    return y_of


def column_bounds(width0: float, lanes_of: Sequence[Sequence[Lane]], topic_sizes: Mapping[str, tuple[float, float]]
                  ) -> tuple[list[float], list[float]]:
    """The left and right edge of each column: the families' (0 to ``width0``), then each
    column of topics as wide as its widest box, a gap after the one before."""
    left = [0.0]
    right = [width0]
    for c in range(1, len(lanes_of)):
        left.append(right[-1] + (FIRST_GAP if c == 1 else COLUMN_GAP))
        right.append(left[-1] + max((topic_sizes[ln.key][0] for ln in lanes_of[c] if ln.h), default=0.0))
    return left, right


def family_boxes(scene: Scene, order: Order, tops: Mapping[int, float], width0: float) -> dict[int, Box]:
    """Each family's box (in drawing order): right edges lined up at ``width0``, its top from
    :func:`stack_families`, tall enough for its header and rows."""
    return {f: (width0 - scene.family_widths[f], tops[f], scene.family_widths[f],
                FAMILY_HEADER + sum(scene.row_heights[a] + ROW_PAD for a in order.members[f]) + ROW_PAD)
            for f in order.families}


def area_boxes(order: Order, fam_boxes: Mapping[int, Box], centres: Mapping[str, float],
               row_heights: Mapping[str, float]) -> dict[str, Box]:
    """Each area's row: inside its family's box, centred at its centre."""
    boxes: dict[str, Box] = {}
    for f in order.families:
        x, _, w, _ = fam_boxes[f]
        for area in order.members[f]:
            h = row_heights[area]
            boxes[area] = (x + ROW_PAD, centres[area] - h / 2, w - 2 * ROW_PAD, h)
    return boxes


def topic_boxes(scene: Scene, column: Mapping[str, int], left: Sequence[float], right: Sequence[float],
                y_of: Mapping[str, float]) -> dict[str, Box]:
    """Each topic's box, centred in its column and at its centre."""
    boxes: dict[str, Box] = {}
    for t in scene.topics:
        c, (w, h) = column[t], scene.topic_sizes[t]
        boxes[t] = ((left[c] + right[c] - w) / 2, y_of[t] - h / 2, w, h)
    return boxes


# -- 4. routing -----------------------------------------------------------------------------------


def spread(n: int, centre: float, h: float, step: float = 6.0) -> list[float]:
    """``n`` ports along a box side of height ``h``, ``step`` apart where there is room."""
    span = min(max(h - 14.0, 0.0), step * (n - 1))
    return [centre - span / 2 + (span * i / (n - 1) if n > 1 else span / 2) for i in range(n)]


def ports(topics: Sequence[str], boxes: Mapping[str, Box], net: Network, y_of: Mapping[str, float]
          ) -> tuple[dict[tuple[str, str], float], dict[tuple[str, str], float]]:
    """Where each hop leaves a topic and where it enters one, keyed by (from, to): spread along
    the box's side in the order of the other ends' heights."""
    out_port: dict[tuple[str, str], float] = {}
    in_port: dict[tuple[str, str], float] = {}
    for t in topics:
        _, y, _, h = boxes[t]
        outs = sorted(net.succ.get(t, []), key=lambda k: (y_of[k], k))
        out_port.update({(t, k): p for k, p in zip(outs, spread(len(outs), y + h / 2, h), strict=True)})
        ins = sorted(net.pred.get(t, []), key=lambda k: (y_of[k], k))
        in_port.update({(k, t): p for k, p in zip(ins, spread(len(ins), y + h / 2, h), strict=True)})
    return out_port, in_port


def buses(lanes_of: Sequence[Sequence[Lane]], hubs: set[str], right: Sequence[float]) -> dict[str, float]:
    """The x of each hub's bus: a hub sends its arrows to the next column down one shared
    vertical line between the columns (fanned out, they crossed every arrow passing the fan),
    the first :data:`BUS_INSET` right of its column, the next ones further right."""
    bus: dict[str, float] = {}
    for c in range(1, len(lanes_of)):
        column_hubs = [ln.key for ln in lanes_of[c] if ln.key in hubs]
        bus.update({key: right[c] + BUS_INSET + BUS_STEP * j for j, key in enumerate(column_hubs)})
    return bus


def route(source: str, path: Sequence[str], start: Point, geo: Geometry) -> list[Point]:
    """The points of an arrow from ``start`` along ``path`` (lanes, then its target): level
    through each column, sloping between them, along its source's bus if it has one."""
    points = [start]
    prev = source
    for key in path:
        c = geo.column[key] if key in geo.column else int(key.rsplit("#", 1)[1])
        y = geo.in_port[(prev, key)] if key in geo.boxes else geo.y_of[key]
        if prev in geo.bus:
            points += [(geo.bus[prev], start[1]), (geo.bus[prev], y)]
        points += [(geo.left[c], y), (geo.boxes[key][0] if key in geo.boxes else geo.right[c], y)]
        prev = key
    return points


def arrows(net: Network, geo: Geometry, out_port: Mapping[tuple[str, str], float]) -> list[Arrow]:
    """Every arrow, in the order of the chains. A trunk of one area starts at its row; a trunk
    of several is drawn from a join just right of the families, each area joining it by a stub
    without a head. An arrow from a hub starts at the middle of its box, others at their port."""
    out: list[Arrow] = []
    boxes, y_of, right = geo.boxes, geo.y_of, geo.right
    for source, path in net.chains:
        target = path[-1]
        if source.startswith("@"):
            feeding = net.trunks[int(source[1:])].areas
            if len(feeding) == 1:
                only = feeding[0]
                x, _, w, _ = boxes[only]
                leave = (right[0], y_of[only])
                out.append(Arrow(only, target, [(x + w, y_of[only]), *route(source, path, leave, geo)], True))
                continue
            join = (right[0] + JOIN, y_of[source])
            for area_id in feeding:
                x, _, w, _ = boxes[area_id]
                out.append(Arrow(area_id, target, [(x + w, y_of[area_id]), (right[0], y_of[area_id]), join], False))
            out.append(Arrow(" ".join(feeding), target, route(source, path, join, geo), True))
        else:
            x, y, w, h = boxes[source]
            y = y + h / 2 if source in geo.bus else out_port[(source, path[0])]
            out.append(Arrow(source, target, [(x + w, y), *route(source, path, (right[net.column[source]], y), geo)],
                             True))
    return out


# -- all steps ----------------------------------------------------------------------------------------


def lay_out(scene: Scene) -> Picture:
    """The picture laid out: network, order, placement, boxes, routes (the module's steps)."""
    net, order = network(scene)
    least, order = barycentre_order(net, order, scene)
    _, order = swap_neighbours(order, lambda o: _crossings(net, o, scene.row_heights), least)
    tops, centres = stack_families(order.families, order.members, scene.row_heights)
    hubs = hubs_of(scene.topics, net.succ)
    y_of = place(net, order.lanes, centres, hubs)
    width0 = max(scene.family_widths, default=0.0)
    left, right = column_bounds(width0, order.lanes, scene.topic_sizes)
    fam_boxes = family_boxes(scene, order, tops, width0)
    boxes = {**area_boxes(order, fam_boxes, centres, scene.row_heights),
             **topic_boxes(scene, net.column, left, right, y_of)}
    out_port, in_port = ports(scene.topics, boxes, net, y_of)
    geo = Geometry(net.column, left, right, boxes, y_of, in_port, buses(order.lanes, hubs, right))
    return Picture(order.families, order.members, fam_boxes, boxes, arrows(net, geo, out_port))
