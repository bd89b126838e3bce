"""Reads of the archives app: the ledger tree, list filters, completeness, the 提交表 data."""

from archives.selectors.completeness import (
    CompletenessRow,
    CompletenessSummary,
    completeness,
    completeness_xlsx,
    gap_list,
    summarise,
    supplier_rows,
)
from archives.selectors.duties import material_standards, standard_duties, supplying_units, tree_key, units_with_duties
from archives.selectors.ledger import (
    MAIN_CATEGORIES,
    EvidenceFilters,
    LedgerRow,
    Material,
    SubmissionData,
    evidence_filter,
    ledger_tree,
    review_queue,
    submission_form_data,
    supersede_chain,
    upload_units,
    with_list_data,
)

__all__ = [
    "MAIN_CATEGORIES",
    "CompletenessRow",
    "CompletenessSummary",
    "EvidenceFilters",
    "LedgerRow",
    "Material",
    "SubmissionData",
    "completeness",
    "completeness_xlsx",
    "evidence_filter",
    "gap_list",
    "ledger_tree",
    "material_standards",
    "review_queue",
    "standard_duties",
    "submission_form_data",
    "summarise",
    "supersede_chain",
    "supplier_rows",
    "supplying_units",
    "tree_key",
    "units_with_duties",
    "upload_units",
    "with_list_data",
]
