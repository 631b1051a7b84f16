"""Print, preview and export a routine sheet from the app.

All three call the one layout function, ``draw_routine_sheet``, so the
preview shows exactly what the printer and the PDF get. Dialogs open with
``open()`` and report back through signals; nothing runs a nested event loop.
The file dialog of the export goes through ``choose_pdf_path``, a module-level
hook that tests replace.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QLocale, QMarginsF, QStandardPaths
from PySide6.QtGui import QPagedPaintDevice, QPageLayout
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QWidget

from coach.sheets.pdf import write_report_pdf, write_routine_pdf
from coach.sheets.progress_report import ReportData, draw_progress_report
from coach.sheets.routine_sheet import MARGIN_MM, SheetData, draw_routine_sheet, page_layout

_WORDS = {
    "en": {
        "print": "Print the routine sheet",
        "preview": "Print preview",
        "export": "Save the routine sheet as PDF",
        "filter": "PDF files (*.pdf)",
        "failed": "The sheet could not be saved",
        "failed_print": "The sheet could not be printed",
        "print_report": "Print the progress report",
        "export_report": "Save the progress report as PDF",
        "report_name": "Progress report",
    },
    "de": {
        "print": "Übungsblatt drucken",
        "preview": "Druckvorschau",
        "export": "Übungsblatt als PDF speichern",
        "filter": "PDF-Dateien (*.pdf)",
        "failed": "Das Übungsblatt konnte nicht gespeichert werden",
        "failed_print": "Das Übungsblatt konnte nicht gedruckt werden",
        "print_report": "Verlaufsbericht drucken",
        "export_report": "Verlaufsbericht als PDF speichern",
        "report_name": "Verlaufsbericht",
    },
}


def _lang_word(lang: str, key: str) -> str:
    return _WORDS.get(lang, _WORDS["en"])[key]


def _word(sheet: SheetData, key: str) -> str:
    return _lang_word(sheet.lang, key)


def default_paper() -> str:
    """US Letter where the locale measures in inches (US), A4 elsewhere."""
    imperial = QLocale().measurementSystem() == QLocale.MeasurementSystem.ImperialUSSystem
    return "letter" if imperial else "a4"


def sheet_printer(paper: str | None = None) -> QPrinter:
    """A high-resolution printer with the sheet's paper and margins preset."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageLayout(page_layout(paper or default_paper()))
    printer.setPageMargins(
        QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM), QPageLayout.Unit.Millimeter
    )
    return printer


def _warn(parent: QWidget | None, title: str, text: str) -> QMessageBox:
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, parent)
    box.open()
    return box


def print_routine(
    parent: QWidget | None,
    sheet: SheetData,
    *,
    paper: str | None = None,
    on_printed: Callable[[int], None] | None = None,
) -> QPrintDialog:
    """Open the platform print dialog; print the sheet when the person accepts."""
    return _print(
        parent,
        sheet.lang,
        lambda device: draw_routine_sheet(device, sheet),
        paper=paper,
        on_printed=on_printed,
    )


def print_report(
    parent: QWidget | None,
    report: ReportData,
    *,
    paper: str | None = None,
    on_printed: Callable[[int], None] | None = None,
) -> QPrintDialog:
    """The print dialog for the progress report."""
    return _print(
        parent,
        report.lang,
        lambda device: draw_progress_report(device, report),
        paper=paper,
        on_printed=on_printed,
        title="print_report",
    )


def _print(
    parent: QWidget | None,
    lang: str,
    draw: Callable[[QPagedPaintDevice], int],
    *,
    paper: str | None,
    on_printed: Callable[[int], None] | None,
    title: str = "print",
) -> QPrintDialog:
    printer = sheet_printer(paper)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(_lang_word(lang, title))
    dialog._printer = printer  # type: ignore[attr-defined]  # must live as long as the dialog

    def accepted() -> None:
        try:
            pages = draw(printer)
        except OSError as exc:
            _warn(parent, _lang_word(lang, "failed_print"), str(exc))
            return
        if on_printed is not None:
            on_printed(pages)

    dialog.accepted.connect(accepted)
    # QPrintDialog.open(receiver, member) hides QDialog.open(); call the latter.
    QDialog.open(dialog)
    return dialog


