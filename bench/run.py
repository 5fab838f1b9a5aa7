"""Performance benchmark of the reading map: one run, one table.

    python bench/run.py            # full run: N = 1,000 and 10,000 (tens of minutes)
    python bench/run.py --quick    # N = 200 only, every step, under a minute (CI)

Measures, per catalogue size N (synthetic, from bench/generate.py):

1. the package's own work: ``load_catalogue`` and ``site.build`` in process, and the wall time of
   ``readingmap check`` and ``readingmap render`` as commands;
2. ``mkdocs build`` of the whole site (hooks and all) in a temporary project;
3. the baseline: plain ``mkdocs build`` (same theme and extensions, no hooks) of the pages that
   ``readingmap render`` wrote, and the ratio full / baseline;
4. output sizes: site, largest page, home, topic, maths, path, resource and bibliography pages,
   search index;
5. the bibliography page in headless Chromium at the largest N: time to interactive and the
   median time from a keystroke in the filter to the updated count;
6. ``mkdocs serve``: rebuild after a one-line edit of the real catalogue.

Figures over budget are marked in the table; a full run also prints one 'OVER BUDGET' line per
figure. The exit status is non-zero only if the benchmark itself fails.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from generate import generate  # noqa: E402

PROJECT_FILES = ("mkdocs.yml", "hooks", "overrides", "docs", "CONTRIBUTING.md")
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1"}
KB = 1024
MB = 1024 * 1024


# -- helpers -------------------------------------------------------------------------------------
def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(cmd: list[str], cwd: Path | None = None, timeout: float = 3600) -> tuple[float, float]:
    """Run a command, fail loudly if it fails; return its wall and CPU time in seconds.

    The CPU time (user + system of the command) is what to compare on a shared machine: wall time
    also counts the time the command waited for a core.
    """
    cpu0, start = _child_cpu(), time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=ENV, capture_output=True, text=True, timeout=timeout)
    elapsed, cpu = time.perf_counter() - start, _child_cpu() - cpu0
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return elapsed, cpu


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def copy_project(dest: Path, data: Path) -> None:
    """A temporary copy of the site project with ``data`` as its catalogue."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, dirs_exist_ok=True)
        else:
            shutil.copy2(src, dest / name)
    shutil.copytree(data, dest / "data", dirs_exist_ok=True)
    # mkdocs.yml watches paths that must exist; the package itself is imported from the install.
    for watched in (yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8")) or {}).get("watch", []):
        if not (dest / watched).exists():
            (dest / watched).mkdir(parents=True)


def baseline_config(full_config: Path, docs_dir: Path, dest: Path) -> Path:
    """mkdocs.yml for the plain build: same theme, nav, extensions, CSS and JS; no hooks."""
    config = yaml.safe_load(full_config.read_text(encoding="utf-8"))
    config.pop("hooks", None)
    config.pop("watch", None)
    config["docs_dir"] = str(docs_dir)
    theme = config.get("theme", {})
    if isinstance(theme, dict) and theme.get("custom_dir"):
        theme["custom_dir"] = str(full_config.parent / theme["custom_dir"])
    dest.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return dest


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def first_id(data: Path) -> str:
    match = re.search(r"^- id: (\S+)", (data / "resources.yaml").read_text(encoding="utf-8"), re.M)
    assert match, "no resource in resources.yaml"
    return match.group(1)


def node_ids(data: Path, name: str) -> list[str]:
    return [n["id"] for n in yaml.safe_load((data / name).read_text(encoding="utf-8"))]


# -- (1) package work ------------------------------------------------------------------------------
INPROC = """
import json, sys, time
t0 = time.perf_counter()
from readingmap.catalogue.load import load_catalogue
from readingmap.render import site
t1, c1 = time.perf_counter(), time.process_time()
cat = load_catalogue(sys.argv[1])
t2, c2 = time.perf_counter(), time.process_time()
built = site.build(cat)
t3, c3 = time.perf_counter(), time.process_time()
print(json.dumps({"import": t1 - t0, "load": t2 - t1, "build": t3 - t2, "pages": len(built.pages),
                  "load_cpu": c2 - c1, "build_cpu": c3 - c2}))
"""


def package_work(data: Path, rendered: Path) -> dict[str, float]:
    proc = subprocess.run([sys.executable, "-c", INPROC, str(data)], env=ENV, capture_output=True,
                          text=True, check=True)
    out = json.loads(proc.stdout)
    cli = [sys.executable, "-m", "readingmap.cli", "--data", str(data)]
    out["check_cli"], out["check_cli_cpu"] = run([*cli, "check"])
    shutil.rmtree(rendered, ignore_errors=True)
    repo_url = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8")).get("repo_url")
    extra = ["--repo-url", repo_url] if repo_url else []
    out["render_cli"], out["render_cli_cpu"] = run([*cli, "render", "--out", str(rendered), *extra])
    return out


# -- (2), (3), (4) builds and sizes ----------------------------------------------------------------
def builds(n: int, work: Path, data: Path, rendered: Path) -> dict[str, float]:
    full = work / "full"
    copy_project(full, data)
    out: dict[str, float] = {}
    log(f"N={n}: mkdocs build (full site)")
    mkdocs = [sys.executable, "-m", "mkdocs", "build", "-q"]
    out["full_build"], out["full_build_cpu"] = run([*mkdocs, "-d", "site"], cwd=full)
    # The baseline builds exactly the pages render wrote, plus the two hand-written pages the
    # full build has (About from docs/, Contributing from CONTRIBUTING.md) so the nav matches.
    shutil.copytree(ROOT / "docs", rendered, dirs_exist_ok=True)
    (rendered / "contributing").mkdir(exist_ok=True)
    shutil.copy2(ROOT / "CONTRIBUTING.md", rendered / "contributing" / "index.md")
    base_cfg = baseline_config(full / "mkdocs.yml", rendered, work / "baseline.yml")
    log(f"N={n}: mkdocs build (baseline, no hooks)")
    out["base_build"], out["base_build_cpu"] = run([*mkdocs, "-f", str(base_cfg), "-d", str(work / "baseline-site")],
                                                   cwd=work)
    out["ratio"] = out["full_build"] / out["base_build"]
    out.update(sizes(full / "site", data))
    return out


def sizes(site: Path, data: Path) -> dict[str, float]:
    pages = list(site.rglob("*.html"))
    largest = max(pages, key=lambda p: p.stat().st_size)
    topics = node_ids(data, "topics.yaml")
    maths = node_ids(data, "maths.yaml")
    topic_sizes = {t: (site / "topics" / t / "index.html").stat().st_size for t in topics}
    maths_sizes = {m: (site / "maths" / m / "index.html").stat().st_size for m in maths}
    path_sizes = [(site / "paths" / t / "index.html").stat().st_size for t in topics]
    return {
        "site": dir_size(site),
        "largest_page": largest.stat().st_size,
        "largest_page_name": str(largest.relative_to(site)),  # type: ignore[dict-item]
        "home": (site / "index.html").stat().st_size,
        "topic_max": max(topic_sizes.values()),
        "maths_max": max(maths_sizes.values()),
        "path_max": max(path_sizes),
        "resource": (site / "resources" / first_id(data) / "index.html").stat().st_size,
        "bibliography": (site / "bibliography" / "index.html").stat().st_size,
        # Above the inline limit the page loads its entries from a JSON file in the site root.
        "bibliography_json": sum(p.stat().st_size for p in site.glob("bibliography*.json")),
        "search_index": (site / "search" / "search_index.json").stat().st_size,
    }


# -- (5) bibliography in the browser ---------------------------------------------------------------
PROBE = """(total) => {
  const input = document.getElementById('bib-filter');
  const count = document.getElementById('bib-count');
  if (!input || !count) return null;
  input.value = 'zzqqxx-no-match';
  input.dispatchEvent(new Event('input', {bubbles: true}));
  const none = count.textContent.trim().startsWith('0 of');
  input.value = '';
  input.dispatchEvent(new Event('input', {bubbles: true}));
  const all = count.textContent.trim() === total + ' of ' + total + ' resources';
  return none && all ? performance.now() : null;
}"""

KEYSTROKES = """async (word) => {
  const input = document.getElementById('bib-filter');
  const count = document.getElementById('bib-count');
  const nextFrame = () => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
  const sync = [], painted = [];
  input.value = '';
  input.dispatchEvent(new Event('input', {bubbles: true}));
  await nextFrame();
  for (let i = 0; i < word.length; i++) {
    let seen = null;
    const obs = new MutationObserver(() => { if (seen === null) seen = performance.now(); });
    obs.observe(count, {childList: true, characterData: true, subtree: true});
    input.value = word.slice(0, i + 1);
    const t0 = performance.now();
    input.dispatchEvent(new Event('input', {bubbles: true}));
    const t1 = performance.now();
    await nextFrame();
    const t2 = performance.now();
    obs.disconnect();
    if (seen === null) throw new Error('the count did not change after a keystroke');
    sync.push(t1 - t0);
    painted.push(t2 - t0);
  }
  return {sync, painted, final: count.textContent};
}"""

# 20 keystrokes: a query typed letter by letter (mixed hits and narrowing).
QUERY = "stochastic gradients"


def launch_chromium(pw):  # type: ignore[no-untyped-def]
    try:
        return pw.chromium.launch(headless=True)
    except Exception:
        for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
            exe = shutil.which(name)
            if exe:
                return pw.chromium.launch(headless=True, executable_path=exe)
        raise


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def browser(site: Path, total: int) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/bibliography/"
    try:
        with sync_playwright() as pw:
            chrome = launch_chromium(pw)
            page = chrome.new_page()
            page.goto(url, wait_until="commit", timeout=120_000)
            deadline = time.monotonic() + 120
            tti = None
            while tti is None:
                if time.monotonic() > deadline:
                    raise RuntimeError("the bibliography never became interactive")
                try:
                    tti = page.evaluate(PROBE, total)
                except Exception:  # the document is still being replaced
                    tti = None
                if tti is None:
                    time.sleep(0.02)
            load = page.evaluate("() => { const n = performance.getEntriesByType('navigation')[0];"
                                 " return n ? n.loadEventEnd : 0; }")
            result = page.evaluate(KEYSTROKES, QUERY)
            chrome.close()
    finally:
        server.shutdown()
    return {
        "tti": tti / 1000,
        "load_event": load / 1000,
        "key_median": statistics.median(result["sync"]) / 1000,
        "key_paint_median": statistics.median(result["painted"]) / 1000,
        "keys": len(result["sync"]),
    }


# -- (6) mkdocs serve rebuild ----------------------------------------------------------------------
def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as resp:
            return str(resp.read().decode("utf-8"))
    except (urllib.error.URLError, OSError):
        return None


def serve_rebuild(work: Path, *, dirty: bool = False) -> dict[str, float]:
    """`mkdocs serve` (with ``--dirty``: only changed pages are re-rendered) on the real catalogue:
    the first build, then the time from a one-line edit of a `why` to the served page showing it."""
    name = "serve_dirty" if dirty else "serve"
    project = work / name
    copy_project(project, ROOT / "data")
    data = project / "data"
    rid = first_id(data)
    port = free_port()
    # mkdocs serve serves the site under the path of its site_url
    mount = urlsplit(yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8")).get("site_url") or "/").path
    url = f"http://127.0.0.1:{port}{mount.rstrip('/')}/resources/{rid}/"
    proc = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}", *(["--dirty"] if dirty else [])],
        cwd=project, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    try:
        start = time.perf_counter()
        page = None
        while page is None:
            if proc.poll() is not None:
                raise RuntimeError(f"mkdocs serve exited: {proc.stderr.read() if proc.stderr else ''}")
            if time.perf_counter() - start > 600:
                raise RuntimeError("mkdocs serve did not come up")
            page = fetch(url)
            time.sleep(0.1)
        first = time.perf_counter() - start
        time.sleep(1.0)  # let the watcher settle
        marker = f"benchmarkmarker{int(time.time())}"
        path = data / "resources.yaml"
        lines = path.read_text(encoding="utf-8").split("\n")
        start_line = next(i for i, line in enumerate(lines) if line == f"- id: {rid}")
        why = next(i for i in range(start_line, len(lines)) if lines[i].strip() == "why: >-")
        lines[why + 1] = f"{lines[why + 1]} {marker}"
        edited = time.perf_counter()
        path.write_text("\n".join(lines), encoding="utf-8")
        while True:
            body = fetch(url)
            if body and marker in body:
                break
            if time.perf_counter() - edited > 600:
                raise RuntimeError("the edit never appeared in the served page")
            time.sleep(0.05)
        return {f"{name}_first": first, f"{name}_rebuild": time.perf_counter() - edited}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# -- the table -------------------------------------------------------------------------------------
def fmt_s(v: float) -> str:
    return f"{v * 1000:.0f} ms" if v < 1 else f"{v:.2f} s"


def fmt_b(v: float) -> str:
    return f"{v / MB:.1f} MB" if v >= MB else f"{v / KB:.0f} KB"


def fmt_x(v: float) -> str:
    return f"{v:.2f}x"


Row = tuple[str, list[str], str, bool]


def table(sizes_: list[int], res: dict[int, dict], extra: dict[str, float], quick: bool) -> tuple[str, list[str]]:
    small, big = sizes_[0], sizes_[-1]
    rows: list[Row] = []
    over: list[str] = []

    def per_n(label: str, key: str, fmt: Callable[[float], str], budget: str = "",
              limit: Callable[[int, float], bool] | None = None) -> None:
        cells, bad = [], False
        for n in sizes_:
            v = res[n][key]
            flag = limit is not None and not limit(n, v)
            bad |= flag
            cpu = res[n].get(f"{key}_cpu")
            cells.append(fmt(v) + (f" (cpu {fmt(cpu)})" if cpu is not None else "") + (" !!" if flag else ""))
            if flag:
                over.append(f"{label} at N={n:,}: {fmt(v)} (budget {budget})")
        rows.append((label, cells, budget, bad))

    def single(label: str, value: str, budget: str = "", bad: bool = False) -> None:
        cells = [""] * (len(sizes_) - 1) + [value + (" !!" if bad else "")]
        rows.append((label, cells, budget, bad))
        if bad:
            over.append(f"{label}: {value} (budget {budget})")

    for n in sizes_:
        res[n]["package"] = res[n]["load"] + res[n]["build"]
        res[n]["package_cpu"] = res[n]["load_cpu"] + res[n]["build_cpu"]
        res[n]["ratio_cpu"] = res[n]["full_build_cpu"] / res[n]["base_build_cpu"]
    at_big = (lambda n, v: n < 10_000 or v < 2.0)  # noqa: E731
    per_n("(1) load_catalogue, in process", "load", fmt_s)
    per_n("(1) site.build, in process", "build", fmt_s)
    per_n("(1) package work = load + build", "package", fmt_s, "< 2 s at 10,000", at_big)
    per_n("(1) `readingmap check` wall", "check_cli", fmt_s)
    per_n("(1) `readingmap render` wall", "render_cli", fmt_s)
    if len(sizes_) > 1:
        growth = res[big]["package"] / res[small]["package"]
        growth_cpu = res[big]["package_cpu"] / res[small]["package_cpu"]
        single(f"(1) growth of package work, {small:,} -> {big:,}",
               f"{fmt_x(growth)} (cpu {fmt_x(growth_cpu)})", f"<= {1.1 * big / small:.0f}x",
               growth > 1.1 * big / small)
    per_n("(2) mkdocs build, full site", "full_build", fmt_s, "< 60 s at 10,000",
          lambda n, v: n < 10_000 or v < 60)
    per_n("(3) mkdocs build, baseline (no hooks)", "base_build", fmt_s)
    per_n("(3) ratio full / baseline", "ratio", fmt_x, "<= 1.2x", lambda n, v: v <= 1.2)
    per_n("(4) built site", "site", fmt_b)
    rows.append(("(4) largest page", [f"{fmt_b(res[n]['largest_page'])} {res[n]['largest_page_name']}"
                                      for n in sizes_], "", False))
    grow = (lambda key: (lambda n, v: n == small or v <= res[small][key] * 1.05))  # noqa: E731
    per_n("(4) home page", "home", fmt_b, "no growth with N", grow("home"))
    per_n("(4) largest topic page", "topic_max", fmt_b, "< 150 KB at 10,000",
          lambda n, v: n < 10_000 or v < 150 * KB)
    per_n("(4) largest maths page", "maths_max", fmt_b, "< 150 KB at 10,000",
          lambda n, v: n < 10_000 or v < 150 * KB)
    per_n("(4) largest path page", "path_max", fmt_b, "no growth with N", grow("path_max"))
    per_n("(4) a resource page", "resource", fmt_b, "no growth with N", grow("resource"))
    per_n("(4) bibliography page", "bibliography", fmt_b)
    per_n("(4) bibliography data (JSON, large mode)", "bibliography_json", fmt_b)
    per_n("(4) search/search_index.json", "search_index", fmt_b)
    big10k = big >= 10_000
    single(f"(5) bibliography: time to interactive (N={big:,})", fmt_s(extra["tti"]),
           "< 2 s at 10,000", big10k and extra["tti"] >= 2)
    single("(5) bibliography: load event", fmt_s(extra["load_event"]))
    single(f"(5) keystroke -> count, median of {extra['keys']:.0f}", f"{extra['key_median'] * 1000:.1f} ms",
           "< 50 ms at 10,000", big10k and extra["key_median"] >= 0.05)
    single("(5) keystroke -> next frame, median", f"{extra['key_paint_median'] * 1000:.1f} ms")
    single("(6) mkdocs serve: first build, real catalogue", fmt_s(extra["serve_first"]))
    single("(6) mkdocs serve: rebuild after a one-line edit", fmt_s(extra["serve_rebuild"]), "< 3 s",
           extra["serve_rebuild"] >= 3)
    single("(6) mkdocs serve --dirty: rebuild after the same edit", fmt_s(extra["serve_dirty_rebuild"]),
           "< 3 s", extra["serve_dirty_rebuild"] >= 3)

    head = ["Measurement", *(f"N = {n:,}" for n in sizes_), "Budget"]
    body = [[label, *cells, budget] for label, cells, budget, _ in rows]
    widths = [max(len(r[i]) for r in [head, *body]) for i in range(len(head))]

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    out = [line(head), "|" + "|".join("-" * (w + 2) for w in widths) + "|", *(line(r) for r in body)]
    out.append("")
    note = " Quick mode: sizes are tiny, budgets for N=10,000 do not apply." if quick else ""
    out.append(f"Times are wall clock, (cpu ...) the command's own CPU time. !! = over budget.{note}")
    return "\n".join(out), over


# -- main ------------------------------------------------------------------------------------------
def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="N = 200 only (CI): keeps the benchmark working")
    parser.add_argument("--sizes", type=lambda s: [int(x) for x in s.split(",")],
                        help="comma-separated catalogue sizes (default 1000,10000; 200 with --quick)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=HERE / "out" / "run",
                        help="where generated data and sites go (default bench/out/run)")
    args = parser.parse_args()
    sizes_ = args.sizes or ([200] if args.quick else [1000, 10_000])
    args.out = args.out.resolve()
    shutil.rmtree(args.out, ignore_errors=True)
    args.out.mkdir(parents=True)
    res: dict[int, dict] = {}
    for n in sizes_:
        work = args.out / f"n{n}"
        data = work / "data"
        log(f"N={n}: generating the catalogue")
        generate(n, args.seed, data)
        log(f"N={n}: package work")
        res[n] = package_work(data, work / "rendered")
        log(f"N={n}: {json.dumps(res[n])}")
        res[n].update(builds(n, work, data, work / "rendered"))
        log(f"N={n}: {json.dumps(res[n])}")
    big = sizes_[-1]
    log(f"N={big}: bibliography in headless Chromium")
    extra = browser(args.out / f"n{big}" / "full" / "site", big)
    log(json.dumps(extra))
    log("mkdocs serve rebuild on the real catalogue")
    with tempfile.TemporaryDirectory(dir=args.out) as tmp:
        extra.update(serve_rebuild(Path(tmp)))
        extra.update(serve_rebuild(Path(tmp), dirty=True))
    text, over = table(sizes_, res, extra, args.quick)
    print(text)
    if not args.quick:
        for item in over:
            print(f"OVER BUDGET: {item}")
    (args.out / "results.json").write_text(json.dumps({"sizes": sizes_, "per_n": res, "extra": extra},
                                                      indent=2, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Exception as exc:  # the benchmark itself broke: say so and fail
        print(f"benchmark failed: {exc}", file=sys.stderr)
        raise
