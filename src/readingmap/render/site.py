"""The whole generated site as data: page sources, static assets and exports.

This is the one entry point the MkDocs hooks and ``readingmap render`` share; it knows nothing of
MkDocs. Page paths are relative to the docs directory, exports to the site root.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from importlib import resources as pkg_resources
from pathlib import Path
from urllib.parse import quote

from ..catalogue.model import Catalogue, Resource
from ..graph import Graph
from ..keys import NO_CACHES, Caches, for_one_build
from . import changes, citations, export, references
from .addresses import BIBLIOGRAPHY, CONTRIBUTING, READING_LIST, node_src, path_bib, src_of, topic_bib
from .bibliography import (
    DATA_FILE,
    INLINE_LIMIT,
    LISTING_SLOT,
    SEARCH_FILE,
    bibliography_json,
    bibliography_page,
    bibliography_search_json,
)
from .fragments import Fragments
from .index_pages import maths_families
from .pages import Pages
from .prebuilt import PrebuiltPage
from .resource_pages import LINE, valid_rendered_page
from .results_pages import Links, results_path
from .route import ROUTE_FILE, route_json
from .workers import Pool

__all__ = [
    "PAGES_STORE",
    "Options",
    "Site",
    "asset_files",
    "build",
    "edit_links",
    "fill_slots",
    "project_pages",
    "write_pages",
]

ASSET_PREFIX = "assets/readingmap"
#: The build caches' store of rendered resource pages.
PAGES_STORE = "resource-pages"


@dataclass(frozen=True)
class Options:
    """Where contributors edit the data and report problems (optional)."""

    repo_url: str | None = None
    #: Where the site is served: absolute links and ids of the feed, permalinks of entries ("Cite
    #: this entry"); None: links relative to it.
    site_url: str | None = None
    branch: str = "main"
    data_path: str = "data/resources.yaml"
    #: Above this many resources the bibliography loads its entries from JSON on demand.
    inline_limit: int = INLINE_LIMIT
    #: Directories searched before the package for fragment templates (``readingmap/<name>.html``).
    template_dirs: tuple[str, ...] = ()
    #: Processes to format references and render pages in on a large cold build (None: one per core).
    workers: int | None = None


@dataclass
class Site:
    #: Markdown sources of the pages MkDocs renders, by path in the docs directory.
    pages: dict[str, str] = field(default_factory=dict)
    #: Pages whose body is HTML already (the resources), by the path their source would have.
    prebuilt: dict[str, PrebuiltPage] = field(default_factory=dict)
    assets: dict[str, Path] = field(default_factory=dict)
    exports: dict[str, str] = field(default_factory=dict)
    #: Other names (aliases) of the pages that have them, by page path: search finds a page by them.
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: Raw HTML blocks of pages, by page path and the line of the page's Markdown that stands
    #: for each: large parts that change with any entry, which the hooks put into the converted
    #: page (Markdown conversion would pass them through unchanged, at a cost) and
    #: ``readingmap render`` into the Markdown (:meth:`markdown`).
    slots: dict[str, dict[str, str]] = field(default_factory=dict)

    def markdown(self, path: str) -> str:
        """A page's complete Markdown: its source with its slots filled."""
        return fill_slots(self.pages[path], self.slots.get(path, {}))


def fill_slots(text: str, slots: dict[str, str]) -> str:
    """``text`` with each slot's line replaced by its HTML."""
    for line, html in slots.items():
        text = text.replace(line, html, 1)
    return text


def edit_links(options: Options, resource_id: str, line: int | str) -> tuple[str | None, str | None]:
    if not options.repo_url:
        return None, None
    base = options.repo_url.rstrip("/")
    edit = f"{base}/blob/{options.branch}/{options.data_path}#L{line}"
    title = quote(f"Problem with {resource_id}")
    issue = f"{base}/issues/new?template=report-problem.yml&title={title}&resource={quote(resource_id)}"
    return edit, issue


def build(cat: Catalogue, options: Options | None = None, *, caches: Caches = NO_CACHES,
          pool: Pool | None = None) -> Site:
    """Every page, asset and export of the site, computed once from the catalogue, with the build
    ``caches`` and worker ``pool`` of whoever runs the build (without a pool: one for this build)."""
    options = options or Options()
    if pool is None:
        with Pool(options.workers) as own:
            return _build(cat, options, caches, own)
    return _build(cat, options, caches, pool)


