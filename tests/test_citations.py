"""What reference managers and feed readers take from the site: Highwire meta tags, COinS, RIS,
CSL-JSON and the Atom feed, each read back by an independent parser and compared with the catalogue."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Hashable
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl

import feedparser
import pytest
import rispy
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from pybtex.database import Person

from readingmap.catalogue.latex import latex_to_text
from readingmap.catalogue.load import load_catalogue
from readingmap.catalogue.model import Catalogue, Resource
from readingmap.graph import Graph
from readingmap.render import changes, citations, index_pages
from readingmap.render.fragments import Fragments
from readingmap.render.pages import Pages
from sitebuild import REPO, build_in_process, make_project


@pytest.fixture(scope="module")
def real() -> Catalogue:
    return load_catalogue(REPO / "data")


def families(r: Resource, role: str = "author") -> list[str]:
    """The family names of a resource's people, read from refs.bib with pybtex directly."""
    return [latex_to_text(" ".join([*Person(p).prelast_names, *Person(p).last_names])) for p in r.ref.people(role)]


# ---------------------------------------------------------------- RIS and CSL-JSON, whole catalogue

def test_ris_reads_back_equal_to_the_catalogue(real: Catalogue) -> None:
    records = rispy.loads(citations.ris(citations.all_citations(real)))
    assert [rec["id"] for rec in records] == sorted(r.id for r in real.resources)
    for rec in records:
        r = real.resource_by_id[rec["id"]]
        assert rec["title"] == r.title
        assert [a.split(", ")[0] for a in rec.get("authors", [])] == families(r)
        assert rec["year"] == r.year
        assert rec.get("doi") == r.doi
        assert rec.get("issn") == r.isbn
        assert rec.get("accession_number") == (f"arXiv:{r.arxiv}" if r.arxiv else None)
        assert rec.get("urls") == ([r.best_url] if r.best_url else None)


def test_csl_json_is_read_and_rendered_by_citeproc(real: Catalogue) -> None:
    text = citations.csl_json(citations.all_citations(real))
    source = CiteProcJSON(__import__("json").loads(text))
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    bibliography = CitationStylesBibliography(style, source, formatter.plain)
    for r in sorted(real.resources, key=lambda r: r.id):
        item = source[r.id.lower()]  # citeproc keys items by lower-case id
        assert str(item["title"]) == r.title
        assert [str(a.get("family", a.get("literal"))) for a in item.get("author", [])] == families(r)
        assert str(item["issued"]["year"]) == r.year
        assert (str(item["DOI"]) if "DOI" in item else None) == r.doi
        assert (str(item["ISBN"]) if "ISBN" in item else None) == r.isbn
        assert (str(item["archive_location"]) if "archive_location" in item else None) == r.arxiv
        bibliography.register(Citation([CitationItem(r.id.lower())]))
    rendered = [str(entry) for entry in bibliography.bibliography()]
    assert len(rendered) == len(real.resources)
    assert all(rendered)


def test_csl_types_and_ris_types_follow_the_entry_type(real: Catalogue) -> None:
    by_id = {c.id: c for c in citations.all_citations(real)}
    assert citations.csl_item(by_id["berner2021modern"])["type"] == "chapter"
    assert citations.ris_record(by_id["berner2021modern"])["type_of_reference"] == "CHAP"
    assert citations.csl_item(by_id["goodfellow2016deep"])["type"] == "book"
    assert citations.csl_item(by_id["mehta2014exact"])["type"] == "article"  # an arXiv preprint
    assert citations.ris_record(by_id["mehta2014exact"])["type_of_reference"] == "UNPB"


# ---------------------------------------------------------------- pages of a real build

