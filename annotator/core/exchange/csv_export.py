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

import contextlib
import csv
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO

from annotator.core.errors import UserError

# The fixed columns of a span export, in order; document attributes follow as `attr_<name>`.
COLUMNS = ("span_id", "document", "coder", "code", "code_name", "code_path", "start", "end", "text",
           "memo", "created_at", "updated_at")
ATTR_PREFIX = "attr_"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Row = dict[str, object]


def neutralise(value: object) -> object:
    """A cell a spreadsheet would evaluate as a formula, made inert with a leading `'`."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


@contextlib.contextmanager
def atomic_text_file(path: str | Path, *, encoding: str = "utf-8", newline: str | None = "") -> Iterator[IO[str]]:
    """A text file beside `path`, fsynced and renamed over `path` on success, deleted on failure."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise UserError(f"{path}: folder {folder} does not exist")
    if path.is_dir():
        raise UserError(f"{path}: is a folder; give a file name")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise UserError(f"{path}: cannot write in {folder} ({exc.strerror})") from None
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline=newline) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_csv(path: str | Path, columns: list[str], rows: Iterable[Row], *, excel: bool = False,
              progress: Callable[[int], None] | None = None) -> int:
    """Write `rows` as RFC 4180 CSV (CRLF records, minimal quoting, UTF-8); return the row count.

    Newlines inside cells are written as they are (inside quotes), so `text` keeps its line breaks.
    """
    count = 0
    with atomic_text_file(path, encoding="utf-8-sig" if excel else "utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
        writer.writerow(columns)
        for row in rows:
            cells = [_cell(row.get(c)) for c in columns]
            writer.writerow([neutralise(c) for c in cells] if excel else cells)
            count += 1
            if progress is not None and count % 10000 == 0:
                progress(count)
    return count


def write_jsonl(path: str | Path, columns: list[str], rows: Iterable[Row], *,
                progress: Callable[[int], None] | None = None) -> int:
    """One JSON object per line (UTF-8, `\\n`); offsets stay integers, missing values are null."""
    count = 0
    with atomic_text_file(path, newline="\n") as handle:
        for row in rows:
            handle.write(json.dumps({c: row.get(c) for c in columns}, ensure_ascii=False))
            handle.write("\n")
            count += 1
            if progress is not None and count % 10000 == 0:
                progress(count)
    return count


def _cell(value: object) -> object:
    return "" if value is None else value
