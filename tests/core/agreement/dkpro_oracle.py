"""A literal, slow port of DKPro's KrippendorffAlphaUnitizingAgreement sweep, used as a test oracle.

Units are (rater, category, begin, length); a rater's units of one category must not overlap.
"""

from __future__ import annotations

from fractions import Fraction


def _units_sorted(units):
    return sorted(units, key=lambda u: (u[2], u[3], u[0]))


def _next(it, rater, cat):
    for u in it:
        if u[1] == cat and u[0] == rater:
            return u
    return None


def _distance(o1, l1, c1, o2, l2, c2):
    bd, ld = o1 - o2, l1 - l2
    if c1 is not None and c2 is not None and -l1 < bd < l2:
        return bd * bd + (bd + ld) * (bd + ld)
    if c1 is not None and c2 is None and -ld >= bd >= 0:
        return l1 * l1
    if c1 is None and c2 is not None and -ld <= bd <= 0:
        return l2 * l2
    return 0


def observed(begin, length, raters, units, cat) -> Fraction:
    units = _units_sorted(units)
    total = 0
    for r1 in range(raters):
        for r2 in range(r1 + 1, raters):
            it1, it2 = iter(units), iter(units)
            n1, n2 = _next(it1, r1, cat), _next(it2, r2, cat)
            o1 = o2 = begin
            l1 = l2 = 0
            c1 = c2 = None
            pos = begin
            while pos < begin + length and (n1 is not None or n2 is not None):
                if pos == o1 + l1:
                    if n1 is not None and pos == n1[2]:
                        l1, c1 = n1[3], n1[1]
                        n1 = _next(it1, r1, cat)
                    else:
                        l1, c1 = (n1[2] if n1 is not None else begin + length) - pos, None
                    o1 = pos
                if pos == o2 + l2:
                    if n2 is not None and pos == n2[2]:
                        l2, c2 = n2[3], n2[1]
                        n2 = _next(it2, r2, cat)
                    else:
                        l2, c2 = (n2[2] if n2 is not None else begin + length) - pos, None
                    o2 = pos
                total += _distance(o1, l1, c1, o2, l2, c2)
                pos = min(o1 + l1, o2 + l2)
    return Fraction(2 * total, raters * (raters - 1) * length * length)


def expected(begin, length, raters, units, cat) -> Fraction:
    units = _units_sorted(units)
    mine = [u for u in units if u[1] == cat]
    n_c = len(mine)
    squared = sum(u[3] * (u[3] - 1) for u in mine)
    gaps = []
    for r in range(raters):
        it = iter(units)
        nxt = _next(it, r, cat)
        off, ln, pos = begin, 0, begin
        while pos < begin + length:
            if pos == off + ln:
                if nxt is not None and pos == nxt[2]:
                    ln = nxt[3]
                    nxt = _next(it, r, cat)
                else:
                    ln = (nxt[2] if nxt is not None else begin + length) - pos
                    gaps.append(ln)
                off = pos
            pos = off + ln
    result = Fraction(0)
    for u in mine:
        ln = u[3]
        result += Fraction((n_c - 1) * (2 * ln**3 - 3 * ln**2 + ln), 3)
        result += ln * ln * sum(g - ln + 1 for g in gaps if g >= ln)
    return result * Fraction(2, length) / (raters * length * (raters * length - 1) - squared)
