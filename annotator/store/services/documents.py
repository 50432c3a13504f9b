"""Importing and listing documents."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import func
from sqlmodel import select

from annotator.core.documents import ImportedDocument, read_document
from annotator.core.errors import UserError
from annotator.store.bulk import bulk_insert
from annotator.store.engine import Project
from annotator.store.models import Document


@dataclass(frozen=True)
class DocumentInfo:
    """A document without its text (lists stay light even for large corpora)."""

    id: int
    name: str
    length: int
    sha256: str
    source_filename: str
    imported_at: datetime
    attributes: dict[str, str]


@dataclass
class ImportReport:
    imported: list[DocumentInfo] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _info(doc: Document, length: int | None = None) -> DocumentInfo:
    return DocumentInfo(
        id=doc.id or 0,
        name=doc.name,
        length=len(doc.text) if length is None else length,
        sha256=doc.sha256,
        source_filename=doc.source_filename,
        imported_at=doc.imported_at,
        attributes=dict(doc.attributes or {}),
    )


_COLUMNS = ("name", "text", "sha256", "source_filename", "imported_at", "attributes", "position")


def store_documents(
    project: Project, docs: Iterable[ImportedDocument], errors: list[str] | None = None
) -> ImportReport:
    """Store already-read documents in one transaction; duplicates (by name or content) are reported.

    Rows go in as one executemany on the DBAPI cursor: building an ORM object per document and flushing
    them cost more than reading, decoding and checking the files (see the import benchmark).
    """
    report = ImportReport(errors=list(errors or []))
    with project.write() as s:
        names = set(s.exec(select(Document.name)).all())
        hashes = dict(s.exec(select(Document.sha256, Document.name)).all())
        position = (s.exec(select(func.max(Document.position))).one() or 0) + 1
        rows: list[tuple] = []
        for doc in docs:
            digest = doc.sha256
            if digest in hashes:
                report.errors.append(
                    f"{doc.source_filename or doc.name}: identical text is already in "
                    f"the project as '{hashes[digest]}'; not imported again"
                )
                continue
            if doc.name in names:
                report.errors.append(
                    f"{doc.source_filename or doc.name}: a document named '{doc.name}' "
                    "already exists; import it with another --name"
                )
                continue
            rows.append(
                (doc.name, doc.text, digest, doc.source_filename, doc.imported_at, dict(doc.attributes or {}), position)
            )
            position += 1
            names.add(doc.name)
            hashes[digest] = doc.name
        if rows:
            # The new ids are read back by position, which only this transaction has written.
            bulk_insert(s.connection(), Document.__table__, _COLUMNS, rows)
            ids = dict(s.exec(select(Document.name, Document.id).where(Document.position >= rows[0][6])).all())
            report.imported = [
                DocumentInfo(
                    id=ids[r[0]],
                    name=r[0],
                    length=len(r[1]),
                    sha256=r[2],
                    source_filename=r[3],
                    imported_at=r[4],
                    attributes=dict(r[5]),
                )
                for r in rows
            ]
    return report


def import_files(
    project: Project,
    paths: Iterable[str | os.PathLike[str]],
    *,
    attributes: dict[str, str] | None = None,
    name: str | None = None,
    reading: Callable[[int, int, Path], None] | None = None,
    storing: Callable[[int], None] | None = None,
) -> ImportReport:
    """Read every file (bad ones reported one line each) and store the good ones in one transaction.

    The one document import (`annotator import`, File > Import documents). `reading(i, total, path)` is
    called before file i (from 1) is read and `storing(n)` before the n good ones are stored; an
    exception raised by either (a cancel) stops the import with nothing stored.
    """
    files = [Path(p) for p in paths]
    if name is not None and len(files) > 1:
        raise UserError("--name can only be used when importing a single file")
    docs: list[ImportedDocument] = []
    errors: list[str] = []
    for i, path in enumerate(files, 1):
        if reading is not None:
            reading(i, len(files), path)
        try:
            docs.append(read_document(path, name=name, attributes=attributes))
        except UserError as exc:
            errors.append(str(exc))
        except OSError as exc:
            errors.append(f"{path}: cannot read ({exc.strerror or exc})")
    if storing is not None:
        storing(len(docs))
    return store_documents(project, docs, errors)


def list_documents(project: Project) -> list[DocumentInfo]:
    with project.read() as s:
        rows = s.exec(
            select(
                Document.id,
                Document.name,
                func.length(Document.text),
                Document.sha256,
                Document.source_filename,
                Document.imported_at,
                Document.attributes,
            ).order_by(Document.position, Document.id)
        ).all()
    return [
        DocumentInfo(
            id=r[0],
            name=r[1],
            length=r[2],
            sha256=r[3],
            source_filename=r[4],
            imported_at=r[5],
            attributes=dict(r[6] or {}),
        )
        for r in rows
    ]


def document_text(project: Project, document_id: int) -> str:
    with project.read() as s:
        doc = s.get(Document, document_id)
        if doc is None:
            raise UserError(f"document #{document_id} does not exist in this project")
        return doc.text


def find_document(project: Project, name: str) -> DocumentInfo:
    with project.read() as s:
        doc = s.exec(select(Document).where(Document.name == name)).first()
        if doc is None:
            raise UserError(f"no document named '{name}' in this project; see 'annotator documents list'")
        return _info(doc)
