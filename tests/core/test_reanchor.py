"""The re-anchoring rules, one small revision each: what "unchanged" means, how edges of edited spans
move, when a span is lost, and what the alignment guarantees."""

from __future__ import annotations

import json
import random

import pytest

from annotator.core import text_diff
from annotator.core.reanchor import reanchor
from annotator.core.text_diff import align
from tests.core.revision import apply_edits


def _one(old: str, new: str, phrase: str, nth: int = 0) -> tuple[str, object]:
    """Re-anchor the nth occurrence of `phrase` in `old`; (outcome, record)."""
    start = -1
    for _ in range(nth + 1):
        start = old.index(phrase, start + 1)
    result = reanchor(old, new, [("s", start, start + len(phrase))])
    (kind, items) = next((k, v) for k, v in vars(result).items() if v)
    assert result.summary().total == 1
    return kind, items[0]


def test_identical_texts_move_nothing() -> None:
    text = "Угроза 🇺🇦 terrorism\nand e\u0301 more"
    spans = [(i, s, s + 3) for i, s in enumerate(range(0, len(text) - 3, 2))]
    result = reanchor(text, text, spans)
    assert [(m.start, m.end) for m in result.moved] == [(s, e) for _, s, e in spans]
    assert align(text, text).blocks == ((0, 0, len(text)),)


def test_insertions_at_the_edges_stay_outside() -> None:
    old = "They named terrorism as the threat."
    new = "They named 🙂 terrorism 🙂 as the threat."
    kind, item = _one(old, new, "terrorism")
    assert kind == "moved"
    assert new[item.start : item.end] == "terrorism"
    assert (item.start, item.end) == (13, 22)  # the emoji before counts one code point


def test_insertion_inside_is_a_text_change() -> None:
    old = "the threat of terrorism remains"
    new = "the threat of international terrorism remains"
    kind, item = _one(old, new, "threat of terrorism")
    assert kind == "changed"
    assert item.text == "threat of international terrorism"
    assert item.old_text == "threat of terrorism"


def test_deletion_across_the_start_snaps_to_the_first_surviving_character() -> None:
    old = "states are trying to undermine order in the CIS"
    new = "states are mine order in the CIS"
    kind, item = _one(old, new, "undermine order")
    assert kind == "changed"
    assert item.text == "mine order"


def test_deletion_across_the_end_snaps_to_the_last_surviving_character() -> None:
    old = "the actions of some states are directly aimed at us"
    new = "the actions of some states are us"
    kind, item = _one(old, new, "states are directly")
    assert kind == "changed"
    assert item.text == "states are "


def test_replaced_piece_at_an_edge_is_taken_in() -> None:
    # The span starts exactly where a replaced piece starts, and ends exactly where one ends.
    old = "xx Bthreat of dog yy"
    new = "xx Ythreat of cat yy"
    kind, item = _one(old, new, "Bthreat of dog")
    assert kind == "changed"
    assert item.text == "Ythreat of cat"


def test_a_span_inside_replaced_text_is_lost_with_its_text() -> None:
    old = "the big dog barks"
    new = "the big cat barks"
    kind, item = _one(old, new, "dog")
    assert kind == "lost"
    assert (item.old_start, item.old_end, item.old_text) == (8, 11, "dog")


def test_stray_shared_letters_of_a_rewritten_phrase_do_not_keep_a_span() -> None:
    old = "We face the threat today."
    new = "We face a menace today."
    assert _one(old, new, "threat")[0] == "lost"


def test_a_deleted_passage_is_lost_and_reported_with_its_offsets() -> None:
    old = "Keep this. Drop this sentence entirely. Keep that."
    new = "Keep this. Keep that."
    kind, item = _one(old, new, "sentence entirely")
    assert kind == "lost"
    assert item.old_text == "sentence entirely"
    assert item.old_start == old.index("sentence")


@pytest.mark.parametrize(
    ("old", "new", "phrase", "nth"),
    [
        # Inserted text repeating the span's start: a diff may put the insertion inside the span.
        ("they said terrorism is a threat", "they said terror and terrorism is a threat", "terrorism is", 0),
        # Deleted text repeating the span's start: a diff may put the deletion inside the span.
        ("they said terror and terrorism is a threat", "they said terrorism is a threat", "terrorism is", 0),
        ("X the the threat Y", "X the threat Y", "the threat", 0),
    ],
)
def test_ambiguous_edits_next_to_a_span_leave_it_unchanged(old: str, new: str, phrase: str, nth: int) -> None:
    kind, item = _one(old, new, phrase, nth)
    assert kind == "moved", item
    assert new[item.start : item.end] == phrase


