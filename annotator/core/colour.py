"""Perceptual colour difference (CIEDE2000) for telling apart code colours that look alike.

Two codes of one group whose colours a coder cannot tell apart at a glance defeat the highlighting: a
passage coded 'terrorism' looks like one coded 'extremism'. Euclidean RGB distance says little about
what the eye sees, so `codebook check` measures CIEDE2000 (CIE 2001; the formula as written out by
Sharma, Wu and Dalal, Color Research and Application 30(1), 2005, whose test pairs the tests use) on
CIELAB values computed from sRGB under D65.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from annotator.core.codebook import Code, Codebook

# sRGB (D65) -> CIE XYZ, and the D65 reference white (Y = 1)
_M = (
    (0.4124564, 0.3575761, 0.1804375),
    (0.2126729, 0.7151522, 0.0721750),
    (0.0193339, 0.1191920, 0.9503041),
)
_WHITE = (0.95047, 1.0, 1.08883)
_25_7 = 25.0**7

Lab = tuple[float, float, float]


def hex_to_rgb(color: str) -> tuple[float, float, float]:
    """'#rrggbb' as three floats in 0..1."""
    value = color.lstrip("#")
    if len(value) != 6:
        raise ValueError(f"colour '{color}' is not of the form #rrggbb")
    return tuple(int(value[i : i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def srgb_to_lab(color: str) -> Lab:
    """CIELAB (D65) of an sRGB colour given as '#rrggbb'."""

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    rgb = [linear(c) for c in hex_to_rgb(color)]
    x, y, z = (sum(m * c for m, c in zip(row, rgb, strict=True)) / w for row, w in zip(_M, _WHITE, strict=True))

    def f(t: float) -> float:
        return t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29

    fx, fy, fz = f(x), f(y), f(z)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def ciede2000(lab1: Lab, lab2: Lab) -> float:
    """The CIEDE2000 colour difference of two CIELAB colours (kL = kC = kH = 1)."""
    l1, a1, b1 = lab1
    l2, a2, b2 = lab2
    c_bar = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_bar**7 / (c_bar**7 + _25_7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p = math.degrees(math.atan2(b1, a1p)) % 360 if c1p else 0.0
    h2p = math.degrees(math.atan2(b2, a2p)) % 360 if c2p else 0.0

    d_l = l2 - l1
    d_c = c2p - c1p
    if c1p * c2p == 0:
        d_h = 0.0
    else:
        d_h = h2p - h1p
        if d_h > 180:
            d_h -= 360
        elif d_h < -180:
            d_h += 360
    d_hh = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(d_h) / 2)

    l_bar = (l1 + l2) / 2
    cp_bar = (c1p + c2p) / 2
    if c1p * c2p == 0:
        h_bar = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        h_bar = (h1p + h2p) / 2
    else:
        h_bar = (h1p + h2p + 360) / 2 if h1p + h2p < 360 else (h1p + h2p - 360) / 2

    t = (
        1
        - 0.17 * math.cos(math.radians(h_bar - 30))
        + 0.24 * math.cos(math.radians(2 * h_bar))
        + 0.32 * math.cos(math.radians(3 * h_bar + 6))
        - 0.20 * math.cos(math.radians(4 * h_bar - 63))
    )
    d_theta = 30 * math.exp(-(((h_bar - 275) / 25) ** 2))
    r_c = 2 * math.sqrt(cp_bar**7 / (cp_bar**7 + _25_7))
    s_l = 1 + 0.015 * (l_bar - 50) ** 2 / math.sqrt(20 + (l_bar - 50) ** 2)
    s_c = 1 + 0.045 * cp_bar
    s_h = 1 + 0.015 * cp_bar * t
    r_t = -math.sin(math.radians(2 * d_theta)) * r_c
    lightness, chroma, hue = d_l / s_l, d_c / s_c, d_hh / s_h
    return math.sqrt(lightness**2 + chroma**2 + hue**2 + r_t * chroma * hue)


def colour_difference(color1: str, color2: str) -> float:
    """CIEDE2000 between two '#rrggbb' colours."""
    return ciede2000(srgb_to_lab(color1), srgb_to_lab(color2))


LOOK_ALIKE = 10.0  # CIEDE2000 below this: two code colours of one group are too easily confused


@dataclass(frozen=True)
class LookAlike:
    """Two codes of one group whose colours are closer than LOOK_ALIKE."""

    first: Code
    second: Code
    group: str  # the parent's key, or '' for top-level codes
    difference: float

    def message(self) -> str:
        where = f"group '{self.group}'" if self.group else "the top level"
        return (
            f"warning: codes '{self.first.key}' ({self.first.color}) and '{self.second.key}' "
            f"({self.second.color}) in {where} have colours that look alike (CIEDE2000 "
            f"{self.difference:.1f} < {LOOK_ALIKE:g}); give one of them a more distinct colour"
        )


def look_alikes(book: Codebook, threshold: float = LOOK_ALIKE) -> list[LookAlike]:
    """Pairs of codable sibling codes whose colours differ by less than `threshold` (CIEDE2000)."""
    groups: dict[str, list[Code]] = {}
    for code in book.iter_codes():
        if code.codable and code.color:
            groups.setdefault(code.parent_key or "", []).append(code)
    found = []
    for group, codes in groups.items():
        labs = [srgb_to_lab(c.color) for c in codes]
        for i, first in enumerate(codes):
            for j in range(i + 1, len(codes)):
                difference = ciede2000(labs[i], labs[j])
                if difference < threshold:
                    found.append(LookAlike(first, codes[j], group, difference))
    return found
