"""The two export flavours at the core level, and the position report the reader makes."""

from __future__ import annotations

import re
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core.exchange.refi_flavour import FLAVOURS, check_flavour, declared_reading, origin_for
from annotator.core.exchange.refi_positions import STANDARD, Reading
from annotator.core.exchange.refi_qda import (
    QdaCode,
    QdaProject,
    QdaSelection,
    QdaSource,
    QdaUser,
    read_qdpx,
    stable_guid,
    write_qdpx,
)
from tests.core.exchange.helpers import make_qdpx, project_xml, text_source, utf16_len
from tests.witnesses import pyrefiqda_passages, utf16_passages

# Letters that shift positions (astral, flags, ZWJ, modifiers), that combine, and plain ones.
PIECES = ["a", " ", "\n", "й", "и\u0306", "e\u0301", "🙂", "🇺🇦", "👩\u200d👧", "👍🏽", "𠜎", "«", "."]


def one_source_project(text: str, cuts: list[tuple[int, int]]) -> QdaProject:
    user = QdaUser(stable_guid("coder", "anna"), "anna")
    code = QdaCode(stable_guid("code", "c"), "C", key="c")
    source = QdaSource(stable_guid("document", text), "doc", text)
    selections = [
        QdaSelection(stable_guid("sel", str(i)), source.guid, a, b, [code.guid], user.guid)
        for i, (a, b) in enumerate(cuts)
    ]
    return QdaProject("p", [user], [code], [source], selections)


@st.composite
def texts_and_cuts(draw: st.DrawFn) -> tuple[str, list[tuple[int, int]]]:
    # (a source of nothing but white space is read as NVivo for Mac's empty placeholder: skipped)
    pieces = st.lists(st.sampled_from(PIECES), min_size=1, max_size=40).filter(lambda p: "".join(p).strip())
    text = "".join(draw(pieces))
    points = st.integers(0, len(text))
    cuts = [tuple(sorted(pair)) for pair in draw(st.lists(st.tuples(points, points), min_size=1, max_size=8))]
    return text, [(a, b) for a, b in cuts if a < b] or [(0, len(text))]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=texts_and_cuts())
def test_every_flavour_round_trips_any_span_exactly(case: tuple[str, list[tuple[int, int]]]) -> None:
    """Any code-point span (even one splitting a flag or a ZWJ sequence) comes back unchanged."""
    text, cuts = case
    project = one_source_project(text, cuts)
    with tempfile.TemporaryDirectory() as folder:
        for flavour in FLAVOURS:
            out = Path(folder) / f"{flavour}.qdpx"
            write_qdpx(project, out, flavour=flavour)
            back = read_qdpx(out)
            assert back.sources[0].text == text
            assert sorted((s.start, s.end) for s in back.selections) == sorted(cuts)
            assert back.positions is not None
            assert back.positions.how == "declared"
            # what the flavour promises, checked by a reader that knows nothing of ours
            if flavour == "nvivo":
                passages = utf16_passages(out)
            else:
                passages = pyrefiqda_passages(out, Path(folder) / "extracted")
            by_guid = {s.guid: text[s.start : s.end] for s in project.selections}
            assert passages == by_guid


def test_nvivo_positions_are_utf16_units(tmp_path: Path) -> None:
    text = "🙂 ab 🇺🇦 cd"
    start = text.index("cd")
    project = one_source_project(text, [(start, start + 2)])
    write_qdpx(project, tmp_path / "n.qdpx", flavour="nvivo")
    write_qdpx(project, tmp_path / "s.qdpx")
    positions = {}
    for name in ("n", "s"):
        with zipfile.ZipFile(tmp_path / f"{name}.qdpx") as archive:
            xml = archive.read("project.qde").decode("utf-8")
        found = re.search(r'startPosition="(\d+)" endPosition="(\d+)"', xml)
        assert found is not None
        positions[name] = (int(found.group(1)), int(found.group(2)))
    assert positions["s"] == (start, start + 2)
    assert positions["n"] == (utf16_len(text[:start]), utf16_len(text[:start]) + 2) == (start + 3, start + 5)


def test_flavour_names_and_origins() -> None:
    assert check_flavour("nvivo") == "nvivo"
    with pytest.raises(ValueError, match="use one of: standard, nvivo"):
        check_flavour("maxqda")
    assert declared_reading(origin_for("standard")) == STANDARD
    assert declared_reading(origin_for("nvivo")) == Reading("utf16", True)
    assert declared_reading("NVivo for Windows 12.6") is None
    assert declared_reading(None) is None


def _report_for(text: str, cuts: list[tuple[int, int]], tmp_path: Path) -> list[str]:
    """Positions written by 'another tool' (no declared unit) over `text`; the report's lines."""
    path = make_qdpx(
        tmp_path / "other.qdpx",
        {"project.qde": project_xml(text_source(cuts)), "sources/0b3e9c4a-3333-4a6b-9c3e-000000000003.txt": text},
    )
    project = read_qdpx(path)
    assert project.positions is not None
    return project.positions.lines()


def test_report_of_a_file_without_astral_characters_is_harmless(tmp_path: Path) -> None:
    lines = _report_for("Привет, мир. Второе предложение.", [(0, 6), (8, 11)], tmp_path)
    assert lines[0] == (
        "positions read as Unicode code points (the standard) (detected): 2 of 2 selections fit this reading"
    )
    assert lines[1].startswith("ambiguous but harmless: every other reading gives exactly the same passages")
    assert len(lines) == 2


def test_report_when_the_readings_disagree_and_neither_fits_better(tmp_path: Path) -> None:
    # "y" in code points is " " in UTF-16 units: both cut at word boundaries, so nothing decides.
    lines = _report_for("🙂 x y z", [(4, 5)], tmp_path)
    assert lines[0].startswith("positions read as Unicode code points (the standard) (detected): 1 of 1")
    assert lines[1] == (
        "other reading: UTF-16 units (as NVivo counts): 1 of 1 fit; it would put 1 selection(s) on other passages"
    )
    assert lines[-1].startswith("uncertain: on the 1 selection(s) where UTF-16 units (as NVivo counts) differs")


def test_report_of_a_clear_utf16_file(tmp_path: Path) -> None:
    text = "🙂🙂 один два три 🙂 четыре"
    cuts = [(text.index(w), text.index(w) + len(w)) for w in ("один", "два три", "четыре")]
    as_utf16 = [(utf16_len(text[:a]), utf16_len(text[:b])) for a, b in cuts]
    lines = _report_for(text, as_utf16, tmp_path)
    assert lines[0] == "positions read as UTF-16 units (as NVivo counts) (detected): 3 of 3 selections fit this reading"
    assert lines[1] == (
        "other reading: Unicode code points (the standard): 0 of 3 fit; it would put 3 selection(s) on other passages"
    )
    assert not any(line.startswith(("uncertain", "ambiguous")) for line in lines)
