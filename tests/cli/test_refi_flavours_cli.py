"""`export qdpx --for standard|nvivo` as a user runs it, read back by us and by independent readers.

The document comes from a file with CRLF line ends and holds what shifts positions: emoji, a flag
(two regional indicators), a family ZWJ sequence, a skin-tone modifier, an astral CJK ideograph,
and letters built from combining marks. Every span must come back as exactly the stored passage:
- through our own import (both flavours);
- the standard flavour through pyrefiqda with code-point slicing, as the standard says;
- the NVivo flavour counted the way NVivo counts (UTF-16 units), and through pyqdpx.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from annotator.core.codebook import parse_codebook
from annotator.store.engine import open_project
from annotator.store.services import codebooks, documents, spans
from annotator.store.services.refi_export import uid_to_guid
from tests.cli.test_exchange_cli import run, span_set
from tests.store.test_export import CODEBOOK
from tests.witnesses import origin, pyqdpx_passages, pyrefiqda_passages, utf16_passages

RAW = (
    "Мир 🙂 и флаг 🇺🇦 тут.\r\n"
    "Семья 👩\u200d👩\u200d👧\u200d👦 дома, cafe\u0301 и и\u0306од.\r\n"
    "Ещё 👍🏽 и 𠜎 конец 🙂\r\n"
)
TEXT = RAW.replace("\r\n", "\n")
# (passage, coder, code, memo); each passage starts and ends on grapheme boundaries, as a selection
# made in the window does.
PASSAGES = [
    ("🙂", "anna", "other", "эмодзи 🙂"),
    ("флаг 🇺🇦", "anna", "threat.military", ""),
    ("🇺🇦 тут.\nСемья", "boris", "other", "across the former\r\nline end"),
    ("👩\u200d👩\u200d👧\u200d👦", "boris", "threat.economic", ""),
    ("cafe\u0301", "vera", "other", ""),
    ("и\u0306од", "vera", "threat.military", ""),
    ("👍🏽 и 𠜎", "anna", "threat.economic", ""),
    ("конец 🙂", "boris", "threat.military", "at the very end"),
    (TEXT, "vera", "other", "the whole text"),
]


def build(folder: Path) -> tuple[Path, dict[str, str]]:
    """A project whose one document was imported from a CRLF file; returns it and {GUID: passage}."""
    folder.mkdir(parents=True)
    source = folder / "speech.txt"
    source.write_bytes(RAW.encode("utf-8"))
    db = folder / "p.db"
    expected: dict[str, str] = {}
    with open_project(db) as project:
        documents.import_files(project, [source])
        codebooks.load_codebook(project, parse_codebook(CODEBOOK, "cb.yaml"))
        [info] = documents.list_documents(project)
        stored = documents.document_text(project, info.id)
        assert stored == TEXT  # CRLF normalised on import
        for passage, coder, code, memo in PASSAGES:
            start = stored.index(passage)
            spans.add_span(
                project,
                document_id=info.id,
                acting_coder=coder,
                code_key=code,
                start=start,
                end=start + len(passage),
                memo=memo,
            )
        for span in spans.list_spans(project):
            expected[uid_to_guid(span.uid)] = stored[span.start : span.end]
    assert sorted(expected.values()) == sorted(p for p, *_ in PASSAGES)
    return db, expected


@pytest.fixture
def tricky(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    return build(tmp_path / "src")


@pytest.mark.parametrize("flavour", ["standard", "nvivo"])
def test_round_trip_keeps_every_span_exactly(tricky, tmp_path: Path, flavour: str) -> None:
    db, expected = tricky
    out = tmp_path / f"{flavour}.qdpx"
    exported = run("--project", db, "export", "qdpx", out, "--for", flavour).stdout
    assert ("UTF-16 units" in exported) == (flavour == "nvivo")
    fresh = tmp_path / "fresh.db"
    result = run("--project", fresh, "import", out)
    assert f"{len(PASSAGES)} spans added" in result.stdout
    assert span_set(fresh) == span_set(db)
    with open_project(fresh) as project:
        [info] = documents.list_documents(project)
        text = documents.document_text(project, info.id)
        assert text == TEXT
        assert sorted(text[s.start : s.end] for s in spans.list_spans(project)) == sorted(expected.values())
    # the report says which unit was taken, and that the file itself declared it
    unit = "UTF-16 units" if flavour == "nvivo" else "Unicode code points"
    assert f"positions read as {unit}" in result.stdout
    assert "declared by the file, an annotator export" in result.stdout
    assert f"{len(PASSAGES)} of {len(PASSAGES)} selections fit this reading" in result.stdout


def test_standard_flavour_read_by_a_standard_parser(tricky, tmp_path: Path) -> None:
    db, expected = tricky
    out = tmp_path / "standard.qdpx"
    run("--project", db, "export", "qdpx", out)  # the default is the standard
    assert origin(out) == "annotator"
    assert pyrefiqda_passages(out, tmp_path / "extracted") == expected


def test_nvivo_flavour_read_the_way_nvivo_counts(tricky, tmp_path: Path) -> None:
    db, expected = tricky
    out = tmp_path / "nvivo.qdpx"
    run("--project", db, "export", "qdpx", out, "--for", "nvivo")
    assert "UTF-16" in origin(out)
    assert utf16_passages(out) == expected
    assert pyqdpx_passages(out) == expected
    # and the flavours really differ: counted as NVivo counts, the standard file is off after an emoji
    standard = tmp_path / "standard.qdpx"
    run("--project", db, "export", "qdpx", standard, "--for", "standard")
    misread = utf16_passages(standard, errors="replace")
    wrong = sorted(guid for guid, text in misread.items() if text != expected[guid])
    assert len(wrong) == len(PASSAGES), wrong  # every selection ends after an emoji


def test_nvivo_export_lands_like_the_nvivo_original(tmp_path: Path, shared_dir: Path) -> None:
    """The real NVivo 12 file, imported and exported again for NVivo: pyqdpx sees the same 303 passages."""
    sample = shared_dir / "refi-qda" / "samples" / "nvivo12win_pyqdpx_oltas0517.qdpx"
    db = tmp_path / "n.db"
    imported = run("--project", db, "import", sample).stdout
    assert "positions read as UTF-16 units (as NVivo counts) on the text as stored" in imported
    assert "(detected): 300 of 303 selections fit this reading" in imported
    assert "Unicode code points (the standard) on the text as stored (\\r\\n counted as two): 49 of 303 fit" in imported
    original = Counter(t.replace("\r\n", "\n") for t in pyqdpx_passages(sample).values())
    assert sum(original.values()) == 303
    found = {}
    for flavour in ("nvivo", "standard"):
        out = tmp_path / f"{flavour}.qdpx"
        run("--project", db, "export", "qdpx", out, "--for", flavour)
        found[flavour] = Counter(pyqdpx_passages(out).values())
    assert found["nvivo"] == original
    assert sum((found["standard"] & original).values()) < 100  # what the issue was about


def test_import_report_shows_an_ambiguous_file(tmp_path: Path, shared_dir: Path) -> None:
    sample = shared_dir / "refi-qda" / "samples" / "qc1.3.2_qualitative-coding_demo.qdpx"
    out = run("--project", tmp_path / "q.db", "import", sample).stdout
    assert "positions read as Unicode code points (the standard) (detected): 158 of 158" in out
    assert "ambiguous but harmless: every other reading gives exactly the same passages" in out


def test_unknown_flavour_is_refused(tricky, tmp_path: Path) -> None:
    db, _ = tricky
    result = run("--project", db, "export", "qdpx", tmp_path / "x.qdpx", "--for", "maxqda", check=False)
    assert result.returncode == 2
    assert "invalid choice: 'maxqda' (choose from 'standard', 'nvivo')" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "x.qdpx").exists()
