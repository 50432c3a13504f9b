"""Agreement over a project: load the selection (coders, documents, codes) and run the pure measures.

The CLI and the agreement view both call `load_selection` then `compute`; names are validated here
so both say the same thing about a typo ("unknown coder(s) X; known: A, B").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func
from sqlmodel import select

from annotator.core.agreement import span_agreement
from annotator.core.agreement.bootstrap import Progress
from annotator.core.errors import UserError
from annotator.core.spans import SpanRecord
from annotator.store.engine import Project
from annotator.store.models import Code, Coder, Document, Span


@dataclass(frozen=True)
class Choices:
    """What a supervisor can choose from: coders (name, spans), documents (id, name), codes."""

    coders: list[tuple[str, int]]
    documents: list[tuple[int, str]]
    codes: list[tuple[str, str, bool, int]]  # key, name, codable, spans with this code


@dataclass(frozen=True)
class Selection:
    """Everything the pure measures need, loaded in one read transaction."""

    coders: list[str]
    documents: list[tuple[str, str]]  # (name, text) in document order
    document_ids: dict[str, int]
    codes: list[str]
    code_names: dict[str, str]
    spans: list[SpanRecord] = field(default_factory=list)


def choices(project: Project) -> Choices:
    """Coders, documents and codes of the project, in their natural order."""
    with project.read() as s:
        coder_rows = s.exec(
            select(Coder.name, func.count(Span.id))
            .join(Span, Span.coder_id == Coder.id, isouter=True)
            .group_by(Coder.id)
            .order_by(Coder.name)
        ).all()
        doc_rows = s.exec(select(Document.id, Document.name).order_by(Document.position, Document.id)).all()
        code_rows = s.exec(
            select(Code.key, Code.name, Code.codable, func.count(Span.id))
            .join(Span, Span.code_id == Code.id, isouter=True)
            .group_by(Code.id)
            .order_by(Code.position, Code.id)
        ).all()
    return Choices(
        [(n, int(c)) for n, c in coder_rows],
        [(int(i), n) for i, n in doc_rows],
        [(k, n, bool(c), int(u)) for k, n, c, u in code_rows],
    )


def _unknown(kind: str, names: list[str], known: list[str], hint: str) -> UserError:
    shown = ", ".join(known[:20]) + (" ..." if len(known) > 20 else "")
    return UserError(f"unknown {kind}(s) {', '.join(names)}; known: {shown or 'none'} ({hint})")


def _resolve(given: list[str] | None, known: list[str], kind: str, hint: str) -> list[str]:
    if given is None:
        return list(known)
    given = list(dict.fromkeys(given))
    missing = [g for g in given if g not in set(known)]
    if missing:
        raise _unknown(kind, missing, known, hint)
    return given


def default_codes(ch: Choices) -> list[str]:
    """Codable codes of the codebook, plus any grouping code that was nevertheless used."""
    return [k for k, _n, codable, used in ch.codes if codable or used]


def load_selection(
    project: Project, coders: list[str], documents: list[str] | None = None, codes: list[str] | None = None
) -> Selection:
    """Validate the names and load texts and spans; None means every document / default codes."""
    ch = choices(project)
    if not coders:
        raise UserError("name the coders to compare, e.g. --coders anna,ben")
    doc_names = [n for _, n in ch.documents]
    if not doc_names:
        raise UserError("the project has no documents; import some with 'annotator import FILE...'")
    names = {k: n for k, n, _c, _u in ch.codes}
    problems: list[str] = []

    def resolve(given: list[str] | None, known: list[str], kind: str, hint: str) -> list[str]:
        try:
            return _resolve(given, known, kind, hint)
        except UserError as exc:
            problems.append(str(exc))
            return []

    coders = resolve(coders, [n for n, _ in ch.coders], "coder", "see 'annotator coders list'")
    chosen_docs = resolve(documents, doc_names, "document", "see 'annotator documents list'")
    if codes is None:
        chosen_codes = default_codes(ch)
    else:
        chosen_codes = resolve(codes, list(names), "code", "see the codebook")
        grouping = [k for k, _n, codable, used in ch.codes if k in chosen_codes and not codable and not used]
        if grouping:
            problems.append(
                f"code(s) {', '.join(grouping)} are groupings (codable: false) and "
                "cannot carry spans; name their children instead"
            )
    if problems:
        raise UserError("\n".join(problems))
    if not chosen_codes:
        raise UserError("the project has no codes; load a codebook with 'annotator codebook load'")
    order = {n: i for i, n in enumerate(doc_names)}
    chosen_docs.sort(key=order.__getitem__)
    ids = {n: i for i, n in ch.documents}
    with project.read() as s:
        wanted = [ids[n] for n in chosen_docs]
        texts: dict[int, str] = {}
        for i in range(0, len(wanted), 500):
            texts.update(s.exec(select(Document.id, Document.text).where(Document.id.in_(wanted[i : i + 500]))).all())
    from annotator.store.services.spans import list_spans

    all_docs = documents is None
    spans = list_spans(project, coders=coders, document_ids=None if all_docs else wanted, code_keys=chosen_codes)
    return Selection(
        coders,
        [(n, texts[ids[n]]) for n in chosen_docs],
        {n: ids[n] for n in chosen_docs},
        chosen_codes,
        {k: names.get(k, k) for k in chosen_codes},
        spans,
    )


def compute(
    selection: Selection, *, bootstrap: int = 0, seed: int = 0, progress: Progress | None = None, merge: bool = True
) -> dict[str, Any]:
    """span_agreement over the selection; merge=False keeps touching spans apart (DKPro's data).

    Raises core.agreement.Cancelled when `progress` returns False.
    """
    if bootstrap < 0:
        raise UserError("--bootstrap must be 0 (no intervals) or a positive number of resamples")
    try:
        result = span_agreement(
            selection.documents,
            selection.spans,
            selection.coders,
            selection.codes,
            bootstrap=bootstrap,
            seed=seed,
            progress=progress,
            merge=merge,
        )
    except UserError as exc:
        if merge:
            raise
        raise UserError(str(exc).replace("(merge=True)", "(drop --no-merge)")) from None
    result["merged"] = merge
    result["code_names"] = dict(selection.code_names)
    return result
