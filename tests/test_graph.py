"""The prerequisite graph: paths respect every edge, repeat nothing, refuse bad input."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from readingmap.catalogue.load import load_catalogue
from readingmap.graph import Graph

REPO = Path(__file__).parent.parent


@pytest.fixture(scope="module")
def real() -> Graph:
    return Graph(load_catalogue(REPO / "data"))


def test_every_path_is_a_topological_order_without_repeats(real: Graph) -> None:
    for topic in real.catalogue.topics:
        plan = real.path(topic.id)
        ids = [s.node.id for s in plan.stages]
        assert len(ids) == len(set(ids)), topic.id
        assert ids[-1] == topic.id
        assert set(ids) == set(real.ancestors(topic.id)) | {topic.id}
        position = {node_id: i for i, node_id in enumerate(ids)}
        for node_id in ids:
            for req in real.catalogue.nodes[node_id].requires:
                assert position[req] < position[node_id], (topic.id, req, node_id)
        assert [s.number for s in plan.stages] == list(range(1, len(ids) + 1))
        # the drawn edges are the requires edges inside the path, less those implied by others
        # (the transitive reduction): every requires edge is still a route in the drawing
        requires = {(r, n) for n in ids for r in real.catalogue.nodes[n].requires}
        assert set(plan.edges) <= requires
        reach = {n: {n} for n in ids}
        for a, b in reversed(plan.edges):
            reach[a] |= reach[b]
        for _ in ids:  # propagate to a fixed point
            for a, b in plan.edges:
                reach[a] |= reach[b]
        for r, n in requires:
            assert n in reach[r], (topic.id, r, n)


def test_stages_recommend_resources_about_the_stage(real: Graph) -> None:
    plan = real.path("infinite-width")
    for stage in plan.stages:
        assert stage.resources, f"stage {stage.node.id} has nothing to read"
        for r in stage.resources:
            assert stage.node.id in r.topics


def test_unknown_target_is_rejected(real: Graph) -> None:
    with pytest.raises(KeyError, match="no topic or maths area 'nowhere'"):
        real.path("nowhere")


def test_cyclic_input_is_rejected(real: Graph) -> None:
    cat = real.catalogue
    la = cat.nodes["linear-algebra"]
    looped = dataclasses.replace(la, requires=("functional-analysis",))
    maths = tuple(looped if n.id == la.id else n for n in cat.maths)
    with pytest.raises(ValueError, match="cycle"):
        Graph(dataclasses.replace(cat, maths=maths))


def test_readiness_uses_the_graph(real: Graph) -> None:
    cat = real.catalogue
    r = next(r for r in cat.resources if "functional-analysis" in r.prerequisites)
    assert "functional-analysis" in real.missing(r, ["linear-algebra"])
    # knowing an area implies knowing what it requires
    everything = [m.id for m in cat.maths]
    assert real.missing(r, everything) == []
    assert real.closure(["functional-analysis"]) >= {"real-analysis", "linear-algebra", "measure-theory"}


def test_graph_labels_wrap_on_two_lines_at_most() -> None:
    from readingmap.render.svg import wrap

    assert wrap("1. Linear algebra") == ["1. Linear algebra"]
    assert wrap("10. Stochastic processes and stochastic calculus") == [
        "10. Stochastic processes", "and stochastic calculus"]
    assert wrap("3. Group theory and representation theory of finite groups") == [
        "3. Group theory and", "representation theory of…"]
    assert wrap("Averyveryveryveryverylongsingleword") == ["Averyveryveryveryverylong…"]
    for label in ("a " * 40, "x" * 80, "Generalisation of overparametrised networks"):
        lines = wrap(label)
        assert 1 <= len(lines) <= 2 and all(len(line) <= 26 for line in lines)


def test_every_stage_opens_with_its_named_ways_in(real: Graph) -> None:
    """A path's stage reads the node's start_here resources first, in the editors' order."""
    for topic in real.catalogue.topics:
        assert topic.start_here, topic.id
        for stage in real.path(topic.id).stages:
            named = stage.node.start_here[:2]
            assert [r.id for r in stage.resources[: len(named)]] == list(named), stage.node.id
    stage = real.path("optimisation-landscapes").stages[-1]
    assert [r.id for r in stage.resources] == ["telgarsky2021deep", "sun2020optimization"]
