"""An installed wheel (not `pip install -e`) carries the bundled codebooks and example documents.

A wheel used to contain neither, so "Open the bundled example" was disabled after a real install. This
builds the wheel from a copy of the sources, installs it with --no-deps into a fresh venv that reuses this
environment's packages (a .pth line; the editable install here is not visible there), and opens the
example in the window from that installation.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

from tests.conftest import REPO

SOURCES = ["pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "annotator", "codebooks", "resources"]

OPEN_EXAMPLE = """
import sys
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
import annotator
from annotator.gui.coding.main_window import MainWindow
from annotator.store.engine import open_project

app = QApplication(sys.argv[:1])
project = open_project(sys.argv[1])
window = MainWindow(project, coder="anna", settings=QSettings(sys.argv[2], QSettings.Format.IniFormat))
window.show()
print("installed at", annotator.__file__)
print("example button enabled:", window.example_button.isEnabled())
window.example_button.click()
print("documents:", window.documents_model.rowCount())
window.close()
project.close()
"""


def _run(cmd: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=600, **kwargs)  # type: ignore[call-overload]
    assert result.returncode == 0, f"{cmd[:4]}: {result.stdout[-2000:]} {result.stderr[-3000:]}"
    return result


def test_the_wheel_ships_codebooks_and_examples_and_opens_the_example(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    for name in SOURCES:  # a copy: building never writes build/ or *.egg-info into the checkout
        item = REPO / name
        if not item.exists():
            continue
        if item.is_dir():
            shutil.copytree(item, source / name, ignore=shutil.ignore_patterns("__pycache__", "_data"))
        else:
            shutil.copy(item, source / name)
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp_path / "dist"), str(source)])
    [wheel] = (tmp_path / "dist").glob("annotator-*.whl")

    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    python = venv / "bin" / "python"
    site = Path(_run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout.strip())
    # This environment's packages (PySide6, SQLAlchemy, pip, ...) after the venv's own, which gets the wheel.
    (site / "reuse-test-environment.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PYTHONHOME"}}
    env["QT_QPA_PLATFORM"] = "offscreen"
    _run([str(python), "-m", "pip", "install", "--no-deps", "--quiet", str(wheel)], env=env, cwd=tmp_path)

    shown = _run(
        [str(python), "-c", OPEN_EXAMPLE, str(tmp_path / "p.db"), str(tmp_path / "settings.ini")],
        env=env,
        cwd=tmp_path,  # not the checkout: only the installed package can be imported
    ).stdout
    assert f"installed at {site}" in shown, shown
    assert "example button enabled: True" in shown, shown
    assert "documents: 4" in shown, shown
