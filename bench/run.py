"""Performance benchmark of the reading map: one run, one table.

    python bench/run.py            # full run: N = 1,000 and 10,000, both catalogues (tens of minutes)
    python bench/run.py --quick    # N = 400 only, every step, a few minutes

Measures, per catalogue (``even`` and ``clustered``, from bench/generate.py) and size N:

1. the package's own work: ``load_catalogue`` and ``site.build`` in process (no build cache), and
   the wall time of ``readingmap check`` and ``readingmap render`` as commands, without a build
   cache at first (cold);
2. ``mkdocs build`` of the whole site (hooks and all) in a temporary project, cold (no build
   cache) and warm (a second build, with the cache the first one wrote);
3. the baseline: plain ``mkdocs build`` (same theme and extensions, no hooks) of the pages that
   ``readingmap render`` wrote, and the ratio full / baseline;
4. output sizes: site, largest page, home, topic, maths, path, resource and bibliography pages,
   search index;
5. the bibliography page in headless Chromium at the largest N of each catalogue: time to
   interactive and the median time from a keystroke in the filter to the updated count;
6. ``mkdocs serve``: rebuild after a one-line edit of the real catalogue, and of the clustered
   catalogue at the largest N (with the build cache of the builds before), each also with
   ``--dirty``; and a session of 30
   one-line edits of the clustered catalogue at the largest N: first, last and median rebuild,
   and the serving process's memory after the first build and after the last rebuild.

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
from typing import Any
from urllib.parse import urlsplit

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from generate import MODES  # noqa: E402

PROJECT_FILES = ("mkdocs.yml", "hooks", "overrides", "docs", "CONTRIBUTING.md")
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1"}
KB = 1024
MB = 1024 * 1024
KINDS = ("even", "clustered")
#: One-line edits in the long `mkdocs serve` session (6): the last rebuild must stay near the first.
SESSION_EDITS = 30
#: Rounds of the disk control (6): enough to show whether the disk slows down under a session's writes.
DISK_ROUNDS = 10
#: The build cache of a project (beside its mkdocs.yml and data/).
CACHE = Path(".cache") / "readingmap"


# -- helpers -------------------------------------------------------------------------------------
def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(cmd: list[str], cwd: Path | None = None, timeout: float = 3600,
        env: dict[str, str] | None = None) -> tuple[float, float]:
    """Run a command (in :data:`ENV`, or ``env``), fail loudly if it fails; return its wall and CPU
    time in seconds.

    The CPU time (user + system of the command) is what to compare on a shared machine: wall time
    also counts the time the command waited for a core.
    """
    cpu0, start = _child_cpu(), time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env or ENV, capture_output=True, text=True, timeout=timeout)
    elapsed, cpu = time.perf_counter() - start, _child_cpu() - cpu0
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return elapsed, cpu


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def file_system(path: Path, mounts: str | None = None) -> str:
    """The type of the file system ``path`` is on ("tmpfs": in memory), from ``mounts`` (the text
    of ``/proc/mounts``, read when not given; Linux), or "unknown". Every file a build writes goes
    there, and on a slow disk writing a 10,000-page site is most of a rebuild (bench/README.md)."""
    if mounts is None:
        try:
            mounts = Path("/proc/mounts").read_text(encoding="utf-8")
        except OSError:
            return "unknown"
    best, kind = "", "unknown"
    target = str(path.resolve())
    for line in mounts.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        point = fields[1].replace("\\040", " ")
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best):
            best, kind = point, fields[2]
    return kind


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
    # cold: the render command's build cache (beside the data directory) does not exist yet
    shutil.rmtree(data.parent / CACHE, ignore_errors=True)
    out["check_cli"], out["check_cli_cpu"] = run([*cli, "check"])
    shutil.rmtree(rendered, ignore_errors=True)
    repo_url = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8")).get("repo_url")
    extra = ["--repo-url", repo_url] if repo_url else []
    out["render_cli"], out["render_cli_cpu"] = run([*cli, "render", "--out", str(rendered), *extra])
    out["check_render"] = out["check_cli"] + out["render_cli"]
    out["check_render_cpu"] = out["check_cli_cpu"] + out["render_cli_cpu"]
    return out


# -- (2), (3), (4) builds and sizes ----------------------------------------------------------------
def builds(n: int, work: Path, data: Path, rendered: Path) -> dict[str, float]:
    full = work / "full"
    copy_project(full, data)
    shutil.rmtree(full / CACHE, ignore_errors=True)
    out: dict[str, float] = {}
    log(f"{work.name}: mkdocs build (full site, cold)")
    mkdocs = [sys.executable, "-m", "mkdocs", "build", "-q"]
    out["full_build"], out["full_build_cpu"] = run([*mkdocs, "-d", "site"], cwd=full)
    log(f"{work.name}: mkdocs build (full site, warm: the cache of the build before)")
    out["warm_build"], out["warm_build_cpu"] = run([*mkdocs, "-d", "site"], cwd=full)
    # The baseline builds exactly the pages render wrote, plus the two hand-written pages the
    # full build has (About from docs/, Contributing from CONTRIBUTING.md) so the nav matches.
    shutil.copytree(ROOT / "docs", rendered, dirs_exist_ok=True)
    (rendered / "contributing").mkdir(exist_ok=True)
    shutil.copy2(ROOT / "CONTRIBUTING.md", rendered / "contributing" / "index.md")
    base_cfg = baseline_config(full / "mkdocs.yml", rendered, work / "baseline.yml")
    log(f"{work.name}: mkdocs build (baseline, no hooks)")
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
    bib_data = [p for p in site.rglob("bibliography*.json") if p.is_file()]
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
        # Above the inline limit the page loads its entries from JSON data files (wherever they are).
        "bibliography_json": sum(p.stat().st_size for p in bib_data),
        "search_index": (site / "search" / "search_index.json").stat().st_size,
        # what a page may load: the bibliography's data files and the search index
        "data_max": max(p.stat().st_size for p in [*bib_data, site / "search" / "search_index.json"]),
        # The results index and the largest result page (the even catalogue has 1,000 results).
        "results_index": (site / "results" / "index.html").stat().st_size,
        "result_max": max((p.stat().st_size for p in (site / "results").glob("*/index.html")), default=0),
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


def serve_rebuild(work: Path, *, dirty: bool = False, project: Path | None = None,
                  name: str | None = None) -> dict[str, float]:
    """`mkdocs serve` (with ``--dirty``: only changed pages are re-rendered) on the real catalogue,
    or in ``project`` (a copy made before, with its build cache): the first build, then the time
    from a one-line edit of a `why` to the served page showing it."""
    name = name or ("serve_dirty" if dirty else "serve")
    found = serve_session(work, edits=1, dirty=dirty, project=project, name=name)
    return {f"{name}_first": found[f"{name}_first"], f"{name}_rebuild": found[f"{name}_rebuild_first"]}


def rss(pid: int) -> float:
    """The resident memory of process ``pid`` in bytes (Linux), or 0 where it cannot be read."""
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="utf-8")
    except OSError:
        return 0.0
    found = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
    return float(found.group(1)) * KB if found else 0.0


def wait_idle(proc: subprocess.Popen[str], log_path: Path, quiet: float = 1.5, timeout: float = 600) -> None:
    """Wait until the server ``proc``, whose log is ``log_path``, has finished its last build and has
    logged nothing for ``quiet`` seconds (at least 0.5 s, as a contributor between two saves)."""
    time.sleep(0.5)
    start = time.perf_counter()
    size, since = -1, time.perf_counter()
    while time.perf_counter() - start < timeout:
        if proc.poll() is not None:
            raise RuntimeError(f"mkdocs serve exited: {log_path.read_text(encoding='utf-8')[-4000:]}")
        text = log_path.read_text(encoding="utf-8")
        if len(text) != size:
            size, since = len(text), time.perf_counter()
        elif time.perf_counter() - since >= quiet and text.rstrip().endswith("Reloading browsers"):
            return
        time.sleep(0.1)
    raise RuntimeError("mkdocs serve did not become idle")


def why_line(lines: list[str], rid: str) -> int:
    """The index, in the lines of ``resources.yaml``, of the ``why: >-`` of resource ``rid``
    (its text is on the next line)."""
    start = lines.index(f"- id: {rid}")
    return next(i for i in range(start, len(lines)) if lines[i].strip() == "why: >-")


def serve_session(work: Path, *, edits: int, dirty: bool = False, project: Path | None = None,
                  name: str = "serve_session") -> dict[str, Any]:
    """One `mkdocs serve` and ``edits`` one-line edits of a `why`, each timed from the edit to the
    served page showing it: the first build, the first and last rebuild (and the median), and the
    serving process's resident memory after the first build and after the last rebuild (a long
    session should stay flat)."""
    if project is None:
        project = work / name
        copy_project(project, ROOT / "data")
    data = project / "data"
    rid = first_id(data)
    port = free_port()
    # mkdocs serve serves the site under the path of its site_url
    mount = urlsplit(yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8")).get("site_url") or "/").path
    url = f"http://127.0.0.1:{port}{mount.rstrip('/')}/resources/{rid}/"
    # Its log goes to a file: a pipe nobody reads fills up after a few rebuilds and stops the server.
    log_path = work / f"{name}.log"
    log_file = log_path.open("w", encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}", *(["--dirty"] if dirty else [])],
        cwd=project, env=ENV, stdout=subprocess.DEVNULL, stderr=log_file, text=True,
    )
    try:
        start = time.perf_counter()
        page = None
        while page is None:
            if proc.poll() is not None:
                raise RuntimeError(f"mkdocs serve exited: {log_path.read_text(encoding='utf-8')[-4000:]}")
            if time.perf_counter() - start > 600:
                raise RuntimeError("mkdocs serve did not come up")
            page = fetch(url)
            time.sleep(0.1)
        first = time.perf_counter() - start
        time.sleep(1.0)  # let the watcher settle
        memory = [rss(proc.pid)]
        path = data / "resources.yaml"
        lines = path.read_text(encoding="utf-8").split("\n")
        why = why_line(lines, rid)
        original = lines[why + 1]
        times = []
        for n in range(edits):
            marker = f"benchmarkmarker{int(time.time())}x{n}"
            lines[why + 1] = f"{original} {marker}"  # one line, the same length each time
            edited = time.perf_counter()
            path.write_text("\n".join(lines), encoding="utf-8")
            while True:
                body = fetch(url)
                if body and marker in body:
                    break
                if time.perf_counter() - edited > 600:
                    raise RuntimeError("the edit never appeared in the served page")
                time.sleep(0.05)
            times.append(time.perf_counter() - edited)
            memory.append(rss(proc.pid))
            # The next edit waits until the server is idle: a save the watcher reports twice
            # queues a second build, and an edit made while it runs waits for it too, which
            # timed two builds as one rebuild (bench/README.md).
            wait_idle(proc, log_path)
        return {f"{name}_first": first, f"{name}_rebuild_first": times[0], f"{name}_rebuild_last": times[-1],
                f"{name}_rebuild_median": statistics.median(times), f"{name}_rss_first": memory[0],
                f"{name}_rss_first_rebuild": memory[1], f"{name}_rss_last": memory[-1],
                f"{name}_edits": float(edits),
                # every rebuild, for results.json: a step and a steady rise look alike in two figures
                f"{name}_series": {"rebuild_s": times, "rss_mb": [round(m / MB, 1) for m in memory]}}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log_file.close()


def disk_control(site: Path, work: Path, rounds: int) -> dict[str, float]:
    """What a plain `mkdocs serve` rebuild asks of the disk, without MkDocs or the package: delete
    the resource pages of the built ``site`` and write them again (a directory and a file each),
    ``rounds`` times in plain Python. The first, last and median round: a rise here is the
    disk's, and a plain serve session rises with it."""
    pages = [(p.relative_to(site), p.read_bytes()) for p in sorted(site.glob("resources/*/index.html"))]
    out = work / "disk-control"
    times = []
    try:
        for _ in range(rounds):
            start = time.perf_counter()
            shutil.rmtree(out, ignore_errors=True)
            for relative, data in pages:
                (out / relative).parent.mkdir(parents=True, exist_ok=True)
                (out / relative).write_bytes(data)
            times.append(time.perf_counter() - start)
    finally:
        shutil.rmtree(out, ignore_errors=True)
    return {"disk_first": times[0], "disk_last": times[-1], "disk_median": statistics.median(times),
            "disk_rounds": float(rounds), "disk_pages": float(len(pages))}


