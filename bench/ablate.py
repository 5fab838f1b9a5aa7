"""What each mechanism that speeds up ``mkdocs serve`` buys: rebuilds with it switched off.

    python bench/ablate.py                       # the real catalogue, and a clustered 10,000 with --dirty
    python bench/ablate.py --count 2000 --edits 2 --rounds 1

The package keeps several mechanisms only for the rebuilds of ``mkdocs serve`` (README.md,
"Rebuilds redo only what an edit changed"). Each stays only if it pays, so this measures each:
every variant is one serve session in its own process (the builds of ``mkdocs serve``, run in
process as the server runs them, without its HTTP server and file watcher): a first build, then
``--edits`` rebuilds, each after appending a word to one ``why`` of ``data/resources.yaml``. A
variant switches one mechanism off by replacing it from outside the package (nothing in the
package reads a switch):

* ``markdown-cache``: converted Markdown pages taken from the cache (``mkdocs/rendered.py``);
* ``slots``: large raw HTML blocks kept out of the Markdown MkDocs converts (``Site.slots``);
* ``jinja-bytecode``: the theme's compiled templates kept between builds;
* ``yaml-items``: a data file's list items parsed again only where their text changed
  (``yamlstrict.Items``);
* ``record-memo``: an unchanged item's record taken from the build before;
* ``loading``: the last two together;
* the memos of rendering's pure functions (each also does its work once within a build):
  ``fragment-memo`` (fragments, on the data their template receives), ``note-memo`` (notes
  converted to HTML and text), ``citation-memo`` (a work's citation), ``reference-text-memo``
  (its RIS record and CSL-JSON item), ``drawing-memo`` (the home picture, path and results
  drawings), ``page-key-memo`` (a resource page's key in the page cache) and
  ``reference-key-memo`` (a reference's key in the references' store).

``--variants`` picks some of them for both catalogues.

(Two more were measured so and deleted, as they bought nothing: an unchanged item's resource and
an unchanged ``refs.bib``'s references taken from the build before; bench/README.md.)

Each rebuild is reported as wall and CPU time, with timers of the parts the mechanisms act on,
which the machine's noise does not drown (on a shared virtual machine the CPU time of the same
rebuild can move by a third from one minute to the next): loading the catalogue, MkDocs converting
pages (``Page.render``), Jinja parsing and compiling templates, and the cycle collector. The
variants run in ``--rounds`` rounds, one of each per round, so that a machine that slows down
does not slow one variant alone; the table gives each variant's median over all its rebuilds
and its difference from the session with every mechanism on.
"""

from __future__ import annotations

import argparse
import gc
import json
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import ENV, ROOT, copy_project, first_id, log, why_line  # noqa: E402

#: What each variant switches off.
#: The memos each variant switches off, by the kinds of :meth:`readingmap.cache.BuildCaches.memo`
#: (a kind ``fragment`` is every ``fragment:<template>``).
MEMOS = {"record-memo": ("record",), "fragment-memo": ("fragment",), "note-memo": ("rich", "plain"),
         "citation-memo": ("citation",), "reference-text-memo": ("ris-text", "csl-text"),
         "drawing-memo": ("overview", "path-graph", "results-graph"), "page-key-memo": ("resource-page-key",),
         "reference-key-memo": ("reference-key",)}
MECHANISMS = ("markdown-cache", "slots", "jinja-bytecode", "yaml-items", "loading", *MEMOS)
LOADING = ("yaml-items", "record-memo")
#: The plan: the real catalogue's plain rebuilds (the 1.5 s budget), where the page conversion
#: dominates; the clustered catalogue's --dirty rebuilds (the 10 s budget), where loading does.
REAL_VARIANTS = ("", "markdown-cache", "slots", "jinja-bytecode")
LARGE_VARIANTS = ("", "yaml-items", "record-memo", "loading")
#: Each rebuild's figures: wall and CPU time, then the timers (CPU time of loading the catalogue,
#: of MkDocs converting pages and of Jinja parsing and compiling templates; wall time of the
#: cycle collector's passes).
FIGURES = ("wall", "cpu", "load", "render", "templates", "gc")
HEADINGS = ("rebuild, wall", "rebuild, CPU", "loading the catalogue (CPU)", "pages converted (CPU)",
            "templates compiled (CPU)", "cycle collector (wall)")


