"""The benchmark's own helpers. bench/run.py says where it wrote the sites it timed: on a slow disk,
writing a 10,000-page site is most of a rebuild, so a figure means little without the file system
it was measured on. bench/compare.py times several revisions' code interleaved, each checked out
where it cannot touch the work tree."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest

from sitebuild import bench_module

MOUNTS = """\
/dev/vda / ext4 rw,relatime 0 0
proc /proc proc rw,nosuid 0 0
tmpfs /dev/shm tmpfs rw,nosuid,nodev 0 0
/dev/vdb /mnt/my\\040disk xfs rw 0 0
/dev/vdc /mnt/my xfs rw 0 0
"""


@pytest.fixture(scope="module")
def bench_run() -> ModuleType:
    return bench_module("run")


@pytest.mark.parametrize(("path", "expected"), [
    ("/dev/shm/run/clustered-10000/full/site", "tmpfs"),
    ("/dev/shm", "tmpfs"),
    ("/dev/shmem/site", "ext4"),  # a name that only starts like a mount point is not below it
    ("/mnt/my disk/site", "xfs"),  # /proc/mounts writes a space as \040
    ("/tmp/mkdocs_x", "ext4"),
])
def test_file_system_is_that_of_the_deepest_mount_point(bench_run: ModuleType, path: str, expected: str) -> None:
    assert bench_run.file_system(Path(path), MOUNTS) == expected


def test_file_system_without_a_mount_table_is_unknown(bench_run: ModuleType) -> None:
    assert bench_run.file_system(Path("/anywhere"), "") == "unknown"


# -- bench/compare.py: check + render of several revisions, interleaved ----------------------------
@pytest.fixture(scope="module")
def bench_compare() -> ModuleType:
    return bench_module("compare")


def test_compare_tables_every_round_and_the_median(bench_compare: ModuleType) -> None:
    figures = {"d3e1ab7": [(19.41, 29.0), (17.99, 27.5), (18.39, 28.1)],
               "work tree": [(17.12, 26.0), (18.17, 27.0), (18.56, 27.9)]}
    assert bench_compare.table("check + render, even 10,000", figures).splitlines() == [
        "| check + render, even 10,000 | round 1 | round 2 | round 3 | median |",
        "|---|---|---|---|---|",
        "| d3e1ab7 | 19.41 s (cpu 29.00 s) | 17.99 s (cpu 27.50 s) | 18.39 s (cpu 28.10 s) | 18.39 s |",
        "| work tree | 17.12 s (cpu 26.00 s) | 18.17 s (cpu 27.00 s) | 18.56 s (cpu 27.90 s) | 18.17 s |",
    ]


def test_compare_checks_out_an_old_revision_as_an_importable_package(bench_compare: ModuleType,
                                                                    tmp_path: Path) -> None:
    """A revision from before ``src/readingmap/__init__.py`` existed gets an empty one in its
    worktree (and only there); the work tree is used as it is; a bad revision is a clear error."""
    repo = tmp_path / "repo"

    def _git(*args: str) -> str:
        return str(bench_compare.git(repo, "-c", "user.name=Bench", "-c", "user.email=bench@example.org", *args))

    (repo / "src" / "readingmap").mkdir(parents=True)
    (repo / "src" / "readingmap" / "cli.py").write_text("VERSION = 1\n", encoding="utf-8")
    _git("init", "--quiet")
    _git("add", ".")
    _git("commit", "--quiet", "-m", "old")
    code = bench_compare.checkout("HEAD", tmp_path / "old", repo)
    try:
        assert code == tmp_path / "old"
        assert (code / "src" / "readingmap" / "__init__.py").read_text(encoding="utf-8") == ""
        assert not (repo / "src" / "readingmap" / "__init__.py").exists()
        assert bench_compare.label("HEAD", repo) == _git("rev-parse", "--short", "HEAD")
    finally:
        _git("worktree", "remove", "--force", str(code))
    assert bench_compare.checkout(".", tmp_path / "unused", repo) == repo
    assert bench_compare.label(".", repo) == "work tree"
    with pytest.raises(RuntimeError, match="no-such-revision"):
        bench_compare.label("no-such-revision", repo)


@pytest.mark.slow
def test_compare_times_the_work_tree_on_its_own_catalogue(bench_compare: ModuleType, tmp_path: Path) -> None:
    figures = bench_compare.compare(["."], tmp_path, mode="even", count=50, seed=1, rounds=2)
    assert list(figures) == ["work tree"]
    assert len(figures["work tree"]) == 2
    assert all(wall > 0 and cpu > 0 for wall, cpu in figures["work tree"])
    assert (tmp_path / "work-0" / "out" / "index.md").is_file()  # render wrote the site's pages there
