"""`mkdocs serve`: what a session (build caches held in memory between rebuilds) reuses never
changes what is built.

Each test edits a copy of a catalogue between builds the way a contributor does and compares the
session's build with a fresh one (no session, no cache): every page's Markdown, every resource
page, every export.
"""

from __future__ import annotations

import gc
import logging
import random
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from readingmap.cache import BuildCaches
from readingmap.catalogue import yamlstrict
from readingmap.catalogue.load import CATALOGUE_STORE, cached_catalogue, load_catalogue
from readingmap.keys import NO_CACHES, Caches
from readingmap.problems import CatalogueError
from readingmap.render import resource_pages
from readingmap.render import site as site_mod
from sitebuild import REPO, build_in_process, make_project

MINI = REPO / "tests" / "fixtures" / "mini"


def everything(built: site_mod.Site) -> dict[str, str]:
    out = {path: built.markdown(path) for path in built.pages}
    for path, page in built.prebuilt.items():
        out[path] = page.markdown()
        out[path + ".body"] = page.body()
        out[path + ".search"] = page.search_text
    out.update(built.exports)
    return out


def build(data: Path, caches: Caches = NO_CACHES) -> dict[str, str]:
    caches.new_build()  # as the plugin starts each build
    options = site_mod.Options(repo_url="https://example.org/o/r")
    return everything(site_mod.build(load_catalogue(data, caches=caches), options, caches=caches))


