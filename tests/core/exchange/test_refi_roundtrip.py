"""Our own export: schema-valid, and read back exactly as written."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import xmlschema

from annotator.core.exchange.refi_qda import (
    QdaCode,
    QdaProject,
    QdaSelection,
    QdaSource,
    QdaUser,
    read_qdc,
    read_qdpx,
    stable_guid,
    write_qdc,
    write_qdpx,
)

CRLF_ORIGIN = "Первая строка\r\nвторая строка\r\n".replace("\r\n", "\n")
TEXTS = {
    "ru": "Угроза терроризма 🙂 растёт.\n\nВторой абзац: «цитата» & <тег>.",
    "emoji": "👩‍👩‍👧 family 🇭🇺 flag 🙂🙂 end",
    "combining": "Cafe\u0301 re\u0301sume\u0301 n\u0303 — ok",
    "crlf": CRLF_ORIGIN,
}


def _project() -> QdaProject:
    users = [QdaUser(stable_guid("coder", n), n) for n in ("Анна", "Bob <b&b>")]
    leaf1 = QdaCode(
        stable_guid("code", "threat.terrorism"),
        "Терроризм",
        "#c0392b",
        'Line one\nline two with <xml> & "quotes"',
        True,
        [],
        "threat.terrorism",
    )
    leaf2 = QdaCode(stable_guid("code", "threat.x"), "Other", None, "", True, [], "threat.x_custom-1")
    root = QdaCode(stable_guid("code", "threat"), "Threat type", None, "", False, [leaf1, leaf2], "threat")
    solo = QdaCode(stable_guid("code", "solo"), "Solo 🙂", "#00ff7f", "  spaced  ", True, [], "solo")
    sources = [QdaSource(stable_guid("doc", k), f"{k}.txt", t) for k, t in TEXTS.items()]
    by = {s.name[:-4]: s for s in sources}
    ru, emoji, comb, crlf = by["ru"], by["emoji"], by["combining"], by["crlf"]
    when = datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=timezone.utc)
    sels = [
        QdaSelection(
            stable_guid("s", "1"), ru.guid, 0, 18, [leaf1.guid], users[0].guid, "Memo\nwith two lines & <b>", when
        ),
        QdaSelection(
            stable_guid("s", "2"),
            ru.guid,
            0,
            18,
            [leaf1.guid, solo.guid],
            users[1].guid,
            None,
            when + timedelta(hours=1),
        ),
        QdaSelection(stable_guid("s", "3"), ru.guid, 19, 20, [solo.guid], users[0].guid, None, None),
        QdaSelection(
            stable_guid("s", "4"),
            emoji.guid,
            0,
            8,
            [leaf2.guid],
            users[0].guid,
            "🙂 memo",
            datetime(2024, 1, 1, 12, 0, tzinfo=timezone(timedelta(hours=3))),
        ),
        QdaSelection(
            stable_guid("s", "5"), emoji.guid, 18, 25, [solo.guid], users[1].guid, None, datetime(2024, 1, 1, 12, 0)
        ),
        QdaSelection(
            stable_guid("s", "6"), comb.guid, 0, 5, [solo.guid], users[0].guid, "memo\r\nwith CRLF kept", None
        ),
        QdaSelection(stable_guid("s", "7"), crlf.guid, 14, len(CRLF_ORIGIN), [leaf1.guid], users[1].guid, None, None),
    ]
    return QdaProject("Проект 1", users, [root, solo], sources, sels)


@pytest.fixture
def project_schema(shared_dir: Path) -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(shared_dir / "refi-qda" / "Project-mrt2019.xsd"))


@pytest.fixture
def codebook_schema(shared_dir: Path) -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(shared_dir / "refi-qda" / "Codebook-mrt2019.xsd"))


def test_qdpx_validates_against_project_schema(tmp_path, project_schema) -> None:
    out = tmp_path / "out.qdpx"
    write_qdpx(_project(), out)
    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
        assert names[0] == "project.qde"
        assert sorted(names[1:]) == sorted(f"sources/{s.guid}.txt" for s in _project().sources)
        qde = archive.read("project.qde")
        for source in _project().sources:
            assert archive.read(f"sources/{source.guid}.txt") == source.text.encode("utf-8")
    project_schema.validate(io.BytesIO(qde))  # raises on any violation (strict)
    text = qde.decode("utf-8")
    assert f'plainTextPath="internal://{_project().sources[0].guid}.txt"' in text
    assert "<Notes>" in text
    assert "<NoteRef " in text


def test_qdc_validates_against_codebook_schema(tmp_path, codebook_schema) -> None:
    out = tmp_path / "out.qdc"
    write_qdc(_project().codes, out)
    codebook_schema.validate(str(out))


def test_round_trip_reproduces_everything(tmp_path) -> None:
    original = _project()
    out = tmp_path / "rt.qdpx"
    write_qdpx(original, out)
    back = read_qdpx(out)
    assert back.warnings == []
    assert back.name == original.name
    assert back.users == original.users
    assert back.codes == original.codes
    assert back.sources == original.sources
    key = lambda s: s.guid  # noqa: E731
    assert sorted(back.selections, key=key) == sorted(original.selections, key=key)
    for sel in back.selections:
        text = next(s.text for s in back.sources if s.guid == sel.source_guid)
        assert 0 <= sel.start < sel.end <= len(text)


def test_qdc_round_trip_keeps_keys_and_tree(tmp_path) -> None:
    out = tmp_path / "rt.qdc"
    codes = _project().codes
    write_qdc(codes, out)
    book = read_qdc(out)
    assert book.codes == codes
    assert book.warnings == []


def test_reexport_is_byte_identical(tmp_path) -> None:
    first, second = tmp_path / "a.qdpx", tmp_path / "b.qdpx"
    write_qdpx(_project(), first)
    write_qdpx(read_qdpx(first), second)
    with zipfile.ZipFile(first) as a, zipfile.ZipFile(second) as b:
        assert a.read("project.qde") == b.read("project.qde")


def test_failed_write_leaves_old_file_and_no_temp(tmp_path) -> None:
    out = tmp_path / "keep.qdpx"
    out.write_bytes(b"previous export")
    broken = _project()
    broken.sources[0].text = "lone surrogate \ud800 cannot be UTF-8"
    broken.selections = []
    with pytest.raises(UnicodeEncodeError):
        write_qdpx(broken, out)
    assert out.read_bytes() == b"previous export"
    assert [p.name for p in tmp_path.iterdir()] == ["keep.qdpx"]


def test_writer_refuses_inconsistent_model(tmp_path) -> None:
    bad = _project()
    bad.selections[0].end = 10_000
    with pytest.raises(ValueError, match="outside"):
        write_qdpx(bad, tmp_path / "x.qdpx")
    bad = _project()
    bad.selections[0].code_guids = [stable_guid("code", "nope")]
    with pytest.raises(ValueError, match="unknown code"):
        write_qdpx(bad, tmp_path / "x.qdpx")
    bad = _project()
    bad.users[0].guid = "not-a-guid"
    with pytest.raises(ValueError, match="not a GUID"):
        write_qdpx(bad, tmp_path / "x.qdpx")
    assert list(tmp_path.iterdir()) == []
