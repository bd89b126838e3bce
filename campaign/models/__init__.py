"""Models of the base app: people and units, audit trail, inbox (and the reference data)."""

from .audit import Event, Notification
from .org import Membership, OrgUnit, Role, User

__all__ = ["Event", "Membership", "Notification", "OrgUnit", "Role", "User"]
