"""CSV export: N spans (3 coders, N/1,000 documents of about 10 KB, the bundled threats codebook;
spans inserted untimed with one executemany) exported with `annotator --project P export csv OUT`
run as a command (process start-up included) vs the `sqlite3` command-line tool writing the same
columns in the same order with `.mode csv` (same joins, `substr` for the span text, parent > child code
path). Peak memory is the peak RSS of the exporting process.
"""

from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

from bench.common import ROOT, make_text, sqlite3_binary

NAME = "CSV export"
SIZE_LABEL = "{size:,} spans"
TARGET = "<= 2x, peak < 200 MB"
TARGET_SIZES = (1_000_000,)
SIZES = {"smoke": [3_000], "full": [100_000, 1_000_000]}
REPEATS = {"smoke": (1, 1), "full": (3, 3)}
MEMORY_OF = BASELINE_MEMORY_OF = "children"
BUDGET_SECONDS = 20.0
CODERS = ("anna", "boris", "chen")
CODEBOOK = ROOT / "codebooks" / "threats.yaml"

BASELINE_SQL = """
SELECT s.uid AS span_id, d.name AS document, c.name AS coder, k.key AS code, k.name AS code_name,
       CASE WHEN p.id IS NULL THEN k.name ELSE p.name || ' > ' || k.name END AS code_path,
       s.start AS start, s."end" AS "end", substr(d.text, s.start + 1, s."end" - s.start) AS text,
       s.memo AS memo, s.created_at AS created_at, s.updated_at AS updated_at
FROM span s JOIN document d ON d.id = s.document_id JOIN coder c ON c.id = s.coder_id
     JOIN code k ON k.id = s.code_id LEFT JOIN code p ON p.id = k.parent_id
ORDER BY d.position, s.document_id, s.start, s."end", s.id;
"""


def prepare(size: int, folder: Path) -> None:
    from annotator.core.codebook import load_codebook_file
    from annotator.core.documents import ImportedDocument
    from annotator.store.engine import open_project
    from annotator.store.services.codebooks import load_codebook
    from annotator.store.services.coders import ensure_coder
    from annotator.store.services.documents import store_documents

    rng = random.Random(4_000 + size)
    n_docs = max(3, size // 1_000)
    db = folder / "project.db"
    project = open_project(db)
    load_codebook(project, load_codebook_file(CODEBOOK), source=CODEBOOK.name)
    for name in CODERS:
        ensure_coder(project, name)
    texts = [f"Speech {i}\n" + make_text(rng, 10_000) for i in range(n_docs)]
    store_documents(
        project,
        [ImportedDocument(f"speech_{i:05d}.txt", t, f"speech_{i:05d}.txt", "utf-8") for i, t in enumerate(texts)],
    )
    project.close()
    con = sqlite3.connect(db)
    doc_ids = [r[0] for r in con.execute("SELECT id FROM document ORDER BY id")]
    coder_ids = [r[0] for r in con.execute("SELECT id FROM coder ORDER BY id")]
    code_ids = [r[0] for r in con.execute("SELECT id FROM code WHERE codable ORDER BY id")]
    # Vectorised generation (seeded numpy) keeps setup short at a million rows.
    gen = np.random.default_rng(4_000 + size)
    doc = np.arange(size) % n_docs
    length = gen.integers(5, 121, size)
    lens = np.array([len(t) for t in texts])[doc]
    start = (gen.random(size) * (lens - length)).astype(np.int64)
    coder = np.array(coder_ids)[gen.integers(0, len(coder_ids), size)]
    code = np.array(code_ids)[gen.integers(0, len(code_ids), size)]
    memo = np.where(gen.random(size) < 0.05, "check this passage again", "")
    raw = gen.bytes(16 * size).hex()
    uids = [f"{h[:12]}4{h[13:16]}a{h[17:32]}" for h in (raw[i : i + 32] for i in range(0, len(raw), 32))]
    # Every span coded at its own moment (microseconds apart over months), a tenth edited later: the
    # export formats every timestamp, none is repeated from the row before.
    base = datetime(2026, 1, 15, 10, 30)
    created_us = np.sort(gen.integers(0, 180 * 86_400 * 10**6, size))
    edited = gen.random(size) < 0.1
    updated_us = created_us + np.where(edited, gen.integers(1, 86_400 * 10**6, size), 0)
    created = [str(base + timedelta(microseconds=int(us))) for us in created_us.tolist()]
    updated = [str(base + timedelta(microseconds=int(us))) for us in updated_us.tolist()]
    rows = zip(
        uids,
        np.array(doc_ids)[doc].tolist(),
        coder.tolist(),
        code.tolist(),
        start.tolist(),
        (start + length).tolist(),
        memo.tolist(),
        created,
        updated,
        strict=True,
    )
    con.execute("PRAGMA cache_size = -262144")  # 256 MB page cache: the uid index is built without spilling
    with con:
        con.executemany(
            'INSERT INTO span (uid, document_id, coder_id, code_id, start, "end", memo, created_at, '
            "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
    con.close()


def baseline_available() -> str | None:
    if sqlite3_binary() is None:
        return "the sqlite3 command-line tool is not installed (Debian: apt-get install sqlite3); baseline skipped"
    return None


def available() -> str | None:
    try:
        from annotator.store.services import export  # noqa: F401
    except ImportError as exc:
        return f"annotator.store.services.export not importable ({exc})"
    return None


def _env(folder: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["ANNOTATOR_DATA_DIR"] = str(folder / "userdata")
    return env


def _rows_in(path: Path) -> int:
    with open(path, "rb") as handle:
        return sum(chunk.count(b"\r\n") for chunk in iter(lambda: handle.read(1 << 20), b""))


def ours(size: int, folder: Path):
    out = folder / "ours.csv"
    cmd = [sys.executable, "-m", "annotator", "--project", str(folder / "project.db"), "export", "csv", str(out)]

    def run() -> int:
        proc = subprocess.run(cmd, capture_output=True, text=True, env=_env(folder))
        if proc.returncode != 0:
            raise RuntimeError(f"annotator export failed: {proc.stderr.strip()[-300:]}")
        return size

    return lambda: run


def baseline(size: int, folder: Path):
    out = folder / "baseline.csv"
    script = f".headers on\n.mode csv\n.output {out}\n{BASELINE_SQL}\n.output stdout\n"
    binary = sqlite3_binary() or "sqlite3"

    def run() -> int:
        proc = subprocess.run([binary, str(folder / "project.db")], input=script, capture_output=True, text=True)
        if proc.returncode != 0:
            raise RuntimeError(f"sqlite3 failed: {proc.stderr.strip()[-300:]}")
        return size

    return lambda: run


def judge(row) -> bool | None:
    if row.ratio is None or row.ours.peak_kb is None:
        return None
    return row.ratio <= 2.0 and row.ours.peak_kb < 200 * 1024
