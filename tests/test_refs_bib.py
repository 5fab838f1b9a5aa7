"""refs.bib is read cleanly by every reference manager: pybtex (always), BibTeX with the four
standard styles and biber's data-model validation (where installed; CI installs them)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from pybtex.database import parse_file

from readingmap.catalogue.load import load_catalogue
from readingmap.render import export, references

REPO = Path(__file__).resolve().parent.parent
REFS = REPO / "data" / "refs.bib"
#: What biber's data model wants and valid BibTeX cannot give (see CONTRIBUTING): an edited book
#: (BibTeX's @book takes an editor instead of an author; biber's @book insists on an author),
#: and an @incollection whose book's editors we could not verify.
BIBER_ACCEPTED = {
    "Entry 'grohs2022mathematical' (refs.bib): Missing mandatory field 'author'",
    "Entry 'stanley2007introduction' (refs.bib): Missing mandatory field 'editor'",
}


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is not installed (CI is set, so this check may not be skipped)")
        pytest.skip(f"{name} is not installed")
    return path


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The refs.bib the site serves, written from the checked catalogue."""
    out = tmp_path_factory.mktemp("bib") / "refs.bib"
    out.write_text(export.refs_bib(load_catalogue(REPO / "data")), encoding="utf-8")
    return out


@pytest.mark.parametrize("which", ["data", "exported"])
def test_pybtex_parses_strictly_and_the_style_formats_every_entry(which: str, exported: Path) -> None:
    data = parse_file(str(REFS if which == "data" else exported), bib_format="bibtex")
    assert len(data.entries) > 100
    catalogue = load_catalogue(REPO / "data")
    for resource in catalogue.resources:
        assert references.formatted_html(resource.ref).strip(), resource.id


def test_exported_months_are_macros(exported: Path) -> None:
    text = exported.read_text(encoding="utf-8")
    months = [line.strip() for line in text.splitlines() if line.strip().startswith("month")]
    assert months and all(m.rstrip(",").split(" = ")[1] in
                          {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}
                          for m in months), months


@pytest.mark.slow
@pytest.mark.parametrize("which", ["data", "exported"])
@pytest.mark.parametrize("style", ["plain", "abbrv", "alpha", "unsrt"])
def test_bibtex_gives_no_warning(style: str, which: str, exported: Path, tmp_path: Path) -> None:
    bibtex = _tool("bibtex")
    shutil.copy(REFS if which == "data" else exported, tmp_path / "refs.bib")
    (tmp_path / "t.aux").write_text(f"\\citation{{*}}\n\\bibstyle{{{style}}}\n\\bibdata{{refs}}\n", encoding="utf-8")
    run = subprocess.run([bibtex, "t"], cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False)
    log = (tmp_path / "t.blg").read_text(encoding="utf-8", errors="replace")
    assert run.returncode == 0, run.stdout + log
    assert "Warning--" not in log and "error message" not in log, log
    assert (tmp_path / "t.bbl").read_text(encoding="utf-8", errors="replace").count("\\bibitem") > 100


@pytest.mark.slow
@pytest.mark.parametrize("which", ["data", "exported"])
def test_biber_datamodel_warnings_are_only_those_valid_bibtex_cannot_fix(which: str, exported: Path,
                                                                          tmp_path: Path) -> None:
    biber = _tool("biber")
    shutil.copy(REFS if which == "data" else exported, tmp_path / "refs.bib")
    run = subprocess.run([biber, "--tool", "--validate-datamodel", "refs.bib"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    warnings = {line.split("Datamodel: ", 1)[1] for line in run.stdout.splitlines()
                if line.startswith("WARN - Datamodel: ")}
    other = [line for line in run.stdout.splitlines() if line.startswith(("WARN", "ERROR")) and "Datamodel" not in line]
    assert warnings <= BIBER_ACCEPTED, warnings - BIBER_ACCEPTED
    assert other == [], other
