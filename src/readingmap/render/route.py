"""The data the browser plans a reader's own route from (``route.json``, read by route.js).

A route to any target (a topic, a maths area, a resource, a result) follows the rules of the
static paths (:meth:`readingmap.graph.Graph.path`): the stages are the target's prerequisites in
the graph's reading order, and each stage's readings are picked as :meth:`Graph.pick` picks them.
So the file carries what those rules read, and nothing they compute: the nodes in reading order
(the order :meth:`Graph.order` sorts by), each with its direct ``requires`` and ``start_here``;
every resource with the fields the ranking reads (topics, prerequisites, level, kind, year); the
orders of levels and kinds the ranking uses; and each result's maths and readings. A browser test
checks that the script, given this file and a reader who knows nothing, finds every static path.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from ..catalogue.model import LEVELS, NOT_READINGS, Catalogue, Node
from ..graph import KIND_ORDER, Graph
from .addresses import node_src, result_src, url_dir

__all__ = ["ROUTE_FILE", "ROUTE_VERSION", "route_data", "route_json"]

#: The file's name at the site root, and the shape the script accepts (route.js checks it).
ROUTE_FILE = "route.json"
ROUTE_VERSION = 1


def route_data(cat: Catalogue, graph: Graph, families: Sequence[tuple[str, Sequence[Node]]]) -> dict[str, Any]:
    """Everything route.js needs, with links relative to the site root."""
    order = graph.nodes(n.id for n in (*cat.maths, *cat.topics))
    return {
        "version": ROUTE_VERSION,
        "levels": list(LEVELS),
        "kinds": list(KIND_ORDER),
        # Kinds that are never a stage's reading (venues): the ranking leaves them out.
        "not_readings": sorted(NOT_READINGS),
        # The "What I know" control groups areas as the home page's matrix does.
        "families": [[name, [m.id for m in areas]] for name, areas in families],
        "nodes": [[n.id, n.kind, n.name, list(n.requires), list(n.start_here), url_dir(node_src(n))] for n in order],
        "resources": [[r.id, r.title, r.kind, r.level, r.year, list(r.topics), list(r.prerequisites)]
                      for r in sorted(cat.resources, key=lambda r: r.id)],
        "results": [[r.id, r.name, list(r.topics), list(r.maths), [g.resource for g in r.read],
                     url_dir(result_src(r.id))]
                    for r in sorted(cat.results, key=lambda r: r.id)],
    }


def route_json(cat: Catalogue, graph: Graph, families: Sequence[tuple[str, Sequence[Node]]]) -> str:
    return json.dumps(route_data(cat, graph, families), ensure_ascii=False, separators=(",", ":"))
