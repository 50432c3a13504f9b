"""Tools > Agreement...: the supervisor's view of inter-coder agreement.

Choose coders, documents and codes; the computation (alpha_U, span F1, sentence units, bootstrap
CIs, disagreements) runs in a worker thread behind a cancellable progress dialog. By default only
the documents every selected coder marked done count (`choosing`); the others are listed as left
out. Results: alpha_U overall and per code with CIs, the coder-pair matrix, per-document alpha_U,
the disagreement breakdown, and the disagreement list, whose selected entry shows the passage once
per coder, side by side. "Save report…" writes the reliability report of the shown result.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelection, QObject, Qt
from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from annotator.core.agreement_report import KINDS, Disagreement, fmt_ci
from annotator.gui.agreement.choosing import done_only_switch, save_report, show_selection
from annotator.gui.agreement.compute import Outcome, Request, compute
from annotator.gui.agreement.models import (
    ITEM_ROLE,
    AlphaModel,
    BreakdownModel,
    DisagreementModel,
    DisagreementProxy,
    DocumentAlphaModel,
    PairMatrixModel,
)
from annotator.gui.agreement.panes import PassagePanes
from annotator.gui.common.jobs import Job, JobProgressDialog, JobRunner
from annotator.store.services import agreement as service

if TYPE_CHECKING:
    from annotator.gui.coding.main_window import MainWindow


class AgreementUi(QObject):
    """The (one, reused) agreement dialog; Tools > Agreement (`ActionId.AGREEMENT`) opens it."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.dialog: AgreementDialog | None = None

    def open(self) -> AgreementDialog:
        if self.dialog is None:
            self.dialog = AgreementDialog(self.window)
        if self.dialog.job is None:
            self.dialog.refresh_choices()
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()
        return self.dialog


def _checklist(title: str) -> tuple[QWidget, QListWidget]:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    head = QHBoxLayout()
    head.addWidget(QLabel(f"<b>{title}</b>"), 1)
    lst = QListWidget()
    lst.setObjectName(title.lower())
    for label, state in (("All", Qt.CheckState.Checked), ("None", Qt.CheckState.Unchecked)):
        b = QPushButton(label)
        b.setFlat(True)
        b.clicked.connect(lambda _=False, s=state, w=lst: _check_all(w, s))
        head.addWidget(b)
    layout.addLayout(head)
    layout.addWidget(lst, 1)
    return box, lst


def _check_all(lst: QListWidget, state: Qt.CheckState) -> None:
    for i in range(lst.count()):
        lst.item(i).setCheckState(state)


def checked(lst: QListWidget) -> list[str]:
    return [
        lst.item(i).data(Qt.ItemDataRole.UserRole)
        for i in range(lst.count())
        if lst.item(i).checkState() == Qt.CheckState.Checked
    ]


def _table(model: object) -> QTableView:
    view = QTableView()
    view.setModel(model)  # type: ignore[arg-type]
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.verticalHeader().hide()
    view.horizontalHeader().setStretchLastSection(True)
    view.setWordWrap(False)
    return view


