"""Reading spans from CSV: the same columns the CSV export writes, so exports import back.

The file is read as a stream (`iter_span_rows`): one row at a time, so a million rows cost no more
memory than one. Errors name the file and the row.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from annotator.core.errors import UserError
from annotator.core.spans import SpanRow

REQUIRED = ("document", "coder", "code", "start", "end")


def _int(value: str, column: str, where: str) -> int:
    try:
        return int(value.strip())
    except ValueError:
        raise UserError(f"{where}: column '{column}' must be a whole number, got {value!r}") from None


def iter_span_rows(path: str | Path) -> Iterator[SpanRow]:
    """Parse a spans CSV (UTF-8, optional BOM) row by row; raise UserError naming file and row on bad input."""
    path = Path(path)
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except FileNotFoundError:
        raise UserError(f"{path}: file not found; check the path and spelling") from None
    except OSError as exc:
        raise UserError(f"{path}: cannot read ({exc.strerror})") from None
    with handle:
        reader = csv.reader(handle)
        try:
            yield from _rows(path, reader)
        except csv.Error as exc:
            raise UserError(
                f"{path}:{reader.line_num}: malformed CSV ({exc}); check the quoting on that line"
            ) from None
        except UnicodeDecodeError:
            raise UserError(f"{path}:{_bad_utf8_line(path)}: not valid UTF-8; save the CSV as UTF-8") from None
        except OSError as exc:
            raise UserError(f"{path}: cannot read ({exc.strerror})") from None


def _bad_utf8_line(path: Path) -> int:
    """The line holding the first byte that is not UTF-8 (the decoder works ahead in large chunks, so
    the reader's position does not say). A UTF-8 sequence never contains a newline byte."""
    with path.open("rb") as raw:
        for number, line in enumerate(raw, start=1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                return number
    return 1


def _rows(path: Path, reader: Iterator[list[str]]) -> Iterator[SpanRow]:
    header = next(reader, [])
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise UserError(
            f"{path}:1: missing column(s) {', '.join(missing)}; a spans CSV needs "
            f"{', '.join(REQUIRED)} (optional: memo, text, span_id)"
        )
    col = {name: header.index(name) for name in reversed(header)}  # the first of repeated names wins
    document, coder, code, start, end = (col[c] for c in REQUIRED)
    memo = col.get("memo")
    text = col.get("text")
    uid = col["span_id"] if "span_id" in col else col.get("span_uid")
    width = len(header)
    for number, record in enumerate(reader, start=2):
        if len(record) != width:
            if not any(record):
                continue  # a blank line
            where = f"{path}: row {number}"
            if len(record) > width:
                raise UserError(f"{where}: more cells than header columns; quote cells that contain commas")
            record = record + [""] * (width - len(record))
        where = f"{path}: row {number}"
        yield SpanRow(
            row=number,
            document=record[document],
            coder=record[coder],
            code=record[code].strip(),
            start=_int(record[start], "start", where),
            end=_int(record[end], "end", where),
            memo=record[memo] if memo is not None else "",
            text=record[text] if text is not None else None,
            uid=(record[uid].strip() or None) if uid is not None else None,
        )


def read_span_rows(path: str | Path) -> list[SpanRow]:
    """Every row of a spans CSV at once (small files and tests; imports stream `iter_span_rows`)."""
    return list(iter_span_rows(path))
