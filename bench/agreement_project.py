"""Agreement over a project: 10 coders x N documents (about 5,000 characters of prose each) x 50 spans
per coder per document, 10 codes under 2 groups, every document marked done by every coder; seeded.
Coders share about 70% of their spans (boundaries jittered, now and then a sibling code) and add
their own. Timed: the whole service call the command line and the window make,
`services.agreement.run` (the selection read from the SQLite project, then alpha_U overall, per
code, per group and per document, span F1 exact and overlap for all 45 coder pairs, sentence units
with AC1/Brennan-Prediger/Fleiss/alpha, the disagreement breakdown and the checks). The sizes for
`agreement_bootstrap` add 1,000 document resamples for every interval. No outside baseline: the
absolute time and the growth in documents are the checks.
"""

from __future__ import annotations

import random
import sqlite3
import time
from pathlib import Path

from bench.common import make_text

NAME = "agreement, all measures"
SIZE_LABEL = "10 coders x {size:,} docs x 50 spans"
TARGET = "<= 2 s at 200 docs, linear"
TARGET_SIZES = (200,)
SIZES = {"smoke": [10], "full": [50, 100, 200]}
REPEATS = {"smoke": (1, 0), "full": (3, 0)}
LIMIT = 2.0
CODERS = tuple(f"coder{i:02d}" for i in range(10))
GROUPS = {"threat": [f"threat.{k}" for k in range(5)], "referent": [f"referent.{k}" for k in range(5)]}
CODES = [c for cs in GROUPS.values() for c in cs]
NO_BASELINE = "no outside baseline for project agreement (absolute time and growth are reported)"
_LAST: dict[str, float] = {}


def _codebook() -> str:
    out = ["title: Benchmark codebook", "version: 1", "codes:"]
    for group, codes in GROUPS.items():
        out += [f"  - key: {group}", f"    name: {group}", "    codable: false", "    children:"]
        out += [f"      - key: {c}\n        name: {c}" for c in codes]
    return "\n".join(out) + "\n"


def prepare(size: int, folder: Path) -> None:
    from annotator.core.codebook import parse_codebook
    from annotator.core.documents import ImportedDocument
    from annotator.store.engine import open_project
    from annotator.store.services.codebooks import load_codebook
    from annotator.store.services.coders import ensure_coder
    from annotator.store.services.documents import store_documents

    rng = random.Random(7_000 + size)
    db = folder / "project.db"
    project = open_project(db)
    load_codebook(project, parse_codebook(_codebook(), "bench.yaml"), source="bench.yaml")
    for name in CODERS:
        ensure_coder(project, name)
    texts = [make_text(rng, 5_000).replace("\n", "\n\n") for _ in range(size)]
    store_documents(project, [ImportedDocument(f"doc_{i:04d}.txt", t, f"doc_{i:04d}.txt", "utf-8")
                              for i, t in enumerate(texts)])  # fmt: skip
    project.close()
    con = sqlite3.connect(db)
    doc_ids = [r[0] for r in con.execute("SELECT id FROM document ORDER BY id")]
    coder_ids = [r[0] for r in con.execute("SELECT id FROM coder ORDER BY name")]
    code_ids = dict(con.execute("SELECT key, id FROM code"))
    stamp = "2026-01-15 10:30:00.000000"
    rows = []
    for d, text in zip(doc_ids, texts, strict=True):
        n = len(text)
        shared = []
        for _ in range(35):
            length = rng.randint(10, 150)
            s = rng.randrange(0, n - length - 5)
            shared.append((rng.choice(CODES), s, s + length))
        for cid in coder_ids:
            mine = []
            for code, s, e in shared:
                if rng.random() < 0.1:  # a sibling code now and then
                    group = code.split(".")[0]
                    code = rng.choice(GROUPS[group])
                mine.append((code, max(0, s + rng.choice((0, 0, -2, 3))), min(n, e + rng.choice((0, 0, 2, -3)))))
            for _ in range(15):
                length = rng.randint(10, 150)
                s = rng.randrange(0, n - length)
                mine.append((rng.choice(CODES), s, s + length))
            for code, s, e in mine:
                rows.append((f"{d}-{cid}-{len(rows)}", d, cid, code_ids[code], s, e, "", stamp, stamp))
    with con:
        con.executemany(
            'INSERT INTO span (uid, document_id, coder_id, code_id, start, "end", memo, created_at, updated_at) '
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        con.executemany(
            "INSERT INTO document_status (document_id, coder_id, status, updated_at) VALUES (?, ?, 'done', ?)",
            [(d, c, stamp) for d in doc_ids for c in coder_ids],
        )
    con.close()


def available() -> str | None:
    try:
        from annotator.store.services.agreement import run  # noqa: F401
    except ImportError as exc:
        return f"annotator.store.services.agreement.run not importable ({exc})"
    return None


def make_ours(resamples: int):
    def ours(size: int, folder: Path):
        from annotator.store.engine import open_project
        from annotator.store.services.agreement import Options, load_selection, run

        project = open_project(folder / "project.db")

        def factory():
            t0 = time.perf_counter()  # untimed: the store read alone, reported as a note
            load_selection(project, list(CODERS))
            _LAST["store read (selection)"] = time.perf_counter() - t0

            def timed() -> dict:
                c0 = time.process_time()
                _sel, res = run(project, Options(list(CODERS), bootstrap=resamples, seed=1))
                _LAST["CPU time of the timed call"] = time.process_time() - c0
                return {"spans": res["counts"]["spans"], "alpha_u": res["alpha_u"]["overall"]}

            return timed

        return factory

    return ours


ours = make_ours(0)


def extra_times() -> dict[str, float]:
    return dict(_LAST)


def judge(row) -> bool | None:
    return None if row.ours.median is None else row.ours.median <= LIMIT


def judge_growth(exponent: float) -> bool:
    return exponent <= 1.2
