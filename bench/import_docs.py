"""Import: N plain-text files of about 10 KB each (UTF-8, multilingual, seeded) imported with
`annotator.store.services.documents.import_files` into a fresh SQLite project (created untimed before
each repeat; the timed part is reading, decoding, checking and storing all files in one transaction,
on disk) vs reading the same files with plain Python `open(path, encoding="utf-8").read()`.
"""

from __future__ import annotations

import itertools
import random
from pathlib import Path

from bench.common import make_text

NAME = "import"
SIZE_LABEL = "{size:,} docs, {mb} MB"
TARGET = "<= 5x"
TARGET_SIZES = (1_000,)
SIZES = {"smoke": [20], "full": [100, 300, 1_000]}
REPEATS = {"smoke": (1, 1), "full": (5, 7)}
DOC_CHARS = 10_000
_counter = itertools.count()


def size_label(size: int) -> str:
    return f"{size:,} docs, {size * DOC_CHARS / 1e6:.3g} MB"


def prepare(size: int, folder: Path) -> None:
    rng = random.Random(7_000 + size)
    docs = folder / "docs"
    docs.mkdir(exist_ok=True)
    for i in range(size):
        # Each file is distinct (a numbered title line) so none is refused as a duplicate.
        (docs / f"speech_{i:05d}.txt").write_text(f"Speech {i}\n" + make_text(rng, DOC_CHARS - 20), encoding="utf-8")


def _paths(folder: Path) -> list[Path]:
    return sorted((folder / "docs").glob("*.txt"))


def available() -> str | None:
    try:
        from annotator.store.services.documents import import_files  # noqa: F401
    except ImportError as exc:
        return f"annotator.store.services.documents.import_files not importable ({exc})"
    return None


def ours(size: int, folder: Path):
    from annotator.store.engine import open_project
    from annotator.store.services.documents import import_files

    paths = _paths(folder)
    state: dict = {}

    def factory():
        if state.get("project") is not None:
            state["project"].close()
        project = open_project(folder / f"project-{next(_counter)}.db")
        state["project"] = project

        def run() -> int:
            report = import_files(project, paths)
            if report.errors or len(report.imported) != len(paths):
                raise RuntimeError(f"import reported errors: {report.errors[:3]}")
            return len(report.imported)

        return run

    return factory


def baseline(size: int, folder: Path):
    paths = _paths(folder)

    def run() -> int:
        total = 0
        for p in paths:
            with open(p, encoding="utf-8") as handle:
                total += len(handle.read())
        return total

    return lambda: run


def judge(row) -> bool | None:
    return None if row.ratio is None else row.ratio <= 5.0
