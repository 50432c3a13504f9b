"""The window's one way to run long work (agreement, export, import, merge) off the GUI thread.

A `Job` is a QObject living in the GUI thread; its work function runs in a worker thread and talks back
only through queued signals. The work function gets a `JobContext`: `ctx.step(n)` reports progress and
raises `Cancelled` once the user pressed Cancel, `ctx.progress(done, total)` does the same for work
that takes a progress callback (it returns False instead of raising), `ctx.stage(text, cancellable)`
tells the user what happens now (writing to the project is never interrupted halfway: it is one
transaction). Errors reach the GUI as one readable line; unexpected ones are written to crash.log,
never shown as a traceback.

A `JobRunner` runs one job at a time in its own thread behind a `JobProgressDialog` whose Cancel
(and Esc) work only while cancelling is safe; it calls back when the job is over.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QProgressDialog, QPushButton, QWidget

from annotator.core.errors import UserError


class Cancelled(Exception):  # noqa: N818 (reads better at the raise site)
    """Raised inside the work function when the user cancelled; the partial output is discarded."""


class JobContext:
    """What the work function sees: progress reports and the cancel flag."""

    def __init__(self, job: Job, step_delay: float = 0.0) -> None:
        self._job = job
        self._last_emit = 0.0
        self._total = -1
        self.count = 0
        self.cancellable = True  # False once the work has changed something (a commit, a file renamed)
        self.step_delay = step_delay  # seconds to wait per step (a test simulating a slow disk sets it)

    @property
    def cancelled(self) -> bool:
        return self._job.cancel_event.is_set()

    def check(self) -> None:
        if self.cancelled:
            raise Cancelled

    def step(self, n: int = 1) -> None:
        """Count `n` more items done; emits progress at most ~20 times a second; raises Cancelled."""
        self.count += n
        if self.step_delay:
            time.sleep(self.step_delay)
        self.check()
        self._emit_progress()

    def progress(self, done: int, total: int) -> bool:
        """A progress callback for work that takes one: reports `done` of `total`; False = please stop."""
        if total != self._total:
            self._total = total
            self.set_total(total)
        self.count = done
        self._emit_progress()
        return not self.cancelled

    def _emit_progress(self) -> None:
        now = time.monotonic()
        if now - self._last_emit >= 0.05:
            self._last_emit = now
            self._job.progressed.emit(self.count)

    def set_total(self, total: int) -> None:
        self._job.totalKnown.emit(max(0, total))

    def stage(self, text: str, cancellable: bool = True) -> None:
        self.check()
        self.cancellable = cancellable
        self._job.stageChanged.emit(text, cancellable)

    def written(self) -> None:
        """The output exists now: a Cancel pressed from here on comes too late."""
        self.cancellable = False
        self._job.stageChanged.emit("Done", False)


class Job(QObject):
    """One piece of background work; exactly one of succeeded/failed/cancelled is emitted, then done."""

    progressed = Signal(int)
    totalKnown = Signal(int)
    stageChanged = Signal(str, bool)
    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    done = Signal()

    def __init__(
        self,
        title: str,
        work: Callable[[JobContext], Any],
        parent: QObject | None = None,
        *,
        step_delay: float = 0.0,
    ) -> None:
        super().__init__(parent)
        self.title = title
        self.work = work
        self.cancel_event = threading.Event()
        self.context = JobContext(self, step_delay)
        self.outcome: str | None = None  # "ok" | "error" | "cancelled", set in the GUI thread
        self.result: Any = None
        self.error: str | None = None
        self.succeeded.connect(lambda r: self._finish("ok", result=r))
        self.failed.connect(lambda msg: self._finish("error", error=msg))
        self.cancelled.connect(lambda: self._finish("cancelled"))

    def cancel(self) -> None:
        self.cancel_event.set()

    def _finish(self, outcome: str, *, result: Any = None, error: str | None = None) -> None:
        self.outcome, self.result, self.error = outcome, result, error
        self.done.emit()

    def run_here(self) -> None:
        """Run the work in the calling thread (the worker), turning every outcome into a signal."""
        try:
            result = self.work(self.context)
        except Cancelled:
            self.cancelled.emit()
        except UserError as exc:
            self.failed.emit(str(exc).strip() or "failed")
        except OSError as exc:
            where = f"{exc.filename}: " if exc.filename else ""
            self.failed.emit(f"{where}{exc.strerror or exc}")
        except Exception:  # anything else: logged to crash.log, one line shown
            exc_type, error, tb = sys.exc_info()
            assert exc_type is not None
            assert error is not None
            self.failed.emit(_logged(exc_type, error, tb))
        else:
            if self.cancel_event.is_set() and self.context.cancellable:
                # Cancelled after the last checkpoint but before anything was changed (e.g. a dry run).
                self.cancelled.emit()
            else:
                # Otherwise the work is complete (committed, written), so it is reported as done.
                self.succeeded.emit(result)


def _logged(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> str:
    from annotator.gui.app import log_crash

    try:
        path = log_crash(exc_type, exc, tb)
        where = f"; details were written to {path}"
    except OSError:
        where = ""
    return f"Unexpected error: {exc_type.__name__}: {str(exc).splitlines()[0] if str(exc) else ''}{where}"


class _Runnable(QRunnable):
    def __init__(self, job: Job) -> None:
        super().__init__()
        self.job = job
        self.setAutoDelete(True)

    def run(self) -> None:
        self.job.run_here()


class JobProgressDialog(QProgressDialog):
    """Window-modal progress with a Cancel button (and Esc) that only work while cancelling is safe."""

    def __init__(self, label: str, parent: QWidget | None, title: str = "annotator") -> None:
        super().__init__(label, "Cancel", 0, 0, parent)
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setAutoClose(False)
        self.setAutoReset(False)
        self.setMinimumDuration(300)
        self.setMinimumWidth(420)
        self.cancellable = True
        self.finishing = False
        self.cancel_button = QPushButton("Cancel")
        self.setCancelButton(self.cancel_button)

    def set_cancellable(self, on: bool) -> None:
        self.cancellable = on
        self.cancel_button.setEnabled(on)
        self.cancel_button.setToolTip("" if on else "Writing to the project: this step finishes as a whole")

    def reject(self) -> None:  # Esc: cancel, but not in the middle of writing to the project
        if self.cancellable or self.finishing:
            super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.cancellable or self.finishing:
            super().closeEvent(event)
        else:
            event.ignore()


def _show_stage(dialog: JobProgressDialog, text: str, cancellable: bool) -> None:
    dialog.setLabelText(text)
    dialog.set_cancellable(cancellable)


class JobRunner(QObject):
    """Runs one job at a time in its own worker thread, behind a progress dialog over `parent`.

    `job` is the running or last job, `progress` its dialog while it runs. `cancelRequested` is emitted
    when the user cancels a running job, `jobFinished(outcome)` after the job's own callback ran.
    """

    cancelRequested = Signal()
    jobFinished = Signal(str)  # "ok" | "error" | "cancelled"

    def __init__(self, parent: QWidget, dialog_title: str = "annotator") -> None:
        super().__init__(parent)
        self._parent = parent
        self._dialog_title = dialog_title
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self.job: Job | None = None
        self.progress: JobProgressDialog | None = None

    @property
    def running(self) -> bool:
        return self.job is not None and self.job.outcome is None

    def start(self, job: Job, on_done: Callable[[Job], None]) -> Job:
        """Run `job`; `on_done(job)` is called in the GUI thread once it is over (see `job.outcome`)."""
        self.job = job
        dialog = JobProgressDialog(job.title, self._parent, self._dialog_title)
        dialog.canceled.connect(lambda: self._cancel(job))
        dialog.rejected.connect(lambda: self._cancel(job))  # Esc
        job.totalKnown.connect(lambda total: dialog.setRange(0, total))
        job.progressed.connect(lambda n: dialog.setValue(min(n, dialog.maximum()) if dialog.maximum() else 0))
        job.stageChanged.connect(lambda text, cancellable: _show_stage(dialog, text, cancellable))
        job.done.connect(lambda: self._finished(job, dialog, on_done))
        self.progress = dialog
        self.pool.start(_Runnable(job))
        return job

    def cancel(self) -> None:
        if self.job is not None:
            self._cancel(self.job)

    def _cancel(self, job: Job) -> None:
        if job.outcome is not None:  # the dialog closing after the job ended
            return
        job.cancel()
        self.cancelRequested.emit()

    def _finished(self, job: Job, dialog: JobProgressDialog, on_done: Callable[[Job], None]) -> None:
        dialog.finishing = True
        dialog.close()
        dialog.deleteLater()
        if self.progress is dialog:
            self.progress = None
        on_done(job)
        self.jobFinished.emit(job.outcome or "error")

    def wait(self, ms: int = 30000) -> bool:
        """Wait for the worker thread (closing the window, tests)."""
        return self.pool.waitForDone(ms)
