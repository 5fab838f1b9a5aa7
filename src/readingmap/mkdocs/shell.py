"""Resource pages inside the theme's page, without MkDocs rendering each one.

MkDocs turns every page into HTML through Python-Markdown, its plugins and the theme's templates,
which at 10,000 resources was most of a build (bench/README.md has the figures). A resource
page's body is HTML already (:class:`~readingmap.render.prebuilt.PrebuiltPage`),
every resource page sits at the same depth of the site and has the same sections, so the theme's
page around the body is the same for all of them but for the title, the description and the URL.
The theme renders that page once, with marker values in those places (:class:`Shell`), and each
resource page is that HTML with the markers replaced: escaped values, never markup.

MkDocs sees each resource page as a file it copies instead of rendering (:class:`PrebuiltFile`),
under the source path the page's ``.md`` would have: links to it from Markdown pages are validated
and rewritten as links to any page are (only an ``#anchor`` in such a link is not checked against
the page). Each page gets one entry in the search index file (:func:`write_search_entries`) and
one in ``sitemap.xml`` (:func:`add_to_sitemap`).

The files are what MkDocs itself renders from :meth:`PrebuiltPage.markdown` (a test compares them
byte for byte). What such a page does not get, by design:

* no per-page plugin event runs for it (``on_pre_page``, ``on_page_read_source``,
  ``on_page_markdown``, ``on_page_content``, ``on_page_context``, ``on_post_page``), so a plugin
  or hook that changes pages there does not change resource pages;
* a resource page listed in ``nav`` would be a plain link there, without the active state and the
  previous/next links of a page (this site lists none);
* search indexes a resource page as one entry, not one per section;
* an ``#anchor`` in a link to it is not checked.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from jinja2 import Environment
from markupsafe import Markup, escape
from mkdocs.commands.build import get_context
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils import get_build_date

from ..catalogue.mathtext import DELIMITED, maths_text
from ..render.markup import attr, text
from ..render.prebuilt import PrebuiltPage

__all__ = [
    "PrebuiltFile", "add_to_sitemap", "anchor_ids", "fill_prebuilt", "index_for_search", "mark_unchanged",
    "prebuilt_file", "search_plugins", "write_search_entries"
]

# Letters and digits only, so that escaping, URL quoting and slugifying leave the markers intact.
_MARK = "rmshell0{}0mark"
TITLE, HEADING, DESCRIPTION, ID, BODY, CITATION = (
    _MARK.format(name) for name in ("title", "heading", "description", "id", "body", "citation"))
_MARKS = re.compile("|".join((TITLE, HEADING, DESCRIPTION, ID, BODY, CITATION)))
#: Two meta tags of marker values: the theme prints one line of its own per tag, and what stands
#: between the markers of one tag and from one tag to the next is how it prints any of them.
_TAG_MARKS = tuple((_MARK.format(f"citename{i}"), _MARK.format(f"citevalue{i}")) for i in (1, 2))


class PrebuiltFile(File):
    """A page MkDocs copies as it is (its content is the finished HTML) instead of rendering."""

    #: Under ``mkdocs serve --dirty``: the session last wrote exactly this HTML to this file
    #: (:func:`mark_unchanged`), so a dirty build leaves the file as it is. MkDocs itself rewrites
    #: every file it has the content of, which at 10,000 resource pages was most of a rebuild.
    unchanged: bool = False

    def is_documentation_page(self) -> bool:
        return False

    def is_static_page(self) -> bool:
        return True

    def copy_file(self, dirty: bool = False) -> None:
        if dirty and self.unchanged and os.path.isfile(self.abs_dest_path):
            return
        super().copy_file(dirty)


def mark_unchanged(files: Files, written: dict[str, str]) -> dict[str, str]:
    """Mark each :class:`PrebuiltFile` whose HTML is what ``written`` (destination → digest of
    the HTML the session last wrote there) records; the record of this build's files."""
    now = {}
    for file in files:
        if isinstance(file, PrebuiltFile):
            now[file.dest_uri] = hashlib.blake2b(file.content_bytes, digest_size=16).hexdigest()
            file.unchanged = written.get(file.dest_uri) == now[file.dest_uri]
    return now


