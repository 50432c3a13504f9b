"""Shared pieces of the benchmark suite: the benchmark protocol, seeded data and small helpers.

A benchmark module defines `NAME`, `TARGET`, `SIZES` ({"smoke": [...], "full": [...]}),
`REPEATS` ({"smoke": (ours, baseline), "full": (ours, baseline)}), `prepare(size, folder)` (writes
its input data once, untimed) and `ours(size, folder)` / `baseline(size, folder)`. The latter two
return a *factory*: each call does the untimed per-repeat setup and returns the zero-argument
callable that is timed. The callable may return a small JSON-able value (compared between ours and
baseline by the module's optional `check(ours_value, baseline_value) -> str | None`).
`available()` / `baseline_available()` return None or the reason a side cannot run.
"""

from __future__ import annotations

import os
import random
import shutil
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
Factory = Callable[[], Callable[[], object]]

# A small vocabulary with accents, Cyrillic, CJK and an emoji (non-BMP), so code point <-> UTF-16
# conversion is exercised the way real multilingual political text does.
_VOCABULARY = (
    "the government parliament minister people nation must will our their we they threat enemy "
    "security border economy crisis vote election freedom rights law order tax reform health "
    "school war peace europe union citizens future history migration climate energy jobs "
    "démocratie société été naïve Bürger Regierung über größte Москва народ выборы "
    "власть 国家 人民 🇪🇺 🙂 and or but not never always every all none of to in on for with"
)
_WORDS = _VOCABULARY.split()


def make_text(rng: random.Random, n_chars: int) -> str:
    """Deterministic prose-like text of about `n_chars` code points, paragraphs split by '\\n'."""
    out: list[str] = []
    size = 0
    sentence = 0
    while size < n_chars:
        words = [rng.choice(_WORDS) for _ in range(rng.randint(6, 24))]
        s = " ".join(words).capitalize() + ". "
        sentence += 1
        if sentence % rng.randint(3, 8) == 0:
            s = s.rstrip() + "\n"
        out.append(s)
        size += len(s)
    return "".join(out)[:n_chars].rstrip() + "\n"


def random_spans(
    rng: random.Random, text_len: int, n: int, n_codes: int = 12, min_len: int = 5, max_len: int = 200
) -> list[tuple[int, int, int]]:
    """`n` (start, end, code index) spans, overlapping freely as real coding does, sorted by start."""
    spans = []
    for _ in range(n):
        length = rng.randint(min_len, max_len)
        start = rng.randrange(0, max(1, text_len - length))
        spans.append((start, min(text_len, start + length), rng.randrange(n_codes)))
    spans.sort()
    return spans


PALETTE = (
    "#e6194b",
    "#3cb44b",
    "#ffe119",
    "#4363d8",
    "#f58231",
    "#911eb4",
    "#46f0f0",
    "#f032e6",
    "#bcf60c",
    "#fabebe",
    "#008080",
    "#e6beff",
)


def fresh_dir(path: Path) -> Path:
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    return path


def sqlite3_binary() -> str | None:
    """The sqlite3 command-line tool, or None (its baseline is then skipped with a message)."""
    return shutil.which("sqlite3")


def quiet_env() -> dict[str, str]:
    """Environment for child processes: offscreen Qt, user data kept out of the real home."""
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    return env
