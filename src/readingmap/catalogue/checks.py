"""Checks across records and files: unique ids, references that resolve, completeness.

Each check is a small pure function over the records of one file and an :class:`Index` of every id
the files give. It returns the problems it finds, each at the position its value was read at
(values are :class:`~readingmap.problems.Located`), and never reports a reference to something
whose own record has a problem: that problem is reported once, where it is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Any

import networkx as nx

from ..problems import Located, Problem, describe
from . import bibtex, schema
from .model import EDITORIAL, NOT_READINGS, Node, NodeKind, Reference, Resource, Result, Source

__all__ = [
    "RESERVED_IDS", "Index", "Record", "builds_on_cycles", "families", "gentle_start", "maths_requires",
    "orphan_entries", "question_references", "reference_of", "requires_cycles", "resource_ids", "resource_level",
    "resource_references", "result_references", "same_work", "start_here", "teachers", "topic_requires", "unique",
    "unique_nodes", "unique_sources", "unlocated_results",
]

#: Element ids the generated pages use for their own controls; a resource id (which becomes an
#: HTML id on the bibliography page) may not take one of them.
RESERVED_IDS = frozenset({
    "bib-form", "bib-filter", "bib-topic", "bib-maths", "bib-kind", "bib-level", "bib-from",
    "bib-to", "bib-count", "bib-list", "bib-ready-only", "bib-reset", "bib-download", "known-maths", "downloads",
    "rm-arrow", "index",
})

Record = dict[str, Any]


@dataclass(frozen=True)
class Index:
    """Every id the data files give, also of records that have problems of their own."""

    topics: frozenset[str]
    maths: frozenset[str]
    sources: frozenset[str]
    bib_keys: frozenset[str]
    #: A file could not be read at all: references into it cannot be judged.
    nodes_unreadable: bool = False
    sources_unreadable: bool = False

    def unknown_node(self, value: str, valid: Iterable[str] | set[str]) -> bool:
        """``value`` names no valid node, no node with problems of its own, and none of an unread file."""
        return value not in valid and value not in self.topics and value not in self.maths \
            and not self.nodes_unreadable


def at(path: str, value: Located, message: str) -> Problem:
    """A problem at the position the value was read at."""
    return Problem(path, value.line, value.col, message)


def located(value: str, node: Node | Result) -> Located:
    """The value with its position; one given in code rather than read from a file has its node's line."""
    return value if isinstance(value, Located) else Located(value, node.line, 1)


def hint(value: str, options: Iterable[str]) -> str:
    return schema.did_you_mean(value, tuple(sorted(options)))


# -- topics and maths areas ------------------------------------------------------------------
def unique_nodes(path: str, records: Sequence[Record], kind: NodeKind,
                 taken: dict[str, str]) -> tuple[list[Node], list[Problem]]:
    """The nodes of one file, first of each id; ``taken`` (id -> ``path:line``) spans both files,
    since topic and maths-area ids share one namespace."""
    nodes: list[Node] = []
    problems: list[Problem] = []
    for rec in records:
        rid = rec["id"]
        if rid in taken:
            problems.append(at(path, rid, f"id {describe(rid)} is already used at {taken[rid]};"
                               " topic and maths-area ids share one namespace"))
            continue
        taken[rid] = f"{path}:{rec['_line']}"
        nodes.append(Node(rid, kind, rec["name"], rec["description"], tuple(rec["requires"] or ()),
                          rec["_line"], tuple(rec["aliases"]), tuple(rec["start_here"]),
                          rec.get("family") or "", rec.get("gentle_start") or "", rec.get("short") or "",
                          tuple(rec.get("can_do") or ())))
    return nodes, problems


