"""Shared fixtures: a tiny valid catalogue copied into a temporary directory per test."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from readingmap import cache
from readingmap.catalogue import yamlstrict
from readingmap.catalogue.load import load_catalogue
from readingmap.problems import CatalogueError

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).parent.parent


@pytest.fixture(autouse=True, scope="session")
def _build_cache_outside_the_source_tree(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Builds and commands run by the tests keep their build cache in a temporary directory (also
    in the subprocesses they start), never in the repository or its fixtures."""
    previous = os.environ.get(cache.ENV)
    os.environ[cache.ENV] = str(tmp_path_factory.mktemp("build-cache"))
    yield
    if previous is None:
        os.environ.pop(cache.ENV, None)
    else:
        os.environ[cache.ENV] = previous


@pytest.fixture
def mini(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of tests/fixtures/mini as ``<tmp>/data``; the working directory is ``<tmp>`` so
    messages read ``data/<file>:line:col``."""
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "mini", data)
    monkeypatch.chdir(tmp_path)
    return data


def problems_of(data: Path) -> list[str]:
    try:
        load_catalogue(data)
    except CatalogueError as exc:
        return [str(p) for p in exc.problems]
    return []


@pytest.fixture(params=sorted(yamlstrict.PARSERS))
def yaml_parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each YAML parser PyYAML offers here (libyaml and the pure-Python one): the verdict on the
    data must not depend on which one is installed."""
    monkeypatch.setattr(yamlstrict, "DEFAULT", request.param)
    return str(request.param)


@pytest.fixture
def problems(yaml_parser: str) -> Callable[[Path], list[str]]:
    return problems_of


@dataclass(frozen=True)
class RealSite:
    """The real site built in process: ``cold`` from no build cache, ``warm`` from the one the
    cold build wrote, both from the copy of the project in ``project``."""

    project: Path
    cold: Path
    warm: Path


@pytest.fixture(scope="session")
def real_site_builds(tmp_path_factory: pytest.TempPathFactory) -> RealSite:
    """The real site, built once per test session (strict, in process), cold and warm: the tests
    of the built site and the browser tests read these instead of building it again."""
    from sitebuild import build_in_process, make_project

    project = make_project(tmp_path_factory.mktemp("real-project"))
    previous = os.environ[cache.ENV]
    os.environ[cache.ENV] = str(project / ".cache" / "readingmap")  # cold: a cache of its own
    try:
        cold = build_in_process(project, out="cold")
        warm = build_in_process(project, out="warm")
    finally:
        os.environ[cache.ENV] = previous
    return RealSite(project, cold, warm)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests under tests/browser drive Chromium: marked ``browser`` (and so left out of the
    edit loop, ``pytest -m "not slow and not browser"``)."""
    for item in items:
        if "browser" in item.path.parts:
            item.add_marker(pytest.mark.browser)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite the golden files of tests/golden/ from the current output")
