"""The window's span value: columns in position order, records built on demand, changes tracked."""

from __future__ import annotations

import numpy as np
import pytest

from annotator.core.span_table import LiveSpans, SpanTable
from annotator.core.spans import SpanRecord


def _rec(sid: int, start: int, end: int, coder: str = "алиса", code: str = "threat.terrorism") -> SpanRecord:
    return SpanRecord(sid, f"uid-{sid}", 7, "речь.txt", coder, code, start, end, memo=f"memo {sid} 🙂")


def test_rows_are_put_in_position_order_with_every_column():
    records = [_rec(3, 10, 20), _rec(1, 0, 5, "bob", "source.west"), _rec(2, 10, 15), _rec(4, 10, 15)]
    table = SpanTable.from_records(records)
    assert table.ids.tolist() == [1, 2, 4, 3]
    assert table.starts.tolist() == [0, 10, 10, 10]
    assert table.ends.tolist() == [5, 15, 15, 20]
    assert list(table.uids) == ["uid-1", "uid-2", "uid-4", "uid-3"]
    assert list(table.memos) == ["memo 1 🙂", "memo 2 🙂", "memo 4 🙂", "memo 3 🙂"]
    assert [table.coder(k) for k in range(4)] == ["bob", "алиса", "алиса", "алиса"]
    assert [table.code_key(k) for k in range(4)] == ["source.west"] + ["threat.terrorism"] * 3
    assert table.records() == sorted(records, key=lambda r: (r.start, r.end, r.id))
    assert table.record(2) is table.record(2)
    assert [table.row_of(s) for s in (1, 2, 3, 4, 99)] == [0, 1, 3, 2, None]
    assert (table.document_id, table.document) == (7, "речь.txt")


def test_rows_in_order_are_kept_as_given():
    ids = np.array([5, 6], np.int64)
    zeros = np.zeros(2, np.int64)
    table = SpanTable(1, "d", ids, np.array([0, 0]), np.array([3, 4]), zeros, zeros, ["a", "b"], ["", ""], {0: "c"}, {})
    assert table.ids is ids


def test_columns_of_different_lengths_are_refused():
    with pytest.raises(ValueError, match="differ in length"):
        SpanTable(1, "d", np.array([1]), np.array([0]), np.array([1]), np.array([0]), np.array([0]), [], [""], {}, {})


def test_empty_table():
    table = SpanTable.empty(3)
    assert len(table) == 0
    assert table.records() == []
    assert table.row_of(1) is None
    assert len(SpanTable.from_records([])) == 0


def test_live_spans_put_and_remove():
    table = SpanTable.from_records([_rec(1, 0, 5), _rec(2, 6, 9)])
    live = LiveSpans(table)
    assert live.ids() == [1, 2]
    changed = _rec(1, 1, 5)
    assert live.put(changed) is table.record(0)
    assert live.put(_rec(8, 2, 3)) is None
    assert live.remove(2) is table.record(1)
    assert live.remove(2) is None
    assert live.ids() == [1, 8]
    assert live.records() == [changed, _rec(8, 2, 3)]
    assert len(live) == 2
    assert 2 not in live
    assert 8 in live
