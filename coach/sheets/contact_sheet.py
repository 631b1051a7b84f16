"""A contact sheet of every exercise illustration, for reviewing them at a glance.

``python -m coach.sheets.contact_sheet out.png`` draws each exercise's start,
end and avoid picture side by side with its id and title underneath.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml
from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QImage, QPainter, QPen
from PySide6.QtSvg import QSvgRenderer

from coach.core.content import figures

ROOT = Path(__file__).resolve().parents[2]
EXERCISES = ROOT / "routines" / "exercises"

CELL_W = 200  # one picture, drawn at half its 400 x 300 size
CELL_H = 150
GAP = 6
CAPTION_H = 30
PAD = 14


def load_titles(folder: Path = EXERCISES) -> dict[str, str]:
    """English titles from ``<ID>.yaml`` where the file exists and has one."""
    titles: dict[str, str] = {}
    for ex in figures.exercise_ids():
        path = folder / f"{ex}.yaml"
        if not path.is_file():
            continue
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError):
            continue
        if isinstance(data, dict):
            title = data.get("title")
            if isinstance(title, dict) and isinstance(title.get("en"), str):
                titles[ex] = title["en"]
    return titles


def _ensure_app() -> None:
    if QGuiApplication.instance() is None:
        QGuiApplication([])


def render_contact_sheet(
    out: Path, titles: dict[str, str] | None = None, *, columns: int = 6
) -> Path:
    """Draw every illustration (start, end, avoid) with id and title into one PNG.

    Each exercise takes one block of up to three pictures; ``columns`` is the
    number of pictures per row (blocks do not break across rows unless a block
    is wider than a row).
    """
    _ensure_app()
    if titles is None:
        titles = load_titles()
    columns = max(3, columns)
    blocks = [(ex, figures.frames(ex)) for ex in figures.exercise_ids()]

    # place blocks in rows without splitting an exercise
    rows: list[list[tuple[str, list[figures.Frame]]]] = [[]]
    used = 0
    for ex, frs in blocks:
        if used + len(frs) > columns and rows[-1]:
            rows.append([])
            used = 0
        rows[-1].append((ex, frs))
        used += len(frs)

    block_h = CELL_H + CAPTION_H
    width = PAD * 2 + columns * CELL_W + (columns - 1) * GAP
    height = PAD * 2 + len(rows) * block_h + (len(rows) - 1) * GAP * 2
    image = QImage(width, height, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    font = QFont()
    font.setPixelSize(13)
    painter.setFont(font)
    frame_pen = QPen(QColor("#d0d0d0"))
    text_pen = QPen(QColor("#202020"))

    y = PAD
    for row in rows:
        x = PAD
        for ex, frs in row:
            block_w = len(frs) * CELL_W + (len(frs) - 1) * GAP
            for i, fr in enumerate(frs):
                cx = x + i * (CELL_W + GAP)
                renderer = QSvgRenderer(QByteArray(figures.svg(ex, fr).encode("utf-8")))
                renderer.render(painter, QRectF(cx, y, CELL_W, CELL_H))
                painter.setPen(frame_pen)
                painter.drawRect(QRectF(cx, y, CELL_W, CELL_H))
            title = titles.get(ex, "")
            caption = f"{ex}  {title}" if title else ex
            painter.setPen(text_pen)
            rect = QRectF(x, y + CELL_H + 2, block_w, CAPTION_H - 4)
            elided = painter.fontMetrics().elidedText(
                caption, Qt.TextElideMode.ElideRight, int(block_w)
            )
            painter.drawText(
                rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop), elided
            )
            x += block_w + GAP
        y += block_h + GAP * 2
    painter.end()
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(out), "PNG"):  # type: ignore[call-overload]
        raise OSError(f"could not write {out}")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m coach.sheets.contact_sheet",
        description="Draw every exercise illustration into one PNG.",
    )
    parser.add_argument("out", type=Path, help="the PNG file to write")
    parser.add_argument("--columns", type=int, default=6, help="pictures per row (default 6)")
    args = parser.parse_args(argv)
    path = render_contact_sheet(args.out, columns=args.columns)
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
