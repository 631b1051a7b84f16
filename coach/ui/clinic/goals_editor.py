"""The goals of a hand-over: up to five PSFS activities with German words and a score.

The clinician writes each activity as the patient said it, optionally in German
for a German-speaking patient's screens, and the score the patient gives it
today (0: cannot do it, 10: as before the problem). That score is the baseline
the ratings at home are set against.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from coach.core.clinic.goals import MAX_GOALS, Goal
from coach.ui.clinic.editor.style import spin
from coach.ui.i18n import T
from coach.ui.widgets import button, label

NO_SCORE = -1
"""The spin box's value for "not scored": shown as a dash, not as a number."""

SHOWN_AT_FIRST = 3


class GoalsEditor(QWidget):
    """A small table: activity, German, baseline score; rows appear on demand."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(4)
        grid = QGridLayout()
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(4)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        self.heads = [
            label(T("Activity"), "hint", wrap=False),
            label(T("In German (optional)"), "hint", wrap=False),
            label(T("Score now (0–10)"), "hint"),  # wraps: the column stays narrow
        ]
        for column, head in enumerate(self.heads):
            grid.addWidget(head, 0, column)
        examples = (
            T("e.g. Walk to the bakery (500 m)"),
            T("e.g. Stand at the sink for 10 minutes"),
            T("e.g. Play with the grandchildren"),
            T("another activity"),
            T("another activity"),
        )
        self.texts: list[QLineEdit] = []
        self.texts_de: list[QLineEdit] = []
        self.baselines: list[QSpinBox] = []
        for n, example in enumerate(examples[:MAX_GOALS]):
            text = QLineEdit()
            text.setObjectName(f"handover-goal-{n}")
            text.setPlaceholderText(example)
            text.setAccessibleName(T("Goal {n}").format(n=n + 1))
            text_de = QLineEdit()
            text_de.setObjectName(f"handover-goal-de-{n}")
            text_de.setPlaceholderText(T("optional"))
            text_de.setAccessibleName(T("Goal {n} in German").format(n=n + 1))
            score = spin(NO_SCORE, 10, "", T("Score of goal {n} now, 0 to 10").format(n=n + 1))
            score.setObjectName(f"handover-goal-baseline-{n}")
            score.setSpecialValueText("–")  # not scored: no number to compare with later
            score.setValue(NO_SCORE)
            score.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
            score.setToolTip(
                T("How well the patient can do it today: 0 cannot do it, 10 as before.")
            )
            for column, widget in enumerate((text, text_de, score)):
                grid.addWidget(widget, n + 1, column)
                widget.setVisible(n < SHOWN_AT_FIRST)
            self.texts.append(text)
            self.texts_de.append(text_de)
            self.baselines.append(score)
        outer.addLayout(grid)
        self.more = button(T("+ Another goal"), accessible=T("Another goal"))
        self.more.setObjectName("handover-more-goals")
        self.more.clicked.connect(self._on_more_clicked)
        row = QHBoxLayout()
        row.addWidget(self.more)
        row.addStretch(1)
        outer.addLayout(row)

    def _on_more_clicked(self) -> None:
        hidden = [n for n, t in enumerate(self.texts) if t.isHidden()]
        if hidden:
            self._show_row(hidden[0])
            self.texts[hidden[0]].setFocus()
        self.more.setVisible(len(hidden) > 1)

    def _show_row(self, n: int) -> None:
        for widget in (self.texts[n], self.texts_de[n], self.baselines[n]):
            widget.show()

    def goals(self) -> list[Goal]:
        """The goals written so far; a row without English words is left out."""
        out = []
        for text, text_de, score in zip(self.texts, self.texts_de, self.baselines, strict=True):
            if not text.text().strip():
                continue
            value = score.value()
            out.append(Goal(text.text(), text_de.text(), None if value == NO_SCORE else value))
        return out

    def problem(self) -> str | None:
        """What keeps the goals from being handed over, said for the clinician."""
        for n, (text, text_de, score) in enumerate(
            zip(self.texts, self.texts_de, self.baselines, strict=True), 1
        ):
            if not text.text().strip() and (text_de.text().strip() or score.value() != NO_SCORE):
                return T("Goal {n}: write the activity in English too.").format(n=n)
        return None

    def set_goals(self, goals: list[Goal]) -> None:
        for n, text in enumerate(self.texts):
            goal = goals[n] if n < len(goals) else None
            text.setText(goal.text if goal else "")
            self.texts_de[n].setText(goal.text_de or "" if goal else "")
            for edit in (text, self.texts_de[n]):
                edit.setCursorPosition(0)  # the start of the words shows, not their end
            self.baselines[n].setValue(
                goal.baseline if goal is not None and goal.baseline is not None else NO_SCORE
            )
            if goal is not None or n < SHOWN_AT_FIRST:
                self._show_row(n)
        self.more.setVisible(any(t.isHidden() for t in self.texts))
