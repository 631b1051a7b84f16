"""Regression guard for PySide6 6.12.0 on Python 3.11.

That release drops a reference to ``None`` on every Qt call that returns
nothing; after a few thousand calls the interpreter aborts with
``Fatal Python error: none_dealloc``. pyproject pins PySide6 below 6.12 on
Python < 3.12; this test fails if a broken combination is ever installed.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel


def test_void_qt_calls_keep_none_alive(qtbot) -> None:  # type: ignore[no-untyped-def]
    widget = QLabel()
    qtbot.addWidget(widget)
    timer = QTimer()
    before = sys.getrefcount(None)
    for n in range(10_000):
        widget.setText("x" if n % 2 else "y")  # void C++ call
        timer.setInterval(n % 1000)  # another void call
    after = sys.getrefcount(None)
    # On Python >= 3.12 None is immortal and its count is a constant; on 3.11 a
    # leak of one reference per call would show as a drop of ~20,000.
    assert after >= before - 100, f"None lost {before - after} references"
