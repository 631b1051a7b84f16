"""`coach patients`: one row per patient, matched by the hand-over's patient id, with the trend.

Two reports of one patient (tests/fixtures/home_scenario.py) are one row; a report
from an older Coach (no id) joins the patient of its name, and says so; two patients
of the same name with different ids stay two rows.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from coach.core.clinic.patients import patient_list
from coach.core.common.paths import resolve

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "fixtures"))

from home_scenario import PATIENT, Scenario, coach, make_scenario, ok


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    return make_scenario(tmp_path_factory.mktemp("home"))


def column(header: str, row: str, name: str, width: int) -> str:
    """A right-aligned column of the table, found by its header."""
    end = header.index(name) + len(name)
    return row[end - width : end].strip()


def rows_of(stdout: str) -> tuple[str, list[str]]:
    header, *lines = stdout.splitlines()
    return header, [line for line in lines if not line.startswith(" ")]


def test_two_reports_of_one_patient_are_one_row_with_the_trend(
    scenario: Scenario, tmp_path: Path
) -> None:
    clinic = tmp_path / "clinic"
    # The newer report first: the order of importing does not matter.
    for report in reversed(scenario.reports):
        ok(coach("--data-dir", clinic, "import", report))
    again = ok(coach("--data-dir", clinic, "import", scenario.reports[1]))  # kept once
    assert "matched to the patient by name" not in again.stderr
    listed = ok(coach("--data-dir", clinic, "patients"))
    header, rows = rows_of(listed.stdout)
    assert len(rows) == 1, listed.stdout
    (row,) = rows
    assert row.startswith(PATIENT)
    assert column(header, row, "Reports", 7) == "2"
    assert "02 Mar – 15 Mar 2026" in row
    # 3 of 12 planned in each of the two weeks; the first report had the first week only.
    assert "25 % → 25 % (6/24)" in row
    assert column(header, row, "Pain back", 9) == "5 → 4.3"
    assert column(header, row, "Walking min", 15) == "15 → 20 (+33 %)"
    assert column(header, row, "Chair", 7) == "9 → 12"
    assert column(header, row, "Changed", 7) == "13"
    assert "overdue since 13 Apr 2026" in row
    assert row.endswith("1 (The pain goes further down my leg than usual)")
    details = listed.stdout.splitlines()[2:]
    assert any(
        "PSFS against the baseline: Walk to the bakery 3 → 6 (goal); "
        "Stand at the sink 4 → 5 (goal); mean 3.5 → 5.5" in line
        for line in details
    )
    assert any("Pain during sessions" in line for line in details)
    dated = [line.strip() for line in details if line.startswith("      ")]
    assert len(dated) == 13
    assert dated[0].startswith("03 Mar 2026  Forward bend sitting: left out: Hip replacement")
    assert any(
        line.startswith("04 Mar 2026  Walking in stages with rest breaks: stopped in walk 2")
        for line in dated
    )
    assert any("easier: walking stage 5:20 → 4:51" in line for line in dated)
    assert any("back to the earlier dose" in line for line in dated)
    assert any("symptoms after 4:10 of walk 3" in line for line in dated)
    assert len(list((clinic / "clinic" / "reports").glob("*.json"))) == 2


def test_an_older_report_joins_by_name_and_says_so(scenario: Scenario, tmp_path: Path) -> None:
    clinic = tmp_path / "clinic"
    ok(coach("--data-dir", clinic, "import", scenario.reports[1]))
    data = json.loads(scenario.reports[0].read_text(encoding="utf-8"))
    data["format_version"] = 1
    del data["changes_at_home"]
    data["patient"] = {"name": PATIENT}
    data["created"] = "2026-03-08T20:00:00+00:00"
    old = tmp_path / "old.coachreport"
    old.write_text(json.dumps(data), encoding="utf-8")
    imported = ok(coach("--data-dir", clinic, "import", old))
    assert "no patient id" in imported.stderr and "by name" in imported.stderr
    header, rows = rows_of(imported.stdout)
    assert len(rows) == 1
    assert column(header, rows[0], "Reports", 7) == "2"
    assert "Matched by name: 1 older report(s) without a patient id." in imported.stdout


def test_same_name_different_id_stays_two_patients(scenario: Scenario, tmp_path: Path) -> None:
    clinic = tmp_path / "clinic"
    ok(coach("--data-dir", clinic, "import", scenario.reports[1]))
    data = json.loads(scenario.reports[0].read_text(encoding="utf-8"))
    data["patient"]["id"] = "pt-000000000000"
    other = tmp_path / "namesake.coachreport"
    other.write_text(json.dumps(data), encoding="utf-8")
    listed = ok(coach("--data-dir", clinic, "import", other))
    _header, rows = rows_of(listed.stdout)
    assert len(rows) == 2 and all(r.startswith(PATIENT) for r in rows)
    # The patient with the newest report comes first.
    (first, second), _problems = patient_list(resolve(clinic))
    assert first.period.end > second.period.end
