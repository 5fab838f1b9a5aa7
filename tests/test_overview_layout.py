"""The steps of the home picture's layout (render/overview.py), one by one, on small hand-made
scenes whose answers are known, then the whole layout's geometry on seeded random scenes: boxes
apart, every arrow from its source's box to its target's, through no other box."""

from __future__ import annotations

import random
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from itertools import combinations, pairwise

import pytest

from readingmap.render import overview as ov
from readingmap.render import svg
from readingmap.render.overview import Lane, Order, Scene

SVG = "{http://www.w3.org/2000/svg}"


def scene(families: dict[str, list[str]], topics: list[str], feeds: list[tuple[str, str]],
          builds_on: list[tuple[str, str]] = []) -> Scene:  # noqa: B006 (never mutated)
    """A scene with every row 20 high, every family 100 wide and every topic 80 by 30."""
    areas = [a for members in families.values() for a in members]
    return Scene(family_names=list(families), family_widths=[100.0] * len(families),
                 members=list(families.values()), row_heights=dict.fromkeys(areas, 20.0), topics=topics,
                 topic_sizes=dict.fromkeys(topics, (80.0, 30.0)), names={k: k.upper() for k in [*areas, *topics]},
                 feeds=feeds, builds_on=builds_on)


def overlap(a: ov.Box, b: ov.Box) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


# -- the network ---------------------------------------------------------------------------------------


def test_a_topic_is_one_column_after_the_last_topic_it_builds_on() -> None:
    # a -> b -> d and a -> d: d goes after b, the longer way; c builds on nothing
    columns = ov.topic_columns(["a", "b", "c", "d"], [("a", "b"), ("b", "d"), ("a", "d")])
    assert columns == {"a": 1, "b": 2, "c": 1, "d": 3}


def test_the_arrows_of_one_family_to_one_topic_are_one_trunk() -> None:
    family_of = {"x": 0, "y": 0, "z": 1}
    trunks = ov.group_trunks([("x", "t"), ("z", "t"), ("y", "t"), ("x", "u")], family_of)
    assert trunks == [ov.Trunk(0, "t", ("x", "y")), ov.Trunk(1, "t", ("z",)), ov.Trunk(0, "u", ("x",))]


def test_an_arrow_has_a_lane_in_every_column_it_passes() -> None:
    s = scene({"F": ["x"]}, ["a", "b", "c"], [("x", "a"), ("x", "c")], [("a", "b"), ("b", "c"), ("a", "c")])
    net, order = ov.network(s)
    assert net.column == {"a": 1, "b": 2, "c": 3}
    # trunk @1 (x to c) passes columns 1 and 2; a -> c passes column 2
    assert net.chains == [("@0", ["a"]), ("@1", ["@1>c#1", "@1>c#2", "c"]), ("a", ["b"]), ("b", ["c"]),
                          ("a", ["a>c#2", "c"])]
    assert [[ln.key for ln in lanes] for lanes in order.lanes] == [[], ["a", "@1>c#1"], ["b", "@1>c#2", "a>c#2"],
                                                                   ["c"]]
    assert [ln.h for ln in order.lanes[2]] == [30.0, 0.0, 0.0]  # a box, then two bends
    assert [ln.sort_name for ln in order.lanes[2][1:]] == ["~F C", "~A C"]
    # every hop joins neighbouring columns
    assert net.hops == [(0, "@0", "a"), (0, "@1", "@1>c#1"), (1, "@1>c#1", "@1>c#2"), (2, "@1>c#2", "c"),
                        (1, "a", "b"), (2, "b", "c"), (1, "a", "a>c#2"), (2, "a>c#2", "c")]
    assert net.succ["a"] == ["b", "a>c#2"] and net.pred["c"] == ["@1>c#2", "b", "a>c#2"]


# -- stacking -------------------------------------------------------------------------------------------


