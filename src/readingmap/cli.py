"""``readingmap check | render | new | links``: the command line over the package."""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from .catalogue.model import KINDS
from .collector import CollectorPause
from .keys import Caches
from .problems import CatalogueError

__all__ = ["ask", "main"]


def _caches(args: argparse.Namespace) -> Caches:
    """The build caches of the project the data belongs to (data/ sits beside mkdocs.yml); with
    ``--no-cache``, caches with nothing on disk (work is still done once a build)."""
    from .cache import BuildCaches, project_cache

    return BuildCaches(None if args.no_cache else project_cache(Path(args.data).resolve().parent))


def _check(args: argparse.Namespace) -> int:
    from .catalogue.load import catalogue_warnings, load_catalogue

    try:
        with CollectorPause():  # (see readingmap.collector)
            catalogue = load_catalogue(args.data, caches=_caches(args))
    except CatalogueError as exc:
        if args.format == "json":
            print(json.dumps({"ok": False, "problems": [p.as_dict() for p in exc.problems]}, indent=2))
        elif args.format == "github":
            for problem in exc.problems:
                print(problem.as_github())
        else:
            for problem in exc.problems:
                print(problem)
            count = len(exc.problems)
            print(f"{count} problem{'s' if count != 1 else ''} found.", file=sys.stderr)
        return 1
    warnings = catalogue_warnings(catalogue)
    failed = bool(warnings) and args.strict
    if args.format == "json":
        print(json.dumps({"ok": not failed, "problems": [], "warnings": [w.as_dict() for w in warnings]}))
    elif args.format == "github":
        for warning in warnings:
            print(warning.as_github("warning"))
    else:
        for warning in warnings:
            print(f"{warning.path}:{warning.line}:{warning.col}: warning: {warning.message}")
        if warnings:
            count = len(warnings)
            print(f"{count} warning{'s' if count != 1 else ''}"
                  f"{' (--strict counts them as problems)' if args.strict else ''}.", file=sys.stderr)
        if not failed:
            print(f"ok: {len(catalogue.resources)} resources, {len(catalogue.topics)} topics,"
                  f" {len(catalogue.maths)} maths areas, {len(catalogue.sources)} sources,"
                  f" {len(catalogue.results)} results, {len(catalogue.questions)} questions")
    return 1 if failed else 0


def _render(args: argparse.Namespace) -> int:
    from .catalogue.load import load_catalogue
    from .render.site import Options, write_pages

    caches = _caches(args)
    with CollectorPause():  # (see readingmap.collector)
        try:
            catalogue = load_catalogue(args.data, caches=caches)
        except CatalogueError as exc:
            for problem in exc.problems:
                print(problem, file=sys.stderr)
            return 1
        options = Options(repo_url=args.repo_url, site_url=args.site_url, workers=args.jobs)
        written = write_pages(catalogue, Path(args.out), options,
                              project=Path(args.project) if args.project else None, caches=caches)
    print(f"wrote {written} files to {args.out}")
    return 0


