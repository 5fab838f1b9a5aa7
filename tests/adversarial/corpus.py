"""The adversarial corpus: small hostile edits of a copy of ``tests/fixtures/mini``.

Every case names the data file it edits, how, and what must happen:

* :class:`Refused` - loading fails, and one of the problems is at exactly that file, line and
  column with a message containing the given text. The line is found by a marker (a piece of
  text on that line of the *edited* file), so a case stays exact when the fixture grows.
* :class:`Accepted` - loading succeeds, and the hostile text is rendered inert (checked by the
  tests on every output); ``shows`` lists text that must appear in the pages and exports.

Accepted cases only ever *append* records with their own ids, so they can all be applied to one
copy at once: the tests build that combined hostile-but-valid catalogue with MkDocs once.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from readingmap.catalogue import textchecks

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "mini"

#: Every hostile payload carries this marker, so a scan of the outputs can tell data from theme.
MARK = "rmxss"
SCRIPT = f"<script>alert('{MARK}')</script>"
IMG = f"<img src=x onerror=alert('{MARK}')>"
SVG = f"<svg onload=alert('{MARK}')>"
BREAKOUT = f"\"'><svg onload=alert('{MARK}')>"
JSLINK = f"[click](javascript:alert('{MARK}'))"
ATTRLIST = f'{{: onclick="alert(\'{MARK}\')" }}'

# The fixture as it stands refers to approximation-theory as a prerequisite without a resource
# that teaches it; the corpus adds one, so that the base copy loads.
_BASE_RESOURCE = """\
- id: advbase1993approx
  kind: book
  topics: [approximation-theory]
  level: intermediate
  recommended_in:
    - source: editorial
  why: The classical account of approximation rates.
  added: 2025-01-01
  checked: "2026-11-30"
"""
_BASE_BIB = """
@book{advbase1993approx,
  title = {Constructive Approximation},
  author = {DeVore, Ronald A. and Lorentz, George G.},
  year = {1993},
  publisher = {Springer},
}
"""


def make_base(data: Path) -> Path:
    """A valid catalogue in ``data``: the mini fixture plus one teaching resource."""
    shutil.copytree(FIXTURE, data)
    with (data / "resources.yaml").open("a", encoding="utf-8") as f:
        f.write(_BASE_RESOURCE)
    with (data / "refs.bib").open("a", encoding="utf-8") as f:
        f.write(_BASE_BIB)
    return data


# -- edits ------------------------------------------------------------------------------------
Edit = Callable[[Path], None]


def append(file: str, addition: str | bytes) -> Edit:
    def run(data: Path) -> None:
        raw = addition.encode("utf-8") if isinstance(addition, str) else addition
        old = (data / file).read_bytes()
        sep = b"" if old.endswith(b"\n") else b"\n"
        (data / file).write_bytes(old + sep + raw)

    return run


def replace(file: str, old: str | bytes, new: str | bytes) -> Edit:
    def run(data: Path) -> None:
        o = old.encode("utf-8") if isinstance(old, str) else old
        n = new.encode("utf-8") if isinstance(new, str) else new
        content = (data / file).read_bytes()
        assert o in content, f"{file} no longer contains {o!r}: update the case"
        (data / file).write_bytes(content.replace(o, n, 1))

    return run


def write(file: str, content: str | bytes) -> Edit:
    def run(data: Path) -> None:
        raw = content.encode("utf-8") if isinstance(content, str) else content
        (data / file).write_bytes(raw)

    return run


def generate(file: str, make: Callable[[], bytes]) -> Edit:
    """Content made when the case runs (large files are never committed)."""

    def run(data: Path) -> None:
        (data / file).write_bytes(make())

    return run


# -- records ----------------------------------------------------------------------------------
def yq(value: str) -> str:
    """A YAML single-quoted scalar: any printable text, no escapes."""
    return "'" + value.replace("'", "''") + "'"


def resource(rid: str, *, why: str = "Worth reading.", topics: str = "[foundations]",
             source: str = "editorial", by: str | None = None, note: str | None = None,
             extra: str = "") -> str:
    lines = [f"- id: {rid}", "  kind: paper", f"  topics: {topics}", "  level: advanced",
             "  recommended_in:", f"    - source: {source}"]
    if by is not None:
        lines.append(f"      by: {by}")
    if note is not None:
        lines.append(f"      note: {note}")
    lines.append(f"  why: {why}")
    lines.append("  added: 2025-01-01")
    lines.append('  checked: "2026-11-30"')
    return "\n".join(lines) + "\n" + extra


def result(rid: str, *, name: str = "A result", who: str = "A. Person", statement: str = "It holds.",
           gloss: str = "The idea.", aliases: str | None = None, where: str | None = None,
           resource: str = "yarotsky2017error") -> str:
    """A result record, to put at the start of results.yaml's list of results."""
    lines = [f"  - id: {rid}", f"    name: {name}", f"    who: {who}", '    year: "2020"', "    status: theorem",
             "    topics: [expressivity]", "    maths: [real-analysis]", f"    gloss: {gloss}",
             f"    statement: {statement}",
             '    checked: "2026-11-30"', "    read:", f"      - resource: {resource}"]
    if where is not None:
        lines.append(f"        where: {where}")
    if aliases is not None:
        lines.append(f"    aliases: {aliases}")
    lines.append("    added: 2025-01-01")
    return "\n".join(lines) + "\n"


