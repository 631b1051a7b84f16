"""The printed routine sheet: one layout for the printer, the preview and the PDF.

``draw_routine_sheet`` lays a routine out onto any ``QPagedPaintDevice``
(``QPrinter``, ``QPdfWriter``, the preview's printer) whose page layout is
already set (``page_layout`` gives A4 or US Letter with the sheet's margins).
It first measures every block (header, one block per exercise, the safety
boxes, the weekly grid) with ``QTextDocument`` and font metrics on that very
device, then paginates whole blocks, so an exercise is never split across two
pages, and only then draws. Illustrations are SVG files rendered as vectors
with ``QSvgRenderer``; a missing picture becomes a neutral box.

Everything is drawn inside the page's paint rectangle (the page minus the
margins), in device units; sizes are given in points and millimetres.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import NamedTuple

from PySide6.QtCore import QMarginsF, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontDatabase,
    QFontMetricsF,
    QGuiApplication,
    QImage,
    QImageReader,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPainterPath,
    QPen,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextListFormat,
    QTextOption,
)
from PySide6.QtSvg import QSvgRenderer

from coach.core.content.custom_exercise import MAX_PICTURE_PIXELS
from coach.core.content.library import Library
from coach.core.content.model import Dosage, Exercise, Routine, RoutineItem, Side
from coach.core.content.wording import (
    DAY_NAMES,
    date_text,
    minutes_text,
    number_text,
    schedule_text,
    walk_text,
)
from coach.core.session.check import DISCLAIMER
from coach.core.session.personal import AS_WRITTEN, PersonalPlan
from coach.core.session.plan import FIRST_SIDE, effective_dosage, permission_caution
from coach.core.session.profile import DEFAULT_EMERGENCY_NUMBER
from coach.core.session.stop_rules import PAIN_CEILING, PAIN_MAX_RISE, StopReason

# --------------------------------------------------------------------------
# Paper
# --------------------------------------------------------------------------

PAPERS: dict[str, QPageSize.PageSizeId] = {
    "a4": QPageSize.PageSizeId.A4,
    "letter": QPageSize.PageSizeId.Letter,
}
MARGIN_MM = 13.0
"""Wider than any office printer's unprintable border (about 4-6 mm)."""


def page_layout(paper: str = "a4") -> QPageLayout:
    """Portrait A4 or US Letter with the sheet's margins, in millimetres."""
    try:
        size = PAPERS[paper.lower()]
    except KeyError:
        raise ValueError(f"unknown paper '{paper}' (known: {', '.join(PAPERS)})") from None
    return QPageLayout(
        QPageSize(size),
        QPageLayout.Orientation.Portrait,
        QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM),
        QPageLayout.Unit.Millimeter,
    )


# --------------------------------------------------------------------------
# What goes on the sheet
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class SheetData:
    """A routine and the facts about the person it is printed for.

    Empty texts print as a line to write on by hand, so a physiotherapist can
    print blank sheets and fill them in at the desk.
    """

    routine: Routine
    library: Library
    lang: str = "en"
    patient: str = ""
    clinician: str = ""
    phone: str = ""
    date: dt.date = field(default_factory=dt.date.today)
    review: dt.date | None = None
    how_often: str = ""
    """Overrides the routine's schedule in words."""
    note: str = ""
    emergency_number: str = DEFAULT_EMERGENCY_NUMBER
    personal: PersonalPlan | None = None
    """The routine as this person does it (``coach.core.session.personal``);
    None prints it as written, for anyone."""

    @cached_property
    def as_run(self) -> PersonalPlan:
        """What Coach will play: the personal plan, or the routine as written."""
        if self.personal is not None:
            return self.personal
        return AS_WRITTEN.plan_for(self.routine, self.library.exercises)

    @property
    def items(self) -> list[RoutineItem]:
        """The exercises as they will be run (as written when none can be run now)."""
        played = self.as_run.routine
        return list(played.items if played is not None else self.routine.items)


