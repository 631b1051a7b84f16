"""The session runner: a state machine that walks a plan against a clock.

Time works by deadlines, never by counting ticks. Step ``i`` ends at
``origin + plan.offsets[i + 1]``, where ``origin`` starts as the session start
and is only ever moved as a whole: by the paused time on resume, and re-based
when skip, back or a self-paced tap make the current step start "now". So a
late or missed wake-up never loses time, and a session without pauses ends at
exactly ``start + plan.total_seconds``.

The GUI calls :meth:`SessionRunner.update` whenever it wakes (at
:meth:`SessionRunner.next_deadline`) and after user commands; every command
returns the events it caused, and ``update`` returns the events of all the
deadlines that passed since the last call.

Commands that make no sense in the current state (pause while paused, tap when
nothing waits for a tap, a double click on stop) do nothing and return no
events: the player must not crash on an impatient click.

A walking break (the flexion break between two bouts) keeps the walking rule
of the content spec (6c): it lasts its planned time and then waits until the
person says their symptoms have settled (:meth:`SessionRunner.settled`);
"Not yet" (:meth:`SessionRunner.not_yet`) keeps them resting and the question
comes back after a while. If the symptoms have not settled
:func:`~coach.core.session.stop_rules.settle_limit_s` after the break began
(15 minutes of resting, pauses excluded), the session stops by itself with
the reason ``walk_not_settling``.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from .plan import Phase, Plan, Step
from .stop_rules import SETTLE_ASK_AGAIN_S, StopReason, settle_limit_s

SUSPEND_THRESHOLD_S = 30.0
"""A clock jump this far past the expected wake-up means the computer slept."""

RESTART_THRESHOLD_S = 2.0
"""back() after this long in a step restarts it; sooner, it goes one step back."""

# Float sums like 0.1 + 0.2 must not make a wake-up land a hair before "now".
_EPSILON = 1e-9


class State(StrEnum):
    READY = "ready"
    RUNNING = "running"
    PAUSED = "paused"
    WAITING_FOR_TAP = "waiting_for_tap"  # a self-paced step: the person taps when done
    # A walking break past its planned time: waits for "settled" (or the limit).
    WAITING_TO_SETTLE = "waiting_to_settle"
    FINISHED = "finished"
    STOPPED = "stopped"


class Outcome(StrEnum):
    COMPLETED = "completed"  # ran its time, or the person tapped
    SKIPPED = "skipped"  # skip() moved past it
    ABANDONED = "abandoned"  # back() left it (restarted or went to the step before)
    STOPPED = "stopped"  # the session was stopped during it


@dataclass(frozen=True)
class StepResult:
    """What happened in one step, for the progress store.

    A step can have several results when back() repeats it; the last one counts.
    """

    step: Step
    done_seconds: float  # active time spent in the step (pauses excluded)
    outcome: Outcome
    symptoms_at_s: float | None = None  # walk bouts: time to first symptoms

    @property
    def planned_seconds(self) -> float:
        return self.step.seconds

    @property
    def skipped(self) -> bool:
        return self.outcome is Outcome.SKIPPED


@dataclass(frozen=True)
class StepStarted:
    step: Step


@dataclass(frozen=True)
class StepFinished:
    result: StepResult

    @property
    def step(self) -> Step:
        return self.result.step

    @property
    def done_seconds(self) -> float:
        return self.result.done_seconds

    @property
    def skipped(self) -> bool:
        return self.result.skipped


@dataclass(frozen=True)
class Paused:
    """The session paused: by the person, or by itself after a suspend.

    ``suspend_gap_s`` is how long the clock jumped (None for a manual pause).
    """

    step: Step
    suspend_gap_s: float | None = None


@dataclass(frozen=True)
class Resumed:
    step: Step
    paused_s: float


@dataclass(frozen=True)
class SymptomsMarked:
    step: Step
    seconds_into_bout: float

    @property
    def ends_bout(self) -> bool:
        """The mark ended the bout: the events after it are the next step's."""
        return self.step.ends_at_symptoms


@dataclass(frozen=True)
class SettleAsked:
    """Time to ask whether the symptoms have settled: the break's planned rest
    is over, or "Not yet" was said a while ago."""

    step: Step
    resting_s: float


@dataclass(frozen=True)
class NotYetSettled:
    step: Step
    resting_s: float


@dataclass(frozen=True)
class SessionFinished:
    results: tuple[StepResult, ...]


@dataclass(frozen=True)
class SessionStopped:
    reason: str
    step: Step | None  # None when stopped before it started
    results: tuple[StepResult, ...]


Event = (
    StepStarted
    | StepFinished
    | Paused
    | Resumed
    | SymptomsMarked
    | SettleAsked
    | NotYetSettled
    | SessionFinished
    | SessionStopped
)

