"""Declarative shapes of the YAML data files, and the reader that checks a tree against them.

Each record type is a tuple of :class:`Field` declarations; :class:`RecordReader` walks a
positioned YAML tree (see :mod:`readingmap.catalogue.yamlstrict`) and either returns plain values or records
a :class:`~readingmap.problems.Problem` that says what was expected and what was found.
"""

from __future__ import annotations

import datetime
import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..keys import NO_CACHES, Caches
from ..problems import Located, Problem, describe
from . import urls
from .model import KINDS, LEVELS, QUESTION_STATUSES, SOURCE_KINDS, STATUSES
from .yamlstrict import Map, Node, Scalar, Seq, kind_name

__all__ = [
    "MATHS_FIELDS", "QUESTION_FIELDS", "RESOURCE_FIELDS", "RESULT_FIELDS", "SLUG", "SOURCE_FIELDS", "TODO",
    "TOPIC_FIELDS", "Check", "Field", "RecordReader", "did_you_mean",
]

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
YEAR = re.compile(r"\d{4}\Z")
MAX_ID = 80
MAX_NAME = 300
MAX_TEXT = 2000
MAX_ALIAS = 100
#: A result's gloss is one or two plain sentences, shown before its precise statement.
MAX_GLOSS = 400
#: A maths area's family is a short heading (the home page's picture groups areas under it).
MAX_FAMILY = 60
#: A maths area's short name heads a narrow column of the home page's matrix, turned on its side.
MAX_SHORT = 20
#: What a reader who knows a maths area can do: a few concrete, checkable skills, each one line.
CAN_DO_MIN, CAN_DO_MAX, MAX_CAN_DO = 3, 5, 200
TODO = "TODO"

Check = Callable[["RecordReader", Node, str], Any]


@dataclass(frozen=True)
class Field:
    name: str
    check: Check
    required: bool = True
    default: Any = None


