"""The only part of the package that knows MkDocs.

What it offers: :class:`.plugin.ReadingMapPlugin`, the one object the hooks
(``hooks/readingmap_hooks.py``) bind every MkDocs event to; it owns what outlives a build (the
worker pool, a serve session's caches) and makes a :class:`.build.SiteBuild` for each build.

Inside: :mod:`.build` (one build: the site rendered, pages added, slots filled), :mod:`.shell`
(resource pages filled into the theme's page; their search and sitemap entries), :mod:`.rendered`
(converted Markdown pages reused when unchanged) and :mod:`.options` (the ``extra.readingmap``
options, checked by a MkDocs config schema). Each module says what it offers in ``__all__``.
"""
