"""Export service: CSV/JSONL rows match the stored text, filters, codebook YAML, REFI-QDA bridge."""

from __future__ import annotations

import csv
import json
import zipfile
from pathlib import Path

import pytest

from annotator.core.codebook import load_codebook_file, parse_codebook
from annotator.core.errors import UserError
from annotator.core.exchange.refi_qda import read_qdpx, write_qdc, write_qdpx
from annotator.store.engine import Project, open_project
from annotator.store.services import codebooks, documents, spans
from annotator.store.services.export import SpanFilter, export_codebook_yaml, export_spans
from annotator.store.services.refi import import_qda
from annotator.store.services.refi_export import codes_to_qda, project_to_qda

CODEBOOK = """\
title: Threats
version: "2"
codes:
  - key: threat
    name: Threat
    codable: false
    color: "#aa0000"
    description: Any threat.
    children:
      - key: threat.military
        name: Military threat
        color: "#ff0000"
        shortcut: "1"
        include: [tanks]
      - key: threat.economic
        name: "Экономическая угроза"
        color: "#00aa00"
  - key: other
    name: Other, "quoted"
    color: "#0000ff"
"""

TEXT_A = (
    'Привет, мир! 🙂🇷🇺 "Это цитата", сказал он.\n=SUM(A1:A2) +7 -3 @home\tэто конец.\n'
    'Кавычки "внутри", запятые, и\nперенос строки.'
)
TEXT_B = 'Second doc, с запятыми, "quotes"\nand newlines\n\nend 👍🏽.'

# (document, coder, code, passage that starts the span, length, memo)
SPANS = [
    ("a.txt", "anna", "threat.military", "Привет", 6, 'memo, with "quotes"\nand a newline'),
    ("a.txt", "anna", "other", "🙂", 2, ""),
    ("a.txt", "boris", "threat.military", '"Это', 12, "=cmd|' /C calc'!A0"),
    ("a.txt", "boris", "threat.economic", "=SUM", 11, ""),
    ("a.txt", "anna", "threat.economic", "+7", 2, "+memo"),
    ("a.txt", "vera", "other", "-3", 2, "-"),
    ("a.txt", "vera", "threat.military", "@home", 9, "@x"),
    ("a.txt", "anna", "other", "\tэто", 4, "\tindented"),
    ("a.txt", "boris", "other", "и\nперенос", 9, ""),
    ("b.txt", "anna", "other", "doc, с", 22, ""),
    ("b.txt", "boris", "threat.economic", "newlines\n\nend 👍🏽", 16, "multi\r\nline memo"),
]


def build_project(folder: Path, name: str = "p.db", *, spans_: list | None = None) -> Path:
    """A project with two tricky documents, a nested codebook and spans by three coders."""
    folder.mkdir(parents=True, exist_ok=True)
    texts = {"a.txt": TEXT_A, "b.txt": TEXT_B}
    for doc, text in texts.items():
        (folder / doc).write_text(text, encoding="utf-8")
    path = folder / name
    with open_project(path) as project:
        documents.import_files(project, [folder / "a.txt"], attributes={"speaker": "Putin", "date": "2023-11-08"})
        documents.import_files(project, [folder / "b.txt"], attributes={"speaker": "Зеленський"})
        codebooks.load_codebook(project, parse_codebook(CODEBOOK, "cb.yaml"))
        ids = {d.name: d.id for d in documents.list_documents(project)}
        for doc, coder, code, needle, length, memo in SPANS if spans_ is None else spans_:
            start = texts[doc].index(needle)
            spans.add_span(
                project,
                document_id=ids[doc],
                acting_coder=coder,
                code_key=code,
                start=start,
                end=start + length,
                memo=memo,
            )
    return path


@pytest.fixture
def project(tmp_path: Path) -> Project:
    with open_project(build_project(tmp_path / "src")) as p:
        yield p


def read_csv(path: Path, encoding: str = "utf-8") -> list[dict[str, str]]:
    with path.open(encoding=encoding, newline="") as fh:
        return list(csv.DictReader(fh))