class RecordReader:
    """Collects problems for one file while converting its nodes to plain values."""

    def __init__(self, path: str, caches: Caches = NO_CACHES) -> None:
        self.path = path
        #: the build caches: under ``mkdocs serve``, a record whose node (positions included) was
        #: read before is that record again, with its problems
        self.caches = caches
        self.problems: list[Problem] = []
        self.ids: set[str] = set()  # every record id seen, valid record or not
        self.section_ids: dict[str, frozenset[str]] = {}  # the same, per section (see sections())

    def report(self, node: Node | Scalar, message: str) -> None:
        self.problems.append(Problem(self.path, node.line, node.col, message))

    # -- scalars -------------------------------------------------------------------------
    def text(self, node: Node, what: str, limit: int = MAX_TEXT, *, allow: tuple[str, ...] = ()) -> Located | None:
        if not isinstance(node, Scalar):
            self.report(node, f"{what} must be text, found {kind_name(node)}")
            return None
        if not node.is_text and node.tag not in allow:
            if node.value == "":
                self.report(node, f"{what} is empty: give a value")
            else:
                self.report(
                    node,
                    f"{what}: {node.value!r} is read by YAML as {node.yaml_type}, not text;"
                    f" write it in quotes ('{node.value}') if you mean the text",
                )
            return None
        value = node.value.strip()
        if not value:
            self.report(node, f"{what} is empty: give a value")
            return None
        if value.startswith(TODO):  # a placeholder left by `readingmap new`
            self.report(node, f"still to fill: {what} (now {describe(value)})")
            return None
        if len(value) > limit:
            self.report(node, f"{what} is {len(value)} characters long; at most {limit} are allowed")
            return None
        return Located(value, node.line, node.col)

    def slug(self, node: Node, what: str) -> Located | None:
        value = self.text(node, what, MAX_ID)
        if value is not None and not SLUG.match(value):
            self.report(
                node,
                f"{what if describe(value) in what else f'{what} {describe(value)}'} is not a slug:"
                " use lower-case letters, digits and single"
                " hyphens (e.g. 'berner2021modern' or 'infinite-width')",
            )
            return None
        return value

    def choice(self, node: Node, what: str, options: tuple[str, ...]) -> Located | None:
        value = self.text(node, what, MAX_ID)
        if value is not None and value not in options:
            hint = did_you_mean(value, options)
            self.report(node, f"{what} {describe(value)} is not one of: {', '.join(options)}{hint}")
            return None
        return value

    def slug_list(self, node: Node, what: str, *, at_least: int = 0) -> tuple[Located, ...] | None:
        if not isinstance(node, Seq):
            self.report(node, f"{what} must be a list of ids (e.g. [a, b]), found {kind_name(node)}")
            return None
        values = []
        seen: set[str] = set()
        for item in node.items:
            value = self.slug(item, f"an entry of {what}")
            if value is None:
                continue
            if value in seen:
                self.report(item, f"{what} lists {describe(value)} twice")
                continue
            seen.add(value)
            values.append(value)
        if len(node.items) < at_least:
            self.report(node, f"{what} must list at least {at_least} id{'s' if at_least > 1 else ''}")
            return None
        return tuple(values)

    def text_list(self, node: Node, what: str, limit: int) -> tuple[Located, ...] | None:
        """A list of short texts, none repeated (ignoring case)."""
        if not isinstance(node, Seq):
            self.report(node, f"{what} must be a list of names (e.g. [NTK, neural tangent kernel]),"
                        f" found {kind_name(node)}")
            return None
        values = []
        seen: set[str] = set()
        for item in node.items:
            value = self.text(item, f"an entry of {what}", limit)
            if value is None:
                continue
            if value.casefold() in seen:
                self.report(item, f"{what} lists {describe(value)} twice")
                continue
            seen.add(value.casefold())
            values.append(value)
        return tuple(values)

    # -- records -------------------------------------------------------------------------
    def record(self, node: Node, what: str, fields: tuple[Field, ...]) -> dict[str, Any] | None:
        if not isinstance(node, Map):
            self.report(node, f"{what} must be a mapping of keys to values, found {kind_name(node)}")
            return None
        known = {f.name: f for f in fields}
        out: dict[str, Any] = {}
        ok = True
        for key, _ in node.items:
            if key.value not in known:
                hint = did_you_mean(key.value, tuple(known))
                self.report(key, f"unknown key {describe(key.value)} in {what}{hint};"
                            f" expected keys: {', '.join(known)}")
                ok = False
        for spec in fields:
            value_node = node.get(spec.name)
            if value_node is None:
                if spec.required:
                    self.report(node, f"{what} is missing the required key '{spec.name}'")
                    ok = False
                out[spec.name] = spec.default
                continue
            value = spec.check(self, value_node, f"'{spec.name}' of {what}")
            if value is None:
                ok = False
            out[spec.name] = value
        return out if ok else None

    def sections(self, root: Node | None, sections: dict[str, tuple[str, tuple[Field, ...]]]
                 ) -> dict[str, list[tuple[Map, dict[str, Any]]]]:
        """Read a file whose top level maps section names to lists of records (``results.yaml``)."""
        out: dict[str, list[tuple[Map, dict[str, Any]]]] = {name: [] for name in sections}
        expected = ", ".join(f"'{name}'" for name in sections)
        if root is None:
            self.problems.append(Problem(self.path, 1, 1, f"the file is empty: expected the keys {expected}"))
            return out
        if not isinstance(root, Map):
            self.report(root, f"the top level must be a mapping with the keys {expected}, found {kind_name(root)}")
            return out
        for key, value in root.items:
            if key.value not in sections:
                hint = did_you_mean(key.value, tuple(sections))
                self.report(key, f"unknown key {describe(key.value)}{hint}; expected keys: {expected}")
                continue
            noun, fields = sections[key.value]
            if isinstance(value, Scalar) and value.value == "" and not value.is_text:
                continue  # `questions:` with nothing yet
            outer, self.ids = self.ids, set()
            out[key.value] = self.records(value, noun, fields)
            self.section_ids[key.value] = frozenset(self.ids)
            self.ids = outer | self.ids
        return out

    def records(self, root: Node | None, noun: str, fields: tuple[Field, ...]) -> list[tuple[Map, dict[str, Any]]]:
        """Read a file whose top level is a list of records, each identified by its ``id``."""
        if root is None:
            self.problems.append(Problem(self.path, 1, 1, f"the file is empty: expected a list of {noun}s"))
            return []
        if not isinstance(root, Seq):
            self.report(root, f"the top level must be a list of {noun}s (each item starting"
                        f" with '- id:'), found {kind_name(root)}")
            return []
        out = []
        for item in root.items:
            what = f"this {noun}"
            if isinstance(item, Map) and isinstance(ident := item.get("id"), Scalar):
                what = f"{noun} {describe(ident.value)}"
                self.ids.add(ident.value)
            record = self._record(item, what, fields)
            if record is not None and isinstance(item, Map):
                out.append((item, record))
        return out

    def _record(self, item: Node, what: str, fields: tuple[Field, ...]) -> dict[str, Any] | None:
        """:meth:`record`, memoised on the node in a serve session (callers never change it)."""
        if not self.caches.serving:
            return self.record(item, what, fields)

        def read() -> tuple[dict[str, Any] | None, tuple[Problem, ...]]:
            reader = RecordReader(self.path)
            return reader.record(item, what, fields), tuple(reader.problems)

        found: tuple[dict[str, Any] | None, tuple[Problem, ...]] = self.caches.memo(
            "record", (self.path, item, what, fields), read)
        self.problems.extend(found[1])
        return found[0]


