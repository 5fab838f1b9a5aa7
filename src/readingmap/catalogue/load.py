"""Load the catalogue from ``data/``: every file read once, every problem collected.

``load_catalogue`` either returns a fully checked :class:`~readingmap.catalogue.model.Catalogue` or raises
:class:`~readingmap.problems.CatalogueError` carrying every problem found in every file, each as
``path:line:col: message``. Nothing downstream needs to re-check anything.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import graph
from ..problems import CatalogueError, Located, Problem, describe
from . import bibtex, schema, yamlstrict
from .latex import display_fields
from .model import EDITORIAL, Catalogue, Node, NodeKind, Provenance, Reference, Resource, Source

#: Element ids the generated pages use for their own controls; a resource id (which becomes an
#: HTML id on the bibliography page) may not take one of them.
RESERVED_IDS = frozenset({
    "bib-form", "bib-filter", "bib-topic", "bib-maths", "bib-kind", "bib-level", "bib-from",
    "bib-to", "bib-count", "bib-list", "bib-ready-only", "bib-reset", "known-maths", "downloads",
    "rm-arrow", "index",
})

FILES = {
    "topics": "topics.yaml",
    "maths": "maths.yaml",
    "sources": "sources.yaml",
    "resources": "resources.yaml",
    "refs": "refs.bib",
}


@dataclass
class _Read:
    """What one YAML file gave: records with the node each came from."""

    path: str
    records: list[tuple[yamlstrict.Map, dict[str, Any]]]
    ids: frozenset[str] = frozenset()  # ids of every record, including ones with problems
    #: The file could not be parsed at all: checks against its records would only echo that.
    unreadable: bool = False


def display_path(path: Path) -> str:
    """Paths in messages are relative to the working directory when the file lies below it."""
    try:
        return os.path.relpath(path) if not os.path.relpath(path).startswith("..") else str(path)
    except ValueError:  # pragma: no cover - different drive on Windows
        return str(path)


def load_catalogue(data_dir: str | os.PathLike[str]) -> Catalogue:
    """Read and check every data file; raise :class:`CatalogueError` listing all problems."""
    base = Path(data_dir)
    problems: list[Problem] = []

    def read_yaml(name: str, noun: str, fields: tuple[schema.Field, ...]) -> _Read:
        path = base / FILES[name]
        shown = display_path(path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            problems.append(Problem(shown, 1, 1, f"cannot read the file: {exc.strerror}"))
            return _Read(shown, [], unreadable=True)
        root, found = yamlstrict.load(shown, data)
        problems.extend(found)
        if found:
            return _Read(shown, [], unreadable=True)
        reader = schema.RecordReader(shown)
        records = reader.records(root, noun, fields)
        problems.extend(reader.problems)
        # A file whose top level is not a list gave no records: treat it like an unparsable one.
        return _Read(shown, records, frozenset(reader.ids), unreadable=not isinstance(root, yamlstrict.Seq))

    topics = read_yaml("topics", "topic", schema.NODE_FIELDS)
    maths = read_yaml("maths", "maths area", schema.NODE_FIELDS)
    sources = read_yaml("sources", "source", schema.SOURCE_FIELDS)
    resources = read_yaml("resources", "resource", schema.RESOURCE_FIELDS)

    bib_path = base / FILES["refs"]
    bib_shown = display_path(bib_path)
    bib_keys: set[str] = set()
    try:
        # bib_keys holds the key of every entry, also of refused ones: a resource whose entry
        # has problems is not reported as having no entry at all.
        refs, found, bib_keys = bibtex.read(bib_shown, bib_path.read_bytes())
    except OSError as exc:
        refs, found = [], [Problem(bib_shown, 1, 1, f"cannot read the file: {exc.strerror}")]
    problems.extend(found)
    bib_unreadable = bool(found) and not refs

    checker = _CrossChecker(problems)
    # What exists, even where a record or a whole file had problems: references to it are not
    # reported again as unknown (the original problem is reported once, where it is).
    checker.node_ids_given = topics.ids | maths.ids
    checker.topic_ids_given = topics.ids
    checker.nodes_unreadable = topics.unreadable or maths.unreadable
    checker.source_ids_given = sources.ids
    checker.sources_unreadable = sources.unreadable
    checker.bib_keys_given = bib_keys
    maths_nodes = checker.nodes(maths, "maths")
    topic_nodes = checker.nodes(topics, "topic")
    source_list = checker.sources(sources)
    resource_list = checker.resources(resources, refs, bib_shown, maths_nodes, topic_nodes, source_list,
                                      bib_unreadable=bib_unreadable)
    problems.extend(
        Problem(maths.path if node.kind == "maths" else topics.path, node.line, 1, message)
        for node, message in graph.check(maths_nodes + topic_nodes)
    )
    if problems:
        raise CatalogueError(problems)
    return Catalogue(
        topics=tuple(topic_nodes),
        maths=tuple(maths_nodes),
        sources=tuple(source_list),
        resources=tuple(resource_list),
        data_dir=str(base),
    )


class _CrossChecker:
    """Checks that ids are unique and every reference between records resolves."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        self.node_ids: dict[str, tuple[str, int]] = {}
        self.node_ids_given: frozenset[str] = frozenset()
        self.topic_ids_given: frozenset[str] = frozenset()
        self.nodes_unreadable = False
        self.source_ids_given: frozenset[str] = frozenset()
        self.sources_unreadable = False
        self.bib_keys_given: set[str] = set()

    def unknown_node(self, value: str, known: set[str]) -> bool:
        return value not in known and value not in self.node_ids_given and not self.nodes_unreadable

    def report(self, path: str, value: Located, message: str) -> None:
        """A problem at the position the value was read at."""
        self.problems.append(Problem(path, value.line, value.col, message))

    def nodes(self, read: _Read, kind: NodeKind) -> list[Node]:
        out = []
        for item, rec in read.records:
            first = self.node_ids.get(rec["id"])
            if first is not None:
                self.report(read.path, rec["id"],
                            f"id {describe(rec['id'])} is already used at {first[0]}:{first[1]};"
                            " topic and maths-area ids share one namespace")
                continue
            self.node_ids[rec["id"]] = (read.path, item.line)
            out.append(Node(rec["id"], kind, rec["name"], rec["description"],
                            tuple(rec["requires"] or ()), item.line, tuple(rec["aliases"]),
                            tuple(rec["start_here"])))
        maths_ids = {n.id for n in out} if kind == "maths" else None
        for node in out:
            self._check_requires(read.path, node, kind, maths_ids)
        return out

    def _check_requires(self, path: str, node: Node, kind: NodeKind, maths_ids: set[str] | None) -> None:
        for req in node.requires:
            pos = _located(req, node)
            if req == node.id:
                self.report(path, pos, f"{kind} {describe(node.id)} requires itself")
            elif kind == "maths" and maths_ids is not None and req not in maths_ids:
                # Maths areas are checked before topics are registered: ask the topics file.
                if req in self.topic_ids_given:
                    why = "is a research topic; a maths area may only require maths areas"
                elif self.unknown_node(req, maths_ids):
                    why = f"is not a maths area{_hint(req, maths_ids)}"
                else:  # a maths area whose own record has problems, reported there
                    continue
                self.report(path, pos, f"maths area {describe(node.id)} requires {describe(req)}, which {why}")

    def sources(self, read: _Read) -> list[Source]:
        out: list[Source] = []
        seen: dict[str, int] = {}
        for item, rec in read.records:
            if rec["id"] in seen:
                self.report(read.path, rec["id"],
                            f"source id {describe(rec['id'])} is already used on line {seen[rec['id']]}")
                continue
            seen[rec["id"]] = item.line
            out.append(Source(rec["id"], rec["kind"], rec["name"], rec["description"],
                              rec["url"], rec["date"]))
        return out

    def resources(
        self,
        read: _Read,
        refs: list[Reference],
        bib_path: str,
        maths: list[Node],
        topics: list[Node],
        sources: list[Source],
        *,
        bib_unreadable: bool = False,
    ) -> list[Resource]:
        node_ids = {n.id for n in (*maths, *topics)}
        # Unknown topic requires are reported here, once every node id is known.
        for node in topics:
            for req in node.requires:
                if self.unknown_node(req, node_ids):
                    self.report(self.node_ids[node.id][0], _located(req, node),
                                f"topic {describe(node.id)} requires unknown id {describe(req)}{_hint(req, node_ids)}")
        source_ids = {s.id for s in sources} | {EDITORIAL}
        ref_by_key = {r.key: r for r in refs}
        out = []
        seen: dict[str, int] = {}
        for item, rec in read.records:
            rid = rec["id"]
            if rid in seen:
                self.report(read.path, rid,
                            f"resource id {describe(rid)} is already used on line {seen[rid]}")
                continue
            seen[rid] = item.line
            if rid in RESERVED_IDS:
                self.report(read.path, rid,
                            f"resource id {describe(rid)} is reserved for the site's own page elements;"
                            " choose another id (e.g. add the year)")
                continue
            ok = self._check_ids(read.path, "topics", rec["topics"], node_ids)
            ok &= self._check_ids(read.path, "prerequisites", rec["prerequisites"], node_ids)
            topics_given = set(rec["topics"])
            for both in (p for p in rec["prerequisites"] if p in topics_given):
                self.report(read.path, both,
                            f"resource {describe(rid)} lists {describe(both)} both as a topic and"
                            " as a prerequisite")
                ok = False
            provenance = []
            for prov in rec["recommended_in"]:
                if prov["source"] not in source_ids and prov["source"] not in self.source_ids_given \
                        and not self.sources_unreadable:
                    self.report(read.path, prov["source"], f"unknown source {describe(prov['source'])}"
                                f"{_hint(prov['source'], source_ids)}; known sources: {', '.join(sorted(source_ids))}")
                    ok = False
                provenance.append(Provenance(prov["source"], prov["by"], prov["note"]))
            ref = ref_by_key.get(rid)
            if ref is None:
                if bib_unreadable or rid in self.bib_keys_given:  # its own problems say why
                    continue
                self.report(read.path, rid,
                            f"resource {describe(rid)} has no BibTeX entry: add @...{{{rid}, ...}} to {bib_path}")
                continue
            ok &= self._check_style_fields(bib_path, ref)
            if not ok:
                continue
            out.append(Resource(
                id=rid, kind=rec["kind"], topics=tuple(rec["topics"]),
                prerequisites=tuple(rec["prerequisites"]), level=rec["level"],
                recommended_in=tuple(provenance), why=rec["why"], line=item.line, ref=ref,
                aliases=tuple(rec["aliases"]),
                **display_fields(ref),  # type: ignore[arg-type]
            ))
        if not self.problems:  # completeness rules: on broken data they would only echo other errors
            self._check_teachers(read.path, out, maths)
            self._check_start_here(out, maths, topics)
        for ref in refs if not read.unreadable else ():
            if ref.key not in seen and ref.key not in read.ids:
                self.problems.append(Problem(bib_path, ref.line, 1,
                                             f"BibTeX entry {describe(ref.key)} has no resource in"
                                             f" {read.path}: add one with id: {ref.key}, or remove the entry"))
        return out

    def _check_teachers(self, path: str, resources: list[Resource], maths: list[Node]) -> None:
        """A maths area that some resource needs must have a resource that teaches it, so that no
        reading path dead-ends."""
        taught = {t for r in resources for t in r.topics}
        needed: dict[str, Resource] = {}
        for r in resources:
            for p in r.prerequisites:
                needed.setdefault(p, r)
        for node in maths:
            if node.id in needed and node.id not in taught:
                self.problems.append(Problem(
                    self.node_ids[node.id][0], node.line, 1,
                    f"maths area {describe(node.id)} is a prerequisite (e.g. of"
                    f" {describe(needed[node.id].id)}) but no resource teaches it: add a resource"
                    f" with topics: [{node.id}]"))

    def _check_start_here(self, resources: list[Resource], maths: list[Node], topics: list[Node]) -> None:
        """Each research topic names its ways in; each is a resource about that topic (or, for a
        maths area, one that teaches it)."""
        about: dict[str, set[str]] = {}
        for r in resources:
            for t in r.topics:
                about.setdefault(t, set()).add(r.id)
        by_id = {r.id for r in resources}
        for node in (*maths, *topics):
            path = self.node_ids[node.id][0]
            if node.kind == "topic" and not node.start_here:
                self.problems.append(Problem(
                    path, node.line, 1,
                    f"topic {describe(node.id)} names no starting point: add start_here: [<resource id>, ...]"
                    " with the recognised way in to the topic first"))
            for rid in node.start_here:
                if rid not in by_id:
                    self.report(path, _located(rid, node), f"start_here of {describe(node.id)} names"
                                f" {describe(rid)}, which is not a resource{_hint(rid, by_id)}")
                elif rid not in about.get(node.id, ()):
                    self.report(path, _located(rid, node), f"start_here of {describe(node.id)} names"
                                f" {describe(rid)}, whose topics do not list {describe(node.id)}:"
                                " a starting point must be about the topic")

    def _check_ids(self, path: str, key: str, ids: tuple[Located, ...], known: set[str]) -> bool:
        ok = True
        for value in ids:
            if self.unknown_node(value, known):
                self.report(path, value, f"unknown {'topic or maths area' if key == 'topics' else 'prerequisite'}"
                            f" {describe(value)}{_hint(value, known)}")
                ok = False
        return ok

    def _check_style_fields(self, bib_path: str, ref: Reference) -> bool:
        missing = [f for f in bibtex.STYLE_REQUIRES.get(ref.entry_type, ()) if not ref.get(f)]
        for name in missing:
            self.problems.append(Problem(bib_path, ref.line, 1,
                                         f"entry {describe(ref.key)} is @{ref.entry_type} and needs a"
                                         f" '{name}' field (or use another entry type, e.g. @misc)"))
        return not missing


def _located(value: str, node: Node) -> Located:
    """The value with its position; one given in code rather than read from a file has its node's line."""
    return value if isinstance(value, Located) else Located(value, node.line, 1)


def _hint(value: str, options: set[str]) -> str:
    return schema.did_you_mean(value, tuple(sorted(options)))
