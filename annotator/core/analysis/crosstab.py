"""A computed table in the two shapes analysts need: tidy cells for programs, wide with totals for people.

`--json` gives tidy cells, one `{"row", "col", "count"}` object per cell and no totals, because a
program re-aggregates as it likes and totals would be counted twice. `--csv` and `.xlsx` give the
wide crosstab with a Total column and a Total row, as an analyst opens it. Both come from one
`Crosstab`, so they cannot disagree. A cell that has no meaning (a code with itself in a
co-occurrence table) is NaN in `cells`, absent from the tidy list and an empty cell in the wide one.
Normalised counts (per 1000 words) are rounded to 4 decimals in both shapes; counts stay integers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
TOTAL = "Total"
DECIMALS = 4

Cell = int | float | None


@dataclass(frozen=True, eq=False)
class Crosstab:
    """Counts of `rows` x `cols`; totals as computed by the table's producer (its docstring says how)."""

    row_name: str
    col_name: str
    rows: tuple[str, ...]
    cols: tuple[str, ...]
    cells: FloatArray
    row_totals: FloatArray
    col_totals: FloatArray
    total: float
    integral: bool = True

    def __post_init__(self) -> None:
        if self.cells.shape != (len(self.rows), len(self.cols)):
            raise ValueError(f"cells are {self.cells.shape}, labels {len(self.rows)} x {len(self.cols)}")

    def value(self, x: float) -> Cell:
        """A cell as written out: int for counts, rounded float for rates, None for no value."""
        if math.isnan(x):
            return None
        return round(x) if self.integral else round(float(x), DECIMALS)

    def cell(self, row: str, col: str) -> Cell:
        return self.value(float(self.cells[self.rows.index(row), self.cols.index(col)]))

    def tidy(self) -> list[dict[str, object]]:
        """Every meaningful cell as {"row", "col", "count"}, rows in table order, no totals."""
        out: list[dict[str, object]] = []
        for i, row in enumerate(self.rows):
            for j, col in enumerate(self.cols):
                v = self.value(float(self.cells[i, j]))
                if v is not None:
                    out.append({"row": row, "col": col, "count": v})
        return out

    def wide(self) -> list[list[object]]:
        """Header, one line per row with its total, and the Total line (the CSV and sheet layout)."""
        lines: list[list[object]] = [[self.row_name, *self.cols, TOTAL]]
        for i, row in enumerate(self.rows):
            values = [self.value(float(x)) for x in self.cells[i]]
            lines.append([row, *values, self.value(float(self.row_totals[i]))])
        totals = [self.value(float(x)) for x in self.col_totals]
        lines.append([TOTAL, *totals, self.value(float(self.total))])
        return lines
