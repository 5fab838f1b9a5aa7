"""Problems found in the catalogue: where they are and what was expected.

Every check in the package reports through :class:`Problem` so that a contributor sees
``data/resources.yaml:12:5: message`` for every mistake at once, never a traceback.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["CatalogueError", "Located", "Problem", "describe"]


@dataclass(frozen=True, order=True)
class Problem:
    """One mistake in one file, located by 1-based line and column."""

    path: str
    line: int
    col: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.message}"

    def as_dict(self) -> dict[str, object]:
        return {"path": self.path, "line": self.line, "col": self.col, "message": self.message}

    def as_github(self, kind: str = "error") -> str:
        """A GitHub Actions workflow command, so the problem shows on the pull request's changed line.

        Escaped as the Actions runner unescapes: ``%``, CR and LF in the message, and also ``:``
        and ``,`` in property values.
        """
        file = _github_escape(self.path.replace("\\", "/"), prop=True)
        return f"::{kind} file={file},line={self.line},col={self.col},title=readingmap check::" + \
            _github_escape(self.message)


class Located(str):
    """Text that remembers where it was read (1-based line and column).

    It is the ``str`` it holds in every other respect, so checks far from the reader can still
    point at the value itself: a value's position travels with the value, never beside it.
    """

    line: int
    col: int

    def __new__(cls, value: str, line: int, col: int) -> Located:
        self = super().__new__(cls, value)
        self.line = line
        self.col = col
        return self

    def __getnewargs__(self) -> tuple[str, int, int]:  # type: ignore[override]
        return (str(self), self.line, self.col)


class CatalogueError(Exception):
    """The catalogue could not be loaded; carries every problem that was found."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(set(problems))
        count = len(self.problems)
        summary = f"{count} problem{'s' if count != 1 else ''} in the catalogue"
        super().__init__("\n".join([summary, *map(str, self.problems)]))


def _github_escape(value: str, *, prop: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return value.replace(":", "%3A").replace(",", "%2C") if prop else value


def describe(value: str, limit: int = 60) -> str:
    """Quote a contributor's value for an error message, shortened and with escapes visible."""
    shown = value if len(value) <= limit else value[: limit - 1] + "…"
    return repr(shown)
