"""The site as a reader meets it: search, maths, navigation, no remote requests, accessibility."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any
from urllib.parse import urlsplit

import pytest

from .helpers import Catalogue

pytestmark = pytest.mark.browser

TARGET_TOPIC = "infinite-width"


def sample_pages(catalogue: Catalogue) -> dict[str, str]:
    """One page of each kind, chosen from the catalogue."""
    resource = catalogue.readings[0]["id"]
    return {
        "home": "/",
        "topic": f"/topics/{TARGET_TOPIC}/",
        "maths": f"/maths/{catalogue.data['maths'][0]['id']}/",
        "path": f"/paths/{TARGET_TOPIC}/",
        "resource": f"/resources/{resource}/",
        "bibliography": "/bibliography/",
    }


def test_target_topic_exists(catalogue: Catalogue) -> None:
    assert TARGET_TOPIC in {t["id"] for t in catalogue.data["topics"]}


@pytest.mark.parametrize("kind", ["home", "topic", "maths", "path", "resource", "bibliography"])
def test_no_console_error_and_no_remote_request(
        kind: str, page: Any, page_log: Any, catalogue: Catalogue) -> None:
    response = page.goto(sample_pages(catalogue)[kind])
    assert response is not None and response.ok, response
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").count() == 1
    assert not page_log.console_errors, "\n".join(page_log.console_errors)
    assert not page_log.external_requests, "\n".join(page_log.external_requests)


def test_site_search_finds_a_resource_by_author_surname(page: Any, catalogue: Catalogue) -> None:
    surnames = Counter(a.split()[-1] for r in catalogue.resources for a in r["authors"])
    resource, surname = next(
        (r, a.split()[-1]) for r in catalogue.resources for a in r["authors"][:1]
        if len(a.split()) > 1 and surnames[a.split()[-1]] == 1
        and re.fullmatch(r"[A-Za-z]{6,}", a.split()[-1]))
    wanted = f"/resources/{resource['id']}/"
    hrefs = _pages(_search(page, surname))
    assert any(h.endswith(wanted) for h in hrefs), f"{surname}: {hrefs}"


def test_maths_in_a_description_is_typeset(page: Any, catalogue: Catalogue) -> None:
    resource = next(r for r in catalogue.resources if re.search(r"\$[^$]+\$", r["why"]))
    page.goto(f"/resources/{resource['id']}/")
    maths = page.locator(".rm-why .katex")
    assert maths.count() > 0
    assert maths.first.is_visible()
    # The source delimiters are gone, and no KaTeX error box was produced.
    assert "$" not in page.locator(".rm-why").inner_text()
    assert page.locator(".rm-why .katex-error").count() == 0


def test_path_to_infinite_width_within_two_clicks_from_home(
        page: Any, catalogue: Catalogue) -> None:
    name = catalogue.name(TARGET_TOPIC)
    page.goto("/")
    page.locator("article").get_by_role("link", name="Reading paths", exact=True).click()
    page.wait_for_url(re.compile(r"/paths/$"))
    page.locator("article").get_by_role("link", name=name, exact=True).click()
    page.wait_for_url(re.compile(rf"/paths/{TARGET_TOPIC}/$"))
    assert page.locator("h1").inner_text().strip().rstrip("¶").strip() == f"Path to {name}"
    assert page.locator("svg.rm-graph, .rm-graph-wrap svg").count() == 1


def test_home_matrix_links_the_path_in_one_click(page: Any, catalogue: Catalogue) -> None:
    name = catalogue.name(TARGET_TOPIC)
    page.goto("/")
    page.get_by_role("link", name=f"Reading path to {name}", exact=True).click()
    page.wait_for_url(re.compile(rf"/paths/{TARGET_TOPIC}/$"))
    assert page.locator("h1").inner_text().strip().rstrip("¶").strip() == f"Path to {name}"


A11Y_CASES = [("home", "light"), ("topic", "light"), ("path", "light"), ("bibliography", "light"),
              ("resource", "light"), ("home", "dark"), ("bibliography", "dark")]


@pytest.mark.parametrize(("kind", "scheme"), A11Y_CASES, ids=[f"{k}-{s}" for k, s in A11Y_CASES])
def test_no_serious_accessibility_violation(
        kind: str, scheme: str, page: Any, catalogue: Catalogue) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page.emulate_media(color_scheme=scheme)  # the theme follows the reader's preference
    page.goto(sample_pages(catalogue)[kind])
    if kind == "bibliography":
        # Scan the states a reader creates too: verdicts shown and one BibTeX entry open.
        page.check('#known-maths input[name="known"]')
        page.locator(".rm-entry details.rm-bibtex summary").first.click()
    results = Axe().run(page)
    bad = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    report = "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']}\n" + "\n".join(
            f"    {', '.join(map(str, n['target']))}: {n['html'][:160]}\n"
            f"      {n.get('failureSummary', '').replace(chr(10), ' ')[:300]}"
            for n in v["nodes"][:8])
        for v in bad)
    assert not bad, f"{len(bad)} serious or critical violations on {kind} ({scheme}):\n{report}"


def test_remote_requests_are_recorded_and_refused(page: Any, page_log: Any) -> None:
    """The watch works and nothing leaves the machine: a remote fetch fails and is logged."""
    page.goto("/")
    outcome = page.evaluate(
        "fetch('https://example.org/readingmap-probe').then(() => 'reached', () => 'refused')")
    assert outcome == "refused"
    assert page_log.external_requests == ["https://example.org/readingmap-probe"]
    page_log.external_requests.clear()
    page_log.console_errors.clear()  # the refused fetch is logged as a console error too


def test_site_search_finds_a_result_by_name(page: Any) -> None:
    for query in ("Barron's dimension-free approximation rate", "Barron's theorem"):
        found = _search(page, query)
        assert "/results/barron-dimension-free-rate/" in _pages(found)[:3], (query, _pages(found)[:6])


def test_result_statements_are_typeset(page: Any, catalogue: Catalogue) -> None:
    """Every result's page typesets its gloss and statement with KaTeX, without an error."""
    ids = [r["id"] for r in catalogue.data["results"]]
    assert len(ids) > 100
    typeset = 0
    for ident in ids:
        page.goto(f"/results/{ident}/")
        statement = page.locator(".rm-statement")
        assert statement.count() == 1, ident
        assert page.locator(":is(.rm-statement, .rm-gloss) .katex-error").count() == 0, ident
        assert "$" not in statement.inner_text(), ident
        typeset += page.locator(".rm-statement .katex").count()
    assert typeset > 500
    # a topic page shows its questions and key results, with working links to the results' pages
    page.goto("/topics/expressivity/")
    assert page.locator(".rm-question").count() >= 1
    assert page.locator(".rm-results li").count() >= 4
    link = page.locator(".rm-results li a").first
    target = link.get_attribute("href")
    assert target is not None and re.search(r"/results/[a-z0-9-]+/$", target)
    link.click()
    page.wait_for_url(re.compile(r"/results/[a-z0-9-]+/$"))


