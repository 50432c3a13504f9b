"""Reading real files of every supported type; bad files give one line naming the file and the fix."""

from __future__ import annotations

import codecs
import re

import pytest

from annotator.core.documents import MAX_FILE_BYTES, read_document
from annotator.core.errors import UserError
from tests.store.foundation_helpers import make_docx, make_pdf

HTML = """<!DOCTYPE html>
<html><head><title>Hidden title</title>
<style>body { color: red; }</style>
<script>var secret = "hidden script";</script>
</head>
<body>
<h1>Heading &amp; more</h1>
<p>First <b>bold</b> para,   with   spaces.</p>
<!-- a comment -->
<script type="text/javascript">alert("also hidden")</script>
<p>Второй абзац&nbsp;— Привет 🙂</p>
<noscript>enable js</noscript>
<ul><li>one</li><li>two</li></ul>
</body></html>
"""


def test_txt_keeps_text_exactly(tmp_path):
    text = "  Leading spaces, e\u0301 decomposed, 🙂 emoji, Кириллица.\n\ntrailing  "
    path = tmp_path / "speech.txt"
    path.write_bytes(text.replace("\n", "\r\n").encode())
    doc = read_document(path)
    assert doc.text == text
    assert doc.name == "speech.txt"
    assert doc.source_filename == "speech.txt"


def test_md_is_plain_text(tmp_path):
    path = tmp_path / "notes.md"
    path.write_text("# Title\n\n*emphasis* stays as written\n", encoding="utf-8")
    assert read_document(path).text == "# Title\n\n*emphasis* stays as written\n"


def test_html_visible_text_only(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(HTML, encoding="utf-8")
    text = read_document(path).text
    for hidden in ("Hidden title", "color: red", "hidden script", "also hidden", "a comment", "enable js"):
        assert hidden not in text
    assert "Heading & more" in text
    assert "First bold para, with spaces." in text
    assert "Второй абзац\u00a0— Привет 🙂" in text
    assert re.search(r"one\n+two", text)


def test_html_in_utf16_with_bom(tmp_path):
    path = tmp_path / "page.htm"
    path.write_bytes(codecs.BOM_UTF16_LE + "<p>Привет</p><script>x()</script>".encode("utf-16-le"))
    assert read_document(path).text.strip() == "Привет"


def test_docx(tmp_path):
    path = make_docx(tmp_path / "speech.docx", ["Первый абзац.", "Second paragraph 🙂 with e\u0301."])
    doc = read_document(path, name="custom", attributes={"speaker": "Putin"})
    assert doc.text == "Первый абзац.\nSecond paragraph 🙂 with e\u0301."
    assert doc.name == "custom"
    assert doc.attributes == {"speaker": "Putin"}


def test_pdf_with_text(tmp_path):
    path = make_pdf(tmp_path / "report.pdf", ["Hello from a PDF page.", "Second line of text."])
    text = read_document(path).text
    assert "Hello from a PDF page." in text
    assert "Second line of text." in text
    assert "\r" not in text


def test_pdf_without_text_is_refused(tmp_path):
    path = make_pdf(tmp_path / "scan.pdf", [])
    with pytest.raises(UserError, match=r"scan\.pdf: .*no extractable text.*OCR"):
        read_document(path)


def test_corrupt_pdf_is_refused(tmp_path, capfd):
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage \x00\x01\x02 no xref, no trailer")
    with pytest.raises(UserError, match=r"broken\.pdf: not a readable PDF") as info:
        read_document(path)
    assert "\n" not in str(info.value)
    assert capfd.readouterr().err == ""  # pypdf's own warnings do not leak onto stderr


def test_corrupt_docx_is_refused(tmp_path):
    path = tmp_path / "broken.docx"
    path.write_bytes(b"PK\x03\x04 this is not really a zip")
    with pytest.raises(UserError, match=r"broken\.docx: not a readable \.docx"):
        read_document(path)


@pytest.mark.parametrize(
    ("name", "content", "pattern"),
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b" \r\n\t\n", "no text"),
        ("photo.txt", bytes(range(256)) * 16, "binary"),
        ("data.xyz", b"text", "unknown file type '.xyz'"),
        ("noext", b"text", "unknown file type"),
    ],
)
def test_bad_files(tmp_path, name, content, pattern):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UserError, match=pattern) as info:
        read_document(path)
    assert str(info.value).startswith(str(path))
    assert "\n" not in str(info.value)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(UserError, match="not found"):
        read_document(tmp_path / "missing.txt")
    (tmp_path / "folder.txt").mkdir()
    with pytest.raises(UserError, match="folder"):
        read_document(tmp_path / "folder.txt")


def test_too_large_refused_before_reading(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as fh:
        fh.truncate(MAX_FILE_BYTES + 1)  # sparse: costs no disk
    with pytest.raises(UserError, match="too large"):
        read_document(path)
