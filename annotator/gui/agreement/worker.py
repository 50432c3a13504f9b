"""Runs the agreement computation in a QThreadPool worker, with progress and cancellation.

The window stays responsive while thousands of bootstrap resamples run; the progress callback
of core.agreement returns False once the user pressed Cancel, which stops the work.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Signal

from annotator.core.agreement import Cancelled
from annotator.core.agreement_report import Disagreement, disagreements
from annotator.core.errors import UserError
from annotator.store.engine import Project
from annotator.store.services import agreement as service


@dataclass(frozen=True)
class Request:
    coders: list[str]
    documents: str | list[str]  # service.DONE, service.ALL or names
    codes: list[str] | None
    bootstrap: int = 0
    seed: int = 0


@dataclass(frozen=True)
class Outcome:
    selection: service.Selection
    result: dict[str, Any]
    disagreements: list[Disagreement]


class AgreementJob(QObject):
    """Lives in the GUI thread; its signals are queued from the worker thread."""

    progress = Signal(int, int)
    finished = Signal(object)  # Outcome
    failed = Signal(str)  # one-line message
    cancelled = Signal()

    def __init__(self, project: Project, request: Request) -> None:
        super().__init__()
        self.project, self.request = project, request
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def _report(self, done: int, total: int) -> bool:
        self.progress.emit(done, total)
        return not self._cancel.is_set()

    def run(self) -> None:
        """The work itself (called in the worker thread; callable directly in tests)."""
        r = self.request
        try:
            options = service.Options(r.coders, r.documents, r.codes, r.bootstrap, r.seed)
            command = service.equivalent_command(self.project, options) + "  (from the Agreement window)"
            selection, result = service.run(self.project, options, progress=self._report, command=command)
            found = disagreements(selection.documents, selection.spans, selection.coders, selection.codes)
        except Cancelled:
            self.cancelled.emit()
        except UserError as exc:
            self.failed.emit(str(exc))
        except Exception as exc:  # the window must survive and say what happened
            self.failed.emit(f"internal error: {type(exc).__name__}: {exc}")
        else:
            self.finished.emit(Outcome(selection, result, found))


class JobRunnable(QRunnable):
    def __init__(self, job: AgreementJob) -> None:
        super().__init__()
        self.job = job
        self.setAutoDelete(True)

    def run(self) -> None:
        self.job.run()
