"""Finding a search pattern in a text, with offsets into the ORIGINAL text even when folding changes it.

Case-insensitive matching compares `str.casefold()` forms, which handles Cyrillic, Greek and
German (`"STRASSE"` finds `"straße"`); `ё`/`Ё` fold to `е`/`Е` when `fold_yo` is on (by default it
is on exactly when the pattern contains Cyrillic, because Russian texts write `ё` and `е`
interchangeably), including `е` + combining diaeresis. Folding can change lengths (`ß` -> `ss`), so
matching runs on a folded *view* of the text that remembers, for every folded character, which
original character it came from; hits are mapped back through it. Text whose folded form has the
same length as the original (nearly all) needs no table: the mapping is the identity.

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

import re
import unicodedata
from dataclasses import dataclass

import numpy as np

from annotator.core.analysis.columns import IntArray
from annotator.core.errors import UserError

_CYRILLIC = re.compile(r"[\u0400-\u04ff\u0500-\u052f\u2de0-\u2dff\ua640-\ua69f]")
_DIAERESIS = "\u0308"
_ZWJ = "\u200d"


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


@dataclass(frozen=True)
class FoldedText:
    """A folded view of a text; `source[i]` is the original index of folded character i (None = same)."""

    text: str
    source: IntArray | None
    length: int

    def to_original(self, start: int, end: int) -> tuple[int, int] | None:
        """Original (start, end) of folded [start, end), or None when it splits a folded character."""
        src = self.source
        if src is None:
            return start, end
        if start > 0 and src[start - 1] == src[start]:
            return None
        if end < len(src) and src[end - 1] == src[end]:
            return None
        return int(src[start]), int(src[end]) if end < len(src) else self.length


def fold(text: str, *, case_sensitive: bool, fold_yo: bool) -> FoldedText:
    """`text` with case and/or `ё` folded, and the map back to the original positions."""
    folded = text if case_sensitive else text.casefold()
    decomposed_yo = fold_yo and _DIAERESIS in text
    if len(folded) == len(text) and not decomposed_yo:
        return FoldedText(_fold_yo(folded) if fold_yo else folded, None, len(text))
    # Slow path (a character folds to several, or a decomposed ё): one piece per original character.
    pieces = list(text) if case_sensitive else [c.casefold() for c in text]
    if decomposed_yo:
        for i in range(1, len(text)):
            if text[i] == _DIAERESIS and pieces[i - 1][-1:] in ("е", "Е"):
                pieces[i] = ""  # е + U+0308 is ё: the mark folds away with the ё
    lengths = np.fromiter((len(p) for p in pieces), np.int64, len(pieces))
    source = np.repeat(np.arange(len(text), dtype=np.int64), lengths)
    joined = "".join(pieces)
    return FoldedText(_fold_yo(joined) if fold_yo else joined, source, len(text))


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
