"""Beeps start Qt Multimedia without its FFmpeg plug-in, and nothing else loses its plug-ins.

Qt creates its media back-end once per process, so each case runs in a fresh
interpreter.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="the lean start is used on Linux only"
)

CHILD = """
import json, sys
from pathlib import Path
from PySide6.QtWidgets import QApplication
app = QApplication([])
from PySide6.QtGui import QImageReader
from PySide6.QtTextToSpeech import QTextToSpeech
from coach.ui.session.audio import Cues

cues = Cues(Path(sys.argv[1]), sound=True, voice=True)
cues.prepare()
maps = Path("/proc/self/maps").read_text()
print(json.dumps({
    "multimedia": "libQt6Multimedia" in maps,
    "ffmpeg": "ffmpegmediaplugin" in maps or "libavcodec" in maps,
    "quick": "libQt6Quick" in maps,
    "formats": sorted(bytes(f).decode() for f in QImageReader.supportedImageFormats()),
    "engines": list(QTextToSpeech.availableEngines()),
}))
"""


def _run(**env: str) -> dict[str, object]:
    environ = {k: v for k, v in os.environ.items() if k != "QT_MEDIA_BACKEND"}
    environ |= {"QT_QPA_PLATFORM": "offscreen", **env}
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(REPO / "assets" / "sounds")],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=environ,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_sound_starts_without_the_media_plugin_and_other_plugins_still_load() -> None:
    result = _run()
    assert result["multimedia"]  # Qt Multimedia did start (beeps and voice are on)
    assert not result["ffmpeg"] and not result["quick"]
    # The plug-in folders are back: image formats and speech engines are found.
    assert {"svg", "jpeg"} <= set(result["formats"])  # type: ignore[arg-type]
    assert "mock" in result["engines"]  # type: ignore[operator]


def test_a_chosen_media_backend_is_respected() -> None:
    result = _run(QT_MEDIA_BACKEND="ffmpeg")
    assert result["multimedia"] and result["ffmpeg"]
