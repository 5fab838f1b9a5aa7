"""Escaping lives here: every catalogue value enters a page through one of these functions.

* :func:`md_text` - plain text placed into Markdown (titles, names): HTML-escaped, and every
  character that Markdown or its extensions would interpret is written as a character reference.
* :func:`attr` - a value placed into an HTML attribute.
* :func:`rich` - contributor Markdown (``why`` notes, descriptions): rendered by Python-Markdown,
  then passed through an allow-list sanitiser, so raw HTML, ``javascript:`` links and attribute
  lists cannot survive.
"""

from __future__ import annotations

import html
import re
from functools import cached_property

import markdown
import nh3

from ..catalogue.mathtext import delimited_maths
from ..keys import Caches

__all__ = ["Converter", "attr", "md_text", "plain", "rich", "sanitise", "text"]

# Markdown syntax (core, attr_list, tables, arithmatex, tilde/caret/mark, emoji) and HTML.
_MD_SPECIAL = "\\`*_{}[]()<>#|~^$=:!&\"'+"
_MD_TABLE = {ord(c): f"&#{ord(c)};" for c in _MD_SPECIAL}

_RICH_TAGS = {"p", "em", "strong", "code", "a", "ul", "ol", "li", "span", "sub", "sup", "br",
              "blockquote"}
_RICH_ATTRIBUTES: dict[str, set[str]] = {"a": {"href", "title"}}
_ALLOWED_CLASSES = {"span": {"arithmatex"}}
_PARAGRAPH = re.compile(r"\A<p>(.*)</p>\Z", re.S)
_TAG_OR_TEXT = re.compile(r"(<[^>]*>)")
_TEXT_SPECIAL = re.compile(r"&[#\w]+;|[\\`*_{}\[\]()#|~^$=:!+]")


def md_text(value: str) -> str:
    """Plain text safe to put anywhere in a Markdown line (also headings and link text)."""
    return " ".join(value.split()).translate(_MD_TABLE)


def attr(value: str) -> str:
    """A value safe inside a double- or single-quoted HTML attribute."""
    return html.escape(value, quote=True)


def text(value: str) -> str:
    """Plain text safe as HTML element content."""
    return html.escape(value, quote=False)


def _markdown() -> markdown.Markdown:
    return markdown.Markdown(extensions=["pymdownx.arithmatex"],
                             extension_configs={"pymdownx.arithmatex": {"generic": True}})


def sanitise(fragment: str, *, tags: set[str], attributes: dict[str, set[str]],
             classes: dict[str, set[str]]) -> str:
    """The one allow-list sanitiser: only the given tags, attributes and classes survive, and links
    only with http(s) targets (everything that reaches a page from contributor data passes here)."""
    return str(nh3.clean(fragment, tags=tags, attributes=attributes, allowed_classes=classes,
                         url_schemes={"http", "https"}, link_rel="noopener noreferrer nofollow"))


def rich(source: str, *, inline: bool = False) -> str:
    """Contributor Markdown to safe HTML (maths stays as ``<span class="arithmatex">``). For one
    text: a build converts its texts with a :class:`Converter`."""
    return _rich(_markdown(), source, inline)


def _rich(converter: markdown.Markdown, source: str, inline: bool) -> str:
    rendered = converter.reset().convert(source)
    clean = sanitise(rendered, tags=_RICH_TAGS, attributes=_RICH_ATTRIBUTES,
                     classes=_ALLOWED_CLASSES).strip()
    if inline:
        match = _PARAGRAPH.match(clean)
        if match and "<p>" not in match.group(1):
            clean = match.group(1)
    # The HTML may be embedded inline in a Markdown line: make its text inert to Markdown and to
    # the site's Markdown extensions by writing their syntax characters as character references.
    clean = "".join(
        part if part.startswith("<") else _TEXT_SPECIAL.sub(_inert, part)
        for part in _TAG_OR_TEXT.split(clean)
    )
    # A blank line would end the raw-HTML block this is embedded in; keep it one block.
    return re.sub(r"\n\s*\n", "\n", clean)


def _inert(match: re.Match[str]) -> str:
    found = match.group()
    return found if found.startswith("&") else f"&#{ord(found)};"


def plain(source: str) -> str:
    """Contributor Markdown reduced to its text, unescaped, its maths as plain Unicode text (for
    meta descriptions, search and filter text, where nothing typesets it): whoever puts it into
    HTML escapes it, once. For one text: a build converts its texts with a :class:`Converter`."""
    return _text_of(rich(source))


def _text_of(rich_html: str) -> str:
    return delimited_maths(html.unescape(" ".join(nh3.clean(rich_html, tags=set()).split())))


class Converter:
    """:func:`rich` and :func:`plain` with one build's ``caches``: each text is converted once a
    build and, in a ``mkdocs serve`` session, once while it is unchanged (a note is shown in
    every listing of it, on its page, in the bibliography and in search)."""

    def __init__(self, caches: Caches) -> None:
        self._memo = caches.memo

    @cached_property
    def _markdown(self) -> markdown.Markdown:
        # One Markdown instance, reset between texts: making one (with its extension registry)
        # for every note cost more than converting the note. Made at the first text not memoised.
        return _markdown()

    def rich(self, source: str, *, inline: bool = False) -> str:
        """:func:`rich` of ``source``."""
        found: str = self._memo("rich", (source, inline), lambda: _rich(self._markdown, source, inline))
        return found

    def plain(self, source: str) -> str:
        """:func:`plain` of ``source``."""
        found: str = self._memo("plain", source, lambda: _text_of(self.rich(source)))
        return found
