"""A strict YAML reader that keeps positions and refuses YAML's surprises.

PyYAML keeps the last of duplicate keys silently, expands aliases without limit and turns
``no``, ``1984`` and ``2020-01-01`` into a bool, an int and a date. This reader builds its own
tree from PyYAML's event stream, so that every value keeps its line and column, anchors and
aliases are refused before anything is expanded, duplicate keys are reported, and every scalar
stays the text the contributor wrote together with the type YAML *would* have given it; the
schema then decides whether that is a surprise worth reporting.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml
import yaml.resolver

from . import text as textchecks
from .problems import Problem, describe

try:  # libyaml is an order of magnitude faster; the pure-Python parser gives the same events.
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

_RESOLVER = yaml.resolver.Resolver()
STR_TAG = "tag:yaml.org,2002:str"
_TYPE_NAMES = {
    "tag:yaml.org,2002:bool": "a boolean",
    "tag:yaml.org,2002:int": "an integer",
    "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:null": "null (no value)",
    "tag:yaml.org,2002:timestamp": "a date",
}


@dataclass(frozen=True)
class Scalar:
    value: str
    tag: str
    line: int
    col: int

    @property
    def is_text(self) -> bool:
        return self.tag == STR_TAG

    @property
    def yaml_type(self) -> str:
        return _TYPE_NAMES.get(self.tag, "a string")


@dataclass(frozen=True)
class Seq:
    items: tuple[Node, ...]
    line: int
    col: int


@dataclass(frozen=True)
class Map:
    items: tuple[tuple[Scalar, Node], ...]
    line: int
    col: int

    def get(self, key: str) -> Node | None:
        for k, v in self.items:
            if k.value == key:
                return v
        return None

    def keys(self) -> list[Scalar]:
        return [k for k, _ in self.items]


Node = Scalar | Seq | Map


@dataclass
class _Open:
    kind: type
    line: int
    col: int
    items: list[object] = field(default_factory=list)
    pending_key: Scalar | None = None
    seen: dict[str, Scalar] = field(default_factory=dict)


def kind_name(node: Node) -> str:
    if isinstance(node, Map):
        return "a mapping"
    if isinstance(node, Seq):
        return "a list"
    return node.yaml_type if node.value != "" or node.is_text else "nothing"


def load(path: str, data: bytes) -> tuple[Node | None, list[Problem]]:
    """Parse one YAML file into a positioned tree, or explain every reason it cannot be used."""
    text, problems = textchecks.decode(path, data)
    if text is None:
        return None, problems
    problems = textchecks.forbidden_characters(path, text)
    for line, col in textchecks.lines_with_tabs(text):
        problems.append(Problem(path, line, col, "tab character: indent YAML with spaces"))
    if problems:
        return None, problems
    return _build(path, text)


def _build(path: str, text: str) -> tuple[Node | None, list[Problem]]:
    problems: list[Problem] = []
    stack: list[_Open] = []
    root: Node | None = None
    documents = 0

    def attach(node: Node) -> None:
        nonlocal root
        if not stack:
            root = node
            return
        parent = stack[-1]
        if parent.kind is Seq:
            parent.items.append(node)
        elif parent.pending_key is None:
            if not isinstance(node, Scalar) or node.tag not in (STR_TAG, *_TYPE_NAMES):
                problems.append(Problem(path, node.line, node.col, "a mapping key must be text"))
                parent.pending_key = Scalar("", STR_TAG, node.line, node.col)
                return
            first = parent.seen.get(node.value)
            if first is not None:
                problems.append(
                    Problem(
                        path,
                        node.line,
                        node.col,
                        f"duplicate key {describe(node.value)} (first given on line {first.line});"
                        " YAML would silently keep only the last one",
                    )
                )
            else:
                parent.seen[node.value] = node
            parent.pending_key = node
        else:
            parent.items.append((parent.pending_key, node))
            parent.pending_key = None

    try:
        for event in yaml.parse(text, Loader=_Loader):
            mark = event.start_mark
            line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    problems.append(
                        Problem(path, line, col, "a second YAML document starts here; a data file"
                                " holds exactly one document (remove the `---`)")
                    )
                    break
            elif isinstance(event, yaml.AliasEvent):
                problems.append(
                    Problem(path, line, col, f"alias *{event.anchor} is not allowed: write the"
                            " value out in full")
                )
                attach(Scalar("", STR_TAG, line, col))
            elif isinstance(event, yaml.NodeEvent):
                if event.anchor is not None:
                    problems.append(
                        Problem(path, line, col, f"anchor &{event.anchor} is not allowed: write"
                                " each value out in full")
                    )
                tag = getattr(event, "tag", None)
                if tag is not None and tag != "!":
                    problems.append(
                        Problem(path, line, col, f"explicit tag {tag} is not allowed")
                    )
                if isinstance(event, yaml.ScalarEvent):
                    # A double-quoted scalar can spell a forbidden character as an escape
                    # ("\u202e", "\0"), which the check of the raw text cannot see.
                    bad = textchecks.first_forbidden(event.value)
                    if bad is not None:
                        problems.append(Problem(path, line, col, f"this value contains {bad}, written"
                                                " as an escape sequence; it is not allowed in"
                                                " catalogue data: delete it"))
                    resolved: str = _RESOLVER.resolve(  # type: ignore[no-untyped-call]
                        yaml.ScalarNode, event.value, event.implicit)
                    attach(Scalar(event.value, resolved, line, col))
                elif isinstance(event, yaml.SequenceStartEvent):
                    stack.append(_Open(Seq, line, col))
                elif isinstance(event, yaml.MappingStartEvent):
                    stack.append(_Open(Map, line, col))
            elif isinstance(event, yaml.SequenceEndEvent | yaml.MappingEndEvent):
                done = stack.pop()
                items = tuple(done.items)
                # _Open.items holds nodes for a list and (key, node) pairs for a mapping
                attach(Seq(items, done.line, done.col) if done.kind is Seq  # type: ignore[arg-type]
                       else Map(items, done.line, done.col))  # type: ignore[arg-type]
    except yaml.MarkedYAMLError as exc:
        problems.append(_syntax_problem(path, exc))
        return None, problems
    if problems:
        return None, problems
    return root, []


def _syntax_problem(path: str, exc: yaml.MarkedYAMLError) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    message = f"YAML syntax error: {exc.problem or 'cannot parse'}"
    if exc.context:
        message += f" ({exc.context})"
    return Problem(path, line, col, message)
