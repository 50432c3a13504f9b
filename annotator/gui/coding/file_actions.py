"""File menu work: each command is a file dialog (replaceable, skipped when a path is given) + a plain function.

Document import runs as a background `Job` on the window's `import_runner` (gui/common/jobs.py),
behind a progress dialog whose Cancel works between files; the files are stored in one transaction at
the end, so a cancelled import stores nothing. Bad files are listed in a non-modal report. Codebooks
(.yaml/.yml or REFI-QDA .qdc) are small and load in the GUI thread; their problems are listed one
`FILE:LINE: message` per line.

File dialogs go through `window.ask_path(kind, title, suggested, filter) -> list[str]` when the window
has one (tests set it), else through QFileDialog; kind is "open", "open_many" or "save".
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog

from annotator.core.codebook import Codebook, CodebookError, load_codebook_file
from annotator.core.errors import UserError
from annotator.gui.common.actions import ActionId
from annotator.gui.common.jobs import Job, JobContext
from annotator.store.engine import open_project
from annotator.store.services.codebooks import load_codebook
from annotator.store.services.documents import ImportReport, import_files

if TYPE_CHECKING:
    from annotator.gui.coding.main_window import MainWindow

PROJECT_FILTER = "annotator projects (*.db *.annotator);;All files (*)"
DOCUMENT_FILTER = "Documents (*.txt *.md *.html *.htm *.docx *.pdf);;All files (*)"
CODEBOOK_FILTER = (
    "Codebooks (*.yaml *.yml *.qdc);;YAML codebooks (*.yaml *.yml);;REFI-QDA codebooks (*.qdc);;All files (*)"
)


def ask_paths(window: MainWindow, kind: str, title: str, suggested: str, file_filter: str) -> list[str]:
    hook = window.ask_path
    if hook is not None:
        return [str(p) for p in hook(kind, title, suggested, file_filter)]
    if kind == "save":
        path, _ = QFileDialog.getSaveFileName(window, title, suggested, file_filter)
        return [path] if path else []
    if kind == "open_many":
        paths, _ = QFileDialog.getOpenFileNames(window, title, suggested, file_filter)
        return list(paths)
    path, _ = QFileDialog.getOpenFileName(window, title, suggested, file_filter)
    return [path] if path else []


def _show_problem(window: MainWindow, title: str, text: str) -> None:
    window.show_problem(title, text)


def _show_report(window: MainWindow, title: str, summary: str, lines: Sequence[str]) -> None:
    window.show_report(title, summary, lines)


@contextmanager
def _busy(window: MainWindow, text: str) -> Iterator[None]:
    window.statusBar().showMessage(text)
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    QApplication.processEvents()
    try:
        yield
    finally:
        QApplication.restoreOverrideCursor()


# -- projects -------------------------------------------------------------------------------------
def open_project_path(window: MainWindow, path: str | Path) -> bool:
    try:
        with _busy(window, f"Opening {Path(path).name}…"):
            project = open_project(path)
    except UserError as exc:
        _show_problem(window, "Cannot open project", str(exc))
        return False
    window.set_project(project)
    note = f"Opened {project.display_name}"
    if project.backup_made:
        note += f" (upgraded; backup at {project.backup_made})"
    if project.migration_notes:
        note += "; " + "; ".join(project.migration_notes)
    window.statusBar().showMessage(note, 8000)
    return True


def new_project(window: MainWindow) -> None:
    paths = ask_paths(window, "save", "New project", "project.annotator.db", PROJECT_FILTER)
    if paths:
        if Path(paths[0]).exists():
            _show_problem(window, "File exists", f"{paths[0]} already exists; use File > Open project")
            return
        open_project_path(window, paths[0])


def open_project_dialog(window: MainWindow) -> None:
    paths = ask_paths(window, "open", "Open project", "", PROJECT_FILTER)
    if paths:
        open_project_path(window, paths[0])


# -- documents ------------------------------------------------------------------------------------
def import_paths(window: MainWindow, paths: Sequence[str | Path], *, step_delay: float = 0.0) -> Job | None:
    """Import documents in the background; returns the running Job (None if one is already running).

    `window.import_runner.job` is the job, `window.import_runner.progress` its progress dialog (until it
    ends) and `job.done` fires when it is over (`job.outcome`: "ok", "error" or "cancelled").
    `step_delay` (seconds per file) lets a test slow the reading down to press Cancel.
    """
    if window.import_runner.running:
        window.statusBar().showMessage("An import is already running", 5000)
        return None
    project = window.controller.project
    files = [Path(p) for p in paths]

    def work(ctx: JobContext) -> ImportReport:
        ctx.set_total(len(files))

        def reading(i: int, total: int, path: Path) -> None:
            if i > 1:
                ctx.step()  # the file before is read; raises Cancelled when the user asked for it
            ctx.stage(f"Reading {path.name} ({i} of {total})…")

        def storing(n: int) -> None:
            ctx.step()
            ctx.stage(f"Storing {n} documents in the project…", cancellable=False)

        return import_files(project, files, reading=reading, storing=storing)

    job = Job(f"Importing {len(files)} file{'s' if len(files) != 1 else ''}…", work, window, step_delay=step_delay)
    window.action(ActionId.IMPORT_DOCUMENTS).setEnabled(False)
    window.statusBar().showMessage(job.title)
    return window.import_runner.start(job, lambda done: _import_finished(window, done))


def _import_finished(window: MainWindow, job: Job) -> None:
    window.action(ActionId.IMPORT_DOCUMENTS).setEnabled(True)
    if job.outcome == "cancelled":
        window.statusBar().showMessage("Import cancelled; nothing was stored", 10000)
        return
    if job.outcome == "error":
        _show_problem(window, "Import failed", job.error or "failed")
        return
    report: ImportReport = job.result
    window.refresh_documents()
    if window.controller.doc_id is None:
        window.open_first_document()
    summary = f"Imported {len(report.imported)} document{'s' if len(report.imported) != 1 else ''}"
    if report.errors:
        _show_report(
            window,
            "Import report",
            f"{summary}; {len(report.errors)} file{'s were' if len(report.errors) != 1 else ' was'} not imported:",
            report.errors,
        )
    else:
        window.statusBar().showMessage(summary, 8000)


def import_documents(window: MainWindow) -> None:
    paths = ask_paths(window, "open_many", "Import documents", "", DOCUMENT_FILTER)
    if paths:
        import_paths(window, paths)


# -- codebooks ------------------------------------------------------------------------------------
def read_codebook(path: str | Path) -> tuple[Codebook, list[str]]:
    """A YAML or REFI-QDA (.qdc) codebook, with the adjustments made to a .qdc (empty for YAML)."""
    path = Path(path)
    if path.suffix.lower() not in (".qdc", ".qdpx"):
        return load_codebook_file(path), []
    from annotator.core.exchange.refi_qda import read_qdc
    from annotator.store.services.refi import qdc_to_codebook

    qdc = read_qdc(path)
    if not qdc.codes:
        raise UserError(f"{path}: the codebook has no codes; nothing to load")
    return qdc_to_codebook(qdc, path.stem), [f"{path.name}: adjusted: {w}" for w in qdc.warnings]


def load_codebook_path(window: MainWindow, path: str | Path) -> bool:
    try:
        with _busy(window, f"Loading {Path(path).name}…"):
            book, warnings = read_codebook(path)
            report = load_codebook(window.controller.project, book, source=str(path))
    except CodebookError as exc:
        n = len(exc.problems)
        _show_report(
            window,
            "Codebook not loaded",
            f"{Path(path).name} has {n} problem{'s' if n != 1 else ''}; nothing was loaded. "
            "Fix them and load the codebook again:",
            exc.problems,
        )
        return False
    except UserError as exc:
        _show_problem(window, "Codebook not loaded", str(exc))
        return False
    window.controller.reload_codebook()
    summary = f"Codebook '{book.title}': {report.summary()}"
    if warnings:
        _show_report(window, "Codebook loaded with adjustments", summary, warnings)
    else:
        window.statusBar().showMessage(summary, 10000)
    return True


def load_codebook_dialog(window: MainWindow) -> None:
    paths = ask_paths(window, "open", "Load codebook", "", CODEBOOK_FILTER)
    if paths:
        load_codebook_path(window, paths[0])
