"""Page sources kept on disk so that `mkdocs serve --dirty` rebuilds only what an edit touched."""

from __future__ import annotations

import os
from pathlib import Path

from readingmap.mkdocs.sources import sync_sources


def test_only_changed_sources_are_rewritten_and_stale_ones_removed(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = sync_sources({"index.md": "# Home\n", "topics/a.md": "# A\n", "topics/b.md": "# B\n"}, cache)
    assert first["topics/a.md"].read_text(encoding="utf-8") == "# A\n"
    old = 1_000_000_000
    for path in first.values():
        os.utime(path, (old, old))

    second = sync_sources({"index.md": "# Home\n", "topics/a.md": "# A, edited\n"}, cache)
    assert second["topics/a.md"].read_text(encoding="utf-8") == "# A, edited\n"
    assert second["topics/a.md"].stat().st_mtime > old        # changed: rewritten
    assert second["index.md"].stat().st_mtime == old          # unchanged: untouched
    assert not (cache / "topics" / "b.md").exists()           # gone from the site: removed
    assert set(second) == {"index.md", "topics/a.md"}
