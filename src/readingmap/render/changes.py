"""What was added to the map, and when: the data of the "What's new" page, and the Atom feed.

Every resource and result carries the date it was added (``added:`` in the data), so both are
computed from the catalogue alone: the same data give the same bytes, whenever they are built.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import groupby
from urllib.parse import urljoin

from ..catalogue.model import Catalogue, Resource, Result
from ..keys import NO_CACHES, Caches
from .fragments import Fragments
from .markup import Converter

__all__ = ["FEED", "FEED_LENGTH", "WHATS_NEW", "additions", "atom_feed", "by_month", "latest", "month_heading"]

WHATS_NEW = "whats-new/index.md"
FEED = "feed.xml"
#: How many additions the feed lists.
FEED_LENGTH = 50
#: How many the home page shows.
LATEST = 5
SITE_TITLE = "The Mathematics of Deep Learning: a reading map"


@dataclass(frozen=True)
class Addition:
    """A resource or a result, as a dated addition to the map."""

    added: str
    item: Resource | Result

    @property
    def kind(self) -> str:
        return "resources" if isinstance(self.item, Resource) else "results"

    @property
    def title(self) -> str:
        return self.item.title if isinstance(self.item, Resource) else self.item.name


def additions(cat: Catalogue) -> list[Addition]:
    """Every resource and result, newest first (then by kind and id, so the order is stable)."""
    items = [Addition(r.added, r) for r in cat.resources] + [Addition(r.added, r) for r in cat.results]
    items.sort(key=lambda a: (a.kind, a.item.id))
    items.sort(key=lambda a: a.added, reverse=True)
    return items


def by_month(cat: Catalogue) -> list[tuple[str, list[Addition]]]:
    """The additions grouped by month (``YYYY-MM``), newest first."""
    return [(month, list(group)) for month, group in groupby(additions(cat), key=lambda a: a.added[:7])]


def month_heading(month: str) -> str:
    """``2026-12`` as ``December 2026``."""
    return date(int(month[:4]), int(month[5:7]), 1).strftime("%B %Y")


def atom_feed(cat: Catalogue, ui: Fragments, site_url: str | None, caches: Caches = NO_CACHES) -> str:
    """The last :data:`FEED_LENGTH` additions as an Atom 1.0 feed.

    Links are absolute when the site's URL is known (``site_url``), else relative to the feed,
    which sits at the site's root; entry ids are the entries' URLs, or URNs without a site URL."""
    base = site_url.rstrip("/") + "/" if site_url else ""

    def href(path: str) -> str:
        return urljoin(base, path) if base else path

    def ident(kind: str, item_id: str) -> str:
        return href(f"{kind}/{item_id}/") if base else f"urn:reading-map:{kind}:{item_id}"

    nodes, convert = cat.nodes, Converter(caches)
    entries = []
    added = additions(cat)
    for a in added[:FEED_LENGTH]:
        item = a.item
        if isinstance(item, Resource):
            authors, topics, summary = item.authors, item.topics, convert.plain(item.why)
            link = href(f"resources/{item.id}/")
        else:
            authors, topics, summary = (item.who,), item.topics, convert.plain(item.statement)
            link = href(f"results/{item.id}/")
        entries.append({
            "title": a.title, "id": ident(a.kind, item.id), "href": link, "updated": f"{a.added}T00:00:00Z",
            "authors": authors or ("The editors",),
            "categories": [(t, nodes[t].name) for t in topics if t in nodes],
            "summary": summary,
        })
    updated = added[0].added if added else "1970-01-01"
    return str(ui("feed.xml", title=SITE_TITLE, feed_id=href(FEED) if base else "urn:reading-map:feed",
                  self_href=href(FEED), page_href=href("whats-new/"), updated=f"{updated}T00:00:00Z",
                  author="The editors of the reading map", entries=entries)) + "\n"


def latest(cat: Catalogue, count: int = LATEST) -> list[Addition]:
    return additions(cat)[:count]
