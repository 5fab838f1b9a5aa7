"""Machine-readable exports: ``catalogue.json`` (the documented contract) and ``refs.bib``."""

from __future__ import annotations

import json
from typing import Any

from .catalogue.model import Catalogue, Node, Resource
from .render import references

SCHEMA_VERSION = 1


def _node(n: Node) -> dict[str, Any]:
    return {"id": n.id, "name": n.name, "description": n.description, "requires": list(n.requires)}


def _resource(r: Resource) -> dict[str, Any]:
    return {
        "id": r.id,
        "title": r.title,
        "authors": list(r.authors),
        "year": r.year,
        "kind": r.kind,
        "topics": list(r.topics),
        "prerequisites": list(r.prerequisites),
        "level": r.level,
        "url": r.best_url,
        "doi": r.doi,
        "arxiv": r.arxiv,
        "recommended_in": [
            {"source": p.source, "by": p.by, "note": p.note} for p in r.recommended_in
        ],
        "why": r.why,
    }


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
    }


def catalogue_json(cat: Catalogue) -> str:
    """Stable bytes: sorted lists, fixed key order, ``</`` escaped so it can sit in HTML."""
    out = json.dumps(catalogue_data(cat), ensure_ascii=False, indent=1)
    return out.replace("</", "<\\/") + "\n"


def refs_bib(cat: Catalogue) -> str:
    """The whole bibliography, one pybtex-written entry per resource, sorted by key."""
    header = ("% The mathematics of deep learning: a reading map. Generated from data/refs.bib;\n"
              "% edit that file, not this one.\n\n")
    return header + "\n".join(references.bibtex_text(r.ref) for r in sorted(cat.resources, key=lambda r: r.id))
