"""One MkDocs build of the reading map: the object the hooks delegate every event to.

The plugin object (:mod:`.plugin`) creates a :class:`SiteBuild` in ``on_config`` and lets it go
when the build ends, so nothing of a build outlives it (as Material's plugins create their
per-build state afresh); it hands the build the caches and worker pool it owns. Bad data or a bad
option ends the build with a :class:`PluginError` listing every problem, before anything is
written.

Besides the resource pages (:mod:`.shell`), a build converts each Markdown page at most once
(:mod:`.rendered`) and puts large raw HTML blocks into the converted pages itself (``Site.slots``):
:meth:`SiteBuild.page_markdown` and :meth:`SiteBuild.page_content`.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemBytecodeCache
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from ..catalogue.load import load_catalogue
from ..keys import Caches
from ..problems import CatalogueError
from ..render.site import Site, build, fill_slots, project_pages
from ..render.workers import Pool
from .options import OptionsError, site_options
from .rendered import open_cache
from .shell import (
    add_to_sitemap,
    anchor_ids,
    fill_prebuilt,
    mark_unchanged,
    prebuilt_file,
    search_plugins,
    write_search_entries,
)
from .sources import sync_sources

__all__ = ["SiteBuild"]

log = get_plugin_logger("readingmap")


class SiteBuild:
    """The validated options, the generated site and the MkDocs objects later events need."""

    def __init__(self, config: MkDocsConfig, caches: Caches, pool: Pool, cache_dir: Path,
                 written: dict[str, str] | None = None) -> None:
        if not config.use_directory_urls:
            raise PluginError("the reading map's pages link to each other by directory URLs"
                              " (topics/<id>/): set use_directory_urls: true in mkdocs.yml")
        self.config = config
        self.root = Path(config.config_file_path).parent
        #: the build caches' directory, beside mkdocs.yml (ignored by git), never in docs/
        self.cache = cache_dir
        # A build starts here, before loading: what loading memoises (the records) belongs to this
        # build, and a rebuild that loads nothing (its data unchanged) would otherwise drop it for
        # the next one.
        caches.new_build()
        try:
            catalogue = load_catalogue(self.root / "data", caches=caches)
        except CatalogueError as exc:
            raise PluginError(str(exc)) from None
        try:
            options, warnings = site_options(config.extra.get("readingmap"), repo_url=config.repo_url,
                                             site_url=config.site_url,
                                             template_dirs=tuple(config.theme.dirs))
        except OptionsError as exc:
            raise PluginError(f"mkdocs.yml: {exc}") from None
        for warning in warnings:
            log.warning(warning)
        self.site: Site = build(catalogue, options, caches=caches, pool=pool)
        generated = frozenset(self.site.pages)
        self.site.pages.update(project_pages(self.root))
        self.nav: Navigation | None = None
        self.files: Files | None = None
        self.converted = open_cache(caches, generated)
        #: ``mkdocs serve --dirty``: what the session last wrote to each resource page (digests,
        #: see shell.mark_unchanged), brought up to date when a build ends (the plugin empties it
        #: when one fails)
        self.written = written
        self._writing: dict[str, str] = {}
        #: per page being converted: the slots it stands for, and its Markdown as MkDocs read it
        self._slots_taken: dict[str, dict[str, str]] = {}
        self._complete: dict[str, str] = {}
        log.info("catalogue: %d resources, %d pages", len(catalogue.resources), len(self.site.pages))

    def add_files(self, files: Files) -> Files:
        """Every generated page and asset as a virtual file (nothing is written to docs/)."""
        config = self.config
        # Page sources live in a cache beside mkdocs.yml, rewritten only when they change, so that
        # `mkdocs serve --dirty` rebuilds just the pages an edit touched.
        sources = {path: self.site.markdown(path) for path in self.site.pages}
        for path, source in sync_sources(sources, self.cache / "pages").items():
            files.append(File.generated(config, path, abs_src_path=str(source)))
        for path in self.site.prebuilt:
            files.append(prebuilt_file(config, path))
        for path, asset in self.site.assets.items():
            files.append(File.generated(config, path, abs_src_path=str(asset)))
        return files

    def fill_pages(self, env: Environment, files: Files) -> None:
        """Fill the resource pages (copied, not rendered, by MkDocs) into the theme's page."""
        # MkDocs makes a new template environment for every build, so every `mkdocs serve` rebuild
        # compiled the theme's templates again; Jinja's bytecode cache checks each template's
        # source before using its compiled form.
        jinja_cache = self.cache / "jinja"
        jinja_cache.mkdir(parents=True, exist_ok=True)
        env.bytecode_cache = FileSystemBytecodeCache(str(jinja_cache))
        assert self.nav is not None
        fill_prebuilt(self.config, env, self.nav, files, self.site.prebuilt)
        if self.written is not None:
            self._writing = mark_unchanged(files, self.written)
        self.files = files

    def sitemap(self, output: str) -> str:
        assert self.files is not None
        return add_to_sitemap(output, self.config, self.files)

    def page_markdown(self, markdown: str, page: Page, files: Files) -> str:
        """The Markdown to convert: each of the page's slots (large raw HTML blocks that change with
        any entry, see Site.slots) stands as its marker line, and a page converted before with the
        same Markdown is taken from the cache (:mod:`.rendered`)."""
        source = page.file.src_uri
        self._complete[source] = markdown
        taken: dict[str, str] = {}
        for marker, block in self.site.slots.get(source, {}).items():
            at = markdown.find(block)
            if at >= 0:  # (a plugin before this hook may have changed it: then it is converted)
                markdown = markdown[:at] + marker + markdown[at + len(block):]
                taken[marker] = block
        self._slots_taken[source] = taken
        return self.converted.before(markdown, page, self.config, files)

    def page_content(self, html: str, page: Page, files: Files) -> str:
        source = page.file.src_uri
        html = self.converted.after(html, page, files)
        page.markdown = self._complete.pop(source, page.markdown)
        taken = self._slots_taken.pop(source, None)
        if taken:
            # What MkDocs would have converted from the complete Markdown: the raw HTML passes
            # through unchanged, and its ids are anchors of the page.
            html = fill_slots(html, taken)
            page.present_anchor_ids = (page.present_anchor_ids or set()) | anchor_ids(*taken.values())
        return html

    def finish(self) -> None:
        """After the search plugin wrote its index: add the resource pages to it; write the
        exports into the site root."""
        assert self.files is not None
        self.converted.save()
        searches = search_plugins(self.config)
        if searches and not write_search_entries(self.config.site_dir, self.files, self.site.prebuilt,
                                                 self.site.aliases):
            log.warning("resource pages are not in the search index: the plugin %s writes no index"
                        " this site can add to (search/search_index.json)", ", ".join(searches))
        if self.written is not None:
            self.written.clear()
            self.written.update(self._writing)
        out = Path(self.config.site_dir)
        for name, content in self.site.exports.items():
            (out / name).parent.mkdir(parents=True, exist_ok=True)
            (out / name).write_text(content, encoding="utf-8")
        # `mkdocs serve` keeps the config of its first build for as long as it runs: what this
        # build made is let go (at 10,000 resources, keeping it slowed every rebuild by seconds).
        self.site = Site()
        self.files = None
        self.nav = None

    def abandon(self) -> None:
        """The build failed: stop what it started."""
        self.converted.close()