def test_stacked_families_leave_room_for_their_rows_and_never_overlap() -> None:
    s = scene({"F": ["a", "b"], "G": ["c"], "H": ["d", "e", "f"]}, [], [])
    s = Scene(**{**s.__dict__, "family_widths": [100.0, 140.0, 120.0],
                 "row_heights": {"a": 20.0, "b": 34.0, "c": 20.0, "d": 48.0, "e": 20.0, "f": 20.0}})
    order = Order([2, 0, 1], [list(m) for m in s.members], [[]])
    tops, centres = ov.stack_families(order.families, order.members, s.row_heights)
    assert tops[2] == 0.0  # the first of the order at the top
    families = ov.family_boxes(s, order, tops, 140.0)
    assert list(families) == [2, 0, 1]
    assert all(x + w == 140.0 for x, _, w, _ in families.values())  # right edges lined up
    for upper, lower in pairwise(families.values()):
        assert lower[1] == upper[1] + upper[3] + ov.FAMILY_GAP
    rows = ov.area_boxes(order, families, centres, s.row_heights)
    for f, areas in enumerate(order.members):
        fx, fy, fw, fh = families[f]
        boxes = [rows[a] for a in areas]
        assert boxes[0][1] == fy + ov.FAMILY_HEADER
        assert all(b[1] - (a[1] + a[3]) == ov.ROW_PAD for a, b in pairwise(boxes))
        assert all(x == fx + ov.ROW_PAD and x + w == fx + fw - ov.ROW_PAD for x, _, w, _ in boxes)
        assert boxes[-1][1] + boxes[-1][3] < fy + fh
        assert [rows[a][1] + rows[a][3] / 2 for a in areas] == [centres[a] for a in areas]


def test_entries_of_a_column_are_stacked_by_their_gaps() -> None:
    box, bend, box2 = Lane("t", "T", 30.0), Lane("x#1", "~X", 0.0), Lane("u", "U", 44.0)
    assert ov.lane_gap(box, box2) == ov.BOX_GAP + 37.0
    assert ov.lane_gap(box, bend) == ov.LANE_GAP + 15.0
    assert ov.lane_gap(bend, bend) == ov.LANE_GAP
    total = ov.lane_gap(box, bend) + ov.lane_gap(bend, box2)
    assert ov.stack_lanes([box, bend, box2]) == {"t": 0.0, "x#1": ov.lane_gap(box, bend) / total, "u": 1.0}
    assert ov.stack_lanes([box]) == {"t": 0.0}


def test_fit_in_order_keeps_the_order_and_the_gaps_as_near_as_may_be() -> None:
    assert ov.fit_in_order([0.0, 100.0], [0.0, 10.0]) == [0.0, 100.0]  # room enough: where wanted
    assert ov.fit_in_order([0.0, 0.0], [0.0, 10.0]) == [-5.0, 5.0]  # pushed apart evenly
    assert ov.fit_in_order([50.0, 0.0, 100.0], [0.0, 10.0, 10.0]) == [20.0, 30.0, 100.0]  # order kept
    fitted = ov.fit_in_order([3.0, 1.0, 2.0, 0.0], [0.0, 5.0, 8.0, 2.0])
    assert all(b - a >= gap - 1e-9 for (a, b), gap in zip(pairwise(fitted), [5.0, 8.0, 2.0], strict=True))


# -- the crossings and the ordering -----------------------------------------------------------------------


def test_inversions_count_pairs_in_opposite_order() -> None:
    assert ov.inversions([(0.0, 0.0), (1.0, 1.0)]) == 0  # parallel
    assert ov.inversions([(0.0, 1.0), (1.0, 0.0)]) == 1  # an X
    assert ov.inversions([(0.0, 2.0), (1.0, 1.0), (2.0, 0.0)]) == 3  # all reversed
    assert ov.inversions([(0.0, 0.0), (0.0, 1.0)]) == 0  # from one point: they meet, not cross


def test_count_crossings_by_column_on_known_configurations() -> None:
    # K(2,2) between columns 0 and 1 crosses once; two parallel hops between 1 and 2 do not
    pos = {"a": 0.0, "b": 1.0, "x": 0.0, "y": 1.0, "p": 0.0, "q": 1.0}
    hops = [(0, "a", "x"), (0, "a", "y"), (0, "b", "x"), (0, "b", "y"), (1, "x", "p"), (1, "y", "q")]
    assert ov.count_crossings(hops, pos, 3) == 1
    assert ov.count_crossings(hops, {**pos, "p": 1.0, "q": 0.0}, 3) == 2
    assert ov.count_crossings(hops, pos, 2) == 1  # only the columns asked for


