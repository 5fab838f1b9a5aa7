"""Reading ``refs.bib`` with pybtex's own scanner, keeping the line of every entry and field.

pybtex reports duplicate keys and repeated fields without a line number and stops at the first
error in strict mode. Here pybtex's :class:`LowLevelParser` still does all the BibTeX parsing
(braces, quotes, ``#`` concatenation, ``@string`` macros); the subclass only remembers where
each entry and each field starts and collects syntax errors instead of raising them, so that
every problem in the file is reported at once with its place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from pybtex.bibtex.utils import split_name_list
from pybtex.database import Person
from pybtex.database.input.bibtex import LowLevelParser, month_names
from pybtex.scanner import PybtexSyntaxError
from pybtex.textutils import normalize_whitespace
from pybtex.utils import CaseInsensitiveDict

from ..problems import Problem, describe
from . import latex, urls
from . import textchecks as textchecks
from .model import Reference
from .schema import SLUG

__all__ = ["STYLE_REQUIRES", "BibFile", "RawEntry", "read", "scan"]

ENTRY_TYPES = (
    "article", "book", "inbook", "incollection", "inproceedings", "misc", "phdthesis",
    "techreport", "unpublished",
)  # fmt: skip
PERSON_FIELDS = ("author", "editor")
FIELDS = (
    "address", "archiveprefix", "author", "booktitle", "chapter", "doi", "edition", "editor",
    "eprint", "howpublished", "institution", "isbn", "journal", "month", "note", "number",
    "organization", "pages", "primaryclass", "publisher", "school", "series", "title", "type",
    "url", "volume", "year",
)  # fmt: skip
MAX_FIELD = 2000

#: Fields the unsrt templates cannot do without, per entry type (checked when loading).
STYLE_REQUIRES: dict[str, tuple[str, ...]] = {
    "article": ("journal",),
    "book": ("publisher",),
    "inbook": ("publisher",),
    "incollection": ("booktitle", "publisher"),
    "inproceedings": ("booktitle",),
    "phdthesis": ("school",),
    "techreport": ("institution",),
    "unpublished": ("note",),
    "misc": (),
}


@dataclass
class RawEntry:
    entry_type: str
    key: str
    line: int
    col: int
    fields: list[tuple[str, str, int, int]] = field(default_factory=list)


class _PositionedParser(LowLevelParser):  # type: ignore[misc]
    """pybtex's scanner, remembering positions and collecting errors rather than raising."""

    def __init__(self, text: str, path: str) -> None:
        self.index = textchecks.LineIndex(text)
        self.errors: list[Problem] = []
        self.path = path
        self.entry_start = (1, 1)
        #: (name, value, line, col) of each field of the entry being parsed
        self.positioned_fields: list[tuple[str, str, int, int]] = []
        self.field_start = (0, 0)
        self.entry_broken = False
        self.keys: set[str] = set()
        super().__init__(
            text,
            macros=CaseInsensitiveDict(month_names),
            handle_error=self._collect,
            filename=path,
        )

    def _collect(self, error: PybtexSyntaxError) -> None:
        start = error.error_context_info[2] if error.error_context_info else self.pos
        message = str(error).split(": ", 1)[-1]
        undefined = getattr(error, "error_type", "") == "undefined string"
        if undefined and self.text.endswith(message, 0, self.pos):
            start = self.pos - len(message)  # point at the macro name, not just after it
        line, col = self.index.position(min(start, len(self.text)))
        if undefined:
            message = (f"undefined @string macro {message!r}: put the value in braces, e.g."
                       " {Springer}, or define it with @string first")
        self.errors.append(Problem(self.path, line, col, f"BibTeX syntax error: {message}"))

    def parse_command(self):  # type: ignore[no-untyped-def]
        self.entry_start = self.index.position(self.command_start)
        self.positioned_fields = []
        errors_before = len(self.errors)
        result = super().parse_command()
        self.entry_broken = len(self.errors) > errors_before
        return result

    def parse_entry_fields(self) -> None:
        # pybtex's loop, keeping each field's position with the field itself (pybtex keeps no
        # position, and a field it drops would shift positions kept in a list of their own).
        while True:
            self.current_field_name = None
            self.current_value = []
            self.field_start = (0, 0)
            self.parse_field()
            if self.current_field_name and self.current_value:
                self.current_fields.append((self.current_field_name, self.current_value))
                line, col = self.field_start
                self.positioned_fields.append(
                    (self.current_field_name.lower(), normalize_whitespace("".join(self.current_value)), line, col))
            if not self.optional([self.COMMA]):
                return

    def parse_field(self) -> None:
        name = self.optional([self.NAME])
        if not name:
            return
        self.field_start = self.index.position(self.pos - len(name.value))
        self.current_field_name = name.value
        self.required([self.EQUALS])
        self.parse_value()

    def entries(self) -> list[RawEntry]:
        """Every entry that parsed; ``self.keys`` gets the key of every entry, broken or not."""
        out = []
        for command, body in self.parse_bibliography():
            line, col = self.entry_start
            kind = command.lower()
            if kind == "string":
                continue
            if kind == "preamble":
                self.errors.append(Problem(self.path, line, col, "@preamble is not supported"))
                continue
            key, _ = body
            if key:
                self.keys.add(key)
            if self.entry_broken:  # already reported; checking its fields would only echo that
                continue
            out.append(RawEntry(kind, key or "", line, col, list(self.positioned_fields)))
        return out


class BibFile(NamedTuple):
    """What reading a BibTeX file gave."""

    references: list[Reference]  # the entries that passed every check
    problems: list[Problem]
    keys: set[str]  # the key of every entry, also of those with problems


