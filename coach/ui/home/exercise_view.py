"""One exercise in full: pictures, steps, the cue, the dose, the cautions."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from coach.core.content import wording
from coach.core.content.library import Library
from coach.core.content.model import Exercise, Variant
from coach.ui.i18n import T
from coach.ui.widgets import FigureView, button, clear_layout, label

CATEGORY_NAMES = {
    "posture": "Posture",
    "stretching": "Stretching",
    "strengthening": "Strengthening",
    "balance": "Balance",
    "aerobic": "Walking and cycling",
    "relaxation": "Relaxation",
}


def dose_summary(ex: Exercise, lang: str) -> str:
    if ex.dosage_text is not None:
        return ex.dosage_text.get(lang)
    return wording.dose_text(ex.dosage, lang)


class ExerciseView(QWidget):
    """Shows one exercise; emits ``exercise_requested`` when a variant is clicked."""

    exercise_requested = Signal(str)
    back_requested = Signal()

    def __init__(self, library: Library, lang: str = "en", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._library = library
        self._lang = lang
        self.exercise: Exercise | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        outer.addWidget(scroll)
        body = QWidget()
        scroll.setWidget(body)
        self._layout = QVBoxLayout(body)
        self._layout.setContentsMargins(32, 24, 32, 32)
        self._layout.setSpacing(14)

    def set_language(self, lang: str) -> None:
        self._lang = lang
        if self.exercise is not None:
            self.show_exercise(self.exercise.id)

    def show_exercise(self, exercise_id: str) -> None:
        ex = self._library.exercises[exercise_id]
        self.exercise = ex
        lang = self._lang
        layout = self._layout
        clear_layout(layout)

        back = button(T("← Back to the exercises"), accessible=T("Back to the exercises"))
        back.clicked.connect(self.back_requested)
        row = QHBoxLayout()
        row.addWidget(back)
        row.addStretch(1)
        layout.addLayout(row)

        layout.addWidget(label(ex.title.get(lang), "h1"))
        layout.addWidget(label(T(CATEGORY_NAMES[ex.category.value]), "muted"))
        if ex.summary:
            layout.addWidget(label(ex.summary.get(lang)))

        pictures = QGridLayout()
        pictures.setHorizontalSpacing(16)
        frames = [("start", T("Start")), ("end", T("End"))]
        if ex.illustrations.avoid:
            frames.append(("avoid", T("✗ Avoid")))
        for col, (frame, caption) in enumerate(frames):
            view = FigureView(minimum=QSize(220, 165))
            view.set_file(self._library.illustration(ex.id, frame))
            view.setAccessibleName(f"{caption}: {ex.title.get(lang)}")
            view.setObjectName(f"figure-{frame}")
            pictures.addWidget(view, 0, col)
            text = caption
            if frame == "avoid" and ex.illustrations.avoid_caption:
                text = f"{caption}: {ex.illustrations.avoid_caption.get(lang)}"
            cap = label(text, "muted")
            cap.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            pictures.addWidget(cap, 1, col)
        layout.addLayout(pictures)

        cue = label("✓ " + ex.cue.get(lang), "cue")
        cue.setObjectName("cue")
        layout.addWidget(cue)
        if ex.lumbar_extension:
            layout.addWidget(
                label(
                    "✗ "
                    + T(
                        "This exercise arches the lower back. Do it only if your "
                        "physiotherapist has allowed it for you."
                    ),
                    "caution",
                )
            )

        layout.addWidget(label(T("How much"), "h2"))
        layout.addWidget(label(dose_summary(ex, lang)))
        layout.addWidget(label(T("Starting position"), "h2"))
        layout.addWidget(label(ex.start_position.get(lang)))
        layout.addWidget(label(T("Steps"), "h2"))
        for n, step in enumerate(ex.steps, start=1):
            layout.addWidget(label(f"{n}.  {step.get(lang)}"))
        if ex.breathing:
            layout.addWidget(label(T("Breathing"), "h2"))
            layout.addWidget(label(ex.breathing.get(lang)))
        if ex.mistakes:
            layout.addWidget(label(T("Common mistakes"), "h2"))
            for item in ex.mistakes:
                layout.addWidget(label("✗  " + item.get(lang)))
        if ex.cautions:
            layout.addWidget(label(T("Take care"), "h2"))
            for item in ex.cautions:
                layout.addWidget(label("!  " + item.get(lang), "caution"))
        for name, heading in (("easier", T("Easier")), ("harder", T("Harder"))):
            variant: Variant | None = getattr(ex, name)
            if variant is None:
                continue
            layout.addWidget(label(heading, "h2"))
            if variant.text:
                layout.addWidget(label(variant.text.get(lang)))
            other = self._library.exercises.get(variant.exercise or "")
            if other is not None:
                # The title goes in a label that wraps: a long title on the button
                # itself would make the page wider than the window at large text.
                see = T("See: {title}").format(title=other.title.get(lang))
                link = button(T("Show"), accessible=see)
                link.clicked.connect(lambda _=False, i=other.id: self.exercise_requested.emit(i))
                row = QHBoxLayout()
                row.addWidget(label(see), 1)
                row.addWidget(link)
                layout.addLayout(row)
        layout.addStretch(1)
