"""`coach print`: the routine sheet as a PDF, through the real command, without a window."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from pypdf import PdfReader

PATIENT = "Łukasz Żółć-Müller"


def coach(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "coach", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


def one_line(result: subprocess.CompletedProcess[str]) -> str:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("coach print: "), lines[0]
    assert "Traceback" not in result.stderr
    return lines[0]


def text_of(path: Path) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(path).pages)


def test_prints_a_builtin_routine_without_a_display(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("QT_QPA_PLATFORM", None)  # the command must choose offscreen itself
    out = tmp_path / "sheet.pdf"
    result = coach(
        "print",
        "daily-relief",
        "-o",
        str(out),
        "--lang",
        "de",
        "--paper",
        "letter",
        "--patient",
        PATIENT,
        "--clinician",
        "Anna Schmidt",
        "--phone",
        "030 1234567",
        "--review",
        "2025-05-01",
        "--country",
        "GB",
        env=env,
    )
    assert result.returncode == 0, result.stderr
    reader = PdfReader(out)
    assert len(reader.pages) >= 3
    assert float(reader.pages[0].mediabox.height) == 792  # US Letter
    text = text_of(out)
    assert PATIENT in text
    assert "Anna Schmidt" in text and "030 1234567" in text
    assert "1. Mai 2025" in text
    assert "Notruf 999" in text
    assert "Becken aufrichten im Liegen" in text
    assert [p.name for p in tmp_path.iterdir()] == ["sheet.pdf"]


def test_prints_a_routine_file(tmp_path: Path, repo: Path) -> None:
    out = tmp_path / "strength.pdf"
    result = coach("print", str(repo / "routines" / "strength.yaml"), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert "Strength" in text_of(out)
    assert "Call 112 now" in text_of(out)


def test_unknown_routine_is_one_clear_line(tmp_path: Path) -> None:
    out = tmp_path / "sheet.pdf"
    result = coach("print", "daily-relif", "-o", str(out))
    assert result.returncode == 1
    line = one_line(result)
    assert "unknown routine 'daily-relif'" in line
    assert "daily-relief" in line  # the closest known id
    assert not out.exists()


def test_broken_routine_file_is_one_clear_line(tmp_path: Path) -> None:
    broken = tmp_path / "mine.yaml"
    broken.write_text("format_version: 1\nkind: routine\nid: mine\n", encoding="utf-8")
    result = coach("print", str(broken), "-o", str(tmp_path / "sheet.pdf"))
    assert result.returncode == 1
    assert str(broken) in one_line(result)


def test_unwritable_output_is_one_clear_line(tmp_path: Path) -> None:
    a_file = tmp_path / "notes.txt"
    a_file.write_text("not a folder", encoding="utf-8")
    for target in (tmp_path / "missing" / "sheet.pdf", a_file / "sheet.pdf", tmp_path):
        result = coach("print", "daily-relief", "-o", str(target))
        assert result.returncode == 1, target
        assert "cannot write the PDF" in one_line(result)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


# --------------------------------------------------------------------------
# coach report
# --------------------------------------------------------------------------


def one_report_line(result: subprocess.CompletedProcess[str]) -> str:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("coach report: "), lines[0]
    return lines[0]


def test_report_from_recorded_progress(tmp_path: Path, data_dir: Path) -> None:
    from datetime import UTC, datetime

    from coach.core.content.model import Text
    from coach.core.progress.store import Store
    from coach.core.progress.store_rows import MeasureKind, SessionOutcome

    data_dir.mkdir(parents=True, exist_ok=True)
    when = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
    with Store.open(data_dir / "coach.sqlite3", clock=lambda: when) as store:
        sid = store.start_session("daily-relief", Text.of("Daily relief"), pain_before_back=4)
        store.end_session(sid, SessionOutcome.STOPPED, stop_reason="sharp_pain")
        store.add_measure(MeasureKind.WALKING_TEST, {"first_symptoms_s": 300, "total_s": 600})
        store.add_note("Felt steadier on the stairs.")
    out = tmp_path / "report.pdf"
    result = coach(
        "report",
        "-o",
        str(out),
        "--from",
        "2026-03-01",
        "--to",
        "2026-03-12",
        "--patient",
        PATIENT,
        "--lang",
        "en",
    )
    assert result.returncode == 0, result.stderr
    text = text_of(out)
    assert PATIENT in text
    assert "Sharp pain" in text
    assert "Felt steadier on the stairs." in text
    assert "1 March 2026 – 12 March 2026" in text


def test_report_without_records_is_one_clear_line(tmp_path: Path) -> None:
    result = coach("report", "-o", str(tmp_path / "report.pdf"))
    assert result.returncode == 1
    assert "no progress recorded yet" in one_report_line(result)
    assert not (tmp_path / "report.pdf").exists()


def test_report_period_backwards_is_one_clear_line(tmp_path: Path) -> None:
    result = coach(
        "report", "-o", str(tmp_path / "r.pdf"), "--from", "2026-03-12", "--to", "2026-03-01"
    )
    assert result.returncode == 1
    assert "after --to" in one_report_line(result)
