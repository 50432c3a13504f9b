"""Which documents, coders, codes and spans an agreement computation reads: one read transaction.

Only what was actually coded counts. By default (`documents="done"`) the selection is the
documents every selected coder counts as done on (`status.counts_as_done`); the others are left
out and listed with the coders who have not finished them. `documents="all"` or a list of names
keeps the older meaning (every chosen document counts as coded by every selected coder: no span
there means "nothing there") and the selection lists each (document, coder) pair not marked done,
which the command line prints as warnings.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, NamedTuple

import numpy as np
from sqlmodel import Session, select

from annotator.core.agreement.span_data import SpanArrays
from annotator.core.errors import UserError
from annotator.store.engine import Project
from annotator.store.models import Code, Codebook, Coder, Document, Span
from annotator.store.services.status import counts_as_done

DONE, ALL = "done", "all"
DocumentChoice = str | Sequence[str]  # DONE, ALL, or document names


class SpanRow(NamedTuple):
    """A span as the measures read it (attribute names as annotator.core.spans.SpanRecord)."""

    document: str
    coder: str
    code_key: str
    start: int
    end: int


@dataclass(frozen=True)
class Selection:
    """Everything the pure measures need, loaded in one read transaction."""

    coders: list[str]
    documents: list[tuple[str, str]]  # (name, text) in document order
    document_ids: dict[str, int]
    codes: list[str]
    code_names: dict[str, str]
    arrays: SpanArrays | None = None  # the spans, encoded once for the measures
    parents: dict[str, str | None] = field(default_factory=dict)
    how: str = DONE  # DONE, ALL or "listed"
    excluded: dict[str, list[str]] = field(default_factory=dict)  # left out: document -> coders not done
    not_done: list[tuple[str, str]] = field(default_factory=list)  # counted anyway: (document, coder)
    codebook: dict[str, str] = field(default_factory=dict)

    @cached_property
    def spans(self) -> list[SpanRow]:
        """The selection's spans as rows (document, coder, code_key, start, end), built on demand."""
        a = self.arrays
        if a is None:
            return []
        names = [n for n, _t in self.documents]
        return [
            SpanRow(names[d], a.coders[r], a.codes[k], s, e)
            for r, k, d, s, e in zip(
                a.coder.tolist(), a.code.tolist(), a.doc.tolist(), a.start.tolist(), a.end.tolist(), strict=True
            )
        ]

    def warnings(self) -> list[str]:
        """One line per (document, coder) pair counted as coded without being marked done."""
        return [
            f"{doc}: {coder} has not marked it done; counted as coded (no span there means nothing there)"
            for doc, coder in self.not_done
        ]

    def to_json(self) -> dict[str, Any]:
        """How the documents were chosen and what was left out, for the result's `selection` key."""
        if self.how == DONE:
            text = f"the {len(self.documents)} document(s) every selected coder marked done" + (
                f"; {len(self.excluded)} left out because not every coder marked them done" if self.excluded else ""
            )
        elif self.how == ALL:
            text = f"all {len(self.documents)} document(s), each counted as coded by every coder (--documents all)"
        else:
            text = f"{len(self.documents)} document(s) named with --documents, each counted as coded by every coder"
        return {
            "documents": self.how,
            "description": text,
            "excluded": dict(self.excluded),
            "excluded_count": len(self.excluded),
            "not_done": [list(p) for p in self.not_done],
        }


def _unknown(kind: str, names: list[str], known: list[str], hint: str) -> str:
    shown = ", ".join(known[:20]) + (" ..." if len(known) > 20 else "")
    return f"unknown {kind}(s) {', '.join(names)}; known: {shown or 'none'} ({hint})"


def _resolve(given: Sequence[str], known: list[str], kind: str, hint: str, problems: list[str]) -> list[str]:
    chosen = list(dict.fromkeys(given))
    missing = [g for g in chosen if g not in set(known)]
    if missing:
        problems.append(_unknown(kind, missing, known, hint))
        return []
    return chosen


def _codes(s: Session, codes: Sequence[str] | None, problems: list[str]) -> tuple[list[str], dict[str, Any]]:
    rows = s.exec(select(Code.id, Code.key, Code.name, Code.codable, Code.parent_id).order_by(Code.position, Code.id))
    info = {key: (cid, name, codable, parent) for cid, key, name, codable, parent in rows.all()}
    used = set(s.exec(select(Span.code_id).distinct()).all())
    if codes is None:
        return [k for k, (cid, _n, codable, _p) in info.items() if codable or cid in used], info
    chosen = _resolve(codes, list(info), "code", "see the codebook", problems)
    grouping = [k for k in chosen if not info[k][2] and info[k][0] not in used]
    if grouping:
        problems.append(
            f"code(s) {', '.join(grouping)} are groupings (codable: false) and cannot carry spans; "
            "name their children instead"
        )
    return chosen, info


