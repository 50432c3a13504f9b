"""File menu work: each command is a dialog (skipped when a path is given) + a plain function tests call."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QMessageBox

from annotator.core.codebook import load_codebook_file
from annotator.core.errors import UserError
from annotator.store.engine import open_project
from annotator.store.services.codebooks import load_codebook
from annotator.store.services.documents import import_files

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow

PROJECT_FILTER = "annotator projects (*.db *.annotator);;All files (*)"
DOCUMENT_FILTER = "Documents (*.txt *.md *.html *.htm *.docx *.pdf);;All files (*)"


def _show_problem(window: MainWindow, title: str, text: str) -> None:
    """Problems are shown without blocking (tests and scripts keep running); also in the status bar."""
    window.statusBar().showMessage(text.splitlines()[0] if text else title, 15000)
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, window)
    box.setModal(False)
    box.show()
    window.last_problem = box  # type: ignore[attr-defined]


def open_project_path(window: MainWindow, path: str | Path) -> bool:
    try:
        project = open_project(path)
    except UserError as exc:
        _show_problem(window, "Cannot open project", str(exc))
        return False
    window.set_project(project)
    window.statusBar().showMessage(f"Opened {project.display_name}", 8000)
    return True


def new_project(window: MainWindow) -> None:
    path, _ = QFileDialog.getSaveFileName(window, "New project", "project.annotator.db", PROJECT_FILTER)
    if path:
        if Path(path).exists():
            _show_problem(window, "File exists", f"{path} already exists; use File > Open project")
            return
        open_project_path(window, path)


def open_project_dialog(window: MainWindow) -> None:
    path, _ = QFileDialog.getOpenFileName(window, "Open project", "", PROJECT_FILTER)
    if path:
        open_project_path(window, path)


def import_paths(window: MainWindow, paths: Sequence[str | Path]) -> int:
    """Import documents; bad files are listed, good ones imported. Returns the number imported."""
    try:
        report = import_files(window.controller.project, list(paths))
    except UserError as exc:
        _show_problem(window, "Import failed", str(exc))
        return 0
    window.refresh_documents()
    if window.controller.doc_id is None:
        window.open_first_document()
    window.statusBar().showMessage(f"Imported {len(report.imported)} documents", 8000)
    if report.errors:
        _show_problem(window, "Some files were not imported", "\n".join(report.errors))
    return len(report.imported)


def import_documents(window: MainWindow) -> None:
    paths, _ = QFileDialog.getOpenFileNames(window, "Import documents", "", DOCUMENT_FILTER)
    if paths:
        import_paths(window, paths)


def load_codebook_path(window: MainWindow, path: str | Path) -> bool:
    try:
        book = load_codebook_file(path)
        report = load_codebook(window.controller.project, book, source=str(path))
    except UserError as exc:
        _show_problem(window, "Codebook not loaded", str(exc))
        return False
    window.controller.reload_codebook()
    window.statusBar().showMessage(f"Codebook '{book.title}': {report.summary()}", 10000)
    return True


def load_codebook_dialog(window: MainWindow) -> None:
    path, _ = QFileDialog.getOpenFileName(window, "Load codebook", "", "YAML codebooks (*.yaml *.yml)")
    if path:
        load_codebook_path(window, path)
