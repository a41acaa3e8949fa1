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


def project_imports() -> dict[str, set[str]]:
    """Each project module and the project modules it imports: every import counts, also
    inside functions and under TYPE_CHECKING (a hidden circle is still a circle)."""
    modules: dict[str, Path] = {}
    for package in ("bot", "cogs", "conversations", "storage", "sandbox"):
        for path in (ROOT / package).rglob("*.py"):
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            modules[name.removesuffix(".__init__")] = path
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add(node.module)
                found.update(f"{node.module}.{alias.name}" for alias in node.names)
        graph[name] = {other for other in found if other in modules and other != name}
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that import each other, directly or through others."""
    reach = {name: set(targets) for name, targets in graph.items()}
    changed = True
    while changed:  # the transitive closure (a few hundred modules: quick enough)
        changed = False
        for targets in reach.values():
            more = set().union(*(reach[t] for t in targets)) - targets if targets else set()
            if more:
                targets |= more
                changed = True
    found = {
        frozenset({a, *[b for b in reach[a] if a in reach[b]]}) for a in reach if a in reach[a]
    }
    return sorted(sorted(group) for group in found)


def test_no_module_imports_itself_through_others() -> None:
    assert circles(project_imports()) == []


def test_the_circle_finder_sees_hidden_circles() -> None:
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert circles({"a": {"b"}, "b": set()}) == []


STORAGE_MAY_IMPORT = ("bot.domain", "bot.matching.types", "bot.reminders.policy")
"""The values storage turns rows into, and the policy its SQL mirrors: never a service."""


def test_storage_imports_values_from_the_core_never_a_service() -> None:
    graph = project_imports()
    wrong = {
        name: sorted(
            t for t in targets if t.startswith("bot") and not t.startswith(STORAGE_MAY_IMPORT)
        )
        for name, targets in graph.items()
        if name.startswith("storage")
    }
    assert {name: found for name, found in wrong.items() if found} == {}