def families(path: str, records: Sequence[Record]) -> list[Problem]:
    """A family is one heading: two spellings of it that differ only in case or spaces would be
    drawn as two families."""
    first: dict[str, Located] = {}
    problems = []
    for rec in records:
        family = rec.get("family")
        if family is None:
            continue
        key = " ".join(family.split()).casefold()
        seen = first.setdefault(key, family)
        if seen != family:
            problems.append(at(path, family, f"family {describe(family)} of maths area {describe(rec['id'])}"
                               f" is spelled {describe(seen)} on line {seen.line}: use one spelling"))
    return problems


def maths_requires(path: str, maths: Sequence[Node], index: Index) -> list[Problem]:
    """A maths area requires only maths areas (never itself, never a research topic)."""
    valid = {n.id for n in maths}
    problems = []
    for node in maths:
        for req in node.requires:
            if req == node.id:
                problems.append(at(path, located(req, node), f"maths {describe(node.id)} requires itself"))
                continue
            if req in valid:
                continue
            if req in index.topics:
                why = "is a research topic; a maths area may only require maths areas"
            elif index.unknown_node(req, valid):
                why = f"is not a maths area{hint(req, valid)}"
            else:  # a maths area whose own record has problems, reported there
                continue
            problems.append(at(path, located(req, node),
                               f"maths area {describe(node.id)} requires {describe(req)}, which {why}"))
    return problems


def topic_requires(path: str, topics: Sequence[Node], valid: set[str], index: Index) -> list[Problem]:
    """A topic requires existing topics or maths areas, never itself."""
    problems = []
    for node in topics:
        for req in node.requires:
            if req == node.id:
                problems.append(at(path, located(req, node), f"topic {describe(node.id)} requires itself"))
            elif index.unknown_node(req, valid):
                problems.append(at(path, located(req, node), f"topic {describe(node.id)} requires unknown id"
                                   f" {describe(req)}{hint(req, valid)}"))
    return problems


def start_here(paths: dict[NodeKind, str], nodes: Sequence[Node], resources: Sequence[Resource]) -> list[Problem]:
    """Each research topic names its ways in; each is a resource about that node (for a maths
    area, one that teaches it)."""
    about: dict[str, set[str]] = {}
    for r in resources:
        for t in r.topics:
            about.setdefault(t, set()).add(r.id)
    ids = {r.id for r in resources}
    readings = {r.id: r.reading for r in resources}
    problems = []
    for node in nodes:
        path = paths[node.kind]
        if node.kind == "topic" and not node.start_here:
            problems.append(Problem(path, node.line, 1, f"topic {describe(node.id)} names no starting point:"
                                    " add start_here: [<resource id>, ...] with the recognised way in"
                                    " to the topic first"))
        for rid in node.start_here:
            if rid not in ids:
                problems.append(at(path, located(rid, node), f"start_here of {describe(node.id)} names"
                                   f" {describe(rid)}, which is not a resource{hint(rid, ids)}"))
            elif not readings.get(rid, True):
                problems.append(at(path, located(rid, node), f"start_here of {describe(node.id)} names"
                                   f" {describe(rid)}, which is not a reading (a venue): name something to read"))
            elif rid not in about.get(node.id, ()):
                problems.append(at(path, located(rid, node), f"start_here of {describe(node.id)} names"
                                   f" {describe(rid)}, whose topics do not list {describe(node.id)}:"
                                   " a starting point must be about the topic"))
    return problems


