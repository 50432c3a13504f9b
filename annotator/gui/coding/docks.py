"""The three side panels: documents, codebook (tree + definition), spans of the current document."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLineEdit,
    QSplitter,
    QTableView,
    QTextBrowser,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from annotator.gui.coding.codebook_model import CODE_KEY_ROLE, CodebookModel, code_details_html
from annotator.gui.coding.documents_model import DOC_ID_ROLE, DocumentsModel
from annotator.gui.coding.spans_model import SPAN_ID_ROLE, SpansModel, SpansProxy


class DocumentsPanel(QTableView):
    """Document list; choosing a row opens the document.

    Names get their full width when the dock has room; only a narrow dock elides them, in the middle
    (so "speech-2014-..-part2.txt" keeps both ends). Attribute columns take at most ATTR_WIDTH pixels
    each; the rest scrolls sideways. Every cell's tooltip has the full name and all attributes.
    """

    documentChosen = Signal(int)
    ATTR_WIDTH = 160
    MIN_NAME = 90

    def sizeHint(self) -> QSize:
        return QSize(250, 400)

    def __init__(self, model: DocumentsModel) -> None:
        super().__init__()
        self.setObjectName("documentsPanel")
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.verticalHeader().hide()
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setAlternatingRowColors(True)
        self.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        header = self.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        model.modelReset.connect(self.fit_columns)
        model.dataChanged.connect(lambda *_: self.fit_columns())
        self.selectionModel().currentRowChanged.connect(self._row_changed)
        self._quiet = False
        self.fit_columns()

    def fit_columns(self) -> None:
        """Status, spans and attributes to their contents (attributes capped); the name gets the rest,
        up to its full length."""
        model = self.model()
        header = self.horizontalHeader()
        if model is None or model.columnCount() == 0:
            return
        others = 0
        for col in range(1, model.columnCount()):
            width = max(self.sizeHintForColumn(col), header.sectionSizeHint(col))
            if col >= 3:
                width = min(width, self.ATTR_WIDTH)
            header.resizeSection(col, width)
            others += width if col < 3 else 0  # name and counts first; attributes may scroll
        full = max(self.sizeHintForColumn(0), header.sectionSizeHint(0)) + 4
        room = self.viewport().width() - others
        header.resizeSection(0, max(self.MIN_NAME, min(full, room)))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_columns()

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid() and not self._quiet:
            self.documentChosen.emit(current.siblingAtColumn(0).data(DOC_ID_ROLE))

    def show_document(self, doc_id: int | None) -> None:
        """Select the row of doc_id without re-emitting documentChosen."""
        model: DocumentsModel = self.model()  # type: ignore[assignment]
        row = model.row_of(doc_id) if doc_id is not None else -1
        self._quiet = True
        try:
            if row >= 0:
                self.selectRow(row)
            else:
                self.clearSelection()
        finally:
            self._quiet = False


class CodebookPanel(QSplitter):
    """Code tree over the definition of the selected or hovered code.

    Double-click or Enter on a code emits `codeActivated`, which applies it to the selected text.
    """

    codeActivated = Signal(str)

    def sizeHint(self) -> QSize:
        return QSize(320, 500)

    def __init__(self, model: CodebookModel) -> None:
        super().__init__(Qt.Orientation.Vertical)
        self.setObjectName("codebookPanel")
        self.model = model
        self.tree = QTreeView()
        self.tree.setModel(model)
        self.tree.setMouseTracking(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(False)
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.setExpandsOnDoubleClick(False)
        self.tree.doubleClicked.connect(self._activate)
        self.tree.installEventFilter(self)
        self.tree.entered.connect(self._show)
        self.tree.selectionModel().currentChanged.connect(lambda cur, _prev: self._show(cur))
        model.modelReset.connect(self.tree.expandAll)
        self.details = QTextBrowser()
        self.details.setOpenLinks(False)
        self.details.setHtml(code_details_html(None))
        self.addWidget(self.tree)
        self.addWidget(self.details)
        self.setStretchFactor(0, 3)
        self.setStretchFactor(1, 2)
        self.tree.expandAll()

    def _show(self, index: QModelIndex) -> None:
        code = self.model.code_at(index.siblingAtColumn(0)) if index.isValid() else None
        if code is not None:
            self.details.setHtml(code_details_html(code, self.path_of(code.key)))

    def path_of(self, key: str) -> str:
        from annotator.store.services.codebooks import code_path

        return code_path(self.model.book).get(key, key)

    def _activate(self, index: QModelIndex) -> None:
        if index.isValid():
            self.codeActivated.emit(index.siblingAtColumn(0).data(CODE_KEY_ROLE))

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if (
            obj is self.tree
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            self._activate(self.tree.currentIndex())
            return True
        return super().eventFilter(obj, event)


class SpansPanel(QWidget):
    """Filter box over a sortable table of the shown spans; double-click jumps to the passage."""

    spanChosen = Signal(int)  # single click / current row: select the span
    spanActivated = Signal(int)  # double click / Enter: jump to the passage

    def sizeHint(self) -> QSize:
        return QSize(900, 200)

    def __init__(self, model: SpansModel) -> None:
        super().__init__()
        self.setObjectName("spansPanel")
        self.model = model
        self._quiet = False
        # Qt makes the next row current when the current one is removed; that must not select (and so
        # make the target of the next Del) a span nobody chose. Quiet from before the proxy and the table's
        # selection model react to a removal (connected before they exist) until after them.
        model.rowsAboutToBeRemoved.connect(self._removing)
        self.proxy = SpansProxy(model)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter spans by code, coder, text or memo…")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        model.rowsRemoved.connect(self._removed)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(2, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        # No ResizeToContents: it measures every row, which is slow with 10,000 spans.
        for col, width in enumerate((170, 80, 90, 0, 220)):
            if width:
                header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
                header.resizeSection(col, width)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        self.table.doubleClicked.connect(lambda idx: self._emit(idx, self.spanActivated))
        self.table.activated.connect(lambda idx: self._emit(idx, self.spanActivated))
        self.table.selectionModel().currentRowChanged.connect(lambda idx, _p: self._emit(idx, self.spanChosen))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addWidget(self.filter)
        layout.addWidget(self.table)

    def _removing(self, *_args: object) -> None:
        self._quiet = True

    def _removed(self, *_args: object) -> None:
        self.table.selectionModel().clear()
        self._quiet = False

    def _emit(self, index: QModelIndex, signal: Signal) -> None:  # type: ignore[type-arg]
        if index.isValid() and not self._quiet:
            signal.emit(index.siblingAtColumn(0).data(SPAN_ID_ROLE))  # type: ignore[attr-defined]

    def show_span(self, span_id: int | None) -> None:
        """Select the row of span_id (if shown by the filter) without re-emitting."""
        self._quiet = True
        try:
            row = self.model.row_of(span_id) if span_id is not None else -1
            if row < 0:
                self.table.clearSelection()
                return
            index = self.proxy.mapFromSource(self.model.index(row, 0))
            if index.isValid():
                self.table.selectRow(index.row())
                self.table.scrollTo(index)
        finally:
            self._quiet = False
