"""Two builds of the same data, in two different directories, give byte-identical sites.

The only exception is what MkDocs itself stamps with the build date: the ``<lastmod>`` of every
URL in ``sitemap.xml`` and, therefore, the compressed ``sitemap.xml.gz``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sitebuild import make_project, mkdocs_build

pytestmark = pytest.mark.slow  # builds whole sites (left out of the edit loop)

DATED = {"sitemap.xml", "sitemap.xml.gz"}


def _build(tmp: Path) -> Path:
    run = mkdocs_build(make_project(tmp), out="out", strict=False, env={"PYTHONHASHSEED": "random"})
    assert run.returncode == 0, run.stdout + run.stderr
    return tmp / "out"


def _files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first, second = _files(_build(tmp_path / "a")), _files(_build(tmp_path / "b"))
    assert sorted(first) == sorted(second)
    differ = sorted(name for name in first if first[name] != second[name] and name not in DATED)
    assert differ == []
    # The dated files differ at most in their dates.
    undated = [re.sub(rb"<lastmod>[^<]*</lastmod>", b"", site["sitemap.xml"])
               for site in (first, second)]
    assert undated[0] == undated[1]
