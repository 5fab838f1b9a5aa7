"""Check + render of several revisions' code, interleaved: the calibration a noisy machine needs.

    python bench/compare.py d3e1ab7                     # that commit, then the work tree: even 10,000, 5 rounds
    python bench/compare.py e1a0003 HEAD --mode clustered --rounds 8
    python bench/compare.py HEAD~3 --count 1000 --rounds 1

On a shared virtual machine the same command's time moves by a third from one hour to the next
(bench/README.md), so a figure taken in an earlier round says little about a change. This runs,
for each revision, ``readingmap check`` then ``readingmap render`` from no build cache, as
bench/run.py's "check + render, cold" does, one revision after the other in every round, so
that a machine that slows down slows every revision alike. Each revision reads the catalogue
its own ``bench/generate.py`` writes (same mode, count and seed): an old revision reads the data
format of its day.

A revision is checked out in a temporary git worktree (removed at the end) and imported from its
``src/``; one whose ``src/readingmap/`` has no ``__init__.py`` (before the package was a regular
one) gets an empty one there. ``.`` is the work tree as it is, and is compared last unless named.
Prints a Markdown table: each round's wall time (the commands' CPU time beside it) and the median.
Read it against the spread within a revision's rounds: three rounds were too few to see a
difference under about 2 s on the machine of bench/README.md.
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import ENV, ROOT, log, run  # noqa: E402

#: The work tree as it is, among the revisions.
WORK_TREE = "."


def git(repo: Path, *args: str) -> str:
    """``git -C repo args``'s output; a failure raises RuntimeError with git's own message."""
    found = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True)
    if found.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)}: {found.stderr.strip()}")
    return found.stdout.strip()


def checkout(rev: str, into: Path, repo: Path = ROOT) -> Path:
    """The code of ``rev`` of ``repo``: the work tree itself for :data:`WORK_TREE`, otherwise a
    detached worktree at ``into`` (see the module's description)."""
    if rev == WORK_TREE:
        return repo
    git(repo, "worktree", "add", "--detach", "--quiet", str(into), rev)
    package = into / "src" / "readingmap"
    if package.is_dir() and not (package / "__init__.py").exists():
        (package / "__init__.py").touch()
    return into


def label(rev: str, repo: Path = ROOT) -> str:
    """``rev`` as the table names it: its short commit id, or "work tree"."""
    if rev == WORK_TREE:
        return "work tree"
    return git(repo, "rev-parse", "--short", "--verify", f"{rev}^{{commit}}")


def env_of(code: Path, work: Path) -> dict[str, str]:
    """The environment that runs ``code``'s package with its build cache in ``work``."""
    return {**ENV, "PYTHONPATH": str(code / "src"), "READINGMAP_CACHE_DIR": str(work / "cache")}


def generate(code: Path, work: Path, *, mode: str, count: int, seed: int) -> None:
    """``work/data``: the catalogue ``code``'s own generator writes."""
    run([sys.executable, str(code / "bench" / "generate.py"), "--mode", mode, "--count", str(count),
         "--seed", str(seed), "--out", str(work / "data")], env=env_of(code, work))


def check_render(code: Path, work: Path) -> tuple[float, float]:
    """Wall and CPU time of ``readingmap check`` then ``readingmap render`` from no build cache."""
    for cold in ("cache", ".cache", "out"):  # (a revision without READINGMAP_CACHE_DIR: .cache)
        shutil.rmtree(work / cold, ignore_errors=True)
    env = env_of(code, work)
    cli = [sys.executable, "-m", "readingmap.cli", "--data", str(work / "data")]
    check = run([*cli, "check"], env=env)
    render = run([*cli, "render", "--out", str(work / "out")], env=env)
    return check[0] + render[0], check[1] + render[1]


def table(title: str, figures: dict[str, list[tuple[float, float]]]) -> str:
    """The Markdown table of ``figures`` (each revision's wall and CPU time, round by round)."""
    rounds = max(len(found) for found in figures.values())
    lines = [f"| {title} | " + " | ".join(f"round {i + 1}" for i in range(rounds)) + " | median |",
             "|---" * (rounds + 2) + "|"]
    for name, found in figures.items():
        cells = [f"{wall:.2f} s (cpu {cpu:.2f} s)" for wall, cpu in found]
        median = statistics.median(wall for wall, _ in found)
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {median:.2f} s |")
    return "\n".join(lines)


def compare(revisions: Sequence[str], tmp: Path, *, mode: str, count: int, seed: int, rounds: int,
            repo: Path = ROOT) -> dict[str, list[tuple[float, float]]]:
    """Each revision's check + render, ``rounds`` times, interleaved, by its :func:`label`."""
    names = [label(rev, repo) for rev in revisions]
    codes: list[Path] = []
    try:
        for i, rev in enumerate(revisions):
            codes.append(checkout(rev, tmp / f"code-{i}", repo))
            log(f"{names[i]}: generating its catalogue ({mode}, {count:,})")
            generate(codes[i], tmp / f"work-{i}", mode=mode, count=count, seed=seed)
        figures: dict[str, list[tuple[float, float]]] = {name: [] for name in names}
        for round_ in range(rounds):
            for i, name in enumerate(names):
                figures[name].append(check_render(codes[i], tmp / f"work-{i}"))
                log(f"round {round_ + 1}, {name}: {figures[name][-1][0]:.2f} s")
        return figures
    finally:
        for i, rev in enumerate(revisions[:len(codes)]):
            if rev != WORK_TREE:
                with contextlib.suppress(RuntimeError):  # (what git could not remove dies with tmp)
                    git(repo, "worktree", "remove", "--force", str(tmp / f"code-{i}"))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("revisions", nargs="+", help="commits to compare ('.': the work tree, added last if not named)")
    parser.add_argument("--mode", choices=("even", "clustered"), default="even",
                        help="the catalogue (bench/generate.py)")
    parser.add_argument("--count", type=int, default=10_000, help="resources (default 10,000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=5,
                        help="rounds (default 5: the same code has differed by 4 s within a round)")
    parser.add_argument("--tmp", type=Path, default=None,
                        help="where to check out and write (default: the system's temporary directory;"
                        " give one in memory to keep the disk out of the figures)")
    args = parser.parse_args(argv)
    revisions = list(dict.fromkeys([*args.revisions, *([] if WORK_TREE in args.revisions else [WORK_TREE])]))
    with tempfile.TemporaryDirectory(dir=args.tmp) as tmp:
        try:
            figures = compare(revisions, Path(tmp), mode=args.mode, count=args.count, seed=args.seed,
                              rounds=args.rounds)
        except RuntimeError as error:  # a revision that cannot be checked out, generated or run
            print(f"compare: {error}", file=sys.stderr)
            return 1
    print(table(f"check + render, {args.mode} {args.count:,}", figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