def prebuilt_file(config: MkDocsConfig, src_uri: str) -> PrebuiltFile:
    """The file for the page whose Markdown source would be ``src_uri``, at that page's URL."""
    as_page = File(src_uri, src_dir=None, dest_dir=config.site_dir,
                   use_directory_urls=config.use_directory_urls)
    file = PrebuiltFile.generated(config, src_uri, content="")
    file.dest_uri = as_page.dest_uri
    assert isinstance(file, PrebuiltFile)
    return file


@dataclass(frozen=True)
class Shell:
    """The theme's HTML for one page of a family (same directory, same sections), cut at the
    markers: ``parts[0] + value + parts[1] + value ...``, with ``marks[i]`` naming each value."""

    parts: tuple[str, ...]
    marks: tuple[str, ...]
    #: How the theme prints meta tags: (between a tag's name and content, between two tags).
    tag_parts: tuple[str, str] = ("", "")

    def fill(self, *, title: str, description: str, ident: str, body: str,
             citation: tuple[tuple[str, str], ...] = ()) -> str:
        # Escaped as the front matter of every other page is (quotes too: a theme may print the
        # title inside an attribute); ids are slugs.
        # The <h1> in the content is escaped as the page's title fragment escapes it (markupsafe).
        within, between = self.tag_parts
        if CITATION in self.marks and not citation:
            raise ValueError("a resource page without citation meta tags (every resource has a title)")
        tags = between.join(f"{name}{within}{attr(value)}" for name, value in citation)
        values = {TITLE: attr(title), HEADING: str(escape(title)), DESCRIPTION: attr(description), ID: ident,
                  BODY: body, CITATION: tags}
        out = [self.parts[0]]
        for mark, part in zip(self.marks, self.parts[1:], strict=True):
            out.append(values[mark])
            out.append(part)
        return "".join(out)


# Values with every character that escaping, quoting or a filter would change, to check the shell.
_PROBE: dict[str, Any] = {
    "title": "Probe <T> & \"q\" 'a' \\", "description": "Probe <D> & \"q\" 'a' \\", "ident": "rmprobe-id",
    "body": "<p>probe</p>",
    "citation": (("citation_title", "Probe <C> & \"q\" 'a' \\"), ("citation_author", "Probe, A. <&>")),
}


def _page(config: MkDocsConfig, directory: str, ident: str, title: str, heading: str, description: str,
          body: str, sections: tuple[tuple[str, str, str], ...],
          citation: tuple[tuple[str, str], ...] = _TAG_MARKS) -> Page:
    """The page MkDocs would make of the prebuilt page's Markdown (values already escaped)."""
    page = Page(title, File.generated(config, f"{directory}/{ident}/index.md", content=""), config)
    page.meta = {"title": title, "description": description, "citation": [list(tag) for tag in citation]}
    # The theme adds an <h1> of its own to content without one.
    page.content = str(Markup("<h1>{}</h1>\n\n{}").format(Markup(heading), Markup(body)))
    page.toc = get_toc([{"level": 2, "id": anchor, "name": heading, "children": []}
                        for anchor, heading, _html in sections])
    page.active = True
    return page


def render_shell(config: MkDocsConfig, env: Environment, nav: Navigation, files: Files,
                 directory: str, sections: tuple[tuple[str, str, str], ...]) -> Shell:
    """Render the theme's ``main.html`` once for a page in ``directory`` with these sections.

    Only the theme's template runs, not the plugins' page events: the search plugin would
    index the marker page, and the hooks add each real page to the index themselves. The
    template is then rendered once more with probe values, and must give exactly the shell filled
    with them: a theme that prints a value through a filter (``upper``, ``truncate``, ``tojson``,
    ``striptags``...) or more than once in the content is refused, never filled wrongly.
    """
    template = env.get_template("main.html")
    context = get_context(nav, files, config, _page(config, directory, ID, TITLE, HEADING, DESCRIPTION, BODY,
                                                    sections))
    html, tag_parts = _cut_tags(template.render(context))
    marks = tuple(_MARKS.findall(html))
    if marks.count(BODY) != 1:
        raise PluginError(
            f"the theme's page template printed the page content {marks.count(BODY)} times (expected"
            " once); resource pages cannot be built with this theme"
        )
    shell = Shell(tuple(_MARKS.split(html)), marks, tag_parts)
    probe = _page(config, directory, _PROBE["ident"], attr(_PROBE["title"]), str(escape(_PROBE["title"])),
                  attr(_PROBE["description"]), _PROBE["body"], sections,
                  tuple((name, attr(value)) for name, value in _PROBE["citation"]))
    if template.render({**context, "page": probe}) != shell.fill(**_PROBE):
        raise PluginError(
            "the theme's page template changes the page title, description or URL before printing"
            " it (a Jinja filter such as upper, truncate, striptags or tojson); resource pages"
            " cannot be built with this theme"
        )
    return shell


