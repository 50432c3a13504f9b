"""Reliability data as a CSV table (the ReCal layout) and the measures reported for it.

Layout: a header row naming the coders; one row per unit, one column per coder; an empty cell is
a missing value. A first column headed `unit` (any case), if present, labels the units. A row
whose coder cells are all empty is no unit, with or without a `unit` column.
Values stay the text of the cell: for nominal measures "01", "1" and "1.0" are three categories.
Numbers are parsed only where the level needs them (ordinal, interval, ratio; and the linear
weights of weighted kappa, which need an order).
Delimiter: comma, or semicolon/tab when the header uses that instead.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import UserError
from .bootstrap import bootstrap_alpha
from .chance import MEASURES, brennan_prediger, gwet_ac1, kind_values, kinds_of
from .measure import Measure, put_map, undefined
from .resampling import MIN_RESAMPLED, UNIT_METHOD, Interval, Progress, interval_from, put_interval, too_few
from .units import (
    LEVELS,
    ReliabilityData,
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
    """Coders, optional unit labels, the coders x units matrix of cell texts (None = missing), and
    the line of each unit in the file (for messages)."""

    coders: list[str]
    units: list[str] | None
    matrix: list[list[Any]]
    lines: list[int] = field(default_factory=list)
    source: str = "<table>"

    def numbers(self) -> tuple[list[list[Any]] | None, str | None]:
        """The matrix with every cell parsed as a number, or (None, why not: cell and line)."""
        out: list[list[Any]] = []
        for row in self.matrix:
            parsed: list[Any] = []
            for j, cell in enumerate(row):
                if cell is None or not isinstance(cell, str):
                    parsed.append(cell)
                    continue
                value = _number(cell)
                if value is None:
                    line = self.lines[j] if j < len(self.lines) else "?"
                    return None, f"{cell!r} in {self.source}:{line} is not a number"
                parsed.append(value)
            out.append(parsed)
        return out, None


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
    unit_lines: list[int] = []
    for line_no, row in zip(line_of[1:], rows[1:], strict=True):
        values = row[1:width] if has_unit else row[:width]
        if not any(c.strip() for c in values) and not any(c.strip() for c in row[width:]):
            continue  # no coder cell filled: not a unit (a lone unit label included)
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
        unit_lines.append(line_no)
    if not cells:
        raise UserError(f"{source}:2: no units; add one row per unit below the header")
    matrix = [[r[j] or None for r in cells] for j in range(len(coders))]
    return ReliabilityTable(coders, labels if has_unit else None, matrix, unit_lines, source)


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
    see cohen_kappa_pairs), scott_pi (two coders), gwet_ac1, brennan_prediger (= bennett_s, the
    older name, kept), fleiss_kappa (no missing values), weighted_kappa_linear (two coders,
    ordered values), alpha (at `level`), alpha_details {D_o, D_e, pairable_values}, details (the
    parts behind kappa, pi and Fleiss). bootstrap > 0: `ci_method` and `<measure>_ci` for alpha,
    percent agreement, AC1 and Brennan-Prediger (null with a reason below MIN_RESAMPLED units).
    Null values have `<key>_reason` beside them.
    """
    numeric_why = None
    if isinstance(matrix, ReliabilityTable):
        coders = coders or matrix.coders
        if level != "nominal":
            parsed, numeric_why = matrix.numbers()
            matrix = parsed if parsed is not None else matrix.matrix
        else:
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
    gwet_ac1(data).put(out, "gwet_ac1")
    bp = brennan_prediger(data)
    bp.put(out, "brennan_prediger")
    bp.put(out, "bennett_s")
    fleiss_kappa(data).put(out, "fleiss_kappa")
    _weighted(data, level, more).put(out, "weighted_kappa_linear")
    alpha: Measure = krippendorff_alpha(data, level)
    if alpha.value is None and numeric_why and not data.numeric:
        alpha = undefined(f"{level} alpha needs numeric values ({numeric_why}); use --level nominal for labels")
    alpha.put(out, "alpha")
    out["alpha_details"] = {k: alpha.details.get(k) for k in ("D_o", "D_e", "pairable_values")}
    if data.n_coders > 2:
        put_map(out, "cohen_kappa_pairs", pairwise(data, cohen_kappa, names))
    out["details"] = _details(data)
    if bootstrap > 0:
        _intervals(out, data, level, alpha, bootstrap, seed, progress)
    return out


def _weighted(data: ReliabilityData, level: str, more: str) -> Measure:
    if data.n_coders != 2:
        return undefined(f"weighted kappa {more}")
    if level == "nominal" or not data.numeric:
        return undefined("linear weights need ordered values: use --level ordinal, interval or ratio")
    return weighted_kappa(data, "linear")


def _details(data: ReliabilityData) -> dict[str, Any]:
    """The parts behind kappa, pi and Fleiss' kappa (p_o, p_e, per category)."""
    details: dict[str, Any] = {}
    if data.n_coders == 2:
        details["cohen_kappa"] = cohen_kappa(data).details
        details["scott_pi"] = scott_pi(data).details
    details["fleiss_kappa"] = fleiss_kappa(data).details
    return details


def _intervals(
    out: dict[str, Any],
    data: ReliabilityData,
    level: str,
    alpha: Measure,
    resamples: int,
    seed: int,
    progress: Progress | None,
) -> None:
    """Unit-level percentile intervals; the units of a table are taken as independent."""
    out["ci_method"] = UNIT_METHOD
    nv, counts = kinds_of(data)
    n_units = int(counts.sum())
    keys = ("percent_agreement", "gwet_ac1", "brennan_prediger")
    if n_units < MIN_RESAMPLED or data.n_coders < 2:
        why = too_few(n_units, "units") if data.n_coders >= 2 else "needs at least two coders"
        for key in ("alpha", *keys):
            put_interval(out, f"{key}_ci", None, why)
        return
    rng = np.random.default_rng(seed)
    w = rng.multinomial(n_units, counts / n_units, size=resamples).astype(float)
    values = kind_values(nv, w)
    for key in keys:
        ci: Interval | None = interval_from(values[key], out[key], seed=seed) if out[key] is not None else None
        put_interval(out, f"{key}_ci", ci, None if ci else f"{key.replace('_', ' ')} is undefined")
    if alpha.value is None:
        put_interval(out, "alpha_ci", None, "alpha is undefined")
    else:
        put_interval(out, "alpha_ci", bootstrap_alpha(data, level, resamples=resamples, seed=seed, progress=progress))


__all__ = ["MEASURES", "ReliabilityTable", "parse_table", "read_table_csv", "table_agreement"]
