"""The printed routine sheet, read back from real PDFs with pypdf.

Every PDF here is written by the same layout function the print dialog and
the preview use. The checks: page count, the texts a person needs (patient,
every exercise title, the doses), pictures drawn as vector paths, no
exercise split across pages, large print, and nothing outside the page's
printable area, for A4 and US Letter, English and German.
"""

from __future__ import annotations

import math
import os
import unicodedata

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream

from coach.core.common.paths import resolve
from coach.core.content.library import Library
from coach.core.content.model import Routine, RoutineItem, Text
from coach.core.session.plan import effective_dosage
from coach.sheets.pdf import write_routine_pdf
from coach.sheets.routine_sheet import MARGIN_MM, SheetData, draw_routine_sheet, page_layout

PAPERS = ("a4", "letter")
LANGS = ("en", "de")
MARGIN_PT = MARGIN_MM * 72 / 25.4
TOLERANCE_PT = 1.5  # half a frame line may sit on the margin's edge
PATIENT = "Łukasz Żółć-Müller"
MARK = "#123456"  # the fill colour of the test pictures: found again in the PDF
MARK_OP = "0.070588238 0.203921571 0.337254911 scn"
NOTE = (
    "Bitte üben Sie morgens, bevor Sie aus dem Haus gehen, und abends vor dem Essen. "
    "If the knee hurts, make the movement smaller. Ärztin: Dr. Ἀθηνᾶ Παπαδοπούλου, "
    "Praxis am Markt, Eingang B, 2. Stock links"
)
TWELVE = ("P1", "S1", "S4", "S8", "T1", "R1", "C1", "C2", "C3", "C4", "C5", "B1")

SVG = f"""<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 300">
<path d="M0 250L400 250" stroke="#8f8f8f" stroke-width="3"/>
<path d="M150 240C150 180 250 180 250 240Z" fill="{MARK}" stroke="#2b2b2b" stroke-width="4"/>
<circle cx="200" cy="120" r="30" fill="#aebdcc" stroke="#2b2b2b" stroke-width="4"/>
</svg>
"""


def squash(text: str) -> str:
    return " ".join(text.split())


def readable(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory, qapp: object) -> Library:
    """The built-in library, with simple test pictures of our own for every exercise."""
    root = tmp_path_factory.mktemp("sheet")
    lib = Library.load(resolve(root / "data"))
    figures = root / "assets" / "figures"
    figures.mkdir(parents=True)
    for ident in lib.exercises:
        for frame in ("start", "end"):
            (figures / f"{ident}-{frame}.svg").write_text(SVG, encoding="utf-8")
    lib.assets = root / "assets"
    return lib


@pytest.fixture(scope="module")
def out_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pdf")


def write(out_dir: Path, name: str, sheet: SheetData, paper: str = "a4") -> tuple[Path, int]:
    path = out_dir / f"{name}-{paper}.pdf"
    pages = write_routine_pdf(path, sheet, paper)
    return path, pages


def page_texts(path: Path) -> list[str]:
    return [squash(page.extract_text()) for page in PdfReader(path).pages]


def _mul(a: list[float], b: list[float]) -> list[float]:
    return [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]


def text_runs(page: object) -> list[tuple[str, float, float, float]]:
    """(text, x, y, size in pt) of every piece of text, in page space."""
    runs: list[tuple[str, float, float, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], _font: object, size: float) -> None:
        if not text.strip():
            return
        m = _mul([float(v) for v in tm], [float(v) for v in cm])
        scale = math.sqrt(abs(m[0] * m[3] - m[1] * m[2]))
        runs.append((text, m[4], m[5], float(size) * scale))

    page.extract_text(visitor_text=visit)  # type: ignore[attr-defined]
    return runs


def path_points(page: object, reader: PdfReader) -> Iterator[tuple[float, float]]:
    """Every point of every drawn path, in page space."""
    content = ContentStream(page.get_contents(), reader)  # type: ignore[attr-defined]
    ctm = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
    stack: list[list[float]] = []
    for operands, op in content.operations:
        if op == b"q":
            stack.append(ctm)
        elif op == b"Q":
            ctm = stack.pop()
        elif op == b"cm":
            ctm = _mul([float(v) for v in operands], ctm)
        elif op in (b"m", b"l", b"c", b"v", b"y", b"re"):
            values = [float(v) for v in operands]
            if op == b"re":
                x, y, w, h = values
                values = [x, y, x + w, y + h]
            for i in range(0, len(values) - 1, 2):
                x, y = values[i], values[i + 1]
                yield (
                    ctm[0] * x + ctm[2] * y + ctm[4],
                    ctm[1] * x + ctm[3] * y + ctm[5],
                )


