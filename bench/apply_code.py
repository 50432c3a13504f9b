"""Apply one code: the document of "open document" (1 MB, N spans) is open and scrolled to its middle;
a passage on screen is selected (untimed), then a code is applied. Ours: the GUI path a key press takes,
`CodingController.code_selection(key)`: the span is committed to the SQLite project (one transaction),
added to the view (only the blocks it touches are re-highlighted), the spans table and undo stack are
updated, and the screen is painted. Baseline: the naive full re-highlight in a QTextEdit: clear every
format, merge all N+1 spans again (inside one edit block), paint. Notes give the view-only part
(`DocumentView.put_span` + paint) and the store write alone.
"""

from __future__ import annotations

import random
import time
from pathlib import Path

from bench import qt_common as q

NAME = "apply one code"
SIZE_LABEL = "{size:,} spans"
TARGET = "median <= 16 ms"
TARGET_SIZES = (10_000, 100_000)
SIZES = {"smoke": [300], "full": [10_000, 100_000]}
REPEATS = {"smoke": (2, 1), "full": (31, 7)}
BUDGET_SECONDS = 25.0
_state: dict[str, object] = {}


def size_label(size: int) -> str:
    return f"{q.text_chars(size) // 1000:,} KB text, {size:,} spans"


prepare = q.prepare


def available() -> str | None:
    reason = q.view_available()
    if reason:
        return reason
    try:
        from annotator.gui.coding.controller import CodingController
    except ImportError as exc:
        return f"annotator.gui.coding.controller.CodingController not importable ({exc})"
    return None if hasattr(CodingController, "code_selection") else "CodingController lacks code_selection"


def _scroll_to_middle(widget, q_pos: int) -> None:
    cursor = widget.textCursor()
    cursor.setPosition(q_pos)
    widget.setTextCursor(cursor)
    widget.ensureCursorVisible()
    q.paint(widget)


def _visible_passage(view, rng: random.Random) -> tuple[int, int]:
    first, last = view.visible_range()
    qs = rng.randrange(first, max(first + 1, last - 80))
    return view.positions.range_to_store(qs, qs + rng.randint(10, 60))


def ours(size: int, folder: Path):
    from annotator.gui.coding.controller import CodingController
    from annotator.gui.coding.document_view import DocumentView
    from annotator.gui.coding.spans_model import SpansModel
    from annotator.store.engine import open_project

    text, spans, _colors = q.load_data(folder)
    codes = sorted({k for _s, _e, k in spans})
    rng = random.Random(99)
    q.app()
    project = open_project(folder / "project.db")
    view = DocumentView()
    view.resize(q.WIDTH, q.HEIGHT)
    view.show()
    ctl = CodingController(project, q.CODER, view, SpansModel())
    ctl.open_document(1)
    if hasattr(view, "ensure_loaded"):
        view.ensure_loaded()  # the pane loads long texts progressively; the middle must be in it
    _scroll_to_middle(view, view.positions.to_qt(len(text) // 2))
    _state.update(view=view, project=project, rng=rng, codes=codes)

    def factory():
        start, end = _visible_passage(view, rng)
        view.select_range(start, end)
        q.paint(view)
        code = rng.choice(codes)

        def run() -> int:
            record = ctl.code_selection(code)
            q.paint(view)
            if record is None:
                raise RuntimeError(f"code_selection refused: {ctl.errors[-1:] or 'no message'}")
            return 1

        return run

    factory()()  # warm-up (untimed)
    return factory


def extra_times() -> dict[str, float]:
    """The view-only part and the store write alone, each a median of 15."""
    from annotator.core.spans import SpanRecord
    from annotator.store.services.spans import add_span

    view, project, rng, codes = (_state[k] for k in ("view", "project", "rng", "codes"))
    view_times, store_times = [], []
    for i in range(15):
        start, end = _visible_passage(view, rng)
        code = rng.choice(codes)
        rec = SpanRecord(
            id=10_000_000 + i,
            uid=f"x{i}",
            document_id=1,
            document="speech.txt",
            coder=q.CODER,
            code_key=code,
            start=start,
            end=end,
        )
        t0 = time.perf_counter()
        view.put_span(rec)
        q.paint(view)
        view_times.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        add_span(project, document_id=1, acting_coder=q.CODER, code_key=code, start=start, end=end)
        store_times.append(time.perf_counter() - t0)
    return {
        "DocumentView.put_span + paint, median": sorted(view_times)[7],
        "store add_span alone, median": sorted(store_times)[7],
    }


def baseline(size: int, folder: Path):
    from annotator.core.offsets import OffsetMap

    text, spans, colors = q.load_data(folder)
    codes = sorted({k for _s, _e, k in spans})
    offsets = OffsetMap.for_text(text)
    rng = random.Random(99)
    naive = q.NaiveEdit(colors)
    naive.load(text, spans)
    _scroll_to_middle(naive.edit, offsets.to_utf16(len(text) // 2))
    current = list(spans)

    def factory():
        cursor = naive.edit.cursorForPosition(naive.edit.viewport().rect().center())
        start = offsets.to_codepoint(cursor.position())
        current.append((start, min(len(text), start + rng.randint(10, 60)), rng.choice(codes)))

        def run() -> int:
            naive.rehighlight_all(current, offsets)
            q.paint(naive.edit)
            return 1

        return run

    return factory


def judge(row) -> bool | None:
    return None if row.ours.median is None else row.ours.median <= 0.016
