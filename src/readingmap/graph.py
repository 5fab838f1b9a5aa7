"""The prerequisite graph: maths areas and topics as vertices, ``requires`` as edges.

An edge ``a -> b`` means "read a before b". Everything the pages say about order (paths, read
before / read next, what a reader is ready for) is computed here, once, from the catalogue.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx

from .catalogue.model import LEVELS, Catalogue, Node, Resource

__all__ = ["KIND_ORDER", "Graph", "PathPlan", "Stage"]

_LEVEL_RANK = {level: rank for rank, level in enumerate(LEVELS)}
#: Among equally gentle and focused resources, what a reader can study from comes first.
KIND_ORDER = ("book", "lecture-notes", "survey", "paper", "course", "video", "blog", "website", "venue")
_KIND_RANK = {kind: rank for rank, kind in enumerate(KIND_ORDER)}


def digraph(nodes: Iterable[Node]) -> nx.DiGraph:
    g = nx.DiGraph()
    for node in nodes:
        g.add_node(node.id)
    for node in nodes:
        for req in node.requires:
            if req in g:
                g.add_edge(req, node.id)
    return g


@dataclass(frozen=True)
class Stage:
    number: int
    node: Node
    resources: tuple[Resource, ...]


@dataclass(frozen=True)
class PathPlan:
    """The reading route to a topic: ordered stages and the edges between them."""

    target: Node
    stages: tuple[Stage, ...]
    edges: tuple[tuple[str, str], ...]


class Graph:
    """Graph queries over one catalogue (built once per build)."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self.g = digraph((*catalogue.maths, *catalogue.topics))
        if not nx.is_directed_acyclic_graph(self.g):
            raise ValueError("the prerequisite graph has a cycle; load_catalogue reports it")
        order = list(nx.lexicographical_topological_sort(self.g, key=self._sort_key))
        self._rank = {node_id: i for i, node_id in enumerate(order)}
        self._ancestors = {n: frozenset(nx.ancestors(self.g, n)) for n in self.g}
        self._rankings: dict[str, _Ranking] = {}
        self._picks: dict[tuple[str, frozenset[str], int], tuple[Resource, ...]] = {}
        self._needs: dict[str, tuple[str, ...]] = {}
        self._needs_last: dict[str, tuple[str, ...]] = {}
        #: Every research topic and every maths area, in reading order.
        self.topics = self.nodes(n.id for n in catalogue.topics)
        self.maths = self.nodes(n.id for n in catalogue.maths)

    def _sort_key(self, node_id: str) -> tuple[int, str]:
        node = self.catalogue.nodes[node_id]
        return (0 if node.kind == "maths" else 1, node.name.lower())

    def order(self, ids: Iterable[str]) -> list[str]:
        """Topological order (maths before topics, then by name among equals); deterministic."""
        return sorted(ids, key=self._rank.__getitem__)

    def nodes(self, ids: Iterable[str]) -> list[Node]:
        """The nodes with these ids, in :meth:`order`."""
        return [self.catalogue.nodes[i] for i in self.order(ids)]

    def ancestors(self, node_id: str) -> frozenset[str]:
        return self._ancestors[node_id]

    def requires(self, node_id: str) -> list[str]:
        return self.order(self.g.predecessors(node_id))

    def unlocks(self, node_id: str) -> list[str]:
        return self.order(self.g.successors(node_id))

    def maths_needed(self, ids: Iterable[str]) -> frozenset[str]:
        """The maths areas behind a set of prerequisites: maths areas themselves, and for a topic
        every maths area it (transitively) requires."""
        nodes = self.catalogue.nodes
        out: set[str] = set()
        for node_id in ids:
            for x in (node_id, *self._ancestors[node_id]):
                if nodes[x].kind == "maths":
                    out.add(x)
        return frozenset(out)

    def needs(self, resource: Resource) -> tuple[str, ...]:
        """The maths areas ``resource`` needs, in reading order (every page that shows a resource's
        readiness asks for it, so it is computed once per resource)."""
        found = self._needs.get(resource.id)
        if found is None:
            found = tuple(self.order(self.maths_needed(resource.prerequisites)))
            self._needs[resource.id] = found
        return found

    def needs_last(self, resource: Resource) -> tuple[str, ...]:
        """Of :meth:`needs`, the areas no other needed area builds on: a reader is ready when they
        know these (knowing an area counts its prerequisites as known), and what they lack is the
        ones of these they do not know; so readiness marks carry only these."""
        found = self._needs_last.get(resource.id)
        if found is None:
            needs = self.needs(resource)
            below = set().union(*(self._ancestors[m] for m in needs)) if needs else set()
            found = tuple(m for m in needs if m not in below)
            self._needs_last[resource.id] = found
        return found

    def closure(self, known: Iterable[str]) -> frozenset[str]:
        """Knowing an area implies knowing what it requires."""
        out: set[str] = set()
        for node_id in known:
            if node_id in self.g:
                out.add(node_id)
                out.update(self._ancestors[node_id])
        return frozenset(out)

    def missing(self, resource: Resource, known: Iterable[str]) -> list[str]:
        """Maths areas a reader who knows ``known`` still lacks for ``resource`` (empty: ready)."""
        have = self.closure(known)
        return [m for m in self.needs(resource) if m not in have]

    def path(self, target_id: str) -> PathPlan:
        """Stages from basic mathematics to ``target_id``: its ancestors in topological order,
        each with the one or two resources to read for it."""
        if target_id not in self.g:
            raise KeyError(f"no topic or maths area {target_id!r} in the prerequisite graph")
        ids = self.order((*self._ancestors[target_id], target_id))
        covered: set[str] = set()
        stages = []
        for number, node_id in enumerate(ids, start=1):
            stages.append(Stage(number, self.catalogue.nodes[node_id],
                                tuple(self.pick(node_id, covered))))
            covered.add(node_id)
        return PathPlan(self.catalogue.nodes[target_id], tuple(stages), self.hasse_edges(ids))

    def hasse_edges(self, ids: Iterable[str]) -> tuple[tuple[str, str], ...]:
        """The ``requires`` edges among ``ids`` that no longer route implies (the transitive
        reduction): what a drawing needs, without the long redundant arrows that clutter it."""
        reduced = nx.transitive_reduction(self.g.subgraph(ids))
        return tuple(sorted(reduced.edges, key=lambda e: (self._rank[e[0]], self._rank[e[1]])))

    def pick(self, node_id: str, covered: Iterable[str], count: int = 2) -> list[Resource]:
        """Resources to read for a stage: the node's named starting points (``start_here``) first,
        in the editors' order; then those whose own prerequisites earlier stages already cover;
        then the rest; within each group those mainly about this stage, the gentlest, the most
        focused, books and notes before papers and courses, the oldest.

        Answers are computed from a per-node index (:class:`_Ranking`) and remembered per
        ``(node, covered, count)``: every resource page asks for the stages its topics unlock, and
        scanning a popular topic's thousands of resources for each page made the pages quadratic
        in the size of the topic.
        """
        key = (node_id, frozenset(covered), count)
        found = self._picks.get(key)
        if found is None:
            found = self._picks[key] = self._ranking(node_id).pick(key[1], count)
        return list(found)

    def _ranking(self, node_id: str) -> _Ranking:
        ranking = self._rankings.get(node_id)
        if ranking is None:
            by_id = self.catalogue.resource_by_id
            start = tuple(by_id[rid] for rid in self.catalogue.nodes[node_id].start_here)
            ranking = self._rankings[node_id] = _Ranking(node_id, self._ranked(node_id), start)
        return ranking

    def _ranked(self, node_id: str) -> tuple[Resource, ...]:
        """A node's resources sorted once by the part of the ranking that does not depend on the
        path. Only readings are ranked: a venue is never a stage's reading."""
        return tuple(sorted((r for r in self.resources_for(node_id) if r.reading), key=lambda r: (
            r.topics.index(node_id), _LEVEL_RANK[r.level], len(r.topics), _KIND_RANK[r.kind], r.year, r.id)))

    def resources_for(self, node_id: str) -> tuple[Resource, ...]:
        """Resources about a node: for a topic, those tagged with it; for a maths area, those
        that teach it (tagged with the area's id)."""
        return self.catalogue.resources_by_topic.get(node_id) or self.catalogue.teachers.get(node_id, ())

    def read_before(self, resource: Resource, count: int = 4) -> list[Resource]:
        """Resources that prepare for ``resource``: ones about its prerequisites."""
        seen: dict[str, Resource] = {}
        for node_id in self.order(resource.prerequisites):
            for r in self.pick(node_id, (), count=1):
                if r.id != resource.id and r.kind != "venue":
                    seen.setdefault(r.id, r)
        return list(seen.values())[:count]

    def read_next(self, resource: Resource, count: int = 4) -> list[Resource]:
        """Resources on the topics that ``resource``'s topics unlock."""
        seen: dict[str, Resource] = {}
        for topic in resource.topics:
            for nxt in self.unlocks(topic):
                for r in self.pick(nxt, resource.topics, count=3):
                    if r.id != resource.id and r.kind != "venue":
                        seen.setdefault(r.id, r)
        return list(seen.values())[:count]


