"""Turning raw bytes into the stored text that every offset refers to.

The stored text is decoded, has its BOM removed and its line endings normalised to `\\n`, and nothing else
changed: no Unicode normalisation, no trimming. Offsets produced by other tools on the same text therefore
still fit.
"""

from __future__ import annotations

import codecs
import hashlib

import charset_normalizer

from annotator.core.errors import UserError

# Lowercase Russian letters that make up most running text; used to tell cp1251 from KOI8-R.
_COMMON_CYRILLIC = set("оеаинтсрвлкмдпуяыьгзбчйхжшюцщэф")


def normalise_newlines(text: str) -> str:
    """Remove a leading BOM and turn `\\r\\n` and lone `\\r` into `\\n`; change nothing else."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")


def text_sha256(text: str) -> str:
    """Content hash of stored text: what duplicate detection and project merging compare."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _looks_like_utf16(data: bytes) -> str | None:
    """UTF-16 without BOM: ASCII-heavy UTF-16 has a NUL in every other byte."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) / 2
    if odd_nuls > 0.3 * half and even_nuls < 0.05 * half:
        return "utf-16-le"
    if even_nuls > 0.3 * half and odd_nuls < 0.05 * half:
        return "utf-16-be"
    return None


def _cyrillic_score(text: str) -> int:
    return sum(1 for ch in text if ch in _COMMON_CYRILLIC)


def _legacy_cyrillic(data: bytes) -> str | None:
    """Pick cp1251 or KOI8-R when the high bytes read as Russian in one of them.

    In cp1251 lowercase letters are 0xE0-0xFF, in KOI8-R 0xC0-0xDF; read in the wrong one, running text
    turns mostly into capitals, so the count of common lowercase letters decides.
    """
    high = sum(1 for b in data if b >= 0x80)
    if high == 0:
        return None
    best, best_score = None, 0
    for enc in ("cp1251", "koi8_r"):
        try:
            decoded = data.decode(enc)
        except UnicodeDecodeError:
            continue
        score = _cyrillic_score(decoded)
        if score > best_score:
            best, best_score = enc, score
    # Most high bytes must be common Cyrillic letters for this to be Russian rather than, say, Latin-1.
    return best if best_score >= 0.5 * high else None


def decode_bytes(data: bytes, source: str) -> tuple[str, str]:
    """Decode file bytes to stored text; returns (text, encoding name). Raises UserError if impossible."""
    if not data:
        raise UserError(f"{source}: the file is empty; nothing to import")
    for bom, enc in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return normalise_newlines(data.decode(enc)), enc
            except UnicodeDecodeError as exc:
                raise UserError(
                    f"{source}: starts with a {enc} byte-order mark but is not valid {enc} "
                    f"(byte {exc.start}); re-save it as UTF-8"
                ) from None
    utf16 = _looks_like_utf16(data)
    if utf16:
        try:
            return normalise_newlines(data.decode(utf16)), utf16
        except UnicodeDecodeError:
            pass
    if b"\x00" in data:
        raise UserError(f"{source}: looks like a binary file (contains NUL bytes), not text")
    try:
        return normalise_newlines(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    legacy = _legacy_cyrillic(data)
    if legacy:
        return normalise_newlines(data.decode(legacy)), legacy
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise UserError(
            f"{source}: cannot tell the text encoding (not UTF-8, UTF-16, cp1251 or KOI8-R); "
            "re-save it as UTF-8"
        )
    return normalise_newlines(str(best)), best.encoding


def check_text_is_plausible(text: str, source: str) -> None:
    """Refuse decoded text that is mostly control characters: a binary file that happened to decode."""
    if not text.strip():
        raise UserError(f"{source}: contains no text (only whitespace); nothing to import")
    sample = text[:8192]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\t\f\v")
    if controls > 0.01 * len(sample) + 2:
        raise UserError(f"{source}: looks like a binary file (control characters), not text")
