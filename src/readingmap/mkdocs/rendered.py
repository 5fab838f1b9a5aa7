"""Markdown pages converted by an earlier build, reused when nothing they depend on has changed.

MkDocs converts every page's Markdown to HTML on every build and every ``mkdocs serve`` rebuild.
After a one-line edit of the data only the few pages that show the edited entry have new
Markdown; converting the other generated pages again was most of a rebuild of the real site
(bench/README.md). This cache keeps, per page, what MkDocs' conversion gave, and a later build
whose page has exactly the same Markdown and context takes it instead of converting again.

A page's key is the sha256 of its Markdown (after every other plugin's ``on_page_markdown``),
its path and URL, and the build's context (:func:`build_fingerprint`): the Markdown
extensions and their options, ``use_directory_urls``, ``site_url``, the link validation
settings, the path, URL and inclusion of every file of the site (links are resolved and checked
against them), whether MkDocs records links to anchors (it does not under ``mkdocs -v``: a page
converted then would check no anchor in a later ``--strict`` build) and the versions of MkDocs,
Python-Markdown, pymdown-extensions and the theme. Only the pages the package generates are
cached (never a hand-written page), and nothing is when a Markdown extension outside
:data:`KNOWN_EXTENSIONS` is configured (one that reads files or keeps state between pages).

What is kept is everything MkDocs' conversion sets on the page: the HTML, the table of contents,
the anchors the page has and its links to anchors of other pages (MkDocs checks those once every
page is converted). Two kinds of page are always converted: a page whose conversion logged a
warning (so its warnings show on every build and ``--strict`` still fails), and a page without a
title in its front matter (MkDocs takes its title from the converted content, which it keeps in a
private attribute).

The hooks call :meth:`MarkdownCache.before` last among the ``on_page_markdown`` handlers and
:meth:`MarkdownCache.after` first among the ``on_page_content`` handlers: on a hit the page's
Markdown is emptied for MkDocs' conversion (which then costs nothing) and everything is restored
before any other plugin sees the content (the Markdown by the hooks, which know the page's
complete Markdown). The HTML of the built site is the same either way
(a test builds the site twice and compares every file).
"""

from __future__ import annotations

import json
import logging
import sys
from dataclasses import dataclass
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from ..keys import Caches, Store, digest, source_digest, version

__all__ = ["MarkdownCache", "build_fingerprint", "open_cache"]

#: The build caches' store of converted Markdown pages.
STORE = "markdown-pages"
_CODE = digest([version(d) for d in ("mkdocs", "markdown", "pymdown-extensions", "mkdocs-material")],
               source_digest(sys.modules[__name__]))


#: Markdown extensions whose output depends on the page's Markdown and their options alone (they
#: read no file and keep nothing between pages). With any other extension configured the cache
#: steps aside: what such an extension does cannot be keyed.
KNOWN_EXTENSIONS = frozenset({
    "abbr", "admonition", "attr_list", "def_list", "fenced_code", "footnotes", "md_in_html", "sane_lists",
    "smarty", "tables", "toc", "markdown.extensions.abbr", "markdown.extensions.admonition",
    "markdown.extensions.attr_list", "markdown.extensions.def_list", "markdown.extensions.fenced_code",
    "markdown.extensions.footnotes", "markdown.extensions.md_in_html", "markdown.extensions.sane_lists",
    "markdown.extensions.smarty", "markdown.extensions.tables", "markdown.extensions.toc",
    "pymdownx.arithmatex", "pymdownx.highlight", "pymdownx.superfences", "pymdownx.inlinehilite",
    "pymdownx.details", "pymdownx.tabbed", "pymdownx.caret", "pymdownx.mark", "pymdownx.tilde",
    "pymdownx.betterem", "pymdownx.smartsymbols",
})


def recording_anchors() -> bool:
    """Whether MkDocs records a page's links to anchors of other pages while converting it (it
    does only when its page logger is above DEBUG, i.e. not under ``mkdocs -v``): a page
    converted without them would check no anchor when taken from the cache."""
    return logging.getLogger("mkdocs.structure.pages").getEffectiveLevel() > logging.DEBUG