_ACTIVE = (State.RUNNING, State.WAITING_FOR_TAP, State.WAITING_TO_SETTLE)


class SessionRunner:
    def __init__(
        self,
        plan: Plan,
        clock: Callable[[], float] = time.monotonic,
        *,
        suspend_threshold_s: float = SUSPEND_THRESHOLD_S,
        restart_threshold_s: float = RESTART_THRESHOLD_S,
    ) -> None:
        if not plan.steps or plan.steps[-1].phase is not Phase.DONE:
            raise ValueError("a plan must end with a done step")
        self.plan = plan
        self._clock = clock
        self._suspend_threshold_s = suspend_threshold_s
        self._restart_threshold_s = restart_threshold_s
        self._offsets = plan.offsets
        self._state = State.READY
        self._index = 0
        self._origin = 0.0  # when step 0 would have started, given pauses and re-basing
        self._started_at = 0.0
        self._ended_at: float | None = None
        self._paused_at: float | None = None
        self._paused_total = 0.0
        self._last_seen = 0.0  # the last clock reading acted on
        self._symptoms_at: float | None = None
        self._results: list[StepResult] = []
        self._stop_reason: str | None = None
        self._settling = False  # the current walking break is past its planned time
        # Seconds into the break when the question shows again after "Not yet";
        # None while it is showing.
        self._ask_at: float | None = None

    # --- what the GUI reads -------------------------------------------------

    @property
    def state(self) -> State:
        return self._state

    @property
    def current_step(self) -> Step:
        return self.plan.steps[self._index]

    @property
    def results(self) -> tuple[StepResult, ...]:
        return tuple(self._results)

    @property
    def stop_reason(self) -> str | None:
        return self._stop_reason

    @property
    def settling(self) -> bool:
        """A walking break waits for the person's word (also while paused)."""
        return self._settling

    @property
    def asking_settled(self) -> bool:
        """The question "have your symptoms settled?" is due (not just after "Not yet")."""
        return self._settling and self._ask_at is None

    def settle_limit_s(self) -> float:
        """Seconds from the start of the current walking break to the stop."""
        return settle_limit_s(self.current_step.seconds)

    @property
    def total_paused(self) -> float:
        """Paused time so far, including a pause still in progress."""
        if self._paused_at is not None:
            return self._paused_total + self._clock() - self._paused_at
        return self._paused_total

    def elapsed_in_step(self) -> float:
        """Active seconds in the current step (pauses excluded)."""
        if self._state in (State.READY, State.FINISHED, State.STOPPED):
            return 0.0
        return max(0.0, self._now_active() - self._step_start())

    def remaining_in_step(self) -> float:
        """Seconds left in the current step; for a self-paced step, of its estimate."""
        if self._state in (State.FINISHED, State.STOPPED):
            return 0.0
        return max(0.0, self.current_step.seconds - self.elapsed_in_step())

    def elapsed_active(self) -> float:
        """Active seconds since start: real time minus pauses (skips shorten it)."""
        if self._state is State.READY or (self._state is State.STOPPED and self._ended_at is None):
            return 0.0
        end = self._ended_at if self._ended_at is not None else self._now_active()
        return end - self._started_at - self._paused_total

    def remaining_total(self) -> float:
        """Planned seconds still ahead: the rest of this step and all after it."""
        if self._state in (State.FINISHED, State.STOPPED):
            return 0.0
        after = self._offsets[-1] - self._offsets[self._index + 1]
        return self.remaining_in_step() + after

    @property
    def progress(self) -> float:
        """How far through the plan, 0..1, by planned time."""
        if self._state is State.FINISHED:
            return 1.0
        total = self._offsets[-1]
        if total <= 0 or self._state is State.READY:
            return 0.0
        done = self._offsets[self._index] + min(self.elapsed_in_step(), self.current_step.seconds)
        return min(1.0, done / total)

    def next_deadline(self) -> float | None:
        """When the GUI should wake: the next whole second of the countdown or the
        step's end, whichever is first.

        Seconds are counted towards the step's end, so the display changes
        exactly when the remaining time crosses a whole second. A self-paced
        step has no end; the GUI wakes each whole second of its elapsed time.
        None when nothing will happen without a command (ready, paused, over).
        """
        if self._state not in _ACTIVE:
            return None
        return self._wake_after(self._clock())

    # --- commands -------------------------------------------------------------

    def start(self) -> list[Event]:
        if self._state is not State.READY:
            return []
        now = self._clock()
        self._started_at = now
        self._origin = now
        self._last_seen = now
        return self._enter(0)

    def update(self) -> list[Event]:
        """Finish every step whose deadline has passed; pause after a suspend."""
        if self._state not in _ACTIVE:
            return []
        now = self._clock()
        gap = now - self._wake_after(self._last_seen)
        if gap > self._suspend_threshold_s:
            # The computer slept (or the GUI froze for a long time): don't race
            # through the steps that "passed"; hold the step where it was.
            return self._pause(at=self._last_seen, suspend_gap_s=now - self._last_seen)
        events: list[Event] = []
        while self._state is State.RUNNING and now >= self._step_end() - _EPSILON:
            if self.current_step.phase is Phase.FLEXION_BREAK:
                # The break has had its time; the next bout waits for the person.
                events += self._begin_settling()
                break
            # Each step finishes at its own deadline, not at "now", so a stall
            # shortens nothing and the next step keeps its planned start.
            # No re-basing here: the origin stays put, so no rounding creeps in.
            events += self._finish(Outcome.COMPLETED, self.current_step.seconds)
            events += self._enter(self._index + 1)
        if self._state is State.WAITING_TO_SETTLE:
            events += self._settle_deadlines(now)
        self._last_seen = now
        return events

    def pause(self) -> list[Event]:
        events = self.update()
        if self._state not in _ACTIVE:
            return events
        return events + self._pause(at=self._clock())

    def resume(self) -> list[Event]:
        if self._state is not State.PAUSED or self._paused_at is None:
            return []
        now = self._clock()
        paused = now - self._paused_at
        self._origin += paused  # every later deadline moves by exactly the pause
        self._paused_total += paused
        self._paused_at = None
        self._last_seen = now
        self._state = self._active_state()
        return [Resumed(self.current_step, paused)]

    def tap(self) -> list[Event]:
        """The person finished a self-paced step: the next step starts now."""
        events = self.update()
        if self._state is not State.WAITING_FOR_TAP:
            return events
        done = self.elapsed_in_step()
        events += self._finish(Outcome.COMPLETED, done)
        return events + self._enter(self._index + 1, at=self._now_active())

    def skip(self) -> list[Event]:
        """Leave the current step now and start the next one (also while paused).

        A walking break is not left this way: skipping its rest asks about the
        symptoms at once, and while it waits for the answer skip does nothing.
        """
        events = self.update()
        if not self._in_progress() or self._settling:
            return events
        if self.current_step.phase is Phase.FLEXION_BREAK:
            return events + self._begin_settling()
        events += self._finish(Outcome.SKIPPED, self.elapsed_in_step())
        return events + self._enter(self._index + 1, at=self._now_active())

    def back(self) -> list[Event]:
        """Like a music player: restart the step if it ran more than the restart
        threshold (2 s), else go to the step before. Works while paused.

        Not while a walking break waits for the answer: walking again, or
        starting the rest afresh, would step round the walking rule.
        """
        events = self.update()
        if not self._in_progress() or self._settling:
            return events
        elapsed = self.elapsed_in_step()
        target = self._index if elapsed > self._restart_threshold_s else max(0, self._index - 1)
        events += self._finish(Outcome.ABANDONED, elapsed)
        return events + self._enter(target, at=self._now_active())

    def stop(self, reason: str) -> list[Event]:
        """End the session early (e.g. "pain", "new numbness"); the reason is kept."""
        if self._over():
            return []
        events = self.update()
        if self._over():  # the last deadline had passed: it finished after all
            return events
        return events + self._stop(reason, self._now_active())

    def settled(self) -> list[Event]:
        """ "Better, walk on": the symptoms settled in the walking break.

        Only once the break's planned rest is over; the next bout starts now.
        """
        events = self.update()
        if self._state is not State.WAITING_TO_SETTLE:
            return events
        events += self._finish(Outcome.COMPLETED, self.elapsed_in_step())
        return events + self._enter(self._index + 1, at=self._now_active())

    def not_yet(self) -> list[Event]:
        """ "Not yet": keep resting; the question comes back after a while."""
        events = self.update()
        if self._state is not State.WAITING_TO_SETTLE or self._ask_at is not None:
            return events
        resting = self.elapsed_in_step()
        self._ask_at = resting + SETTLE_ASK_AGAIN_S
        return [*events, NotYetSettled(self.current_step, resting)]

    def mark_symptoms(self) -> list[Event]:
        """Note the first symptoms during a walk bout, in seconds into the bout.

        Only the first mark of a bout counts (time to *first* symptoms); the
        value goes into the bout's StepResult. Outside a walk bout: nothing.

        A bout that ends at the first symptoms (``Step.ends_at_symptoms``: walk
        until symptoms, as in a treadmill walk up to 45 min) finishes with the
        mark, completed, and the next step (the break, or what follows the
        walk) starts now. Also while paused: the person stopped walking.
        """
        events = self.update()  # a bout that already ended must not get the mark
        if not self._in_progress() or self.current_step.phase is not Phase.WALK:
            return events
        if self._symptoms_at is not None:
            return events
        step = self.current_step
        self._symptoms_at = self.elapsed_in_step()
        events.append(SymptomsMarked(step, self._symptoms_at))
        if not step.ends_at_symptoms:
            return events
        events += self._finish(Outcome.COMPLETED, self._symptoms_at)
        return events + self._enter(self._index + 1, at=self._now_active())

    # --- internals ----------------------------------------------------------------

    def _over(self) -> bool:
        return self._state in (State.FINISHED, State.STOPPED)

    def _in_progress(self) -> bool:
        return self._state in (*_ACTIVE, State.PAUSED)

    def _active_state(self) -> State:
        if self._settling:
            return State.WAITING_TO_SETTLE
        return State.WAITING_FOR_TAP if self.current_step.self_paced else State.RUNNING

    def _now_active(self) -> float:
        """The clock, frozen at the pause while paused."""
        return self._paused_at if self._paused_at is not None else self._clock()

    def _step_start(self) -> float:
        return self._origin + self._offsets[self._index]

    def _step_end(self) -> float:
        return self._origin + self._offsets[self._index + 1]

    def _wake_after(self, now: float) -> float:
        if self._state in (State.WAITING_FOR_TAP, State.WAITING_TO_SETTLE):
            # Counting up: each whole second of the step, and the walking
            # rule's moments (the question again, the stop) exactly.
            start = self._step_start()
            wake = start + math.floor(max(0.0, now - start) + _EPSILON) + 1
            if self._state is State.WAITING_TO_SETTLE:
                for at in (self._ask_at, self.settle_limit_s()):
                    if at is not None and start + at > now + _EPSILON:
                        wake = min(wake, start + at)
            return wake
        end = self._step_end()
        remaining = end - now
        if remaining <= _EPSILON:
            return end
        # Whole seconds still to show after the next tick, counted back from the end.
        return end - (math.ceil(remaining - _EPSILON) - 1)

    def _begin_settling(self) -> list[Event]:
        self._settling = True
        self._ask_at = None
        if self._state is not State.PAUSED:
            self._state = State.WAITING_TO_SETTLE
        return [SettleAsked(self.current_step, self.elapsed_in_step())]

    def _settle_deadlines(self, now: float) -> list[Event]:
        """The question again after "Not yet", and the walking rule's stop."""
        start = self._step_start()
        limit = self.settle_limit_s()
        if now >= start + limit - _EPSILON:
            # Stopped at the limit itself, not at a late wake-up.
            return self._stop(StopReason.WALK_NOT_SETTLING.value, start + limit)
        if self._ask_at is not None and now >= start + self._ask_at - _EPSILON:
            self._ask_at = None
            return [SettleAsked(self.current_step, now - start)]
        return []

    def _stop(self, reason: str, at: float) -> list[Event]:
        events: list[Event] = []
        step: Step | None = None
        if self._in_progress():
            step = self.current_step
            events += self._finish(Outcome.STOPPED, at - self._step_start())
            self._ended_at = at
        self._paused_at = None
        self._settling = False
        self._state = State.STOPPED
        self._stop_reason = reason
        return [*events, SessionStopped(reason, step, self.results)]

    def _pause(self, *, at: float, suspend_gap_s: float | None = None) -> list[Event]:
        self._paused_at = at
        self._state = State.PAUSED
        return [Paused(self.current_step, suspend_gap_s)]

    def _finish(self, outcome: Outcome, done_seconds: float) -> list[Event]:
        step = self.current_step
        symptoms = self._symptoms_at if step.phase is Phase.WALK else None
        result = StepResult(step, max(0.0, done_seconds), outcome, symptoms)
        self._results.append(result)
        self._symptoms_at = None
        return [StepFinished(result)]

    def _enter(self, index: int, at: float | None = None) -> list[Event]:
        """Make step ``index`` current, starting at ``at`` (re-basing the origin)."""
        self._index = index
        self._settling = False
        self._ask_at = None
        if at is not None:
            self._origin = at - self._offsets[index]
        step = self.current_step
        if step.phase is Phase.DONE:
            self._ended_at = self._step_start()
            self._paused_at = None
            self._state = State.FINISHED
            return [StepStarted(step), SessionFinished(self.results)]
        if self._state is not State.PAUSED:
            self._state = self._active_state()
        return [StepStarted(step)]


__all__ = [
    "Event",
    "NotYetSettled",
    "Outcome",
    "Paused",
    "Resumed",
    "SessionFinished",
    "SessionRunner",
    "SessionStopped",
    "SettleAsked",
    "State",
    "StepFinished",
    "StepResult",
    "StepStarted",
    "SymptomsMarked",
]
