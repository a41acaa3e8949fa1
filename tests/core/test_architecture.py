"""The core never imports a platform or database library; only the composition root may."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = {"discord", "telegram", "aiosqlite", "apscheduler", "aiohttp", "storage", "cogs",
             "conversations", "sandbox"}  # fmt: skip
COMPOSITION_ROOT = ROOT / "bot" / "app"
"""The only package that wires concrete parts together (with bot/__main__.py, which calls it)."""


def in_root(path: Path) -> bool:
    return path.is_relative_to(COMPOSITION_ROOT) or path == ROOT / "bot" / "__main__.py"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def test_core_imports_no_platform_or_storage_library() -> None:
    core = [p for p in (ROOT / "bot").rglob("*.py") if not in_root(p)]
    assert len(core) > 5
    offenders = {
        str(p.relative_to(ROOT)): sorted(imported_modules(p) & FORBIDDEN)
        for p in core
        if imported_modules(p) & FORBIDDEN
    }
    assert offenders == {}


def test_the_walker_sees_forbidden_imports(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("import discord\nfrom telegram.ext import Application\nfrom . import x\n")
    assert imported_modules(bad) == {"discord", "telegram"}


def test_adapters_and_storage_do_not_import_each_other() -> None:
    rules = {"cogs": {"telegram", "conversations", "aiosqlite", "storage"},
             "conversations": {"discord", "cogs", "aiosqlite", "storage"},
             "storage": {"discord", "telegram", "cogs", "conversations"}}  # fmt: skip
    for folder, banned in rules.items():
        for path in (ROOT / folder).rglob("*.py"):
            assert not imported_modules(path) & banned, path
