"""Inter-coder agreement: pure computations (numpy, no Qt, no database).

Entry points for the CLI and the GUI:
- `span_agreement(documents, spans, coders, codes, *, bootstrap=0, seed=0, progress=None)`:
  alpha_U, span F1 and sentence-unit measures for a selection, as one JSON-ready dict;
- `table_agreement(matrix_or_table, level)` and `read_table_csv(path)`: reliability tables.

Building blocks: `units` (percent agreement, Cohen/Scott/Bennett/Fleiss/weighted kappa,
Krippendorff's alpha at any level), `unitizing` (alpha_U), `spans_f1`, `sentences`,
`bootstrap`. Every measure is a `Measure` (value or None + reason); JSON uses `<key>_reason`.
"""

from .bootstrap import Cancelled, Interval, bootstrap_alpha, bootstrap_alpha_u
from .measure import Measure
from .sentences import coded_matrix, sentence_units, split_sentences
from .spans import span_agreement
from .spans_f1 import F1Counts, max_overlap_matching, pair_counts, span_f1
from .table import ReliabilityTable, parse_table, read_table_csv, table_agreement, table_report
from .unitizing import (
    CorpusUnitizingResult,
    UnitArrays,
    UnitizingResult,
    alpha_u,
    corpus_alpha,
    corpus_alpha_u,
    end_to_end,
    merge_spans,
    per_document,
    unit_arrays,
)
from .units import (
    LEVELS,
    ReliabilityData,
    bennett_s,
    cohen_kappa,
    coincidences,
    fleiss_kappa,
    fleiss_kappa_counts,
    krippendorff_alpha,
    pairwise,
    percent_agreement,
    scott_pi,
    subject_counts,
    subject_ratings_counts,
    weighted_kappa,
)

__all__ = [
    "LEVELS",
    "Cancelled",
    "CorpusUnitizingResult",
    "F1Counts",
    "Interval",
    "Measure",
    "ReliabilityData",
    "ReliabilityTable",
    "UnitArrays",
    "UnitizingResult",
    "alpha_u",
    "bennett_s",
    "bootstrap_alpha",
    "bootstrap_alpha_u",
    "coded_matrix",
    "cohen_kappa",
    "coincidences",
    "corpus_alpha",
    "corpus_alpha_u",
    "end_to_end",
    "fleiss_kappa",
    "fleiss_kappa_counts",
    "krippendorff_alpha",
    "max_overlap_matching",
    "merge_spans",
    "pair_counts",
    "pairwise",
    "parse_table",
    "per_document",
    "percent_agreement",
    "read_table_csv",
    "scott_pi",
    "sentence_units",
    "span_agreement",
    "span_f1",
    "split_sentences",
    "subject_counts",
    "subject_ratings_counts",
    "table_agreement",
    "table_report",
    "unit_arrays",
    "weighted_kappa",
]
