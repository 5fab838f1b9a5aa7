"""A strict YAML reader that keeps positions and refuses YAML's surprises.

PyYAML keeps the last of duplicate keys silently, expands aliases without limit and turns
``no``, ``1984`` and ``2020-01-01`` into a bool, an int and a date. This reader builds its own
tree from PyYAML's event stream, so that every value keeps its line and column, anchors and
aliases are refused before anything is expanded, duplicate keys are reported, and every scalar
stays the text the contributor wrote together with the type YAML *would* have given it; the
schema then decides whether that is a surprise worth reporting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml
import yaml.resolver

from ..problems import Problem, describe
from . import textchecks as textchecks

__all__ = ["DEFAULT", "PARSERS", "REFERENCE", "Items", "Map", "Node", "Scalar", "Seq", "kind_name", "load"]

#: The parsers this reader can use, by name. The pure-Python parser is the reference: libyaml
#: (an order of magnitude faster, where PyYAML was built with it) gives the same events for a
#: document it accepts, but it refuses some that the pure-Python parser accepts (since PyYAML
#: 6.0.4 its build stops flow collections nested about 1,000 deep) and words its syntax errors
#: its own way. So a document libyaml refuses is parsed again with the reference parser, and the
#: verdict is the same whichever parser is installed.
PARSERS: dict[str, type] = {"python": yaml.SafeLoader}
if hasattr(yaml, "CSafeLoader"):  # pragma: no branch - depends on how PyYAML was built
    PARSERS["libyaml"] = yaml.CSafeLoader
REFERENCE = "python"
DEFAULT = "libyaml" if "libyaml" in PARSERS else REFERENCE

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


class _Branch:
    """A list or mapping node's hash, computed once: memos of a session's builds are keyed on the
    nodes of unchanged list items (the same objects from build to build), and hashing every
    item's whole tree again was a second of a rebuild at 10,000 resources."""

    items: tuple[object, ...]
    line: int
    col: int

    def __hash__(self) -> int:
        found: int | None = self.__dict__.get("_hash")
        if found is None:
            found = hash((self.items, self.line, self.col))
            object.__setattr__(self, "_hash", found)
        return found

    def __getstate__(self) -> dict[str, object]:
        # A hash is of this process (string hashes differ from one process to the next).
        return {k: v for k, v in self.__dict__.items() if k != "_hash"}


@dataclass(frozen=True)
class Seq(_Branch):
    items: tuple[Node, ...]
    line: int
    col: int

    __hash__ = _Branch.__hash__


@dataclass(frozen=True)
class Map(_Branch):
    items: tuple[tuple[Scalar, Node], ...]
    line: int
    col: int

    __hash__ = _Branch.__hash__

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


class Items:
    """The items of a file's top-level list as parsed by an earlier :func:`load`, by their text:
    a later load of the same file (``mkdocs serve`` after an edit) parses only the items whose
    text changed. A file whose whole text is that of the last load gives the last load's tree,
    whatever its top level (``results.yaml`` is a mapping): the same nodes, whose hashes the
    memos keyed on them have computed already.

    The file is cut into items at the lines that start with ``- `` (or are ``-``). That cut is the
    parser's own only when every other line of the file is indented, blank or a comment, and each
    item alone parses as a list of one item with no problem: otherwise the whole file is parsed,
    so a file with a problem is always reported as the whole parse reports it. Lines are those of
    the whole file (an item that moved is given its new lines); columns do not change. A test
    compares the trees of both ways over many edits.
    """

    def __init__(self) -> None:
        #: item text -> (its node, the line it started on)
        self.known: dict[str, tuple[Node, int]] = {}
        #: the text of the last load that had no problem, and its tree
        self.last: tuple[str, Node] | None = None


#: A line at the start of the file's text that is neither indented, blank, a comment nor the start
#: of a top-level list item.
_UNCUT = re.compile(r"^(?![ \n#]|- |-\n|-$|\Z)", re.M)
_ITEM = re.compile(r"^-(?: |\n|$)", re.M)


