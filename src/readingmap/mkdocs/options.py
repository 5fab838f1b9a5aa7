"""The site options under ``extra.readingmap`` in ``mkdocs.yml``, declared as MkDocs declares its own.

MkDocs checks a plugin's options with a :class:`mkdocs.config.base.Config` schema; hooks have no
such schema, so the hooks validate ``extra.readingmap`` with one here. A bad value ends the build
with an error naming the option, the value and what was expected; an unknown option is a warning
(as MkDocs treats an unknown option of its own), which ``mkdocs build --strict`` counts.
"""

from __future__ import annotations

from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.base import BaseConfigOption, ValidationError

from ..render.bibliography import INLINE_LIMIT
from ..render.site import Options

__all__ = ["OptionsError", "ReadingMapConfig", "site_options"]

PREFIX = "extra.readingmap"


class _Count(c.OptionallyRequired[int]):
    """A whole number, zero or more (YAML's ``true`` is not a number here)."""

    def run_validation(self, value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError(f"expected a whole number (0 or more), found {value!r}")
        if value < 0:
            raise ValidationError(f"expected a whole number (0 or more), found {value}")
        return value


class ReadingMapConfig(base.Config):  # type: ignore[no-untyped-call]
    """The schema of ``extra.readingmap``."""

    #: Above this many resources the bibliography loads its entries from JSON on demand.
    bibliography_inline_limit = _Count(default=INLINE_LIMIT)


class OptionsError(Exception):
    """``extra.readingmap`` has a bad value; the message names each one."""


def site_options(settings: Any, *, repo_url: str | None, site_url: str | None = None,
                 template_dirs: tuple[str, ...] = ()) -> tuple[Options, list[str]]:
    """Validated options and the warnings to log, or :class:`OptionsError` naming every bad value."""
    if settings is None:
        settings = {}
    if not isinstance(settings, dict):
        raise OptionsError(f"{PREFIX} must be a mapping of option names to values,"
                           f" found {type(settings).__name__} {settings!r}")
    config = ReadingMapConfig()
    config.load_dict(settings)
    errors, warnings = config.validate()
    if errors:
        raise OptionsError("\n".join(f"{PREFIX}.{key}: {error}" for key, error in errors))
    known = ", ".join(name for name, value in vars(ReadingMapConfig).items() if isinstance(value, BaseConfigOption))
    messages = [f"{PREFIX}: {w} (the options are: {known})" if w.startswith("Unrecognised") else f"{PREFIX}.{key}: {w}"
                for key, w in warnings]
    return Options(repo_url=repo_url, site_url=site_url or None, inline_limit=config.bibliography_inline_limit,
                   template_dirs=template_dirs), messages
