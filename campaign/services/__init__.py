"""Writes of the base app, one module per area: audit events (``audit``), notifications
(``notices``), a user's profile (``people``), reference data (``reference``), the working-day
calendar (``calendar``) and spreadsheet imports (``imports``). Callers import from here.

The other modules of this package (``queue``, ``beat``, ``backup``, ``spreadsheets`` …) are
imported by their own names."""

from campaign.services.audit import diff_fields, event_record
from campaign.services.calendar import (
    MAX_CALENDAR_RUN,
    RECOUNT_JOB,
    calendar_day_delete,
    calendar_days_set,
    calendar_year_confirm,
)
from campaign.services.imports import framework_import, framework_update_import, site_list_import
from campaign.services.notices import (
    email_pending_notifications,
    notification_mark_read,
    notify,
    send_daily_digest,
)
from campaign.services.people import profile_update
from campaign.services.reference import (
    framework_activate,
    framework_create,
    framework_update,
    indicator_save,
    oversight_delete,
    oversight_save,
    responsibility_delete,
    responsibility_save,
    site_save,
)

__all__ = [
    "MAX_CALENDAR_RUN", "RECOUNT_JOB", "calendar_day_delete", "calendar_days_set", "calendar_year_confirm",
    "diff_fields", "email_pending_notifications", "event_record", "framework_activate", "framework_create",
    "framework_import", "framework_update_import", "framework_update", "indicator_save", "notification_mark_read", "notify",
    "oversight_delete", "oversight_save", "profile_update", "responsibility_delete", "responsibility_save",
    "send_daily_digest", "site_list_import", "site_save",
]
