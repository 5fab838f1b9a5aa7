"""End to end: a real ``mkdocs build --strict`` of a project in a temporary directory."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from pybtex.database import parse_string

from conftest import RealSite
from readingmap.catalogue.load import load_catalogue
from sitebuild import REPO, broken_links, build_in_process, make_project, mkdocs_build

pytestmark = pytest.mark.slow  # builds whole sites (left out of the edit loop)


def built_site(tmp: Path, data: Path) -> Path:
    """A strict build of the project with ``data`` as its catalogue; the built site's path."""
    return build_in_process(make_project(tmp, data))


@pytest.fixture(scope="module")
def mini_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built_site(tmp_path_factory.mktemp("mini"), REPO / "tests/fixtures/mini")


@pytest.fixture(scope="module")
def real_site(real_site_builds: RealSite) -> Path:
    return real_site_builds.cold


def test_pages_exist_at_their_urls(mini_site: Path) -> None:
    for path in ("index.html", "topics/expressivity/index.html", "maths/linear-algebra/index.html",
                 "paths/expressivity/index.html", "resources/yarotsky2017error/index.html",
                 "bibliography/index.html", "contributing/index.html", "about/index.html"):
        assert (mini_site / path).is_file(), path


def test_generated_html(mini_site: Path) -> None:
    html = (mini_site / "resources/yarotsky2017error/index.html").read_text(encoding="utf-8")
    assert "<title>Error bounds for approximations with deep ReLU networks" in html
    assert 'href="https://arxiv.org/abs/1610.01145"' in html
    assert "Dmitry Yarotsky" in html
    path = (mini_site / "paths/expressivity/index.html").read_text(encoding="utf-8")
    assert '<svg class="rm-graph"' in path and "<title>Reading path to Expressivity" in path
    bib = (mini_site / "bibliography/index.html").read_text(encoding="utf-8")
    assert bib.count('<article class="rm-entry"') == 5
    assert 'id="bib-filter" type="search"' in bib and 'id="bib-count"' in bib


def test_resource_pages_are_not_in_the_navigation(mini_site: Path) -> None:
    home = (mini_site / "index.html").read_text(encoding="utf-8")
    nav = home[home.index('<nav class="md-nav md-nav--primary"'):]
    nav = nav[: nav.index("</nav>")]
    assert "resources/" not in nav


def test_exports(mini_site: Path) -> None:
    data = json.loads((mini_site / "catalogue.json").read_text(encoding="utf-8"))
    assert list(data) == ["schema_version", "topics", "maths", "sources", "resources", "results", "questions"]
    assert data["schema_version"] == 3
    r = next(r for r in data["resources"] if r["id"] == "yarotsky2017error")
    assert r["authors"] == ["Dmitry Yarotsky"] and r["arxiv"] == "1610.01145"
    assert r["url"] == "https://arxiv.org/abs/1610.01145"
    bib = parse_string((mini_site / "refs.bib").read_text(encoding="utf-8"), "bibtex")
    assert set(bib.entries) == {r["id"] for r in data["resources"]}
    assert data["results"][1] == {
        "id": "sawtooth-squaring", "name": "Squaring by sawtooth networks", "aliases": [], "who": "Dmitry Yarotsky",
        "year": "2017", "status": "theorem",
        "gloss": "Composing sawtooth functions, a deep narrow ReLU network squares numbers very accurately.",
        "statement": "The function $x \\mapsto x^2$ on $[0,1]$ is approximated to accuracy $\\varepsilon$ by a ReLU"
                     " network of depth and size $O(\\log(1/\\varepsilon))$.",
        "topics": ["expressivity"], "maths": ["real-analysis"], "builds_on": [], "resources": ["yarotsky2017error"],
        "read": [{"resource": "yarotsky2017error", "where": "Proposition 2"}], "added": "2025-10-02", "checked": "2026-11-30"}
    assert data["questions"] == [{
        "id": "what-can-relu-networks-approximate", "topic": "expressivity",
        "question": "How many parameters does a ReLU network need to approximate a smooth function?",
        "known": "Deep ReLU networks approximate the unit ball of $W^{n,\\infty}([0,1]^d)$ to accuracy"
                 " $\\varepsilon$ with $O(\\varepsilon^{-d/n}\\log(1/\\varepsilon))$ weights.",
        "results": ["relu-sobolev-rates"], "status": "partly answered", "status_changed": "2026-12-06",
        "checked": "2026-11-30"}]


def test_file_urls_are_refused_with_a_clear_error(tmp_path: Path) -> None:
    project = make_project(tmp_path, REPO / "tests/fixtures/mini")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "use_directory_urls: false\n", encoding="utf-8")
    result = mkdocs_build(project)
    assert result.returncode != 0
    assert "set use_directory_urls: true in mkdocs.yml" in result.stderr and "Traceback" not in result.stderr


