"""The agreement computation as a background job's work: choices in, results and disagreements out.

It runs through the window's one job mechanism (`gui/common/jobs.py`): the window stays responsive
while thousands of bootstrap resamples run, and the progress callback of core.agreement returns False
once the user pressed Cancel, which stops the work.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from annotator.core.agreement import Cancelled as AgreementCancelled
from annotator.core.agreement_report import Disagreement, disagreements
from annotator.gui.common.jobs import Cancelled, JobContext
from annotator.store.engine import Project
from annotator.store.services import agreement as service


@dataclass(frozen=True)
class Request:
    coders: list[str]
    documents: str | list[str]  # service.DONE, service.ALL or names
    codes: list[str] | None
    bootstrap: int = 0
    seed: int = 0


@dataclass(frozen=True)
class Outcome:
    selection: service.Selection
    result: dict[str, Any]
    disagreements: list[Disagreement]


def compute(project: Project, request: Request, ctx: JobContext) -> Outcome:
    """Load the selection, compute every measure and list the disagreements (in the worker thread)."""
    r = request
    ctx.stage("Computing agreement…")
    options = service.Options(r.coders, r.documents, r.codes, r.bootstrap, r.seed)
    command = service.equivalent_command(project, options) + "  (from the Agreement window)"
    ctx.check()
    try:
        selection, result = service.run(project, options, progress=ctx.progress, command=command)
    except AgreementCancelled:
        raise Cancelled from None
    found = disagreements(selection.documents, selection.spans, selection.coders, selection.codes)
    return Outcome(selection, result, found)
