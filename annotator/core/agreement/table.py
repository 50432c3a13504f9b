"""Reliability data as a CSV table (the ReCal layout) and the measures reported for it.

Layout: a header row naming the coders; one row per unit, one column per coder; an empty cell is
a missing value. A first column headed `unit` (any case), if present, labels the units. When every
non-empty cell is a number, values are numbers (ints where possible); otherwise labels.
Delimiter: comma, or semicolon/tab when the header uses that instead.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import UserError
from .bootstrap import Progress, bootstrap_alpha
from .measure import Measure, put_map, undefined
from .units import (
    LEVELS,
    ReliabilityData,
    bennett_s,
    cohen_kappa,
    fleiss_kappa,
    krippendorff_alpha,
    pairwise,
    percent_agreement,
    scott_pi,
    weighted_kappa,
)


@dataclass(frozen=True)
class ReliabilityTable:
    """Coders, optional unit labels, and the coders x units matrix (None = missing)."""

    coders: list[str]
    units: list[str] | None
    matrix: list[list[Any]]


def _number(cell: str) -> int | float | None:
    try:
        return int(cell)
    except ValueError:
        pass
    try:
        value = float(cell.replace(",", ".") if cell.count(",") == 1 and "." not in cell else cell)
    except ValueError:
        return None
    return value if value == value and value not in (float("inf"), float("-inf")) else None


def parse_table(text: str, source: str = "<table>") -> ReliabilityTable:
    """Parse CSV text; errors are UserError("SOURCE:LINE: what; what to do")."""
    text = text.lstrip("\ufeff")
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise UserError(f"{source}:1: empty table; the first row must name the coders")
    head = lines[0]
    delim = ","
    if "," not in head:
        delim = "\t" if "\t" in head else (";" if ";" in head else ",")
    reader = csv.reader(io.StringIO(text), delimiter=delim)
    rows: list[list[str]] = []
    line_of: list[int] = []
    start_line = 1
    for row in reader:
        rows.append(row)
        line_of.append(start_line)
        start_line = reader.line_num + 1
    header = [h.strip() for h in rows[0]]
    has_unit = bool(header) and header[0].lower() == "unit"
    coders = header[1:] if has_unit else header
    if not coders:
        raise UserError(f"{source}:1: no coder columns; the header must name at least one coder")
    for i, c in enumerate(coders):
        if not c:
            raise UserError(f"{source}:1: coder column {i + 1} has an empty name; name every coder")
    dupes = sorted({c for c in coders if coders.count(c) > 1})
    if dupes:
        raise UserError(f"{source}:1: coder name(s) {', '.join(dupes)} appear twice; use unique names")
    width = len(coders) + (1 if has_unit else 0)
    labels: list[str] = []
    cells: list[list[str]] = []
    for line_no, row in zip(line_of[1:], rows[1:], strict=True):
        if not any(c.strip() for c in row):
            continue
        if len(row) > width and any(c.strip() for c in row[width:]):
            raise UserError(
                f"{source}:{line_no}: {len(row)} cells but the header has {width} "
                "columns; remove the extra cells or name their coder in the header"
            )
        row = [c.strip() for c in row[:width]] + [""] * max(0, width - len(row))
        if has_unit:
            labels.append(row[0])
            row = row[1:]
        cells.append(row)
    if not cells:
        raise UserError(f"{source}:2: no units; add one row per unit below the header")
    flat = [c for r in cells for c in r if c]
    numbers = {c: _number(c) for c in set(flat)}
    numeric = all(v is not None for v in numbers.values())
    matrix = [[(numbers[r[j]] if numeric else r[j]) if r[j] else None for r in cells] for j in range(len(coders))]
    return ReliabilityTable(coders, labels if has_unit else None, matrix)


def read_table_csv(path: str | Path) -> ReliabilityTable:
    """Read a reliability table from a CSV file (UTF-8, optional BOM)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise UserError(f"{p}: file not found; check the path") from None
    except UnicodeDecodeError as exc:
        line = p.read_bytes()[: exc.start].count(b"\n") + 1
        raise UserError(f"{p}:{line}: not UTF-8 text; save the table as UTF-8 CSV") from None
    return parse_table(text, str(p))


def table_agreement(
    matrix: Any,
    level: str = "nominal",
    *,
    coders: list[str] | None = None,
    bootstrap: int = 0,
    seed: int = 0,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """All measures for a coders x units matrix (or a ReliabilityTable), JSON-ready.

    Keys: coders, units, level, percent_agreement, cohen_kappa (two coders; with more coders
    see cohen_kappa_pairs), scott_pi (two coders), bennett_s, fleiss_kappa (no missing values),
    alpha (at `level`), alpha_details {D_o, D_e, pairable_values}; alpha_ci when bootstrap > 0.
    Null values have `<key>_reason` beside them.
    """
    if isinstance(matrix, ReliabilityTable):
        coders = coders or matrix.coders
        matrix = matrix.matrix
    if level not in LEVELS:
        raise UserError(f"unknown level {level!r}; use one of {', '.join(LEVELS)}")
    data = ReliabilityData.from_matrix(matrix)
    names = coders or [f"coder{i + 1}" for i in range(data.n_coders)]
    out: dict[str, Any] = {"coders": names, "units": data.n_units, "level": level}
    percent_agreement(data).put(out, "percent_agreement")
    two = data.n_coders == 2
    more = f"is for two coders (the table has {data.n_coders})"
    (cohen_kappa(data) if two else undefined(f"Cohen's kappa {more}; see cohen_kappa_pairs and fleiss_kappa")).put(
        out, "cohen_kappa"
    )
    (scott_pi(data) if two else undefined(f"Scott's pi {more}; fleiss_kappa is its multi-coder form")).put(
        out, "scott_pi"
    )
    bennett_s(data).put(out, "bennett_s")
    fleiss_kappa(data).put(out, "fleiss_kappa")
    alpha: Measure = krippendorff_alpha(data, level)
    alpha.put(out, "alpha")
    out["alpha_details"] = {k: alpha.details.get(k) for k in ("D_o", "D_e", "pairable_values")}
    if data.n_coders > 2:
        put_map(out, "cohen_kappa_pairs", pairwise(data, cohen_kappa, names))
    if bootstrap > 0 and alpha.value is not None:
        out["alpha_ci"] = bootstrap_alpha(data, level, resamples=bootstrap, seed=seed, progress=progress).to_json()
    return out


def table_report(
    table: ReliabilityTable,
    level: str = "nominal",
    *,
    bootstrap: int = 0,
    seed: int = 0,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """`annotator agreement --table`: `table_agreement` plus linear weighted kappa and the parts behind
    kappa, pi and Fleiss' kappa (observed and expected agreement, per category) under `details`."""
    res = table_agreement(table, level, bootstrap=bootstrap, seed=seed, progress=progress)
    data = ReliabilityData.from_matrix(table.matrix)
    if data.n_coders == 2:
        weighted_kappa(data, "linear").put(res, "weighted_kappa_linear")
    else:
        res["weighted_kappa_linear"] = None
        res["weighted_kappa_linear_reason"] = f"weighted kappa is for two coders (the table has {data.n_coders})"
    details: dict[str, Any] = {}
    if data.n_coders == 2:
        details["cohen_kappa"] = cohen_kappa(data).details
        details["scott_pi"] = scott_pi(data).details
    details["fleiss_kappa"] = fleiss_kappa(data).details
    res["details"] = details
    return res
