"""The agreement benchmark of `agreement_project` with 1,000 document resamples: every interval
(alpha_U overall, per code and per group; F1; the sentence-unit coefficients) on the same resamples."""

from __future__ import annotations

from bench.agreement_project import (  # noqa: F401 - the benchmark protocol
    NO_BASELINE,
    SIZE_LABEL,
    SIZES,
    TARGET_SIZES,
    available,
    extra_times,
    judge_growth,
    make_ours,
    prepare,
)

NAME = "agreement + 1,000 resamples"
TARGET = "<= 10 s at 200 docs, linear"
REPEATS = {"smoke": (1, 0), "full": (3, 0)}
LIMIT = 10.0
ours = make_ours(1_000)


def judge(row) -> bool | None:
    return None if row.ours.median is None else row.ours.median <= LIMIT
