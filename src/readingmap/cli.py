"""``readingmap check | render | new | links``: the command line over the package."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from .problems import CatalogueError


def _check(args: argparse.Namespace) -> int:
    from .load import load_catalogue

    try:
        catalogue = load_catalogue(args.data)
    except CatalogueError as exc:
        if args.format == "json":
            print(json.dumps({"ok": False, "problems": [p.as_dict() for p in exc.problems]}, indent=2))
        else:
            for problem in exc.problems:
                print(problem)
            count = len(exc.problems)
            print(f"{count} problem{'s' if count != 1 else ''} found.", file=sys.stderr)
        return 1
    if args.format == "json":
        print(json.dumps({"ok": True, "problems": []}))
    else:
        print(f"ok: {len(catalogue.resources)} resources, {len(catalogue.topics)} topics,"
              f" {len(catalogue.maths)} maths areas, {len(catalogue.sources)} sources")
    return 0


def _render(args: argparse.Namespace) -> int:
    from .load import load_catalogue
    from .site import write_pages

    try:
        catalogue = load_catalogue(args.data)
    except CatalogueError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 1
    written = write_pages(catalogue, Path(args.out))
    print(f"wrote {written} files to {args.out}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="readingmap", description=__doc__)
    parser.add_argument("--data", default="data", help="the catalogue directory (default: data)")
    sub = parser.add_subparsers(dest="command", required=True)

    check = sub.add_parser("check", help="validate the catalogue and print every problem")
    check.add_argument("--format", choices=("text", "json"), default="text")
    check.set_defaults(func=_check)

    render = sub.add_parser("render", help="write the generated pages and exports to a directory")
    render.add_argument("--out", required=True, help="directory to write into")
    render.set_defaults(func=_render)

    args = parser.parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
