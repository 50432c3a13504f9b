"""Decoding file bytes into the stored text: encodings detected, newlines normalised, nothing else changed."""

from __future__ import annotations

import codecs
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.errors import UserError
from annotator.core.text import (
    check_text_is_plausible,
    decode_bytes,
    decode_text_file,
    normalise_newlines,
    text_sha256,
)

RUSSIAN = "Угрозы терроризма и экстремизма остаются актуальными для всех государств Содружества.\n"
SHORT_RU = ["Да", "Мир", "Привет", "Съешь же ещё этих мягких французских булок, да выпей чаю."]


def test_utf8_plain():
    assert decode_bytes("Hello, мир 🙂\n".encode(), "f") == ("Hello, мир 🙂\n", "utf-8")


def test_utf8_bom_removed():
    text, enc = decode_bytes(codecs.BOM_UTF8 + RUSSIAN.encode(), "f")
    assert text == RUSSIAN
    assert enc == "utf-8-sig"


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_with_bom(codec):
    bom = codecs.BOM_UTF16_LE if codec.endswith("le") else codecs.BOM_UTF16_BE
    text, _ = decode_bytes(bom + ("Hello 🙂 " + RUSSIAN).encode(codec), "f")
    assert text == "Hello 🙂 " + RUSSIAN
    assert not text.startswith("\ufeff")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("sample", ["Plain English text.\n", RUSSIAN, "Привет", "Ελληνικά κείμενο"])
def test_utf16_without_bom(codec, sample):
    text, enc = decode_bytes(sample.encode(codec), "f")
    assert text == sample
    assert enc == codec


@pytest.mark.parametrize("codec", ["cp1251", "koi8_r"])
def test_legacy_cyrillic_running_text(codec):
    text, enc = decode_bytes(RUSSIAN.encode(codec), "f")
    assert text == RUSSIAN
    assert enc == codec


@pytest.mark.parametrize("codec", ["cp1251", "koi8_r"])
@pytest.mark.parametrize("sample", SHORT_RU)
def test_legacy_cyrillic_short_text(codec, sample):
    assert decode_bytes(sample.encode(codec), "f") == (sample, codec)


def test_cyrillic_is_not_read_as_latin1():
    text, enc = decode_bytes(RUSSIAN.encode("cp1251"), "f")
    assert "Ð" not in text
    assert "à" not in text
    assert enc != "latin-1"


def test_latin1_german_is_not_read_as_cyrillic():
    text, _ = decode_bytes("Müller und Söhne aus der Straße".encode("latin-1"), "f")
    assert text == "Müller und Söhne aus der Straße"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("a\r\nb", "a\nb"),
        ("a\rb", "a\nb"),
        ("a\r\rb", "a\n\nb"),
        ("a\r\n\r\nb\r", "a\n\nb\n"),
        ("\ufeffx", "x"),
    ],
)
def test_newlines_normalised(raw, expected):
    assert normalise_newlines(raw) == expected
    assert decode_bytes(raw.encode(), "f")[0] == expected


def test_nothing_else_changes():
    decomposed = "  Cafe\u0301 and e\u0301 \t\u00a0 🙂  \n\n  "
    text, _ = decode_bytes(decomposed.encode(), "f")
    assert text == decomposed
    assert "e\u0301" in text
    assert unicodedata.normalize("NFC", text) != text
    assert text.startswith("  ")
    assert text.endswith("\n  ")


def test_empty_and_binary_refused():
    with pytest.raises(UserError, match="empty"):
        decode_bytes(b"", "f.txt")
    with pytest.raises(UserError, match=r"f\.bin: .*binary"):
        decode_bytes(bytes(range(256)) * 8, "f.bin")


def test_plausibility_check():
    with pytest.raises(UserError, match="no text"):
        check_text_is_plausible(" \n\t ", "f")
    with pytest.raises(UserError, match="binary"):
        check_text_is_plausible("\x01\x02\x03\x04\x05" * 100, "f")
    check_text_is_plausible("ordinary text\n", "f")


