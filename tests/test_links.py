"""``readingmap links`` against a local HTTP server: classification, politeness, two passes."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from readingmap.catalogue.load import load_catalogue
from readingmap.cli import main
from readingmap.tools import links as linkcheck

MINI = Path(__file__).parent / "fixtures" / "mini"


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Routes)
        self.hits: Counter[str] = Counter()
        self.active = 0
        self.max_active = 0
        self.lock = threading.Lock()


class _Routes(BaseHTTPRequestHandler):
    server: _Server

    def _answer(self, body: bool) -> None:
        srv = self.server
        self.path = self.path.split("?", 1)[0]
        with srv.lock:
            srv.hits[f"{self.command} {self.path}"] += 1
            hits = sum(n for k, n in srv.hits.items() if k.endswith(" " + self.path))
            srv.active += 1
            srv.max_active = max(srv.max_active, srv.active)
        try:
            time.sleep(0.02)  # long enough for overlapping requests to show up in max_active
            self._route(hits, body)
        finally:
            with srv.lock:
                srv.active -= 1

    def _route(self, hits: int, body: bool) -> None:
        path = self.path
        headers: dict[str, str] = {}
        if path == "/ok":
            code = 200
        elif path == "/moved":
            code, headers = 301, {"Location": "/ok"}
        elif path == "/chain":
            code, headers = 302, {"Location": "/moved"}
        elif path == "/moved-to-missing":
            code, headers = 301, {"Location": "/nowhere"}
        elif path == "/missing":
            code = 404
        elif path == "/gone":
            code = 410
        elif path == "/busy":
            code, headers = 429, {"Retry-After": "0"}
        elif path == "/error":
            code = 503
        elif path == "/no-head":
            code = 405 if self.command == "HEAD" else 200
        elif path == "/flaky":  # 404 on the whole first pass, fine afterwards
            code = 404 if hits <= 2 else 200
        elif path == "/forbidden":
            code = 403
        elif path == "/slow":
            time.sleep(1.5)
            code = 200
        else:
            code = 404
        self.send_response(code)
        for key, value in headers.items():
            self.send_header(key, value)
        payload = b"hello" if body else b""
        self.send_header("Content-Length", str(len(b"hello")))
        self.end_headers()
        if payload:
            with contextlib.suppress(OSError):  # the checker may have given up on a slow answer
                self.wfile.write(payload)

    def do_HEAD(self) -> None:
        self._answer(body=False)

    def do_GET(self) -> None:
        self._answer(body=True)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[_Server]:
    srv = _Server()
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()


def _base(srv: _Server) -> str:
    return f"http://127.0.0.1:{srv.server_address[1]}"


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _checker(**kwargs: float) -> linkcheck.Checker:
    options = {"timeout": 0.5, "workers": 6, "delay": 0.0, "retries": 1, "backoff": 0.01,
               "recheck_after": 0.05, **kwargs}
    return linkcheck.Checker(**options)  # type: ignore[arg-type]


def test_classification_and_two_passes(server: _Server) -> None:
    base = _base(server)
    dead = f"http://127.0.0.1:{_closed_port()}/x"
    paths = ["/ok", "/moved", "/chain", "/moved-to-missing", "/missing", "/gone", "/busy",
             "/error", "/no-head", "/flaky", "/forbidden", "/slow"]
    targets = [linkcheck.Target(base + p, (p,)) for p in paths] + [linkcheck.Target(dead, ("x",))]
    results = {r.url.removeprefix(base): r for r in _checker().run(targets)}
    status = {k: r.status for k, r in results.items()}
    assert status == {
        "/ok": "ok", "/moved": "redirect", "/chain": "redirect", "/moved-to-missing": "broken",
        "/missing": "broken", "/gone": "broken", "/busy": "unverified", "/error": "unverified",
        "/no-head": "ok", "/flaky": "ok", "/forbidden": "unverified", "/slow": "unverified",
        dead: "unverified",
    }
    assert results["/moved"].new_url == base + "/ok"
    assert results["/chain"].new_url == base + "/ok" and "302 -> 301" in results["/chain"].detail
    assert results["/missing"].code == 404 and results["/gone"].code == 410
    assert results["/slow"].detail.startswith("timed out")
    assert results["/busy"].code == 429 and "after 2 attempts" in results["/busy"].detail
    assert results["/flaky"].passes == 2 and "first pass: HTTP 404" in results["/flaky"].detail
    # Broken only after two passes, each HEAD then GET.
    assert results["/missing"].passes == 2
    assert server.hits["HEAD /missing"] == 2 and server.hits["GET /missing"] == 2
    assert results["/ok"].passes == 1 and server.hits["HEAD /ok"] >= 1
    assert server.hits["GET /ok"] == 0  # HEAD sufficed
    assert server.hits["GET /no-head"] == 1  # GET fallback after 405
    assert server.hits["HEAD /busy"] == 2  # retried once, never escalated to GET
    assert results["/ok"].used_by == ("/ok",)


def test_one_request_at_a_time_per_host(server: _Server) -> None:
    base = _base(server)
    targets = [linkcheck.Target(f"{base}/ok?n={i}", ()) for i in range(12)]
    started = time.monotonic()
    results = _checker(workers=8, delay=0.02).run(targets)
    assert all(r.status == "ok" for r in results)
    assert server.max_active == 1
    assert time.monotonic() - started >= 11 * 0.02


def test_dns_failure_is_broken_after_two_passes(monkeypatch: pytest.MonkeyPatch,
                                                server: _Server) -> None:
    calls = []
    real = socket.getaddrinfo

    def fake(host: str, *args: object, **kwargs: object) -> object:
        if host == "no-such-host.invalid":
            calls.append(host)
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    dns = linkcheck.Target("https://no-such-host.invalid/page", ())
    ok = linkcheck.Target(_base(server) + "/ok", ())
    result, fine = _checker().run([dns, ok])
    assert result.status == "broken" and result.passes == 2 and fine.status == "ok"
    assert "does not resolve" in result.detail
    assert len(calls) >= 2
    # With no answer from any host at all, the checker is offline: nothing is called broken.
    [alone] = _checker().run([dns])
    assert alone.status == "unverified" and "offline" in alone.detail


def test_cli_json_and_exit_codes(server: _Server, capsys: pytest.CaptureFixture[str]) -> None:
    base = _base(server)
    common = ["links", "--delay", "0", "--timeout", "1", "--retries", "0", "--recheck-after", "0",
              "--url", base + "/ok", "--url", base + "/moved", "--url", base + "/gone"]
    assert main([*common, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["summary"] == {"checked": 3, "ok": 1, "redirect": 1, "unverified": 0, "broken": 1}
    by_url = {r["url"]: r for r in report["results"]}
    assert by_url[base + "/gone"]["status"] == "broken" and by_url[base + "/gone"]["passes"] == 2
    assert by_url[base + "/moved"]["new_url"] == base + "/ok"
    assert main([*common, "--fail-on-broken"]) == 1
    out = capsys.readouterr().out
    assert "STATUS" in out and "broken" in out and f"-> {base}/ok" in out
    assert "checked 3 URLs: 1 ok, 1 redirect, 0 unverified, 1 broken" in out
    assert main(["links", "--delay", "0", "--url", base + "/ok", "--fail-on-broken"]) == 0


def test_collect_covers_every_external_url() -> None:
    cat = load_catalogue(MINI)
    targets = linkcheck.collect(cat)
    urls = {t.url for t in targets}
    expected = set()
    for r in cat.resources:
        expected |= {u for u in (r.url, r.doi_url, r.arxiv_url) if u}
    expected |= {s.url for s in cat.sources if s.url}
    assert urls == expected
    assert len(urls) == len(targets)  # each URL once, with every place that uses it
    assert any(u.startswith("https://doi.org/") for u in urls)
    assert any(u.startswith("https://arxiv.org/abs/") for u in urls)


def test_doi_resolver_redirects_are_not_suggestions() -> None:
    outcome = linkcheck._Outcome(code=200, final_url="https://publisher.example/article",
                                 hops=[(302, "https://publisher.example/article")])
    result = linkcheck._classify("https://doi.org/10.1000/x", outcome)
    assert result.status == "ok" and result.new_url is None
