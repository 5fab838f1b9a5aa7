"""Fixtures for the browser tests: the real site, built once, served on 127.0.0.1 and driven
by Chromium through Playwright.

The browser is the system Chromium (``READINGMAP_CHROMIUM`` overrides the path). When it is
missing the tests are skipped locally, but fail under CI (``CI`` set): CI must not skip them.
Every page records console errors, uncaught exceptions and every request to a host other than
127.0.0.1/localhost; such requests go to a proxy on 127.0.0.1 that refuses them, so the
tests never touch the network.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from .helpers import Catalogue

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
DEAD_PROXY = "http://127.0.0.1:9"  # the discard port: nothing answers


def _unavailable(message: str) -> None:
    """Fail under CI (the browser tests must run there), skip elsewhere."""
    if os.environ.get("CI"):
        pytest.fail(f"{message} (CI is set, so the browser tests may not be skipped)")
    pytest.skip(message)


# -- the site ------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def site_dir(real_site_builds: Any) -> Path:
    """The real site, built once per test session (strict; tests/conftest.py)."""
    return Path(real_site_builds.cold)


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def serve_directory(directory: Path) -> Iterator[str]:
    """Serve ``directory`` over HTTP on 127.0.0.1 at a free port, in a background thread."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def base_url(site_dir: Path) -> Iterator[str]:
    """The built site, served."""
    with serve_directory(site_dir) as url:
        yield url


@pytest.fixture(scope="session")
def instant_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The test catalogue's site built with the theme's instant navigation on, served: the
    theme navigates instantly only to the pages its sitemap lists at the site's address, so the
    server starts first and the build gets its address as ``site_url``. (The real site does not
    turn instant navigation on: the theme's script fails on the links of the drawn graphs, as it
    sets ``href`` on SVG ``<a>`` elements.)"""
    from sitebuild import REPO, make_project, mkdocs_build

    project = make_project(tmp_path_factory.mktemp("instant"), REPO / "tests" / "fixtures" / "mini")
    (project / "site").mkdir()
    with serve_directory(project / "site") as url:
        config = project / "mkdocs.yml"
        text = config.read_text(encoding="utf-8")
        assert "  features:\n" in text and "\nsite_url: " in text
        text = re.sub(r"\nsite_url: .*\n", f"\nsite_url: {url}/\n", text, count=1)
        config.write_text(text.replace("  features:\n", "  features:\n    - navigation.instant\n", 1),
                          encoding="utf-8")
        done = mkdocs_build(project)
        assert done.returncode == 0, done.stderr
        yield url


@pytest.fixture
def instant_page(browser: Any, instant_site: str) -> Iterator[Any]:
    """A page of :func:`instant_site`, in a context of its own."""
    context = browser.new_context(base_url=instant_site)
    try:
        yield context.new_page()
    finally:
        context.close()


# -- the catalogue, as the site exports it ---------------------------------------------------------
@pytest.fixture(scope="session")
def catalogue(site_dir: Path) -> Catalogue:
    return Catalogue(json.loads((site_dir / "catalogue.json").read_text(encoding="utf-8")))


@pytest.fixture(scope="session")
def refs_bib(site_dir: Path) -> str:
    return (site_dir / "refs.bib").read_text(encoding="utf-8")


# -- the browser ---------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright for Python is not installed (pip install -e '.[test]')")
        raise  # unreachable: _unavailable always raises
    executable = os.environ.get("READINGMAP_CHROMIUM", DEFAULT_CHROMIUM)
    if not Path(executable).is_file():
        _unavailable(f"no Chromium at {executable}: install it or set READINGMAP_CHROMIUM")
    with sync_playwright() as pw:
        try:
            # Everything but 127.0.0.1/localhost goes to a proxy that refuses connections, so
            # a stray remote request fails on the machine instead of reaching the network.
            chromium = pw.chromium.launch(
                executable_path=executable, args=CHROMIUM_ARGS,
                proxy={"server": DEAD_PROXY, "bypass": ",".join(sorted(LOCAL_HOSTS))})
        except PlaywrightError as exc:
            _unavailable(f"Chromium at {executable} does not start: {exc}")
            raise  # unreachable
        try:
            yield chromium
        finally:
            chromium.close()


@dataclass
class PageLog:
    """What a page did that it should not: console errors, uncaught errors, remote requests."""

    console_errors: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)

    def problems(self) -> str:
        lines = [f"console error: {m}" for m in self.console_errors]
        lines += [f"request to a non-local host: {u}" for u in self.external_requests]
        return "\n".join(lines)


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about"):
        return True
    return (parts.hostname or "") in LOCAL_HOSTS


@pytest.fixture
def context(browser: Any, base_url: str) -> Iterator[Any]:
    ctx = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 900})
    ctx.set_default_timeout(10_000)
    try:
        yield ctx
    finally:
        ctx.close()


@pytest.fixture
def page_log() -> PageLog:
    return PageLog()


def watch(context: Any, log: PageLog) -> None:
    """Record console errors, uncaught exceptions and remote requests of every page (and
    worker) of ``context`` into ``log``."""
    context.on("console", lambda m: log.console_errors.append(
        f"{m.text} ({m.page.url if m.page else 'worker'})") if m.type == "error" else None)
    context.on("weberror", lambda e: log.console_errors.append(
        f"uncaught: {e.error} ({e.page.url if e.page else 'worker'})"))
    context.on("request", lambda r: None if _is_local(r.url) else log.external_requests.append(r.url))


@contextlib.contextmanager
def watched_page(browser: Any, **options: Any) -> Iterator[Any]:
    """A page in a new context of ``browser`` (``options`` as for ``new_context``); the test
    fails if any page of the context logged a console error or made a remote request."""
    context = browser.new_context(**options)
    log = PageLog()
    watch(context, log)
    try:
        yield context.new_page()
    finally:
        context.close()
    assert not log.problems(), log.problems()


@pytest.fixture
def page(context: Any, page_log: PageLog) -> Iterator[Any]:
    """A watched page; the test fails if any page of its context logged a console error or a
    remote request."""
    watch(context, page_log)
    yield context.new_page()
    problems = page_log.problems()
    assert not problems, f"the page misbehaved:\n{problems}"