# -- the table -------------------------------------------------------------------------------------
def fmt_s(v: float) -> str:
    return f"{v * 1000:.0f} ms" if v < 1 else f"{v:.2f} s"


def fmt_b(v: float) -> str:
    return f"{v / MB:.1f} MB" if v >= MB else f"{v / KB:.0f} KB"


def fmt_x(v: float) -> str:
    return f"{v:.2f}x"


Row = tuple[str, list[str], str, bool]
Column = tuple[str, int]  # (catalogue, N)


def table(columns: list[Column], res: dict[Column, dict], extra: dict[str, Any],
          quick: bool) -> tuple[str, list[str]]:
    sizes_ = sorted({n for _, n in columns})
    small, big = sizes_[0], sizes_[-1]
    rows: list[Row] = []
    over: list[str] = []

    def per_n(label: str, key: str, fmt: Callable[[float], str], budget: str = "",
              limit: Callable[[Column, float], bool] | None = None) -> None:
        cells, bad = [], False
        for col in columns:
            kind, n = col
            v = res[col][key]
            flag = limit is not None and not limit(col, v)
            bad |= flag
            cpu = res[col].get(f"{key}_cpu")
            cells.append(fmt(v) + (f" (cpu {fmt(cpu)})" if cpu is not None else "") + (" !!" if flag else ""))
            if flag:
                over.append(f"{label}, {kind} N={n:,}: {fmt(v)} (budget {budget})")
        rows.append((label, cells, budget, bad))

    def per_kind(label: str, values: dict[str, tuple[str, bool]], budget: str = "") -> None:
        """One value per catalogue, in the column of its largest N."""
        cells, bad = [], False
        for kind, n in columns:
            if n == big and kind in values:
                value, flag = values[kind]
                cells.append(value + (" !!" if flag else ""))
                bad |= flag
                if flag:
                    over.append(f"{label}, {kind}: {value} (budget {budget})")
            else:
                cells.append("")
        rows.append((label, cells, budget, bad))

    def single(label: str, value: str, budget: str = "", bad: bool = False) -> None:
        cells = [""] * (len(columns) - 1) + [value + (" !!" if bad else "")]
        rows.append((label, cells, budget, bad))
        if bad:
            over.append(f"{label}: {value} (budget {budget})")

    for col in columns:
        r = res[col]
        r["package"] = r["load"] + r["build"]
        r["package_cpu"] = r["load_cpu"] + r["build_cpu"]
        r["ratio_cpu"] = r["full_build_cpu"] / r["base_build_cpu"]
    at_big = (lambda limit: (lambda col, v: col[1] < 10_000 or v <= limit))  # noqa: E731
    # no growth with N: within 5 % of the same catalogue's smallest size
    grow = (lambda key: (lambda col, v: v <= res[(col[0], small)][key] * 1.05))  # noqa: E731
    kinds = list(dict.fromkeys(kind for kind, _ in columns))
    per_n("(1) load_catalogue, in process", "load", fmt_s)
    per_n("(1) site.build, in process, no cache", "build", fmt_s)
    per_n("(1) package work = load + build", "package", fmt_s)
    per_n("(1) `readingmap check` wall", "check_cli", fmt_s)
    per_n("(1) `readingmap render` wall, cold", "render_cli", fmt_s)
    per_n("(1) check + render, cold", "check_render", fmt_s, "<= 20 s at 10,000", at_big(20))
    if len(sizes_) > 1:
        limit = 1.1 * big / small
        for label, key in (("package work", "package"), ("check + render", "check_render"),
                           ("full build, cold", "full_build")):
            values = {}
            for kind in kinds:
                g, g_cpu = res[(kind, big)][key] / res[(kind, small)][key], \
                    res[(kind, big)][f"{key}_cpu"] / res[(kind, small)][f"{key}_cpu"]
                values[kind] = (f"{fmt_x(g)} (cpu {fmt_x(g_cpu)})", g > limit)
            per_kind(f"(1) growth of {label}, {small:,} -> {big:,}", values, f"<= {limit:.0f}x")
    per_n("(2) mkdocs build, full site, cold", "full_build", fmt_s, "<= 45 s at 10,000", at_big(45))
    per_n("(2) mkdocs build, full site, warm", "warm_build", fmt_s, "<= 15 s at 10,000", at_big(15))
    per_n("(3) mkdocs build, baseline (no hooks)", "base_build", fmt_s)
    per_n("(3) ratio full (cold) / baseline", "ratio", fmt_x, "<= 1.2x", lambda col, v: v <= 1.2)
    per_n("(4) built site", "site", fmt_b)
    rows.append(("(4) largest page", [f"{fmt_b(res[c]['largest_page'])} {res[c]['largest_page_name']}"
                                      for c in columns], "", False))
    per_n("(4) home page", "home", fmt_b, "no growth with N", grow("home"))
    per_n("(4) largest topic page", "topic_max", fmt_b, "<= 150 KB at 10,000", at_big(150 * KB))
    per_n("(4) largest maths page", "maths_max", fmt_b, "<= 150 KB at 10,000", at_big(150 * KB))
    per_n("(4) largest path page", "path_max", fmt_b, "no growth with N", grow("path_max"))
    per_n("(4) a resource page", "resource", fmt_b, "no growth with N", grow("resource"))
    per_n("(4) results index", "results_index", fmt_b, "<= 150 KB", lambda col, v: v <= 150 * KB)
    per_n("(4) largest result page", "result_max", fmt_b, "<= 150 KB", lambda col, v: v <= 150 * KB)
    per_n("(4) bibliography page", "bibliography", fmt_b)
    per_n("(4) bibliography data (JSON)", "bibliography_json", fmt_b)
    per_n("(4) search/search_index.json", "search_index", fmt_b)
    per_n("(4) largest page data file", "data_max", fmt_b, "<= 5 MB at 10,000", at_big(5 * MB))
    big10k = big >= 10_000
    if "tti" in extra:
        per_kind(f"(5) bibliography: time to interactive (N={big:,})",
                 {k: (fmt_s(extra[f"{k}_tti"]), big10k and extra[f"{k}_tti"] >= 2) for k in kinds}, "< 2 s at 10,000")
        per_kind("(5) bibliography: load event", {k: (fmt_s(extra[f"{k}_load_event"]), False) for k in kinds})
        per_kind("(5) keystroke -> count, median of 20",
                 {k: (f"{extra[f'{k}_key_median'] * 1000:.1f} ms", big10k and extra[f"{k}_key_median"] >= 0.05)
                  for k in kinds}, "< 50 ms at 10,000")
        per_kind("(5) keystroke -> next frame, median",
                 {k: (f"{extra[f'{k}_key_paint_median'] * 1000:.1f} ms", False) for k in kinds})
    single("(6) mkdocs serve: first build, real catalogue", fmt_s(extra["serve_first"]))
    single("(6) mkdocs serve: rebuild after a one-line edit, real catalogue", fmt_s(extra["serve_rebuild"]),
           "<= 1.5 s", extra["serve_rebuild"] > 1.5)
    single("(6) mkdocs serve --dirty: the same edit, real catalogue", fmt_s(extra["serve_dirty_rebuild"]),
           "<= 1.5 s", extra["serve_dirty_rebuild"] > 1.5)
    if "serve_big_rebuild" in extra:
        single(f"(6) mkdocs serve: first build, clustered N={big:,}, warm cache", fmt_s(extra["serve_big_first"]))
        single(f"(6) mkdocs serve: rebuild after a one-line edit, clustered N={big:,}",
               fmt_s(extra["serve_big_rebuild"]), "<= 10 s at 10,000", big10k and extra["serve_big_rebuild"] > 10)
    if "serve_big_dirty_rebuild" in extra:
        single(f"(6) mkdocs serve --dirty: the same edit, clustered N={big:,}",
               fmt_s(extra["serve_big_dirty_rebuild"]), "<= 10 s at 10,000",
               big10k and extra["serve_big_dirty_rebuild"] > 10)
    for name, command in (("serve_session", "mkdocs serve"), ("serve_dirty_session", "mkdocs serve --dirty")):
        if f"{name}_rebuild_last" not in extra:
            continue
        first, last = extra[f"{name}_rebuild_first"], extra[f"{name}_rebuild_last"]
        edits, where = int(extra[f"{name}_edits"]), f"clustered N={big:,}"
        single(f"(6) {command}, {edits} one-line edits, {where}: first / last / median rebuild",
               f"{fmt_s(first)} / {fmt_s(last)} / {fmt_s(extra[f'{name}_rebuild_median'])}",
               "last within 20 % of first", big10k and last > 1.2 * first)
        grown = extra[f"{name}_rss_last"] - extra[f"{name}_rss_first"]
        single(f"(6) {command}, {edits} one-line edits, {where}: memory after first build / first rebuild"
               " / last rebuild",
               f"{fmt_b(extra[f'{name}_rss_first'])} / {fmt_b(extra[f'{name}_rss_first_rebuild'])}"
               f" / {fmt_b(extra[f'{name}_rss_last'])}",
               "last within 10 % of first build", big10k and grown > 0.1 * extra[f"{name}_rss_first"])
    if "disk_first" in extra:
        single(f"(6) control: {int(extra['disk_pages']):,} resource pages deleted and written again in plain"
               f" Python, {int(extra['disk_rounds'])} rounds: first / last / median",
               f"{fmt_s(extra['disk_first'])} / {fmt_s(extra['disk_last'])} / {fmt_s(extra['disk_median'])}")

    head = ["Measurement", *(f"{kind} {n:,}" for kind, n in columns), "Budget"]
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
    parser.add_argument("--quick", action="store_true", help="N = 400 only: keeps the benchmark working")
    parser.add_argument("--sizes", type=lambda s: [int(x) for x in s.split(",")],
                        help="comma-separated catalogue sizes (default 1000,10000; 400 with --quick)")
    parser.add_argument("--kinds", type=lambda s: s.split(","), default=list(KINDS),
                        help="comma-separated catalogues: even, clustered (default both)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-browser", action="store_true", help="skip the bibliography in Chromium")
    parser.add_argument("--out", type=Path, default=HERE / "out" / "run",
                        help="where generated data and sites go (default bench/out/run)")
    args = parser.parse_args()
    sizes_ = args.sizes or ([400] if args.quick else [1000, 10_000])
    args.out = args.out.resolve()
    shutil.rmtree(args.out, ignore_errors=True)
    args.out.mkdir(parents=True)
    columns: list[Column] = [(kind, n) for kind in args.kinds for n in sizes_]
    res: dict[Column, dict] = {}
    # Where the sites are written: --out (builds, render) and the temporary directory (mkdocs serve
    # builds into one; TMPDIR names it).
    temp_dir = Path(tempfile.gettempdir())
    media = {"out": file_system(args.out), "tmp": file_system(temp_dir)}
    log(f"writing sites under {args.out} ({media['out']}); mkdocs serve's under {temp_dir} ({media['tmp']})")
    for kind, n in columns:
        work = args.out / f"{kind}-{n}"
        data = work / "data"
        log(f"{kind} N={n}: generating the catalogue")
        MODES[kind](n, args.seed, data)
        log(f"{kind} N={n}: package work")
        res[(kind, n)] = package_work(data, work / "rendered")
        log(f"{kind} N={n}: {json.dumps(res[(kind, n)])}")
        res[(kind, n)].update(builds(n, work, data, work / "rendered"))
        log(f"{kind} N={n}: {json.dumps(res[(kind, n)])}")
    big = sizes_[-1]
    extra: dict[str, Any] = {}
    if not args.no_browser:
        for kind in args.kinds:
            log(f"{kind} N={big}: bibliography in headless Chromium")
            found = browser(args.out / f"{kind}-{big}" / "full" / "site", big)
            extra.update({f"{kind}_{k}": v for k, v in found.items()})
            extra.update(found)  # the last catalogue's figures also under the old names
            log(json.dumps(found))
    log("mkdocs serve rebuild on the real catalogue")
    with tempfile.TemporaryDirectory(dir=args.out) as tmp:
        extra.update(serve_rebuild(Path(tmp)))
        extra.update(serve_rebuild(Path(tmp), dirty=True))
    if "clustered" in args.kinds:
        log(f"mkdocs serve rebuild on the clustered catalogue, N={big} (with the cache of its builds)")
        extra.update(serve_rebuild(args.out, project=args.out / f"clustered-{big}" / "full", name="serve_big"))
        log(f"mkdocs serve --dirty rebuild on the clustered catalogue, N={big}")
        extra.update(serve_rebuild(args.out, dirty=True, project=args.out / f"clustered-{big}" / "full",
                                   name="serve_big_dirty"))
        log(f"mkdocs serve session of {SESSION_EDITS} one-line edits on the clustered catalogue, N={big}")
        extra.update(serve_session(args.out, edits=SESSION_EDITS, project=args.out / f"clustered-{big}" / "full"))
        log(f"control: the disk work of a plain serve rebuild, in plain Python, {DISK_ROUNDS} rounds")
        extra.update(disk_control(args.out / f"clustered-{big}" / "full" / "site", args.out, DISK_ROUNDS))
        log(f"mkdocs serve --dirty session of {SESSION_EDITS} one-line edits on the clustered catalogue, N={big}"
            " (the mode CONTRIBUTING.md gives for large catalogues)")
        extra.update(serve_session(args.out, edits=SESSION_EDITS, dirty=True,
                                   project=args.out / f"clustered-{big}" / "full", name="serve_dirty_session"))
    text, over = table(columns, res, extra, args.quick)
    print(text)
    print(f"Sites written on {media['out']}, mkdocs serve's on {media['tmp']}.")
    if not args.quick:
        for item in over:
            print(f"OVER BUDGET: {item}")
    (args.out / "results.json").write_text(json.dumps(
        {"columns": columns, "per_column": {f"{k}-{n}": res[(k, n)] for k, n in columns}, "extra": extra,
         "file_systems": media},
        indent=2, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Exception as exc:  # the benchmark itself broke: say so and fail
        print(f"benchmark failed: {exc}", file=sys.stderr)
        raise
