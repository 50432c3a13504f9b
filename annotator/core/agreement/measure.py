"""The result type of every agreement measure, and the JSON convention built on it.

Agreement numbers end up in methods sections, so a measure that cannot be computed must say why
instead of producing NaN or crashing. Every function returns a `Measure`: a float `value`, or
`value=None` with a one-line human `reason`. `details` carries the parts behind the number
(D_o, D_e, p_o, p_e, counts, ...), all JSON-serialisable.

JSON convention (used by `span_agreement` and `table_agreement`):
- a measure stored under key K is a number, or null;
- when it is null, the reason is a string under `K_reason` in the same object;
- in a map of measures keyed by code/document/pair (e.g. `per_code`), a null entry's reason is in
  the sibling map `<map>_reason` (e.g. `per_code_reason`) under the same key.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Measure:
    """A measure's value (None when undefined), why it is undefined, and what is behind it."""

    value: float | None
    reason: str | None = None
    details: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.value is not None and not math.isfinite(self.value):
            raise ValueError(f"Measure value must be finite, got {self.value!r}: use undefined()")
        if self.value is None and not self.reason:
            raise ValueError("an undefined Measure needs a reason")

    @property
    def defined(self) -> bool:
        return self.value is not None

    def put(self, target: dict[str, Any], key: str) -> None:
        """Store this measure in `target` under `key` (value, plus `key_reason` if undefined)."""
        target[key] = self.value
        if self.value is None:
            target[f"{key}_reason"] = self.reason


def undefined(reason: str, **details: Any) -> Measure:
    """An undefined measure with its reason."""
    return Measure(None, reason, dict(details))


def defined(value: float, **details: Any) -> Measure:
    """A defined measure; a non-finite value becomes undefined instead of leaking NaN."""
    value = float(value)
    if not math.isfinite(value):
        return Measure(None, f"the computation gave {value} (division by zero)", dict(details))
    return Measure(value, None, dict(details))


def put_map(target: dict[str, Any], key: str, measures: dict[str, Measure]) -> None:
    """Store a map of measures as `key` (values) plus `key_reason` (reasons of null entries)."""
    target[key] = {k: m.value for k, m in measures.items()}
    reasons = {k: m.reason for k, m in measures.items() if m.value is None}
    if reasons:
        target[f"{key}_reason"] = reasons
