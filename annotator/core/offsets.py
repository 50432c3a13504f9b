"""The one place where code-point offsets meet UTF-16 offsets.

Stored offsets are code points into the stored text (Python slicing). Qt's QTextDocument counts UTF-16
code units, in which an astral character (emoji, rare CJK, ...) takes two units. Stored text never
contains `\\r`, so Qt's paragraph separators map one-to-one onto `\\n` and need no conversion here.

`OffsetMap` keeps a sorted table of the code-point positions of astral characters, so a conversion is a
binary search: O(log k) for k astral characters, and O(1) memory for text without any.

Finding them must not cost a Python step per character (a 1 MB document is opened often): ASCII text is
known to have none in O(1) (`str.isascii`), other text is encoded once to UTF-32 (at C speed) and
scanned with numpy.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

import numpy as np


def astral_positions(text: str) -> np.ndarray:
    """Sorted code-point positions of the astral characters of `text` (int64 array)."""
    if text.isascii():
        return np.empty(0, np.int64)
    units = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), np.uint32)
    return np.flatnonzero(units > 0xFFFF).astype(np.int64, copy=False)


@dataclass(frozen=True)
class OffsetMap:
    """Converts offsets between code points and UTF-16 units for one text."""

    text_length: int
    astral_positions: tuple[int, ...] = field(default=())

    @classmethod
    def for_text(cls, text: str) -> OffsetMap:
        return cls(len(text), tuple(astral_positions(text).tolist()))

    @property
    def utf16_length(self) -> int:
        return self.text_length + len(self.astral_positions)

    def to_utf16(self, cp: int) -> int:
        """UTF-16 offset of code-point offset `cp` (every astral char before `cp` adds one unit)."""
        if not 0 <= cp <= self.text_length:
            raise ValueError(f"code-point offset {cp} outside 0..{self.text_length}")
        return cp + bisect.bisect_left(self.astral_positions, cp)

    def to_codepoint(self, u16: int) -> int:
        """Code-point offset of UTF-16 offset `u16`; a position inside a surrogate pair rounds down."""
        if not 0 <= u16 <= self.utf16_length:
            raise ValueError(f"UTF-16 offset {u16} outside 0..{self.utf16_length}")
        # Astral char number i (0-based) at code point p starts at UTF-16 unit p + i.
        lo, hi = 0, len(self.astral_positions)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.astral_positions[mid] + mid < u16:
                lo = mid + 1
            else:
                hi = mid
        # lo astral characters start strictly before u16.
        cp = u16 - lo
        if lo and self.astral_positions[lo - 1] + (lo - 1) + 1 == u16:
            # u16 points at the low surrogate of astral char lo-1: round down to its start.
            cp = self.astral_positions[lo - 1]
        return cp


def utf16_to_codepoint(text: str, u16: int) -> int:
    """Convenience for one-off conversions (builds a map; use OffsetMap for many)."""
    return OffsetMap.for_text(text).to_codepoint(u16)


def codepoint_to_utf16(text: str, cp: int) -> int:
    """Convenience for one-off conversions (builds a map; use OffsetMap for many)."""
    return OffsetMap.for_text(text).to_utf16(cp)
