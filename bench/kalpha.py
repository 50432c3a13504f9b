"""Krippendorff's alpha on a coders x units table: ours vs the `krippendorff` PyPI package.

Data: 5 coders, 10 nominal values (0..9), about 10% of cells missing (NaN), seeded; coders agree
with a shared "true" value 70% of the time so alpha is neither 0 nor 1. Both sides get the same
float matrix with NaN for missing and compute nominal alpha from scratch (no caching between repeats).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

NAME = "Krippendorff's alpha (table)"
SIZE_LABEL = "{size:,} units x 5 coders"
TARGET = "<= 1x, same value to 1e-9"
TARGET_SIZES = (100_000,)
SIZES = {"smoke": [2_000], "full": [10_000, 30_000, 100_000]}
REPEATS = {"smoke": (1, 1), "full": (15, 15)}
CODERS, VALUES = 5, 10


def prepare(size: int, folder: Path) -> None:
    rng = np.random.default_rng(20240607 + size)
    truth = rng.integers(0, VALUES, size)
    noise = rng.integers(0, VALUES, (CODERS, size))
    agree = rng.random((CODERS, size)) < 0.7
    data = np.where(agree, truth, noise).astype(float)
    data[rng.random((CODERS, size)) < 0.1] = np.nan
    np.save(folder / "matrix.npy", data)


def available() -> str | None:
    try:
        from annotator.core.agreement.units import krippendorff_alpha  # noqa: F401
    except ImportError as exc:
        return f"annotator.core.agreement.units.krippendorff_alpha not importable ({exc})"
    return None


def baseline_available() -> str | None:
    try:
        import krippendorff  # noqa: F401
    except ImportError:
        return "the krippendorff package is not installed (pip install krippendorff)"
    return None


def ours(size: int, folder: Path):
    from annotator.core.agreement.units import krippendorff_alpha

    data = np.load(folder / "matrix.npy")

    def factory():
        return lambda: krippendorff_alpha(data, "nominal").value

    return factory


def baseline(size: int, folder: Path):
    import krippendorff

    data = np.load(folder / "matrix.npy")

    def factory():
        return lambda: float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))

    return factory


def check(ours_value: object, baseline_value: object) -> str | None:
    """None when both alphas agree to 1e-9, else what differs."""
    if ours_value is None or baseline_value is None:
        return f"a value is missing (ours {ours_value}, baseline {baseline_value})"
    diff = abs(float(ours_value) - float(baseline_value))
    return None if diff <= 1e-9 else f"values differ by {diff:.2e} (ours {ours_value}, baseline {baseline_value})"


def judge(row) -> bool | None:
    return None if row.ratio is None else row.ratio <= 1.0 and row.check_error is None
