"""Taking references away from a page and being told what is new, in a real browser."""

from __future__ import annotations

import json
from typing import Any

from .helpers import Catalogue


def _saved(page: Any, link: Any) -> tuple[str, str]:
    with page.expect_download() as info:
        link.click()
    download = info.value
    with open(download.path(), encoding="utf-8") as handle:
        return download.suggested_filename, handle.read()


def test_a_resource_page_saves_its_reference_in_three_formats(page: Any, base_url: str,
                                                             catalogue: Catalogue) -> None:
    import rispy
    from pybtex.database import parse_string

    page.goto(f"{base_url}/resources/berner2021modern/")
    block = page.locator(".rm-downloads")
    name, text = _saved(page, block.get_by_role("link", name="BibTeX"))
    assert name == "berner2021modern.bib"
    assert list(parse_string(text, "bibtex").entries) == ["berner2021modern"]
    name, text = _saved(page, block.get_by_role("link", name="RIS"))
    assert name == "berner2021modern.ris"
    [record] = rispy.loads(text)
    assert record["title"] == catalogue.resource("berner2021modern")["title"]
    assert record["doi"] == "10.1017/9781009025096.002"
    name, text = _saved(page, block.get_by_role("link", name="CSL-JSON"))
    assert name == "berner2021modern.json"
    [item] = json.loads(text)
    assert item["id"] == "berner2021modern" and item["type"] == "chapter"


def test_works_added_since_the_last_visit_are_marked_new(page: Any, base_url: str, catalogue: Catalogue) -> None:
    page.goto(f"{base_url}/topics/depth/")
    # A first visit marks nothing.
    assert page.locator(".rm-new").count() == 0
    # The reader's previous visit ended on 25 November; this one starts now.
    page.evaluate("""() => localStorage.setItem("readingmap.visits.v1",
        JSON.stringify({previous: "2026-11-25", last: Date.now()}))""")
    page.reload()
    listed = page.locator("li[data-added]")
    expected = [item.get_attribute("data-added") > "2026-11-25" for item in listed.all()]
    marked = [item.locator(".rm-new").count() == 1 for item in listed.all()]
    assert marked == expected and any(expected)
    badge = page.locator(".rm-new").first
    assert "since your last visit (2026-11-25)" in (badge.get_attribute("title") or "")
    # A visit that ended more than six hours ago becomes the previous one.
    page.evaluate("""() => localStorage.setItem("readingmap.visits.v1",
        JSON.stringify({previous: null, last: Date.now() - 7 * 3600 * 1000}))""")
    page.reload()
    state = json.loads(page.evaluate("() => localStorage.getItem('readingmap.visits.v1')"))
    assert state["previous"] is not None and len(state["previous"]) == 10


def test_the_feed_and_whats_new_are_linked(page: Any, base_url: str) -> None:
    page.goto(base_url + "/")
    assert page.locator('link[rel="alternate"][type="application/atom+xml"]').get_attribute("href") == "./feed.xml"
    page.get_by_role("link", name="Everything added, by month").click()
    assert page.url.endswith("/whats-new/")
    assert page.locator("h2").first.text_content()
    response = page.request.get(f"{base_url}/feed.xml")
    assert response.ok and response.body().startswith(b"<?xml")


def test_the_read_list_downloads_as_references(page: Any, base_url: str) -> None:
    import rispy

    marked = ["berner2021modern", "goodfellow2016deep", "jacot2018neural"]
    page.goto(f"{base_url}/bibliography/")
    progress = page.locator("#reading-progress")
    page.get_by_role("button", name="Download what I have read as BibTeX").click()
    assert "Nothing is marked as read yet." in progress.inner_text()
    for ident in marked:
        page.locator(f'input.rm-read-box[value="{ident}"]').first.check()
    name, text = _saved(page, page.get_by_role("button", name="Download what I have read as RIS"))
    assert name == "reading-map-read.ris"
    assert sorted(r["id"] for r in rispy.loads(text)) == sorted(marked)
    name, text = _saved(page, page.get_by_role("button", name="Download what I have read as CSL-JSON"))
    assert name == "reading-map-read.json"
    assert sorted(item["id"] for item in json.loads(text)) == sorted(marked)
    assert "Saved 3 references" in progress.inner_text()
