"""Golden files: every kind of generated page of the test catalogue, compared byte for byte.

A change to any page shows up here as a diff to review. After a deliberate change, regenerate
them with

    pytest tests/test_golden.py --update-golden

and commit the new files with the change that caused them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from readingmap.catalogue.load import load_catalogue
from readingmap.render.site import Options, build

HERE = Path(__file__).parent
GOLDEN = HERE / "golden" / "mini"


def _outputs() -> dict[str, str]:
    """The Markdown of every page, each resource page's HTML body, and the exports."""
    site = build(load_catalogue(HERE / "fixtures" / "mini"), Options(repo_url="https://example.org/o/r"))
    out = {rel: site.markdown(rel) for rel in site.pages}
    for rel, page in site.prebuilt.items():
        out[rel] = page.markdown()
        out[rel.removesuffix(".md") + ".body.html"] = page.body()
    out.update(site.exports)
    return out


def test_golden_pages(request: pytest.FixtureRequest) -> None:
    outputs = _outputs()
    if request.config.getoption("--update-golden"):
        for stale in GOLDEN.rglob("*"):
            if stale.is_file() and stale.relative_to(GOLDEN).as_posix() not in outputs:
                stale.unlink()
        for rel, content in outputs.items():
            target = GOLDEN / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content, encoding="utf-8")
    kept = {p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*") if p.is_file()}
    assert kept == set(outputs), "pages added or removed: run pytest tests/test_golden.py --update-golden"
    changed = [rel for rel, content in sorted(outputs.items())
               if (GOLDEN / rel).read_text(encoding="utf-8") != content]
    assert not changed, (f"{len(changed)} generated files differ from tests/golden/mini ({', '.join(changed[:5])});"
                         " review the change, then run pytest tests/test_golden.py --update-golden")


def test_golden_files_cover_every_kind_of_page() -> None:
    kinds = {rel.split("/")[0] for rel in _outputs()}
    assert {"index.md", "topics", "maths", "paths", "resources", "bibliography", "catalogue.json",
            "refs.bib"} <= kinds
