"""Deviations found in real tools' exports are repaired, and each repair is reported."""

from __future__ import annotations

import pytest

from annotator.core.exchange.refi_qda import read_qdc, read_qdpx
from tests.core.exchange.helpers import CODE, SOURCE, USER, make_qdpx, project_xml, text_source

# Emoji before the selected words make UTF-16 and code-point positions differ; CRLF makes the
# file's positions differ from the normalised text's.
RAW = "Вступление 🙂🙂 и 👍.\r\nГлавная мысль: угроза терроризма растёт.\r\nКонец 🙂 текста.\r\n"
NORM = RAW.replace("\r\n", "\n")
TARGETS = ["угроза терроризма", "Главная мысль", "Конец", "текста"]


def _positions(unit: str, on_raw: bool) -> list[tuple[int, int]]:
    text = RAW if on_raw else NORM
    out = []
    for word in TARGETS:
        a = text.index(word)
        b = a + len(word)
        if unit == "utf16":
            a, b = (len(text[:x].encode("utf-16-le")) // 2 for x in (a, b))
        out.append((a, b))
    return out


@pytest.mark.parametrize(
    ("unit", "on_raw", "warning"),
    [
        ("cp", True, None),
        ("cp", False, "normalised line ends"),
        ("utf16", True, "UTF-16 code units on the text as stored"),
        ("utf16", False, "UTF-16 code units on the text with normalised"),
    ],
)
def test_position_units_are_detected_and_converted(tmp_path, unit, on_raw, warning) -> None:
    xml = project_xml(text_source(_positions(unit, on_raw)))
    path = make_qdpx(tmp_path / "p.qdpx", {"project.qde": xml, f"sources/{SOURCE}.txt": "\ufeff" + RAW})
    project = read_qdpx(path)
    (source,) = project.sources
    assert source.text == NORM
    got = [source.text[s.start : s.end] for s in project.selections]
    assert got == TARGETS
    converted = [w for w in project.warnings if w.startswith("positions were counted")]
    if warning is None:
        assert converted == []
    else:
        assert len(converted) == 1
        assert warning in converted[0]


def test_nvivo_like_archive_with_every_deviation(tmp_path) -> None:
    braced_code = "{" + CODE.upper() + "}"
    codes = (
        f'<Code guid="{braced_code}" name="Threat" isCodable="true" color="#FF46AA00">'
        '<Code guid="{0B3E9C4A-6666-4A6B-9C3E-000000000006}" name="Child no colour" '
        'isCodable="true"/></Code>'
    )
    sources = text_source(_positions("utf16", True)).replace(CODE, braced_code)
    xml = project_xml(sources, ns="urn:QDA-XML:project:0:4", codes_xml=codes)
    path = make_qdpx(
        tmp_path / "nvivo.qdpx",
        {"My Project.qde": "\ufeff" + xml, f"Sources/{SOURCE}.txt": "\ufeff" + RAW},
    )
    project = read_qdpx(path)
    warnings = " | ".join(project.warnings)
    for fragment in ("'My Project.qde'", "'Sources/'", "0:4", "alpha", "UTF-16", "byte-order"):
        assert fragment in warnings
    (code,) = project.codes
    assert code.guid == CODE
    assert code.color == "#46aa00"
    assert code.key == "threat"
    assert code.children[0].key == "threat.child_no_colour"
    assert code.children[0].color is None
    assert [project.sources[0].text[s.start : s.end] for s in project.selections] == TARGETS
    assert all(s.code_guids == [CODE] and s.user_guid == USER for s in project.selections)


def test_inline_text_nameless_source_and_multi_coder_selection(tmp_path) -> None:
    other = "0b3e9c4a-1111-4a6b-9c3e-000000000009"
    xml = (
        '<Project xmlns="urn:QDA-XML:project:1.0" name="inline">'
        f'<Users><User guid="{USER}" name="Anna"/></Users>'
        f'<CodeBook><Codes><Code guid="{CODE}" name="C" isCodable="true"/></Codes></CodeBook>'
        f'<Sources><TextSource guid="{SOURCE}"><PlainTextContent>Hello brave world</PlainTextContent>'
        '<PlainTextSelection guid="0b3e9c4a-4444-4a6b-9c3e-000000000001" startPosition="6" '
        f'endPosition="11" creatingUser="{USER}"><Description>a memo</Description>'
        f'<Coding guid="0b3e9c4a-5555-4a6b-9c3e-000000000001" creatingUser="{USER}">'
        f'<CodeRef targetGUID="{CODE}"/></Coding>'
        f'<Coding guid="0b3e9c4a-5555-4a6b-9c3e-000000000002" creatingUser="{other}">'
        f'<CodeRef targetGUID="{CODE}"/></Coding>'
        '<Coding guid="0b3e9c4a-5555-4a6b-9c3e-000000000003">'
        '<CodeRef targetGUID="0b3e9c4a-7777-4a6b-9c3e-000000000007"/></Coding>'
        '<NoteRef targetGUID="0b3e9c4a-8888-4a6b-9c3e-000000000008"/>'
        "</PlainTextSelection></TextSource></Sources>"
        '<Notes><Note guid="0b3e9c4a-8888-4a6b-9c3e-000000000008" name="n">'
        "<PlainTextContent>note text</PlainTextContent></Note></Notes></Project>"
    )
    project = read_qdpx(make_qdpx(tmp_path / "i.qdpx", {"project.qde": xml}))
    (source,) = project.sources
    assert source.text == "Hello brave world"
    assert source.name
    assert len(project.selections) == 2
    assert {s.user_guid for s in project.selections} == {USER, other}
    assert all(source.text[s.start : s.end] == "brave" for s in project.selections)
    assert project.selections[0].memo == "a memo\n\nnote text"
    assert other in {u.guid for u in project.users}
    warnings = " | ".join(project.warnings)
    assert "without a name" in warnings
    assert "unknown codes" in warnings
    assert "not listed" in warnings


def test_codebook_with_alpha_colours_and_no_namespace(tmp_path) -> None:
    path = tmp_path / "c.qdc"
    path.write_text(
        '<CodeBook><Codes><Code guid="{0B3E9C4A-2222-4A6B-9C3E-000000000002}" name="Rot" '
        'isCodable="true" color="#c0392bff"/><Code guid="0b3e9c4a-2222-4a6b-9c3e-000000000003" '
        'name="Rot" isCodable="true" color="red"/></Codes><Sets/></CodeBook>',
        encoding="utf-8",
    )
    book = read_qdc(path)
    assert [c.color for c in book.codes] == ["#c0392b", None]
    assert [c.key for c in book.codes] == ["rot", "rot_2"]
    assert any("no namespace" in w for w in book.warnings)


def test_selection_outside_text_is_skipped_with_warning(tmp_path) -> None:
    xml = project_xml(text_source([(0, 5), (3, 500)]))
    path = make_qdpx(tmp_path / "p.qdpx", {"project.qde": xml, f"sources/{SOURCE}.txt": "Hello world"})
    project = read_qdpx(path)
    assert [(s.start, s.end) for s in project.selections] == [(0, 5)]
    assert any("outside their source text" in w for w in project.warnings)


def test_code_without_guid_and_coding_of_a_whole_source(tmp_path) -> None:
    codes = '<Code name="No guid" isCodable="true"/>' + (f'<Code guid="{CODE}" name="Threat" isCodable="true"/>')
    whole = (
        f'<TextSource guid="{SOURCE}" name="doc" plainTextPath="internal://{SOURCE}.txt">'
        f'<Coding guid="0b3e9c4a-5555-4a6b-9c3e-000000000001" creatingUser="{USER}">'
        f'<CodeRef targetGUID="{CODE}"/></Coding></TextSource>'
    )
    path = make_qdpx(
        tmp_path / "w.qdpx",
        {"project.qde": project_xml(whole, codes_xml=codes), f"sources/{SOURCE}.txt": "A\r\n🙂 b"},
    )
    project = read_qdpx(path)
    assert project.codes[0].key == "no_guid"
    assert len(project.codes[0].guid) == 36
    (sel,) = project.selections
    assert (sel.start, sel.end, sel.code_guids) == (0, len("A\n🙂 b"), [CODE])
    assert any("whole source" in w for w in project.warnings)


def test_invalid_or_duplicate_marker_keys_are_replaced(tmp_path) -> None:
    path = tmp_path / "k.qdc"
    path.write_text(
        '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
        '<Code guid="0b3e9c4a-2222-4a6b-9c3e-000000000001" name="A" isCodable="true">'
        "<Description>[annotator key: same]</Description></Code>"
        '<Code guid="0b3e9c4a-2222-4a6b-9c3e-000000000002" name="B" isCodable="true">'
        "<Description>d\n\n[annotator key: same]</Description></Code>"
        '<Code guid="0b3e9c4a-2222-4a6b-9c3e-000000000003" name="C c" isCodable="true">'
        "<Description>[annotator key: bad key!]</Description></Code>"
        "</Codes></CodeBook>",
        encoding="utf-8",
    )
    book = read_qdc(path)
    assert [c.key for c in book.codes] == ["same", "b", "c_c"]
    assert [c.description for c in book.codes] == ["", "d", ""]
    assert sum("key" in w for w in book.warnings) >= 2
