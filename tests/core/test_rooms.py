"""The rooms of coach.core and who may use whom (docs/ARCHITECTURE.md draws the same map).

Every import counts, also one inside a function or under TYPE_CHECKING: a lazy
import is still a dependency, only a later one.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

CORE = Path(__file__).resolve().parents[2] / "coach" / "core"
COACH = CORE.parent

# room -> the rooms it may import (itself always)
ALLOWED: dict[str, set[str]] = {
    "common": set(),
    "content": {"common"},
    "session": {"content", "common"},
    "progress": {"session", "content", "common"},
    "reminders": {"session", "content", "common"},
    "clinic": {"progress", "session", "content", "common"},
    "person": {"clinic", "progress", "session", "content", "common"},
}
MAX_LINES = 1000


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                package = path.parent.relative_to(COACH.parent).parts
                base = ".".join(package[: len(package) - node.level + 1])
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            if module == "coach.core":  # "from coach.core import room"
                found += [(node.lineno, f"coach.core.{a.name}") for a in node.names]
            else:
                found.append((node.lineno, module))
    return found


def _room(module: str) -> str | None:
    parts = module.split(".")
    return parts[2] if len(parts) > 2 and parts[:2] == ["coach", "core"] else None


def test_core_has_only_rooms_and_every_room_a_docstring() -> None:
    loose = sorted(p.name for p in CORE.glob("*.py") if p.name != "__init__.py")
    assert loose == [], f"modules outside a room: {loose}"
    rooms = {p.name for p in CORE.iterdir() if p.is_dir() and not p.name.startswith("__")}
    assert rooms == set(ALLOWED)
    for room in rooms:
        doc = ast.get_docstring(ast.parse((CORE / room / "__init__.py").read_text()))
        assert doc and len(doc) > 40, f"{room}/__init__.py needs a docstring saying what it holds"


@pytest.mark.parametrize("room", sorted(ALLOWED))
def test_rooms_import_only_the_rooms_below_them(room: str) -> None:
    wrong = []
    for path in sorted((CORE / room).rglob("*.py")):
        for line, module in _imports(path):
            if module.startswith("coach.") and _room(module) is None:
                wrong.append(f"{path.relative_to(COACH)}:{line}: {module} (outside coach.core)")
                continue
            target = _room(module)
            if target is not None and target != room and target not in ALLOWED[room]:
                wrong.append(f"{path.relative_to(COACH)}:{line}: {module}")
    assert wrong == [], f"{room} may import only {sorted(ALLOWED[room])}:\n" + "\n".join(wrong)


def test_no_module_of_the_core_is_over_the_limit() -> None:
    long = {
        str(p.relative_to(COACH)): n
        for p in CORE.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}, f"split these along their seams: {long}"


def test_only_the_personal_plan_builds_plans() -> None:
    """Nobody outside coach.core turns a routine into steps without the person's changes."""
    calls = []
    for path in sorted(COACH.rglob("*.py")):
        if path.is_relative_to(CORE):
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if re.search(r"\bbuild_plan\b", line):
                calls.append(f"{path.relative_to(COACH)}:{n}: {line.strip()}")
    assert calls == [], "use coach.core.session.personal instead:\n" + "\n".join(calls)
    # Inside the core, only the plan itself and the personal plan build one.
    inside = sorted(
        str(p.relative_to(COACH))
        for p in CORE.rglob("*.py")
        if re.search(r"\bbuild_plan\(", p.read_text(encoding="utf-8"))
    )
    assert inside == ["core/session/personal.py", "core/session/plan.py"]