def test_bad_data_fails_cleanly(tmp_path: Path) -> None:
    project = make_project(tmp_path, REPO / "tests/fixtures/mini")
    res = project / "data/resources.yaml"
    res.write_text(res.read_text(encoding="utf-8").replace("level: advanced", "level: expert"), encoding="utf-8")
    result = mkdocs_build(project)
    assert result.returncode != 0
    assert "data/resources.yaml:" in result.stderr and "'expert' is not one of" in result.stderr
    assert "Traceback" not in result.stderr


def test_every_internal_link_resolves(real_site: Path) -> None:
    """Links inside raw HTML (graphs, matrix, bibliography) are not checked by MkDocs: check all."""
    checked, broken = broken_links(real_site)
    assert checked > 1000
    assert not broken, "\n".join(broken[:20])


def test_real_site_lists_every_resource(real_site: Path) -> None:
    data = json.loads((real_site / "catalogue.json").read_text(encoding="utf-8"))
    bib = (real_site / "bibliography/index.html").read_text(encoding="utf-8")
    for r in data["resources"]:
        assert f'data-key="{r["id"]}"' in bib
        assert (real_site / "resources" / r["id"] / "index.html").is_file()


@pytest.mark.parametrize("data", ["tests/fixtures/mini", "data"])
def test_every_page_equals_what_mkdocs_renders_from_the_rendered_markdown(data: str, tmp_path: Path) -> None:
    """The hooks build pages in ways MkDocs does not: resource pages filled into the theme's page
    instead of rendered one by one, the bibliography's list put into the converted page (a slot),
    pages converted by an earlier build reused. A plain MkDocs build (no hooks) of the Markdown
    that ``readingmap render`` writes must give the same pages, byte for byte (with a site_url, so
    canonical links and the sitemap count), whether the hooks' build cache is cold or warm."""
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    config["site_url"] = "https://example.org/map/"
    (tmp_path / "full").mkdir()
    full = make_project(tmp_path / "full", REPO / data)
    (full / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    assert mkdocs_build(full, env={"SOURCE_DATE_EPOCH": "0"}).returncode == 0
    assert mkdocs_build(full, out="warm", env={"SOURCE_DATE_EPOCH": "0"}).returncode == 0
    docs = tmp_path / "plain" / "docs"
    subprocess.run([sys.executable, "-m", "readingmap.cli", "--data", str(REPO / data),
                    "render", "--out", str(docs), "--repo-url", config["repo_url"], "--site-url", config["site_url"],
                    "--project", str(REPO)],
                   check=True, capture_output=True)
    for key in ("hooks", "watch"):
        config.pop(key)
    config["docs_dir"] = "docs"
    config["theme"]["custom_dir"] = str(REPO / config["theme"]["custom_dir"])
    (tmp_path / "plain" / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    result = mkdocs_build(tmp_path / "plain", env={"SOURCE_DATE_EPOCH": "0"})
    assert result.returncode == 0, result.stderr
    ours, theirs = full / "site", tmp_path / "plain" / "site"
    pages = sorted(p.relative_to(ours) for p in ours.rglob("*.html"))
    assert len([p for p in pages if p.parts[0] == "resources"]) == len(load_catalogue(REPO / data).resources)
    assert pages == sorted(p.relative_to(theirs) for p in theirs.rglob("*.html"))
    for site in (ours, full / "warm"):
        different = [str(rel) for rel in pages
                     if (site / rel).read_text(encoding="utf-8") != (theirs / rel).read_text(encoding="utf-8")]
        assert different == [], site.name

    def locations(site: Path) -> list[str]:
        return sorted(re.findall(r"<loc>([^<]+)</loc>", (site / "sitemap.xml").read_text(encoding="utf-8")))

    assert locations(ours) == locations(theirs)


def test_sitemap_and_canonical_links_use_the_deployed_address(real_site: Path) -> None:
    """mkdocs.yml sets site_url: every page, resource pages included, is in sitemap.xml and has a
    canonical link (the sitemap was empty without it)."""
    import yaml as _yaml

    site_url = _yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))["site_url"]
    sitemap = (real_site / "sitemap.xml").read_text(encoding="utf-8")
    locations = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    catalogue = load_catalogue(REPO / "data")
    assert {f"{site_url}resources/{r.id}/" for r in catalogue.resources} <= set(locations)
    assert f"{site_url}results/" in locations and f"{site_url}topics/expressivity/" in locations
    page = (real_site / "resources" / "cybenko1989approximation" / "index.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{site_url}resources/cybenko1989approximation/">' in page


def test_a_build_does_not_list_the_generated_pages_left_out_of_the_nav(tmp_path: Path) -> None:
    """Resource, topic, maths, path and result pages are reached by links and search, on purpose;
    ``not_in_nav`` in mkdocs.yml says so, and a build reports none of them."""
    project = make_project(tmp_path, REPO / "tests/fixtures/mini")
    done = mkdocs_build(project)
    assert done.returncode == 0, done.stderr
    assert "not included in the" not in done.stdout + done.stderr
    assert "readingmap: catalogue: 5 resources" in done.stderr