def _search(page: Any, query: str) -> list[str]:
    """The first search results for ``query``: path and fragment of each link, in order."""
    page.goto("/")
    page.locator("label.md-search__icon, .md-search__input").first.click()
    # The theme searches on key events, not on a value set by script: a query filled in before its
    # search worker was ready was answered once it was, one filled in after never was (a race
    # the tests sometimes lost). So wait for the worker, then type the query key by key.
    page.wait_for_function(
        "() => { const m = document.querySelector('.md-search-result__meta');"
        " return m && m.textContent.trim() && !/initializ/i.test(m.textContent); }", timeout=60000)
    page.locator("input.md-search__input").press_sequentially(query)
    results = page.locator(".md-search-result__list a")
    results.first.wait_for(timeout=30000)
    # The list is rendered as the search worker answers; on a busy machine it can change after
    # the first results show, so read it until two readings half a second apart agree.
    found, previous = None, results.evaluate_all("as => as.map(a => a.href)")
    for _ in range(20):
        page.wait_for_timeout(500)
        found = results.evaluate_all("as => as.map(a => a.href)")
        if found == previous:
            break
        previous = found
    return [urlsplit(h).path + ("#" + urlsplit(h).fragment if urlsplit(h).fragment else "")
            for h in found or previous]


def _pages(found: list[str]) -> list[str]:
    """The distinct pages among search results (a page's sections are listed under it)."""
    return list(dict.fromkeys(h.split("#")[0] for h in found))


@pytest.mark.parametrize(("query", "wanted"), [
    ("Cybenko", "/resources/cybenko1989approximation/"),
    # the theorem's own result pages (Cybenko's, Hornik's, Leshno's) or Cybenko's paper
    ("universal approximation theorem", "/resources/cybenko1989approximation/|/results/universal-approximation-"),
    ("NTK", "/resources/jacot2018neural/|/topics/infinite-width/"),
    ("RKHS", "/resources/paulsen2016introduction/|/maths/functional-analysis/"),
    ("optimization", "/topics/optimisation-landscapes/|/maths/optimisation/"),
    ("optimisation", "/topics/optimisation-landscapes/|/maths/optimisation/"),
    ("generalization", "/topics/generalisation/"),
    ("generalisation", "/topics/generalisation/"),
    ("VC dimension", "/topics/learning-theory/"),
    ("GAN", "/topics/generative-models/|/resources/goodfellow2014generative/"),
    ("ResNet", "/topics/residual-dynamics/|/resources/he2016deep/"),
])
def test_search_knows_the_names_people_use(page: Any, query: str, wanted: str) -> None:
    """Acronyms, the names of results and American spellings find the right pages among the first three."""
    found = _pages(_search(page, query))
    assert any(re.match(wanted, h) for h in found[:3]), (query, found[:6])


def test_matrix_count_links_are_large_enough_targets(page: Any) -> None:
    """Every count link and row 'path' link of the topics-by-maths matrix is at least 24 by 24 CSS
    pixels (WCAG 2.5.8)."""
    page.goto("/")
    sizes = page.eval_on_selector_all(
        ".rm-matrix td a, .rm-matrix a.rm-row-path",
        "as => as.map(a => { const r = a.getBoundingClientRect(); return [r.width, r.height]; })")
    assert len(sizes) > 100
    small = [s for s in sizes if s[0] < 24 or s[1] < 24]
    assert not small, small[:5]