def question(qid: str, *, text: str = "Why?", known: str = "Little.", results: str = "[relu-sobolev-rates]",
             status: str = "open", changed: str = '"2026-11-30"', checked: str = '"2026-11-30"') -> str:
    return (f"  - id: {qid}\n    topic: expressivity\n    status: {status}\n    status_changed: {changed}\n"
            f"    checked: {checked}\n    question: {text}\n    known: {known}\n    results: {results}\n")


def bib(key: str, *, kind: str = "misc", **fields: str) -> str:
    values = {"title": "{A title}", "author": "{Doe, Jane}", "year": "{2020}", **fields}
    body = "".join(f"  {k} = {v},\n" for k, v in values.items())
    return f"\n@{kind}{{{key},\n{body}}}\n"


def topic(tid: str, name: str, description: str, *, start: str, aliases: str | None = None) -> str:
    extra = f"  aliases: {aliases}\n" if aliases is not None else ""
    return (f"- id: {tid}\n  name: {name}\n{extra}  description: {description}\n  requires: [foundations]\n"
            f"  start_here: [{start}]\n")


def source(sid: str, name: str, description: str, url: str = "https://example.org/thread") -> str:
    return (f"- id: {sid}\n  kind: thread\n  name: {name}\n  description: {description}\n"
            f"  url: {url}\n")


# -- expectations -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Refused:
    file: str
    marker: str | int  # text on the problem's line of the edited file, or the line number
    col: int
    message: str
    nth: int = 1  # which occurrence of the marker


@dataclass(frozen=True)
class Accepted:
    shows: tuple[str, ...] = ()  # text that must appear in the page HTML and catalogue.json


@dataclass(frozen=True)
class Case:
    name: str
    edits: tuple[Edit, ...]
    expect: Refused | Accepted
    tags: tuple[str, ...] = field(default=())


def _billion_laughs() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, cur in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def _too_big() -> bytes:
    line = b"# padding padding padding padding padding padding padding padding padding\n"
    count = textchecks.MAX_FILE_BYTES // len(line) + 1
    return b"- id: foundations\n" + line * count


R = "resources.yaml"
T = "topics.yaml"
M = "maths.yaml"
S = "sources.yaml"
B = "refs.bib"
RS = "results.yaml"

_NEW = resource("adv2020case", why="Fine.")  # a valid resource to hang bad BibTeX on
_WHY = "  why: Builds the reals from scratch, with exercises."

