"""``readingmap new``: write a new entry into the catalogue.

The facts (:class:`~readingmap.tools.metadata.Metadata`) become one BibTeX entry appended to
``refs.bib`` and a YAML stub appended to ``resources.yaml`` whose curation fields say ``TODO``;
``readingmap check`` then lists exactly those fields as "still to fill", each with its file and
line. A work already in the catalogue (by arXiv id or DOI) and a taken id are refused, with the
catalogue read by the project's own readers.
"""

from __future__ import annotations

import datetime
import os
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pybtex.database import Person

from ..catalogue import bibtex, yamlstrict
from ..catalogue.latex import latex_to_text
from ..catalogue.model import EDITORIAL, KINDS
from ..catalogue.schema import SLUG, TODO
from ..problems import Problem, describe
from .metadata import Metadata, NewEntryError, strip_version

__all__ = ["Added", "add_entry", "make_key"]

_STOPWORDS = frozenset({
    "a", "an", "the", "on", "of", "in", "for", "to", "and", "with", "at", "by", "from",
    "towards", "toward", "into", "is", "are", "what", "why", "how",
})




def make_key(meta: Metadata, taken: set[str]) -> str:
    """``surname + year + first significant title word``, lower-case ASCII, made unique."""
    person = (meta.authors or meta.editors or ["anon"])[0]
    surname = _ascii("".join(Person(person).last_names) or person)
    words = [_ascii(w) for w in latex_to_text(meta.title).split()]
    word = next((w for w in words if w and w not in _STOPWORDS), next((w for w in words if w), ""))
    base = f"{surname or 'anon'}{meta.year}{word}"[:60]
    taken = {t.lower() for t in taken}
    if base not in taken:
        return base
    for suffix in "bcdefghijklmnopqrstuvwxyz":
        if base + suffix not in taken:
            return base + suffix
    raise NewEntryError(f"every key from {base!r} to {base + 'z'!r} is taken; choose one with --id")


def bibtex_entry(key: str, meta: Metadata) -> str:
    """The entry as BibTeX text in the layout of ``refs.bib`` (aligned ``=``, braces)."""
    pairs: list[tuple[str, str]] = []
    if meta.authors:
        pairs.append(("author", " and ".join(meta.authors)))
    if meta.editors:
        pairs.append(("editor", " and ".join(meta.editors)))
    pairs += [("title", meta.title), *((k, v) for k, v in meta.fields.items()
                                       if k not in ("eprint", "archiveprefix", "primaryclass",
                                                    "url", "doi", "isbn"))]
    pairs.append(("year", meta.year))
    pairs += [(k, meta.fields[k]) for k in ("isbn", "doi", "eprint", "archiveprefix",
                                            "primaryclass", "url") if k in meta.fields]
    width = max(len(k) for k, _ in pairs)
    body = ",\n".join(f"  {k.ljust(width)} = {{{_braced(v)}}}" for k, v in pairs)
    return f"@{meta.entry_type}{{{key},\n{body}\n}}\n"


def yaml_stub(key: str, meta: Metadata, source_ids: Iterable[str] = (), added: str | None = None) -> str:
    """The resource's curation fields, with every one the contributor must choose set to TODO, and
    the date it is added (today unless ``added`` is given)."""
    added = added or datetime.date.today().isoformat()
    kind = meta.kind if meta.kind in KINDS else TODO
    ids = [s for s in source_ids if s != EDITORIAL]
    sources = f"where it was recommended: {', '.join([*ids, EDITORIAL])}"
    title = meta.title if len(meta.title) <= 70 else meta.title[:69] + "…"
    title = title.replace("\n", " ")
    return (
        f"# Added by `readingmap new`: {title} ({meta.year}).\n"
        f"# Replace every TODO, then run `readingmap check` (see CONTRIBUTING.md).\n"
        f"- id: {key}\n"
        f"  added: {added}\n"
        f"  kind: {kind}  # {', '.join(KINDS)}\n"
        f"  topics: [{TODO}]  # research topics it is about, or maths areas it teaches"
        " (ids in topics.yaml / maths.yaml)\n"
        f"  prerequisites: [{TODO}]  # maths areas or topics a reader needs first; [] if none\n"
        f"  level: {TODO}  # introductory, intermediate or advanced (a venue has no level: remove the line)\n"
        f"  recommended_in:\n"
        f"    - source: {TODO}  # {sources}\n"
        f'  why: "{TODO}: one to three sentences: what it covers, how rigorous it is, whom it'
        ' suits"\n'
        f"  checked: {TODO}  # the day you checked this entry against the work, YYYY-MM-DD\n"
    )


@dataclass
class Added:
    """What :func:`add_entry` wrote (or would write, with ``dry_run``)."""

    key: str
    bibtex: str
    yaml: str
    bib_line: int
    yaml_line: int


