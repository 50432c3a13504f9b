"""Where disagreement comes from, per code: boundaries, labels or omissions.

For every coder pair (A, B) and code c, a disagreeing character is one that exactly one of the two
coded with c (each coder's spans of c merged first, as alpha_U sees them). Take such a character x
coded c by A and not by B, inside A's merged span u:
- **boundary**: B also coded c somewhere in u (both saw it; the edges differ);
- **label**: otherwise B coded x with another code (same place, different code);
- **omission**: otherwise B coded nothing at x (one coded, the other not).
Counts are characters summed over coder pairs (a character two pairs disagree on counts twice),
for A's and B's side alike. They tell a supervisor whether training should be about where a
passage starts and ends, which code it gets, or whether it is there at all.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .span_data import SpanArrays
from .unitizing import _merge_arrays

KINDS = ("boundary", "label", "omission")


def _coverage(s: NDArray[Any], e: NDArray[Any]) -> Callable[[NDArray[Any]], NDArray[Any]]:
    """cover(x): characters of the sorted disjoint intervals (s, e) lying before position x."""
    cum = np.concatenate([[0], np.cumsum(e - s)])

    def cover(x: NDArray[Any]) -> NDArray[Any]:
        i = np.searchsorted(s, x, side="right") - 1
        ok = i >= 0
        out = np.zeros(len(x), dtype=np.int64)
        ii = i[ok]
        out[ok] = cum[ii] + np.minimum(x[ok] - s[ii], e[ii] - s[ii])
        return out

    return cover


def disagreement_breakdown(sp: SpanArrays) -> dict[str, dict[str, int]]:
    """code -> {boundary, label, omission} disagreeing characters (summed over coder pairs)."""
    n_codes, n_coders = len(sp.codes), len(sp.coders)
    out = np.zeros((n_codes, 3), dtype=np.int64)
    if n_coders >= 2 and len(sp):
        # documents laid apart so intervals of different documents never touch
        off = np.concatenate([[0], np.cumsum(sp.lengths + 1)])[:-1]
        lane = int(off[-1] + sp.lengths[-1] + 1) if len(off) else 1
        d, r, k, b, e = _merge_arrays(sp.doc, sp.coder, sp.code, sp.start, sp.end)
        plain_b, plain_e = b + off[d], e + off[d]
        coded_b, coded_e = plain_b + k * lane, plain_e + k * lane  # one lane per code
        ud, ur, _uk, ub, ue = _merge_arrays(sp.doc, sp.coder, np.zeros_like(sp.code), sp.start, sp.end)
        any_b, any_e = ub + off[ud], ue + off[ud]
        by_coder = []
        for c in range(n_coders):
            mine = r == c
            order = np.argsort(coded_b[mine], kind="stable")
            anym = ur == c
            aorder = np.argsort(any_b[anym], kind="stable")
            by_coder.append(
                (
                    coded_b[mine][order],
                    coded_e[mine][order],
                    plain_b[mine][order],
                    plain_e[mine][order],
                    k[mine][order],
                    _coverage(coded_b[mine][order], coded_e[mine][order]),
                    _coverage(any_b[anym][aorder], any_e[anym][aorder]),
                )
            )
        for i in range(n_coders):
            for j in range(n_coders):
                if i != j:
                    _side(by_coder[i], by_coder[j], out, n_codes)
    return {code: dict(zip(KINDS, (int(x) for x in out[ci]), strict=True)) for ci, code in enumerate(sp.codes)}


def _side(a: tuple[Any, ...], other: tuple[Any, ...], out: NDArray[Any], n_codes: int) -> None:
    """A's merged spans against B: the characters A coded and B did not, by kind."""
    cb, ce, pb, pe, code, _cover_a, _any_a = a
    cover_b, any_b = other[5], other[6]
    length = ce - cb
    shared = cover_b(ce) - cover_b(cb)
    touched = shared > 0
    boundary = np.where(touched, length - shared, 0)
    elsewhere = np.where(touched, 0, any_b(pe) - any_b(pb))
    omission = np.where(touched, 0, length - elsewhere)
    out[:, 0] += np.bincount(code, weights=boundary, minlength=n_codes).astype(np.int64)
    out[:, 1] += np.bincount(code, weights=elsewhere, minlength=n_codes).astype(np.int64)
    out[:, 2] += np.bincount(code, weights=omission, minlength=n_codes).astype(np.int64)


def boundary_share(cell: dict[str, int]) -> float | None:
    """Boundary characters as a share of all disagreeing characters of a code (None if none)."""
    total = sum(cell.get(k, 0) for k in KINDS)
    return None if total == 0 else cell.get("boundary", 0) / total