# --------------------------------------------------------------------------
# The sheet's own words
# --------------------------------------------------------------------------

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "kind": "Home exercise sheet",
        "name": "Name",
        "date": "Date",
        "clinician": "Physiotherapist",
        "phone": "Phone",
        "how_often": "How often",
        "exercises_n": "{n} exercises",
        "note": "Note",
        "as_run": "Your routine as Coach will run it, changed for you:",
        "page": "Page {n} of {total}",
        "start_caption": "Start",
        "end_caption": "End",
        "start": "Start position:",
        "breathing": "Breathing:",
        "take_care": "Take care:",
        "personal": "From your physiotherapist:",
        "caution": "Take care:",
        # The dose box: each fact is one phrase, its number large and bold
        # (``DoseCell``: lead, value, label read as one).
        "times": "times",
        "times_each_side": "times each side",
        "hold_lead": "Hold",
        "hold": "seconds",
        "set": "set",
        "sets": "sets",
        "rest": "seconds rest between sets",
        "minutes": "minutes",
        "walk": "walk",
        "walks": "walks",
        "walk_minutes": "minutes each walk",
        "walk_up_to": "up to",
        "walk_share": "of your walking-test time, each walk",
        "walk_break": "minutes rest after each walk",
        "side_both": "Both sides,",
        "side_both_label": "start on the {first}",
        "side_alternate": "{First} and {second},",
        "side_alternate_label": "taking turns",
        "side_left": "Left side",
        "side_right": "Right side",
        "side_only_label": "only",
        "right": "right",
        "left": "left",
        "load_lead": "Weight or band:",
        # The stop box: the title and each bullet read as one sentence.
        "stop_title": "Stop the exercise and rest if:",
        "stop_spreading": "the pain spreads further down your leg than usual",
        "stop_numbness": "you notice new numbness or weakness",
        "stop_sharp": "you feel a sharp pain",
        "pain_rule": "your pain rises more than {rise} points above how it was before you "
        "started, or reaches {ceiling} out of 10 or more when that is more than your usual pain",
        "stop_dizzy": "you feel dizzy, or you have chest pain or trouble breathing",
        "stop_after": "Rest in a position that eases your back: sit and lean forward, or lie on "
        "your back with your lower legs on a chair. Worse than usual the next morning? Make "
        "the next session one step easier.",
        # The warning signs (CONTENT.md 6a): each bullet is one sign, in the
        # same form as the others, read after the title.
        "red_title": "Call {number} now – even at night – if you notice any of these, "
        "and it is new or worse than usual:",
        "red_items": "Numbness or a change of feeling in the saddle area (groin, genitals, "
        "inner thighs or buttocks), even in a small patch\n"
        "Trouble starting or stopping your urine, a weak stream, or not feeling your "
        "bladder fill or the urine pass\n"
        "Leaking urine or stool, or not feeling your bowel fill\n"
        "A change in your sexual function, such as loss of feeling\n"
        "Weakness in a leg that is new or getting worse\n"
        "New pain or tingling in both legs\n"
        "Chest pain or pressure that does not ease after a few minutes of rest\n"
        "Fainting, or very bad breathlessness\n"
        "Sudden weakness or drooping of the face, an arm or a leg on one side, or sudden "
        "trouble speaking\n"
        "Sudden severe back or belly pain with feeling faint\n"
        "A leg that suddenly turns cold, pale and painful\n"
        "A fall with a knock to the head while you take blood thinners",
        "red_after": "Do not wait to see if it passes. Do not exercise.",
        "today_title": "Do not exercise today, and speak to a doctor today, if you have:",
        "today_items": "New chest pain or tightness when you are active that eases with "
        "rest, or a racing or uneven heartbeat\n"
        "New numbness in one foot or one leg, or your usual numbness getting worse or "
        "spreading\n"
        "Fever or chills after an injection into your back or a back operation, or while "
        "you take steroids or your immune system is weak\n"
        "After a back operation: a red, swollen or leaking wound, clear fluid from the "
        "wound, or a headache when you sit or stand that eases when you lie down",
        "doctor_title": "Do not exercise today, and see your doctor soon, if you have:",
        "doctor_items": "Fever or chills\n"
        "Weight loss you cannot explain\n"
        "New or different back pain after cancer in the past\n"
        "Constant pain at night that does not ease when you change position\n"
        "Sudden bad back pain after a small strain, a cough or lifting something\n"
        "A recent fall or injury, above all if you have osteoporosis or take steroids\n"
        "Worse balance together with clumsy or tingling hands\n"
        "Foot pain at rest or at night, or a foot wound that does not heal\n"
        "Calf pain when you walk that goes away as soon as you stand still",
        "week_title": "Your week",
        "week_from": "Week starting:",
        "week_help": "Tick each session you did. Each evening, write down your pain: "
        "0 = no pain, 10 = the worst pain.",
        "done_row": "Done ✓",
        "session_row": "Session {n}",
        "pain_row": "Pain 0–10",
        "review": "Next review with your physiotherapist:",
    },
    "de": {
        "kind": "Übungsblatt für zu Hause",
        "name": "Name",
        "date": "Datum",
        "clinician": "Physiotherapie",
        "phone": "Telefon",
        "how_often": "Wie oft",
        "exercises_n": "{n} Übungen",
        "note": "Hinweis",
        "as_run": "Ihre Übungsfolge, wie Coach sie abspielt, für Sie geändert:",
        "page": "Seite {n} von {total}",
        "start_caption": "Anfang",
        "end_caption": "Ende",
        "start": "Ausgangsstellung:",
        "breathing": "Atmung:",
        "take_care": "Vorsicht:",
        "personal": "Von Ihrer Physiotherapie:",
        "caution": "Vorsicht:",
        "times": "Wiederholungen",
        "times_each_side": "Wiederholungen je Seite",
        "hold_lead": "",
        "hold": "Sekunden halten",
        "set": "Durchgang",
        "sets": "Durchgänge",
        "rest": "Sekunden Pause zwischen den Durchgängen",
        "minutes": "Minuten",
        "walk": "Gehphase",
        "walks": "Gehphasen",
        "walk_minutes": "Minuten je Gehphase",
        "walk_up_to": "bis zu",
        "walk_share": "Ihrer Zeit aus dem Gehtest, je Gehphase",
        "walk_break": "Minuten Pause nach jeder Gehphase",
        "side_both": "Beide Seiten,",
        "side_both_label": "{first} beginnen",
        "side_alternate": "{First} und {second}",
        "side_alternate_label": "im Wechsel",
        "side_left": "Nur links",
        "side_right": "Nur rechts",
        "side_only_label": "",
        "right": "rechts",
        "left": "links",
        "load_lead": "Gewicht oder Band:",
        "stop_title": "Hören Sie mit der Übung auf und ruhen Sie sich aus, wenn:",
        "stop_spreading": "der Schmerz weiter ins Bein ausstrahlt als sonst",
        "stop_numbness": "Sie eine neue Taubheit oder Schwäche bemerken",
        "stop_sharp": "Sie einen stechenden Schmerz spüren",
        "pain_rule": "Ihr Schmerz um mehr als {rise} Punkte über den Wert vor dem Üben steigt "
        "oder {ceiling} von 10 oder mehr erreicht und damit stärker ist als Ihr gewohnter "
        "Schmerz",
        "stop_dizzy": "Ihnen schwindelig wird oder Sie Schmerzen in der Brust oder Atemnot haben",
        "stop_after": "Ruhen Sie sich in einer Haltung aus, die den Rücken entlastet: sitzen "
        "und nach vorn beugen, oder auf dem Rücken liegen, die Unterschenkel auf einem Stuhl. "
        "Am nächsten Morgen schlechter als sonst? Üben Sie beim nächsten Mal eine Stufe "
        "leichter.",
        "red_title": "Rufen Sie sofort den Notruf {number} an – auch nachts –, wenn Sie "
        "etwas davon bemerken und es neu oder stärker als sonst ist:",
        "red_items": "Taubheit oder ein verändertes Gefühl im Genital- oder Gesäßbereich "
        "(Leiste, Genitalien, Innenseite der Oberschenkel, Gesäß), auch an einer kleinen "
        "Stelle\n"
        "Probleme beim Wasserlassen: schwer anzufangen oder aufzuhören, ein schwacher "
        "Strahl, oder Sie spüren nicht, wann die Blase voll ist oder Urin abgeht\n"
        "Ungewollter Abgang von Urin oder Stuhl, oder Sie spüren nicht, wann der Darm "
        "voll ist\n"
        "Eine Veränderung beim Sex, zum Beispiel fehlendes Gefühl\n"
        "Eine Schwäche im Bein, die neu ist oder stärker wird\n"
        "Neue Schmerzen oder neues Kribbeln in beiden Beinen\n"
        "Schmerz oder Druck in der Brust, der nach einigen Minuten Ruhe nicht nachlässt\n"
        "Ohnmacht oder sehr starke Atemnot\n"
        "Plötzliche Schwäche auf einer Körperseite – ein hängender Mundwinkel, ein "
        "schwacher Arm oder ein schwaches Bein – oder plötzliche Probleme beim Sprechen\n"
        "Plötzliche, sehr starke Rücken- oder Bauchschmerzen mit dem Gefühl, ohnmächtig "
        "zu werden\n"
        "Ein Bein, das plötzlich kalt, blass und schmerzhaft wird\n"
        "Ein Sturz mit Schlag auf den Kopf, wenn Sie Blutverdünner nehmen",
        "red_after": "Warten Sie nicht ab, ob es vorbeigeht. Üben Sie nicht.",
        "today_title": "Üben Sie heute nicht und sprechen Sie noch heute mit einer Ärztin "
        "oder einem Arzt bei:",
        "today_items": "neuen Schmerzen oder Enge in der Brust bei Anstrengung, die in Ruhe "
        "nachlassen, oder Herzrasen oder Herzstolpern\n"
        "neuer Taubheit in einem Fuß oder Bein, oder gewohnter Taubheit, die stärker wird "
        "oder sich ausbreitet\n"
        "Fieber oder Schüttelfrost nach einer Spritze in den Rücken oder einer "
        "Rückenoperation, oder wenn Sie Kortison nehmen oder Ihre Abwehrkräfte geschwächt "
        "sind\n"
        "nach einer Rückenoperation: einer geröteten, geschwollenen oder nässenden Wunde, "
        "klarer Flüssigkeit aus der Wunde oder Kopfschmerzen im Sitzen oder Stehen, die im "
        "Liegen besser werden",
        "doctor_title": "Üben Sie heute nicht und gehen Sie bald zur Ärztin oder zum Arzt bei:",
        "doctor_items": "Fieber oder Schüttelfrost\n"
        "Gewichtsverlust, den Sie sich nicht erklären können\n"
        "neuen oder veränderten Rückenschmerzen, wenn Sie schon einmal Krebs hatten\n"
        "ständigen Schmerzen in der Nacht, die auch nicht nachlassen, wenn Sie sich anders "
        "hinlegen\n"
        "plötzlichen starken Rückenschmerzen nach einer kleinen Anstrengung, beim Husten "
        "oder Heben\n"
        "einem Sturz oder einer Verletzung vor kurzem, vor allem bei Osteoporose oder wenn "
        "Sie Kortison nehmen\n"
        "schlechterem Gleichgewicht zusammen mit ungeschickten oder kribbelnden Händen\n"
        "Fußschmerzen in Ruhe oder nachts, oder einer Wunde am Fuß, die nicht heilt\n"
        "Wadenschmerzen beim Gehen, die schon vergehen, wenn Sie nur stehen bleiben",
        "week_title": "Ihre Woche",
        "week_from": "Woche ab:",
        "week_help": "Haken Sie jede Übungseinheit ab. Schreiben Sie jeden Abend Ihren "
        "Schmerz auf: 0 = kein Schmerz, 10 = stärkster Schmerz.",
        "done_row": "Geübt ✓",
        "session_row": "{n}. Einheit",
        "pain_row": "Schmerz 0–10",
        "review": "Nächster Termin bei Ihrer Physiotherapie:",
    },
}

STOP_REASONS: dict[StopReason, str] = {
    StopReason.PAIN_SPREADING_LEG: "stop_spreading",
    StopReason.NEW_NUMBNESS_WEAKNESS: "stop_numbness",
    StopReason.SHARP_PAIN: "stop_sharp",
    StopReason.DIZZINESS_CHEST: "stop_dizzy",
}
"""The reasons a person can pick after pressing Stop (but "something else"), each
in the sheet's own words: the player's short labels speak as the person ("The
pain goes further down my leg"); under the box's title the sheet speaks to them,
and each bullet finishes the title's sentence."""
PAIN_RULE_AT = 3
"""The pain rule's place in the stop box, after sharp pain."""


class DoseCell(NamedTuple):
    """One fact of the dose box, read as one phrase: lead, value (large, bold), label.

    "10 times each side"; "Hold 5 seconds"; "Both sides, start on the right".
    """

    value: str
    label: str = ""
    lead: str = ""


