"""Views of the inspections app (one module per page family)."""

from inspections.views.checklists import checklist_create, checklist_detail, checklist_edit, checklist_list
from inspections.views.findings import finding_list, finding_raise, recheck_list, round_raise
from inspections.views.reports import round_report, round_report_xlsx
from inspections.views.rounds import (
    round_close,
    round_create,
    round_detail,
    round_distribute,
    round_list,
    roundsite_assign,
)
from inspections.views.visits import (
    my_visits,
    photo_delete,
    photo_image,
    photo_upload,
    visit_autosave,
    visit_capture,
    visit_detail,
    visit_pick,
    visit_start,
)

__all__ = [
    "checklist_create", "checklist_detail", "checklist_edit", "checklist_list", "finding_list", "finding_raise",
    "my_visits", "photo_delete", "photo_image", "photo_upload", "recheck_list", "round_close", "round_create",
    "round_detail", "round_distribute", "round_list", "round_raise", "round_report", "round_report_xlsx",
    "roundsite_assign", "visit_autosave", "visit_capture", "visit_detail", "visit_pick", "visit_start",
]
