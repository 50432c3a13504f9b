"""Position conversion as a property, the .docx fallback, and reading entry points."""

from __future__ import annotations

import io

import docx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.core.errors import UserError
from annotator.core.exchange.refi_positions import READINGS, SourceText
from annotator.core.exchange.refi_qda import (
    QdaCode,
    QdaProject,
    read_project,
    read_qdc,
    read_qdpx,
    stable_guid,
    write_qdpx,
)
from tests.core.exchange.helpers import SOURCE, make_qdpx, project_xml, text_source

ALPHABET = st.sampled_from(["a", "é", "\u0301", "🙂", "\r\n", "\r", "\n", " ", "Ж", "𝄞"])


def _forward(raw: str, norm_pos: int, unit: str, on_raw: bool) -> int:
    """Where a producer using this reading would put our normalised position `norm_pos`."""
    pieces = raw.replace("\r\n", "\x00").replace("\r", "\n")  # one char per normalised char
    raw_pos = len(pieces[:norm_pos].replace("\x00", "\r\n"))
    text = raw if on_raw else raw.replace("\r\n", "\n").replace("\r", "\n")
    pos = raw_pos if on_raw else norm_pos
    if unit == "utf16":
        pos = len(text[:pos].encode("utf-16-le")) // 2
    return pos


@given(st.lists(ALPHABET, max_size=40).map("".join), st.data())
def test_every_reading_converts_back_exactly(raw: str, data) -> None:
    text = SourceText(raw)
    norm_pos = data.draw(st.integers(0, len(text.norm)))
    for reading in READINGS:
        produced = _forward(raw, norm_pos, reading.unit, reading.raw)
        converted = text.convert(produced, reading)
        assert converted is not None
        assert converted[0] == norm_pos


def _docx_bytes(paragraphs: list[str]) -> bytes:
    document = docx.Document()
    for p in paragraphs:
        document.add_paragraph(p)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_empty_plain_text_falls_back_to_docx(tmp_path) -> None:
    xml = project_xml(text_source([(6, 11)])).replace(
        'plainTextPath="', f'richTextPath="internal://{SOURCE}.docx" plainTextPath="'
    )
    path = make_qdpx(
        tmp_path / "mac.qdpx",
        {
            "project.qde": xml,
            f"sources/{SOURCE}.txt": "\n",
            f"sources/{SOURCE}.docx": _docx_bytes(["Hello world", "second paragraph"]),
        },
    )
    project = read_qdpx(path)
    (source,) = project.sources
    assert source.text == "Hello world\nsecond paragraph"
    assert source.text[project.selections[0].start : project.selections[0].end] == "world"
    assert any("read from its .docx" in w for w in project.warnings)


def test_read_project_and_qdc_accept_either_container(tmp_path) -> None:
    code = QdaCode(stable_guid("code", "k"), "K", "#123456", "", True, [], "k")
    path = tmp_path / "p.qdpx"
    write_qdpx(QdaProject("p", codes=[code]), path)
    assert read_project(path).codes == [code]
    assert read_qdc(path).codes == [code]
    qde = tmp_path / "p.qde"
    qde.write_text(project_xml(text_source([])), encoding="utf-8")
    assert read_project(qde).codes[0].name == "Threat"
    with pytest.raises(UserError, match="no such file"):
        read_project(tmp_path / "missing.qdpx")
