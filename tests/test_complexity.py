"""Complexity guards: the work of the worst offenders grows linearly with the catalogue.

Nothing here is timed. Each test counts operations (Python function calls and calls of built-in
functions, through ``sys.setprofile``) at two sizes of a catalogue grown the way contributed
catalogues grow (clones of real entries piled onto a few topics, long prerequisite lists), and
requires twice the resources to cost at most a little more than twice the operations: quadratic
work (a popular topic scanned for each of its resources) would cost four times as much.
"""

from __future__ import annotations

import dataclasses
import random
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from readingmap.catalogue.load import load_catalogue
from readingmap.catalogue.model import Catalogue, Resource
from readingmap.graph import Graph
from readingmap.render import site

pytestmark = pytest.mark.slow  # builds catalogues of several sizes (left out of the edit loop)

REPO = Path(__file__).parent.parent
HOT = ("infinite-width", "generalisation", "transformers-llms")
POOL = ("probability", "linear-algebra", "optimisation", "functional-analysis", "random-matrix-theory",
        "statistical-mechanics", "stochastic-processes", "measure-theory", "multivariable-calculus",
        "statistics", "foundations", "learning-theory", "expressivity", "optimisation-landscapes")
#: Twice the resources may cost this many times the operations (linear work gives about 2).
LIMIT = 2.3


@pytest.fixture(scope="module")
def real() -> Catalogue:
    return load_catalogue(REPO / "data")


def clustered(real: Catalogue, clones: int, seed: int = 1) -> Catalogue:
    """The real taxonomy with the resources the topics start from (and their gentle starts), plus ``clones`` clones of real
    resources, most of them about one of three topics, each with four to ten more prerequisites."""
    rng = random.Random(seed)
    keep = {rid for n in (*real.topics, *real.maths) for rid in (*n.start_here, *filter(None, [n.gentle_start]))}
    # teachers of every maths area, so that every prerequisite is taught
    keep |= {next(r.id for r in real.resources if m.id in r.topics) for m in real.maths
             if any(m.id in r.topics for r in real.resources)}
    kept = tuple(r for r in real.resources if r.id in keep)
    out: list[Resource] = []
    for i in range(clones):
        r = rng.choice(real.resources)
        topics = list(r.topics)
        if rng.random() < 0.85:
            first = rng.choice(HOT)
            topics = [first, *(t for t in topics if t != first)][:3]
        prereqs = [p for p in r.prerequisites if p not in topics]
        prereqs += [p for p in rng.sample(POOL, rng.randint(4, 10)) if p not in topics and p not in prereqs]
        rid = f"{r.id}-c{i}"
        out.append(dataclasses.replace(r, id=rid, topics=tuple(topics), prerequisites=tuple(prereqs),
                                       ref=dataclasses.replace(r.ref, key=rid)))
    return dataclasses.replace(real, resources=kept + tuple(out), results=(), questions=())


def operations(work: Callable[[], object]) -> int:
    """How many Python and built-in function calls ``work`` makes."""
    count = 0

    def profile(frame: object, event: str, arg: object) -> None:
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    sys.setprofile(profile)
    try:
        work()
    finally:
        sys.setprofile(None)
    return count


def growth(real: Catalogue, work: Callable[[Catalogue], object], small: int) -> float:
    def measured(size: int) -> int:
        cat = clustered(real, size)
        return operations(lambda: work(cat))

    return measured(2 * small) / measured(small)


def test_read_before_read_next_and_paths_grow_linearly(real: Catalogue) -> None:
    def queries(cat: Catalogue) -> None:
        graph = Graph(cat)
        for r in cat.resources:
            graph.read_before(r)
            graph.read_next(r)
        for t in cat.topics:
            graph.path(t.id)

    ratio = growth(real, queries, 600)
    assert ratio <= LIMIT, f"twice the resources cost {ratio:.2f} times the operations"


def test_site_build_grows_linearly(real: Catalogue, tmp_path: Path) -> None:
    # every page, listing, search text, export and the bibliography data, without a cache
    ratio = growth(real, lambda cat: site.build(cat, site.Options(inline_limit=50)), 150)
    assert ratio <= LIMIT, f"twice the resources cost {ratio:.2f} times the operations"


def naive_pick(graph: Graph, node_id: str, covered: set[str], count: int) -> list[Resource]:
    """The definition of a stage's picks, by scanning every resource of the node."""
    ranked = graph._ranked(node_id)
    out = [graph.catalogue.resource_by_id[rid] for rid in graph.catalogue.nodes[node_id].start_here][:count]
    for r in ranked:
        if len(out) == count:
            return out
        if r not in out and all(p in covered or p == node_id for p in r.prerequisites):
            out.append(r)
    for r in ranked:
        if len(out) == count:
            break
        if r not in out:
            out.append(r)
    return out


@pytest.mark.parametrize("clones", [0, 400])
def test_indexed_pick_is_the_scan_it_replaces(real: Catalogue, clones: int) -> None:
    cat = clustered(real, clones) if clones else real
    graph = Graph(cat)
    rng = random.Random(2)
    node_ids = [n.id for n in (*cat.maths, *cat.topics)]
    covers = [set(r.topics) for r in cat.resources[:60]] + [set()] + [
        set(rng.sample(node_ids, k)) for k in (1, 3, 9, 12, 20, 30) for _ in range(5)]
    for node_id in node_ids:
        for covered in covers:
            for count in (1, 2, 3):
                assert graph.pick(node_id, covered, count) == naive_pick(graph, node_id, covered, count), \
                    (node_id, sorted(covered), count)