# Print colours: black text; fills light enough to stay light in greyscale.
INK = QColor("#1d1d1b")
MUTED = QColor("#4a4a46")
ACCENT = QColor("#0b6e5f")
ACCENT_SOFT = QColor("#e6f2ef")
WARN = QColor("#b3261e")
WARN_SOFT = QColor("#fcefed")
RULE = QColor("#8c887f")
LIGHT = QColor("#c9c5bb")
SHADE = QColor("#ecebe6")

FAMILIES = ["Atkinson Hyperlegible", "DejaVu Sans", "Noto Sans", "Arial", "Helvetica"]
"""Atkinson Hyperlegible first; scripts it lacks (Greek, Arabic) fall back."""
FALLBACK_FAMILIES = ["DejaVu Sans", "Noto Sans", "Arial", "Helvetica", "Atkinson Hyperlegible"]
"""For a text with letters Atkinson Hyperlegible does not have."""

BODY_PT = 12.0
"""Body text; nothing on the sheet is smaller than 12 pt."""
MIN_PT = 12.0
PICTURE_MM = (52.0, 47.0, 42.0)
"""Picture widths to try, largest first: the largest that needs no extra page wins."""
LARGE_PICTURE_MM = (80.0, 72.0, 64.0)
"""Where a page has room to spare, its exercises get pictures this large."""
PHOTO_DPI = 300
"""A clinic's photo is printed at up to this sharpness; more only makes the file bigger."""


# --------------------------------------------------------------------------
# Fonts
# --------------------------------------------------------------------------


@cache
def _load_fonts(folder: Path) -> int:
    count = 0
    for ttf in sorted(folder.glob("*.ttf")):
        if QFontDatabase.addApplicationFont(str(ttf)) >= 0:
            count += 1
    return count


def ensure_fonts(assets: Path | None = None) -> None:
    """Register Atkinson Hyperlegible with Qt (needs a QGuiApplication)."""
    if QGuiApplication.instance() is None:
        raise RuntimeError("the routine sheet needs a QGuiApplication")
    folders = [assets / "fonts"] if assets is not None else []
    from coach.core.common.paths import resolve

    folders.append(resolve().assets / "fonts")
    for folder in folders:
        if folder.is_dir() and _load_fonts(folder.resolve()):
            return


# --------------------------------------------------------------------------
# Layout
# --------------------------------------------------------------------------


def footer_parts(title: str, patient: str, date: str) -> list[str]:
    parts = [title]
    if patient.strip():
        # Isolated, so a right-to-left name does not pull the date into its run.
        parts.append(f"\u2068{patient.strip()}\u2069")
    return [*parts, date]


@dataclass
class _Block:
    height: float
    draw: Callable[[QPainter, float], None]
    """Draws the block with its top edge at y (x from 0 to the page width)."""
    exercise_id: str | None = None
    pic_mm: float = 0.0
    resize: Callable[[float], _Block] | None = None
    """Rebuilds an exercise block with pictures of another width (mm)."""


@dataclass
class _Parts:
    title: QTextDocument
    text: QTextDocument
    cue: QTextDocument
    start: Path | None
    end: Path | None
    cells: list[DoseCell]
    words: str = ""  # a walk's full wording, under its numbers


@dataclass
class _Page:
    blocks: list[tuple[_Block, float, float]] = field(default_factory=list)
    """(block, top, scale)"""