def test_a_moved_paragraph_takes_its_spans_along_when_their_text_is_unique() -> None:
    first = "The first paragraph names terrorism.\n"
    second = "The second one names drug trafficking and illegal migration, at length and in detail.\n"
    old = first + second + "End.\n"
    new = second + first + "End.\n"
    names = old.index("names")
    end = old.index("End.")
    result = reanchor(old, new, [("unique", 26, 35), ("common", names, names + 5), ("end", end, end + 4)])
    assert [m.id for m in result.moved] == ["unique", "end"]  # input order, relocated or not
    moved = {m.id: m for m in result.moved}
    assert "unique" in moved
    assert new[moved["unique"].start : moved["unique"].end] == "terrorism"
    # "names" occurs twice in each text: where it went is a guess, so it is not made.
    assert [lost.id for lost in result.lost] == ["common"]


def test_overlapping_spans_and_gold_are_just_spans() -> None:
    old = "a number of states are trying to undermine order in the CIS countries"
    new = "Note. " + old.replace("trying", "attempting")
    spans = [("alice", 0, 17), ("bob", 2, 40), ("gold", 0, 17), ("gold2", 33, 68)]
    result = reanchor(old, new, spans)
    moved = {m.id: (m.start, m.end) for m in result.moved}
    assert moved["alice"] == moved["gold"] == (6, 23)
    assert moved["gold2"] == (6 + 37, 6 + 72)
    assert [c.id for c in result.changed] == ["bob"]
    assert result.changed[0].text == "number of states are attempting to undermi"


def test_bad_spans_are_refused_by_id() -> None:
    with pytest.raises(ValueError, match="span 'x'"):
        reanchor("abc", "abd", [("x", 2, 5)])
    with pytest.raises(ValueError, match="span 7"):
        reanchor("abc", "abd", [(7, 2, 2)])
    with pytest.raises(ValueError, match="other texts"):
        reanchor("abc", "abd", [], alignment=align("abcd", "abd"))


def test_everything_deleted_or_nothing_before() -> None:
    result = reanchor("some text", "", [(1, 0, 4), (2, 5, 9)])
    assert [lost.old_text for lost in result.lost] == ["some", "text"]
    assert reanchor("", "new text", []).summary().total == 0


def test_summary_and_json() -> None:
    old = "alpha beta gamma delta"
    new = "alpha BETA gamma"
    result = reanchor(old, new, [(1, 0, 5), (2, 0, 10), (3, 17, 22)])
    summary = result.summary()
    assert summary.as_dict() == {"moved": 1, "changed": 1, "lost": 1, "total": 3}
    assert str(summary) == "1 moved, 1 changed (text changed), 1 lost"
    data = json.loads(json.dumps(result.to_json(), ensure_ascii=False))
    assert data["changed"] == [
        {"id": 2, "old_start": 0, "old_end": 10, "start": 0, "end": 10, "old_text": "alpha beta", "text": "alpha BETA"}
    ]
    assert data["lost"] == [{"id": 3, "old_start": 17, "old_end": 22, "old_text": "delta"}]


def _check_blocks(old: str, new: str) -> text_diff.Alignment:
    al = align(old, new)
    prev_a = prev_b = 0
    for i, j, n in al.blocks:
        assert n > 0
        assert i >= prev_a
        assert j >= prev_b
        assert (i, j) != (prev_a, prev_b) or (i, j) == (0, 0), "adjacent blocks must be merged"
        assert old[i : i + n] == new[j : j + n]
        prev_a, prev_b = i + n, j + n
    return al


@pytest.mark.parametrize("shape", ["no line breaks", "one word a line", "blank lines"])
def test_large_texts_of_awkward_shapes_align_almost_fully(shape: str) -> None:
    """Texts of a small vocabulary (no unique word) in shapes that defeat a line diff still align."""
    rng = random.Random(shape)
    words = ["the", "state", "security", "threat", "border", "нация", "угроза", "🙂", "e\u0301", "and", "of"]
    old = " ".join(rng.choice(words) for _ in range(12_000))
    if shape == "one word a line":
        old = old.replace(" ", "\n")
    elif shape == "blank lines":
        old = old.replace(" the ", "\n\n\nthe ")
    edits, cursor = [], 50
    while cursor < len(old) - 200:
        edits.append((cursor, rng.randint(0, 30), rng.choice(["", "угроза ", "new words here "])))
        cursor += rng.randint(200, 900)
    new = apply_edits(old, edits)
    al = _check_blocks(old, new)
    matched = sum(n for _, _, n in al.blocks)
    assert matched >= len(old) - sum(d for _, d, _ in edits) - 10 * len(edits)


def test_a_huge_region_without_anchors_counts_as_rewritten(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(text_diff, "MAX_CHAR_CELLS", 100)
    old = "ab" * 50
    new = "ba" * 40 + "c"
    al = _check_blocks(old, new)
    assert al.blocks == ()
    assert reanchor(old, new, [(1, 10, 20)], alignment=al).summary().lost == 1