CASES: list[Case] = [
    # ---- YAML structure -------------------------------------------------------------------
    Case("yaml-duplicate-key", (replace(R, _WHY, _WHY + "\n  why: Second why."),),
         Refused(R, "why: Second why.", 3, "duplicate key 'why' (first given on line")),
    Case("yaml-duplicate-id", (append(R, resource("tao2016analysis", why="Again.")),),
         Refused(R, "- id: tao2016analysis", 7, "resource id 'tao2016analysis' is already used on line",
                 nth=2)),
    Case("yaml-anchor", (replace(R, _WHY, "  why: &w Builds the reals."),),
         Refused(R, "why: &w", 8, "anchor &w is not allowed")),
    Case("yaml-alias", (replace(R, _WHY, "  why: &w Builds.\n  level: *w"),),
         Refused(R, "level: *w", 10, "alias *w is not allowed")),
    Case("yaml-merge-key", (append(R, "- <<: *base\n  id: x\n"),),
         Refused(R, "<<: *base", 7, "alias *base is not allowed")),
    Case("yaml-billion-laughs", (write(T, _billion_laughs()),),
         Refused(T, 1, 4, "anchor &a is not allowed")),
    Case("yaml-explicit-tag", (replace(R, _WHY, "  why: !!python/object/apply:os.system [ls]"),),
         Refused(R, "why: !!python", 8, "explicit tag tag:yaml.org,2002:python/object/apply:os.system")),
    Case("yaml-implicit-bool-no", (replace(M, "name: Linear algebra", "name: no"),),
         Refused(M, "name: no", 9, "'no' is read by YAML as a boolean, not text")),
    Case("yaml-implicit-bool-yes", (replace(R, _WHY, "  why: yes"),),
         Refused(R, "why: yes", 8, "'yes' is read by YAML as a boolean, not text")),
    Case("yaml-implicit-int", (replace(T, "name: Foundations", "name: 1984"),),
         Refused(T, "name: 1984", 9, "'1984' is read by YAML as an integer, not text")),
    Case("yaml-implicit-date", (replace(R, _WHY, "  why: 2020-01-01"),),
         Refused(R, "why: 2020-01-01", 8, "'2020-01-01' is read by YAML as a date, not text")),
    Case("yaml-implicit-float", (replace(S, "name: A MathOverflow thread", "name: 1.5"),),
         Refused(S, "name: 1.5", 9, "read by YAML as a number")),
    Case("yaml-null", (replace(R, _WHY, "  why: ~"),),
         Refused(R, "why: ~", 8, "'~' is read by YAML as null")),
    Case("yaml-tab-indent", (replace(R, _WHY, "\t" + _WHY.lstrip()),),
         Refused(R, "\twhy:", 1, "tab character: indent YAML with spaces")),
    Case("yaml-top-level-mapping", (write(T, "topics:\n  - id: foundations\n"),),
         Refused(T, 1, 1, "the top level must be a list of topics")),
    Case("yaml-top-level-scalar", (write(S, "just text\n"),),
         Refused(S, 1, 1, "the top level must be a list of sources")),
    Case("yaml-empty-file", (write(S, "# nothing\n"),),
         Refused(S, 1, 1, "the file is empty: expected a list of sources")),
    Case("yaml-two-documents", (append(T, "---\n- id: extra\n"),),
         Refused(T, "---", 1, "a second YAML document starts here")),
    Case("yaml-syntax-error", (replace(R, _WHY, "  why: a: b"),),
         Refused(R, "why: a: b", 9, "YAML syntax error: mapping values are not allowed")),
    Case("yaml-non-text-key", (replace(R, _WHY, "  ? [a, b]\n  : x\n" + _WHY),),
         Refused(R, "? [a, b]", 5, "a mapping key must be text")),
    Case("yaml-unknown-key-onclick", (replace(R, _WHY, _WHY + "\n  onclick: alert(1)"),),
         Refused(R, "onclick:", 3, "unknown key 'onclick' in resource 'tao2016analysis'")),
    Case("yaml-not-utf8", (replace(M, b"name: Linear algebra", b"name: Lin\xe9ar algebra"),),
         Refused(M, "name: Lin", 12, "the file is not valid UTF-8 (byte 0xe9)")),
    Case("yaml-not-utf8-ff", (replace(T, b"name: Foundations", b"name: \xff\xfe"),),
         Refused(T, "name: ", 9, "not valid UTF-8 (byte 0xff)")),
    Case("yaml-nul", (replace(R, _WHY, _WHY[:-3] + "\x00es."),),
         Refused(R, "with exercis", 51, "character U+0000 (control character) is not allowed")),
    Case("yaml-escape-char", (replace(T, "name: Foundations", "name: Found\x1bations"),),
         Refused(T, "name: Found", 14, "character U+001B")),
    Case("yaml-c1-control", (replace(T, "name: Foundations", "name: Found\x85ations"),),
         Refused(T, "name: Found", 14, "character U+0085")),
    Case("yaml-bidi-override-name", (replace(M, "name: Real analysis", "name: Real \u202esisylana"),),
         Refused(M, "name: Real", 14, "character U+202E (RIGHT-TO-LEFT OVERRIDE) is not allowed")),
    Case("yaml-bidi-isolate-by", (replace(R, "by: Suvrit", "by: Suv\u2066rit"),),
         Refused(R, "by: Suv", 14, "character U+2066 (LEFT-TO-RIGHT ISOLATE)")),
    Case("yaml-zero-width-source-name",
         (replace(S, "name: A MathOverflow thread", "name: A Math\u200bOverflow thread"),),
         Refused(S, "name: A Math", 15, "character U+200B (ZERO WIDTH SPACE)")),
    Case("yaml-escaped-bidi", (replace(T, "name: Foundations", 'name: "Found\\u202eations"'),),
         Refused(T, "name: \"Found", 9, "U+202E (RIGHT-TO-LEFT OVERRIDE), written as an escape")),
    Case("yaml-escaped-nul", (replace(R, _WHY, '  why: "Builds\\0 the reals."'),),
         Refused(R, "why: \"Builds", 8, "U+0000 (control character), written as an escape")),
    Case("yaml-escaped-zero-width-key", (replace(R, _WHY, '  "wh\\u200by": x\n' + _WHY),),
         Refused(R, "\"wh\\u200by\"", 3, "U+200B (ZERO WIDTH SPACE), written as an escape")),
    Case("yaml-file-too-large", (generate(T, _too_big),),
         Refused(T, 1, 1, f"a data file may be at most {textchecks.MAX_FILE_BYTES // 1048576} MiB")),
    Case("yaml-long-why", (replace(R, _WHY, "  why: " + "a" * 100_000),),
         Refused(R, "why: aaaa", 8, "is 100000 characters long; at most 2000 are allowed")),
    Case("yaml-long-name", (replace(T, "name: Foundations", "name: " + "F" * 301),),
         Refused(T, "name: FFF", 9, "is 301 characters long; at most 300 are allowed")),
    Case("yaml-deep-nesting", (replace(R, _WHY, "  why: " + "[" * 1200 + "]" * 1200),),
         Refused(R, "why: [[[", 8, "'why' of resource 'tao2016analysis' must be text, found a list")),
    # ---- URLs in YAML ---------------------------------------------------------------------
    Case("url-javascript", (replace(S, "https://mathoverflow.net/questions/1", "javascript:alert(1)"),),
         Refused(S, "url: javascript", 8, "found scheme 'javascript'")),
    Case("url-mixed-case-javascript",
         (replace(S, "https://mathoverflow.net/questions/1", "JaVaScRiPt:alert(1)"),),
         Refused(S, "url: JaVaScRiPt", 8, "found scheme 'javascript'")),
    Case("url-data", (replace(S, "https://mathoverflow.net/questions/1",
                              "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="),),
         Refused(S, "url: data:", 8, "found scheme 'data'")),
    Case("url-vbscript", (replace(S, "https://mathoverflow.net/questions/1", "vbscript:msgbox(1)"),),
         Refused(S, "url: vbscript", 8, "found scheme 'vbscript'")),
    Case("url-file", (replace(S, "https://mathoverflow.net/questions/1", "file:///etc/passwd"),),
         Refused(S, "url: file:", 8, "found scheme 'file'")),
    Case("url-protocol-relative", (replace(S, "https://mathoverflow.net/questions/1", "//evil.example/x"),),
         Refused(S, "url: //evil", 8, "found scheme '(none)'")),
    Case("url-embedded-space", (replace(S, "https://mathoverflow.net/questions/1", "'java script:alert(1)'"),),
         Refused(S, "url: 'java", 8, "the URL contains U+0020")),
    Case("url-embedded-escape-tab", (replace(S, "https://mathoverflow.net/questions/1", '"java\\tscript:alert(1)"'),),
         Refused(S, "url: \"java", 8, "the URL contains U+0009")),
    Case("url-embedded-escape-newline",
         (replace(S, "https://mathoverflow.net/questions/1", '"https://example.org/\\nx"'),),
         Refused(S, "url: \"https", 8, "the URL contains U+000A")),
    Case("url-userinfo", (replace(S, "https://mathoverflow.net/questions/1",
                                  "https://mathoverflow.net@evil.example/x"),),
         Refused(S, "url: https", 8, "puts a user name before the host")),
    Case("url-ipv4", (replace(S, "https://mathoverflow.net/questions/1", "http://127.0.0.1/admin"),),
         Refused(S, "url: http", 8, "is an IP address")),
    Case("url-ipv6", (replace(S, "https://mathoverflow.net/questions/1", "http://[::1]/"),),
         Refused(S, "url: http", 8, "is an IP address")),
    Case("url-decimal-ip", (replace(S, "https://mathoverflow.net/questions/1", "http://2130706433/"),),
         Refused(S, "url: http", 8, "is not a domain name")),
    Case("url-double-quote-breakout", (replace(S, "url: https://mathoverflow.net/questions/1",
                                               "url: " + yq('https://example.org/"onmouseover="alert(1)')),),
         Refused(S, "url: 'https", 8, "the URL contains '\"'")),
    Case("url-single-quote-breakout", (replace(S, "url: https://mathoverflow.net/questions/1",
                                               "url: " + yq("https://example.org/'><script>")),),
         Refused(S, "url: 'https", 8, "the URL contains \"'\"")),
    Case("url-too-long", (replace(S, "https://mathoverflow.net/questions/1",
                                  "https://example.org/" + "a" * 2000),),
         Refused(S, "url: https", 8, "at most 2000 are allowed")),
    # ---- BibTeX ---------------------------------------------------------------------------
    Case("bib-duplicate-key", (append(B, bib("tao2016analysis")),),
         Refused(B, "@misc{tao2016analysis", 1, "duplicate BibTeX key 'tao2016analysis': the same key")),
    Case("bib-duplicate-key-case", (append(B, bib("Tao2016Analysis")),),
         Refused(B, "@misc{Tao2016Analysis", 1, "key 'tao2016analysis' (keys ignore case)")),
    Case("bib-repeated-field",
         (append(R, _NEW), append(B, "\n@misc{adv2020case,\n  title = {One},\n  author = {Doe, Jane},\n"
                                  "  year = {2020},\n  title = {Two},\n}\n")),
         Refused(B, "title = {Two}", 3, "field 'title' is given twice in entry 'adv2020case'")),
    Case("bib-unterminated", (append(B, "\n@misc{adv2020open,\n  title = {Never closed,\n"),),
         Refused(B, "title = {Never closed", 12, "BibTeX syntax error: premature end of file")),
    Case("bib-undefined-macro", (append(R, _NEW), append(B, bib("adv2020case", publisher="springer"))),
         Refused(B, "publisher = springer", 15, "undefined @string macro 'springer'")),
    Case("bib-crossref", (append(R, _NEW), append(B, bib("adv2020case", crossref="{tao2016analysis}"))),
         Refused(B, "crossref =", 3, "crossref is not supported")),
    Case("bib-unsupported-type", (append(R, _NEW), append(B, bib("adv2020case", kind="online"))),
         Refused(B, "@online{adv2020case", 1, "unsupported entry type @online")),
    Case("bib-preamble", (append(B, '\n@preamble{"\\newcommand{\\x}{y}"}\n'),),
         Refused(B, "@preamble", 1, "@preamble is not supported")),
    Case("bib-key-not-html-id", (append(B, bib('x"onmouseover=alert(1)')),),
         Refused(B, "@misc{x\"", 1, "is not a slug")),
    Case("bib-key-underscore", (append(B, bib("Doe_2020:x")),),
         Refused(B, "@misc{Doe_2020", 1, "is not a slug")),
    Case("bib-not-utf8", (replace(B, b"Axler, Sheldon", b"Axl\xe9r, Sheldon"),),
         Refused(B, "Axl", 16, "not valid UTF-8 (byte 0xe9)")),
    Case("bib-bidi-title", (replace(B, "Linear Algebra Done Right", "Linear \u202eAlgebra"),),
         Refused(B, "Linear ", 19, "U+202E (RIGHT-TO-LEFT OVERRIDE)")),
    Case("bib-zero-width-author", (replace(B, "Tao, Terence", "Tao, Ter\u200dence"),),
         Refused(B, "Tao, Ter", 21, "U+200D (ZERO WIDTH JOINER)")),
    Case("bib-year-not-year", (append(R, _NEW), append(B, bib("adv2020case", year="{20201}"))),
         Refused(B, "year = {20201}", 3, "'20201' is not a four-digit year")),
    Case("bib-url-javascript", (append(R, _NEW), append(B, bib("adv2020case", url="{javascript:alert(1)}"))),
         Refused(B, "url = {javascript", 3, "field 'url' of entry 'adv2020case': only http:// and https://")),
    Case("bib-url-macro-javascript",
         (append(R, _NEW), append(B, '\n@string{evil = "JAVASCRIPT:alert(1)"}\n'
                                  + bib("adv2020case", url="evil"))),
         Refused(B, "url = evil", 3, "found scheme 'javascript'")),
    Case("bib-url-tab", (append(R, _NEW), append(B, bib("adv2020case", url="{java\tscript:alert(1)}"))),
         Refused(B, "url = {java", 3, "the URL contains U+0020")),
    Case("bib-url-userinfo", (append(R, _NEW),
                              append(B, bib("adv2020case", url="{https://arxiv.org@evil.example/}"))),
         Refused(B, "arxiv.org@evil", 3, "puts a user name before the host")),
    Case("bib-url-quote", (append(R, _NEW),
                           append(B, bib("adv2020case", url='{https://example.org/"><script>}'))),
         Refused(B, "example.org/\"><script>", 3, "the URL contains '\"'")),
    Case("bib-doi-javascript", (append(R, _NEW), append(B, bib("adv2020case", doi="{javascript:alert(1)}"))),
         Refused(B, "doi = {javascript", 3, "field 'doi' of entry 'adv2020case': not a DOI")),
    Case("bib-doi-quote", (append(R, _NEW), append(B, bib("adv2020case", doi='{10.1000/x"onmouseover=alert(1)}'))),
         Refused(B, "doi = {10.1000", 3, "not a DOI")),
    Case("bib-doi-link", (append(R, _NEW), append(B, bib("adv2020case", doi="{https://doi.org/10.1000/x}"))),
         Refused(B, "doi = {https", 3, "give the bare DOI")),
    Case("bib-eprint-javascript",
         (append(R, _NEW), append(B, bib("adv2020case", eprint="{javascript:alert(1)}",
                                         archiveprefix="{arXiv}"))),
         Refused(B, "eprint = {javascript", 3, "field 'eprint' of entry 'adv2020case': not an arXiv identifier")),
    Case("bib-eprint-quote",
         (append(R, _NEW), append(B, bib("adv2020case", eprint="{2101.00001\"><b>}",
                                         archiveprefix="{arXiv}"))),
         Refused(B, "eprint = {2101", 3, "not an arXiv identifier")),
    Case("bib-long-title", (append(R, _NEW), append(B, bib("adv2020case", title="{" + "t" * 2001 + "}"))),
         Refused(B, "title = {ttt", 3, "is 2001 characters long; at most 2000 are allowed")),
    # ---- cross-file ------------------------------------------------------------------------
    Case("reserved-resource-id", (append(R, resource("bib-form")), append(B, bib("bib-form"))),
         Refused(R, "- id: bib-form", 7, "resource id 'bib-form' is reserved")),
    # ---- starting points and aliases ------------------------------------------------------------
    Case("start-here-unknown", (replace(T, "  start_here: [goodfellow2016deep]", "  start_here: [goodfellow2016dep]"),),
         Refused(T, "start_here: [goodfellow2016dep]", 16, "start_here of 'foundations' names 'goodfellow2016dep',"
                 " which is not a resource (did you mean 'goodfellow2016deep'?)")),
    Case("start-here-not-about-the-topic",
         (replace(T, "  start_here: [goodfellow2016deep]", "  start_here: [yarotsky2017error]"),),
         Refused(T, "start_here: [yarotsky2017error]", 16, "start_here of 'foundations' names 'yarotsky2017error',"
                 " whose topics do not list 'foundations': a starting point must be about the topic")),
    Case("start-here-missing", (replace(T, "  start_here: [goodfellow2016deep]\n", ""),),
         Refused(T, "- id: foundations", 1, "topic 'foundations' names no starting point")),
    Case("start-here-javascript", (replace(T, "  start_here: [goodfellow2016deep]", "  start_here: ['javascript:x']"),),
         Refused(T, "start_here: ['javascript", 16, "is not a slug")),
    Case("aliases-not-a-list", (replace(R, _WHY, _WHY + "\n  aliases: NTK"),),
         Refused(R, "aliases: NTK", 12, "'aliases' of resource 'tao2016analysis' must be a list of names")),
    Case("aliases-repeated", (replace(R, _WHY, _WHY + "\n  aliases: [NTK, ntk]"),),
         Refused(R, "aliases: [NTK, ntk]", 18, "lists 'ntk' twice")),
    Case("result-id-not-a-slug", (replace(RS, "results:\n", "results:\n" + result(yq(BREAKOUT))),),
         Refused(RS, "  - id: '\"''><svg", 9, "is not a slug")),
    Case("result-read-javascript", (replace(RS, "results:\n", "results:\n" + result("adv-r", resource="'javascript:x'")),),
         Refused(RS, "resource: 'javascript:x'", 19, "is not a slug")),
    Case("result-builds-on-hostile", (replace(RS, "results:\n", "results:\n" + result("adv-r")
                                             + "    builds_on: ['<script>']\n"),),
         Refused(RS, "builds_on: ['<script>'", 17, "is not a slug")),
    Case("question-topic-hostile", (replace(RS, "questions:\n", "questions:\n" + question("adv-q").replace(
        "topic: expressivity", "topic: '\"><x>'")),),
         Refused(RS, "topic: '\"><x>'", 12, "is not a slug")),
    Case("question-status-hostile", (replace(RS, "questions:\n", "questions:\n" + question(
        "adv-q", status=yq(BREAKOUT))),),
         Refused(RS, "status: '\"''><svg", 13, "is not one of: open, partly answered, settled")),
    Case("question-status-changed-not-a-day", (replace(RS, "questions:\n", "questions:\n" + question(
        "adv-q", changed='"2026-13-01"')),),
         Refused(RS, 'status_changed: "2026-13-01"', 21, "is not a day of the calendar")),
    Case("checked-hostile", (replace(RS, "questions:\n", "questions:\n" + question("adv-q", checked=yq(SCRIPT))),),
         Refused(RS, "checked: '<script>", 14, "is 31 characters long; at most 10 are allowed")),
    Case("checked-a-number", (replace(R, _WHY + '\n  checked: "2026-11-22"', _WHY + "\n  checked: 20261130"),),
         Refused(R, "checked: 20261130", 12, "is read by YAML as an integer, not text")),
    Case("aliases-too-long", (replace(R, _WHY, _WHY + "\n  aliases: [" + "a" * 101 + "]"),),
         Refused(R, "aliases: [aaa", 13, "is 101 characters long; at most 100 are allowed")),
]


