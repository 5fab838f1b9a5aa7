"""The cycle collector is paused while a build runs, by whoever runs it (the command line, the
MkDocs plugin object), and given back as it was when the build ends or fails; never under
``mkdocs serve``, and never by loading or rendering themselves."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, PluginError

from readingmap import cli
from readingmap.catalogue import load
from readingmap.collector import CollectorPause
from readingmap.mkdocs import build as site_build
from readingmap.render import site
from sitebuild import REPO, make_project


@pytest.fixture(autouse=True)
def _collector_on() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    (gc.enable if was else gc.disable)()


def test_a_pause_gives_the_collector_back_as_it_was() -> None:
    pause = CollectorPause()
    pause.pause()
    pause.pause()
    assert not gc.isenabled()
    pause.resume()
    assert gc.isenabled()
    pause.resume()
    assert gc.isenabled()
    gc.disable()
    with CollectorPause():
        assert not gc.isenabled()
    assert not gc.isenabled(), "a collector that was off before the pause must stay off"


def test_a_pause_ends_with_an_error_too() -> None:
    with pytest.raises(RuntimeError), CollectorPause():
        raise RuntimeError("the build failed")
    assert gc.isenabled()


def _recording(monkeypatch: pytest.MonkeyPatch, owner: Any, name: str, seen: list[bool]) -> None:
    original = getattr(owner, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        seen.append(gc.isenabled())
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, wrapper)


def test_check_and_render_load_and_render_with_the_collector_paused(mini: Path, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    loading: list[bool] = []
    rendering: list[bool] = []
    _recording(monkeypatch, load, "load_catalogue", loading)
    _recording(monkeypatch, site, "build", rendering)
    assert cli.main(["--data", str(mini), "check"]) == 0
    assert gc.isenabled()
    assert cli.main(["--data", str(mini), "render", "--out", str(tmp_path / "out")]) == 0
    assert gc.isenabled()
    assert loading == [False, False] and rendering == [False]


def test_check_of_bad_data_gives_the_collector_back(mini: Path) -> None:
    res = mini / "resources.yaml"
    res.write_text(res.read_text(encoding="utf-8").replace("level: advanced", "level: expert"), encoding="utf-8")
    assert cli.main(["--data", str(mini), "check"]) == 1
    assert cli.main(["--data", str(mini), "render", "--out", str(mini.parent / "out")]) == 1
    assert gc.isenabled()


def _build(project: Path, *, serving: bool = False) -> None:
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(project / "site"))
    if serving:
        config.plugins.on_startup(command="serve", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()


@pytest.mark.parametrize("serving", [False, True])
def test_a_mkdocs_build_pauses_the_collector_unless_it_serves(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                              serving: bool) -> None:
    project = make_project(tmp_path, REPO / "tests/fixtures/mini")
    seen: list[bool] = []
    _recording(monkeypatch, site_build, "load_catalogue", seen)
    _recording(monkeypatch, site_build.SiteBuild, "page_markdown", seen)
    _build(project, serving=serving)
    assert seen and set(seen) == {serving}
    assert gc.isenabled()


def test_a_failed_mkdocs_build_gives_the_collector_back(tmp_path: Path) -> None:
    project = make_project(tmp_path, REPO / "tests/fixtures/mini")
    res = project / "data/resources.yaml"
    res.write_text(res.read_text(encoding="utf-8").replace("level: advanced", "level: expert"), encoding="utf-8")
    with pytest.raises((PluginError, Abort)):
        _build(project)
    assert gc.isenabled()


def test_a_build_leaves_nothing_for_the_next_one_to_collect(tmp_path: Path) -> None:
    """What a build leaves in cycles (the JSON encoder's closures, among others) is collected when
    it ends: a process that builds again (``mkdocs serve --clean``, API callers) may allocate too
    little in between for a full collection to run, and would pile it up."""
    project = make_project(tmp_path, REPO / "tests/fixtures/mini")
    found: list[int] = []

    def watch(phase: str, info: dict[str, int]) -> None:
        if phase == "stop" and info["generation"] == 2:
            found.append(info["collected"])

    gc.callbacks.append(watch)
    try:
        _build(project)
    finally:
        gc.callbacks.remove(watch)
    assert found and max(found) > 1000, found