def test_sha256_of_stored_text():
    assert text_sha256("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert text_sha256("e\u0301") != text_sha256("\u00e9")


def test_damaged_utf8_is_refused_with_its_line_not_read_as_cp1251():
    data = "Привет мир, это тест.\nВторая строка текста.\n".encode()
    data = data[:40] + b"\xff" + data[40:]
    with pytest.raises(UserError, match=r"^f\.txt:2: not valid UTF-8 at byte 40"):
        decode_bytes(data, "f.txt")


def _russian_score_by_character(text: str) -> tuple[float, int, int]:
    """The scoring rule spelled out one character at a time (what the fast counting must equal)."""
    from annotator.core.text import _RU_FREQ

    def cyr(ch: str) -> bool:
        return "\u0400" <= ch <= "\u04ff"

    score, cyrillic, mixed, prev = 0.0, 0, 0, ""
    for ch in text:
        if cyr(ch):
            cyrillic += 1
            weight = _RU_FREQ.get(ch.lower(), 1)
            score += weight if ch.islower() else weight / 2
            if ch.isupper() and prev.islower():
                score -= 50
            if prev.isascii() and prev.isalpha():
                mixed += 1
        elif ch.isascii() and ch.isalpha() and cyr(prev):
            mixed += 1
        prev = ch
    return score, cyrillic, mixed


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet="абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВЁЖЗЯЮЪ\u0400\u0482\u0483\u04ffabcXYZ äÄß1.\n\r🙂", max_size=200
    )
)
def test_russian_score_counts_exactly_as_the_per_character_rule(text):
    from annotator.core.text import _russian_score

    assert _russian_score(text) == _russian_score_by_character(text)
    for codec in ("cp1251", "koi8_r"):
        data = text.encode(codec, errors="ignore")
        assert _russian_score(data.decode(codec)) == _russian_score_by_character(data.decode(codec))


def test_control_characters_are_counted_per_character_not_per_byte():
    # 8,192 Cyrillic characters (16 KB of UTF-8): the limit is 1% of characters + 2, i.e. 83 of them.
    body = "ж" * 8192
    check_text_is_plausible("\x01" * 83 + body[83:], "f")
    with pytest.raises(UserError, match="binary"):
        check_text_is_plausible("\x01" * 84 + body[84:], "f")
    # \t \n \v \f are text; a lone \r (never left in stored text) and \x1f are not.
    check_text_is_plausible("\t\n\v\f" * 1000 + "text", "f")
    with pytest.raises(UserError, match="binary"):
        check_text_is_plausible("ab\r\x1f" * 100, "f")


def test_unicode_whitespace_only_is_no_text():
    with pytest.raises(UserError, match="no text"):
        check_text_is_plausible("\u3000\u00a0\u2028 \n", "f")
    with pytest.raises(UserError, match="no text"):
        check_text_is_plausible("", "f")


@pytest.mark.parametrize(
    "raw",
    [
        "Hello, мир 🙂\n".encode(),
        codecs.BOM_UTF8 + RUSSIAN.encode(),
        "\ufffex\n".encode(),
        b"a\r\nb\rc",
        RUSSIAN.encode("cp1251"),
        RUSSIAN.encode("koi8_r"),
        RUSSIAN.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + RUSSIAN.encode("utf-16-be"),
        b"x\x01y\tz\n",
        b"plain ascii",
    ],
)
def test_decode_text_file_is_decode_check_and_hash(raw):
    text, enc = decode_bytes(raw, "f")
    assert decode_text_file(raw, "f") == (text, enc, text_sha256(text))


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b" \n\t ", "no text"),
        ("\u3000\n".encode(), "no text"),
        (b"", "empty"),
        (b"\x01\x02\x03\x04\x05" * 100, "binary"),
        (bytes(range(256)) * 8, "binary"),
    ],
)
def test_decode_text_file_refuses_like_decode_and_check(raw, message):
    with pytest.raises(UserError, match=message):
        decode_text_file(raw, "f")
