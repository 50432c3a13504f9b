"""What makes two coded spans "the same span": the one rule every import, merge and the schema share.

A span's identity is (document, coder, code, start, end); the database has a unique constraint on it
(`uq_span_identity`). An incoming span (a CSV row, a REFI-QDA coding, a span of a merged project) is
compared with the spans already there by `SpanLedger.match`:

- same identity and same memo as a known span: SAME, skipped (re-importing an export adds nothing);
- same identity, another memo: OTHER_MEMO, a conflict (skipping it would lose the memo);
- its uid is known for a span with another identity: UID_ELSEWHERE, a conflict (a uid names one span);
- otherwise NEW.

Each caller decides what a conflict means for it (a spans CSV import refuses the file, a merge lists
it), but none has its own idea of "the same span".

A uid is 32 lowercase hex digits (a UUID); `canonical_uid` turns any other text (a hand-made span_id,
a GUID with dashes or braces) into that form, the same text always into the same uid.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Hashable
from enum import Enum
from typing import NamedTuple

# Namespace of the uids minted from span ids that are not UUIDs ("s1", "row-7", ...).
SPAN_ID_NAMESPACE = uuid.UUID("0b8c6f8e-5a57-4a3e-9d0e-7d3c2f61a9b4")


_CANONICAL = re.compile(r"[0-9a-f]{32}")


def canonical_uid(text: str) -> str:
    """A span id as the project stores it: the UUID it spells (any case, dashes, braces), as 32 hex
    digits; any other text gives the UUID minted from it (uuid5), so a span id keeps naming one span."""
    if _CANONICAL.fullmatch(text):
        return text  # already canonical (every id this program writes)
    text = text.strip()
    try:
        return uuid.UUID(text).hex
    except ValueError:
        return uuid.uuid5(SPAN_ID_NAMESPACE, text).hex


def new_uid() -> str:
    return uuid.uuid4().hex


class SpanKey(NamedTuple):
    """A span's identity. `document`, `coder` and `code` are whatever names them uniquely where the
    comparison happens (ids inside one project, content hash / name / key across projects)."""

    document: Hashable
    coder: Hashable
    code: Hashable
    start: int
    end: int


class KnownSpan(NamedTuple):
    """A span already in the target, or accepted earlier from the same input (`row` then says where)."""

    uid: str
    key: SpanKey
    memo: str
    row: int | None = None


class Match(Enum):
    NEW = "new"
    SAME = "same"
    OTHER_MEMO = "same identity, another memo"
    UID_ELSEWHERE = "known uid, another identity"


class SpanLedger:
    """The known spans by uid and by identity; `match` classifies an incoming span against them."""

    def __init__(self) -> None:
        self.by_uid: dict[str, KnownSpan] = {}
        self.by_key: dict[SpanKey, KnownSpan] = {}

    def add(self, span: KnownSpan) -> None:
        self.by_uid[span.uid] = span
        self.by_key.setdefault(span.key, span)

    def match(self, uid: str | None, key: SpanKey, memo: str) -> tuple[Match, KnownSpan | None]:
        """How a span (uid or None, identity, memo) relates to the known ones; the known span it hit."""
        if uid is not None:
            known = self.by_uid.get(uid)
            if known is not None:
                if known.key != key:
                    return Match.UID_ELSEWHERE, known
                return (Match.SAME if known.memo == memo else Match.OTHER_MEMO), known
        known = self.by_key.get(key)
        if known is None:
            return Match.NEW, None
        return (Match.SAME if known.memo == memo else Match.OTHER_MEMO), known
