"""Every generated page of one catalogue, by kind: :class:`Pages` puts together the makers of
each kind, which share one :class:`~.listings.Listings` (and so one set of slots).

- :mod:`.addresses`: where each page lives, links between pages, front matter;
- :mod:`.listings`: lists of resources and results shared by the page kinds;
- :mod:`.hub_pages`: topic, maths area and path pages (Markdown);
- :mod:`.index_pages`: the home page, the indexes and What's new (Markdown);
- :mod:`.resource_pages`: resource pages, as HTML bodies (:class:`~.prebuilt.PrebuiltPage`);
- :mod:`.results_pages`: result and question pages and their indexes (with their ``links`` to
  the repository).

Every catalogue value passes through :mod:`readingmap.render.markup`.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..catalogue.model import Catalogue
from ..graph import Graph
from ..keys import NO_CACHES, Caches, Store
from .citations import Citation
from .citations import by_id as citations_by_id
from .fragments import Fragments
from .hub_pages import HubPages
from .index_pages import IndexPages
from .listings import Listings
from .resource_pages import ResourcePages
from .results_pages import EntryPages, Links

__all__ = ["Pages"]


class Pages:
    """The page makers of one catalogue, sharing its graph, fragments, caches and listings."""

    def __init__(self, cat: Catalogue, graph: Graph, ui: Fragments, page_cache: Store | None = None,
                 *, slots: bool = False, site_url: str | None = None, caches: Caches = NO_CACHES,
                 links: Links | None = None, cited: Mapping[str, Citation] | None = None) -> None:
        # Every resource's reference as reference managers read it (COinS, meta tags, downloads),
        # by resource id: made once a build (citations.by_id).
        cited = cited if cited is not None else citations_by_id(cat.resources)
        #: lists of resources and results, and with ``slots`` the raw HTML blocks kept out of the
        #: pages' Markdown (see site.Site.slots)
        self.listings = Listings(graph, ui, cited, caches, slots=slots)
        self.hubs = HubPages(cat, self.listings)
        self.indexes = IndexPages(cat, self.listings)
        self.resources = ResourcePages(cat, self.listings, page_cache, site_url=site_url)
        self.entries = EntryPages(cat, self.listings, links or Links(site_url=site_url))
