"""Corpus search in memory: the matcher's folding and offsets, the regex guard, KWIC rows, extension."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.analysis.extend import extend_hits, to_units, to_words
from annotator.core.analysis.kwic import KwicRow, context, kwic_rows, one_line
from annotator.core.analysis.matching import Matcher, SearchOptions, fold
from annotator.core.analysis.regex_literals import folding_safe, required_literals
from annotator.core.errors import UserError


def hits(pattern: str, text: str, **options: object) -> list[str]:
    return [text[s:e] for s, e in Matcher(pattern, SearchOptions(**options)).find(text)]  # type: ignore[arg-type]


def test_case_folding_maps_offsets_back_when_lengths_change() -> None:
    text = "Die Straße 🙂 und die STRASSE; ß allein; ﬁnal"
    found = Matcher("strasse").find(text)
    assert [text[s:e] for s, e in found] == ["Straße", "STRASSE"]
    assert found[0] == (4, 10)  # six code points in the original although "strasse" has seven
    assert found[1] == (text.index("STRASSE"), text.index("STRASSE") + 7)  # after the shift, still right
    assert hits("ß", text) == ["ß", "SS", "ß"]  # ß folds to ss, so it finds SS as well
    assert hits("s", text) == ["S", "S", "S", "S"]  # never half of what ß folded into
    assert hits("final", text) == ["ﬁnal"]  # the ligature folds to "fi"
    assert hits("Straße", text, case_sensitive=True) == ["Straße"]
    assert hits("straße", text, case_sensitive=True) == []


def test_cyrillic_case_and_yo_folding() -> None:
    text = "Ёлка, ёлка, елка, ЕЛКА и е\u0308лка. Всё и все."
    assert hits("ёлка", text) == ["Ёлка", "ёлка", "елка", "ЕЛКА", "е\u0308лка"]  # fold-yo on for Cyrillic
    assert hits("елка", text) == hits("ёлка", text)
    assert hits("ёлка", text, fold_yo=False) == ["Ёлка", "ёлка"]
    assert hits("Ёлка", text, case_sensitive=True) == ["Ёлка"]  # Е-forms only with fold_yo: Ё -> Е
    assert hits("Елка", text, case_sensitive=True) == ["Ёлка"]
    assert hits("все", text, whole_word=True) == ["Всё", "все"]
    assert Matcher("ёлка").describe() == "substring, case-insensitive, ё = е"
    assert Matcher("elka").fold_yo is False  # no Cyrillic in the pattern: off by default
    assert Matcher("elka", SearchOptions(fold_yo=True)).fold_yo is True


def test_combining_marks_and_emoji() -> None:
    text = "cafe\u0301 café cafe 🙂🙂 👨\u200d👩\u200d👧 x"
    assert hits("cafe", text) == ["cafe"]  # the 'e' of e + U+0301 is not cut off its accent
    assert Matcher("cafe").find(text) == [(11, 15)]  # nor is the precomposed café; offsets are code points
    assert hits("cafe\u0301", text) == ["cafe\u0301"]
    assert hits("\u0301", text) == []  # a hit never starts on a combining mark
    assert Matcher("🙂").find(text) == [
        (text.index("🙂"), text.index("🙂") + 1),
        (text.index("🙂") + 1, text.index("🙂") + 2),
    ]
    family = "👨\u200d👩\u200d👧"
    assert Matcher(family).find(text) == [(text.index(family), text.index(family) + 5)]
    assert Matcher("👨").find(text) == []  # one face of the family is not a character of its own
    assert Matcher("👍").find("👍🏽 👍") == [(3, 4)]


def test_whole_word_and_regex() -> None:
    text = "Терроризм, антитерроризм и террор_ист; террор!"
    assert hits("террор", text) == ["Террор", "террор", "террор", "террор"]
    assert hits("террор", text, whole_word=True) == ["террор"]  # `_` is a word character
    assert hits(r"террор\w*", text, regex=True) == ["Терроризм", "терроризм", "террор_ист", "террор"]
    assert hits(r"Террор\w*", text, regex=True, case_sensitive=True) == ["Терроризм"]
    assert hits(r"\bтеррор\w*", text, regex=True, whole_word=True) == ["Терроризм", "террор_ист", "террор"]
    assert hits(r"x*", text, regex=True) == []  # empty matches are no hits
    assert hits("[её]лка", "Ёлка елка", regex=True) == ["Ёлка", "елка"]
    assert hits("ёлка", "Ёлка елка", regex=True) == ["Ёлка", "елка"]  # ё in the pattern folds too


def test_a_rejected_hit_does_not_hide_the_next() -> None:
    assert Matcher("aa", SearchOptions(whole_word=True)).find("aaa aa") == [(4, 6)]
    assert Matcher("aa").find("aaaa") == [(0, 2), (2, 4)]  # hits do not overlap


def test_bad_patterns_are_user_errors() -> None:
    with pytest.raises(UserError, match="pattern is empty"):
        Matcher("")
    with pytest.raises(UserError, match=r"regular expression is invalid at position 5: missing \), unterminated"):
        Matcher("abc (d", SearchOptions(regex=True))


texts = st.text(alphabet=st.sampled_from(list("aAsSßẞeёЁЕе\u0308\u0301 🙂ﬁİİıſK")), max_size=40)


@settings(max_examples=300, deadline=None)
@given(texts, texts.filter(lambda p: p and p[0] not in "\u0308\u0301"), st.booleans(), st.booleans())
def test_every_hit_folds_to_the_pattern(text: str, pattern: str, case_sensitive: bool, yo: bool) -> None:
    matcher = Matcher(pattern, SearchOptions(case_sensitive=case_sensitive, fold_yo=yo))
    needle = fold(pattern, case_sensitive=case_sensitive, fold_yo=yo).text
    last = 0
    for start, end in matcher.find(text):
        assert last <= start < end <= len(text)
        assert fold(text[start:end], case_sensitive=case_sensitive, fold_yo=yo).text == needle
        last = end


@settings(max_examples=300, deadline=None)
@given(texts, texts.filter(bool), st.booleans(), st.booleans(), st.booleans())
def test_the_matcher_finds_what_brute_force_finds(
    text: str, pattern: str, case_sensitive: bool, yo: bool, whole_word: bool
) -> None:
    """Leftmost-first, non-overlapping: every original substring whose folded form is the pattern's."""
    matcher = Matcher(pattern, SearchOptions(case_sensitive=case_sensitive, fold_yo=yo, whole_word=whole_word))
    needle = fold(pattern, case_sensitive=case_sensitive, fold_yo=yo).text
    expected: list[tuple[int, int]] = []
    taken = 0
    for i in range(len(text)):
        if i < taken:
            continue
        for j in range(i + 1, len(text) + 1):
            piece = fold(text[i:j], case_sensitive=case_sensitive, fold_yo=yo).text
            if piece == needle and matcher._acceptable(text, i, j):
                expected.append((i, j))
                taken = j
                break
    assert matcher.find(text) == expected


