"""Data and helpers shared by the two text-pane benchmarks (open document, apply one code).

Data: a seeded multilingual text of 1 MB (100 KB at smoke sizes) and N spans (5-200 characters,
overlapping freely) coded with the bundled threats codebook's codes by coder "anna", saved as JSON and
as a real project (SQLite) so the GUI's controller path can be timed too. Both sides get widgets of
the same size (900 x 700, shown offscreen, same font); "painted" means `QWidget.repaint()`, which
renders the whole widget and its children (text viewport, stripes margin) synchronously, then
`processEvents()` for whatever else is pending: the screen a user sees is actually drawn once, not
just scheduled (a real frame repaints only the dirty region, so this is an upper bound).
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import uuid
from pathlib import Path

from bench.common import ROOT, make_text

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
CODEBOOK = ROOT / "codebooks" / "threats.yaml"
CODER = "anna"
WIDTH, HEIGHT = 900, 700


def text_chars(n_spans: int) -> int:
    return 1_000_000 if n_spans >= 1_000 else 100_000


def prepare(size: int, folder: Path) -> None:
    from annotator.core.codebook import load_codebook_file
    from annotator.core.documents import ImportedDocument
    from annotator.store.engine import open_project
    from annotator.store.services.codebooks import load_codebook
    from annotator.store.services.coders import ensure_coder
    from annotator.store.services.documents import store_documents

    rng = random.Random(1_000 + size)
    text = make_text(rng, text_chars(size))
    book = load_codebook_file(CODEBOOK)
    codes = [c.key for c in book.iter_codes() if c.codable]
    spans = []
    for _ in range(size):
        length = rng.randint(5, 200)
        start = rng.randrange(0, len(text) - length)
        spans.append((start, start + length, rng.choice(codes)))
    spans.sort()
    (folder / "text.txt").write_text(text, encoding="utf-8")
    (folder / "spans.json").write_text(
        json.dumps({"spans": spans, "colors": {c.key: c.color for c in book.iter_codes()}})
    )
    project = open_project(folder / "project.db")
    load_codebook(project, book, source=CODEBOOK.name)
    ensure_coder(project, CODER)
    store_documents(project, [ImportedDocument("speech.txt", text, "speech.txt", "utf-8")])
    project.close()
    con = sqlite3.connect(folder / "project.db")
    code_ids = dict(con.execute("SELECT key, id FROM code"))
    coder_id = con.execute("SELECT id FROM coder WHERE name = ?", (CODER,)).fetchone()[0]
    stamp = "2026-01-15 10:30:00.000000"
    with con:
        con.executemany(
            'INSERT INTO span (uid, document_id, coder_id, code_id, start, "end", memo, created_at, '
            "updated_at) VALUES (?, 1, ?, ?, ?, ?, '', ?, ?)",
            [
                (str(uuid.UUID(int=rng.getrandbits(128), version=4)), coder_id, code_ids[k], s, e, stamp, stamp)
                for s, e, k in spans
            ],
        )
    con.close()


def load_data(folder: Path) -> tuple[str, list[tuple[int, int, str]], dict[str, str]]:
    data = json.loads((folder / "spans.json").read_text())
    return (folder / "text.txt").read_text(encoding="utf-8"), [tuple(s) for s in data["spans"]], data["colors"]


def app():
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication([])


def records(spans):
    from annotator.core.spans import SpanRecord

    return [
        SpanRecord(id=i + 1, uid=f"u{i}", document_id=1, document="speech.txt", coder=CODER, code_key=k, start=s, end=e)
        for i, (s, e, k) in enumerate(spans)
    ]


def span_table(spans):
    """The spans as the store hands them to the window: one SpanTable (columns in position order)."""
    from annotator.core.span_table import SpanTable

    return SpanTable.from_records(records(spans))


def view_available() -> str | None:
    """None when the GUI's DocumentView with load()/put_span() exists, else why not."""
    try:
        from annotator.gui.coding.document_view import DocumentView
    except ImportError as exc:
        return f"annotator.gui.coding.document_view.DocumentView not importable ({exc})"
    missing = [m for m in ("load", "put_span", "set_colors") if not hasattr(DocumentView, m)]
    return f"DocumentView lacks {', '.join(missing)}" if missing else None


def paint(widget) -> None:
    """Let Qt run pending work, then render the visible screen (what the user sees)."""
    widget.repaint()
    app().processEvents()


# ----------------------------------------------------------------------------- the naive baseline


class NaiveEdit:
    """The issue's baseline: a QTextEdit and one QTextCursor.mergeCharFormat per span.

    By default the merges run inside one `beginEditBlock()`/`endEditBlock()`, so Qt lays the document
    out once instead of after every merge: the fastest form of the naive way (without the edit block it
    is about 100 times slower here, which would make a strawman baseline; `edit_block=False` measures
    that variant too, reported as a note).
    """

    def __init__(self, colors: dict[str, str]) -> None:
        from PySide6.QtGui import QColor, QFont, QTextCharFormat
        from PySide6.QtWidgets import QTextEdit

        app()
        self.edit = QTextEdit()
        self.edit.setReadOnly(True)
        font = QFont("DejaVu Serif", 12)
        self.edit.setFont(font)
        self.edit.resize(WIDTH, HEIGHT)
        self.edit.show()
        self.formats = {}
        for key, color in colors.items():
            fmt = QTextCharFormat()
            fmt.setBackground(QColor(color))
            self.formats[key] = fmt

    def highlight(self, spans, offsets, edit_block: bool = True) -> None:
        from PySide6.QtGui import QTextCursor

        cursor = QTextCursor(self.edit.document())
        if edit_block:
            cursor.beginEditBlock()
        for s, e, k in spans:
            cursor.setPosition(offsets.to_utf16(s))
            cursor.setPosition(offsets.to_utf16(e), QTextCursor.MoveMode.KeepAnchor)
            cursor.mergeCharFormat(self.formats[k])
        if edit_block:
            cursor.endEditBlock()

    def load(self, text: str, spans, edit_block: bool = True) -> None:
        from annotator.core.offsets import OffsetMap

        self.edit.setPlainText(text)
        self.highlight(spans, OffsetMap.for_text(text), edit_block)

    def rehighlight_all(self, spans, offsets) -> None:
        """The naive way to show one more span: clear every format and merge them all again."""
        from PySide6.QtGui import QTextCharFormat, QTextCursor

        cursor = QTextCursor(self.edit.document())
        cursor.beginEditBlock()
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.setCharFormat(QTextCharFormat())
        cursor.endEditBlock()
        self.highlight(spans, offsets)
