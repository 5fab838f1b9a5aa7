"""bench/run.py says where it wrote the sites it timed: on a slow disk, writing a 10,000-page site
is most of a rebuild, so a figure means little without the file system it was measured on."""

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