def test_required_literals_for_the_index() -> None:
    assert required_literals(r"терроризм\w+") == ("терроризм",)
    assert required_literals(r"foo\d+bar(baz)+qux?") == ("foo", "bar", "baz", "qu")[:3]
    assert required_literals(r"\bwar\b on (terror)") == ("war on terror",)
    assert required_literals(r"abc|xyz") == ()  # an alternation: no single piece is certain
    assert required_literals(r"(?:abc)?xy") == ()
    assert required_literals(r"(?i)Москва\s+и\s+Минск") == ("Москва", "Минск")
    assert required_literals(r"[abc]+\d{3}") == ()
    assert required_literals(r"a(?=bcd)e") == ()
    assert required_literals("abc(") == ()  # invalid: nothing known (the matcher reports the error)
    assert required_literals("ёлка в лесу", regex=False, fold_yo=True) == ("лка в л",)  # е, ё: either
    assert required_literals("ёлка в лесу", regex=False) == ("ёлка в лесу",)
    assert required_literals("сельское", fold_yo=True) == ("льско",)
    assert required_literals("ещё", fold_yo=True) == ()  # е and ё split it into pieces shorter than 3
    assert required_literals("ab", regex=False) == ()
    assert folding_safe("Москва")
    assert not folding_safe("Strasse")
    assert not folding_safe("Straße")


