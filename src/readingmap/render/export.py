"""Machine-readable exports: ``catalogue.json`` (the documented contract) and ``refs.bib``."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from ..catalogue.model import Catalogue, Node, Question, Resource, Result
from . import citations, references

__all__ = ["catalogue_json", "readings_files", "refs_bib"]

SCHEMA_VERSION = 3


def _node(n: Node) -> dict[str, Any]:
    return {"id": n.id, "name": n.name, "aliases": list(n.aliases), "description": n.description,
            "requires": list(n.requires), "start_here": list(n.start_here),
            **({"gentle_start": n.gentle_start or None} if n.kind == "topic" else {})}


def _resource(r: Resource) -> dict[str, Any]:
    return {
        "id": r.id,
        "title": r.title,
        "authors": list(r.authors),
        "year": r.year,
        "kind": r.kind,
        "topics": list(r.topics),
        "prerequisites": list(r.prerequisites),
        "level": r.level or None,
        "url": r.best_url,
        "doi": r.doi,
        "arxiv": r.arxiv,
        "recommended_in": [
            {"source": p.source, "by": p.by, "note": p.note} for p in r.recommended_in
        ],
        "why": r.why,
        "aliases": list(r.aliases),
        "added": r.added,
        "checked": r.checked,
    }


def _result(r: Result) -> dict[str, Any]:
    return {
        "id": r.id, "name": r.name, "aliases": list(r.aliases), "who": r.who, "year": r.year,
        "status": r.status, "gloss": r.gloss, "statement": r.statement,
        "topics": list(r.topics), "maths": list(r.maths),
        "builds_on": list(r.builds_on), "resources": [g.resource for g in r.read],
        "read": [{"resource": g.resource, "where": g.where} for g in r.read],
        "added": r.added,
        "checked": r.checked,
    }


def _question(q: Question) -> dict[str, Any]:
    return {"id": q.id, "topic": q.topic, "question": q.question, "known": q.known, "results": list(q.results),
            "status": q.status, "status_changed": q.status_changed, "checked": q.checked}


def catalogue_data(cat: Catalogue) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "topics": [_node(n) for n in sorted(cat.topics, key=lambda n: n.id)],
        "maths": [_node(n) for n in sorted(cat.maths, key=lambda n: n.id)],
        "sources": [
            {"id": s.id, "kind": s.kind, "name": s.name, "description": s.description,
             "url": s.url, "date": s.date}
            for s in sorted(cat.sources, key=lambda s: s.id)
        ],
        "resources": [_resource(r) for r in sorted(cat.resources, key=lambda r: r.id)],
        "results": [_result(r) for r in sorted(cat.results, key=lambda r: r.id)],
        "questions": [_question(q) for q in sorted(cat.questions, key=lambda q: q.id)],
    }


def catalogue_json(cat: Catalogue) -> str:
    """Stable bytes: sorted lists, fixed key order, ``</`` escaped so it can sit in HTML."""
    return json.dumps(catalogue_data(cat), ensure_ascii=False, indent=1).replace("</", "<\\/") + "\n"


def readings_files(title: str, resources: Iterable[Resource], cited: Mapping[str, citations.Citation],
                   refs: references.Formatted, texts: citations.Texts | None = None) -> dict[str, str]:
    """Some readings (a topic's, a path's) in each format reference managers import, by file
    extension: BibTeX, RIS and CSL-JSON, in the order given, each reading once (``cited``,
    ``refs`` and ``texts``: the build's citations, formatted references and written records)."""
    texts = texts if texts is not None else citations.Texts()
    seen: dict[str, Resource] = {}
    for r in resources:
        seen.setdefault(r.id, r)
    header = (f"% {title}\n% From the mathematics of deep learning reading map. Keys are the map's\n"
              "% resource ids; the whole bibliography is refs.bib at the site's root.\n\n")
    cited_list = [cited[r.id] for r in seen.values()]
    return {"bib": header + "\n".join(refs.bibtex(r.ref) for r in seen.values()),
            "ris": texts.ris(cited_list), "json": texts.csl_json(cited_list)}


def refs_bib(cat: Catalogue, refs: references.Formatted | None = None) -> str:
    """The whole bibliography, one pybtex-written entry per resource, sorted by key."""
    header = ("% The mathematics of deep learning: a reading map. Generated from data/refs.bib;\n"
              "% edit that file, not this one.\n\n")
    refs = refs if refs is not None else references.Formatted()
    return header + "\n".join(refs.bibtex(r.ref) for r in sorted(cat.resources, key=lambda r: r.id))