def preview_routine(
    parent: QWidget | None, sheet: SheetData, *, paper: str | None = None
) -> QPrintPreviewDialog:
    """The print preview; its print button prints through the same layout."""
    return _preview(parent, sheet.lang, lambda d: draw_routine_sheet(d, sheet), paper)


def preview_report(
    parent: QWidget | None, report: ReportData, *, paper: str | None = None
) -> QPrintPreviewDialog:
    """The print preview of the progress report."""
    return _preview(parent, report.lang, lambda d: draw_progress_report(d, report), paper)


def _preview(
    parent: QWidget | None,
    lang: str,
    draw: Callable[[QPagedPaintDevice], int],
    paper: str | None,
) -> QPrintPreviewDialog:
    printer = sheet_printer(paper)
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.setWindowTitle(_lang_word(lang, "preview"))
    dialog._printer = printer  # type: ignore[attr-defined]
    dialog.paintRequested.connect(draw)
    dialog.open()
    return dialog


def _choose_pdf_path(
    parent: QWidget | None,
    title: str,
    suggested: str,
    name_filter: str,
    done: Callable[[str], None],
) -> QFileDialog:
    dialog = QFileDialog(parent, title, suggested, name_filter)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    dialog.setDefaultSuffix("pdf")
    dialog.fileSelected.connect(done)
    dialog.open()
    return dialog


choose_pdf_path: Callable[[QWidget | None, str, str, str, Callable[[str], None]], object] = (
    _choose_pdf_path
)
"""Asks where to save; replace it in tests (it must call ``done(path)`` or nothing)."""


def suggested_pdf_path(sheet: SheetData, folder: Path | None = None) -> Path:
    """Documents/<routine title> - <patient>.pdf, with characters files cannot hold removed."""
    if folder is None:
        docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        folder = Path(docs) if docs else Path.home()
    parts = [sheet.routine.title.get(sheet.lang)]
    if sheet.patient.strip():
        parts.append(sheet.patient.strip())
    name = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "", " - ".join(parts)).strip(" .") or "routine"
    return folder / f"{name[:120]}.pdf"


def export_routine_pdf(
    parent: QWidget | None,
    sheet: SheetData,
    *,
    paper: str | None = None,
    on_written: Callable[[Path, int], None] | None = None,
) -> object:
    """Ask for a file name, then write the sheet there as a PDF (atomically)."""
    chosen_paper = paper or default_paper()

    def chosen(path: str) -> None:
        if not path:
            return
        target = Path(path)
        if target.suffix.lower() != ".pdf":
            target = target.with_name(target.name + ".pdf")
        try:
            pages = write_routine_pdf(target, sheet, chosen_paper)
        except OSError as exc:
            _warn(parent, _word(sheet, "failed"), f"{target}: {exc.strerror or exc}")
            return
        if on_written is not None:
            on_written(target, pages)

    return choose_pdf_path(
        parent,
        _word(sheet, "export"),
        str(suggested_pdf_path(sheet)),
        _word(sheet, "filter"),
        chosen,
    )


def export_report_pdf(
    parent: QWidget | None,
    report: ReportData,
    *,
    paper: str | None = None,
    on_written: Callable[[Path, int], None] | None = None,
) -> object:
    """Ask for a file name, then write the progress report there as a PDF."""
    chosen_paper = paper or default_paper()
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    parts = [_lang_word(report.lang, "report_name")]
    if report.patient.strip():
        parts.append(report.patient.strip())
    parts.append(report.created.isoformat())
    name = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "", " - ".join(parts)).strip(" .") or "report"
    suggested = (Path(docs) if docs else Path.home()) / f"{name[:120]}.pdf"

    def chosen(path: str) -> None:
        if not path:
            return
        target = Path(path)
        if target.suffix.lower() != ".pdf":
            target = target.with_name(target.name + ".pdf")
        try:
            pages = write_report_pdf(target, report, chosen_paper)
        except OSError as exc:
            _warn(parent, _lang_word(report.lang, "failed"), f"{target}: {exc.strerror or exc}")
            return
        if on_written is not None:
            on_written(target, pages)

    return choose_pdf_path(
        parent,
        _lang_word(report.lang, "export_report"),
        str(suggested),
        _lang_word(report.lang, "filter"),
        chosen,
    )
