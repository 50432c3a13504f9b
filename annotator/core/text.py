"""Turning raw bytes into the stored text that every offset refers to.

The stored text is decoded, has its BOM removed and its line endings normalised to `\\n`, and nothing else
changed: no Unicode normalisation, no trimming. Offsets produced by other tools on the same text therefore
still fit.
"""

from __future__ import annotations

import codecs
import contextlib
import hashlib
import re
import unicodedata
from collections import Counter

import charset_normalizer

from annotator.core.errors import UserError

# Relative frequency (per mille) of Russian letters in running text; decides between cp1251 and KOI8-R.
_RU_FREQ = dict(
    zip(
        "оеаинтсрвлкмдпуяыьгзбчйхжшюцщэфъё",
        (
            110,
            85,
            80,
            74,
            67,
            63,
            55,
            47,
            45,
            44,
            35,
            32,
            30,
            28,
            26,
            20,
            19,
            17,
            17,
            16,
            16,
            14,
            12,
            10,
            9,
            7,
            6,
            5,
            4,
            3,
            3,
            1,
            1,
        ),
        strict=True,
    )
)


# Counting is done with regexes and C-level str/bytes methods: a per-character Python loop over every
# imported file cost most of an import's time.
# Control characters other than \t \n \v \f \r (what a binary file that happened to decode is full of) ...
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x20)])
# ... and the same counting \r too: stored text has none left, so a lone one is as suspicious as any other.
_CONTROL_OR_CR_BYTES = bytes([*range(0x00, 0x09), *range(0x0D, 0x20)])
_HIGH_BYTES = bytes(range(0x80, 0x100))
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_CYRILLIC_UPPER = "".join(c for c in map(chr, range(0x400, 0x500)) if c.isupper())
# The character before each uppercase Cyrillic letter (lookahead: consecutive capitals each get their pair).
_BEFORE_CYRILLIC_UPPER = re.compile(f"(?s)(.)(?=[{re.escape(_CYRILLIC_UPPER)}])")
_LATIN_THEN_CYRILLIC = re.compile(r"[A-Za-z](?=[\u0400-\u04ff])")
_CYRILLIC_THEN_LATIN = re.compile(r"[\u0400-\u04ff](?=[A-Za-z])")


