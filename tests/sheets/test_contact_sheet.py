"""The contact sheet and the committed SVGs as Qt sees them."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

import pytest
from PySide6.QtGui import QImage
from PySide6.QtSvg import QSvgRenderer

from coach.core.content import figures
from coach.sheets import contact_sheet

REPO = Path(__file__).resolve().parents[2]
ASSETS = REPO / "assets" / "figures"
COMMITTED = sorted(ASSETS.glob("*.svg"))


def test_there_are_committed_svgs() -> None:
    assert len(COMMITTED) >= 2 * len(figures.exercise_ids())


@pytest.mark.parametrize("path", COMMITTED, ids=lambda p: p.name)
def test_committed_svg_loads_in_qt(path: Path) -> None:
    renderer = QSvgRenderer(str(path))
    assert renderer.isValid()
    assert renderer.viewBoxF().width() == 400
    assert renderer.viewBoxF().height() == 300


def test_contact_sheet_png(qapp: object, tmp_path: Path) -> None:
    out = contact_sheet.render_contact_sheet(tmp_path / "sheet.png", {"P1": "Pelvic tilt"})
    image = QImage(str(out))
    assert not image.isNull()
    assert 1000 <= image.width() <= 2000
    assert 1500 <= image.height() <= 6000
    # not blank: the first picture has dark outline pixels
    dark = sum(
        1
        for x in range(20, 220, 2)
        for y in range(20, 160, 2)
        if image.pixelColor(x, y).lightness() < 80
    )
    assert dark > 20


def test_titles_come_from_the_exercise_files(tmp_path: Path) -> None:
    (tmp_path / "P1.yaml").write_text("id: P1\ntitle:\n  en: Lying tilt\n  de: Kippen\n")
    (tmp_path / "S1.yaml").write_text("id: S1\n")
    (tmp_path / "S2.yaml").write_text(": not yaml : [\n")
    titles = contact_sheet.load_titles(tmp_path)
    assert titles == {"P1": "Lying tilt"}


def test_main_writes_the_file(qapp: object, tmp_path: Path) -> None:
    out = tmp_path / "sub" / "sheet.png"
    assert contact_sheet.main([str(out), "--columns", "9"]) == 0
    assert out.is_file()
    assert QImage(str(out)).width() > 1500
