"""`coach plan`, `coach print` and `coach list` show the routine as this person does it."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from pypdf import PdfReader

from coach.core.progress import stats
from coach.core.progress.store import Store
from coach.core.session.profile import Approach, BodySide, HealthProfile, Joint, JointReplacement

HIP = HealthProfile(
    completed=True, joint_replacements=[JointReplacement(joint=Joint.HIP, side=BodySide.LEFT)]
)


def coach(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "coach", "--data-dir", str(data), *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def plan_json(data: Path, *args: str) -> dict[str, object]:
    result = coach(data, "plan", *args, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def write_hip_profile(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(HIP.to_json(), encoding="utf-8")
    return path


def test_plan_with_a_profile_file_lists_the_changes(tmp_path: Path) -> None:
    data = tmp_path / "nobody"
    profile = write_hip_profile(tmp_path / "hip.json")
    written = plan_json(data, "daily-relief")
    mine = plan_json(data, "daily-relief", "--profile", str(profile))
    assert written["changes"] == []
    changes = mine["changes"]
    assert isinstance(changes, list)
    assert [(c["cause"], c["kind"], c["exercise"]) for c in changes] == [
        ("health", "left_out", "S4"),
        ("health", "left_out", "S1"),
        ("health", "left_out", "S8"),
    ]
    steps = mine["steps"]
    assert isinstance(steps, list) and {s["exercise"] for s in steps}.isdisjoint({"S1", "S4", "S8"})
    assert mine["total_seconds"] < written["total_seconds"]  # type: ignore[operator]
    # Reading a profile creates nothing in the data folder.
    assert not data.exists()


def test_plan_reads_the_data_folders_own_state_by_default(tmp_path: Path) -> None:
    data = tmp_path / "data"
    write_hip_profile(data / "profile.json")
    with Store.open(data / "coach.sqlite3") as store:
        store.set_json(
            stats.DOSE_CHANGES_KEY, {"daily-relief": {"4": {"exercise_id": "T1", "reps": 12}}}
        )
    mine = plan_json(data, "daily-relief")
    assert [c["cause"] for c in mine["changes"]] == ["dose_change", "health", "health", "health"]  # type: ignore[union-attr]
    reps = {s["reps"] for s in mine["steps"] if s["exercise"] == "T1" and s.get("reps")}  # type: ignore[union-attr]
    assert reps == {12}
    as_written = plan_json(data, "daily-relief", "--as-written")
    assert as_written["changes"] == []
    text = coach(data, "plan", "daily-relief", "--lang", "de")
    assert text.returncode == 0 and "Für Sie weggelassen: Ein Knie zur Brust" in text.stdout


def test_plan_refuses_a_broken_profile_in_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    result = coach(tmp_path / "d", "plan", "daily-relief", "--profile", str(bad))
    assert result.returncode == 1
    assert result.stderr.startswith(f"coach plan: {bad}") and "Traceback" not in result.stderr
    result = coach(tmp_path / "d", "plan", "walking", "--walking-test", "-3")
    assert result.returncode == 2 and "positive" in result.stderr


def test_the_sheet_for_a_hip_profile_leaves_out_what_the_player_leaves_out(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    write_hip_profile(data / "profile.json")
    mine, written = tmp_path / "mine.pdf", tmp_path / "written.pdf"
    for out, extra in ((mine, []), (written, ["--as-written"])):
        result = coach(data, "print", "daily-relief", "-o", str(out), *extra)
        assert result.returncode == 0, result.stderr

    def text(path: Path) -> str:
        return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(path).pages)

    personal, plain = text(mine), text(written)
    assert "as Coach will run it" in personal
    assert "Left out for you: One knee to the chest" in personal
    assert "3 exercises" in personal and "6 exercises" in plain
    # The left-out exercise has no block of its own: only the list of changes names it.
    assert "One knee to the chest" in plain and "Knee rolls" in plain
    assert personal.count("One knee to the chest") == 1
    assert personal.count("Knee rolls") == 1
    assert "as Coach will run it" not in plain


def test_list_shows_the_minutes_as_run(tmp_path: Path) -> None:
    data = tmp_path / "data"
    write_hip_profile(data / "profile.json")
    result = coach(data, "list", "--json")
    assert result.returncode == 0, result.stderr
    routines = {r["id"]: r for r in json.loads(result.stdout)["routines"]}
    personal = plan_json(data, "daily-relief")
    assert routines["daily-relief"]["total_seconds"] == round(personal["total_seconds"])  # type: ignore[arg-type]


def test_plan_json_says_what_each_rule_changed_and_why(tmp_path: Path) -> None:
    """`coach plan daily-relief --profile hip.json --json`: the clinician's preview."""
    hip = tmp_path / "hip.json"
    posterior = HealthProfile(
        completed=True,
        joint_replacements=[
            JointReplacement(joint=Joint.HIP, side=BodySide.RIGHT, approach=Approach.POSTERIOR)
        ],
    )
    hip.write_text(posterior.to_json(), encoding="utf-8")
    mine = plan_json(tmp_path / "nobody", "daily-relief", "--profile", str(hip))
    changes = mine["changes"]
    assert isinstance(changes, list)
    by_exercise = {c["exercise"]: c for c in changes}
    assert set(by_exercise) == {"S1", "S4", "S8"}
    assert {c["action"] for c in changes} == {"left_out"}
    assert by_exercise["S4"]["rule"] == "hip_replacement/hip_flexion_over_90"
    assert by_exercise["S8"]["rule"] == "hip_replacement/hip_crossing"
    reason = by_exercise["S4"]["reason"]
    assert reason.startswith("Hip replacement, right (posterior approach), the surgeon's limits")
    assert reason.endswith("hip flexion beyond 90°")
    steps = mine["steps"]
    assert isinstance(steps, list) and steps
    assert {"exercise", "phase", "seconds"} <= set(steps[0])
    assert not {s["exercise"] for s in steps} & {"S1", "S4", "S8"}


def test_plan_json_names_the_bone_answer_behind_a_swap(tmp_path: Path) -> None:
    bones = tmp_path / "bones.json"
    bones.write_text(HealthProfile(completed=True, long_term_steroids=True).to_json())
    mine = plan_json(tmp_path / "nobody", "daily-relief", "--profile", str(bones), "--lang", "de")
    changes = mine["changes"]
    assert isinstance(changes, list)
    swapped = {c["exercise"]: c for c in changes if c["action"] == "swapped"}
    assert {"S1", "S4", "S8"} <= set(swapped)
    assert swapped["S4"]["rule"] == "bone_safe/variant" and swapped["S4"]["becomes"] == "C2"
    assert swapped["S1"]["becomes"] is None  # the same exercise, in its bone-safe words
    assert swapped["S4"]["reason"].startswith("Kortison über lange Zeit – knochenschonender Modus")


def test_the_printed_sheet_for_weak_bones_never_asks_to_round_the_back(tmp_path: Path) -> None:
    """`coach print` reads only the files it needs; the bone-safe swap's exercise is one."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "profile.json").write_text(HealthProfile(completed=True, osteoporosis=True).to_json())
    for lang in ("en", "de"):
        out = tmp_path / f"bones-{lang}.pdf"
        result = coach(data, "print", "daily-relief", "--lang", lang, "-o", str(out))
        assert result.returncode == 0, result.stderr
        text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(out).pages)
        if lang == "en":
            assert "Forward lean sitting" in text and "lean from the hips with a long back" in text
            assert not re.search(r"back (sinks )?round|round(s)? (your|the) back", text)
        else:
            assert "aus der Hüfte nach vorne, mit langem Rücken" in text
            assert not re.search(r"\brund", text)