def existing(data_dir: Path) -> tuple[set[str], dict[str, str], dict[str, str]]:
    """Taken ids and keys, and the arXiv ids and DOIs already catalogued (lower-case -> key).

    The files are read with the project's own readers, so every entry counts however it is
    written (on one line, with quotes or braces, in any case); an entry with problems of its own
    still counts. A file that cannot be parsed at all is an error: nothing could be checked.
    """
    from ..catalogue.checks import RESERVED_IDS

    taken = set(RESERVED_IDS)
    for name in ("resources.yaml", "topics.yaml", "maths.yaml"):
        path = data_dir / name
        root, problems = yamlstrict.load(str(path), path.read_bytes()) if path.is_file() else (None, [])
        if problems:
            raise NewEntryError(_unreadable(path, problems))
        for item in root.items if isinstance(root, yamlstrict.Seq) else ():
            ident = item.get("id") if isinstance(item, yamlstrict.Map) else None
            if isinstance(ident, yamlstrict.Scalar):
                taken.add(ident.value.strip())
    bib_path = data_dir / "refs.bib"
    raw, keys, problems = bibtex.scan(str(bib_path), _read(bib_path))
    if problems and not raw:
        raise NewEntryError(_unreadable(bib_path, problems))
    taken |= keys
    eprints: dict[str, str] = {}
    dois: dict[str, str] = {}
    for entry in raw:
        for name, value, _, _ in entry.fields:
            store = eprints if name == "eprint" else dois if name == "doi" else None
            if store is not None and value.strip():
                store.setdefault(strip_version(value.strip()).lower(), entry.key)
    return taken, eprints, dois


def _unreadable(path: Path, problems: list[Problem]) -> str:
    shown = "\n".join(map(str, problems[:5]))
    return f"{path} cannot be read, so no duplicate could be ruled out; fix it first (readingmap check):\n{shown}"


def add_entry(data_dir: str | os.PathLike[str], meta: Metadata, key: str | None = None,
              *, dry_run: bool = False) -> Added:
    """Append the BibTeX entry and the YAML stub; refuse duplicates of ids, keys and works."""
    base = Path(data_dir)
    bib_path, res_path = base / "refs.bib", base / "resources.yaml"
    for path in (bib_path, res_path):
        if not path.is_file():
            raise NewEntryError(f"{path} does not exist: run this in the repository root, or"
                                " point --data at the catalogue directory")
    taken, eprints, dois = existing(base)
    for name, store in (("eprint", eprints), ("doi", dois)):
        value = meta.fields.get(name)
        if value and strip_version(value).lower() in store:
            what = "arXiv e-print" if name == "eprint" else "DOI"
            raise NewEntryError(f"the {what} {value} is already in the catalogue as"
                                f" {describe(store[strip_version(value).lower()])}:"
                                " improve that entry instead of adding a new one")
    if key is not None:
        if not SLUG.match(key):
            raise NewEntryError(f"--id {describe(key)} is not a slug: use lower-case letters,"
                                " digits and single hyphens (e.g. 'berner2021modern')")
        if key.lower() in {t.lower() for t in taken}:
            raise NewEntryError(f"the id {describe(key)} is already used in the catalogue;"
                                " choose another with --id, or leave --id out to get one")
    else:
        key = make_key(meta, taken)
    entry = bibtex_entry(key, meta)
    problems = bibtex.read("new entry", entry.encode("utf-8")).problems
    if problems:  # pragma: no cover - a bug here, not the contributor's mistake
        raise NewEntryError("the generated BibTeX entry does not pass the checks:\n"
                            + "\n".join(str(p) for p in problems))
    sources = re.findall(r"(?m)^\s*-\s+id:\s*(\S+)", _read(base / "sources.yaml"))
    stub = yaml_stub(key, meta, sources)
    bib_text, res_text = _read(bib_path), _read(res_path)
    bib_sep = _separator(bib_text, blank=True)
    res_sep = _separator(res_text, blank=False)
    bib_line = (bib_text + bib_sep).count("\n") + 1
    yaml_line = (res_text + res_sep).count("\n") + 3  # after the two comment lines
    if not dry_run:
        with bib_path.open("a", encoding="utf-8", newline="\n") as out:
            out.write(bib_sep + entry)
        with res_path.open("a", encoding="utf-8", newline="\n") as out:
            out.write(res_sep + stub)
    return Added(key, entry, stub, bib_line, yaml_line)


# -- helpers --------------------------------------------------------------------------------


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


def _separator(text: str, *, blank: bool) -> str:
    if not text:
        return ""
    sep = "" if text.endswith("\n") else "\n"
    return sep + ("\n" if blank else "")


def _braced(value: str) -> str:
    """A value safe inside ``{...}``: unbalanced braces would end the field early, so drop them."""
    depth = 0
    for char in value:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            break
    return value if depth == 0 else value.replace("{", "").replace("}", "")


_FOLD = str.maketrans({"ß": "ss", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "œ": "oe",
                       "Œ": "OE", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "þ": "th", "ı": "i"})


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", latex_to_text(text).translate(_FOLD))
    return re.sub(r"[^a-z0-9]", "", folded.encode("ascii", "ignore").decode().lower())