def load_selection(
    project: Project,
    coders: Sequence[str],
    documents: DocumentChoice | None = DONE,
    codes: Sequence[str] | None = None,
) -> Selection:
    """Validate the names and load texts and spans. documents: DONE (None too), ALL, or names;
    codes None = the codable codes of the codebook plus any grouping code that was used."""
    if not coders:
        raise UserError("name the coders to compare, e.g. --coders anna,ben")
    choice = DONE if documents is None else documents
    problems: list[str] = []
    with project.read() as s:
        coder_ids = dict(s.exec(select(Coder.name, Coder.id).order_by(Coder.name)).all())
        doc_rows = s.exec(select(Document.id, Document.name).order_by(Document.position, Document.id)).all()
        if not doc_rows:
            raise UserError("the project has no documents; import some with 'annotator import FILE...'")
        doc_names = [n for _i, n in doc_rows]
        ids = {n: int(i) for i, n in doc_rows}
        coders = _resolve(coders, list(coder_ids), "coder", "see 'annotator coders list'", problems)
        if isinstance(choice, str) and choice in (DONE, ALL):
            chosen = list(doc_names)
        else:
            chosen = _resolve(list(choice), doc_names, "document", "see 'annotator documents list'", problems)
        chosen_codes, info = _codes(s, codes, problems)
        if problems:
            raise UserError("\n".join(problems))
        if not chosen_codes:
            raise UserError("the project has no codes; load a codebook with 'annotator codebook load'")
        order = {n: i for i, n in enumerate(doc_names)}
        chosen.sort(key=order.__getitem__)
        done = counts_as_done(s, [coder_ids[c] for c in coders], [ids[n] for n in chosen])
        missing = {n: [c for c in coders if (ids[n], coder_ids[c]) not in done] for n in chosen}
        excluded: dict[str, list[str]] = {}
        not_done: list[tuple[str, str]] = []
        if choice == DONE:
            excluded = {n: who for n, who in missing.items() if who}
            chosen = [n for n in chosen if not missing[n]]
            if not chosen:
                raise UserError(
                    f"no document is marked done by every selected coder ({', '.join(coders)}); mark documents "
                    "done (Ctrl+D in the window, or 'annotator documents done'), or use --documents all to count "
                    "every document as coded by every coder"
                )
        else:
            not_done = [(n, c) for n in chosen for c in missing[n]]
        texts = _texts(s, [ids[n] for n in chosen])
        documents = [(n, texts[ids[n]]) for n in chosen]
        arrays = _spans(s, documents, coders, coder_ids, ids, chosen_codes, info)
        book = s.exec(select(Codebook.title, Codebook.version).order_by(Codebook.id.desc())).first()  # type: ignore[union-attr]
    by_id = {cid: key for key, (cid, _n, _c, _p) in info.items()}
    return Selection(
        list(coders),
        documents,
        {n: ids[n] for n in chosen},
        chosen_codes,
        {k: info[k][1] for k in chosen_codes},
        arrays,
        {k: by_id.get(p) for k, (_cid, _n, _c, p) in info.items()},
        choice if isinstance(choice, str) and choice in (DONE, ALL) else "listed",
        excluded,
        not_done,
        {"title": book[0], "version": str(book[1] or "")} if book else {},
    )


def _texts(s: Session, ids: list[int]) -> dict[int, str]:
    texts: dict[int, str] = {}
    for i in range(0, len(ids), 500):
        part = ids[i : i + 500]
        texts.update(s.exec(select(Document.id, Document.text).where(Document.id.in_(part))).all())  # type: ignore[attr-defined]
    return texts


def _spans(
    s: Session,
    documents: list[tuple[str, str]],
    coders: list[str],
    coder_ids: dict[str, int],
    ids: dict[str, int],
    codes: list[str],
    info: dict[str, Any],
) -> SpanArrays:
    """The selection's spans: one query over plain columns, ids mapped to indices with arrays
    (100,000 spans without a Python object each)."""
    # Plain DB-API rows (tuples of ints), not Row objects: numpy reads them ten times faster.
    # The ids are ints from our own tables, so inlining them in the SQL is safe.
    who = ",".join(str(int(coder_ids[c])) for c in coders)
    which = ",".join(str(int(info[k][0])) for k in codes)
    cursor = s.connection().connection.cursor()
    try:
        cursor.execute(
            f'SELECT document_id, coder_id, code_id, start, "end" FROM {Span.__tablename__} '
            f"WHERE coder_id IN ({who}) AND code_id IN ({which})"
        )
        rows = cursor.fetchall()
    finally:
        cursor.close()
    arr = np.array(rows, dtype=np.int64).reshape(-1, 5)

    def lookup(pairs: list[tuple[int, int]], column: np.ndarray) -> np.ndarray:
        table = np.full(max([i for i, _ in pairs] + [int(column.max(initial=0))]) + 1, -1, dtype=np.int64)
        for i, index in pairs:
            table[i] = index
        return table[column]

    doc = lookup([(ids[n], i) for i, (n, _t) in enumerate(documents)], arr[:, 0])
    coder = lookup([(coder_ids[c], i) for i, c in enumerate(coders)], arr[:, 1])
    code = lookup([(info[k][0], i) for i, k in enumerate(codes)], arr[:, 2])
    keep = doc >= 0
    lengths = np.array([len(t) for _n, t in documents], dtype=np.int64)
    start, end = arr[keep, 3], arr[keep, 4]
    doc, coder, code = doc[keep], coder[keep], code[keep]
    cs, ce = np.maximum(start, 0), np.minimum(end, lengths[doc])
    clipped = int(np.sum((cs != start) | (ce != end)))
    ok = ce > cs
    return SpanArrays(coder[ok], code[ok], doc[ok], cs[ok], ce[ok], list(coders), list(codes), lengths, clipped)
