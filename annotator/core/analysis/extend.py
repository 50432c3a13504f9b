"""Autocode's extension rules: grow a search hit to whole words, its sentence or its paragraph.

A hit for "террор" inside "терроризм" is rarely what a coder would mark; coding the word, the
sentence or the paragraph is. Extension never shrinks a hit, and several hits that grow into the
same passage give that passage once (autocode then skips passages already coded).

- word: outwards while the neighbour is a word character (letters, digits, `_`, combining marks);
- sentence: from the start of the sentence holding the hit's first character to the end of the one
  holding its last, trailing whitespace left out. Sentence starts come from the caller (the
  project's sentence splitter, `core.segment`), so autocode and agreement agree on sentences;
- paragraph: the same with paragraphs, which are runs of non-blank lines (`units.paragraph_bounds`).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from typing import Literal

from annotator.core.analysis.matching import is_word_char
from annotator.core.analysis.units import paragraph_bounds

Extension = Literal["none", "word", "sentence", "paragraph"]
EXTENSIONS: tuple[Extension, ...] = ("none", "word", "sentence", "paragraph")


def extend_hits(
    text: str,
    hits: Iterable[tuple[int, int]],
    how: Extension,
    *,
    sentence_starts: Sequence[int] | None = None,
) -> list[tuple[int, int]]:
    """The hits grown by `how`, sorted, each resulting passage once."""
    if how not in EXTENSIONS:
        raise ValueError(f"unknown extension {how!r}; choose from {', '.join(EXTENSIONS)}")
    hits = list(hits)
    if how == "none":
        grown = hits
    elif how == "word":
        grown = [to_words(text, s, e) for s, e in hits]
    elif how == "sentence":
        if sentence_starts is None:
            raise ValueError("extending to sentences needs sentence_starts (from the sentence splitter)")
        grown = [to_units(text, s, e, list(sentence_starts)) for s, e in hits]
    else:
        starts = [s for s, _ in paragraph_bounds(text)]
        grown = [to_units(text, s, e, starts) for s, e in hits]
    return sorted(set(grown))


def to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """[start, end) grown to whole words."""
    while start > 0 and is_word_char(text[start - 1]) and is_word_char(text[start]):
        start -= 1
    while end < len(text) and end > 0 and is_word_char(text[end]) and is_word_char(text[end - 1]):
        end += 1
    return start, end


def to_units(text: str, start: int, end: int, unit_starts: Sequence[int]) -> tuple[int, int]:
    """[start, end) grown to the units (sentences, paragraphs) it touches, trailing whitespace left out.

    A unit runs from its start to the next unit's start; text before the first start belongs to the
    first unit.
    """
    if not unit_starts:
        return start, end
    first = max(bisect.bisect_right(unit_starts, start) - 1, 0)
    last = max(bisect.bisect_right(unit_starts, max(end - 1, start)) - 1, 0)
    unit_start = unit_starts[first] if first > 0 or unit_starts[0] <= start else start
    unit_end = unit_starts[last + 1] if last + 1 < len(unit_starts) else len(text)
    while unit_end > end and text[unit_end - 1].isspace():
        unit_end -= 1
    return min(start, unit_start), max(end, unit_end)
