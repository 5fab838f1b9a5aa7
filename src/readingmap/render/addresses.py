"""Where every generated page lives, how pages link to each other, and the front matter each starts with.

Internal links in Markdown are links to ``.md`` files, so MkDocs resolves and validates them
(:func:`link`); links inside raw HTML (listings, resource pages, SVG, bibliography entries) use
directory URLs (:func:`rel_url`) and are checked by the site tests (tests/test_build.py follows
every link of the built site).
"""

from __future__ import annotations

import json
import posixpath
import re
from typing import TYPE_CHECKING

from .markup import attr, md_text

if TYPE_CHECKING:
    from .svg import Drawable

__all__ = [
    "BIBLIOGRAPHY",
    "CONTRIBUTING",
    "HUB_BOOST",
    "QUESTIONS",
    "READING_LIST",
    "RESULTS",
    "front_matter",
    "link",
    "node_src",
    "path_bib",
    "question_src",
    "rel_url",
    "result_src",
    "src_of",
    "topic_bib",
    "url_dir",
]

BIBLIOGRAPHY = "bibliography/index.md"
RESULTS = "results/index.md"
QUESTIONS = "questions/index.md"
#: A path's route as a plain-text reading list, beside the path page (relative to its directory).
READING_LIST = "reading-list.txt"
CONTRIBUTING = "contributing/index.md"
#: Material's search weighs the hub pages (topics, maths areas, results) this many times, so that a
#: search for a field's word or a result's name lands there before a paper that mentions it.
HUB_BOOST = 3


def topic_bib(topic_id: str, ext: str = "bib") -> str:
    """A topic's readings as a reference file, beside its page (relative to its directory)."""
    return f"reading-map-{topic_id}.{ext}"


def path_bib(topic_id: str, ext: str = "bib") -> str:
    """A path's readings as a reference file, beside the path page (relative to its directory)."""
    return f"reading-map-path-{topic_id}.{ext}"


def src_of(kind: str, ident: str) -> str:
    """The source path of a generated page.

    Every page is ``<section>/<id>/index.md``: its directory is the directory of its URL, so a
    relative link in raw HTML means the same to MkDocs (which leaves raw HTML alone) and to
    Zensical (which resolves such links against the source file, as it does Markdown links).
    """
    return f"{kind}/{ident}/index.md"


def node_src(node: Drawable) -> str:
    return src_of("topics" if node.kind == "topic" else "maths", node.id)


def result_src(result_id: str) -> str:
    return src_of("results", result_id)


def question_src(question_id: str) -> str:
    return src_of("questions", question_id)


def url_dir(src: str) -> str:
    """The directory URL MkDocs gives a page (``use_directory_urls: true``)."""
    stem = src[:-3]
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def _relative(target: str, start: str) -> str:
    """``posixpath.relpath`` for paths relative to one root, without its ``abspath`` calls
    (they dominated page generation when profiled)."""
    to = [p for p in target.split("/") if p]
    base = [p for p in start.split("/") if p]
    common = 0
    while common < min(len(to), len(base)) and to[common] == base[common]:
        common += 1
    parts = [".."] * (len(base) - common) + to[common:]
    return "/".join(parts) or "."


def _rel_md(page: str, target: str) -> str:
    return _relative(target, posixpath.dirname(page))


def rel_url(page: str, target: str) -> str:
    out = _relative(url_dir(target), url_dir(page))
    return "./" if out == "." else out + "/"


def link(page: str, target: str, label: str) -> str:
    """A Markdown link to another page's source, which MkDocs resolves and validates."""
    return f"[{md_text(label)}]({_rel_md(page, target)})"


def front_matter(title: str, description: str = "", *, hide: tuple[str, ...] = (),
                 searchable: bool = True, boost: float | None = None,
                 citation: tuple[tuple[str, str], ...] = ()) -> str:
    # JSON strings are valid YAML; the title is HTML-escaped, quotes too, because themes print it
    # unescaped (Material in <title>, the header, and the <h1> of a page without one).
    lines = ["---", f"title: {_yaml_string(attr(title))}"]
    if description:
        lines.append(f"description: {_yaml_string(attr(description[:300]))}")
    if citation:
        # Highwire meta tags, printed by overrides/main.html as the title is: escaped here.
        lines.append(f"citation: {json.dumps([[name, attr(value)] for name, value in citation], ensure_ascii=False)}")
    if hide:
        lines.append(f"hide: {json.dumps(list(hide))}")
    if not searchable:
        lines.append("search:\n  exclude: true")
    elif boost is not None:
        lines.append(f"search:\n  boost: {boost}")
    lines.append("---\n")
    return "\n".join(lines)


_SURROGATES = re.compile(r"\\u(d[89ab][0-9a-f]{2})\\u(d[c-f][0-9a-f]{2})")


def _yaml_string(value: str) -> str:
    """``value`` as a double-quoted YAML string: JSON's, except a character beyond the Basic
    Multilingual Plane (a maths letter such as 𝕊), which JSON writes as two surrogate escapes
    that YAML refuses, is written as YAML's ``\\U`` escape."""
    return _SURROGATES.sub(lambda m: "\\U%08x" % (0x10000 + ((int(m.group(1), 16) - 0xD800) << 10)
                                                  + (int(m.group(2), 16) - 0xDC00)), json.dumps(value))
