"""The GUI's single crossing between stored offsets (code points) and Qt positions (UTF-16 units).

Every widget that turns a QTextCursor position into a stored offset, or back, goes through `Positions`,
which wraps `annotator.core.offsets.OffsetMap`. Nothing else in `annotator.gui` does offset arithmetic.
"""

from __future__ import annotations

import numpy as np

from annotator.core.offsets import OffsetMap, astral_positions


class Positions:
    """Offsets of one displayed document: stored code points <-> Qt UTF-16 positions."""

    def __init__(self, text: str) -> None:
        self.text = text
        astral = astral_positions(text)  # one C-speed scan; the array also serves array_to_qt
        self._map = OffsetMap(len(text), tuple(astral.tolist()))
        self._astral = astral

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
        if not len(self._astral):
            return cps
        return cps + np.searchsorted(self._astral, cps, "left")
