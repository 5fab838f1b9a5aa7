"""MkDocs hooks for the reading map: every event bound to one :class:`ReadingMapPlugin`.

MkDocs loads this file once per process (also under ``mkdocs serve``), as it makes a plugin
object once: the object made here owns what outlives a build (the worker pool, the caches of a
serve session) and the build under way. The module itself keeps nothing else.
"""

from __future__ import annotations

from readingmap.mkdocs.plugin import ReadingMapPlugin

_plugin = ReadingMapPlugin()

on_startup = _plugin.on_startup
on_shutdown = _plugin.on_shutdown
on_config = _plugin.on_config
on_files = _plugin.on_files
on_nav = _plugin.on_nav
on_page_markdown = _plugin.on_page_markdown
on_page_content = _plugin.on_page_content
on_env = _plugin.on_env
on_post_template = _plugin.on_post_template
on_post_build = _plugin.on_post_build
on_build_error = _plugin.on_build_error
