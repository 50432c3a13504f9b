"""What counts as coded, in the agreement window: the done-only switch, the left-out documents, and
"Save report…".

The switch mirrors the command line: on (the default), agreement runs on the documents every
selected coder marked done and the others are listed as left out; off, the ticked documents count
as coded by every coder (`--documents all` or names) and each (document, coder) pair not marked
done is named in a warning.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QCheckBox, QFileDialog, QLabel, QListWidget

from annotator.core.errors import UserError

if TYPE_CHECKING:
    from annotator.gui.agreement.window import AgreementDialog

DONE_ONLY_TEXT = "Only documents every coder marked done"
DONE_ONLY_TIP = (
    "On: compare the coders on the documents every one of them marked done (Ctrl+D), and list the others "
    "as left out.\nOff: every ticked document counts as coded by every coder (a coder without spans there "
    "coded nothing), with a warning for each one not marked done. Same as --documents all."
)


def done_only_switch(documents: QListWidget) -> tuple[QCheckBox, QLabel]:
    """The switch (checked: the list only shows which documents exist) and the 'left out' label."""
    box = QCheckBox(DONE_ONLY_TEXT)
    box.setObjectName("doneOnly")
    box.setToolTip(DONE_ONLY_TIP)
    box.setChecked(True)
    documents.setEnabled(False)
    box.toggled.connect(lambda on: documents.setEnabled(not on))
    label = QLabel("")
    label.setObjectName("leftOut")
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return box, label


def show_selection(documents: QListWidget, label: QLabel, result: dict[str, Any]) -> str:
    """Mark left-out documents in the list (grey, reason as tooltip), fill the label; returns the
    sentence for the summary."""
    sel = result.get("selection", {})
    excluded: dict[str, list[str]] = sel.get("excluded", {})
    for i in range(documents.count()):
        item = documents.item(i)
        name = item.data(Qt.ItemDataRole.UserRole)
        who = excluded.get(name)
        item.setForeground(QBrush(QColor("#888888")) if who else QBrush())
        item.setToolTip(f"left out: not marked done by {', '.join(who)}" if who else "")
    lines = [f"{doc}: not marked done by {', '.join(who)}" for doc, who in excluded.items()]
    warnings = result.get("warnings", [])
    if lines:
        label.setText(f"<b>Left out ({len(lines)}):</b><br>" + "<br>".join(lines))
    elif warnings:
        label.setText(f"<b>Counted as coded though not marked done ({len(warnings)}):</b><br>" + "<br>".join(warnings))
    else:
        label.setText("")
    if excluded:
        return f"{len(excluded)} document(s) left out (not marked done by every coder)"
    if warnings:
        return f"{len(warnings)} (document, coder) pair(s) not marked done, counted as coded"
    return ""


def save_report(dialog: AgreementDialog) -> Path | None:
    """Ask for a file and write the reliability report of the shown result (same renderer as
    `annotator report reliability`)."""
    if dialog.outcome is None:
        return None
    path, _filter = QFileDialog.getSaveFileName(
        dialog, "Save reliability report", "reliability.html", "HTML (*.html);;Markdown (*.md)"
    )
    if not path:
        return None
    return write_report_to(dialog, Path(path))


def write_report_to(dialog: AgreementDialog, path: Path) -> Path | None:
    from annotator.core.reliability import write_report

    assert dialog.outcome is not None
    try:
        out = write_report(dialog.outcome.result, path)
    except UserError as exc:
        dialog.say(str(exc), error=True)
        return None
    dialog.say(f"Reliability report written: {out}")
    return out
