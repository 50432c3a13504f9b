"""Table models of the agreement view: alpha per code, the coder-pair matrix, per document, the
disagreement breakdown, disagreements.

Undefined values show as an em dash with the reason as tooltip (and in the Note column), never NaN.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from annotator.core.agreement_report import Disagreement, fmt_ci

Index = QModelIndex | QPersistentModelIndex
SORT_ROLE = Qt.ItemDataRole.UserRole + 10
ITEM_ROLE = Qt.ItemDataRole.UserRole + 11
DASH = "\u2014"


def show(value: float | None) -> str:
    return DASH if value is None else f"{value:.3f}"


class _Table(QAbstractTableModel):
    """Rows of cells [(display, sort value, tooltip)], set at once; read-only."""

    headers: tuple[str, ...] = ()

    def __init__(self) -> None:
        super().__init__()
        self.cells: list[list[tuple[str, Any, str]]] = []

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.cells)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.headers):
            return self.headers[section]
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self.cells)):
            return None
        text, sort, tip = self.cells[index.row()][index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return text
        if role == SORT_ROLE:
            return sort
        if role == Qt.ItemDataRole.ToolTipRole:
            return tip or None
        if role == Qt.ItemDataRole.TextAlignmentRole and isinstance(sort, (int, float)):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and text == DASH:
            return QBrush(QColor("#888888"))
        return None

    def set_cells(self, cells: list[list[tuple[str, Any, str]]]) -> None:
        self.beginResetModel()
        self.cells = cells
        self.endResetModel()

    def text(self, row: int, column: int) -> str:
        return self.cells[row][column][0]


def _measure(value: float | None, reason: str = "") -> tuple[str, Any, str]:
    return (show(value), -9.0 if value is None else value, reason if value is None else "")


class AlphaModel(_Table):
    """alpha_U overall and per code, with bootstrap CI, span F1 and sentence alpha beside it."""

    headers = ("Code", "alpha_U", "95% CI", "F1 exact", "F1 overlap", "Sentence alpha", "Spans", "Note")

    def set_result(self, res: dict[str, Any], code_name: Callable[[str], str] = str) -> None:
        au, ci = res["alpha_u"], res["alpha_u"].get("ci") or {}
        why_no_ci = au.get("ci_reason", "")
        na = "n/a" if why_no_ci else ""
        ex, ov = res["f1_exact"], res["f1_overlap"]
        rows = [
            [
                ("All codes", "", "alpha_U of all codes together; F1 micro-averaged"),
                _measure(au["overall"], au.get("overall_reason", "")),
                (fmt_ci(ci.get("overall")) or na, 0, (ci.get("overall") or {}).get("flag") or why_no_ci),
                _measure(ex["micro"]["f1"], ex["micro"].get("f1_reason", "")),
                _measure(ov["micro"]["f1"], ov["micro"].get("f1_reason", "")),
                (DASH, -9.0, "sentence alpha is given per code"),
                (str(res["counts"]["spans"]), res["counts"]["spans"], ""),
                (au.get("overall_reason", ""), "", ""),
            ]
        ]
        for code in res["codes"]:
            reason = au.get("per_code_reason", {}).get(code, "")
            cci = (ci.get("per_code") or {}).get(code)
            sent = res["sentences"]["per_code"][code]
            n = res["counts"]["spans_per_code"].get(code, 0)
            rows.append(
                [
                    (code_name(code), code_name(code).lower(), code),
                    _measure(au["per_code"].get(code), reason),
                    (fmt_ci(cci) or na, 0, (cci or {}).get("flag") or why_no_ci),
                    _measure(ex["per_code"][code]["f1"], ex["per_code"][code].get("f1_reason", "")),
                    _measure(ov["per_code"][code]["f1"], ov["per_code"][code].get("f1_reason", "")),
                    _measure(sent["alpha_nominal"], sent.get("alpha_nominal_reason", "")),
                    (str(n), n, ""),
                    (reason, "", ""),
                ]
            )
        self.set_cells(rows)


class DocumentAlphaModel(_Table):
    """alpha_U of each document on its own."""

    headers = ("Document", "alpha_U", "Note")

    def set_result(self, res: dict[str, Any]) -> None:
        au = res["alpha_u"]
        unstable = au.get("per_document_unstable", {})
        rows = []
        for name in res["documents"]:
            reason = unstable.get(name) or au.get("per_document_reason", {}).get(name, "")
            value = _measure(au["per_document"].get(name), reason)
            if name in unstable:  # never a bare number where the value explodes
                value = (f"{value[0]} (unstable)", value[1], reason)
            rows.append([(name, name.lower(), ""), value, (reason, "", "")])
        self.set_cells(rows)


class BreakdownModel(_Table):
    """Per code: disagreeing characters from boundaries, labels and omissions (summed over pairs)."""

    headers = ("Code", "Characters", "Boundary", "%", "Label", "%", "Omission", "%")
    TIPS = (
        "",
        "characters coded by one coder of a pair and not the other, summed over coder pairs",
        "both coded the passage with this code; the edges differ",
        "",
        "same place, a different code",
        "",
        "one coded it, the other coded nothing there",
        "",
    )

    def set_result(self, res: dict[str, Any], code_name: Callable[[str], str] = str) -> None:
        rows = []
        for code in res["codes"]:
            cell = res.get("disagreement_breakdown", {}).get(code, {})
            total = sum(cell.values())
            row = [(code_name(code), code_name(code).lower(), code), (str(total), total, self.TIPS[1])]
            for k, kind in enumerate(("boundary", "label", "omission")):
                n = cell.get(kind, 0)
                share = n / total if total else None
                row.append((str(n), n, self.TIPS[2 + 2 * k]))
                row.append((DASH if share is None else f"{share:.0%}", -1.0 if share is None else share, ""))
            rows.append(row)
        self.set_cells(rows)


PAIR_MEASURES = ("F1 exact (micro)", "F1 overlap (micro)")


class PairMatrixModel(_Table):
    """Coders x coders: F1 (exact/overlap, micro over codes) or sentence Cohen's kappa of a code."""

    def __init__(self) -> None:
        super().__init__()
        self.coders: list[str] = []
        self.headers = ()

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(self.coders):
            return self.coders[section]
        return None

    @staticmethod
    def measures(res: dict[str, Any]) -> list[str]:
        return [*PAIR_MEASURES, *(f"Cohen's kappa, sentences: {c}" for c in res["codes"])]

    def set_result(self, res: dict[str, Any], measure: int = 0) -> None:
        coders = list(res["coders"])
        values: dict[str, tuple[float | None, str]] = {}
        if measure < len(PAIR_MEASURES):
            part = res["f1_exact" if measure == 0 else "f1_overlap"]["pairs"]
            for pair, cell in part.items():
                values[pair] = (cell["micro"]["f1"], cell["micro"].get("f1_reason", ""))
        else:
            code = res["codes"][measure - len(PAIR_MEASURES)]
            cell = res["sentences"]["per_code"][code]
            for pair, v in cell.get("cohen_kappa", {}).items():
                values[pair] = (v, cell.get("cohen_kappa_reason", {}).get(pair, ""))
        rows = []
        for a in coders:
            row = []
            for b in coders:
                if a == b:
                    row.append(("", "", ""))
                    continue
                v, why = values.get(f"{a}|{b}") or values.get(f"{b}|{a}") or (None, "no value")
                row.append(_measure(v, why))
            rows.append(row)
        self.beginResetModel()
        self.coders, self.headers, self.cells = coders, tuple(coders), rows
        self.endResetModel()


