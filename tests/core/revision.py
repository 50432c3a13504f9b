"""Edit scripts with known ground truth, for the re-anchoring tests.

An edit is (position, deleted length, inserted text) on the OLD text; the edits of one script do not
overlap. Knowing the script, a test knows which spans were untouched (and where their text went),
which lost all their characters, and which were edited.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

Edit = tuple[int, int, str]


def apply_edits(old: str, edits: list[Edit]) -> str:
    """The new text: edits applied back to front (so positions stay those of the old text)."""
    ordered = sorted(edits)
    for (p1, d1, _), (p2, _, _) in itertools.pairwise(ordered):
        assert p1 < p2, f"two edits at {p1}"
        assert p1 + d1 <= p2, f"edits at {p1} and {p2} overlap"
    text = old
    for pos, delete, insert in reversed(ordered):
        text = text[:pos] + insert + text[pos + delete :]
    return text


@dataclass(frozen=True)
class Truth:
    kind: str  # "untouched", "deleted" (every character deleted) or "edited"
    start: int | None = None  # new offsets of an untouched span
    end: int | None = None


def truth(edits: list[Edit], start: int, end: int) -> Truth:
    """What the script did to old[start:end]."""
    deleted = 0
    touched = False
    for pos, delete, insert in edits:
        lo, hi = max(pos, start), min(pos + delete, end)
        if hi > lo:
            deleted += hi - lo
            touched = True
        if insert and start < pos < end:
            touched = True
    if not touched:
        shift = sum(len(ins) - d for p, d, ins in edits if p + d <= start)
        return Truth("untouched", start + shift, end + shift)
    return Truth("deleted" if deleted == end - start else "edited")
