"""Percentile bootstrap intervals, and the document resamples every span measure shares.

Why documents: a coder reads and codes a document as a whole, so codings within one document are
dependent; resampling sentences or characters would treat them as independent and give intervals
that are too narrow (12 documents x 25 sentences: half the width of a document-level resample).
So every span measure (alpha_U, span F1, the sentence-unit coefficients) is recomputed on the same
resamples of whole documents, drawn with replacement.

With fewer than `MIN_RESAMPLED` documents (or table units) no interval is given: a handful of
items has only a handful of distinct resamples, and a percentile of those is not an interval.

An interval is flagged when it does not contain its own point estimate (the resampling
distribution is skewed away from it), or when the estimate sits at an edge because many resamples
degenerate to exactly the same value (e.g. every resample gives 1.0).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

Progress = Callable[[int, int], bool]
MIN_RESAMPLED = 10
DOCUMENT_METHOD = "percentile bootstrap over documents (whole documents resampled with replacement)"
UNIT_METHOD = "percentile bootstrap over units (table rows resampled with replacement)"


class Cancelled(Exception):  # noqa: N818 - reads better at the call site: except Cancelled
    """The progress callback asked to stop."""


def too_few(n: int, what: str = "documents") -> str:
    """The reason given instead of an interval for fewer than MIN_RESAMPLED items."""
    return f"too few {what} ({n}) for a bootstrap interval"


@dataclass(frozen=True)
class Interval:
    """A percentile bootstrap interval; low/high None (with reason) when it cannot be given."""

    low: float | None
    high: float | None
    reason: str | None = None
    resamples: int = 0
    undefined_resamples: int = 0
    confidence: float = 0.95
    seed: int | None = None
    flag: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "low": self.low,
            "high": self.high,
            "confidence": self.confidence,
            "resamples": self.resamples,
            "seed": self.seed,
            "undefined_resamples": self.undefined_resamples,
        }
        if self.reason:
            out["reason"] = self.reason
        if self.flag:
            out["flag"] = self.flag
        return out


def put_interval(target: dict[str, Any], key: str, interval: Interval | None, reason: str | None = None) -> None:
    """Store an interval as `key` (its JSON object), or null with `key_reason` when none is given."""
    if interval is None or interval.low is None:
        target[key] = None
        target[f"{key}_reason"] = reason or (interval.reason if interval else None) or "no interval"
    else:
        target[key] = interval.to_json()


def interval_from(
    values: NDArray[Any], point: float | None, *, confidence: float = 0.95, seed: int | None = None
) -> Interval:
    """Percentile interval of `values` (NaN = undefined resample, skipped and counted), flagged
    when it does not contain `point` or `point` sits at an edge because resamples degenerate."""
    n = len(values)
    ok = values[~np.isnan(values)]
    skipped = n - len(ok)
    if len(ok) == 0:
        return Interval(None, None, "the measure was undefined in every resample", n, skipped, confidence, seed)
    q = (1 - confidence) / 2
    lo, hi = (float(x) for x in np.quantile(ok, [q, 1 - q]))
    flag = None
    if point is not None:
        tol = 1e-12 * max(1.0, abs(point))
        if point < lo - tol or point > hi + tol:
            flag = f"the interval does not contain the estimate {point:.3f}: the resamples are skewed away from it"
        elif min(abs(point - lo), abs(point - hi)) <= tol:
            same = int(np.sum(np.abs(ok - point) <= tol))
            if same >= max(1, q * len(ok)):
                flag = (
                    f"the estimate {point:.3f} sits at the interval's edge: {same} of {len(ok)} resamples "
                    "gave exactly this value (degenerate resamples)"
                )
    return Interval(lo, hi, None, n, skipped, confidence, seed, flag)


class DocumentResamples:
    """Seeded document resamples as weight rows: W[b, d] = how often document d was drawn in b.

    The same resamples serve every measure, in batches so progress can be shown and cancelled.
    """

    def __init__(self, n_docs: int, resamples: int, seed: int | None, batch: int = 50) -> None:
        self.n_docs, self.resamples, self.seed, self.batch = n_docs, resamples, seed, batch
        rng = np.random.default_rng(seed)
        draws = rng.integers(0, max(n_docs, 1), (resamples, n_docs))
        rows = np.repeat(np.arange(resamples), n_docs)
        flat = np.bincount(rows * n_docs + draws.ravel(), minlength=resamples * n_docs)
        self.weights = flat.reshape(resamples, n_docs).astype(float)

    def batches(self) -> Iterator[tuple[int, NDArray[Any]]]:
        """(first resample index, weights of the batch)."""
        for i in range(0, self.resamples, self.batch):
            yield i, self.weights[i : i + self.batch]


def run_batches(
    resamples: DocumentResamples,
    stat: Callable[[NDArray[Any]], NDArray[Any]],
    progress: Callable[[int], None] | None = None,
) -> NDArray[Any]:
    """stat(W) -> (batch, k) values for each batch of weights, stacked; progress(done) after each."""
    parts = []
    for i, w in resamples.batches():
        parts.append(stat(w))
        if progress is not None:
            progress(i + len(w))
    return np.concatenate(parts, axis=0) if parts else np.zeros((0, 0))


def ratio_or_nan(num: NDArray[Any], den: NDArray[Any]) -> NDArray[Any]:
    """num / den, NaN where den is 0."""
    out = np.full(np.broadcast(num, den).shape, np.nan)
    np.divide(num, den, out=out, where=den != 0)
    return out
