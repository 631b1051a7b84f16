"""The sheet prints a clinician's note and a permission's caution beside their exercise."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

ROUTINE_FILE = """\
format_version: 1
kind: routine
id: note-check
title: {en: Note check, de: Hinweisprobe}
description: {en: Notes and cautions, de: Hinweise und Warnungen}
items:
  - exercise: P2
    note: {en: Keep one hand on the counter., de: Lassen Sie eine Hand auf der Arbeitsplatte.}
  - exercise: X2
permissions:
  allow_extension: [X2]
  allowed_by: B. Physio
"""


@pytest.mark.parametrize(
    ("lang", "note", "caution"),
    [
        (
            "en",
            "From your physiotherapist: Keep one hand on the counter.",
            "Take care: Allowed for you by B. Physio: this exercise arches the back.",
        ),
        (
            "de",
            "Von Ihrer Physiotherapie: Lassen Sie eine Hand auf der Arbeitsplatte.",
            "Vorsicht: Von B. Physio für Sie erlaubt: Bei dieser Übung gehen Sie ins Hohlkreuz.",
        ),
    ],
)
def test_note_and_caution_are_printed_with_their_exercise(
    tmp_path: Path, lang: str, note: str, caution: str
) -> None:
    routine = tmp_path / "note-check.yaml"
    routine.write_text(ROUTINE_FILE, encoding="utf-8")
    out = tmp_path / f"sheet-{lang}.pdf"
    result = subprocess.run(
        [sys.executable, "-m", "coach", "--data-dir", str(tmp_path / "d"), "print", str(routine),
         "--lang", lang, "-o", str(out)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    pages = [" ".join(p.extract_text().split()) for p in PdfReader(out).pages]
    text = " ".join(pages)
    assert note in text
    assert caution in text
    # Each beside its own exercise: the note before the second exercise, the caution after it.
    second = {"en": "Standing back-bend", "de": "Rückbeuge im Stehen"}[lang]
    assert text.index(note) < text.index(second) < text.index(caution)