@pytest.mark.filterwarnings("ignore::FutureWarning")  # random patterns such as "[[" warn
@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("abcxyz( )|*+?.[]\\d")), max_size=14), st.text(max_size=30))
def test_every_regex_match_contains_the_literals(pattern: str, filler: str) -> None:
    try:
        compiled = re.compile(pattern)
    except re.error:
        return
    for m in compiled.finditer("abcxyzab cxyz abc" + filler):
        if m.group(0):
            assert all(piece in m.group(0) for piece in required_literals(pattern))


def test_kwic_rows_count_code_points_and_keep_characters_whole() -> None:
    text = "Слева 🙂 e\u0301 угроза терроризма справа 👍🏽 конец"
    start = text.index("угроза")
    [row] = kwic_rows("doc-1", text, [(start, start + 6)], width=5)
    assert row == KwicRow("doc-1", start, start + 6, "🙂 e\u0301 ", "угроза", " терр")
    assert row.as_dict() == {
        "document": "doc-1",
        "start": start,
        "end": start + 6,
        "left": "🙂 e\u0301 ",
        "hit": "угроза",
        "right": " терр",
    }
    left, _ = context(text, start, start + 6, width=2)
    assert left == " "  # would have started on U+0301: starts after it instead
    cut = text.index("👍🏽")
    _, right = context(text, cut - 1, cut, width=1)
    assert right == "👍🏽"  # the skin-tone modifier stays with its hand
    assert kwic_rows(3, text, [(0, 5)], width=0)[0].left == ""
    with pytest.raises(ValueError, match="outside"):
        kwic_rows(3, text, [(0, 500)])
    assert one_line("a\nb\tc") == "a b c"


def test_extension_to_words_sentences_and_paragraphs() -> None:
    text = "Антитеррористическая операция 🙂 идёт. Вторая фраза про террор!\n\nНовый абзац: террор e\u0301 снова."
    start = text.index("террорис")
    assert text[slice(*to_words(text, start, start + 6))] == "Антитеррористическая"
    accent = text.index("e\u0301")
    assert to_words(text, accent, accent + 1) == (accent, accent + 2)  # the accent belongs to the word
    sentences = [0, text.index("Вторая"), text.index("Новый")]
    hits_ = [
        (start, start + 6),
        (text.index("про") + 4, text.index("про") + 10),
        (text.index("террор e"), text.index("террор e") + 6),
    ]
    assert [text[s:e] for s, e in extend_hits(text, hits_, "sentence", sentence_starts=sentences)] == [
        "Антитеррористическая операция 🙂 идёт.",
        "Вторая фраза про террор!",
        "Новый абзац: террор e\u0301 снова.",
    ]
    paragraphs = extend_hits(text, hits_, "paragraph")
    assert [text[s:e] for s, e in paragraphs] == [text[: text.index("\n")], text[text.index("Новый") :]]
    assert extend_hits(text, hits_ + hits_, "none") == sorted(hits_)  # each passage once
    across = to_units(text, start, text.index("Вторая") + 2, sentences)
    assert text[slice(*across)] == text[: text.index("!") + 1]
    with pytest.raises(ValueError, match="sentence_starts"):
        extend_hits(text, hits_, "sentence")
    with pytest.raises(ValueError, match="unknown extension"):
        extend_hits(text, hits_, "line")  # type: ignore[arg-type]
