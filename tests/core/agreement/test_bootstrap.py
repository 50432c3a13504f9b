"""Bootstrap intervals: reproducible with a seed, sensible, cancellable."""

from __future__ import annotations

import numpy as np
import pytest

from annotator.core.agreement import (
    Cancelled,
    bootstrap_alpha,
    bootstrap_alpha_u,
    end_to_end,
    krippendorff_alpha,
    unit_arrays,
)
from annotator.core.agreement.unitizing_pooled import PooledAlpha
from annotator.core.agreement.unitizing_resample import DocumentResampler


def _matrix(seed=0, units=300):
    rng = np.random.default_rng(seed)
    truth = rng.integers(1, 5, units)
    m = np.where(rng.random((3, units)) < 0.75, truth, rng.integers(1, 5, (3, units))).astype(float)
    m[rng.random(m.shape) < 0.1] = np.nan
    return m


@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval", "ratio"])
def test_interval_contains_estimate_and_is_seeded(level):
    m = _matrix()
    est = krippendorff_alpha(m, level).value
    ci = bootstrap_alpha(m, level, resamples=300, seed=4)
    assert ci.low < est < ci.high
    assert ci.high - ci.low < 0.3
    assert bootstrap_alpha(m, level, resamples=300, seed=4) == ci
    assert bootstrap_alpha(m, level, resamples=300, seed=5) != ci


def test_units_bootstrap_degenerate_and_cancel():
    assert bootstrap_alpha([[1, 2, 3]]).low is None
    assert bootstrap_alpha([[1, None], [1, None]]).reason
    calls = []

    def progress(done, total):
        calls.append(done)
        return done < 50

    with pytest.raises(Cancelled):
        bootstrap_alpha(_matrix(), resamples=1000, progress=progress)
    assert calls[-1] >= 50
    assert calls[-1] < 1000


def _corpus(seed=1, docs=12):
    rng = np.random.default_rng(seed)
    lengths = [400] * docs
    rows = []
    for d in range(docs):
        for _ in range(10):
            s = int(rng.integers(0, 350))
            n = int(rng.integers(5, 40))
            for r in range(3):
                j = int(rng.integers(-3, 4))
                rows.append((r, "x" if s % 2 else "y", d, max(0, s + j), min(400, s + n + j)))
    return unit_arrays(lengths, 3, rows)


def test_alpha_u_bootstrap_resamples_documents():
    arrays = _corpus()
    est = PooledAlpha(arrays).result()[0].value
    overall, per = bootstrap_alpha_u(arrays, resamples=200, seed=3)
    assert overall.low <= est <= overall.high
    assert set(per) == {"x", "y"}
    assert bootstrap_alpha_u(arrays, resamples=200, seed=3)[0] == overall
    laid = end_to_end(arrays).overall.value
    concatenated, _ = bootstrap_alpha_u(arrays, resamples=200, seed=3, concatenate=True)
    assert concatenated.low <= laid <= concatenated.high
    assert concatenated != overall
    with pytest.raises(Cancelled):
        bootstrap_alpha_u(arrays, resamples=100, progress=lambda d, t: False)


@pytest.mark.parametrize("docs", [1, 2, 9])
def test_fewer_than_ten_documents_give_no_interval(docs):
    arrays = _corpus(docs=docs)
    overall, per = bootstrap_alpha_u(arrays, resamples=50)
    assert overall.low is None
    assert overall.reason == f"too few documents ({docs}) for a bootstrap interval"
    assert all(v.reason == overall.reason for v in per.values())
    assert bootstrap_alpha_u(_corpus(docs=10), resamples=50)[0].low is not None


def test_fast_document_resampler_equals_laying_documents_end_to_end():
    for seed in range(4):
        rng = np.random.default_rng(seed)
        docs, raters = int(rng.integers(2, 12)), int(rng.integers(2, 4))
        lengths = [int(x) for x in rng.integers(20, 200, docs)]
        rows = []
        for d in range(docs):
            for r in range(raters):
                if rng.random() < 0.25:
                    continue  # this rater marked nothing in this document
                for _ in range(int(rng.integers(0, 8))):
                    s = int(rng.integers(0, lengths[d] - 1))
                    rows.append((r, str(rng.choice(list("xyz"))), d, s, min(lengths[d], s + int(rng.integers(1, 30)))))
        arrays = unit_arrays(lengths, raters, rows)
        fast = DocumentResampler(arrays)
        for _ in range(20):
            draws = np.sort(rng.integers(0, docs, docs))
            quick, per = fast.alpha(draws)
            slow = end_to_end(arrays.take_documents(draws))
            if slow.overall.value is None:
                assert quick.value is None
            else:
                assert quick.value == pytest.approx(slow.overall.value, abs=1e-9)
            for c, m in slow.per_category.items():
                assert (per[c].value is None) == (m.value is None)
                if m.value is not None:
                    assert per[c].value == pytest.approx(m.value, abs=1e-9)