def _new(args: argparse.Namespace) -> int:
    """``readingmap new``: fetch or take the facts, append BibTeX + YAML stub, show the to-dos."""
    from .catalogue.load import load_catalogue
    from .tools import entries, metadata

    try:
        if args.arxiv and args.doi:
            raise metadata.NewEntryError("give --arxiv or --doi, not both")
        if args.arxiv:
            meta = metadata.from_arxiv(args.arxiv, base=args.arxiv_api, timeout=args.timeout)
        elif args.doi:
            meta = metadata.from_crossref(args.doi, base=args.crossref_api, timeout=args.timeout)
        else:
            given = {"title": args.title, "authors": args.author, "year": args.year,
                     "url": args.url, "kind": args.kind}
            if sys.stdin.isatty() and not (args.title and args.author and args.year):
                given = ask(input, given)
            meta = metadata.from_fields(given["title"] or "", given["authors"] or [],
                                        given["year"] or "", given["url"], given["kind"])
        if args.kind and (args.arxiv or args.doi):
            meta.kind = args.kind
        added = entries.add_entry(args.data, meta, args.id, dry_run=args.dry_run)
    except metadata.NewEntryError as exc:
        print(f"readingmap new: {exc}", file=sys.stderr)
        return 2
    except (KeyboardInterrupt, EOFError):
        print("\nreadingmap new: cancelled; nothing was written", file=sys.stderr)
        return 130
    data = Path(args.data)
    if args.dry_run:
        print(f"# would append to {data / 'refs.bib'}:\n{added.bibtex}")
        print(f"# would append to {data / 'resources.yaml'}:\n{added.yaml}")
        return 0
    print(f"added {added.key!r}: {data / 'refs.bib'}:{added.bib_line} and"
          f" {data / 'resources.yaml'}:{added.yaml_line}")
    try:
        load_catalogue(args.data)
    except CatalogueError as exc:
        print("still to do before the pull request (`readingmap check` prints the same):")
        for problem in exc.problems:
            print(f"  {problem}")
        return 0
    print("the catalogue checks out")  # pragma: no cover - a stub always has TODOs
    return 0


def _links(args: argparse.Namespace) -> int:
    """``readingmap links``: check every external URL; non-zero only with ``--fail-on-broken``."""
    from .catalogue.load import load_catalogue
    from .tools import links as linkcheck

    if args.url:
        targets = [linkcheck.Target(u, ("command line",)) for u in dict.fromkeys(args.url)]
    else:
        try:
            targets = linkcheck.collect(load_catalogue(args.data))
        except CatalogueError as exc:
            for problem in exc.problems:
                print(problem, file=sys.stderr)
            print("fix the catalogue first (`readingmap check`)", file=sys.stderr)
            return 1
    checker = linkcheck.Checker(timeout=args.timeout, workers=args.workers, delay=args.delay,
                                retries=args.retries, recheck_after=args.recheck_after)
    results = checker.run(targets)
    print(linkcheck.to_json(results) if args.json else linkcheck.table(results, show_ok=args.all))
    broken = any(r.status == "broken" for r in results)
    return 1 if broken and args.fail_on_broken else 0


