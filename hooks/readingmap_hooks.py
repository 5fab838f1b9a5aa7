"""MkDocs glue for the reading map: all logic lives in the ``readingmap`` package.

* ``on_config``: load and validate the catalogue once per build; bad data ends the build with a
  ``PluginError`` that lists every problem (no traceback, nothing written).
* ``on_files``: add every generated page and asset as a virtual file (nothing is written to docs/).
* ``on_nav`` / ``on_env``: fill the resource pages, which MkDocs copies instead of rendering, into
  the theme's page (``readingmap.mkdocs.shell``); ``on_post_template`` lists them in ``sitemap.xml``.
* ``on_post_build`` (before the search plugin's): add the resource pages to the search index,
  write ``catalogue.json`` and ``refs.bib`` into the site root.

Per-build state is attached to the config object, which MkDocs creates anew for every build and
every ``mkdocs serve`` rebuild; this module keeps no state of its own.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemBytecodeCache
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation

from readingmap.catalogue.load import load_catalogue
from readingmap.mkdocs.options import OptionsError, site_options
from readingmap.mkdocs.shell import add_to_sitemap, fill_prebuilt, index_for_search, prebuilt_file, search_plugins
from readingmap.problems import CatalogueError
from readingmap.render.site import Site, build, sync_sources

log = get_plugin_logger(__name__)
STATE = "readingmap_site"
NAV = "readingmap_nav"
FILES = "readingmap_files"


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    if not config.use_directory_urls:
        raise PluginError("the reading map's pages link to each other by directory URLs"
                          " (topics/<id>/): set use_directory_urls: true in mkdocs.yml")
    root = Path(config.config_file_path).parent
    try:
        catalogue = load_catalogue(root / "data")
    except CatalogueError as exc:
        raise PluginError(str(exc)) from None
    try:
        options, warnings = site_options(config.extra.get("readingmap"), repo_url=config.repo_url)
    except OptionsError as exc:
        raise PluginError(f"mkdocs.yml: {exc}") from None
    for warning in warnings:
        log.warning(warning)
    site = build(catalogue, options)
    contributing = root / "CONTRIBUTING.md"
    if contributing.is_file():
        site.pages["contributing.md"] = contributing.read_text(encoding="utf-8")
    config[STATE] = site
    log.info("catalogue: %d resources, %d pages", len(catalogue.resources), len(site.pages))
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    site: Site = config[STATE]
    # Page sources live in a cache beside mkdocs.yml (never in docs/), rewritten only when they
    # change, so that `mkdocs serve --dirty` rebuilds just the pages an edit touched.
    cache = _cache_dir(config) / "pages"
    for path, source in sync_sources(site.pages, cache).items():
        files.append(File.generated(config, path, abs_src_path=str(source)))
    for path in site.prebuilt:
        files.append(prebuilt_file(config, path))
    for path, source in site.assets.items():
        files.append(File.generated(config, path, abs_src_path=str(source)))
    return files


def _cache_dir(config: MkDocsConfig) -> Path:
    """Build caches beside mkdocs.yml (ignored by git), never in docs/."""
    return Path(config.config_file_path).parent / ".cache" / "readingmap"


def on_nav(nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
    config[NAV] = nav
    return nav


def on_env(env: Environment, config: MkDocsConfig, files: Files) -> Environment:
    site: Site = config[STATE]
    # MkDocs makes a new template environment for every build, so every `mkdocs serve` rebuild
    # compiled the theme's templates again (about 0.3 s); Jinja's bytecode cache checks each
    # template's source before using its compiled form.
    jinja_cache = _cache_dir(config) / "jinja"
    jinja_cache.mkdir(parents=True, exist_ok=True)
    env.bytecode_cache = FileSystemBytecodeCache(str(jinja_cache))
    fill_prebuilt(config, env, config[NAV], files, site.prebuilt)
    config[FILES] = files
    return env


def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    if template_name == "sitemap.xml":
        return add_to_sitemap(output_content, config, config[FILES])
    return output_content


@event_priority(50)  # the search plugin writes its index in its own on_post_build
def on_post_build(config: MkDocsConfig) -> None:
    site: Site = config[STATE]
    searches = search_plugins(config)
    if searches and not index_for_search(config.plugins, config[FILES], site.prebuilt):
        log.warning("resource pages are not in the search index: the plugin %s keeps an index"
                    " this site cannot add to (use the Material theme's search)", ", ".join(searches))
    out = Path(config.site_dir)
    for name, content in site.exports.items():
        (out / name).write_text(content, encoding="utf-8")
