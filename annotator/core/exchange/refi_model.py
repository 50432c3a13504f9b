"""Plain data that REFI-QDA (QDA-XML 1.5) files are read into and written from.

The model sits between the exchange files and the store: the reader fills it leniently from what
other tools produce, the writer turns it into schema-valid files, and the store maps it to its own
tables. Nothing here knows about XML, zip files or the database.

Conventions:
- GUIDs are lowercase, without braces (the reader normalises `{ABC-...}` to `abc-...`).
- Source text is normalised: no BOM, `\\r\\n` and `\\r` turned into `\\n`.
- Selection offsets are 0-based, end-exclusive Unicode code points into that normalised text.
- A selection belongs to one coder (`user_guid`); several codes on it are several codings.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from annotator.core.exchange.refi_position_report import PositionReport

# Namespace for the deterministic GUIDs we mint (uuid5), so a re-export gives the same GUIDs.
ANNOTATOR_NS = uuid.UUID("6f1c3a52-2d7e-4c55-9a58-3c1d1b9e7a10")


def stable_guid(kind: str, *parts: str) -> str:
    """A GUID that depends only on its inputs: the same code key always gets the same GUID.

    Other tools match re-imported objects by GUID, so minting them from stable identifiers (code key,
    document hash, coder name) keeps a second export from looking like a new project.
    """
    return str(uuid.uuid5(ANNOTATOR_NS, "\x1f".join((kind, *parts))))


@dataclass
class QdaUser:
    guid: str
    name: str


@dataclass
class QdaCode:
    guid: str
    name: str
    color: str | None = None  # "#rrggbb", lowercase
    description: str = ""
    codable: bool = True
    children: list[QdaCode] = field(default_factory=list)
    key: str | None = None  # our stable key; the reader always fills it


@dataclass
class QdaSource:
    guid: str
    name: str
    text: str


@dataclass
class QdaSelection:
    guid: str
    source_guid: str
    start: int
    end: int
    code_guids: list[str] = field(default_factory=list)
    user_guid: str | None = None
    memo: str | None = None
    created: datetime | None = None


@dataclass
class QdaProject:
    name: str
    users: list[QdaUser] = field(default_factory=list)
    codes: list[QdaCode] = field(default_factory=list)  # roots; children nested
    sources: list[QdaSource] = field(default_factory=list)
    selections: list[QdaSelection] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    origin: str | None = None  # the producing tool, as it names itself
    positions: PositionReport | None = None  # how the reader took the selection positions (None: no selections)

    def all_codes(self) -> list[QdaCode]:
        """Every code, parents before children (depth first)."""
        return list(walk_codes(self.codes))


@dataclass
class QdaCodebook:
    """What a `.qdc` file holds for us: the code tree and what was adjusted while reading it."""

    codes: list[QdaCode] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    origin: str | None = None

    def all_codes(self) -> list[QdaCode]:
        return list(walk_codes(self.codes))


def walk_codes(codes: list[QdaCode]) -> Iterator[QdaCode]:
    """Depth-first, parents before their children."""
    for code in codes:
        yield code
        yield from walk_codes(code.children)


def walk_codes_with_parent(
    codes: list[QdaCode], parent: QdaCode | None = None
) -> Iterator[tuple[QdaCode, QdaCode | None]]:
    """Depth-first pairs (code, parent or None)."""
    for code in codes:
        yield code, parent
        yield from walk_codes_with_parent(code.children, code)