def test_a_sweep_untangles_a_crossed_pair() -> None:
    # x feeds the second topic and y the first: sorted by where they come from, the topics swap
    s = scene({"F": ["x", "y"]}, ["b", "a"], [("x", "a"), ("y", "b")])
    net, order = ov.network(s)
    assert ov.count_crossings(net.hops, ov.positions(net, order, s.row_heights), len(order.lanes)) == 1
    down = ov.sweep(net, order, s, down=True)
    assert [ln.key for ln in down.lanes[1]] == ["a", "b"]
    assert [ln.key for ln in order.lanes[1]] == ["b", "a"]  # a new order: the one given is kept
    assert ov.count_crossings(net.hops, ov.positions(net, down, s.row_heights), len(down.lanes)) == 0
    least, best = ov.barycentre_order(net, order, s)
    assert least == 0 and [ln.key for ln in best.lanes[1]] == ["a", "b"]


def test_a_sweep_up_orders_areas_and_families_by_where_their_arrows_go() -> None:
    s = scene({"G": ["y"], "F": ["x", "w"]}, ["a", "b"], [("w", "a"), ("x", "b"), ("y", "b")])
    net, order = ov.network(s)
    up = ov.sweep(net, order, s, down=False)
    assert up.members == [["y"], ["w", "x"]]  # w feeds a, above b
    assert up.families == [1, 0]  # F's trunks go to a and b, G's only to b


def test_swapping_neighbours_keeps_only_swaps_that_help() -> None:
    def disorder(order: Order) -> int:  # inversions of the families' order
        return ov.inversions([(float(f), float(i)) for i, f in enumerate(order.families)])

    start = Order([2, 0, 3, 1], [[], [], [], []], [[]])
    least, done = ov.swap_neighbours(start, disorder, disorder(start))
    assert (least, done.families) == (0, [0, 1, 2, 3])
    assert start.families == [2, 0, 3, 1]
    assert ov.swap_neighbours(start, disorder, disorder(start), rounds=1)[0] == 1  # one round is not enough
    for rounds in (1, 2, 3, 8):  # nothing helps: nothing moves
        assert ov.swap_neighbours(start, lambda _: 5, 5, rounds)[1].families == [2, 0, 3, 1]


# -- placement and routing ------------------------------------------------------------------------------------


def test_spread_ports_along_a_side() -> None:
    assert ov.spread(1, 50.0, 30.0) == [50.0]
    assert ov.spread(3, 50.0, 40.0) == [44.0, 50.0, 56.0]  # 6 apart
    assert ov.spread(3, 50.0, 20.0) == [47.0, 50.0, 53.0]  # squeezed into the box less 7 each end
    assert ov.spread(0, 50.0, 30.0) == []


def test_ports_are_spread_in_the_order_of_the_other_ends() -> None:
    net = ov.Network(column={"t": 1}, trunks=[], chains=[], hops=[], succ={"t": ["low", "high"]},
                     pred={"t": ["b", "a"]})
    y_of = {"low": 90.0, "high": -10.0, "a": 5.0, "b": 50.0}
    out_port, in_port = ov.ports(["t"], {"t": (0.0, 0.0, 80.0, 40.0)}, net, y_of)
    assert out_port == {("t", "high"): 17.0, ("t", "low"): 23.0}  # 6 apart about the middle, 20
    assert in_port == {("a", "t"): 17.0, ("b", "t"): 23.0}


def test_columns_and_buses_sit_between_the_families_and_each_other() -> None:
    lanes = [[], [Lane("a", "A", 30.0), Lane("x#1", "~X", 0.0)], [Lane("b", "B", 30.0)]]
    left, right = ov.column_bounds(120.0, lanes, {"a": (80.0, 30.0), "b": (150.0, 30.0)})
    assert left == [0.0, 120.0 + ov.FIRST_GAP, 120.0 + ov.FIRST_GAP + 80.0 + ov.COLUMN_GAP]
    assert [r - lo for lo, r in zip(left, right, strict=True)] == [120.0, 80.0, 150.0]
    lanes[1].append(Lane("c", "C", 30.0))
    bus = ov.buses(lanes, {"a", "c"}, right)
    assert bus == {"a": right[1] + ov.BUS_INSET, "c": right[1] + ov.BUS_INSET + ov.BUS_STEP}
    assert all(right[1] < x < left[2] for x in bus.values())


