"""Page sources kept on disk, so that ``mkdocs serve --dirty`` rebuilds only the pages an edit touched."""

from __future__ import annotations

from pathlib import Path

__all__ = ["sync_sources"]


def sync_sources(pages: dict[str, str], cache: Path) -> dict[str, Path]:
    """Keep each page's Markdown in ``cache``, rewriting a file only when its content changed.

    File times then say which pages changed since the last build, which is what MkDocs'
    ``--dirty`` mode compares: ``mkdocs serve --dirty`` re-renders only those pages after an edit
    of the data. Sources of pages that no longer exist are removed.
    """
    wanted: dict[str, Path] = {}
    for rel, content in pages.items():
        target = cache / rel
        data = content.encode("utf-8")
        try:
            unchanged = target.read_bytes() == data
        except OSError:
            unchanged = False
        if not unchanged:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        wanted[rel] = target
    keep = set(wanted.values())
    for stale in cache.rglob("*.md"):
        if stale not in keep:
            stale.unlink()
    return wanted
