"""Writing span rows as CSV (RFC 4180) or JSON Lines, streamed into a file that appears atomically.

Rows are plain tuples, produced one at a time by the store's export service (`export_spans`, the
one place a span export happens), so a million spans cost no more memory than one. The file is written
beside its final name and renamed into place only when complete (`atomic_text_file`): an interrupted
export never leaves a truncated file under the real name (the old file, if any, stays as it was).

`--excel` mode: UTF-8 with a byte-order mark (Excel otherwise guesses a legacy code page) and every
cell that a spreadsheet would run as a formula (first character `=`, `+`, `-`, `@`, tab or carriage
return) is prefixed with a single quote `'`. That changes the cell text, so an Excel-mode file is
for reading by people; the plain CSV is the exact, re-importable one.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from pathlib import Path

from annotator.core.atomic import atomic_text_file

# The fixed columns of a span export, in order; document attributes follow as `attr_<name>`.
COLUMNS = (
    "span_id",
    "document",
    "coder",
    "code",
    "code_name",
    "code_path",
    "start",
    "end",
    "text",
    "memo",
    "created_at",
    "updated_at",
)
ATTR_PREFIX = "attr_"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BATCH = 10_000  # rows per writerows call when nobody watches the progress


def neutralise(value: object) -> object:
    """A cell a spreadsheet would evaluate as a formula, made inert with a leading `'`."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _chunks(rows: Iterable[Sequence[object]], size: int) -> Iterator[list[Sequence[object]]]:
    it = iter(rows)
    while chunk := list(islice(it, size)):
        yield chunk


def write_csv(
    path: str | Path,
    columns: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    excel: bool = False,
    progress: Callable[[int], None] | None = None,
    progress_every: int = BATCH,
) -> int:
    """Write rows (tuples in `columns` order) as RFC 4180 CSV: CRLF records, minimal quoting, UTF-8.

    Newlines inside cells are written as they are (inside quotes), so `text` keeps its line breaks;
    None is an empty cell. Rows go to `csv.writer.writerows` in chunks (the loop stays in C), and
    `progress(count)` is called after every `progress_every` rows; an exception raised by it (a cancel)
    aborts the export and removes the temporary file.
    """
    count = 0
    size = max(1, progress_every) if progress is not None else BATCH
    with atomic_text_file(path, encoding="utf-8-sig" if excel else "utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
        writer.writerow(columns)
        for chunk in _chunks(rows, size):
            writer.writerows(_neutralise_rows(chunk) if excel else chunk)
            count += len(chunk)
            if progress is not None:
                progress(count)
    return count


def _neutralise_rows(chunk: list[Sequence[object]]) -> list[list[object]]:
    starts = FORMULA_STARTS
    return [["'" + v if isinstance(v, str) and v.startswith(starts) else v for v in row] for row in chunk]


def write_jsonl(
    path: str | Path,
    columns: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    progress: Callable[[int], None] | None = None,
    progress_every: int = BATCH,
) -> int:
    """One JSON object per line (UTF-8, `\\n`) from tuples in `columns` order; offsets stay integers,
    missing values are null; `progress` as in `write_csv`."""
    count = 0
    encode = json.JSONEncoder(ensure_ascii=False).encode
    keys = list(columns)
    size = max(1, progress_every) if progress is not None else BATCH
    with atomic_text_file(path, newline="\n") as handle:
        for chunk in _chunks(rows, size):
            handle.write("".join([encode(dict(zip(keys, row, strict=True))) + "\n" for row in chunk]))
            count += len(chunk)
            if progress is not None:
                progress(count)
    return count
