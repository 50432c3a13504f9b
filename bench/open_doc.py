"""Open document: a 1 MB text with N spans shown in the coding window's text pane, until the first
screen is painted. Ours: the GUI's `DocumentView.load(text, spans)` (code point -> UTF-16 conversion of
all spans, span index, the first ~32 KB of text put into the pane, the blocks on screen highlighted,
stripes margin) then the first screen painted; the rest of the text is appended in the background in
128 KB pieces (progressive loading), and the one piece the event loop runs during "paint" is inside the
timed part. The spans are a `SpanTable` already in memory (the columns the store query returns).
Baseline: `QTextEdit.setPlainText` then one `QTextCursor.mergeCharFormat` per span inside one edit
block (Qt lays out once), then the first screen painted; the same without the edit block (a layout
after every merge) is reported as a note up to 10,000 spans. Same widget size and font, one warm-up
load each (untimed). The ratio compares first screens (the baseline has nothing earlier to show).
Extras (not in the ratio): the time until the whole text is in our pane (load, first paint, every
background piece, final paint), and the full controller path `CodingController.open_document` (store
query of the spans + load + spans table + first screen), the time a coder waits after clicking a
document.
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
    from annotator.core.span_table import SpanTable
    from annotator.gui.coding.document_view import DocumentView

    text, spans, colors = q.load_data(folder)
    table = q.span_table(spans)
    q.app()
    view = DocumentView()
    view.set_colors(colors)
    view.resize(q.WIDTH, q.HEIGHT)
    view.show()
    view.load(text[:20_000], q.span_table([s for s in spans if s[1] <= 20_000][:50]))  # warm-up: fonts, layout
    q.paint(view)

    def run() -> int:
        view.load(text, table)
        q.paint(view)
        return len(table)

    def factory():
        view.load("", SpanTable.empty())
        q.paint(view)
        return run

    _extra["folder"] = folder
    _extra["n"] = size
    _extra["view"] = (view, text, table)
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

    from annotator.gui.coding.controller import CodingController
    from annotator.gui.coding.document_view import DocumentView
    from annotator.gui.coding.spans_model import SpansModel
    from annotator.store.engine import open_project

    out = _fully_loaded_time()
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
    out[f"controller open_document (store query + view + table + first screen), median of {runs}"] = sorted(times)[
        len(times) // 2
    ]
    return out


def _fully_loaded_time() -> dict[str, float]:
    """Load + first paint + every background piece + a final paint: the whole text is in the pane."""
    import time

    from annotator.core.span_table import SpanTable

    view, text, table = _extra["view"]  # type: ignore[misc]
    if not hasattr(view, "fully_loaded"):
        return {}
    times = []
    for _ in range(5):
        view.load("", SpanTable.empty())
        q.paint(view)
        t0 = time.perf_counter()
        view.load(text, table)
        q.paint(view)
        while not view.fully_loaded:
            q.app().processEvents()
        q.paint(view)
        times.append(time.perf_counter() - t0)
    return {
        "fully loaded (load + first screen + background pieces until the whole text is in the pane "
        "+ paint), median of 5": sorted(times)[2]
    }


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
