"""Running long exchange work (export, import, merge) off the GUI thread, with progress and cancel.

A `Job` is a QObject living in the GUI thread; its work function runs in a QThreadPool worker and talks
back only through queued signals. The work function gets a `JobContext`: `ctx.step(n)` reports
progress and raises `Cancelled` once the user pressed Cancel, `ctx.stage(text, cancellable)` tells the
user what happens now (writing to the project is never interrupted halfway: it is one transaction).
Errors reach the GUI as one readable line; unexpected ones are written to crash.log, never shown as a
traceback.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Signal

from annotator.core.errors import UserError


class Cancelled(Exception):  # noqa: N818 (reads better at the raise site)
    """Raised inside the work function when the user cancelled; the partial output is discarded."""


class JobContext:
    """What the work function sees: progress reports and the cancel flag."""

    def __init__(self, job: Job) -> None:
        self._job = job
        self._last_emit = 0.0
        self.count = 0
        self.cancellable = True  # False once the work has changed something (a commit, a file renamed)
        self.row_delay = 0.0  # seconds per step; tests set it to simulate a slow disk

    @property
    def cancelled(self) -> bool:
        return self._job.cancel_event.is_set()

    def check(self) -> None:
        if self.cancelled:
            raise Cancelled

    def step(self, n: int = 1) -> None:
        """Count `n` more items done; emits progress at most ~20 times a second; raises Cancelled."""
        self.count += n
        if self.row_delay:
            time.sleep(self.row_delay)
        self.check()
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

    def __init__(self, title: str, work: Callable[[JobContext], Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.work = work
        self.cancel_event = threading.Event()
        self.context = JobContext(self)
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
            self.failed.emit(_logged(*sys.exc_info()))
        else:
            if self.cancel_event.is_set() and self.context.cancellable:
                # Cancelled after the last checkpoint but before anything was changed (e.g. a dry run).
                self.cancelled.emit()
            else:
                # Otherwise the work is complete (committed, written), so it is reported as done.
                self.succeeded.emit(result)


def _logged(exc_type, exc, tb) -> str:  # type: ignore[no-untyped-def]
    from annotator.gui.app import log_crash

    try:
        path = log_crash(exc_type, exc, tb)
        where = f"; details were written to {path}"
    except OSError:
        where = ""
    return f"Unexpected error: {exc_type.__name__}: {str(exc).splitlines()[0] if str(exc) else ''}{where}"


class JobRunnable(QRunnable):
    def __init__(self, job: Job) -> None:
        super().__init__()
        self.job = job
        self.setAutoDelete(True)

    def run(self) -> None:
        self.job.run_here()
