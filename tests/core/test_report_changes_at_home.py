"""Every change at home goes back: `coach report-data` lists them, dated, for the clinic.

A real data folder (tests/fixtures/home_scenario.py): the patient installs a hand-over,
has a new hip that leaves items out, stops a session mid-exercise, accepts an easier
dose, has one taken by Coach and undoes it, and walks with symptoms. The report file
is read as the clinic reads it.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from coach.core.clinic.handover import HandoverError
from coach.core.clinic.patients import import_report, patient_id_for, patient_list
from coach.core.clinic.report import (
    REPORT_FORMAT_VERSION,
    Period,
    export_report_data,
    read_report_bytes,
    read_report_file,
)
from coach.core.common.paths import resolve
from coach.core.content.library import Library
from coach.core.person.inputs import gather
from coach.core.progress import progression
from coach.core.progress.history import History
from coach.core.progress.store import Store

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "fixtures"))

from home_scenario import PATIENT, Scenario, coach, make_scenario, ok


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    return make_scenario(tmp_path_factory.mktemp("home"))


def changes(report: Path) -> list[dict[str, Any]]:
    data = json.loads(report.read_text(encoding="utf-8"))
    found: list[dict[str, Any]] = data["changes_at_home"]
    return found


def of_kind(found: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [c for c in found if c["kind"] == kind]


def test_every_entry_has_a_date_an_exercise_and_words(scenario: Scenario) -> None:
    found = changes(scenario.reports[1])
    assert found, "no changes at home in the report"
    for change in found:
        date.fromisoformat(change["date"])
        assert change["what"]["en"] and change["what"]["de"]
        assert "exercise" in change and "kind" in change
    days = [c["date"] for c in found]
    assert days == sorted(days)


def test_items_the_health_answers_leave_out_carry_the_clinicians_reasons(
    scenario: Scenario,
) -> None:
    left = of_kind(changes(scenario.reports[1]), "left_out")
    daily = scenario.routine_ids["daily-relief"]
    assert {(c["routine_id"], c["exercise"]) for c in left} >= {
        (daily, "S4"),
        (daily, "S1"),
        (daily, "S8"),
        (scenario.routine_ids["walking"], "C2"),
    }
    knee = next(c for c in left if c["exercise"] == "S1")
    # Change.reason: the answer, then what the rule does, for a clinician.
    assert knee["what"]["en"] == (
        "left out: Hip replacement, left (approach not known), the surgeon's limits "
        "apply – hip flexion beyond 90°"
    )
    assert knee["what"]["de"].startswith("weggelassen: Künstliches Hüftgelenk, links")
    assert knee["exercise_title"]["en"] == "One knee to the chest"
    # Dated by the first session played without it (Tue 3 Mar), not by the report.
    assert knee["date"] == "2026-03-03" and knee["played"] is True
    assert knee["rule"]


def test_a_stop_is_tied_to_the_exercise_and_step_where_it_happened(scenario: Scenario) -> None:
    (stop,) = of_kind(changes(scenario.reports[1]), "stop")
    assert stop["date"] == "2026-03-04"
    assert stop["exercise"] == "A3"
    assert stop["exercise_title"]["en"] == "Walking in stages with rest breaks"
    assert stop["step"]["rep"] == 2 and stop["step"]["phase"] == "walk"
    assert stop["stop_reason"] == "pain_spreading_leg"
    assert stop["what"]["en"] == "stopped in walk 2"
    assert stop["what"]["de"] == "beendet bei Gehstrecke 2"
    assert stop["reason"]["en"] == "The pain goes further down my leg than usual"


def test_dose_steps_say_who_took_them_and_when(scenario: Scenario) -> None:
    found = changes(scenario.reports[1])
    doses = [c for c in found if c["kind"].startswith("dose_")]
    assert [(c["date"], c["kind"], c["automatic"]) for c in doses] == [
        ("2026-03-04", "dose_easier", False),  # the patient said yes
        ("2026-03-09", "dose_easier", True),  # Coach, at once: the pain rule
        ("2026-03-10", "dose_back", False),  # the patient went back
    ]
    accepted, automatic, back = doses
    assert all(c["exercise"] == "A3" for c in doses)
    assert accepted["what"]["en"] == "easier: walking stage 5:20 → 4:51"
    assert accepted["what"]["de"] == "leichter: Gehstrecke 5:20 → 4:51"
    assert "accepted" in accepted["reason"]["en"]
    assert automatic["reason"]["en"].startswith("Coach, at once:")
    assert back["what"]["en"] == "back to the earlier dose: walking stage 4:25 → 4:51"


def test_walking_stages_and_symptom_times_from_the_walks(scenario: Scenario) -> None:
    found = changes(scenario.reports[1])
    stages = of_kind(found, "walk_stage")
    # The first walks (the session stopped in the second): 5:20 against 5:00 as
    # written; then 4:51 (the accepted step); after the second walking test, longer.
    assert [(c["date"], c["stage_s"]) for c in stages] == [
        ("2026-03-04", 320),
        ("2026-03-05", 291),
        ("2026-03-12", 378),
    ]
    assert stages[0]["written_s"] == 300 and stages[0]["walking_test_s"] == 400
    assert stages[0]["what"]["en"] == (
        "walking stages of 5:20 instead of 5:00 as written (80 % of the walking test of 6:40)"
    )
    assert stages[1]["what"]["en"] == (
        "walking stages of 4:51 instead of 5:20 until then (73 % of the walking test of 6:40)"
    )
    assert "statt bisher 4:51" in stages[2]["what"]["de"]
    symptoms = of_kind(found, "walk_symptoms")
    assert [(c["date"], c["symptoms"][0]["walk"]) for c in symptoms] == [
        ("2026-03-05", 2),
        ("2026-03-12", 3),
    ]
    assert symptoms[0]["symptoms"][0]["at_s"] == pytest.approx(200, abs=1)
    assert symptoms[0]["what"]["en"] == "symptoms after 3:20 of walk 2 (4:51 planned)"


def test_the_first_report_has_only_what_happened_up_to_it(scenario: Scenario) -> None:
    found = changes(scenario.reports[0])
    assert max(c["date"] for c in found) <= "2026-03-08"
    assert not of_kind(found, "dose_back")


def test_both_reports_carry_the_patient_id_from_the_hand_over(scenario: Scenario) -> None:
    first, second = (read_report_file(r) for r in scenario.reports)
    assert first.format_version == second.format_version == REPORT_FORMAT_VERSION == 2
    assert first.patient_id and first.patient_id == second.patient_id
    assert first.patient_id.startswith("pt-")
    # The clinic reads the list back with every entry.
    assert [c.kind for c in second.changes_at_home] == [
        c["kind"] for c in changes(scenario.reports[1])
    ]
    assert second.changes_at_home[0].line("de").startswith("Vorbeuge im Sitzen: weggelassen")


def test_a_new_plan_for_the_same_patient_keeps_their_id(scenario: Scenario, tmp_path: Path) -> None:
    first = read_report_file(scenario.reports[0]).patient_id
    assert patient_id_for(scenario.clinic, PATIENT) == first
    assert patient_id_for(scenario.clinic, "maria  MUSTER") == first
    assert patient_id_for(scenario.clinic, "Someone Else") is None
    again = ok(
        coach(
            "--data-dir",
            scenario.clinic.data,
            "assign",
            "daily-relief",
            "--patient",
            PATIENT,
            "-o",
            tmp_path / "next.coach",
        )
    )
    assert f"Patient id: {first} (the same" in again.stderr
    other = ok(
        coach(
            "--data-dir",
            scenario.clinic.data,
            "assign",
            "daily-relief",
            "--patient",
            "Ben",
            "-o",
            tmp_path / "ben.coach",
        )
    )
    assert "(new)" in other.stderr and first not in other.stderr
    bad = coach(
        "--data-dir", scenario.clinic.data, "assign", "daily-relief", "--patient", "Ben",
        "--patient-id", "../x", "-o", tmp_path / "bad.coach",
    )  # fmt: skip
    assert bad.returncode == 1 and "patient.id" in bad.stderr


def test_a_dose_step_on_an_item_left_out_says_it_was_not_played(
    scenario: Scenario, tmp_path: Path
) -> None:
    """The easier step Coach offers can land on an item the health answers leave out
    (the first item of daily-relief, here): the clinician is told it was not played."""
    import shutil

    home = resolve(tmp_path / "home")
    shutil.copytree(scenario.home.data, home.data)
    daily = scenario.routine_ids["daily-relief"]
    when = datetime(2026, 3, 14, 9, tzinfo=UTC)
    with Store.open(home.database) as store:
        library = Library.load(home)
        with History(store) as history:
            offer = progression.easier_suggestion(
                history,
                library.routines[daily],
                library.exercises,
                progression.Reason.STOPPED_FOR_PAIN,
            )
        assert offer is not None and offer.change.exercise_id == "S4"
        progression.record_decision(store, offer, True, when=when)
        inputs, _notes = gather(home, library, store)
        report = export_report_data(
            store,
            None,
            Period(date(2026, 3, 14), date(2026, 3, 14)),
            library=library,
            inputs=inputs,
            tz=UTC,
        )
    (dose,) = [c for c in report["changes_at_home"] if c["kind"] == "dose_easier"]
    assert dose["exercise"] == "S4" and dose["played"] is False
    assert dose["what"]["en"].endswith("; not played: the health answers leave this exercise out")


def test_an_older_report_without_the_list_still_imports(scenario: Scenario, tmp_path: Path) -> None:
    data = json.loads(scenario.reports[0].read_text(encoding="utf-8"))
    data["format_version"] = 1
    del data["changes_at_home"]
    data["patient"] = {"name": "Ben Becker"}  # no id before format 2
    old = tmp_path / "old.coachreport"
    old.write_text(json.dumps(data), encoding="utf-8")
    clinic = resolve(tmp_path / "clinic")
    report = import_report(old, clinic)
    assert report.patient_id is None and report.changes_at_home == []
    (row,), problems = patient_list(clinic)
    assert problems == [] and row.patient == "Ben Becker"
    assert row.has_home_changes_list is False
    assert row.patient_id is None and row.matched_by_name == 1


def test_a_newer_report_is_refused_clearly(scenario: Scenario) -> None:
    data = json.loads(scenario.reports[1].read_text(encoding="utf-8"))
    data["format_version"] = REPORT_FORMAT_VERSION + 1
    with pytest.raises(HandoverError, match=r"newer Coach \(format 3\).*Please update Coach"):
        read_report_bytes(json.dumps(data).encode(), "new.coachreport")


def test_a_damaged_entry_is_refused_with_its_place(scenario: Scenario) -> None:
    data = json.loads(scenario.reports[1].read_text(encoding="utf-8"))
    data["changes_at_home"][2]["what"] = {"de": "nur Deutsch"}
    with pytest.raises(HandoverError, match=r"changes_at_home\[2\]\.what"):
        read_report_bytes(json.dumps(data).encode(), "bad.coachreport")
