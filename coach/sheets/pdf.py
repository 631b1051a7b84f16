"""Routine sheets as PDF files: vector drawings, real (selectable) text, atomic writes."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QPdfWriter

from coach.sheets.routine_sheet import SheetData, draw_routine_sheet, page_layout

if TYPE_CHECKING:
    from coach.sheets.progress_report import ReportData

PDF_DPI = 1200
"""Device units per inch: fine enough that text and lines sit where they are meant to."""


def write_routine_pdf(path: str | os.PathLike[str], sheet: SheetData, paper: str = "a4") -> int:
    """Write the routine sheet to ``path``; returns the number of pages.

    The PDF is written next to the target under a temporary name and renamed
    over it only when complete, so a crash or a full disk never leaves half a
    file where the person expects their sheet. Raises ``OSError`` when the
    folder cannot be written and ``ValueError`` for an unknown paper.
    """
    title = sheet.routine.title.get(sheet.lang)
    return _write_pdf(Path(path), paper, title, lambda writer: draw_routine_sheet(writer, sheet))


def write_report_pdf(path: str | os.PathLike[str], report: ReportData, paper: str = "a4") -> int:
    """Write the progress report to ``path`` (atomically); returns the number of pages."""
    from coach.sheets.progress_report import REPORT_WORDS, draw_progress_report

    words = REPORT_WORDS.get(report.lang, REPORT_WORDS["en"])
    title = f"{words['title']} {report.patient}".strip()
    return _write_pdf(Path(path), paper, title, lambda writer: draw_progress_report(writer, report))


def _write_pdf(target: Path, paper: str, title: str, draw: Callable[[QPdfWriter], int]) -> int:
    layout = page_layout(paper)
    folder = target.parent if str(target.parent) else Path(".")
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=folder)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        writer = QPdfWriter(str(tmp))
        writer.setResolution(PDF_DPI)
        writer.setPageLayout(layout)
        writer.setCreator("Coach")
        writer.setTitle(title)
        pages = draw(writer)
        del writer  # flushes and closes the file
        with tmp.open("rb+") as handle:
            if not handle.read(5).startswith(b"%PDF-"):
                raise OSError(f"could not write the PDF to {target}")
            os.fsync(handle.fileno())
        # Owner-only like the exports, whatever the umask: a report carries
        # health data, and a sheet the person's plan.
        tmp.chmod(0o600)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return pages
