"""coach.core is the domain library: it must never import Qt."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import coach.core


def test_core_modules_import_without_qt() -> None:
    modules = sorted(
        m.name for m in pkgutil.walk_packages(coach.core.__path__, prefix="coach.core.")
    )
    assert "coach.core.content.model" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"coach.core pulled in Qt: {result.stdout}"