def test_csv_rows_match_document_text(project: Project, tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    assert export_spans(project, out) == len(SPANS)
    rows = read_csv(out)
    texts = {d.name: documents.document_text(project, d.id) for d in documents.list_documents(project)}
    uids = {s.uid for s in spans.list_spans(project)}
    assert {r["span_id"] for r in rows} == uids
    for r in rows:
        assert r["text"] == texts[r["document"]][int(r["start"]) : int(r["end"])]
    by_code = {r["code"]: r for r in rows}
    assert by_code["threat.economic"]["code_name"] == "Экономическая угроза"
    assert by_code["threat.economic"]["code_path"] == "Threat > Экономическая угроза"
    assert rows[0]["memo"] == 'memo, with "quotes"\nand a newline'
    assert rows[0]["created_at"].endswith("+00:00")
    assert b"\r\n" in out.read_bytes()  # RFC 4180 record separators
    assert not out.read_bytes().startswith(b"\xef\xbb\xbf")


def test_filters_and_attributes(project: Project, tmp_path: Path) -> None:
    out = tmp_path / "f.csv"
    flt = SpanFilter(coders=["anna", "vera"], documents=["a.txt"], codes=["other", "threat.military"])
    n = export_spans(project, out, flt=flt, attributes=True)
    rows = read_csv(out)
    assert n == len(rows) == 5
    assert {r["coder"] for r in rows} == {"anna", "vera"}
    assert {r["attr_speaker"] for r in rows} == {"Putin"}
    assert rows[0]["attr_date"] == "2023-11-08"
    export_spans(project, out, attributes=True)
    assert {r["attr_speaker"] for r in read_csv(out)} == {"Putin", "Зеленський"}
    assert {r["attr_date"] for r in read_csv(out) if r["document"] == "b.txt"} == {""}


@pytest.mark.parametrize(
    ("flt", "word"),
    [
        (SpanFilter(coders=["nobody"]), "coder"),
        (SpanFilter(documents=["missing.txt"]), "document"),
        (SpanFilter(codes=["threat.militray"]), "code key"),
    ],
)
def test_unknown_filter_names_are_refused(project: Project, tmp_path: Path, flt: SpanFilter, word: str) -> None:
    with pytest.raises(UserError, match=word):
        export_spans(project, tmp_path / "x.csv", flt=flt)
    assert not (tmp_path / "x.csv").exists()


def test_jsonl(project: Project, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    export_spans(project, out, fmt="jsonl", attributes=True)
    lines = out.read_text(encoding="utf-8").split("\n")
    assert lines[-1] == ""
    objs = [json.loads(line) for line in lines[:-1]]
    assert len(objs) == len(SPANS)
    assert isinstance(objs[0]["start"], int)
    assert objs[0]["text"] == TEXT_A[objs[0]["start"] : objs[0]["end"]]
    assert objs[0]["attr_speaker"] == "Putin"


def test_codebook_yaml_loads_back(project: Project, tmp_path: Path) -> None:
    out = tmp_path / "cb.yaml"
    assert export_codebook_yaml(project, out) == 4
    again = load_codebook_file(out)
    original = parse_codebook(CODEBOOK, "cb.yaml")
    strip = [
        (c.key, c.name, c.color, c.shortcut, c.description, c.include, c.codable, c.parent_key)
        for c in original.iter_codes()
    ]
    assert [
        (c.key, c.name, c.color, c.shortcut, c.description, c.include, c.codable, c.parent_key)
        for c in again.iter_codes()
    ] == strip
    report = codebooks.load_codebook(project, again, source="cb.yaml")
    assert not report.added
    assert not report.removed
    assert not report.updated


def test_codebook_export_without_codebook(tmp_path: Path) -> None:
    with open_project(tmp_path / "empty.db") as p, pytest.raises(UserError, match="no codebook"):
        export_codebook_yaml(p, tmp_path / "cb.yaml")


# ------------------------------------------------------------------------------------- REFI-QDA


def _validate(shared: Path, xsd: str, data: bytes) -> None:
    xmlschema = pytest.importorskip("xmlschema")
    schema = xmlschema.XMLSchema(str(shared / "refi-qda" / xsd))
    schema.validate(data.decode("utf-8"))


def test_qdpx_and_qdc_validate_against_xsd(project: Project, tmp_path: Path, shared_dir: Path) -> None:
    out = tmp_path / "out.qdpx"
    write_qdpx(project_to_qda(project).qda, out)
    with zipfile.ZipFile(out) as z:
        names = z.namelist()
        _validate(shared_dir, "Project-mrt2019.xsd", z.read("project.qde"))
        sources = [n for n in names if n.startswith("sources/")]
        assert len(sources) == 2
        assert all(n.endswith(".txt") for n in sources)
        assert {z.read(n).decode("utf-8") for n in sources} == {TEXT_A, TEXT_B}
    qdc = tmp_path / "out.qdc"
    write_qdc(codes_to_qda(codebooks.get_codebook(project).codes), qdc)
    _validate(shared_dir, "Codebook-mrt2019.xsd", qdc.read_bytes())


def _span_set(project: Project) -> set[tuple]:
    return {
        (s.uid, s.document, s.coder, s.code_key, s.start, s.end, s.memo.replace("\r\n", "\n"), s.created_at)
        for s in spans.list_spans(project)
    }


def test_qdpx_round_trip_into_empty_project(project: Project, tmp_path: Path) -> None:
    out = tmp_path / "out.qdpx"
    write_qdpx(project_to_qda(project).qda, out)
    with open_project(tmp_path / "fresh.db") as fresh:
        report = import_qda(fresh, read_qdpx(out))
        assert report.spans_added == len(SPANS)
        assert [(d.name, d.sha256) for d in documents.list_documents(fresh)] == [
            (d.name, d.sha256) for d in documents.list_documents(project)
        ]
        before, after = codebooks.get_codebook(project), codebooks.get_codebook(fresh)
        fields = ("key", "name", "color", "description", "codable", "parent_key")
        assert [tuple(getattr(c, f) for f in fields) for c in after.iter_codes()] == [
            tuple(getattr(c, f) for f in fields) for c in before.iter_codes()
        ]
        assert _span_set(fresh) == _span_set(project)
        again = import_qda(fresh, read_qdpx(out))
        assert again.spans_added == 0
        assert again.spans_skipped == len(SPANS)
        assert len(documents.list_documents(fresh)) == 2


def test_qdpx_import_is_all_or_nothing(project: Project, tmp_path: Path) -> None:
    qda = project_to_qda(project).qda
    qda.selections[-1].code_guids = ["not-a-known-code"]
    with open_project(tmp_path / "fresh.db") as fresh:
        with pytest.raises(UserError, match="unknown code"):
            import_qda(fresh, qda)
        assert documents.list_documents(fresh) == []
        assert spans.list_spans(fresh) == []
        assert codebooks.get_codebook(fresh).codes == []


def test_every_sample_qdpx_imports(tmp_path: Path, shared_dir: Path) -> None:
    samples = sorted((shared_dir / "refi-qda" / "samples").glob("*.qdpx"))
    assert samples
    for i, sample in enumerate(samples):
        qda = read_qdpx(sample)
        with open_project(tmp_path / f"s{i}.db") as p:
            report = import_qda(p, qda, source=sample.name)
            stored = spans.list_spans(p)
            assert report.spans_added == len(stored)
            texts = {d.id: documents.document_text(p, d.id) for d in documents.list_documents(p)}
            assert all(0 <= s.start < s.end <= len(texts[s.document_id]) for s in stored)
            if sample.name.startswith(("nvivo12", "qc1")):
                assert len(stored) > 100, sample.name


def test_every_sample_codebook_becomes_a_loadable_codebook(tmp_path: Path, shared_dir: Path) -> None:
    from annotator.core.exchange.refi_qda import read_qdc
    from annotator.store.services.refi import qdc_to_codebook

    samples = sorted((shared_dir / "refi-qda" / "samples").glob("*.qd[ce]"))
    assert len(samples) >= 3
    for i, sample in enumerate(samples):
        book = qdc_to_codebook(read_qdc(sample), sample.stem)
        keys = [c.key for c in book.iter_codes()]
        assert keys, sample.name
        assert len(set(keys)) == len(keys)
        with open_project(tmp_path / f"c{i}.db") as p:
            report = codebooks.load_codebook(p, book, source=sample.name)
            assert len(report.added) == len(keys)


@pytest.mark.parametrize(
    ("stored", "exported"),
    [
        ("2026-01-15 10:30:00.123456", "2026-01-15T10:30:00.123456+00:00"),  # how SQLAlchemy writes it
        ("2026-01-15 10:30:00", "2026-01-15T10:30:00+00:00"),  # without fraction
        ("2026-01-15T10:30:00.5", "2026-01-15T10:30:00.500000+00:00"),  # ISO with T, short fraction
        ("2026-01-15 12:30:00+02:00", "2026-01-15T10:30:00+00:00"),  # with a zone: written in UTC
        ("2026-01-15T10:30:00.123Z", "2026-01-15T10:30:00.123000+00:00"),
    ],
)
def test_timestamps_export_the_same_however_sqlite_stores_them(tmp_path: Path, stored: str, exported: str) -> None:
    """SQLite keeps a timestamp as whatever text was written (another tool, an older version, a hand
    edit); the export reads it through the column type, so every form comes out as one ISO 8601 UTC."""
    import sqlite3

    db = build_project(tmp_path / "p", spans_=SPANS[:1])
    con = sqlite3.connect(db)
    with con:
        con.execute("UPDATE span SET created_at = ?, updated_at = ?", (stored, stored))
    con.close()
    with open_project(db) as project:
        export_spans(project, tmp_path / "out.csv")
        export_spans(project, tmp_path / "out.jsonl", fmt="jsonl")
    [row] = read_csv(tmp_path / "out.csv")
    assert (row["created_at"], row["updated_at"]) == (exported, exported)
    [obj] = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert (obj["created_at"], obj["updated_at"]) == (exported, exported)


def test_qdpx_import_refuses_a_coding_that_would_lose_a_memo(project: Project, tmp_path: Path) -> None:
    """Same span identity, another memo: the import used to skip it (losing one memo); now it is refused,
    naming the selection, and nothing is imported."""
    from annotator.store.services.refi_export import export_qdpx

    out = tmp_path / "out.qdpx"
    export_qdpx(project, out)
    with open_project(tmp_path / "copy.db") as copy:
        import_qda(copy, read_qdpx(out))
        first = spans.list_spans(copy)[0]
        spans.update_span(copy, first.id or 0, acting_coder=first.coder, memo="edited after the export")
        before = spans.list_spans(copy)
        with pytest.raises(UserError, match="with another memo") as refused:
            import_qda(copy, read_qdpx(out))
        assert "nothing imported" in str(refused.value)
        assert spans.list_spans(copy) == before
