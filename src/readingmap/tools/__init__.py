"""The command line's tools beyond building: ``readingmap new`` and ``readingmap links``.

What it offers :mod:`readingmap.cli`:

- :mod:`.metadata`: a new work's bibliographic facts, fetched (:func:`~.metadata.from_arxiv`,
  :func:`~.metadata.from_crossref`) or typed in (:func:`~.metadata.from_fields`), and
  :class:`~.metadata.NewEntryError` for whatever stops them;
- :mod:`.entries`: :func:`~.entries.add_entry` writes those facts into the catalogue (a BibTeX
  entry and a YAML stub whose curation fields say ``TODO``);
- :mod:`.links`: every external link of the catalogue (:func:`~.links.collect`) checked politely
  (:class:`~.links.Checker`) and reported (:func:`~.links.table`, :func:`~.links.to_json`).

Each module says what it offers in ``__all__``.
"""
