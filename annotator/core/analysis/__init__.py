"""Retrieval and analysis, the pure part: queries over coded spans, corpus search, tables.

Nothing here touches the database or Qt. The store selects spans and texts and hands them over as
plain columns (`columns.SpanColumns`) and strings; these modules answer the analyst's questions on
them and return plain rows, which the command line prints and the Analysis window shows. Keeping the
logic here means the window and the command line give the same answer from the same function, and
the store can change its queries without touching the meaning of a result.

Modules, one job each:
- `codetree`: codebook keys as a tree (a parent stands for its children), close-match suggestions.
- `columns`: spans as numpy columns, and result sets of retrieval.
- `intervals`: vectorised overlap sweeps (pairs of overlapping spans per document and coder).
- `units`: sentence / paragraph / document units as global indices (for `in-sentence` and
  co-occurrence); sentence boundaries come from the caller (the one sentence splitter).
- `query_syntax`, `query_eval`: the retrieval language and its evaluator.
- `matching`, `regex_literals`, `kwic`, `extend`: corpus search, its index guard, keyword-in-context
  rows and autocode extension.
- `crosstab`, `frequencies`, `cooccurrence`, `table_files`: tables and their CSV / .xlsx files.
"""