def scan(path: str, text: str) -> tuple[list[RawEntry], set[str], list[Problem]]:
    """Every entry that parses, unchecked, with the key of every entry (broken or not) and the
    syntax errors: what a tool that must see each existing entry (``readingmap new``) needs."""
    parser = _PositionedParser(text, path)
    try:
        raw = parser.entries()
    except PybtexSyntaxError as exc:  # an error outside an entry body ends the scan
        parser._collect(exc)
        raw = []
    return raw, parser.keys, list(parser.errors)


def read(path: str, data: bytes) -> BibFile:
    """Parse and check a BibTeX file; return the usable references and every problem found."""
    text, problems = textchecks.decode(path, data)
    if text is None:
        return BibFile([], problems, set())
    problems = textchecks.forbidden_characters(path, text)
    if problems:
        return BibFile([], problems, set())
    raw, keys, problems = scan(path, text)
    references = []
    seen: dict[str, RawEntry] = {}
    for entry in raw:
        ref = _check_entry(path, entry, seen, problems)
        if ref is not None:
            references.append(ref)
    return BibFile(references, problems, keys)


def _check_entry(
    path: str, entry: RawEntry, seen: dict[str, RawEntry], problems: list[Problem]
) -> Reference | None:
    def report(line: int, col: int, message: str) -> None:
        problems.append(Problem(path, line, col, message))

    where = f"entry {describe(entry.key)}"
    ok = True
    first = seen.get(entry.key.lower())
    if first is not None:
        same = "the same key" if first.key == entry.key else f"key {describe(first.key)} (keys ignore case)"
        report(entry.line, entry.col, f"duplicate BibTeX key {describe(entry.key)}: {same} is"
               f" already used on line {first.line}")
        return None
    seen[entry.key.lower()] = entry
    if not SLUG.match(entry.key):
        report(entry.line, entry.col, f"BibTeX key {describe(entry.key)} is not a slug: use"
               " lower-case letters, digits and single hyphens; the key is also the resource id")
        ok = False
    if entry.entry_type not in ENTRY_TYPES:
        report(entry.line, entry.col, f"unsupported entry type @{entry.entry_type} in {where};"
               f" use one of: {', '.join('@' + t for t in ENTRY_TYPES)}")
        ok = False
    values: dict[str, str] = {}
    persons: dict[str, tuple[str, ...]] = {}
    for name, value, line, col in entry.fields:
        if name in values or name in persons:
            report(line, col, f"field '{name}' is given twice in {where}")
            ok = False
            continue
        if name not in FIELDS:
            hint = "" if name != "crossref" else " (crossref is not supported: copy the fields into the entry)"
            report(line, col, f"unknown field '{name}' in {where}{hint}; allowed: {', '.join(FIELDS)}")
            ok = False
            continue
        if not value.strip():
            report(line, col, f"field '{name}' of {where} is empty")
            ok = False
            continue
        if len(value) > MAX_FIELD:
            report(line, col, f"field '{name}' of {where} is {len(value)} characters long;"
                   f" at most {MAX_FIELD} are allowed")
            ok = False
            continue
        error = _check_value(name, value) or _check_latex(name, value)
        if error:
            report(line, col, f"field '{name}' of {where}: {error}")
            ok = False
            continue
        if name in PERSON_FIELDS:
            persons[name] = tuple(str(Person(n)) for n in _split_names(value))
        else:
            values[name] = value
    for required in ("title", "year"):
        if required not in values and not any(f[0] == required for f in entry.fields):
            report(entry.line, entry.col, f"{where} has no '{required}' field")
            ok = False
    if not persons and not any(f[0] in PERSON_FIELDS for f in entry.fields):
        report(entry.line, entry.col, f"{where} has neither 'author' nor 'editor'")
        ok = False
    if "eprint" in values and values.get("archiveprefix", "").lower() != "arxiv":
        report(entry.line, entry.col, f"{where} has an 'eprint' but no 'archiveprefix = {{arXiv}}'")
        ok = False
    if not ok:
        return None
    return Reference(
        key=entry.key,
        entry_type=entry.entry_type,
        fields=tuple(values.items()),
        persons=tuple(persons.items()),
        line=entry.line,
    )


def _split_names(value: str) -> list[str]:
    return [n for n in split_name_list(value) if n.strip()]


_VERBATIM = ("url", "doi", "eprint", "isbn", "year", "archiveprefix")


def _check_latex(name: str, value: str) -> str | None:
    """The value must convert to the plain text the pages show, without hidden characters."""
    if name in _VERBATIM:
        return None
    try:
        if name in PERSON_FIELDS:
            shown = " ".join(latex.person_display(n) for n in _split_names(value))
        else:
            shown = latex.latex_to_text(value)
    except PybtexSyntaxError as exc:
        return f"cannot be read as LaTeX ({str(exc).split(': ', 1)[-1]})"
    bad = textchecks.first_forbidden(shown)
    return f"the LaTeX gives {bad}, which is not allowed in catalogue data" if bad else None


def _check_value(name: str, value: str) -> str | None:
    if name == "url":
        return urls.check(value)
    if name == "doi":
        return urls.check_doi(value)
    if name == "eprint":
        return urls.check_arxiv(value)
    if name == "isbn":
        return urls.check_isbn(value)
    if name == "year" and not (len(value) == 4 and value.isdigit()):
        return f"{describe(value)} is not a four-digit year"
    if name == "archiveprefix" and value.lower() != "arxiv":
        return "only arXiv e-prints are supported (archiveprefix = {arXiv})"
    return None
