"""bench/ablate.py measures what each mechanism kept for ``mkdocs serve`` buys by switching it off
from outside the package. Each switch must reach what it names: a memo kind renamed in the
package, or a name moved, would otherwise be measured as buying nothing."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType
from typing import Any

import jinja2
import pytest

from readingmap.cache import BuildCaches
from readingmap.catalogue.load import load_catalogue
from readingmap.mkdocs import rendered
from readingmap.mkdocs.build import SiteBuild
from readingmap.render import site
from sitebuild import bench_module


@pytest.fixture(scope="module")
def ablate() -> ModuleType:
    return bench_module("ablate")


def test_every_memo_it_switches_off_is_one_a_serve_build_uses(ablate: ModuleType, mini: Path, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    used: set[str] = set()
    memo, held = BuildCaches.memo, BuildCaches.held

    def recording_memo(self: BuildCaches, kind: str, key: Any, make: Any) -> Any:
        used.add(kind.partition(":")[0])
        return memo(self, kind, key, make)

    def recording_held(self: BuildCaches, kind: str, make: Any) -> Any:
        used.add(kind.partition(":")[0])
        return held(self, kind, make)

    monkeypatch.setattr(BuildCaches, "memo", recording_memo)
    monkeypatch.setattr(BuildCaches, "held", recording_held)
    with BuildCaches(tmp_path / "cache", session=True) as caches:
        caches.new_build()
        site.build(load_catalogue(mini, caches=caches), caches=caches)
    for mechanism, kinds in ablate.MEMOS.items():
        assert set(kinds) <= used, (mechanism, set(kinds) - used)
    assert "yaml-items" in used
    assert set(ablate.LOADING) <= set(ablate.MECHANISMS)


def test_each_switch_replaces_what_it_names(ablate: ModuleType, mini: Path, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    replaced = ((rendered.MarkdownCache, "before"), (SiteBuild, "__init__"),
                (jinja2.FileSystemBytecodeCache, "load_bytecode"), (BuildCaches, "held"), (BuildCaches, "memo"))
    before = [getattr(owner, name) for owner, name in replaced]
    for owner, name in replaced:
        monkeypatch.setattr(owner, name, getattr(owner, name))  # put back after the test
    for mechanism in ablate.MECHANISMS:
        ablate.switch_off(mechanism)

    assert all(getattr(owner, name) is not found for (owner, name), found in zip(replaced, before, strict=True))
    assert rendered.MarkdownCache.before(None, "# Page\n", None, None, None) == "# Page\n"  # type: ignore[arg-type]
    bucket = jinja2.bccache.Bucket(jinja2.Environment(), "key", "checksum")
    jinja2.FileSystemBytecodeCache(str(tmp_path)).load_bytecode(bucket)
    assert bucket.code is None
    with BuildCaches(tmp_path / "cache", session=True) as caches:
        assert caches.held("yaml-items:data/resources.yaml", dict) is None
        assert caches.held("other", dict) == {}
        calls: list[str] = []
        for _ in range(2):
            caches.memo("record", "key", lambda: calls.append("record"))
            caches.memo("fragment:entry.html", "key", lambda: calls.append("fragment"))
            caches.memo("other", "key", lambda: calls.append("other"))
        assert calls == ["record", "fragment", "other", "record", "fragment"]
