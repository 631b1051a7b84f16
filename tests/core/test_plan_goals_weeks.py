"""Goals with baselines, the programme's weeks and the items' CERT fields, end to end.

Real .coach files written by the clinic's code and read by the patient's, an old
format-2 file with plain-string goals, the report's data and `coach plan --json`.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import yaml

from coach.core.clinic.goals import Goal, goals_against_baselines, week_of_text
from coach.core.clinic.handover import (
    MANIFEST,
    Assignment,
    Contact,
    HandoverError,
    assignment_bytes,
    build_assignment,
    describe_assignment,
    item_plan_texts,
    write_assignment,
)
from coach.core.clinic.handover_file import read_assignment
from coach.core.clinic.install import current_assignment, install_assignment
from coach.core.clinic.report import Period, Report, export_report_data
from coach.core.common.paths import resolve
from coach.core.content.files import load_document, save_document
from coach.core.content.library import Library
from coach.core.content.model import Routine, RoutineItem, Text
from coach.core.progress.store import Store

START = date(2026, 3, 2)
ANNA = Contact(name="Anna Berger", clinic="Physio am Park")
_LIB: list[Library] = []


@pytest.fixture
def library(data_dir: Path) -> Library:
    if not _LIB:
        _LIB.append(Library.load(resolve(data_dir), include_user=False))
    return _LIB[0]


def strength(ident: str = "strength") -> Routine:
    return Routine.from_data(
        {
            "id": ident,
            "title": {"en": "Strength"},
            "description": {"en": "From your physiotherapist."},
            "items": [
                {
                    "exercise": "T1",
                    "reps": 8,
                    "starting_level": {"en": "8 slow lifts", "de": "8 langsame Hebungen"},
                    "progression": {"en": "+1 rep a week up to 15"},
                    "tailoring": {"en": "A pillow under the knees if the back aches"},
                    "keep": {"by": "Anna Berger", "on": "2026-03-01"},
                },
                {"exercise": "P1"},
            ],
            "schedule": {"times_per_week": 2},
        }
    )


def plan(library: Library, **extra: object) -> Assignment:
    values: dict[str, object] = {
        "patient": "Maria Muster",
        "clinician": ANNA,
        "goals": [
            Goal("Walk to the bakery", "Zum Bäcker gehen", 3),
            Goal("Stand at the sink for 10 minutes", baseline=5),
            "Play with the grandchildren",
        ],
        "start": START,
        "weeks": 6,
        "created": datetime(2026, 3, 1, 9, 0, tzinfo=UTC),
    }
    return build_assignment([strength()], library, **(values | extra))  # type: ignore[arg-type]


def manifest(assignment: Assignment) -> dict[str, object]:
    with zipfile.ZipFile(io.BytesIO(assignment_bytes(assignment))) as archive:
        data = yaml.safe_load(archive.read(MANIFEST))
    assert isinstance(data, dict)
    return data


def test_a_plan_with_goals_and_weeks_travels_in_a_real_file(
    library: Library, tmp_path: Path
) -> None:
    made = plan(library)
    # Six weeks without a review date: the review falls when the programme ends.
    assert made.review == START + timedelta(weeks=6) and made.end == made.review
    written = write_assignment(tmp_path / "maria", made)
    data = manifest(made)
    assert data["weeks"] == 6
    assert data["goals"] == [
        {"text": "Walk to the bakery", "text_de": "Zum Bäcker gehen", "baseline": 3},
        {"text": "Stand at the sink for 10 minutes", "baseline": 5},
        {"text": "Play with the grandchildren"},
    ]
    item = data["routines"][0]["items"][0]  # type: ignore[index]
    assert item["progression"] == {"en": "+1 rep a week up to 15"}
    assert item["keep"] == {"by": "Anna Berger", "on": "2026-03-01"}

    read = read_assignment(written, library)
    assert read.to_data() == made.to_data()
    assert read.goals[0].get("de") == "Zum Bäcker gehen" and read.goals[0].baseline == 3
    assert read.goals[2].baseline is None and read.goals[2].get("de") == read.goals[2].text
    first = read.routines[0].items[0]
    assert first.starting_level == Text.of("8 slow lifts", "8 langsame Hebungen")
    assert first.tailoring is not None and first.keep is not None
    assert read.routines[0].schedule.times_per_week == 2
    assert read.week_on(START + timedelta(days=15)) == 3


def test_an_old_file_with_plain_goals_still_reads(library: Library, tmp_path: Path) -> None:
    data = manifest(plan(library))
    data["format_version"] = 2
    data["goals"] = ["Walk to the bakery", "  Climb the stairs  "]
    del data["weeks"]
    items = data["routines"][0]["items"]  # type: ignore[index]
    for key in ("starting_level", "progression", "tailoring"):
        del items[0][key]
    data["routines"][0]["schedule"] = {"days": ["mon", "thu"]}  # type: ignore[index]
    old = tmp_path / "old.coach"
    with zipfile.ZipFile(old, "w") as archive:
        archive.writestr(MANIFEST, yaml.safe_dump(data, allow_unicode=True))
    read = read_assignment(old, library)
    assert read.goal_texts() == ["Walk to the bakery", "Climb the stairs"]
    assert all(g.baseline is None and g.text_de is None for g in read.goals)
    assert read.weeks is None and read.end is None
    assert read.routines[0].schedule.times_per_week is None


@pytest.mark.parametrize(
    ("goal", "message"),
    [
        ({"text": "Walk", "baseline": 11}, "0 to 10"),
        ({"text": "Walk", "baseline": True}, "0 to 10"),
        ({"text": "  ", "text_de": "Gehen"}, "empty"),
        ({"text": "Walk", "score": 4}, "unknown field 'score'"),
        (7, "a goal is a text"),
    ],
)
def test_a_bad_goal_is_refused_with_its_place(library: Library, goal: object, message: str) -> None:
    with pytest.raises(HandoverError) as caught:
        plan(library, goals=["Fine", goal])
    assert "goals[1]" in caught.value.message and message in caught.value.message


def test_the_summary_says_week_goals_scores_and_item_rules(library: Library) -> None:
    lines = describe_assignment(plan(library), library, today=START + timedelta(days=15))
    text = "\n".join(lines)
    assert "Starts 02 Mar 2026, 6 weeks, review on 13 Apr 2026; now in week 3 of 6" in text
    assert (
        "Walk to the bakery (at the start 3/10); Stand at the sink for 10 minutes (at the start 5/10)"
        in text
    )
    assert "2 × a week" in text
    assert "Progression: +1 rep a week up to 15" in text
    assert "Starts at: 8 slow lifts" in text
    german = "\n".join(describe_assignment(plan(library), library, "de"))
    assert (
        "Zum Bäcker gehen (zu Beginn 3/10)" in german
        and "Beginnt mit: 8 langsame Hebungen" in german
    )
    assert "2-mal pro Woche" in german
    assert week_of_text(START, 6, START - timedelta(days=1)) == ""
    assert week_of_text(START, None, START + timedelta(days=7), "de") == "Woche 2"
    assert item_plan_texts(RoutineItem(exercise="P1")) == []


def test_goals_against_baselines_from_the_report(library: Library, tmp_path: Path) -> None:
    home = resolve(tmp_path / "home")
    home.ensure_data_dir()
    with Store.open(home.database) as store:
        install_assignment(plan(library), home, store, library=library)
        installed = current_assignment(store, home)
        report = export_report_data(
            store,
            installed,
            Period(START, START + timedelta(days=20)),
            now=datetime(2026, 3, 20, 9, 0, tzinfo=UTC),
            tz=UTC,
        )
    read = Report.from_data(json.loads(json.dumps(report)))
    assert read.plan is not None and read.plan.goals[0] == "Walk to the bakery"
    assert read.plan.goal_details[0] == Goal("Walk to the bakery", "Zum Bäcker gehen", 3)
    assert (read.plan.weeks, read.plan.programme_week) == (6, 3)
    assert report["plan"]["programme_week"] == 3 and report["plan"]["weeks"] == 6
    ratings = [
        (START + timedelta(days=1), {"walk to the  Bakery": 4, "Play with the grandchildren": 2}),
        (START + timedelta(days=14), {"Zum Bäcker gehen": 7, "Play with the grandchildren": 3}),
    ]
    progress = goals_against_baselines(report["plan"]["goal_details"], ratings)
    bakery, sink, play = progress
    # The clinician's score is the baseline; the German words match the same goal.
    assert (bakery.baseline, bakery.latest, bakery.change, bakery.changed) == (3, 7, 4, True)
    assert bakery.line("de") == "Zum Bäcker gehen: 3 → 7"
    assert (sink.baseline, sink.latest) == (5, None) and sink.line() == (
        "Stand at the sink for 10 minutes: 5 at the start"
    )
    # Without a clinician's score the first rating at home is the baseline.
    assert (play.baseline, play.baseline_from_plan, play.latest, play.changed) == (
        2,
        False,
        3,
        False,
    )
    # An older report has only the texts.
    assert goals_against_baselines(["Walk to the bakery"], ratings)[0].baseline == 4


def test_item_fields_round_trip_and_show_in_plan_json(tmp_path: Path) -> None:
    data = tmp_path / "data"
    folder = resolve(data).user_routines
    folder.mkdir(parents=True)
    # Not "strength": that id is a built-in routine's.
    save_document(strength("maria-strength"), folder / "maria-strength.yaml")
    again = load_document(folder / "maria-strength.yaml").document
    assert again == strength("maria-strength")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "coach",
            "--data-dir",
            str(data),
            "plan",
            "maria-strength",
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    items = json.loads(result.stdout)["items"]
    assert items[0] == {
        "item": 1,
        "exercise": "T1",
        "starting_level": "8 slow lifts",
        "progression": "+1 rep a week up to 15",
        "tailoring": "A pillow under the knees if the back aches",
        "kept_by": "Anna Berger",
        "kept_on": "2026-03-01",
    }
    assert items[1] == {"item": 2, "exercise": "P1"}


def test_the_personal_plan_counts_weeks_of_the_programme(library: Library) -> None:
    from coach.core.session.personal import ClinicianPlan, PersonalInputs

    # Six weeks, reviewed after eight: the programme's length is what the week is "of".
    review = START + timedelta(weeks=8)
    plans = {"strength": ClinicianPlan("Anna Berger", START, review, 6)}
    inputs = PersonalInputs(clinician_plans=plans, today=START + timedelta(days=15))
    personal = inputs.plan_for(strength(), library.exercises)
    texts = personal.change_texts()
    assert any(t.startswith("Week 3 of 6 of your plan from Anna Berger") for t in texts), texts
    older = {"strength": ClinicianPlan("Anna Berger", START, review)}
    texts = (
        PersonalInputs(clinician_plans=older, today=START + timedelta(days=15))
        .plan_for(strength(), library.exercises)
        .change_texts()
    )
    assert any(t.startswith("Week 3 of 9") for t in texts), texts


def test_the_patients_list_sets_each_goal_against_the_clinicians_score(
    library: Library, tmp_path: Path
) -> None:
    from coach.core.clinic.patients import import_report, patient_list
    from coach.core.clinic.report import write_report_file
    from coach.core.progress.store_rows import MeasureKind

    home, clinic = resolve(tmp_path / "home"), resolve(tmp_path / "clinic")
    home.ensure_data_dir()
    with Store.open(home.database) as store:
        install_assignment(plan(library), home, store, library=library)
        for day, scores in ((3, {"walk to the bakery": 4, "Read the paper": 5}), (16, {})):
            scores = scores or {"Zum Bäcker gehen": 7, "Read the paper": 6}
            store.add_measure(
                MeasureKind.PSFS,
                {"scores": scores},
                taken=datetime(2026, 3, day, 8, 0, tzinfo=UTC),
            )
        report = export_report_data(
            store,
            current_assignment(store, home),
            Period(START, START + timedelta(days=20)),
            now=datetime(2026, 3, 20, 9, 0, tzinfo=UTC),
            tz=UTC,
        )
    import_report(write_report_file(tmp_path / "maria.coachreport", report), clinic)
    (row,), problems = patient_list(clinic)
    assert problems == []
    trends = [(t.activity, t.baseline, t.latest, t.baseline_day, t.from_clinic, t.is_goal)
              for t in row.goal_trends]  # fmt: skip
    assert trends == [
        # The clinician's 3 is the baseline, not the first rating at home (4); the
        # German rating at home is the same goal.
        ("Walk to the bakery", 3, 7, START, True, True),
        # Scored at the clinic, never rated at home: the score alone, no arrow.
        ("Stand at the sink for 10 minutes", 5, None, START, True, True),
        # Not scored and not rated: nothing to set against. An activity the
        # patient added is rated against its own first rating.
        ("Read the paper", 5, 6, date(2026, 3, 3), False, False),
    ]