def gentle_start(path: str, topics: Sequence[Node], resources: Sequence[Resource]) -> list[Problem]:
    """A topic whose start is not introductory names an introductory way in (``gentle_start``)
    when the catalogue has one: an introductory reading on the topic."""
    by_id = {r.id: r for r in resources}
    problems = []
    for node in topics:
        what = f"gentle_start of topic {describe(node.id)}"
        rid = node.gentle_start
        if rid:
            r = by_id.get(rid)
            if r is None:
                why = f"is not a resource{hint(rid, by_id)}"
            elif node.id not in r.topics:
                why = f"is not on the topic: its topics do not list {describe(node.id)}"
            elif r.level != "introductory":
                why = (f"is a {r.kind}, not a reading" if not r.reading
                       else f"is {r.level}: the gentle start must be an introductory resource")
            else:
                continue
            problems.append(at(path, located(rid, node), f"{what} names {describe(rid)}, which {why}"))
            continue
        starts = [by_id[s] for s in node.start_here if s in by_id]
        if not starts or any(s.level == "introductory" for s in starts):
            continue
        candidates = [r.id for r in resources if node.id in r.topics and r.level == "introductory"]
        if candidates:
            problems.append(Problem(path, node.line, 1, f"topic {describe(node.id)} starts with no introductory"
                                    " resource and names no gentle start: add gentle_start: <resource id>,"
                                    " an introductory way in for readers who lack the start's prerequisites"
                                    f" (candidates: {', '.join(candidates)})"))
    return problems


def teachers(path: str, maths: Sequence[Node], resources: Sequence[Resource]) -> list[Problem]:
    """A maths area that some resource needs has a resource that teaches it, so that no reading
    path dead-ends."""
    taught = {t for r in resources for t in r.topics}
    needed: dict[str, Resource] = {}
    for r in resources:
        for p in r.prerequisites:
            needed.setdefault(p, r)
    return [
        Problem(path, node.line, 1, f"maths area {describe(node.id)} is a prerequisite (e.g. of"
                f" {describe(needed[node.id].id)}) but no resource teaches it: add a resource"
                f" with topics: [{node.id}]")
        for node in maths if node.id in needed and node.id not in taught
    ]


# -- sources ---------------------------------------------------------------------------------
def unique_sources(path: str, records: Sequence[Record]) -> tuple[list[Source], list[Problem]]:
    kept, problems = unique(path, records, "source")
    return [Source(r["id"], r["kind"], r["name"], r["description"], r["url"], r["date"]) for r in kept], problems


# -- resources -------------------------------------------------------------------------------
def resource_ids(path: str, records: Sequence[Record]) -> tuple[list[Record], list[Problem]]:
    """The first record of each id, minus those that take an id reserved for the site's pages."""
    kept, problems = unique(path, records, "resource")
    problems += [at(path, r["id"], f"resource id {describe(r['id'])} is reserved for the site's own page"
                    " elements; choose another id (e.g. add the year)") for r in kept if r["id"] in RESERVED_IDS]
    return [r for r in kept if r["id"] not in RESERVED_IDS], problems


def resource_level(path: str, rec: Record) -> list[Problem]:
    """A reading has a level; a venue (any kind that is not a reading) has none."""
    level, kind = rec["level"], rec["kind"]
    what = f"resource {describe(rec['id'])}"
    if kind in NOT_READINGS and level is not None:
        return [at(path, level, f"{what} is a {kind}, which is not a reading and takes no level:"
                   " remove its 'level'")]
    if kind not in NOT_READINGS and level is None:
        return [Problem(path, rec["_line"], rec["_col"], f"{what} is missing the required key 'level'")]
    return []


def resource_references(path: str, rec: Record, nodes: set[str], sources: set[str], index: Index) -> list[Problem]:
    """Topics, prerequisites and sources a resource names exist; no id is both topic and prerequisite."""
    problems = []
    for key, what in (("topics", "topic or maths area"), ("prerequisites", "prerequisite")):
        problems += [at(path, v, f"unknown {what} {describe(v)}{hint(v, nodes)}")
                     for v in rec[key] if index.unknown_node(v, nodes)]
    topics = set(rec["topics"])
    problems += [at(path, p, f"resource {describe(rec['id'])} lists {describe(p)} both as a topic and as a"
                    " prerequisite") for p in rec["prerequisites"] if p in topics]
    known = sources | {EDITORIAL}
    for prov in rec["recommended_in"]:
        sid = prov["source"]
        if sid not in known and sid not in index.sources and not index.sources_unreadable:
            problems.append(at(path, sid, f"unknown source {describe(sid)}{hint(sid, known)};"
                               f" known sources: {', '.join(sorted(known))}"))
    return problems


