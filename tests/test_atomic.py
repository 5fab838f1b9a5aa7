"""A build with invalid data fails before anything is written into the site directory.

MkDocs runs the ``on_config`` event before it cleans ``site_dir`` (``mkdocs.commands.build.build``:
``on_config``, ``on_pre_build``, then ``clean_directory``), and the hooks load, check and render
the whole catalogue in ``on_config``: bad data ends the build there, with the problems as
``path:line:col: message`` and no traceback, and the previous site stays as it was.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from sitebuild import make_project

pytestmark = pytest.mark.slow  # builds whole sites (left out of the edit loop)


def _project(tmp: Path) -> Path:
    return make_project(tmp)


def _break(project: Path) -> tuple[str, str]:
    """Put a javascript: link into the first source with a URL; return the expected problem."""
    path = project / "data" / "sources.yaml"
    lines = path.read_text(encoding="utf-8").split("\n")
    number = next(i for i, line in enumerate(lines) if line.strip().startswith("url: "))
    col = lines[number].index("url: ") + len("url: ") + 1
    lines[number] = lines[number][: col - 1] + "javascript:alert(1)"
    path.write_text("\n".join(lines), encoding="utf-8")
    return f"data/sources.yaml:{number + 1}:{col}: ", "found scheme 'javascript'"


def _mkdocs(project: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "-d", "out"], cwd=project,
                          capture_output=True, text=True, timeout=300, check=False, env=env)


def _snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_invalid_data_leaves_existing_site_untouched(tmp_path: Path) -> None:
    project = _project(tmp_path)
    where, message = _break(project)
    out = project / "out"
    (out / "old").mkdir(parents=True)
    (out / "index.html").write_text("previous site\n", encoding="utf-8")
    (out / "old" / "page.html").write_text("still here\n", encoding="utf-8")
    before = _snapshot(out)

    run = _mkdocs(project)

    output = run.stdout + run.stderr
    assert run.returncode != 0
    assert "Traceback" not in output
    assert any(line.startswith(where) and message in line for line in output.splitlines()), output
    assert _snapshot(out) == before


def test_invalid_data_creates_no_site_dir(tmp_path: Path) -> None:
    project = _project(tmp_path)
    _break(project)
    run = _mkdocs(project)
    assert run.returncode != 0
    assert "Traceback" not in run.stdout + run.stderr
    assert not (project / "out").exists()
