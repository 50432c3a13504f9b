"""Loading a codebook into a project and reading it back.

Codes are matched by key, so a new version of a codebook updates names, colours and definitions in place
and every span keeps its code. A code that disappeared from the YAML is removed only if no span uses it;
otherwise the whole load is refused with the code and its span count (nothing is silently deleted).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from sqlalchemy import func
from sqlmodel import Session, select

from annotator.core.codebook import Code as CodeNode
from annotator.core.codebook import Codebook as CodebookDoc
from annotator.core.errors import UserError
from annotator.store.engine import Project
from annotator.store.models import Code, Codebook, Span, utcnow


@dataclass
class LoadReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{len(self.added)} codes added, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged, {len(self.removed)} removed (unused)"
        )


_FIELDS = ("name", "color", "shortcut", "description", "include", "exclude", "examples", "codable")


@dataclass
class CodeUpsert:
    """Every code of the project by key after `upsert_codes`, and what happened to the given ones."""

    rows: dict[str, Code]
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def upsert_codes(
    s: Session,
    nodes: Iterable[CodeNode],
    *,
    codebook_id: int | None,
    update_existing: bool,
    keep_color: Collection[str] = (),
) -> CodeUpsert:
    """Inside a write: add the codes whose key the project lacks, under their parent (by key).

    With `update_existing` (loading a codebook) the codes already there are made equal to `nodes` too,
    and every code's position becomes its place in `nodes`; without it (REFI-QDA import, merge) they are
    left as they are and new codes go after the existing ones. `nodes` come parents first. Keys in
    `keep_color` keep their stored colour. The one code upsert: codebook load, REFI import and merge.
    """
    rows = {c.key: c for c in s.exec(select(Code)).all()}
    result = CodeUpsert(rows)
    next_position = max((c.position for c in rows.values()), default=-1) + 1
    for position, node in enumerate(nodes):
        values = {name: getattr(node, name) for name in _FIELDS}
        parent = rows[node.parent_key].id if node.parent_key else None
        row = rows.get(node.key)
        if row is None:
            row = Code(
                key=node.key,
                codebook_id=codebook_id,
                parent_id=parent,
                position=position if update_existing else next_position,
                **values,
            )
            next_position += 1
            s.add(row)
            s.flush()  # its id is the parent id of the codes after it
            rows[node.key] = row
            result.added.append(node.key)
        elif update_existing:
            if node.key in keep_color:
                values["color"] = row.color
            changed = any(getattr(row, n) != v for n, v in values.items())
            for name, value in values.items():
                setattr(row, name, value)
            row.position, row.codebook_id, row.parent_id = position, codebook_id, parent
            (result.updated if changed else result.unchanged).append(node.key)
        else:
            result.unchanged.append(node.key)
    s.flush()
    return result


def load_codebook(project: Project, book: CodebookDoc, *, source: str = "", merge: bool = False) -> LoadReport:
    """Make the project's codebook equal to `book` (or, with merge=True, add/update without removing)."""
    report = LoadReport()
    with project.write() as s:
        meta = s.exec(select(Codebook)).first()
        if meta is None:
            meta = Codebook(title=book.title)
            s.add(meta)
        meta.title, meta.version, meta.description = book.title, book.version, book.description
        meta.rules, meta.source, meta.loaded_at = book.rules, source, utcnow()
        s.flush()
        wanted = {c.key for c in book.iter_codes()}
        if not merge:
            gone = [key for key in s.exec(select(Code.key)).all() if key not in wanted]
            if gone:
                counts = dict(
                    s.exec(
                        select(Code.key, func.count(Span.id))
                        .join(Span, Span.code_id == Code.id)
                        .where(Code.key.in_(gone))
                        .group_by(Code.key)
                    ).all()
                )
                used = {k: n for k, n in counts.items() if n}
                if used:
                    listed = ", ".join(f"'{k}' ({n} spans)" for k, n in sorted(used.items()))
                    raise UserError(
                        f"{source or 'codebook'}: refused: it drops codes that are in use: {listed}; "
                        "keep them in the YAML (they can be marked 'codable: false') or delete "
                        "their spans first"
                    )
        done = upsert_codes(
            s, book.iter_codes(), codebook_id=meta.id, update_existing=True, keep_color=book.default_colored
        )
        report.added, report.updated, report.unchanged = done.added, done.updated, done.unchanged
        if not merge:
            existing = done.rows
            for key in [k for k in existing if k not in wanted]:
                for child in existing.values():
                    if child.parent_id == existing[key].id:
                        child.parent_id = None
                s.flush()
                s.delete(existing[key])
                report.removed.append(key)
    return report


def get_codebook(project: Project) -> CodebookDoc:
    """The project's codebook as a tree (empty, titled 'No codebook', before one is loaded)."""
    with project.read() as s:
        meta = s.exec(select(Codebook)).first()
        rows = s.exec(select(Code).order_by(Code.position, Code.id)).all()
    book = CodebookDoc(
        title=meta.title if meta else "No codebook",
        version=meta.version if meta else "",
        description=meta.description if meta else "",
        rules=meta.rules if meta else "",
    )
    by_id: dict[int, CodeNode] = {}
    key_of = {r.id: r.key for r in rows}
    for r in rows:
        by_id[r.id] = CodeNode(
            key=r.key,
            name=r.name,
            color=r.color,
            shortcut=r.shortcut,
            description=r.description,
            include=list(r.include or []),
            exclude=list(r.exclude or []),
            examples=list(r.examples or []),
            codable=r.codable,
            parent_key=key_of.get(r.parent_id),
        )
    for r in rows:
        node = by_id[r.id]
        if r.parent_id in by_id:
            by_id[r.parent_id].children.append(node)
        else:
            node.parent_key = None
            book.codes.append(node)
    return book


def code_path(book: CodebookDoc) -> dict[str, str]:
    """'Parent name > Child name' for every code key (what analysts see in exports)."""
    paths: dict[str, str] = {}

    def walk(nodes: list[CodeNode], prefix: str) -> None:
        for n in nodes:
            paths[n.key] = f"{prefix} > {n.name}" if prefix else n.name
            walk(n.children, paths[n.key])

    walk(book.codes, "")
    return paths
