"""BibTeX values as plain Unicode text: what loading needs to show and check a reference.

pybtex decodes the LaTeX (``{\\"o}`` becomes ö); strings without any LaTeX markup, most titles
and names, skip its decoder, which is the costly part.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pybtex.backends.plaintext import Backend as TextBackend
from pybtex.database import Person
from pybtex.richtext import Text

from .mathtext import dollar_maths
from .model import Reference

__all__ = ["BARE_PERCENT", "display_fields", "has_markup", "latex_to_text", "person_display"]

# ``render_as(name)`` looks its backend up through entry points on every call; a backend instance
# renders the same text without that (measured: 24 ms per call, most of the package's run time).
_TEXT = TextBackend()
BARE_PERCENT = re.compile(r"(?<!\\)((?:\\\\)*)%")


_LATEX_MARKUP = frozenset("\\{}~$%&#_^")


def has_markup(value: str) -> bool:
    """Could the LaTeX decoder change this string? (commands, groups, ties, dashes, quotes)"""
    return "--" in value or "``" in value or "''" in value or any(c in _LATEX_MARKUP for c in value)


@lru_cache(maxsize=1 << 16)  # names and venues recur across a catalogue
def latex_to_text(value: str) -> str:
    """BibTeX/LaTeX markup to plain Unicode: ``{\\"o}`` becomes ö, braces disappear."""
    if not has_markup(value):  # most titles: skip the LaTeX decoder, the costly part of formatting
        return " ".join(value.split())
    # BibTeX keeps ``%`` as text inside a field, but pybtex's LaTeX parser reads it as a comment to
    # the end of the value (silently cutting "100% accuracy" to "100", or failing on the braces it
    # hid): a bare ``%`` is escaped first. Unbalanced braces raise ``PybtexSyntaxError``.
    # Maths between dollar signs, which pybtex leaves as it is, becomes plain Unicode text.
    return dollar_maths(str(Text.from_latex(BARE_PERCENT.sub(r"\1\\%", value)).render(_TEXT)).strip())


@lru_cache(maxsize=1 << 16)  # names and venues recur across a catalogue
def person_display(name: str) -> str:
    """``Last, First`` (BibTeX order, maybe with accents in LaTeX) to ``First Last`` in Unicode."""
    person = Person(name)
    if not has_markup(name):
        parts = [*person.first_names, *person.middle_names, *person.prelast_names, *person.last_names]
        shown, suffix = " ".join(parts), " ".join(person.lineage_names)
    else:
        rich = [
            *person.rich_first_names,
            *person.rich_middle_names,
            *person.rich_prelast_names,
            *person.rich_last_names,
        ]
        shown = " ".join(str(p.render(_TEXT)) for p in rich)
        suffix = " ".join(str(p.render(_TEXT)) for p in person.rich_lineage_names)
    return f"{shown}, {suffix}" if suffix else shown


def display_fields(ref: Reference) -> dict[str, object]:
    people = ref.people("author") or ref.people("editor")
    venue = next(
        (ref.get(f) for f in ("journal", "booktitle", "howpublished", "publisher", "organization",
                              "school", "institution") if ref.get(f)),
        "",
    )
    return {
        "title": latex_to_text(ref.get("title") or ""),
        "authors": tuple(person_display(p) for p in people),
        "year": ref.get("year") or "",
        "venue": latex_to_text(venue or ""),
        "url": ref.get("url"),
        "doi": ref.get("doi"),
        "arxiv": ref.get("eprint"),
        "isbn": ref.get("isbn"),
    }
