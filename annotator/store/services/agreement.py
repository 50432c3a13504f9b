"""Agreement over a project: one service for the command line, the window and the reliability report.

`run(project, options)` loads the selection (`agreement_selection`: by default the documents every
selected coder marked done) and computes every measure; the result is the JSON-ready dict
`annotator agreement --json` prints, which the reliability report renders. Names are validated
there, so every front end says the same thing about a typo ("unknown coder(s) X; known: A, B").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import func
from sqlmodel import select

from annotator import __version__
from annotator.core.agreement import span_agreement
from annotator.core.agreement.resampling import Progress
from annotator.core.errors import UserError
from annotator.core.segment import SPLITTER
from annotator.store.engine import Project
from annotator.store.models import Code, Coder, Document, Span
from annotator.store.services.agreement_selection import ALL, DONE, DocumentChoice, Selection, SpanRow, load_selection

__all__ = [
    "ALL",
    "DONE",
    "Choices",
    "Options",
    "Selection",
    "SpanRow",
    "choices",
    "compute",
    "default_codes",
    "equivalent_command",
    "load_selection",
    "run",
]


@dataclass(frozen=True)
class Choices:
    """What a supervisor can choose from: coders (name, spans), documents (id, name), codes."""

    coders: list[tuple[str, int]]
    documents: list[tuple[int, str]]
    codes: list[tuple[str, str, bool, int]]  # key, name, codable, spans with this code


@dataclass(frozen=True)
class Options:
    """One agreement request, as `annotator agreement --coders ...` and the window make it."""

    coders: list[str]
    documents: DocumentChoice = DONE
    codes: list[str] | None = None
    bootstrap: int = 0
    seed: int = 0
    merge: bool = True
    concatenate: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


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


def default_codes(ch: Choices) -> list[str]:
    """Codable codes of the codebook, plus any grouping code that was nevertheless used."""
    return [k for k, _n, codable, used in ch.codes if codable or used]


def compute(
    selection: Selection,
    *,
    bootstrap: int = 0,
    seed: int = 0,
    progress: Progress | None = None,
    merge: bool = True,
    concatenate: bool = False,
) -> dict[str, Any]:
    """span_agreement over the selection, plus how it was chosen (`selection`, `warnings`).

    merge=False keeps touching spans apart (DKPro's data); concatenate=True lays the documents end
    to end in document order (the value DKPro/INCEpTION report). Raises Cancelled when `progress`
    returns False.
    """
    if bootstrap < 0:
        raise UserError("--bootstrap must be 0 (no intervals) or a positive number of resamples")
    try:
        result = span_agreement(
            selection.documents,
            selection.arrays if selection.arrays is not None else selection.spans,
            selection.coders,
            selection.codes,
            bootstrap=bootstrap,
            seed=seed,
            progress=progress,
            merge=merge,
            concatenate=concatenate,
            parents=selection.parents,
        )
    except UserError as exc:
        if merge:
            raise
        raise UserError(str(exc).replace("(merge=True)", "(drop --no-merge)")) from None
    result["code_names"] = dict(selection.code_names)
    result["selection"] = selection.to_json()
    result["warnings"] = selection.warnings()
    return result


def run(
    project: Project, options: Options, *, progress: Progress | None = None, command: str | None = None
) -> tuple[Selection, dict[str, Any]]:
    """Load the selection and compute every measure; the result carries its `design` (who, what,
    how chosen, codebook, units, date, version, command) so a report needs nothing else."""
    selection = load_selection(project, options.coders, options.documents, options.codes)
    result = compute(
        selection,
        bootstrap=options.bootstrap,
        seed=options.seed,
        progress=progress,
        merge=options.merge,
        concatenate=options.concatenate,
    )
    result["design"] = design(selection, result, options, command)
    return selection, result


def equivalent_command(project: Project, options: Options) -> str:
    """The `annotator agreement` command that gives the same result (for reports made in the window)."""
    import shlex

    args = ["annotator", "--project", project.display_name, "agreement", "--coders", ",".join(options.coders)]
    if options.documents != DONE:
        docs = options.documents
        args += ["--documents", docs if isinstance(docs, str) else ",".join(docs)]
    if options.codes is not None:
        args += ["--codes", ",".join(options.codes)]
    if options.bootstrap:
        args += ["--bootstrap", str(options.bootstrap), "--seed", str(options.seed)]
    args += ["--no-merge"] if not options.merge else []
    args += ["--concatenate"] if options.concatenate else []
    return shlex.join(args)


def design(selection: Selection, result: dict[str, Any], options: Options, command: str | None) -> dict[str, Any]:
    """The study design as a report states it."""
    opts = asdict(options)
    opts["documents"] = options.documents if isinstance(options.documents, str) else list(options.documents)
    return {
        "coders": list(selection.coders),
        "documents": len(selection.documents),
        "documents_chosen": result["selection"]["description"],
        "documents_excluded": result["selection"]["excluded"],
        "codebook": dict(selection.codebook),
        "units": {
            "alpha_u": "characters; "
            + (
                "documents laid end to end in document order"
                if options.concatenate
                else "each document its own continuum, pooled"
            )
            + ("; touching spans of a coder and code merged" if options.merge else "; spans as stored"),
            "sentences": f"{result['sentences']['units']} sentences ({SPLITTER}); {result['sentences']['rule']}",
        },
        "date": dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat(),
        "annotator_version": __version__,
        "command": command,
        "options": opts,
    }
