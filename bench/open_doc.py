"""Open document: a 1 MB text with N spans shown in the coding window's text pane. Ours: the GUI's
`DocumentView.load(text, spans)` (code point -> UTF-16 conversion, span index, every block
highlighted by the span highlighter, stripes margin) then the first screen painted; the spans are
SpanRecords already in memory. Baseline: `QTextEdit.setPlainText` then one
`QTextCursor.mergeCharFormat` per span inside one edit block (Qt lays out once), then the first screen
painted; the same without the edit block (a layout after every merge) is reported as a note up to
10,000 spans. Same widget size and font, one
warm-up load each (untimed). Extra (not in the ratio): the full controller path
`CodingController.open_document` (store query of the spans + load + spans table), the time a coder
waits after clicking a document.
"""

from __future__ import annotations

from pathlib import Path

from bench import qt_common as q

NAME = "open document"
SIZE_LABEL = "{size:,} spans"
TARGET = "<= 0.2x, near-flat 10k->100k"
TARGET_SIZES = (10_000, 100_000)
SIZES = {"smoke": [300], "full": [1_000, 10_000, 100_000]}
REPEATS = {"smoke": (1, 1), "full": (5, 5)}
BUDGET_SECONDS = 25.0
_extra: dict[str, object] = {}


def size_label(size: int) -> str:
    return f"{q.text_chars(size) // 1000:,} KB text, {size:,} spans"


prepare = q.prepare
available = q.view_available


def ours(size: int, folder: Path):
    from annotator.gui.document_view import DocumentView

    text, spans, colors = q.load_data(folder)
    recs = q.records(spans)
    q.app()
    view = DocumentView()
    view.set_colors(colors)
    view.resize(q.WIDTH, q.HEIGHT)
    view.show()
    view.load(text[:20_000], [r for r in recs if r.end <= 20_000][:50])  # warm-up: fonts, first layout
    q.paint(view)

    def run() -> int:
        view.load(text, recs)
        q.paint(view)
        return len(recs)

    def factory():
        view.load("", [])
        q.paint(view)
        return run
    _extra["folder"] = folder
    _extra["n"] = size
    return factory


def baseline_extra_times() -> dict[str, float]:
    """The naive way without an edit block, timed once (too slow to repeat at large sizes)."""
    import time

    naive, text, spans = _extra["naive"]  # type: ignore[misc]
    if len(spans) > 10_000:
        return {}
    naive.edit.clear()
    q.paint(naive.edit)
    t0 = time.perf_counter()
    naive.load(text, spans, edit_block=False)
    q.paint(naive.edit)
    return {"QTextEdit merges without an edit block, one run": time.perf_counter() - t0}


def extra_times() -> dict[str, float]:
    """Median time of the controller path (store query + view load + spans table + paint)."""
    import time

    from annotator.gui.controller import CodingController
    from annotator.gui.document_view import DocumentView
    from annotator.gui.spans_model import SpansModel
    from annotator.store.engine import open_project

    folder = Path(_extra["folder"])  # type: ignore[arg-type]
    project = open_project(folder / "project.db")
    view = DocumentView()
    view.resize(q.WIDTH, q.HEIGHT)
    view.show()
    ctl = CodingController(project, q.CODER, view, SpansModel())
    times = []
    runs = 1 if int(_extra.get("n", 0)) > 10_000 else 3  # type: ignore[call-overload]
    for _ in range(runs):
        ctl.open_document(None)
        q.paint(view)
        t0 = time.perf_counter()
        ctl.open_document(1)
        q.paint(view)
        times.append(time.perf_counter() - t0)
    project.close()
    return {f"controller open_document (store query + view + table + paint), median of {runs}":
            sorted(times)[len(times) // 2]}


def baseline(size: int, folder: Path):
    text, spans, colors = q.load_data(folder)
    naive = q.NaiveEdit(colors)
    _extra["naive"] = (naive, text, spans)
    naive.load(text[:20_000], [s for s in spans if s[1] <= 20_000][:50])
    q.paint(naive.edit)

    def run() -> int:
        naive.load(text, spans)
        q.paint(naive.edit)
        return len(spans)

    def factory():
        naive.edit.clear()
        q.paint(naive.edit)
        return run
    return factory


def judge(row) -> bool | None:
    return None if row.ratio is None else row.ratio <= 0.2


def judge_growth(exponent: float) -> bool:
    """Near-flat: 10x more spans may cost at most about 2x (size exponent <= 0.3)."""
    return exponent <= 0.3
