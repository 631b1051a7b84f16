"""`coach --tray` (the start-at-login mode): reminders only, no window, no library."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

PROBE = """
import json, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
import coach.app

APP = QApplication(sys.argv[:1])  # run() uses the existing application


def look():
    app = QApplication.instance()
    windows = [w for w in app.topLevelWidgets() if w.isVisible()]
    print(json.dumps({
        "windows": [type(w).__name__ for w in windows],
        "library_loaded": "coach.core.content.library" in sys.modules,
        "model_loaded": "coach.core.content.model" in sys.modules,
    }), flush=True)
    app.exit(0)

QTimer.singleShot(800, look)
raise SystemExit(coach.app.run(data_dir=sys.argv[1], tray=True))
"""


def test_tray_mode_waits_without_window_or_library(tmp_path: Path, repo: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(tmp_path / "data")],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        cwd=repo,
    )
    assert result.returncode == 0, result.stderr
    state = json.loads(result.stdout.strip().splitlines()[-1])
    assert "MainWindow" not in state["windows"]
    assert state["library_loaded"] is False
    assert state["model_loaded"] is False
