"""``readingmap links``: check every external URL the catalogue produces, politely and honestly.

A link is called **broken** only when the server says 404/410 or its host name does not resolve,
and only when a second pass, some time after the first, says the same. Everything a server may do
to a robot for a while (429, 5xx, timeouts, refused connections, 401/403) makes a link
**unverified**, never broken. Redirects are followed by hand, one hop at a time, and reported with
the final URL as a suggestion.

Politeness: a bounded thread pool, at most one request at a time per host with a small delay
between requests to the same host, HEAD first with GET as the fallback, and retries with
exponential backoff (honouring a short ``Retry-After``). Standard library only.
"""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from ..catalogue.model import Catalogue

__all__ = ["Checker", "Result", "Target", "collect", "table", "to_json"]

USER_AGENT = ("readingmap-links/0.1 (link checker of a reading list;"
              " +https://github.com/math-dl-reading-map/reading-map)")
STATUSES = ("ok", "redirect", "unverified", "broken")
MAX_HOPS = 10
#: Hosts whose links redirect by design (a DOI resolves to the publisher): no suggestion there.
RESOLVERS = frozenset({"doi.org", "dx.doi.org"})


@dataclass(frozen=True)
class Target:
    """One URL and every place in the catalogue that produces it."""

    url: str
    used_by: tuple[str, ...]


@dataclass
class Result:
    url: str
    status: str  # one of STATUSES
    code: int | None = None
    detail: str = ""
    new_url: str | None = None
    used_by: tuple[str, ...] = ()
    passes: int = 1


@dataclass
class _Outcome:
    """What one request chain (with redirects followed) ended in."""

    code: int | None = None
    final_url: str = ""
    hops: list[tuple[int, str]] = field(default_factory=list)
    error: str | None = None  # "dns", "timeout", "connection", "bad-redirect"
    reason: str = ""
    retry_after: float | None = None


def collect(cat: Catalogue) -> list[Target]:
    """Every external URL of the site: resource links, DOI and arXiv links, source links."""
    places: dict[str, list[str]] = {}
    for r in cat.resources:
        for what, url in (("url", r.url), ("doi", r.doi_url), ("arxiv", r.arxiv_url)):
            if url:
                places.setdefault(url, []).append(f"{r.id} ({what})")
    for s in cat.sources:
        if s.url:
            places.setdefault(s.url, []).append(f"source {s.id}")
    return [Target(url, tuple(where)) for url, where in sorted(places.items())]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Turn every 3xx into an HTTPError so that each hop goes through the politeness gate."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class Checker:
    """Checks URLs with a bounded pool, per-host politeness, retries and a confirming pass."""

    def __init__(
        self,
        *,
        timeout: float = 15.0,
        workers: int = 8,
        delay: float = 1.0,
        retries: int = 2,
        backoff: float = 2.0,
        recheck_after: float = 30.0,
        max_retry_after: float = 60.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.timeout = timeout
        self.workers = max(1, workers)
        self.delay = delay
        self.retries = max(0, retries)
        self.backoff = backoff
        self.recheck_after = recheck_after
        self.max_retry_after = max_retry_after
        self.sleep = sleep
        self._opener = urllib.request.build_opener(_NoRedirect())
        self._guard = threading.Lock()
        self._host_locks: dict[str, threading.Lock] = {}
        self._last: dict[str, float] = {}

    # -- one request, politely ------------------------------------------------------------
    def _host_lock(self, host: str) -> threading.Lock:
        with self._guard:
            return self._host_locks.setdefault(host, threading.Lock())

    def _request(self, url: str, method: str) -> tuple[int, str | None, float | None]:
        """One request, at most one at a time per host and ``delay`` apart; no redirects."""
        host = (urlsplit(url).hostname or "").lower()
        with self._host_lock(host):
            wait = self._last.get(host, 0.0) + self.delay - time.monotonic()
            if wait > 0:
                self.sleep(wait)
            request = urllib.request.Request(url, method=method, headers={
                "User-Agent": USER_AGENT, "Accept": "*/*"})
            try:
                with self._opener.open(request, timeout=self.timeout) as response:
                    if method == "GET":
                        response.read(1024)  # enough to know the body starts; do not download it
                    return int(response.status), None, None
            except urllib.error.HTTPError as exc:
                exc.close()
                return exc.code, exc.headers.get("Location"), _retry_after(exc.headers.get("Retry-After"))
            finally:
                self._last[host] = time.monotonic()

    def _follow(self, url: str, method: str) -> _Outcome:
        """Follow redirects by hand; network failures become an ``error`` kind, not exceptions."""
        outcome = _Outcome(final_url=url)
        current = url
        for _ in range(MAX_HOPS + 1):
            try:
                code, location, retry_after = self._request(current, method)
            except urllib.error.URLError as exc:
                reason = exc.reason
                outcome.reason = str(reason)
                if isinstance(reason, socket.gaierror):
                    outcome.error = "dns"
                elif isinstance(reason, TimeoutError):
                    outcome.error = "timeout"
                else:
                    outcome.error = "connection"
                return outcome
            except TimeoutError as exc:
                outcome.error, outcome.reason = "timeout", str(exc) or "timed out"
                return outcome
            except (OSError, ValueError) as exc:  # reset connections, bad status lines, ...
                outcome.error, outcome.reason = "connection", str(exc) or type(exc).__name__
                return outcome
            outcome.code, outcome.final_url, outcome.retry_after = code, current, retry_after
            if code in (301, 302, 303, 307, 308) and location:
                current = urljoin(current, location)
                if urlsplit(current).scheme not in ("http", "https"):
                    outcome.error, outcome.reason = "bad-redirect", f"redirect to {current}"
                    return outcome
                outcome.hops.append((code, current))
                continue
            return outcome
        outcome.error, outcome.reason = "bad-redirect", f"more than {MAX_HOPS} redirects"
        return outcome

    # -- one URL ------------------------------------------------------------------------------
    def check_url(self, url: str) -> Result:
        """HEAD (GET if HEAD is refused or fails), retried with backoff while the answer is
        transient; classify what is left."""
        attempt = 0
        while True:
            outcome = self._follow(url, "HEAD")
            head_refused = outcome.code is not None and outcome.code >= 400 and outcome.code != 429
            if head_refused or outcome.error in ("connection", "bad-redirect"):
                outcome = self._follow(url, "GET")
            result = _classify(url, outcome)
            transient = result.status == "unverified" and (
                outcome.error in ("timeout", "connection")
                or outcome.code == 429 or (outcome.code or 0) >= 500)
            if not transient or attempt >= self.retries:
                if attempt:
                    result.detail += f" (after {attempt + 1} attempts)"
                return result
            pause = self.backoff * (2 ** attempt)
            if outcome.retry_after is not None:
                pause = max(pause, min(outcome.retry_after, self.max_retry_after))
            self.sleep(pause)
            attempt += 1

    # -- the whole catalogue ------------------------------------------------------------------
    def run(self, targets: Iterable[Target]) -> list[Result]:
        """Two passes: everything once, then whatever looked broken again after a pause."""
        targets = list(targets)
        results = self._pass([t.url for t in targets])
        suspects = [url for url, r in results.items() if r.status == "broken"]
        if suspects:
            self.sleep(self.recheck_after)
            again = self._pass(suspects)
            for url in suspects:
                second = again[url]
                second.passes = 2
                if second.status != "broken":
                    second.detail = (f"first pass: {results[url].detail}; second pass: "
                                     f"{second.detail}")
                results[url] = second
        if results and all(r.code is None for r in results.values()):
            # Not one server answered: the checker is offline, which says nothing about the links.
            for r in results.values():
                if r.status == "broken":
                    r.status = "unverified"
                    r.detail += "; no host answered at all, so the checker is probably offline"
        out = []
        for t in targets:
            result = results[t.url]
            result.used_by = t.used_by
            out.append(result)
        return out

    def _pass(self, urls: list[str]) -> dict[str, Result]:
        with ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="links") as pool:
            return dict(zip(urls, pool.map(self.check_url, urls), strict=True))


