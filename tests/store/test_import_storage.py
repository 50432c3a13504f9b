"""How imported documents are stored: the bulk insert writes what an ORM insert writes, and new
projects get the larger page size while existing projects keep theirs."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from pathlib import Path

from annotator.core.documents import ImportedDocument
from annotator.store.engine import NEW_PROJECT_PAGE_SIZE, open_project
from annotator.store.models import Document
from annotator.store.services import documents

STAMP = datetime(2026, 1, 15, 10, 30, 5, 123456, tzinfo=timezone.utc)
ATTRS = {"party": "Grüne", "year": "2021", "quote": 'say "ja"'}


def _raw_rows(path: Path) -> list[tuple]:
    con = sqlite3.connect(path)
    try:
        return con.execute(
            "SELECT name, text, sha256, source_filename, imported_at, attributes, position FROM document ORDER BY id"
        ).fetchall()
    finally:
        con.close()


def test_bulk_insert_stores_what_an_orm_insert_stores(tmp_path: Path) -> None:
    text = "Ünïcode 🇪🇺 text\r\nwith a second line\n"
    doc = ImportedDocument("a.txt", text, "a.txt", "utf-8", attributes=ATTRS, imported_at=STAMP)
    with open_project(tmp_path / "bulk.db") as project:
        report = documents.store_documents(project, [doc])
        assert report.errors == []
        assert len(report.imported) == 1
        info = report.imported[0]
        assert (info.name, info.length, info.sha256, info.attributes) == ("a.txt", len(text), doc.sha256, ATTRS)
        assert documents.document_text(project, info.id) == text
        assert documents.list_documents(project)[0] == info
    with open_project(tmp_path / "orm.db") as project, project.write() as s:
        s.add(
            Document(
                name="a.txt",
                text=text,
                sha256=doc.sha256,
                source_filename="a.txt",
                imported_at=STAMP,
                attributes=ATTRS,
                position=1,
            )
        )
    assert _raw_rows(tmp_path / "bulk.db") == _raw_rows(tmp_path / "orm.db")


def test_ids_and_positions_follow_earlier_imports(tmp_path: Path) -> None:
    with open_project(tmp_path / "p.db") as project:
        first = documents.store_documents(
            project, [ImportedDocument(f"d{i}", f"text {i}", "", "utf-8") for i in range(3)]
        )
        second = documents.store_documents(
            project,
            [ImportedDocument(f"e{i}", f"more {i}", "", "utf-8") for i in range(3)]
            + [ImportedDocument("d0", "other text", "", "utf-8")],
        )
        assert len(second.errors) == 1
        assert "already exists" in second.errors[0]
        listed = documents.list_documents(project)
        assert [d.name for d in listed] == ["d0", "d1", "d2", "e0", "e1", "e2"]
        assert [d.id for d in listed] == [d.id for d in first.imported + second.imported]
        for info in listed:
            assert documents.document_text(project, info.id).split()[1] == info.name[1:]


def _page_size(path: Path) -> int:
    con = sqlite3.connect(path)
    try:
        return con.execute("PRAGMA page_size").fetchone()[0]
    finally:
        con.close()


def test_new_project_gets_the_large_page_size(tmp_path: Path) -> None:
    with open_project(tmp_path / "new.db") as project:
        documents.store_documents(project, [ImportedDocument("a", "x" * 20_000, "", "utf-8")])
    assert _page_size(tmp_path / "new.db") == NEW_PROJECT_PAGE_SIZE == 32_768
    empty = tmp_path / "empty.db"
    empty.touch()  # an empty file (e.g. made by a file dialog) is a new project too
    open_project(empty).close()
    assert _page_size(empty) == NEW_PROJECT_PAGE_SIZE


def test_existing_project_keeps_its_page_size(tmp_path: Path) -> None:
    old = tmp_path / "old.db"
    con = sqlite3.connect(old)  # a project file as earlier versions made it: 4 KB pages, WAL
    con.execute("PRAGMA page_size=4096")
    con.execute("PRAGMA journal_mode=WAL")
    con.close()
    with open_project(old) as project:
        documents.store_documents(project, [ImportedDocument("a", "y" * 20_000, "", "utf-8")])
    with open_project(old) as project:
        assert documents.document_text(project, documents.find_document(project, "a").id) == "y" * 20_000
    assert _page_size(old) == 4096
    con = sqlite3.connect(old)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()
