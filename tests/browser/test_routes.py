"""The reader's own route and the site-wide reader state, in a real browser.

- The route the browser plans (route.js over route.json) follows the rules of the static paths:
  for a reader who knows nothing it is the static path of every topic and maths area, stage for
  stage and reading for reading (compared with ``Graph.path`` in Python).
- What a reader ticks on one page is known on every other page, and in another tab.
- Known stages collapse, the next step is marked, what is left is counted, and the route can be
  shared as a link that does not overwrite the reader's own state.
- The progress store is versioned (the v1 keys are migrated; an unknown version is left alone)
  and every hostile import is refused or trimmed with a truthful message.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from readingmap.catalogue.load import load_catalogue
from readingmap.graph import Graph

from .conftest import ROOT
from .helpers import Catalogue

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.browser

KEY = "readingmap.state"
TOPIC = "generalisation"


@pytest.fixture(scope="module")
def graph() -> Graph:
    return Graph(load_catalogue(ROOT / "data"))


def readings(catalogue: Catalogue) -> list[dict[str, Any]]:
    """The resources that are readings (a venue has no read mark)."""
    return [r for r in catalogue.resources if r["kind"] != "venue"]


def stored(page: Any) -> Any:
    raw = page.evaluate(f"localStorage.getItem({KEY!r})")
    return None if raw is None else json.loads(raw)


def plan_route(page: Any) -> None:
    page.locator(".rm-route-plan").first.click()
    expect(page.locator(".rm-route-body").first).to_be_visible()


def route_steps(page: Any) -> list[dict[str, Any]]:
    """The stages the route on the page shows: name, known, next, read tag, readings."""
    return list(page.eval_on_selector_all(".rm-route-stages > li", """els => els.map(li => ({
        name: li.querySelector('.rm-route-name').textContent,
        known: li.classList.contains('rm-route-known'),
        next: li.classList.contains('rm-route-next'),
        done: li.classList.contains('rm-route-done'),
        readings: [...li.querySelectorAll('.rm-read-box')].map(b => b.value)}))"""))


def left(page: Any) -> tuple[int, int]:
    text = page.locator(".rm-route-left").first.inner_text()
    match = re.fullmatch(r"(\d+) stages? and (\d+) readings? left", text)
    assert match, text
    return int(match.group(1)), int(match.group(2))


# -- the route follows the static paths' rules ----------------------------------------------------
def test_browser_route_is_the_static_path_for_a_reader_who_knows_nothing(page: Any, graph: Graph) -> None:
    page.goto(f"/topics/{TOPIC}/")
    expect(page.locator(".rm-route-plan")).to_be_visible()
    planned = page.evaluate("""() => window.ReadingMap.map().then(data => {
        const engine = new window.ReadingMap.Engine(data), out = {};
        data.nodes.forEach(n => {
            out[n[0]] = engine.plan(n[1], n[0]).stages.map(s => [s.number, s.id, s.readings]);
        });
        return out;
    })""")
    nodes = [*graph.catalogue.topics, *graph.catalogue.maths]
    assert set(planned) == {n.id for n in nodes}
    for node in nodes:
        static = [[s.number, s.node.id, [r.id for r in s.resources]] for s in graph.path(node.id).stages]
        assert planned[node.id] == static, node.id


def test_the_page_shows_the_static_path_when_nothing_is_known(page: Any, graph: Graph) -> None:
    page.goto(f"/paths/{TOPIC}/")
    plan_route(page)
    steps = route_steps(page)
    stages = graph.path(TOPIC).stages
    assert [s["name"] for s in steps] == [s.node.name for s in stages]
    assert [s["readings"] for s in steps] == [[r.id for r in s.resources] for s in stages]
    assert [s["next"] for s in steps] == [True] + [False] * (len(stages) - 1)
    assert not any(s["known"] for s in steps)
    readings = {r.id for s in stages for r in s.resources}
    assert left(page) == (len(stages), len(readings))


# -- one state, every page ----------------------------------------------------------------------
def test_ticking_an_area_on_one_page_changes_the_route_on_another(page: Any, graph: Graph) -> None:
    page.goto("/maths/probability/")
    know = page.get_by_role("checkbox", name="I know this")
    expect(know).to_be_visible()
    know.check()
    assert stored(page) == {"version": 2, "read": [], "known": ["probability"]}
    page.goto(f"/topics/{TOPIC}/")
    plan_route(page)
    steps = route_steps(page)
    stages = graph.path(TOPIC).stages
    closure = graph.closure(["probability"])
    assert [s["known"] for s in steps] == [s.node.kind == "maths" and s.node.id in closure for s in stages]
    # the first stage not known is the next step, and only it
    first = next(i for i, s in enumerate(stages) if s.node.id not in closure)
    assert [s["next"] for s in steps] == [i == first for i in range(len(stages))]
    remaining = [s for s in stages if s.node.id not in closure]
    assert left(page) == (len(remaining), len({r.id for s in remaining for r in s.resources}))
    # the compact control says what is ticked, and what the tick implies
    page.locator(".rm-knowctl > summary").click()
    assert page.locator('.rm-knowctl-box[value="probability"]').is_checked()
    ancestor = next(iter(graph.ancestors("probability")))
    expect(page.locator(f'.rm-knowctl-box[value="{ancestor}"] ~ .rm-knowctl-implied')).to_have_text(" (counted as known)")
    # unticking it here is seen on the maths page
    page.locator('.rm-knowctl-box[value="probability"]').uncheck()
    assert stored(page)["known"] == []
    page.goto("/maths/probability/")
    expect(page.get_by_role("checkbox", name="I know this")).not_to_be_checked()


def test_known_stages_collapse_and_the_next_step_moves_as_readings_are_read(page: Any, graph: Graph) -> None:
    page.goto(f"/topics/{TOPIC}/")
    page.evaluate(f"localStorage.setItem({KEY!r}, JSON.stringify({{version: 2, read: [], known: ['linear-algebra']}}))")
    page.reload()
    plan_route(page)
    known = page.locator(".rm-route-known").first
    expect(known.locator(".rm-route-tag")).to_have_text("known")
    # collapsed: its readings are there, folded away, and open on demand
    fold = known.locator("details.rm-route-fold")
    assert fold.evaluate("d => !d.open")
    expect(fold.locator(".rm-route-readings")).to_be_hidden()
    fold.locator("summary").click()
    expect(fold.locator(".rm-route-readings")).to_be_visible()
    before = left(page)
    nxt = page.locator(".rm-route-next")
    name = nxt.locator(".rm-route-name").inner_text()
    boxes = nxt.locator(".rm-read-box")
    for i in range(boxes.count()):
        page.locator(".rm-route-next .rm-read-box").nth(i).check()
    steps = route_steps(page)
    done = next(s for s in steps if s["name"] == name)
    assert done["done"] and not done["next"]
    assert sum(s["next"] for s in steps) == 1
    assert left(page) == (before[0] - 1, before[1] - len(done["readings"]))
    # the marks are the page's marks: its own count did not take the route's boxes in
    listed = page.eval_on_selector_all(
        ".rm-read-box", "els => new Set(els.filter(e => !e.closest('.rm-route')).map(e => e.value)).size")
    expect(page.locator(".rm-progress-count")).to_have_text(re.compile(rf"^\d+ of {listed} read$"))


def test_a_route_to_a_resource_ends_with_it(page: Any, catalogue: Catalogue, graph: Graph) -> None:
    resource = next(r for r in readings(catalogue) if len(graph.maths_needed(r["prerequisites"])) >= 2)
    page.goto(f"/resources/{resource['id']}/")
    plan_route(page)
    steps = route_steps(page)
    ids = graph.order({x for p in resource["prerequisites"] for x in (p, *graph.ancestors(p))})
    assert [s["name"] for s in steps[:-1]] == [graph.catalogue.nodes[i].name for i in ids]
    assert steps[-1]["name"] == resource["title"] and steps[-1]["readings"] == [resource["id"]]
    page.locator(".rm-route-stages > li").last.locator(".rm-read-box").check()
    # read here, read everywhere: its own badge on the same page shows it
    expect(page.locator(f'.rm-badges .rm-read-box[value="{resource["id"]}"]')).to_be_checked()


def test_a_route_to_a_result(page: Any, catalogue: Catalogue, graph: Graph) -> None:
    result = next(r for r in catalogue.data["results"] if len(r["maths"]) >= 2)
    page.goto(f"/results/{result['id']}/")
    plan_route(page)
    steps = route_steps(page)
    # what its proof uses and what its first reading assumes, in the graph's order; then the result
    first = catalogue.resource(result["read"][0]["resource"])
    needs = [*result["maths"], *first["prerequisites"]]
    ids = graph.order({x for p in needs for x in (p, *graph.ancestors(p))})
    assert [s["name"] for s in steps[:-1]] == [graph.catalogue.nodes[i].name for i in ids]
    assert steps[-1]["name"] == result["name"]
    assert steps[-1]["readings"] == list(dict.fromkeys(g["resource"] for g in result["read"]))
    # each stage's readings are the ones the static paths' rule picks at that point of this route
    covered: set[str] = set()
    for step, ident in zip(steps, ids, strict=False):
        assert step["readings"] == [r.id for r in graph.pick(ident, covered)], ident
        covered.add(ident)


# -- sharing -------------------------------------------------------------------------------------
def test_a_shared_route_does_not_overwrite_the_readers_own(browser: Any, base_url: str, page: Any) -> None:
    page.goto("/maths/statistics/")
    page.get_by_role("checkbox", name="I know this").check()
    page.goto(f"/topics/{TOPIC}/")
    plan_route(page)
    link = page.locator(".rm-route-share").get_attribute("href")
    assert link == f"/topics/{TOPIC}/?known=statistics&route=1"
    mine = left(page)

    other = browser.new_context(base_url=base_url)
    try:
        reader = other.new_page()
        reader.goto("/maths/linear-algebra/")
        reader.get_by_role("checkbox", name="I know this").check()
        reader.goto(link)
        # the route opens by itself, for the sharer's maths, and says so
        expect(reader.locator(".rm-route-body")).to_be_visible()
        assert left(reader) == mine
        expect(reader.locator(".rm-route-shared")).to_contain_text("shared for a reader who knows Mathematical statistics")
        assert stored(reader)["known"] == ["linear-algebra"]
        # ticking in the shared view changes the view and its address, not the reader's own
        reader.locator(".rm-knowctl > summary").click()
        reader.locator('.rm-knowctl-box[value="optimisation"]').check()
        assert "known=statistics%2Coptimisation" in reader.url or "known=statistics,optimisation" in reader.url
        assert stored(reader)["known"] == ["linear-algebra"]
        reader.reload()
        expect(reader.locator(".rm-knowctl-count")).to_have_text("2 areas (from the link)")
        reader.get_by_role("button", name="Make this what I know").click()
        assert stored(reader)["known"] == ["statistics", "optimisation"]
        expect(reader.locator(".rm-route-shared")).to_be_hidden()
        assert "known=" not in reader.url
    finally:
        other.close()


def test_the_bibliography_checklist_is_grouped_at_the_top_and_shared_by_its_address(
        browser: Any, base_url: str, page: Any) -> None:
    page.goto("/")
    matrix = page.eval_on_selector_all(".rm-matrix .rm-families th", "els => els.map(e => e.textContent)")
    page.goto("/bibliography/")
    families = page.eval_on_selector_all(".rm-known-family-name", "els => els.map(e => e.textContent)")
    assert families == matrix
    # at the top: before the filters and the list
    assert page.evaluate("""() => {
        const known = document.getElementById('known-maths');
        return !!(known.compareDocumentPosition(document.getElementById('bib-form')) & Node.DOCUMENT_POSITION_FOLLOWING);
    }""")
    page.check('#known-maths input[value="functional-analysis"]')
    assert "known=functional-analysis" in page.url
    shared = page.url
    other = browser.new_context(base_url=base_url)
    try:
        reader = other.new_page()
        reader.goto(shared)
        assert reader.locator('#known-maths input[value="functional-analysis"]').is_checked()
        expect(reader.locator(".rm-known-shared")).to_contain_text("from the link you opened")
        assert stored(reader) is None
        reader.get_by_role("button", name="Make these mine").click()
        assert stored(reader)["known"] == ["functional-analysis"]
    finally:
        other.close()


# -- two tabs, reloads, instant navigation -----------------------------------------------------------
def test_a_change_in_another_tab_shows_up(context: Any, page: Any) -> None:
    page.goto(f"/topics/{TOPIC}/")
    plan_route(page)
    assert not page.locator(".rm-route-known").count()
    other = context.new_page()
    other.goto("/maths/real-analysis/")
    other.get_by_role("checkbox", name="I know this").check()
    # the storage event reaches the first tab: its route and its control follow
    expect(page.locator(".rm-route-known").first).to_be_visible()
    expect(page.locator(".rm-knowctl-count")).to_have_text("1 area")
    first = page.locator(".rm-route-stages .rm-read-box").last.get_attribute("value")
    other.goto(f"/resources/{first}/")
    other.locator(f'.rm-badges .rm-read-box[value="{first}"]').check()
    expect(page.locator(f'.rm-route .rm-read-box[value="{first}"]')).to_be_checked()
    other.close()


def test_the_route_survives_a_reload(page: Any) -> None:
    page.goto("/maths/optimal-transport/")
    page.locator(".rm-knowctl > summary").click()
    page.locator('.rm-knowctl-box[value="measure-theory"]').check()
    plan_route(page)
    before = route_steps(page)
    page.reload()
    plan_route(page)
    assert route_steps(page) == before
    assert any(s["known"] for s in before)


def test_the_route_works_under_instant_navigation(instant_page: Any) -> None:
    """The theme's instant navigation swaps pages in without running the scripts again: the
    route follows its page announcements (on the test catalogue, whose pages have no graph the
    theme's navigation fails on... except the path pages, which are not visited)."""
    page = instant_page
    page.goto("/maths/linear-algebra/")
    page.evaluate("window.__samePage = true")
    page.get_by_role("checkbox", name="I know this").check()
    page.locator('a[href$="/approximation-theory/"]').first.click()
    page.wait_for_url("**/maths/approximation-theory/")
    assert page.evaluate("window.__samePage === true"), "the theme reloaded the page"
    plan_route(page)
    steps = route_steps(page)
    assert [s["known"] for s in steps if s["name"] == "Linear algebra"] == [True]
    assert steps[-1]["name"] == "Approximation theory"


# -- the store: versions and migration ---------------------------------------------------------------
def test_the_v1_keys_are_migrated(page: Any, catalogue: Catalogue) -> None:
    reading = readings(catalogue)[0]
    page.goto("/bibliography/")
    page.evaluate("""id => {
        localStorage.clear();
        localStorage.setItem('readingmap.read.v1', JSON.stringify({read: [id, '__proto__']}));
        localStorage.setItem('readingmap.known.v1', JSON.stringify({known: ['probability'], closure: ['probability']}));
    }""", reading["id"])
    page.reload()
    assert stored(page) == {"version": 2, "read": [reading["id"]], "known": ["probability"]}
    assert page.evaluate("localStorage.getItem('readingmap.read.v1') === null && localStorage.getItem('readingmap.known.v1') === null")
    assert page.locator('#known-maths input[value="probability"]').is_checked()
    expect(page.locator(f'#bib-list .rm-read-box[value="{reading["id"]}"]')).to_be_checked()


def test_an_unknown_version_is_left_untouched_and_reported(page: Any) -> None:
    page.goto("/bibliography/")
    future = json.dumps({"version": 3, "read": [], "known": [], "more": True})
    page.evaluate(f"localStorage.setItem({KEY!r}, {json.dumps(future)})")
    page.reload()
    expect(page.locator("#progress-summary")).to_contain_text(
        "has version 3, which this version of the site does not know; it was left as it is")
    page.check('#known-maths input[value="probability"]')
    page.locator(".rm-read-box").first.check()
    expect(page.locator(".rm-save-problem").first).to_contain_text("Not saved")
    assert page.evaluate(f"localStorage.getItem({KEY!r})") == future


# -- imports ---------------------------------------------------------------------------------------
def _import(page: Any, path: Path) -> str:
    page.get_by_label("Import progress from JSON").set_input_files(str(path))
    message = page.locator("#progress-message")
    expect(message).not_to_have_text(re.compile(r"^(Reading .*)?$"))
    return str(message.inner_text())


def _progress(read: list[Any], known: list[Any] | None = None) -> str:
    return json.dumps({"format": "reading-map-progress", "version": 1, "read": read, "known": known or []})


def test_a_correct_import(page: Any, catalogue: Catalogue, tmp_path: Path) -> None:
    chosen = [r["id"] for r in readings(catalogue)[:3]]
    page.goto("/bibliography/")
    page.locator(f'.rm-read-box[value="{chosen[0]}"]').check()
    good = tmp_path / "good.json"
    good.write_text(_progress(chosen, ["probability"]), encoding="utf-8")
    assert _import(page, good) == ("Imported good.json: stored 3 read marks (2 new) and 1 known area (1 new).")
    assert stored(page) == {"version": 2, "read": chosen, "known": ["probability"]}
    assert page.locator('#known-maths input[value="probability"]').is_checked()


def test_unknown_and_hostile_ids_are_skipped_and_named(page: Any, catalogue: Catalogue, tmp_path: Path) -> None:
    real = readings(catalogue)[0]["id"]
    page.goto("/bibliography/")
    hostile = tmp_path / "hostile.json"
    html = '<img src=x onerror="window.__owned=1">'
    hostile.write_text(_progress([real, "not-on-the-map", "__proto__", "constructor", html],
                                 ["constructor", "probability", "__proto__"]), encoding="utf-8")
    message = _import(page, hostile)
    assert message == (
        'Imported hostile.json: stored 1 read mark (1 new) and 1 known area (1 new). Skipped 6 ids that are not readings'
        ' or maths areas on this map: "not-on-the-map", "__proto__", "constructor", "' + html + '", "constructor" and 1 more.')
    assert stored(page) == {"version": 2, "read": [real], "known": ["probability"]}
    # shown as text, never as markup
    assert page.evaluate("window.__owned === undefined")
    assert page.locator("#progress-message img").count() == 0


def test_a_list_of_100000_ids_is_refused(page: Any, tmp_path: Path) -> None:
    page.goto("/bibliography/")
    many = tmp_path / "many.json"
    many.write_text(_progress([f"x{i}" for i in range(100_000)]), encoding="utf-8")
    assert _import(page, many) == (
        "Could not import many.json: it lists 100000 ids; at most 20000 are accepted (the map has "
        + str(page.evaluate("window.ReadingMap.map().then(d => d.resources.filter(r => r[2] !== 'venue').length"
                            " + d.nodes.filter(n => n[1] === 'maths').length)"))
        + "). Nothing was changed.")
    assert stored(page) is None


def test_a_20_mb_file_is_refused_before_it_is_read(page: Any, tmp_path: Path) -> None:
    page.goto("/bibliography/")
    big = tmp_path / "big.json"
    ids = json.dumps([f"id-{i:07d}" for i in range(20 * 1024 * 1024 // 14)])
    big.write_text('{"format": "reading-map-progress", "version": 1, "read": ' + ids + "}", encoding="utf-8")
    assert big.stat().st_size >= 20 * 1024 * 1024
    assert _import(page, big) == (
        f"Could not import big.json: the file is {big.stat().st_size / 1048576:.1f} MB; progress files over 1 MB are"
        " refused (an export of the whole map is a few kilobytes). Nothing was changed.")
    assert stored(page) is None


def test_a_refused_write_is_reported_not_claimed(page: Any, catalogue: Catalogue, tmp_path: Path) -> None:
    page.goto("/bibliography/")
    # the browser's storage is full: every write throws, as Chromium's does past its quota
    page.evaluate("""() => {
        Storage.prototype.setItem = function () {
            throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        };
    }""")
    good = tmp_path / "progress.json"
    good.write_text(_progress([r["id"] for r in readings(catalogue)[:2]]), encoding="utf-8")
    assert _import(page, good) == (
        "Could not import progress.json: the browser's storage for this site is full. Nothing was changed.")
    assert stored(page) is None
    assert not page.locator(".rm-read-box:checked").count()
    # a tick is kept on the page, and says it was not saved
    box = page.locator(".rm-read-box").first
    box.check()
    expect(page.locator(".rm-save-problem").first).to_have_text(
        "Not saved: the browser's storage for this site is full.")


# -- counts and listings ---------------------------------------------------------------------------
def test_a_topic_counts_distinct_readings_and_twins_share_one_state(page: Any) -> None:
    page.goto(f"/topics/{TOPIC}/")
    values = page.eval_on_selector_all(".rm-read-box", "els => els.map(e => e.value)")
    twins = [v for i, v in enumerate(values) if v in values[:i]]
    assert twins, "the topic lists a start-here reading again under its level"
    expect(page.locator(".rm-progress-count")).to_have_text(f"0 of {len(set(values))} read")
    page.locator(f'.rm-read-box[value="{twins[0]}"]').last.check()
    states = page.locator(f'.rm-read-box[value="{twins[0]}"]').evaluate_all("els => els.map(e => e.checked)")
    assert len(states) >= 2 and all(states)
    expect(page.locator(".rm-progress-count")).to_have_text(f"1 of {len(set(values))} read")
    # planning the route lists readings again; the page's count stays the page's
    plan_route(page)
    expect(page.locator(".rm-progress-count")).to_have_text(f"1 of {len(set(values))} read")


# -- what knowing an area means, and the page without JavaScript ------------------------------------------
def test_a_maths_page_says_what_knowing_it_means(page: Any, graph: Graph) -> None:
    area = graph.catalogue.nodes["functional-analysis"]
    page.goto(f"/maths/{area.id}/")
    items = page.locator(".rm-can-do li").all_inner_texts()
    assert items == list(area.can_do) and 3 <= len(items) <= 5
    page.goto("/maths/harmonic-analysis/")
    page.get_by_role("checkbox", name="I know this").check()
    page.goto(f"/maths/{area.id}/")
    know = page.get_by_role("checkbox", name="I know this")
    expect(know).not_to_be_checked()
    expect(page.locator(".rm-know-note")).to_have_text(
        "Counted as known: you know Harmonic analysis, which builds on it.")


def test_without_javascript_the_static_pages_remain(browser: Any, base_url: str) -> None:
    context = browser.new_context(base_url=base_url, java_script_enabled=False)
    try:
        page = context.new_page()
        for url in (f"/topics/{TOPIC}/", f"/paths/{TOPIC}/", "/maths/probability/", "/resources/berner2021modern/"):
            page.goto(url)
            assert page.locator(".rm-route").count() == 1 and not page.locator(".rm-route").is_visible()
            assert page.get_by_role("button", name="Plan my route").count() == 0
        page.goto("/maths/probability/")
        assert page.locator(".rm-can-do li").count() >= 3
        assert not page.locator(".rm-know").is_visible()
        page.goto(f"/paths/{TOPIC}/")
        assert page.locator("article ol > li").count() > 3  # the static route, every stage
    finally:
        context.close()


def test_a_first_visit_fetches_the_map_only_when_the_reader_asks(page: Any) -> None:
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"/topics/{TOPIC}/")
    expect(page.locator(".rm-route-plan")).to_be_visible()
    expect(page.locator(".rm-knowctl > summary")).to_have_text("What I know: 0 areas")
    assert not [u for u in requests if u.endswith("/route.json")]
    page.locator(".rm-knowctl > summary").click()
    expect(page.locator(".rm-knowctl-box").first).to_be_visible()
    assert [u for u in requests if u.endswith("/route.json")]
