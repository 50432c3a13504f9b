"""SQLModel tables. Plain SQL types (and a native uuid for span ids on PostgreSQL), so the same schema
runs on SQLite and PostgreSQL; the tables are made by the Alembic migrations, which match these.

A span's identity (document, coder, code, start, end) is unique (`uq_span_identity`): the rule of
`annotator.core.span_identity`. Indexes cover the hot queries: spans of a document in text order
(`ix_span_document_start`, and the identity index for a document's spans by coder), spans by coder
and by code. Deleting a parent code leaves its children at the top; a document, coder or code that
still has spans cannot be deleted.
"""

from __future__ import annotations

from datetime import datetime, timezone
from enum import Enum
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Column, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class DocumentStatusValue(str, Enum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"


class SpanUid(TypeDecorator[str]):
    """A span id: 32 hex digits (`canonical_uid`) in text on SQLite, a native uuid on PostgreSQL."""

    impl = String(36)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(postgresql.UUID(as_uuid=False))
        return dialect.type_descriptor(String(36))

    def process_result_value(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return str(value).replace("-", "")  # PostgreSQL writes a uuid with dashes


STATUS_VALUES = tuple(v.value for v in DocumentStatusValue)


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
    parent_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("code.id", ondelete="SET NULL"), nullable=True)
    )
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
        Index("uq_span_identity", "document_id", "coder_id", "code_id", "start", "end", unique=True),
        Index("ix_span_document_start", "document_id", "start"),
    )
    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(sa_column=Column(SpanUid(), nullable=False, unique=True, index=True))
    document_id: int = Field(sa_column=Column(Integer, ForeignKey("document.id", ondelete="RESTRICT"), nullable=False))
    coder_id: int = Field(
        sa_column=Column(Integer, ForeignKey("coder.id", ondelete="RESTRICT"), nullable=False, index=True)
    )
    code_id: int = Field(
        sa_column=Column(Integer, ForeignKey("code.id", ondelete="RESTRICT"), nullable=False, index=True)
    )
    start: int
    end: int
    memo: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class DocumentStatus(SQLModel, table=True):
    """Per-coder progress on a document: not started / in progress / done."""

    __tablename__ = "document_status"
    __table_args__ = (
        UniqueConstraint("document_id", "coder_id", name="uq_status_document_coder"),
        CheckConstraint(
            "status IN (" + ", ".join(f"'{v}'" for v in STATUS_VALUES) + ")", name="ck_document_status_value"
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id")
    coder_id: int = Field(foreign_key="coder.id", index=True)
    status: str = DocumentStatusValue.NOT_STARTED.value
    updated_at: datetime = Field(default_factory=utcnow)
