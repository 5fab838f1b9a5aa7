"""The output of ``readingmap render`` builds with Zensical (Material's successor) too, with every
internal link resolving, from the repository's zensical.yml."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sitebuild import REPO, broken_links

pytestmark = pytest.mark.slow  # builds whole sites (left out of the edit loop)

ZENSICAL = Path(sys.executable).parent / "zensical"


def test_zensical_builds_the_rendered_site_with_no_broken_link(tmp_path: Path) -> None:
    if not ZENSICAL.exists():
        if os.environ.get("CI"):
            pytest.fail("zensical is not installed (a test dependency; CI must not skip this)")
        pytest.skip("zensical is not installed (it is a test dependency)")
    project = tmp_path / "project"
    project.mkdir()
    for name in ("mkdocs.yml", "zensical.yml", "overrides"):
        source = REPO / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, project / name)
    render = subprocess.run(
        [sys.executable, "-m", "readingmap.cli", "--data", str(REPO / "data"), "render", "--out", "build/docs",
         "--project", str(REPO), "--repo-url", "https://github.com/math-dl-reading-map/reading-map"],
        cwd=project, capture_output=True, text=True, timeout=300, check=False)
    assert render.returncode == 0, render.stderr
    build = subprocess.run([str(ZENSICAL), "build", "-f", "zensical.yml"], cwd=project, capture_output=True,
                           text=True, timeout=600, check=False)
    assert build.returncode == 0, build.stdout + build.stderr
    site = project / "build" / "site"
    for page in ("index.html", "topics/expressivity/index.html", "resources/cybenko1989approximation/index.html",
                 "paths/infinite-width/index.html", "bibliography/index.html", "about/index.html",
                 "contributing/index.html", "catalogue.json", "refs.bib"):
        assert (site / page).is_file(), page
    checked, broken = broken_links(site)
    assert checked > 1000
    assert not broken, "\n".join(broken[:20])
