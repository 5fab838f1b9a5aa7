"""The build cache of formatted references: what invalidates it, and that a damaged file is never
trusted. Every test uses its own temporary cache directory; nothing touches the network."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

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
    """What formatting gives without any cache (the in-memory memo cleared too)."""
    references._formatted_html.cache_clear()
    references._bibtex_text.cache_clear()
    return dict(references.prepare(refs, workers=1).refs.known)


def prepared(refs: list[Reference], directory: Path, **kw: object) -> references.Prepared:
    references._formatted_html.cache_clear()
    references._bibtex_text.cache_clear()
    return references.prepare(refs, BuildCaches(directory), workers=1, **kw)  # type: ignore[arg-type]


def test_an_unchanged_entry_is_not_formatted_again(refs: list[Reference], tmp_path: Path) -> None:
    assert prepared(refs, tmp_path) == references.Prepared(cached=0, formatted=len(refs), processes=1)
    assert (tmp_path / references.CACHE_FILE).is_file()
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


def _damage(path: Path, how: str) -> None:
    raw = path.read_bytes()
    head, _, body = raw.partition(b"\n")
    if how == "truncated":
        path.write_bytes(raw[: len(raw) // 2])
    elif how == "garbage":
        path.write_bytes(b"\x00\xff not a cache \x93")
    elif how == "empty":
        path.write_bytes(b"")
    elif how == "header-only":
        path.write_bytes(head)
    elif how == "tampered":  # a value changed without the checksum
        path.write_bytes(head + b"\n" + body.replace(b"<em>", b"<em>X", 1))
    elif how == "wrong-shape":  # a valid file whose values are not [html, bibtex]
        values = {key: 42 for key in json.loads(body)}
        new = json.dumps(values).encode()
        header = json.loads(head)
        header["sha256"] = cache.hashlib.sha256(new).hexdigest()
        path.write_bytes(json.dumps(header).encode() + b"\n" + new)
    elif how == "old-format":
        header = json.loads(head)
        header["format"] = cache.FORMAT + 1
        path.write_bytes(json.dumps(header).encode() + b"\n" + body)
    elif how == "not-a-mapping":
        new = b"[1, 2, 3]"
        header = json.loads(head)
        header["sha256"] = cache.hashlib.sha256(new).hexdigest()
        path.write_bytes(json.dumps(header).encode() + b"\n" + new)
    else:
        raise AssertionError(how)


def _rewrite(path: Path, values: object) -> None:
    """Replace a cache file's values keeping its header valid (checksum included): a file the
    cache must refuse for what it holds, not for how it was written."""
    head, _, _ = path.read_bytes().partition(b"\n")
    body = json.dumps(values).encode()
    header = json.loads(head)
    header["sha256"] = cache.hashlib.sha256(body).hexdigest()
    path.write_bytes(json.dumps(header).encode() + b"\n" + body)


@pytest.mark.parametrize("how", ["truncated", "garbage", "empty", "header-only", "tampered", "wrong-shape",
                                 "old-format", "not-a-mapping"])
def test_a_damaged_cache_file_is_ignored_and_rewritten(refs: list[Reference], tmp_path: Path, how: str) -> None:
    prepared(refs, tmp_path)
    path = tmp_path / references.CACHE_FILE
    _damage(path, how)
    done = prepared(refs, tmp_path)
    assert done.formatted == len(refs)
    assert done.refs.known == fresh(refs)
    # rewritten whole: the next build trusts it again
    assert prepared(refs, tmp_path).cached == len(refs)


def test_writes_are_atomic_and_leave_no_temporary_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "sub" / "values.json"
    cache.atomic_write(path, b"first")

    def fail(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(cache.os, "replace", fail)
    with pytest.raises(OSError):
        cache.atomic_write(path, b"second")
    assert path.read_bytes() == b"first"
    assert [p.name for p in path.parent.iterdir()] == ["values.json"]
    # a cache that cannot be written only costs time
    store = cache.EntryCache(path, "x", lambda v: True)
    store.put("k", "v")
    store.save()


def test_the_pool_gives_the_same_bytes_as_one_process(refs: list[Reference], monkeypatch: pytest.MonkeyPatch) -> None:
    expected = fresh(refs)
    monkeypatch.setattr(references, "POOL_MIN", 0)
    references._formatted_html.cache_clear()
    references._bibtex_text.cache_clear()
    done = references.prepare(refs, workers=2)
    assert done.processes == 2
    assert expected == done.refs.known


def test_a_worker_that_cannot_start_leaves_its_work_to_this_process(
        refs: list[Reference], monkeypatch: pytest.MonkeyPatch) -> None:
    expected = fresh(refs)
    monkeypatch.setattr(references, "POOL_MIN", 0)

    def cannot() -> None:
        raise OSError("no processes")

    monkeypatch.setattr(workers, "_Worker", cannot)
    references._formatted_html.cache_clear()
    references._bibtex_text.cache_clear()
    assert expected == references.prepare(refs, workers=2).refs.known


def test_render_with_a_warm_cache_writes_the_same_site(mini: Path, tmp_path: Path) -> None:
    cat = load_catalogue(mini)
    cache_dir = tmp_path / ".cache" / "readingmap"
    site_mod.write_pages(cat, tmp_path / "cold", site_mod.Options(), caches=BuildCaches(cache_dir))
    assert (cache_dir / references.CACHE_FILE).is_file()
    references._formatted_html.cache_clear()
    references._bibtex_text.cache_clear()
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
    assert (cache_dir / load.BIB_CACHE_FILE).is_file()
    # another file changes (so the stored catalogue does not apply), refs.bib does not
    with (mini / "resources.yaml").open("a", encoding="utf-8") as handle:
        handle.write("# an edit elsewhere\n")
    monkeypatch.setattr(bibtex, "read", lambda *args: pytest.fail("refs.bib was parsed again"))
    assert load_catalogue(mini, caches=BuildCaches(cache_dir)) == fresh_cat


def test_a_changed_refs_bib_is_read_afresh_and_problems_are_never_cached(mini: Path, tmp_path: Path) -> None:
    from readingmap.catalogue import load
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
    assert load.BIB_CACHE_FILE


@pytest.mark.parametrize("how", ["truncated", "garbage", "tampered", "wrong-shape", "old-format", "not-a-mapping"])
def test_a_damaged_refs_bib_cache_is_ignored(mini: Path, tmp_path: Path, how: str) -> None:
    from readingmap.catalogue import load

    cache_dir = tmp_path / "cache"
    expected = load_catalogue(mini)
    load_catalogue(mini, caches=BuildCaches(cache_dir))
    path = cache_dir / load.BIB_CACHE_FILE
    if how == "tampered":  # a field changed without the checksum
        head, _, body = path.read_bytes().partition(b"\n")
        path.write_bytes(head + b"\n" + body.replace(b"title", b"titel", 1))
    elif how == "wrong-shape":  # a checksummed value that is not what reading gives
        head, _, body = path.read_bytes().partition(b"\n")
        _rewrite(path, {key: {"keys": ["x"], "refs": [["x", "misc", [["title"]], [], "1"]]} for key in json.loads(body)})
    else:
        _damage(path, how)
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
    assert (mini.parent / ".cache" / "readingmap" / references.CACHE_FILE).is_file()
    assert (mini.parent / ".cache" / "readingmap" / "refs-bib.json").is_file()
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
    assert (cache_dir / load.CATALOGUE_CACHE_FILE).is_file()

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


@pytest.mark.parametrize("how", ["truncated", "garbage", "tampered", "wrong-shape", "not-a-mapping"])
def test_a_damaged_catalogue_cache_is_ignored(mini: Path, tmp_path: Path, how: str) -> None:
    from readingmap.catalogue import load

    cache_dir = tmp_path / "cache"
    expected = load_catalogue(mini)
    load_catalogue(mini, caches=BuildCaches(cache_dir))
    path = cache_dir / load.CATALOGUE_CACHE_FILE
    head, _, body = path.read_bytes().partition(b"\n")
    if how == "tampered":
        path.write_bytes(head + b"\n" + body.replace(b'"level":"', b'"level":"x', 1))
    elif how == "wrong-shape":  # checksummed, but a resource lacks a field and a level is not one of LEVELS
        values = json.loads(body)
        for value in values.values():
            del value["resources"][0]["why"]
        _rewrite(path, values)
    else:
        _damage(path, how)
    assert load_catalogue(mini, caches=BuildCaches(cache_dir)) == expected
    assert load_catalogue(mini, caches=BuildCaches(cache_dir)) == expected


def test_a_stored_catalogue_is_checked_against_the_model() -> None:
    from readingmap.catalogue import stored

    cat = load_catalogue(REPO / "data")
    value = stored.dump(cat)
    assert stored.load(json.loads(json.dumps(value))) == cat
    value["topics"][0]["kind"] = "neither"
    with pytest.raises(ValueError):
        stored.load(value)
    value = stored.dump(cat)
    value["resources"][0]["line"] = "12"
    with pytest.raises(ValueError):
        stored.load(value)


# -- rendered resource pages ------------------------------------------------------------------------
def _tree(root: Path) -> dict[Path, bytes]:
    return {p.relative_to(root): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_pages_from_a_cache_of_another_catalogue_are_those_of_a_build_without_cache(mini: Path, tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    site_mod.write_pages(load_catalogue(mini), tmp_path / "first", site_mod.Options(), caches=BuildCaches(cache_dir))
    assert (cache_dir / site_mod.PAGES_CACHE_FILE).is_file()
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
    references._formatted_html.cache_clear()
    references._bibtex_text.cache_clear()
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
    from readingmap.render.pages import valid_rendered_page

    assert valid_rendered_page(["<p>lead</p>", [["a", "A", "<p>x</p>"]], "<p>lead</p>\n\n..."])
    for bad in (None, ["lead"], ["lead", [["a", "A"]], "b"], [1, [], "b"], ["lead", [["a", "A", 3]], "b"],
                ["lead", "x", "b"], ["lead", [], None], ["lead", []]):
        assert not valid_rendered_page(bad)
