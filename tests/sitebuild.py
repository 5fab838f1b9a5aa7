"""Build a copy of the project in a temporary directory with real MkDocs, and import the benchmark's
scripts (shared by the tests)."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from types import ModuleType
from urllib.parse import unquote, urlsplit

REPO = Path(__file__).resolve().parent.parent
PROJECT_FILES = ("mkdocs.yml", "CONTRIBUTING.md", "hooks", "overrides", "docs")


def bench_module(name: str) -> ModuleType:
    """``bench/<name>.py`` imported as the module ``name`` (the benchmark is not a package; its
    scripts put ``bench/`` on the path themselves and import each other by name)."""
    spec = importlib.util.spec_from_file_location(name, REPO / "bench" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def make_project(tmp: Path, data: Path | None = None) -> Path:
    """Copy what a site build needs into ``tmp``; ``data`` (default: the real catalogue) becomes
    ``tmp/data`` unless it is ``tmp/data`` already."""
    for name in PROJECT_FILES:
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, tmp / name)
        else:
            shutil.copy(src, tmp / name)
    data = REPO / "data" if data is None else data
    if data.resolve() != (tmp / "data").resolve():
        shutil.copytree(data, tmp / "data")
    return tmp


def build_in_process(project: Path, *, out: str = "site", strict: bool = True) -> Path:
    """``mkdocs build`` of ``project`` into ``project/out`` in this process (faster than a
    subprocess); raises MkDocs' own exception if the build fails. Returns the site directory."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(str(project / "mkdocs.yml"), site_dir=str(project / out), strict=strict)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    return project / out


def mkdocs_build(project: Path, *, out: str = "site", strict: bool = True,
                 env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``mkdocs build`` in ``project`` into ``project/out``; the caller checks the result."""
    command = [sys.executable, "-m", "mkdocs", "build", "-d", out, *(["--strict"] if strict else [])]
    return subprocess.run(command, cwd=project, capture_output=True, text=True, timeout=600, check=False,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})})


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.links.extend(value for name, value in attrs if name in ("href", "src") and value)


def broken_links(site: Path) -> tuple[int, list[str]]:
    """Every relative link and source of every page of a built site that leads to no file (links
    inside raw HTML are checked by no generator); the number of links checked, and the broken ones."""
    broken, checked = [], 0
    for page in sorted(site.rglob("*.html")):
        if page.name == "404.html":  # served at any path, so it is written with root-relative links
            continue
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for link in parser.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith(("#", "mailto:")):
                continue
            checked += 1
            target = (page.parent / unquote(parts.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{page.relative_to(site)} -> {link}")
    return checked, broken