# -- one variant, in a process of its own ------------------------------------------------------
def replace(owner: Any, name: str, wrap: Callable[[Any], Any]) -> None:
    """Replace ``owner.name`` by ``wrap`` of it (a module's function, a class's method)."""
    setattr(owner, name, wrap(getattr(owner, name)))


def switch_off(mechanism: str) -> None:
    """Replace the package's ``mechanism`` by what a build without it does."""
    import jinja2

    from readingmap import cache
    from readingmap.mkdocs import build, rendered

    def unslotted(init: Callable[..., None]) -> Callable[..., None]:
        def made(self: Any, *args: Any, **kwargs: Any) -> None:
            init(self, *args, **kwargs)
            self.site.pages = {path: self.site.markdown(path) for path in self.site.pages}
            self.site.slots = {}
        return made

    def without_memo(kinds: tuple[str, ...]) -> Callable[[Any], Any]:
        return lambda memo: lambda self, k, key, make: (
            make() if k.partition(":")[0] in kinds else memo(self, k, key, make))

    if mechanism == "loading":
        for each in LOADING:
            switch_off(each)
    elif mechanism == "markdown-cache":
        replace(rendered.MarkdownCache, "before", lambda _: lambda self, markdown, *args: markdown)
    elif mechanism == "slots":
        replace(build.SiteBuild, "__init__", unslotted)
    elif mechanism == "jinja-bytecode":  # a bytecode cache that never has a template
        replace(jinja2.FileSystemBytecodeCache, "load_bytecode", lambda _: lambda self, bucket: None)
        replace(jinja2.FileSystemBytecodeCache, "dump_bytecode", lambda _: lambda self, bucket: None)
    elif mechanism == "yaml-items":
        replace(cache.BuildCaches, "held", lambda held: lambda self, kind, make: (
            None if kind.startswith("yaml-items:") else held(self, kind, make)))
    elif mechanism in MEMOS:
        replace(cache.BuildCaches, "memo", without_memo(MEMOS[mechanism]))
    else:
        raise SystemExit(f"unknown mechanism {mechanism!r}: one of {', '.join(MECHANISMS)}")


def timed(owner: Any, name: str, timers: dict[str, float], timer: str) -> None:
    """Add the CPU time of every call of ``owner.name`` to ``timers[timer]``."""
    def wrap(method: Callable[..., Any]) -> Callable[..., Any]:
        def timing(*args: Any, **kwargs: Any) -> Any:
            start = time.process_time()
            try:
                return method(*args, **kwargs)
            finally:
                timers[timer] += time.process_time() - start
        return timing

    replace(owner, name, wrap)


def edit(path: Path, rid: str, n: int) -> None:
    """Append a word to the first line of the ``why`` of resource ``rid``."""
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[why_line(lines, rid) + 1] += f" edit{n}"
    path.write_text("\n".join(lines), encoding="utf-8")


def session(project: Path, edits: int, dirty: bool, without: str) -> dict[str, Any]:
    """One serve session of ``project`` with ``without`` switched off: each rebuild's figures."""
    import jinja2
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.structure.pages import Page

    from readingmap.mkdocs import build as site_build

    timers = dict.fromkeys(FIGURES[2:], 0.0)
    if without:
        switch_off(without)
    timed(site_build, "load_catalogue", timers, "load")
    timed(Page, "render", timers, "render")
    timed(jinja2.Environment, "_parse", timers, "templates")
    timed(jinja2.Environment, "_compile", timers, "templates")
    collecting: list[float] = []

    def collector(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            collecting.append(time.perf_counter())
        elif collecting:
            timers["gc"] += time.perf_counter() - collecting.pop()

    gc.callbacks.append(collector)
    url = "http://127.0.0.1:8000/"

    def config() -> Any:
        found = load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(project / "_site"))
        found.site_url = url
        return found

    first = config()
    first.plugins.on_startup(command="serve", dirty=dirty)
    build(first, serve_url=url, dirty=dirty)
    rid = first_id(project / "data")
    out: dict[str, list[float]] = {figure: [] for figure in FIGURES}
    for n in range(edits):
        edit(project / "data" / "resources.yaml", rid, n)
        timers.update(dict.fromkeys(timers, 0.0))
        wall, cpu = time.perf_counter(), time.process_time()
        build(config(), serve_url=url, dirty=dirty)
        out["wall"].append(time.perf_counter() - wall)
        out["cpu"].append(time.process_time() - cpu)
        for figure, value in timers.items():
            out[figure].append(value)
    first.plugins.on_shutdown()
    gc.callbacks.remove(collector)
    return out