def assert_inside_printable_area(path: Path) -> None:
    reader = PdfReader(path)
    for number, page in enumerate(reader.pages, start=1):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        low, high_x, high_y = MARGIN_PT - TOLERANCE_PT, width - MARGIN_PT, height - MARGIN_PT
        runs = text_runs(page)
        assert runs, f"page {number} has no text"
        for text, x, y, _size in runs:
            assert low <= x <= high_x, f"page {number}: {text!r} at x={x:.1f}"
            assert low <= y <= high_y + TOLERANCE_PT, f"page {number}: {text!r} at y={y:.1f}"
        points = list(path_points(page, reader))
        assert points
        for x, y in points:
            assert low <= x <= high_x + TOLERANCE_PT, f"page {number}: path at x={x:.1f}"
            assert low <= y <= high_y + TOLERANCE_PT, f"page {number}: path at y={y:.1f}"


def dose_phrases(sheet: SheetData, lang: str) -> dict[str, str]:
    """The repetitions as the dose box prints them, per exercise id."""
    words = {
        "en": ("times", "times each side"),
        "de": ("Wiederholungen", "Wiederholungen je Seite"),
    }
    out = {}
    for item in sheet.routine.items:
        ex = sheet.library.exercises[item.exercise]
        dose = effective_dosage(item, ex)
        if dose.walk is not None or dose.duration_s:
            continue
        sided = dose.side.value in ("both", "alternate")
        out[ex.id] = f"{dose.reps} {words[lang][1 if sided else 0]}"
    return out


def page_of(texts: list[str], needle: str) -> int:
    hits = [i for i, text in enumerate(texts) if squash(needle) in text]
    assert hits, f"{needle!r} is not on the sheet"
    return hits[0]


# --------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("paper", PAPERS)
def test_sheet_carries_patient_titles_doses_and_cues(
    library: Library, out_dir: Path, paper: str, lang: str
) -> None:
    routine = library.routines["daily-relief"]
    sheet = SheetData(
        routine,
        library,
        lang,
        patient=PATIENT,
        clinician="Anna Schmidt",
        phone="+49 30 1234 5678",
        date=dt.date(2025, 3, 12),
        review=dt.date(2025, 4, 23),
    )
    path, pages = write(out_dir, f"daily-{lang}", sheet, paper)
    reader = PdfReader(path)
    assert len(reader.pages) == pages >= 3
    box = reader.pages[0].mediabox
    expected = {"a4": (595.3, 841.9), "letter": (612.0, 792.0)}[paper]
    assert (float(box.width), float(box.height)) == pytest.approx(expected, abs=1)

    texts = page_texts(path)
    everything = " ".join(texts)
    assert PATIENT in texts[0]
    assert "Anna Schmidt" in texts[0] and "+49 30 1234 5678" in texts[0]
    assert squash(routine.title.get(lang)) in texts[0]
    assert {"en": "23 April 2025", "de": "23. April 2025"}[lang] in everything
    assert {"en": "Page 1 of", "de": "Seite 1 von"}[lang] in texts[0]
    assert {"en": f"Page {pages} of {pages}", "de": f"Seite {pages} von {pages}"}[lang] in (
        texts[-1]
    )
    phrases = dose_phrases(sheet, lang)
    for item in routine.items:
        ex = library.exercises[item.exercise]
        title_page = page_of(texts, ex.title.get(lang))
        # The block is whole: its cue and its dose are on the title's page.
        assert page_of(texts, ex.cue.get(lang)) == title_page, ex.id
        assert squash(ex.steps[-1].get(lang)) in texts[title_page], ex.id
        if ex.id in phrases:
            assert phrases[ex.id] in texts[title_page], (ex.id, phrases[ex.id])
    # Safety on paper: the stop rules, the warning signs with the number, the grid.
    assert {"en": "Call 112 now", "de": "Notruf 112"}[lang] in everything
    assert {"en": "you feel a sharp pain", "de": "Sie einen stechenden Schmerz spüren"}[lang] in (
        everything
    )
    assert {"en": "Pain 0–10", "de": "Schmerz 0–10"}[lang] in everything
    assert_inside_printable_area(path)


