"""The mouse wheel scrolls the page; it never changes a field the person is not in.

Scrolling down a form with the pointer resting on a spin box, a date or a
combo box used to change the dose, the date or the choice under it. The real
fields in a real scroll area, the application's own guard (installed by
coach.app and by every main window), and the real editor page.
"""

from __future__ import annotations

from PySide6.QtCore import QDate, QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDateEdit,
    QLineEdit,
    QScrollArea,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from coach.core.common.settings import Preferences
from coach.ui.widgets import WheelGuard, guard_wheel


def wheel(widget: QWidget, notches: int = -1) -> QWheelEvent:
    """A wheel turn over the middle of ``widget`` (negative: towards the person, i.e. down)."""
    centre = QPointF(widget.rect().center())
    event = QWheelEvent(
        centre,
        QPointF(widget.mapToGlobal(centre.toPoint())),
        QPoint(0, 0),
        QPoint(0, 120 * notches),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)
    return event


def form(qtbot):  # type: ignore[no-untyped-def]
    """A tall form in a scroll area: a text field first, then the fields a wheel could change."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    guard_wheel(app)
    area = QScrollArea()
    area.setWidgetResizable(True)
    body = QWidget()
    column = QVBoxLayout(body)
    text = QLineEdit()
    spin = QSpinBox()
    spin.setRange(0, 100)
    spin.setValue(10)
    date = QDateEdit(QDate(2026, 3, 14))
    combo = QComboBox()
    combo.addItems(["once a day", "twice a day", "three times a day"])
    slider = QSlider(Qt.Orientation.Horizontal)
    slider.setRange(0, 10)
    slider.setValue(5)
    column.addWidget(text)
    for field in (spin, date, combo, slider):
        column.addSpacing(300)
        column.addWidget(field)
    column.addSpacing(900)
    area.setWidget(body)
    area.resize(400, 300)
    qtbot.addWidget(area)
    area.show()
    qtbot.waitExposed(area)
    area.activateWindow()
    text.setFocus()
    qtbot.waitUntil(text.hasFocus)
    return area, text, spin, date, combo, slider


def test_the_wheel_over_fields_without_focus_scrolls_the_form(qtbot) -> None:  # type: ignore[no-untyped-def]
    area, _text, spin, date, combo, slider = form(qtbot)
    bar = area.verticalScrollBar()
    assert bar.maximum() > 0 and bar.value() == 0
    # Over the field itself and over its text part (where the pointer usually is).
    targets = [spin, spin.lineEdit(), date, date.lineEdit(), combo, slider]
    for target in targets:
        before = bar.value()
        event = wheel(target)
        assert event.isAccepted()
        assert bar.value() > before or bar.value() == bar.maximum(), target
    assert spin.value() == 10
    assert date.date() == QDate(2026, 3, 14)
    assert combo.currentIndex() == 0
    assert slider.value() == 5
    assert bar.value() > 0  # the form scrolled
    # The wheel did not put the person into any of them either.
    for field in (spin, date, combo):
        assert not field.hasFocus()
        assert field.focusPolicy() == Qt.FocusPolicy.StrongFocus


def test_a_field_the_person_is_in_still_follows_the_wheel(qtbot) -> None:  # type: ignore[no-untyped-def]
    area, _text, spin, date, combo, _slider = form(qtbot)
    spin.setFocus()
    qtbot.waitUntil(spin.hasFocus)
    wheel(spin, notches=1)
    assert spin.value() == 11
    combo.setFocus()
    qtbot.waitUntil(combo.hasFocus)
    wheel(combo, notches=-1)
    assert combo.currentIndex() == 1
    date.setFocus()
    qtbot.waitUntil(date.hasFocus)
    wheel(date, notches=1)
    assert date.date() != QDate(2026, 3, 14)
    assert area.verticalScrollBar().value() == 0  # what the field took did not scroll


def test_scroll_bars_keep_the_wheel(qtbot) -> None:  # type: ignore[no-untyped-def]
    area, *_fields = form(qtbot)
    bar = area.verticalScrollBar()
    wheel(bar)
    assert bar.value() > 0


def test_the_guard_is_installed_once(qtbot) -> None:  # type: ignore[no-untyped-def]
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    assert guard_wheel(app) is guard_wheel(app)
    assert len(app.findChildren(WheelGuard)) == 1


def test_scrolling_the_editor_over_a_dose_changes_no_dose(qtbot, paths, library) -> None:  # type: ignore[no-untyped-def]
    from coach.ui import i18n, theme
    from coach.ui.main_window import MainWindow

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    i18n.set_language("en", paths.assets)
    theme.apply(app, 200)  # large text: the editor's form is taller than the window
    try:
        window = MainWindow(paths, Preferences(text_scale=200, clinician_mode=True), library)
        qtbot.addWidget(window)
        window.resize(1366, 768)
        window.show()
        qtbot.waitExposed(window)
        editor = window.show_page("editor")
        editor.open_routine("daily-relief")  # type: ignore[attr-defined]
        rows = [i["exercise"] for i in editor.draft.items]  # type: ignore[attr-defined]
        editor.select(rows.index("R1"))  # type: ignore[attr-defined]  # a timed one
        editor.title_en.setFocus()  # type: ignore[attr-defined]
        qtbot.waitUntil(editor.title_en.hasFocus)  # type: ignore[attr-defined]
        before = [dict(i) for i in editor.draft.items]  # type: ignore[attr-defined]
        bar = editor.scroll_area.verticalScrollBar()  # type: ignore[attr-defined]
        assert bar.maximum() > 0
        for field in (editor.f_duration, editor.f_sets, editor.f_side, editor.times):  # type: ignore[attr-defined]
            editor.scroll_area.ensureWidgetVisible(field)  # type: ignore[attr-defined]
            start = bar.value()
            wheel(field.lineEdit() if isinstance(field, QSpinBox) else field)
            assert bar.value() != start or bar.value() == bar.maximum(), field.objectName()
        assert [dict(i) for i in editor.draft.items] == before  # type: ignore[attr-defined]
        assert not editor.undo_stack.canUndo()  # type: ignore[attr-defined]
    finally:
        theme.apply(app, 125)
