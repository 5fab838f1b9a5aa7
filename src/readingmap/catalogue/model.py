"""The catalogue as immutable data: what every other module reads, never re-parses."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal, TypeVar

__all__ = [
    "ARXIV_ABS", "DOI_RESOLVER", "EDITORIAL", "KINDS", "LEVELS", "NOT_READINGS", "QUESTION_STATUSES",
    "SOURCE_KINDS", "STATUSES", "Catalogue", "Node", "NodeKind", "Provenance", "Question", "Reading", "Reference",
    "Resource", "Result", "Source",
]

NodeKind = Literal["topic", "maths"]

KINDS = ("book", "course", "paper", "survey", "lecture-notes", "blog", "video", "website", "venue")
#: Kinds that are not readings (a conference is where to follow a field, not something to read):
#: they carry no level, no "I have read this" mark and no readiness, and are listed apart.
NOT_READINGS = frozenset({"venue"})
LEVELS = ("introductory", "intermediate", "advanced")
#: Where an arXiv id and a DOI are read (every page, the exports and the bibliography's script).
ARXIV_ABS = "https://arxiv.org/abs/"
DOI_RESOLVER = "https://doi.org/"
SOURCE_KINDS = ("thread", "survey", "editorial")
#: How firmly a result is established, with the label pages show.
STATUSES = {
    "theorem": "Theorem",
    "conjecture": "Conjecture",
    "heuristic": "Heuristic or physics derivation",
    "empirical": "Empirical law",
}
#: How far a central question is answered, with the label pages show.
QUESTION_STATUSES = {
    "open": "Open",
    "partly answered": "Partly answered",
    "settled": "Settled",
}
EDITORIAL = "editorial"


@dataclass(frozen=True)
class Node:
    """A research topic or a maths area: a vertex of the prerequisite graph."""

    id: str
    kind: NodeKind
    name: str
    description: str
    requires: tuple[str, ...]
    line: int
    #: Other names people search for it by (acronyms, spellings).
    aliases: tuple[str, ...] = ()
    #: The recognised ways in, in order: resources about this node to read first.
    start_here: tuple[str, ...] = ()
    #: A maths area's family (a heading such as "Probability and statistics"); empty if none.
    family: str = ""
    #: A research topic's introductory way in, for a reader who lacks the prerequisites of its
    #: start (a resource id); empty if none is named.
    gentle_start: str = ""
    #: A maths area's short name, for narrow places (the home matrix's columns); empty if none.
    short: str = ""
    #: A maths area's "can do" list: concrete things a reader who knows it can do.
    can_do: tuple[str, ...] = ()


@dataclass(frozen=True)
class Source:
    """Where resources were recommended: a thread, the structuring survey, or the editors."""

    id: str
    kind: str
    name: str
    description: str
    url: str | None
    date: str | None


@dataclass(frozen=True)
class Provenance:
    source: str
    by: str | None
    note: str | None


@dataclass(frozen=True)
class Reference:
    """Bibliographic facts of one resource, read from ``refs.bib`` (the only place they live)."""

    key: str
    entry_type: str
    fields: tuple[tuple[str, str], ...]
    persons: tuple[tuple[str, tuple[str, ...]], ...]
    #: Where its entry starts in refs.bib: like ``Resource.line``, where it was read, not what it
    #: is (its problems point there; no output shows it).
    line: int = field(compare=False)

    def get(self, name: str) -> str | None:
        for key, value in self.fields:
            if key == name:
                return value
        return None

    def people(self, role: str) -> tuple[str, ...]:
        for key, names in self.persons:
            if key == role:
                return names
        return ()


@dataclass(frozen=True)
class Resource:
    """One book, course, paper, ... : the curation from YAML joined with its reference."""

    id: str
    kind: str
    topics: tuple[str, ...]
    prerequisites: tuple[str, ...]
    #: introductory, intermediate or advanced; empty for a kind that is not a reading (a venue).
    level: str
    recommended_in: tuple[Provenance, ...]
    why: str
    #: Where its entry starts in resources.yaml: where it was read, not what it is (like the
    #: positions of Located values), so two resources that differ only there are equal; an edit
    #: that moves the entries below it changes nothing else of theirs.
    line: int = field(compare=False)
    ref: Reference
    # Display fields derived once from the reference (see readingmap.catalogue.latex).
    title: str = ""
    authors: tuple[str, ...] = ()
    year: str = ""
    venue: str = ""
    url: str | None = None
    doi: str | None = None
    arxiv: str | None = None
    isbn: str | None = None
    #: Other names people search for it by: the name of its main result, acronyms.
    aliases: tuple[str, ...] = ()
    #: When it was added to the map (YYYY-MM-DD): "What's new" and the feed list by it.
    added: str = ""
    #: When the editors last checked the entry against its sources (YYYY-MM-DD).
    checked: str = ""

    @property
    def reading(self) -> bool:
        """Something to read (not a venue): it has a level, a read mark and a readiness."""
        return self.kind not in NOT_READINGS

    @property
    def editorial(self) -> bool:
        return all(p.source == EDITORIAL for p in self.recommended_in)

    @property
    def doi_url(self) -> str | None:
        return DOI_RESOLVER + self.doi if self.doi else None

    @property
    def arxiv_url(self) -> str | None:
        return ARXIV_ABS + self.arxiv if self.arxiv else None

    @property
    def best_url(self) -> str | None:
        """The link to offer first: the free version (``url``), else arXiv, else the DOI."""
        return self.url or self.arxiv_url or self.doi_url


@dataclass(frozen=True)
class Reading:
    """Where to read a result: a resource, with a locator (theorem, section, chapter) if known."""

    resource: str
    where: str | None = None


@dataclass(frozen=True)
class Result:
    """A landmark result: what is known, who proved it, and where to read it."""

    id: str
    name: str
    who: str
    year: str
    status: str
    statement: str
    topics: tuple[str, ...]
    maths: tuple[str, ...]
    builds_on: tuple[str, ...]
    read: tuple[Reading, ...]
    line: int
    aliases: tuple[str, ...] = ()
    #: one or two plain sentences giving the idea, shown before the precise statement (required in
    #: results.yaml; None only for a Result built in code without one)
    gloss: str | None = None
    #: How it differs from another result of the same work and year (see checks.same_work).
    differs: str = ""
    #: When it was added to the map (YYYY-MM-DD).
    added: str = ""
    #: When the editors last checked the statement against its sources (YYYY-MM-DD).
    checked: str = ""


@dataclass(frozen=True)
class Question:
    """A central question of a research topic, and the results that answer it in part."""

    id: str
    topic: str
    question: str
    known: str
    results: tuple[str, ...]
    line: int
    #: How far it is answered: a key of :data:`QUESTION_STATUSES`, and the day that last changed.
    status: str = "open"
    status_changed: str = ""
    #: When the editors last checked what it says is known (YYYY-MM-DD).
    checked: str = ""


@dataclass(frozen=True)
class Catalogue:
    topics: tuple[Node, ...]
    maths: tuple[Node, ...]
    sources: tuple[Source, ...]
    resources: tuple[Resource, ...]
    data_dir: str = "data"
    results: tuple[Result, ...] = ()
    questions: tuple[Question, ...] = ()

    @cached_property
    def nodes(self) -> dict[str, Node]:
        return {n.id: n for n in (*self.maths, *self.topics)}

    @cached_property
    def resource_by_id(self) -> dict[str, Resource]:
        return {r.id: r for r in self.resources}

    @cached_property
    def source_by_id(self) -> dict[str, Source]:
        return {s.id: s for s in self.sources}

    @cached_property
    def resources_by_topic(self) -> dict[str, tuple[Resource, ...]]:
        return _group(self.resources, lambda r: r.topics, self.topics)

    @cached_property
    def result_by_id(self) -> dict[str, Result]:
        return {r.id: r for r in self.results}

    @cached_property
    def results_by_topic(self) -> dict[str, tuple[Result, ...]]:
        return _group(self.results, lambda r: r.topics, self.topics)

    @cached_property
    def results_by_maths(self) -> dict[str, tuple[Result, ...]]:
        """For each maths area, the results whose proofs use it."""
        return _group(self.results, lambda r: r.maths, self.maths)

    @cached_property
    def results_by_resource(self) -> dict[str, tuple[Result, ...]]:
        """For each resource, the results it proves or explains."""
        out: dict[str, list[Result]] = {r.id: [] for r in self.resources}
        for result in self.results:
            for reading in result.read:
                out[reading.resource].append(result)
        return {k: tuple(v) for k, v in out.items()}

    @cached_property
    def questions_by_topic(self) -> dict[str, tuple[Question, ...]]:
        return _group(self.questions, lambda q: (q.topic,), self.topics)

    @cached_property
    def resources_by_prerequisite(self) -> dict[str, tuple[Resource, ...]]:
        """Resources grouped by each maths area or topic they list as a prerequisite."""
        return _group(self.resources, lambda r: r.prerequisites, (*self.maths, *self.topics))

    @cached_property
    def teachers(self) -> dict[str, tuple[Resource, ...]]:
        """For each maths area, the resources that teach it (those tagged with it as a topic).

        Any resource whose ``topics`` list the area's id teaches it, whatever its kind or source:
        a maths area id is allowed in ``topics`` precisely for this.
        """
        return _group(self.resources, lambda r: r.topics, self.maths)


T = TypeVar("T")


def _group(items: Iterable[T], key: Callable[[T], tuple[str, ...]], nodes: Iterable[Node]) -> dict[str, tuple[T, ...]]:
    groups: dict[str, list[T]] = {n.id: [] for n in nodes}
    for item in items:
        for node_id in key(item):
            if node_id in groups:
                groups[node_id].append(item)
    return {k: tuple(v) for k, v in groups.items()}
