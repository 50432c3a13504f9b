"""The shared segmenter: paragraphs at blank lines, sentences with en/ru/de abbreviations, words."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from annotator.core.segment import paragraphs, sentences, words

from .segment_gold import all_cases

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(("lang", "text", "gold"), all_cases(), ids=lambda v: v[:30] if isinstance(v, str) else None)
def test_hand_checked_sentences(lang, text, gold):
    assert sentences(text) == gold, [text[a:b] for a, b in sentences(text)]


def test_paragraphs_end_at_blank_lines_and_single_breaks_join():
    text = "Title\n\nThe economy was\ngrowing fast. The council\nmet.\n \n\nLast line"
    assert [text[a:b] for a, b in paragraphs(text)] == [
        "Title",
        "The economy was\ngrowing fast. The council\nmet.",
        "Last line",
    ]
    assert [text[a:b] for a, b in sentences(text)] == [
        "Title",
        "The economy was\ngrowing fast.",
        "The council\nmet.",
        "Last line",
    ]
    assert sentences("") == []
    assert sentences(" \n\n \n") == []


def test_offsets_are_code_points_with_emoji_and_combining_marks():
    text = "Привет 😀 мир. Café\u0301 ist zu. 👩\u200d👩\u200d👧 Ende."
    got = [text[a:b] for a, b in sentences(text)]
    assert got == ["Привет 😀 мир.", "Café\u0301 ist zu.", "👩\u200d👩\u200d👧 Ende."]
    assert [text[a:b] for a, b in words(text)][:3] == ["Привет", "мир", "Café\u0301"]


def test_sentences_partition_each_paragraph():
    text = (REPO / "resources" / "examples" / "press_report_border_services.txt").read_text("utf-8")
    sents = sentences(text)
    for (_a, b), (c, _d) in itertools.pairwise(sents):
        assert b <= c
        assert text[b:c].strip() == ""
    for a, b in sents:
        assert text[a:b] == text[a:b].strip()
        assert any(p <= a and b <= q for p, q in paragraphs(text))


def test_bundled_examples_and_corpus_split_as_checked_by_hand(shared_dir):
    """Counts pinned after reading every sentence of these texts (see bench/compare_segmenters.py)."""
    expected = {
        "address_security_council_secretaries.txt": 20,
        "communique_water_and_biosecurity.txt": 12,
        "press_report_border_services.txt": 13,
        "statement_information_security.txt": 10,
        "000_a030802543de9fa8.txt": 21,
        "001_1cbbcffc33b58b94.txt": 25,
        "003_e1b9295e354fe26a.txt": 41,
    }
    files = list((REPO / "resources" / "examples").glob("*.txt")) + list((shared_dir / "corpus").glob("*.txt"))
    got = {f.name: len(sentences(f.read_text("utf-8"))) for f in files}
    assert got == expected
    text = (REPO / "resources" / "examples" / "communique_water_and_biosecurity.txt").read_text("utf-8")
    assert any(text[a:b].startswith("1. To prepare, within six months") for a, b in sentences(text))
