"""The export filter dialog of the exchange menu (reports and progress are common: gui/common).

None of them blocks: they are opened with `open()`/`show()` and report through signals, so the window
(and tests) keep running while they are up.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core.exchange.refi_flavour import DEFAULT_FLAVOUR, FLAVOURS, LABELS, WHEN_TO_PICK, Flavour
from annotator.store.services.export import SpanFilter


@dataclass(frozen=True)
class ExportOptions:
    flt: SpanFilter
    attributes: bool = False
    flavour: Flavour = DEFAULT_FLAVOUR  # REFI-QDA only: the unit of the selection positions


class FlavourChoice(QGroupBox):
    """Standard REFI-QDA or NVivo positions, with the one sentence on when to pick which."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Positions for", parent)
        layout = QVBoxLayout(self)
        self.buttons: dict[Flavour, QRadioButton] = {}
        for flavour in FLAVOURS:
            button = QRadioButton(LABELS[flavour])
            button.setObjectName(f"flavour_{flavour}")
            button.setChecked(flavour == DEFAULT_FLAVOUR)
            self.buttons[flavour] = button
            layout.addWidget(button)
        self.hint = QLabel(WHEN_TO_PICK)
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)

    def flavour(self) -> Flavour:
        return next((f for f, b in self.buttons.items() if b.isChecked()), DEFAULT_FLAVOUR)


class CheckList(QGroupBox):
    """A titled list of checkable items (all checked at first) with All / None buttons."""

    changed = Signal()

    def __init__(self, title: str, items: Sequence[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.list = QListWidget()
        self.list.setObjectName(f"list_{title.lower()}")
        for value, label in items:
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, value)
            item.setToolTip(label if value == label else f"{label}\n{value}")
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.list.addItem(item)
        self.list.itemChanged.connect(lambda _item: self.changed.emit())
        all_button, none_button = QPushButton("All"), QPushButton("None")
        all_button.clicked.connect(lambda: self.set_all(True))
        none_button.clicked.connect(lambda: self.set_all(False))
        buttons = QHBoxLayout()
        buttons.addWidget(all_button)
        buttons.addWidget(none_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)

    def items(self) -> list[QListWidgetItem]:
        return [self.list.item(i) for i in range(self.list.count())]

    def set_all(self, on: bool) -> None:
        state = Qt.CheckState.Checked if on else Qt.CheckState.Unchecked
        for item in self.items():
            item.setCheckState(state)

    def set_checked(self, values: Sequence[str]) -> None:
        wanted = set(values)
        for item in self.items():
            on = item.data(Qt.ItemDataRole.UserRole) in wanted
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def checked(self) -> list[str]:
        return [
            item.data(Qt.ItemDataRole.UserRole) for item in self.items() if item.checkState() == Qt.CheckState.Checked
        ]

    def selection(self) -> list[str] | None:
        """None when everything is checked (no filter), else the checked values."""
        values = self.checked()
        return None if len(values) == self.list.count() else values

    def describe(self, noun: str) -> str:
        n, total = len(self.checked()), self.list.count()
        return f"all {total} {noun}" if n == total else f"{n} of {total} {noun}"


class ExportOptionsDialog(QDialog):
    """Which spans to export (coders, documents, codes), as the CLI's --coders/--documents/--codes."""

    def __init__(
        self,
        parent: QWidget | None,
        what: str,
        *,
        coders: Sequence[tuple[str, str]],
        documents: Sequence[tuple[str, str]],
        codes: Sequence[tuple[str, str]],
        attributes_option: bool,
        flavour_option: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Export {what}")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        offsets = (
            "" if flavour_option else " Offsets are Unicode code points, end-exclusive, as everywhere in annotator."
        )
        intro = QLabel(f"<b>Export {what}</b><br>Untick what to leave out.{offsets}")
        intro.setWordWrap(True)
        self.coders = CheckList("Coders", coders)
        self.documents = CheckList("Documents", documents)
        self.codes = CheckList("Codes", codes)
        lists = QHBoxLayout()
        for box, stretch in ((self.coders, 2), (self.documents, 2), (self.codes, 3)):
            lists.addWidget(box, stretch)
            box.changed.connect(self._update)
        self.attributes = QCheckBox("Include document attributes (as attr_<name> columns)")
        self.attributes.setVisible(attributes_option)
        self._attributes_option = attributes_option
        self.flavours = FlavourChoice()
        self.flavours.setVisible(flavour_option)
        self._flavour_option = flavour_option
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Export…")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(lists, 1)
        layout.addWidget(self.attributes)
        layout.addWidget(self.flavours)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)
        self.resize(820, 440)
        self._update()

    @property
    def ok_button(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def _update(self) -> None:
        empty = [
            box.title().lower()
            for box in (self.coders, self.documents, self.codes)
            if box.list.count() and not box.checked()
        ]
        self.ok_button.setEnabled(not empty)
        if empty:
            self.summary.setText(f"<span style='color:#a00'>Tick at least one of the {' and '.join(empty)}.</span>")
        else:
            self.summary.setText(
                f"Spans of {self.coders.describe('coders')}, on "
                f"{self.documents.describe('documents')}, with {self.codes.describe('codes')}."
            )

    def options(self) -> ExportOptions:
        return ExportOptions(
            SpanFilter(
                coders=self.coders.selection(), documents=self.documents.selection(), codes=self.codes.selection()
            ),
            attributes=self._attributes_option and self.attributes.isChecked(),
            flavour=self.flavours.flavour() if self._flavour_option else DEFAULT_FLAVOUR,
        )


class ImportReport(Protocol):
    warnings: list[str]

    def position_lines(self) -> list[str]: ...


def import_report_text(name: str, summary: str, report: ImportReport) -> tuple[str, str, list[str]]:
    """Title, summary (rich text) and detail lines for the report after a REFI-QDA import.

    The details say first how the selection positions were read (so an ambiguous file is visible),
    then what was adjusted where the file deviates from the standard.
    """
    positions, warnings = report.position_lines(), report.warnings
    lines = [f"• {p}" for p in positions]
    if positions and warnings:
        lines += ["", "Adjusted:"]
    lines += [f"• {w}" for w in warnings]
    told = [
        what for what, there in (("how the positions were read", positions), ("what was adjusted", warnings)) if there
    ]
    return (
        f"{'Imported with adjustments' if warnings else 'Imported'}: {name}",
        f"<b>{name}</b>: {summary}." + (f"<br>Below: {' and '.join(told)}." if told else ""),
        lines,
    )