def _cut_tags(html: str) -> tuple[str, tuple[str, str]]:
    """The shell's HTML with the two marker meta tags replaced by one marker, and how the theme
    prints a tag (what stands between a name and its content, and between two tags). A theme
    that prints no meta tags gives the HTML unchanged."""
    (name1, value1), (name2, value2) = _TAG_MARKS
    start, end = html.find(name1), html.find(value2)
    if start < 0 or end < 0:
        return html, ("", "")
    segment = html[start:end + len(value2)]
    within = segment[len(name1):segment.find(value1)]
    between = segment[segment.find(value1) + len(value1):segment.find(name2)]
    if segment != f"{name1}{within}{value1}{between}{name2}{within}{value2}":
        raise PluginError("the theme's page template prints the citation meta tags of a page in a way"
                          " resource pages cannot reproduce; resource pages cannot be built with this theme")
    return html[:start] + CITATION + html[end + len(value2):], (within, between)


def fill_prebuilt(config: MkDocsConfig, env: Environment, nav: Navigation, files: Files,
                  prebuilt: dict[str, PrebuiltPage]) -> None:
    """Give every :class:`PrebuiltFile` among ``files`` its finished HTML."""
    shells: dict[tuple[str, tuple[str, ...]], Shell] = {}
    for file in files:
        if not isinstance(file, PrebuiltFile):
            continue
        page = prebuilt[file.src_uri]
        # resources/<id>/index.md: every page of a family sits at the same depth
        directory, _, ident = file.src_uri.removesuffix("/index.md").rpartition("/")
        key = (directory, tuple(anchor for anchor, _h, _html in page.sections))
        shell = shells.get(key)
        if shell is None:
            shell = shells[key] = render_shell(config, env, nav, files, directory, page.sections)
        file.content_string = shell.fill(title=page.title, description=page.description,
                                         ident=ident, body=page.body(), citation=page.citation)


#: A tag of HTML this package writes: whether it closes, its name, its attributes.
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b([^<>]*)>")
_MAY_HAVE_ANCHORS = re.compile(r"id=|name=", re.IGNORECASE)
_ANCHOR_ATTR = re.compile(r'(?:^|\s)(id|name)="([^"]*)"', re.IGNORECASE)


def anchor_ids(*html: str) -> set[str]:
    """The anchors MkDocs finds in raw HTML of a page's Markdown: ids, and names of links.

    MkDocs runs an HTML parser; this reads tags with a pattern, which gives the same for HTML
    this package writes (a test compares the two on every slot of the real site): every value
    passes through Jinja's or the sanitiser's escaping, so no text holds a raw ``<`` and no
    attribute value a raw ``"``, and every attribute is written ``name="value"``. At 800 KB for the
    bibliography's list, the parser took a tenth of a second of every rebuild.
    """
    found: set[str] = set()
    for block in html:
        if not _MAY_HAVE_ANCHORS.search(block):
            continue
        for closing, tag, attrs in _TAG.findall(block):
            for name, value in () if closing else _ANCHOR_ATTR.findall(attrs):
                if name.lower() == "id" or tag.lower() == "a":
                    found.add(unescape(value))
    return found


def search_plugins(config: MkDocsConfig) -> list[str]:
    """The names of the enabled plugins that build a search index."""
    return [name for name, plugin in config.plugins.items()
            if name.rpartition("/")[2] == "search"
            and getattr(getattr(plugin, "config", None), "enabled", True) is not False]


