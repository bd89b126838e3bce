"""Models of the base app: people and units, audit trail, inbox, and the reference data
(indicator system, sites, responsibility matrix, time limits, calendar overrides)."""

from campaign.models.audit import Event, Notification, OutboxJob
from campaign.models.guardianship import Guardianship
from campaign.models.imports import ColumnMapping
from campaign.models.names import UnitAlias, UnitGroup
from campaign.models.org import Membership, OrgUnit, Role, User
from campaign.models.reference import (
    EVIDENCE_CATEGORIES,
    CalendarDay,
    CalendarYear,
    Framework,
    Indicator,
    Method,
    Site,
    SiteType,
)
from campaign.models.reorg import UnitChange
from campaign.models.responsibility import Oversight, Responsibility, TimeLimit
from campaign.models.submission import FormSubmission

__all__ = [
    "EVIDENCE_CATEGORIES",
    "CalendarDay",
    "CalendarYear",
    "ColumnMapping",
    "Event",
    "FormSubmission",
    "Framework",
    "Guardianship",
    "Indicator",
    "Membership",
    "Method",
    "Notification",
    "OrgUnit",
    "OutboxJob",
    "Oversight",
    "Responsibility",
    "Role",
    "Site",
    "SiteType",
    "TimeLimit",
    "UnitAlias",
    "UnitChange",
    "UnitGroup",
    "User",
]
