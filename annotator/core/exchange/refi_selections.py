"""Text sources and their plain-text selections from a project XML, with positions made ours."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass

from annotator.core.errors import UserError
from annotator.core.exchange import refi_common as rc
from annotator.core.exchange.refi_flavour import declared_reading
from annotator.core.exchange.refi_model import QdaProject, QdaSelection, QdaSource, QdaUser, stable_guid
from annotator.core.exchange.refi_position_report import DECLARED, DETECTED, position_report
from annotator.core.exchange.refi_positions import STANDARD, SourceText, choose_reading, landings
from annotator.core.exchange.safe_zip import SafeArchive, check_member_name

_EXTERNAL_PREFIXES = ("relative://", "absolute://", "file://", "http://", "https://")
_SKIPPED_KINDS = ("PictureSource", "AudioSource", "VideoSource")


@dataclass
class _RawSelection:
    elem: ET.Element
    source: QdaSource
    text: SourceText
    start: int
    end: int
    whole: bool = False  # a Coding on the source itself: the whole text, no positions to convert


def collect_selections(
    project: QdaProject,
    root: ET.Element,
    archive: SafeArchive | None,
    notes: dict[str, str],
    label: str,
) -> None:
    """Fill project.sources and project.selections from <Sources>."""
    warnings = project.warnings
    sources_elem = rc.child(root, "Sources")
    if sources_elem is None:
        return
    context = _Context(archive, warnings, label)
    raws: list[_RawSelection] = []
    skipped = Counter(rc.local(e.tag) for e in sources_elem if rc.local(e.tag) in _SKIPPED_KINDS)
    for elem in sources_elem:
        kind = rc.local(elem.tag)
        if kind == "TextSource":
            text_elems = [(elem, elem.get("name"))]
        elif kind == "PDFSource":
            rep = rc.child(elem, "Representation")
            text_elems = [(rep, elem.get("name"))] if rep is not None else []
            if rep is None:
                skipped[kind] += 1
        else:
            continue
        for text_elem, name in text_elems:
            loaded = context.load_source(text_elem, name)
            if loaded is None:
                continue
            source, text = loaded
            project.sources.append(source)
            for sel in rc.children(text_elem, "PlainTextSelection"):
                try:
                    start, end = int(sel.get("startPosition", "")), int(sel.get("endPosition", ""))
                except ValueError:
                    warnings.append(f"{label}: a selection without valid positions was skipped")
                    continue
                raws.append(_RawSelection(sel, source, text, start, end))
            if rc.children(text_elem, "Coding"):
                raws.append(_RawSelection(text_elem, source, text, 0, len(text.norm), whole=True))
                warnings.append(f"codings of the whole source {source.name!r} became one selection")
    if skipped:
        listed = ", ".join(f"{n} {k}" for k, n in sorted(skipped.items()))
        warnings.append(f"only text sources are imported; skipped {listed}")
    _convert(project, raws, notes, label)


class _Context:
    """Finds and decodes source files in the archive, remembering which adjustments were made."""

    def __init__(self, archive: SafeArchive | None, warnings: list[str], label: str) -> None:
        self.archive = archive
        self.warnings = warnings
        self.label = label
        self.noted: set[str] = set()

    def note(self, message: str) -> None:
        if message not in self.noted:
            self.noted.add(message)
            self.warnings.append(message)

    def load_source(self, elem: ET.Element, name: str | None) -> tuple[QdaSource, SourceText] | None:
        guid = rc.norm_guid(elem.get("guid")) or stable_guid("source", ET.tostring(elem).decode())
        inline = rc.child(elem, "PlainTextContent")
        path = elem.get("plainTextPath")
        if not name:
            name = (path or "").replace("internal://", "").rsplit("/", 1)[-1] or f"source-{guid[:8]}"
            self.warnings.append(f"a text source without a name was called {name!r}")
        raw: str | None
        if inline is not None and not path:
            raw = _strip_bom(inline.text or "")
        elif path:
            raw = self._file_text(path, elem, name)
            if raw is None:
                return None
        else:
            self.warnings.append(f"text source {name!r} has no text (no path, no content); skipped")
            return None
        if "\r" in raw:
            self.note("source texts with \\r\\n or \\r line ends were normalised to \\n")
        return QdaSource(guid, name, _norm(raw)), SourceText(raw)

    def _file_text(self, path: str, elem: ET.Element, name: str) -> str | None:
        if path.lower().startswith(_EXTERNAL_PREFIXES):
            self.warnings.append(f"text source {name!r} refers to a file outside the archive ({path}); skipped")
            return None
        if self.archive is None:
            self.note("this .qde has no archive around it: sources stored as files were skipped")
            return None
        data = self._member(path, name)
        text: str | None = _decode(data, self, name)
        if not (text or "").strip():
            text = self._docx_fallback(elem, name)
            if text is None:
                return None
        return text

    def _member(self, path: str, name: str) -> bytes:
        assert self.archive is not None
        internal = path[len("internal://") :] if path.lower().startswith("internal://") else None
        if internal is None:
            self.note("source paths without 'internal://' were looked up in the sources folder")
        member_name = check_member_name(internal if internal is not None else path, self.archive.label)
        for candidate in (f"sources/{member_name}", member_name):
            found = self.archive.find(candidate)
            if found is not None:
                if not found.startswith("sources/") and "/" in found:
                    self.note(f"sources folder {found.split('/', 1)[0] + '/'!r} used")
                return self.archive.read(found)
        raise UserError(
            f"{self.archive.label}: refused: source {name!r} refers to {path!r}, which is not in "
            "the archive; the export is incomplete"
        )

    def _docx_fallback(self, elem: ET.Element, name: str) -> str | None:
        rich = elem.get("richTextPath") or ""
        text = ""
        if rich.lower().startswith("internal://") and self.archive is not None:
            member = self.archive.find("sources/" + rich[len("internal://") :])
            if member is not None:
                text = docx_text(self.archive.read(member), f"{self.archive.label}/{member}")
        if text.strip():
            self.warnings.append(f"text source {name!r}: plain text was empty; read from its .docx")
            return text
        self.warnings.append(
            f"text source {name!r} has no text (empty plain-text file and no text in a .docx); "
            "skipped with its selections"
        )
        return None


def docx_text(data: bytes, label: str) -> str:
    """Plain text of a .docx (paragraphs joined by `\\n`), read under the same zip limits."""
    import docx  # local import: only projects with empty plain-text files need it

    with SafeArchive(io.BytesIO(data), label=label) as inner:
        for member in inner.members:
            inner.read(member)  # counts real bytes: refuses a bomb before python-docx sees it
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception:  # a broken .docx is only a missing fallback
        return ""
    return "\n".join(p.text for p in document.paragraphs)


def _strip_bom(text: str) -> str:
    return text[1:] if text.startswith("\ufeff") else text


def _norm(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode(data: bytes, context: _Context, name: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        context.note("source files starting with a UTF-8 byte-order mark: the mark was removed")
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        context.note("source files in UTF-16 were decoded (the standard says UTF-8)")
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        context.note(f"source {name!r} is not UTF-8; read as Windows-1252")
        return data.decode("cp1252", errors="replace")


def _convert(project: QdaProject, raws: list[_RawSelection], notes: dict[str, str], label: str) -> None:
    """Pick the position reading, convert, and split selections per coder."""
    warnings = project.warnings
    items = [(r.text, r.start, r.end, r.elem.get("name")) for r in raws if not r.whole]
    table = landings(items)
    declared = declared_reading(project.origin)  # our own export says which unit it counts
    reading = declared if declared is not None else choose_reading(items, table)[0]
    line_ends = any(r.text.has_cr() for r in raws)
    project.positions = position_report(table, reading, DECLARED if declared else DETECTED, line_ends)
    if reading != STANDARD:
        warnings.append(f"positions were counted in {reading.describe()}; converted")
    code_guids = {c.guid for c in project.all_codes()}
    users = {u.guid for u in project.users}
    impossible = empty = dangling = 0
    for raw in raws:
        a, b = raw.text.convert(raw.start, reading), raw.text.convert(raw.end, reading)
        if raw.whole:
            a, b = (0, 0), (len(raw.text.norm), 0)
        if a is None or b is None or a[0] > b[0]:
            impossible += 1
            continue
        start, end = a[0], b[0]
        if start == end:
            empty += 1
            continue
        sel_guid = rc.norm_guid(raw.elem.get("guid")) or stable_guid("sel", raw.source.guid, str(start))
        sel_user = rc.norm_guid(raw.elem.get("creatingUser"))
        created = rc.parse_datetime(raw.elem.get("creationDateTime"))
        memo = _memo(raw.elem, notes)
        by_user: dict[str | None, list[str]] = {}
        for coding in rc.children(raw.elem, "Coding"):
            ref = rc.child(coding, "CodeRef")
            code = rc.norm_guid(ref.get("targetGUID")) if ref is not None else None
            if code not in code_guids:
                dangling += 1
                continue
            user = rc.norm_guid(coding.get("creatingUser")) or sel_user
            codes = by_user.setdefault(user, [])
            if code not in codes:
                codes.append(code)
        if not by_user:
            by_user[sel_user] = []
        for i, (user, codes) in enumerate(by_user.items()):
            if user is not None and user not in users:
                users.add(user)
                project.users.append(QdaUser(user, f"user-{user[:8]}"))
                warnings.append(f"user {user} is not listed under <Users>; added as 'user-{user[:8]}'")
            guid = sel_guid if i == 0 else stable_guid("split", sel_guid, user or "")
            project.selections.append(QdaSelection(guid, raw.source.guid, start, end, codes, user, memo, created))
    if impossible:
        warnings.append(f"{impossible} selection(s) lay outside their source text and were skipped")
    if empty:
        warnings.append(f"{empty} empty selection(s) were skipped")
    if dangling:
        warnings.append(f"{dangling} coding(s) referred to unknown codes and were skipped")


def _memo(elem: ET.Element, notes: dict[str, str]) -> str | None:
    parts = [rc.child_text(elem, "Description").strip()]
    for ref in rc.children(elem, "NoteRef"):
        parts.append(notes.get(rc.norm_guid(ref.get("targetGUID")) or "", ""))
    parts = [p for p in parts if p]
    return "\n\n".join(parts) if parts else None
