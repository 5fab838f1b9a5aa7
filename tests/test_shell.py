"""The theme's page rendered once and filled per resource page (readingmap.mkdocs.shell)."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import jinja2
import pytest
from mkdocs.config import load_config
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.nav import get_navigation

from readingmap.catalogue.load import load_catalogue
from readingmap.mkdocs.shell import (
    PrebuiltFile,
    add_to_sitemap,
    anchor_ids,
    fill_prebuilt,
    index_for_search,
    prebuilt_file,
    write_search_entries,
)
from readingmap.render.fragments import Fragments
from readingmap.render.prebuilt import PrebuiltPage
from readingmap.render.site import build
from sitebuild import REPO, make_project

SECTIONS = (("why-read-it", "Why read it", "<p>why</p>"),)


@pytest.fixture()
def config(tmp_path: Path):  # type: ignore[no-untyped-def]
    project = make_project(tmp_path, REPO / "tests/fixtures/mini")
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    config.plugins._current_plugin = None  # set by MkDocs while it runs an event; read by File.generated
    return config


def _page(title: str, description: str = "d") -> PrebuiltPage:
    return PrebuiltPage(title, description, "<p>lead</p>", SECTIONS, "search", Fragments())


def _fill(config, template: str, prebuilt: dict[str, PrebuiltPage]) -> Files:  # type: ignore[no-untyped-def]
    env = jinja2.Environment(loader=jinja2.DictLoader({"main.html": template}))
    files = Files([prebuilt_file(config, path) for path in prebuilt])
    fill_prebuilt(config, env, get_navigation(files, config), files, prebuilt)
    return files


def test_prebuilt_file_is_copied_at_the_page_url(config) -> None:  # type: ignore[no-untyped-def]
    file = prebuilt_file(config, "resources/x/index.md")
    assert isinstance(file, PrebuiltFile)
    assert not file.is_documentation_page()
    assert file.dest_uri == "resources/x/index.html" and file.url == "resources/x/"


def test_every_value_is_escaped_where_the_theme_prints_it(config) -> None:  # type: ignore[no-untyped-def]
    template = ("<title>{{ page.title }}</title><meta content=\"{{ page.meta.description }}\">"
                "<a href=\"{{ base_url }}/x\">{{ page.url }}</a><main>{{ page.content }}</main>"
                "{% for item in page.toc %}<li>{{ item.title }}</li>{% endfor %}")
    hostile = _page('<script>alert(1)</script> & "q"', 'say "hi" <b>')
    files = _fill(config, template, {"resources/x/index.md": hostile})
    html = next(iter(files)).content_string
    assert "<script>" not in html and "<b>" not in html
    assert "<title>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot;</title>" in html
    assert 'content="say &quot;hi&quot; &lt;b&gt;"' in html
    assert '<a href="../../x">resources/x/</a>' in html
    assert "<main><h1>&lt;script&gt;" in html and hostile.body() in html
    assert "<li>Why read it</li>" in html


def test_a_theme_that_prints_the_content_twice_is_refused(config) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PluginError, match="printed the page content 2 times"):
        _fill(config, "{{ page.content }}{{ page.content }}", {"resources/x/index.md": _page("t")})


@pytest.mark.parametrize("template", ["{{ page.title | upper }}{{ page.content }}",
                                      "{{ page.title | truncate(9) }}{{ page.content }}",
                                      "<script>var t = {{ page.title | tojson }};</script>{{ page.content }}"])
def test_a_theme_that_transforms_a_value_is_refused(config, template: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PluginError, match="changes the page title, description or URL"):
        _fill(config, template, {"resources/x/index.md": _page("t")})


def test_prebuilt_pages_are_added_to_the_search_index(config) -> None:  # type: ignore[no-untyped-def]
    files = Files([prebuilt_file(config, "resources/a/index.md"), prebuilt_file(config, "resources/b/index.md")])
    prebuilt = {"resources/a/index.md": _page("A <i>"), "resources/b/index.md": _page("B")}
    page_entry = {"location": "about/", "title": "About", "text": "x"}
    index = {"config": {}, "docs": [dict(page_entry)]}
    assert index_for_search(index, files, prebuilt)
    assert index["docs"] == [
        page_entry,  # pages indexed by the plugin stay first
        {"location": "resources/a/", "title": "A &lt;i&gt;", "text": "search"},
        {"location": "resources/b/", "title": "B", "text": "search"},
    ]
    assert not index_for_search({"entries": []}, files, prebuilt)


def test_entries_of_prebuilt_pages_already_in_the_index_are_replaced(config) -> None:  # type: ignore[no-untyped-def]
    files = Files([prebuilt_file(config, "resources/a/index.md")])
    index = {"docs": [{"location": "about/", "title": "About", "text": "x"},
                      {"location": "resources/a/", "title": "Old", "text": "old"},
                      {"location": "resources/a/#why", "title": "Old section", "text": "old"}]}
    index_for_search(index, files, {"resources/a/index.md": _page("New")})
    assert [e["title"] for e in index["docs"]] == ["About", "New"]


def test_the_entries_are_written_into_the_index_file_the_plugin_wrote(config, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    files = Files([prebuilt_file(config, "resources/a/index.md")])
    assert not write_search_entries(str(tmp_path), files, {"resources/a/index.md": _page("A")}, {})
    (tmp_path / "search").mkdir()
    (tmp_path / "search" / "search_index.json").write_text('{"config":{"lang":["en"]},"docs":[]}', encoding="utf-8")
    assert write_search_entries(str(tmp_path), files, {"resources/a/index.md": _page("A")}, {})
    assert (tmp_path / "search" / "search_index.json").read_text(encoding="utf-8") == \
        '{"config":{"lang":["en"]},"docs":[{"location":"resources/a/","title":"A","text":"search"}]}'


def test_sitemap_lists_prebuilt_pages_only_with_a_site_url(config) -> None:  # type: ignore[no-untyped-def]
    files = Files([prebuilt_file(config, "resources/a&b/index.md")])
    sitemap = '<?xml version="1.0"?>\n<urlset>\n    <url><loc>x</loc></url>\n</urlset>\n'
    config.site_url = None  # MkDocs lists no page without one, and neither do the hooks
    assert add_to_sitemap(sitemap, config, files) == sitemap
    config.site_url = "https://example.org/map/"
    out = add_to_sitemap(sitemap, config, files)
    assert "<loc>https://example.org/map/resources/a%26b/</loc>\n         <lastmod>" in out
    assert out.endswith("</url>\n</urlset>\n") and out.count("<url>") == 2


class _MkDocsAnchors(HTMLParser):
    """The rule of MkDocs' own parser of raw HTML in Markdown (ids, and names of links)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.update(v for k, v in attrs if v is not None and (k == "id" or (k == "name" and tag == "a")))


def _parsed(html: str) -> set[str]:
    parser = _MkDocsAnchors()
    parser.feed(html)
    parser.close()
    return parser.found


def test_anchor_ids_of_slots_are_those_an_html_parser_finds() -> None:
    """The hooks find the anchors of a page's slots with a pattern, not a parser: on every slot of
    the real site, and on hand-made HTML of the shapes the templates write, they agree."""
    built = build(load_catalogue(REPO / "data"))
    blocks = [html for slots in built.slots.values() for html in slots.values()]
    assert any(_parsed(html) for html in blocks)  # the bibliography's entries have ids
    blocks += ['<ul class="x"><li id="a&amp;b">t</li>\n<li\nid="c" data-id="no">u</li></ul>',
               '<a name="n1" href="#x">x</a><span name="not-an-anchor">y</span><p data-name="z">id=</p>',
               '<section id="s"><A NAME="upper">z</A></section>']
    for html in blocks:
        assert anchor_ids(html) == _parsed(html), html[:80]
