"""Pictures in every form a clinic may send, and broken ones."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

from PySide6.QtGui import QColor, QImage

from coach.ui.widgets import FigureView, read_picture


def _png(path: Path, width: int, height: int) -> Path:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("#3366aa"))
    assert image.save(str(path))
    return path


def test_png_picture_is_shown(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    view = FigureView()
    qtbot.addWidget(view)
    view.set_file(_png(tmp_path / "own.png", 400, 300))
    assert view.valid
    view.resize(400, 300)
    shot = view.grab().toImage()
    assert shot.pixelColor(200, 150).name() == "#3366aa"


def test_broken_or_huge_pictures_become_the_placeholder(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n" + b"garbage" * 50)
    huge = tmp_path / "huge.png"
    # A valid PNG header that claims 50,000 x 50,000 pixels: refused before decoding.
    ihdr = struct.pack(">IIBBBBB", 50_000, 50_000, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    huge.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + struct.pack(">I", len(ihdr))
        + chunk
        + struct.pack(">I", zlib.crc32(chunk))
    )
    assert read_picture(huge) is None
    view = FigureView()
    qtbot.addWidget(view)
    for path in (broken, huge, tmp_path / "missing.svg"):
        view.set_file(path)
        assert not view.valid
        view.grab()  # paints the placeholder without an error
