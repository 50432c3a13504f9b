"""The window as a whole: settings, coder, empty project, find, zoom, action registry, crash log."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction

from annotator.gui import app as gui_app
from annotator.gui.coding.example import example_available
from annotator.gui.common.actions import ActionId
from annotator.store.engine import open_project
from annotator.store.services.coders import list_coders
from annotator.store.services.documents import list_documents
from annotator.store.services.spans import list_spans
from tests.gui.conftest import TEXT, select


def test_settings_remembered(qtbot, make_window, project, doc_id, settings_file):
    window = make_window(project)
    window.view.zoomIn(3)
    size = window.view.font().pointSize()
    window.action(ActionId.SNAP_WORDS).setChecked(True)
    window.close()
    settings = QSettings(str(settings_file), QSettings.Format.IniFormat)
    assert settings.value("coder/name") == "alice"
    assert settings.value("project/last") == str(project.path)
    assert settings.value("window/state") is not None
    again = make_window(project)
    assert again.view.font().pointSize() == size
    assert again.controller.snap


def test_switch_coder(qtbot, window, project, prompts):
    prompts.coder = "bob"
    window.coder_button.click()
    assert window.controller.coder == "bob"
    assert "bob" in window.coder_button.text()
    select(window, 0, 2)
    qtbot.keyClick(window.view, Qt.Key.Key_1)
    assert [s.coder for s in list_spans(project)] == ["bob"]
    assert ("bob", 1) in list_coders(project)


def test_empty_project_offers_example(qtbot, make_window, tmp_path):
    project = open_project(tmp_path / "empty.db")
    try:
        window = make_window(project)
        assert window.banner.isVisible()
        assert window.example_button.isEnabled() == example_available()
        if not example_available():
            return
        qtbot.mouseClick(window.example_button, Qt.MouseButton.LeftButton)
        assert not window.banner.isVisible()
        assert len(list_documents(project)) >= 3
        assert "threat.terrorism" in window.code_actions
        assert window.controller.doc_id is not None
    finally:
        project.close()


def test_find_bar(qtbot, window):
    qtbot.keyClick(window.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.find_bar.isVisible()
    qtbot.keyClicks(window.find_bar.edit, "West")
    qtbot.keyClick(window.find_bar.edit, Qt.Key.Key_Return)
    start = TEXT.index("West")
    assert window.view.selection_range() == (start, start + 4)
    qtbot.keyClick(window.find_bar.edit, Qt.Key.Key_Escape)
    assert not window.find_bar.isVisible()


def test_zoom_shortcuts(qtbot, window):
    size = window.view.font().pointSize()
    window.action(ActionId.ZOOM_IN).trigger()
    assert window.view.font().pointSize() > size
    window.action(ActionId.ZOOM_OUT).trigger()
    assert window.view.font().pointSize() == size


def test_every_command_is_one_registered_action_shared_by_menus_and_toolbar(window):
    from PySide6.QtWidgets import QToolBar

    registry = window.action_registry
    assert len(registry) == len(ActionId)
    assert len({id(a) for a in registry}) == len(ActionId)  # one QAction per command
    in_menus: set[int] = set()

    def walk(menu) -> None:
        for action in menu.actions():
            in_menus.add(id(action))
            if action.menu() is not None:
                walk(action.menu())

    for top in window.menuBar().actions():
        walk(top.menu())
    assert {id(window.action(i)) for i in ActionId} <= in_menus  # every command has its menu entry
    toolbar = window.findChild(QToolBar, "mainToolbar")
    assert window.action(ActionId.UNDO) in toolbar.actions()  # the same object in menu and toolbar
    assert window.action(ActionId.DELETE_SPAN) in window.view.actions()
    assert window.action(ActionId.DELETE_SPAN) in window.menu("edit").actions()
    assert isinstance(window.actions(), list)  # QWidget.actions() is not shadowed
    for name in ("file.import", "file.export", "tools"):
        assert not window.menu(name).isEmpty()
    assert window.action(ActionId.MERGE_PROJECT).text().startswith("&Merge")


def test_registry_refuses_a_command_without_or_with_two_factories(window):
    from annotator.gui.common.actions import ActionFactories, ActionRegistry

    room = ActionFactories()
    room.register(ActionId.QUIT)(lambda w: QAction("Quit", w))
    with pytest.raises(RuntimeError, match="no factory registered for NEW_PROJECT"):
        ActionRegistry(window, room)
    with pytest.raises(RuntimeError, match="registered twice"):
        room.register(ActionId.QUIT)(lambda w: QAction("Quit", w))
    from annotator.gui.coding import actions as coding_actions

    with pytest.raises(RuntimeError, match="more than one factory for QUIT"):
        ActionRegistry(window, coding_actions.FACTORIES, room)


def test_open_other_project(qtbot, window, tmp_path):
    from annotator.gui.coding.file_actions import open_project_path

    assert open_project_path(window, tmp_path / "second.db")
    assert window.controller.project.path == tmp_path / "second.db"
    assert window.documents_model.rowCount() == 0
    assert window.banner.isVisible()
    bad = tmp_path / "not_a_project.db"
    bad.write_text("hello")
    assert not open_project_path(window, bad)
    assert "not an annotator project" in window.statusBar().currentMessage()


def test_import_and_codebook_through_file_actions(qtbot, window, tmp_path):
    from annotator.gui.coding.file_actions import import_paths, load_codebook_path

    path = tmp_path / "new.txt"
    path.write_text("Another speech.", encoding="utf-8")
    job = import_paths(window, [path])
    qtbot.waitUntil(lambda: job.outcome is not None, timeout=10000)
    assert len(job.result.imported) == 1
    assert window.documents_model.rowCount() == 2
    broken = tmp_path / "broken.yaml"
    broken.write_text("title: x\ncodes:\n  - key: a\n", encoding="utf-8")
    assert not load_codebook_path(window, broken)
    assert "broken.yaml" in window.statusBar().currentMessage()


def test_crash_hook_logs_and_reports(tmp_path):
    shown: list[str] = []
    old = sys.excepthook
    try:
        hook = gui_app.install_excepthook(show=shown.append)
        try:
            raise RuntimeError("boom")
        except RuntimeError as exc:
            hook(type(exc), exc, exc.__traceback__)
    finally:
        sys.excepthook = old
    log = gui_app.crash_log_path().read_text(encoding="utf-8")
    assert "RuntimeError: boom" in log
    assert "crash.log" in shown[0]
    assert "saved" in shown[0]


RUN_GUI_SCRIPT = """
import sys
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication
from annotator.gui import app as gui_app

settings = QSettings(sys.argv[2], QSettings.Format.IniFormat)
settings.setValue("coder/name", "carol")
app = QApplication(sys.argv[:1])

def close_all():
    for widget in QApplication.topLevelWidgets():
        if widget.__class__.__name__ == "MainWindow" and widget.isVisible():
            print("shown for", widget.controller.coder, flush=True)
            widget.close()
    app.quit()

QTimer.singleShot(300, close_all)
sys.exit(gui_app.run_gui(sys.argv[1], settings=settings))
"""


def test_run_gui_opens_and_closes(tmp_path, settings_file):
    """`annotator gui` path: remembered coder, project opened, window shown, exit code 0.

    Runs in its own process: after `app.exec()` has returned, Qt activates no further window in this
    process, which would starve every later GUI test.
    """
    import os
    import subprocess

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, "-c", RUN_GUI_SCRIPT, str(tmp_path / "run.db"), str(settings_file)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "shown for carol" in done.stdout
    settings = QSettings(str(settings_file), QSettings.Format.IniFormat)
    assert settings.value("project/last") == str(tmp_path / "run.db")
    with open_project(tmp_path / "run.db") as again:
        assert ("carol", 0) in list_coders(again)
