"""Independent readers of `.qdpx` files: what another program sees in the files we write.

Each returns {selection GUID: selected text}, so a test can compare it with the stored passages.

- `pyrefiqda_passages`: pyrefiqda (a standard-following parser built from the REFI-QDA schema) gives
  the selections and the source paths; the text is cut as the standard says: code points (§10.2)
  into the UTF-8 source file (§9.1.2).
- `utf16_passages`: a reader written here from how NVivo counts: positions are UTF-16 code units
  into the source text (measured on a real NVivo 12 export, see ../shared/refi-qda/README.md).
- `pyqdpx_passages`: pyqdpx, a library built around NVivo exports, whose selection text simulates
  NVivo's counting (it pads every grapheme with one zero-width space per astral character); the
  padding is removed again. Selections must start and end on grapheme boundaries for it, as they do
  when made in a text widget.

pyqdpx 0.1.8 uses an f-string that only Python 3.12 parses, in a display method (`Span.__str__`)
that reading never calls. On older Pythons its module is loaded with that one expression rewritten;
everything it reads with is its own code, unchanged.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

NS = {"q": "urn:QDA-XML:project:1.0"}
_PY312_ONLY = '{(f": {sel.description}") if sel.description else ""}'
_PORTABLE = "{(': ' + str(sel.description)) if sel.description else ''}"


def load_pyqdpx() -> types.ModuleType:
    """pyqdpx's module (see the module docstring for Python < 3.12)."""
    if sys.version_info >= (3, 12):
        return importlib.import_module("pyqdpx.pyqdpx")
    spec = importlib.util.find_spec("pyqdpx")
    assert spec is not None, "pyqdpx is not installed (pip install -e .[test])"
    assert spec.submodule_search_locations, "pyqdpx is not a package"
    path = Path(next(iter(spec.submodule_search_locations))) / "pyqdpx.py"
    source = path.read_text(encoding="utf-8")
    assert source.count(_PY312_ONLY) == 1, f"{path}: not pyqdpx 0.1.8 as pinned in pyproject.toml"
    module = types.ModuleType("pyqdpx_witness")
    module.__file__ = str(path)
    exec(compile(source.replace(_PY312_ONLY, _PORTABLE), str(path), "exec"), module.__dict__)
    return module


def pyqdpx_passages(path: Path) -> dict[str, str]:
    project = load_pyqdpx().QDPX(str(path)).get_project()
    assert project is not None, f"pyqdpx could not read {path}"
    return {
        guid: sel.text.replace("\u200b", "")
        for source in project.sources.values()
        for guid, sel in source.coded_selections.items()
    }


def pyrefiqda_passages(path: Path, extract_dir: Path) -> dict[str, str]:
    from pyrefiqda import RefiProject

    project = RefiProject.load(path, extract_dir=str(extract_dir))
    found: dict[str, str] = {}
    for source in project.sources.text_source:
        text = RefiProject.resolve_source_path(source.plain_text_path, extract_dir).read_text(encoding="utf-8")
        for sel in source.plain_text_selection:
            found[sel.guid] = text[sel.start_position : sel.end_position]
    return found


def utf16_passages(path: Path, errors: str = "strict") -> dict[str, str]:
    """`errors="replace"` shows a position inside a surrogate pair (half an emoji) as U+FFFD."""
    found: dict[str, str] = {}
    with zipfile.ZipFile(path) as archive:
        root = ET.fromstring(archive.read("project.qde"))
        for source in root.iterfind("q:Sources/q:TextSource", NS):
            member = source.get("plainTextPath", "").removeprefix("internal://")
            units = archive.read(f"sources/{member}").decode("utf-8-sig").encode("utf-16-le")
            for sel in source.iterfind("q:PlainTextSelection", NS):
                a, b = int(sel.get("startPosition", "")), int(sel.get("endPosition", ""))
                found[sel.get("guid", "")] = units[2 * a : 2 * b].decode("utf-16-le", errors)
    return found


def origin(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return ET.fromstring(archive.read("project.qde")).get("origin", "")
