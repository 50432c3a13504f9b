"""The interval index answers exactly what a linear scan would."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.span_table import SpanTable
from annotator.core.spans import SpanRecord
from annotator.gui.coding.span_index import LONG, Entry, SpanIndex

spans = st.lists(st.tuples(st.integers(0, 9000), st.integers(1, LONG + 3000)), max_size=60)


def _entries(pairs):
    return [Entry(s, s + n, i + 1, "#fff", "c", "k") for i, (s, n) in enumerate(pairs)]


def _index(entries):
    """The index over the table these entries make (Qt positions = stored offsets, as in ASCII text)."""
    records = [SpanRecord(e.span_id, f"u{e.span_id}", 1, "d", e.coder, e.code_key, e.start, e.end) for e in entries]
    return SpanIndex(SpanTable.from_records(records), colors={e.code_key: e.color for e in entries})


@settings(max_examples=150, deadline=None)
@given(spans, st.integers(0, 15000), st.integers(1, 5000))
def test_query_matches_linear_scan(pairs, start, length):
    entries = _entries(pairs)
    index = _index(entries)
    expected = sorted(
        (e for e in entries if e.start < start + length and e.end > start), key=lambda e: (e.start, e.end, e.span_id)
    )
    assert index.query(start, start + length) == expected


def test_put_and_remove():
    index = _index(_entries([(0, 10), (5, 10)]))
    assert [e.span_id for e in index.at(7)] == [1, 2]
    old = index.put(Entry(100, 110, 1, "#fff", "c", "k"))
    assert (old.start, old.end) == (0, 10)
    assert [e.span_id for e in index.at(7)] == [2]
    assert index.remove(2).span_id == 2
    assert index.at(7) == []
    assert len(index) == 1


@settings(max_examples=100, deadline=None)
@given(
    spans,
    st.lists(
        st.tuples(st.booleans(), st.integers(1, 70), st.integers(0, 9000), st.integers(1, LONG + 3000)), max_size=30
    ),
    st.integers(0, 15000),
)
def test_incremental_changes_match_linear_scan(pairs, changes, probe):
    entries = {e.span_id: e for e in _entries(pairs)}
    index = _index(entries.values())
    for remove, sid, start, length in changes:
        if remove:
            assert (index.remove(sid) is None) == (sid not in entries)
            entries.pop(sid, None)
        else:
            entries[sid] = Entry(start, start + length, sid, "#fff", "c", "k")
            index.put(entries[sid])
    expected = sorted(
        (e for e in entries.values() if e.start < probe + 100 and e.end > probe),
        key=lambda e: (e.start, e.end, e.span_id),
    )
    assert index.query(probe, probe + 100) == expected
    assert len(index) == len(entries)
