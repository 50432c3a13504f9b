"""The forest plot of per-code alpha_U with intervals, drawn with matplotlib as SVG text.

matplotlib is imported here only, when a report is written, and used through `Figure` directly
(never pyplot), so no GUI backend is loaded and the core stays free of Qt.
"""

from __future__ import annotations

import io
from typing import Any


def forest_svg(result: dict[str, Any]) -> str | None:
    """SVG of alpha_U overall and per code, each with its 95% interval when there is one; None
    when no code has a defined alpha_U."""
    au = result["alpha_u"]
    ci = au.get("ci") or {}
    rows: list[tuple[str, float, tuple[float, float] | None]] = []
    if au.get("overall") is not None:
        rows.append(("all codes", au["overall"], _pair(ci.get("overall"))))
    for code in result["codes"]:
        value = au["per_code"].get(code)
        if value is not None:
            rows.append((code, value, _pair((ci.get("per_code") or {}).get(code))))
    if not rows:
        return None
    import matplotlib as mpl
    from matplotlib.figure import Figure

    with mpl.rc_context({"svg.hashsalt": "annotator", "svg.fonttype": "none", "font.size": 9}):
        fig = Figure(figsize=(6.4, 0.9 + 0.28 * len(rows)))
        ax = fig.add_subplot()
        ys = list(range(len(rows)))[::-1]
        for y, (_label, value, interval) in zip(ys, rows, strict=True):
            if interval is not None:
                ax.plot(interval, [y, y], color="#555555", linewidth=1.4)
            ax.plot([value], [y], marker="D" if y == ys[0] and rows[0][0] == "all codes" else "o", color="#1f4e79")
        for x in (0.667, 0.8):
            ax.axvline(x, color="#999999", linestyle="--", linewidth=0.8)
        ax.axvline(0.0, color="#cccccc", linewidth=0.8)
        ax.set_yticks(ys, [r[0] for r in rows])
        lows = [r[2][0] if r[2] else r[1] for r in rows]
        ax.set_xlim(min(-0.1, min(lows) - 0.05), 1.05)
        ax.set_xlabel("alpha_U")
        ax.grid(axis="x", color="#eeeeee")
        fig.tight_layout()
        out = io.StringIO()
        fig.savefig(out, format="svg", metadata={"Date": None})
    svg = out.getvalue()
    return svg[svg.index("<svg") :]


def _pair(ci: dict[str, Any] | None) -> tuple[float, float] | None:
    if not ci or ci.get("low") is None or ci.get("high") is None:
        return None
    return float(ci["low"]), float(ci["high"])