class _Head(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.meta: list[tuple[str, str]] = []
        self.coins: list[str] = []
        self.feeds: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "meta" and (a.get("name") or "").startswith("citation_"):
            self.meta.append((a["name"] or "", a.get("content") or ""))
        if tag == "span" and a.get("class") == "Z3988":
            self.coins.append(a.get("title") or "")
        if tag == "link" and a.get("type") == "application/atom+xml":
            self.feeds.append(a.get("href") or "")


def parse(path: Path) -> _Head:
    head = _Head()
    head.feed(path.read_text("utf-8"))
    return head


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_in_process(make_project(tmp_path_factory.mktemp("citations")))


def test_every_resource_page_carries_its_reference_as_highwire_tags(site: Path, real: Catalogue) -> None:
    for r in real.resources:
        meta = parse(site / "resources" / r.id / "index.html").meta
        values = dict(meta)
        assert values["citation_title"] == r.title
        assert [v.split(", ")[0] for k, v in meta if k == "citation_author"] == families(r)
        assert values["citation_publication_date"][:4] == r.year
        assert values.get("citation_doi") == r.doi
        assert values.get("citation_arxiv_id") == r.arxiv
        assert values.get("citation_isbn") == r.isbn
        container = latex_to_text(r.ref.get("journal") or r.ref.get("booktitle") or "") or None
        named = next((v for k, v in meta if k in ("citation_journal_title", "citation_conference_title",
                                                   "citation_inbook_title")), None)
        assert named == container


def test_a_listing_carries_one_coins_span_per_work(site: Path, real: Catalogue) -> None:
    page = parse(site / "topics" / "depth" / "index.html")
    assert page.coins
    listed = set(re.findall(r'<li[^>]*><strong><a href="\.\./\.\./resources/([^/"]+)/"',
                            (site / "topics" / "depth" / "index.html").read_text("utf-8")))
    decoded = [dict(parse_qsl(kev)) for kev in page.coins]
    titles = {d.get("rft.atitle") or d.get("rft.btitle") or d.get("rft.title") for d in decoded}
    assert titles == {real.resource_by_id[i].title for i in listed}
    for kev in page.coins:
        pairs = parse_qsl(kev)
        assert ("ctx_ver", "Z39.88-2004") in pairs
    # A chapter: its book, its pages, its DOI and its link, as a resolver reads them.
    berner = next(parse_qsl(k) for k in parse(site / "bibliography" / "index.html").coins
                  if "Modern+Mathematics" in k)
    assert ("rft.genre", "bookitem") in berner
    assert ("rft.btitle", "Mathematical Aspects of Deep Learning") in berner
    assert [v for k, v in berner if k == "rft.au"] == ["Berner, Julius", "Grohs, Philipp", "Kutyniok, Gitta",
                                                     "Petersen, Philipp"]
    assert [v for k, v in berner if k == "rft_id"] == ["info:doi/10.1017/9781009025096.002",
                                                     "https://arxiv.org/abs/2105.04026"]


@pytest.mark.parametrize("title", ["Rates: 1/n, or 1/sqrt(n)?", "A & B = C; #1 at 50% + x", "Gödel, Escher"])
def test_a_coins_value_reads_back_whatever_it_holds(real: Catalogue, title: str) -> None:
    """``: / ,`` are left as they are (short spans); every character a query string gives a
    meaning (``& = + ; # % ?``) is still encoded, so a strict decoder gets the title back."""
    by_form = {c.form: c for c in citations.all_citations(real)}
    for form in ("book", "article", "web"):
        cited = dataclasses.replace(by_form[form], title=title)
        kev = citations.coins(cited)
        assert not set(";#?") & set(kev)
        decoded = parse_qsl(kev, strict_parsing=True)
        assert next(v for k, v in decoded if k in ("rft.btitle", "rft.atitle", "rft.title")) == title
        assert ("rfr_id", "info:sid/reading-map") in decoded


def test_every_page_announces_the_feed(site: Path) -> None:
    assert parse(site / "index.html").feeds == ["./feed.xml"]
    assert parse(site / "resources" / "berner2021modern" / "index.html").feeds == ["../../feed.xml"]


def test_the_feed_is_valid_atom_and_agrees_with_whats_new(site: Path, real: Catalogue) -> None:
    feed = feedparser.parse((site / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    entries = feed.entries
    assert len(entries) == min(changes.FEED_LENGTH, len(real.resources) + len(real.results))
    assert len({e.id for e in entries}) == len(entries)
    for e in entries:
        assert e.title and e.link.startswith("https://") and e.updated
    dates = [e.updated for e in entries]
    assert dates == sorted(dates, reverse=True)
    # The What's new page lists the same additions in the same order.
    page = (site / "whats-new" / "index.html").read_text("utf-8")
    expected = [a.title for a in changes.additions(real)][: len(entries)]
    assert [e.title for e in entries] == expected
    positions = [page.find(f">{t}<") for t in expected if "&" not in t and "<" not in t]
    assert all(p > 0 for p in positions)


# ---------------------------------------------------------------- the small catalogue

def test_feed_without_a_site_url_uses_relative_links_and_urns(mini: Path) -> None:
    cat = load_catalogue(mini)
    feed = feedparser.parse(changes.atom_feed(cat, Fragments(), None).encode("utf-8"))
    assert not feed.bozo
    assert [e.id for e in feed.entries][:2] == ["urn:reading-map:results:relu-sobolev-rates",
                                                "urn:reading-map:resources:trefethen2019approximation"]
    assert feed.entries[0].link.endswith("results/relu-sobolev-rates/")


def test_whats_new_groups_by_month_newest_first(mini: Path) -> None:
    cat = load_catalogue(mini)
    assert [(month, [a.item.id for a in group]) for month, group in changes.by_month(cat)] == [
        ("2026-02", ["relu-sobolev-rates"]),
        ("2026-01", ["trefethen2019approximation", "yarotsky2017error"]),
        ("2025-10", ["goodfellow2016deep", "sawtooth-squaring"]),
        ("2025-09", ["axler2024linear", "tao2016analysis"]),
    ]
    assert changes.month_heading("2026-02") == "February 2026"


def test_whats_new_lists_the_newest_works_up_to_its_limit_and_counts_the_rest(
        mini: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cat = load_catalogue(mini)
    monkeypatch.setattr(index_pages, "WHATS_NEW_LIMIT", 2)
    md = Pages(cat, Graph(cat), Fragments()).indexes.whats_new()
    january = md[md.index("## January 2026"):md.index("## October 2025")]
    october = md[md.index("## October 2025"):md.index("## September 2025")]
    september = md[md.index("## September 2025"):]
    # newest first, then by id: January's two works fill the list; the later months are counted
    assert "trefethen2019approximation" in january and "yarotsky2017error" in january
    assert "1 work and 1 result added." in october and "goodfellow2016deep" not in october
    assert "They are in the [bibliography](../bibliography/index.md)." in october
    assert "2 works added." in september and "axler2024linear" not in september
    monkeypatch.setattr(index_pages, "WHATS_NEW_LIMIT", 3)
    md = Pages(cat, Graph(cat), Fragments()).indexes.whats_new()
    september = md[md.index("## September 2025"):]
    assert "axler2024linear" not in september and "tao2016analysis" not in september
    assert "They are in the [bibliography]" in september
    october = md[md.index("## October 2025"):md.index("## September 2025")]
    assert "goodfellow2016deep" in october and "And" not in october


@pytest.mark.parametrize("value, message", [
    (None, "data/resources.yaml:1:3: resource 'axler2024linear' is missing the required key 'added'"),
    ("2025-13", "data/resources.yaml:2:10: 'added' of resource 'axler2024linear' '2025-13' is not a date of the"
                " form YYYY-MM-DD"),
])
def test_added_is_required_and_a_date(mini: Path, problems: object, value: str | None, message: str) -> None:
    path = mini / "resources.yaml"
    text = path.read_text("utf-8")
    line = "  added: 2025-09-14\n"
    path.write_text(text.replace(line, "" if value is None else f"  added: '{value}'\n", 1), "utf-8")
    assert message in problems(mini)  # type: ignore[operator]


def test_records_written_once_a_build_join_into_the_files_bytes_written_whole(real: Catalogue) -> None:
    """citations.Texts writes each work's RIS record and CSL-JSON item once and joins them: the
    files are byte for byte those of ris() and csl_json() of the same works, and a work whose
    citation changed under the same id is written again, not taken from before."""
    every = citations.all_citations(real)
    texts = citations.Texts()
    for works in (every, every[:1], [], every[5:40] + every[:3]):
        assert texts.ris(works) == citations.ris(works)
        assert texts.csl_json(works) == citations.csl_json(works)
    changed = dataclasses.replace(every[0], title="Another title")
    assert texts.ris([changed]) == citations.ris([changed]) != citations.ris(every[:1])
    assert texts.csl_json([changed]) == citations.csl_json([changed])
    # kept across builds by the session's memo, on the citation itself
    class Session:
        serving = True

        def __init__(self) -> None:
            self.kept: dict[tuple[str, Hashable], str] = {}

        def memo(self, kind: str, key: Hashable, make: Callable[[], str]) -> str:
            return self.kept.setdefault((kind, key), make())

    session = Session()
    citations.Texts(session).ris(every)  # type: ignore[arg-type]
    assert citations.Texts(session).ris(every) == citations.ris(every)  # type: ignore[arg-type]
    assert len(session.kept) == len(every)