def _retry_after(value: str | None) -> float | None:
    if value and value.strip().isdigit():
        return float(value.strip())
    return None


def _classify(url: str, outcome: _Outcome) -> Result:
    code = outcome.code
    if outcome.error == "dns":
        return Result(url, "broken", None, f"host name does not resolve ({outcome.reason})")
    if outcome.error == "timeout":
        return Result(url, "unverified", code, "timed out")
    if outcome.error is not None:
        return Result(url, "unverified", code, f"{outcome.error}: {outcome.reason}")
    assert code is not None
    if code in (404, 410):
        where = f" at {outcome.final_url}" if outcome.hops else ""
        return Result(url, "broken", code, f"HTTP {code}{where}")
    if code == 429:
        return Result(url, "unverified", code, "rate limited (HTTP 429)")
    if code >= 500:
        return Result(url, "unverified", code, f"server error (HTTP {code})")
    if code >= 400:
        return Result(url, "unverified", code, f"HTTP {code}: the server refuses the checker")
    if code >= 300:
        return Result(url, "unverified", code, f"HTTP {code} without a usable Location")
    if outcome.hops and outcome.final_url != url:
        chain = " -> ".join(str(c) for c, _ in outcome.hops)
        if (urlsplit(url).hostname or "").lower() in RESOLVERS:
            return Result(url, "ok", code, f"resolves ({chain}) to {outcome.final_url}")
        return Result(url, "redirect", code, f"redirects ({chain}); consider the new URL",
                      new_url=outcome.final_url)
    return Result(url, "ok", code, "")


# -- output ---------------------------------------------------------------------------------
def summary(results: list[Result]) -> dict[str, int]:
    counts = Counter(r.status for r in results)
    return {"checked": len(results), **{s: counts.get(s, 0) for s in STATUSES}}


def to_json(results: list[Result]) -> str:
    return json.dumps({"summary": summary(results),
                       "results": [{**asdict(r), "used_by": list(r.used_by)} for r in results]},
                      indent=2, ensure_ascii=False)


def table(results: list[Result], *, show_ok: bool = False) -> str:
    """A plain-text table of the links that need attention (all with ``show_ok``) and a summary."""
    order = {s: i for i, s in enumerate(reversed(STATUSES))}
    rows = [("STATUS", "CODE", "URL", "USED BY", "NOTE")]
    for r in sorted(results, key=lambda r: (order[r.status], r.url)):
        if r.status == "ok" and not show_ok:
            continue
        note = r.detail + (f" -> {r.new_url}" if r.new_url else "")
        rows.append((r.status, str(r.code or "-"), r.url, ", ".join(r.used_by), note))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = ["  ".join([*(row[i].ljust(widths[i]) for i in range(3)), row[3], row[4]]).rstrip()
             for row in rows] if len(rows) > 1 else []
    counts = summary(results)
    lines.append(f"checked {counts['checked']} URLs: " + ", ".join(
        f"{counts[s]} {s}" for s in STATUSES))
    return "\n".join(lines)
