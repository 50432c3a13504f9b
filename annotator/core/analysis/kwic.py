"""Keyword-in-context rows: each hit with the text on its left and right, as the analyst reads them.

Context is counted in code points like every offset, but never cuts a character in two: the left
context does not begin with a combining mark, skin tone or joined emoji (it starts after them) and
the right context keeps what belongs to its last character. Texts keep their line breaks (the JSON
output is exact); `one_line` makes a row printable on one terminal line without changing lengths.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass

from annotator.core.analysis.matching import joins_previous

DEFAULT_WIDTH = 60
_FLATTEN = str.maketrans({"\n": " ", "\t": " ", "\r": " ", "\u2028": " ", "\u2029": " "})


@dataclass(frozen=True)
class KwicRow:
    """One hit: `document` as the caller names it (id or name), offsets in code points."""

    document: object
    start: int
    end: int
    left: str
    hit: str
    right: str

    def as_dict(self) -> dict[str, object]:
        """The JSON object of `search --json`: keys document, start, end, left, hit, right."""
        return asdict(self)


def context(text: str, start: int, end: int, width: int = DEFAULT_WIDTH) -> tuple[str, str]:
    """(left, right): up to `width` code points either side of [start, end), whole characters only."""
    if width < 0:
        raise ValueError("context width must be >= 0")
    lo = max(0, start - width)
    while lo < start and joins_previous(text, lo):
        lo += 1
    hi = min(len(text), end + width)
    while hi < len(text) and hi > end and joins_previous(text, hi):
        hi += 1
    return text[lo:start], text[end:hi]


def kwic_rows(
    document: object, text: str, hits: Iterable[tuple[int, int]], width: int = DEFAULT_WIDTH
) -> list[KwicRow]:
    """One row per hit of one document (hits as (start, end) code points into `text`)."""
    out: list[KwicRow] = []
    for start, end in hits:
        if not 0 <= start <= end <= len(text):
            raise ValueError(f"hit ({start}, {end}) lies outside a text of {len(text)} characters")
        left, right = context(text, start, end, width)
        out.append(KwicRow(document, start, end, left, text[start:end], right))
    return out


def one_line(text: str) -> str:
    """Line breaks and tabs as spaces (same length), so a KWIC row prints as one aligned line."""
    return text.translate(_FLATTEN)
