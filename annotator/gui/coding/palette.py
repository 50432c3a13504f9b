"""A colour-blind-safe palette for the window, chosen in the View menu; the codebook is not changed.

A codebook's colours are chosen by its authors and often tell codes of one group apart by hue alone
(reds against oranges), which coders with a colour-vision deficiency cannot see. With the palette on, the
window shows each group's codable codes in the colours of Paul Tol's "light" scheme, designed to stay
distinct under protanopia, deuteranopia and tritanopia and light enough for black text. Siblings get
different colours in order (a group of more than nine codes repeats them; the stripes name every code).
The stored codebook, its exports and other coders' windows keep the codebook's own colours.
"""

from __future__ import annotations

import copy

from annotator.core.codebook import Code, Codebook

# Paul Tol, "Colour schemes and templates" (SRON), the 'light' qualitative scheme, in his order.
TOL_LIGHT = ("#77aadd", "#ee8866", "#eedd88", "#ffaabb", "#99ddff", "#44bb99", "#bbcc33", "#aaaa00", "#dddddd")
GROUPING = "#e8e8e8"


def colour_blind_colours(book: Codebook) -> dict[str, str]:
    """A display colour for every code key: siblings in order through TOL_LIGHT; groupings light grey."""
    colours: dict[str, str] = {}

    def walk(nodes: list[Code]) -> None:
        n = 0
        for code in nodes:
            if code.codable:
                colours[code.key] = TOL_LIGHT[n % len(TOL_LIGHT)]
                n += 1
            else:
                colours[code.key] = GROUPING
            walk(code.children)

    walk(book.codes)
    return colours


def with_colours(book: Codebook, colours: dict[str, str]) -> Codebook:
    """A copy of `book` showing `colours` (for the tree and menus); the original is untouched."""
    shown = copy.deepcopy(book)
    for code in shown.iter_codes():
        code.color = colours.get(code.key, code.color)
    return shown
