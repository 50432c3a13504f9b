"""Spans import: a spans CSV of N rows (`document, coder, code, start, end, memo, text, span_id`; 3
coders, N/1,000 documents of about 10 KB, the bundled threats codebook, seeded) imported with
`annotator.store.services.span_import.import_spans_csv` into a copy of a project holding the documents
and codebook (copied untimed before each repeat; timed: streaming the file, checking every row against
the project, text column included, the duplicate and span-id checks, and storing all rows in one
transaction) vs the same rows read with `csv.reader` and inserted by one plain `sqlite3` `executemany`
into the same span table (names mapped to ids with dicts, nothing checked). Peak memory is the peak RSS
of the importing process.
"""

from __future__ import annotations

import csv
import itertools
import random
import shutil
import sqlite3
import uuid
from pathlib import Path

from bench.common import ROOT, make_text

NAME = "spans import"
SIZE_LABEL = "{size:,} rows"
TARGET = "<= 3x, peak < 500 MB"
TARGET_SIZES = (1_000_000,)
SIZES = {"smoke": [2_000], "full": [100_000, 1_000_000]}
REPEATS = {"smoke": (1, 1), "full": (3, 3)}
BUDGET_SECONDS = 60.0
CODERS = ("anna", "boris", "chen")
CODEBOOK = ROOT / "codebooks" / "threats.yaml"
_counter = itertools.count()


def prepare(size: int, folder: Path) -> None:
    from annotator.core.codebook import load_codebook_file
    from annotator.core.documents import ImportedDocument
    from annotator.store.engine import open_project
    from annotator.store.services.codebooks import get_codebook, load_codebook
    from annotator.store.services.documents import store_documents

    rng = random.Random(9_000 + size)
    n_docs = max(3, size // 1_000)
    texts = {f"speech_{i:05d}.txt": f"Speech {i}\n" + make_text(rng, 10_000) for i in range(n_docs)}
    project = open_project(folder / "empty.db")
    load_codebook(project, load_codebook_file(CODEBOOK), source=CODEBOOK.name)
    store_documents(project, [ImportedDocument(name, text, name, "utf-8") for name, text in texts.items()])
    codes = [c.key for c in get_codebook(project).iter_codes() if c.codable]
    project.close()
    names = list(texts)
    seen: set[tuple[str, str, str, int, int]] = set()
    with (folder / "spans.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(["document", "coder", "code", "start", "end", "memo", "text", "span_id"])
        while len(seen) < size:
            doc = names[len(seen) % n_docs]
            length = rng.randint(5, 120)
            start = rng.randrange(0, len(texts[doc]) - length)
            key = (doc, rng.choice(CODERS), rng.choice(codes), start, start + length)
            if key in seen:  # a span's identity is unique
                continue
            seen.add(key)
            memo = "check this passage again" if rng.random() < 0.05 else ""
            uid = uuid.UUID(int=rng.getrandbits(128), version=4).hex
            writer.writerow([*key, memo, texts[doc][start : start + length], uid])


def available() -> str | None:
    try:
        from annotator.store.services.span_import import import_spans_csv  # noqa: F401
    except ImportError as exc:
        return f"annotator.store.services.span_import not importable ({exc})"
    return None


def _fresh_copy(folder: Path) -> Path:
    target = folder / f"project-{next(_counter)}.db"
    shutil.copy(folder / "empty.db", target)
    return target


def ours(size: int, folder: Path):
    from annotator.store.engine import open_project
    from annotator.store.services.span_import import import_spans_csv

    state: dict = {}

    def factory():
        if state.get("project") is not None:
            state["project"].close()
        project = open_project(_fresh_copy(folder))
        state["project"] = project

        def run() -> int:
            report = import_spans_csv(project, folder / "spans.csv")
            if report.added != size:
                raise RuntimeError(f"imported {report.added} of {size} rows")
            return report.added

        return run

    return factory


def baseline(size: int, folder: Path):
    def factory():
        db = _fresh_copy(folder)

        def run() -> int:
            con = sqlite3.connect(db)
            docs = dict(con.execute("SELECT name, id FROM document"))
            codes = dict(con.execute('SELECT "key", id FROM code'))
            stamp = "2026-01-15 10:30:00.000000"
            for name in CODERS:
                con.execute("INSERT INTO coder (name, created_at) VALUES (?, ?)", (name, stamp))
            coders = dict(con.execute("SELECT name, id FROM coder"))
            with (folder / "spans.csv").open(encoding="utf-8", newline="") as fh:
                reader = csv.reader(fh)
                next(reader)
                rows = (
                    (uid, docs[d], coders[c], codes[k], int(s), int(e), memo, stamp, stamp)
                    for d, c, k, s, e, memo, _text, uid in reader
                )
                with con:
                    n = con.executemany(
                        'INSERT INTO span (uid, document_id, coder_id, code_id, start, "end", memo, created_at, '
                        "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        rows,
                    ).rowcount
            con.close()
            return n

        return run

    return factory


def judge(row) -> bool | None:
    if row.ratio is None or row.ours.peak_kb is None:
        return None
    return row.ratio <= 3.0 and row.ours.peak_kb < 500 * 1024
