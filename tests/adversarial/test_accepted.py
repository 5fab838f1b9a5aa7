"""Hostile but valid data loads, and every output keeps it inert: no script, no event handler and
no link with a scheme other than http(s) comes from the data, in the generated Markdown rendered
as MkDocs would, and in a real ``mkdocs build`` of all accepted cases together."""

from __future__ import annotations

import html
import json
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
from corpus import ACCEPTED, IMG, MARK, SVG, Accepted, Case, make_base
from scan import scan_html

from readingmap.catalogue import bibtex
from readingmap.catalogue.load import load_catalogue
from readingmap.render import site
from sitebuild import build_in_process, make_project

pytestmark = pytest.mark.slow  # builds whole sites (left out of the edit loop)

ROOT = Path(__file__).resolve().parents[2]
# The Markdown extensions of mkdocs.yml that can turn text into markup.
EXTENSIONS = ["toc", "attr_list", "md_in_html", "tables", "admonition", "def_list",
              "pymdownx.arithmatex", "pymdownx.highlight", "pymdownx.superfences"]


def _apply(cases: list[Case], data: Path) -> Path:
    make_base(data)
    for case in cases:
        for edit in case.edits:
            edit(data)
    return data


def _render(md_source: str) -> str:
    body = md_source.split("\n---\n", 1)[1] if md_source.startswith("---\n") else md_source
    return markdown.markdown(body, extensions=EXTENSIONS,
                             extension_configs={"pymdownx.arithmatex": {"generic": True}})


def _check_exports(exports: dict[str, str], tmp: Path) -> None:
    catalogue = exports["catalogue.json"]
    json.loads(catalogue)
    assert "</" not in catalogue
    # refs.bib reads back cleanly: the written BibTeX is as strict as the input.
    refs, problems, _ = bibtex.read("refs.bib", exports["refs.bib"].encode("utf-8"))
    assert problems == []
    assert refs


@pytest.mark.parametrize("case", ACCEPTED, ids=lambda c: c.name)
def test_accepted_and_inert(case: Case, tmp_path: Path) -> None:
    cat = load_catalogue(_apply([case], tmp_path / "data"))
    built = site.build(cat)
    found: list[str] = []
    rendered = {}
    for path in built.pages:
        source = built.markdown(path)
        rendered[path] = _render(source)
        found += scan_html(path, rendered[path], MARK)
        for line in source.splitlines():  # front matter goes into <title> and <meta>
            if line.startswith(("title: ", "description: ")):
                found += scan_html(path, json.loads(line.split(": ", 1)[1]), MARK)
    for path, page in built.prebuilt.items():  # resource, result and question pages
        rendered[path] = page.body()
        # (title and description are text: the page's shell escapes them, as the theme's page does)
        found += scan_html(path, page.body(), MARK) + scan_html(path, html.escape(page.title), MARK)
        found += scan_html(path, html.escape(page.description), MARK)
    assert found == []
    _check_exports(built.exports, tmp_path)
    assert isinstance(case.expect, Accepted)
    everything = html.unescape("\n".join(rendered.values()))
    for shown in case.expect.shows:
        assert shown in everything, f"{shown!r} is not shown on any page"
        assert shown in built.exports["catalogue.json"]


@pytest.fixture(scope="module")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One real MkDocs build of every accepted case at once."""
    project = tmp_path_factory.mktemp("hostile")
    _apply(ACCEPTED, project / "data")
    return build_in_process(make_project(project, project / "data"), out="out", strict=False)


def test_mkdocs_build_is_inert(built_site: Path) -> None:
    found: list[str] = []
    pages = sorted(built_site.rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        found += scan_html(str(page.relative_to(built_site)), page.read_text(encoding="utf-8"), MARK)
    for svg in built_site.rglob("*.svg"):
        found += scan_html(str(svg.relative_to(built_site)), svg.read_text(encoding="utf-8"), MARK)
    assert found == []


def test_search_index_is_inert(built_site: Path) -> None:
    index = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    found: list[str] = []
    for doc in index["docs"]:
        for key in ("title", "text"):
            found += scan_html(f"search:{doc['location']}:{key}", doc.get(key, ""), MARK)
    assert found == []
    assert any(MARK in doc.get("text", "") for doc in index["docs"])  # the data is indexed, as text


def test_exports_of_the_build(built_site: Path, tmp_path: Path) -> None:
    exports = {name: (built_site / name).read_text(encoding="utf-8")
               for name in ("catalogue.json", "refs.bib")}
    _check_exports(exports, tmp_path)
    catalogue = json.loads(exports["catalogue.json"])
    titles = [r["title"] for r in catalogue["resources"]]
    assert "Schöne Übungen für Naïve" in titles


def test_accents_render_in_page_html(built_site: Path) -> None:
    page = (built_site / "resources" / "adv2001m" / "index.html").read_text(encoding="utf-8")
    assert "Schöne Übungen" in page
    assert "Jörg Müller" in page
    title = page.split("<title>", 1)[1].split("</title>", 1)[0]
    assert "Schöne Übungen" in html.unescape(title)


class _Head(HTMLParser):
    """The text of <title>, the meta description and the scripts of a page's head, as a browser parses it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title: list[str] = []
        self.description: str | None = None
        self.scripts: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("title", "script"):
            self._in = tag
            if tag == "script":
                self.scripts.append("")
        elif tag == "meta" and ("name", "description") in attrs:
            self.description = dict(attrs).get("content")

    def handle_endtag(self, tag: str) -> None:
        self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "title":
            self.title.append(data)
        elif self._in == "script":
            self.scripts[-1] += data


def test_title_and_meta_are_escaped(built_site: Path) -> None:
    """A title that closes <title> and opens a script shows as that text, in the tab and the meta
    description, and no script element of the page carries it."""
    page = (built_site / "resources" / "adv2001e" / "index.html").read_text(encoding="utf-8")
    head = _Head()
    head.feed(page)
    hostile = f"</title><script>alert('{MARK}')</script>"
    assert "".join(head.title).startswith(hostile + " - ")
    assert head.description == "Fine."  # the page's own `why`, not broken into by the title
    assert not [s for s in head.scripts if MARK in s]
    hostile_why = _Head()
    hostile_why.feed((built_site / "resources" / "adv2001o" / "index.html").read_text(encoding="utf-8"))
    # The meta description is plain text: the sanitised `why` shows its tags as text, intact.
    assert hostile_why.description == f"{IMG} {SVG}"
    assert not [s for s in hostile_why.scripts if MARK in s]


def test_scanner_finds_what_it_looks_for() -> None:
    bad = (f"<title></title><script>alert('{MARK}')</script><img src=x onerror=alert(1)>"
           "<a href=' JaVaScRiPt:alert(1)'>x</a><iframe src='https://e.org'></iframe>"
           "<a href='data:text/html,x'>d</a><form action='vbscript:x'></form>")
    found = scan_html("t", bad, MARK)
    assert len(found) == 6, found
    assert scan_html("t", "<a href='../x/'>a</a><a href='https://e.org/'>b</a><a href='#x'>c</a>",
                     MARK) == []
