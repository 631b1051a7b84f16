"""Settings a person changes: text size, contrast, language, sound and voice."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from coach.core.common.settings import TEXT_SCALES, Preferences
from coach.ui.i18n import T
from coach.ui.widgets import label


class SettingsView(QWidget):
    """Edits a copy of the preferences and emits every change at once."""

    preferences_changed = Signal(object)
    profile_requested = Signal()

    def __init__(self, prefs: Preferences, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._prefs = prefs
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.setSpacing(14)
        layout.addWidget(label(T("Settings"), "h1"))

        layout.addWidget(label(T("Text size"), "h2"))
        row = QHBoxLayout()
        self.scale_group = QButtonGroup(self)
        for scale in TEXT_SCALES:
            radio = QRadioButton(f"{scale} %")
            radio.setAccessibleName(T("Text size {n} percent").format(n=scale))
            radio.setChecked(scale == prefs.text_scale)
            self.scale_group.addButton(radio, scale)
            row.addWidget(radio)
        row.addStretch(1)
        layout.addLayout(row)
        self.contrast = QCheckBox(T("High contrast"))
        self.contrast.setChecked(prefs.high_contrast)
        layout.addWidget(self.contrast)

        layout.addWidget(label(T("Language"), "h2"))
        self.language = QComboBox()
        self.language.setAccessibleName(T("Language"))
        self.language.addItem("English", "en")
        self.language.addItem("Deutsch", "de")
        self.language.setCurrentIndex(0 if prefs.language == "en" else 1)
        lang_row = QHBoxLayout()
        lang_row.addWidget(self.language)
        lang_row.addStretch(1)
        layout.addLayout(lang_row)

        layout.addWidget(label(T("Sound and voice"), "h2"))
        self.sound = QCheckBox(T("Beeps at the end of each step"))
        self.sound.setChecked(prefs.sound)
        self.voice = QCheckBox(T("Spoken instructions"))
        self.voice.setChecked(prefs.voice)
        layout.addWidget(self.sound)
        layout.addWidget(self.voice)

        layout.addWidget(label(T("For physiotherapists"), "h2"))
        self.clinician = QCheckBox(T("Clinician mode: routine editor, hand-over files, patients"))
        self.clinician.setChecked(prefs.clinician_mode)
        self.clinician.toggled.connect(lambda on: self._change(clinician_mode=on))
        layout.addWidget(self.clinician)

        layout.addWidget(label(T("Your health"), "h2"))
        layout.addWidget(label(T("Your answers decide which exercises Coach offers you."), "muted"))
        health_row = QHBoxLayout()
        self.health = QPushButton(T("Change your health answers"))
        self.health.setAccessibleName(T("Change your health answers"))
        self.health.clicked.connect(self.profile_requested)
        health_row.addWidget(self.health)
        health_row.addStretch(1)
        layout.addLayout(health_row)
        layout.addStretch(1)

        self.scale_group.idClicked.connect(self._on_scale_clicked)
        self.contrast.toggled.connect(lambda on: self._change(high_contrast=on))
        self.language.currentIndexChanged.connect(
            lambda _: self._change(language=self.language.currentData())
        )
        self.sound.toggled.connect(lambda on: self._change(sound=on))
        self.voice.toggled.connect(lambda on: self._change(voice=on))

    def _on_scale_clicked(self, scale: int) -> None:
        self._change(text_scale=scale)

    def _change(self, **values: object) -> None:
        updated = self._prefs.changed(**values)
        if updated != self._prefs:
            self._prefs = updated
            self.preferences_changed.emit(updated)
