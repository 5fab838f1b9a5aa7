"""``readingmap new``: recorded arXiv and Crossref answers served locally, never the network."""

from __future__ import annotations

import re
import shutil
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from readingmap.catalogue.load import load_catalogue
from readingmap.cli import ask, main
from readingmap.problems import CatalogueError
from readingmap.tools import entries, metadata

HERE = Path(__file__).parent
RECORDED = HERE / "recorded"
MINI = HERE / "fixtures" / "mini"
DATA = HERE.parent / "data"


class _Recorded(BaseHTTPRequestHandler):
    """Serves the recorded bodies as arXiv (``/api/query``) and Crossref (``/works/<doi>``)."""

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        status, body, ctype = 404, (RECORDED / "crossref-404.txt").read_bytes(), "text/plain"
        if parts.path == "/api/query":
            ident = parse_qs(parts.query).get("id_list", [""])[0]
            name = {"1902.06720": "arxiv-1902.06720.xml", "1234.5678": "arxiv-error.xml"}.get(
                ident, "arxiv-empty.xml")
            status, body, ctype = 200, (RECORDED / name).read_bytes(), "application/atom+xml"
        elif parts.path == "/works/10.1073/pnas.1806579115":
            status, ctype = 200, "application/json"
            body = (RECORDED / "crossref-10.1073_pnas.1806579115.json").read_bytes()
        elif parts.path == "/works/10.5555/garbage":
            status, body, ctype = 200, b"<html>not json</html>", "text/html"
        elif parts.path == "/works/10.5555/server-error":
            status, body, ctype = 503, b"busy", "text/plain"
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:  # keep the test output quiet
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Recorded)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def apis(server: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv(metadata.ARXIV_API_ENV, f"{server}/api/query")
    monkeypatch.setenv(metadata.CROSSREF_API_ENV, f"{server}/works")
    return server


@pytest.fixture
def data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(MINI, target)
    return target


def _problems(data: Path) -> list[str]:
    try:
        load_catalogue(data)
    except CatalogueError as exc:
        return [p.message for p in exc.problems]
    return []


def _snapshot(data: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(data.iterdir())}


def test_arxiv_entry_passes_check_except_for_the_todo_fields(
    apis: str, data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _problems(data) == []
    assert main(["--data", str(data), "new", "--arxiv", "arXiv:1902.06720"]) == 0
    out = capsys.readouterr().out
    assert "added 'lee2019wide'" in out
    bib = (data / "refs.bib").read_text(encoding="utf-8")
    assert "@misc{lee2019wide," in bib
    assert "Lee, Jaehoon and Xiao, Lechao and Schoenholz, Samuel S." in bib
    assert "Wide Neural Networks of Any Depth Evolve as Linear Models Under Gradient Descent" in bib
    assert "eprint        = {1902.06720}" in bib
    assert "doi           = {10.1088/1742-5468/abc62b}" in bib
    assert re.search(r"- id: lee2019wide\n  added: \d{4}-\d{2}-\d{2}\n  kind: paper", (data / "resources.yaml").read_text("utf-8"))
    problems = _problems(data)
    assert all(m.startswith("still to fill: ") for m in problems), problems
    assert sorted(m.split(" (now")[0] for m in problems) == sorted([
        "still to fill: 'level' of resource 'lee2019wide'",
        "still to fill: 'source' of an entry of 'recommended_in' of resource 'lee2019wide'",
        "still to fill: 'why' of resource 'lee2019wide'",
        "still to fill: an entry of 'prerequisites' of resource 'lee2019wide'",
        "still to fill: an entry of 'topics' of resource 'lee2019wide'",
        "still to fill: 'checked' of resource 'lee2019wide'",
    ])
    # The command printed the same to-dos, each with its file and line.
    assert "resources.yaml:" in out and out.count("still to fill") == 6


def test_check_command_lists_the_todos_with_file_and_line(
    apis: str, data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["--data", str(data), "new", "--arxiv", "1902.06720"])
    capsys.readouterr()
    assert main(["--data", str(data), "check"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 6
    yaml_lines = (data / "resources.yaml").read_text("utf-8").splitlines()
    for line in lines:
        path, number, _col, message = line.split(":", 3)
        assert path.endswith("resources.yaml") and "still to fill" in message
        assert "TODO" in yaml_lines[int(number) - 1]


def test_filling_in_the_stub_gives_a_clean_catalogue(apis: str, data: Path) -> None:
    main(["--data", str(data), "new", "--arxiv", "1902.06720"])
    path = data / "resources.yaml"
    text = path.read_text("utf-8")
    text = (text.replace("topics: [TODO]", "topics: [expressivity]")
            .replace("prerequisites: [TODO]", "prerequisites: [linear-algebra]")
            .replace("level: TODO", "level: advanced")
            .replace("source: TODO", "source: editorial")
            .replace('why: "TODO: ', 'why: "Done: ')
            .replace("checked: TODO", 'checked: "2026-12-06"'))
    path.write_text(text, "utf-8")
    assert _problems(data) == []


def test_crossref_entry(apis: str, data: Path) -> None:
    assert main(["--data", str(data), "new", "--doi", "https://doi.org/10.1073/pnas.1806579115"]) == 0
    bib = (data / "refs.bib").read_text("utf-8")
    assert "@article{mei2018mean," in bib
    assert "journal = {Proceedings of the National Academy of Sciences}" in bib
    assert "pages   = {E7665--E7671}" in bib
    assert "Mei, Song and Montanari, Andrea and Nguyen, Phan-Minh" in bib
    assert all(m.startswith("still to fill") for m in _problems(data))


def test_refuses_a_work_already_in_the_catalogue(apis: str, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    before = _snapshot(data)
    with pytest.raises(metadata.NewEntryError, match="already in the catalogue as 'berner2021modern'"):
        entries.add_entry(data, metadata.Metadata("misc", "The Modern Mathematics of Deep Learning",
                                                   "2021", ["Berner, Julius"],
                                                   fields={"eprint": "2105.04026v2",
                                                           "archiveprefix": "arXiv"}))
    assert _snapshot(data) == before


def test_refuses_twice_and_refuses_a_taken_id(
    apis: str, data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--data", str(data), "new", "--arxiv", "1902.06720"]) == 0
    after_first = _snapshot(data)
    assert main(["--data", str(data), "new", "--arxiv", "1902.06720"]) == 2
    assert "already in the catalogue as 'lee2019wide'" in capsys.readouterr().err
    assert main(["--data", str(data), "new", "--title", "Another", "--author", "A. Person",
                 "--year", "2020", "--id", "goodfellow2016deep"]) == 2
    assert "'goodfellow2016deep' is already used" in capsys.readouterr().err
    assert _snapshot(data) == after_first


def test_generated_key_is_made_unique(data: Path) -> None:
    meta = metadata.from_fields("Deep Learning", ["Ian Goodfellow"], "2016", kind="book")
    added = entries.add_entry(data, meta)
    assert added.key == "goodfellow2016deepb"
    assert entries.make_key(metadata.from_fields("The Élan of Überläufer", ["Jürgen Größ"], "2020"),
                             set()) == "gross2020elan"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--arxiv", "2105.99999"], "arXiv has no e-print with id '2105.99999'"),
        (["--arxiv", "1234.5678"], "arXiv refused the id '1234.5678'"),
        (["--arxiv", "not-an-id"], "is not an arXiv identifier"),
        (["--doi", "10.5555/missing"], "Crossref does not know the DOI '10.5555/missing'"),
        (["--doi", "10.5555/garbage"], "not the expected JSON"),
        (["--doi", "10.5555/server-error"], "answered HTTP 503"),
        (["--doi", "doi.org/whatever"], "not a DOI"),
        (["--title", "Only a title"], "give --author, --year"),
        (["--arxiv", "1902.06720", "--doi", "10.1073/pnas.1806579115"], "not both"),
    ],
)
def test_clear_errors_and_nothing_written(
    apis: str, data: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    before = _snapshot(data)
    assert main(["--data", str(data), "new", *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("readingmap new: ") and message in err, err
    assert "Traceback" not in err
    assert _snapshot(data) == before


def test_network_failure_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, data: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv(metadata.ARXIV_API_ENV, f"http://127.0.0.1:{port}/api/query")
    assert main(["--data", str(data), "new", "--arxiv", "1902.06720", "--timeout", "2"]) == 2
    err = capsys.readouterr().err
    assert "could not reach" in err and "Check your network connection" in err


def test_injected_fetcher_and_malformed_xml() -> None:
    seen: list[str] = []

    def fetch(url: str) -> bytes:
        seen.append(url)
        return (RECORDED / "arxiv-1902.06720.xml").read_bytes()

    meta = metadata.from_arxiv("1902.06720", fetch=fetch, base="https://example.org/q")
    assert seen == ["https://example.org/q?id_list=1902.06720&max_results=1"]
    assert (meta.year, meta.kind, meta.fields["primaryclass"]) == ("2019", "paper", "stat.ML")
    with pytest.raises(metadata.NewEntryError, match="not Atom XML"):
        metadata.from_arxiv("1902.06720", fetch=lambda url: b"<feed")


def test_fields_from_options_and_dry_run(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = _snapshot(data)
    assert main(["--data", str(data), "new", "--title", "Lecture notes on {$L^2$} theory",
                 "--author", "Ada Lovelace", "--author", "Alan Turing", "--year", "2021",
                 "--url", "https://example.org/notes", "--kind", "lecture-notes",
                 "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "@misc{lovelace2021lecture," in out
    assert "howpublished = {Lecture notes}" in out
    assert "kind: lecture-notes" in out
    assert _snapshot(data) == before


def test_interactive_prompts(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    answers = iter(["A Short Course", "Grace Hopper", "", "2019", "", "course"])
    result = ask(lambda prompt: next(answers), {"title": None, "authors": [],
                                                        "year": None, "url": None, "kind": None})
    assert result == {"title": "A Short Course", "authors": ["Grace Hopper"], "year": "2019",
                      "url": None, "kind": "course"}


def test_refuses_a_duplicate_written_on_one_line(tmp_path: Path) -> None:
    """An entry written on one line, with its fields in any case, is seen like any other."""
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    with (data / "refs.bib").open("a", encoding="utf-8") as bib:
        bib.write("\n@article{x2020one, Author = {One, A.}, title = {One line}, journal = {J}, year = {2020},"
                  " DOI = {10.5555/dup}, eprint = \"2001.00001\", archiveprefix = {arXiv}}\n")
    before = _snapshot(data)
    for field_name, value in (("doi", "10.5555/DUP"), ("eprint", "2001.00001v3")):
        with pytest.raises(metadata.NewEntryError, match="already in the catalogue as 'x2020one'"):
            entries.add_entry(data, metadata.Metadata("article", "One line again", "2020", ["One, A."],
                                                       fields={field_name: value, "journal": "J"}))
    assert _snapshot(data) == before


def test_an_unparsable_catalogue_file_is_a_clear_error(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    (data / "resources.yaml").write_text("- id: [unclosed\n", encoding="utf-8")
    with pytest.raises(metadata.NewEntryError, match=r"resources.yaml cannot be read, so no duplicate could be"
                       r" ruled out; fix it first \(readingmap check\):\n.*resources.yaml:2:1: YAML syntax error"):
        entries.add_entry(data, metadata.Metadata("misc", "A title", "2020", ["One, A."]))


def _quick_start_outputs() -> dict[str, str]:
    """The outputs CONTRIBUTING.md's quick start shows, by the command its marker names."""
    text = (HERE.parent / "CONTRIBUTING.md").read_text(encoding="utf-8")
    found = re.findall(r"<!-- output: (.+?) -->\n\s*```text\n(.*?)\n\s*```", text, re.S)
    return {command: "\n".join(line[4:] for line in block.splitlines()) for command, block in found}


def test_contributing_quick_start_shows_what_the_commands_print(
    apis: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The quick start's outputs are those of the real commands on the test catalogue: draft the
    entry, fill its stub with a misspelt topic, check, correct it, check again."""
    shown = _quick_start_outputs()
    assert set(shown) == {"readingmap new --arxiv 1902.06720", "readingmap check (a misspelt topic)",
                          "readingmap check"}
    shutil.copytree(MINI, tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    assert main(["new", "--arxiv", "1902.06720"]) == 0
    assert capsys.readouterr().out.rstrip("\n") == shown["readingmap new --arxiv 1902.06720"]
    path = tmp_path / "data" / "resources.yaml"
    filled = (path.read_text("utf-8").replace("topics: [TODO]", "topics: [expresivity]")
              .replace("prerequisites: [TODO]", "prerequisites: [approximation-theory]")
              .replace("level: TODO", "level: advanced").replace("source: TODO", "source: editorial")
              .replace('why: "TODO: one to three sentences: what it covers, how rigorous it is, whom it suits"',
                       'why: "Wide networks trained by gradient descent follow their linearisation."')
              .replace("checked: TODO", "checked: 2026-12-06"))
    path.write_text(filled, "utf-8")
    assert main(["check", "--no-cache"]) == 1
    assert capsys.readouterr().out.rstrip("\n") == shown["readingmap check (a misspelt topic)"]
    path.write_text(filled.replace("[expresivity]", "[expressivity]"), "utf-8")
    assert main(["check", "--no-cache"]) == 0
    assert capsys.readouterr().out.rstrip("\n") == shown["readingmap check"]
