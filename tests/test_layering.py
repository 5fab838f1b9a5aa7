"""Data flows one way: loading imports nothing from rendering, and only the mkdocs part knows MkDocs."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest


def _imported_by(module: str) -> set[str]:
    code = f"import json, sys, {module}; print(json.dumps(sorted(sys.modules)))"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    return set(json.loads(run.stdout))


@pytest.mark.parametrize("module", ["readingmap.catalogue.load", "readingmap.graph"])
def test_loading_imports_no_rendering_and_no_mkdocs(module: str) -> None:
    modules = _imported_by(module)
    assert not {m for m in modules if m.startswith(("readingmap.render", "readingmap.mkdocs", "readingmap.tools"))}
    assert not {m for m in modules if m == "mkdocs" or m.startswith(("mkdocs.", "jinja2", "markdown", "nh3"))}


def test_rendering_does_not_know_mkdocs() -> None:
    modules = _imported_by("readingmap.render.site")
    assert not {m for m in modules if m == "mkdocs" or m.startswith(("mkdocs.", "readingmap.mkdocs"))}
