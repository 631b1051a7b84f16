"""Finished steps kept while the store cannot take them, and written when it can.

A lock held by another program, a full disk or a folder gone read-only must
not lose a step the person finished, nor freeze the player while the fault
lasts. So the player's writes go through a :class:`StepSaver`:

- it writes a step (or a session's end) at once if the store takes it within
  a short wait (``busy_timeout_s``, 50 ms), as before;
- otherwise it keeps it in a :class:`StepQueue`, in order, and in a journal
  file beside the database (``coach.sqlite3.pending.jsonl``, owner-only,
  appended and fsynced) when that file can be written;
- :meth:`StepSaver.retry` (the UI calls it on a timer) writes everything
  queued in one transaction once the store works again; a session's end is
  queued behind its steps, so "completed" is written after them and never
  becomes "abandoned";
- at the next start, :func:`replay_pending` writes what a crash or a quit
  left in the journal, before sessions left in progress are closed.

No step is written twice: every queued entry has a number (``seq``) in its
journal, and the transaction that writes entries also stores, under
:data:`MARK_KEY`, the journal's id and the last number written. A journal
found after a crash between that commit and the journal's removal is replayed
from the next number on.

Pure Python, no Qt; the clock and the store are injected.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from coach.core.progress.store import QueuedEnd, QueuedStep, Store
from coach.core.progress.store_errors import StoreError
from coach.core.progress.store_file import fsync_dir, unique_path
from coach.core.progress.store_rows import SessionOutcome, iso
from coach.core.session.runner import StepResult

JOURNAL_SUFFIX = ".pending.jsonl"
"""The journal is ``<database name>`` + this, in the database's folder."""
JOURNAL_FORMAT = 1
MARK_KEY = "pending_journal"
"""kv key: ``{"journal": id, "seq": n}``, entries up to n of that journal are stored."""
PLAYER_BUSY_TIMEOUT_S = 0.05
"""How long a write from the player waits for another program's lock."""
BATCH = 500
"""At most this many queued entries per transaction (one retry stays short)."""

Entry = QueuedStep | QueuedEnd


def journal_for(database: Path) -> Path:
    return Path(database).with_name(Path(database).name + JOURNAL_SUFFIX)


# --------------------------------------------------------------------------
# The queue and its journal
# --------------------------------------------------------------------------


