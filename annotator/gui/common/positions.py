"""The GUI's single crossing between stored offsets (code points) and Qt positions (UTF-16 units).

Every widget that turns a QTextCursor position into a stored offset, or back, goes through `Positions`,
which wraps `annotator.core.offsets.OffsetMap`. Nothing else in `annotator.gui` does offset arithmetic.
`Positions.step` moves a stored offset by what a reader calls one character (a grapheme cluster: a flag,
a letter with its combining accent, a ZWJ emoji family) or to the next word start or end, using Qt's
Unicode segmentation (QTextBoundaryFinder), so a boundary never lands inside a character.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QTextBoundaryFinder

from annotator.core.offsets import OffsetMap, astral_positions

_FINDER = {"grapheme": QTextBoundaryFinder.BoundaryType.Grapheme, "word": QTextBoundaryFinder.BoundaryType.Word}
_EDGE = {"start": QTextBoundaryFinder.BoundaryReason.StartOfItem, "end": QTextBoundaryFinder.BoundaryReason.EndOfItem}


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

    def step(self, cp: int, forward: bool, unit: str = "grapheme", edge: str = "start") -> int:
        """The next (forward) or previous grapheme boundary from stored offset `cp`; with unit="word" the
        next or previous word start (edge="start") or word end (edge="end"). `cp` if there is none."""
        span = 64 if unit == "grapheme" else 400
        n = len(self.text)
        while True:
            a, b = max(0, cp - span), min(n, cp + span)
            found = self._step_in(self.text[a:b], cp - a, forward, unit, edge)
            if found is None:
                if a == 0 and b == n:
                    return cp
            elif not ((found == 0 and a > 0) or (found == b - a and b < n)):
                return a + found
            span *= 4  # nothing found, or only the cut end of the piece looked at: look wider

    @staticmethod
    def _step_in(piece: str, cp: int, forward: bool, unit: str, edge: str) -> int | None:
        local = Positions(piece)
        finder = QTextBoundaryFinder(_FINDER[unit], piece)
        finder.setPosition(local.to_qt(cp))
        while True:
            q = finder.toNextBoundary() if forward else finder.toPreviousBoundary()
            if q < 0:
                return None
            if unit == "grapheme" or finder.boundaryReasons() & _EDGE[edge]:
                return local.to_store(q)
