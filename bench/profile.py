"""Profile the package work or the full MkDocs build on a synthetic catalogue (pyinstrument).

    python bench/profile.py package --count 10000     # load_catalogue + site.build
    python bench/profile.py build --count 1000        # mkdocs build of the whole site
    python bench/profile.py package --count 4000 --mode clustered   # on the clustered catalogue

Writes a text call tree to bench/out/prof/<what>-<count>.txt and prints where it is. Sampling
measures wall time: on a busy machine the shares stay meaningful, the absolute seconds do not.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from pyinstrument import Profiler

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from generate import MODES  # noqa: E402
from run import copy_project  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("what", choices=("package", "build"))
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--mode", choices=tuple(MODES), default="even", help="catalogue shape (bench/generate.py)")
    parser.add_argument("--interval", type=float, default=0.005, help="sampling interval in seconds")
    args = parser.parse_args()
    out = HERE / "out" / "prof"
    name = f"{args.what}-{args.count}" + ("" if args.mode == "even" else f"-{args.mode}")
    work = out / name
    data = work / "data"
    MODES[args.mode](args.count, args.seed, data)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    profiler = Profiler(interval=args.interval)
    cpu = time.process_time()
    if args.what == "package":
        from readingmap.catalogue.load import load_catalogue
        from readingmap.render import site

        profiler.start()
        site.build(load_catalogue(data))
        profiler.stop()
    else:
        from mkdocs.commands.build import build
        from mkdocs.config import load_config

        copy_project(work / "project", data)
        config = load_config(str(work / "project" / "mkdocs.yml"), site_dir=str(work / "site"))
        profiler.start()
        build(config)
        profiler.stop()
    cpu = time.process_time() - cpu
    report = out / f"{name}.txt"
    tree = profiler.output_text(unicode=False, color=False, time="percent_of_total")
    flat = profiler.output_text(unicode=False, color=False, flat=True, time="percent_of_total",
                                show_all=True)
    report.write_text(f"CPU time {cpu:.1f} s\n{tree}\n\nSelf time by function:\n"
                      + "\n".join(flat.splitlines()[:60]) + "\n", encoding="utf-8")
    print(f"CPU {cpu:.1f} s; call tree in {report}")


if __name__ == "__main__":
    main()