@pytest.mark.parametrize("lang", LANGS)
def test_body_text_is_at_least_12_pt(library: Library, out_dir: Path, lang: str) -> None:
    sheet = SheetData(library.routines["strength"], library, lang, patient=PATIENT)
    path, _pages = write(out_dir, f"size-{lang}", sheet)
    sizes = [size for page in PdfReader(path).pages for *_rest, size in text_runs(page)]
    assert sizes and min(sizes) >= 11.9


def test_pictures_are_vector_paths(library: Library, out_dir: Path) -> None:
    routine = library.routines["chair-counter"]
    sheet = SheetData(routine, library, "en")
    path, _pages = write(out_dir, "vectors", sheet)
    reader = PdfReader(path)
    texts = page_texts(path)
    for number, page in enumerate(reader.pages):
        content = page.get_contents().get_data().decode("latin-1")
        resources = page["/Resources"]
        xobjects = resources.get("/XObject", {}) if "/XObject" in resources else {}
        images = [
            name for name, ref in dict(xobjects).items() if ref.get_object()["/Subtype"] == "/Image"
        ]
        assert not images, "pictures must not be bitmaps"
        on_page = [
            i
            for i in routine.items
            if squash(library.exercises[i.exercise].title.get("en")) in texts[number]
        ]
        # Start and end picture of each exercise: the test figure's fill, as a path.
        assert content.count(MARK_OP) == 2 * len(on_page), f"page {number + 1}"
        if on_page:
            assert content.count(" c\n") >= 4 * len(on_page)


def test_missing_pictures_leave_a_box_not_a_failure(
    library: Library, out_dir: Path, tmp_path: Path
) -> None:
    bare = Library(
        assets=tmp_path / "no-assets",
        exercises=library.exercises,
        routines=library.routines,
        sources=library.sources,
        origins=library.origins,
    )
    sheet = SheetData(library.routines["daily-relief"], bare, "de", patient=PATIENT)
    path, pages = write(out_dir, "no-pictures", sheet)
    assert pages >= 3
    content = "".join(p.get_contents().get_data().decode("latin-1") for p in PdfReader(path).pages)
    assert MARK_OP not in content
    assert_inside_printable_area(path)


@pytest.mark.parametrize(
    ("patient", "clinician"),
    [
        ("Łukasz Żółć-Müller", "Ἀθηνᾶ Παπαδοπούλου"),
        ("محمد", "Zoë Ødegård-Çelik"),
    ],
)
def test_names_from_the_real_world_print(
    library: Library, out_dir: Path, patient: str, clinician: str
) -> None:
    sheet = SheetData(
        library.routines["gentle-day"],
        library,
        "en",
        patient=patient,
        clinician=clinician,
        phone="0800 111 0 111",
        note=NOTE,
    )
    assert len(NOTE) == 200
    path, _pages = write(out_dir, f"names-{len(patient)}", sheet)
    first = readable(page_texts(path)[0])
    for name in (patient, clinician):
        # Qt stores shaped Arabic as presentation forms in visual order;
        # NFKC folds the forms back, and the run reads right to left.
        assert name in first or name[::-1] in first, name
    assert squash(NOTE) in first
    assert_inside_printable_area(path)


@pytest.mark.parametrize("paper", PAPERS)
def test_twelve_exercises_take_more_pages_and_none_is_split(
    library: Library, out_dir: Path, paper: str
) -> None:
    six = SheetData(library.routines["daily-relief"], library, "de")
    _path, six_pages = write(out_dir, "six", six, paper)
    routine = Routine(
        id="twelve",
        title=Text.of("Twelve exercises", "Zwölf Übungen"),
        description=Text.of("A long plan.", "Ein langer Plan."),
        items=[RoutineItem(exercise=ident) for ident in TWELVE],
    )
    sheet = SheetData(routine, library, "de", patient=PATIENT, note=NOTE)
    path, pages = write(out_dir, "twelve", sheet, paper)
    assert pages > six_pages
    texts = page_texts(path)
    assert len(texts) == pages
    for n, ident in enumerate(TWELVE, start=1):
        ex = library.exercises[ident]
        title_page = page_of(texts, ex.title.get("de"))
        assert page_of(texts, ex.cue.get("de")) == title_page, ident
        assert squash(ex.start_position.get("de")) in texts[title_page], ident
        assert f"Seite {title_page + 1} von {pages}" in texts[title_page]
        del n
    assert_inside_printable_area(path)


def test_every_builtin_routine_prints(library: Library, out_dir: Path) -> None:
    for ident, routine in sorted(library.routines.items()):
        sheet = SheetData(routine, library, "de", patient=PATIENT, emergency_number="999")
        path, pages = write(out_dir, f"builtin-{ident}", sheet, "letter")
        texts = page_texts(path)
        assert len(texts) == pages
        assert "Notruf 999" in " ".join(texts)
        for item in routine.items:
            assert squash(library.exercises[item.exercise].title.get("de")) in " ".join(texts)