class AgreementDialog(QDialog):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.main = window
        self.setWindowTitle("Agreement")
        self.setObjectName("agreementDialog")
        self.runner = JobRunner(self, dialog_title="Agreement")
        self.job: Job | None = None  # the running computation
        self.outcome: Outcome | None = None
        self.texts: dict[str, str] = {}
        self.alpha_model, self.doc_model = AlphaModel(), DocumentAlphaModel()
        self.breakdown_model = BreakdownModel()
        self.pair_model, self.dis_model = PairMatrixModel(), DisagreementModel()
        self.dis_proxy = DisagreementProxy()
        self.dis_proxy.setSourceModel(self.dis_model)
        self.splitter = splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self._build_choices())
        splitter.addWidget(self._build_results())
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([260, 900])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self.resize(1200, 760)

    # -- layout -----------------------------------------------------------------------------------
    def _build_choices(self) -> QWidget:
        side = QWidget()
        col = QVBoxLayout(side)
        col.setContentsMargins(0, 0, 0, 0)
        for title in ("Coders", "Documents", "Codes"):
            box, lst = _checklist(title)
            setattr(self, f"{title.lower()}_list", lst)
            col.addWidget(box, 1)
            if title == "Documents":
                self.done_only, self.left_out = done_only_switch(lst)
                col.addWidget(self.done_only)
                col.addWidget(self.left_out)
        form = QFormLayout()
        self.bootstrap = QSpinBox()
        self.bootstrap.setRange(0, 100000)
        self.bootstrap.setSingleStep(500)
        self.bootstrap.setValue(1000)
        self.bootstrap.setToolTip("Resamples for 95% confidence intervals (0 = none)")
        self.seed = QSpinBox()
        self.seed.setRange(0, 2**31 - 1)
        form.addRow("Bootstrap", self.bootstrap)
        form.addRow("Seed", self.seed)
        col.addLayout(form)
        self.run_button = QPushButton("Compute agreement")
        self.run_button.setDefault(True)
        self.run_button.clicked.connect(self.run)
        col.addWidget(self.run_button)
        return side

    def _build_results(self) -> QWidget:
        self.summary = QLabel("Choose coders, documents and codes, then compute.")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.tabs = QTabWidget()
        overview = QWidget()
        ov = QVBoxLayout(overview)
        self.alpha_view = _table(self.alpha_model)
        ov.addWidget(QLabel("<b>alpha_U per code</b> (order-free, pooled over documents), span F1 and sentence alpha"))
        ov.addWidget(self.alpha_view, 3)
        row = QHBoxLayout()
        row.addWidget(QLabel("<b>Coder pairs</b>"))
        self.pair_measure = QComboBox()
        self.pair_measure.currentIndexChanged.connect(self._show_pairs)
        row.addWidget(self.pair_measure, 1)
        ov.addLayout(row)
        self.pair_view = _table(self.pair_model)
        self.pair_view.verticalHeader().show()
        self.pair_view.horizontalHeader().setStretchLastSection(False)
        ov.addWidget(self.pair_view, 2)
        self.tabs.addTab(overview, "Overview")
        self.doc_view = _table(self.doc_model)
        self.tabs.addTab(self.doc_view, "Per document")
        self.tabs.addTab(self._build_disagreements(), "Disagreements")
        self.breakdown_view = _table(self.breakdown_model)
        self.breakdown_view.horizontalHeader().setStretchLastSection(False)
        self.tabs.addTab(self.breakdown_view, "Breakdown")
        self.report_button = QPushButton("Save report\u2026")
        self.report_button.setObjectName("saveReport")
        self.report_button.setToolTip("Write the reliability report of these results (HTML or Markdown)")
        self.report_button.setEnabled(False)
        self.report_button.clicked.connect(lambda: save_report(self))
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.report_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        return box

    def _build_disagreements(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        row = QHBoxLayout()
        self.kind_filter = QComboBox()
        self.kind_filter.addItem("All kinds", "")
        for key, label in KINDS.items():
            self.kind_filter.addItem(label, key)
        self.kind_filter.currentIndexChanged.connect(lambda _i: self.dis_proxy.set_kind(self.kind_filter.currentData()))
        self.jump_button = QPushButton("Show in text pane")
        self.jump_button.setEnabled(False)
        self.jump_button.clicked.connect(self.jump)
        self.show_coders_box = QCheckBox("with these coders' spans")
        self.show_coders_box.setChecked(True)
        row.addWidget(QLabel("Largest first. Kind:"))
        row.addWidget(self.kind_filter)
        row.addStretch(1)
        row.addWidget(self.show_coders_box)
        row.addWidget(self.jump_button)
        layout.addLayout(row)
        split = QSplitter(Qt.Orientation.Vertical)
        self.dis_view = _table(self.dis_proxy)
        self.dis_view.setSortingEnabled(True)
        self.dis_view.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.dis_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.dis_view.selectionModel().selectionChanged.connect(self._dis_selected)
        self.dis_view.doubleClicked.connect(lambda _i: self.jump())
        self.panes = PassagePanes()
        split.addWidget(self.dis_view)
        split.addWidget(self.panes)
        split.setSizes([300, 300])
        layout.addWidget(split, 1)
        return page

    # -- choices ----------------------------------------------------------------------------------
    def refresh_choices(self) -> None:
        """Fill the lists from the project, keeping what the user had unticked."""
        ch = service.choices(self.main.controller.project)
        before = {
            n: set(checked(getattr(self, f"{n}_list"))) if getattr(self, f"{n}_list").count() else None
            for n in ("coders", "documents", "codes")
        }
        default_codes = set(service.default_codes(ch))
        self._fill(self.coders_list, [(n, f"{n}  ({k} spans)", k > 0) for n, k in ch.coders], before["coders"])
        self._fill(self.documents_list, [(n, n, True) for _i, n in ch.documents], before["documents"])
        self._fill(
            self.codes_list,
            [(k, f"{name}  ({k})", k in default_codes) for k, name, codable, used in ch.codes if codable or used],
            before["codes"],
        )
        self._fit_codes()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fit_codes()  # the splitter has its real width only once shown

    def _fit_codes(self) -> None:
        """Widen the choices so the codes list shows its names whole (up to 45% of the dialog)."""
        lst = self.codes_list
        wanted = lst.sizeHintForColumn(0) + lst.verticalScrollBar().sizeHint().width() + 2 * lst.frameWidth() + 6
        sizes = self.splitter.sizes()
        total = sum(sizes) or self.width()
        first = min(max(sizes[0], wanted + 4), int(total * 0.45))
        self.splitter.setSizes([first, total - first])

    @staticmethod
    def _fill(lst: QListWidget, items: list[tuple[str, str, bool]], keep: set[str] | None) -> None:
        lst.clear()
        for key, label, on in items:
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            state = on if keep is None else key in keep
            item.setCheckState(Qt.CheckState.Checked if state else Qt.CheckState.Unchecked)
            lst.addItem(item)

    def set_checked(self, which: str, names: list[str]) -> None:
        """Tick exactly `names` in the 'coders', 'documents' or 'codes' list."""
        lst: QListWidget = getattr(self, f"{which}_list")
        for i in range(lst.count()):
            item = lst.item(i)
            on = item.data(Qt.ItemDataRole.UserRole) in names
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def request(self) -> Request | str:
        coders, docs, codes = (checked(self.coders_list), checked(self.documents_list), checked(self.codes_list))
        if not coders:
            return "Tick at least one coder (two or more to compare)."
        if not docs and not self.done_only.isChecked():
            return "Tick at least one document."
        if not codes:
            return "Tick at least one code."
        if self.done_only.isChecked():
            documents: str | list[str] = service.DONE
        else:
            documents = service.ALL if len(docs) == self.documents_list.count() else docs
        return Request(coders, documents, codes, self.bootstrap.value(), self.seed.value())

    # -- running ----------------------------------------------------------------------------------
    @property
    def progress(self) -> JobProgressDialog | None:
        return self.runner.progress

    def run(self) -> Job | None:
        if self.job is not None:
            return self.job
        req = self.request()
        if isinstance(req, str):
            self.say(req, error=True)
            return None
        project = self.main.controller.project
        job = Job("Computing agreement\u2026", lambda ctx: compute(project, req, ctx), self)
        self.job = job
        self.run_button.setEnabled(False)
        self.say("Computing\u2026")
        self.runner.start(job, self._on_done)
        return job

    def _on_done(self, job: Job) -> None:
        self.job = None
        self.run_button.setEnabled(True)
        if job.outcome == "ok":
            self.show_outcome(job.result)
        elif job.outcome == "error":
            self.say(job.error or "failed", error=True)
        else:
            self.say("Cancelled; the previous results (if any) are still shown.")

    def say(self, text: str, error: bool = False) -> None:
        self.summary.setStyleSheet("color: #b00020;" if error else "")
        self.summary.setText(text)

    # -- results ----------------------------------------------------------------------------------
    def code_name(self, key: str) -> str:
        return self.main.controller.code_name(key)

    def code_color(self, key: str) -> str:
        code = self.main.controller.codes.get(key)
        return code.color if code else "#cccccc"

    def show_outcome(self, outcome: Outcome) -> None:
        self.outcome = outcome
        res, sel = outcome.result, outcome.selection
        self.texts = dict(sel.documents)
        c, au = res["counts"], res["alpha_u"]
        overall = "undefined" if au["overall"] is None else f"{au['overall']:.3f}"
        ci = fmt_ci((au.get("ci") or {}).get("overall"))
        chosen = show_selection(self.documents_list, self.left_out, res)
        why = f" ({au['overall_reason']})" if au["overall"] is None else ""
        self.say(
            f"<b>alpha_U = {overall}</b> {ci}{why} &nbsp;·&nbsp; {len(sel.coders)} coders, "
            f"{c['documents']} documents, {c['characters']:,} characters, {c['spans']:,} "
            f"spans, {c['sentences']:,} sentences, {len(outcome.disagreements):,} "
            "disagreements" + (f" &nbsp;·&nbsp; {chosen}" if chosen else "")
        )
        self.breakdown_model.set_result(res, self.code_name)
        self.report_button.setEnabled(True)
        self.alpha_model.set_result(res, self.code_name)
        self.doc_model.set_result(res)
        self.pair_measure.blockSignals(True)
        self.pair_measure.clear()
        self.pair_measure.addItems(PairMatrixModel.measures(res))
        self.pair_measure.blockSignals(False)
        self._show_pairs(0)
        self.dis_model.set_items(outcome.disagreements, self.texts, self.code_name)
        self.dis_view.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.panes.set_coders(list(sel.coders), self.main.controller.coder_color)
        self.jump_button.setEnabled(False)
        for view in (self.alpha_view, self.doc_view, self.dis_view, self.breakdown_view):
            view.resizeColumnsToContents()

    def _show_pairs(self, index: int) -> None:
        if self.outcome is not None and index >= 0:
            self.pair_model.set_result(self.outcome.result, index)
            self.pair_view.resizeColumnsToContents()

    def current_disagreement(self) -> Disagreement | None:
        rows = self.dis_view.selectionModel().selectedRows()
        return rows[0].data(ITEM_ROLE) if rows else None

    def _dis_selected(self, _sel: QItemSelection, _old: QItemSelection) -> None:
        d = self.current_disagreement()
        self.jump_button.setEnabled(d is not None)
        self.panes.show_disagreement(d, self.texts.get(d.document, "") if d else "", self.code_name, self.code_color)

    def jump(self) -> None:
        """Open the disagreement's document in the main text pane with the passage selected."""
        d = self.current_disagreement()
        if d is None or self.outcome is None:
            return
        ctl = self.main.controller
        doc_id = self.outcome.selection.document_ids[d.document]
        if self.show_coders_box.isChecked():
            ctl.show_coders(list(self.outcome.selection.coders))
        if ctl.doc_id != doc_id:
            ctl.open_document(doc_id)
        self.main.view.select_range(d.start, d.end)
        self.main.view.centerCursor()
        self.main.raise_()
        self.main.activateWindow()

    def wait(self, ms: int = 60000) -> bool:
        """Wait for the worker (tests and closing)."""
        return self.runner.wait(ms)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.job is not None:
            self.runner.cancel()
            self.runner.wait(10000)
        super().closeEvent(event)
