"""The GUI's single crossing between stored offsets (code points) and Qt positions (UTF-16 units).

Every widget that turns a QTextCursor position into a stored offset, or back, goes through `Positions`,
which wraps `annotator.core.offsets.OffsetMap`. Nothing else in `annotator.gui` does offset arithmetic.
"""

from __future__ import annotations

import numpy as np

from annotator.core.offsets import OffsetMap


class Positions:
    """Offsets of one displayed document: stored code points <-> Qt UTF-16 positions."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._map = OffsetMap.for_text(text)
        self._astral: np.ndarray | None = None

    @property
    def qt_length(self) -> int:
        return self._map.utf16_length

    def to_qt(self, cp: int) -> int:
        return self._map.to_utf16(cp)

    def to_store(self, u16: int) -> int:
        return self._map.to_codepoint(u16)

    def range_to_qt(self, start: int, end: int) -> tuple[int, int]:
        return self._map.to_utf16(start), self._map.to_utf16(end)

    def range_to_store(self, q_start: int, q_end: int) -> tuple[int, int]:
        """A Qt selection as stored offsets; an end inside a surrogate pair rounds up to keep the character."""
        start = self._map.to_codepoint(q_start)
        end = self._map.to_codepoint(q_end)
        if self._map.to_utf16(end) < q_end:
            end += 1
        return start, end

    def array_to_qt(self, cps: np.ndarray) -> np.ndarray:
        """Many stored offsets at once (vectorised `to_qt`; the identity for text without astral characters)."""
        if len(cps) and (int(cps.min()) < 0 or int(cps.max()) > self._map.text_length):
            bad = int(cps.min()) if int(cps.min()) < 0 else int(cps.max())
            raise ValueError(f"code-point offset {bad} outside 0..{self._map.text_length}")
        astral = self._map.astral_positions
        if not astral:
            return cps
        if self._astral is None:
            self._astral = np.asarray(astral, np.int64)
        return cps + np.searchsorted(self._astral, cps, "left")