class _Sheet:
    """Measures and draws one sheet on one device; all lengths in device units."""

    def __init__(self, device: QPagedPaintDevice, sheet: SheetData) -> None:
        self.sheet = sheet
        self._setup(device, sheet.lang, WORDS)

    def _setup(
        self, device: QPagedPaintDevice, lang: str, words: dict[str, dict[str, str]]
    ) -> None:
        """Device metrics and caches; shared with the progress report."""
        self.device = device
        self.lang = lang if lang in words else "en"
        self.w = words[self.lang]
        self.dpi = float(device.logicalDpiY())
        self.width = float(device.width())
        self.height = float(device.height())
        self.gap = self.mm(6)
        self._renderers: dict[Path, QSvgRenderer | None] = {}
        self._photos: dict[tuple[Path, int], QImage | None] = {}
        self._doc_scale = self._measure_doc_scale()
        self._parts: dict[int, _Parts] = {}
        self._primary: QFontMetricsF | None = None
        self._fonts: dict[tuple[float, bool, bool], QFont] = {}
        self._formats: dict[tuple[float, bool, int, bool], QTextCharFormat] = {}
        self._dose_docs: dict[tuple[tuple[DoseCell, ...], int, bool, str], QTextDocument] = {}

    # -- units and fonts ---------------------------------------------------
    def mm(self, value: float) -> float:
        return value * self.dpi / 25.4

    def pt(self, value: float) -> float:
        return value * self.dpi / 72.0

    def _measure_doc_scale(self) -> float:
        """Device units per QTextDocument length unit.

        QTextDocumentLayout scales margins and indents from the screen's
        logical DPI to the paint device's, and that DPI differs from screen to
        screen, so it is measured rather than assumed.
        """
        doc = QTextDocument()
        doc.documentLayout().setPaintDevice(self.device)
        doc.setDocumentMargin(0)
        doc.setPlainText("x\ny")
        plain = doc.size().height()
        fmt = QTextBlockFormat()
        fmt.setBottomMargin(100.0)
        QTextCursor(doc).setBlockFormat(fmt)
        scale = (doc.size().height() - plain) / 100.0
        return scale if scale > 0 else 1.0

    def doc_pt(self, value: float) -> float:
        """A length in points as a QTextDocument margin or indent."""
        return self.pt(value) / self._doc_scale

    def font(self, size: float = BODY_PT, *, bold: bool = False, text: str = "") -> QFont:
        """The sheet's typeface; a text with letters it lacks gets the fallback whole.

        Qt would otherwise fetch only the missing glyphs from another font, and
        a Greek name would come out in two typefaces, letter by letter.
        """
        key = (size, bold, self.covered(text))
        cached = self._fonts.get(key)
        if cached is None:
            cached = QFont()
            cached.setFamilies(FAMILIES if key[2] else FALLBACK_FAMILIES)
            cached.setPointSizeF(max(MIN_PT, size))
            cached.setBold(bold)
            cached.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
            self._fonts[key] = cached
        return QFont(cached)

    def covered(self, text: str) -> bool:
        if not text or text.isascii():
            return True
        if self._primary is None:
            primary = QFont(FAMILIES[0])
            primary.setStyleStrategy(QFont.StyleStrategy.NoFontMerging)
            self._primary = QFontMetricsF(primary)
        fm = self._primary
        return all(fm.inFontUcs4(ord(ch)) for ch in text if ch.isalpha())

    def metrics(self, font: QFont) -> QFontMetricsF:
        return QFontMetricsF(font, self.device)

    def text(self, key: str, **values: object) -> str:
        return self.w[key].format(**values) if values else self.w[key]

    # -- text documents ----------------------------------------------------
    def document(self, width: float, size: float = BODY_PT) -> QTextDocument:
        doc = QTextDocument()
        doc.documentLayout().setPaintDevice(self.device)
        doc.setDocumentMargin(0)
        doc.setDefaultFont(self.font(size))
        doc.setIndentWidth(self.pt(18) / self._doc_scale)
        option = QTextOption()
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        doc.setDefaultTextOption(option)
        doc.setTextWidth(width)
        return doc

    def block_format(self, *, after: float = 3.0, before: float = 0.0) -> QTextBlockFormat:
        fmt = QTextBlockFormat()
        fmt.setBottomMargin(self.doc_pt(after))
        fmt.setTopMargin(self.doc_pt(before))
        fmt.setLineHeight(100, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
        return fmt

    def char_format(
        self, size: float = BODY_PT, *, bold: bool = False, color: QColor = INK, text: str = ""
    ) -> QTextCharFormat:
        key = (size, bold, color.rgba(), self.covered(text))
        cached = self._formats.get(key)
        if cached is None:
            cached = QTextCharFormat()
            cached.setFont(self.font(size, bold=bold, text=text))
            cached.setForeground(QBrush(color))
            self._formats[key] = cached
        return cached

    def insert(
        self,
        cursor: QTextCursor,
        text: str,
        size: float = BODY_PT,
        *,
        bold: bool = False,
        color: QColor = INK,
    ) -> None:
        """Insert text; only the words with letters the typeface lacks use the fallback."""
        if self.covered(text):
            cursor.insertText(text, self.char_format(size, bold=bold, color=color))
            return
        run: list[str] = []
        run_covered = True
        for word in re.split(r"(\s+)", text):
            covered = self.covered(word) if word.strip() else run_covered
            if run and covered != run_covered:
                piece = "".join(run)
                sample = "" if run_covered else piece
                cursor.insertText(
                    piece, self.char_format(size, bold=bold, color=color, text=sample)
                )
                run = []
            run.append(word)
            run_covered = covered
        if run:
            piece = "".join(run)
            sample = "" if run_covered else piece
            cursor.insertText(piece, self.char_format(size, bold=bold, color=color, text=sample))

    def paragraphs(
        self,
        width: float,
        paras: Sequence[Sequence[tuple[str, bool]]],
        *,
        size: float = BODY_PT,
        after: float = 3.0,
        color: QColor = INK,
    ) -> QTextDocument:
        """A document of paragraphs, each a run of (text, bold) pieces."""
        doc = self.document(width, size)
        cursor = QTextCursor(doc)
        for n, para in enumerate(paras):
            fmt = self.block_format(after=after if n < len(paras) - 1 else 0)
            if n == 0:
                cursor.setBlockFormat(fmt)
            else:
                cursor.insertBlock(fmt)
            for piece, bold in para:
                self.insert(cursor, piece, size, bold=bold, color=color)
        return doc

    def bullets(
        self,
        width: float,
        items: Sequence[str],
        *,
        numbered: bool = False,
        size: float = BODY_PT,
        lead: Sequence[Sequence[tuple[str, bool]]] = (),
        after: float = 3.0,
    ) -> QTextDocument:
        """Optional lead paragraphs, then a bulleted or numbered list."""
        doc = self.document(width, size)
        cursor = QTextCursor(doc)
        first = True
        for para in lead:
            fmt = self.block_format(after=after + 1)
            if first:
                cursor.setBlockFormat(fmt)
            else:
                cursor.insertBlock(fmt)
            first = False
            for piece, bold in para:
                self.insert(cursor, piece, size, bold=bold)
        list_format = QTextListFormat()
        list_format.setStyle(
            QTextListFormat.Style.ListDecimal if numbered else QTextListFormat.Style.ListDisc
        )
        list_format.setIndent(1)
        self.add_list(cursor, items, list_format, size=size, after=after, first=first)
        return doc

    def add_list(
        self,
        cursor: QTextCursor,
        items: Sequence[str],
        list_format: QTextListFormat,
        *,
        size: float = BODY_PT,
        after: float = 3.0,
        first: bool = False,
    ) -> None:
        text_list = None
        for n, item in enumerate(items):
            fmt = self.block_format(after=after if n < len(items) - 1 else 0)
            if first and n == 0:
                cursor.setBlockFormat(fmt)
            else:
                cursor.insertBlock(fmt)
            if text_list is None:
                text_list = cursor.createList(list_format)
            else:
                text_list.add(cursor.block())
            self.insert(cursor, item, size)

    def plain_paragraph(
        self,
        doc: QTextDocument,
        pieces: Sequence[tuple[str, bool]],
        *,
        before: float = 0.0,
        color: QColor = INK,
    ) -> None:
        """Append a paragraph at the end of ``doc``, outside any list."""
        cursor = QTextCursor(doc)
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.insertBlock(self.block_format(before=before, after=0))
        current = cursor.currentList()
        if current is not None:
            current.remove(cursor.block())
        fmt = cursor.blockFormat()
        fmt.setIndent(0)
        cursor.setBlockFormat(fmt)
        for text, bold in pieces:
            self.insert(cursor, text, bold=bold, color=color)

    @staticmethod
    def doc_height(doc: QTextDocument) -> float:
        return float(doc.size().height())

    def draw_doc(self, painter: QPainter, doc: QTextDocument, x: float, y: float) -> None:
        painter.save()
        painter.translate(x, y)
        doc.drawContents(painter)
        painter.restore()

    # -- pictures ----------------------------------------------------------
    def renderer(self, path: Path | None) -> QSvgRenderer | None:
        if path is None:
            return None
        if path not in self._renderers:
            renderer: QSvgRenderer | None = None
            if path.suffix.lower() == ".svg":
                candidate = QSvgRenderer(str(path))
                if candidate.isValid():
                    candidate.setAspectRatioMode(Qt.AspectRatioMode.KeepAspectRatio)
                    renderer = candidate
            self._renderers[path] = renderer
        return self._renderers[path]

    def draw_picture(self, painter: QPainter, path: Path | None, rect: QRectF) -> None:
        """The illustration as vectors, or a neutral box when it is missing."""
        painter.save()
        painter.setPen(QPen(LIGHT, self.mm(0.3)))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(rect, self.mm(2), self.mm(2))
        renderer = self.renderer(path)
        inner = rect.adjusted(self.mm(1), self.mm(1), -self.mm(1), -self.mm(1))
        image = None if renderer is not None else self.photo(path, inner.width())
        if renderer is not None:
            renderer.render(painter, inner)
        elif image is not None:
            # The same box as a drawn figure, the photo's own shape kept inside it.
            size = QSizeF(image.size()).scaled(inner.size(), Qt.AspectRatioMode.KeepAspectRatio)
            target = QRectF(QPointF(0, 0), size)
            target.moveCenter(inner.center())
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            painter.drawImage(target, image)
        else:
            self._placeholder(painter, inner)
        painter.restore()

    def photo(self, path: Path | None, width: float) -> QImage | None:
        """A clinic's PNG or JPEG picture, ready for a box ``width`` device units wide.

        The file comes from outside: its size is read from the header and an
        absurd one refused before decoding; a phone photo is turned upright
        (its rotation is only a tag in the file); and a picture far sharper
        than print needs is scaled down, or every sheet would carry the
        camera's megabytes once per picture box.
        """
        if path is None or path.suffix.lower() not in (".png", ".jpg", ".jpeg"):
            return None
        key = (path, round(width))
        if key not in self._photos:
            image: QImage | None = None
            reader = QImageReader(str(path))
            size = reader.size()
            if size.isValid() and 0 < size.width() * size.height() <= MAX_PICTURE_PIXELS:
                reader.setAutoTransform(True)
                read = reader.read()
                if not read.isNull():
                    image = read
                    wanted = max(1, round(width / self.dpi * PHOTO_DPI))
                    if image.width() > 1.5 * wanted:
                        image = image.scaledToWidth(
                            wanted, Qt.TransformationMode.SmoothTransformation
                        )
            self._photos[key] = image
        return self._photos[key]

    def _placeholder(self, painter: QPainter, rect: QRectF) -> None:
        pen = QPen(LIGHT, self.mm(0.3), Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(QBrush(QColor("#f4f3ef")))
        painter.drawRoundedRect(
            rect.adjusted(self.mm(2), self.mm(2), -self.mm(2), -self.mm(2)), 4, 4
        )

    def draw_tick(self, painter: QPainter, center: QPointF, radius: float) -> None:
        """A white tick in a filled accent circle: the "do it like this" mark."""
        painter.save()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(ACCENT))
        painter.drawEllipse(center, radius, radius)
        path = QPainterPath()
        path.moveTo(center + QPointF(-0.5 * radius, 0.02 * radius))
        path.lineTo(center + QPointF(-0.14 * radius, 0.38 * radius))
        path.lineTo(center + QPointF(0.52 * radius, -0.36 * radius))
        pen = QPen(QColor("white"), radius * 0.26)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)
        painter.restore()

    def draw_warning(self, painter: QPainter, center: QPointF, size: float) -> None:
        """A warning triangle with "!", so the red box does not rely on colour."""
        painter.save()
        tri = QPainterPath()
        tri.moveTo(center + QPointF(0, -size * 0.55))
        tri.lineTo(center + QPointF(size * 0.6, size * 0.48))
        tri.lineTo(center + QPointF(-size * 0.6, size * 0.48))
        tri.closeSubpath()
        pen = QPen(WARN, size * 0.08)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        painter.setBrush(QBrush(WARN))
        painter.drawPath(tri)
        bar = QPen(QColor("white"), size * 0.11)
        bar.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(bar)
        painter.drawLine(center + QPointF(0, -size * 0.2), center + QPointF(0, size * 0.14))
        painter.drawPoint(center + QPointF(0, size * 0.32))
        painter.restore()

    # -- header ------------------------------------------------------------
    def routine_minutes(self) -> str:
        try:
            personal = self.sheet.as_run
        except (KeyError, ValueError):
            return ""
        if not personal.playable:
            return ""
        return minutes_text(personal.total_seconds, self.lang)

    def header_block(self) -> _Block:
        sheet, lang = self.sheet, self.lang
        routine = sheet.routine
        kind_doc = self.paragraphs(self.width, [[(self.text("kind"), True)]], color=ACCENT)
        title_doc = self.paragraphs(self.width, [[(routine.title.get(lang), True)]], size=22)
        desc_doc = self.paragraphs(self.width, [[(routine.description.get(lang), False)]])
        how_often = sheet.how_often or schedule_text(routine.schedule, lang)
        facts = [
            how_often,
            self.routine_minutes(),
            self.text("exercises_n", n=len(sheet.items)),
        ]
        fields = [
            (self.text("name"), sheet.patient),
            (self.text("date"), date_text(sheet.date, lang)),
            (self.text("clinician"), sheet.clinician),
            (self.text("phone"), sheet.phone),
        ]
        col_gap = self.mm(8)
        col_w = (self.width - col_gap) / 2
        cells = [self.field_cell(label, value, col_w) for label, value in fields]
        rows = [cells[0:2], cells[2:4]]
        row_h = [max(c[0] for c in row) for row in rows]
        often_doc = self.paragraphs(
            self.width,
            [[(self.text("how_often") + ": ", True), (" · ".join(f for f in facts if f), False)]],
        )
        note_doc = (
            self.paragraphs(
                self.width - self.mm(8),
                [[(self.text("note") + ": ", True), (sheet.note.strip(), False)]],
            )
            if sheet.note.strip()
            else None
        )
        changes = self.sheet_changes()
        changes_doc = (
            self.paragraphs(
                self.width - self.mm(8),
                [[(self.text("as_run"), True)], *([("• " + c, False)] for c in changes)],
            )
            if changes
            else None
        )
        space = self.mm(2.5)
        heights = [
            self.doc_height(kind_doc),
            self.mm(1),
            self.doc_height(title_doc),
            self.mm(1.5),
            self.doc_height(desc_doc),
            self.mm(4),
            row_h[0],
            space,
            row_h[1],
            space,
            self.doc_height(often_doc),
        ]
        note_h = self.doc_height(note_doc) + self.mm(6) if note_doc is not None else 0.0
        changes_h = self.doc_height(changes_doc) + self.mm(6) if changes_doc is not None else 0.0
        total = (
            sum(heights)
            + (self.mm(4) + note_h if note_doc is not None else 0)
            + (self.mm(4) + changes_h if changes_doc is not None else 0)
            + self.mm(3)
        )

        def draw(painter: QPainter, top: float) -> None:
            y = top
            self.draw_doc(painter, kind_doc, 0, y)
            y += self.doc_height(kind_doc) + self.mm(1)
            self.draw_doc(painter, title_doc, 0, y)
            y += self.doc_height(title_doc) + self.mm(1.5)
            self.draw_doc(painter, desc_doc, 0, y)
            y += self.doc_height(desc_doc) + self.mm(4)
            for row, h in zip(rows, row_h, strict=True):
                for col, (_h, paint) in enumerate(row):
                    paint(painter, col * (col_w + col_gap), y)
                y += h + space
            self.draw_doc(painter, often_doc, 0, y)
            y += self.doc_height(often_doc)
            # The clinician's note in a thin box; what Coach changed in the accent colour.
            for doc, h, pen in (
                (note_doc, note_h, QPen(RULE, self.mm(0.35))),
                (changes_doc, changes_h, QPen(ACCENT, self.mm(0.5))),
            ):
                if doc is None:
                    continue
                y += self.mm(4)
                painter.save()
                painter.setPen(pen)
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRoundedRect(QRectF(0, y, self.width, h), self.mm(2), self.mm(2))
                painter.restore()
                self.draw_doc(painter, doc, self.mm(4), y + self.mm(3))
                y += h
            y += self.mm(1.5)
            painter.save()
            painter.setPen(QPen(INK, self.mm(0.5)))
            painter.drawLine(QPointF(0, y), QPointF(self.width, y))
            painter.restore()

        return _Block(total, draw)

    def sheet_changes(self) -> list[str]:
        """How the routine as run differs from the routine as written, in the sheet's words."""
        try:
            return self.sheet.as_run.change_texts(self.lang)
        except (KeyError, ValueError):
            return []

    def field_cell(
        self, label: str, value: str, width: float
    ) -> tuple[float, Callable[[QPainter, float, float], None]]:
        """ "Label: value", or the label and a line to write on."""
        if value.strip():
            doc = self.paragraphs(width, [[(label + ": ", True), (value.strip(), False)]])

            def paint(painter: QPainter, x: float, y: float) -> None:
                self.draw_doc(painter, doc, x, y)

            return self.doc_height(doc), paint
        doc = self.paragraphs(width, [[(label + ":", True)]])
        label_w = float(doc.idealWidth())
        height = self.doc_height(doc)
        baseline = height * 0.85

        def paint_blank(painter: QPainter, x: float, y: float) -> None:
            self.draw_doc(painter, doc, x, y)
            painter.save()
            painter.setPen(QPen(RULE, self.mm(0.3)))
            painter.drawLine(
                QPointF(x + label_w + self.mm(2), y + baseline),
                QPointF(x + width, y + baseline),
            )
            painter.restore()

        return height, paint_blank

    # -- exercise blocks -----------------------------------------------------
    def exercise_parts(self, number: int, item: RoutineItem, ex: Exercise) -> _Parts:
        """The texts of an exercise block, laid out once whatever the picture size."""
        cached = self._parts.get(number)
        if cached is not None:
            return cached
        lang = self.lang
        pad = self.mm(3.5)
        inner_w = self.width - 2 * pad
        badge_r = self.mm(3.9)
        title_x = pad + 2 * badge_r + self.mm(3)
        title = self.paragraphs(self.width - title_x - pad, [[(ex.title.get(lang), True)]], size=16)
        # Start position, numbered steps, breathing and the clinician's note.
        text = self.bullets(
            inner_w,
            [s.get(lang) for s in ex.steps],
            numbered=True,
            lead=[[(self.text("start") + " ", True), (ex.start_position.get(lang), False)]],
            after=2.0,
        )
        if ex.breathing is not None:
            self.plain_paragraph(
                text,
                [(self.text("breathing") + " ", True), (ex.breathing.get(lang), False)],
                before=3,
            )
        if item.note is not None:
            self.plain_paragraph(
                text,
                [(self.text("personal") + " ", True), (item.note.get(lang), False)],
                before=3,
            )
        # An exercise allowed by permission says so, with what to heed, as the
        # player does.
        caution = permission_caution(self.sheet.routine, ex)
        if caution is not None:
            self.plain_paragraph(
                text,
                [(self.text("caution") + " ", True), (caution.get(lang), True)],
                before=3,
            )
        # The cue against overarching, beside a tick.
        cue_x = self.mm(1.6) * 2 + self.mm(3.2) * 2 + self.mm(3)
        cue = self.paragraphs(inner_w - cue_x, [[(ex.cue.get(lang), True)]])
        parts = _Parts(
            title=title,
            text=text,
            cue=cue,
            start=self.sheet.library.illustration(ex.id, "start"),
            end=self.sheet.library.illustration(ex.id, "end"),
            cells=self.dose_cells(effective_dosage(item, ex)),
            words=self.dose_words(effective_dosage(item, ex)),
        )
        self._parts[number] = parts
        return parts

    def exercise_block(
        self, number: int, item: RoutineItem, ex: Exercise, pic_mm: float = 52.0
    ) -> _Block:
        """Title bar; start and end pictures with the dose beside them; steps; the cue."""
        pad = self.mm(3.5)
        inner_w = self.width - 2 * pad
        pic_gap = self.mm(7)  # room for the arrow from start to end
        pic_w = self.mm(pic_mm)
        pic_h = pic_w * 0.75
        dose_x = pad + 2 * pic_w + pic_gap + self.mm(5)
        dose_w = self.width - pad - dose_x
        # Large pictures leave no room beside them: the dose goes underneath.
        below = dose_w < self.mm(50)
        pics_x = pad + (inner_w - 2 * pic_w - pic_gap) / 2 if below else pad

        badge_r = self.mm(3.9)
        title_x = pad + 2 * badge_r + self.mm(3)
        tick_r = self.mm(3.2)
        cue_pad = self.mm(1.6)
        cue_text_x = cue_pad + 2 * tick_r + self.mm(3)
        parts = self.exercise_parts(number, item, ex)
        title_doc, text_doc, cue_doc = parts.title, parts.text, parts.cue
        start_pic, end_pic = parts.start, parts.end
        bar_h = max(2 * badge_r, self.doc_height(title_doc)) + 2 * self.mm(1.3)
        text_h = self.doc_height(text_doc)
        cue_h = max(2 * tick_r, self.doc_height(cue_doc)) + 2 * cue_pad

        # The pictures with captions, and the dose beside them.
        caption_font = self.font(MIN_PT, bold=True)
        caption_h = self.metrics(caption_font).height() + self.mm(1)
        gap = self.mm(3)
        if below:
            dose_h, draw_dose = self.dose_panel(
                parts.cells, inner_w, inline=True, words=parts.words
            )
            row_h = pic_h + caption_h + gap + dose_h
        else:
            dose_h, draw_dose = self.dose_panel(parts.cells, dose_w, words=parts.words)
            row_h = max(pic_h + caption_h, dose_h)

        total = bar_h + pad + row_h + gap + text_h + gap + cue_h + pad

        def draw(painter: QPainter, top: float) -> None:
            painter.save()
            frame = QRectF(0, top, self.width, total)
            radius = self.mm(3)
            clip = QPainterPath()
            clip.addRoundedRect(frame, radius, radius)
            painter.setClipPath(clip)
            painter.fillRect(QRectF(0, top, self.width, bar_h), ACCENT_SOFT)
            painter.setClipping(False)
            painter.setPen(QPen(RULE, self.mm(0.4)))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(frame, radius, radius)
            painter.drawLine(QPointF(0, top + bar_h), QPointF(self.width, top + bar_h))
            centre = QPointF(pad + badge_r, top + bar_h / 2)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QBrush(ACCENT))
            painter.drawEllipse(centre, badge_r, badge_r)
            painter.setPen(QPen(QColor("white")))
            painter.setFont(self.font(15, bold=True))
            painter.drawText(
                QRectF(centre.x() - badge_r, centre.y() - badge_r, 2 * badge_r, 2 * badge_r),
                int(Qt.AlignmentFlag.AlignCenter),
                str(number),
            )
            painter.restore()
            self.draw_doc(
                painter, title_doc, title_x, top + (bar_h - self.doc_height(title_doc)) / 2
            )
            y = top + bar_h + pad
            painter.save()
            painter.setFont(caption_font)
            for n, (caption, path) in enumerate(
                ((self.text("start_caption"), start_pic), (self.text("end_caption"), end_pic))
            ):
                x = pics_x + n * (pic_w + pic_gap)
                self.draw_picture(painter, path, QRectF(x, y, pic_w, pic_h))
                painter.setPen(QPen(MUTED))
                painter.drawText(
                    QRectF(x, y + pic_h, pic_w, caption_h),
                    int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom),
                    caption,
                )
            painter.restore()
            self.draw_arrow(
                painter,
                QPointF(pics_x + pic_w + self.mm(1.2), y + pic_h / 2),
                QPointF(pics_x + pic_w + pic_gap - self.mm(1.2), y + pic_h / 2),
            )
            if below:
                draw_dose(painter, pad, y + pic_h + caption_h + gap)
            else:
                draw_dose(painter, dose_x, y)
            y += row_h + gap
            self.draw_doc(painter, text_doc, pad, y)
            y += text_h + gap
            cue_rect = QRectF(pad, y, inner_w, cue_h)
            painter.save()
            painter.setPen(QPen(ACCENT, self.mm(0.5)))
            painter.setBrush(QBrush(ACCENT_SOFT))
            painter.drawRoundedRect(cue_rect, self.mm(2), self.mm(2))
            painter.restore()
            self.draw_tick(painter, QPointF(pad + cue_pad + tick_r, y + cue_h / 2), tick_r)
            self.draw_doc(
                painter, cue_doc, pad + cue_text_x, y + (cue_h - self.doc_height(cue_doc)) / 2
            )

        return _Block(
            total, draw, ex.id, pic_mm, lambda size: self.exercise_block(number, item, ex, size)
        )

    def draw_arrow(self, painter: QPainter, start: QPointF, end: QPointF) -> None:
        painter.save()
        pen = QPen(MUTED, self.mm(0.6))
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        painter.drawLine(start, end - QPointF(self.mm(0.8), 0))
        head = QPainterPath()
        size = self.mm(1.8)
        head.moveTo(end)
        head.lineTo(end + QPointF(-size, -size * 0.7))
        head.lineTo(end + QPointF(-size, size * 0.7))
        head.closeSubpath()
        painter.setBrush(QBrush(MUTED))
        painter.drawPath(head)
        painter.restore()

    def dose_cells(self, dose: Dosage) -> list[DoseCell]:
        """The dose box's facts: the numbers large, the words around them."""
        lang = self.lang
        cells: list[DoseCell] = []
        sided = dose.side in (Side.BOTH, Side.ALTERNATE)
        if dose.walk is not None:
            walk = dose.walk
            cells.append(
                DoseCell(str(walk.bouts), self.text("walk" if walk.bouts == 1 else "walks"))
            )
            if walk.from_walking_test is not None:
                share = number_text(round(walk.from_walking_test * 100), lang)
                cells.append(DoseCell(f"{share} %", self.text("walk_share")))
            else:
                longest = walk.bout_s if walk.max_s is None else min(walk.bout_s, walk.max_s)
                minutes = number_text(round(longest / 60, 1), lang)
                # "Up to": a walk that ends at the first symptoms may be shorter.
                lead = self.text("walk_up_to") if walk.stop_at_first_symptoms else ""
                cells.append(DoseCell(minutes, self.text("walk_minutes"), lead))
            if walk.bouts > 1:  # one walk has no rest after it
                minutes = number_text(walk.break_s / 60, lang)
                cells.append(DoseCell(minutes, self.text("walk_break")))
        elif dose.duration_s:
            minutes = number_text(round(dose.duration_s / 60, 1), lang)
            cells.append(DoseCell(minutes, self.text("minutes")))
        else:
            times = self.text("times_each_side" if sided else "times")
            cells.append(DoseCell(str(dose.reps), times))
            if dose.hold_s:
                hold = number_text(dose.hold_s, lang)
                cells.append(DoseCell(hold, self.text("hold"), self.text("hold_lead")))
        if dose.walk is None:
            cells.append(DoseCell(str(dose.sets), self.text("set" if dose.sets == 1 else "sets")))
            if dose.sets > 1 and dose.rest_s:
                cells.append(DoseCell(number_text(dose.rest_s, lang), self.text("rest")))
        first = self.text("right" if FIRST_SIDE is Side.RIGHT else "left")
        second = self.text("left" if FIRST_SIDE is Side.RIGHT else "right")
        if dose.side is Side.BOTH:
            label = self.text("side_both_label", first=first)
            cells.append(DoseCell(self.text("side_both"), label))
        elif dose.side is Side.ALTERNATE:
            value = self.text("side_alternate", First=first.capitalize(), second=second)
            cells.append(DoseCell(value, self.text("side_alternate_label")))
        elif dose.side in (Side.LEFT, Side.RIGHT):
            value = self.text(f"side_{dose.side.value}")
            cells.append(DoseCell(value, self.text("side_only_label")))
        if dose.load:
            cells.append(DoseCell(dose.load, lead=self.text("load_lead")))
        return cells

    def dose_words(self, dose: Dosage) -> str:
        """A walk's dose in full words, the player's own: where, how long, how it
        ends, how the person rests. The numbers alone leave out the treadmill,
        the first symptoms and whether to sit or stand for the break."""
        if dose.walk is None:
            return ""
        words = walk_text(dose.walk, self.lang)
        return words[:1].upper() + words[1:] + "."

    def dose_panel(
        self, cells: Sequence[DoseCell], width: float, *, inline: bool = False, words: str = ""
    ) -> tuple[float, Callable[[QPainter, float, float], None]]:
        """The dose box: the number large and bold, its words beside it.

        One line per fact in the narrow box beside the pictures; ``inline``
        runs the facts along one line (wrapping between facts, never inside
        one) for the wide box under large pictures.
        """
        pad = self.mm(3)
        key = (tuple(cells), round(width), inline, words)
        doc = self._dose_docs.get(key)
        if doc is None:
            doc = self._dose_doc(cells, width - 2 * pad, inline, words)
            self._dose_docs[key] = doc
        height = self.doc_height(doc) + 2 * pad

        def draw(painter: QPainter, x: float, y: float) -> None:
            painter.save()
            painter.setPen(QPen(INK, self.mm(0.45)))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(QRectF(x, y, width, height), self.mm(2), self.mm(2))
            painter.restore()
            self.draw_doc(painter, doc, x + pad, y + pad)

        return height, draw

    def _dose_doc(
        self, cells: Sequence[DoseCell], width: float, inline: bool, words: str = ""
    ) -> QTextDocument:
        doc = self.document(width)
        cursor = QTextCursor(doc)
        for n, (value, label, lead) in enumerate(cells):
            if inline:
                if n == 0:
                    cursor.setBlockFormat(self.block_format(after=0))
                else:
                    cursor.insertText("\u2003 \u2003", self.char_format())
                value = value.replace(" ", "\u00a0")
                label = label.replace(" ", "\u00a0")
                lead = lead.replace(" ", "\u00a0")
            else:
                fmt = self.block_format(after=3.5 if n < len(cells) - 1 else 0)
                if n == 0:
                    cursor.setBlockFormat(fmt)
                else:
                    cursor.insertBlock(fmt)
            space = "\u00a0" if inline else "\u2002"
            if lead:
                cursor.insertText(lead + space, self.char_format(text=lead))
            cursor.insertText(value, self.char_format(17, bold=True, text=value))
            if label:
                cursor.insertText(space + label, self.char_format(text=label))
        if words:
            # Ordinary wrapping text: a sentence, not one unbreakable fact.
            cursor.insertBlock(self.block_format(after=0, before=3.5))
            cursor.insertText(words, self.char_format(text=words))
        return doc

    # -- safety boxes --------------------------------------------------------
    def boxed(
        self,
        doc: QTextDocument,
        *,
        border: QColor,
        fill: QColor,
        icon: Callable[[QPainter, QPointF, float], None] | None,
        border_mm: float = 0.5,
    ) -> _Block:
        pad = self.mm(4)
        icon_size = self.mm(9)
        text_x = pad + (icon_size + self.mm(4) if icon is not None else 0)
        doc.setTextWidth(self.width - text_x - pad)
        height = self.doc_height(doc) + 2 * pad

        def draw(painter: QPainter, top: float) -> None:
            painter.save()
            pen = QPen(border, self.mm(border_mm))
            painter.setPen(pen)
            painter.setBrush(QBrush(fill))
            half = self.mm(border_mm) / 2
            painter.drawRoundedRect(
                QRectF(half, top + half, self.width - 2 * half, height - 2 * half),
                self.mm(3),
                self.mm(3),
            )
            painter.restore()
            if icon is not None:
                icon(painter, QPointF(pad + icon_size / 2, top + pad + icon_size / 2), icon_size)
            self.draw_doc(painter, doc, text_x, top + pad)

        return _Block(height, draw)

    def stop_block(self) -> _Block:
        items = [self.text(key) for key in STOP_REASONS.values()]
        pain_rule = self.text("pain_rule", rise=PAIN_MAX_RISE, ceiling=PAIN_CEILING)
        items.insert(PAIN_RULE_AT, pain_rule)
        doc = self.bullets(self.width, items, lead=[[(self.text("stop_title"), True)]], after=2.0)
        self.plain_paragraph(doc, [(self.text("stop_after"), False)], before=4)
        # The disclaimer belongs with the stop rules: ask first, stop when unwell.
        self.plain_paragraph(doc, [(DISCLAIMER.get(self.lang), False)], before=6, color=MUTED)

        def icon(painter: QPainter, centre: QPointF, size: float) -> None:
            self._stop_sign(painter, centre, size)

        return self.boxed(doc, border=INK, fill=QColor("white"), icon=icon)

    def _stop_sign(self, painter: QPainter, centre: QPointF, size: float) -> None:
        """An octagon with a bar: "stop" by shape, not only by colour."""
        import math

        painter.save()
        path = QPainterPath()
        r = size / 2
        for i in range(8):
            angle = math.radians(22.5 + 45 * i)
            point = centre + QPointF(r * math.cos(angle), r * math.sin(angle))
            if i == 0:
                path.moveTo(point)
            else:
                path.lineTo(point)
        path.closeSubpath()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(WARN))
        painter.drawPath(path)
        painter.setBrush(QBrush(QColor("white")))
        painter.drawRect(QRectF(centre.x() - r * 0.55, centre.y() - r * 0.14, r * 1.1, r * 0.28))
        painter.restore()

    def red_flag_block(self) -> _Block:
        number = self.sheet.emergency_number or DEFAULT_EMERGENCY_NUMBER
        doc = self.bullets(
            self.width,
            self.text("red_items").split("\n"),
            lead=[[(self.text("red_title", number=number), True)]],
            after=2.0,
        )
        self.plain_paragraph(doc, [(self.text("red_after"), True)], before=3)
        return self.boxed(doc, border=WARN, fill=WARN_SOFT, icon=self.draw_warning, border_mm=0.9)

    def doctor_block(self) -> _Block:
        """The same-day list, then the see-a-doctor-soon list: the check's tiers
        after the emergency, in the order of urgency. A box of its own, so the
        warning signs never outgrow a page and get printed smaller."""
        doc = self.bullets(
            self.width,
            self.text("today_items").split("\n"),
            lead=[[(self.text("today_title"), True)]],
            after=2.0,
        )
        cursor = QTextCursor(doc)
        cursor.movePosition(QTextCursor.MoveOperation.End)
        list_format = QTextListFormat()
        list_format.setStyle(QTextListFormat.Style.ListDisc)
        list_format.setIndent(1)
        cursor.insertBlock(self.block_format(before=8, after=3))
        cursor.insertText(self.text("doctor_title"), self.char_format(bold=True))
        self.add_list(cursor, self.text("doctor_items").split("\n"), list_format, after=2.0)
        return self.boxed(doc, border=WARN, fill=WARN_SOFT, icon=self.draw_warning, border_mm=0.9)

    # -- weekly grid -----------------------------------------------------------
    def week_block(self) -> _Block:
        lang = self.lang
        schedule = self.sheet.routine.schedule
        title_doc = self.paragraphs(self.width, [[(self.text("week_title"), True)]], size=16)
        help_doc = self.paragraphs(self.width, [[(self.text("week_help"), False)]])
        from_doc = self.paragraphs(self.width, [[(self.text("week_from"), True)]])
        from_w = float(from_doc.idealWidth())
        rows = (
            [self.text("done_row")]
            if schedule.times_per_day == 1
            else [self.text("session_row", n=n) for n in range(1, schedule.times_per_day + 1)]
        )
        rows.append(self.text("pain_row"))
        label_font = self.font(BODY_PT, bold=True)
        fm = self.metrics(label_font)
        label_w = max(fm.horizontalAdvance(r) for r in rows) + self.mm(6)
        day_w = (self.width - label_w) / 7
        head_h = fm.height() + self.mm(3)
        row_h = self.mm(13)
        grid_h = head_h + row_h * len(rows)
        names = DAY_NAMES[lang]
        days = list(names)
        planned = set(schedule.days)
        top_h = (
            self.doc_height(title_doc)
            + self.mm(1.5)
            + self.doc_height(help_doc)
            + self.mm(3)
            + self.doc_height(from_doc)
            + self.mm(3)
        )
        total = top_h + grid_h

        def draw(painter: QPainter, top: float) -> None:
            y = top
            self.draw_doc(painter, title_doc, 0, y)
            y += self.doc_height(title_doc) + self.mm(1.5)
            self.draw_doc(painter, help_doc, 0, y)
            y += self.doc_height(help_doc) + self.mm(3)
            self.draw_doc(painter, from_doc, 0, y)
            line_y = y + self.doc_height(from_doc) * 0.85
            painter.save()
            painter.setPen(QPen(RULE, self.mm(0.3)))
            painter.drawLine(
                QPointF(from_w + self.mm(2), line_y), QPointF(from_w + self.mm(60), line_y)
            )
            painter.restore()
            y += self.doc_height(from_doc) + self.mm(3)
            painter.save()
            # Days that are not planned are shaded (still free to tick).
            for i, day in enumerate(days):
                x = label_w + i * day_w
                if day not in planned:
                    painter.fillRect(QRectF(x, y + head_h, day_w, row_h * (len(rows) - 1)), SHADE)
            painter.fillRect(QRectF(0, y, self.width, head_h), ACCENT_SOFT)
            painter.setFont(label_font)
            painter.setPen(QPen(INK))
            for i, day in enumerate(days):
                x = label_w + i * day_w
                painter.drawText(
                    QRectF(x, y, day_w, head_h), int(Qt.AlignmentFlag.AlignCenter), names[day]
                )
            for r, label in enumerate(rows):
                ry = y + head_h + r * row_h
                painter.drawText(
                    QRectF(self.mm(2), ry, label_w - self.mm(2), row_h),
                    int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
                    label,
                )
            pen = QPen(INK, self.mm(0.35))
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            half = self.mm(0.35) / 2
            painter.drawRect(QRectF(half, y, self.width - 2 * half, grid_h))
            painter.drawLine(QPointF(0, y + head_h), QPointF(self.width, y + head_h))
            for r in range(1, len(rows)):
                ry = y + head_h + r * row_h
                painter.drawLine(QPointF(0, ry), QPointF(self.width, ry))
            for i in range(7):
                x = label_w + i * day_w
                painter.drawLine(QPointF(x, y), QPointF(x, y + grid_h))
            painter.restore()

        return _Block(total, draw)

    def review_block(self) -> _Block:
        lang = self.lang
        review = self.sheet.review
        label = self.text("review")
        if review is not None:
            review_doc = self.paragraphs(
                self.width, [[(label + " ", True), (date_text(review, lang), False)]], size=14
            )
        else:
            review_doc = self.paragraphs(self.width, [[(label, True)]], size=14)
        label_w = float(review_doc.idealWidth())
        review_h = self.doc_height(review_doc)
        blank = review is None and label_w + self.mm(50) > self.width
        if blank:
            review_h += self.mm(9)
        total = review_h

        def draw(painter: QPainter, top: float) -> None:
            self.draw_doc(painter, review_doc, 0, top)
            if review is None:
                painter.save()
                painter.setPen(QPen(RULE, self.mm(0.3)))
                if blank:
                    line_y = top + review_h - self.mm(1)
                    painter.drawLine(QPointF(0, line_y), QPointF(self.mm(80), line_y))
                else:
                    line_y = top + self.doc_height(review_doc) * 0.85
                    painter.drawLine(
                        QPointF(label_w + self.mm(2), line_y),
                        QPointF(min(self.width, label_w + self.mm(70)), line_y),
                    )
                painter.restore()

        return _Block(total, draw)

    # -- pages -------------------------------------------------------------------
    def footer_height(self) -> float:
        return self.metrics(self.font(BODY_PT)).height() + self.mm(4)

    def footer_parts(self) -> list[str]:
        """What the footer says on the left: the title, the patient, the date."""
        return footer_parts(
            self.sheet.routine.title.get(self.lang),
            self.sheet.patient,
            date_text(self.sheet.date, self.lang),
        )

    def draw_footer(self, painter: QPainter, page: int, total: int) -> None:
        parts = self.footer_parts()
        font = self.font(BODY_PT, text=" ".join(parts))
        fm = self.metrics(font)
        y = self.height - fm.height()
        painter.save()
        painter.setPen(QPen(LIGHT, self.mm(0.3)))
        painter.drawLine(QPointF(0, y - self.mm(2)), QPointF(self.width, y - self.mm(2)))
        painter.setFont(font)
        painter.setPen(QPen(MUTED))
        left = fm.elidedText(" · ".join(parts), Qt.TextElideMode.ElideRight, self.width * 0.72)
        rect = QRectF(0, y, self.width, fm.height())
        painter.drawText(
            rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), left
        )
        painter.setPen(QPen(INK))
        painter.drawText(
            rect,
            int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
            self.text("page", n=page, total=total),
        )
        painter.restore()

    def exercise_blocks(self, pic_mm: float) -> list[_Block]:
        blocks = []
        for n, item in enumerate(self.sheet.items, start=1):
            # In the words the player uses: a bone-safe version has its own.
            ex = self.sheet.as_run.exercise(item.exercise, self.sheet.library.exercises)
            if ex is not None:
                blocks.append(self.exercise_block(n, item, ex, pic_mm))
        return blocks

    def paginate(self, blocks: Sequence[_Block | list[_Block]]) -> list[_Page]:
        """Whole blocks onto pages, in order; a block never straddles two pages.

        A list of blocks is kept on one page when it fits on one; a block
        taller than a whole page (only a pathological custom exercise) is
        drawn scaled down so that it still stays inside the printable area.
        """
        bottom = self.height - self.footer_height()
        pages = [_Page()]
        y = 0.0

        def place(block: _Block) -> None:
            nonlocal y
            if y + block.height > bottom and pages[-1].blocks:
                pages.append(_Page())
                y = 0.0
            scale = min(1.0, bottom / block.height)
            pages[-1].blocks.append((block, y, scale))
            y += block.height * scale + self.gap

        for item in blocks:
            if isinstance(item, _Block):
                place(item)
                continue
            together = sum(b.height for b in item) + self.gap * (len(item) - 1)
            if together <= bottom and y + together > bottom and pages[-1].blocks:
                pages.append(_Page())
                y = 0.0
            for block in item:
                place(block)
        return pages

    def layout(self) -> list[_Page]:
        """The pages: fewest first, then an exercise on page 1, then the largest pictures.

        The stop box goes right under the header, where it is read before the
        first exercise, unless that pushes the first exercise off page 1; then
        it goes after the exercises.
        """
        header, stop = self.header_block(), self.stop_block()
        ending = [
            self.red_flag_block(),
            self.doctor_block(),
            self.week_block(),
            self.review_block(),
        ]
        best: list[_Page] | None = None
        best_score: tuple[int, int] | None = None
        for pic_mm in PICTURE_MM:
            exercises = self.exercise_blocks(pic_mm)
            orders: list[list[_Block | list[_Block]]] = [
                [header, stop, *exercises, ending],
                [header, *exercises, stop, ending],
            ]
            for order in orders:
                pages = self.paginate(order)
                first_has_exercise = any(b.resize is not None for b, _y, _s in pages[0].blocks)
                score = (len(pages), 0 if first_has_exercise or not exercises else 1)
                if best_score is None or score < best_score:
                    best, best_score = pages, score
        assert best is not None
        for page in best:
            self.enlarge(page)
        return best

    def enlarge(self, page: _Page) -> None:
        """Give the page's exercises larger pictures when the page has room for them."""
        if any(scale < 1.0 for _b, _y, scale in page.blocks):
            return
        exercises = [b for b, _y, _s in page.blocks if b.resize is not None]
        if not exercises:
            return
        bottom = self.height - self.footer_height()
        last, last_y, _scale = page.blocks[-1]
        free = bottom - (last_y + last.height)
        for size in LARGE_PICTURE_MM:
            if size <= exercises[0].pic_mm:
                break
            bigger = {id(b): b.resize(size) for b in exercises if b.resize is not None}
            growth = sum(bigger[id(b)].height - b.height for b in exercises)
            if growth <= free:
                y = 0.0
                placed = []
                for block, _y, scale in page.blocks:
                    block = bigger.get(id(block), block)
                    placed.append((block, y, scale))
                    y += block.height + self.gap
                page.blocks[:] = placed
                return

    def draw(self) -> int:
        pages = self.layout()
        painter = QPainter()
        if not painter.begin(self.device):
            raise OSError("cannot draw on this printer or file")
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
            for number, page in enumerate(pages, start=1):
                if number > 1 and not self.device.newPage():
                    raise OSError("cannot start a new page")
                for block, y, scale in page.blocks:
                    if scale < 1.0:
                        painter.save()
                        painter.translate(0, y)
                        painter.scale(scale, scale)
                        block.draw(painter, 0.0)
                        painter.restore()
                    else:
                        block.draw(painter, y)
                self.draw_footer(painter, number, len(pages))
        finally:
            painter.end()
        return len(pages)


def draw_routine_sheet(device: QPagedPaintDevice, sheet: SheetData) -> int:
    """Lay the sheet out onto ``device`` (its page layout already set); returns the pages.

    The same function serves the print dialog, the print preview and the PDF
    export, so what the preview shows is what comes out of the printer.
    """
    ensure_fonts(sheet.library.assets)
    return _Sheet(device, sheet).draw()