class DisagreementModel(_Table):
    """One row per Disagreement; ITEM_ROLE gives the Disagreement itself."""

    headers = ("Size", "Kind", "Document", "Position", "Codes", "Passage")

    def __init__(self) -> None:
        super().__init__()
        self.items: list[Disagreement] = []

    def set_items(
        self, items: list[Disagreement], texts: dict[str, str], code_name: Callable[[str], str] = str
    ) -> None:
        rows = []
        for d in items:
            excerpt = texts.get(d.document, "")[d.start : d.end].replace("\n", " ")
            excerpt = excerpt if len(excerpt) <= 80 else excerpt[:77] + "..."
            codes = ", ".join(code_name(c) for c in d.codes)
            rows.append(
                [
                    (str(d.size), d.size, "characters where the coders differ"),
                    (d.label, d.kind, ""),
                    (d.document, d.document.lower(), ""),
                    (f"{d.start}\u2013{d.end}", d.start, ""),
                    (codes, codes.lower(), ""),
                    (excerpt, excerpt.lower(), ""),
                ]
            )
        self.beginResetModel()
        self.items, self.cells = list(items), rows
        self.endResetModel()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == ITEM_ROLE and index.isValid() and 0 <= index.row() < len(self.items):
            return self.items[index.row()]
        return super().data(index, role)


class DisagreementProxy(QSortFilterProxyModel):
    """Sorted by size (largest first) on SORT_ROLE; filter by kind ('' = all)."""

    def __init__(self) -> None:
        super().__init__()
        self.setSortRole(SORT_ROLE)
        self.kind = ""

    def set_kind(self, kind: str) -> None:
        self.beginFilterChange()
        self.kind = kind
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, row: int, parent: Index) -> bool:
        if not self.kind:
            return True
        index = self.sourceModel().index(row, 1, parent)
        return index.data(SORT_ROLE) == self.kind

    def lessThan(self, left: Index, right: Index) -> bool:
        a, b = left.data(SORT_ROLE), right.data(SORT_ROLE)
        try:
            return a < b
        except TypeError:
            return str(a) < str(b)
