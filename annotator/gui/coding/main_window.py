"""The main window: docks around the text pane, wired to one CodingController.

The window owns its parts explicitly: the coding controller, the exchange and agreement rooms
(`self.exchange`, `self.agreement`), the document-import job runner, and one `ActionRegistry` whose
QActions its menus, toolbar and context menus share (`window.action(ActionId.X)`).

Construct with an open project and a coder name; pass `settings` (e.g. an INI file in a temp folder) so
tests never touch the user's settings, and `ask_memo`/`ask_coder` callables to replace modal prompts.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtGui import QAction, QCloseEvent, QResizeEvent, QShowEvent, QUndoGroup
from PySide6.QtWidgets import (
    QDockWidget,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from annotator.gui.agreement import actions as agreement_actions
from annotator.gui.agreement.window import AgreementUi
from annotator.gui.coding import actions as coding_actions
from annotator.gui.coding import dock_sizes, help_dialogs, hints, menus, navigation
from annotator.gui.coding.actions import TEXT_PANE, code_actions
from annotator.gui.coding.codebook_model import CodebookModel
from annotator.gui.coding.controller import CodingController
from annotator.gui.coding.docks import CodebookPanel, DocumentsPanel, SpansPanel
from annotator.gui.coding.document_view import DocumentView
from annotator.gui.coding.documents_model import DocumentsModel
from annotator.gui.coding.example import example_available, load_example
from annotator.gui.coding.find_bar import FindBar
from annotator.gui.coding.spans_model import SpansModel
from annotator.gui.common.actions import ActionId, ActionRegistry
from annotator.gui.common.dialogs import ReportDialog, ask_coder_dialog, ask_memo_dialog
from annotator.gui.common.jobs import JobRunner
from annotator.gui.exchange import actions as exchange_actions
from annotator.gui.exchange.window import ExchangeUi
from annotator.store.engine import Project
from annotator.store.services import documents as document_service
from annotator.store.services import status as status_service
from annotator.store.services.coders import ensure_coder


class MainWindow(QMainWindow):
    def __init__(
        self,
        project: Project,
        *,
        coder: str,
        settings: QSettings | None = None,
        ask_memo: Callable[[str, str], str | None] | None = None,
        ask_coder: Callable[[str], str | None] | None = None,
    ) -> None:
        super().__init__()
        self.setWindowTitle("annotator")
        self.settings = settings if settings is not None else QSettings()
        self.ask_coder = ask_coder or (lambda current: ask_coder_dialog(self, current))
        self.ask_path: Callable[[str, str, str, str], list[str]] | None = None  # tests replace file dialogs
        coder = ensure_coder(project, coder)
        self.view = DocumentView()
        self.find_bar = FindBar(self.view)
        self.spans_model = SpansModel()
        self.documents_model = DocumentsModel()
        self.codebook_model = CodebookModel()
        self.controller = CodingController(project, coder, self.view, self.spans_model)
        self.controller.ask_memo = ask_memo or (lambda title, memo: ask_memo_dialog(self, title, memo))
        self.undo_group = QUndoGroup(self)
        self.undo_group.addStack(self.controller.undo_stack)
        self.undo_group.setActiveStack(self.controller.undo_stack)
        self.last_problem: QWidget | None = None  # the last problem or report shown (non-modal)
        self.shortcuts_dialog: help_dialogs.ShortcutsDialog | None = None
        self.about_box: QMessageBox | None = None
        self.context_menu: QMenu | None = None  # the last right-click menu shown
        self.import_runner = JobRunner(self)  # document import (file_actions.import_paths)
        self.exchange = ExchangeUi(self)  # File > Export / Import from / Merge project
        self.agreement = AgreementUi(self)  # Tools > Agreement
        self.action_registry = ActionRegistry(
            self, coding_actions.FACTORIES, exchange_actions.FACTORIES, agreement_actions.FACTORIES
        )
        self.code_actions: dict[str, QAction] = {}
        self._sized = False
        self._build_central()
        self._build_docks()
        self._build_status_bar()
        self._menus = menus.build_menus(self)
        menus.build_toolbar(self)
        self._connect_controller()
        self.codebook_model.set_codebook(self.controller.shown_book)
        self._rebuild_code_actions()
        self.refresh_documents()
        self._update_coder_label()
        self.restore_settings()
        self.open_first_document()

    def action(self, action_id: ActionId) -> QAction:
        """The window's one QAction for a command (menus, toolbar and shortcuts all use it)."""
        return self.action_registry[action_id]

    # -- layout -----------------------------------------------------------------------------------
    def _build_central(self) -> None:
        self.banner = QFrame()
        self.banner.setObjectName("emptyBanner")
        self.banner.setStyleSheet("#emptyBanner { background: #fff8dc; border-bottom: 1px solid #e0d7a8; }")
        row = QHBoxLayout(self.banner)
        note = QLabel(
            "<b>This project has no documents yet.</b> See the tool at work on the bundled "
            "example (threats codebook + 4 short documents), or import your own."
        )
        note.setWordWrap(True)
        row.addWidget(note, 1)
        self.example_button = QPushButton("Open the bundled example")
        self.example_button.clicked.connect(self.open_example)
        self.example_button.setEnabled(example_available())
        import_button = QPushButton("Import documents…")
        import_button.clicked.connect(lambda: self.action(ActionId.IMPORT_DOCUMENTS).trigger())
        row.addWidget(self.example_button)
        row.addWidget(import_button)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.banner)
        self.hint_bar = hints.make_bar(self)  # how to code, once, after opening the bundled example
        layout.addWidget(self.hint_bar)
        self.offer_bar = navigation.OfferBar()  # "open the next document not done" after mark done
        layout.addWidget(self.offer_bar)
        layout.addWidget(self.find_bar)
        layout.addWidget(self.view, 1)
        self.setCentralWidget(central)
        self.view.addActions([self.action(a) for a in TEXT_PANE])

    def _dock(self, title: str, name: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
            | QDockWidget.DockWidgetFeature.DockWidgetClosable
        )
        self.addDockWidget(area, dock)
        return dock

    def _build_docks(self) -> None:
        self.documents_panel = DocumentsPanel(self.documents_model)
        self.codebook_panel = CodebookPanel(self.codebook_model)
        self.spans_panel = SpansPanel(self.spans_model)
        self.spans_panel.table.addAction(self.action(ActionId.DELETE_SPAN))
        self.documents_dock = self._dock(
            "Documents", "documentsDock", self.documents_panel, Qt.DockWidgetArea.LeftDockWidgetArea
        )
        self.codebook_dock = self._dock(
            "Codebook", "codebookDock", self.codebook_panel, Qt.DockWidgetArea.RightDockWidgetArea
        )
        self.spans_dock = self._dock("Spans", "spansDock", self.spans_panel, Qt.DockWidgetArea.BottomDockWidgetArea)

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.doc_label = QLabel()
        self.mode_label = QLabel()
        self.coder_button = QToolButton()
        self.coder_button.setAutoRaise(True)
        self.coder_button.setDefaultAction(self.action(ActionId.SWITCH_CODER))
        bar.addPermanentWidget(self.doc_label)
        bar.addPermanentWidget(self.mode_label)
        bar.addPermanentWidget(self.coder_button)

    def menu(self, name: str) -> QMenu:
        """A named menu: file, file.import, file.export, edit, code, view, view.coders, tools, help."""
        return self._menus[name]

    # -- wiring -----------------------------------------------------------------------------------
    def _connect_controller(self) -> None:
        ctl = self.controller
        ctl.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        ctl.documentOpened.connect(self._on_document_opened)
        ctl.selectedSpanChanged.connect(self.spans_panel.show_span)
        ctl.codebookChanged.connect(self._on_codebook_changed)
        ctl.documentsChanged.connect(self.refresh_counts)
        ctl.spanCountChanged.connect(self._on_span_count)
        ctl.coderChanged.connect(lambda _name: self._update_coder_label())
        ctl.viewChanged.connect(self._update_coder_label)  # whoever switched the view (Ctrl+1/2, Agreement)
        # A status message describes the screen at the time: it goes when the selection, the selected
        # span or the document changes (messages about that change are shown after it).
        self.view.selectionChanged.connect(self.statusBar().clearMessage)
        ctl.selectedSpanChanged.connect(lambda _sid: self.statusBar().clearMessage())
        ctl.documentOpened.connect(lambda _doc: self.statusBar().clearMessage())
        ctl.documentOpened.connect(lambda _doc: self.offer_bar.hide())
        self.view.contextMenuWanted.connect(self._context_menu)
        self.view.selectionChanged.connect(self._update_doc_label)
        self.documents_panel.documentChosen.connect(ctl.open_document)
        self.codebook_panel.codeActivated.connect(ctl.code_selection)
        self.spans_panel.spanChosen.connect(lambda sid: ctl.choose_span(sid, scroll=True))
        self.spans_panel.spanActivated.connect(self.jump_to_span)

    def _context_menu(self, pos: QPoint, span_ids: list[int]) -> None:
        self.context_menu = menus.context_menu(self, span_ids)  # kept: tests and scripts read it
        self.context_menu.popup(pos)

    def _on_span_count(self, doc_id: int, coder: str, delta: int) -> None:
        if coder == self.controller.coder:
            self.documents_model.adjust_count(doc_id, delta)
        self._update_doc_label()

    def _on_codebook_changed(self) -> None:
        self.codebook_model.set_codebook(self.controller.shown_book)
        self._rebuild_code_actions()

    def _rebuild_code_actions(self) -> None:
        for action in self.code_actions.values():
            self.view.removeAction(action)
            self.spans_panel.table.removeAction(action)
            action.deleteLater()
        self.code_actions = code_actions(self, self.controller.shown_book)
        for key, action in self.code_actions.items():
            action.triggered.connect(lambda _=False, k=key: self.controller.code_selection(k))
        self.view.addActions(list(self.code_actions.values()))
        self.spans_panel.table.addActions(list(self.code_actions.values()))  # a clicked row recodes by key too
        menus.fill_code_menu(self)

    def _on_document_opened(self, doc_id: int | None) -> None:
        self.documents_panel.show_document(doc_id)
        self.action(ActionId.MARK_DONE).setChecked(self.controller.is_done())
        name = next((d.name for d in self.documents_model.docs if d.id == doc_id), None)
        self.setWindowTitle(f"{name} — annotator" if name else "annotator")
        self._update_doc_label()

    def _update_doc_label(self) -> None:
        ctl = self.controller
        if ctl.doc_id is None:
            self.doc_label.setText("")
            return
        text = f"{len(ctl.text):,} characters · {len(ctl.spans)} spans shown"
        selection = self.view.selection_range()
        if selection:
            text += f" · selected {selection[0]}–{selection[1]}"
        self.doc_label.setText(text)

    def _update_coder_label(self) -> None:
        ctl = self.controller
        self.action(ActionId.SWITCH_CODER).setText(f"Coder: {ctl.coder}")
        self.settings.setValue("coder/name", ctl.coder)
        if ctl.supervisor:
            self.mode_label.setText("Supervisor view: " + ", ".join(ctl.visible_coders()))
        else:
            self.mode_label.setText("Blind coding (own spans only)")
        self.action(ActionId.BLIND_VIEW).setChecked(not ctl.supervisor)
        self.action(ActionId.SUPERVISOR_VIEW).setChecked(ctl.supervisor)

    def set_view_coders(self, coders: list[str] | None) -> None:
        """None = blind coding (own spans only); a list = supervisor view of those coders."""
        self.controller.show_coders(coders)

    # -- documents and project --------------------------------------------------------------------
    def refresh_documents(self) -> None:
        ctl = self.controller
        docs = document_service.list_documents(ctl.project)
        self.documents_model.set_documents(
            docs, status_service.statuses(ctl.project, ctl.coder), status_service.span_counts(ctl.project, ctl.coder)
        )
        self.banner.setVisible(not docs)
        self.documents_panel.show_document(ctl.doc_id)
        navigation.show_done_count(self)

    def refresh_counts(self) -> None:
        ctl = self.controller
        self.documents_model.update_counts(
            status_service.statuses(ctl.project, ctl.coder), status_service.span_counts(ctl.project, ctl.coder)
        )
        if ctl.doc_id is not None:  # undo and redo change the status too: the Done button follows the store
            done = self.documents_model.status_of(ctl.doc_id) == "done"
            self.action(ActionId.MARK_DONE).setChecked(done)
            if not done:
                self.offer_bar.hide()
        navigation.show_done_count(self)
        self._update_doc_label()

    def open_first_document(self) -> None:
        last = self.settings.value("document/last")
        ids = [d.id for d in self.documents_model.docs]
        wanted = int(last) if last is not None and str(last).isdigit() and int(last) in ids else None
        if wanted is None and ids:
            wanted = ids[0]
        if wanted is not None:
            self.controller.open_document(wanted)

    def open_example(self) -> None:
        report = load_example(self.controller.project)
        self.controller.reload_codebook()
        self.refresh_documents()
        self.open_first_document()
        note = f"Example loaded: {len(report.imported)} documents and the threats codebook"
        self.statusBar().showMessage(note + (f" ({len(report.errors)} skipped)" if report.errors else ""), 8000)
        hints.after_example(self)

    def set_project(self, project: Project) -> None:
        old = self.controller.project
        self.controller.set_project(project)
        if old is not project:
            old.close()
        if project.path:
            self.settings.setValue("project/last", str(project.path))
        self.refresh_documents()
        self.open_first_document()

    def jump_to_span(self, span_id: int) -> None:
        """Scroll to the span and give the text the focus; the span (outlined) is the target of the next key."""
        self.controller.choose_span(span_id, scroll=True)
        self.view.setFocus()

    def switch_coder(self) -> None:
        name = self.ask_coder(self.controller.coder)
        if name:
            self.controller.set_coder(name)
            self.refresh_counts()
            self.action(ActionId.MARK_DONE).setChecked(self.controller.is_done())

    # -- feedback and help ------------------------------------------------------------------------
    def show_problem(self, title: str, text: str) -> QMessageBox:
        """A problem shown without blocking (tests and scripts keep running); also in the status bar."""
        self.statusBar().showMessage(text.splitlines()[0] if text else title, 15000)
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, self)
        box.setModal(False)
        box.show()
        self.last_problem = box
        return box

    def show_report(self, title: str, summary: str, lines: Sequence[str]) -> ReportDialog:
        """A non-modal, resizable report with one selectable line per problem."""
        self.statusBar().showMessage(summary, 15000)
        dialog = ReportDialog(self, title, summary, lines)
        dialog.setModal(False)
        dialog.show()
        self.last_problem = dialog
        return dialog

    def show_shortcuts(self) -> help_dialogs.ShortcutsDialog:
        self.shortcuts_dialog = help_dialogs.show_shortcuts(self, self.shortcuts_dialog)
        return self.shortcuts_dialog

    def show_about(self) -> QMessageBox:
        self.about_box = help_dialogs.show_about(self)
        return self.about_box

    # -- settings ---------------------------------------------------------------------------------
    def restore_settings(self) -> None:
        s = self.settings
        if s.value("window/geometry") is not None:
            self.restoreGeometry(s.value("window/geometry"))
        else:
            self.resize(1280, 800)
        if s.value("window/state") is not None:
            self.restoreState(s.value("window/state"))
        size = s.value("view/font_size")
        if size is not None and str(size).isdigit():
            font = self.view.font()
            font.setPointSize(max(6, min(40, int(size))))
            self.view.setFont(font)
        snap = str(s.value("coding/snap", "false")).lower() == "true"
        self.action(ActionId.SNAP_WORDS).setChecked(snap)
        self.controller.snap = snap
        if str(s.value("view/colour_blind", "false")).lower() == "true":
            self.action(ActionId.COLOUR_BLIND).setChecked(True)  # toggled: the controller follows

    def save_settings(self) -> None:
        s = self.settings
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/state", self.saveState())
        s.setValue("view/font_size", self.view.font().pointSize())
        s.setValue("coding/snap", "true" if self.controller.snap else "false")
        s.setValue("view/colour_blind", "true" if self.controller.colour_blind else "false")
        s.setValue("coder/name", self.controller.coder)
        if self.controller.doc_id is not None:
            s.setValue("document/last", self.controller.doc_id)
        if self.controller.project.path:
            s.setValue("project/last", str(self.controller.project.path))
        s.sync()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._sized:
            self._sized = True
            if self.settings.value("window/state") is None:
                dock_sizes.initial(self)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._sized and event.oldSize().width() > 0:
            dock_sizes.scale(self, event.oldSize().width(), event.size().width())

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.import_runner.running:
            self.import_runner.cancel()  # reading stops at the next file; storing finishes as a whole
            self.import_runner.wait(30000)
        self.save_settings()
        super().closeEvent(event)
