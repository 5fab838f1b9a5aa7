"""Load the catalogue from ``data/``: every file read once, every problem collected.

``load_catalogue`` either returns a fully checked :class:`~readingmap.catalogue.model.Catalogue` or raises
:class:`~readingmap.problems.CatalogueError` carrying every problem found in every file, each as
``path:line:col: message``. Nothing downstream needs to re-check anything.
"""

from __future__ import annotations

import hashlib
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..keys import NO_CACHES, Caches, Store, digest, source_digest, version
from ..problems import CatalogueError, Problem
from . import bibtex, checks, schema, yamlstrict
from .latex import display_fields
from .model import Catalogue, Node, Provenance, Question, Reading, Reference, Resource, Result

__all__ = ["BIB_STORE", "CATALOGUE_STORE", "cached_catalogue", "catalogue_warnings", "load_catalogue"]

FILES = {
    "topics": "topics.yaml",
    "maths": "maths.yaml",
    "sources": "sources.yaml",
    "resources": "resources.yaml",
    "refs": "refs.bib",
    "results": "results.yaml",
}


@dataclass
class _Read:
    """What one YAML file gave: records with the node each came from."""

    path: str
    #: the valid records, each with ``_line``: the line its mapping starts on
    records: list[dict[str, Any]]
    ids: frozenset[str] = frozenset()  # ids of every record, including ones with problems
    #: The file could not be parsed at all: checks against its records would only echo that.
    unreadable: bool = False


def display_path(path: Path) -> str:
    """Paths in messages are relative to the working directory when the file lies below it."""
    try:
        return os.path.relpath(path) if not os.path.relpath(path).startswith("..") else str(path)
    except ValueError:  # pragma: no cover - different drive on Windows
        return str(path)


def catalogue_warnings(cat: Catalogue) -> list[Problem]:
    """What a checked catalogue lacks without being wrong: `readingmap check` prints it, and
    `--strict` counts it as a problem."""
    return checks.unlocated_results(display_path(Path(cat.data_dir) / FILES["results"]), cat.results)


def load_catalogue(data_dir: str | os.PathLike[str], *, caches: Caches = NO_CACHES) -> Catalogue:
    """Read and check every data file; raise :class:`CatalogueError` listing all problems.

    With build ``caches`` (the project's), a catalogue whose files are unchanged since it last
    loaded without problems comes from the cache (:func:`cached_catalogue`), and so do the
    references of an unchanged ``refs.bib`` that had no problem (:func:`read_bib`)."""
    base = Path(data_dir)
    if caches is NO_CACHES:
        return _load_catalogue(base, caches)
    store, key, found_cat = cached_catalogue(base, caches)
    if found_cat is not None:
        return found_cat
    cat = _load_catalogue(base, caches)  # raises on any problem: nothing is stored then
    if key is not None:
        # Written when the cache is (in `mkdocs serve`, when it ends): the next rebuild takes
        # the object kept in memory.
        store.put(key, cat)
        store.save()
        caches.keep("catalogue", key, cat)
    return cat


