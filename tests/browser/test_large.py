"""The bibliography's large-catalogue mode: entries loaded from bibliography.json on demand.

The real catalogue is small enough to be listed as static HTML, so this builds the tiny test
catalogue with the inline limit lowered to two entries, which switches the page to the mode a
10,000-entry catalogue uses.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from sitebuild import REPO, make_project, mkdocs_build

from .conftest import serve_directory, watched_page
from .helpers import list_rendered, shown_count

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def large_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    project = make_project(tmp_path_factory.mktemp("large"), REPO / "tests" / "fixtures" / "mini")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8")
                      + "\nextra:\n  readingmap:\n    bibliography_inline_limit: 2\n", encoding="utf-8")
    done = mkdocs_build(project)
    assert done.returncode == 0, done.stderr
    site = project / "site"
    assert (site / "bibliography.json").is_file()
    with serve_directory(site) as url:
        yield url


@pytest.fixture
def large_page(browser: Any, large_url: str) -> Iterator[Any]:
    with watched_page(browser, base_url=large_url) as page:
        yield page


def test_entries_come_from_json_and_filter(large_page: Any, large_url: str) -> None:
    page = large_page
    page.goto("/bibliography/")
    page.wait_for_selector("#bib-list .rm-entry")
    assert shown_count(page) == (5, 5)
    assert page.locator("#bib-list noscript").count() == 0  # replaced by the rendered entries
    page.fill("#bib-filter", "yarotsky")
    assert shown_count(page) == (1, 5)
    list_rendered(page)
    assert page.eval_on_selector_all("#bib-list .rm-entry", "els => els.map(e => e.id)") == [
        "yarotsky2017error"]
    assert "text=yarotsky" in page.url
    page.fill("#bib-filter", "")
    page.select_option("#bib-level", "introductory")
    assert shown_count(page)[0] == 3


def test_known_maths_marks_rendered_entries(large_page: Any) -> None:
    page = large_page
    page.goto("/bibliography/")
    page.wait_for_selector("#bib-list .rm-entry")
    page.check('#known-maths input[value="linear-algebra"]')
    status = page.locator('#bib-list .rm-entry#goodfellow2016deep .rm-status')
    assert status.inner_text() == "ready to read"
    missing = page.locator('#bib-list .rm-entry#yarotsky2017error .rm-status')
    assert missing.inner_text().startswith("needs ")


def test_json_matches_the_catalogue(large_url: str) -> None:
    import urllib.request

    with urllib.request.urlopen(f"{large_url}/bibliography.json") as response:
        data = json.loads(response.read())
    with urllib.request.urlopen(f"{large_url}/catalogue.json") as response:
        catalogue = json.loads(response.read())
    key = data["columns"].index("key")
    assert sorted(row[key] for row in data["entries"]) == sorted(r["id"] for r in catalogue["resources"])


#: What a reader sees of each entry: its reference text, links, topics, badges, readiness and read box.
ENTRY_PARTS = """els => els.map(e => ({
    id: e.id, ref: e.querySelector('.rm-ref').textContent.replace(/\\s+/g, ' ').trim(),
    links: [...e.querySelectorAll('.rm-links a')].map(a => [a.textContent, a.getAttribute('href')]),
    topics: [...e.querySelectorAll('.rm-topics a')].map(a => [a.textContent, a.getAttribute('href')]),
    badges: [...e.querySelectorAll('.rm-kind, .rm-level')].map(s => s.textContent),
    needs: e.querySelector('.rm-status').getAttribute('data-needs'),
    read: e.querySelector('.rm-read-box').getAttribute('aria-label').startsWith('I have read this: ')}))"""


def test_entries_built_in_the_browser_match_the_static_ones(
        large_page: Any, browser: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    """The script draws each entry from the compact data with the structure the package writes
    for a small catalogue: the same links, topics, badges and read box, in the same order."""
    page = large_page
    page.goto("/bibliography/")
    page.wait_for_selector("#bib-list .rm-entry")
    drawn = page.eval_on_selector_all("#bib-list .rm-entry", ENTRY_PARTS)
    project = make_project(tmp_path_factory.mktemp("inline"), REPO / "tests" / "fixtures" / "mini")
    done = mkdocs_build(project)
    assert done.returncode == 0, done.stderr
    with serve_directory(project / "site") as url:
        context = browser.new_context(base_url=url)
        try:
            static = context.new_page()
            static.goto("/bibliography/")
            expected = static.eval_on_selector_all("#bib-list .rm-entry", ENTRY_PARTS)
        finally:
            context.close()
    assert drawn == expected


def test_bibtex_of_a_drawn_entry_comes_from_refs_bib(large_page: Any, large_url: str) -> None:
    import urllib.request

    page = large_page
    page.goto("/bibliography/")
    page.wait_for_selector("#bib-list .rm-entry")
    entry = page.locator("#bib-list .rm-entry#yarotsky2017error")
    entry.locator("summary").click()
    text = entry.locator(".rm-bibtex-text")
    page.wait_for_function("el => el.textContent.startsWith('@')", arg=text.element_handle())
    with urllib.request.urlopen(f"{large_url}/refs.bib") as response:
        bib = response.read().decode("utf-8")
    shown = text.text_content()
    assert shown is not None and shown.startswith("@article{yarotsky2017error,") and shown in bib


def test_search_reaches_notes_and_aliases(large_page: Any, large_url: str) -> None:
    """The search text the data does not spell out (the reference's own words, topic names) is
    rebuilt in the browser; notes and aliases come from bibliography-search.json."""
    import urllib.request

    with urllib.request.urlopen(f"{large_url}/catalogue.json") as response:
        catalogue = json.loads(response.read())
    yarotsky = next(r for r in catalogue["resources"] if r["id"] == "yarotsky2017error")
    page = large_page
    page.goto("/bibliography/")
    page.wait_for_selector("#bib-list .rm-entry")
    word = max((w for w in yarotsky["why"].split() if w.isalpha()), key=len)
    for query in (word, "Yarotsky", "Expressivity", str(yarotsky["year"])):
        page.fill("#bib-filter", query)
        # the notes arrive in a file of their own; the filter is applied again when they do
        page.wait_for_selector("#bib-list .rm-entry#yarotsky2017error", state="attached")
        assert page.locator("#bib-list .rm-entry#yarotsky2017error").count() == 1, query


def test_download_gives_every_match_not_only_the_rendered_page(large_page: Any) -> None:
    from pybtex.database import parse_string

    page = large_page
    page.goto("/bibliography/?level=introductory")
    page.wait_for_selector("#bib-list .rm-entry", state="attached")
    expected = sorted(page.eval_on_selector_all("#bib-list .rm-entry", "els => els.map(e => e.id)"))
    with page.expect_download() as info:
        page.get_by_role("button", name="Download these as BibTeX").click()
    with open(info.value.path(), encoding="utf-8") as handle:
        assert sorted(parse_string(handle.read(), "bibtex").entries) == expected
