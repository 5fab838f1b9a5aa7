"""Every module of the package says what it offers (``__all__``), and nothing outside a module
uses a name it does not offer: what a module keeps to itself can change without a search. (Tests
may look inside a module through its underscored names.) And no module keeps state of its own
between builds: what outlives a build is held by the build caches the MkDocs plugin object owns."""

from __future__ import annotations

import ast
import importlib
import pkgutil
from collections.abc import Iterator
from pathlib import Path

import readingmap

REPO = Path(__file__).parent.parent
SRC = REPO / "src"


def _modules() -> list[str]:
    """Every module of the package (not the packages' ``__init__``: they only say what they offer)."""
    return sorted(m.name for m in pkgutil.walk_packages(readingmap.__path__, "readingmap.") if not m.ispkg)


def _absolute(path: Path, node: ast.ImportFrom) -> str | None:
    """The module an ``import from`` names, relative imports resolved (within ``src/`` only)."""
    if node.level == 0:
        return node.module
    if not path.is_relative_to(SRC):
        return None
    package = list(path.relative_to(SRC).with_suffix("").parts[:-1])
    base = package[: len(package) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _uses(path: Path, modules: set[str]) -> Iterator[tuple[str, str, int]]:
    """(module, name, line) for each name a file takes from one of ``modules``: imported from it,
    or read as an attribute of it (imported as a module, by ``import`` or ``from``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    aliases: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (module := _absolute(path, node)):
            for a in node.names:
                if f"{module}.{a.name}" in modules:
                    aliases[a.asname or a.name] = f"{module}.{a.name}"
                elif module in modules:
                    yield module, a.name, node.lineno
        elif isinstance(node, ast.Import):
            aliases.update((a.asname, a.name) for a in node.names if a.asname and a.name in modules)
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases:
            yield aliases[node.value.id], node.attr, node.lineno


def test_every_module_names_its_surface() -> None:
    modules = _modules()
    assert {"readingmap.catalogue.load", "readingmap.render.svg", "readingmap.cli"} <= set(modules)
    assert [m for m in modules if not hasattr(importlib.import_module(m), "__all__")] == []


def test_no_module_uses_a_name_another_keeps_to_itself() -> None:
    offered = {m: set(importlib.import_module(m).__all__) for m in _modules()}
    files = [p for folder in ("src", "tests", "bench", "hooks") for p in sorted((REPO / folder).rglob("*.py"))]
    assert len(files) > 50
    outside = []
    for path in files:
        for module, name, line in _uses(path, set(offered)):
            own = path == SRC / (module.replace(".", "/") + ".py")
            white_box = path.is_relative_to(REPO / "tests") and name.startswith("_")
            if not (own or white_box) and name not in offered[module]:
                outside.append(f"{path.relative_to(REPO)}:{line}: {module}.{name}")
    assert outside == []



#: The only process-wide memos: pure functions of one string (TeX or BibTeX text in, Unicode out),
#: which read no file, clock or setting, so a value kept from an earlier build is the value this
#: build would compute. Names and venues recur across a catalogue (several seconds of a cold
#: build at 10,000 resources).
PURE_STRING_MEMOS = {"latex.py:latex_to_text", "latex.py:person_display", "mathtext.py:maths_text"}


def test_no_module_keeps_state_of_its_own_between_builds() -> None:
    """No ``global`` statement, and ``functools`` memos only on the pure string functions above:
    a memo of anything else belongs to the build caches (``Caches.memo``), which the plugin object
    makes for a session and drops at its end. (A process-wide memo of the fragment templates once
    rendered a build's resource pages with the templates of the build before.)"""
    globals_, memos = [], set()
    for path in sorted((SRC / "readingmap").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Global):
                globals_.append(f"{path.name}:{node.lineno}")
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                for decorator in node.decorator_list:
                    called = decorator.func if isinstance(decorator, ast.Call) else decorator
                    name = called.attr if isinstance(called, ast.Attribute) else getattr(called, "id", "")
                    if name in {"cache", "lru_cache"}:
                        memos.add(f"{path.name}:{node.name}")
                        assert [a.annotation and ast.unparse(a.annotation) for a in node.args.args] == ["str"], \
                            f"{path.name}:{node.name} is memoised process-wide but is not a function of one string"
    assert globals_ == []
    assert memos == PURE_STRING_MEMOS