def ask(prompt: Callable[[str], str], given: dict[str, Any]) -> dict[str, Any]:
    """Ask for the fields not given on the command line (used when stdin is a terminal)."""
    out = dict(given)
    while not out.get("title"):
        out["title"] = prompt("Title: ").strip()
    if not out.get("authors"):
        print("Authors, one per line as 'First Last'; an empty line ends the list.")
        names: list[str] = []
        while True:
            name = prompt(f"Author {len(names) + 1}: ").strip()
            if not name:
                if names:
                    break
                continue
            names.append(name)
        out["authors"] = names
    while not re.fullmatch(r"\d{4}", out.get("year") or ""):
        out["year"] = prompt("Year (four digits): ").strip()
    if out.get("url") is None:
        out["url"] = prompt("Link to a free version (empty for none): ").strip() or None
    if out.get("kind") is None:
        answer = prompt(f"Kind ({', '.join(KINDS)}; empty to decide later): ").strip()
        out["kind"] = answer or None
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="readingmap", description=__doc__)
    parser.add_argument("--data", default="data", help="the catalogue directory (default: data)")
    sub = parser.add_subparsers(dest="command", required=True)

    check = sub.add_parser("check", help="validate the catalogue and print every problem")
    check.add_argument("--format", choices=("text", "json", "github"), default="text",
                       help="text (path:line:col: message), json, or github (workflow commands that"
                       " annotate a pull request's changed lines)")
    check.add_argument("--strict", action="store_true",
                       help="count warnings (what the catalogue lacks without being wrong, such as a result"
                       " whose readings say nowhere where it is stated) as problems: exit non-zero")
    check.set_defaults(func=_check)

    no_cache = {"action": "store_true",
                "help": "neither read nor write the build cache (.cache/readingmap beside the data directory)"}
    check.add_argument("--no-cache", **no_cache)  # type: ignore[arg-type]
    render = sub.add_parser("render", help="write the generated pages and exports to a directory")
    render.add_argument("--no-cache", **no_cache)  # type: ignore[arg-type]
    render.add_argument("--out", required=True, help="directory to write into")
    render.add_argument("--repo-url", metavar="URL",
                        help="the repository's address (mkdocs.yml: repo_url), for each resource"
                        " page's links to edit its entry and report a problem")
    render.add_argument("--site-url", metavar="URL",
                        help="where the site is served (mkdocs.yml: site_url), for the feed's absolute links"
                        " and the permalinks of \"Cite this entry\" (without it they are relative to the site's root)")
    render.add_argument("--project", metavar="DIR",
                        help="also write the project's own pages (DIR/docs and DIR/CONTRIBUTING.md), so"
                        " that --out is a complete docs directory for MkDocs or Zensical")
    render.add_argument("--jobs", type=int, metavar="N",
                        help="processes to format references in on a large build without cache (default: one"
                        " per core; 1: in this process only)")
    render.set_defaults(func=_render)

    new = sub.add_parser(
        "new", help="start an entry from an arXiv id, a DOI, or fields you give",
        description="Append a BibTeX entry to refs.bib and a YAML stub with TODO fields to"
        " resources.yaml. Metadata comes from arXiv (--arxiv) or Crossref (--doi), or from"
        " --title/--author/--year (asked for interactively when missing on a terminal).")
    source = new.add_argument_group("where the facts come from")
    source.add_argument("--arxiv", metavar="ID", help="an arXiv id, e.g. 2105.04026")
    source.add_argument("--doi", help="a DOI, e.g. 10.1017/9781009025096.002")
    typed = new.add_argument_group("or give them yourself")
    typed.add_argument("--title")
    typed.add_argument("--author", action="append", default=[],
                       help="'First Last'; repeat for every author, in order")
    typed.add_argument("--year")
    typed.add_argument("--url", help="link to a free version")
    typed.add_argument("--kind", choices=KINDS, help="the kind of resource")
    new.add_argument("--id", help="use this id/key instead of the generated one")
    new.add_argument("--dry-run", action="store_true", help="print what would be appended")
    new.add_argument("--timeout", type=float, default=20.0, help="seconds (default: 20)")
    new.add_argument("--arxiv-api", help=argparse.SUPPRESS)
    new.add_argument("--crossref-api", help=argparse.SUPPRESS)
    new.set_defaults(func=_new)

    links = sub.add_parser(
        "links", help="check every external URL (broken = 404/410/DNS failure, twice)",
        description="Check every URL the catalogue produces. Only 404/410 and unresolvable hosts,"
        " confirmed by a second pass, count as broken; 429, 5xx and timeouts are 'unverified';"
        " redirects are reported with the new URL. Exit status is 0 unless --fail-on-broken.")
    links.add_argument("--json", action="store_true", help="print the report as JSON")
    links.add_argument("--fail-on-broken", action="store_true",
                       help="exit with status 1 when a link is broken")
    links.add_argument("--all", action="store_true", help="list working links in the table too")
    links.add_argument("--url", action="append", default=[],
                       help="check this URL instead of the catalogue (repeatable)")
    links.add_argument("--timeout", type=float, default=15.0, help="seconds per request")
    links.add_argument("--workers", type=int, default=8, help="parallel requests (all hosts)")
    links.add_argument("--delay", type=float, default=1.0,
                       help="seconds between two requests to the same host")
    links.add_argument("--retries", type=int, default=2, help="retries of transient failures")
    links.add_argument("--recheck-after", type=float, default=30.0,
                       help="seconds before the second pass over broken-looking links")
    links.set_defaults(func=_links)

    args = parser.parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
