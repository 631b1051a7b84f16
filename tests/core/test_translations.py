"""Every interface string wrapped in T() has a German translation."""

from __future__ import annotations

import ast
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]


def ui_strings() -> set[str]:
    """The literal first arguments of every T(...) call in the package."""
    found: set[str] = set()
    for path in sorted((REPO / "coach").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "T"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found.add(node.args[0].value)
    return found


def catalogue() -> dict[str, str]:
    path = REPO / "assets" / "translations" / "de.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return {str(k): str(v) for k, v in data.items()}


def test_every_ui_string_has_german() -> None:
    strings = ui_strings()
    assert len(strings) > 100
    missing = sorted(strings - set(catalogue()))
    assert missing == [], f"{len(missing)} strings without German, e.g. {missing[:5]}"


def test_placeholders_survive_translation() -> None:
    import string

    fmt = string.Formatter()
    for english, german in catalogue().items():
        names_en = {f for _, f, _, _ in fmt.parse(english) if f is not None}
        names_de = {f for _, f, _, _ in fmt.parse(german) if f is not None}
        assert names_en == names_de, (english, german)
