"""Moving through the documents: next/previous (Ctrl+PgDn / Ctrl+PgUp), the offer to open the next
document not done after "mark done", and "n of m done" in the documents dock's title.

A coder works through a list of documents; after finishing one the next step is nearly always the next
one not done yet, so the window offers it in a one-line bar above the text (never a modal question).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton

if TYPE_CHECKING:
    from annotator.gui.coding.main_window import MainWindow


class OfferBar(QFrame):
    """One line above the text: a note, one button that does what it offers, and a close button."""

    closed = Signal()  # the coder closed the bar with its close button

    def __init__(self, name: str = "offerBar", colours: tuple[str, str] = ("#eaf4ea", "#b9d8b9")) -> None:
        super().__init__()
        self.setObjectName(name)
        self.setStyleSheet(f"#{name} {{ background: {colours[0]}; border-bottom: 1px solid {colours[1]}; }}")
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 3, 4, 3)
        self.note = QLabel()
        self.note.setWordWrap(True)  # never widens the window; one line at any usual width
        self.button = QPushButton()
        self.button.clicked.connect(self._accept)
        self.close_button = QToolButton()
        self.close_button.setText("×")
        self.close_button.setToolTip("Close this note")
        self.close_button.setAutoRaise(True)
        self.close_button.clicked.connect(self.hide)
        self.close_button.clicked.connect(self.closed)
        row.addWidget(self.note, 1)
        row.addWidget(self.button)
        row.addWidget(self.close_button)
        self._do: Callable[[], None] | None = None
        self.hide()

    def offer(self, note: str, button: str | None = None, do: Callable[[], None] | None = None) -> None:
        self.note.setText(note)
        self.button.setVisible(button is not None)
        self.button.setText(button or "")
        self._do = do
        self.show()

    def _accept(self) -> None:
        do, self._do = self._do, None
        self.hide()
        if do is not None:
            do()


def _ids(w: MainWindow) -> list[int]:
    return [d.id for d in w.documents_model.docs]


def go(w: MainWindow, step: int) -> int | None:
    """Open the next (step=1) or previous (step=-1) document in the list; returns its id."""
    ids = _ids(w)
    if not ids:
        return None
    current = w.controller.doc_id
    at = ids.index(current) if current in ids else -1
    target = at + step
    if not 0 <= target < len(ids):
        w.statusBar().showMessage("This is the last document" if step > 0 else "This is the first document", 5000)
        return None
    w.controller.open_document(ids[target])
    return ids[target]


def next_not_done(w: MainWindow) -> int | None:
    """The first document after the current one (wrapping around) that this coder has not marked done."""
    ids = _ids(w)
    current = w.controller.doc_id
    at = ids.index(current) if current in ids else -1
    for doc_id in ids[at + 1 :] + ids[: max(at, 0)]:
        if doc_id != current and w.documents_model.status_of(doc_id) != "done":
            return doc_id
    return None


def after_done(w: MainWindow) -> None:
    """After "mark done": offer the next document not done, or say that all are done."""
    if not w.controller.is_done():
        w.offer_bar.hide()
        return
    target = next_not_done(w)
    done, total = done_count(w)
    if target is None:
        w.offer_bar.offer(f"Marked done. All {total} documents are done for {w.controller.coder}.")
        return
    name = next(d.name for d in w.documents_model.docs if d.id == target)
    w.offer_bar.offer(
        f"Marked done ({done} of {total} done).", f"Open the next not done: {name}", lambda: open_document(w, target)
    )


def open_document(w: MainWindow, doc_id: int) -> None:
    w.controller.open_document(doc_id)
    w.view.setFocus()


def done_count(w: MainWindow) -> tuple[int, int]:
    model = w.documents_model
    return sum(1 for d in model.docs if model.status_of(d.id) == "done"), len(model.docs)


def show_done_count(w: MainWindow) -> None:
    """'Documents — n of m done' in the documents dock's title, for the current coder."""
    done, total = done_count(w)
    w.documents_dock.setWindowTitle(f"Documents — {done} of {total} done" if total else "Documents")
