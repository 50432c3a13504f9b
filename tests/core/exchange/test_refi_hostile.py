"""Hostile or broken archives are refused with one clear UserError; nothing is returned."""

from __future__ import annotations

import random
import string
import struct
import zipfile

import pytest

from annotator.core.errors import UserError
from annotator.core.exchange.refi_qda import read_qdc, read_qdpx
from tests.core.exchange.helpers import SOURCE, make_qdpx, project_xml, text_source

GOOD_XML = project_xml(text_source([(0, 5)]))
GOOD_SOURCE = {f"sources/{SOURCE}.txt": "Hello world"}


def _refused(path, match: str, **limits) -> str:
    with pytest.raises(UserError, match=match) as info:
        read_qdpx(path, **limits)
    message = str(info.value)
    assert "\n" not in message
    assert str(path) in message
    return message


def test_sane_archive_is_accepted(tmp_path) -> None:
    project = read_qdpx(make_qdpx(tmp_path / "ok.qdpx", {"project.qde": GOOD_XML, **GOOD_SOURCE}))
    assert len(project.selections) == 1


@pytest.mark.parametrize(
    "member",
    ["../evil.txt", "sources/../../evil.txt", "/etc/passwd", "C:/Windows/evil.txt", "..\\evil.txt"],
)
def test_member_escaping_the_archive(tmp_path, member) -> None:
    path = make_qdpx(tmp_path / "x.qdpx", {"project.qde": GOOD_XML, **GOOD_SOURCE, member: "x"})
    _refused(path, "outside the archive")


def test_source_path_escaping_the_sources_folder(tmp_path) -> None:
    xml = project_xml(text_source([(0, 5)], path="internal://../../etc/passwd"))
    path = make_qdpx(tmp_path / "x.qdpx", {"project.qde": xml, **GOOD_SOURCE})
    _refused(path, "outside the archive")


def test_missing_referenced_source(tmp_path) -> None:
    path = make_qdpx(tmp_path / "x.qdpx", {"project.qde": GOOD_XML})
    _refused(path, "not in the archive")


BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE Project [<!ENTITY a "aaaaaaaaaa">'
    + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9))
    + ']><Project xmlns="urn:QDA-XML:project:1.0" name="&j;"/>'
)
XXE = (
    '<?xml version="1.0"?><!DOCTYPE Project [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    '<Project xmlns="urn:QDA-XML:project:1.0" name="&x;"/>'
)
EXTERNAL_DTD = (
    '<?xml version="1.0"?><!DOCTYPE Project SYSTEM "http://example.invalid/evil.dtd">'
    '<Project xmlns="urn:QDA-XML:project:1.0" name="p"/>'
)


@pytest.mark.parametrize("xml", [BILLION_LAUGHS, XXE, EXTERNAL_DTD], ids=["bomb", "xxe", "dtd"])
def test_xml_with_dtd_or_entities(tmp_path, xml) -> None:
    path = make_qdpx(tmp_path / "x.qdpx", {"project.qde": xml})
    _refused(path, "DTD or entities")
    qdc = tmp_path / "x.qdc"
    qdc.write_text(xml.replace("Project", "CodeBook"), encoding="utf-8")
    with pytest.raises(UserError, match="DTD or entities"):
        read_qdc(qdc)


def test_zip_bomb_by_ratio(tmp_path) -> None:
    bomb = {"project.qde": GOOD_XML, f"sources/{SOURCE}.txt": b"Hello world" + b" " * 60_000_000}
    path = make_qdpx(tmp_path / "bomb.qdpx", bomb)
    assert path.stat().st_size < 200_000
    _refused(path, "zip bomb")


def test_total_size_limit(tmp_path) -> None:
    big = {"project.qde": GOOD_XML, f"sources/{SOURCE}.txt": "Hello world " * 200_000}
    path = make_qdpx(tmp_path / "big.qdpx", big)
    _refused(path, "limit", max_total_bytes=1_000_000)


def _patch_sizes(path, member: str, size: int) -> None:
    """Make the headers claim a smaller uncompressed size than the data really has."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(member)
    struct.pack_into("<I", data, info.header_offset + 22, size)  # local header
    central = data.find(b"PK\x01\x02")
    while central != -1:
        name_len = struct.unpack_from("<H", data, central + 28)[0]
        if data[central + 46 : central + 46 + name_len].decode() == member:
            struct.pack_into("<I", data, central + 24, size)
            break
        central = data.find(b"PK\x01\x02", central + 4)
    path.write_bytes(bytes(data))


def test_lying_headers_are_caught_by_counting_real_bytes(tmp_path) -> None:
    member = f"sources/{SOURCE}.txt"
    rng = random.Random(5)
    noise = "".join(rng.choice(string.ascii_letters) for _ in range(1_500_000))  # barely compresses
    path = make_qdpx(tmp_path / "liar.qdpx", {"project.qde": GOOD_XML, member: noise})
    _patch_sizes(path, member, 10)  # headers now claim 10 bytes: the declared total passes
    # zipfile stops at the claimed size and the CRC check fails; our byte count is the backstop.
    _refused(path, "damaged|exceeds the limit", max_total_bytes=1_000_000)


def test_not_a_zip_and_not_xml(tmp_path) -> None:
    junk = tmp_path / "junk.qdpx"
    junk.write_bytes(b"this is not a zip")
    _refused(junk, "not a readable .qdpx")
    bad_xml = make_qdpx(tmp_path / "bad.qdpx", {"project.qde": "<Project name='x'><Users>"})
    _refused(bad_xml, "not well-formed XML")
    no_qde = make_qdpx(tmp_path / "none.qdpx", {"readme.txt": "hi"})
    _refused(no_qde, "no project .qde")
