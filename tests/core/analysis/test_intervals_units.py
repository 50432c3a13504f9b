"""Overlap sweeps against brute force, and units (sentences, paragraphs, documents) as numbers."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.analysis.codetree import CodeTree
from annotator.core.analysis.columns import SpanColumns
from annotator.core.analysis.intervals import overlap_pairs, overlaps_any, widen
from annotator.core.analysis.units import UnitIndex, paragraph_bounds, paragraph_starts, whole_documents

intervals = st.lists(st.tuples(st.integers(0, 3), st.integers(0, 50), st.integers(0, 12)), max_size=30)


def _arrays(rows: list[tuple[int, int, int]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    g = np.array([r[0] for r in rows], np.int64)
    s = np.array([r[1] for r in rows], np.int64)
    return g, s, s + np.array([r[2] for r in rows], np.int64)


@settings(max_examples=300, deadline=None)
@given(intervals, intervals)
def test_overlap_pairs_and_overlaps_any_match_brute_force(a: list, b: list) -> None:
    ga, sa, ea = _arrays(a)
    gb, sb, eb = _arrays(b)
    ia, ib = overlap_pairs(ga, sa, ea, gb, sb, eb)
    got = sorted(zip(ia.tolist(), ib.tolist(), strict=True))
    want = sorted(
        (i, j) for i in range(len(a)) for j in range(len(b)) if ga[i] == gb[j] and max(sa[i], sb[j]) < min(ea[i], eb[j])
    )
    assert got == want  # every pair once, empty intervals in none
    assert overlaps_any(ga, sa, ea, gb, sb, eb).tolist() == [any(i == p for p, _ in want) for i in range(len(a))]


def test_widen_stays_within_offsets() -> None:
    start, end = widen(np.array([0, 10], np.int64), np.array([5, (1 << 32) - 2], np.int64), 3)
    assert start.tolist() == [0, 7]
    assert end.tolist() == [8, (1 << 32) - 1]


def test_paragraphs_are_runs_of_non_blank_lines() -> None:
    text = "  Первый абзац,\nвторая строка 🙂.\n \t\n\nВторой e\u0301.\n\n\n  \n"
    bounds = paragraph_bounds(text)
    assert [text[s:e] for s, e in bounds] == ["Первый абзац,\nвторая строка 🙂.", "Второй e\u0301."]
    assert paragraph_starts(text) == [2, bounds[1][0]]
    assert paragraph_bounds("") == []
    assert paragraph_bounds(" \n\n \n") == []
    assert paragraph_bounds("one line") == [(0, 8)]


def test_unit_index_numbers_units_across_documents() -> None:
    units = UnitIndex(np.array([9, 4, 9], np.int64), {4: [3, 10], 9: [0, 5, 20]})
    assert len(units) == 5
    doc = np.array([4, 4, 4, 9, 9, 9], np.int64)
    pos = np.array([0, 9, 10, 4, 5, 999], np.int64)
    # text before the first start belongs to the first unit; document 4 comes first (id order)
    assert units.unit_of(doc, pos).tolist() == [0, 0, 1, 2, 3, 4]
    first, stop = units.unit_range(np.array([9], np.int64), np.array([3], np.int64), np.array([21], np.int64))
    assert (first.tolist(), stop.tolist()) == ([2], [5])
    with pytest.raises(ValueError, match="without unit boundaries"):
        units.unit_of(np.array([5], np.int64), np.array([0], np.int64))
    with pytest.raises(ValueError, match="no unit boundaries given for document 3"):
        UnitIndex(np.array([3], np.int64), {})
    with pytest.raises(ValueError, match="not sorted"):
        UnitIndex(np.array([3], np.int64), {3: [5, 2]})
    whole = UnitIndex(np.array([1, 2], np.int64), whole_documents)
    assert whole.unit_of(np.array([1, 2], np.int64), np.array([77, 0], np.int64)).tolist() == [0, 1]
    assert UnitIndex(np.array([1], np.int64), {1: []}).unit_of(np.array([1]), np.array([50])).tolist() == [0]


def test_span_columns_validate_and_group_by_document_and_coder() -> None:
    with pytest.raises(ValueError, match="differ in length"):
        SpanColumns(np.zeros(2), np.zeros(1), np.zeros(2), np.zeros(2), np.zeros(2), np.zeros(2), {})
    with pytest.raises(ValueError, match="start <= end"):
        SpanColumns.from_rows([(1, 1, "a", 5, 4, 1)])
    with pytest.raises(ValueError, match="has no id"):
        SpanColumns.from_rows([(1, 1, "a", 0, 4, 1)], {"b": 0})
    rows = [(5, 2, "a", 0, 1, 1), (5, 1, "a", 0, 1, 2), (1, 2, "a", 0, 1, 3), (5, 1, "a", 3, 4, 4)]
    cols = SpanColumns.from_rows(rows)
    assert cols.group.tolist() == [2, 1, 0, 1]
    huge = SpanColumns.from_rows([(d * 10**12, c, "a", 0, 1, i) for i, (d, c, *_) in enumerate(rows)])
    assert huge.group.tolist() == [2, 1, 0, 1]  # large ids take the sorting path
    negative = SpanColumns.from_rows([(-d, c, "a", 0, 1, i) for i, (d, c, *_) in enumerate(rows)])
    assert negative.group.tolist() == [1, 0, 2, 0]


def test_code_tree() -> None:
    tree = CodeTree.from_pairs([("a", None), ("a.b", "a"), ("a.b.c", "a.b"), ("d", None)])
    assert tree.descendants("a") == ("a", "a.b", "a.b.c")
    assert tree.ancestors("a.b.c") == ("a.b", "a")
    assert tree.children("a") == ("a.b",)
    assert "d" in tree
    assert "e" not in tree
    assert tree.unknown_key_message("a.bc") == "unknown code 'a.bc' (did you mean 'a.b.c'?)"
    with pytest.raises(ValueError, match="unknown parent"):
        CodeTree({"x": "y"})
    with pytest.raises(ValueError, match="own ancestor"):
        CodeTree({"x": "y", "y": "x"})
