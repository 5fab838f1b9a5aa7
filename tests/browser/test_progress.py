"""Reading progress in a real browser: "I have read this" marks on every listing, kept in
localStorage across reloads, counted on paths and topics, filtered on in the bibliography,
exported to and imported from a JSON file; and the static page without JavaScript.

Which resources a page lists is read from the catalogue the site exports, never hard-coded.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from .helpers import Catalogue, shown_count, visible_keys

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.browser

READ = re.compile("I have read")


def read_box(page: Any, resource: dict[str, Any]) -> Any:
    """The first "I have read this" box of ``resource`` on the page, found by its accessible name."""
    return page.get_by_role("checkbox", name=f"I have read this: {resource['title']}", exact=True).first


def progress(page: Any) -> tuple[int, int]:
    text = page.locator(".rm-progress .rm-progress-count").inner_text()
    match = re.fullmatch(r"(\d+) of (\d+) read", text)
    assert match, text
    return int(match.group(1)), int(match.group(2))


def path_readings(catalogue: Catalogue, page: Any) -> list[str]:
    """The distinct resources a path page links to in its stages, in order."""
    hrefs = page.eval_on_selector_all(
        "article ol > li li > a", "els => els.map(e => e.getAttribute('href'))")
    ids = [h.rstrip("/").split("/")[-1] for h in hrefs]
    assert ids and set(ids) <= {r["id"] for r in catalogue.resources}
    return list(dict.fromkeys(ids))


def test_marks_are_kept_after_a_reload_and_counted_on_a_path(page: Any, catalogue: Catalogue) -> None:
    page.goto("/paths/infinite-width/")
    readings = path_readings(catalogue, page)
    assert progress(page) == (0, len(readings))
    # every reading the route lists has a visible box whose name says "I have read"
    assert page.get_by_role("checkbox", name=READ).count() >= len(readings)
    first, second = (catalogue.resource(r) for r in readings[:2])
    read_box(page, first).check()
    read_box(page, second).check()
    assert progress(page) == (2, len(readings))
    page.reload()
    assert read_box(page, first).is_checked() and read_box(page, second).is_checked()
    assert progress(page) == (2, len(readings))
    read_box(page, second).uncheck()
    assert progress(page) == (1, len(readings))
    # the same mark shows wherever the resource is listed: its page, a topic page, the bibliography
    page.goto(f"/resources/{first['id']}/")
    assert read_box(page, first).is_checked()
    topic = first["topics"][0]
    page.goto(f"/{'maths' if topic in catalogue.maths_ids else 'topics'}/{topic}/")
    assert read_box(page, first).is_checked()
    page.goto("/bibliography/")
    assert read_box(page, first).is_checked()
    assert not read_box(page, second).is_checked()


def test_a_topic_counts_the_readings_it_lists(page: Any) -> None:
    page.goto("/topics/generalisation/")
    listed = page.eval_on_selector_all(".rm-read-box", "els => [...new Set(els.map(e => e.value))]")
    assert progress(page) == (0, len(listed))
    page.locator(f'.rm-read-box[value="{listed[-1]}"]').first.check()
    assert progress(page) == (1, len(listed))
    # a resource listed twice (start here and its level) is one reading, ticked in both places
    duplicated = page.eval_on_selector_all(
        ".rm-read-box", "els => els.map(e => e.value).filter((v, i, all) => all.indexOf(v) !== i)")
    if duplicated:
        page.locator(f'.rm-read-box[value="{duplicated[0]}"]').first.check()
        assert all(page.locator(f'.rm-read-box[value="{duplicated[0]}"]').evaluate_all(
            "els => els.map(e => e.checked)"))
        assert progress(page) == (2, len(listed))


def test_bibliography_shows_only_what_is_not_read(page: Any, catalogue: Catalogue) -> None:
    page.goto("/bibliography/")
    total = len(catalogue.resources)
    chosen = [catalogue.readings[0], catalogue.readings[5]]
    for resource in chosen:
        read_box(page, resource).check()
    page.get_by_label("Only what I have not read").check()
    assert shown_count(page) == (total - 2, total)
    assert not {r["id"] for r in chosen} & set(visible_keys(page))
    assert "unread=1" in page.url
    # unticking a mark while the filter is on brings the entry back
    page.goto("/bibliography/?unread=1")
    assert page.get_by_label("Only what I have not read").is_checked()
    assert shown_count(page) == (total - 2, total)
    page.goto(f"/resources/{chosen[0]['id']}/")
    read_box(page, chosen[0]).uncheck()
    page.goto("/bibliography/?unread=1")
    assert shown_count(page) == (total - 1, total)
    assert chosen[0]["id"] in visible_keys(page)


def _export(page: Any) -> dict[str, Any]:
    with page.expect_download() as info:
        page.get_by_role("button", name="Export progress as JSON").click()
    assert info.value.suggested_filename == "reading-map-progress.json"
    with open(info.value.path(), encoding="utf-8") as handle:
        return json.load(handle)


def test_progress_and_known_maths_move_between_browsers(
        browser: Any, base_url: str, page: Any, catalogue: Catalogue, tmp_path: Path) -> None:
    page.goto("/bibliography/")
    marked = [catalogue.resources[1], catalogue.resources[2], catalogue.resources[3]]
    for resource in marked:
        read_box(page, resource).check()
    page.check('#known-maths input[value="linear-algebra"]')
    data = _export(page)
    assert data["format"] == "reading-map-progress" and data["version"] == 1
    assert data["read"] == [r["id"] for r in marked]
    assert data["known"] == ["linear-algebra"]
    exported = tmp_path / "progress.json"
    exported.write_text(json.dumps(data), encoding="utf-8")

    # a fresh browser profile: nothing marked, until the file is imported
    other = browser.new_context(base_url=base_url)
    try:
        fresh = other.new_page()
        fresh.goto("/bibliography/")
        assert not read_box(fresh, marked[0]).is_checked()
        fresh.get_by_label("Import progress from JSON").set_input_files(str(exported))
        message = fresh.locator("#progress-message")
        expect(message).to_have_text("Imported progress.json: stored 3 read marks (3 new) and 1 known area (1 new).")
        assert all(read_box(fresh, r).is_checked() for r in marked)
        assert fresh.locator('#known-maths input[value="linear-algebra"]').is_checked()
        assert "You have marked 3 resources as read and ticked 1 area of maths." in (
            fresh.locator("#progress-summary").inner_text())
        fresh.reload()
        assert all(read_box(fresh, r).is_checked() for r in marked)

        # a file that is not a progress file is refused with a reason, and changes nothing
        bad = tmp_path / "other.json"
        bad.write_text('{"read": ["x"]}', encoding="utf-8")
        fresh.get_by_label("Import progress from JSON").set_input_files(str(bad))
        expect(message).to_have_text(
            'Could not import other.json: expected a JSON object with "format": "reading-map-progress",'
            " as the export writes. Nothing was changed.")
        broken = tmp_path / "broken.json"
        broken.write_text('{"format": "reading-map-progress", "version": 1, "read": [1, 2]}', encoding="utf-8")
        fresh.get_by_label("Import progress from JSON").set_input_files(str(broken))
        expect(message).to_have_text(
            'Could not import broken.json: "read" must be a list of resource ids. Nothing was changed.')
        assert _export(fresh)["read"] == [r["id"] for r in marked]
    finally:
        other.close()


def test_without_javascript_the_page_is_static_and_complete(browser: Any, base_url: str) -> None:
    """The marks, counts and progress controls need the script, so without it they stay hidden;
    every reading is still listed and linked."""
    context = browser.new_context(base_url=base_url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/paths/infinite-width/")
        assert page.locator(".rm-read-box").count() > 0
        assert page.get_by_role("checkbox").count() == 0  # hidden boxes are not offered
        assert not page.locator(".rm-progress").is_visible()
        assert page.locator("article ol > li li > a").count() > 0
        page.goto("/bibliography/")
        assert not page.locator("#reading-progress").is_visible()
        assert not page.locator("#bib-unread-only").is_visible()
        assert page.locator("#bib-list .rm-entry").count() > 0
    finally:
        context.close()


def test_marks_survive_instant_navigation(instant_page: Any) -> None:
    """With the theme's instant navigation the scripts are not run again for a new page: they
    follow its page announcements, so marks, counts and maths work on every page reached
    (on pages without a drawn graph, which the theme's navigation fails on)."""
    page = instant_page
    page.goto("/topics/expressivity/")
    assert page.locator("svg a").count() == 0
    page.evaluate("window.__samePage = true")
    total = progress(page)[1]
    page.locator(".rm-read-box").first.check()
    assert progress(page) == (1, total)
    first = page.locator(".rm-read-box").first.get_attribute("value")
    page.locator(f'a[href$="/resources/{first}/"]').first.click()
    page.wait_for_url(f"**/resources/{first}/")
    expect(page.locator(f'.rm-read-box[value="{first}"]').first).to_be_checked()
    assert page.evaluate("window.__samePage === true"), "the theme reloaded the page"
    page.locator(f'.rm-read-box[value="{first}"]').first.uncheck()
    page.go_back()
    page.wait_for_url("**/topics/expressivity/")
    expect(page.locator(".rm-progress-count")).to_have_text(f"0 of {total} read")
    assert page.evaluate("window.__samePage === true")
