"""The build cache of formatted references: what invalidates it, and that a damaged file is never
trusted. Every test uses its own temporary cache directory; nothing touches the network."""

from __future__ import annotations

import dataclasses
import hashlib
import pickle
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from readingmap import cache
from readingmap.cache import BuildCaches
from readingmap.catalogue.load import load_catalogue
from readingmap.catalogue.model import Reference
from readingmap.render import references, workers
from readingmap.render import site as site_mod

REPO = Path(__file__).parent.parent


@pytest.fixture(scope="module")
def refs() -> list[Reference]:
    return [r.ref for r in load_catalogue(REPO / "data").resources[:40]]


def fresh(refs: list[Reference]) -> dict[Reference, tuple[str, str]]:
    """What formatting gives without any cache."""
    return dict(references.prepare(refs, workers=1).refs.known)


def prepared(refs: list[Reference], directory: Path, **kw: object) -> references.Prepared:
    return references.prepare(refs, BuildCaches(directory), workers=1, **kw)  # type: ignore[arg-type]


def test_an_unchanged_entry_is_not_formatted_again(refs: list[Reference], tmp_path: Path) -> None:
    assert prepared(refs, tmp_path) == references.Prepared(cached=0, formatted=len(refs), processes=1)
    assert len(BuildCaches(tmp_path).stored_keys(references.STORE)) == len(refs)
    warm = prepared(refs, tmp_path)
    assert warm == references.Prepared(cached=len(refs), formatted=0, processes=1)
    assert warm.refs.known == fresh(refs)


def test_a_changed_entry_is_formatted_again(refs: list[Reference], tmp_path: Path) -> None:
    prepared(refs, tmp_path)
    first = refs[0]
    changed = dataclasses.replace(first, fields=tuple((k, v + " (2nd ed.)" if k == "title" else v)
                                                      for k, v in first.fields))
    edited = [changed, *refs[1:]]
    done = prepared(edited, tmp_path)
    assert done == references.Prepared(cached=len(refs) - 1, formatted=1, processes=1)
    assert "(2nd ed.)" in references.formatted_html(changed)
    assert done.refs.known == fresh(edited)
    # the key is the entry's text: its names count too, its line in the file does not
    renamed = dataclasses.replace(first, persons=(("author", ("Someone, Else",)),))
    assert references.reference_key(renamed) != references.reference_key(first)
    assert references.reference_key(dataclasses.replace(first, line=first.line + 7)) == \
        references.reference_key(first)