def index_for_search(index: dict[str, Any], files: Files, prebuilt: dict[str, PrebuiltPage],
                     aliases: dict[str, tuple[str, ...]] | None = None) -> bool:
    """Add each prebuilt page to a search index as the search plugins write it
    (``search/search_index.json``: ``{"config": ..., "docs": [entries]}``): one entry a page, its
    title and a text of the title, authors, year, venue and why; and the other names of the
    rendered pages that have them to their page entry's title. False if ``index`` is not such an
    index.

    The hooks call it on the file the plugin wrote, after it wrote it: what the plugin keeps in
    memory (under ``mkdocs serve --dirty`` it starts from the previous build's index) never holds
    these entries, and entries of prebuilt pages already in the file are replaced, so edited,
    added and removed resources are all up to date.
    """
    entries = index.get("docs") if isinstance(index, dict) else None
    if not isinstance(entries, list):
        return False
    aliases = aliases or {}
    fresh = [{"location": file.url,
              "title": text(_titled(prebuilt[file.src_uri].title, aliases.get(file.src_uri, ()))),
              "text": prebuilt[file.src_uri].search_text}
             for file in files if isinstance(file, PrebuiltFile)]
    ours = {entry["location"] for entry in fresh}
    entries[:] = [entry for entry in entries if entry.get("location", "").split("#")[0] not in ours]
    # Rendered pages with other names (topics, maths areas): their page entry carries them too.
    named = {file.url: aliases[file.src_uri] for file in files
             if file.src_uri in aliases and not isinstance(file, PrebuiltFile)}
    for entry in entries:
        # Search shows titles and previews as text, where KaTeX does not typeset the maths.
        for key in ("title", "text"):
            if isinstance(entry.get(key), str):
                entry[key] = plain_maths(entry[key])
        if entry.get("location") in named and "#" not in entry["location"]:
            # The plugin's titles are HTML already; the names are contributor text.
            entry["title"] += text(f" ({', '.join(named[entry['location']])})")
    entries.extend(fresh)
    return True


def write_search_entries(site_dir: str, files: Files, prebuilt: dict[str, PrebuiltPage],
                         aliases: dict[str, tuple[str, ...]]) -> bool:
    """:func:`index_for_search` on ``search/search_index.json`` of the built site, written back as
    the search plugins write it (compact JSON), but as UTF-8 rather than ASCII escapes: a
    catalogue's accented names and maths symbols took a twelfth of its size as ``\\uXXXX``, and the
    file is read as UTF-8 JSON. False if there is no such file."""
    path = Path(site_dir) / "search" / "search_index.json"
    try:
        index = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if not index_for_search(index, files, prebuilt, aliases):
        return False
    path.write_text(json.dumps(index, separators=(",", ":"), ensure_ascii=False), encoding="utf-8")
    return True


def plain_maths(indexed: str) -> str:
    """A search entry's title or text (HTML) with its maths, which Arithmatex left between
    ``\\(…\\)`` or ``\\[…\\]``, as plain Unicode text."""
    return DELIMITED.sub(lambda m: text(maths_text(unescape(next(g for g in m.groups() if g is not None)))),
                         indexed)


def _titled(title: str, aliases: tuple[str, ...]) -> str:
    """A search entry's title with the page's other names: search weighs titles a thousand times
    the text, so "NTK" finds the neural tangent kernel paper and the infinite-width topic, and the
    result list shows why the page matched. (As tags, weighed a thousand times more again, a
    single shared word let them outrank every exact title.)"""
    return f"{title} ({', '.join(aliases)})" if aliases else title


def add_to_sitemap(sitemap: str, config: MkDocsConfig, files: Files) -> str:
    """``sitemap.xml`` with the prebuilt pages listed as MkDocs lists rendered pages: location and
    build date, and only when ``site_url`` is set."""
    if not config.site_url or "</urlset>" not in sitemap:
        return sitemap
    date = get_build_date()
    entry = Markup("\n    <url>\n         <loc>{}</loc>\n         <lastmod>{}</lastmod>\n    </url>")
    entries = "".join(entry.format(urljoin(config.site_url, file.url), date)
                      for file in files if isinstance(file, PrebuiltFile))
    head, _, tail = sitemap.rpartition("</urlset>")
    return f"{head.rstrip()}{entries}\n</urlset>{tail}"
