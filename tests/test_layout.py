"""The README's layout of ``src/warmcos`` is the package as it is: every module, in layers."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "warmcos"


def layout() -> list[str]:
    """The module names of the README's Layout block, in order (``_cli/`` for the package)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("### Layout", 1)[1].split("```text", 1)[1].split("```", 1)[0]
    return re.findall(r"^  (\S+)\s", block, re.MULTILINE)


def module_of(entry: str) -> str:
    return entry.removesuffix(".py").rstrip("/")


def top_level_imports(path: Path) -> set[str]:
    """The package modules ``path`` imports at its top (not under ``if TYPE_CHECKING``)."""
    found: set[str] = set()
    inside_package = path.parent != PACKAGE  # _cli/, presets/
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if not isinstance(node, ast.ImportFrom) or node.level == 0:
            continue
        if inside_package and node.level == 1:
            continue  # a sibling in the same package
        if node.module:
            found.add(node.module.split(".")[0])
        else:
            found.update(alias.name for alias in node.names)
    return found


def test_the_layout_lists_every_module_once() -> None:
    entries = layout()
    modules = {p.name for p in PACKAGE.glob("*.py")} | {
        f"{p.name}/" for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()
    }
    assert sorted(entries) == sorted(modules)


def test_each_module_imports_only_modules_listed_above_it() -> None:
    order = {module_of(e): i for i, e in enumerate(layout())}
    upward = []
    for entry, rank in order.items():
        path = PACKAGE / f"{entry}.py"
        files = [path] if path.is_file() else sorted((PACKAGE / entry).glob("*.py"))
        upward += [
            f"{file.relative_to(PACKAGE)} imports {target}"
            for file in files
            for target in top_level_imports(file)
            if target in order and target != entry and order[target] > rank
        ]
    assert not upward, "listed below its importer in the README layout: " + "; ".join(upward)
