"""Finding a search pattern in a text, with offsets into the ORIGINAL text even when folding changes it.

Case-insensitive matching compares `str.casefold()` forms, which handles Cyrillic, Greek and
German (`"STRASSE"` finds `"straße"`); `ё`/`Ё` fold to `е`/`Е` when `fold_yo` is on (by default it
is on exactly when the pattern contains Cyrillic, because Russian texts write `ё` and `е`
interchangeably), including `е` + combining diaeresis. Folding can change lengths (`ß` -> `ss`), so
matching runs on a folded *view* of the text that remembers where folding changed a length; hits are
mapped back through it. Text whose folded form has the same length as the original needs nothing
(the mapping is the identity); otherwise only the few characters that expand (found with one regex,
not a Python step per character) are remembered, and a position maps back with one binary search.

Rules a hit obeys, whatever the options:
- it covers at least one character, and hits do not overlap (the leftmost acceptable one wins);
- it never covers part of what one original character folded into (`s` does not find half of `ß`);
- it never cuts a character in two: it may not start on a combining mark (or skin tone, joiner,
  variation selector), nor end just before one (searching `e` does not find the `e` of `e` + U+0301,
  nor `👨` the first face of the family `👨‍👩‍👧`);
- with `whole_word`, the characters just outside it are not word characters (letters, digits, `_`
  and combining marks).

Regular expressions run on the `ё`-folded text, case-insensitively with `re.IGNORECASE` unless
`case_sensitive`; Python's regex engine folds case character by character, so there `ß` and `ss`
stay different.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from annotator.core.errors import UserError

_CYRILLIC = re.compile(r"[\u0400-\u04ff\u0500-\u052f\u2de0-\u2dff\ua640-\ua69f]")
_DIAERESIS = "\u0308"
_ZWJ = "\u200d"
_DECOMPOSED_YO = re.compile("([еЕ])\u0308")


@dataclass(frozen=True)
class SearchOptions:
    """The options of `search` / `autocode`; `fold_yo=None` means on for a pattern with Cyrillic."""

    regex: bool = False
    whole_word: bool = False
    case_sensitive: bool = False
    fold_yo: bool | None = None


def has_cyrillic(text: str) -> bool:
    return _CYRILLIC.search(text) is not None


def is_mark(char: str) -> bool:
    """A combining mark: belongs to the character before it."""
    return unicodedata.category(char).startswith("M")


def joins_previous(text: str, i: int) -> bool:
    """Is text[i] part of the character before it? Combining marks, emoji skin tones, variation
    selectors and zero-width joiners are, and so is whatever follows a joiner (👨‍👩‍👧 is one picture).
    """
    char = text[i]
    return (
        is_mark(char)
        or char == _ZWJ
        or "\U0001f3fb" <= char <= "\U0001f3ff"
        or "\ufe00" <= char <= "\ufe0f"
        or (i > 0 and text[i - 1] == _ZWJ)
    )


def is_word_char(char: str) -> bool:
    """Letters, digits, `_` and combining marks (which belong to the letter before them)."""
    return char.isalnum() or char == "_" or is_mark(char)


class FoldedText:
    """A folded view of a text and the way back to original positions.

    Where folding changed lengths, only the original characters whose folded form is not exactly one
    character are remembered (their position and folded length; 0 for a mark that folds away), and
    only once a hit asks (most searched documents need no mapping at all): every other character maps
    one to one, shifted by the changes before it.
    """

    def __init__(self, text: str, length: int, edits: Callable[[], list[tuple[int, int]]] | None = None) -> None:
        self.text = text
        self.length = length
        self._make_edits = edits
        self._at: list[int] = []
        self._size: list[int] = []
        self._folded_at: list[int] = []
        self._shift: list[int] = []

    def _prepare(self) -> None:
        if self._make_edits is None:
            return
        edits = sorted(self._make_edits())
        self._make_edits = None
        self._at = [at for at, _ in edits]
        self._size = [size for _, size in edits]
        self._shift = list(itertools.accumulate(size - 1 for size in self._size))
        self._folded_at = [
            at + shift - size + 1 for at, shift, size in zip(self._at, self._shift, self._size, strict=True)
        ]

    def locate(self, position: int) -> tuple[int, int]:
        """(original index, offset inside that character's folded form) of folded `position`."""
        self._prepare()
        k = bisect.bisect_right(self._folded_at, position) - 1
        while k >= 0 and self._size[k] == 0 and self._folded_at[k] == position:
            k -= 1  # a mark that folded away at this very position lies before this character
        if k >= 0 and position < self._folded_at[k] + self._size[k]:
            return self._at[k], position - self._folded_at[k]
        return position - (self._shift[k] if k >= 0 else 0), 0

    def to_original(self, start: int, end: int) -> tuple[int, int] | None:
        """Original (start, end) of folded [start, end), or None when it splits a folded character."""
        self._prepare()
        if not self._at:
            return start, end
        first, offset = self.locate(start)
        if offset:
            return None
        if end >= len(self.text):
            return first, self.length
        stop, offset = self.locate(end)
        return None if offset else (first, stop)


def fold(text: str, *, case_sensitive: bool, fold_yo: bool) -> FoldedText:
    """`text` with case and/or `ё` folded, and the map back to the original positions.

    `str.casefold` folds character by character, so the folded text is the whole text's casefold and
    only the few characters that fold into several (found with one regex) need to be remembered.
    """
    folded = text if case_sensitive else text.casefold()
    expanded = len(folded) != len(text)
    marks: list[int] = []
    if fold_yo:
        folded = _fold_yo(folded)
        if _DIAERESIS in folded:
            # е + U+0308 is ё: the mark folds away with it (and is still covered by a hit on the е).
            marks = [m.start() + 1 for m in _DECOMPOSED_YO.finditer(folded)]
            if marks:
                folded = _DECOMPOSED_YO.sub(r"\1", folded)
    if not expanded and not marks:
        return FoldedText(folded, len(text))

    def edits() -> list[tuple[int, int]]:
        found = _expansions(text, folded_length=len(folded) + len(marks)) if expanded else []
        if marks:  # mark positions were taken in the text folded before they were removed
            before = FoldedText(folded, len(text), lambda: list(found))
            found += [(before.locate(at)[0], 0) for at in marks]
        return found

    return FoldedText(folded, len(text), edits)


def _expansions(text: str, folded_length: int) -> list[tuple[int, int]]:
    """(position, folded length) of the characters of `text` that fold into more than one."""
    pattern, lengths = _expanding()
    found = [(m.start(), lengths[m.group()]) for m in pattern.finditer(text)]
    if len(text) + sum(n - 1 for _, n in found) != folded_length:  # a character newer than the table
        found = [(i, len(c.casefold())) for i, c in enumerate(text) if len(c.casefold()) != 1]
    return found


@functools.cache
def _expanding() -> tuple[re.Pattern[str], dict[str, int]]:
    """The characters whose case folding is longer than one character (ß, ligatures, İ, ...)."""
    lengths = {
        chr(c): len(chr(c).casefold())
        for c in range(0x10000)
        if not 0xD800 <= c < 0xE000 and len(chr(c).casefold()) > 1
    }
    return re.compile(f"[{re.escape(''.join(lengths))}]"), lengths


def _fold_yo(text: str) -> str:
    return text.replace("ё", "е").replace("Ё", "Е")


class Matcher:
    """A compiled search pattern; `find(text)` lists its hits as original code-point offsets."""

    def __init__(self, pattern: str, options: SearchOptions | None = None) -> None:
        self.options = options or SearchOptions()
        if not pattern:
            raise UserError("search: the pattern is empty; give a word or phrase to look for")
        self.pattern = pattern
        self.fold_yo = has_cyrillic(pattern) if self.options.fold_yo is None else self.options.fold_yo
        self._regex: re.Pattern[str] | None = None
        if self.options.regex:
            flags = 0 if self.options.case_sensitive else re.IGNORECASE
            source = _fold_yo(pattern) if self.fold_yo else pattern
            try:
                self._regex = re.compile(source, flags)
            except re.error as exc:
                where = f" at position {exc.pos + 1}" if exc.pos is not None else ""
                raise UserError(f"search: the regular expression is invalid{where}: {exc.msg}") from None
            self._needle = ""
        else:
            folded = fold(pattern, case_sensitive=self.options.case_sensitive, fold_yo=self.fold_yo)
            self._needle = folded.text

    def describe(self) -> str:
        """How the pattern is matched, in words (the command line and the window say it)."""
        o = self.options
        parts = ["regular expression" if o.regex else "substring"]
        parts.append("case-sensitive" if o.case_sensitive else "case-insensitive")
        if o.whole_word:
            parts.append("whole words")
        if self.fold_yo:
            parts.append("ё = е")
        return ", ".join(parts)

    def find(self, text: str) -> list[tuple[int, int]]:
        """(start, end) code-point offsets of the hits in `text`, in order."""
        if self._regex is not None:
            view = fold(text, case_sensitive=True, fold_yo=self.fold_yo)
            candidates = [(m.start(), m.end()) for m in self._regex.finditer(view.text) if m.end() > m.start()]
        else:
            view = fold(text, case_sensitive=self.options.case_sensitive, fold_yo=self.fold_yo)
            candidates = _find_all(view.text, self._needle)
        out: list[tuple[int, int]] = []
        taken_until = 0
        for fs, fe in candidates:
            hit = view.to_original(fs, fe)
            if hit is not None and hit[0] >= taken_until and self._acceptable(text, *hit):
                out.append(hit)
                taken_until = hit[1]
        return out

    def _acceptable(self, text: str, start: int, end: int) -> bool:
        if joins_previous(text, start) or (end < len(text) and joins_previous(text, end)):
            return False
        if self.options.whole_word:
            if start > 0 and is_word_char(text[start - 1]):
                return False
            if end < len(text) and is_word_char(text[end]):
                return False
        return True


def _find_all(haystack: str, needle: str) -> list[tuple[int, int]]:
    """Every occurrence, overlapping ones too: a rejected one must not hide the one starting inside it."""
    out: list[tuple[int, int]] = []
    pos = haystack.find(needle)
    while pos >= 0:
        out.append((pos, pos + len(needle)))
        pos = haystack.find(needle, pos + 1)
    return out
