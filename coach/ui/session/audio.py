"""Sound and spoken cues for the player: soft beeps and a calm voice, both optional.

A session must never fail or show an error because of audio: no speech engine,
no sound card, a missing WAV file or an engine that breaks halfway all end in
silence (beeps only, or nothing). Nothing is created before the first session
(:meth:`Cues.prepare`): the multimedia and speech back-ends take tens of
milliseconds to load, and a person who turned sound off never pays for them.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLocale, QObject, Qt, QThread, QUrl, Signal, Slot

from coach.core.session.plan import Phase, Step
from coach.ui.i18n import T
from coach.ui.session.step_texts import caution_text, note_text

if TYPE_CHECKING:
    from PySide6.QtMultimedia import QAudioDevice, QSoundEffect
    from PySide6.QtTextToSpeech import QTextToSpeech

SOUND_NAMES = ("tick", "step", "done")
VOLUME = 0.6

TICK_MIN_STEP_S = 6.0
"""Only steps longer than this beep their last three seconds; a 3-second move
would otherwise be nothing but beeps (short moves are counted aloud instead)."""

# Engines in order of preference; anything else the platform offers comes after.
# "mock" is Qt's test engine: it says nothing, so it is never used.
_PREFERRED_ENGINES = ("sapi", "winrt", "darwin", "macos", "android", "flite", "speechd")
_NEVER = ("mock",)


def _speechd_reachable() -> bool:
    """Whether speech-dispatcher can answer without a long wait.

    libspeechd starts the daemon itself when it is installed; when it is not,
    connecting can hang for seconds. So speechd is only tried when the daemon
    already listens (its socket exists) or can be started (it is installed).
    """
    if os.environ.get("SPEECHD_ADDRESS"):
        return True
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime and Path(runtime, "speech-dispatcher", "speechd.sock").exists():
        return True
    return shutil.which("speech-dispatcher") is not None


def _engines() -> list[str]:
    from PySide6.QtTextToSpeech import QTextToSpeech

    available = [e for e in QTextToSpeech.availableEngines() if e not in _NEVER]
    ordered = [e for e in _PREFERRED_ENGINES if e in available]
    ordered += [e for e in available if e not in ordered]
    return [e for e in ordered if e != "speechd" or _speechd_reachable()]


_media_started = False


def audio_outputs_without_media_plugins() -> list[QAudioDevice]:
    """The sound outputs, with Qt Multimedia started on its own audio code only.

    The first multimedia call of a process also loads a media back-end
    plug-in. PySide6 ships FFmpeg's, which brings FFmpeg, Qt Quick and QML
    into memory (about 12 MiB, an eighth of the player) for video and media
    files that Coach never plays; beeps are a QSoundEffect, which Qt plays
    through its own PulseAudio/PipeWire/ALSA code with or without a plug-in
    (Qt says so in its "No QtMultimedia backends found" message). So on Linux
    the plug-in folders are hidden while that first call runs and put back at
    once; image, icon and speech plug-ins are still found afterwards. Someone
    who chose a back-end with QT_MEDIA_BACKEND keeps it.
    """
    global _media_started
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtMultimedia import QMediaDevices

    hide = (
        not _media_started
        and sys.platform.startswith("linux")
        and not os.environ.get("QT_MEDIA_BACKEND")
    )
    _media_started = True
    if not hide:
        return list(QMediaDevices.audioOutputs())
    folders = QCoreApplication.libraryPaths()
    QCoreApplication.setLibraryPaths([])
    try:
        return list(QMediaDevices.audioOutputs())
    finally:
        QCoreApplication.setLibraryPaths(folders)


class _Beeper(QObject):
    """The beeps, played on a thread of their own.

    Qt Multimedia's PulseAudio code can leave a socket notifier behind on the
    thread its sounds live on and then spin on it for ever ("QSocketNotifier:
    Invalid socket"), mostly in the first minutes after the sound server
    started. On the GUI thread that froze the player mid-session; here only
    the beeps stop, and the countdown, the buttons and the recording go on.
    """

    load_requested = Signal(str)
    play_requested = Signal(str)
    stop_requested = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.folder: str | None = None
        self._effects: dict[str, QSoundEffect] = {}
        self._thread = QThread()
        self._thread.setObjectName("coach-beeps")
        self.moveToThread(self._thread)
        # Loading waits for the thread: the player starts once the beeps are ready.
        self.load_requested.connect(self._load, Qt.ConnectionType.BlockingQueuedConnection)
        self.play_requested.connect(self._play)
        self.stop_requested.connect(self._stop)
        self._thread.start()

    def load(self, folder: Path) -> None:
        if self.folder != str(folder):
            self.load_requested.emit(str(folder))

    @Slot(str)
    def _load(self, folder: str) -> None:
        from PySide6.QtMultimedia import QSoundEffect

        self.folder = folder
        for effect in self._effects.values():
            effect.deleteLater()
        self._effects = {}
        try:
            if not audio_outputs_without_media_plugins():
                return  # no sound card: beeps would only produce warnings
            for name in SOUND_NAMES:
                path = Path(folder) / f"{name}.wav"
                if not path.is_file():
                    continue
                effect = QSoundEffect(self)
                effect.setSource(QUrl.fromLocalFile(str(path)))
                effect.setVolume(VOLUME)
                self._effects[name] = effect
        except Exception:  # a broken multimedia back-end means silence, never a crash
            self._effects = {}

    @Slot(str)
    def _play(self, name: str) -> None:
        effect = self._effects.get(name)
        if effect is not None:
            try:
                effect.play()
            except Exception:
                self._effects.pop(name, None)

    @Slot()
    def _stop(self) -> None:
        for effect in self._effects.values():
            with contextlib.suppress(Exception):
                effect.stop()

    def effects(self) -> dict[str, QSoundEffect]:
        return dict(self._effects)

    def shut_down(self) -> None:
        self._thread.quit()
        if not self._thread.wait(2000):
            # Only when Qt's bug has it spinning; the process is ending anyway.
            self._thread.terminate()
            self._thread.wait(2000)


_beeper: _Beeper | None = None


def beeper() -> _Beeper:
    """The process's one beep thread, started on first use and stopped at exit."""
    global _beeper
    if _beeper is None:
        _beeper = _Beeper()
        atexit.register(_beeper.shut_down)
    return _beeper


class Cues(QObject):
    """Beeps and speech for the player; every method is safe to call at any time.

    The player reports what happens (a step started, a whole second passed,
    the session ended); this object decides what, if anything, to play.
    """

    def __init__(
        self,
        sounds: Path,
        *,
        lang: str = "en",
        sound: bool = True,
        voice: bool = True,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._sounds_dir = sounds
        self._lang = lang
        self._sound = sound
        self._voice = voice
        self._beeps: _Beeper | None = None
        self._speech: QTextToSpeech | None = None
        self._sound_ready = False
        self._speech_ready = False
        self._said: tuple[int, int] | None = None  # (step index, count) last counted aloud
        self._ticked: tuple[int, int] | None = None  # (step index, second) last beeped
        self._told_items: set[int] = set()  # items whose note and caution were said

    # -- switches --------------------------------------------------------------
    @property
    def sound(self) -> bool:
        return self._sound

    @sound.setter
    def sound(self, on: bool) -> None:
        self._sound = on

    @property
    def voice(self) -> bool:
        return self._voice

    @voice.setter
    def voice(self, on: bool) -> None:
        self._voice = on
        if not on:
            self.silence()

    @property
    def speech(self) -> QTextToSpeech | None:
        """The speech engine in use, or None (voice off, none available, or broken)."""
        return self._speech

    @property
    def effects(self) -> dict[str, QSoundEffect]:
        """The loaded beeps (they live on the beep thread: look, do not touch)."""
        return self._beeps.effects() if self._beeps is not None else {}

    # -- set-up ------------------------------------------------------------------
    def prepare(self) -> None:
        """Load what is switched on; called when a session starts."""
        if self._sound and not self._sound_ready:
            self._sound_ready = True
            self._load_sounds()
        if self._voice and not self._speech_ready:
            self._speech_ready = True
            self._speech = self._open_speech()

    def _load_sounds(self) -> None:
        self._beeps = beeper()
        self._beeps.load(self._sounds_dir)

    def _open_speech(self) -> QTextToSpeech | None:
        try:
            from PySide6.QtTextToSpeech import QTextToSpeech

            # Some engines speak through Qt Multimedia: start it lean first.
            audio_outputs_without_media_plugins()
            for engine in _engines():
                speech = QTextToSpeech(engine, self)
                if speech.state() == QTextToSpeech.State.Error or not self._choose_voice(speech):
                    speech.deleteLater()
                    continue
                speech.errorOccurred.connect(self._on_speech_error)
                return speech
        except Exception:
            pass
        return None

    def _choose_voice(self, speech: QTextToSpeech) -> bool:
        """Speak the person's language; False if the engine cannot (then stay silent).

        English text read by a German voice (or the other way round) is harder
        to follow than no voice at all.
        """
        wanted = QLocale.Language.German if self._lang == "de" else QLocale.Language.English
        locales = [loc for loc in speech.availableLocales() if loc.language() == wanted]
        if locales:
            speech.setLocale(locales[0])
            return True
        return speech.locale().language() == wanted

    def _on_speech_error(self, *_args: object) -> None:
        self._drop_speech()

    def _drop_speech(self) -> None:
        if self._speech is not None:
            speech, self._speech = self._speech, None
            speech.deleteLater()

    # -- playing -------------------------------------------------------------------
    def _play(self, name: str) -> None:
        if not self._sound:
            return
        if self._beeps is not None:  # a sound that did not load is skipped there
            self._beeps.play_requested.emit(name)

    def say(self, text: str) -> None:
        """Speak now, cutting off whatever was being said (cues must stay on time)."""
        if not self._voice or self._speech is None or not text:
            return
        try:
            from PySide6.QtTextToSpeech import QTextToSpeech

            if self._speech.state() == QTextToSpeech.State.Error:
                self._drop_speech()
                return
            self._speech.say(text)
        except Exception:
            self._drop_speech()

    def silence(self) -> None:
        if self._speech is not None:
            try:
                self._speech.stop()
            except Exception:
                self._drop_speech()

    # -- what the player reports ---------------------------------------------------
    def step_started(self, step: Step, title: str) -> None:
        """A new step: the step tone, and a short spoken line."""
        self._ticked = None
        self._said = None
        if step.phase is Phase.DONE:
            self._play("done")
        else:
            self._play("step")
        self.say(" ".join(t for t in (self.spoken_text(step, title), self.item_words(step)) if t))
        if step.count_aloud:
            self._said = (step.index, 1)  # "1" is said with the start

    def spoken_text(self, step: Step, title: str) -> str:
        lang = self._lang
        if step.phase is Phase.GET_READY:
            # The exercise's name, where to start, and its cue against arching.
            cue = step.cue.get(lang) if step.cue else ""
            return f"{step.instruction.get(lang)} {cue}".strip()
        if step.count_aloud:
            return "1"
        if step.phase is Phase.MOVE and step.self_paced:
            if (step.rep_no or 1) > 1:
                return str(step.rep_no)
            return step.instruction.get(lang)
        if step.phase is Phase.HOLD:
            return step.instruction.get(lang)
        if step.phase is Phase.RELAX:
            return T("Relax")
        return step.instruction.get(lang)

    def item_words(self, step: Step) -> str:
        """The item's note and caution, the first time one of its steps starts.

        Said once per item, with whichever step of it comes first (the rest
        before it, or its get-ready): once is heard, the same words before
        every rep would be noise. Back to an earlier step does not repeat them.
        """
        if step.item_index is None or step.item_index in self._told_items:
            return ""
        words = " ".join(
            t for t in (note_text(step, self._lang), caution_text(step, self._lang)) if t
        )
        if words:
            self._told_items.add(step.item_index)
        return words

    def second(self, step: Step, elapsed: float, remaining: int) -> None:
        """A whole second passed in ``step``: count aloud or beep the last three."""
        if step.count_aloud:
            count = int(elapsed + 1e-6) + 1
            if count <= max(1, round(step.seconds)) and self._said != (step.index, count):
                self._said = (step.index, count)
                self.say(str(count))
            return
        if (
            not step.self_paced
            and step.seconds >= TICK_MIN_STEP_S
            and 1 <= remaining <= 3
            and self._ticked != (step.index, remaining)
        ):
            self._ticked = (step.index, remaining)
            self._play("tick")

    def session_ended(self, text: str) -> None:
        self._play("done")
        self.say(text)

    def close(self) -> None:
        self.silence()
        if self._beeps is not None:
            self._beeps.stop_requested.emit()
