"""The exchange room's commands (File > Export, Import from, Merge project) for the window's registry."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction

from annotator.gui.common.actions import ActionFactories, ActionId, make_action
from annotator.gui.exchange.window import EXPORT_ACTIONS, FORMATS

if TYPE_CHECKING:
    from annotator.gui.coding.main_window import MainWindow

FACTORIES = ActionFactories()


def _export_factory(fmt: str) -> None:
    spec = FORMATS[fmt]

    @FACTORIES.register(EXPORT_ACTIONS[fmt])
    def create(w: MainWindow) -> QAction:
        action = QAction(spec.label, w)
        action.setStatusTip(f"Export {spec.what}")
        action.triggered.connect(lambda: w.exchange.export_dialog(fmt))
        return action


for _fmt in FORMATS:
    _export_factory(_fmt)


@FACTORIES.register(ActionId.IMPORT_QDPX)
def _import_qdpx(w: MainWindow) -> QAction:
    action = QAction("REFI-QDA &project (.qdpx)…", w)
    action.setStatusTip(
        "Import documents, codes and coded spans from NVivo, MAXQDA, ATLAS.ti, QualCoder (REFI-QDA .qdpx)"
    )
    action.triggered.connect(lambda: w.exchange.import_dialog())
    return action


@FACTORIES.register(ActionId.MERGE_PROJECT)
def _merge_project(w: MainWindow) -> QAction:
    action = make_action(w, "&Merge project…", None, "Merge another project's coding into this one")
    action.triggered.connect(lambda: w.exchange.merge_dialog_flow())
    return action
