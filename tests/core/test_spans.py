"""Span records, offset checks, snapping, and reading spans CSV files (row-numbered errors)."""

from __future__ import annotations

import pytest

from annotator.core.errors import UserError
from annotator.core.exchange.spans_csv import read_span_rows
from annotator.core.spans import SpanRecord, check_offsets, snap_to_words
from tests.store.foundation_helpers import write_csv


def test_check_offsets():
    assert check_offsets(10, 0, 10) is None
    assert "negative" in check_offsets(10, -1, 3)
    assert "greater than start" in check_offsets(10, 3, 3)
    assert "greater than start" in check_offsets(10, 5, 3)
    assert "beyond" in check_offsets(10, 0, 11)


def test_record_overlaps_and_changes():
    r = SpanRecord(id=1, uid="u", document_id=1, document="d", coder="c", code_key="k", start=2, end=5)
    assert r.overlaps(4, 8)
    assert not r.overlaps(5, 8)
    moved = r.with_changes(start=5, end=9)
    assert (moved.start, moved.end, r.start) == (5, 9, 2)


@pytest.mark.parametrize(
    ("text", "sel", "expected"),
    [
        ("terrorism and crime", (2, 6), "terrorism"),
        ("  the West  ", (0, 12), "the West"),
        ("Привет мир", (1, 8), "Привет мир"),
        ("Cafe\u0301 noir", (0, 3), "Cafe\u0301"),
    ],
)
def test_snap_to_words(text, sel, expected):
    s, e = snap_to_words(text, *sel)
    assert text[s:e] == expected


def test_read_rows_with_all_columns(tmp_path):
    path = write_csv(
        tmp_path / "s.csv",
        ["document", "coder", "code", "start", "end", "memo", "text", "span_id"],
        [
            ["a.txt", "alice", "k", 0, 6, "memo, with comma", "Привет", "abc"],
            ["a.txt", "bob", "k", " 7 ", "9", "", "🙂\nx", ""],
        ],
    )
    rows = read_span_rows(path)
    assert [r.row for r in rows] == [2, 3]
    assert rows[0].memo == "memo, with comma"
    assert rows[0].text == "Привет"
    assert rows[0].uid == "abc"
    assert rows[1].uid is None
    assert (rows[1].start, rows[1].end, rows[1].text) == (7, 9, "🙂\nx")


def test_text_column_absent_means_none(tmp_path):
    path = write_csv(tmp_path / "s.csv", ["document", "coder", "code", "start", "end"], [["a", "b", "c", 0, 1]])
    assert read_span_rows(path)[0].text is None


def test_bom_accepted(tmp_path):
    path = tmp_path / "s.csv"
    path.write_bytes(b"\xef\xbb\xbfdocument,coder,code,start,end\r\na,b,c,0,1\r\n")
    assert read_span_rows(path)[0].document == "a"


@pytest.mark.parametrize(
    ("content", "pattern"),
    [
        (b"document,coder,code,start\na,b,c,0\n", r"s\.csv:1: missing column\(s\) end"),
        (b"document,coder,code,start,end\na,b,c,zero,1\n", r"row 2: column 'start' must be a whole number"),
        (b"document,coder,code,start,end\na,b,c,0,1\na,b,c,0,1,extra\n", r"row 3: more cells"),
        (b"document,coder,code,start,end\na,b,c,0,\xff\n", r"s\.csv:2: not valid UTF-8"),
    ],
)
def test_bad_csv(tmp_path, content, pattern):
    path = tmp_path / "s.csv"
    path.write_bytes(content)
    with pytest.raises(UserError, match=pattern):
        read_span_rows(path)


def test_missing_csv(tmp_path):
    with pytest.raises(UserError, match="not found"):
        read_span_rows(tmp_path / "nope.csv")
