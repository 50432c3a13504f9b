"""Reading spans from CSV: the same columns the CSV export writes, so exports import back."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from annotator.core.errors import UserError
from annotator.core.spans import SpanRow
from annotator.core.textfile import read_utf8_file

REQUIRED = ("document", "coder", "code", "start", "end")
MAX_SPANS_CSV_BYTES = 512 * 1024 * 1024


def _int(value: str, column: str, where: str) -> int:
    try:
        return int(value.strip())
    except ValueError:
        raise UserError(f"{where}: column '{column}' must be a whole number, got {value!r}") from None


def read_span_rows(path: str | Path) -> list[SpanRow]:
    """Parse a spans CSV (UTF-8, optional BOM); raise UserError naming file and row on bad input."""
    path = Path(path)
    text = read_utf8_file(path, max_bytes=MAX_SPANS_CSV_BYTES, kind="CSV")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = reader.fieldnames or []
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise UserError(
            f"{path}:1: missing column(s) {', '.join(missing)}; a spans CSV needs "
            f"{', '.join(REQUIRED)} (optional: memo, text, span_id)"
        )
    rows: list[SpanRow] = []
    try:
        for number, record in enumerate(reader, start=2):
            where = f"{path}: row {number}"
            if None in record:
                raise UserError(f"{where}: more cells than header columns; quote cells that contain commas")
            rows.append(
                SpanRow(
                    row=number,
                    document=record["document"] or "",
                    coder=record["coder"] or "",
                    code=(record["code"] or "").strip(),
                    start=_int(record["start"] or "", "start", where),
                    end=_int(record["end"] or "", "end", where),
                    memo=record.get("memo") or "",
                    text=record["text"] if "text" in header else None,
                    uid=(record.get("span_id") or record.get("span_uid") or "").strip() or None,
                )
            )
    except csv.Error as exc:
        raise UserError(f"{path}:{reader.line_num}: malformed CSV ({exc}); check the quoting on that line") from None
    return rows