def test_same_layout_draws_on_a_printer(library: Library, tmp_path: Path) -> None:
    """The print dialog and the preview hand a QPrinter to the same function."""
    from PySide6.QtPrintSupport import QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printer.pdf"))
    printer.setPageLayout(page_layout("letter"))
    sheet = SheetData(library.routines["walking"], library, "en", patient=PATIENT)
    pages = draw_routine_sheet(printer, sheet)
    assert len(PdfReader(tmp_path / "printer.pdf").pages) == pages
    assert PATIENT in page_texts(tmp_path / "printer.pdf")[0]


def test_pdf_is_written_atomically(library: Library, tmp_path: Path) -> None:
    target = tmp_path / "sheet.pdf"
    target.write_bytes(b"the old sheet")
    sheet = SheetData(library.routines["gentle-day"], library, "en")
    write_routine_pdf(target, sheet, "a4")
    assert target.read_bytes().startswith(b"%PDF-")
    assert [p.name for p in tmp_path.iterdir()] == ["sheet.pdf"]
    with pytest.raises(OSError):
        write_routine_pdf(tmp_path / "missing" / "sheet.pdf", sheet, "a4")
    with pytest.raises(ValueError):
        write_routine_pdf(tmp_path / "other.pdf", sheet, "a3")
    assert [p.name for p in tmp_path.iterdir()] == ["sheet.pdf"]


# --------------------------------------------------------------------------
# The app's actions: print, preview and export call the same layout.
# --------------------------------------------------------------------------


def test_export_asks_for_a_file_and_writes_the_pdf(
    library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qtbot: object
) -> None:
    from coach.sheets import print_actions

    asked: list[str] = []

    def choose(_parent: object, _title: str, suggested: str, _filter: str, done: object) -> None:
        asked.append(suggested)
        done(str(tmp_path / "for the fridge"))  # type: ignore[operator]

    monkeypatch.setattr(print_actions, "choose_pdf_path", choose)
    written: list[tuple[Path, int]] = []
    sheet = SheetData(library.routines["gentle-day"], library, "en", patient="Ann O'Neil")
    print_actions.export_routine_pdf(
        None, sheet, paper="letter", on_written=lambda p, n: written.append((p, n))
    )
    assert asked and asked[0].endswith("Gentle day - Ann O'Neil.pdf")
    target = tmp_path / "for the fridge.pdf"
    assert written == [(target, len(PdfReader(target).pages))]
    assert "Ann O'Neil" in page_texts(target)[0]


def test_export_cancelled_writes_nothing(
    library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from coach.sheets import print_actions

    monkeypatch.setattr(print_actions, "choose_pdf_path", lambda *args: None)
    sheet = SheetData(library.routines["gentle-day"], library, "en")
    print_actions.export_routine_pdf(None, sheet, on_written=lambda p, n: pytest.fail("written"))
    assert list(tmp_path.iterdir()) == []


def test_print_dialog_prints_through_the_layout(
    library: Library, tmp_path: Path, qtbot: object
) -> None:
    from coach.sheets import print_actions

    printed: list[int] = []
    sheet = SheetData(library.routines["walking"], library, "de", patient=PATIENT)
    dialog = print_actions.print_routine(None, sheet, paper="a4", on_printed=printed.append)
    assert dialog.isVisible() and dialog.isModal()
    printer = dialog.printer()
    printer.setOutputFormat(printer.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    # What the platform dialog does once the person presses Print (its own
    # accept() would first overwrite the printer from its empty form).
    dialog.accepted.emit(printer)
    dialog.close()
    assert printed and printed[0] >= 3
    assert PATIENT in page_texts(tmp_path / "printed.pdf")[0]


def test_preview_shows_the_sheet(library: Library, qtbot: object) -> None:
    from PySide6.QtPrintSupport import QPrintPreviewWidget

    from coach.sheets import print_actions

    sheet = SheetData(library.routines["daily-relief"], library, "en", patient=PATIENT)
    dialog = print_actions.preview_routine(None, sheet, paper="a4")
    try:
        assert dialog.isVisible()
        preview = dialog.findChild(QPrintPreviewWidget)
        assert preview is not None
        preview.updatePreview()
        assert preview.pageCount() >= 3
    finally:
        dialog.close()
