"""The side docks' widths follow the window's: a wider window gives the documents list and the codebook
room too (names and code labels stop being elided), not only the text pane.

First start (no saved layout): each dock gets a share of the window's width within bounds. Later, when
the window is resized, docks in the left and right areas keep the share of the width they had, so
widths a coder set by dragging a splitter are scaled, not reset.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget

if TYPE_CHECKING:
    from annotator.gui.coding.main_window import MainWindow

SHARES = {"documentsDock": (0.19, 220, 460), "codebookDock": (0.23, 280, 520)}  # share, min, max pixels
SPANS_HEIGHT = (0.25, 160, 360)


def _bounded(total: int, share: float, low: int, high: int) -> int:
    return max(low, min(high, round(total * share)))


def initial(w: MainWindow) -> None:
    """Dock sizes for a window without a saved layout."""
    docks = [w.documents_dock, w.codebook_dock]
    w.resizeDocks(docks, [_bounded(w.width(), *SHARES[d.objectName()]) for d in docks], Qt.Orientation.Horizontal)
    w.resizeDocks([w.spans_dock], [_bounded(w.height(), *SPANS_HEIGHT)], Qt.Orientation.Vertical)


def _side(w: MainWindow, dock: QDockWidget) -> bool:
    area = w.dockWidgetArea(dock)
    sides = (Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea)
    return dock.isVisible() and not dock.isFloating() and area in sides


def scale(w: MainWindow, old_width: int, new_width: int) -> None:
    """Keep each side dock's share of the window width after the window went from old to new width."""
    if old_width <= 0 or new_width == old_width:
        return
    docks = [d for d in (w.documents_dock, w.codebook_dock) if _side(w, d)]
    if docks:
        sizes = [max(d.minimumSizeHint().width(), round(d.width() * new_width / old_width)) for d in docks]
        w.resizeDocks(docks, sizes, Qt.Orientation.Horizontal)
