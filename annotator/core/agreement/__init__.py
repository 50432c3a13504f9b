"""Inter-coder agreement: pure computations (numpy, no Qt, no database).

Entry points for the CLI, the GUI and the reliability report:
- `span_agreement(documents, spans, coders, codes, *, bootstrap=0, seed=0, progress=None, ...)`:
  alpha_U, span F1, sentence-unit measures, disagreement breakdown and checks, one JSON-ready dict;
- `table_agreement(matrix_or_table, level)` and `read_table_csv(path)`: reliability tables.

Building blocks: `units` (percent agreement, Cohen/Scott/Bennett/Fleiss/weighted kappa,
Krippendorff's alpha at any level), `chance` (Gwet's AC1, Brennan-Prediger), `unitizing*`
(alpha_U: one continuum, a corpus, order-free pooling, resampling), `spans_f1`/`f1_fast`,
`sentences`, `breakdown`, `checks`, `resampling`/`bootstrap` (intervals). Every measure is a
`Measure` (value or None + reason); JSON uses `<key>_reason`.
"""

from .bootstrap import bootstrap_alpha, bootstrap_alpha_u
from .chance import brennan_prediger, gwet_ac1
from .measure import Measure
from .resampling import MIN_RESAMPLED, Cancelled, Interval
from .sentences import sentence_units, split_sentences
from .spans import span_agreement
from .spans_f1 import F1Counts, max_overlap_matching, pair_counts, span_f1
from .table import ReliabilityTable, parse_table, read_table_csv, table_agreement
from .unitizing import UnitizingResult, alpha_u, merge_spans
from .unitizing_corpus import (
    CorpusUnitizingResult,
    UnitArrays,
    corpus_alpha,
    corpus_alpha_u,
    end_to_end,
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
    "MIN_RESAMPLED",
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
    "brennan_prediger",
    "cohen_kappa",
    "coincidences",
    "corpus_alpha",
    "corpus_alpha_u",
    "end_to_end",
    "fleiss_kappa",
    "fleiss_kappa_counts",
    "gwet_ac1",
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
    "unit_arrays",
    "weighted_kappa",
]
