"""CIEDE2000 against the published test pairs, and the look-alike check on codebooks."""

from __future__ import annotations

import pytest

from annotator.core.codebook import load_codebook_file, parse_codebook
from annotator.core.colour import ciede2000, colour_difference, look_alikes, srgb_to_lab
from tests.store.foundation_helpers import REPO

# Table 1 of Sharma, Wu and Dalal (2005), "The CIEDE2000 color-difference formula: implementation notes,
# supplementary test data, and mathematical observations", Color Res. Appl. 30(1): L1 a1 b1 L2 a2 b2 dE00.
SHARMA_2005 = [
    (50.0000, 2.6772, -79.7751, 50.0000, 0.0000, -82.7485, 2.0425),
    (50.0000, 3.1571, -77.2803, 50.0000, 0.0000, -82.7485, 2.8615),
    (50.0000, 2.8361, -74.0200, 50.0000, 0.0000, -82.7485, 3.4412),
    (50.0000, -1.3802, -84.2814, 50.0000, 0.0000, -82.7485, 1.0000),
    (50.0000, -1.1848, -84.8006, 50.0000, 0.0000, -82.7485, 1.0000),
    (50.0000, -0.9009, -85.5211, 50.0000, 0.0000, -82.7485, 1.0000),
    (50.0000, 0.0000, 0.0000, 50.0000, -1.0000, 2.0000, 2.3669),
    (50.0000, -1.0000, 2.0000, 50.0000, 0.0000, 0.0000, 2.3669),
    (50.0000, 2.4900, -0.0010, 50.0000, -2.4900, 0.0009, 7.1792),
    (50.0000, 2.4900, -0.0010, 50.0000, -2.4900, 0.0010, 7.1792),
    (50.0000, 2.4900, -0.0010, 50.0000, -2.4900, 0.0011, 7.2195),
    (50.0000, 2.4900, -0.0010, 50.0000, -2.4900, 0.0012, 7.2195),
    (50.0000, -0.0010, 2.4900, 50.0000, 0.0009, -2.4900, 4.8045),
    (50.0000, -0.0010, 2.4900, 50.0000, 0.0010, -2.4900, 4.8045),
    (50.0000, -0.0010, 2.4900, 50.0000, 0.0011, -2.4900, 4.7461),
    (50.0000, 2.5000, 0.0000, 50.0000, 0.0000, -2.5000, 4.3065),
    (50.0000, 2.5000, 0.0000, 73.0000, 25.0000, -18.0000, 27.1492),
    (50.0000, 2.5000, 0.0000, 61.0000, -5.0000, 29.0000, 22.8977),
    (50.0000, 2.5000, 0.0000, 56.0000, -27.0000, -3.0000, 31.9030),
    (50.0000, 2.5000, 0.0000, 58.0000, 24.0000, 15.0000, 19.4535),
    (50.0000, 2.5000, 0.0000, 50.0000, 3.1736, 0.5854, 1.0000),
    (50.0000, 2.5000, 0.0000, 50.0000, 3.2972, 0.0000, 1.0000),
    (50.0000, 2.5000, 0.0000, 50.0000, 1.8634, 0.5757, 1.0000),
    (50.0000, 2.5000, 0.0000, 50.0000, 3.2592, 0.3350, 1.0000),
    (60.2574, -34.0099, 36.2677, 60.4626, -34.1751, 39.4387, 1.2644),
    (63.0109, -31.0961, -5.8663, 62.8187, -29.7946, -4.0864, 1.2630),
    (61.2901, 3.7196, -5.3901, 61.4292, 2.2480, -4.9620, 1.8731),
    (35.0831, -44.1164, 3.7933, 35.0232, -40.0716, 1.5901, 1.8645),
    (22.7233, 20.0904, -46.6940, 23.0331, 14.9730, -42.5619, 2.0373),
    (36.4612, 47.8580, 18.3852, 36.2715, 50.5065, 21.2231, 1.4146),
    (90.8027, -2.0831, 1.4410, 91.1528, -1.6435, 0.0447, 1.4441),
    (90.9257, -0.5406, -0.9208, 88.6381, -0.8985, -0.7239, 1.5381),
    (6.7747, -0.2908, -2.4247, 5.8714, -0.0985, -2.2286, 0.6377),
    (2.0776, 0.0795, -1.1350, 0.9033, -0.0636, -0.5514, 0.9082),
]


@pytest.mark.parametrize("row", SHARMA_2005, ids=[f"pair{i + 1}" for i in range(len(SHARMA_2005))])
def test_ciede2000_matches_the_published_pairs(row):
    l1, a1, b1, l2, a2, b2, expected = row
    assert round(ciede2000((l1, a1, b1), (l2, a2, b2)), 4) == expected
    assert round(ciede2000((l2, a2, b2), (l1, a1, b1)), 4) == expected  # symmetric


def test_srgb_to_lab_reference_colours():
    assert srgb_to_lab("#ffffff") == pytest.approx((100.0, 0.0, 0.0), abs=1e-3)
    assert srgb_to_lab("#000000") == pytest.approx((0.0, 0.0, 0.0), abs=1e-9)
    assert srgb_to_lab("#ff0000") == pytest.approx((53.2408, 80.0925, 67.2032), abs=1e-3)
    assert srgb_to_lab("#808080") == pytest.approx((53.5850, 0.0, 0.0), abs=1e-3)
    assert colour_difference("#123456", "#123456") == 0.0


BOOK = """\
title: Look-alikes
codes:
  - key: threat
    name: Threat
    codable: false
    color: "#f88b82"
    children:
      - key: threat.terrorism
        name: Terrorism
        color: "#f88b81"
      - key: threat.extremism
        name: Extremism
        color: "#f2a6a6"
      - key: threat.migration
        name: Migration
        color: "#a6d8f4"
  - key: source
    name: Source
    color: "#f88b81"
"""


def test_look_alikes_compare_codable_siblings_only():
    pairs = look_alikes(parse_codebook(BOOK, "b.yaml"))
    assert [(p.first.key, p.second.key, p.group) for p in pairs] == [
        ("threat.terrorism", "threat.extremism", "threat")
    ]  # 'threat' (not codable) and 'source' (another group) share the colour but are not compared
    assert 8 < pairs[0].difference < 9
    message = pairs[0].message()
    assert "'threat.terrorism' (#f88b81)" in message
    assert "'threat.extremism' (#f2a6a6)" in message
    assert "CIEDE2000 8.3 < 10" in message


def test_bundled_codebooks_have_no_look_alikes():
    for name in ("threats.yaml", "speech_acts.yaml"):
        assert look_alikes(load_codebook_file(REPO / "codebooks" / name)) == [], name
