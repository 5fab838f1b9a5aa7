"""Checks for every value that becomes a link: URLs, DOIs, arXiv ids and ISBNs.

Only plain ``http(s)://host/...`` URLs with a domain name are accepted. Anything a browser could
interpret differently from how it reads (other schemes, credentials before the host, IP literals,
whitespace, quotes, angle brackets, backslashes) is refused at load time, so the renderer never
has to guess; the renderer escapes every attribute value as well (defence in depth).
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

__all__ = ["MAX_URL", "check", "check_arxiv", "check_doi", "check_isbn"]

MAX_URL = 2000
_UNSAFE = re.compile(r"[\s\"'<>\\`{}|^\x00-\x1f\x7f]")
_HOST = re.compile(r"(?=.{1,253}\Z)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]*[a-z0-9]\Z")
DOI = re.compile(r"10\.\d{4,9}/[-._;()/:A-Za-z0-9\[\]]+\Z")
ARXIV = re.compile(r"(?:\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?\Z")


def check(url: str) -> str | None:
    """Return why ``url`` is not an acceptable link, or ``None`` if it is."""
    if len(url) > MAX_URL:
        return f"the URL is {len(url)} characters long; at most {MAX_URL} are allowed"
    bad = _UNSAFE.search(url)
    if bad:
        char = bad.group()
        shown = repr(char) if char.isprintable() and not char.isspace() else f"U+{ord(char):04X}"
        return f"the URL contains {shown}, which is not allowed in a link: percent-encode it or remove it"
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        scheme = parts.scheme or "(none)"
        return f"only http:// and https:// links are allowed (in lower case), found scheme {scheme!r}"
    if "@" in parts.netloc:
        return "the URL puts a user name before the host ('user@host'), which disguises the real host"
    host = parts.hostname or ""
    if not host:
        return "the URL has no host"
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        pass
    else:
        return f"the URL's host {host!r} is an IP address: link to the site's domain name"
    if not _HOST.match(host):
        return f"the URL's host {host!r} is not a domain name (ASCII letters, digits, dots, hyphens)"
    try:
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError:
        return "the URL has a malformed port"
    return None


def check_doi(doi: str) -> str | None:
    if doi.lower().startswith(("http:", "https:", "doi:")):
        return "give the bare DOI (10.xxxx/...), not a link or a 'doi:' prefix"
    if not DOI.match(doi):
        return "not a DOI: expected 10.<registrant>/<suffix> with no spaces, quotes or angle brackets"
    return None


def check_arxiv(eprint: str) -> str | None:
    if not ARXIV.match(eprint):
        return "not an arXiv identifier: expected e.g. 2105.04026 or math/0601001 (optionally with v2)"
    return None


def check_isbn(isbn: str) -> str | None:
    digits = isbn.replace("-", "").replace(" ", "")
    if re.fullmatch(r"\d{13}", digits):
        total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(digits))
        return None if total % 10 == 0 else "the ISBN-13 check digit is wrong"
    if re.fullmatch(r"\d{9}[\dX]", digits):
        total = sum((10 - i) * (10 if d == "X" else int(d)) for i, d in enumerate(digits))
        return None if total % 11 == 0 else "the ISBN-10 check digit is wrong"
    return "not an ISBN: expected 10 or 13 digits, optionally with hyphens"
