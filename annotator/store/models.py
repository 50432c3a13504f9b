"""SQLModel tables. Plain SQL types only, so the same schema runs on SQLite and PostgreSQL.

Indexes cover the hot queries: spans by document, by coder and by code.
"""

from __future__ import annotations

from datetime import datetime, timezone
from enum import Enum

from sqlalchemy import JSON, CheckConstraint, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class DocumentStatusValue(str, Enum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"


class Document(SQLModel, table=True):
    __tablename__ = "document"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True, unique=True)
    text: str = Field(sa_column=Column(Text, nullable=False))
    sha256: str = Field(index=True, unique=True, max_length=64)
    source_filename: str = ""
    imported_at: datetime = Field(default_factory=utcnow)
    attributes: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    position: int = 0


class Codebook(SQLModel, table=True):
    """The project's codebook metadata (one row: the current codebook)."""

    __tablename__ = "codebook"
    id: int | None = Field(default=None, primary_key=True)
    title: str
    version: str = ""
    description: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    rules: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    source: str = ""
    loaded_at: datetime = Field(default_factory=utcnow)


class Code(SQLModel, table=True):
    __tablename__ = "code"
    id: int | None = Field(default=None, primary_key=True)
    codebook_id: int | None = Field(default=None, foreign_key="codebook.id")
    key: str = Field(index=True, unique=True)
    name: str
    parent_id: int | None = Field(default=None, foreign_key="code.id")
    color: str = "#cccccc"
    shortcut: str | None = None
    description: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    include: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    exclude: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    examples: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    codable: bool = True
    position: int = 0


class Coder(SQLModel, table=True):
    __tablename__ = "coder"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True, unique=True)
    created_at: datetime = Field(default_factory=utcnow)


class Span(SQLModel, table=True):
    __tablename__ = "span"
    __table_args__ = (
        CheckConstraint('start >= 0 AND "end" > start', name="ck_span_offsets"),
        Index("ix_span_document_coder", "document_id", "coder_id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(index=True, unique=True, max_length=36)
    document_id: int = Field(foreign_key="document.id", index=True)
    coder_id: int = Field(foreign_key="coder.id", index=True)
    code_id: int = Field(foreign_key="code.id", index=True)
    start: int
    end: int
    memo: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class DocumentStatus(SQLModel, table=True):
    """Per-coder progress on a document: not started / in progress / done."""

    __tablename__ = "document_status"
    __table_args__ = (UniqueConstraint("document_id", "coder_id", name="uq_status_document_coder"),)
    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", index=True)
    coder_id: int = Field(foreign_key="coder.id", index=True)
    status: str = DocumentStatusValue.NOT_STARTED.value
    updated_at: datetime = Field(default_factory=utcnow)
