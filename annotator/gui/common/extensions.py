"""Hooks for other parts of the GUI (export/import/merge, agreement) to add themselves to the window.

An extension module exposes `install(window)`; it may add actions to `window.menu("file.export")`,
`window.menu("file.import")`, `window.menu("tools")` and connect `window.actions.merge_project`, using
`window.controller` (project, coder, current document) for its work. Modules that are not present yet
are skipped, so the window works before they exist.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from annotator.gui.coding.main_window import MainWindow

OPTIONAL_EXTENSIONS = (
    "annotator.gui.exchange.window",  # File > Export / Import / Merge (exchange issue)
    "annotator.gui.agreement.window",  # Tools > Agreement (agreement issue)
)


def install_extensions(window: MainWindow, names: tuple[str, ...] = OPTIONAL_EXTENSIONS) -> list[str]:
    """Install every present extension; returns the names installed."""
    installed = []
    for name in names:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue
            raise
        module.install(window)
        installed.append(name)
    return installed