def load(path: str, data: bytes, *, parser: str | None = None,
         items: Items | None = None) -> tuple[Node | None, list[Problem]]:
    """Parse one YAML file into a positioned tree, or explain every reason it cannot be used.

    ``parser`` names one of :data:`PARSERS` (by default :data:`DEFAULT`); the result does not
    depend on it. With ``items``, the items of a top-level list that an earlier load parsed are
    reused (:class:`Items`); the result does not depend on that either.
    """
    text, problems = textchecks.decode(path, data)
    if text is None:
        return None, problems
    problems = textchecks.forbidden_characters(path, text)
    for line, col in textchecks.lines_with_tabs(text):
        problems.append(Problem(path, line, col, "tab character: indent YAML with spaces"))
    if problems:
        return None, problems
    if items is not None:
        if items.last is not None and items.last[0] == text:
            return items.last[1], []
        root: Node | None = _by_items(path, text, PARSERS[parser or DEFAULT], items)
        if root is not None:
            items.last = (text, root)
            return root, []
    error: yaml.MarkedYAMLError | None = None
    for name in dict.fromkeys((parser or DEFAULT, REFERENCE)):  # the reference parser has the last word
        try:
            root, problems = _build(path, text, PARSERS[name])
        except yaml.MarkedYAMLError as exc:
            error = exc
        else:
            if items is not None:
                items.last = (text, root) if root is not None and not problems else None
            return root, problems
    assert error is not None
    return None, [_syntax_problem(path, error)]


def _by_items(path: str, text: str, loader: type, items: Items) -> Seq | None:
    """The tree of a file whose top level is a list, item by item (see :class:`Items`); None if
    the file cannot be cut that way or an item has a problem (the whole file is parsed then)."""
    starts = [m.start() for m in _ITEM.finditer(text)]
    if not starts or _UNCUT.search(text) or any(
            line.strip(" ") and not line.lstrip(" ").startswith("#") for line in text[:starts[0]].split("\n")):
        return None
    known, items.known = items.known, {}
    line = first = text.count("\n", 0, starts[0]) + 1
    if not known:  # the first load: one parse of the whole file is faster than one per item
        try:
            root, problems = _build(path, text, loader)
        except yaml.MarkedYAMLError:
            return None
        if problems or not isinstance(root, Seq) or len(root.items) != len(starts):
            return None
        for start, end, node in zip(starts, [*starts[1:], len(text)], root.items, strict=True):
            items.known[text[start:end]] = (node, line)
            line += text.count("\n", start, end)
        return root
    nodes: list[Node] = []
    for start, end in zip(starts, [*starts[1:], len(text)], strict=True):
        chunk = text[start:end]
        found = known.get(chunk)
        if found is None:
            try:
                root, problems = _build(path, chunk, loader)
            except yaml.MarkedYAMLError:
                return None
            if problems or not isinstance(root, Seq) or len(root.items) != 1:
                return None
            found = (root.items[0], 1)
        node, was = found
        if was != line:
            node = _moved(node, line - was)
        items.known[chunk] = (node, line)
        nodes.append(node)
        line += chunk.count("\n")
    return Seq(tuple(nodes), first, 1)


def _moved(node: Node, lines: int) -> Node:
    """``node`` with every line ``lines`` further down."""
    if isinstance(node, Scalar):
        return Scalar(node.value, node.tag, node.line + lines, node.col)
    if isinstance(node, Seq):
        return Seq(tuple(_moved(item, lines) for item in node.items), node.line + lines, node.col)
    return Map(tuple((_moved(k, lines), _moved(v, lines)) for k, v in node.items),  # type: ignore[misc]
               node.line + lines, node.col)


def _build(path: str, text: str, loader: type) -> tuple[Node | None, list[Problem]]:
    """The positioned tree of ``text``; raises :class:`yaml.MarkedYAMLError` on a syntax error."""
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

    for event in yaml.parse(text, Loader=loader):
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
