"""Building small REFI-QDA files by hand for the exchange tests."""

from __future__ import annotations

import zipfile
from pathlib import Path

NS = "urn:QDA-XML:project:1.0"
USER = "0b3e9c4a-1111-4a6b-9c3e-000000000001"
CODE = "0b3e9c4a-2222-4a6b-9c3e-000000000002"
SOURCE = "0b3e9c4a-3333-4a6b-9c3e-000000000003"


def project_xml(sources_xml: str, *, ns: str = NS, codes_xml: str | None = None) -> str:
    codes = codes_xml or f'<Code guid="{CODE}" name="Threat" isCodable="true" color="#ff0000"/>'
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<Project xmlns="{ns}" name="hand made">'
        f'<Users><User guid="{USER}" name="Anna"/></Users>'
        f"<CodeBook><Codes>{codes}</Codes></CodeBook>"
        f"<Sources>{sources_xml}</Sources></Project>"
    )


def text_source(selections: list[tuple[int, int]], *, path: str | None = None) -> str:
    sels = "".join(
        f'<PlainTextSelection guid="0b3e9c4a-4444-4a6b-9c3e-{i:012d}" startPosition="{a}" '
        f'endPosition="{b}" creatingUser="{USER}"><Coding guid="0b3e9c4a-5555-4a6b-9c3e-{i:012d}" '
        f'creatingUser="{USER}"><CodeRef targetGUID="{CODE}"/></Coding></PlainTextSelection>'
        for i, (a, b) in enumerate(selections)
    )
    path = path or f"internal://{SOURCE}.txt"
    return f'<TextSource guid="{SOURCE}" name="doc" plainTextPath="{path}">{sels}</TextSource>'


def make_qdpx(path: Path, members: dict[str, bytes | str]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data.encode("utf-8") if isinstance(data, str) else data)
    return path


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2