class StepQueue:
    """Entries not yet in the store, oldest first, mirrored in a journal file.

    ``journal=None`` keeps them in memory only. An existing journal is read
    (a torn last line, left by a crash mid-write, is ignored) and appended
    to; a journal that is not Coach's is put aside, never deleted.
    """

    def __init__(self, journal: Path | None) -> None:
        self.journal = journal
        self._entries: list[tuple[int, Entry, bool]] = []  # (seq, entry, in the journal)
        self._id = uuid.uuid4().hex
        self._seq = 0
        self._file_exists = False
        self._needs_newline = False
        self.refused = 0
        """Entries the database refused as invalid (a damaged journal): left out."""
        self.put_aside: Path | None = None
        if journal is not None:
            self._load(journal)

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def entries(self) -> list[Entry]:
        return [entry for _seq, entry, _kept in self._entries]

    @property
    def unjournaled(self) -> int:
        """Entries pending that only memory holds (the journal could not be written)."""
        return sum(1 for _seq, _entry, kept in self._entries if not kept)

    def add(self, entry: Entry) -> bool:
        """Queue ``entry``; True when it is in the journal too (it survives a crash)."""
        self._seq += 1
        journaled = self._append(self._seq, entry)
        self._entries.append((self._seq, entry, journaled))
        return journaled

    def drop_written(self, store: Store) -> int:
        """Forget entries the store already holds (by its mark); returns how many."""
        mark = store.get_json(MARK_KEY)
        if not isinstance(mark, dict) or mark.get("journal") != self._id:
            return 0
        last = mark.get("seq")
        if not isinstance(last, int):
            return 0
        before = len(self._entries)
        self._entries = [item for item in self._entries if item[0] > last]
        dropped = before - len(self._entries)
        if not self._entries:
            self._remove_journal()
        return dropped

    def flush(self, store: Store, limit: int = BATCH) -> int:
        """Write up to ``limit`` entries in one transaction; returns how many went.

        Raises StoreError (and keeps every entry) when the store refuses.
        """
        batch = self._entries[:limit]
        if not batch:
            return 0
        try:
            self._write(store, batch)
        except ValueError:
            # The database refuses one of them (it can never be written): one
            # at a time, leaving out what it refuses, so the rest still goes in.
            for item in batch:
                try:
                    self._write(store, [item])
                except ValueError:
                    self.refused += 1
                    self._entries.remove(item)
                    continue
        if not self._entries:
            self._remove_journal()
        return len(batch)

    def _write(self, store: Store, items: list[tuple[int, Entry, bool]]) -> None:
        store.record_queued(
            [entry for _seq, entry, _kept in items],
            mark=(MARK_KEY, {"journal": self._id, "seq": items[-1][0]}),
        )
        del self._entries[: len(items)]

    # -- the journal file ------------------------------------------------------------
    def _load(self, journal: Path) -> None:
        try:
            data = journal.read_bytes()
        except FileNotFoundError:
            return
        except OSError:
            self.journal = None  # unreadable: leave it alone, keep in memory
            return
        lines = data.split(b"\n")
        header = _json_line(lines[0]) if lines else None
        if (
            not isinstance(header, dict)
            or header.get("coach_journal") != JOURNAL_FORMAT
            or not isinstance(header.get("id"), str)
        ):
            if data.strip():
                # Not ours, or damaged at its first line: kept, never deleted.
                aside = unique_path(journal.with_name(journal.name + ".damaged"))
                with contextlib.suppress(OSError):
                    os.replace(journal, aside)
                    self.put_aside = aside
            else:
                with contextlib.suppress(OSError):
                    journal.unlink()
            return
        self._id = header["id"]
        self._file_exists = True
        self._needs_newline = not data.endswith(b"\n")
        for line in lines[1:]:
            parsed = _json_line(line)
            item = _entry_from(parsed) if isinstance(parsed, dict) else None
            if item is not None and item[0] > self._seq:
                self._seq = item[0]
                self._entries.append((item[0], item[1], True))

    def _append(self, seq: int, entry: Entry) -> bool:
        if self.journal is None:
            return False
        record = {"seq": seq, "kind": "step" if isinstance(entry, QueuedStep) else "end"}
        record |= entry._asdict()
        text = json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"
        if not self._file_exists:
            header = {"coach_journal": JOURNAL_FORMAT, "id": self._id}
            text = json.dumps(header, separators=(",", ":")) + "\n" + text
        elif self._needs_newline:
            text = "\n" + text  # after a torn line, start a fresh one
        created = not self._file_exists
        try:
            fd = os.open(self.journal, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                data = text.encode("utf-8")
                if os.write(fd, data) != len(data):
                    raise OSError(errno.ENOSPC, "short write")
                os.fsync(fd)
            finally:
                os.close(fd)
            if created:
                fsync_dir(self.journal.parent)
        except OSError:
            if created:
                # Not even the header fits: no file, so the next try starts it afresh.
                with contextlib.suppress(OSError):
                    self.journal.unlink(missing_ok=True)
            else:
                self._needs_newline = True  # part of the line may be there
            return False
        self._file_exists = True
        self._needs_newline = False
        return True

    def _remove_journal(self) -> None:
        if self.journal is None or not self._file_exists:
            return
        try:
            self.journal.unlink(missing_ok=True)
            fsync_dir(self.journal.parent)
        except OSError:
            return  # its entries are marked as written: a replay skips them
        self._file_exists = False
        self._needs_newline = False
        self._id = uuid.uuid4().hex  # a new journal, a new id
        self._seq = 0


def _json_line(line: bytes) -> Any:
    try:
        return json.loads(line.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None


def _opt(value: object, kind: type | tuple[type, ...]) -> bool:
    return value is None or (isinstance(value, kind) and not isinstance(value, bool))


def _entry_from(record: dict[str, Any]) -> tuple[int, Entry] | None:
    """One journal line back into an entry; None when it is not a valid one."""
    seq = record.get("seq")
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 1:
        return None
    sid = record.get("session_id")
    if not isinstance(sid, int) or isinstance(sid, bool):
        return None
    number = (int, float)
    try:
        if record.get("kind") == "step":
            step = QueuedStep(**{f: record[f] for f in QueuedStep._fields})
            ok = (
                isinstance(step.step_index, int)
                and step.step_index >= 0
                and _opt(step.item_index, int)
                and _opt(step.exercise_id, str)
                and isinstance(step.phase, str)
                and _opt(step.side, str)
                and _opt(step.set_no, int)
                and _opt(step.rep_no, int)
                and _opt(step.planned_s, number)
                and step.planned_s is not None
                and step.planned_s >= 0
                and _opt(step.done_s, number)
                and step.done_s is not None
                and step.done_s >= 0
                and isinstance(step.outcome, str)
                and _opt(step.symptoms_at_s, number)
                and (step.symptoms_at_s is None or step.symptoms_at_s >= 0)
                and isinstance(step.recorded_utc, str)
            )
            return (seq, step) if ok else None
        if record.get("kind") == "end":
            end = QueuedEnd(**{f: record[f] for f in QueuedEnd._fields})
            ok = (
                end.outcome in {o.value for o in SessionOutcome}
                and end.outcome != SessionOutcome.IN_PROGRESS.value
                and _opt(end.stop_reason, str)
                and _opt(end.stop_note, str)
                and isinstance(end.ended_utc, str)
            )
            return (seq, end) if ok else None
    except KeyError:
        return None
    return None


# --------------------------------------------------------------------------
# The saver the player's recorder writes through
# --------------------------------------------------------------------------


class StepSaver:
    """Writes now if the store takes it within a moment, else queues and retries.

    ``store`` returns the store to write to (None: none is open), so a store
    replaced meanwhile (a restored backup) is followed. Every call returns
    within about ``busy_timeout_s`` plus the disk's own time for a commit.
    Caller mistakes (an unknown session, a bad outcome) still raise
    ValueError; faults of the store never raise from here.
    """

    def __init__(
        self,
        store: Callable[[], Store | None],
        *,
        busy_timeout_s: float = PLAYER_BUSY_TIMEOUT_S,
        journal: bool = True,
    ) -> None:
        self._store = store
        self._busy_timeout_s = busy_timeout_s
        self._journal = journal
        self._queue: StepQueue | None = None
        self.error: StoreError | None = None
        """The fault that keeps entries queued, None when everything is saved."""

    @property
    def pending(self) -> int:
        return len(self._queue) if self._queue is not None else 0

    @property
    def journaled(self) -> bool:
        """Whether everything pending is also in the journal (it survives a crash)."""
        return self._queue is None or self._queue.unjournaled == 0

    def queue(self) -> StepQueue | None:
        """The queue, opened (and its journal read) on first use; None without a store."""
        if self._queue is None:
            store = self._store()
            if store is None:
                return None
            self._queue = StepQueue(journal_for(store.path) if self._journal else None)
        return self._queue

    def record_step(self, session_id: int, result: StepResult) -> bool:
        """Save one finished step; True when it is in the store already."""
        store = self._store()
        if store is None:
            return False
        entry = QueuedStep.of(session_id, result, store.now())
        return self._save(store, entry, lambda: store.record_step(session_id, result))

    def end_session(
        self,
        session_id: int,
        outcome: SessionOutcome | str,
        *,
        stop_reason: str | None = None,
        stop_note: str | None = None,
    ) -> bool:
        """Save the session's end (after its steps); True when it is in the store."""
        final = SessionOutcome(outcome)
        if final is SessionOutcome.IN_PROGRESS:
            raise ValueError("a session cannot end 'in progress'")
        store = self._store()
        if store is None:
            return False
        end = QueuedEnd(session_id, final.value, stop_reason, stop_note, iso(store.now()))
        return self._save(
            store,
            end,
            lambda: store.end_session(
                session_id, final, stop_reason=stop_reason, stop_note=stop_note
            ),
        )

    def retry(self) -> bool:
        """Try to write what is queued; True when nothing is left."""
        store = self._store()
        queue = self.queue()
        if store is None or queue is None:
            return self.pending == 0
        try:
            with store.busy_timeout(self._busy_timeout_s):
                queue.drop_written(store)
                queue.flush(store)  # one batch per try: a long queue never stalls the screen
        except StoreError as exc:
            self.error = exc
            return False
        except RuntimeError:  # the store was closed (a restore is replacing it)
            return False
        if not len(queue):
            self.error = None
        return not len(queue)

    def _save(self, store: Store, entry: Entry, write_now: Callable[[], object]) -> bool:
        queue = self.queue()
        assert queue is not None
        if len(queue) == 0:  # else behind the queued ones, in order
            try:
                with store.busy_timeout(self._busy_timeout_s):
                    write_now()
                return True
            except StoreError as exc:
                self.error = exc
            except RuntimeError:  # closed: keep it for the store that replaces it
                pass
        queue.add(entry)
        return False


def replay_pending(store: Store) -> int:
    """Write what the journal beside ``store`` kept from an earlier run; how many.

    Call it at start-up, before sessions left in progress are closed, so that
    a session whose end ("completed") was queued is not called abandoned. If
    the store still refuses, the journal stays for the next try.
    """
    journal = journal_for(store.path)
    if not journal.exists():
        return 0
    queue = StepQueue(journal)
    written = 0
    try:
        queue.drop_written(store)
        while len(queue):
            written += queue.flush(store)
    except StoreError:
        return written
    return written