def test_a_route_runs_level_through_columns_and_slopes_between_them() -> None:
    geo = ov.Geometry(column={"t": 1, "u": 3}, left=[0.0, 100.0, 300.0, 500.0], right=[60.0, 200.0, 400.0, 600.0],
                      boxes={"t": (110.0, 0.0, 80.0, 30.0), "u": (510.0, 90.0, 80.0, 30.0)},
                      y_of={"t": 15.0, "t>u#2": 60.0, "u": 105.0}, in_port={("t>u#2", "u"): 100.0}, bus={})
    points = ov.route("t", ["t>u#2", "u"], (200.0, 15.0), geo)
    assert points == [(200.0, 15.0), (300.0, 60.0), (400.0, 60.0), (500.0, 100.0), (510.0, 100.0)]
    hub = ov.Geometry(**{**geo.__dict__, "bus": {"t": 214.0}})
    assert ov.route("t", ["t>u#2", "u"], (200.0, 15.0), hub)[:3] == [(200.0, 15.0), (214.0, 15.0), (214.0, 60.0)]


def test_a_family_trunk_is_joined_by_stubs_and_a_single_area_goes_straight() -> None:
    s = scene({"F": ["x", "y"], "G": ["z"]}, ["t"], [("x", "t"), ("y", "t"), ("z", "t")])
    picture = ov.lay_out(s)
    by_source = {a.source: a for a in picture.arrows}
    trunk, stubs = by_source["x y"], [by_source["x"], by_source["y"]]
    assert trunk.head and not any(stub.head for stub in stubs)
    join = trunk.points[0]
    for stub, area in zip(stubs, ["x", "y"], strict=True):
        x, y, w, h = picture.boxes[area]
        assert stub.points[0] == (x + w, y + h / 2) and stub.points[-1] == join
    assert join[0] == max(s.family_widths) + ov.JOIN
    single = by_source["z"]
    x, y, w, h = picture.boxes["z"]
    assert single.head and single.points[0] == (x + w, y + h / 2)


def test_a_topic_sends_its_arrows_from_ports_or_a_hub_from_its_middle_along_a_bus() -> None:
    def starts(targets: list[str]) -> tuple[ov.Picture, list[ov.Point]]:
        s = scene({"F": ["x"]}, ["a", *targets], [("x", "a")], [("a", t) for t in targets])
        picture = ov.lay_out(s)
        return picture, [arrow.points[0] for arrow in picture.arrows if arrow.source == "a"]

    picture, points = starts(["b", "c"])
    x, y, w, h = picture.boxes["a"]
    assert len({p[1] for p in points}) == 2 and all(p[0] == x + w and y < p[1] < y + h for p in points)
    picture, points = starts(["b", "c", "d"])  # a hub
    x, y, w, h = picture.boxes["a"]
    assert points == [(x + w, y + h / 2)] * 3
    for arrow in (arrow for arrow in picture.arrows if arrow.source == "a"):  # right, then down the bus
        bends = [p for i, p in enumerate(arrow.points) if not i or p != arrow.points[i - 1]]
        bus = x + w + ov.BUS_INSET
        assert bends[1] == (bus, y + h / 2) and (bends[2][0] == bus or bends[2][1] == y + h / 2)  # (or level)


# -- the whole layout ------------------------------------------------------------------------------------------


def random_scene(seed: int) -> Scene:
    rng = random.Random(seed)
    families = {f"F{f}": [f"m{f}.{i}" for i in range(rng.randint(1, 4))] for f in range(rng.randint(1, 4))}
    areas = [a for members in families.values() for a in members]
    topics = [f"t{i}" for i in range(rng.randint(1, 12))]
    feeds = [(a, t) for t in topics for a in rng.sample(areas, min(len(areas), rng.randint(0, 3)))]
    builds_on = [(a, b) for j, b in enumerate(topics) for a in topics[:j] if rng.random() < 0.2]
    s = scene(families, topics, feeds, builds_on)
    heights = {a: rng.choice([20.0, 34.0, 48.0]) for a in areas}
    sizes = {t: (rng.choice([60.0, 120.0, 180.0]), rng.choice([30.0, 44.0])) for t in topics}
    return Scene(**{**s.__dict__, "row_heights": heights, "topic_sizes": sizes})


