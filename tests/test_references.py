"""Formatted references: pybtex's style and HTML backend, made safe; fast path equivalence."""

from __future__ import annotations

import nh3
import pytest
from pybtex.richtext import Text

from readingmap.catalogue import latex
from readingmap.catalogue.model import Reference
from readingmap.render import references


def ref(**fields: str) -> Reference:
    authors = fields.pop("author", "Doe, Jane and M{\\\"u}ller, Jan")
    return Reference(key="x2020y", entry_type=fields.pop("type", "article"),
                     fields=tuple(fields.items()), persons=(("author", tuple(authors.split(" and "))),), line=1)


@pytest.mark.parametrize("value", ["Plain title", "Deep Learning: An Introduction", "A 10-step plan",
                                   "x = y + z", "Why (and when)?"])
def test_fast_path_renders_like_pybtex_for_plain_text(value: str) -> None:
    assert not latex.has_markup(value)
    backend = references._BACKEND
    assert Text(value).render(backend) == Text.from_latex(value).render(backend)


@pytest.mark.parametrize("value", ["{ReLU} networks", "M{\\\"u}ller", "A--B", "``quoted''", "a~b", "$x^2$"])
def test_markup_takes_the_decoder(value: str) -> None:
    assert latex.has_markup(value)


def test_formatted_reference_decodes_accents_and_escapes() -> None:
    html = references.formatted_html(ref(title="{\\\"O}ber <script>alert(1)</script> nets",
                                         journal="J. <b>Bold</b>", year="2020",
                                         doi="10.1000/xyz"))
    text_only = nh3.clean(html, tags=set())
    assert "Öber" in text_only and "Jan Müller" in text_only
    assert "<script>" not in html and "<b>" not in html
    assert '<a href="https://doi.org/10.1000/xyz" rel="noopener noreferrer nofollow">' in html
    # the fast path is scoped to formatting: pybtex's own method is restored
    assert Text.from_latex("a--b").render(latex._TEXT) == "a–b"


def test_bibtex_text_round_trips_through_pybtex() -> None:
    from pybtex.database import parse_string

    text = references.bibtex_text(ref(title="T", journal="J", year="2020"))
    entry = parse_string(text, "bibtex").entries["x2020y"]
    assert entry.fields["title"] == "T"
    assert [str(p) for p in entry.persons["author"]] == ["Doe, Jane", 'M{\\"u}ller, Jan']
