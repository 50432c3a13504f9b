"""Writing REFI-QDA 1.5 projects (`.qdpx`) and codebooks (`.qdc`) that validate against the XSDs.

Layout of a `.qdpx` we write: `project.qde` plus `sources/<guid>.txt` (UTF-8, no BOM, `\\n` line
ends), each referenced as `internal://<guid>.txt`. Selections are `PlainTextSelection`s with code-point
offsets (UTF-16 units in the "nvivo" flavour, see refi_flavour), one per coder (`creatingUser`), one
`Coding` per code. A memo is a `<Note>` under `<Notes>`
referenced by a `<NoteRef>` from its selection.

Our code keys travel in the code's `<Description>`: its last line is `[annotator key: KEY]`
(separated from a non-empty description by a blank line). The schema allows no attribute of our own,
and the description is the one place every tool keeps and shows; the reader strips the line again.

Both writers are atomic: they write a temporary file beside the target and `os.replace` it, so an
interrupted export never leaves a truncated file under the real name.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

from annotator.core.atomic import atomic_file
from annotator.core.exchange import refi_common as rc
from annotator.core.exchange.refi_flavour import DEFAULT_FLAVOUR, ORIGIN, Flavour, PositionWriter, origin_for
from annotator.core.exchange.refi_model import (
    QdaCode,
    QdaProject,
    QdaSelection,
    stable_guid,
    walk_codes,
)

__all__ = ["ORIGIN", "check_project", "codebook_xml", "project_xml", "write_qdc", "write_qdpx"]


def _el(parent: ET.Element, tag: str, **attrs: str | None) -> ET.Element:
    clean = {k: rc.xml_safe(v) for k, v in attrs.items() if v is not None}
    return ET.SubElement(parent, tag, clean)


def _text(parent: ET.Element, tag: str, text: str) -> ET.Element:
    elem = _el(parent, tag)
    elem.text = rc.xml_safe(text)
    return elem


def _code_elem(parent: ET.Element, code: QdaCode) -> None:
    elem = _el(
        parent,
        "Code",
        guid=code.guid,
        name=code.name,
        isCodable="true" if code.codable else "false",
        color=code.color,
    )
    description = rc.add_key_marker(code.description, code.key) if code.key else code.description
    if description:
        _text(elem, "Description", description)
    for kid in code.children:
        _code_elem(elem, kid)


def _serialise(root: ET.Element, ns: str) -> bytes:
    root.set("xmlns", ns)  # elements are built unqualified; this puts them all in `ns`
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    # ElementTree leaves \r in text as is, and an XML parser would turn it into \n; a character
    # reference survives. The serialiser itself never writes \r, so every \r here is content.
    return data.replace(b"\r", b"&#13;")


def codebook_xml(codes: list[QdaCode], *, origin: str = ORIGIN) -> bytes:
    """The `.qdc` document for `codes` (roots with nested children)."""
    ns = rc.CODEBOOK_NS
    root = ET.Element("CodeBook", {"origin": origin})
    codes_elem = _el(root, "Codes")
    for code in codes:
        _code_elem(codes_elem, code)
    return _serialise(root, ns)


def project_xml(project: QdaProject, *, origin: str | None = None, flavour: Flavour = DEFAULT_FLAVOUR) -> bytes:
    """The `project.qde` document; sources are referenced as `internal://<guid>.txt`.

    `flavour` picks the unit of the selection positions; the default origin names it, so our reader
    takes the positions as written.
    """
    ns = rc.PROJECT_NS
    origin = origin if origin is not None else origin_for(flavour)
    root = ET.Element("Project", {"name": rc.xml_safe(project.name), "origin": origin})
    if project.users:
        users = _el(root, "Users")
        for user in project.users:
            _el(users, "User", guid=user.guid, name=user.name)
    if project.codes:
        codes = _el(_el(root, "CodeBook"), "Codes")
        for code in project.codes:
            _code_elem(codes, code)
    by_source: dict[str, list[QdaSelection]] = {}
    for sel in project.selections:
        by_source.setdefault(sel.source_guid, []).append(sel)
    notes: list[tuple[str, QdaSelection, tuple[int, int]]] = []
    if project.sources:
        sources = _el(root, "Sources")
        for source in project.sources:
            elem = _el(
                sources,
                "TextSource",
                guid=source.guid,
                name=source.name,
                plainTextPath=f"internal://{source.guid}.txt",
            )
            position = PositionWriter(source.text, flavour)
            for sel in sorted(by_source.get(source.guid, []), key=lambda s: (s.start, s.end)):
                _selection_elem(elem, sel, source.text, (position(sel.start), position(sel.end)), notes)
    if notes:
        notes_elem = _el(root, "Notes")
        for guid, sel, (start, end) in notes:
            note = _el(
                notes_elem,
                "Note",
                guid=guid,
                name=f"Memo on {start}-{end}",
                creatingUser=sel.user_guid,
                creationDateTime=rc.format_datetime(sel.created) if sel.created else None,
            )
            _text(note, "PlainTextContent", sel.memo or "")
    return _serialise(root, ns)


def _selection_elem(
    parent: ET.Element,
    sel: QdaSelection,
    text: str,
    written: tuple[int, int],
    notes: list[tuple[str, QdaSelection, tuple[int, int]]],
) -> None:
    """One selection; `written` are its positions in the flavour's unit."""
    when = rc.format_datetime(sel.created) if sel.created else None
    snippet = " ".join(text[sel.start : sel.end].split())
    elem = _el(
        parent,
        "PlainTextSelection",
        guid=sel.guid,
        name=snippet[:60] + ("…" if len(snippet) > 60 else ""),
        startPosition=str(written[0]),
        endPosition=str(written[1]),
        creatingUser=sel.user_guid,
        creationDateTime=when,
    )
    for code_guid in sel.code_guids:
        coding = _el(
            elem,
            "Coding",
            guid=stable_guid("coding", sel.guid, code_guid),
            creatingUser=sel.user_guid,
            creationDateTime=when,
        )
        _el(coding, "CodeRef", targetGUID=code_guid)
    if sel.memo:
        note_guid = stable_guid("memo", sel.guid)
        _el(elem, "NoteRef", targetGUID=note_guid)
        notes.append((note_guid, sel, written))


