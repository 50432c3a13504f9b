"""Code points vs UTF-16 units: the one conversion between stored offsets and Qt positions."""

from __future__ import annotations

import pytest

from annotator.core.offsets import OffsetMap, codepoint_to_utf16, utf16_to_codepoint

TEXT = "Привет 🙂 e\u0301 мир 👍🏽 end\n"


def test_bmp_only_is_identity():
    m = OffsetMap.for_text("Привет, e\u0301!")
    assert m.astral_positions == ()
    assert [m.to_utf16(i) for i in range(10)] == list(range(10))
    assert m.utf16_length == len("Привет, e\u0301!")


def test_roundtrip_every_codepoint():
    m = OffsetMap.for_text(TEXT)
    assert m.utf16_length == len(TEXT.encode("utf-16-le")) // 2
    for cp in range(len(TEXT) + 1):
        u16 = m.to_utf16(cp)
        assert u16 == len(TEXT[:cp].encode("utf-16-le")) // 2
        assert m.to_codepoint(u16) == cp


def test_inside_surrogate_pair_rounds_down():
    text = "a🙂b"
    assert codepoint_to_utf16(text, 2) == 3
    assert utf16_to_codepoint(text, 2) == 1  # between the two halves of 🙂
    assert utf16_to_codepoint(text, 3) == 2


def test_out_of_range():
    m = OffsetMap.for_text("ab🙂")
    with pytest.raises(ValueError, match="outside"):
        m.to_utf16(4)
    with pytest.raises(ValueError, match="outside"):
        m.to_codepoint(5)
    with pytest.raises(ValueError, match="outside"):
        m.to_utf16(-1)
