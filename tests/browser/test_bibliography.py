"""The bibliography page in a real browser: filters, facets, URL state, readiness, BibTeX copy.

Expected results are computed from the catalogue the site exports (``catalogue.json``) or from
the entries' data attributes, never hard-coded, so the tests follow the data.
"""

from __future__ import annotations

import contextlib
import json
from collections import Counter
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from .helpers import Catalogue, entry_data, shown_count, visible_keys

pytestmark = pytest.mark.browser

BIB = "/bibliography/"


def open_bibliography(page: Any, query: str = "") -> None:
    page.goto(BIB + query)
    page.wait_for_selector("#bib-list .rm-entry", state="attached")


def assert_shows(page: Any, expected: set[str], total: int) -> None:
    shown = visible_keys(page)
    assert set(shown) == expected, (
        f"unexpected: {sorted(set(shown) - expected)}; missing: {sorted(expected - set(shown))}")
    assert shown_count(page) == (len(expected), total)


def query_of(page: Any) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def common_term(entries: list[dict[str, str]]) -> str:
    """A word that occurs in some but not all entries' search text."""
    words: Counter[str] = Counter()
    for e in entries:
        words.update({w for w in e["text"].split() if w.isalpha() and len(w) >= 6})
    return next(w for w, n in words.most_common() if 2 < n < len(entries) // 2)


def test_page_lists_every_catalogue_resource(page: Any, catalogue: Catalogue) -> None:
    open_bibliography(page)
    entries = entry_data(page)
    by_key = {e["key"]: e for e in entries}
    assert set(by_key) == {r["id"] for r in catalogue.resources}
    for r in catalogue.resources:
        e = by_key[r["id"]]
        assert (e["kind"], e["level"] or None, e["year"]) == (r["kind"], r["level"], r["year"])
        assert set(e["topics"].split()) == set(r["topics"])
        assert set(e["needs"].split()) == catalogue.maths_needed(r), r["id"]
    assert_shows(page, set(by_key), len(entries))


def test_text_filter_narrows_and_counts(page: Any) -> None:
    open_bibliography(page)
    entries = entry_data(page)
    term = common_term(entries)
    page.fill("#bib-filter", term)
    expected = {e["key"] for e in entries if term in e["text"]}
    assert 0 < len(expected) < len(entries)
    assert_shows(page, expected, len(entries))

    # Several words must all match, in any order and case.
    second = next(w for e in entries if term in e["text"] for w in e["text"].split()
                  if w.isalpha() and len(w) >= 5 and w != term
                  and 0 < sum(term in x["text"] and w in x["text"] for x in entries) < len(expected))
    page.fill("#bib-filter", f"  {second.upper()}   {term} ")
    both = {e["key"] for e in entries if term in e["text"] and second in e["text"]}
    assert_shows(page, both, len(entries))

    page.fill("#bib-filter", "zzqxnotawordanywhere")
    assert_shows(page, set(), len(entries))
    page.fill("#bib-filter", "")
    assert_shows(page, {e["key"] for e in entries}, len(entries))


def test_author_surname_filter_finds_their_resources(page: Any, catalogue: Catalogue) -> None:
    open_bibliography(page)
    person = next(r for r in catalogue.resources if len(r["authors"]) > 1)
    surname = person["authors"][0].split()[-1]
    page.fill("#bib-filter", surname)
    shown = set(visible_keys(page))
    wrote = {r["id"] for r in catalogue.resources
             if any(a.split()[-1].lower() == surname.lower() for a in r["authors"])}
    assert wrote <= shown, f"{surname}: missing {sorted(wrote - shown)}"


def facet_cases(catalogue: Catalogue) -> list[tuple[str, str, set[str]]]:
    """(control id, value, expected ids) for one well-populated value of each select facet."""
    resources = catalogue.resources
    cases = []
    topics = Counter(t for r in resources for t in r["topics"] if t not in catalogue.maths_ids)
    topic = next(t for t, n in topics.most_common() if n < len(resources))
    cases.append(("#bib-topic", topic, {r["id"] for r in resources if topic in r["topics"]}))
    needs = Counter(m for r in resources for m in catalogue.maths_needed(r))
    maths = next(m for m, n in needs.most_common() if n < len(resources))
    cases.append(("#bib-maths", maths,
                  {r["id"] for r in resources if maths in catalogue.maths_needed(r)}))
    kind = Counter(r["kind"] for r in resources).most_common(1)[0][0]
    cases.append(("#bib-kind", kind, {r["id"] for r in resources if r["kind"] == kind}))
    level = Counter(r["level"] for r in resources).most_common(1)[0][0]
    cases.append(("#bib-level", level, {r["id"] for r in resources if r["level"] == level}))
    return cases


def test_each_facet_narrows_and_facets_combine(page: Any, catalogue: Catalogue) -> None:
    open_bibliography(page)
    everything = {r["id"] for r in catalogue.resources}
    total = len(everything)
    cases = facet_cases(catalogue)
    for selector, value, expected in cases:
        page.select_option(selector, value)
        assert 0 < len(expected) < total
        assert_shows(page, expected, total)
        page.select_option(selector, "")
        assert_shows(page, everything, total)

    years = sorted(int(r["year"]) for r in catalogue.resources)
    low, high = years[len(years) // 4], years[3 * len(years) // 4]
    page.fill("#bib-from", str(low))
    assert_shows(page, {r["id"] for r in catalogue.resources if int(r["year"]) >= low}, total)
    page.fill("#bib-to", str(high))
    in_range = {r["id"] for r in catalogue.resources if low <= int(r["year"]) <= high}
    assert_shows(page, in_range, total)
    page.fill("#bib-from", "")
    page.fill("#bib-to", "")

    # Combined: the intersection of every facet; keep adding while something is left.
    combined = set(everything)
    for selector, value, expected in cases:
        if not combined & expected:
            continue
        page.select_option(selector, value)
        combined &= expected
        assert_shows(page, combined, total)
    if combined & in_range:
        page.fill("#bib-from", str(low))
        page.fill("#bib-to", str(high))
        combined &= in_range
        assert_shows(page, combined, total)
    assert len(combined) < total

    page.click("#bib-reset")
    page.wait_for_function("document.getElementById('bib-count').textContent.startsWith("
                           f"'{total} of')")
    assert_shows(page, everything, total)
    assert urlsplit(page.url).query == ""


def test_filter_state_lives_in_the_url(page: Any, context: Any, catalogue: Catalogue) -> None:
    open_bibliography(page)
    total = len(catalogue.resources)
    (topic_sel, topic, by_topic), *_ = facet_cases(catalogue)
    level = Counter(catalogue.resource(k)["level"] for k in by_topic).most_common(1)[0][0]
    page.select_option(topic_sel, topic)
    page.select_option("#bib-level", level)
    years = sorted(int(catalogue.resource(k)["year"]) for k in by_topic)
    page.fill("#bib-from", str(years[0]))
    page.fill("#bib-filter", "the")
    expected = set(visible_keys(page))
    assert expected, "the combined filter should leave something"
    assert query_of(page) == {"topic": [topic], "level": [level], "from": [str(years[0])],
                              "text": ["the"]}

    again = context.new_page()
    again.goto(page.url)
    again.wait_for_selector("#bib-list .rm-entry", state="attached")
    assert again.input_value("#bib-topic") == topic
    assert again.input_value("#bib-level") == level
    assert again.input_value("#bib-from") == str(years[0])
    assert again.input_value("#bib-filter") == "the"
    assert_shows(again, expected, total)
    # The theme's site search reads ?q= from the address and would open over the page.
    assert not again.is_checked("#__search")
    again.close()


def test_matrix_link_from_home_opens_the_filtered_bibliography(
        page: Any, catalogue: Catalogue) -> None:
    page.goto("/")
    link = page.locator(".rm-matrix td a").first
    number = int(link.inner_text())
    link.click()
    # The entries are in the page's HTML; the filter of its address is applied by its script, so
    # wait for the page to have loaded as page.goto does (reading at once raced the script).
    page.wait_for_url("**/bibliography/**")
    page.wait_for_load_state("load")
    page.wait_for_selector("#bib-list .rm-entry", state="attached")
    query = query_of(page)
    topic, maths = query["topic"][0], query["maths"][0]
    expected = {r["id"] for r in catalogue.resources
                if topic in r["topics"] and maths in catalogue.maths_needed(r)}
    assert len(expected) == number
    # (waits up to 5 s for the count; if it never comes, the assertion below says what differs)
    with contextlib.suppress(Exception):
        page.wait_for_function("n => document.querySelector('#bib-count').textContent.trim().startsWith(n + ' of ')",
                               arg=number, timeout=5000)
    assert_shows(page, expected, len(catalogue.resources))


def test_topic_in_url_that_is_a_maths_area_still_filters(page: Any, catalogue: Catalogue) -> None:
    """Resources that teach a maths area list it as a topic; maths pages link to the
    bibliography with ``?topic=<maths id>``, so that must filter even though the Topic menu
    lists research topics only."""
    taught = Counter(t for r in catalogue.resources for t in r["topics"] if t in catalogue.maths_ids)
    maths = taught.most_common(1)[0][0]
    open_bibliography(page, f"?topic={maths}")
    expected = {r["id"] for r in catalogue.resources if maths in r["topics"]}
    assert_shows(page, expected, len(catalogue.resources))
    assert page.input_value("#bib-topic") == maths


# -- what can I read now -------------------------------------------------------------------------
def status_of(page: Any, key: str) -> tuple[str, str]:
    status = page.locator(f'.rm-entry[data-key="{key}"] .rm-status')
    return status.get_attribute("class") or "", status.inner_text().strip()


def tick(page: Any, maths: str) -> None:
    page.check(f'#known-maths input[name="known"][value="{maths}"]')


def test_known_maths_marks_ready_and_missing(page: Any, catalogue: Catalogue) -> None:
    open_bibliography(page)
    free = next(r for r in catalogue.readings if not r["prerequisites"])
    hard = next(r for r in catalogue.resources if "functional-analysis" in r["prerequisites"])
    assert status_of(page, free["id"]) == ("rm-status", "")  # nothing ticked: no verdict

    known = ["linear-algebra"]
    tick(page, known[0])
    assert status_of(page, free["id"]) == ("rm-status rm-ready", "ready to read")
    cls, label = status_of(page, hard["id"])
    assert cls == "rm-status rm-missing"
    missing = catalogue.maths_needed(hard) - catalogue.closure(known)
    assert "functional-analysis" in missing
    assert label.startswith("needs ")
    # only the frontier is named: areas no other missing area builds on
    implied = {a for m in missing for a in catalogue.ancestors(m)}
    assert "real-analysis" in implied
    for m in missing:
        assert (catalogue.name(m) in label) == (m not in implied), (m, label)
    assert catalogue.name("functional-analysis") in label
    assert catalogue.name("linear-algebra") not in label

    # Every entry's verdict agrees with the catalogue, for a richer choice too.
    known = ["functional-analysis", "probability"]
    page.uncheck('#known-maths input[value="linear-algebra"]')
    for m in known:
        tick(page, m)
    verdicts = dict(page.eval_on_selector_all(
        "#bib-list .rm-entry",
        "els => els.map(e => [e.dataset.key, e.querySelector('.rm-status')?.className])"))
    for r in catalogue.readings:
        want = "rm-ready" if catalogue.ready(r, known) else "rm-missing"
        assert want in verdicts[r["id"]], (r["id"], verdicts[r["id"]])


def test_show_only_ready_survives_reload_and_reaches_topic_pages(
        page: Any, catalogue: Catalogue) -> None:
    open_bibliography(page)
    total = len(catalogue.resources)
    known = ["linear-algebra", "probability"]
    for m in known:
        tick(page, m)
    page.check("#bib-ready-only")
    ready = {r["id"] for r in catalogue.resources if catalogue.ready(r, known)}
    assert 0 < len(ready) < total
    assert_shows(page, ready, total)
    assert not ready & {r["id"] for r in catalogue.resources if r["kind"] == "venue"}
    assert query_of(page).get("ready") == ["1"]

    page.reload()
    page.wait_for_selector("#bib-list .rm-entry", state="attached")
    for m in known:
        assert page.is_checked(f'#known-maths input[value="{m}"]')
    assert page.is_checked("#bib-ready-only")
    assert_shows(page, ready, total)

    # The same choice shows on a topic page's resource list.
    topic = next(t["id"] for t in catalogue.data["topics"]
                 if any(t["id"] in r["topics"] and r["id"] in ready for r in catalogue.resources)
                 and any(t["id"] in r["topics"] and r["id"] not in ready
                         for r in catalogue.resources))
    page.goto(f"/topics/{topic}/")
    statuses = page.eval_on_selector_all(".rm-status", """spans => spans.map(s => ({
        href: s.closest("li").querySelector("a").getAttribute("href"),
        cls: s.className, text: s.textContent, visible: s.checkVisibility()}))""")
    assert statuses
    shown = {"rm-ready": 0, "rm-missing": 0}
    for status in statuses:
        key = status["href"].rstrip("/").rsplit("/", 1)[-1]
        want = "rm-ready" if key in ready else "rm-missing"
        assert want in status["cls"] and status["visible"], (key, status)
        shown[want] += 1
    assert shown["rm-ready"] and shown["rm-missing"]

    # Unticking everything clears the verdicts and 'only ready' no longer hides anything.
    open_bibliography(page, "?ready=1")
    for m in known:
        page.uncheck(f'#known-maths input[value="{m}"]')
    assert_shows(page, {r["id"] for r in catalogue.resources}, total)
    assert page.locator(".rm-status.rm-ready, .rm-status.rm-missing").count() == 0


# -- BibTeX copy ---------------------------------------------------------------------------------
def test_copy_button_puts_the_bibtex_on_the_clipboard(
        page: Any, context: Any, base_url: str, catalogue: Catalogue, refs_bib: str) -> None:
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url)
    open_bibliography(page)
    key = catalogue.resources[len(catalogue.resources) // 2]["id"]
    entry = page.locator(f'.rm-entry[data-key="{key}"]')
    entry.locator("details.rm-bibtex summary").click()
    button = entry.locator(".rm-copy")
    button.click()
    page.wait_for_function("b => b.textContent !== 'Copy BibTeX'", arg=button.element_handle())
    assert button.inner_text() == "Copied"
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == entry.locator("pre").text_content()
    assert f"{{{key}," in copied
    assert copied.strip() in refs_bib


# -- downloads of the listed entries -----------------------------------------------------------
def _download(page: Any, label: str = "BibTeX", name: str = "reading-map.bib") -> str:
    with page.expect_download() as info:
        page.get_by_role("button", name=f"Download these as {label}").click()
    download = info.value
    assert download.suggested_filename == name
    with open(download.path(), encoding="utf-8") as handle:
        return handle.read()


def test_download_gives_exactly_the_listed_entries_as_bibtex(page: Any) -> None:
    from pybtex.database import parse_string

    open_bibliography(page, "?topic=expressivity&level=advanced")
    listed = visible_keys(page)
    assert 5 < len(listed) < shown_count(page)[1]
    data = parse_string(_download(page), "bibtex")
    assert sorted(data.entries) == sorted(listed)
    # each entry is the BibTeX its entry shows
    first = page.locator(f'#bib-list .rm-entry[data-key="{listed[0]}"] .rm-bibtex-text').text_content()
    assert first is not None and first.strip() in _download(page)


def test_download_gives_exactly_the_listed_entries_as_ris_and_csl_json(page: Any, catalogue: Catalogue) -> None:
    import rispy

    open_bibliography(page, "?topic=expressivity&level=advanced")
    listed = visible_keys(page)
    assert 5 < len(listed) < shown_count(page)[1]
    records = rispy.loads(_download(page, "RIS", "reading-map.ris"))
    assert [r["id"] for r in records] == listed
    assert [r["title"] for r in records] == [catalogue.resource(k)["title"] for k in listed]
    items = json.loads(_download(page, "CSL-JSON", "reading-map.json"))
    assert [item["id"] for item in items] == listed
    assert [item["title"] for item in items] == [catalogue.resource(k)["title"] for k in listed]
