"""pytest-qt's model tester on every custom model, empty and filled."""

from __future__ import annotations

from annotator.core.codebook import parse_codebook
from annotator.core.span_table import SpanTable
from annotator.gui.coding.codebook_model import CodebookModel, code_details_html
from annotator.gui.coding.documents_model import DocumentsModel
from annotator.gui.coding.spans_model import SpansModel, SpansProxy
from annotator.store.services.documents import list_documents
from annotator.store.services.spans import add_span, list_spans
from tests.gui.conftest import CODEBOOK, TEXT


def test_codebook_model(qtmodeltester):
    model = CodebookModel()
    qtmodeltester.check(model)
    model.set_codebook(parse_codebook(CODEBOOK, "t.yaml"))
    qtmodeltester.check(model)
    assert model.rowCount() == 2
    index = model.index_of("source.states")
    assert index.data() == "Certain states"
    assert index.parent().data() == "Source"
    assert model.index(index.row(), 1, index.parent()).data() == "Ctrl+3"


def test_code_details_show_definition(qtmodeltester):
    book = parse_codebook(CODEBOOK, "t.yaml")
    code = next(c for c in book.iter_codes() if c.key == "threat.terrorism")
    html = code_details_html(code, "Threat type > Terrorism")
    for part in ("Terrorist acts", "Include", "terrorist attacks", "Exclude", "Examples", "the fight against"):
        assert part in html


def test_spans_model_and_proxy(qtmodeltester, project, doc_id):
    model = SpansModel()
    proxy = SpansProxy(model)
    qtmodeltester.check(model)
    for a, b in ((0, 7), (8, 17), (22, 39)):
        add_span(project, document_id=doc_id, acting_coder="alice", code_key="threat.terrorism", start=a, end=b)
    records = list_spans(project)
    model.set_spans(SpanTable.from_records(records), TEXT)
    qtmodeltester.check(model)
    qtmodeltester.check(proxy)
    model.remove(records[1].id)
    model.upsert(records[1].with_changes(memo="m"))
    qtmodeltester.check(proxy)
    assert model.rowCount() == 3
    proxy.setFilterFixedString("illegal")
    assert proxy.rowCount() == 1


def test_documents_model(qtmodeltester, project, doc_id):
    model = DocumentsModel()
    qtmodeltester.check(model)
    model.set_documents(list_documents(project), {doc_id: "done"}, {doc_id: 3})
    qtmodeltester.check(model)
    assert model.index(0, 1).data() == "✓ done"
    assert model.index(0, 2).data() == 3


def test_spans_model_keeps_sort_order_on_insert(qtmodeltester, project, doc_id):
    from PySide6.QtCore import Qt

    model = SpansModel()
    for i, (a, b, coder) in enumerate(((0, 7, "bob"), (8, 17, "alice"), (22, 39, "carol"), (40, 45, "dan"))):
        add_span(
            project,
            document_id=doc_id,
            acting_coder=coder,
            code_key="threat.terrorism",
            start=a,
            end=b,
            memo=f"memo {i}",
        )
    records = list_spans(project)
    model.set_spans(SpanTable.from_records(records[:2]), TEXT)
    for column, order in (
        (1, Qt.SortOrder.DescendingOrder),
        (2, Qt.SortOrder.AscendingOrder),
        (1, Qt.SortOrder.AscendingOrder),
    ):
        model.set_spans(SpanTable.from_records(records[:2]), TEXT)
        model.sort(column, order)
        for r in records[2:]:
            model.upsert(r)
        values = [model.index(row, column).data() for row in range(model.rowCount())]
        if column == 2:
            values = [int(v.split("–")[0]) for v in values]
        assert values == sorted(values, reverse=order == Qt.SortOrder.DescendingOrder)
        qtmodeltester.check(model)


def test_spans_model_moves_an_updated_row_and_finds_rows(qtmodeltester, project, doc_id):
    from PySide6.QtCore import Qt

    model = SpansModel()
    for a, b in ((0, 7), (8, 17), (22, 39), (40, 45)):
        add_span(project, document_id=doc_id, acting_coder="alice", code_key="threat.terrorism", start=a, end=b)
    records = list_spans(project)
    model.set_spans(SpanTable.from_records(reversed(records)), TEXT)  # out of order: sorted by position at load
    assert [model.row_of(r.id) for r in records] == [0, 1, 2, 3]
    for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
        model.sort(2, order)
        moved = records[0].with_changes(start=41, end=44)
        model.upsert(moved)
        starts = [int(model.index(row, 2).data().split("–")[0]) for row in range(model.rowCount())]
        assert starts == sorted(starts, reverse=order == Qt.SortOrder.DescendingOrder)
        assert model.record_at(model.row_of(moved.id)) is moved
        model.upsert(records[0])
        assert model.rowCount() == 4
        assert model.row_of(12345) == -1
        qtmodeltester.check(model)


def test_spans_model_over_the_store_table(qtmodeltester, project, doc_id):
    """The table over the store's SpanTable (what opening a document gives it) behaves like over records."""
    from PySide6.QtCore import Qt

    from annotator.store.services.gui_support import document_spans

    for a, b in ((0, 7), (8, 17), (22, 39), (40, 45)):
        add_span(project, document_id=doc_id, acting_coder="alice", code_key="threat.terrorism", start=a, end=b)
    store_table = document_spans(project, doc_id)
    rows = store_table.records()
    lazy, eager = SpansModel(), SpansModel()
    proxy = SpansProxy(lazy)
    lazy.set_spans(store_table, TEXT)
    eager.set_spans(SpanTable.from_records(rows), TEXT)

    def table(model: SpansModel) -> list[list[str]]:
        return [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]

    assert table(lazy) == table(eager)
    qtmodeltester.check(lazy)
    first = rows[0]
    moved = first.with_changes(start=41, end=44, memo="moved")
    added = first.with_changes(id=9999, start=9, end=12)
    for model in (lazy, eager):
        assert model.row_of(first.id) == 0
        model.upsert(moved)
        assert model.record_at(model.row_of(moved.id)) is moved
        model.upsert(added)
        model.remove(rows[2].id)
        assert model.row_of(rows[2].id) == -1
    assert table(lazy) == table(eager)
    assert lazy.rowCount() == 4
    proxy.setFilterFixedString("moved")
    assert proxy.rowCount() == 1
    proxy.setFilterFixedString("")
    for model in (lazy, eager):
        model.sort(1, Qt.SortOrder.DescendingOrder)
        model.sort(2, Qt.SortOrder.AscendingOrder)
    assert table(lazy) == table(eager)
    qtmodeltester.check(lazy)
