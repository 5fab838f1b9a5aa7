"""Build a copy of the project in a temporary directory with real MkDocs (shared by the tests)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PROJECT_FILES = ("mkdocs.yml", "CONTRIBUTING.md", "hooks", "overrides", "docs")


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


def mkdocs_build(project: Path, *, out: str = "site", strict: bool = True,
                 env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``mkdocs build`` in ``project`` into ``project/out``; the caller checks the result."""
    command = [sys.executable, "-m", "mkdocs", "build", "-d", out, *(["--strict"] if strict else [])]
    return subprocess.run(command, cwd=project, capture_output=True, text=True, timeout=600, check=False,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})})
