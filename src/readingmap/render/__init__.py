"""The checked catalogue as a site: page sources, static assets and exports, knowing nothing of MkDocs.

What the subpackage offers the rest of the package (``cli``, ``mkdocs``, the benchmark):

- :func:`.site.build` turns a :class:`~readingmap.catalogue.model.Catalogue` into a
  :class:`.site.Site` (Markdown pages with their slots, prebuilt HTML pages, assets, exports), with
  the build caches and worker pool (:class:`.workers.Pool`) its caller owns;
  :func:`.site.write_pages` is ``readingmap render``; :class:`.site.Options` are the site's settings.
- :class:`.prebuilt.PrebuiltPage`: a page whose body is HTML already (resources, results,
  questions), which the MkDocs hooks fill into the theme's page.

Inside, the flow runs one way, from the page kinds down to the pieces they share:

- ``site`` puts everything together; ``pages`` composes the makers of each kind of page:
  ``hub_pages`` (topics, maths areas, paths), ``index_pages`` (home, indexes, What's new),
  ``resource_pages``, ``results_pages`` (results and questions), ``bibliography``;
- ``listings`` (lists shared by the page kinds), ``prebuilt`` (HTML pages), ``addresses`` (where
  pages live, links, front matter);
- drawings (``svg``, with the home picture's layout in ``overview``; ``results_graph``),
  references (``references``, ``citations``, ``cite``), exports (``export``, ``changes``, ``route``);
- ``fragments`` (HTML from Jinja templates, autoescaped) and ``markup`` (every catalogue value's
  way into a page: escaping and sanitising).

Each module names what it offers in ``__all__``; the rest is its own.
"""
