"""Everyday advice: relief positions, good activities, heat, aids, warning signs."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QHBoxLayout, QScrollArea, QVBoxLayout, QWidget

from coach.core.content.advice import Advice
from coach.core.content.library import Library
from coach.ui.i18n import T
from coach.ui.widgets import FigureView, card, label


class AdviceView(QWidget):
    def __init__(
        self,
        advice: Advice | None,
        library: Library,
        lang: str = "en",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        outer.addWidget(scroll)
        body = QWidget()
        scroll.setWidget(body)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(32, 24, 32, 32)
        layout.setSpacing(16)
        layout.addWidget(label(T("Everyday advice"), "h1"))
        if advice is None:
            layout.addWidget(label(T("The advice page could not be loaded."), "caution"))
            layout.addStretch(1)
            return
        self.section_ids = [s.id for s in advice.sections]
        for section in advice.sections:
            frame, box = card()
            frame.setObjectName(f"advice-{section.id}")
            box.addWidget(label(section.title.get(lang), "h2"))
            row = QHBoxLayout()
            text = QVBoxLayout()
            text.addWidget(label(section.intro.get(lang)))
            for point in section.points:
                text.addWidget(label("•  " + point.get(lang)))
            text.addStretch(1)
            row.addLayout(text, 3)
            if section.pictures:
                pictures = QVBoxLayout()
                for picture in section.pictures:
                    view = FigureView(minimum=QSize(200, 150))
                    view.setMaximumWidth(300)
                    view.set_file(library.illustration(picture.exercise, picture.frame))
                    ex = library.exercises.get(picture.exercise)
                    if ex is not None:
                        view.setAccessibleName(ex.title.get(lang))
                        view.setToolTip(ex.title.get(lang))
                    pictures.addWidget(view)
                row.addLayout(pictures, 2)
            box.addLayout(row)
            layout.addWidget(frame)
        layout.addStretch(1)
