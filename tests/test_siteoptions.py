"""The site options under ``extra.readingmap``: checked like MkDocs checks its own."""

from __future__ import annotations

from pathlib import Path

import pytest

from readingmap.mkdocs.options import OptionsError, site_options
from sitebuild import REPO, make_project, mkdocs_build


def test_defaults_and_a_valid_value() -> None:
    assert site_options(None, repo_url=None)[0].inline_limit == 500
    options, warnings = site_options({"bibliography_inline_limit": 0}, repo_url="https://example.org/r")
    assert (options.inline_limit, options.repo_url, warnings) == (0, "https://example.org/r", [])


@pytest.mark.parametrize(
    ("value", "shown"), [("lots", "'lots'"), (-1, "-1"), (True, "True"), (2.5, "2.5")]
)
def test_bad_value_names_option_value_and_expectation(value: object, shown: str) -> None:
    with pytest.raises(OptionsError) as info:
        site_options({"bibliography_inline_limit": value}, repo_url=None)
    assert str(info.value) == (
        f"extra.readingmap.bibliography_inline_limit: expected a whole number (0 or more), found {shown}"
    )


def test_not_a_mapping() -> None:
    with pytest.raises(OptionsError) as info:
        site_options(["bibliography_inline_limit"], repo_url=None)
    assert str(info.value) == (
        "extra.readingmap must be a mapping of option names to values, found list ['bibliography_inline_limit']"
    )


def test_unknown_option_is_a_warning_naming_the_known_ones() -> None:
    _, warnings = site_options({"bibliography_inline_limt": 10}, repo_url=None)
    assert warnings == [
        "extra.readingmap: Unrecognised configuration name: bibliography_inline_limt"
        " (the options are: bibliography_inline_limit)"
    ]


@pytest.mark.parametrize("value", ["lots", "-5"])
def test_build_ends_with_a_clean_error(tmp_path: Path, value: str) -> None:
    project = make_project(tmp_path, REPO / "tests/fixtures/mini")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8")
                      + f"\nextra:\n  readingmap:\n    bibliography_inline_limit: {value}\n", encoding="utf-8")
    result = mkdocs_build(project)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    shown = "'lots'" if value == "lots" else value
    assert ("mkdocs.yml: extra.readingmap.bibliography_inline_limit: expected a whole number (0 or more),"
            f" found {shown}") in result.stderr
    assert not (project / "site").exists()