def replace(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path.name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def first_value(path: Path, key: str) -> str:
    line = next(line for line in path.read_text(encoding="utf-8").splitlines() if line.strip().startswith(key))
    return line.split(":", 1)[1].strip()


def _edit_why(data: Path) -> None:
    text = (data / "resources.yaml").read_text(encoding="utf-8")
    at = text.index("why: >-\n") + len("why: >-\n")
    end = text.index("\n", at)
    (data / "resources.yaml").write_text(text[:end] + " Edited in a session." + text[end:], encoding="utf-8")


def _add_a_line_above_everything(data: Path) -> None:
    text = (data / "resources.yaml").read_text(encoding="utf-8")
    at = text.index("\n- id:") + 1
    (data / "resources.yaml").write_text(text[:at] + "# a comment that moves every entry down\n" + text[at:],
                                         encoding="utf-8")


def _retitle_a_reference(data: Path) -> None:
    replace(data / "refs.bib", "title = {", "title = {Revised: ")


def _rename_a_topic(data: Path) -> None:
    name = first_value(data / "topics.yaml", "name:")
    replace(data / "topics.yaml", f"name: {name}", f"name: {name} (renamed)")


def _change_a_level(data: Path) -> None:
    text = (data / "resources.yaml").read_text(encoding="utf-8")
    for old, new in (("level: introductory", "level: advanced"), ("level: advanced", "level: intermediate")):
        if old in text:
            (data / "resources.yaml").write_text(text.replace(old, new, 1), encoding="utf-8")
            return
    raise AssertionError("no level to change")


EDITS: list[Callable[[Path], None]] = [_edit_why, _add_a_line_above_everything, _retitle_a_reference,
                                      _rename_a_topic, _change_a_level, _edit_why]


@pytest.mark.slow
@pytest.mark.parametrize("source", [MINI, REPO / "data"], ids=["mini", "real"])
def test_a_session_builds_what_a_fresh_build_builds(source: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(source, data)
    with BuildCaches(tmp_path / "cache", session=True) as caches:
        assert build(data, caches) == build(data)  # the first build of a session
        for edit in EDITS:
            edit(data)
            assert build(data, caches) == build(data), edit.__name__


def test_a_session_writes_its_caches_when_it_ends_and_only_those_that_changed(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    cache_dir = tmp_path / "cache"
    build(data, BuildCaches(cache_dir))  # the database exists
    before = {name: BuildCaches(cache_dir).stored_keys(name) for name in (site_mod.PAGES_STORE, "references")}
    assert all(before.values())
    with BuildCaches(cache_dir, session=True) as caches:
        first = build(data, caches)
        _edit_why(data)
        assert build(data, caches) != first
        # nothing written during the session
        assert {name: BuildCaches(cache_dir).stored_keys(name) for name in before} == before
    # the edited page was written when it ended (and the page it replaced dropped); references unchanged
    assert BuildCaches(cache_dir).stored_keys(site_mod.PAGES_STORE) != before[site_mod.PAGES_STORE]
    assert BuildCaches(cache_dir).stored_keys("references") == before["references"]
    # ... and what it wrote is what a fresh build of the same data uses: a warm build changes nothing
    assert build(data, BuildCaches(cache_dir)) == build(data)


def test_the_catalogue_of_a_session_is_stored_when_it_ends(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    cache_dir = tmp_path / "cache"
    with BuildCaches(cache_dir, session=True) as caches:
        expected = load_catalogue(data, caches=caches)
        assert not BuildCaches(cache_dir).stored_keys(CATALOGUE_STORE)
    _store, _key, stored = cached_catalogue(data, BuildCaches(cache_dir))
    assert stored == expected


def test_resource_pages_rendered_by_workers_are_those_rendered_here(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cat = load_catalogue(MINI)
    alone = everything(site_mod.build(cat, site_mod.Options(workers=1)))
    monkeypatch.setattr(resource_pages, "PAGES_POOL_MIN", 0)
    assert everything(site_mod.build(cat, site_mod.Options(workers=2))) == alone


# -- the parsed items of a list, reused ------------------------------------------------------------
def _mutations(text: str, seed: int, count: int) -> Iterator[str]:
    lines = text.split("\n")
    rnd = random.Random(seed)
    for _ in range(count):
        edited = list(lines)
        i = rnd.randrange(len(edited))
        how = rnd.choice(["repeat", "drop", "append", "break"])
        if how == "repeat" and edited[i].startswith("    "):
            edited.insert(i, edited[i])
        elif how == "drop" and edited[i].startswith("    ") and edited[i].strip():
            del edited[i]
        elif how == "break":  # YAML the cut must not accept: a line at the margin, a bad item
            edited.insert(i, rnd.choice(["oops: 1", "- id: [unclosed", "-bad", "  - &anchor x", "---"]))
        else:
            edited[i] += " x"
        yield "\n".join(edited)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["resources.yaml", "topics.yaml", "maths.yaml", "sources.yaml", "results.yaml"])
def test_items_parsed_before_give_the_tree_and_problems_of_a_whole_parse(name: str) -> None:
    data = (REPO / "data" / name).read_bytes()
    items = yamlstrict.Items()
    assert yamlstrict.load(name, data, items=items) == yamlstrict.load(name, data)
    assert items.last is not None  # the first load remembered the file
    assert items.known or name == "results.yaml"  # and the items of its list (results.yaml is a mapping)
    for text in _mutations(data.decode("utf-8"), seed=len(name), count=40):
        assert yamlstrict.load(name, text.encode(), items=items) == yamlstrict.load(name, text.encode())


def test_an_unchanged_file_gives_the_tree_of_its_last_load() -> None:
    """Whatever its top level (results.yaml is a mapping): the same nodes, not a parse."""
    data = (REPO / "data" / "results.yaml").read_bytes()
    items = yamlstrict.Items()
    first, problems = yamlstrict.load("results.yaml", data, items=items)
    assert first is not None and not problems
    assert yamlstrict.load("results.yaml", data, items=items)[0] is first
    edited = data.replace(b"\n", b" x\n", 1)
    again = yamlstrict.load("results.yaml", edited, items=items)
    assert again == yamlstrict.load("results.yaml", edited) and again[0] is not first
    broken = data + b"results: twice\n"  # a duplicate key: a problem, so nothing is kept
    assert yamlstrict.load("results.yaml", broken, items=items)[1]
    assert items.last is None
    assert yamlstrict.load("results.yaml", broken, items=items) == yamlstrict.load("results.yaml", broken)


# -- through MkDocs ------------------------------------------------------------------------------------
def serve_builds(project: Path, edits: list[Callable[[], None]]) -> list[Path]:
    """Builds as `mkdocs serve` runs them: the hooks' startup event, a build, then one build with a
    fresh config after each edit, then the shutdown event; the site of each build."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    def config(out: str):  # type: ignore[no-untyped-def]
        return load_config(str(project / "mkdocs.yml"), site_dir=str(project / out))

    first = config("site-0")
    first.plugins.on_startup(command="serve", dirty=False)
    sites = []
    try:
        for i, edit in enumerate([lambda: None, *edits]):
            edit()
            built = first if i == 0 else config(f"site-{i}")
            mkdocs_build(built)
            assert gc.get_freeze_count() == 0  # nothing is left frozen for the collector
            sites.append(project / f"site-{i}")
    finally:
        first.plugins.on_shutdown()
    return sites


@pytest.mark.slow
def test_served_builds_show_each_edit_and_leave_nothing_frozen(tmp_path: Path) -> None:
    (tmp_path / "project").mkdir()
    project = make_project(tmp_path / "project", MINI)
    data = project / "data"
    sites = serve_builds(project, [lambda: _edit_why(data), lambda: _add_a_line_above_everything(data)])
    html = "".join(p.read_text(encoding="utf-8") for p in sites[-1].rglob("*.html"))
    assert "Edited in a session." in html
    assert "Edited in a session." not in "".join(p.read_text(encoding="utf-8") for p in sites[0].rglob("*.html"))


@pytest.mark.slow
def test_dirty_served_builds_write_only_the_resource_pages_that_changed(tmp_path: Path) -> None:
    """`mkdocs serve --dirty`: a rebuild leaves a resource page's file alone when the session
    wrote that very HTML to it before, rewrites the pages an edit changed, and after a failed
    build rewrites every page (the failed build may have written some)."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort

    (tmp_path / "project").mkdir()
    project = make_project(tmp_path / "project", MINI)
    data, site = project / "data", project / "site"
    pages = lambda: {p: p.stat().st_mtime_ns for p in (site / "resources").rglob("index.html")}  # noqa: E731
    first = load_config(str(project / "mkdocs.yml"), site_dir=str(site))
    first.plugins.on_startup(command="serve", dirty=True)
    try:
        mkdocs_build(first, dirty=True)
        before = pages()
        edited = site / "resources" / first_value(data / "resources.yaml", "- id:") / "index.html"
        _edit_why(data)
        mkdocs_build(load_config(str(project / "mkdocs.yml"), site_dir=str(site)), dirty=True)
        after = pages()
        assert "Edited in a session." in edited.read_text(encoding="utf-8")
        assert {p for p in after if after[p] != before[p]} == {edited}
        replace(data / "topics.yaml", "name:", "nam:")  # the next build fails
        with pytest.raises(Abort):
            mkdocs_build(load_config(str(project / "mkdocs.yml"), site_dir=str(site)), dirty=True)
        replace(data / "topics.yaml", "nam:", "name:")
        mkdocs_build(load_config(str(project / "mkdocs.yml"), site_dir=str(site)), dirty=True)
        again = pages()
        assert all(again[p] != after[p] for p in after)
    finally:
        first.plugins.on_shutdown()


@pytest.mark.slow
def test_a_page_whose_conversion_warned_is_converted_and_warns_on_every_build(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    (tmp_path / "project").mkdir()
    project = make_project(tmp_path / "project", MINI)
    page = project / "docs" / "broken" / "index.md"
    page.parent.mkdir(parents=True)
    page.write_text('---\ntitle: "Broken"\n---\n\n# Broken\n\nSee [nowhere](../nowhere.md).\n', encoding="utf-8")
    for out in ("first", "second"):
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="mkdocs"):
            build_in_process(project, out=out, strict=False)
        assert any("nowhere.md" in record.getMessage() for record in caplog.records), out


# -- random edits: a session's builds are fresh builds ---------------------------------------------
_FIELD = re.compile(r"^(\s*(?:- )?)([A-Za-z_]+)(\s*[:=]\s*)(.+?)(,?)$")
_FILES = ("resources.yaml", "refs.bib", "topics.yaml", "maths.yaml", "sources.yaml", "results.yaml")


#: Fields whose value is free text: a word can be added to them.
_TEXT = {"name", "title", "why", "description", "note", "statement", "known", "question", "by", "who", "journal",
         "publisher", "booktitle", "where", "howpublished"}


def random_edit(data: Path, rnd: random.Random) -> str:
    """Edit one field of one record of one data file as a contributor might: give it the value
    the same field has in another record (another level, other topics, another year, ...), or add
    a word to a text. Some edits make the data invalid; that is compared too."""
    name = rnd.choice(_FILES)
    path = data / name
    lines = path.read_text(encoding="utf-8").split("\n")
    fields = [(i, m) for i, line in enumerate(lines) if (m := _FIELD.match(line)) and m.group(2) != "id"]
    i, match = rnd.choice(fields)
    lead, key, sep, value, comma = match.groups()
    others = [m.group(4) for _, m in fields if m.group(2) == key and m.group(4) != value]
    if key not in _TEXT or (others and rnd.random() < 0.4):
        if not others:
            return "nothing to change"
        new = rnd.choice(others)
    elif value in (">-", "|"):  # a block of text: its next line
        i += 1
        new = _FIELD.sub("", lines[i]) or lines[i]
        lines[i] += " edited"
        path.write_text("\n".join(lines), encoding="utf-8")
        return f"{name}:{i + 1} +edited"
    elif value.endswith("}"):  # BibTeX: a word inside the braces
        new = value[:-1] + " edited}"
    else:
        new = value.rstrip('"') + " edited" + ('"' if value.endswith('"') else "")
    lines[i] = f"{lead}{key}{sep}{new}{comma}"
    path.write_text("\n".join(lines), encoding="utf-8")
    return f"{name}:{i + 1} {key}: {value!r} -> {new!r}"


def outcome(data: Path, caches: Caches = NO_CACHES) -> dict[str, str] | list[str]:
    """Everything a build makes, or every problem it reports."""
    caches.new_build()  # as the plugin starts each build
    try:
        cat = load_catalogue(data, caches=caches)
    except CatalogueError as exc:
        return [str(p) for p in exc.problems]
    options = site_mod.Options(repo_url="https://example.org/o/r")
    return everything(site_mod.build(cat, options, caches=caches))


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(6))
def test_random_edits_in_a_session_build_what_fresh_builds_build(seed: int, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    monkeypatch.chdir(tmp_path)  # problems name data/<file>
    rnd = random.Random(seed)
    with BuildCaches(tmp_path / "cache", session=True) as caches:
        assert outcome(data, caches) == outcome(data)
        valid = 0
        for step in range(10):
            before = {name: (data / name).read_bytes() for name in _FILES}
            edit = random_edit(data, rnd)
            fresh = outcome(data)
            assert outcome(data, caches) == fresh, f"seed {seed}, edit {step}: {edit}"
            if isinstance(fresh, list):  # invalid data: the next edit starts from the data before it
                for name, content in before.items():
                    (data / name).write_bytes(content)
            else:
                valid += 1
        assert valid >= 5  # most edits are edits of valid data that change pages


def test_an_edited_template_override_reaches_the_resource_pages_of_the_next_build(tmp_path: Path) -> None:
    """Resource pages are rendered by the pool's task from the override directories' names: a
    template edited between two builds of one process (`mkdocs serve`) must be the one used."""
    overrides = tmp_path / "overrides"
    (overrides / "readingmap").mkdir(parents=True)
    lead = resource_pages.__file__.replace("resource_pages.py", "templates/readingmap/resource_lead.html")
    source = Path(lead).read_text(encoding="utf-8")
    template = overrides / "readingmap" / "resource_lead.html"
    cat = load_catalogue(MINI)
    options = site_mod.Options(template_dirs=(str(overrides),))
    with BuildCaches(tmp_path / "cache", session=True) as caches:
        template.write_text("FIRST " + source, encoding="utf-8")
        first = site_mod.build(cat, options, caches=caches)
        template.write_text("SECOND " + source, encoding="utf-8")
        second = site_mod.build(cat, options, caches=caches)
    bodies = [[page.body() for page in built.prebuilt.values() if page.title in {r.title for r in cat.resources}]
              for built in (first, second)]
    assert bodies[0] and all("FIRST " in body for body in bodies[0])
    assert all("SECOND " in body and "FIRST " not in body for body in bodies[1])


def test_texts_are_converted_once_a_build_and_once_a_session_while_unchanged(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Notes and statements are shown on many pages: the build caches' memo converts each once a
    build, and in a session only what changed, with the same output as converting it afresh."""
    from readingmap.render import markup

    converted: list[tuple[str, bool]] = []
    convert = markup._rich

    def counting(converter: object, source: str, inline: bool) -> str:
        converted.append((str(source), inline))
        return convert(converter, source, inline)  # type: ignore[arg-type]

    monkeypatch.setattr(markup, "_rich", counting)
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    fresh = build(data, BuildCaches(None))
    assert converted and len(converted) == len(set(converted))  # each text (as a block or inline) once
    converted.clear()
    assert build(data) == fresh  # a build given no caches memoises within itself
    assert converted and len(converted) == len(set(converted))
    with BuildCaches(tmp_path / "cache", session=True) as caches:
        assert build(data, caches) == fresh
        converted.clear()
        assert build(data, caches) == fresh
        assert converted == []  # nothing changed, nothing converted
        _edit_why(data)
        edited = build(data, caches)
        assert converted and all("Edited in a session." in text for text, _inline in converted)
    assert edited == build(data, BuildCaches(None))
