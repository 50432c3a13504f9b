"""Starting the GUI: QApplication, settings, coder prompt, crash hook, main window.

`run_gui(project_arg)` is what `annotator gui` (and plain `annotator`) calls. Tests build
`MainWindow(project, coder=..., settings=QSettings(tmp_ini, QSettings.Format.IniFormat))` directly.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QMessageBox

from annotator.core.crash_log import log_crash as write_crash_log
from annotator.core.errors import UserError
from annotator.core.secrets import redact, remember_secrets_in
from annotator.store.engine import open_project
from annotator.store.paths import user_data_dir

ORG, APP = "annotator", "annotator"


def crash_log_path() -> Path:
    return user_data_dir() / "crash.log"


def log_crash(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> Path:
    """Append the traceback to crash.log in the user data folder (the CLI's logger); returns the log's path."""
    return write_crash_log(crash_log_path(), (exc_type, exc, tb), "window")


def install_excepthook(show: Callable[[str], None] | None = None) -> Callable[..., None]:
    """Uncaught exceptions in slots are logged and shown; the work is already saved (every action commits)."""

    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if isinstance(exc, UserError):
            message = redact(str(exc))
        else:
            path = log_crash(exc_type, exc, tb)
            message = redact(
                f"Unexpected error: {exc_type.__name__}: {exc}\n\nYour coding is saved (every action is "
                f"stored as it happens). Details were written to {path}."
            )
        if show is not None:
            show(message)
        else:
            box = QMessageBox(QMessageBox.Icon.Critical, "annotator", message)
            box.exec()

    sys.excepthook = hook
    return hook


def startup_project(settings: QSettings, project_arg: str | None) -> str | None:
    """The project to open: the one asked for, else the last one (if its file still exists), else the default."""
    if project_arg:
        return project_arg
    last = settings.value("project/last")
    return str(last) if last and Path(str(last)).exists() else None


def remembered_coder(settings: QSettings) -> str | None:
    name = str(settings.value("coder/name", "") or "").strip()
    return name or None


NAME_NEEDED = (
    "annotator stores every span you code under your coder name, so it needs one before the window "
    "opens. Enter your name or initials (you can switch later), or quit."
)


def _name_needed() -> bool:
    """Say why a name is needed; True if the coder wants to enter one, False to quit."""
    box = QMessageBox(QMessageBox.Icon.Warning, "Who is coding?", NAME_NEEDED)
    again = box.addButton("Enter a name", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("Quit annotator", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(again)
    box.exec()
    return box.clickedButton() is again


def _ask_coder(
    settings: QSettings, ask: Callable[[], str | None] | None = None, retry: Callable[[], bool] | None = None
) -> str | None:
    """The remembered coder name; asked for (and remembered) only on the first start.

    An empty name or Cancel is not taken as "quit": the coder is told why a name is needed and asked
    again, unless they choose to quit there (then None).
    """
    from annotator.gui.common.dialogs import ask_coder_dialog

    name = remembered_coder(settings)
    if name:
        return name
    while True:
        name = ((ask or (lambda: ask_coder_dialog(None)))() or "").strip()
        if name:
            settings.setValue("coder/name", name)
            return name
        if not (retry or _name_needed)():
            return None


def run_gui(project_arg: str | None, settings: QSettings | None = None) -> int:
    """Open the coding window on `project_arg` (or the last project, or the default one)."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName(ORG)
    app.setApplicationName(APP)
    install_excepthook()
    settings = settings if settings is not None else QSettings(ORG, APP)
    target = startup_project(settings, project_arg)
    remember_secrets_in(str(target or ""))
    try:
        project = open_project(target)
    except UserError as exc:
        print(f"annotator: {redact(str(exc))}", file=sys.stderr)
        return 1
    coder = _ask_coder(settings)
    if coder is None:
        print("annotator: no coder name given; the window needs one to store your spans", file=sys.stderr)
        project.close()
        return 1
    from annotator.gui.coding.main_window import MainWindow

    window = MainWindow(project, coder=coder, settings=settings)
    if project.path:
        settings.setValue("project/last", str(project.path))
    window.show()
    code = app.exec()
    project.close()
    return int(code)
