"""Generate the player's cue sounds: ``python -m coach.ui.session.make_sounds [folder]``.

Soft sine tones with a gentle fade in and out, so no cue ever clicks or
startles; 44.1 kHz mono 16-bit WAV, which QSoundEffect plays everywhere.
The output is deterministic, so re-running it leaves the committed files as
they are. Stdlib only.
"""

from __future__ import annotations

import math
import struct
import sys
import wave
from pathlib import Path

RATE = 44_100
AMPLITUDE = 0.35  # of full scale: audible, never harsh

# name -> list of (frequency Hz, duration s); tones follow each other.
SOUNDS: dict[str, list[tuple[float, float]]] = {
    # The last three seconds of a timed step: one short, soft blip.
    "tick": [(880.0, 0.09)],
    # A new step begins: two notes rising, clearly unlike the tick.
    "step": [(523.25, 0.14), (783.99, 0.20)],
    # The session is over: a calm falling-then-resolving three-note chime.
    "done": [(659.25, 0.18), (523.25, 0.18), (783.99, 0.40)],
}

FADE_S = 0.025
"""Fade in and out of every note: long enough to avoid clicks, short enough to stay crisp."""


def _note(freq: float, seconds: float) -> list[int]:
    count = int(RATE * seconds)
    fade = max(1, int(RATE * FADE_S))
    samples = []
    for n in range(count):
        envelope = min(1.0, n / fade, (count - 1 - n) / fade)
        # A touch of the second harmonic makes the tone rounder on small speakers.
        value = math.sin(2 * math.pi * freq * n / RATE) + 0.15 * math.sin(
            4 * math.pi * freq * n / RATE
        )
        samples.append(round(32767 * AMPLITUDE * envelope * value / 1.15))
    return samples


def render(name: str) -> bytes:
    samples: list[int] = []
    for freq, seconds in SOUNDS[name]:
        samples += _note(freq, seconds)
        samples += [0] * int(RATE * 0.02)  # a short gap between notes
    return struct.pack(f"<{len(samples)}h", *samples)


def write_all(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in SOUNDS:
        path = folder / f"{name}.wav"
        with wave.open(str(path), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(RATE)
            out.writeframes(render(name))
        written.append(path)
    return written


def default_folder() -> Path:
    return Path(__file__).resolve().parents[3] / "assets" / "sounds"


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else default_folder()
    for path in write_all(folder):
        print(f"{path} ({path.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
