"""alpha_U + F1: 3 coders x N documents (about 5,000 characters each) x 100 spans per coder per
document, 10 codes, seeded; coders share about 70% of their spans (boundaries jittered by a few
characters) and add their own. Timed: `corpus_alpha` (alpha_U overall, per code and per document,
overlapping same-code spans merged) plus `span_f1` in exact and overlap mode for all 3 coder pairs,
from plain tuples (the store query that would feed them is not included). No outside baseline: the
row reports the absolute time; growth across sizes is the check (near-linear).
"""

from __future__ import annotations

import json
import random
from pathlib import Path

NAME = "alpha_U + F1"
SIZE_LABEL = "3 coders x {size:,} docs x 100 spans"
TARGET = "seconds, near-linear"
TARGET_SIZES = (1_000,)
SIZES = {"smoke": [20], "full": [100, 300, 1_000]}
REPEATS = {"smoke": (1, 0), "full": (5, 0)}
CODERS = ("anna", "boris", "chen")
CODES = tuple(f"code.{i}" for i in range(10))
DOC_LEN = 5_000


def prepare(size: int, folder: Path) -> None:
    rng = random.Random(5_000 + size)
    spans: dict[str, list[list]] = {c: [] for c in CODERS}
    for d in range(size):
        shared = []
        for _ in range(70):
            length = rng.randint(10, 150)
            start = rng.randrange(0, DOC_LEN - length - 10)
            shared.append((rng.choice(CODES), start, start + length))
        for coder in CODERS:
            for code, s, e in shared:
                js, je = rng.choice((0, 0, 0, -2, 3)), rng.choice((0, 0, 0, 2, -3))
                spans[coder].append([d, code, max(0, s + js), min(DOC_LEN, e + je)])
            for _ in range(30):
                length = rng.randint(10, 150)
                start = rng.randrange(0, DOC_LEN - length)
                spans[coder].append([d, rng.choice(CODES), start, start + length])
    (folder / "spans.json").write_text(json.dumps({"n_docs": size, "spans": spans}))


def available() -> str | None:
    try:
        from annotator.core.agreement import corpus_alpha  # noqa: F401
        from annotator.core.agreement.spans_f1 import span_f1  # noqa: F401
    except ImportError as exc:
        return f"annotator.core.agreement (corpus_alpha, span_f1) not importable ({exc})"
    return None


NO_BASELINE = "no outside baseline for alpha_U + F1 (absolute time and growth are reported)"


def ours(size: int, folder: Path):
    from annotator.core.agreement import corpus_alpha
    from annotator.core.agreement.spans_f1 import span_f1

    data = json.loads((folder / "spans.json").read_text())
    n_docs = data["n_docs"]
    by_coder = {c: [tuple(s) for s in rows] for c, rows in data["spans"].items()}

    def run() -> dict:
        units = [(r, code, d, s, e) for r, c in enumerate(CODERS) for d, code, s, e in by_coder[c]]
        result = corpus_alpha([DOC_LEN] * n_docs, len(CODERS), units, categories=CODES)
        exact = span_f1(by_coder, CODERS, CODES, "exact")
        overlap = span_f1(by_coder, CODERS, CODES, "overlap")
        return {
            "alpha_u": result.corpus.overall.value,
            "f1_exact": exact["micro"]["f1"],
            "f1_overlap": overlap["micro"]["f1"],
        }

    return lambda: run


def judge(row) -> bool | None:
    """'Seconds, not minutes' at 1,000 documents: under 10 s."""
    return None if row.ours.median is None else row.ours.median < 10.0


def judge_growth(exponent: float) -> bool:
    return exponent <= 1.2
