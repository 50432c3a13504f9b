"""The agreement room's command (Tools > Agreement) for the window's action registry."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction

from annotator.gui.common.actions import ActionFactories, ActionId

if TYPE_CHECKING:
    from annotator.gui.coding.main_window import MainWindow

FACTORIES = ActionFactories()


@FACTORIES.register(ActionId.AGREEMENT)
def _agreement(w: MainWindow) -> QAction:
    action = QAction("&Agreement\u2026", w)
    action.setObjectName("agreementAction")
    action.setStatusTip("Inter-coder agreement: alpha_U, F1, disagreements")
    action.triggered.connect(lambda: w.agreement.open())
    return action
