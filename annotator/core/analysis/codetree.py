"""Codebook keys as a tree, the only thing analysis needs to know about a codebook.

A query's `code:threat` and a table's roll-up both mean "threat and everything below it", so both
ask this one object. It is built from a plain key -> parent mapping (not from `Codebook`) so that the
store can pass what it has (the codes of one codebook version) without parsing YAML again.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class CodeTree:
    """Keys in codebook order with their parents; parents listed before their children is not needed."""

    parent_of: Mapping[str, str | None]
    _children: dict[str, list[str]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        children: dict[str, list[str]] = {key: [] for key in self.parent_of}
        for key, parent in self.parent_of.items():
            if parent is not None:
                if parent not in children:
                    raise ValueError(f"code {key!r} names an unknown parent {parent!r}")
                children[parent].append(key)
        object.__setattr__(self, "_children", children)
        for key in self.parent_of:  # a cycle would make descendants() loop forever
            self.ancestors(key)

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[str, str | None]]) -> CodeTree:
        """From (key, parent key or None) pairs, in codebook order."""
        return cls(dict(pairs))

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(self.parent_of)

    def __contains__(self, key: object) -> bool:
        return key in self.parent_of

    def children(self, key: str) -> tuple[str, ...]:
        return tuple(self._children[key])

    def descendants(self, key: str) -> tuple[str, ...]:
        """`key` itself and every code below it, parents before children."""
        out: list[str] = []
        stack = [key]
        while stack:
            current = stack.pop()
            out.append(current)
            stack.extend(reversed(self._children[current]))
        return tuple(out)

    def ancestors(self, key: str) -> tuple[str, ...]:
        """The parents of `key` from the nearest up to the root (not `key` itself)."""
        out: list[str] = []
        parent = self.parent_of[key]
        while parent is not None:
            if parent == key or parent in out:
                raise ValueError(f"code {key!r} is its own ancestor")
            out.append(parent)
            parent = self.parent_of[parent]
        return tuple(out)

    def closest(self, word: str) -> str | None:
        """The known key most like `word` (for "did you mean ...?"), or None when none is close."""
        match = difflib.get_close_matches(word, list(self.parent_of), n=1, cutoff=0.6)
        return match[0] if match else None

    def unknown_key_message(self, key: str) -> str:
        """'unknown code 'x'' with a suggestion when there is a close one."""
        near = self.closest(key)
        hint = f" (did you mean '{near}'?)" if near else ""
        return f"unknown code '{key}'{hint}"
