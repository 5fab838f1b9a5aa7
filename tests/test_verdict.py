"""A build that reads a cache reports exactly the warnings and errors of a build without it.

Every build cache (the catalogue, refs.bib, formatted references, rendered resource pages,
converted Markdown pages, the theme's compiled templates, held in memory by `mkdocs serve` or
read from the files) may only make a build faster: whatever the earlier builds were (verbose,
quiet, in a serve session), the next build's warnings are those of a build from an empty cache.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sitebuild import REPO, make_project

pytestmark = pytest.mark.slow  # builds whole sites (left out of the edit loop)

MINI = REPO / "tests" / "fixtures" / "mini"
BROKEN_ANCHOR = "../contributing/index.md#no-such-anchor-here"


def _project(tmp: Path, *, only_the_anchor: bool = False) -> Path:
    """A project whose build warns: a link to an anchor that does not exist, a link to a page
    that does not exist, and an unknown option (or only the first)."""
    (tmp / "project").mkdir()
    project = make_project(tmp / "project", MINI)
    about = project / "docs" / "about" / "index.md"
    about.write_text(f'---\ntitle: "About"\n---\n\n# About\n\nSee [the rules]({BROKEN_ANCHOR}).\n',
                     encoding="utf-8")
    if only_the_anchor:
        return project
    broken = project / "docs" / "broken" / "index.md"
    broken.parent.mkdir(parents=True)
    broken.write_text('---\ntitle: "Broken"\n---\n\n# Broken\n\nSee [nowhere](../nowhere.md).\n', encoding="utf-8")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "extra_javascript:", "extra:\n  readingmap:\n    no_such_option: 1\n\nextra_javascript:"), encoding="utf-8")
    return project


def _mkdocs(project: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "-d", "site", *flags], cwd=project,
                          capture_output=True, text=True, timeout=600, check=False,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1",
                               "READINGMAP_CACHE_DIR": str(project / ".cache" / "readingmap")})


def test_a_strict_build_after_a_verbose_one_still_fails_on_a_missing_anchor(tmp_path: Path) -> None:
    """`mkdocs build -v` converts pages without recording their links to anchors; a strict build
    after it must not take those conversions and so miss the broken anchor."""
    project = _project(tmp_path, only_the_anchor=True)
    assert _mkdocs(project, "-v").returncode == 0
    strict = _mkdocs(project, "--strict")
    assert strict.returncode == 1, strict.stderr
    assert "does not contain an anchor '#no-such-anchor-here'" in strict.stderr


def _build(project: Path, level: int, *, serve: bool = False, builds: int = 1) -> list[list[str]]:
    """``builds`` builds of ``project`` in this process at log ``level`` (in one serve session if
    ``serve``); the warnings and errors each logged."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    logger = logging.getLogger("mkdocs")
    seen: list[logging.LogRecord] = []

    class Catch(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            seen.append(record)

    handler = Catch(logging.WARNING)
    before = logger.level
    logger.addHandler(handler)
    logger.setLevel(level)
    out: list[list[str]] = []
    first = load_config(str(project / "mkdocs.yml"), site_dir=str(project / "site"))
    first.plugins.on_startup(command="serve" if serve else "build", dirty=False)
    try:
        for i in range(builds):
            seen.clear()
            config = first if i == 0 else load_config(str(project / "mkdocs.yml"), site_dir=str(project / "site"))
            build(config)
            out.append(sorted(f"{r.levelname}: {r.getMessage()}" for r in seen))
    finally:
        first.plugins.on_shutdown()
        logger.removeHandler(handler)
        logger.setLevel(before)
    return out


@pytest.mark.parametrize("earlier", [logging.DEBUG, logging.INFO, logging.ERROR], ids=["verbose", "normal", "quiet"])
def test_a_build_from_any_cache_warns_as_a_build_without_one(
        earlier: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = _project(tmp_path)
    monkeypatch.setenv("READINGMAP_CACHE_DIR", str(tmp_path / "no-cache"))
    (without,) = _build(project, logging.INFO)  # from no cache at all
    assert any("no-such-anchor-here" in w for w in without) and any("nowhere.md" in w for w in without)
    assert any("no_such_option" in w for w in without)
    monkeypatch.setenv("READINGMAP_CACHE_DIR", str(tmp_path / "cache"))
    _build(project, earlier)  # fills the build cache, at another log level
    assert _build(project, logging.INFO) == [without]  # reads it
    # a serve session: the first build reads the files, the later ones the caches held in memory
    _build(project, earlier, serve=True, builds=2)
    assert _build(project, logging.INFO, serve=True, builds=3) == [without] * 3


def test_the_key_of_a_converted_page_names_whether_anchors_are_recorded_and_unknown_extensions_bypass_it() -> None:
    from mkdocs.config import load_config
    from mkdocs.structure.files import Files

    from readingmap.mkdocs.rendered import build_fingerprint

    config = load_config(str(REPO / "mkdocs.yml"))
    files = Files([])
    logger = logging.getLogger("mkdocs")
    before = logger.level
    try:
        logger.setLevel(logging.INFO)
        normal = build_fingerprint(config, files)
        logger.setLevel(logging.DEBUG)
        verbose = build_fingerprint(config, files)
    finally:
        logger.setLevel(before)
    assert normal is not None and verbose is not None and normal != verbose
    config["markdown_extensions"] = [*config["markdown_extensions"], "pymdownx.snippets"]
    assert build_fingerprint(config, files) is None