def _load_catalogue(base: Path, caches: Caches) -> Catalogue:
    problems: list[Problem] = []

    # Under `mkdocs serve`, an unchanged list item gives the record it gave the build before: the
    # same objects, not a copy of every value of every item.
    def parse(name: str) -> tuple[str, yamlstrict.Node | None, bool]:
        """The file's positioned tree; False when it could not be read or parsed at all."""
        path = base / FILES[name]
        shown = display_path(path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            problems.append(Problem(shown, 1, 1, f"cannot read the file: {exc.strerror}"))
            return shown, None, False
        # In `mkdocs serve`, the items of a list that were parsed before are reused.
        items = caches.held(f"yaml-items:{path}", yamlstrict.Items)
        root, found = yamlstrict.load(shown, data, items=items)
        problems.extend(found)
        return shown, root, not found

    def read_yaml(name: str, noun: str, fields: tuple[schema.Field, ...]) -> _Read:
        shown, root, ok = parse(name)
        if not ok:
            return _Read(shown, [], unreadable=True)
        reader = schema.RecordReader(shown, caches)
        records = [{**rec, "_line": item.line, "_col": item.col}
                   for item, rec in reader.records(root, noun, fields)]
        problems.extend(reader.problems)
        # A file whose top level is not a list gave no records: treat it like an unparsable one.
        return _Read(shown, records, frozenset(reader.ids), unreadable=not isinstance(root, yamlstrict.Seq))

    def read_results() -> tuple[_Read, _Read]:
        shown, root, ok = parse("results")
        if not ok:
            return _Read(shown, [], unreadable=True), _Read(shown, [], unreadable=True)
        reader = schema.RecordReader(shown, caches)
        sections = reader.sections(root, {"results": ("result", schema.RESULT_FIELDS),
                                          "questions": ("question", schema.QUESTION_FIELDS)})
        problems.extend(reader.problems)
        unreadable = not isinstance(root, yamlstrict.Map)
        return tuple(  # type: ignore[return-value]
            _Read(shown, [{**rec, "_line": item.line} for item, rec in sections[key]],
                  reader.section_ids.get(key, frozenset()), unreadable=unreadable)
            for key in ("results", "questions"))

    topics = read_yaml("topics", "topic", schema.TOPIC_FIELDS)
    maths = read_yaml("maths", "maths area", schema.MATHS_FIELDS)
    sources = read_yaml("sources", "source", schema.SOURCE_FIELDS)
    resources = read_yaml("resources", "resource", schema.RESOURCE_FIELDS)
    results, questions = read_results()

    bib_path = base / FILES["refs"]
    bib_shown = display_path(bib_path)
    bib_keys: set[str] = set()
    try:
        # bib_keys holds the key of every entry, also of refused ones: a resource whose entry
        # has problems is not reported as having no entry at all.
        refs, found, bib_keys = read_bib(bib_shown, bib_path.read_bytes(), caches)
    except OSError as exc:
        refs, found = [], [Problem(bib_shown, 1, 1, f"cannot read the file: {exc.strerror}")]
    problems.extend(found)
    bib_unreadable = bool(found) and not refs

    # What exists, even where a record or a whole file had problems: references to it are not
    # reported again as unknown (the original problem is reported once, where it is).
    index = checks.Index(topics=topics.ids, maths=maths.ids, sources=sources.ids, bib_keys=frozenset(bib_keys),
                         nodes_unreadable=topics.unreadable or maths.unreadable,
                         sources_unreadable=sources.unreadable)
    taken: dict[str, str] = {}
    maths_nodes, found = checks.unique_nodes(maths.path, maths.records, "maths", taken)
    problems += found
    topic_nodes, found = checks.unique_nodes(topics.path, topics.records, "topic", taken)
    problems += found
    node_ids = {n.id for n in (*maths_nodes, *topic_nodes)}
    problems += checks.maths_requires(maths.path, maths_nodes, index)
    problems += checks.families(maths.path, maths.records)
    problems += checks.topic_requires(topics.path, topic_nodes, node_ids, index)
    source_list, found = checks.unique_sources(sources.path, sources.records)
    problems += found
    source_ids = {s.id for s in source_list}

    records, found = checks.resource_ids(resources.path, resources.records)
    problems += found
    refs_by_key = {r.key: r for r in refs}
    resource_list = []
    for rec in records:
        found = checks.resource_references(resources.path, rec, node_ids, source_ids, index)
        found += checks.resource_level(resources.path, rec)
        ref, missing = checks.reference_of(resources.path, bib_shown, rec, refs_by_key, index,
                                           bib_unreadable=bib_unreadable)
        problems += found + missing
        if ref is not None and not found and not missing:
            resource_list.append(_resource(rec, ref))
    if not resources.unreadable:
        problems += checks.orphan_entries(bib_shown, resources.path, refs, resources.ids)
    result_list, question_list = _results(results, questions, index, topic_nodes, maths_nodes, resources, problems)
    problems += checks.same_work(results.path, result_list, {r.id for r in resource_list if r.kind == "paper"})
    if not problems:  # completeness rules: on broken data they would only echo other problems
        problems += checks.teachers(maths.path, maths_nodes, resource_list)
        problems += checks.start_here({"maths": maths.path, "topic": topics.path},
                                      (*maths_nodes, *topic_nodes), resource_list)
        problems += checks.gentle_start(topics.path, topic_nodes, resource_list)
    problems.extend(
        Problem(maths.path if node.kind == "maths" else topics.path, node.line, 1, message)
        for node, message in checks.requires_cycles(maths_nodes + topic_nodes)
    )
    if problems:
        raise CatalogueError(problems)
    return Catalogue(
        topics=tuple(topic_nodes),
        maths=tuple(maths_nodes),
        sources=tuple(source_list),
        resources=tuple(resource_list),
        data_dir=str(base),
        results=tuple(result_list),
        questions=tuple(question_list),
    )


def _results(results: _Read, questions: _Read, index: checks.Index, topics: list[Node], maths: list[Node],
             resources: _Read, problems: list[Problem]) -> tuple[list[Result], list[Question]]:
    """The results and questions of results.yaml, each checked against the rest of the catalogue."""
    topic_ids, maths_ids = {n.id for n in topics}, {n.id for n in maths}
    result_ids = results.ids  # every result id given, also of records with problems of their own
    kept, found = checks.unique(results.path, results.records, "result")
    problems += found
    result_list = []
    for rec in kept:
        found = checks.result_references(results.path, rec, topics=topic_ids, maths=maths_ids,
                                         resources=None if resources.unreadable else resources.ids,
                                         results=result_ids, index=index)
        problems += found
        if not found:
            result_list.append(Result(
                id=rec["id"], name=rec["name"], who=rec["who"], year=rec["year"], status=rec["status"],
                statement=rec["statement"], topics=tuple(rec["topics"]), maths=tuple(rec["maths"]),
                builds_on=tuple(rec["builds_on"]), line=rec["_line"], aliases=tuple(rec["aliases"]),
                differs=rec["differs"] or "", gloss=rec["gloss"], checked=rec["checked"],
                added=rec["added"],
                read=tuple(Reading(r["resource"], r["where"]) for r in rec["read"])))
    problems += checks.builds_on_cycles(results.path, result_list)
    kept, found = checks.unique(questions.path, questions.records, "question")
    problems += found
    question_list = []
    for rec in kept:
        found = checks.question_references(questions.path, rec, topics=topic_ids, results=result_ids, index=index)
        problems += found
        if not found:
            question_list.append(Question(rec["id"], rec["topic"], rec["question"], rec["known"],
                                          tuple(rec["results"]), rec["_line"], status=rec["status"],
                                          status_changed=rec["status_changed"], checked=rec["checked"]))
    return result_list, question_list


def _resource(rec: dict[str, Any], ref: Reference) -> Resource:
    return Resource(
        id=rec["id"], kind=rec["kind"], topics=tuple(rec["topics"]), prerequisites=tuple(rec["prerequisites"]),
        level=rec["level"] or "", why=rec["why"], line=rec["_line"], ref=ref, aliases=tuple(rec["aliases"]),
        checked=rec["checked"], added=rec["added"],
        recommended_in=tuple(Provenance(p["source"], p["by"], p["note"]) for p in rec["recommended_in"]),
        **display_fields(ref),  # type: ignore[arg-type]
    )


#: What reading refs.bib depends on besides the file: the package, pybtex and the reading code.
_BIB_CODE = digest(
    [version(d) for d in ("readingmap", "pybtex", "latexcodec")],
    source_digest(sys.modules[__name__]),
)
#: The build caches' store of read refs.bib files.
BIB_STORE = "refs-bib"


def _valid_bib(value: Any) -> bool:
    def strings(items: Any) -> bool:
        return isinstance(items, list) and all(isinstance(i, str) for i in items)

    return (isinstance(value, dict) and strings(value.get("keys")) and isinstance(value.get("refs"), list)
            and all(isinstance(r, list) and len(r) == 5 and isinstance(r[0], str) and isinstance(r[1], str)
                    and isinstance(r[2], list) and all(strings(f) and len(f) == 2 for f in r[2])
                    and isinstance(r[3], list)
                    and all(isinstance(p, list) and len(p) == 2 and isinstance(p[0], str) and strings(p[1])
                            for p in r[3])
                    and isinstance(r[4], int) and not isinstance(r[4], bool)
                    for r in value["refs"]))


def read_bib(shown: str, data: bytes, caches: Caches = NO_CACHES) -> bibtex.BibFile:
    """:func:`bibtex.read`, or its result for the same bytes from the build cache.

    Parsing and checking ``refs.bib`` with pybtex is the costliest part of loading a large
    catalogue, and an edit of ``resources.yaml`` (``mkdocs serve``) leaves it unchanged. Only a
    file without problems is cached (problems are always found afresh); the key is a hash of the
    file's bytes, the name it is shown by, and the package, pybtex and the reading code."""
    if caches is NO_CACHES:
        return bibtex.read(shown, data)
    store = caches.store(BIB_STORE, "refs.bib", _valid_bib)
    key = digest("refs.bib", shown, hashlib.sha256(data).hexdigest(), _BIB_CODE)
    # (Saving the store after a hit too: in `mkdocs serve` it then holds the value in memory for
    # the next rebuild, which does not read it from the database again.)
    value = store.get(key)
    if value is not None:
        store.save()
        return _stored_bib(value)
    found = bibtex.read(shown, data)
    if not found.problems:
        store.put(key, {"keys": sorted(found.keys),
                        "refs": [[str(r.key), str(r.entry_type), [[str(n), str(v)] for n, v in r.fields],
                                  [[str(role), [str(n) for n in names]] for role, names in r.persons], r.line]
                                 for r in found.references]})
    store.save()
    return found


def _stored_bib(value: dict[str, Any]) -> bibtex.BibFile:
    refs = [Reference(key=k, entry_type=t, fields=tuple((n, v) for n, v in fields),
                      persons=tuple((role, tuple(names)) for role, names in persons), line=line)
            for k, t, fields, persons, line in value["refs"]]
    return bibtex.BibFile(refs, [], set(value["keys"]))


#: The build caches' store of checked catalogues.
CATALOGUE_STORE = "catalogue"
#: What a loaded catalogue depends on besides its files: the package, its libraries and the code
#: that reads and checks the files.
_CATALOGUE_CODE = digest(
    [version(d) for d in ("readingmap", "pybtex", "latexcodec", "PyYAML", "networkx")],
    source_digest(sys.modules[__name__]),
)


def cached_catalogue(base: Path, caches: Caches) -> tuple[Store, str | None, Catalogue | None]:
    """The catalogue of ``base`` from the build cache, if its files are byte for byte those of the
    last load without problems (key: every file's bytes, the directory as given, and
    ``_CATALOGUE_CODE``); also the store and the key to save a fresh load under (None when a file
    cannot be read: loading reports that)."""
    store = caches.store(CATALOGUE_STORE, "catalogue", lambda v: isinstance(v, Catalogue))
    try:
        files = [[name, hashlib.sha256((base / name).read_bytes()).hexdigest()] for name in sorted(FILES.values())]
    except OSError:
        return store, None, None
    key = digest("catalogue", str(base), files, _CATALOGUE_CODE)
    if (kept := caches.kept("catalogue", key)) is not None:
        return store, key, kept
    if caches.serving:
        # `mkdocs serve` loads the files once (not the stored catalogue), which keeps the parsed
        # items of each list (yamlstrict.Items): the first edit reparses only what it changed.
        return store, key, None
    found = store.get(key)
    if isinstance(found, Catalogue):
        caches.keep("catalogue", key, found)
        return store, key, found
    return store, key, None
