"""What the coder sees: blind vs supervisor view, highlights, stripes, tooltips."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QTextCursor

from annotator.gui.coding.highlighter import blend
from annotator.gui.coding.span_index import Entry
from annotator.store.services.spans import add_span, list_spans
from tests.gui.conftest import TEXT, select


def seed(project, doc_id):
    """alice and bob coded the same passage differently."""
    start = TEXT.index("terrorism")
    add_span(project, document_id=doc_id, acting_coder="alice", code_key="threat.terrorism", start=start, end=start + 9)
    add_span(
        project,
        document_id=doc_id,
        acting_coder="bob",
        code_key="threat.migration",
        start=start,
        end=start + 21,
        memo="bob's memo",
    )


def shown(window):
    return sorted((r.coder, r.code_key) for r in window.controller.spans.records())


def test_blind_by_default_then_supervisor(qtbot, make_window, project, doc_id):
    seed(project, doc_id)
    window = make_window(project)
    assert shown(window) == [("alice", "threat.terrorism")]
    assert "Blind" in window.mode_label.text()
    qtbot.keyClick(window.view, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)  # supervisor: all coders
    assert shown(window) == [("alice", "threat.terrorism"), ("bob", "threat.migration")]
    assert window.spans_model.rowCount() == 2
    assert window.view.stripes.show_coders
    assert "bob" in window.mode_label.text()
    labels = sorted(window.view.stripes.label(e) for e in window.view.index.entries())
    assert labels == ["AL Terrorism", "BO Illegal migration"]  # each coder distinguishable
    qtbot.keyClick(window.view, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert shown(window) == [("alice", "threat.terrorism")]


def test_supervisor_choose_coders_menu(qtbot, make_window, project, doc_id):
    from annotator.gui.coding import menus

    seed(project, doc_id)
    window = make_window(project)
    menu = window.menu("view.coders")
    menus.fill_coders_menu(window, menu)
    bob = next(a for a in menu.actions() if a.text().startswith("bob"))
    bob.setChecked(True)
    assert shown(window) == [("alice", "threat.terrorism"), ("bob", "threat.migration")]
    menus.fill_coders_menu(window, menu)
    alice = next(a for a in menu.actions() if a.text().startswith("alice"))
    alice.setChecked(False)
    assert shown(window) == [("bob", "threat.migration")]


def test_others_spans_are_read_only(qtbot, make_window, project, doc_id):
    seed(project, doc_id)
    window = make_window(project)
    window.controller.show_coders(["alice", "bob"])
    bob_span = next(r for r in window.controller.spans.records() if r.coder == "bob")
    window.controller.select_span(bob_span.id)
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Delete)
    assert len(list_spans(project)) == 2
    assert "belongs to bob" in window.statusBar().currentMessage()


def test_overlaps_blend_and_underline(qtbot, make_window, project, doc_id):
    seed(project, doc_id)
    window = make_window(project)
    window.controller.show_coders(["alice", "bob"])
    block = window.view.document().firstBlock()
    formats = {
        (r.start, r.length): (r.format.background().color(), r.format.fontUnderline()) for r in block.layout().formats()
    }
    start = TEXT.index("terrorism")
    assert formats[(start, 9)] == (blend(("#f4a6a6", "#a6d8f4")), True)
    assert formats[(start + 9, 12)] == (blend(("#a6d8f4",)), False)
    darker = blend(("#f4a6a6", "#a6d8f4")).lightness()
    assert darker < min(QColor("#f4a6a6").lightness(), QColor("#a6d8f4").lightness())


def test_adding_a_span_rehighlights_only_its_blocks(qtbot, make_window, project):
    from tests.gui.conftest import add_document

    text = "\n".join(f"Paragraph {i} about terrorism and migration." for i in range(400))
    add_document(project, "long", text)
    window = make_window(project)
    window.controller.open_document(window.documents_model.docs[0].id)
    before = window.view.highlighter.blocks_highlighted
    start = text.index("Paragraph 200")
    select(window, start, start + 40)
    qtbot.keyClick(window.view, Qt.Key.Key_1)
    assert window.view.highlighter.blocks_highlighted - before == 1


def test_stripe_click_selects_span(qtbot, window, project):
    start = TEXT.index("the West")
    select(window, start, start + 8)
    qtbot.keyClick(window.view, Qt.Key.Key_W)
    select(window, 0, 2)
    window.controller.select_span(None)
    stripes = window.view.stripes
    stripes.repaint()
    bars = [rect for rect, _ in stripes._hits if rect.width() < 12]
    qtbot.mouseClick(stripes, Qt.MouseButton.LeftButton, pos=bars[0].center())  # the bar itself
    assert window.view.selected_span_id is not None
    window.controller.select_span(None)
    [(rect, entry)] = stripes.label_rects
    qtbot.mouseClick(stripes, Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.view.selected_span_id == entry.span_id
    assert window.spans_panel.table.selectionModel().selectedRows()[0].row() == 0


def test_stripe_labels_do_not_overlap(qtbot, make_window, project, doc_id):
    for code, a in (
        ("threat.terrorism", "We face"),
        ("source.west", "terrorism"),
        ("threat.migration", "illegal"),
        ("source.other", "face terrorism"),
    ):
        s = TEXT.index(a)
        add_span(project, document_id=doc_id, acting_coder="alice", code_key=code, start=s, end=s + len(a))
    window = make_window(project)
    stripes = window.view.stripes
    stripes.repaint()
    rects = [rect for rect, _ in stripes.label_rects]
    assert len(rects) == 4
    for i, r in enumerate(rects):
        assert r.left() >= 0
        for other in rects[i + 1 :]:
            assert not r.intersects(other)


def test_tooltip_lists_codes_coders_memos(make_window, project, doc_id):
    seed(project, doc_id)
    window = make_window(project)
    window.controller.show_coders(["alice", "bob"])
    view = window.view
    cursor = QTextCursor(view.document())
    cursor.setPosition(TEXT.index("terrorism") + 2)
    entries = view.entries_at_point(view.cursorRect(cursor).center() + QPoint(2, 0))
    tip = view.tooltip_for(entries)
    assert "Terrorism — alice" in tip
    assert "Illegal migration — bob" in tip
    assert "bob's memo" in tip


def test_spans_table_filter_sort_and_jump(qtbot, make_window, project, doc_id):
    seed(project, doc_id)
    window = make_window(project)
    window.controller.show_coders(["alice", "bob"])
    panel = window.spans_panel
    qtbot.keyClicks(panel.filter, "migration")
    assert panel.proxy.rowCount() == 1
    panel.filter.clear()
    panel.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    assert panel.proxy.index(0, 1).data() == "bob"
    index = panel.proxy.index(0, 0)
    rect = panel.table.visualRect(index)
    qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    # the passage is outlined as the selected span (the target of the next key), not selected as text
    bob = next(r for r in window.controller.spans.records() if r.coder == "bob")
    assert window.view.selected_span_id == bob.id
    assert window.view.selection_range() is None
    assert window.view.hasFocus()


def test_entry_colours_follow_codebook(window):
    entry = window.view.entry(type("R", (), {"start": 0, "end": 2, "id": 9, "code_key": "source.west", "coder": "x"})())
    assert entry == Entry(0, 2, 9, "#b8e6a1", "x", "source.west")


def test_dense_stripes_stay_in_the_margin_with_a_plus_n_marker(qtbot, make_window, project, doc_id):
    start = TEXT.index("terrorism")
    for i in range(30):  # 30 different spans over the same words: more than fit as lanes
        add_span(
            project,
            document_id=doc_id,
            acting_coder="alice",
            code_key="threat.terrorism",
            start=start + i % 3,
            end=start + 9 + i // 3,
        )
    window = make_window(project)
    stripes = window.view.stripes
    stripes.repaint()
    built = stripes.layouts_built
    stripes.repaint()
    assert stripes.layouts_built == built  # nothing moved: the cached layout is reused
    bars = [rect for rect, _ in stripes._hits if rect.width() < 12]
    assert len(bars) == stripes.max_lanes()
    assert all(r.left() >= 0 for r in bars)
    [(marker, text, hidden)] = stripes.overflow
    assert text == f"+{30 - stripes.max_lanes()}"
    assert len(hidden) == 30 - stripes.max_lanes()
    assert marker.left() >= 0
    assert not any(marker.intersects(r) for r, _ in stripes.label_rects)
    qtbot.mouseClick(stripes, Qt.MouseButton.LeftButton, pos=marker.center())
    assert window.view.selected_span_id == hidden[0].span_id
    assert stripes.layouts_built == built  # selecting repaints from the same layout


def test_coding_places_one_bar_without_rebuilding_the_stripes(qtbot, make_window, project, doc_id):
    for a, b in ((0, 20), (3, 9), (8, 30)):
        add_span(project, document_id=doc_id, acting_coder="alice", code_key="threat.terrorism", start=a, end=b)
    window = make_window(project)
    stripes = window.view.stripes
    stripes.repaint()
    built = stripes.layouts_built
    start = TEXT.index("cooperation")  # a line with free lanes
    select(window, start, start + 11)
    qtbot.keyClick(window.view, Qt.Key.Key_1)
    new_id = window.view.selected_span_id
    stripes.repaint()
    assert stripes.layouts_built == built  # the bar was placed into the cached layout
    bars = [(rect, e) for rect, e in stripes._hits if rect.width() < 12]
    assert sorted(e.span_id for _, e in bars) == sorted(window.controller.spans.ids())
    for i, (r, _) in enumerate(bars):
        assert not any(r.intersects(o) for o, _ in bars[i + 1 :])
    assert any(e.span_id == new_id for _, e in stripes.label_rects)
    window.controller.select_span(None)
    [rect] = [r for r, e in bars if e.span_id == new_id]
    qtbot.mouseClick(stripes, Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.view.selected_span_id == new_id
