"""Reading REFI-QDA projects (`.qdpx`, bare `.qde`) and codebooks (`.qdc`) from any tool, leniently.

Other tools deviate from the standard in known ways; each deviation that is repaired is added to
`warnings` as a sentence, so the user learns what was adjusted. Hostile input (paths escaping the
archive, DTDs/entities, zip bombs, missing internal sources) raises `UserError` and returns nothing.

Choices documented here:
- Only text is imported: TextSources and the text representation of PDFSources. Pictures, audio
  and video are skipped with a warning.
- A source whose plain text is empty (NVivo for Mac writes one-byte `.txt` files) is filled from its
  `.docx` (python-docx, paragraphs joined by `\\n`) if that has text; otherwise it is skipped with a
  warning, together with its selections.
- A selection coded by several users becomes one selection per user (`Coding@creatingUser`, else the
  selection's `creatingUser`); the first keeps the original GUID.
- A memo is the selection's `<Description>` plus the text of the notes it references.
- Codes get a `key`: the one we wrote (`[annotator key: ...]` at the end of the description, removed
  again) or else the slugified name path (`parent_name.child_name`), made unique with `_2`, `_3`...
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

from annotator.core.codebook import KEY_RE
from annotator.core.errors import UserError
from annotator.core.exchange import refi_common as rc
from annotator.core.exchange.refi_model import (
    QdaCode,
    QdaCodebook,
    QdaProject,
    QdaUser,
    stable_guid,
)
from annotator.core.exchange.refi_selections import collect_selections
from annotator.core.exchange.safe_zip import DEFAULT_MAX_RATIO, DEFAULT_MAX_TOTAL_BYTES, SafeArchive

# ----------------------------------------------------------------------------------------------- codes


def read_codes(parent: ET.Element, warnings: list[str], label: str) -> list[QdaCode]:
    """The code tree under a <Codes> element, with keys assigned."""
    roots = [_read_code(e, warnings, label) for e in rc.children(parent, "Code")]
    _assign_keys(roots, warnings)
    return roots


def _read_code(elem: ET.Element, warnings: list[str], label: str) -> QdaCode:
    guid = rc.norm_guid(elem.get("guid")) or stable_guid("code", ET.tostring(elem).decode())
    name = (elem.get("name") or "").strip()
    if not name:
        name = "(unnamed code)"
        warnings.append(f"{label}: a code without a name was called {name!r}")
    description, key = rc.split_key_marker(rc.child_text(elem, "Description"))
    codable = (elem.get("isCodable") or "true").strip().lower() not in ("false", "0")
    color = rc.norm_color(elem.get("color"), warnings, f"{label}: code {name!r}")
    kids = [_read_code(e, warnings, label) for e in rc.children(elem, "Code")]
    return QdaCode(guid, name, color, description, codable, kids, key)


def _assign_keys(roots: list[QdaCode], warnings: list[str]) -> None:
    """Keep keys we wrote ourselves; derive the others from the name path; make all unique."""
    used: set[str] = set()
    derived = 0

    def visit(codes: list[QdaCode], prefix: str) -> None:
        nonlocal derived
        for code in codes:
            segment = rc.slug(code.name) or "code_" + code.guid.replace("-", "")[:8]
            key = code.key
            if key is not None and not KEY_RE.match(key):
                warnings.append(f"code key {key!r} is not a valid key; a new one was made")
                key = None
            if key is None or key in used:
                if key is not None:
                    warnings.append(f"code key {key!r} occurs twice; the second got a new key")
                key = f"{prefix}.{segment}" if prefix else segment
                derived += 1
            base, n = key, 2
            while key in used:
                key, n = f"{base}_{n}", n + 1
            used.add(key)
            code.key = key
            visit(code.children, key)

    visit(roots, "")
    if derived:
        warnings.append(
            f"{derived} code(s) had no annotator key; keys were made from their names (e.g. 'parent.child')"
        )


def _check_namespace(root: ET.Element, expected: str, warnings: list[str], label: str) -> None:
    ns = rc.namespace(root.tag)
    if ns != expected:
        shown = ns or "no namespace"
        warnings.append(f"{label}: XML namespace {shown!r} read as {expected!r}")


# --------------------------------------------------------------------------------------------- codebook


def read_qdc(path: str | Path, *, max_total_bytes: int = DEFAULT_MAX_TOTAL_BYTES) -> QdaCodebook:
    """Read a `.qdc` codebook (or the codebook of a `.qdpx`/`.qde` given instead)."""
    path = Path(path)
    if zipfile.is_zipfile(path):
        project = read_qdpx(path, max_total_bytes=max_total_bytes)
        return QdaCodebook(project.codes, project.warnings, project.origin)
    data = _read_small_file(path, max_total_bytes)
    root = rc.parse_xml(data, str(path))
    warnings: list[str] = []
    if rc.local(root.tag) == "Project":
        project = _read_project_root(root, path.name, None, warnings)
        return QdaCodebook(project.codes, warnings, project.origin)
    if rc.local(root.tag) != "CodeBook":
        raise UserError(f"{path}: not a REFI-QDA codebook (root element is <{rc.local(root.tag)}>)")
    _check_namespace(root, rc.CODEBOOK_NS, warnings, path.name)
    codes_elem = rc.child(root, "Codes")
    codes = read_codes(codes_elem, warnings, path.name) if codes_elem is not None else []
    if not codes:
        warnings.append(f"{path.name}: the codebook has no codes")
    return QdaCodebook(codes, warnings, root.get("origin"))


def _read_small_file(path: Path, limit: int) -> bytes:
    try:
        size = path.stat().st_size
        if size > limit:
            raise UserError(f"{path}: refused: {size:,} bytes is more than the limit of {limit:,}")
        return path.read_bytes()
    except OSError as exc:
        raise UserError(f"{path}: cannot read ({exc.strerror})") from None


# ---------------------------------------------------------------------------------------------- project


def read_qdpx(
    path: str | Path,
    *,
    max_total_bytes: int = DEFAULT_MAX_TOTAL_BYTES,
    max_ratio: float = DEFAULT_MAX_RATIO,
) -> QdaProject:
    """Read a `.qdpx` archive: the project XML plus its internal sources."""
    path = Path(path)
    with SafeArchive(path, max_total_bytes=max_total_bytes, max_ratio=max_ratio) as archive:
        warnings: list[str] = []
        qde = _find_qde(archive, warnings)
        root = rc.parse_xml(archive.read(qde), f"{path}/{qde}")
        if rc.local(root.tag) != "Project":
            raise UserError(f"{path}: {qde} is not a REFI-QDA project (root <{rc.local(root.tag)}>)")
        return _read_project_root(root, path.name, archive, warnings)


def read_qde(path: str | Path, *, max_total_bytes: int = DEFAULT_MAX_TOTAL_BYTES) -> QdaProject:
    """Read a bare `.qde`: sources stored inside it (PlainTextContent) are read, others skipped."""
    path = Path(path)
    root = rc.parse_xml(_read_small_file(path, max_total_bytes), str(path))
    if rc.local(root.tag) != "Project":
        raise UserError(f"{path}: not a REFI-QDA project (root element <{rc.local(root.tag)}>)")
    return _read_project_root(root, path.name, None, [])


def read_project(
    path: str | Path,
    *,
    max_total_bytes: int = DEFAULT_MAX_TOTAL_BYTES,
    max_ratio: float = DEFAULT_MAX_RATIO,
) -> QdaProject:
    """`.qdpx` archive or bare `.qde`, told apart by content rather than by the file name."""
    path = Path(path)
    if not path.is_file():
        raise UserError(f"{path}: no such file")
    if zipfile.is_zipfile(path):
        return read_qdpx(path, max_total_bytes=max_total_bytes, max_ratio=max_ratio)
    return read_qde(path, max_total_bytes=max_total_bytes)


def _find_qde(archive: SafeArchive, warnings: list[str]) -> str:
    if "project.qde" in archive.members:
        return "project.qde"
    found = sorted(m for m in archive.members if m.lower().endswith(".qde"))
    top = [m for m in found if "/" not in m] or found
    if not top:
        raise UserError(f"{archive.label}: no project .qde file in the archive; is it a .qdpx?")
    if len(top) > 1:
        warnings.append(f"several .qde files in the archive; {top[0]!r} was read")
    else:
        warnings.append(f"the project file is called {top[0]!r} instead of 'project.qde'")
    return top[0]


def _read_project_root(root: ET.Element, label: str, archive: SafeArchive | None, warnings: list[str]) -> QdaProject:
    _check_namespace(root, rc.PROJECT_NS, warnings, label)
    project = QdaProject(name=root.get("name") or Path(label).stem, warnings=warnings)
    project.origin = root.get("origin")
    users_elem = rc.child(root, "Users")
    for u in rc.children(users_elem, "User") if users_elem is not None else []:
        guid = rc.norm_guid(u.get("guid"))
        if guid:
            project.users.append(QdaUser(guid, u.get("name") or u.get("id") or f"user-{guid[:8]}"))
    book = rc.child(root, "CodeBook")
    codes_elem = rc.child(book, "Codes") if book is not None else None
    if codes_elem is not None:
        project.codes = read_codes(codes_elem, warnings, label)
    notes = _read_notes(root)
    collect_selections(project, root, archive, notes, label)
    return project


def _read_notes(root: ET.Element) -> dict[str, str]:
    """GUID -> text of every project-level note that is stored inline."""
    notes_elem = rc.child(root, "Notes")
    found: dict[str, str] = {}
    for note in rc.children(notes_elem, "Note") if notes_elem is not None else []:
        guid = rc.norm_guid(note.get("guid"))
        if guid:
            found[guid] = rc.child_text(note, "PlainTextContent")
    return found