def test_a_changed_style_invalidates(refs: list[Reference], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    prepared(refs, tmp_path)
    assert references.reference_key(refs[0], style="other-style") != references.reference_key(refs[0])
    monkeypatch.setattr(references, "STYLE_NAME", references.STYLE_NAME + "-changed")
    assert prepared(refs, tmp_path).formatted == len(refs)


def test_a_new_package_version_invalidates(refs: list[Reference], tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    prepared(refs, tmp_path)
    monkeypatch.setattr(references, "VERSION", "999.0.0")
    assert prepared(refs, tmp_path).formatted == len(refs)
    # and the formatting code: a changed module invalidates before any version changes
    monkeypatch.setattr(references, "_CODE", "another-code")
    assert prepared(refs, tmp_path).formatted == len(refs)


DAMAGE = ["truncated", "garbage", "empty", "tampered", "unpicklable", "wrong-shape", "other-fingerprint",
          "old-format"]


def _damage(directory: Path, store: str, how: str) -> None:
    """Damage the build caches' database in ``directory``, or the values of ``store`` in it."""
    path = directory / cache.DATABASE
    if how in ("truncated", "garbage", "empty"):
        raw = path.read_bytes()
        path.write_bytes({"truncated": raw[: len(raw) // 2], "garbage": b"\x00\xff not a cache \x93" * 100,
                          "empty": b""}[how])
        return
    with sqlite3.connect(path) as db:
        if how == "tampered":  # a value changed without its checksum
            db.execute("UPDATE entries SET value = value || x'00' WHERE store = ?", (store,))
        elif how == "unpicklable":  # checksummed bytes that are no pickle
            blob = b"not a pickle"
            db.execute("UPDATE entries SET value = ?, sha256 = ? WHERE store = ?",
                       (blob, hashlib.sha256(blob).hexdigest(), store))
        elif how == "wrong-shape":  # a checksummed value that is not what the store holds
            blob = pickle.dumps({"neither": [42]})
            db.execute("UPDATE entries SET value = ?, sha256 = ? WHERE store = ?",
                       (blob, hashlib.sha256(blob).hexdigest(), store))
        elif how == "other-fingerprint":
            db.execute("UPDATE entries SET fingerprint = 'other' WHERE store = ?", (store,))
        elif how == "old-format":
            db.execute(f"PRAGMA user_version = {cache.FORMAT + 1}")
        else:
            raise AssertionError(how)


@pytest.mark.parametrize("how", DAMAGE)
def test_a_damaged_cache_is_ignored_and_rewritten(refs: list[Reference], tmp_path: Path, how: str) -> None:
    prepared(refs, tmp_path)
    _damage(tmp_path, references.STORE, how)
    done = prepared(refs, tmp_path)
    assert done.formatted == len(refs)
    assert done.refs.known == fresh(refs)
    # rewritten whole: the next build trusts it again
    assert prepared(refs, tmp_path).cached == len(refs)


def test_a_cache_that_cannot_be_written_only_costs_time(refs: list[Reference], tmp_path: Path) -> None:
    (tmp_path / "cache").write_text("a file where the directory should be", encoding="utf-8")
    done = prepared(refs, tmp_path / "cache")
    assert done.formatted == len(refs) and done.refs.known == fresh(refs)


def test_the_pool_gives_the_same_bytes_as_one_process(refs: list[Reference], monkeypatch: pytest.MonkeyPatch) -> None:
    expected = fresh(refs)
    monkeypatch.setattr(references, "POOL_MIN", 0)
    done = references.prepare(refs, workers=2)
    assert done.processes == 2
    assert expected == done.refs.known


def test_a_worker_that_cannot_start_leaves_its_work_to_this_process(
        refs: list[Reference], monkeypatch: pytest.MonkeyPatch) -> None:
    expected = fresh(refs)
    monkeypatch.setattr(references, "POOL_MIN", 0)

    def cannot(count: int) -> None:
        raise OSError("no processes")

    monkeypatch.setattr(workers, "_executor", cannot)
    assert expected == references.prepare(refs, workers=2).refs.known


def test_render_with_a_warm_cache_writes_the_same_site(mini: Path, tmp_path: Path) -> None:
    cat = load_catalogue(mini)
    cache_dir = tmp_path / ".cache" / "readingmap"
    site_mod.write_pages(cat, tmp_path / "cold", site_mod.Options(), caches=BuildCaches(cache_dir))
    assert BuildCaches(cache_dir).stored_keys(references.STORE)
    site_mod.write_pages(cat, tmp_path / "warm", site_mod.Options(), caches=BuildCaches(cache_dir))
    cold = {p.relative_to(tmp_path / "cold"): p.read_bytes() for p in (tmp_path / "cold").rglob("*") if p.is_file()}
    warm = {p.relative_to(tmp_path / "warm"): p.read_bytes() for p in (tmp_path / "warm").rglob("*") if p.is_file()}
    assert cold == warm


# -- refs.bib as read (load_catalogue) ----------------------------------------------------------------
def test_an_unchanged_refs_bib_is_not_parsed_again(mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from readingmap.catalogue import bibtex, load

    cache_dir = tmp_path / "cache"
    fresh_cat = load_catalogue(mini)
    assert load_catalogue(mini, caches=BuildCaches(cache_dir)) == fresh_cat
    assert BuildCaches(cache_dir).stored_keys(load.BIB_STORE)
    # another file changes (so the stored catalogue does not apply), refs.bib does not
    with (mini / "resources.yaml").open("a", encoding="utf-8") as handle:
        handle.write("# an edit elsewhere\n")
    monkeypatch.setattr(bibtex, "read", lambda *args: pytest.fail("refs.bib was parsed again"))
    assert load_catalogue(mini, caches=BuildCaches(cache_dir)) == fresh_cat


def test_a_serve_session_reads_an_unchanged_refs_bib_from_memory(mini: Path, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Under `mkdocs serve`, an unchanged refs.bib is neither parsed nor read from the database
    again: the session holds what the build before used."""
    from readingmap.catalogue import bibtex

    cache_dir = tmp_path / "cache"
    load_catalogue(mini, caches=BuildCaches(cache_dir))  # the database has the file
    session = BuildCaches(cache_dir, session=True)
    session.new_build()
    first = load_catalogue(mini, caches=session)
    monkeypatch.setattr(bibtex, "read", lambda *args: pytest.fail("refs.bib was parsed again"))
    monkeypatch.setattr(cache._Database, "read", lambda *args: pytest.fail("the database was read again"))
    for n in range(2):
        with (mini / "resources.yaml").open("a", encoding="utf-8") as handle:
            handle.write(f"# edit {n}\n")
        session.new_build()
        assert load_catalogue(mini, caches=session) == first


def test_a_rebuild_that_loads_nothing_keeps_what_loading_memoised(mini: Path, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """A serve rebuild whose data did not change takes the kept catalogue and loads nothing; the
    next edit still reads only the edited entry's record again."""
    from readingmap.catalogue import schema

    read: list[str] = []
    real = schema.RecordReader.record
    monkeypatch.setattr(schema.RecordReader, "record",
                        lambda self, item, what, fields: read.append(what) or real(self, item, what, fields))

    def rebuild() -> None:
        session.new_build()  # as the plugin starts each build
        site_mod.build(load_catalogue(mini, caches=session), caches=session)

    with BuildCaches(tmp_path / "cache", session=True) as session:
        rebuild()
        assert len([what for what in read if what.startswith("resource ")]) == len(load_catalogue(mini).resources)
        read.clear()
        rebuild()  # nothing changed (as after an edit of a page in docs/)
        assert read == []
        text = (mini / "resources.yaml").read_text(encoding="utf-8")
        at = text.index("  why: ")
        (mini / "resources.yaml").write_text(text[:at] + "  why: Edited. " + text[at + len("  why: "):],
                                             encoding="utf-8")
        rebuild()
        # the edited resource's record (and those of the mappings inside it), and no other
        assert [what for what in read if what.startswith("resource ")] == read[:1], read
        assert all(what.endswith(read[0]) for what in read), read


def test_a_changed_refs_bib_is_read_afresh_and_problems_are_never_cached(mini: Path, tmp_path: Path) -> None:
    from readingmap.problems import CatalogueError

    cache_dir = tmp_path / "cache"
    load_catalogue(mini, caches=BuildCaches(cache_dir))
    bib = mini / "refs.bib"
    original = bib.read_text(encoding="utf-8")
    title = next(line for line in original.splitlines() if "title" in line)
    bib.write_text(original.replace(title, title.replace("{", "{Revised ", 1), 1), encoding="utf-8")
    assert any(r.title.startswith("Revised ") for r in load_catalogue(mini, caches=BuildCaches(cache_dir)).resources)
    bib.write_text(original.replace(title, title + "\n  year = {20x0},", 1), encoding="utf-8")
    for _ in range(2):  # a problem is reported every time, never from the cache
        with pytest.raises(CatalogueError, match=r"refs\.bib"):
            load_catalogue(mini, caches=BuildCaches(cache_dir))
    bib.write_text(original, encoding="utf-8")
    assert load_catalogue(mini, caches=BuildCaches(cache_dir)) == load_catalogue(mini)


@pytest.mark.parametrize("how", DAMAGE)
def test_a_damaged_refs_bib_cache_is_ignored(mini: Path, tmp_path: Path, how: str) -> None:
    from readingmap.catalogue import load

    cache_dir = tmp_path / "cache"
    load_catalogue(mini, caches=BuildCaches(cache_dir))
    assert BuildCaches(cache_dir).stored_keys(load.BIB_STORE)
    # another file changes (so the stored catalogue does not apply), refs.bib does not
    with (mini / "resources.yaml").open("a", encoding="utf-8") as handle:
        handle.write("# an edit elsewhere\n")
    expected = load_catalogue(mini)
    _damage(cache_dir, load.BIB_STORE, how)
    assert load_catalogue(mini, caches=BuildCaches(cache_dir)) == expected
    assert load_catalogue(mini, caches=BuildCaches(cache_dir)) == expected


def test_the_cache_lives_in_the_project_unless_redirected(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(cache.ENV, raising=False)
    assert cache.project_cache(tmp_path) == tmp_path / ".cache" / "readingmap"
    monkeypatch.setenv(cache.ENV, str(tmp_path / "elsewhere"))
    assert cache.project_cache(tmp_path) == tmp_path / "elsewhere"


def test_the_command_line_writes_the_cache_beside_the_data(mini: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from readingmap import cli

    monkeypatch.delenv(cache.ENV, raising=False)
    assert cli.main(["--data", str(mini), "render", "--out", str(mini.parent / "out")]) == 0
    written = BuildCaches(mini.parent / ".cache" / "readingmap")
    assert written.stored_keys(references.STORE) and written.stored_keys("refs-bib")
    before = {p: p.read_bytes() for p in (mini.parent / ".cache").rglob("*") if p.is_file()}
    assert cli.main(["--data", str(mini), "check", "--no-cache"]) == 0
    assert cli.main(["--data", str(mini), "render", "--no-cache", "--out", str(mini.parent / "out2")]) == 0
    assert {p: p.read_bytes() for p in (mini.parent / ".cache").rglob("*") if p.is_file()} == before


# -- the loaded catalogue ---------------------------------------------------------------------------
def test_an_unchanged_catalogue_is_not_read_again(mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from readingmap.catalogue import load

    cache_dir = tmp_path / "cache"
    expected = load_catalogue(mini)
    assert load_catalogue(mini, caches=BuildCaches(cache_dir)) == expected
    assert BuildCaches(cache_dir).stored_keys(load.CATALOGUE_STORE)

    def no_reading(*args: object) -> None:
        raise AssertionError("the data files were read again")

    monkeypatch.setattr(load, "_load_catalogue", no_reading)
    assert load_catalogue(mini, caches=BuildCaches(cache_dir)) == expected


@pytest.mark.parametrize("name", ["resources.yaml", "topics.yaml", "maths.yaml", "sources.yaml", "results.yaml",
                                  "refs.bib"])
def test_a_change_to_any_data_file_reloads_the_catalogue(mini: Path, tmp_path: Path, name: str) -> None:
    from readingmap.problems import CatalogueError

    cache_dir = tmp_path / "cache"
    load_catalogue(mini, caches=BuildCaches(cache_dir))
    path = mini / name
    original = path.read_bytes()
    path.write_bytes(original + b"\n# an edit\n" if name != "refs.bib" else original + b"\n% an edit\n")
    assert load_catalogue(mini, caches=BuildCaches(cache_dir)) == load_catalogue(mini)
    broken = b"\n@misc{broken,\n" if name == "refs.bib" else b"\n\t- broken: [\n"
    path.write_bytes(original + broken)  # a problem: reported every time, never cached
    for _ in range(2):
        with pytest.raises(CatalogueError):
            load_catalogue(mini, caches=BuildCaches(cache_dir))


@pytest.mark.parametrize("how", DAMAGE)
def test_a_damaged_catalogue_cache_is_ignored(mini: Path, tmp_path: Path, how: str) -> None:
    from readingmap.catalogue import load

    cache_dir = tmp_path / "cache"
    expected = load_catalogue(mini)
    load_catalogue(mini, caches=BuildCaches(cache_dir))
    _damage(cache_dir, load.CATALOGUE_STORE, how)
    assert load_catalogue(mini, caches=BuildCaches(cache_dir)) == expected
    assert load_catalogue(mini, caches=BuildCaches(cache_dir)) == expected


# -- rendered resource pages ------------------------------------------------------------------------
def _tree(root: Path) -> dict[Path, bytes]:
    return {p.relative_to(root): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_pages_from_a_cache_of_another_catalogue_are_those_of_a_build_without_cache(mini: Path, tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    site_mod.write_pages(load_catalogue(mini), tmp_path / "first", site_mod.Options(), caches=BuildCaches(cache_dir))
    assert BuildCaches(cache_dir).stored_keys(site_mod.PAGES_STORE)
    # an edit of one resource's why and of another's title (which the first may link to)
    resources = mini / "resources.yaml"
    text = resources.read_text(encoding="utf-8")
    resources.write_text(text.replace("why: >-\n", "why: >-\n    Edited.\n", 1), encoding="utf-8")
    bib = mini / "refs.bib"
    lines = bib.read_text(encoding="utf-8").splitlines(keepends=True)
    titles = [i for i, line in enumerate(lines) if line.strip().startswith("title")]
    lines[titles[-1]] = lines[titles[-1]].replace("{", "{Retitled ", 1)
    bib.write_text("".join(lines), encoding="utf-8")
    cat = load_catalogue(mini)
    site_mod.write_pages(cat, tmp_path / "cached", site_mod.Options(), caches=BuildCaches(cache_dir))
    site_mod.write_pages(cat, tmp_path / "fresh", site_mod.Options())
    cached, fresh_tree = _tree(tmp_path / "cached"), _tree(tmp_path / "fresh")
    assert cached == fresh_tree
    assert any(b"Retitled " in v for v in fresh_tree.values()) and any(b"Edited." in v for v in fresh_tree.values())


def test_an_overridden_template_changes_the_fingerprint(tmp_path: Path) -> None:
    from readingmap.render.fragments import Fragments

    plain_ui = Fragments()
    (tmp_path / "readingmap").mkdir()
    (tmp_path / "readingmap" / "list.html").write_text("<ol>{% for i in items %}<li>{{ i }}</li>{% endfor %}</ol>",
                                                       encoding="utf-8")
    assert Fragments([tmp_path]).fingerprint != plain_ui.fingerprint
    assert Fragments().fingerprint == plain_ui.fingerprint


def test_a_cached_page_of_the_wrong_shape_is_not_used() -> None:
    from readingmap.render.resource_pages import valid_rendered_page

    assert valid_rendered_page(["<p>lead</p>", [["a", "A", "<p>x</p>"]], "<p>lead</p>\n\n..."])
    for bad in (None, ["lead"], ["lead", [["a", "A"]], "b"], [1, [], "b"], ["lead", [["a", "A", 3]], "b"],
                ["lead", "x", "b"], ["lead", [], None], ["lead", []]):
        assert not valid_rendered_page(bad)


# -- resource pages keyed by their inputs ------------------------------------------------------------
def _resource_pages(data: Path) -> tuple[Any, list[Any]]:
    """The resource pages' maker of the catalogue in ``data`` and every page's inputs."""
    from readingmap.graph import Graph
    from readingmap.render import citations
    from readingmap.render.fragments import Fragments
    from readingmap.render.listings import Listings
    from readingmap.render.resource_pages import ResourcePages

    cat = load_catalogue(data)
    cited = citations.by_id(cat.resources, lambda _key, make: make())
    maker = ResourcePages(cat, Listings(Graph(cat), Fragments(), cited))
    return maker, [maker._inputs(r, "edit", "issue") for r in cat.resources]


def _page_keys(data: Path) -> dict[str, str]:
    from readingmap.render.resource_pages import page_key

    maker, inputs = _resource_pages(data)
    return {page.resource.id: page_key(page, maker.ui.fingerprint) for page in inputs}


def test_a_resource_page_key_changes_with_every_input(mini: Path) -> None:
    from readingmap.render.resource_pages import page_key

    maker, inputs = _resource_pages(mini)
    page = inputs[0]
    keys = {page_key(page, maker.ui.fingerprint), page_key(page, "other templates")}
    # Every field, the ones added after this test was written too, is part of the key.
    for f in dataclasses.fields(page):
        keys.add(page_key(dataclasses.replace(page, **{f.name: f"changed {f.name}"}), maker.ui.fingerprint))
    resource = page.resource
    for f in dataclasses.fields(resource):
        if f.compare:
            changed = dataclasses.replace(resource, **{f.name: f"changed {f.name}"})
            keys.add(page_key(dataclasses.replace(page, resource=changed), maker.ui.fingerprint))
    assert len(keys) == 2 + len(dataclasses.fields(page)) + sum(f.compare for f in dataclasses.fields(resource))
    # Where the entry was read is not part of it: the page's edit link stands for its line.
    moved = dataclasses.replace(resource, line=resource.line + 7,
                                ref=dataclasses.replace(resource.ref, line=resource.ref.line + 3))
    assert page_key(dataclasses.replace(page, resource=moved), maker.ui.fingerprint) == page_key(
        page, maker.ui.fingerprint)


def test_a_key_is_made_of_values_it_can_represent_only() -> None:
    from readingmap.keys import digest
    from readingmap.problems import Located

    assert digest(Located("x", 3, 4)) == digest("x") == digest(Located("x", 9, 1))
    assert digest((1, 2)) == digest([1, 2]) and digest(True) != digest(1)
    for value in ({1, 2}, object(), b"bytes"):
        with pytest.raises(TypeError):
            digest(value)


def test_edits_a_resource_page_does_not_show_keep_its_key(mini: Path) -> None:
    before = _page_keys(mini)
    # lines moved in every file, a topic's description and a result's statement edited
    for name in ("topics.yaml", "maths.yaml", "results.yaml", "resources.yaml"):
        path = mini / name
        path.write_text("# a comment\n\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    bib = mini / "refs.bib"
    bib.write_text("\n\n" + bib.read_text(encoding="utf-8"), encoding="utf-8")
    topics = mini / "topics.yaml"
    text = topics.read_text(encoding="utf-8")
    topics.write_text(text.replace("description: What a deep network", "description: Edited. What a deep network"),
                      encoding="utf-8")
    results = mini / "results.yaml"
    text = results.read_text(encoding="utf-8")
    assert "statement: " in text
    results.write_text(text.replace("statement: ", "statement: Edited. ", 1), encoding="utf-8")
    assert _page_keys(mini) == before
    # ... while an edit it shows (a topic's name) changes the key of the pages that show it
    topics.write_text(topics.read_text(encoding="utf-8").replace("name: Foundations", "name: Foundations renamed"),
                      encoding="utf-8")
    after = _page_keys(mini)
    changed = {rid for rid in before if after[rid] != before[rid]}
    cat = load_catalogue(mini)
    assert changed == {r.id for r in cat.resources if "foundations" in r.topics or "foundations" in r.prerequisites}
    assert changed


def test_the_code_of_a_cached_output_is_every_module_it_uses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib
    import sys

    from readingmap.catalogue import load, model, yamlstrict
    from readingmap.keys import modules_used, source_digest
    from readingmap.render import citations, markup, resource_pages

    # what a resource page shows comes from these too (its RIS download, a result's status label)
    assert {citations, model, markup} <= set(modules_used(resource_pages))
    assert {yamlstrict, model} <= set(modules_used(load))
    # a module reached only through a name imported from it counts; another package does not
    package = tmp_path / "pkgx"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "used.py").write_text("def helper():\n    return 1\n", encoding="utf-8")
    (package / "unused.py").write_text("X = 1\n", encoding="utf-8")
    (package / "root.py").write_text("import json\nfrom .used import helper\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    root = importlib.import_module("pkgx.root")
    importlib.import_module("pkgx.unused")
    try:
        assert [m.__name__ for m in modules_used(root)] == ["pkgx.root", "pkgx.used"]
        before = source_digest(root)
        (package / "unused.py").write_text("X = 2\n", encoding="utf-8")
        assert source_digest(root) == before
        (package / "used.py").write_text("def helper():\n    return 2\n", encoding="utf-8")
        assert source_digest(root) != before
    finally:
        for name in [n for n in sys.modules if n == "pkgx" or n.startswith("pkgx.")]:
            del sys.modules[name]


@dataclasses.dataclass(frozen=True)
class _Key:
    name: str
    line: int = dataclasses.field(compare=False)


def test_a_memo_keeps_the_last_build_that_did_the_work_in_a_session_and_nothing_outside_one() -> None:
    def builds(session: bool, kinds_per_build: list[list[str]]) -> list[str]:
        """The kinds whose value had to be made, build after build."""
        caches = BuildCaches(None, session=session)
        made: list[str] = []
        for kinds in kinds_per_build:
            caches.new_build()
            for kind in kinds + kinds:  # asked twice a build: made at most once
                caches.memo(kind, "key", lambda kind=kind: made.append(kind))  # type: ignore[misc]
        return made

    assert builds(True, [["a"], ["a"], ["a"]]) == ["a"]
    assert builds(False, [["a"], ["a"], ["a"]]) == ["a", "a", "a"]
    # a build that does no work of a kind keeps what the last one that did made
    assert builds(True, [["a"], ["b"], ["a"]]) == ["a", "b"]
    # only the last build that did is kept: a value it did not use is made again
    made: list[str] = []
    caches = BuildCaches(None, session=True)
    for keys in (["k1"], ["k2"], ["k1"]):
        caches.new_build()
        for key in keys:
            caches.memo("a", key, lambda key=key: made.append(key))  # type: ignore[misc]
    assert made == ["k1", "k2", "k1"]


def test_a_memo_keeps_the_key_object_its_value_was_made_for() -> None:
    """A later build's key equal to an earlier one (its inputs made afresh) is let go: a session
    holds one copy of each unchanged key, not one per build."""
    caches = BuildCaches(None, session=True)
    first = _Key("page", line=1)
    caches.new_build()
    value = caches.memo("page-key", first, lambda: object())
    for line in (2, 3):
        caches.new_build()
        again = _Key("page", line=line)
        assert caches.memo("page-key", again, lambda: object()) is value
        (stored,) = caches._memos["page-key"].now
        assert stored is first


def test_a_memo_key_holds_no_build_s_templates() -> None:
    """A fragment memoised in a session does not keep the build's template environment alive
    (a memo keeps the key its value was first made for, and each build has its own)."""
    import gc
    import weakref

    from readingmap.render.fragments import Fragments, render

    caches = BuildCaches(None, session=True)
    caches.new_build()
    ui = Fragments(())
    gone = weakref.ref(ui)
    first = render(ui, caches, "aliases.html", aliases=("NTK",))
    del ui
    gc.collect()
    assert gone() is None
    caches.new_build()
    assert render(Fragments(()), caches, "aliases.html", aliases=("NTK",)) is first