@pytest.mark.parametrize("seed", range(12))
def test_the_layout_keeps_boxes_apart_and_arrows_between_their_ends(seed: int) -> None:
    s = random_scene(seed)
    picture = ov.lay_out(s)
    families = list(picture.family_boxes.values())
    assert sorted(picture.families) == list(range(len(s.members)))
    assert not [pair for pair in combinations(families, 2) if overlap(*pair)]
    topics = [picture.boxes[t] for t in s.topics]
    assert not [pair for pair in combinations(topics, 2) if overlap(*pair)]
    for f, members in enumerate(picture.members):
        assert sorted(members) == sorted(s.members[f])
        fx, fy, fw, fh = picture.family_boxes[f]
        for a in members:  # a row inside its family's box, below the header
            x, y, w, h = picture.boxes[a]
            assert fx < x and x + w < fx + fw and fy + ov.FAMILY_HEADER <= y and y + h < fy + fh
        rows = sorted(picture.boxes[a][1:4:2] for a in members)
        assert all(top1 + h1 < top2 for (top1, h1), (top2, _) in pairwise(rows))
    assert all(x >= max(s.family_widths) + ov.FIRST_GAP for x, _, _, _ in topics)
    headed = [arrow for arrow in picture.arrows if arrow.head]
    assert sorted((a, arrow.target) for arrow in headed for a in arrow.source.split()) == sorted(
        [*s.feeds, *s.builds_on])
    for arrow in picture.arrows:
        ends = {*arrow.source.split(), arrow.target}
        start, sources = arrow.points[0], arrow.source.split()
        if len(sources) == 1:  # an area's, a topic's or a stub: from the right side of its box
            x, y, w, h = picture.boxes[sources[0]]
            assert start[0] == x + w and y <= start[1] <= y + h
        else:  # a trunk shared by several areas: from the join right of the families
            assert start[0] == max(s.family_widths) + ov.JOIN
        if arrow.head:  # ends on the left side of its target's box
            x, y, w, h = picture.boxes[arrow.target]
            assert arrow.points[-1][0] == x and y <= arrow.points[-1][1] <= y + h
        for p, q in pairwise(arrow.points):
            assert not [k for k, box in picture.boxes.items() if k not in ends and svg.crosses_box(p, q, box)]


def test_every_entry_of_a_column_keeps_its_distance() -> None:
    s = random_scene(3)
    net, order = ov.network(s)
    _, centres = ov.stack_families(order.families, order.members, s.row_heights)
    y_of = ov.place(net, order.lanes, centres, ov.hubs_of(s.topics, net.succ))
    for lanes in order.lanes[1:]:
        for a, b in pairwise(lanes):
            assert y_of[b.key] - y_of[a.key] >= ov.lane_gap(a, b) - 0.1  # (placement rounds to 0.1)


# -- the picture drawn -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Node:
    id: str
    name: str
    kind: str


def test_the_picture_draws_the_laid_out_boxes_and_arrows() -> None:
    families = [("Algebra & co", (Node("la", "Linear algebra", "maths"), Node("gt", "Group theory", "maths"))),
                ("Analysis", (Node("pr", "Probability", "maths"),))]
    topics = [Node("tr", "Transformers <LLMs>", "topic"), Node("eq", "Equivariance", "topic")]
    feeds, builds_on = [("la", "tr"), ("gt", "eq"), ("la", "eq"), ("pr", "tr")], [("eq", "tr")]
    labels = svg.overview_labels(families, topics)
    picture = ov.lay_out(svg.overview_scene(families, topics, feeds, builds_on, labels))
    drawn = svg.overview(families, topics, feeds, builds_on, title="The field", href=lambda n: f"../{n.id}/",
                         requires=lambda _: [])
    root = ET.fromstring(drawn)
    rects = {a.get("data-node", ""): a.find(SVG + "rect") for a in root.iter(SVG + "a")}
    assert set(rects) == {"la", "gt", "pr", "tr", "eq"}
    for node, rect in rects.items():
        assert rect is not None
        x, y, w, h = picture.boxes[node]
        assert (rect.get("x"), rect.get("y"), rect.get("width"), rect.get("height")) == (
            f"{x:.1f}", f"{y:.1f}", f"{w:.1f}", f"{h:.1f}")
    groups = [g for g in root.iter(SVG + "g") if g.get("class") == "rm-family"]
    assert [g.findtext(SVG + "text") for g in groups] == [families[f][0] for f in picture.families]
    lines = [(line.get("data-from"), line.get("data-to")) for line in root.iter(SVG + "polyline")]
    assert lines == [(arrow.source, arrow.target) for arrow in picture.arrows]
    assert "Transformers &lt;LLMs&gt;" in drawn