def reference_of(path: str, bib_path: str, rec: Record, refs: dict[str, Reference], index: Index,
                 *, bib_unreadable: bool) -> tuple[Reference | None, list[Problem]]:
    """The resource's BibTeX entry, with the fields the reference style needs."""
    rid = rec["id"]
    ref = refs.get(rid)
    if ref is None:
        if bib_unreadable or rid in index.bib_keys:  # its own problems say why
            return None, []
        return None, [at(path, rid, f"resource {describe(rid)} has no BibTeX entry: add @...{{{rid}, ...}}"
                         f" to {bib_path}")]
    missing = [f for f in bibtex.STYLE_REQUIRES.get(ref.entry_type, ()) if not ref.get(f)]
    return ref, [Problem(bib_path, ref.line, 1, f"entry {describe(ref.key)} is @{ref.entry_type} and needs a"
                         f" '{name}' field (or use another entry type, e.g. @misc)") for name in missing]


def orphan_entries(bib_path: str, res_path: str, refs: Iterable[Reference],
                   resource_ids: AbstractSet[str]) -> list[Problem]:
    """Every BibTeX entry belongs to a resource."""
    return [Problem(bib_path, ref.line, 1, f"BibTeX entry {describe(ref.key)} has no resource in {res_path}:"
                    f" add one with id: {ref.key}, or remove the entry")
            for ref in refs if ref.key not in resource_ids]


# -- results and questions -------------------------------------------------------------------
def unique(path: str, records: Sequence[Record], noun: str) -> tuple[list[Record], list[Problem]]:
    """The first record of each id."""
    kept: list[Record] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for rec in records:
        rid = rec["id"]
        if rid in seen:
            problems.append(at(path, rid, f"{noun} id {describe(rid)} is already used on line {seen[rid]}"))
            continue
        seen[rid] = rec["_line"]
        kept.append(rec)
    return kept, problems


def result_references(path: str, rec: Record, *, topics: AbstractSet[str], maths: AbstractSet[str],
                      resources: AbstractSet[str] | None, results: AbstractSet[str], index: Index) -> list[Problem]:
    """A result's topics are research topics, its maths maths areas, what it builds on results,
    and where to read it resources of the catalogue (``resources`` is None when that file could not
    be read: its own problems say why)."""
    what = f"result {describe(rec['id'])}"
    problems = []
    for key, valid, other, noun, other_noun in (("topics", topics, maths, "research topic", "a maths area"),
                                                ("maths", maths, topics, "maths area", "a research topic")):
        for value in rec[key]:
            if value in valid:
                continue
            if value in other:
                problems.append(at(path, value, f"{what} lists {describe(value)} in '{key}', but it is"
                                   f" {other_noun}; '{key}' takes {noun} ids"))
            elif index.unknown_node(value, valid | other):
                problems.append(at(path, value, f"{what}: unknown {noun} {describe(value)}{hint(value, valid)}"))
    for value in rec["builds_on"]:
        if value == rec["id"]:
            problems.append(at(path, value, f"{what} builds on itself"))
        elif value not in results:
            problems.append(at(path, value, f"{what} builds on unknown result {describe(value)}"
                               f"{hint(value, results)}"))
    for reading in rec["read"]:
        rid = reading["resource"]
        if resources is not None and rid not in resources:
            problems.append(at(path, rid, f"{what}: 'read' names unknown resource {describe(rid)}"
                               f"{hint(rid, resources)}"))
    return problems


