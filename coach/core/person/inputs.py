"""What the personal plan needs from the data folder, read in one go.

The personal plan itself is pure (``coach.core.session.personal``); this is the
one place that knows where its inputs live, so the app, the tray, the sheet
and the command line cannot gather them differently.
"""

from __future__ import annotations

import contextlib
from datetime import date
from typing import Any

from coach.core.clinic.install import from_installed_plan, installed_assignments
from coach.core.common.paths import Paths
from coach.core.content.library import Library
from coach.core.progress import stats
from coach.core.session.personal import ClinicianPlan, PersonalInputs
from coach.core.session.profile import HealthProfile, load_profile

_UNSET: Any = object()


def gather(
    paths: Paths,
    library: Library,
    store: Any | None = None,
    *,
    profile: HealthProfile | None = _UNSET,
    today: date | None = None,
) -> tuple[PersonalInputs, list[str]]:
    """The inputs for this data folder, and notes on what could not be read.

    ``store`` is the open progress store (None when it could not be opened:
    then no dose steps, walking test or installed plan are known). Pass
    ``profile`` to use other health answers than the saved ones (``coach plan
    --profile FILE``; None means "no answers").
    """
    notes: list[str] = []
    if profile is _UNSET:
        profile, notes = load_profile(paths.data / "profile.json")
    dose_changes: dict[str, dict[str, dict[str, Any]]] = {}
    walking: float | None = None
    plans: dict[str, ClinicianPlan] = {}
    if store is not None:
        # A damaged store has already been reported where it was opened;
        # here it only means "nothing known", never a failure to show a plan.
        with contextlib.suppress(Exception):
            dose_changes = stats.dose_changes(store)
        with contextlib.suppress(Exception):
            walking = store.latest_walking_test_s()
        with contextlib.suppress(Exception):
            for installed in reversed(installed_assignments(store, paths)):
                handed = installed.assignment
                for routine_id in installed.installed_routine_ids:
                    plans[routine_id] = ClinicianPlan(
                        handed.clinician.name, handed.start, handed.review, handed.weeks
                    )
    for routine in library.routines.values():
        if routine.id not in plans and from_installed_plan(library, paths, "routine", routine.id):
            plans[routine.id] = ClinicianPlan(routine.permissions.allowed_by or "")
    inputs = PersonalInputs(profile, plans, dose_changes, walking, today)
    return inputs, notes


def gather_from_folder(
    paths: Paths,
    library: Library,
    *,
    profile: HealthProfile | None = _UNSET,
    today: date | None = None,
) -> tuple[PersonalInputs, list[str]]:
    """The same inputs for a command without a window: the store is opened only to read.

    A data folder without a database (nobody has exercised yet) is not given
    one; a database that cannot be opened is reported and treated as empty.
    """
    from coach.core.progress.store import Store
    from coach.core.progress.store_errors import StoreError

    if not paths.database.exists():
        return gather(paths, library, None, profile=profile, today=today)
    try:
        store = Store.open(paths.database)
    except (StoreError, OSError) as exc:
        inputs, notes = gather(paths, library, None, profile=profile, today=today)
        return inputs, [*notes, f"Your progress could not be read: {getattr(exc, 'message', exc)}"]
    with store:
        return gather(paths, library, store, profile=profile, today=today)
