"""Seedable percentile bootstrap confidence intervals for Krippendorff's alpha and alpha_U.

- Units (coding tables, sentences): resample units (columns of the reliability data) with
  replacement, recompute alpha from the resampled coincidences. Units with identical value
  counts are grouped, so a resample is one multinomial draw over the kinds of unit and a
  weighted sum (sentences with yes/no codes have only a handful of kinds).
- alpha_U: resample whole documents with replacement and lay the drawn documents end to end (in
  document order) before recomputing. Documents, not fixed-size segments, because a document is
  what a coder reads and codes as a whole: codings within one document are dependent, segments
  would cut spans at arbitrary points, and documents are the unit a supervisor samples. With a
  single document the interval is undefined (nothing to resample). Each resample is computed
  from per-document parts (`unitizing_resample`), exactly as if the drawn documents were laid
  end to end, without re-running the whole computation per resample.

`progress(done, total) -> bool` is called now and then; returning False cancels, which raises
`Cancelled`. Resamples where alpha is undefined (e.g. no variation) are skipped and counted.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .unitizing import UnitArrays, end_to_end
from .unitizing_resample import DocumentResampler
from .units import Distance, _delta, as_data

Progress = Callable[[int, int], bool]


class Cancelled(Exception):  # noqa: N818 - reads better at the call site: except Cancelled
    """The progress callback asked to stop."""


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
    details: dict[str, Any] = field(default_factory=dict)

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
        return out


def _interval(values: list[float], n: int, skipped: int, confidence: float, seed: int | None) -> Interval:
    if not values:
        return Interval(None, None, "alpha was undefined in every resample", n, skipped, confidence, seed)
    q = (1 - confidence) / 2
    lo, hi = np.quantile(np.asarray(values), [q, 1 - q])
    return Interval(float(lo), float(hi), None, n, skipped, confidence, seed)


def _tick(progress: Progress | None, done: int, total: int) -> None:
    if progress is not None and progress(done, total) is False:
        raise Cancelled(f"cancelled after {done} of {total} resamples")


def bootstrap_alpha(
    data: Any,
    level: str | Distance = "nominal",
    *,
    resamples: int = 1000,
    seed: int | None = 0,
    confidence: float = 0.95,
    progress: Progress | None = None,
) -> Interval:
    """Percentile CI for Krippendorff's alpha by resampling units (pairable units only)."""
    d = as_data(data)
    if d.n_coders < 2:
        return Interval(None, None, "needs at least two coders", 0, 0, confidence, seed)
    nv = d.value_counts().astype(float)
    m = nv.sum(1)
    keep = m >= 2
    nv, m = nv[keep], m[keep]
    n_units = len(m)
    if n_units < 2:
        return Interval(None, None, "fewer than two pairable units to resample", 0, 0, confidence, seed)
    # Units with the same value counts are interchangeable: resampling units is drawing how
    # many of each kind (a multinomial), which costs O(kinds) instead of O(units) per resample.
    nv, kinds = np.unique(nv, axis=0, return_counts=True)
    m = nv.sum(1)
    share = kinds / n_units
    rng = np.random.default_rng(seed)
    ordinal = level == "ordinal"
    if not ordinal:  # distances do not depend on the marginals: precompute per-unit D_o parts
        delta = _delta(d.domain, nv.sum(0), level)
        per_unit = (((nv @ delta) * nv).sum(1)) / (m - 1)  # sum_ck delta_ck n_uc n_uk/(m_u-1)
    values: list[float] = []
    skipped = 0
    step = max(1, resamples // 100)
    for i in range(resamples):
        w = rng.multinomial(n_units, share).astype(float)
        n_c = np.einsum("u,uv->v", w, nv)
        n = n_c.sum()
        if ordinal:
            delta = _delta(d.domain, n_c, "ordinal")
            wn = nv * (w / (m - 1))[:, None]
            o = np.einsum("uv,uk->vk", wn, nv) - np.diag(wn.sum(0))
            num_o = float((o * delta).sum())
        else:
            num_o = float(np.dot(w, per_unit))
        num_e = float(n_c @ delta @ n_c)
        if num_e <= 0:
            skipped += 1
        else:
            values.append(1 - (n - 1) * num_o / num_e)
        if (i + 1) % step == 0 or i + 1 == resamples:
            _tick(progress, i + 1, resamples)
    return _interval(values, resamples, skipped, confidence, seed)


def bootstrap_alpha_u(
    arrays: UnitArrays,
    *,
    resamples: int = 1000,
    seed: int | None = 0,
    confidence: float = 0.95,
    progress: Progress | None = None,
) -> tuple[Interval, dict[Hashable, Interval]]:
    """Percentile CIs for alpha_U (overall, per category) by resampling documents."""
    n_docs = len(arrays.lengths)
    if n_docs < 2:
        why = Interval(None, None, "needs at least two documents to resample", 0, 0, confidence, seed)
        return why, {c: why for c in arrays.cats}
    rng = np.random.default_rng(seed)
    fast = DocumentResampler(arrays) if (arrays.end > arrays.start).all() else None
    overall: list[float] = []
    per: dict[Hashable, list[float]] = {c: [] for c in arrays.cats}
    skipped = dict.fromkeys([None, *arrays.cats], 0)
    step = max(1, resamples // 100)
    for i in range(resamples):
        docs = np.sort(rng.integers(0, n_docs, n_docs))
        if fast is not None:
            res_overall, res_per = fast.alpha(docs)
        else:
            res = end_to_end(arrays.take_documents(docs))
            res_overall, res_per = res.overall, res.per_category
        if res_overall.value is None:
            skipped[None] += 1
        else:
            overall.append(res_overall.value)
        for c in arrays.cats:
            m = res_per.get(c)
            if m is None or m.value is None:
                skipped[c] += 1
            else:
                per[c].append(m.value)
        if (i + 1) % step == 0 or i + 1 == resamples:
            _tick(progress, i + 1, resamples)
    return (
        _interval(overall, resamples, skipped[None], confidence, seed),
        {c: _interval(per[c], resamples, skipped[c], confidence, seed) for c in arrays.cats},
    )
