"""Character alignment of two versions of a document text, fast enough for megabyte documents.

Re-anchoring spans needs to know, for every character of the old text, whether it survives in the new
text and where. One exact character diff of two whole texts is quadratic (rapidfuzz's `Indel` and
`difflib.SequenceMatcher` alike), and difflib's `autojunk` ignores every frequent character of a long
text, so neither can be run on a whole document. `align` therefore narrows the problem down first:

1. Common prefix and suffix of a region are equal (checked with C-speed `startswith`/`endswith`).
2. Patience diff: a key that occurs exactly once on each side of a region is an anchor (matching it is
   never a guess); the longest chain of anchors in the same order on both sides is kept, and the
   regions between anchors are aligned the same way, from step 1. Keys, coarse to fine: lines; runs of
   8 words (prose without line breaks, or with a small vocabulary, has few unique lines or words but
   hardly a repeated run of 8 words); runs of 8 characters, in regions of at most 20,000 characters a
   side (language-independent, and the step that finds a short passage that survived next to a large
   edit).
3. A region without any anchor (or too small to have one) is diffed character by character with
   rapidfuzz's `Indel` (an exact longest common subsequence). Equal runs amid replaced text that are no
   longer than the edits on both their sides are then dropped (diff-match-patch's "semantic cleanup"):
   a few letters shared by a rewritten phrase are not evidence that a passage survived. The anchors of
   step 2 matter here: a longest common subsequence alone would rather scatter a short new text over
   the letters of a long deleted one than match it where it really survived.
4. A pure insertion or deletion between two equal blocks can often sit in several places ("gamma delta"
   minus " delta" is also "gamm" + "a" minus "a delt"); each is slid to where its edges fall on the
   strongest boundaries (line break, then whitespace, then punctuation), so a deleted word is deleted
   whole and a span on it is lost rather than kept on a stray letter.
5. A region too large for step 3 (no unique line, run of words or run of characters shared, and more
   than about 20,000 characters a side) is taken as rewritten: its characters count as deleted and
   inserted.

The result is a list of equal blocks, strictly increasing in both texts and never adjacent, whose text
is identical in both versions: everything else was deleted, inserted or replaced.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import accumulate, pairwise

from rapidfuzz.distance import Indel

# Regions up to this many cells (old length x new length) go straight to the character diff.
DIRECT_CELLS = 2_500
# Regions without any anchor are diffed by character up to this size; larger ones count as rewritten.
MAX_CHAR_CELLS = 400_000_000
RUN = 8  # tokens per key of the word and character levels

_WORDS = re.compile(r"\s+|\S+\s*")


def _line_offsets(text: str) -> list[int]:
    return _offsets(text.splitlines(keepends=True))


def _word_offsets(text: str) -> list[int]:
    return _offsets(_WORDS.findall(text))


def _char_offsets(text: str) -> list[int]:
    return list(range(len(text) + 1))


@dataclass(frozen=True)
class _Level:
    """One kind of anchor key: `width` consecutive tokens, with token boundaries from `offsets`."""

    offsets: Callable[[str], list[int]]
    width: int
    max_chars: int | None = None  # only for regions with at most this many characters a side
    sampled: bool = False  # keys only where the first token's length is a multiple of 4 (see _unique_keys)


_LEVELS = (
    _Level(_line_offsets, 1),
    _Level(_word_offsets, RUN, sampled=True),
    _Level(_char_offsets, RUN, max_chars=20_000),
)

Block = tuple[int, int, int]  # (old_start, new_start, length)


@dataclass(frozen=True)
class Alignment:
    """Equal blocks between an old and a new text, with look-ups by old offset.

    `blocks` holds (old_start, new_start, length), increasing in both texts; the characters
    `old[old_start:old_start + length]` and `new[new_start:new_start + length]` are identical. Every old
    character outside the blocks was deleted or replaced; every new character outside them was inserted.
    """

    old_length: int
    new_length: int
    blocks: tuple[Block, ...]
    # Sentinel blocks of length 0 at (0, 0) and at the two ends make every gap lie between two blocks.
    _old_starts: list[int] = field(init=False, repr=False, compare=False)
    _old_ends: list[int] = field(init=False, repr=False, compare=False)
    _new_starts: list[int] = field(init=False, repr=False, compare=False)
    _matched_before: list[int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        full = [(0, 0, 0), *self.blocks, (self.old_length, self.new_length, 0)]
        matched = [0]
        for _, _, n in full:
            matched.append(matched[-1] + n)
        object.__setattr__(self, "_old_starts", [b[0] for b in full])
        object.__setattr__(self, "_old_ends", [b[0] + b[2] for b in full])
        object.__setattr__(self, "_new_starts", [b[1] for b in full])
        object.__setattr__(self, "_matched_before", matched)

    def _block_at(self, p: int) -> int:
        """Index (into the sentinel-extended lists) of the last block starting at or before old offset p."""
        return bisect.bisect_right(self._old_starts, p) - 1

    def new_position(self, p: int) -> int | None:
        """New offset of old character `p`, or None when it did not survive."""
        k = self._block_at(p)
        if p < self._old_ends[k]:
            return self._new_starts[k] + p - self._old_starts[k]
        return None

    def equal_run(self, start: int, end: int) -> int | None:
        """New start of old[start:end] when the whole range lies in one equal block, else None."""
        k = self._block_at(start)
        if end <= self._old_ends[k] and start < self._old_ends[k]:
            return self._new_starts[k] + start - self._old_starts[k]
        return None

    def survivors(self, start: int, end: int) -> int:
        """How many characters of old[start:end] survive in the new text."""
        return self._matched_upto(end) - self._matched_upto(start)

    def _matched_upto(self, p: int) -> int:
        """Number of surviving old characters before old offset p."""
        k = self._block_at(p)
        return self._matched_before[k] + min(p, self._old_ends[k]) - self._old_starts[k]

    def map_start(self, start: int) -> int:
        """New offset for a span starting at old offset `start` (see reanchor's module docstring)."""
        k = self._block_at(start)
        if start < self._old_ends[k]:
            return self._new_starts[k] + start - self._old_starts[k]
        # `start` is in deleted or replaced text (the gap between blocks k and k + 1).
        if start == self._old_ends[k]:
            return self._new_starts[k] + self._old_ends[k] - self._old_starts[k]  # take the replacement in
        return self._new_starts[k + 1]

    def map_end(self, end: int) -> int:
        """New offset for a span ending (exclusively) at old offset `end`."""
        k = self._block_at(end - 1)
        if end - 1 < self._old_ends[k]:
            return self._new_starts[k] + end - self._old_starts[k]
        if end == self._old_starts[k + 1]:
            return self._new_starts[k + 1]  # the span covers a replaced piece up to its end: take it in
        return self._new_starts[k] + self._old_ends[k] - self._old_starts[k]

    def aligned_before(self, p: int) -> tuple[int, int]:
        """The nearest old offset <= p that is aligned (inside or at the edge of a block) and its new offset."""
        k = self._block_at(p)
        q = min(p, self._old_ends[k])
        return q, self._new_starts[k] + q - self._old_starts[k]

    def aligned_after(self, p: int) -> tuple[int, int]:
        """The nearest old offset >= p that is aligned, and its new offset."""
        k = self._block_at(p)
        if p <= self._old_ends[k]:
            return p, self._new_starts[k] + p - self._old_starts[k]
        return self._old_starts[k + 1], self._new_starts[k + 1]


def align(old: str, new: str) -> Alignment:
    """Align two versions of a text: the equal blocks of a character diff (see the module docstring)."""
    blocks: list[Block] = []
    stack = [(0, len(old), 0, len(new))]
    while stack:
        a_lo, a_hi, b_lo, b_hi = stack.pop()
        _align_region(old, new, a_lo, a_hi, b_lo, b_hi, blocks, stack)
    blocks.sort()
    return Alignment(
        len(old), len(new), tuple(_merge_adjacent(_slide_to_boundaries(old, new, _merge_adjacent(blocks))))
    )


def _align_region(
    old: str,
    new: str,
    a_lo: int,
    a_hi: int,
    b_lo: int,
    b_hi: int,
    blocks: list[Block],
    stack: list[tuple[int, int, int, int]],
) -> None:
    """Align old[a_lo:a_hi] with new[b_lo:b_hi]: equal ends, then anchors (regions between them are
    queued on `stack`) or a character diff; steps 1-3 and 5 of the module docstring."""
    p = _common_prefix(old, new, a_lo, a_hi, b_lo, b_hi)
    if p:
        blocks.append((a_lo, b_lo, p))
        a_lo, b_lo = a_lo + p, b_lo + p
    s = _common_suffix(old, new, a_lo, a_hi, b_lo, b_hi)
    if s:
        blocks.append((a_hi - s, b_hi - s, s))
        a_hi, b_hi = a_hi - s, b_hi - s
    cells = (a_hi - a_lo) * (b_hi - b_lo)
    if cells == 0:
        return
    a, b = old[a_lo:a_hi], new[b_lo:b_hi]
    if cells <= DIRECT_CELLS or min(len(a), len(b)) < RUN:
        blocks.extend(_char_blocks(a, b, a_lo, b_lo))
        return
    for level in _LEVELS:
        if level.max_chars is not None and max(len(a), len(b)) > level.max_chars:
            continue
        if _anchor(a, b, level, (a_lo, a_hi, b_lo, b_hi), blocks, stack):
            return
    if cells <= MAX_CHAR_CELLS:
        blocks.extend(_char_blocks(a, b, a_lo, b_lo))


def _anchor(
    a: str,
    b: str,
    level: _Level,
    region: tuple[int, int, int, int],
    blocks: list[Block],
    stack: list[tuple[int, int, int, int]],
) -> bool:
    """Match the keys unique on both sides (patience diff); queue the regions between them.

    A key is `width` consecutive tokens; keys of neighbouring positions overlap, so an anchor that
    overlaps the previous one is skipped (the region between them starts with equal text anyway).
    """
    a_lo, a_hi, b_lo, b_hi = region
    width = level.width
    off_a, off_b = level.offsets(a), level.offsets(b)
    unique_a, unique_b = _unique_keys(a, off_a, width, level.sampled), _unique_keys(b, off_b, width, level.sampled)
    pairs = sorted((unique_a[key], unique_b[key]) for key in unique_a.keys() & unique_b.keys())
    chain = _longest_increasing(pairs)
    if not chain:
        return False
    prev_a, prev_b = a_lo, b_lo
    for i, j in chain:
        start_a, start_b = a_lo + off_a[i], b_lo + off_b[j]
        if start_a < prev_a or start_b < prev_b:
            continue
        if start_a > prev_a or start_b > prev_b:
            stack.append((prev_a, start_a, prev_b, start_b))
        blocks.append((start_a, start_b, off_a[i + width] - off_a[i]))
        prev_a, prev_b = a_lo + off_a[i + width], b_lo + off_b[j + width]
    if a_hi > prev_a or b_hi > prev_b:
        stack.append((prev_a, a_hi, prev_b, b_hi))
    return True


def _offsets(tokens: list[str]) -> list[int]:
    """Start of every token, then the end of the last one."""
    return list(accumulate(map(len, tokens), initial=0))


def _unique_keys(text: str, offsets: list[int], width: int, sampled: bool) -> dict[str, int]:
    """Keys (`width` consecutive tokens) that occur once in `text`, with their token index.

    Sampled keys start only where the first token's length is a multiple of 4: every occurrence of a
    key starts with the same token, so uniqueness among these keys is uniqueness in the text, at a
    quarter of the cost (regions between anchors are aligned anyway).
    """
    n = len(offsets) - width
    starts = [i for i in range(n) if not (offsets[i + 1] - offsets[i]) & 3] if sampled else range(n)
    keys = [text[offsets[i] : offsets[i + width]] for i in starts]
    counts = Counter(keys)
    return {key: i for key, i in zip(keys, starts, strict=True) if counts[key] == 1}


def _longest_increasing(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Longest chain of pairs increasing in their second item (pairs come sorted by the first)."""
    seconds = [j for _, j in pairs]
    if seconds == sorted(seconds):  # the usual case: nothing was moved
        return pairs
    tails: list[int] = []  # tails[k]: smallest second item ending a chain of length k + 1
    tail_index: list[int] = []
    back: list[int] = []
    for n, (_, j) in enumerate(pairs):
        k = bisect.bisect_left(tails, j)
        back.append(tail_index[k - 1] if k else -1)
        if k == len(tails):
            tails.append(j)
            tail_index.append(n)
        else:
            tails[k] = j
            tail_index[k] = n
    chain: list[tuple[int, int]] = []
    n = tail_index[-1] if tail_index else -1
    while n >= 0:
        chain.append(pairs[n])
        n = back[n]
    chain.reverse()
    return chain


def _char_blocks(a: str, b: str, a_lo: int, b_lo: int) -> list[Block]:
    runs = [(op.src_start, op.dest_start, op.src_end - op.src_start) for op in Indel.opcodes(a, b) if op.tag == "equal"]
    return [(a_lo + i, b_lo + j, n) for i, j, n in _semantic_cleanup(runs, len(a), len(b))]


def _semantic_cleanup(runs: list[Block], len_a: int, len_b: int) -> list[Block]:
    """Drop equal runs amid replaced text that are no longer than the larger edit on each of their sides.

    Only a run with deleted and inserted text around it is judged: text that was merely inserted
    around, or deleted around, a run does not make the run a coincidence. Each drop merges the edits
    around the run, so the neighbours are judged again on the next pass, until nothing changes.
    """
    changed = True
    while changed:
        changed = False
        kept: list[Block] = []
        for k, (i, j, n) in enumerate(runs):
            prev_a, prev_b = (kept[-1][0] + kept[-1][2], kept[-1][1] + kept[-1][2]) if kept else (0, 0)
            next_a, next_b, _ = runs[k + 1] if k + 1 < len(runs) else (len_a, len_b, 0)
            del_before, ins_before = i - prev_a, j - prev_b
            del_after, ins_after = next_a - i - n, next_b - j - n
            replaced = del_before + del_after > 0 and ins_before + ins_after > 0
            if replaced and n <= max(del_before, ins_before) and n <= max(del_after, ins_after):
                changed = True
                continue
            kept.append((i, j, n))
        runs = kept
    return runs


def _common_prefix(old: str, new: str, a_lo: int, a_hi: int, b_lo: int, b_hi: int) -> int:
    """Length of the common prefix of old[a_lo:a_hi] and new[b_lo:b_hi]: gallop, then bisect."""
    limit = min(a_hi - a_lo, b_hi - b_lo)
    good, step = 0, 16
    while good < limit:
        probe = min(limit, good + step)
        if new.startswith(old[a_lo + good : a_lo + probe], b_lo + good, b_hi):
            good, step = probe, step * 2
            continue
        lo, hi = good, probe - 1  # the answer lies in [good, probe - 1]
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if new.startswith(old[a_lo + good : a_lo + mid], b_lo + good, b_hi):
                lo = mid
            else:
                hi = mid - 1
        return lo
    return good


def _common_suffix(old: str, new: str, a_lo: int, a_hi: int, b_lo: int, b_hi: int) -> int:
    """Length of the common suffix of old[a_lo:a_hi] and new[b_lo:b_hi]: gallop, then bisect."""
    limit = min(a_hi - a_lo, b_hi - b_lo)
    good, step = 0, 16
    while good < limit:
        probe = min(limit, good + step)
        if new.endswith(old[a_hi - probe : a_hi - good], b_lo, b_hi - good):
            good, step = probe, step * 2
            continue
        lo, hi = good, probe - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if new.endswith(old[a_hi - mid : a_hi - good], b_lo, b_hi - good):
                lo = mid
            else:
                hi = mid - 1
        return lo
    return good


SLIDE_LIMIT = 64  # how far an insertion or deletion is slid at most, each way


def _slide_to_boundaries(old: str, new: str, blocks: list[Block]) -> list[Block]:
    """Move each pure insertion or deletion between two blocks to its best-scoring equivalent place.

    Sliding by d moves the gap along text that equals it (the left block grows by d, the right one
    starts d later), so every block still holds equal text; a block slid down to nothing is dropped.
    """
    out = [list(b) for b in blocks]
    for left, right in pairwise(out):
        gap_old = right[0] - left[0] - left[2]
        gap_new = right[1] - left[1] - left[2]
        if (gap_old == 0) == (gap_new == 0):
            continue  # a replacement, or no gap: nothing to slide
        text, g0, g1 = (old, left[0] + left[2], right[0]) if gap_old else (new, left[1] + left[2], right[1])
        back = 0
        while back < min(SLIDE_LIMIT, left[2]) and text[g0 - 1 - back] == text[g1 - 1 - back]:
            back += 1
        ahead = 0
        while ahead < min(SLIDE_LIMIT, right[2]) and text[g0 + ahead] == text[g1 + ahead]:
            ahead += 1
        if not back and not ahead:
            continue
        best = max(range(-back, ahead + 1), key=lambda d: (_boundary(text, g0 + d) + _boundary(text, g1 + d), -abs(d)))
        left[2] += best
        right[0] += best
        right[1] += best
        right[2] -= best
    return [(i, j, n) for i, j, n in out if n]


def _boundary(text: str, x: int) -> int:
    """How natural a place offset x is for an edit to begin or end (diff-match-patch's scores, simplified)."""
    if x <= 0 or x >= len(text):
        return 6
    before, after = text[x - 1], text[x]
    if before == "\n" or after == "\n":
        return 4
    if before.isspace() or after.isspace():
        return 2
    if not before.isalnum() or not after.isalnum():
        return 1
    return 0


def _merge_adjacent(blocks: list[Block]) -> list[Block]:
    out: list[Block] = []
    for i, j, n in blocks:
        if n == 0:
            continue
        if out and out[-1][0] + out[-1][2] == i and out[-1][1] + out[-1][2] == j:
            pi, pj, pn = out[-1]
            out[-1] = (pi, pj, pn + n)
        else:
            out.append((i, j, n))
    return out
