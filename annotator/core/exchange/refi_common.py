"""Small pieces shared by the REFI-QDA reader and writer: XML parsing, GUIDs, colours, dates, keys."""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as ET
from datetime import datetime, timezone

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as defused_fromstring

from annotator.core.errors import UserError

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"

# Our code key travels in the code's <Description> as a last line of this shape (see refi_write).
KEY_MARKER = re.compile(r"(?:\A|\n\n)\[annotator key: ([^\]\n]+)\]\Z")

_GUID = re.compile(r"^\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?$")
_HEX = re.compile(r"^#?([0-9a-fA-F]+)$")
# Characters XML 1.0 cannot carry at all, not even as character references.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def parse_xml(data: bytes, label: str) -> ET.Element:
    """Parse untrusted XML: any DTD (hence entity bombs and external entities) is refused."""
    try:
        return defused_fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise UserError(
            f"{label}: refused: the XML declares a DTD or entities ({type(exc).__name__}), which "
            "QDA-XML never needs and which can be used to attack the reader"
        ) from None
    except ET.ParseError as exc:
        line = exc.position[0] if exc.position else "?"
        raise UserError(f"{label}:{line}: not well-formed XML ({exc}); check the export") from None


def local(tag: str) -> str:
    """Element name without its namespace: producers disagree on namespaces, names agree."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def namespace(tag: str) -> str:
    return tag[1:].split("}", 1)[0] if isinstance(tag, str) and tag.startswith("{") else ""


def children(elem: ET.Element, name: str) -> list[ET.Element]:
    return [c for c in elem if local(c.tag) == name]


def child(elem: ET.Element, name: str) -> ET.Element | None:
    for c in elem:
        if local(c.tag) == name:
            return c
    return None


def child_text(elem: ET.Element, name: str) -> str:
    found = child(elem, name)
    return (found.text or "") if found is not None else ""


def norm_guid(value: str | None) -> str | None:
    """`{ABCDEF01-...}` and `abcdef01-...` are the same GUID; keep the lowercase bare form."""
    if not value:
        return None
    m = _GUID.match(value.strip())
    return m.group(1).lower() if m else value.strip().lower()


def is_guid(value: str) -> bool:
    return bool(_GUID.match(value)) and not value.startswith("{")


def norm_color(value: str | None, warnings: list[str], where: str) -> str | None:
    """`#rrggbb` from `#RGB`, `#RRGGBB`, or 8 hex digits with alpha (ARGB or RGBA); else None."""
    if not value:
        return None
    m = _HEX.match(value.strip())
    digits = m.group(1).lower() if m else ""
    if len(digits) == 6:
        return "#" + digits
    if len(digits) == 3:
        return "#" + "".join(ch * 2 for ch in digits)
    if len(digits) == 8:
        # .NET tools write ARGB (#ffrrggbb); CSS-minded ones RGBA (#rrggbbff).
        rgb = digits[2:] if digits[:2] in ("ff", "00") or digits[6:] not in ("ff", "00") else digits[:6]
        warnings.append(f"{where}: colour {value} has an alpha channel; read as #{rgb}")
        return "#" + rgb
    warnings.append(f"{where}: colour {value!r} is not a hex colour; left without colour")
    return None


def parse_datetime(value: str | None) -> datetime | None:
    """xsd:dateTime to datetime; `Z` becomes UTC, no zone stays naive; nonsense becomes None."""
    if not value:
        return None
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    m = re.match(r"^(.*T\d\d:\d\d:\d\d)(\.\d+)?(.*)$", text)
    if m and m.group(2):  # fromisoformat wants 0, 3 or 6 fractional digits on older Pythons
        text = m.group(1) + (m.group(2) + "000000")[:7] + m.group(3)
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def format_datetime(value: datetime) -> str:
    """datetime to xsd:dateTime; UTC written as `Z`, naive left without a zone."""
    text = value.isoformat()
    if value.tzinfo is not None and value.utcoffset() == timezone.utc.utcoffset(None):
        text = text[: -len("+00:00")] + "Z"
    return text


def xml_safe(text: str) -> str:
    """Drop characters XML 1.0 cannot represent (control characters other than tab/newline)."""
    return _XML_ILLEGAL.sub("", text)


def slug(name: str) -> str:
    """One key segment from a name: ASCII letters, digits and `_` (Hungarian accents folded away)."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "_", folded.lower()).strip("_")


def split_key_marker(description: str) -> tuple[str, str | None]:
    """Separate our `[annotator key: ...]` trailer from a description: (description, key or None)."""
    m = KEY_MARKER.search(description)
    if not m:
        return description, None
    return description[: m.start()], m.group(1).strip()


def add_key_marker(description: str, key: str) -> str:
    marker = f"[annotator key: {key}]"
    return f"{description}\n\n{marker}" if description else marker
