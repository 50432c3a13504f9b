"""GUI fixtures: a temp project per test, a small codebook, and a window with temp settings and no modal prompts."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from annotator.core.codebook import parse_codebook
from annotator.store.engine import Project, open_project
from annotator.store.services.codebooks import load_codebook
from annotator.store.services.documents import import_files

CODEBOOK = """\
title: Test codebook
version: 1
codes:
  - key: threat
    name: Threat type
    codable: false
    children:
      - key: threat.terrorism
        name: Terrorism
        color: "#f4a6a6"
        shortcut: "1"
        description: Terrorist acts and organisations.
        include: ["terrorism", "terrorist attacks"]
        exclude: ["extremism without violence"]
        examples: ["the fight against terrorism"]
      - key: threat.migration
        name: Illegal migration
        color: "#a6d8f4"
        shortcut: "2"
  - key: source
    name: Source
    codable: false
    children:
      - key: source.west
        name: The West
        color: "#b8e6a1"
        shortcut: "w"
      - key: source.states
        name: Certain states
        color: "#d3b8f0"
        shortcut: "Ctrl+3"
      - key: source.other
        name: Other source
        color: "#f9d98c"
"""

TEXT = (
    "We face terrorism and illegal migration.\n"
    "Certain states and the West interfere in our affairs.\n"
    "Our answer is cooperation."
)


def add_document(project: Project, name: str, text: str, *, newline: str = "\n") -> int:
    """Import `text` the way a user does: from a UTF-8 file (optionally with CRLF line ends)."""
    path = project.path.parent / f"{name}.txt"
    path.write_bytes(text.replace("\n", newline).encode("utf-8"))
    report = import_files(project, [path], attributes={"speaker": "test"}, name=name)
    assert not report.errors, report.errors
    return report.imported[0].id


@pytest.fixture
def project(tmp_path: Path) -> Project:
    p = open_project(tmp_path / "p.db")
    load_codebook(p, parse_codebook(CODEBOOK, "test.yaml"), source="test.yaml")
    yield p
    p.close()


@pytest.fixture
def doc_id(project: Project) -> int:
    return add_document(project, "speech", TEXT)


class Prompts:
    """Answers the window's prompts without showing dialogs; records what was asked."""

    def __init__(self) -> None:
        self.memo: str | None = None
        self.coder: str | None = None
        self.asked: list[str] = []

    def ask_memo(self, title: str, current: str) -> str | None:
        self.asked.append(title)
        return self.memo

    def ask_coder(self, current: str) -> str | None:
        self.asked.append(f"coder:{current}")
        return self.coder


@pytest.fixture
def prompts() -> Prompts:
    return Prompts()


@pytest.fixture
def settings_file(tmp_path: Path) -> Path:
    return tmp_path / "settings.ini"


@pytest.fixture
def make_window(qtbot, settings_file: Path, prompts: Prompts) -> Callable:
    from annotator.gui.coding.main_window import MainWindow

    def make(project: Project, coder: str = "alice", **kwargs: object) -> MainWindow:
        settings = QSettings(str(settings_file), QSettings.Format.IniFormat)
        window = MainWindow(
            project, coder=coder, settings=settings, ask_memo=prompts.ask_memo, ask_coder=prompts.ask_coder, **kwargs
        )
        qtbot.addWidget(window)
        window.resize(1280, 800)
        window.show()
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)  # shortcuts only fire in the active window
        return window

    return make


@pytest.fixture
def window(make_window, project: Project, doc_id: int):
    w = make_window(project)
    assert w.controller.doc_id == doc_id
    return w


def select(window, start: int, end: int) -> None:
    """Select stored offsets [start, end) through a QTextCursor, as a mouse drag would."""
    window.view.select_range(start, end)
    window.view.setFocus()
