"""Layout, last project, last document and coder survive a restart (QSettings in an INI file, never the user's)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from PySide6.QtCore import QSettings, Qt

from annotator.gui.app import _ask_coder, remembered_coder, startup_project
from tests.gui.conftest import add_document


def _fresh(settings_file) -> QSettings:
    return QSettings(str(settings_file), QSettings.Format.IniFormat)


def test_layout_document_and_coder_survive_restart(qtbot, make_window, project, doc_id, settings_file, prompts):
    second = add_document(project, "second", "Another speech about cooperation.")
    first = make_window(project)
    first.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, first.documents_dock)
    first.spans_dock.close()
    first.controller.open_document(second)
    prompts.coder = "bob"
    first.switch_coder()
    first.close()

    assert settings_file.is_file()
    on_disk = _fresh(settings_file)
    assert on_disk.value("project/last") == str(project.path)
    assert startup_project(on_disk, None) == str(project.path)
    assert startup_project(on_disk, "other.db") == "other.db"
    assert remembered_coder(on_disk) == "bob"
    assert _ask_coder(on_disk, ask=lambda: pytest_fail("asked again")) == "bob"

    again = make_window(project, coder=remembered_coder(on_disk))
    assert again.dockWidgetArea(again.documents_dock) == Qt.DockWidgetArea.RightDockWidgetArea
    assert not again.spans_dock.isVisible()
    assert again.codebook_dock.isVisible()
    assert again.controller.doc_id == second
    assert "bob" in again.coder_button.text()


def pytest_fail(message: str) -> str:
    raise AssertionError(message)


def test_first_start_asks_once(settings_file):
    settings = _fresh(settings_file)
    assert _ask_coder(settings, ask=lambda: "  carol ") == "carol"
    assert remembered_coder(_fresh(settings_file)) == "carol"


def test_missing_last_project_falls_back_to_default(settings_file, tmp_path):
    settings = _fresh(settings_file)
    settings.setValue("project/last", str(tmp_path / "gone.db"))
    assert startup_project(settings, None) is None


SCRIPT = textwrap.dedent("""
    import json, os, sys
    os.environ["QT_QPA_PLATFORM"] = "offscreen:configfile=" + sys.argv[5]  # a 1920x1200 screen
    from PySide6.QtCore import QSettings, Qt, QTimer
    from PySide6.QtWidgets import QApplication
    from annotator.gui import app as gui_app
    from annotator.gui.coding.main_window import MainWindow

    ini, out, step = sys.argv[1], sys.argv[2], sys.argv[3]
    settings = QSettings(ini, QSettings.Format.IniFormat)
    qapp = QApplication([])

    def window():
        return next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible())

    def move():
        w = window()
        w.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, w.documents_dock)
        w.resizeDocks([w.codebook_dock], [410], Qt.Orientation.Horizontal)
        QTimer.singleShot(400, report)

    def report():
        w = window()
        area = w.dockWidgetArea(w.documents_dock)
        json.dump({"project": str(w.controller.project.path), "coder": w.controller.coder,
                   "documents_area": int(area.value), "codebook_width": w.codebook_dock.width(),
                   "size": [w.width(), w.height()],
                   "cb_h": w.codebook_dock.height()},
                  open(out, "w"))
        w.close()

    QTimer.singleShot(800, move if step == "first" else report)
    sys.exit(gui_app.run_gui(sys.argv[4] or None, settings=settings))
""")


def test_real_restart_in_new_processes(tmp_path):
    """Two real starts of the GUI: the second (no project argument) reopens the last project and layout."""
    ini = tmp_path / "settings.ini"
    _fresh(ini).setValue("coder/name", "dana")  # answered on the first start
    script = tmp_path / "start.py"
    script.write_text(SCRIPT, encoding="utf-8")
    screen = tmp_path / "screen.json"  # the offscreen default (800x800) would clamp the saved 1280x800
    screen.write_text(
        json.dumps(
            {
                "windowFrameMargins": False,
                "screens": [
                    {"name": "desk", "x": 0, "y": 0, "width": 1920, "height": 1200, "logicalDpi": 96, "dpr": 1}
                ],
            }
        )
    )
    env_project = tmp_path / "restart.db"
    runs = []
    for step, project_arg in (("first", str(env_project)), ("second", "")):
        out = tmp_path / f"{step}.json"
        done = subprocess.run(
            [sys.executable, str(script), str(ini), str(out), step, project_arg, str(screen)],
            capture_output=True,
            text=True,
            timeout=120,
            env={**__import__("os").environ, "ANNOTATOR_DATA_DIR": str(tmp_path / "data")},
        )
        assert done.returncode == 0, done.stderr
        runs.append(json.loads(out.read_text()))
    first, second = runs
    assert second["project"] == str(env_project)
    assert second["coder"] == "dana"
    assert second["documents_area"] == Qt.DockWidgetArea.RightDockWidgetArea.value
    assert second["size"] == first["size"]
    assert abs(second["codebook_width"] - first["codebook_width"]) <= 2
    assert abs(second["cb_h"] - first["cb_h"]) <= 2
