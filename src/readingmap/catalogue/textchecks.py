"""Byte- and character-level checks shared by the YAML and BibTeX readers."""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterator

from ..problems import Problem

__all__ = ["MAX_FILE_BYTES", "LineIndex", "decode", "first_forbidden", "forbidden_characters", "lines_with_tabs"]

#: A data file larger than this is refused before parsing (it protects the build, not a style rule).
MAX_FILE_BYTES = 16 * 1024 * 1024

# C0/C1 controls other than tab, newline and carriage return; invisible format characters that can
# disguise text (bidirectional embeddings, overrides and isolates, zero-width characters, word
# joiner, byte-order mark inside the text, line/paragraph separators, interlinear annotations).
_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064"
    "\u2066-\u206f\ufeff\ufff9-\ufffb]"
)


class LineIndex:
    """Maps character offsets of a text to 1-based (line, column) pairs."""

    def __init__(self, text: str) -> None:
        self._starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self._starts, offset)
        return line, offset - self._starts[line - 1] + 1


def decode(path: str, data: bytes) -> tuple[str | None, list[Problem]]:
    """Decode a data file as UTF-8, refusing oversized files and invalid bytes with their place."""
    if len(data) > MAX_FILE_BYTES:
        size = f"{len(data) / 1048576:.1f} MiB"
        limit = f"{MAX_FILE_BYTES // 1048576} MiB"
        return None, [Problem(path, 1, 1, f"the file is {size}; a data file may be at most {limit}")]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        bad = data[exc.start : exc.start + 1].hex()
        message = f"the file is not valid UTF-8 (byte 0x{bad}); save it with UTF-8 encoding"
        return None, [Problem(path, line, col, message)]
    return text.removeprefix("\ufeff"), []


def forbidden_characters(path: str, text: str) -> list[Problem]:
    """Report control and invisible formatting characters, each at its line and column."""
    matches = list(_FORBIDDEN.finditer(text))
    if not matches:
        return []
    index = LineIndex(text)
    problems = []
    for match in matches:
        line, col = index.position(match.start())
        problems.append(Problem(path, line, col, _describe_char(match.group())))
    return problems


def first_forbidden(value: str) -> str | None:
    """Describe the first control or invisible formatting character in a parsed value, if any."""
    match = _FORBIDDEN.search(value)
    return _char_name(match.group()) if match else None


def _char_name(char: str) -> str:
    return f"character U+{ord(char):04X} ({unicodedata.name(char, 'control character')})"


def _describe_char(char: str) -> str:
    return f"{_char_name(char)} is not allowed in catalogue data: delete it"


def lines_with_tabs(text: str) -> Iterator[tuple[int, int]]:
    for number, line in enumerate(text.split("\n"), start=1):
        col = line.find("\t")
        if col >= 0:
            yield number, col + 1
