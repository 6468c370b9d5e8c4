"""One way the window changes data: the operation runner and the change bus.

Learnt from Anki's `aqt/operations` (CollectionOp + OpChanges), kept smaller:

- `Ops.run` calls a service on the GUI thread (most actions take a few milliseconds) and
  `Ops.run_in_background` on a worker thread for what can take longer (PDFs, bundles, reports,
  imports), with a busy state: a wait cursor, the parent disabled, a status message. Both show a
  `UserError` as a plain message unless the caller handles it inline (a field's own message), and
  anything else as a safe generic sentence, logged without personal data.
- What changed is not returned by each operation, as in Anki, but published by the workspace
  after every commit (read off SQLAlchemy's unit of work, see app/services/changes.py), so an
  action that forgets to say what it changed cannot exist. The `ChangeBus` turns that into a Qt
  signal, delivered on the GUI thread even when the work ran on a worker.
- Each view says which kinds of record it shows through a `ChangeWatcher`; a hidden view keeps
  the changes for when it is shown, so a refresh touches only what is on screen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar
from weakref import WeakKeyDictionary

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QApplication, QWidget

from app.domain.person import PersonDraft
from app.errors import UserError
from app.services import people
from app.services.changes import Changes, Kind
from app.services.workspace import Workspace
from ui.messages import log_fault, show_error
from ui.threads import Job, run_in_thread

T = TypeVar("T")
ErrorHandler = Callable[[UserError], bool]  # True: shown inline, no message box needed


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """What `Ops.run` gives back: whether the action went through, and its result."""

    ok: bool
    value: T | None = None


class ChangeBus(QObject):
    """The workspace's change events as a Qt signal on the GUI thread."""

    changed = Signal(object)  # Changes

    def __init__(self, ws: Workspace, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._unsubscribe = ws.subscribe(self._relay)

    def _relay(self, found: Changes) -> None:
        # Emitting from a worker thread queues the delivery to the GUI thread (auto connection).
        try:
            self.changed.emit(found)
        except RuntimeError:
            pass  # quitting: the bus is gone with the window; what changed is saved

    def close(self) -> None:
        self._unsubscribe()


def report(parent: QWidget | None, exc: BaseException,
           on_error: ErrorHandler | None = None) -> None:
    """Show a failure: inline if the caller can, else a plain message box."""
    if isinstance(exc, UserError) and on_error is not None and on_error(exc):
        return
    if not isinstance(exc, UserError):
        log_fault(exc, "in an operation")
    if parent is not None:
        show_error(parent, exc if isinstance(exc, Exception) else RuntimeError(str(exc)))


class Ops(QObject):
    """The runner every panel and dialog uses to call a service (one per workspace)."""

    busy_changed = Signal(str)  # what is being done, "" when idle

    def __init__(self, ws: Workspace) -> None:
        super().__init__()
        self.ws = ws
        self.bus = ChangeBus(ws, self)
        self._jobs: set[Job] = set()
        self._generations: dict[str, int] = {}

    @property
    def busy(self) -> bool:
        return bool(self._jobs)

    def run(self, parent: QWidget | None, call: Callable[..., T], *args: Any,
            on_error: ErrorHandler | None = None, **kwargs: Any) -> Outcome[T]:
        """Call a service now, on the GUI thread; failures are shown, never raised."""
        try:
            value = call(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - every failure is told to the user
            report(parent, exc, on_error)
            return Outcome(False)
        return Outcome(True, value)

    def run_in_background(self, parent: QWidget | None, call: Callable[[], T], *,
                          busy: str, on_done: Callable[[T], None] | None = None,
                          on_error: ErrorHandler | None = None,
                          on_finished: Callable[[], None] | None = None) -> None:
        """Run a slow action on a worker thread; the window stays responsive meanwhile, and the
        parent is disabled so the same action cannot be started twice."""
        if parent is not None:
            parent.setEnabled(False)
        QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
        self.busy_changed.emit(busy)
        job: Job

        def finish() -> bool:
            """Undo the busy state; False if nobody is left to tell (the dialog was closed,
            or Resettle was locked meanwhile: what was done is saved, nothing is shown)."""
            self._jobs.discard(job)
            QApplication.restoreOverrideCursor()
            alive = parent is None or shiboken6.isValid(parent)
            if parent is not None and alive:
                parent.setEnabled(True)
            if not self._jobs:
                self.busy_changed.emit("")
            if on_finished is not None and alive:
                on_finished()
            return alive and not self.ws.locked

        def done(value: Any) -> None:
            if finish() and on_done is not None:
                on_done(value)

        def failed(exc: Exception) -> None:
            if finish():
                report(parent, exc, on_error)
            elif not isinstance(exc, UserError):
                log_fault(exc, "after its window had gone")

        job = run_in_thread(call, done, failed)
        self._jobs.add(job)

    def fetch(self, key: str, call: Callable[[], T], on_done: Callable[[T], None]) -> None:
        """Read on a worker thread for a view (a list of thousands of women), without a busy
        state: the window stays usable while it loads. Only the newest fetch for `key` is
        delivered, so a slow older read never overwrites a newer one."""
        generation = self._generations.get(key, 0) + 1
        self._generations[key] = generation
        job: Job

        def done(value: Any) -> None:
            self._jobs.discard(job)
            if self._generations.get(key) == generation and not self.ws.locked:
                on_done(value)

        def failed(exc: Exception) -> None:
            self._jobs.discard(job)
            report(None, exc)  # logged; the view keeps what it showed

        job = run_in_thread(call, done, failed)
        self._jobs.add(job)

    def wait(self, timeout_ms: int = 30_000) -> bool:
        """Let background work finish (at lock, and in tests); True if nothing is left."""
        return QThreadPool.globalInstance().waitForDone(timeout_ms) and not self._jobs

    def close(self) -> None:
        self.bus.close()


_RUNNERS: WeakKeyDictionary[Workspace, Ops] = WeakKeyDictionary()


def ops_for(ws: Workspace) -> Ops:
    """The one runner of this workspace, made on first use."""
    runner = _RUNNERS.get(ws)
    if runner is None:
        runner = _RUNNERS[ws] = Ops(ws)
    return runner


class ChangeWatcher(QObject):
    """Calls `refresh(changes)` when a change touches what a view shows.

    While the view is hidden (another tab, a closed record), changes are kept and merged, and
    delivered once it is shown again: a refresh only ever touches what is on screen.
    `person` (optional) narrows the watch to the woman the view shows now.
    """

    def __init__(self, view: QWidget, ops: Ops, kinds: tuple[Kind, ...],
                 refresh: Callable[[Changes], None],
                 person: Callable[[], int | None] | None = None,
                 background: bool = False) -> None:
        super().__init__(view)
        self.view = view
        self.kinds = kinds
        self.refresh = refresh
        self.person = person
        self.pending: Changes | None = None
        # A hidden list whose tab shows a count (overdue, late) catches up soon after, so the
        # count never lies for long, without slowing the action itself.
        self._catch_up: QTimer | None = None
        if background:
            self._catch_up = QTimer(self)
            self._catch_up.setSingleShot(True)
            self._catch_up.setInterval(800)
            self._catch_up.timeout.connect(self.flush)
        ops.bus.changed.connect(self.on_changes)
        view.installEventFilter(self)

    def relevant(self, found: Changes) -> bool:
        if self.person is None:
            return found.touches(*self.kinds)
        return found.touches_person(self.person(), *self.kinds)

    def on_changes(self, found: Changes) -> None:
        if not self.relevant(found):
            return
        self.pending = found if self.pending is None else self.pending | found
        if self.view.isVisible():
            self.flush()
        elif self._catch_up is not None:
            self._catch_up.start()

    def flush(self) -> None:
        found, self.pending = self.pending, None
        if found is not None:
            self.refresh(found)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.view and event.type() == QEvent.Type.Show and self.pending:
            # After the show completes: a refresh may itself show or hide children.
            QTimer.singleShot(0, self, self.flush)  # not after the watcher is gone
        return False


class RecordPanel(Protocol):
    """A tab of her record: shows one woman, given her id and her details."""

    person_id: int | None
    person: PersonDraft | None

    def show_person(self, person_id: int, person: PersonDraft) -> None: ...


def follow_her(panel: QWidget, ws: Workspace, kinds: tuple[Kind, ...]) -> ChangeWatcher:
    """A record tab re-shows her after a change to her in the kinds it shows (when it is on
    screen). Her details are read again first when they changed: a new release date moves her
    plan's dates and her release-day risks."""
    ops = ops_for(ws)
    shown: RecordPanel = panel  # type: ignore[assignment]

    def refresh(changes: Changes) -> None:
        person_id, draft = shown.person_id, shown.person
        if person_id is None:
            return
        if draft is None or changes.touches(Kind.PEOPLE):
            done = ops.run(panel, people.reread_person, ws, person_id)
            if not done.ok or done.value is None:
                return  # she is gone: the window closes her record
            draft = done.value.draft
        shown.show_person(person_id, draft)

    return ChangeWatcher(panel, ops, kinds, refresh, person=lambda: shown.person_id)
