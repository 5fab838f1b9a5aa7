"""Resource pages inside the theme's page, without MkDocs rendering each one.

MkDocs turns every page into HTML through Python-Markdown, its plugins and the theme's templates:
about 20 ms a page with Material, which at 10,000 resources was most of a build (see
bench/README.md). A resource page's body is HTML already (:class:`~readingmap.pages.PrebuiltPage`),
every resource page sits at the same depth of the site and has the same sections, so the theme's
page around the body is the same for all of them but for the title, the description and the URL.
The theme renders that page once, with marker values in those places (:class:`Shell`), and each
resource page is that HTML with the markers replaced: escaped values, never markup.

MkDocs sees each resource page as a file it copies instead of rendering (:class:`PrebuiltFile`),
under the source path the page's ``.md`` would have: links to it from Markdown pages are validated
and rewritten exactly as links to any page. What the theme's search plugin would have indexed is
added to its index directly (:func:`index_for_search`), and what MkDocs would have listed in
``sitemap.xml`` to the sitemap (:func:`add_to_sitemap`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

from jinja2 import Environment
from mkdocs.commands.build import get_context
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from .markup import attr, text
from .pages import PrebuiltPage

# Letters and digits only, so that escaping, URL quoting and slugifying leave the markers intact.
_MARK = "rmshell0{}0mark"
TITLE, DESCRIPTION, ID, BODY = (_MARK.format(name) for name in ("title", "description", "id", "body"))
_MARKS = re.compile("|".join((TITLE, DESCRIPTION, ID, BODY)))


class PrebuiltFile(File):
    """A page MkDocs copies as it is (its content is the finished HTML) instead of rendering."""

    def is_documentation_page(self) -> bool:
        return False

    def is_static_page(self) -> bool:
        return True


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

    def fill(self, *, title: str, description: str, ident: str, body: str) -> str:
        # Quotes escaped too: a theme may print the title inside an attribute.
        values = {TITLE: attr(title), DESCRIPTION: attr(description), ID: ident, BODY: body}
        out = [self.parts[0]]
        for mark, part in zip(self.marks, self.parts[1:], strict=True):
            out.append(values[mark])
            out.append(part)
        return "".join(out)


def render_shell(config: MkDocsConfig, env: Environment, nav: Navigation, files: Files,
                 directory: str, sections: tuple[tuple[str, str, str], ...]) -> Shell:
    """Render the theme's ``main.html`` once for a page in ``directory`` with these sections.

    Only the theme's template runs, not the plugins' page events: the search plugin would
    index the marker page, and the hooks add each real page to the index themselves.
    """
    file = File.generated(config, f"{directory}/{ID}.md", content="")
    page = Page(TITLE, file, config)
    page.meta = {"title": TITLE, "description": DESCRIPTION}
    # The theme adds an <h1> of its own to content without one.
    page.content = f"<h1>{TITLE}</h1>\n\n{BODY}"
    page.toc = get_toc([{"level": 2, "id": anchor, "name": heading, "children": []}
                        for anchor, heading, _html in sections])
    page.active = True
    context = get_context(nav, files, config, page)
    html = env.get_template("main.html").render(context)
    pieces = _MARKS.split(html)
    marks = tuple(_MARKS.findall(html))
    if marks.count(BODY) != 1:
        raise PluginError(
            f"the theme's page template printed the page content {marks.count(BODY)} times (expected"
            " once); resource pages cannot be built with this theme"
        )
    return Shell(tuple(pieces), marks)


def fill_prebuilt(config: MkDocsConfig, env: Environment, nav: Navigation, files: Files,
                  prebuilt: dict[str, PrebuiltPage]) -> None:
    """Give every :class:`PrebuiltFile` among ``files`` its finished HTML."""
    shells: dict[tuple[str, tuple[str, ...]], Shell] = {}
    for file in files:
        if not isinstance(file, PrebuiltFile):
            continue
        page = prebuilt[file.src_uri]
        directory, _, name = file.src_uri.rpartition("/")
        key = (directory, tuple(anchor for anchor, _h, _html in page.sections))
        shell = shells.get(key)
        if shell is None:
            shell = shells[key] = render_shell(config, env, nav, files, directory, page.sections)
        file.content_string = shell.fill(title=page.title, description=page.description,
                                         ident=name[:-3], body=page.body())


def index_for_search(config: MkDocsConfig, files: Files, prebuilt: dict[str, PrebuiltPage]) -> None:
    """Add each prebuilt page to the search plugin's index, one entry a page (title, byline and
    why), as the plugin would have done for a rendered page."""
    index = _search_index(config)
    if index is None:
        return
    for file in files:
        if isinstance(file, PrebuiltFile):
            page = prebuilt[file.src_uri]
            index.append({"location": file.url, "title": text(page.title), "text": page.search_text})


def _search_index(config: MkDocsConfig) -> list[dict[str, Any]] | None:
    for plugin in config.plugins.values():
        if getattr(plugin, "is_dirtyreload", False):
            # `mkdocs serve --dirty` rebuilds keep the previous index and add the re-rendered
            # pages to it; the prebuilt pages are in it from the first build.
            return None
        search_index = getattr(plugin, "search_index", None)
        entries = getattr(search_index, "entries", None)
        if isinstance(entries, list):
            return entries
    return None


def add_to_sitemap(sitemap: str, config: MkDocsConfig, files: Files) -> str:
    """``sitemap.xml`` with the prebuilt pages listed as MkDocs lists rendered pages (MkDocs lists
    pages only when ``site_url`` is set, and so does this)."""
    if not config.site_url or "</urlset>" not in sitemap:
        return sitemap
    entries = "".join(
        f"\n    <url>\n         <loc>{attr(urljoin(config.site_url, file.url))}</loc>\n    </url>"
        for file in files if isinstance(file, PrebuiltFile)
    )
    head, _, tail = sitemap.rpartition("</urlset>")
    return f"{head.rstrip()}{entries}\n</urlset>{tail}"
