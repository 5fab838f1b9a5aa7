"""The reading map's package: the catalogue in ``data/`` read, checked and turned into a site.

Data flows one way, each layer importing only those below it (an import-linter contract in
``pyproject.toml`` enforces it):

- :mod:`.cli`: ``readingmap check | render | new | links``;
- :mod:`.mkdocs` (the only part that knows MkDocs: the plugin object the hooks bind) and
  :mod:`.tools` (``new`` and ``links``);
- :mod:`.cache`: the build caches' storage, owned by the command line or the plugin object;
- :mod:`.render`: a checked catalogue as pages, drawings, assets and exports;
- :mod:`.graph`: the prerequisite graph: order, paths, readiness;
- :mod:`.catalogue`: reading and checking ``data/`` into a :class:`~.catalogue.model.Catalogue`;
- :mod:`.keys` (cache keys and the interface through which loading and rendering use the caches
  they are given) and :mod:`.problems` (errors that point at a file, line and column).

Each module says what it offers in ``__all__``; the rest is its own.
"""
