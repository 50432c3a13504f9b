"""Coders: created on first use, listed with their span counts."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, select

from annotator.core.errors import UserError
from annotator.store.engine import Project
from annotator.store.models import Coder, Span


def coder_id(session: Session, name: str, *, create: bool = True) -> int:
    """Id of coder `name` inside an open transaction, creating the coder if allowed."""
    name = name.strip()
    if not name:
        raise UserError("a coder needs a non-empty name")
    row = session.exec(select(Coder).where(Coder.name == name)).first()
    if row is None:
        if not create:
            raise UserError(f"no coder named '{name}' in this project; see 'annotator coders list'")
        row = Coder(name=name)
        session.add(row)
        session.flush()
    return row.id  # type: ignore[return-value]


def ensure_coder(project: Project, name: str) -> str:
    with project.write() as s:
        coder_id(s, name)
    return name.strip()


def list_coders(project: Project) -> list[tuple[str, int]]:
    """(name, number of spans) for every coder, by name."""
    with project.read() as s:
        rows = s.exec(
            select(Coder.name, func.count(Span.id))
            .join(Span, Span.coder_id == Coder.id, isouter=True)
            .group_by(Coder.id)
            .order_by(Coder.name)
        ).all()
    return [(r[0], r[1]) for r in rows]
