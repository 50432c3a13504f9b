"""Bootstrap intervals for Krippendorff's alpha (units resampled) and alpha_U (documents resampled).

- Units (coding tables): resample units (columns of the reliability data) with replacement and
  recompute alpha from the resampled coincidences. Units with identical value counts are grouped,
  so a resample is one multinomial draw over the kinds of unit and a weighted sum.
- alpha_U: resample whole documents with replacement (see `resampling` for why documents). The
  default order-free alpha_U of a resample is a few matrix products (`unitizing_pooled`); the
  laid-end-to-end value (`concatenate=True`) lays the drawn documents end to end in document order
  and is computed from per-document parts (`unitizing_resample`).

Fewer than MIN_RESAMPLED units or documents: no interval, with the reason. `progress(done, total)
-> bool` is called now and then; returning False cancels, which raises `Cancelled`. Resamples where
the measure is undefined (e.g. no variation) are skipped and counted.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .resampling import (
    MIN_RESAMPLED,
    Cancelled,
    DocumentResamples,
    Interval,
    Progress,
    interval_from,
    too_few,
)
from .unitizing_corpus import UnitArrays, end_to_end
from .unitizing_pooled import PooledAlpha
from .unitizing_resample import DocumentResampler
from .units import Distance, _delta, as_data, krippendorff_alpha


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
    if n_units < MIN_RESAMPLED:
        return Interval(None, None, too_few(n_units, "pairable units"), 0, 0, confidence, seed)
    point = krippendorff_alpha(d, level).value
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
    values = np.full(resamples, np.nan)
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
        if num_e > 0:
            values[i] = 1 - (n - 1) * num_o / num_e
        if (i + 1) % step == 0 or i + 1 == resamples:
            _tick(progress, i + 1, resamples)
    return interval_from(values, point, confidence=confidence, seed=seed)


def bootstrap_alpha_u(
    arrays: UnitArrays,
    *,
    resamples: int = 1000,
    seed: int | None = 0,
    confidence: float = 0.95,
    progress: Progress | None = None,
    concatenate: bool = False,
    draws: DocumentResamples | None = None,
) -> tuple[Interval, dict[Hashable, Interval]]:
    """Percentile CIs for alpha_U (overall, per category) by resampling documents.

    `draws`: the document resamples to use (shared with other measures); drawn here if None.
    """
    n_docs = len(arrays.lengths)
    if n_docs < MIN_RESAMPLED:
        why = Interval(None, None, too_few(n_docs), 0, 0, confidence, seed)
        return why, dict.fromkeys(arrays.cats, why)
    draws = draws or DocumentResamples(n_docs, resamples, seed)
    if concatenate:
        values, point = _concatenated_values(arrays, draws, progress)
    else:
        pooled = PooledAlpha(arrays)
        point = pooled.values(np.ones((1, n_docs)))[0]
        parts = []
        for i, w in draws.batches():
            parts.append(pooled.values(w))
            _tick(progress, i + len(w), draws.resamples)
        values = np.concatenate(parts)
    cols = [
        interval_from(values[:, k], _num(point[k]), confidence=confidence, seed=seed) for k in range(values.shape[1])
    ]
    return cols[0], dict(zip(arrays.cats, cols[1:], strict=True))


def _num(x: float) -> float | None:
    return None if np.isnan(x) else float(x)


def _concatenated_values(
    arrays: UnitArrays, draws: DocumentResamples, progress: Progress | None
) -> tuple[NDArray[Any], NDArray[Any]]:
    """(resamples, 1 + C) laid-end-to-end values, and the corpus's own."""
    fast = DocumentResampler(arrays) if (arrays.end > arrays.start).all() else None

    def row(docs: NDArray[Any]) -> list[float]:
        if fast is not None:
            overall, per = fast.alpha(docs)
        else:
            res = end_to_end(arrays.take_documents(docs))
            overall, per = res.overall, res.per_category
        vals = [overall.value] + [per[c].value if c in per else None for c in arrays.cats]
        return [np.nan if v is None else v for v in vals]

    n_docs = len(arrays.lengths)
    out = np.full((draws.resamples, 1 + len(arrays.cats)), np.nan)
    step = max(1, draws.resamples // 100)
    for i in range(draws.resamples):
        out[i] = row(np.repeat(np.arange(n_docs), draws.weights[i].astype(np.int64)))
        if (i + 1) % step == 0 or i + 1 == draws.resamples:
            _tick(progress, i + 1, draws.resamples)
    return out, np.array(row(np.arange(n_docs)))


__all__ = ["Cancelled", "Interval", "Progress", "bootstrap_alpha", "bootstrap_alpha_u"]
