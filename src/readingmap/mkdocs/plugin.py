"""The one object that owns everything of the reading map that outlives a build.

MkDocs runs the hooks (``hooks/readingmap_hooks.py``), which bind every event to one
:class:`ReadingMapPlugin`, made when MkDocs loads the hooks: once per process, as a plugin
object is. As Material's optimize and social plugins hold their worker pool and manifest,
``on_startup`` creates what the session keeps (the worker pool; under ``mkdocs serve`` the build
caches held in memory between rebuilds, made on the first build, when the project is known) and
``on_shutdown`` writes the caches and stops the workers. Everything a single build makes lives on
its :class:`~readingmap.mkdocs.build.SiteBuild`, made in ``on_config`` and let go when the build
ends or fails. Nothing is kept in a module; the one thing changed for the whole process, the
cycle collector paused for a build outside ``mkdocs serve`` (:mod:`readingmap.collector`), is given
back when that build ends or fails.

A build that MkDocs starts without ``on_startup`` (an API call to ``mkdocs.commands.build``) gets
caches and a pool of its own, closed when it ends.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from ..cache import BuildCaches, project_cache
from ..collector import CollectorPause
from ..render.workers import Pool
from .build import SiteBuild
from .options import ReadingMapConfig

__all__ = ["ReadingMapPlugin"]


class ReadingMapPlugin(BasePlugin[ReadingMapConfig]):  # type: ignore[no-untyped-call]
    """The reading map's events (see the module's description). Its options are
    ``extra.readingmap`` of ``mkdocs.yml``, checked by :class:`ReadingMapConfig`."""

    def __init__(self) -> None:
        super().__init__()
        #: ``mkdocs serve``: the caches stay in memory from build to build until on_shutdown
        self.serving = False
        #: the session's worker pool (on_startup to on_shutdown)
        self.pool: Pool | None = None
        #: the session's build caches, by cache directory (``mkdocs serve`` only)
        self.sessions: dict[Path, BuildCaches] = {}
        #: ``mkdocs serve --dirty``: what the session last wrote to each resource page, by site
        #: directory (see SiteBuild.written)
        self.written: dict[str, dict[str, str]] | None = None
        #: the build under way, with what only it owns (caches and pool without a session)
        self.build: SiteBuild | None = None
        self._own: tuple[BuildCaches | None, Pool | None] = (None, None)
        #: the cycle collector, paused for a build outside ``mkdocs serve`` (see readingmap.collector)
        self._collector = CollectorPause()

    # -- what outlives a build -------------------------------------------------------------------
    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"
        self.written = {} if self.serving and dirty else None
        self.pool = Pool()

    def on_shutdown(self) -> None:
        self._collector.resume(collect=True)
        for caches in self.sessions.values():
            caches.close()
        self.sessions.clear()
        self.written = None
        if self.pool is not None:
            self.pool.close()
            self.pool = None
        self.serving = False

    # -- one build ---------------------------------------------------------------------------------
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self._end_build()
        if not self.serving:
            self._collector.pause()
        directory = project_cache(Path(config.config_file_path).parent)
        caches: BuildCaches | None = None
        if self.serving:
            caches = self.sessions.get(directory)
            if caches is None:
                caches = self.sessions[directory] = BuildCaches(directory, session=True)
        pool = self.pool
        own = (None if caches is not None else BuildCaches(directory), None if pool is not None else Pool())
        self._own = own
        written = None if self.written is None else self.written.setdefault(config.site_dir, {})
        self.build = SiteBuild(config, caches or own[0], pool or own[1], directory,  # type: ignore[arg-type]
                               written)
        return config

    def _current(self) -> SiteBuild:
        assert self.build is not None, "an event of a build before its on_config"
        return self.build

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        return self._current().add_files(files)

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        self._current().nav = nav
        return nav

    @event_priority(-100)  # after every other plugin: the Markdown as MkDocs will convert it
    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        return self._current().page_markdown(markdown, page, files)

    @event_priority(100)  # before every other plugin: they see the converted page, cached or not
    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        return self._current().page_content(html, page, files)

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        self._current().fill_pages(env, files)
        return env

    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
        return self._current().sitemap(output_content) if template_name == "sitemap.xml" else output_content

    @event_priority(-100)  # after the search plugin has written its index (in its own on_post_build)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        self._current().finish()
        self._end_build()

    def on_build_error(self, *, error: Exception) -> None:
        if self.build is not None:
            self.build.abandon()
        if self.written is not None:
            # The failed build may have written some pages: the next one writes them all.
            for written in self.written.values():
                written.clear()
        self._end_build()

    def _end_build(self) -> None:
        """Let go of the build's objects, close what only it owned, and resume the collector."""
        self.build = None
        caches, pool = self._own
        self._own = (None, None)
        if caches is not None:
            caches.close()
        if pool is not None:
            pool.close()
        self._collector.resume(collect=True)
