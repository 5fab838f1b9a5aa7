"""Quality of the real catalogue: complete metadata, provenance, coverage of every topic."""

from __future__ import annotations

from pathlib import Path

import pytest

from readingmap.catalogue.load import load_catalogue
from readingmap.catalogue.model import Catalogue

REPO = Path(__file__).parent.parent

#: Topics allowed fewer than three resources, with the reason shown to readers of this test.
THIN_TOPICS: dict[str, str] = {}


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    return load_catalogue(REPO / "data")


def test_every_resource_is_complete(cat: Catalogue) -> None:
    for r in cat.resources:
        assert r.title, r.id
        assert r.authors, r.id
        assert len(r.year) == 4 and r.year.isdigit(), r.id
        assert r.best_url and r.best_url.startswith(("https://", "http://")), f"{r.id} has no link"
        assert r.topics, r.id
        assert r.level in ("introductory", "intermediate", "advanced") if r.reading else r.level == "", r.id
        assert r.recommended_in, r.id
        assert len(r.why.split()) >= 8, f"{r.id}: the 'why' note is too short to help a reader"


def test_every_topic_has_three_resources(cat: Catalogue) -> None:
    for topic in cat.topics:
        count = len(cat.resources_by_topic[topic.id])
        assert count >= 3 or topic.id in THIN_TOPICS, f"{topic.id} has only {count} resources"


def test_every_prerequisite_maths_area_is_taught(cat: Catalogue) -> None:
    needed = {p for r in cat.resources for p in r.prerequisites if cat.nodes[p].kind == "maths"}
    for area in needed:
        assert cat.teachers[area], f"nothing teaches {area}"


def test_seed_threads_and_survey_are_represented(cat: Catalogue) -> None:
    sources = {p.source for r in cat.resources for p in r.recommended_in}
    assert {"mo-landscape-2023", "mo-math-dl-2015", "modern-math-dl", "editorial"} <= sources
    by_id = cat.resource_by_id
    # a few resources every reader of the seeds would look for first
    for rid in ("berner2021modern", "goodfellow2016deep", "mehta2014exact", "bruna2013invariant",
                "yarotsky2017error", "bronstein2017geometric"):
        assert rid in by_id, rid


def test_venues_are_on_the_map(cat: Catalogue) -> None:
    venues = {r.title for r in cat.resources if r.kind == "venue"}
    for name in ("NeurIPS", "ICML", "COLT", "ALT", "ACL", "EMNLP", "AAAI"):
        assert any(name in v for v in venues), name
