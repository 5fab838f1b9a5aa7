"""MkDocs hooks for the reading map: a thin adapter over :class:`readingmap.mkdocs.build.SiteBuild`.

``on_config`` creates the build's object (bad data or options end the build with every problem
listed, before anything is written); the other events hand it what MkDocs passes them. The object
lives on the config, which MkDocs makes anew for every build and ``mkdocs serve`` rebuild; this
module keeps no state of its own. What outlives a build is the build caches of ``mkdocs serve``,
held in memory from ``on_startup`` to ``on_shutdown`` (:func:`readingmap.cache.start`).
"""

from __future__ import annotations

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from readingmap import cache
from readingmap.mkdocs.build import KEY, SiteBuild


def on_startup(command: str, dirty: bool) -> None:
    # `mkdocs serve` rebuilds in this process: its build caches stay in memory between rebuilds
    # and are written when it stops.
    if command == "serve":
        cache.start()


def on_shutdown() -> None:
    cache.end()


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    config[KEY] = SiteBuild(config)
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    return SiteBuild.of(config).add_files(files)


def on_nav(nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
    SiteBuild.of(config).nav = nav
    return nav


@event_priority(-100)  # after every other plugin: the Markdown as MkDocs will convert it
def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    return SiteBuild.of(config).page_markdown(markdown, page, files)


@event_priority(100)  # before every other plugin: they see the converted page, cached or not
def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    return SiteBuild.of(config).page_content(html, page, files)


def on_env(env: Environment, config: MkDocsConfig, files: Files) -> Environment:
    SiteBuild.of(config).fill_pages(env, files)
    return env


def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    return SiteBuild.of(config).sitemap(output_content) if template_name == "sitemap.xml" else output_content


@event_priority(-100)  # after the search plugin has written its index (in its own on_post_build)
def on_post_build(config: MkDocsConfig) -> None:
    SiteBuild.of(config).finish()
