"""The printed sheet carries a clinic's own photo, in the box a drawn figure gets."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtCore import QRect, QRectF
from PySide6.QtGui import QColor, QImage

from coach.core.common.paths import resolve
from coach.core.content.library import Library
from coach.core.content.model import Routine
from coach.sheets import routine_sheet
from coach.sheets.pdf import write_routine_pdf
from coach.sheets.routine_sheet import SheetData
from tests.fixtures.clinic_photo import BLUE, YELLOW, save_photo_exercise
from tests.fixtures.clinic_photo import painted_box as photo_box

DPI = 100


def clinic_library(tmp_path: Path, width: int = 400, height: int = 300) -> tuple[Library, str]:
    paths = resolve(tmp_path / "clinic")
    ident = save_photo_exercise(paths, tmp_path, width, height)
    return Library.load(paths), ident


def mixed(ident: str) -> Routine:
    return Routine.from_data(
        {
            "id": "mixed",
            "title": {"en": "Mixed"},
            "description": {"en": "A clinic's exercise, then a built-in one."},
            "items": [{"exercise": ident}, {"exercise": "C1"}],
        }
    )


def pdf_images(pdf: Path) -> list[list[str]]:
    out = subprocess.run(
        ["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    return [line.split() for line in out.splitlines()[2:] if line.strip()]


def painted_box(image: QImage, color: QColor) -> QRect:
    # A rendered page: every row, a wider tolerance for the PDF's colour rounding.
    return photo_box(image, color, tolerance=16, row_step=1)


@pytest.fixture
def boxes(monkeypatch: pytest.MonkeyPatch, qapp: object) -> list[tuple[Path | None, QRectF, float]]:
    """Every picture box the sheet draws (the real drawing still happens)."""
    seen: list[tuple[Path | None, QRectF, float]] = []
    real = routine_sheet._Sheet.draw_picture

    def spy(self, painter, path, rect):  # type: ignore[no-untyped-def]
        seen.append((path, QRectF(rect), self.dpi))
        real(self, painter, path, rect)

    monkeypatch.setattr(routine_sheet._Sheet, "draw_picture", spy)
    return seen


def test_the_sheet_prints_the_clinics_photo_in_a_figures_box(
    tmp_path: Path, boxes: list[tuple[Path | None, QRectF, float]]
) -> None:
    library, ident = clinic_library(tmp_path)
    pdf = tmp_path / "sheet.pdf"
    write_routine_pdf(pdf, SheetData(routine=mixed(ident), library=library))
    # The photo is in the file as an image (start and end share one copy) ...
    images = [row for row in pdf_images(pdf) if row[2] == "image"]
    assert images and all(row[0] == "1" for row in images)
    assert {(row[3], row[4]) for row in images} == {("400", "300")}
    assert len({row[10] for row in images}) == 1  # one object, drawn twice
    # ... in a box the size of the drawn figure's box beside it.
    photo_path = library.illustration(ident, "start")
    figure_path = library.illustration("C1", "start")
    photo_boxes = [rect for path, rect, _ in boxes if path == photo_path]
    figure_boxes = [rect for path, rect, _ in boxes if path == figure_path]
    assert photo_boxes and figure_boxes
    assert photo_boxes[-1].size() == figure_boxes[-1].size()
    # On paper: blue filling the box (less its 1 mm inset), yellow the middle half.
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(DPI), "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")],
        check=True,
    )
    page = QImage(str(tmp_path / "p-1.png"))
    assert not page.isNull()
    device_dpi = boxes[-1][2]
    # The box is wider than 4:3 once inset, so the photo fills its height.
    inner_h = (photo_boxes[-1].height() / device_dpi - 2 / 25.4) * DPI
    both = painted_box(page, BLUE)  # the start and the end picture, side by side
    # The start picture alone: the gap to the end picture (7 mm) is wider than the slack.
    wide = round(inner_h * 4 / 3) + 10
    start = page.copy(QRect(both.left(), both.top(), wide, both.height()))
    blue = painted_box(start, BLUE)
    assert abs(blue.height() - inner_h) <= 3, (blue, inner_h)
    assert abs(blue.width() - inner_h * 4 / 3) <= 4, (blue, inner_h)  # not stretched
    yellow = painted_box(start, YELLOW)
    assert abs(yellow.height() - blue.height() / 2) <= 3
    assert abs(yellow.width() - blue.width() / 2) <= 3


def test_a_large_photo_is_printed_sharp_but_not_at_camera_size(
    tmp_path: Path, boxes: list[tuple[Path | None, QRectF, float]]
) -> None:
    library, ident = clinic_library(tmp_path, 4000, 3000)
    pdf = tmp_path / "sheet.pdf"
    write_routine_pdf(pdf, SheetData(routine=mixed(ident), library=library))
    images = [row for row in pdf_images(pdf) if row[2] == "image"]
    assert images
    for row in images:
        width, ppi = int(row[3]), int(row[12])
        assert width < 4000  # scaled down for print ...
        assert 250 <= ppi <= 460  # ... and still at print sharpness
    assert pdf.stat().st_size < 1_500_000
