"""Checks that an output holds nothing active from the data (HTML parsed, not pattern-matched)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster",
                  "background", "cite", "srcset", "ping", "manifest"}
_SCHEME = re.compile(r"\s*([a-zA-Z][a-zA-Z0-9+.-]*):")
#: A link that saves a reference file: a base64 ``data:`` URL of a bibliography type, which no
#: browser renders as a document, on an ``<a download>`` (the per-entry downloads of resource pages).
_REFERENCE_FILE = re.compile(r"data:(application/x-bibtex|application/x-research-info-systems"
                             r"|application/vnd\.citationstyles\.csl\+json);charset=utf-8;base64,"
                             r"[A-Za-z0-9+/]*={0,2}")


class _Scanner(HTMLParser):
    def __init__(self, where: str, mark: str) -> None:
        super().__init__(convert_charrefs=True)
        self.where = where
        self.mark = mark
        self.found: list[str] = []
        self.in_script = False
        self.script_tags = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._check(tag, attrs)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._check(tag, attrs)

    def _check(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.in_script = True
            self.script_tags += 1
        if tag in ("iframe", "object", "embed", "base", "frame", "applet"):
            self.found.append(f"{self.where}: <{tag}> element")
        saves = tag == "a" and any(name == "download" for name, _ in attrs)
        for name, value in attrs:
            value = value or ""
            if saves and name == "href" and _REFERENCE_FILE.fullmatch(value):
                continue
            if re.fullmatch(r"on\w+", name):
                self.found.append(f"{self.where}: event handler {name}={value!r} on <{tag}>")
            if name in URL_ATTRIBUTES:
                for url in value.split(",") if name == "srcset" else [value]:
                    match = _SCHEME.match(url)
                    if match and match.group(1).lower() not in ("http", "https"):
                        self.found.append(f"{self.where}: {name}={value!r} on <{tag}>")
            if tag == "meta" and name == "content" and "url=" in value.lower():
                self.found.append(f"{self.where}: meta refresh {value!r}")
            if name == "style" and self.mark in value:
                self.found.append(f"{self.where}: style attribute from the data {value!r}")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self.in_script = False

    def handle_data(self, data: str) -> None:
        if self.in_script and self.mark in data:
            self.found.append(f"{self.where}: script with data: {data[:80]!r}")


def scan_html(where: str, html: str, mark: str) -> list[str]:
    """Every active thing in ``html``: scripts carrying ``mark``, event-handler attributes,
    URL attributes with a scheme other than http(s), embedding elements, meta refreshes."""
    scanner = _Scanner(where, mark)
    scanner.feed(html)
    scanner.close()
    return scanner.found
