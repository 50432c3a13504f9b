"""Re-anchor spans: a document of N characters (prose with accents, Cyrillic, CJK and emoji, paragraphs
split by line breaks), N/1,000 scattered edits (insertions, deletions and replacements of 1-40
characters, inserted text from the same generator) and N/100 spans of 5-200 characters, seeded. Timed:
`annotator.core.text_diff.align` + `annotator.core.reanchor.reanchor` from the two texts in memory to the
moved / changed / lost lists. Baseline, in the same run: the straightforward difflib mapping, i.e.
`difflib.SequenceMatcher(autojunk=False)` on lines, each replaced block refined by another
SequenceMatcher(autojunk=False) on its characters, then the same moved / changed / lost rule without
ambiguity handling or relocation. (A single difflib character diff of the whole text is not a usable
baseline: it grows faster than quadratically and does not finish at these sizes.) Check: both sides
account for every span.
"""

from __future__ import annotations

import bisect
import difflib
import json
import random
import time
from pathlib import Path

from bench.common import make_text, random_spans

NAME = "re-anchor spans"
TARGET = "<= 2 s at 1 MB"
TARGET_SIZES = (1_000_000,)
SIZES = {"smoke": [20_000], "full": [100_000, 300_000, 1_000_000]}
REPEATS = {"smoke": (1, 1), "full": (5, 2)}
BUDGET_SECONDS = 60.0

_phases: dict[str, object] = {}


def size_label(size: int) -> str:
    return f"{size / 1e6:g} MB, {size // 1_000:,} edits, {size // 100:,} spans"


def prepare(size: int, folder: Path) -> None:
    rng = random.Random(18_000 + size)
    old = make_text(rng, size)
    n_edits = size // 1_000
    positions = sorted(rng.sample(range(len(old) - 50), n_edits))
    pieces: list[str] = []
    last = 0
    for pos in positions:
        if pos < last:
            continue
        pieces.append(old[last:pos])
        kind = rng.random()
        length = rng.randint(1, 40)
        inserted = make_text(rng, rng.randint(1, 40))
        if kind < 1 / 3:  # insertion
            pieces.append(inserted)
            last = pos
        elif kind < 2 / 3:  # deletion
            last = pos + length
        else:  # replacement
            pieces.append(inserted)
            last = pos + length
    pieces.append(old[last:])
    new = "".join(pieces)
    spans = [[i, s, e] for i, (s, e, _code) in enumerate(random_spans(rng, len(old), size // 100))]
    (folder / "old.txt").write_text(old, encoding="utf-8")
    (folder / "new.txt").write_text(new, encoding="utf-8")
    (folder / "spans.json").write_text(json.dumps(spans))


def _load(folder: Path) -> tuple[str, str, list[tuple[int, int, int]]]:
    old = (folder / "old.txt").read_text(encoding="utf-8")
    new = (folder / "new.txt").read_text(encoding="utf-8")
    spans = [(i, s, e) for i, s, e in json.loads((folder / "spans.json").read_text())]
    return old, new, spans


def available() -> str | None:
    try:
        from annotator.core.reanchor import reanchor  # noqa: F401
        from annotator.core.text_diff import align  # noqa: F401
    except ImportError as exc:
        return f"annotator.core.reanchor / text_diff not importable ({exc})"
    return None


def ours(size: int, folder: Path):
    from annotator.core.reanchor import reanchor
    from annotator.core.text_diff import align

    old, new, spans = _load(folder)

    def run() -> dict[str, int]:
        t0 = time.perf_counter()
        alignment = align(old, new)
        t1 = time.perf_counter()
        result = reanchor(old, new, spans, alignment)
        _phases.update(align=t1 - t0, map=time.perf_counter() - t1, outcome=str(result.summary()))
        return result.summary().as_dict()

    return lambda: run


def extra_times() -> dict[str, object]:
    return dict(_phases)


def baseline(size: int, folder: Path):
    old, new, spans = _load(folder)
    return lambda: lambda: _difflib_reanchor(old, new, spans)


def _difflib_reanchor(old: str, new: str, spans: list[tuple[int, int, int]]) -> dict[str, int]:
    old_lines, new_lines = old.splitlines(keepends=True), new.splitlines(keepends=True)
    old_at = [0, *_cumulative(old_lines)]
    new_at = [0, *_cumulative(new_lines)]
    blocks: list[tuple[int, int, int]] = []
    lines = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in lines.get_opcodes():
        a0, b0 = old_at[i1], new_at[j1]
        if tag == "equal":
            blocks.append((a0, b0, old_at[i2] - a0))
        elif tag == "replace":
            chars = difflib.SequenceMatcher(None, old[a0 : old_at[i2]], new[b0 : new_at[j2]], autojunk=False)
            blocks.extend((a0 + m.a, b0 + m.b, m.size) for m in chars.get_matching_blocks() if m.size)
    starts = [b[0] for b in blocks]
    ends = [b[0] + b[2] for b in blocks]
    counts = {"moved": 0, "changed": 0, "lost": 0}
    for _id, start, end in spans:
        k = bisect.bisect_right(starts, start) - 1
        if k >= 0 and end <= blocks[k][0] + blocks[k][2]:
            counts["moved"] += 1
            continue
        first = bisect.bisect_right(ends, start)  # the first block ending after start
        survives = first < len(blocks) and blocks[first][0] < end
        counts["changed" if survives else "lost"] += 1
    counts["total"] = sum(counts.values())
    return counts


def _cumulative(lines: list[str]) -> list[int]:
    out, total = [], 0
    for line in lines:
        total += len(line)
        out.append(total)
    return out


def check(ours_value: object, baseline_value: object) -> str | None:
    """None when both sides report every span exactly once (their verdicts may differ: different diffs)."""
    if not isinstance(ours_value, dict) or not isinstance(baseline_value, dict):
        return f"a value is missing (ours {ours_value}, baseline {baseline_value})"
    if ours_value["total"] != baseline_value["total"]:
        return f"span totals differ (ours {ours_value}, baseline {baseline_value})"
    return None


def judge(row) -> bool | None:
    if row.ours.median is None:
        return None
    return row.ours.median <= 2.0 and row.check_error is None
