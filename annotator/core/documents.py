"""Reading documents from files: plain text, Markdown, HTML, .docx and .pdf.

Each reader returns stored text (see `annotator.core.text`). A bad file raises `UserError` with one line
naming the file and what to do, so a batch import can report it and carry on with the others.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from datetime import datetime, timezone
from html.parser import HTMLParser
from pathlib import Path

from annotator.core.errors import UserError, is_utf8, shown
from annotator.core.exchange.safe_zip import SafeArchive
from annotator.core.text import (
    check_text_is_plausible,
    decode_bytes,
    decode_text_file,
    normalise_newlines,
    text_sha256,
)

# Larger files are refused before they are read, so a stray 50 MB dump cannot exhaust memory or make
# the text pane unusable. Books are ~1-3 MB; 32 MB is far beyond any speech or press corpus.
MAX_FILE_BYTES = 32 * 1024 * 1024

# A .docx unpacks to its XML and images: text XML compresses 5-20x, images not at all. Its file is at most
# MAX_FILE_BYTES; beyond 4x that unpacked (or a member 100x its packed size) it is a zip bomb, not a speech.
DOCX_MAX_UNPACKED = 4 * MAX_FILE_BYTES
DOCX_MAX_RATIO = 100

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".docx", ".pdf")


@dataclass
class ImportedDocument:
    """A document read from a file, ready to be stored."""

    name: str
    text: str
    source_filename: str
    encoding: str
    attributes: dict[str, str] = field(default_factory=dict)
    imported_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    # sha256 of `text` when the reader already has it (hashed from the file's bytes); else computed on use.
    known_sha256: str | None = field(default=None, repr=False)

    @property
    def sha256(self) -> str:
        return self.known_sha256 or text_sha256(self.text)


# HTML collapses only ASCII whitespace; a no-break space (&nbsp;) is text and stays.
_HTML_SPACE_CHARS = " \t\n\r\f"
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")


class _VisibleText(HTMLParser):
    """Collects the text a browser would show: no scripts, styles, head or comments."""

    _HIDDEN = frozenset({"script", "style", "head", "title", "template", "noscript"})
    _BLOCK = frozenset(
        {
            "p",
            "div",
            "br",
            "li",
            "ul",
            "ol",
            "tr",
            "table",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "blockquote",
            "pre",
            "section",
            "article",
            "header",
            "footer",
            "hr",
            "dt",
            "dd",
            "figcaption",
        }
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._HIDDEN:
            self._hidden_depth += 1
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._HIDDEN:
            self._hidden_depth = max(0, self._hidden_depth - 1)
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._hidden_depth and data:
            # Collapse runs of whitespace as a browser does, but keep a space at either edge: the
            # spaces in "First <b>bold</b> para" separate words.
            inner = " ".join(_HTML_SPACE.split(data)).strip(" ")
            lead = " " if data[0] in _HTML_SPACE_CHARS else ""
            trail = " " if data[-1] in _HTML_SPACE_CHARS and inner else ""
            self.parts.append(lead + inner + trail)

    def text(self) -> str:
        lines = [" ".join(_HTML_SPACE.split(line)).strip(" ") for line in "".join(self.parts).split("\n")]
        out: list[str] = []
        for line in lines:
            if line or (out and out[-1]):
                out.append(line)
        return "\n".join(out).strip("\n") + "\n"


def _read_html(data: bytes, source: str) -> tuple[str, str]:
    raw, encoding = decode_bytes(data, source)
    parser = _VisibleText()
    parser.feed(raw)
    parser.close()
    return parser.text(), encoding


def _read_docx(path: Path, source: str) -> str:
    import docx  # python-docx; imported lazily, only .docx needs it

    # A .docx is a zip from someone else's computer: it passes the same limits as a .qdpx (claimed sizes,
    # then the real bytes, read in small pieces and kept nowhere) before python-docx unpacks it whole.
    limits = {"max_total_bytes": DOCX_MAX_UNPACKED, "max_ratio": DOCX_MAX_RATIO}
    with SafeArchive(path, label=source, kind=".docx", **limits) as archive:
        archive.verify()
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises PackageNotFoundError, BadZipFile, KeyError, XML errors...
        raise UserError(
            f"{source}: not a readable .docx file ({type(exc).__name__}: {exc}); open and re-save it in Word"
        ) from None
    paragraphs = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            paragraphs.append("\t".join(cell.text for cell in row.cells))
    return normalise_newlines("\n".join(paragraphs))


def _read_pdf(path: Path, source: str) -> str:
    import logging

    import pypdf  # imported lazily, only .pdf needs it

    # pypdf logs repairs of damaged files ("EOF marker not found") to stderr; our one line says enough.
    pypdf_log = logging.getLogger("pypdf")
    pypdf_log.setLevel(logging.ERROR + 10)
    if not pypdf_log.handlers:
        pypdf_log.addHandler(logging.NullHandler())
    try:
        reader = pypdf.PdfReader(str(path))
        pages = [page.extract_text() or "" for page in reader.pages]
    except Exception as exc:  # pypdf raises many unrelated types for broken files
        raise UserError(
            f"{source}: not a readable PDF ({type(exc).__name__}: {exc}); re-save it from a "
            "PDF viewer or import its text as .txt"
        ) from None
    text = normalise_newlines("\n\n".join(pages))
    if not text.strip():
        raise UserError(f"{source}: the PDF has no extractable text (a scan?); run OCR on it first or import a .txt")
    return text


def read_document(
    path: str | os.PathLike[str], *, name: str | None = None, attributes: dict[str, str] | None = None
) -> ImportedDocument:
    """Read one file into an ImportedDocument, or raise UserError saying why it cannot be imported."""
    path = Path(path)
    source = shown(path)  # a name with bytes that are not UTF-8 is still named, as `bad\xff.txt`
    if name is not None and not is_utf8(name):
        raise UserError(f"{source}: --name {shown(name)} is not valid UTF-8; give the name in UTF-8")
    if name is None and not is_utf8(path.name):
        raise UserError(
            f"{source}: the file name is not valid UTF-8 (an old encoding?); rename the file, "
            "or import it on its own with --name NAME"
        )
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UserError(
            f"{source}: unknown file type '{suffix or '(none)'}'; supported: {', '.join(SUPPORTED_SUFFIXES)}"
        )
    try:
        info = path.stat()  # one stat answers existence, folder and size
    except FileNotFoundError:
        raise UserError(f"{source}: file not found; check the path and spelling") from None
    except OSError as exc:
        raise UserError(f"{source}: cannot read ({exc.strerror})") from None
    if stat.S_ISDIR(info.st_mode):
        raise UserError(f"{source}: is a folder, not a file; name the files in it (e.g. {source}/*.txt)")
    size = info.st_size
    if size > MAX_FILE_BYTES:
        raise UserError(
            f"{source}: too large ({size / 1e6:.1f} MB; the limit is {MAX_FILE_BYTES / 1e6:.0f} MB); "
            "split it into smaller documents"
        )
    if size == 0:
        raise UserError(f"{source}: the file is empty; nothing to import")
    encoding = "utf-8"
    digest: str | None = None
    try:
        if suffix == ".docx":
            text = _read_docx(path, source)
        elif suffix == ".pdf":
            text = _read_pdf(path, source)
        else:
            with open(path, "rb") as handle:  # the file is read once, here
                data = handle.read()
            if suffix in (".html", ".htm"):
                text, encoding = _read_html(data, source)
            else:
                text, encoding, digest = decode_text_file(data, source)
    except PermissionError:
        raise UserError(f"{source}: permission denied; check the file's permissions") from None
    if digest is None:
        check_text_is_plausible(text, source)
    return ImportedDocument(
        name=name or path.name,
        text=text,
        source_filename=shown(path.name),
        encoding=encoding,
        attributes=dict(attributes or {}),
        known_sha256=digest,
    )
