"""Every module of ``readingmap.render`` says what it offers (``__all__``), and nothing outside a
module uses a name it does not offer: what a module keeps to itself can change without a search.
(Tests may look inside a module through its underscored names, as they do to empty a memo.)"""

from __future__ import annotations

import ast
import importlib
import pkgutil
from collections.abc import Iterator
from pathlib import Path

import readingmap.render

REPO = Path(__file__).parent.parent
RENDER = "readingmap.render"
#: Modules that do not name their surface yet: the home picture's layout is being split into steps.
PENDING = {"svg"}


def _modules() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules(readingmap.render.__path__))


def _absolute(path: Path, node: ast.ImportFrom) -> str | None:
    """The module an ``import from`` names, relative imports resolved (within ``src/`` only)."""
    if node.level == 0:
        return node.module
    try:
        package = list(path.relative_to(REPO / "src").with_suffix("").parts[:-1])
    except ValueError:
        return None
    base = package[: len(package) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _uses(path: Path) -> Iterator[tuple[str, str, int]]:
    """(module of readingmap.render, name, line) for each name a file takes from one: imported from
    it, or read as an attribute of it."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    aliases: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            module = _absolute(path, node)
            if module == RENDER:
                aliases.update((a.asname or a.name, a.name) for a in node.names)
            elif module and module.startswith(RENDER + "."):
                yield from ((module.split(".")[2], a.name, node.lineno) for a in node.names)
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases:
            yield aliases[node.value.id], node.attr, node.lineno


def test_every_module_of_render_names_its_surface() -> None:
    missing = [m for m in _modules() if m not in PENDING and not hasattr(importlib.import_module(f"{RENDER}.{m}"),
                                                                         "__all__")]
    assert missing == []


def test_no_module_uses_a_name_another_keeps_to_itself() -> None:
    offered = {m: set(getattr(importlib.import_module(f"{RENDER}.{m}"), "__all__", ())) for m in _modules()}
    files = [p for folder in ("src", "tests", "bench", "hooks") for p in sorted((REPO / folder).rglob("*.py"))]
    assert len(files) > 50
    outside = []
    for path in files:
        for module, name, line in _uses(path):
            own = path == REPO / "src" / "readingmap" / "render" / f"{module}.py"
            white_box = path.is_relative_to(REPO / "tests") and name.startswith("_")
            if module in offered and module not in PENDING and not (own or white_box) and name not in offered[module]:
                outside.append(f"{path.relative_to(REPO)}:{line}: {module}.{name}")
    assert outside == []
