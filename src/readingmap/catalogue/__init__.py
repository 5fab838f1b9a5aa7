"""Reading and checking ``data/``: the one way to a checked :class:`~.model.Catalogue`.

What it offers the rest of the package:

- :func:`.load.load_catalogue` reads every data file once, checks everything, and returns the
  checked catalogue or raises :class:`~readingmap.problems.CatalogueError` with every problem found,
  each at its file, line and column; :func:`.load.catalogue_warnings` lists what ``readingmap check``
  reports without failing;
- :mod:`.model`: the frozen records (topics and maths areas, resources, results, questions,
  sources, the catalogue) and the vocabularies they use (kinds, levels, statuses);
- the readers and value checks that ``readingmap new`` and rendering share: :mod:`.bibtex` (refs.bib
  read and scanned with positions), :mod:`.latex` (BibTeX values as plain Unicode), :mod:`.mathtext`
  (maths in text), :mod:`.urls` (URLs, DOIs, arXiv ids, ISBNs), :mod:`.yamlstrict` (the strict
  YAML reader) and :mod:`.schema` (identifiers and the ``TODO`` mark).

Inside, :mod:`.load` sequences the readers (over :mod:`.textchecks`), the record shapes
(:mod:`.schema`) and the checks across records (:mod:`.checks`). Each module says what it offers
in ``__all__``.
"""