# -- the plan ------------------------------------------------------------------------------------
def variant(project: Path, data: Path, edits: int, dirty: bool, without: str) -> dict[str, Any]:
    """Run one session in a fresh copy of the project (its build cache kept between variants)."""
    shutil.rmtree(project / "data", ignore_errors=True)  # (the edits of the last variant)
    copy_project(project, data)
    cmd = [sys.executable, str(Path(__file__)), "--child", str(project), "--edits", str(edits),
           "--without", without, *(["--dirty"] if dirty else [])]
    done = subprocess.run(cmd, env=ENV, capture_output=True, text=True, timeout=3600)
    if done.returncode != 0:
        raise RuntimeError(f"session without {without or 'nothing'} failed:\n{done.stderr[-3000:]}")
    found: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


def measure(name: str, project: Path, data: Path, variants: tuple[str, ...], *, edits: int, rounds: int,
            dirty: bool) -> dict[str, dict[str, list[float]]]:
    figures: dict[str, dict[str, list[float]]] = {v: {} for v in variants}
    for r in range(rounds):
        for v in variants:
            log(f"{name}, round {r + 1}/{rounds}: without {v or 'nothing'}")
            for key, values in variant(project, data, edits, dirty, v).items():
                figures[v].setdefault(key, []).extend(values)
    return figures


def table(title: str, figures: dict[str, dict[str, list[float]]]) -> str:
    base = {key: statistics.median(values) for key, values in figures[""].items()}
    rows = [f"### {title}", "", "| without | " + " | ".join(HEADINGS) + " | rebuilds |",
            "|---" * (len(HEADINGS) + 2) + "|"]
    for v, found in figures.items():
        cells = []
        for key in FIGURES:
            median = statistics.median(found[key])
            cells.append(f"{median:.2f} s" if not v else f"{median:.2f} s ({median - base[key]:+.2f})")
        rows.append(f"| {v or '(every mechanism on)'} | " + " | ".join(cells) + f" | {len(found['wall'])} |")
    return "\n".join(rows) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10_000, help="resources of the clustered catalogue")
    parser.add_argument("--edits", type=int, default=3, help="rebuilds per session")
    parser.add_argument("--rounds", type=int, default=2, help="sessions per variant")
    parser.add_argument("--out", type=Path, default=HERE / "out" / "ablate")
    parser.add_argument("--variants", type=lambda s: tuple(s.split(",")),
                        help="the mechanisms to switch off, comma-separated, for both catalogues"
                             f" (default: a plan for each; any of {', '.join(MECHANISMS)})")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--without", default="", help=argparse.SUPPRESS)
    parser.add_argument("--dirty", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child is not None:
        print(json.dumps(session(args.child, args.edits, args.dirty, args.without)))
        return 0
    args.out.mkdir(parents=True, exist_ok=True)
    data = args.out / f"clustered-{args.count}"
    if not (data / "resources.yaml").exists():  # (a generation that failed leaves part of it)
        log(f"generating a clustered catalogue of {args.count}")
        if subprocess.run([sys.executable, str(HERE / "generate.py"), "--mode", "clustered", "--count",
                           str(args.count), "--out", str(data)], env=ENV).returncode != 0:
            return 2  # (generate.py said why)
    plans: list[tuple[str, Path, Path, tuple[str, ...], bool]] = [
        ("real catalogue, mkdocs serve", args.out / "real", ROOT / "data", REAL_VARIANTS, False),
        (f"clustered {args.count:,}, mkdocs serve --dirty", args.out / f"large-{args.count}", data, LARGE_VARIANTS,
         True),
    ]
    for unknown in set(args.variants or ()) - set(MECHANISMS):
        parser.error(f"unknown mechanism {unknown!r}: one of {', '.join(MECHANISMS)}")
    report = []
    for title, project, source, variants, dirty in plans:
        variants = ("", *args.variants) if args.variants else variants
        report.append(table(title, measure(title, project, source, variants, edits=args.edits, rounds=args.rounds,
                                           dirty=dirty)))
    print("\n".join(report))
    (args.out / "results.md").write_text("\n".join(report), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
