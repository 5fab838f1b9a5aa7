"""Every hostile edit that must be refused is refused at exactly its file, line and column."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from corpus import CASES, FIXTURE, Case, Refused, make_base

from readingmap.catalogue.load import load_catalogue
from readingmap.problems import CatalogueError


def _apply(case: Case, tmp_path: Path) -> Path:
    data = make_base(tmp_path / "data")
    for edit in case.edits:
        edit(data)
    return data


def _expected_line(data: Path, expect: Refused) -> int:
    if isinstance(expect.marker, int):
        return expect.marker
    raw = (data / expect.file).read_bytes().decode("utf-8", errors="replace")
    count = 0
    for number, line in enumerate(raw.split("\n"), start=1):
        if expect.marker in line:
            count += 1
            if count == expect.nth:
                return number
    raise AssertionError(f"marker {expect.marker!r} not found in {expect.file}")


def test_base_copy_is_valid(tmp_path: Path) -> None:
    """Every refused case edits this catalogue: it must load without a problem, with the mini
    fixture's resources and the one it adds."""
    base = load_catalogue(make_base(tmp_path / "data"))
    mini = load_catalogue(FIXTURE)
    assert {r.id for r in mini.resources} < {r.id for r in base.resources}
    assert len(base.resources) == len(mini.resources) + 1


def test_corpus_is_large_enough() -> None:
    from corpus import ALL

    assert len(ALL) >= 60
    assert len({c.name for c in ALL}) == len(ALL)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_refused(case: Case, tmp_path: Path, yaml_parser: str) -> None:
    data = _apply(case, tmp_path)
    expect = case.expect
    assert isinstance(expect, Refused)
    with pytest.raises(CatalogueError) as info:
        load_catalogue(data)
    line = _expected_line(data, expect)
    problems = info.value.problems
    suffix = f"data/{expect.file}"
    matching = [p for p in problems if p.path.replace("\\", "/").endswith(suffix)
                and (p.line, p.col) == (line, expect.col) and expect.message in p.message]
    shown = "\n".join(map(str, problems))
    assert matching, f"expected {suffix}:{line}:{expect.col}: ...{expect.message}... in:\n{shown}"


def _cli(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "readingmap.cli", "--data", str(data), "check", *args],
        capture_output=True, text=True, timeout=60, check=False,
    )


def test_cli_text_and_json(tmp_path: Path) -> None:
    """One refused case through ``readingmap check``, as text and as JSON."""
    case = next(c for c in CASES if c.name == "url-javascript")
    data = _apply(case, tmp_path)
    expect = case.expect
    assert isinstance(expect, Refused)
    line = _expected_line(data, expect)
    where = f"{data / expect.file}:{line}:{expect.col}: "

    text = _cli(data)
    assert text.returncode == 1
    assert "Traceback" not in text.stdout + text.stderr
    assert any(out.startswith(where) and expect.message in out for out in text.stdout.splitlines())
    assert re.search(r"^\d+ problems? found\.$", text.stderr, re.M)

    out = _cli(data, "--format", "json")
    assert out.returncode == 1
    report = json.loads(out.stdout)
    assert set(report) == {"ok", "problems"}
    assert report["ok"] is False
    assert all(set(p) == {"path", "line", "col", "message"} for p in report["problems"])
    assert {"path": str(data / expect.file), "line": line, "col": expect.col} in [
        {k: p[k] for k in ("path", "line", "col")} for p in report["problems"]
    ]
    assert any(expect.message in p["message"] for p in report["problems"])


def test_cli_json_ok(tmp_path: Path) -> None:
    data = make_base(tmp_path / "data")
    out = _cli(data, "--format", "json")
    assert out.returncode == 0, out.stdout + out.stderr
    assert json.loads(out.stdout) == {"ok": True, "problems": [], "warnings": []}
