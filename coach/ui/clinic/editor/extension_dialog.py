"""The explicit permission asked before an exercise that arches the back.

Extension narrows the spinal canal, so such an exercise never enters a
routine silently: the clinician who allows it gives a name, and the plan
keeps it.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QFormLayout, QHBoxLayout, QLineEdit, QVBoxLayout, QWidget

from coach.core.content.model import Exercise
from coach.ui.clinic.editor.style import error_label, show_error
from coach.ui.i18n import T
from coach.ui.widgets import button, label


class ExtensionDialog(QDialog):
    """An explicit "allow for this patient" before an exercise that arches the back."""

    allowed = Signal(str)  # the clinician's name

    def __init__(self, exercise: Exercise, clinician: str, lang: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle(T("Allow an exercise that arches the back?"))
        self.setMinimumWidth(620)
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addWidget(
            label(
                T("Allow “{title}” for this patient?").format(title=exercise.title.get(lang)), "h2"
            )
        )
        layout.addWidget(
            label(
                "⚠ "
                + T(
                    "This exercise arches the lower back (lumbar extension). Extension "
                    "narrows the spinal canal, so Coach leaves it out for people with spinal "
                    "stenosis. Allow it only for a patient who tolerates it; drop it if leg "
                    "symptoms do not settle within about a minute."
                ),
                "caution",
            )
        )
        layout.addWidget(
            label(T("The patient sees a caution with it, and the permission is kept in the plan."))
        )
        form = QFormLayout()
        self.who = QLineEdit(clinician)
        self.who.setAccessibleName(T("Allowed by"))
        self.who.setPlaceholderText(T("Your name"))
        form.addRow(T("Allowed by"), self.who)
        layout.addLayout(form)
        self.error = error_label("allowed-by")
        layout.addWidget(self.error)
        row = QHBoxLayout()
        row.addStretch(1)
        cancel = button(T("Cancel"))
        cancel.setObjectName("extension-cancel")
        cancel.setDefault(True)
        cancel.clicked.connect(self.reject)
        allow = button(T("Allow for this patient"), "danger")
        allow.setObjectName("extension-allow")
        allow.clicked.connect(self._on_allow_clicked)
        row.addWidget(cancel)
        row.addWidget(allow)
        layout.addLayout(row)

    def _on_allow_clicked(self) -> None:
        who = self.who.text().strip()
        if not who:
            show_error(self.error, T("Write who allows it."))
            self.who.setFocus()
            return
        self.allowed.emit(who)
        self.accept()