# ---- accepted, inert ------------------------------------------------------------------------
def _acc(name: str, rid: str, *, why: str = "Fine.", by: str | None = None, pnote: str | None = None,
         topics: str = "[foundations]", src: str = "editorial", shows: tuple[str, ...] = (),
         **fields: str) -> Case:
    """A new resource (``pnote`` is its recommendation note) and its entry with ``fields``."""
    return Case(name, (append(R, resource(rid, why=why, by=by, note=pnote, topics=topics, source=src)),
                       append(B, bib(rid, **fields))), Accepted(shows))


ACCEPTED: list[Case] = [
    _acc("inject-bib-title-script", "adv2001a", title="{" + SCRIPT + "}"),
    _acc("inject-bib-title-img", "adv2001b", title="{" + IMG + " and " + JSLINK + "}"),
    _acc("inject-bib-title-attrlist", "adv2001c", title="{Heading " + ATTRLIST + "}"),
    _acc("inject-bib-title-breakout", "adv2001d", title="{" + BREAKOUT + "}"),
    _acc("inject-bib-title-title-tag", "adv2001e", title="{</title><script>alert('" + MARK + "')</script>}"),
    _acc("inject-bib-title-fence", "adv2001f", title="{``` ```` </code></pre>" + SCRIPT + "}"),
    _acc("inject-bib-title-template", "adv2001g", title="{{{ config.extra }} {% raw %} $x$ }"),
    _acc("inject-bib-author", "adv2001h", author="{" + IMG.replace(",", "") + " and Doe, " + BREAKOUT + "}"),
    _acc("inject-bib-author-script", "adv2001i", author="{Evil, " + SCRIPT + "}"),
    _acc("inject-bib-journal", "adv2001j", kind="article", journal="{" + BREAKOUT + SCRIPT + "}"),
    _acc("inject-bib-note", "adv2001k", note="{" + JSLINK + " " + ATTRLIST + " " + IMG + "}"),
    _acc("inject-bib-howpublished", "adv2001l", howpublished="{" + SVG + "}"),
    _acc("latex-accents", "adv2001m", title='{Sch{\\"o}ne {\\"U}bungen f{\\"u}r Na{\\"\\i}ve}',
         author='{M{\\"u}ller, J{\\"o}rg and {\\\'E}mile, Fran{\\c{c}}ois}',
         shows=("Schöne Übungen", "Jörg Müller", "François")),
    _acc("url-uppercase-scheme-host", "adv2001n", url="{HTTPS://Example.ORG/a?b=1&c=2}"),
    _acc("inject-why-script", "adv2001o", why=yq(SCRIPT + " " + IMG + " " + SVG)),
    _acc("inject-why-js-links", "adv2001p", why=yq(
        JSLINK + f" [x](JaVaScRiPt:alert('{MARK}')) ![i](javascript:alert('{MARK}'))"
        f" <javascript:alert('{MARK}')> [e](jav&#x61;script:alert('{MARK}'))"
        f" [d](data:text/html,{MARK}) [v](vbscript:{MARK}) [f](file:///{MARK})")),
    _acc("inject-why-ref-link", "adv2001q", why="|-\n    [a][r] text\n\n    [r]: javascript:alert('rmxss')"),
    _acc("inject-why-attrlist", "adv2001r", why="|-\n    A paragraph.\n    " + ATTRLIST
         + "\n\n    Second { onclick=alert('rmxss') } *em*{: onmouseover=\"alert('rmxss')\" }"),
    _acc("inject-why-raw-tags", "adv2001s", why=yq(
        f"<a href=\"javascript:alert('{MARK}')\">a</a> <iframe src=\"javascript:alert('{MARK}')\">"
        f"</iframe> <object data=\"javascript:{MARK}\"></object> <form action=\"javascript:{MARK}\">"
        f"<button>b</button></form> <style>body{{background:url(javascript:{MARK})}}</style>"
        f" <meta http-equiv=\"refresh\" content=\"0;url=javascript:{MARK}\">"
        f" <base href=\"javascript:{MARK}\"> <svg><a xlink:href=\"javascript:{MARK}\">s</a></svg>")),
    _acc("inject-why-breakout", "adv2001t", why=yq(BREAKOUT + " " + ATTRLIST)),
    _acc("inject-why-math", "adv2001u", why=yq(f"$\\href{{javascript:alert('{MARK}')}}{{x}}$ and"
                                              f" $</span>{SCRIPT}$")),
    _acc("inject-recommended-by", "adv2001v", src="mo-thread", by=yq(BREAKOUT + SCRIPT),
         pnote=yq(IMG + " " + JSLINK + " " + ATTRLIST)),
    _acc("inject-recommended-note-breakout", "adv2001w", src="mo-thread", by=yq("[x](javascript:1)"),
         pnote=yq(BREAKOUT)),
    _acc("quoted-implicit-types", "adv2001x", why="'1984'", by="'no'", pnote="'2020-01-01'",
         src="mo-thread", shows=("1984",)),
    _acc("long-title", "adv2001y", title="{" + "Long " * 399 + "}"),
    _acc("bib-percent-in-title", "adv2001z", title="{Reaching 100% accuracy {in} {% raw %} mode}",
         shows=("Reaching 100% accuracy in % raw % mode",)),
    Case("inject-topic", (append(T, topic("adv-topic", yq("</title>" + SCRIPT + BREAKOUT),
                                          yq(IMG + " " + JSLINK + " " + ATTRLIST), start="adv2002a",
                                          aliases="[" + yq(SCRIPT) + ", " + yq(BREAKOUT + JSLINK) + "]")),
                          append(R, resource("adv2002a", topics="[adv-topic]")),
                          append(B, bib("adv2002a"))), Accepted()),
    Case("inject-maths", (append(M, "- id: adv-maths\n  name: " + yq(BREAKOUT + SCRIPT) + "\n"
                                 "  description: " + yq(SVG + " " + JSLINK + " $x<y$") + "\n"
                                 "  can_do: [" + yq(SCRIPT) + ", " + yq(BREAKOUT + JSLINK) + ", " + yq(IMG + " " + ATTRLIST)
                                 + "]\n"),
                          append(R, resource("adv2002b", topics="[adv-maths]")),
                          append(B, bib("adv2002b"))), Accepted()),
    Case("inject-source", (append(S, source("adv-source", yq(BREAKOUT + SCRIPT),
                                            yq(IMG + " " + JSLINK + " " + ATTRLIST))),
                           append(R, resource("adv2002c", source="adv-source")),
                           append(B, bib("adv2002c"))), Accepted()),
    Case("inject-source-no-url", (append(S, "- id: adv-source2\n  kind: survey\n  name: "
                                         + yq(SCRIPT) + "\n  description: " + yq(BREAKOUT) + "\n"),
                                  append(R, resource("adv2002d", source="adv-source2")),
                                  append(B, bib("adv2002d"))), Accepted()),
    Case("unicode-rtl-text-without-controls",
         (append(T, topic("adv-topic-ar", "'تعلم عميق'", "'Arabic and עברית text, no controls.'", start="adv2002e")),
          append(R, resource("adv2002e", topics="[adv-topic-ar]")), append(B, bib("adv2002e"))),
         Accepted(("تعلم عميق",))),
    Case("inject-result-statement",
         (replace(RS, "results:\n", "results:\n" + result(
             "adv-result", name=yq("</title>" + SCRIPT + BREAKOUT), who=yq(IMG + " " + BREAKOUT),
             statement=yq(SCRIPT + " " + IMG + " " + JSLINK + " " + ATTRLIST + " $</span>" + SCRIPT + "$"),
             gloss=yq(BREAKOUT + " " + JSLINK + " $</span>" + SCRIPT + "$"),
             aliases="[" + yq(SCRIPT) + ", " + yq(BREAKOUT) + "]", where=yq(BREAKOUT + JSLINK))
             + "    builds_on: [sawtooth-squaring]\n"),
          replace(RS, "questions:\n", "questions:\n" + question(
              "adv-question", text=yq(BREAKOUT + SCRIPT), known=yq(JSLINK + " " + IMG + " " + ATTRLIST),
              results="[adv-result]"))),
         Accepted()),
    Case("inject-resource-aliases",
         (append(R, resource("adv2002f", extra="  aliases: [" + yq(SCRIPT) + ", " + yq(IMG + ATTRLIST) + ", "
                             + yq("[x](javascript:alert(1))") + "]\n")),
          append(B, bib("adv2002f"))), Accepted()),
]

ALL: list[Case] = CASES + ACCEPTED