class _Ranking:
    """One node's resources in rank order, indexed for :meth:`Graph.pick`.

    Resources are grouped by what they need besides the node itself (their prerequisites minus
    the node): a resource is ready at a point of a path when its group's set is covered. A query
    looks at each group whose set is covered, either by going through the groups or, when the
    covered set is small (a resource's topics), by looking up each of its subsets: at most
    ``min(groups, 2 ** len(covered))`` steps, however many resources the node has.
    """

    #: Above this many covered nodes, going through the groups is cheaper than the subsets.
    SUBSETS_UP_TO = 8

    def __init__(self, node_id: str, ranked: tuple[Resource, ...], start_here: tuple[Resource, ...]) -> None:
        self.ranked = ranked
        self.start_here = start_here
        groups: dict[frozenset[str], list[int]] = {}
        for position, r in enumerate(ranked):
            groups.setdefault(frozenset(p for p in r.prerequisites if p != node_id), []).append(position)
        self.groups = groups

    def ready(self, covered: frozenset[str], limit: int) -> list[int]:
        """The first ``limit`` positions (in rank order) of the resources ready once ``covered`` is read."""
        if len(covered) <= self.SUBSETS_UP_TO and 2 ** len(covered) < len(self.groups):
            members = sorted(covered)
            sets = (frozenset(c for i, c in enumerate(members) if mask >> i & 1) for mask in range(2 ** len(members)))
            lists = [found for s in sets if (found := self.groups.get(s))]
        else:
            lists = [positions for needs, positions in self.groups.items() if needs <= covered]
        return sorted(p for positions in lists for p in positions[:limit])[:limit]

    def pick(self, covered: frozenset[str], count: int) -> tuple[Resource, ...]:
        out = list(self.start_here[:count])
        taken = {r.id for r in out}
        for position in self.ready(covered, count):  # first: ready at this point of the path
            if len(out) == count:
                break
            r = self.ranked[position]
            if r.id not in taken:
                out.append(r)
                taken.add(r.id)
        for r in self.ranked:  # then the rest, in the same order
            if len(out) == count:
                break
            if r.id not in taken:
                out.append(r)
                taken.add(r.id)
        return tuple(out)
