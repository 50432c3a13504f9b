"""Working out what another tool's selection positions count, and converting them to ours.

REFI-QDA says positions are Unicode code points into the source's `.txt` file. In the wild they are
sometimes UTF-16 code units (NVivo for Windows), and sometimes counted on the file as written (with
`\\r\\n` line ends, two units each) and sometimes on text whose line ends were already normalised.
Our offsets are code points into the normalised text (BOM removed, `\\r\\n`/`\\r` -> `\\n`).

There is no flag that says which unit a producer used, so every plausible reading is tried on every
selection of the project and scored: a reading that puts an end beyond the text or splits a surrogate
pair is impossible; one that starts or ends selections in the middle of words is implausible; one
whose selected text matches the selection's `name` (ATLAS.ti puts the quoted text there) is
confirmed. The reading with the best total wins; ties go to the standard's reading.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass
from typing import TypeAlias

from annotator.core.offsets import OffsetMap

IMPOSSIBLE = 1000
INSIDE_CRLF = 5
INSIDE_WORD = 1
NAME_MATCH = -3
MARGIN = 2
FITS = 0


@dataclass(frozen=True)
class Reading:
    """One hypothesis: positions count `unit` ("cp" or "utf16") on the `raw` or normalised text."""

    unit: str
    raw: bool

    def describe(self) -> str:
        unit = "UTF-16 code units" if self.unit == "utf16" else "Unicode code points"
        basis = (
            "the text as stored in the file (\\r\\n counted as two)"
            if self.raw
            else ("the text with normalised line ends")
        )
        return f"{unit} on {basis}"

    def unit_name(self) -> str:
        return "UTF-16 units (as NVivo counts)" if self.unit == "utf16" else "Unicode code points (the standard)"

    def name(self, line_ends_matter: bool) -> str:
        """Short name for reports; the line-end basis is only named when the file has \\r\\n line ends."""
        if not line_ends_matter:
            return self.unit_name()
        basis = "on the text as stored (\\r\\n counted as two)" if self.raw else "with \\r\\n counted as one"
        return f"{self.unit_name()} {basis}"


STANDARD = Reading("cp", True)
READINGS = (STANDARD, Reading("cp", False), Reading("utf16", True), Reading("utf16", False))


@dataclass(frozen=True)
class Landing:
    """One selection under one reading: its normalised code-point span (None: impossible), its score.

    A selection *fits* a reading when the score is at most FITS: both ends inside the text, not
    between \\r and \\n, not in the middle of a word (or the file's quotation confirms the text).
    """

    span: tuple[int, int] | None
    score: int

    @property
    def fits(self) -> bool:
        return self.score <= FITS


class SourceText:
    """A source's text in the file's form (BOM removed, CRs kept) and in our normalised form."""

    def __init__(self, raw: str) -> None:
        self.raw = raw
        self.norm = raw.replace("\r\n", "\n").replace("\r", "\n")
        # Positions (in raw) of the CRs that vanish because a LF follows them.
        self._dropped_cr = [m.start() for m in re.finditer("\r\n", raw)]
        self._maps: dict[bool, OffsetMap] = {}

    def _map(self, raw: bool) -> OffsetMap:
        if raw not in self._maps:
            self._maps[raw] = OffsetMap.for_text(self.raw if raw else self.norm)
        return self._maps[raw]

    def has_cr(self) -> bool:
        return "\r" in self.raw

    def has_astral(self) -> bool:
        return bool(self._map(False).astral_positions)

    def convert(self, pos: int, reading: Reading) -> tuple[int, int] | None:
        """(normalised code-point offset, penalty) for `pos` under `reading`; None if impossible."""
        text = self.raw if reading.raw else self.norm
        penalty = 0
        if reading.unit == "utf16":
            omap = self._map(reading.raw)
            if not 0 <= pos <= omap.utf16_length:
                return None
            cp = omap.to_codepoint(pos)
            if omap.to_utf16(cp) != pos:
                return None  # inside a surrogate pair
        else:
            if not 0 <= pos <= len(text):
                return None
            cp = pos
        if reading.raw:
            dropped = bisect.bisect_left(self._dropped_cr, cp)
            if dropped < len(self._dropped_cr) and self._dropped_cr[dropped] == cp - 1:
                penalty += INSIDE_CRLF  # between \r and \n
            cp -= dropped
        return cp, penalty


def _wordish(ch: str) -> bool:
    return ch.isalnum() or unicodedata.category(ch).startswith("M")


def boundary_penalty(text: str, pos: int) -> int:
    """A selection edge between two letters/digits (or before a combining mark) looks wrong."""
    if pos <= 0 or pos >= len(text):
        return 0
    after = text[pos]
    if unicodedata.category(after).startswith("M"):
        return 2 * INSIDE_WORD
    return INSIDE_WORD if _wordish(text[pos - 1]) and _wordish(after) else 0


def _squash(text: str) -> str:
    return " ".join(text.split())


def name_bonus(name: str | None, selected: str) -> int:
    """ATLAS.ti names a quotation after its first words (cut with an ellipsis)."""
    if not name:
        return 0
    wanted = _squash(name.rstrip("…").removesuffix("..."))
    if len(wanted) < 4:
        return 0
    return NAME_MATCH if _squash(selected).startswith(wanted) else 0


def land(text: SourceText, reading: Reading, start: int, end: int, name: str | None) -> Landing:
    """Where one selection lands under `reading`, and how plausible that is."""
    a = text.convert(start, reading)
    b = text.convert(end, reading)
    if a is None or b is None or a[0] > b[0]:
        return Landing(None, IMPOSSIBLE)
    norm = text.norm
    penalty = a[1] + b[1] + boundary_penalty(norm, a[0]) + boundary_penalty(norm, b[0])
    return Landing((a[0], b[0]), penalty + name_bonus(name, norm[a[0] : b[0]]))


def score(text: SourceText, reading: Reading, start: int, end: int, name: str | None) -> int:
    return land(text, reading, start, end, name).score


Item: TypeAlias = tuple[SourceText, int, int, str | None]
Table: TypeAlias = dict[Reading, list[Landing]]


def landings(items: list[Item]) -> Table:
    """Every selection under every reading: the table both the choice and the report are made from."""
    return {reading: [land(t, reading, s, e, n) for t, s, e, n in items] for reading in READINGS}


def choose_reading(items: list[Item], table: Table | None = None) -> tuple[Reading, dict[Reading, int]]:
    """Pick the reading with the lowest total score over all selections.

    The standard reading is kept unless another one is better by at least MARGIN points, so a
    handful of sloppy (mid-word) selections in a conforming file cannot flip the decision.
    """
    table = table if table is not None else landings(items)
    totals = {reading: sum(landing.score for landing in table[reading]) for reading in READINGS}
    best = min(READINGS, key=lambda r: (totals[r], READINGS.index(r)))
    if best != STANDARD and totals[STANDARD] - totals[best] < MARGIN:
        best = STANDARD
    return best, totals
