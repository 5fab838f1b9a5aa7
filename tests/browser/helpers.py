"""Helpers shared by the browser tests: the exported catalogue and bibliography queries."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Catalogue:
    """``catalogue.json`` with the graph queries the tests need, computed independently of the
    attributes the pages carry."""

    data: dict[str, Any]
    requires: dict[str, list[str]] = field(default_factory=dict)
    maths_ids: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        for node in (*self.data["topics"], *self.data["maths"]):
            self.requires[node["id"]] = list(node["requires"])
        self.maths_ids = {m["id"] for m in self.data["maths"]}

    @property
    def resources(self) -> list[dict[str, Any]]:
        return list(self.data["resources"])

    @property
    def readings(self) -> list[dict[str, Any]]:
        """The resources that are readings: all but venues, which have no level."""
        return [r for r in self.data["resources"] if r["level"] is not None]

    def resource(self, ident: str) -> dict[str, Any]:
        return next(r for r in self.data["resources"] if r["id"] == ident)

    def name(self, ident: str) -> str:
        return str(next(n["name"] for n in (*self.data["topics"], *self.data["maths"])
                        if n["id"] == ident))

    def ancestors(self, ident: str) -> set[str]:
        seen: set[str] = set()
        todo = list(self.requires[ident])
        while todo:
            x = todo.pop()
            if x not in seen:
                seen.add(x)
                todo.extend(self.requires[x])
        return seen

    def maths_needed(self, resource: dict[str, Any]) -> set[str]:
        """The maths areas behind a resource's prerequisites (topics expand to their maths)."""
        out: set[str] = set()
        for p in resource["prerequisites"]:
            out.update(x for x in {p, *self.ancestors(p)} if x in self.maths_ids)
        return out

    def closure(self, known: list[str]) -> set[str]:
        out = set(known)
        for k in known:
            out |= self.ancestors(k)
        return out

    def ready(self, resource: dict[str, Any], known: list[str]) -> bool:
        """Ready to read: a reading (not a venue) whose maths the known areas cover."""
        return resource["level"] is not None and self.maths_needed(resource) <= self.closure(known)



COUNT = re.compile(r"(\d+) of (\d+) resources")


def visible_keys(page: Any) -> list[str]:
    """Keys of the bibliography entries a reader can see."""
    return list(page.eval_on_selector_all(
        "#bib-list .rm-entry",
        "els => els.filter(e => e.checkVisibility()).map(e => e.dataset.key)",
    ))


def shown_count(page: Any) -> tuple[int, int]:
    match = COUNT.fullmatch(page.locator("#bib-count").inner_text().strip())
    assert match, page.locator("#bib-count").inner_text()
    return int(match.group(1)), int(match.group(2))


def list_rendered(page: Any) -> None:
    """Wait until the bibliography's list shows the last filtering: the count follows a keystroke
    at once, the list is rendered in the next animation frame (readingmap.js, ``scheduleRender``)."""
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")


def entry_data(page: Any) -> list[dict[str, str]]:
    """Every bibliography entry's data attributes, as the page carries them."""
    return list(page.eval_on_selector_all(
        "#bib-list .rm-entry", "els => els.map(e => Object.assign({}, e.dataset))"))