def build_fingerprint(config: MkDocsConfig, files: Files) -> str | None:
    """Everything besides its own Markdown that a page's conversion depends on; None when a
    Markdown extension outside :data:`KNOWN_EXTENSIONS` is configured (then nothing is cached)."""
    if any(not isinstance(ext, str) or ext not in KNOWN_EXTENSIONS for ext in config["markdown_extensions"]):
        return None
    settings = {name: config[name] for name in ("markdown_extensions", "mdx_configs", "use_directory_urls", "site_url")}
    # Option values that are not JSON (a function given to an extension) are keyed by their repr,
    # which may differ between processes: such a site misses the cache, never reuses a wrong page.
    return digest(_CODE, json.dumps(settings, sort_keys=True, default=repr), repr(config.validation),
                        [[f.src_uri, f.url, f.inclusion.name] for f in files], recording_anchors())


def _toc_tokens(links: Any) -> list[dict[str, Any]]:
    return [{"level": link.level, "id": link.id, "name": link.title, "children": _toc_tokens(link.children)}
            for link in links]


def _valid(value: Any) -> bool:
    return (isinstance(value, dict) and isinstance(value.get("html"), str) and isinstance(value.get("toc"), list)
            and isinstance(value.get("anchors"), list) and isinstance(value.get("links"), dict))


class _Warnings(logging.Handler):
    """Counts the warnings MkDocs logs; a page's conversion logged one if the count changed."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


@dataclass
class _Converting:
    key: str
    #: the warnings counted before the conversion
    warnings: int
    hit: dict[str, Any] | None


class MarkdownCache:
    """One build's use of the cache of converted pages (see the module's description). MkDocs
    converts one page at a time: :meth:`before` and :meth:`after` of a page surround exactly its
    conversion. The caller gives the page back its Markdown after :meth:`after` (it may have
    changed it before :meth:`before`: SiteBuild.page_content)."""

    def __init__(self, store: Store, generated: frozenset[str] = frozenset()) -> None:
        self.store = store
        #: the pages the package generates: only they are cached
        self.generated = generated
        self._fingerprint: str | bool | None = False  # False: not computed yet
        self._converting: dict[str, _Converting] = {}
        #: counts the warnings MkDocs logs during this build (removed by :meth:`close`)
        self._warnings = _Warnings()
        logging.getLogger("mkdocs").addHandler(self._warnings)

    def before(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        """``on_page_markdown``: the Markdown MkDocs should convert (none, when the page is cached)."""
        if "title" not in page.meta or page.file.src_uri not in self.generated:
            return markdown
        if self._fingerprint is False:
            self._fingerprint = build_fingerprint(config, files)
        if self._fingerprint is None:
            return markdown
        key = digest("markdown-page", markdown, page.file.src_uri, page.file.url, self._fingerprint)
        hit = self.store.get(key)
        if hit is not None and not all(files.get_file_from_path(src) for src in hit["links"]):
            hit = None
        self._converting[page.file.src_uri] = _Converting(key, self._warnings.count, hit)
        return "" if hit is not None else markdown

    def after(self, html: str, page: Page, files: Files) -> str:
        """``on_page_content``: the page's HTML, taken from the cache or stored in it."""
        converting = self._converting.pop(page.file.src_uri, None)
        if converting is None:
            return html
        hit = converting.hit
        if hit is not None:
            self.store.put(converting.key, hit)
            page.toc = get_toc(hit["toc"])
            page.present_anchor_ids = set(hit["anchors"])
            page.links_to_anchors = {file: dict(anchors) for src, anchors in hit["links"].items()
                                     if (file := files.get_file_from_path(src)) is not None}
            return str(hit["html"])
        # (A page is stored only if warnings are logged at all: with `mkdocs -q` they are not.)
        if self._warnings.count == converting.warnings and logging.getLogger("mkdocs").isEnabledFor(logging.WARNING):
            self.store.put(converting.key, {
                "html": html, "toc": _toc_tokens(page.toc), "anchors": sorted(page.present_anchor_ids or ()),
                "links": {file.src_uri: anchors for file, anchors in (page.links_to_anchors or {}).items()},
            })
        return html

    def save(self) -> None:
        """Write what this build converted or reused (and nothing else) to the cache."""
        self.store.save()
        self.close()

    def close(self) -> None:
        """Stop counting MkDocs' warnings (the build ended, or failed)."""
        logging.getLogger("mkdocs").removeHandler(self._warnings)


def open_cache(caches: Caches, generated: frozenset[str]) -> MarkdownCache:
    """The cache of converted pages among the build ``caches``, for the ``generated`` pages."""
    return MarkdownCache(caches.store(STORE, "markdown pages", _valid), generated)