def write_qdc(codes: list[QdaCode], path: str | Path, *, origin: str = ORIGIN) -> None:
    """Write a codebook `.qdc` (atomic)."""
    all_codes = list(walk_codes(codes))
    _check_unique([c.guid for c in all_codes], "code GUID")
    for code in all_codes:
        if not rc.is_guid(code.guid):
            raise ValueError(f"code GUID {code.guid!r} is not a GUID like 1b4e28ba-2fa1-...")
    with atomic_file(path) as handle:
        handle.write(codebook_xml(codes, origin=origin))


def write_qdpx(
    project: QdaProject, path: str | Path, *, origin: str | None = None, flavour: Flavour = DEFAULT_FLAVOUR
) -> None:
    """Write a `.qdpx` archive: `project.qde` and `sources/<guid>.txt` (atomic).

    `flavour` "standard" counts positions in code points (REFI-QDA 1.5), "nvivo" in UTF-16 units.
    """
    check_project(project)
    xml = project_xml(project, origin=origin, flavour=flavour)
    with atomic_file(path) as handle, zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", xml)
        for source in project.sources:
            archive.writestr(f"sources/{source.guid}.txt", source.text.encode("utf-8"))


def check_project(project: QdaProject) -> None:
    """Refuse a model the schema or a reader would reject: bad or duplicate GUIDs, dangling refs."""
    codes = list(walk_codes(project.codes))
    for what, items in (
        ("user", project.users),
        ("code", codes),
        ("source", project.sources),
        ("selection", project.selections),
    ):
        _check_unique([item.guid for item in items], f"{what} GUID")
        for item in items:
            if not rc.is_guid(item.guid):
                raise ValueError(f"{what} GUID {item.guid!r} is not a GUID like 1b4e28ba-2fa1-...")
    texts = {s.guid: s.text for s in project.sources}
    code_guids = {c.guid for c in codes}
    user_guids = {u.guid for u in project.users}
    for sel in project.selections:
        text = texts.get(sel.source_guid)
        if text is None:
            raise ValueError(f"selection {sel.guid} refers to unknown source {sel.source_guid}")
        if not 0 <= sel.start < sel.end <= len(text):
            raise ValueError(f"selection {sel.guid}: {sel.start}-{sel.end} is outside 0-{len(text)}")
        if sel.user_guid is not None and sel.user_guid not in user_guids:
            raise ValueError(f"selection {sel.guid} refers to unknown user {sel.user_guid}")
        for code in sel.code_guids:
            if code not in code_guids:
                raise ValueError(f"selection {sel.guid} refers to unknown code {code}")
    for source in project.sources:
        if "\r" in source.text or source.text.startswith("\ufeff"):
            raise ValueError(f"source {source.name!r}: text must be normalised (no \\r, no BOM)")


def _check_unique(guids: list[str], what: str) -> None:
    seen: set[str] = set()
    for value in guids:
        if value in seen:
            raise ValueError(f"duplicate {what} {value}: every object needs its own GUID")
        seen.add(value)