def question_references(path: str, rec: Record, *, topics: AbstractSet[str], results: AbstractSet[str],
                        index: Index) -> list[Problem]:
    what = f"question {describe(rec['id'])}"
    problems = []
    topic = rec["topic"]
    if topic not in topics and not index.nodes_unreadable:
        if topic in index.maths:
            problems.append(at(path, topic, f"{what}: {describe(topic)} is a maths area; 'topic' takes a"
                               " research topic id"))
        elif topic not in index.topics:
            problems.append(at(path, topic, f"{what}: unknown research topic {describe(topic)}{hint(topic, topics)}"))
    problems += [at(path, value, f"{what}: unknown result {describe(value)}{hint(value, results)}")
                 for value in rec["results"] if value not in results]
    return problems


def named_cycles(g: nx.DiGraph, line: Callable[[str], int]) -> list[tuple[str, list[str]]]:
    """One cycle per strongly connected group of ``g``: the vertex it starts from (the one given
    first in its file) and the vertices around it, back to the start."""
    out = []
    for component in sorted(nx.strongly_connected_components(g), key=sorted):
        if len(component) < 2:
            continue
        start = min(component, key=lambda i: (line(i), i))
        cycle = nx.find_cycle(g.subgraph(component), source=start)
        out.append((start, [u for u, _ in cycle] + [cycle[0][0]]))
    return out


def requires_cycles(nodes: Sequence[Node]) -> list[tuple[Node, str]]:
    """Every cycle of ``requires`` among topics and maths areas, once per strongly connected
    group, named."""
    g = nx.DiGraph()
    g.add_nodes_from(n.id for n in nodes)
    g.add_edges_from((req, n.id) for n in nodes for req in n.requires if req in g)
    by_id = {n.id: n for n in nodes}
    return [(by_id[start], "prerequisite cycle: " + " -> ".join(names)
             + " (each requires the next to be read first; remove one requires edge)")
            for start, names in named_cycles(g, lambda i: by_id[i].line)]


def builds_on_cycles(path: str, results: Sequence[Result]) -> list[Problem]:
    """Every cycle of ``builds_on``, once per strongly connected group, named."""
    g = nx.DiGraph()
    g.add_nodes_from(r.id for r in results)
    g.add_edges_from((b, r.id) for r in results for b in r.builds_on if b in g)
    by_id = {r.id: r for r in results}
    problems = []
    for start, names in named_cycles(g, lambda i: by_id[i].line):
        first = by_id[start].id
        line, col = (first.line, first.col) if isinstance(first, Located) else (by_id[start].line, 1)
        problems.append(Problem(path, line, col, "builds_on cycle: " + " -> ".join(names)
                                + " (a result cannot build, even indirectly, on itself; remove one edge)"))
    return problems


def same_work(path: str, results: Sequence[Result], papers: AbstractSet[str]) -> list[Problem]:
    """Two results proved in the same paper (their first reading) in the same year are one result
    listed twice, unless one builds on the other or one of them says how they differ. (A book or a
    survey states many results: only papers, ``papers``, are compared.)"""
    first: dict[tuple[str, str], list[Result]] = {}
    problems = []
    for result in results:
        key = (result.read[0].resource, result.year)
        if key[0] not in papers:
            continue
        for other in first.get(key, ()):
            if other.id in result.builds_on or result.id in other.builds_on or result.differs or other.differs:
                continue
            where = located(result.id, result)
            problems.append(at(path, where, f"results {describe(other.id)} (line {other.line}) and"
                               f" {describe(result.id)} cite the same work {describe(key[0])} and year"
                               f" {key[1]}: if they are one result, merge them; if not, name one in the"
                               " other's builds_on, or say in 'differs' how they differ"))
        first.setdefault(key, []).append(result)
    return problems


def unlocated_results(path: str, results: Sequence[Result]) -> list[Problem]:
    """Warnings, not errors: results none of whose readings says where in the work the result is."""
    return [Problem(path, r.line, 1, f"result {describe(r.id)} has no reading with a 'where' locator:"
                    " name the theorem, section or chapter of a work in 'read' that states it")
            for r in results if not any(g.where for g in r.read)]
