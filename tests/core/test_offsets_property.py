"""Hypothesis: offsets and span operations over hostile Unicode (astral, combining, ZWJ, RTL, CRLF).

Stored offsets are code points, Qt positions are UTF-16 units; `OffsetMap` must agree with what a real
QTextDocument does with the same text, for any text. ANNOTATOR_LONG=1 runs many more examples.
"""

from __future__ import annotations

import itertools
import os
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core.agreement.unitizing import merge_spans
from annotator.core.offsets import OffsetMap
from annotator.core.spans import check_offsets, snap_to_words
from annotator.core.text import normalise_newlines

LONG = os.environ.get("ANNOTATOR_LONG") == "1"
EXAMPLES = 2000 if LONG else 150
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

PIECES = [
    "😀",
    "𝔘",
    "𠀋",
    "👍🏽",
    "🇺🇦",  # astral: emoji, math letter, CJK ext B, skin tone, flag (regional indicators)
    "👨\u200d👩\u200d👧",
    "🏳\ufe0f\u200d🌈",
    "\u200d",
    "\u200c",  # ZWJ sequences and joiners
    "e\u0301",
    "\u0301",
    "a\u0308\u0323",
    "\u0915\u094d\u0937",  # combining marks, Devanagari conjunct
    "שלום",
    "مرحبا",
    "\u200f",
    "\u202e",
    "\u2067",  # RTL text and bidi controls
    "\r\n",
    "\r",
    "\n",
    "\t",
    " ",
    "\u00a0",
    "\u2028",
    "\u2029",
    "\ufeff",  # line ends, spaces, BOM
    "Угроза",
    "word",
    "don't",
    "-",
    ".",
    "\x0b",
    "\x0c",
]

raw_text = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=4)), max_size=30).map("".join)
stored_text = raw_text.map(normalise_newlines)


@st.composite
def text_and_range(draw: st.DrawFn) -> tuple[str, int, int]:
    text = draw(stored_text.filter(lambda t: len(t) >= 1))
    start = draw(st.integers(0, len(text) - 1))
    end = draw(st.integers(start + 1, len(text)))
    return text, start, end


def _utf16_len(s: str) -> int:
    return len(s.encode("utf-16-le")) // 2


@SETTINGS
@given(raw_text)
def test_normalised_text_has_no_carriage_returns(raw: str) -> None:
    text = normalise_newlines(raw)
    assert "\r" not in text
    assert normalise_newlines(text) == text
    assert text.count("\n") == len(re.findall(r"\r\n|\r|\n", raw.lstrip("\ufeff\ufffe")))
    assert not text.startswith(("\ufeff", "\ufffe")), "Qt drops a leading BOM: offsets would shift"


@SETTINGS
@given(stored_text)
def test_offset_map_matches_utf16_encoding(text: str) -> None:
    m = OffsetMap.for_text(text)
    assert m.utf16_length == _utf16_len(text)
    previous = -1
    for cp in range(len(text) + 1):
        u16 = m.to_utf16(cp)
        assert u16 == _utf16_len(text[:cp])
        assert u16 > previous
        assert m.to_codepoint(u16) == cp
        previous = u16
    for u16 in range(m.utf16_length + 1):
        cp = m.to_codepoint(u16)
        assert m.to_utf16(cp) <= u16 < (m.to_utf16(cp + 1) if cp < len(text) else u16 + 1)
    for bad in (-1, len(text) + 1):
        with pytest.raises(ValueError, match="outside"):
            m.to_utf16(bad)
    with pytest.raises(ValueError, match="outside"):
        m.to_codepoint(m.utf16_length + 1)


BLOCK_BREAKS = str.maketrans({"\n": "\u2029", "\ufdd0": "\u2029", "\ufdd1": "\u2029"})


@SETTINGS
@given(text_and_range())
def test_qt_text_document_positions_match_offset_map(qapp, case: tuple[str, int, int]) -> None:
    from PySide6.QtGui import QTextCursor, QTextDocument

    text, start, end = case
    m = OffsetMap.for_text(text)
    doc = QTextDocument()
    doc.setPlainText(text)
    assert doc.characterCount() == m.utf16_length + 1  # Qt adds one final paragraph separator
    cursor = QTextCursor(doc)
    cursor.setPosition(m.to_utf16(start))
    cursor.setPosition(m.to_utf16(end), QTextCursor.MoveMode.KeepAnchor)
    assert cursor.selectionStart() == m.to_utf16(start)
    assert cursor.selectionEnd() == m.to_utf16(end)
    assert cursor.selectedText() == text[start:end].translate(BLOCK_BREAKS)
    assert m.to_codepoint(cursor.selectionStart()) == start
    assert m.to_codepoint(cursor.selectionEnd()) == end
    # Walking the document the way a user's arrow keys do: every position converts to a code point. Qt can
    # stop inside a surrogate pair (e.g. '𝔘' before Devanagari); to_codepoint then rounds down to the
    # start of that character, never further.
    cursor.setPosition(0)
    while cursor.movePosition(QTextCursor.MoveOperation.NextCharacter):
        pos = cursor.position()
        cp = m.to_codepoint(pos)
        assert m.to_utf16(cp) == pos or (m.to_utf16(cp) == pos - 1 and cp in m.astral_positions)


@SETTINGS
@given(st.integers(-3, 40), st.integers(-3, 40), st.integers(0, 40))
def test_check_offsets_accepts_exactly_the_valid_ranges(start: int, end: int, length: int) -> None:
    problem = check_offsets(length, start, end)
    assert (problem is None) == (0 <= start < end <= length)
    if problem is not None:
        assert "\n" not in problem
        assert problem


def _is_word(ch: str) -> bool:
    import unicodedata

    return ch.isalnum() or ch in "_'’-" or unicodedata.category(ch).startswith("M")


@SETTINGS
@given(text_and_range())
def test_snap_to_words_widens_to_word_boundaries_and_trims_space(case: tuple[str, int, int]) -> None:
    text, start, end = case
    s, e = snap_to_words(text, start, end)
    assert 0 <= s <= e <= len(text)
    selected = text[start:end]
    if not selected.strip():
        return  # only whitespace was selected: nothing to code, the caller refuses it
    lead = len(selected) - len(selected.lstrip())
    trail = len(selected) - len(selected.rstrip())
    assert s <= start + lead, "the selected non-space text is kept"
    assert e >= end - trail
    assert check_offsets(len(text), s, e) is None
    assert not text[s].isspace()
    assert not text[e - 1].isspace()
    assert s == 0 or not (_is_word(text[s - 1]) and _is_word(text[s])), "start inside a word"
    assert e == len(text) or not (_is_word(text[e - 1]) and _is_word(text[e])), "end inside a word"
    assert snap_to_words(text, s, e) == (s, e), "snapping twice changes nothing"


@SETTINGS
@given(st.lists(st.tuples(st.integers(0, 60), st.integers(1, 20)).map(lambda t: (t[0], t[0] + t[1])), max_size=15))
def test_merge_spans_covers_the_same_positions_without_overlap(spans: list[tuple[int, int]]) -> None:
    merged = merge_spans(spans)
    covered = {i for s, e in spans for i in range(s, e)}
    assert {i for s, e in merged for i in range(s, e)} == covered
    for (_, e1), (s2, _) in itertools.pairwise(merged):
        assert e1 < s2, "merged spans neither overlap nor touch"
    for s, e in spans:
        assert any(ms <= s and e <= me for ms, me in merged)
