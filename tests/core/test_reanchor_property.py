"""Hypothesis: re-anchoring over random texts (astral characters, combining marks, Cyrillic, line breaks)
and random edit scripts. ANNOTATOR_LONG=1 runs many more examples.

Whatever the edits: every span is reported exactly once; a moved span holds exactly its old text; all
new offsets lie inside the new text; the alignment's blocks hold equal text in order. And a span that
the script did not touch, and whose text the script did not make ambiguous, comes out moved.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from annotator.core.reanchor import reanchor
from annotator.core.text_diff import align
from tests.core.revision import Edit, apply_edits, truth

LONG = os.environ.get("ANNOTATOR_LONG") == "1"
SETTINGS = settings(
    max_examples=3000 if LONG else 300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

PIECES = [
    "😀",
    "🇺🇦",
    "👨\u200d👩\u200d👧",
    "𝔘",
    "e\u0301",
    "угроза ",
    "Москва",
    "the ",
    "threat ",
    "terror",
    "a",
    "b",
    " ",
    "\n",
    ".",
]
texts = st.lists(st.sampled_from(PIECES), max_size=50).map("".join)


@st.composite
def revisions(draw: st.DrawFn) -> tuple[str, list[Edit], list[tuple[int, int, int]]]:
    old = draw(texts.filter(bool))
    positions = sorted(draw(st.lists(st.integers(0, len(old)), max_size=6, unique=True)))
    edits: list[Edit] = []
    for k, pos in enumerate(positions):
        limit = (positions[k + 1] if k + 1 < len(positions) else len(old)) - pos
        delete = min(draw(st.integers(0, 12)), limit)
        insert = draw(st.lists(st.sampled_from(PIECES), max_size=4).map("".join))
        if delete or insert:
            edits.append((pos, delete, insert))
    spans = []
    for k in range(draw(st.integers(0, 12))):
        start = draw(st.integers(0, len(old) - 1))
        end = draw(st.integers(start + 1, min(len(old), start + 40)))
        spans.append((k, start, end))
    return old, edits, spans


@SETTINGS
@given(revisions())
def test_every_span_is_reported_once_and_moved_text_is_exact(case) -> None:
    old, edits, spans = case
    new = apply_edits(old, edits)
    note(f"old={old!r}\nnew={new!r}\nedits={edits!r}\nspans={spans!r}")
    result = reanchor(old, new, spans)
    reported = [m.id for m in result.moved] + [c.id for c in result.changed] + [lost.id for lost in result.lost]
    assert sorted(reported) == [k for k, _, _ in spans]
    for m in result.moved:
        assert 0 <= m.start < m.end <= len(new)
        assert new[m.start : m.end] == old[m.old_start : m.old_end]
    for c in result.changed:
        assert 0 <= c.start < c.end <= len(new)
        assert c.text == new[c.start : c.end]
        assert c.old_text == old[c.old_start : c.old_end]
    for lost in result.lost:
        assert lost.old_text == old[lost.old_start : lost.old_end]


@SETTINGS
@given(revisions())
def test_alignment_blocks_are_equal_text_in_order(case) -> None:
    old, edits, _ = case
    new = apply_edits(old, edits)
    al = align(old, new)
    a = b = 0
    for i, j, n in al.blocks:
        assert n > 0
        assert i >= a
        assert j >= b
        assert old[i : i + n] == new[j : j + n]
        a, b = i + n, j + n
    assert sum(n for _, _, n in al.blocks) <= min(len(old), len(new))


@SETTINGS
@given(revisions())
def test_a_span_the_edits_did_not_touch_is_moved(case) -> None:
    """Untouched spans are moved when their surroundings pin them down: the passage occurs once in
    each text (with repeated text, a diff may legitimately take an edit for a move of equal text)."""
    old, edits, spans = case
    new = apply_edits(old, edits)
    note(f"old={old!r}\nnew={new!r}\nedits={edits!r}")
    moved = {m.id for m in reanchor(old, new, spans).moved}
    for k, start, end in spans:
        passage = old[start:end]
        if truth(edits, start, end).kind == "untouched" and old.count(passage) == 1 and new.count(passage) == 1:
            assert k in moved, f"untouched span {k} {passage!r} not moved"


@SETTINGS
@given(texts.filter(bool), texts, texts)
def test_insertions_alone_never_lose_a_span(old: str, before: str, after: str) -> None:
    """Text added at the start and end only: every span keeps its exact text at its shifted place."""
    new = before + old + after
    spans = [(k, k, min(len(old), k + 5)) for k in range(len(old))]
    result = reanchor(old, new, spans)
    assert len(result.moved) == len(spans)
    for m in result.moved:
        assert new[m.start : m.end] == old[m.old_start : m.old_end]