def did_you_mean(value: str, options: tuple[str, ...]) -> str:
    """`` (did you mean 'x'?)`` for the closest option, or nothing."""
    close = difflib.get_close_matches(value, options, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


# -- field checks --------------------------------------------------------------------------
def _slug(r: RecordReader, n: Node, what: str) -> Located | None:
    return r.slug(n, what)


def _name(r: RecordReader, n: Node, what: str) -> Located | None:
    return r.text(n, what, MAX_NAME)


def _text(r: RecordReader, n: Node, what: str) -> Located | None:
    return r.text(n, what, MAX_TEXT)


def _slugs(r: RecordReader, n: Node, what: str) -> tuple[Located, ...] | None:
    return r.slug_list(n, what)


def _slugs_nonempty(r: RecordReader, n: Node, what: str) -> tuple[Located, ...] | None:
    return r.slug_list(n, what, at_least=1)


def _family(r: RecordReader, n: Node, what: str) -> Located | None:
    return r.text(n, what, MAX_FAMILY)


def _short(r: RecordReader, n: Node, what: str) -> Located | None:
    return r.text(n, what, MAX_SHORT)


def _can_do(r: RecordReader, n: Node, what: str) -> tuple[Located, ...] | None:
    if not isinstance(n, Seq):
        r.report(n, f"{what} must be a list of {CAN_DO_MIN} to {CAN_DO_MAX} things a reader who knows the area"
                 f" can do (e.g. [compute the eigen-decomposition of a symmetric matrix]), found {kind_name(n)}")
        return None
    values = r.text_list(n, what, MAX_CAN_DO)
    if values is None:
        return None
    if not CAN_DO_MIN <= len(n.items) <= CAN_DO_MAX:
        r.report(n, f"{what} lists {len(n.items)} thing{'s' if len(n.items) != 1 else ''}; give {CAN_DO_MIN}"
                 f" to {CAN_DO_MAX} concrete things a reader who knows the area can do")
        return None
    return values


def _aliases(r: RecordReader, n: Node, what: str) -> tuple[Located, ...] | None:
    return r.text_list(n, what, MAX_ALIAS)


def _url(r: RecordReader, n: Node, what: str) -> Located | None:
    value = r.text(n, what, urls.MAX_URL)
    if value is None:
        return None
    error = urls.check(value)
    if error:
        r.report(n, f"{what}: {error}")
        return None
    return value


def _date(r: RecordReader, n: Node, what: str) -> Located | None:
    value = r.text(n, what, 10, allow=("tag:yaml.org,2002:timestamp",))
    if value is not None and not DATE.match(value):
        r.report(n, f"{what} {describe(value)} is not a date of the form YYYY-MM-DD")
        return None
    return value


def _day(r: RecordReader, n: Node, what: str) -> Located | None:
    """A date of the calendar (``checked``, ``status_changed``): YYYY-MM-DD, and a day that exists."""
    value = _date(r, n, what)
    if value is None:
        return None
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        r.report(n, f"{what} {describe(value)} is not a day of the calendar")
        return None
    return value


def _choice(options: tuple[str, ...]) -> Check:
    return lambda r, n, what: r.choice(n, what, options)


PROVENANCE_FIELDS = (
    Field("source", _slug),
    Field("by", _name, required=False),
    Field("note", _text, required=False),
)


def _provenance(r: RecordReader, n: Node, what: str) -> tuple[dict[str, Any], ...] | None:
    if not isinstance(n, Seq) or not n.items:
        r.report(n, f"{what} must be a non-empty list of records like '- source: <source id>'")
        return None
    items = [(item, r.record(item, f"an entry of {what}", PROVENANCE_FIELDS)) for item in n.items]
    if any(rec is None for _, rec in items):
        return None
    return tuple(rec for _, rec in items if rec is not None)


def _year(r: RecordReader, n: Node, what: str) -> Located | None:
    value = r.text(n, what, 4)
    if value is not None and not YEAR.match(value):
        r.report(n, f"{what} {describe(value)} is not a four-digit year")
        return None
    return value


def _status(r: RecordReader, n: Node, what: str) -> Located | None:
    return r.choice(n, what, tuple(STATUSES))


#: A locator that names nothing but the abstract ("Abstract", "(abstract, arXiv v2)").
ABSTRACT_ONLY = re.compile(r"[\W_]*abstract(?:[\W_]*\([^()]*\))?[\W_]*\Z", re.IGNORECASE)


def _where(r: RecordReader, n: Node, what: str) -> Located | None:
    value = r.text(n, what, MAX_NAME)
    if value is not None and ABSTRACT_ONLY.match(value):
        r.report(n, f"{what} is {describe(value)}, which names only the abstract: give the theorem,"
                    " proposition, lemma, section or chapter that states the result")
        return None
    return value


def _gloss(r: RecordReader, n: Node, what: str) -> Located | None:
    return r.text(n, what, MAX_GLOSS)


READING_FIELDS = (
    Field("resource", _slug),
    Field("where", _where, required=False),
)


def _readings(r: RecordReader, n: Node, what: str) -> tuple[dict[str, Any], ...] | None:
    if not isinstance(n, Seq) or not n.items:
        r.report(n, f"{what} must be a non-empty list of records like '- resource: <resource id>'")
        return None
    items = [r.record(item, f"an entry of {what}", READING_FIELDS) for item in n.items]
    if any(rec is None for rec in items):
        return None
    return tuple(rec for rec in items if rec is not None)


RESULT_FIELDS = (
    Field("id", _slug),
    Field("name", _name),
    Field("aliases", _aliases, required=False, default=()),
    Field("who", _name),
    Field("year", _year),
    Field("status", _status),
    Field("topics", _slugs_nonempty),
    Field("maths", _slugs_nonempty),
    Field("builds_on", _slugs, required=False, default=()),
    Field("gloss", _gloss),
    Field("statement", _text),
    Field("read", _readings),
    Field("added", _date),
    # How it differs from another result of the same work and year (checks.same_work).
    Field("differs", _text, required=False, default=None),
    Field("checked", _day),
)

QUESTION_FIELDS = (
    Field("id", _slug),
    Field("topic", _slug),
    Field("question", _name),
    Field("known", _text),
    Field("results", _slugs_nonempty),
    Field("status", _choice(tuple(QUESTION_STATUSES))),
    Field("status_changed", _day),
    Field("checked", _day),
)

NODE_FIELDS = (
    Field("id", _slug),
    Field("name", _name),
    Field("aliases", _aliases, required=False, default=()),
    Field("description", _text),
    Field("requires", _slugs, required=False, default=()),
    Field("start_here", _slugs, required=False, default=()),
)

#: A research topic is a node with an optional gentle start: an introductory resource on the topic
#: for a reader who lacks the prerequisites of its start (checked in checks.gentle_start).
TOPIC_FIELDS = (*NODE_FIELDS, Field("gentle_start", _slug, required=False, default=None))

#: A maths area is a node with a family: the group the home page draws it in (optional; an area
#: without one is drawn under "Other mathematics"), a short name for the home matrix's column
#: headings (optional; the name if none), and what knowing it means (``can_do``, required: a
#: reader decides honestly whether to tick "I know this" by it).
MATHS_FIELDS = (*NODE_FIELDS[:2], Field("short", _short, required=False, default=None),
                Field("family", _family, required=False, default=None), *NODE_FIELDS[2:],
                Field("can_do", _can_do))

SOURCE_FIELDS = (
    Field("id", _slug),
    Field("kind", _choice(SOURCE_KINDS)),
    Field("name", _name),
    Field("description", _text),
    Field("url", _url, required=False),
    Field("date", _date, required=False),
)

RESOURCE_FIELDS = (
    Field("id", _slug),
    Field("kind", _choice(KINDS)),
    Field("topics", _slugs_nonempty),
    Field("prerequisites", _slugs, required=False, default=()),
    # Required of readings and refused on other kinds (venues): see checks.resource_level.
    Field("level", _choice(LEVELS), required=False, default=None),
    Field("recommended_in", _provenance),
    Field("why", _text),
    Field("aliases", _aliases, required=False, default=()),
    Field("added", _date),
    Field("checked", _day),
)
