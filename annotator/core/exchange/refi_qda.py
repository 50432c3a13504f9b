"""REFI-QDA (QDA-XML 1.5) exchange: the one import for the store and CLI.

    project = read_qdpx("in.qdpx")      # QdaProject: users, codes, sources, selections, warnings
    project = read_qde("bare.qde")      # sources stored as files are skipped (no archive)
    project = read_project(path)        # either of the two, by content
    book = read_qdc("codes.qdc")        # QdaCodebook: codes, warnings
    write_qdpx(project, "out.qdpx")     # validates against Project-mrt2019.xsd
    write_qdpx(project, "out.qdpx", flavour="nvivo")  # positions in UTF-16 units, as NVivo counts
    project.positions.lines()           # after reading: which unit the positions were taken in, and why
    write_qdc(project.codes, "out.qdc") # validates against Codebook-mrt2019.xsd

Pure Python: no Qt, no database. Hostile or broken input raises `annotator.core.errors.UserError`.
"""

from annotator.core.exchange.refi_flavour import DEFAULT_FLAVOUR, FLAVOURS, LABELS, WHEN_TO_PICK, Flavour
from annotator.core.exchange.refi_model import (
    QdaCode,
    QdaCodebook,
    QdaProject,
    QdaSelection,
    QdaSource,
    QdaUser,
    stable_guid,
    walk_codes,
    walk_codes_with_parent,
)
from annotator.core.exchange.refi_read import read_project, read_qdc, read_qde, read_qdpx
from annotator.core.exchange.refi_write import (
    check_project,
    codebook_xml,
    project_xml,
    write_qdc,
    write_qdpx,
)
from annotator.core.exchange.safe_zip import DEFAULT_MAX_RATIO, DEFAULT_MAX_TOTAL_BYTES

__all__ = [
    "DEFAULT_FLAVOUR",
    "DEFAULT_MAX_RATIO",
    "DEFAULT_MAX_TOTAL_BYTES",
    "FLAVOURS",
    "LABELS",
    "WHEN_TO_PICK",
    "Flavour",
    "QdaCode",
    "QdaCodebook",
    "QdaProject",
    "QdaSelection",
    "QdaSource",
    "QdaUser",
    "check_project",
    "codebook_xml",
    "project_xml",
    "read_project",
    "read_qdc",
    "read_qde",
    "read_qdpx",
    "stable_guid",
    "walk_codes",
    "walk_codes_with_parent",
    "write_qdc",
    "write_qdpx",
]