def normalise_newlines(text: str) -> str:
    """Remove leading BOMs and turn `\\r\\n` and lone `\\r` into `\\n`; change nothing else.

    Every leading U+FEFF/U+FFFE goes, not just one: Qt's setPlainText silently drops such a character at the
    start of a document, which would shift every offset in the coding window by one.
    """
    if text[:1] in ("\ufeff", "\ufffe"):
        text = text.lstrip("\ufeff\ufffe")
    if "\r" not in text:  # the common case: no copy of the text at all
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def text_sha256(text: str) -> str:
    """Content hash of stored text: what duplicate detection and project merging compare."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _count_controls(sample: str, controls: bytes) -> int:
    """How many characters of `sample` are among the ASCII `controls`.

    Counted on the UTF-8 encoding, which keeps every ASCII character as its own byte and never uses a byte
    below 0x80 inside a multi-byte sequence: encode + bytes.translate is several times faster than a regex.
    """
    raw = sample.encode("utf-8", "surrogatepass")
    return len(raw) - len(raw.translate(None, controls))


def _control_share(text: str) -> float:
    sample = text[:4096]
    controls = _count_controls(sample, _CONTROL_BYTES)
    return controls / max(1, len(sample))


def _looks_like_utf16(data: bytes) -> str | None:
    """UTF-16 without BOM: in one-script text the high byte of every code unit takes very few values
    (0x00 for Latin, 0x04 for Cyrillic), while the low bytes vary. Decoding must also succeed cleanly."""
    sample = data[:8192]
    if len(sample) < 4 or len(data) % 2:
        return None
    best, best_share = None, 0.0
    for enc, high in (("utf-16-le", sample[1::2]), ("utf-16-be", sample[0::2])):
        counts = sorted((high.count(b) for b in set(high)), reverse=True)
        share = sum(counts[:3]) / len(high)
        if share < 0.85:
            continue
        share -= 0.01 * len(counts)  # fewer distinct high bytes wins a tie (short texts)
        if share <= best_share:
            continue
        try:
            decoded = data.decode(enc)
        except UnicodeDecodeError:
            continue
        odd = sum(1 for ch in decoded[:4096] if unicodedata.category(ch) in ("Co", "Cn", "Cs"))
        if _control_share(decoded) == 0 and not odd and any(ch.isalpha() for ch in decoded[:4096]):
            best, best_share = enc, share
    return best


def _russian_score(text: str) -> tuple[float, int, int]:
    """(plausibility score, Cyrillic letters, Cyrillic letters touching Latin ones) of a decoding.

    Read in the wrong one of cp1251/KOI8-R, lowercase turns into capitals and frequent letters into rare
    ones, so frequent lowercase letters score and a capital right after a lowercase letter costs.
    """
    # Counted per distinct letter, not per character: same sum (all terms are halves of integers, so
    # float addition is exact in any order), at C speed.
    letters = Counter(_CYRILLIC.findall(text))
    score = 0.0
    for ch, n in letters.items():
        weight = _RU_FREQ.get(ch.lower(), 1)
        score += n * (weight if ch.islower() else weight / 2)
    score -= 50 * sum(map(str.islower, _BEFORE_CYRILLIC_UPPER.findall(text)))
    mixed = len(_LATIN_THEN_CYRILLIC.findall(text)) + len(_CYRILLIC_THEN_LATIN.findall(text))
    return score, sum(letters.values()), mixed


def _legacy_cyrillic(data: bytes) -> str | None:
    """Pick cp1251 or KOI8-R when the high bytes read as Russian in one of them, else None.

    Latin-1 text (say German 'Müller') also decodes in both, but then its Cyrillic letters sit inside
    Latin words; that mix rules Cyrillic out.
    """
    high = len(data) - len(data.translate(None, _HIGH_BYTES))
    if high == 0:
        return None
    best, best_score, best_counts = None, float("-inf"), (0, 0)
    for enc in ("cp1251", "koi8_r"):
        try:
            decoded = data.decode(enc)
        except UnicodeDecodeError:
            continue
        score, cyrillic, mixed = _russian_score(decoded)
        if score > best_score:
            best, best_score, best_counts = enc, score, (cyrillic, mixed)
    cyrillic, mixed = best_counts
    # Most high bytes must be Cyrillic letters, rarely glued to Latin ones, for this to be Russian.
    if best_score > 0 and cyrillic >= 0.5 * high and mixed <= 0.1 * cyrillic:
        return best
    return None


def _refuse_damaged_utf8(data: bytes, source: str) -> None:
    """A UTF-8 file with a few broken bytes must not be 'detected' as cp1251 mojibake: say where it breaks.

    Legacy 8-bit text almost never forms valid multi-byte UTF-8 sequences, so many valid ones and few
    invalid bytes mean a damaged UTF-8 file.
    """
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = len(text) - len(text.encode("ascii", "ignore")) - bad  # non-ASCII characters other than U+FFFD
    if bad and good >= 10 * bad:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise UserError(
                f"{source}:{line}: not valid UTF-8 at byte {exc.start} (the rest of the file is UTF-8); "
                "fix that spot or re-save the file as UTF-8"
            ) from None


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
    utf8: str | None = None
    if b"\x00" not in data:
        with contextlib.suppress(UnicodeDecodeError):
            utf8 = data.decode("utf-8")
        # UTF-16 of non-Latin text without spaces is valid (control-character) ASCII: look closer then.
        if utf8 is not None and _control_share(utf8) < 0.05:
            return normalise_newlines(utf8), "utf-8"
        if utf8 is None:
            _refuse_damaged_utf8(data, source)
        legacy = _legacy_cyrillic(data)
        if legacy:
            return normalise_newlines(data.decode(legacy)), legacy
    utf16 = _looks_like_utf16(data)
    if utf16:
        return normalise_newlines(data.decode(utf16)), utf16
    if b"\x00" in data:
        raise UserError(
            f"{source}: looks like a binary file (contains NUL bytes), not text; "
            "import .txt, .md, .html, .docx or .pdf documents"
        )
    if utf8 is not None:
        return normalise_newlines(utf8), "utf-8"
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise UserError(
            f"{source}: cannot tell the text encoding (not UTF-8, UTF-16, cp1251 or KOI8-R); re-save it as UTF-8"
        )
    return normalise_newlines(str(best)), best.encoding


def _refuse_blank(text: str, source: str) -> None:
    if not text or text.isspace():  # the same test as `not text.strip()`, without copying the text
        raise UserError(f"{source}: contains no text (only whitespace); nothing to import")


def check_text_is_plausible(text: str, source: str) -> None:
    """Refuse decoded text that is mostly control characters: a binary file that happened to decode."""
    _refuse_blank(text, source)
    sample = text[:8192]
    controls = _count_controls(sample, _CONTROL_OR_CR_BYTES)
    if controls > 0.01 * len(sample) + 2:
        raise UserError(
            f"{source}: looks like a binary file (control characters), not text; "
            "import .txt, .md, .html, .docx or .pdf documents"
        )


# A leading U+FEFF / U+FFFE in UTF-8: removed from stored text, so such files leave the fast path.
_UTF8_LEADING_BOMS = ("\ufeff".encode(), "\ufffe".encode())


def decode_text_file(data: bytes, source: str) -> tuple[str, str, str]:
    """(stored text, encoding, sha256 of the stored text) of a plain-text file, checked for plausibility.

    Exactly `decode_bytes` + `check_text_is_plausible` + `text_sha256`. Clean UTF-8 (no control
    character, no CR, no leading BOM: nearly every file) is decoded as it is and hashed from its bytes, which
    then equal the stored text's UTF-8; that skips two passes over the text (a third of the read time).
    """
    if (
        data
        and len(data.translate(None, _CONTROL_OR_CR_BYTES)) == len(data)
        and not data.startswith(_UTF8_LEADING_BOMS)
    ):
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            _refuse_blank(text, source)
            return text, "utf-8", hashlib.sha256(data).hexdigest()
    text, encoding = decode_bytes(data, source)
    check_text_is_plausible(text, source)
    return text, encoding, text_sha256(text)
