"""Which unit a `.qdpx` we write counts selection positions in: the standard's, or NVivo's.

REFI-QDA 1.5 counts positions in Unicode code points (§10.2). NVivo for Windows counts UTF-16 code
units, both in what it writes (300 of the 303 selections of a real NVivo 12 export fit that reading,
49 the code-point one) and in what it reads, so every selection after an emoji arrives shifted when a
standard file is opened there. Our writer therefore offers two flavours that differ only in the unit:

- "standard": code points, as the standard says;
- "nvivo": UTF-16 code units (an emoji or other character beyond U+FFFF counts as two).

Everything else (layout, `\\n` line ends, UTF-8 without BOM) is the same. The flavour is written into
the project's `origin` attribute, so our own reader takes the positions as written instead of guessing.
"""

from __future__ import annotations

from typing import Literal

from annotator.core.exchange.refi_positions import STANDARD, Reading
from annotator.core.offsets import OffsetMap

Flavour = Literal["standard", "nvivo"]
FLAVOURS: tuple[Flavour, ...] = ("standard", "nvivo")
DEFAULT_FLAVOUR: Flavour = "standard"

ORIGIN = "annotator"  # the reader trusts positions in files whose origin starts with this
_NVIVO_ORIGIN = f"{ORIGIN}; positions in UTF-16 units (for NVivo)"
UTF16_READING = Reading("utf16", True)  # our text has no \r, so the line-end basis does not matter

# Short labels (CLI help, dialog buttons) and the one sentence on when to pick which.
LABELS: dict[Flavour, str] = {
    "standard": "Standard REFI-QDA: positions in Unicode code points",
    "nvivo": "NVivo: positions in UTF-16 units (an emoji counts as two)",
}
WHEN_TO_PICK = (
    "Pick NVivo when the file is for NVivo or QualCoder, which count an emoji as two characters; "
    "pick Standard for MAXQDA, ATLAS.ti, annotator and any other tool."
)


def check_flavour(flavour: str) -> Flavour:
    """`flavour` as a Flavour, or ValueError naming the valid ones."""
    for known in FLAVOURS:
        if flavour == known:
            return known
    raise ValueError(f"unknown REFI-QDA flavour {flavour!r}; use one of: {', '.join(FLAVOURS)}")


def origin_for(flavour: Flavour) -> str:
    """The `origin` attribute that tells our reader (and a curious user) which unit the file counts."""
    return _NVIVO_ORIGIN if check_flavour(flavour) == "nvivo" else ORIGIN


def declared_reading(origin: str | None) -> Reading | None:
    """The reading a file written by annotator declares through its origin; None for other tools."""
    if not (origin or "").startswith(ORIGIN):
        return None
    return UTF16_READING if "UTF-16" in (origin or "") else STANDARD


class PositionWriter:
    """Turns our code-point offsets into the positions a flavour writes, for one source text."""

    def __init__(self, text: str, flavour: Flavour) -> None:
        self._map = OffsetMap.for_text(text) if check_flavour(flavour) == "nvivo" else None

    def __call__(self, offset: int) -> int:
        return offset if self._map is None else self._map.to_utf16(offset)