def _build(cat: Catalogue, options: Options, caches: Caches, pool: Pool) -> Site:
    caches = for_one_build(caches)
    # Worker processes format references (the costliest part) while this one writes the other pages.
    formatting = references.start([r.ref for r in cat.resources], caches, pool)
    graph = Graph(cat)
    ui = Fragments(options.template_dirs)
    page_cache = caches.store(PAGES_STORE, "resource pages", valid_rendered_page)
    links = Links(options.repo_url, options.branch, results_path(options.data_path), options.site_url)
    # Every page and file that shows a reference to reference managers takes it from here.
    cited = citations.by_id(cat.resources, partial(caches.memo, "citation"))
    texts = citations.Texts(caches)
    make = Pages(cat, graph, ui, page_cache, slots=True, site_url=options.site_url, caches=caches, links=links,
                 cited=cited)
    site = Site()
    pages = site.pages
    pages["index.md"] = make.indexes.home()
    pages.update(make.indexes.section_indexes())
    reading_lists: dict[str, str] = {}
    # Each topic's and path's readings (file name by extension, title, readings), written as
    # reference files once the references are formatted.
    readings: list[tuple[Callable[[str], str], str, list[Resource]]] = []
    for node in cat.topics:
        plan = graph.path(node.id)
        pages[node_src(node)] = make.hubs.topic(node)
        pages[src_of("paths", node.id)] = make.hubs.path(plan)
        reading_lists[f"paths/{node.id}/{READING_LIST}"] = make.hubs.reading_list(plan)
        readings.append((partial(_topic_file, node.id), f"Readings on {node.name}", make.hubs.topic_readings(node)))
        readings.append((partial(_path_file, node.id), f"Reading path to {node.name}",
                         [r for stage in plan.stages for r in stage.resources]))
    for node in cat.maths:
        pages[node_src(node)] = make.hubs.maths(node)
    site.aliases = {node_src(n): n.aliases for n in (*cat.topics, *cat.maths) if n.aliases}
    site.aliases.update({src_of("resources", r.id): r.aliases for r in cat.resources if r.aliases})
    # Each resource page's inputs and key, and those in the page cache, while the workers format.
    resource_pages = make.resources.start(cat.resources, lambda r: edit_links(options, r.id, LINE))
    refs = formatting.finish().refs
    # The workers make the other resource pages while this process makes the rest.
    resource_pages.make(refs, pool)
    for name, title, listed in readings:
        for ext, text in export.readings_files(title, listed, cited, refs, texts).items():
            reading_lists[name(ext)] = text
    pages.update(make.entries.indexes())
    site.prebuilt.update(make.entries.pages())
    site.aliases.update({src_of("results", r.id): r.aliases for r in cat.results if r.aliases})
    pages[changes.WHATS_NEW] = make.indexes.whats_new()
    families = maths_families(cat, graph)
    pages[BIBLIOGRAPHY], listing = bibliography_page(ui, cat, graph, families, cited, inline_limit=options.inline_limit,
                                                      refs=refs, caches=caches)
    assert make.listings.slots is not None
    site.slots = {**make.listings.slots, BIBLIOGRAPHY: {LISTING_SLOT: listing}}
    site.assets = asset_files()
    every = citations.all_citations(cat, cited)
    site.exports = {"catalogue.json": export.catalogue_json(cat), "refs.bib": export.refs_bib(cat, refs),
                    "refs.ris": texts.ris(every), "refs.json": texts.csl_json(every),
                    changes.FEED: changes.atom_feed(cat, ui, options.site_url, caches),
                    ROUTE_FILE: route_json(cat, graph, families), **reading_lists}
    if len(cat.resources) > options.inline_limit:
        site.exports[DATA_FILE] = bibliography_json(cat, graph, refs)
        site.exports[SEARCH_FILE] = bibliography_search_json(cat, caches)
    made = resource_pages.finish()
    # resource pages first, as the site lists its prebuilt pages
    site.prebuilt = {**{src_of("resources", r.id): page for r, page in zip(cat.resources, made, strict=True)},
                     **site.prebuilt}
    page_cache.save()
    return site


def _topic_file(topic_id: str, ext: str) -> str:
    return f"topics/{topic_id}/{topic_bib(topic_id, ext)}"


def _path_file(topic_id: str, ext: str) -> str:
    return f"paths/{topic_id}/{path_bib(topic_id, ext)}"


def project_pages(root: Path) -> dict[str, str]:
    """Pages of the site that come from the project rather than the catalogue: CONTRIBUTING.md."""
    contributing = root / "CONTRIBUTING.md"
    return {CONTRIBUTING: contributing.read_text(encoding="utf-8")} if contributing.is_file() else {}


def asset_files() -> dict[str, Path]:
    """Static files shipped with the package (JavaScript, CSS, KaTeX), by their site path."""
    root = Path(str(pkg_resources.files("readingmap") / "assets"))
    return {
        f"{ASSET_PREFIX}/{p.relative_to(root).as_posix()}": p
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def write_pages(cat: Catalogue, out: Path, options: Options | None = None, *, project: Path | None = None,
                caches: Caches = NO_CACHES) -> int:
    """``readingmap render``: write page sources, assets and exports below ``out``.

    With ``project`` (the project's root), ``out`` becomes a complete docs directory, which any
    Material-compatible generator builds: the hand-written pages of ``project/docs`` and the
    project's pages (:func:`project_pages`) are written too.
    """
    site = build(cat, options, caches=caches)
    count = 0
    if project is not None:
        site.pages.update(project_pages(project))
        docs = project / "docs"
        for source in sorted(docs.rglob("*")) if docs.is_dir() else ():
            if source.is_file():
                site.assets[source.relative_to(docs).as_posix()] = source
    sources = {rel: page.markdown() for rel, page in site.prebuilt.items()}
    markdown = {rel: site.markdown(rel) for rel in site.pages}
    for rel, content in {**markdown, **sources, **site.exports}.items():
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
        count += 1
    for rel, source in site.assets.items():
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(source.read_bytes())
        count += 1
    return count
