"""Writing span rows as CSV (RFC 4180) or JSON Lines, streamed into a file that appears atomically.

Rows are plain dicts, produced one at a time by the store's export service, so a million spans cost
no more memory than one. The file is written beside its final name and renamed into place only when
complete (`atomic_text_file`): an interrupted export never leaves a truncated file under the real name
(the old file, if any, stays as it was).

`--excel` mode: UTF-8 with a byte-order mark (Excel otherwise guesses a legacy code page) and every
cell that a spreadsheet would run as a formula (first character `=`, `+`, `-`, `@`, tab or carriage
return) is prefixed with a single quote `'`. That changes the cell text, so an Excel-mode file is
for reading by people; the plain CSV is the exact, re-importable one.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Sequence
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
BATCH = 10_000  # rows per writerows call; progress is reported after each full batch
WRITE_CHUNK = 1_000  # pre-formatted records joined per write (a divisor of BATCH)

Row = dict[str, object]


def neutralise(value: object) -> object:
    """A cell a spreadsheet would evaluate as a formula, made inert with a leading `'`."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(
    path: str | Path,
    columns: list[str],
    rows: Iterable[Row],
    *,
    excel: bool = False,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write dict `rows` as RFC 4180 CSV (see `write_csv_rows`); return the row count."""
    return write_csv_rows(
        path, columns, (tuple([row.get(c) for c in columns]) for row in rows), excel=excel, progress=progress
    )


def write_csv_rows(
    path: str | Path,
    columns: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    excel: bool = False,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write rows (tuples in `columns` order) as RFC 4180 CSV: CRLF records, minimal quoting, UTF-8.

    Newlines inside cells are written as they are (inside quotes), so `text` keeps its line breaks;
    None is an empty cell. Rows go to `csv.writer.writerows` in batches of `BATCH` (the loop stays in
    C), and `progress(count)` is called after every full batch; an exception raised by it (a cancel)
    aborts the export and removes the temporary file.
    """
    count = 0
    it = iter(rows)
    with atomic_text_file(path, encoding="utf-8-sig" if excel else "utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
        writer.writerow(columns)
        while True:
            chunk = list(islice(it, BATCH))
            if not chunk:
                break
            writer.writerows(_neutralise_rows(chunk) if excel else chunk)
            count += len(chunk)
            if progress is not None and len(chunk) == BATCH:
                progress(count)
    return count


def _neutralise_rows(chunk: list[Sequence[object]]) -> list[list[object]]:
    starts = FORMULA_STARTS
    return [["'" + v if isinstance(v, str) and v.startswith(starts) else v for v in row] for row in chunk]


def csv_cell(value: object) -> str:
    """One cell exactly as `csv.writer` (QUOTE_MINIMAL, CRLF) writes it inside a row of several cells.

    Lets a caller pre-format cells that repeat (a document's name, a code's path) once and build each
    record with one f-string: the C writer looks at every character through a function call, which
    made it the largest cost of a million-row export.
    """
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if '"' in text or "," in text or "\n" in text or "\r" in text:
        return '"' + text.replace('"', '""') + '"'
    return text


def csv_cell_excel(value: object) -> str:
    """`csv_cell` of the neutralised value (`--excel`)."""
    return csv_cell(neutralise(value))


def write_csv_lines(
    path: str | Path,
    columns: Sequence[str],
    lines: Iterable[str],
    *,
    excel: bool = False,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write a header and pre-formatted CSV records (each ending in CRLF, cells made with `csv_cell`).

    Same file as `write_csv_rows` (UTF-8, BOM with `excel`, atomic, progress after every full batch).
    """
    count = 0
    it = iter(lines)
    with atomic_text_file(path, encoding="utf-8-sig" if excel else "utf-8") as handle:
        csv.writer(handle, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL).writerow(columns)
        while True:  # joined in small pieces: a 10,000-record string of CJK text would be ~15 MB
            chunk = list(islice(it, WRITE_CHUNK))
            if not chunk:
                break
            handle.write("".join(chunk))
            count += len(chunk)
            if progress is not None and len(chunk) == WRITE_CHUNK and count % BATCH == 0:
                progress(count)
    return count


def write_jsonl(
    path: str | Path, columns: list[str], rows: Iterable[Row], *, progress: Callable[[int], None] | None = None
) -> int:
    """One JSON object per line (UTF-8, `\\n`); offsets stay integers, missing values are null."""
    return write_jsonl_rows(path, columns, (tuple([row.get(c) for c in columns]) for row in rows), progress=progress)


def write_jsonl_rows(
    path: str | Path,
    columns: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    progress: Callable[[int], None] | None = None,
) -> int:
    """JSON Lines from tuples in `columns` order; `progress` as in `write_csv_rows`."""
    count = 0
    it = iter(rows)
    encode = json.JSONEncoder(ensure_ascii=False).encode
    keys = list(columns)
    with atomic_text_file(path, newline="\n") as handle:
        while True:
            chunk = list(islice(it, BATCH))
            if not chunk:
                break
            handle.write("".join([encode(dict(zip(keys, row, strict=True))) + "\n" for row in chunk]))
            count += len(chunk)
            if progress is not None and len(chunk) == BATCH:
                progress(count)
    return count
