"""Writing a table as CSV (a plain table any reader takes) or as .xlsx (with a sheet saying what was counted).

CSV: the wide crosstab, UTF-8 without a byte-order mark, comma separated, RFC 4180 quoting, one
header line: `pandas.read_csv(path)` and R's `read.csv(path)` read it without options. Cells are
written as they are (no formula guard: that would change the data); empty cells are empty.

.xlsx: written with XlsxWriter (imported only when needed, so the rest of the program does not pay
for it). Every text cell is written as a string, never as a formula or a number or a link, so a code
or document named `=SUM(A1)` or `+7 495` stays text; Cyrillic and emoji are plain Unicode strings.
The second sheet, "About", says what was counted: the table, the count, coders, documents, codebook
version and the date the caller gives (the caller decides the clock, so exports are reproducible).
Both files appear atomically (written beside the target, then renamed).
"""

from __future__ import annotations

import importlib
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from annotator.core.analysis.crosstab import Crosstab
from annotator.core.atomic import atomic_file
from annotator.core.errors import UserError
from annotator.core.exchange.csv_export import write_csv

SHEET_TABLE = "Table"
SHEET_ABOUT = "About"
_STRICT_TEXT = {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False}


@dataclass(frozen=True)
class TableAbout:
    """What a table counted, for the About sheet."""

    table: str
    counted: str
    coders: Sequence[str]
    documents: Sequence[str]
    codebook_version: str
    date: str
    extra: Sequence[tuple[str, str]] = ()

    def lines(self) -> list[tuple[str, list[str]]]:
        """(label, values) lines; lists get one value per spreadsheet row."""
        return [
            ("table", [self.table]),
            ("counted", [self.counted]),
            ("date", [self.date]),
            ("codebook version", [self.codebook_version]),
            (f"coders ({len(self.coders)})", list(self.coders)),
            (f"documents ({len(self.documents)})", list(self.documents)),
            *[(label, [value]) for label, value in self.extra],
        ]


def write_table_csv(path: str | Path, table: Crosstab) -> None:
    """The wide crosstab with totals as a plain CSV file."""
    header, *body = table.wide()
    write_csv(path, [str(h) for h in header], body)


def write_table_xlsx(path: str | Path, table: Crosstab, about: TableAbout) -> None:
    """The wide crosstab on sheet "Table" and what was counted on sheet "About"."""
    try:
        xlsxwriter: Any = importlib.import_module("xlsxwriter")
    except ImportError:
        raise UserError("writing .xlsx needs the XlsxWriter package: pip install XlsxWriter") from None
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, **_STRICT_TEXT})
    bold = book.add_format({"bold": True})
    sheet = book.add_worksheet(SHEET_TABLE)
    lines = table.wide()
    for r, line in enumerate(lines):
        heading = r == 0 or r == len(lines) - 1
        for c, value in enumerate(line):
            _write(sheet, r, c, value, bold if heading or c == 0 else None)
    sheet.freeze_panes(1, 1)
    sheet.set_column(0, 0, max(12, min(60, max(len(str(line[0])) for line in lines) + 2)))
    info = book.add_worksheet(SHEET_ABOUT)
    row = 0
    for label, values in about.lines():
        info.write_string(row, 0, label, bold)
        for value in values or [""]:
            info.write_string(row, 1, value)
            row += 1
    info.set_column(0, 0, 22)
    info.set_column(1, 1, 60)
    book.close()
    with atomic_file(path, "wb") as handle:
        handle.write(buffer.getvalue())


def _write(sheet: Any, row: int, col: int, value: object, style: Any) -> None:
    if value is None:
        sheet.write_blank(row, col, None, style)
    elif isinstance(value, bool) or not isinstance(value, (int, float)):
        sheet.write_string(row, col, str(value), style)
    else:
        sheet.write_number(row, col, value, style)
